//! The seed's advanced scenario, when the vault's firewall blocks the registry,
//! as one guided sequence: turn on the system identity → grant it access to the
//! key → let trusted services bypass the firewall → rotate to the same key with
//! the system identity. Each step is planned from fresh reads when its turn
//! comes, shown, and confirmed; a step already in place is skipped and said so.

use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::writes::access_grant::{allow_trusted_services, grant_access};
use acr_cmk_domain::writes::identity_change::{change_identity, IdentityChange};
use acr_cmk_domain::writes::rotation::{rotate_key, KeyIdentity};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::revoke_dialog::key_access;
use super::rotate_dialog::new_guid;
use super::write_dialog::{ModalDialog, RunEnd, Step, WriteFlow};
use crate::arm_client::ArmClient;
use crate::session::SessionStore;

const TITLES: [&str; 4] = [
    "Turn on the registry's system-assigned identity",
    "Grant the system identity get, wrapKey and unwrapKey on the key",
    "Let trusted Azure services bypass the vault firewall",
    "Rotate to the same key with the system identity",
];

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Pending,
    Skipped(String),
    Done,
    Failed,
}

/// Plans step `index` from fresh reads: `Ok(None)` when it is already in place.
async fn plan(client: &ArmClient, registry_id: &str, index: usize) -> Result<Result<Step, String>, String> {
    let registry: Registry = client.registry(registry_id).await.map_err(|e| e.to_string())?.registry;
    let kinds = registry.identity.as_ref().map(|i| i.kinds()).unwrap_or_default();
    let kv = registry.key_vault_properties().cloned().unwrap_or_default();
    match index {
        0 if kinds.system => Ok(Err("the system-assigned identity is already on.".into())),
        0 => {
            change_identity(&registry, None, &IdentityChange::EnableSystem).map(|w| Ok(Step::registry(w, &registry))).map_err(|r| r.message)
        }
        1 => {
            let principal = registry
                .identity
                .as_ref()
                .and_then(|i| i.principal_id.clone())
                .ok_or("the registry has no system-assigned identity yet.")?;
            let access = key_access(client, &registry).await?;
            let granted = if access.vault.properties.rbac() {
                let ras = client.role_assignments_for_principal(&access.vault.id, &principal).await.map_err(|e| e.to_string())?;
                ras.iter().any(|ra| {
                    acr_cmk_domain::writes::access_grant::covers_vault(ra, &access.vault)
                        && ra.properties.key_vault_role().is_some()
                })
            } else {
                access.vault.properties.access_policies.iter().any(|p| p.object_id.eq_ignore_ascii_case(&principal) && p.grants_cmk())
            };
            if granted {
                return Ok(Err("the system identity already has access to the key.".into()));
            }
            Ok(Ok(Step::plain(grant_access(&access.vault, &access.tenant_id, &principal, &new_guid()))))
        }
        2 => {
            let access = key_access(client, &registry).await?;
            if access.vault.properties.bypasses_azure_services() {
                return Ok(Err("trusted services already bypass the firewall.".into()));
            }
            Ok(Ok(Step::plain(allow_trusted_services(&access.vault))))
        }
        _ => {
            let key = kv.key_identifier.as_deref().and_then(|k| KeyId::parse(k).ok()).ok_or("the registry has no key identifier.")?;
            if kv.identity.as_deref().is_some_and(|i| i.eq_ignore_ascii_case("system")) {
                return Ok(Err("the registry already reaches its key with the system identity.".into()));
            }
            Ok(Ok(Step::registry(rotate_key(&registry, &key, &KeyIdentity::System), &registry)))
        }
    }
}

