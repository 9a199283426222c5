//! Revoke key access (the seed's "revoke key": remove the encrypting identity's
//! access policy, or delete its role assignment on an RBAC vault) and Restore
//! (put back exactly what was removed, remembered for the session, or grant
//! get/wrapKey/unwrapKey fresh). Revoking makes all registry data inaccessible,
//! so the dialog says so and asks for the registry's name.

use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::writes::key_access::{restore_steps, RevokePlan};
use acr_cmk_domain::writes::step::WriteStep;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::flow::{RunEnd, WriteFlow};
use super::key_access::{read_key_access, Principal};
use crate::action_error::ActionError;
use crate::components::dialog::ModalDialog;
use crate::components::error_box::ErrorBox;
use crate::random::new_guid;
use crate::session::SessionStore;
use crate::write_mode::{Revoked, WriteMode};

/// What the dialog is about to do.
#[derive(Clone)]
enum Planned {
    Revoke(RevokePlan),
    Restore(Vec<WriteStep>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    Revoke,
    Restore,
}

#[component]
pub fn RevokeRestore(registry: Registry, on_refresh: Callback<()>) -> impl IntoView {
    let session = SessionStore::expect();
    let mode = WriteMode::expect();
    let open = RwSignal::new(false);
    let planned = RwSignal::new(None::<Planned>);
    let problem = RwSignal::new(None::<ActionError>);
    let loading = RwSignal::new(false);
    let remembered = {
        let id = registry.id.clone();
        move || mode.revoked_for(&id)
    };

    let start = {
        let registry = registry.clone();
        move |verb: Verb| {
            let Some(client) = session.client() else { return };
            problem.set(None);
            planned.set(None);
            loading.set(true);
            let registry = registry.clone();
            let remembered = mode.revoked_for(&registry.id);
            spawn_local(async move {
                let plan = match (verb, remembered) {
                    (Verb::Restore, Some(r)) => Ok(Planned::Restore(restore_steps(&r.removed))),
                    (Verb::Restore, None) => read_key_access(&client, &registry, Principal::Encrypting)
                        .await
                        .map(|a| Planned::Restore(vec![WriteStep::Plain(a.grant(&new_guid()))])),
                    (Verb::Revoke, _) => match read_key_access(&client, &registry, Principal::Encrypting).await {
                        Ok(a) => a.revoke().map(Planned::Revoke).map_err(ActionError::from),
                        Err(e) => Err(e),
                    },
                };
                loading.set(false);
                match plan {
                    Ok(p) => {
                        planned.set(Some(p));
                        open.set(true);
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        }
    };

    // Remember exactly what the revoke removed: every step on success, the steps that ran on failure.
    let on_end = {
        let registry_id = registry.id.clone();
        Callback::new(move |end: RunEnd| {
            let ran = match end {
                RunEnd::Done { .. } => usize::MAX,
                RunEnd::Failed { index, .. } => index,
            };
            match planned.get_untracked() {
                Some(Planned::Restore(_)) if ran == usize::MAX => mode.forget(&registry_id),
                Some(Planned::Revoke(plan)) => {
                    let removed = plan.removed_by(ran);
                    if !removed.is_empty() {
                        mode.remember(Revoked { registry_id: registry_id.clone(), removed });
                    }
                }
                _ => {}
            }
        })
    };
    let revoke_start = {
        let start = start.clone();
        move |_| start(Verb::Revoke)
    };
    let restore_start = move |_| start(Verb::Restore);
    let close = Callback::new(move |()| open.set(false));
    let name = registry.name.clone();
    let restore_label = {
        let remembered = remembered.clone();
        move || if remembered().is_some() { "Restore what was revoked…" } else { "Grant key access…" }
    };

    view! {
        <div class="revoke-actions">
            <h3>"Key access"</h3>
            <p>
                <button type="button" class="danger" data-testid="revoke-open" disabled=move || loading.get() on:click=revoke_start>
                    "Revoke key access…"
                </button>
                " "
                <button type="button" class="secondary" data-testid="restore-access" disabled=move || loading.get() on:click=restore_start>
                    {restore_label}
                </button>
            </p>
            {move || {
                remembered()
                    .map(|r| {
                        view! {
                            <p class="hint" data-testid="revoked-record">
                                "Revoked this session: "
                                {r.removed.iter().map(|x| x.describe()).collect::<Vec<_>>().join("; ")}
                            </p>
                        }
                    })
            }}
            {move || problem.get().map(|error| view! { <ErrorBox error testid="revoke-problem" /> })}
            <ModalDialog open title="Key access" testid="revoke-dialog">
                {
                    let name = name.clone();
                    move || {
                        planned
                            .get()
                            .map(|p| match p {
                                Planned::Revoke(plan) => {
                                    view! {
                                        <RevokeWarning name=name.clone() />
                                        <WriteFlow
                                            steps=plan.write_steps()
                                            confirm_phrase=name.clone()
                                            confirm_label="Revoke access"
                                            on_end
                                            on_refresh
                                            on_close=close
                                        />
                                    }
                                        .into_any()
                                }
                                Planned::Restore(steps) => {
                                    view! { <WriteFlow steps confirm_label="Restore access" on_end on_refresh on_close=close /> }.into_any()
                                }
                            })
                    }
                }
            </ModalDialog>
        </div>
    }
}

#[component]
fn RevokeWarning(name: String) -> impl IntoView {
    view! {
        <div class="danger-zone" role="alert" data-testid="revoke-warning">
            <p>
                <strong>{format!("All data in {name} becomes inaccessible.")}</strong>
            </p>
            <p>
                "The registry can no longer unwrap its encryption key: pulls, pushes and every other data operation fail until access is restored. This console remembers what it removes, for this session, so Restore can put it back exactly."
            </p>
        </div>
    }
}
