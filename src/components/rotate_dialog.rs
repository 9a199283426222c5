//! Rotate key: pick the vault (the subscription's vaults) → the key (ARM's
//! list, or a new RSA key by name) → "newest version, auto-rotate
//! (versionless)" or a specific version → the identity (system or an attached
//! user-assigned one). Review runs the key-access diagnosis against that
//! *target* key and identity and offers to grant access first; then the
//! minimal PATCH runs through the write dialog.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::diagnosis::{diagnose, CheckKind, CheckState, Fix, IdentityRef, Purpose, Target};
use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::vault::Vault;
use acr_cmk_domain::writes::access_grant::{create_rsa_key, grant_access};
use acr_cmk_domain::writes::rotation::{new_key_version_commands, rotate_key, KeyIdentity};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::copy_button::CopyButton;
use super::error_box::ArmErrorBox;
use super::write_dialog::{ModalDialog, Step, WriteFlow};
use crate::arm_client::ClientError;
use crate::session::SessionStore;

const NEW_KEY: &str = "__new__";
const VERSIONLESS: &str = "";
const SYSTEM: &str = "system";

/// A fresh GUID for a role assignment's name.
pub fn new_guid() -> String {
    web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
}

/// What Review produced: the steps to run and the pre-flight's findings.
#[derive(Clone)]
struct Plan {
    steps: Vec<Step>,
    headline: String,
    problems: Vec<String>,
    granted_first: bool,
    /// A check failed or could not be decided (warnings do not block).
    blocking: bool,
}

#[component]
pub fn RotateKeyButton(registry: Registry, on_refresh: Callback<()>) -> impl IntoView {
    let open = RwSignal::new(false);
    let title = format!("Rotate the key of {}", registry.name);
    view! {
        <button type="button" class="primary" data-testid="rotate-open" on:click=move |_| open.set(true)>
            "Rotate key…"
        </button>
        <ModalDialog open title testid="rotate-dialog">
            <RotateForm registry=registry.clone() on_refresh on_close=Callback::new(move |()| open.set(false)) />
        </ModalDialog>
    }
}

