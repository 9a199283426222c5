//! Revoke key access (the seed's "revoke key") and Restore (put back exactly
//! what was removed, or grant get/wrapKey/unwrapKey fresh).
//!
//! Before anything is confirmed the dialog shows the whole blast radius: every
//! other registry that reaches its key in the same vault through the same
//! identity, in any subscription the user can read (Resource Graph; the
//! registry's own subscription when Resource Graph fails, and the dialog says
//! which) — they lose it too, and the typed confirmation counts them:
//! `contosoprod +1`; the parent-scope role assignments that still grant access
//! and are not removed here, and on a policy vault how much of the entry goes
//! (only get/wrapKey/unwrapKey by default; the whole entry, as the seed's
//! `az keyvault delete-policy`, on request). What will be removed can be
//! downloaded with the `az` commands that put it back. On Confirm it is all
//! read and planned again (the vault's `If-Match` comes from that read); a
//! plan that changed is shown again, a blast radius that changed stops it.

use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::writes::access_grant::PolicyRevoke;
use acr_cmk_domain::writes::key_access::{restore_steps, AffectedRegistry, KeyAccess, RevokePlan};
use acr_cmk_domain::writes::step::WriteStep;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::flow::{Replan, RunEnd, WriteFlow};
use super::key_access::{read_key_access, registries_keyed_in_vault, Principal, Searched};
use crate::action_error::ActionError;
use crate::arm_client::ArmClient;
use crate::components::dialog::ModalDialog;
use crate::components::error_box::ErrorBox;
use crate::random::new_guid;
use crate::session::SessionStore;
use crate::write_mode::{Revoked, WriteMode};

