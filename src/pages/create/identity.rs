//! Identity: an existing user-assigned identity, or a new one. Shows its ids and
//! which one each API wants: the registry names the **client id**, the vault grant
//! the **principal id** (the seed article passes a principal id where the CLI wants
//! a client id).

use acr_cmk_domain::identity::UserAssignedIdentity;
use acr_cmk_domain::writes::creation::IdentityChoice;
use leptos::prelude::*;

use super::step_buttons::StepButtons;
use super::wizard::Wizard;
use crate::action_error::ActionError;
use crate::components::error_box::ErrorBox;
use crate::components::loading::Loading;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::create as words;
use crate::i18n::tr;
use crate::session::SessionStore;

#[component]
pub fn IdentityStep() -> impl IntoView {
    let wizard = Wizard::expect();
    let session = SessionStore::expect();
    if wizard.identity.with_untracked(Option::is_none) {
        wizard.identity.set(Some(IdentityChoice::New { name: format!("id-{}", wizard.name.get_untracked()) }));
    }
    let identities = ErasedResource::new(move || {
        let sub = wizard.subscription_id();
        async move {
            let Some(sub) = sub else { return Ok(Vec::new()) };
            session.client_for_write()?.user_identities(&sub).await.map_err(ActionError::from)
        }
    });
    let is_new = Memo::new(move |_| matches!(wizard.identity.get(), Some(IdentityChoice::New { .. })));
    let ready = Signal::derive(move || match wizard.identity.get() {
        Some(IdentityChoice::New { name }) => !name.trim().is_empty(),
        Some(IdentityChoice::Existing(_)) => true,
        None => false,
    });
    view! {
        <div class="panel create-step" data-testid="create-step-identity">
            <h2>{tr(words::STEP_IDENTITY)}</h2>
            <p class="help">{tr(words::IDENTITY_HELP)}</p>
            <fieldset class="choice">
                <legend>{tr(words::USER_ASSIGNED)}</legend>
                <label class="inline">
                    <input type="radio" name="identity-kind" data-testid="create-identity-new" prop:checked=is_new
                        on:change=move |_| wizard.identity.set(Some(IdentityChoice::New { name: format!("id-{}", wizard.name.get_untracked()) })) />
                    {tr(words::IDENTITY_NEW)}
                </label>
                <label class="inline">
                    <input type="radio" name="identity-kind" data-testid="create-identity-existing" prop:checked=move || !is_new.get()
                        on:change=move |_| wizard.identity.set(None) />
                    {tr(words::IDENTITY_EXISTING)}
                </label>
            </fieldset>
            <div class="write-form">
                {move || if is_new.get() {
                    view! {
                        <label>
                            {tr(words::IDENTITY_NEW_NAME)}
                            <input type="text" data-testid="create-identity-name"
                                prop:value=match wizard.identity.get_untracked() { Some(IdentityChoice::New { name }) => name, _ => String::new() }
                                on:input=move |ev| wizard.identity.set(Some(IdentityChoice::New { name: event_target_value(&ev) })) />
                            <span class="help">{tr(words::IDENTITY_NEW_HELP)}</span>
                        </label>
                    }.into_any()
                } else {
                    view! {
                        <Suspense fallback=|| view! { <Loading what=words::LOADING_IDENTITIES /> }>
                            {move || identities.get().map(|r| match r {
                                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                Ok(list) => {
                                    let all = list.clone();
                                    view! {
                                        <label>
                                            {tr(words::STEP_IDENTITY)}
                                            <select data-testid="create-identity-select" on:change=move |ev| {
                                                let id = event_target_value(&ev);
                                                wizard.identity.set(all.iter().find(|i| i.id == id).cloned().map(IdentityChoice::Existing));
                                            }>
                                                <option value="">{tr(words::CHOOSE_IDENTITY)}</option>
                                                {list.into_iter().map(|i| {
                                                    let id = i.id.clone();
                                                    let selected = move || matches!(wizard.identity.get(), Some(IdentityChoice::Existing(ref e)) if e.id == id);
                                                    view! { <option value=i.id.clone() selected=selected>{i.name.clone()}</option> }
                                                }).collect_view()}
                                            </select>
                                        </label>
                                    }.into_any()
                                }
                            })}
                        </Suspense>
                    }.into_any()
                }}
            </div>
            {move || match wizard.identity.get() {
                Some(IdentityChoice::Existing(i)) => view! { <IdentityIds identity=i /> }.into_any(),
                _ => ().into_any(),
            }}
            <StepButtons ready />
        </div>
    }
}

/// An identity's name and ids, and which request wants which.
#[component]
fn IdentityIds(identity: UserAssignedIdentity) -> impl IntoView {
    let p = identity.properties.clone();
    view! {
        <dl class="kv" data-testid="create-identity-ids">
            <div class="kv-row"><dt>{tr(words::NAME)}</dt><dd>{identity.name.clone()}</dd></div>
            <div class="kv-row"><dt>{tr(words::RESOURCE_ID)}</dt><dd class="mono">{identity.id.clone()}</dd></div>
            <div class="kv-row">
                <dt>{tr(words::CLIENT_ID)}</dt>
                <dd><span class="mono" data-testid="create-identity-client">{p.client_id.clone()}</span>
                    {tr(words::CLIENT_ID_USE)}</dd>
            </div>
            <div class="kv-row">
                <dt>{tr(words::PRINCIPAL_ID)}</dt>
                <dd><span class="mono" data-testid="create-identity-principal">{p.principal_id.clone()}</span>
                    {tr(words::PRINCIPAL_ID_USE)}</dd>
            </div>
        </dl>
    }
}