#[component]
fn RotateForm(registry: Registry, on_refresh: Callback<()>, on_close: Callback<()>) -> impl IntoView {
    let session = SessionStore::expect();
    let Some(client) = session.client() else { return ().into_any() };
    let subscription = ResourceId::parse(&registry.id).map(|r| r.subscription_id).unwrap_or_default();
    let current = registry.key_vault_properties().and_then(|k| k.key_identifier.as_deref()).and_then(|k| KeyId::parse(k).ok());

    let vault_id = RwSignal::new(String::new());
    let key_name = RwSignal::new(current.as_ref().map(|k| k.name.clone()).unwrap_or_default());
    let new_key_name = RwSignal::new(String::new());
    let version = RwSignal::new(VERSIONLESS.to_string());
    let block = registry.identity.clone().unwrap_or_default();
    let users: Vec<(String, String)> = block
        .user_assigned_identities
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter(|_| block.kinds().user)
        .map(|(id, p)| (id, p.client_id.unwrap_or_default()))
        .collect();
    let has_system = block.kinds().system;
    let current_identity = registry.key_vault_properties().and_then(|k| k.identity.clone()).unwrap_or_default();
    let initial_identity = users
        .iter()
        .find(|(_, c)| c.eq_ignore_ascii_case(&current_identity))
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| if has_system { SYSTEM.to_string() } else { users.first().map(|u| u.0.clone()).unwrap_or_default() });
    let identity = RwSignal::new(initial_identity);

    let vaults = {
        let client = client.clone();
        let current = current.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let subscription = subscription.clone();
            let current = current.clone();
            async move {
                let list = client.vaults(&subscription).await?;
                // Start on the vault the registry uses now.
                let pick = current
                    .as_ref()
                    .and_then(|k| list.iter().find(|v| v.name.eq_ignore_ascii_case(k.vault_name())))
                    .or(list.first())
                    .map(|v| v.id.clone())
                    .unwrap_or_default();
                if vault_id.get_untracked().is_empty() {
                    vault_id.set(pick);
                }
                Ok::<_, ClientError>(list)
            }
        })
    };
    let selected_vault = move || -> Option<Vault> {
        let id = vault_id.get();
        vaults.get().and_then(|r| r.ok()).and_then(|l| l.into_iter().find(|v| v.id == id))
    };
    let keys = {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let id = vault_id.get();
            async move {
                if id.is_empty() {
                    return Ok(Vec::new());
                }
                client.keys(&id).await
            }
        })
    };
    let versions = {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let id = vault_id.get();
            let name = key_name.get();
            async move {
                if id.is_empty() || name.is_empty() || name == NEW_KEY {
                    return Ok::<_, ClientError>(Vec::new());
                }
                Ok(client.key_versions(&id, &name).await?.unwrap_or_default())
            }
        })
    };

    let plan = RwSignal::new(None::<Plan>);
    let review_error = RwSignal::new(None::<String>);
    let read_error = RwSignal::new(None::<ClientError>);
    let reviewing = RwSignal::new(false);
    let grant_first = RwSignal::new(true);

    let review_registry = registry.clone();
    let review_users = users.clone();
    let review = move |_| {
        review_error.set(None);
        read_error.set(None);
        let Some(vault) = selected_vault() else {
            review_error.set(Some("Pick a key vault.".into()));
            return;
        };
        let creating = key_name.get_untracked() == NEW_KEY;
        let name = if creating { new_key_name.get_untracked().trim().to_string() } else { key_name.get_untracked() };
        if name.is_empty() {
            review_error.set(Some("Pick a key, or name the new one.".into()));
            return;
        }
        let base = vault.properties.vault_uri.clone().unwrap_or_else(|| format!("https://{}.vault.azure.net/", vault.name));
        let v = version.get_untracked();
        let text = if v.is_empty() || creating {
            format!("{}/keys/{name}", base.trim_end_matches('/'))
        } else {
            format!("{}/keys/{name}/{v}", base.trim_end_matches('/'))
        };
        let key = match KeyId::parse(&text) {
            Ok(k) => k,
            Err(e) => {
                review_error.set(Some(format!("{text}: {e}")));
                return;
            }
        };
        let chosen = identity.get_untracked();
        let (key_identity, identity_ref) = if chosen == SYSTEM {
            (KeyIdentity::System, IdentityRef::System)
        } else {
            let client_id = review_users.iter().find(|(id, _)| *id == chosen).map(|(_, c)| c.clone()).unwrap_or_default();
            (KeyIdentity::User { resource_id: chosen.clone(), client_id: client_id.clone() }, IdentityRef::ClientId(client_id))
        };
        let registry = review_registry.clone();
        let client = client.clone();
        reviewing.set(true);
        spawn_local(async move {
            let snapshot =
                client.load_snapshot(&registry, Purpose::Proposed, Some(Target::proposed(key.clone(), identity_ref)), Vec::new()).await;
            let diagnosis = diagnose(&snapshot);
            // A key about to be created cannot exist yet: its checks say nothing.
            let relevant = |kind: CheckKind| !(creating && matches!(kind, CheckKind::Key | CheckKind::Version));
            let problems: Vec<String> = diagnosis
                .checks
                .iter()
                .filter(|c| relevant(c.kind) && matches!(c.state, CheckState::Fail | CheckState::Unknown | CheckState::Warn))
                .map(|c| format!("{} ({}): {}", c.kind.title(), c.state.name(), c.evidence))
                .collect();
            let grant = diagnosis.check(CheckKind::Access).and_then(|c| c.fix.clone()).and_then(|fix| match fix {
                Fix::GrantAccessPolicy { tenant_id, object_id, .. } => Some(grant_access(&vault, &tenant_id, &object_id, "")),
                Fix::AssignRole { principal_id, .. } => Some(grant_access(&vault, "", &principal_id, &new_guid())),
                _ => None,
            });
            let mut steps = Vec::new();
            if creating {
                steps.push(Step::plain(create_rsa_key(&vault, &name)));
            }
            let granted_first = grant.is_some();
            if let Some(g) = grant {
                steps.push(Step::plain(g));
            }
            steps.push(Step::registry(rotate_key(&registry, &key, &key_identity), &registry));
            let blocking = diagnosis.checks.iter().any(|c| relevant(c.kind) && matches!(c.state, CheckState::Fail | CheckState::Unknown));
            let headline =
                if creating && !blocking { "The registry would be able to reach the new key.".to_string() } else { diagnosis.headline() };
            plan.set(Some(Plan { steps, headline, problems, granted_first, blocking }));
            reviewing.set(false);
        });
    };

    let vault_options = move || {
        vaults.get().map(|r| match r {
            Ok(list) => list
                .into_iter()
                .map(|v| {
                    let id = v.id.clone();
                    let selected = id == vault_id.get_untracked();
                    view! { <option value=id selected=selected>{v.name.clone()}</option> }
                })
                .collect_view()
                .into_any(),
            Err(e) => {
                read_error.set(Some(e));
                ().into_any()
            }
        })
    };
    let key_options = move || {
        let list = keys.get().and_then(|r| r.ok()).unwrap_or_default();
        let chosen = key_name.get_untracked();
        list.into_iter()
            .map(|k| {
                let kty = k.properties.kty.clone().unwrap_or_default();
                let label = format!("{} ({kty})", k.name);
                let selected = k.name == chosen;
                view! { <option value=k.name.clone() selected=selected>{label}</option> }
            })
            .collect_view()
    };
    let version_options = move || {
        let list = versions.get().and_then(|r| r.ok()).unwrap_or_default();
        list.into_iter()
            .rev()
            .map(|v| {
                let name = acr_cmk_domain::diagnosis::version_name(&v).to_string();
                let enabled = v.properties.attributes.as_ref().and_then(|a| a.enabled).unwrap_or(true);
                let label = if enabled { name.clone() } else { format!("{name} (disabled)") };
                view! { <option value=name>{label}</option> }
            })
            .collect_view()
    };
    let new_version_help = move || {
        let vault = selected_vault()?;
        let name = key_name.get();
        (!name.is_empty() && name != NEW_KEY).then(|| {
            let [rotate, _] = new_key_version_commands(&vault.name, &name);
            view! {
                <p class="hint">
                    "A new version of an existing key can only be made through Key Vault itself (its API sends no CORS headers): run "
                    <code>{rotate.clone()}</code>
                    <CopyButton text=rotate label="az keyvault key rotate command" />
                    " and the registry picks it up when auto-rotation is on."
                </p>
            }
        })
    };
    let identity_options = {
        let users = users.clone();
        let chosen = identity.get_untracked();
        let mut options = Vec::new();
        if has_system {
            options.push(view! { <option value=SYSTEM selected=chosen == SYSTEM>"System-assigned identity"</option> }.into_any());
        }
        for (id, client_id) in users {
            let name = id.rsplit('/').next().unwrap_or(&id).to_string();
            let selected = chosen == id;
            options.push(view! { <option value=id selected=selected>{format!("{name} (client id {client_id})")}</option> }.into_any());
        }
        options
    };

    let form = view! {
        <form class="write-form" on:submit=|ev| ev.prevent_default()>
            <label>
                "Key vault"
                <select data-testid="rotate-vault" on:change=move |ev| {
                    vault_id.set(event_target_value(&ev));
                    key_name.set(String::new());
                    version.set(VERSIONLESS.into());
                }>
                    <Transition fallback=|| view! { <option>"Loading…"</option> }>{vault_options}</Transition>
                </select>
            </label>
            <label>
                "Key"
                <select data-testid="rotate-key" on:change=move |ev| {
                    key_name.set(event_target_value(&ev));
                    version.set(VERSIONLESS.into());
                }>
                    <option value="" disabled=true selected=move || key_name.get().is_empty()>"Choose a key"</option>
                    <Transition fallback=|| ()>{key_options}</Transition>
                    <option value=NEW_KEY>"Create a new RSA key…"</option>
                </select>
            </label>
            <Show when=move || key_name.get() == NEW_KEY>
                <label>
                    "New key name"
                    <input
                        type="text"
                        data-testid="rotate-new-key-name"
                        autocomplete="off"
                        prop:value=move || new_key_name.get()
                        on:input=move |ev| new_key_name.set(event_target_value(&ev))
                    />
                </label>
            </Show>
            <label>
                "Version"
                <select data-testid="rotate-version" on:change=move |ev| version.set(event_target_value(&ev))>
                    <option value=VERSIONLESS selected=true>"Newest version, auto-rotate (versionless)"</option>
                    <Show when=move || key_name.get() != NEW_KEY>
                        <Transition fallback=|| ()>{version_options}</Transition>
                    </Show>
                </select>
            </label>
            {new_version_help}
            <label>
                "Identity"
                <select data-testid="rotate-identity" on:change=move |ev| identity.set(event_target_value(&ev))>
                    {identity_options}
                </select>
            </label>
            {move || review_error.get().map(|e| view! { <p class="error-box" role="alert">{e}</p> })}
            {move || read_error.get().map(|error| view! { <ArmErrorBox error /> })}
            <footer class="dialog-actions">
                <button
                    type="button"
                    class="primary"
                    data-testid="rotate-review"
                    disabled=move || reviewing.get()
                    on:click=review
                >
                    {move || if reviewing.get() { "Checking access…" } else { "Review" }}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_close.run(())>
                    "Cancel"
                </button>
            </footer>
        </form>
    };

    view! {
        <div hidden=move || plan.with(Option::is_some)>{form}</div>
        {move || match plan.get() {
            None => ().into_any(),
            Some(p) => {
                let ok = !p.blocking;
                let steps = if !grant_first.get() && p.granted_first {
                    p.steps.iter().filter(|s| !s.write.request.path.contains("accessPolicies/add") && !s.write.request.path.contains("roleAssignments/")).cloned().collect()
                } else {
                    p.steps.clone()
                };
                view! {
                    <section class=if ok { "preflight ok" } else { "preflight broken" } data-testid="rotate-preflight" aria-live="polite">
                        <h3>"Pre-flight: can the registry reach this key?"</h3>
                        <p data-testid="preflight-headline">{p.headline.clone()}</p>
                        <ul>{p.problems.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
                        {p.granted_first.then(|| view! {
                            <label class="inline">
                                <input type="checkbox" data-testid="grant-first" prop:checked=grant_first.get_untracked()
                                    on:change=move |ev| grant_first.set(event_target_checked(&ev)) />
                                "Grant the identity access to the key first (recommended: otherwise the service refuses the rotation)"
                            </label>
                        })}
                    </section>
                    <WriteFlow steps confirm_label="Rotate" on_refresh on_close />
                }
                .into_any()
            }
        }}
    }
    .into_any()
}
