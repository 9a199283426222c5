//! Identity writes: turn the system-assigned identity on or off, attach a
//! user-assigned identity from the subscription, detach one. Changes the
//! service would refuse (the encrypting identity must stay) are refused here,
//! with the reason, before anything is sent. A removal says what goes with it;
//! on Confirm the registry is read again and the change re-planned, so an
//! identity someone attached meanwhile is not dropped by a stale `type`.

use acr_cmk_domain::arm::{same_id, ResourceId};
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::writes::identity_change::{change_identity, consequences, IdentityChange};
use acr_cmk_domain::writes::step::WriteStep;
use acr_cmk_domain::writes::Refusal;
use leptos::prelude::*;

use super::flow::{Replan, WriteFlow};
use crate::action_error::ActionError;
use crate::arm_client::ArmClient;
use crate::components::dialog::ModalDialog;
use crate::components::error_box::ErrorBox;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::writes as words;
use crate::i18n::{tr, Locale};
use crate::session::SessionStore;

/// `change` planned from the registry as ARM has it now.
async fn plan_fresh(client: &ArmClient, registry_id: &str, change: &IdentityChange) -> Result<Vec<WriteStep>, ActionError> {
    let registry = client.registry(registry_id).await?.registry;
    let system = if registry.identity.as_ref().is_some_and(|i| i.kinds().system) {
        client.system_identity(registry_id).await?.map(|s| s.properties.client_id)
    } else {
        None
    };
    let write = change_identity(&registry, system.as_deref(), change)?;
    Ok(vec![WriteStep::registry(write, &registry)])
}

#[component]
pub fn IdentityActions(registry: Registry, on_refresh: Callback<()>) -> impl IntoView {
    let session = SessionStore::expect();
    let locale = Locale::expect();
    let Some(client) = session.client() else { return ().into_any() };
    let block = registry.identity.clone().unwrap_or_default();
    let kinds = block.kinds();
    let subscription = ResourceId::parse(&registry.id).map(|r| r.subscription_id).unwrap_or_default();

    // The system identity's client id decides whether it is the encrypting one.
    let system_client = {
        let client = client.clone();
        let id = registry.id.clone();
        ErasedResource::new(move || {
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
        ErasedResource::new(move || {
            let client = client.clone();
            let subscription = subscription.clone();
            async move { client.user_identities(&subscription).await.unwrap_or_default() }
        })
    };

    let open = RwSignal::new(false);
    let pending = RwSignal::new(None::<(IdentityChange, WriteStep)>);
    let refusal = RwSignal::new(None::<Refusal>);
    let choice = RwSignal::new(String::new());

    let plan = {
        let registry = registry.clone();
        move |change: IdentityChange| {
            let system = system_client.get_untracked().flatten();
            match change_identity(&registry, system.as_deref(), &change) {
                Ok(write) => {
                    refusal.set(None);
                    pending.set(Some((change, WriteStep::registry(write, &registry))));
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
                        aria-label={
                            let name = name.clone();
                            move || locale.fill(words::REMOVE_IDENTITY, &[("name", &name)])
                        }
                        on:click=move |_| plan(IdentityChange::RemoveUser(id.clone()))
                    >
                        {tr(words::REMOVE)}
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

    let dialog_registry = StoredValue::new(registry.clone());
    view! {
        <div class="identity-actions">
            <h3>{tr(words::CHANGE_IDENTITIES)}</h3>
            <p>
                <button type="button" class="secondary" data-testid="identity-system-toggle" on:click=toggle>
                    {tr(if kinds.system { words::SYSTEM_OFF_BUTTON } else { words::SYSTEM_ON_BUTTON })}
                </button>
            </p>
            <ul class="identity-list">{removes}</ul>
            <div class="inline-form">
                <label>
                    {tr(words::ATTACH_USER)}
                    <select data-testid="identity-assign-select" on:change=move |ev| choice.set(event_target_value(&ev))>
                        <option value="" selected=true>{tr(words::CHOOSE_IDENTITY)}</option>
                        <Transition fallback=|| ()>{options}</Transition>
                    </select>
                </label>
                <button type="button" class="secondary" data-testid="identity-assign" on:click=assign>
                    {tr(words::ATTACH)}
                </button>
            </div>
            {move || refusal.get().map(|r| view! { <ErrorBox error=r testid="identity-refusal" /> })}
            <ModalDialog open title=words::IDENTITY_DIALOG testid="identity-dialog">
                {move || {
                    let registry = dialog_registry.get_value();
                    let client = session.client()?;
                    pending
                        .get()
                        .map(move |(change, step)| {
                            let warning = consequences(&registry, &change);
                            let destructive = warning.is_some();
                            let replan = {
                                let client = client.clone();
                                let id = registry.id.clone();
                                Replan::new(move || {
                                    let (client, id, change) = (client.clone(), id.clone(), change.clone());
                                    async move { plan_fresh(&client, &id, &change).await }
                                })
                            };
                            view! {
                                {warning.map(|w| view! { <p class="danger-zone" role="note" data-testid="identity-consequences">{move || w.get(locale.get())}</p> })}
                                <WriteFlow
                                    steps=vec![step]
                                    replan
                                    destructive
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