#[component]
pub fn FirewallSequence(registry: Registry, on_refresh: Callback<()>) -> impl IntoView {
    let session = SessionStore::expect();
    let open = RwSignal::new(false);
    let current = RwSignal::new(0usize);
    let outcomes = RwSignal::new(vec![Outcome::Pending; TITLES.len()]);
    let step = RwSignal::new(None::<Step>);
    let problem = RwSignal::new(None::<String>);
    let registry_id = registry.id.clone();

    // Plans the current step; skipped steps advance by themselves.
    let advance = {
        let registry_id = registry_id.clone();
        move || {
            let Some(client) = session.client() else { return };
            let registry_id = registry_id.clone();
            step.set(None);
            spawn_local(async move {
                loop {
                    let i = current.get_untracked();
                    if i >= TITLES.len() {
                        return;
                    }
                    match plan(&client, &registry_id, i).await {
                        Ok(Ok(s)) => {
                            step.set(Some(s));
                            return;
                        }
                        Ok(Err(why)) => {
                            outcomes.update(|o| o[i] = Outcome::Skipped(why));
                            current.set(i + 1);
                        }
                        Err(e) => {
                            problem.set(Some(format!("Could not plan step {}: {e}", i + 1)));
                            return;
                        }
                    }
                }
            });
        }
    };
    let begin = {
        let advance = advance.clone();
        move |_| {
            current.set(0);
            outcomes.set(vec![Outcome::Pending; TITLES.len()]);
            problem.set(None);
            open.set(true);
            advance();
        }
    };
    // Each step's dialog body comes and goes; the page refreshes once, when the sequence's dialog closes.
    let ran = RwSignal::new(false);
    Effect::watch(
        move || open.get(),
        move |is_open, was_open, _| {
            if !*is_open && was_open == Some(&true) && ran.get_untracked() {
                ran.set(false);
                set_timeout(move || on_refresh.run(()), std::time::Duration::ZERO);
            }
        },
        false,
    );
    let quiet = Callback::new(|()| {});
    let on_end = {
        let advance = advance.clone();
        Callback::new(move |end: RunEnd| {
            ran.set(true);
            let i = current.get_untracked();
            match end {
                RunEnd::Done { .. } => {
                    outcomes.update(|o| o[i] = Outcome::Done);
                    current.set(i + 1);
                    advance();
                }
                RunEnd::Failed { .. } => outcomes.update(|o| o[i] = Outcome::Failed),
            }
        })
    };

    let list = move || {
        let o = outcomes.get();
        let at = current.get();
        TITLES
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let failed_before = o[..i].contains(&Outcome::Failed);
                let (class, state) = match &o[i] {
                    Outcome::Done => ("done", "done".to_string()),
                    Outcome::Skipped(why) => ("skipped", format!("skipped: {why}")),
                    Outcome::Failed => ("failed", "failed".to_string()),
                    Outcome::Pending if failed_before => ("not-run", "not run".to_string()),
                    Outcome::Pending if i == at => ("current", "next".to_string()),
                    Outcome::Pending => ("pending", "waiting".to_string()),
                };
                view! {
                    <li class=format!("sequence-step {class}") data-testid="firewall-step">
                        <span>{format!("{}. {t}", i + 1)}</span>
                        <span class="step-state" data-testid="firewall-step-state">{state}</span>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="firewall-actions">
            <h3>"Key Vault firewall"</h3>
            <p class="hint">
                "When the vault's firewall blocks the registry: use the system identity, grant it access, let trusted services through, rotate."
            </p>
            <button type="button" class="secondary" data-testid="firewall-open" on:click=begin>
                "Guide me through the firewall fix…"
            </button>
            <ModalDialog open title="Key Vault firewall: let the registry through" testid="firewall-dialog">
                <ol class="sequence" data-testid="firewall-steps">{list}</ol>
                {move || problem.get().map(|p| view! { <p class="error-box" role="alert">{p}</p> })}
                {move || {
                    let at = current.get();
                    if at >= TITLES.len() {
                        return view! {
                            <p class="write-outcome ok" role="status" data-testid="firewall-complete">
                                "The sequence is complete."
                            </p>
                            <footer class="dialog-actions">
                                <button type="button" class="secondary" data-testid="write-close" on:click=move |_| open.set(false)>"Close"</button>
                            </footer>
                        }
                        .into_any();
                    }
                    step.get()
                        .map(|s| {
                            view! {
                                <h3 data-testid="firewall-current">{format!("Step {} of {}: {}", at + 1, TITLES.len(), TITLES[at])}</h3>
                                <WriteFlow
                                    steps=vec![s]
                                    confirm_label=format!("Run step {}", at + 1)
                                    on_end
                                    on_refresh=quiet
                                    on_close=Callback::new(move |()| open.set(false))
                                />
                            }
                            .into_any()
                        })
                        .unwrap_or_else(|| view! { <p class="loading" role="status">"Reading the current state…"</p> }.into_any())
                }}
            </ModalDialog>
        </div>
    }
}
