//! Key vault: an existing vault (its soft delete, purge protection, permission
//! model and firewall shown, refused with the reason when it cannot hold the key)
//! or a new one with purge protection.

use acr_cmk_domain::vault::Vault;
use acr_cmk_domain::writes::creation::choices::{check_vault, check_vault_name, CODE_PURGE};
use acr_cmk_domain::writes::creation::VaultChoice;
use leptos::prelude::*;

use super::step_buttons::StepButtons;
use super::wizard::Wizard;
use crate::action_error::ActionError;
use crate::components::error_box::ErrorBox;
use crate::components::loading::Loading;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::create as words;
use crate::i18n::{tr, Locale};
use crate::session::SessionStore;

use super::problem::ProblemBox;

fn default_name(registry: &str) -> String {
    let mut name: String = format!("kv-{registry}").chars().take(24).collect();
    while name.ends_with('-') {
        name.pop();
    }
    name
}

#[component]
pub fn VaultStep() -> impl IntoView {
    let wizard = Wizard::expect();
    let session = SessionStore::expect();
    if wizard.vault.with_untracked(Option::is_none) {
        wizard.vault.set(Some(VaultChoice::New { name: default_name(&wizard.name.get_untracked()), rbac: false }));
    }
    let vaults = ErasedResource::new(move || {
        let sub = wizard.subscription_id();
        async move {
            let Some(sub) = sub else { return Ok(Vec::new()) };
            session.client_for_write()?.vaults(&sub).await.map_err(ActionError::from)
        }
    });
    let is_new = Memo::new(move |_| matches!(wizard.vault.get(), Some(VaultChoice::New { .. })));
    let refusal = move || match wizard.vault.get() {
        Some(VaultChoice::New { name, .. }) => check_vault_name(&name).err(),
        Some(VaultChoice::Existing { vault, enable_purge_protection, .. }) => check_vault(&vault, enable_purge_protection).err(),
        None => None,
    };
    let ready = Signal::derive(move || wizard.vault.with(Option::is_some) && refusal().is_none());
    let set_new = move |name: String, rbac: bool| wizard.vault.set(Some(VaultChoice::New { name, rbac }));
    view! {
        <div class="panel create-step" data-testid="create-step-vault">
            <h2>{tr(words::STEP_VAULT)}</h2>
            <fieldset class="choice">
                <legend>{tr(words::VAULT_WHERE)}</legend>
                <label class="inline">
                    <input type="radio" name="vault-kind" data-testid="create-vault-new" prop:checked=is_new
                        on:change=move |_| set_new(default_name(&wizard.name.get_untracked()), false) />
                    {tr(words::VAULT_NEW)}
                </label>
                <label class="inline">
                    <input type="radio" name="vault-kind" data-testid="create-vault-existing" prop:checked=move || !is_new.get()
                        on:change=move |_| wizard.vault.set(None) />
                    {tr(words::VAULT_EXISTING)}
                </label>
            </fieldset>
            {move || if is_new.get() {
                let (name, rbac) = match wizard.vault.get_untracked() { Some(VaultChoice::New { name, rbac }) => (name, rbac), _ => (String::new(), false) };
                let current_rbac = move || matches!(wizard.vault.get_untracked(), Some(VaultChoice::New { rbac: true, .. }));
                let current_name = move || match wizard.vault.get_untracked() { Some(VaultChoice::New { name, .. }) => name, _ => String::new() };
                view! {
                    <div class="write-form">
                        <label>
                            {tr(words::VAULT_NEW_NAME)}
                            <input type="text" data-testid="create-vault-name" prop:value=name.clone()
                                on:input=move |ev| set_new(event_target_value(&ev), current_rbac()) />
                            <span class="help">{tr(words::VAULT_NAME_HELP)}</span>
                        </label>
                        <fieldset class="choice">
                            <legend>{tr(words::PERMISSION_MODEL)}</legend>
                            <label class="inline">
                                <input type="radio" name="vault-model" data-testid="create-vault-policy" prop:checked=!rbac
                                    on:change=move |_| set_new(current_name(), false) />
                                {tr(words::MODEL_POLICY_CHOICE)}
                            </label>
                            <label class="inline">
                                <input type="radio" name="vault-model" data-testid="create-vault-rbac" prop:checked=rbac
                                    on:change=move |_| set_new(current_name(), true) />
                                {tr(words::MODEL_RBAC_CHOICE)}
                            </label>
                        </fieldset>
                        <p class="help">{tr(words::VAULT_RECOVERY_HELP)}</p>
                    </div>
                }.into_any()
            } else {
                view! {
                    <Suspense fallback=|| view! { <Loading what=words::LOADING_VAULTS /> }>
                        {move || vaults.get().map(|r| match r {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(list) => view! { <ExistingVault vaults=list /> }.into_any(),
                        })}
                    </Suspense>
                }.into_any()
            }}
            {move || refusal().map(|r| {
                let offer = r.code == CODE_PURGE;
                view! {
                    <ProblemBox problem=r testid="create-vault-refusal" />
                    {offer.then(|| view! { <PurgeProtectionConsent /> })}
                }
            })}
            <StepButtons ready />
        </div>
    }
}

