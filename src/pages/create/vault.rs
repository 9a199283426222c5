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
use crate::session::SessionStore;

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
    let vaults = LocalResource::new(move || {
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
            <h2>"Key vault"</h2>
            <fieldset class="choice">
                <legend>"Where the key lives"</legend>
                <label class="inline">
                    <input type="radio" name="vault-kind" data-testid="create-vault-new" prop:checked=is_new
                        on:change=move |_| set_new(default_name(&wizard.name.get_untracked()), false) />
                    "Create a new key vault (soft delete and purge protection on)"
                </label>
                <label class="inline">
                    <input type="radio" name="vault-kind" data-testid="create-vault-existing" prop:checked=move || !is_new.get()
                        on:change=move |_| wizard.vault.set(None) />
                    "Use an existing key vault"
                </label>
            </fieldset>
            {move || if is_new.get() {
                let (name, rbac) = match wizard.vault.get_untracked() { Some(VaultChoice::New { name, rbac }) => (name, rbac), _ => (String::new(), false) };
                let current_rbac = move || matches!(wizard.vault.get_untracked(), Some(VaultChoice::New { rbac: true, .. }));
                let current_name = move || match wizard.vault.get_untracked() { Some(VaultChoice::New { name, .. }) => name, _ => String::new() };
                view! {
                    <div class="write-form">
                        <label>
                            "New vault's name"
                            <input type="text" data-testid="create-vault-name" prop:value=name.clone()
                                on:input=move |ev| set_new(event_target_value(&ev), current_rbac()) />
                            <span class="help">"Vault names are global: 3 to 24 letters, digits and hyphens."</span>
                        </label>
                        <fieldset class="choice">
                            <legend>"Permission model"</legend>
                            <label class="inline">
                                <input type="radio" name="vault-model" data-testid="create-vault-policy" prop:checked=!rbac
                                    on:change=move |_| set_new(current_name(), false) />
                                "Access policies (the seed's az keyvault set-policy)"
                            </label>
                            <label class="inline">
                                <input type="radio" name="vault-model" data-testid="create-vault-rbac" prop:checked=rbac
                                    on:change=move |_| set_new(current_name(), true) />
                                "Azure RBAC (the Key Vault Crypto Service Encryption User role)"
                            </label>
                        </fieldset>
                        <p class="help">"Soft delete keeps deleted keys for 90 days; purge protection stops anyone purging them early. \
                            Both are required for a registry's key, and purge protection cannot be turned off again."</p>
                    </div>
                }.into_any()
            } else {
                view! {
                    <Suspense fallback=|| view! { <Loading what="key vaults" /> }>
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
                    <ErrorBox error=ActionError::Refused(r) testid="create-vault-refusal" />
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
                "Vault"
                <select data-testid="create-vault-select" on:change=move |ev| {
                    let id = event_target_value(&ev);
                    wizard.vault.set(all.iter().find(|v| v.id == id).cloned().map(|vault| VaultChoice::Existing {
                        vault,
                        role_assignments: Vec::new(),
                        enable_purge_protection: false,
                    }));
                }>
                    <option value="">"Choose a vault"</option>
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
            let yes_no = |b: bool| if b { "on" } else { "off" };
            let firewall = if p.firewall_closed() {
                if p.bypasses_azure_services() { "denies public access; trusted Azure services may bypass" } else { "denies public access" }
            } else {
                "allows all networks"
            };
            view! {
                <dl class="kv" data-testid="create-vault-facts">
                    <div class="kv-row"><dt>"Soft delete"</dt><dd data-testid="create-vault-soft-delete">{yes_no(p.enable_soft_delete != Some(false))}</dd></div>
                    <div class="kv-row"><dt>"Purge protection"</dt><dd data-testid="create-vault-purge">{yes_no(p.enable_purge_protection == Some(true))}</dd></div>
                    <div class="kv-row"><dt>"Permission model"</dt><dd data-testid="create-vault-model">{if p.rbac() { "Azure RBAC" } else { "Access policies" }}</dd></div>
                    <div class="kv-row"><dt>"Firewall"</dt><dd data-testid="create-vault-firewall">{firewall}</dd></div>
                </dl>
            }
        })}
    }
}

/// Purge protection is irreversible: the user types the vault's name to have the run turn it on.
#[component]
fn PurgeProtectionConsent() -> impl IntoView {
    let wizard = Wizard::expect();
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
            <p>"The run can turn purge protection on for this vault before granting access. This cannot be undone: \
                the vault and its keys can then never be purged before their retention period ends."</p>
            <label class="confirm-phrase">
                {move || format!("Type '{}' to confirm", vault_name())}
                <input type="text" data-testid="create-purge-confirm-text" on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            <button type="button" class="danger" data-testid="create-purge-confirm"
                disabled=move || typed.get() != vault_name() on:click=confirm>
                "Turn purge protection on during the run"
            </button>
        </div>
    }
}
