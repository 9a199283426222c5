//! Identity writes: turn the system-assigned identity on or off, attach a
//! user-assigned identity from the subscription, detach one. Changes the
//! service would refuse (the encrypting identity must stay) are refused here,
//! with the reason, before anything is sent.

use acr_cmk_domain::arm::{same_id, ResourceId};
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::writes::identity_change::{change_identity, IdentityChange};
use acr_cmk_domain::writes::step::WriteStep;
use acr_cmk_domain::writes::Refusal;
use leptos::prelude::*;

use super::flow::WriteFlow;
use crate::components::dialog::ModalDialog;
use crate::components::error_box::ErrorBox;
use crate::session::SessionStore;

#[component]
pub fn IdentityActions(registry: Registry, on_refresh: Callback<()>) -> impl IntoView {
    let session = SessionStore::expect();
    let Some(client) = session.client() else { return ().into_any() };
    let block = registry.identity.clone().unwrap_or_default();
    let kinds = block.kinds();
    let subscription = ResourceId::parse(&registry.id).map(|r| r.subscription_id).unwrap_or_default();

    // The system identity's client id decides whether it is the encrypting one.
    let system_client = {
        let client = client.clone();
        let id = registry.id.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let id = id.clone();
            async move {
                if !kinds.system {
                    return None;
                }
                client.system_identity(&id).await.ok().flatten().map(|s| s.properties.client_id)
            }
        })
    };
    let identities = {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let subscription = subscription.clone();
            async move { client.user_identities(&subscription).await.unwrap_or_default() }
        })
    };

    let open = RwSignal::new(false);
    let pending = RwSignal::new(None::<WriteStep>);
    let refusal = RwSignal::new(None::<Refusal>);
    let choice = RwSignal::new(String::new());

    let plan = {
        let registry = registry.clone();
        move |change: IdentityChange| {
            let system = system_client.get_untracked().flatten();
            match change_identity(&registry, system.as_deref(), &change) {
                Ok(write) => {
                    refusal.set(None);
                    pending.set(Some(WriteStep::registry(write, &registry)));
                    open.set(true);
                }
                Err(r) => refusal.set(Some(r)),
            }
        }
    };

    let attached: Vec<String> =
        if kinds.user { block.user_assigned_identities.clone().unwrap_or_default().into_keys().collect() } else { Vec::new() };
    let toggle = {
        let plan = plan.clone();
        move |_| plan(if kinds.system { IdentityChange::DisableSystem } else { IdentityChange::EnableSystem })
    };
    let assign = {
        let plan = plan.clone();
        move |_| {
            let id = choice.get_untracked();
            if !id.is_empty() {
                plan(IdentityChange::AssignUser(id));
            }
        }
    };
    let removes = attached
        .iter()
        .map(|id| {
            let name = id.rsplit('/').next().unwrap_or(id).to_string();
            let plan = plan.clone();
            let id = id.clone();
            view! {
                <li>
                    <span class="mono">{name.clone()}</span>
                    <button
                        type="button"
                        class="secondary"
                        data-testid="identity-remove"
                        aria-label=format!("Remove identity {name}")
                        on:click=move |_| plan(IdentityChange::RemoveUser(id.clone()))
                    >
                        "Remove"
                    </button>
                </li>
            }
        })
        .collect_view();
    let attached_for_options = attached.clone();
    let options = move || {
        identities
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|i| !attached_for_options.iter().any(|a| same_id(a, &i.id)))
            .map(|i| view! { <option value=i.id.clone()>{i.name.clone()}</option> })
            .collect_view()
    };

    view! {
        <div class="identity-actions">
            <h3>"Change identities"</h3>
            <p>
                <button type="button" class="secondary" data-testid="identity-system-toggle" on:click=toggle>
                    {if kinds.system { "Turn off system-assigned identity" } else { "Turn on system-assigned identity" }}
                </button>
            </p>
            <ul class="identity-list">{removes}</ul>
            <div class="inline-form">
                <label>
                    "Attach a user-assigned identity"
                    <select data-testid="identity-assign-select" on:change=move |ev| choice.set(event_target_value(&ev))>
                        <option value="" selected=true>"Choose an identity"</option>
                        <Transition fallback=|| ()>{options}</Transition>
                    </select>
                </label>
                <button type="button" class="secondary" data-testid="identity-assign" on:click=assign>
                    "Attach"
                </button>
            </div>
            {move || refusal.get().map(|r| view! { <ErrorBox error=r testid="identity-refusal" /> })}
            <ModalDialog open title="Change the registry's identities" testid="identity-dialog">
                {move || {
                    pending
                        .get()
                        .map(|step| {
                            view! {
                                <WriteFlow
                                    steps=vec![step]
                                    on_refresh
                                    on_close=Callback::new(move |()| open.set(false))
                                />
                            }
                        })
                }}
            </ModalDialog>
        </div>
    }
    .into_any()
}
