//! Revoke key access (the seed's "revoke key": remove the encrypting identity's
//! access policy, or delete its role assignment on an RBAC vault) and Restore
//! (put back exactly what was removed, remembered for the session, or grant
//! get/wrapKey/unwrapKey fresh). Revoking makes all registry data inaccessible,
//! so the dialog says so and asks for the registry's name.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::diagnosis::{resolve_identity, IdentityRef};
use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::role_assignment::RoleAssignment;
use acr_cmk_domain::vault::Vault;
use acr_cmk_domain::writes::access_grant::{covers_vault, grant_access, revoke_access, RemovedAccess};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::rotate_dialog::new_guid;
use super::write_dialog::{ModalDialog, RunEnd, Step, WriteFlow};
use super::write_mode::{Revoked, WriteMode};
use crate::arm_client::{ArmClient, ClientError};
use crate::session::SessionStore;

/// The vault holding the registry's key, and the encrypting identity's principal.
#[derive(Clone)]
pub struct KeyAccess {
    pub vault: Vault,
    pub principal_id: String,
    pub tenant_id: String,
    pub role_assignments: Vec<RoleAssignment>,
}

/// Reads what a revoke or grant needs: the vault (by the key's vault name), the
/// principal behind `keyVaultProperties.identity`, and on RBAC vaults its role assignments.
pub async fn key_access(client: &ArmClient, registry: &Registry) -> Result<KeyAccess, String> {
    let kv = registry.key_vault_properties().cloned().unwrap_or_default();
    let key = kv.key_identifier.as_deref().and_then(|k| KeyId::parse(k).ok()).ok_or("The registry has no customer-managed key.")?;
    let subscription = ResourceId::parse(&registry.id).map(|r| r.subscription_id).unwrap_or_default();
    let text = |e: ClientError| e.to_string();
    let vault = client
        .vaults(&subscription)
        .await
        .map_err(text)?
        .into_iter()
        .find(|v| v.name.eq_ignore_ascii_case(key.vault_name()))
        .ok_or_else(|| format!("The vault '{}' is not in this subscription.", key.vault_name()))?;
    let identity_ref = IdentityRef::parse(kv.identity.as_deref().unwrap_or(""));
    let system = if registry.identity.as_ref().is_some_and(|i| i.kinds().system) {
        client.system_identity(&registry.id).await.ok().flatten()
    } else {
        None
    };
    let resolved = resolve_identity(registry, &identity_ref, system.as_ref(), &[]);
    let principal_id = resolved.principal_id.ok_or("The encrypting identity's principal id is not known.")?;
    let role_assignments = if vault.properties.rbac() {
        client
            .role_assignments_for_principal(&vault.id, &principal_id)
            .await
            .map_err(text)?
            .into_iter()
            .filter(|ra| covers_vault(ra, &vault))
            .collect()
    } else {
        Vec::new()
    };
    let tenant_id = registry.identity.as_ref().and_then(|i| i.tenant_id.clone()).unwrap_or_else(|| vault.properties.tenant_id.clone());
    Ok(KeyAccess { vault, principal_id, tenant_id, role_assignments })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Revoke,
    Restore,
}