#[component]
fn ExistingVault(vaults: Vec<Vault>) -> impl IntoView {
    let wizard = Wizard::expect();
    let all = vaults.clone();
    let chosen = move || match wizard.vault.get() {
        Some(VaultChoice::Existing { vault, .. }) => Some(vault),
        _ => None,
    };
    view! {
        <div class="write-form">
            <label>
                {tr(words::VAULT)}
                <select data-testid="create-vault-select" on:change=move |ev| {
                    let id = event_target_value(&ev);
                    wizard.vault.set(all.iter().find(|v| v.id == id).cloned().map(|vault| VaultChoice::Existing {
                        vault,
                        role_assignments: Vec::new(),
                        enable_purge_protection: false,
                    }));
                }>
                    <option value="">{tr(words::CHOOSE_VAULT)}</option>
                    {vaults.into_iter().map(|v| {
                        let id = v.id.clone();
                        let selected = move || chosen().is_some_and(|c| c.id == id);
                        view! { <option value=v.id.clone() selected=selected>{v.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
        </div>
        {move || chosen().map(|v| {
            let p = v.properties.clone();
            let yes_no = |b: bool| tr(if b { words::ON } else { words::OFF });
            let firewall = if p.firewall_closed() {
                if p.bypasses_azure_services() { words::FIREWALL_CLOSED_BYPASS } else { words::FIREWALL_CLOSED }
            } else {
                words::FIREWALL_OPEN
            };
            let model = if p.rbac() { words::MODEL_RBAC } else { words::MODEL_POLICIES };
            view! {
                <dl class="kv" data-testid="create-vault-facts">
                    <div class="kv-row"><dt>{tr(words::SOFT_DELETE)}</dt><dd data-testid="create-vault-soft-delete">{yes_no(p.enable_soft_delete != Some(false))}</dd></div>
                    <div class="kv-row"><dt>{tr(words::PURGE_PROTECTION)}</dt><dd data-testid="create-vault-purge">{yes_no(p.enable_purge_protection == Some(true))}</dd></div>
                    <div class="kv-row"><dt>{tr(words::PERMISSION_MODEL)}</dt><dd data-testid="create-vault-model">{tr(model)}</dd></div>
                    <div class="kv-row"><dt>{tr(words::FIREWALL)}</dt><dd data-testid="create-vault-firewall">{tr(firewall)}</dd></div>
                </dl>
            }
        })}
    }
}

/// Purge protection is irreversible: the user types the vault's name to have the run turn it on.
#[component]
fn PurgeProtectionConsent() -> impl IntoView {
    let wizard = Wizard::expect();
    let locale = Locale::expect();
    let typed = RwSignal::new(String::new());
    let vault_name = move || match wizard.vault.get() {
        Some(VaultChoice::Existing { vault, .. }) => vault.name,
        _ => String::new(),
    };
    let confirm = move |_| {
        if let Some(VaultChoice::Existing { vault, role_assignments, .. }) = wizard.vault.get_untracked() {
            wizard.vault.set(Some(VaultChoice::Existing { vault, role_assignments, enable_purge_protection: true }));
        }
    };
    view! {
        <div class="danger-zone" data-testid="create-purge-consent">
            <p>{tr(words::PURGE_CONSENT)}</p>
            <label class="confirm-phrase">
                {move || locale.fill(words::TYPE_TO_CONFIRM, &[("name", &vault_name())])}
                <input type="text" data-testid="create-purge-confirm-text" on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            <button type="button" class="danger" data-testid="create-purge-confirm"
                disabled=move || typed.get() != vault_name() on:click=confirm>
                {tr(words::PURGE_CONFIRM)}
            </button>
        </div>
    }
}