/// What the dialog was opened for, with what it plans from.
#[derive(Clone)]
enum Opened {
    /// The key access read fresh, and the subscription's registries (the blast radius's candidates).
    Revoke {
        access: Box<KeyAccess>,
        registries: Vec<Registry>,
        searched: Searched,
    },
    Restore(Vec<WriteStep>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    Revoke,
    Restore,
}

/// The key access and the candidates for the blast radius, read now.
async fn read_revoke(client: &ArmClient, registry: &Registry) -> Result<(KeyAccess, Vec<Registry>, Searched), ActionError> {
    let access = read_key_access(client, registry, Principal::Encrypting).await?;
    let (registries, searched) = registries_keyed_in_vault(client, registry, &access.vault.name).await?;
    Ok((access, registries, searched))
}

/// The revoke planned again from fresh reads; a different blast radius is not
/// re-confirmed silently (the typed phrase counts it), it stops the revoke.
async fn replan_revoke(
    client: &ArmClient,
    registry: &Registry,
    how: PolicyRevoke,
    shown: &[AffectedRegistry],
) -> Result<RevokePlan, ActionError> {
    let (access, registries, _) = read_revoke(client, registry).await?;
    let fresh = access.revoke(how, &registry.id, &registries)?;
    if fresh.also_affected != shown {
        let now: Vec<&str> = fresh.also_affected.iter().map(|r| r.name.as_str()).collect();
        return Err(ActionError::Invalid(format!(
            "The registries this revoke cuts off changed since the dialog opened (now besides {}: {}). Nothing was sent; close the dialog and open Revoke again.",
            registry.name,
            if now.is_empty() { "none".to_string() } else { now.join(", ") }
        )));
    }
    Ok(fresh)
}

#[component]
pub fn RevokeRestore(registry: Registry, on_refresh: Callback<()>) -> impl IntoView {
    let session = SessionStore::expect();
    let mode = WriteMode::expect();
    let open = RwSignal::new(false);
    let opened = RwSignal::new(None::<Opened>);
    let how = RwSignal::new(PolicyRevoke::KeyPermissions);
    let problem = RwSignal::new(None::<ActionError>);
    let loading = RwSignal::new(false);
    // The plan Confirm last made from fresh reads: what was actually sent, for the restore record.
    let fresh_plan = StoredValue::new(None::<RevokePlan>);
    let remembered = {
        let id = registry.id.clone();
        move || mode.revoked_for(&id)
    };
    // The revoke as planned now (the policy choice re-plans it, without reading again).
    let registry_id = registry.id.clone();
    let plan = Memo::new(move |_| match opened.get() {
        Some(Opened::Revoke { access, registries, .. }) => Some(access.revoke(how.get(), &registry_id, &registries)),
        _ => None,
    });

    let start = {
        let registry = registry.clone();
        move |verb: Verb| {
            let Some(client) = session.client() else { return };
            problem.set(None);
            opened.set(None);
            fresh_plan.set_value(None);
            how.set(PolicyRevoke::KeyPermissions);
            loading.set(true);
            let registry = registry.clone();
            let remembered = mode.revoked_for(&registry.id);
            spawn_local(async move {
                let read = match (verb, remembered) {
                    (Verb::Restore, Some(r)) => Ok(Opened::Restore(restore_steps(&r.removed))),
                    (Verb::Restore, None) => read_key_access(&client, &registry, Principal::Encrypting)
                        .await
                        .map(|a| Opened::Restore(vec![WriteStep::Plain(a.grant(&new_guid()))])),
                    (Verb::Revoke, _) => read_revoke(&client, &registry).await.map(|(access, registries, searched)| Opened::Revoke {
                        access: Box::new(access),
                        registries,
                        searched,
                    }),
                };
                // The page may have gone meanwhile: nothing here may panic then.
                let _ = loading.try_set(false);
                // Nothing to revoke on an RBAC vault is said at once; a policy entry granting
                // 'all' can still go as a whole, so that dialog opens with the choice.
                let refused = match &read {
                    Ok(Opened::Revoke { access, registries, .. }) if access.vault.properties.rbac() => {
                        access.revoke(PolicyRevoke::KeyPermissions, &registry.id, registries).err()
                    }
                    _ => None,
                };
                let planned = match refused {
                    Some(refusal) => Err(ActionError::from(refusal)),
                    None => read,
                };
                match planned {
                    Ok(o) => {
                        let _ = opened.try_set(Some(o));
                        let _ = open.try_set(true);
                    }
                    Err(e) => {
                        let _ = problem.try_set(Some(e));
                    }
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
            let sent = fresh_plan.try_get_value().flatten().map(Ok);
            match (opened.try_get_untracked().flatten(), sent.or_else(|| plan.try_get_untracked().flatten())) {
                (Some(Opened::Restore(_)), _) if ran == usize::MAX => mode.forget(&registry_id),
                (Some(Opened::Revoke { .. }), Some(Ok(plan))) => {
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
    let restore_label = {
        let remembered = remembered.clone();
        move || if remembered().is_some() { "Restore what was revoked…" } else { "Grant key access…" }
    };
    let name = registry.name.clone();
    let id = registry.id.clone();
    let dialog_registry = StoredValue::new(registry.clone());
    let replan_for = move |shown: Vec<AffectedRegistry>| {
        Replan::new(move || {
            let shown = shown.clone();
            async move {
                let client = session.client_for_write()?;
                let registry = dialog_registry.try_get_value().ok_or_else(|| ActionError::Invalid("The page went away.".into()))?;
                let fresh = replan_revoke(&client, &registry, how.get_untracked(), &shown).await?;
                let steps = fresh.write_steps();
                fresh_plan.set_value(Some(fresh));
                Ok(steps)
            }
        })
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
                                "Revoked in this tab: "
                                {r.removed.iter().map(|x| x.describe()).collect::<Vec<_>>().join("; ")}
                            </p>
                        }
                    })
            }}
            {move || problem.get().map(|error| view! { <ErrorBox error testid="revoke-problem" /> })}
            <ModalDialog open title="Key access" testid="revoke-dialog">
                {
                    let (name, id) = (name.clone(), id.clone());
                    move || {
                        let (name, id) = (name.clone(), id.clone());
                        match opened.get()? {
                            Opened::Restore(steps) => {
                                Some(view! { <WriteFlow steps confirm_label="Restore access" on_end on_refresh on_close=close /> }.into_any())
                            }
                            Opened::Revoke { access, searched, .. } => {
                                let rbac = access.vault.properties.rbac();
                                Some(
                                    view! {
                                        {(!rbac).then(|| view! { <PolicyChoice how /> })}
                                        {move || match plan.get()? {
                                            Ok(p) => {
                                                let replan = replan_for(p.also_affected.clone());
                                                Some(view! { <RevokeFlow plan=p searched=searched.clone() name=name.clone() id=id.clone() replan on_end on_refresh on_close=close /> }.into_any())
                                            }
                                            Err(refusal) => Some(view! { <ErrorBox error=refusal testid="revoke-problem" /> }.into_any()),
                                        }}
                                    }
                                    .into_any(),
                                )
                            }
                        }
                    }
                }
            </ModalDialog>
        </div>
    }
}

/// On a policy vault: take only what ACR uses, or the whole entry as the seed does.
#[component]
fn PolicyChoice(how: RwSignal<PolicyRevoke>) -> impl IntoView {
    let options = [
        (PolicyRevoke::KeyPermissions, "revoke-scope-keys", "Only get, wrapKey and unwrapKey (its other permissions stay)"),
        (PolicyRevoke::WholeEntry, "revoke-scope-entry", "The whole entry, every permission (az keyvault delete-policy)"),
    ];
    view! {
        <fieldset class="choice" data-testid="revoke-scope">
            <legend>"What to remove from the identity's access policy"</legend>
            {options
                .into_iter()
                .map(|(choice, testid, label)| {
                    view! {
                        <label class="inline">
                            <input
                                type="radio"
                                name="revoke-scope"
                                data-testid=testid
                                prop:checked=move || how.get() == choice
                                on:change=move |_| how.set(choice)
                            />
                            {label}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// The warning with the blast radius, the download, and the write flow with its typed confirmation.
#[component]
fn RevokeFlow(
    plan: RevokePlan,
    searched: Searched,
    name: String,
    id: String,
    replan: Replan,
    on_end: Callback<RunEnd>,
    on_refresh: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let phrase = plan.confirm_phrase(&name);
    let others: Vec<String> = plan.also_affected.iter().map(|r| r.name.clone()).collect();
    let all = if others.is_empty() { name.clone() } else { format!("{name} and {}", others.join(", ")) };
    let document = serde_json::to_string_pretty(&plan.restore_document(&id)).unwrap_or_default();
    let download = format!("data:application/json;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&document)));
    view! {
        <div class="danger-zone" role="alert" data-testid="revoke-warning">
            <p>
                <strong>{format!("All data in {all} becomes inaccessible.")}</strong>
            </p>
            {(!others.is_empty())
                .then(|| {
                    view! {
                        <p data-testid="revoke-also-affected">
                            {format!(
                                "{} reach{} {} key through the same identity and vault, so {} lose{} it too.",
                                others.join(", "),
                                if others.len() == 1 { "es" } else { "" },
                                if others.len() == 1 { "its" } else { "their" },
                                if others.len() == 1 { "it" } else { "they" },
                                if others.len() == 1 { "s" } else { "" },
                            )}
                        </p>
                    }
                })}
            <p class="hint" data-testid="revoke-searched">{searched.words()}</p>
            <p>
                "The registries can no longer unwrap their encryption key: pulls, pushes and every other data operation fail until access is restored. This tab remembers what it removes, so Restore can put it back exactly."
            </p>
            {(!plan.kept.is_empty())
                .then(|| {
                    view! {
                        <div data-testid="revoke-kept">
                            <p>"These grants still give access and are not removed here (they cover far more than this key):"</p>
                            <ul>
                                {plan
                                    .kept
                                    .iter()
                                    .map(|ra| {
                                        let role = ra.properties.key_vault_role().map(|r| r.name()).unwrap_or("a key role");
                                        let scope = ra.properties.scope.clone().unwrap_or_default();
                                        view! { <li class="mono">{format!("{role} at {scope} ({})", ra.name)}</li> }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })}
            <p>
                <a href=download download=format!("revoke-{name}.json") data-testid="revoke-download">
                    "Download what will be removed, with the az commands that put it back (JSON)"
                </a>
            </p>
        </div>
        <WriteFlow
            steps=plan.write_steps()
            confirm_phrase=phrase
            confirm_label="Revoke access"
            destructive=true
            replan
            on_end
            on_refresh
            on_close
        />
    }
}