#[component]
pub fn RevokeRestore(registry: Registry, on_refresh: Callback<()>) -> impl IntoView {
    let session = SessionStore::expect();
    let mode = WriteMode::expect();
    let open = RwSignal::new(false);
    let which = RwSignal::new(Mode::Revoke);
    let steps = RwSignal::new(None::<Vec<Step>>);
    let problem = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let pending_removed = RwSignal::new(Vec::<RemovedAccess>::new());
    let registry_id = registry.id.clone();
    let remembered = {
        let id = registry_id.clone();
        move || mode.revoked_for(&id)
    };

    let start = {
        let registry = registry.clone();
        move |m: Mode| {
            let Some(client) = session.client() else { return };
            which.set(m);
            problem.set(None);
            steps.set(None);
            loading.set(true);
            let registry = registry.clone();
            let remembered = mode.revoked_for(&registry.id);
            spawn_local(async move {
                let planned: Result<Vec<Step>, String> = match (m, remembered) {
                    (Mode::Restore, Some(r)) => Ok(r.removed.iter().map(|x| Step::plain(x.restore())).collect()),
                    (Mode::Restore, None) => key_access(&client, &registry)
                        .await
                        .map(|a| vec![Step::plain(grant_access(&a.vault, &a.tenant_id, &a.principal_id, &new_guid()))]),
                    (Mode::Revoke, _) => match key_access(&client, &registry).await {
                        Ok(a) => revoke_access(&a.vault, &a.principal_id, &a.role_assignments)
                            .map(|ws| {
                                pending_removed.set(ws.iter().map(|(_, r)| r.clone()).collect());
                                ws.into_iter().map(|(w, _)| Step::plain(w)).collect()
                            })
                            .map_err(|r| r.message),
                        Err(e) => Err(e),
                    },
                };
                loading.set(false);
                match planned {
                    Ok(s) => {
                        steps.set(Some(s));
                        open.set(true);
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        }
    };

    // Remember exactly what the revoke removed: every step on success, the steps that ran on failure.
    let on_end = {
        let registry = registry.clone();
        Callback::new(move |end: RunEnd| {
            let ran = match end {
                RunEnd::Done { .. } => usize::MAX,
                RunEnd::Failed { index, .. } => index,
            };
            match which.get_untracked() {
                Mode::Restore if ran == usize::MAX => mode.forget(&registry.id),
                Mode::Restore => {}
                Mode::Revoke => {
                    let removed: Vec<RemovedAccess> = pending_removed.get_untracked().into_iter().take(ran).collect();
                    if !removed.is_empty() {
                        mode.remember(Revoked { registry_id: registry.id.clone(), removed });
                    }
                }
            }
        })
    };
    let revoke_start = {
        let start = start.clone();
        move |_| start(Mode::Revoke)
    };
    let restore_start = {
        let start = start.clone();
        move |_| start(Mode::Restore)
    };

    let name = registry.name.clone();
    let name_for_dialog = name.clone();
    view! {
        <div class="revoke-actions">
            <h3>"Key access"</h3>
            <p>
                <button type="button" class="danger" data-testid="revoke-open" disabled=move || loading.get() on:click=revoke_start>
                    "Revoke key access…"
                </button>
                " "
                <button type="button" class="secondary" data-testid="restore-access" disabled=move || loading.get() on:click=restore_start>
                    {let remembered = remembered.clone(); move || if remembered().is_some() { "Restore what was revoked…" } else { "Grant key access…" }}
                </button>
            </p>
            {move || remembered().map(|r| view! {
                <p class="hint" data-testid="revoked-record">
                    "Revoked this session: "
                    {r.removed.iter().map(|x| x.describe()).collect::<Vec<_>>().join("; ")}
                </p>
            })}
            {move || problem.get().map(|p| view! { <p class="error-box" role="alert" data-testid="revoke-problem">{p}</p> })}
            <ModalDialog
                open
                title="Key access"
                testid="revoke-dialog"
            >
                {
                    let name = name_for_dialog.clone();
                    move || {
                        let name = name.clone();
                        steps.get().map(|s| match which.get() {
                            Mode::Revoke => view! {
                                <div class="danger-zone" role="alert" data-testid="revoke-warning">
                                    <p><strong>{format!("All data in {name} becomes inaccessible.")}</strong></p>
                                    <p>"The registry can no longer unwrap its encryption key: pulls, pushes and every other data operation fail until access is restored. This console remembers what it removes, for this session, so Restore can put it back exactly."</p>
                                </div>
                                <WriteFlow steps=s confirm_phrase=name.clone() confirm_label="Revoke access" on_end on_refresh on_close=Callback::new(move |()| open.set(false)) />
                            }.into_any(),
                            Mode::Restore => view! {
                                <WriteFlow steps=s confirm_label="Restore access" on_end on_refresh on_close=Callback::new(move |()| open.set(false)) />
                            }.into_any(),
                        })
                    }
                }
            </ModalDialog>
        </div>
    }
}
