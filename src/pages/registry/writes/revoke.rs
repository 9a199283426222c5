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
use acr_cmk_domain::role_assignment::RoleAssignment;
use acr_cmk_domain::text::Sentence;
use acr_cmk_domain::writes::access_grant::{PolicyRevoke, RemovedAccess};
use acr_cmk_domain::writes::joined;
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
use crate::i18n::catalogue::writes as words;
use crate::i18n::{tr, Locale};
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
        let now = if now.is_empty() { Sentence::from(words::NONE) } else { Sentence::verbatim(now.join(", ")) };
        return Err(ActionError::invalid(
            Sentence::new(words::BLAST_RADIUS_CHANGED).with("registry", registry.name.as_str()).with_words("now", now),
        ));
    }
    Ok(fresh)
}

#[component]
pub fn RevokeRestore(registry: Registry, on_refresh: Callback<()>) -> impl IntoView {
    let session = SessionStore::expect();
    let locale = Locale::expect();
    let mode = WriteMode::expect();
    let open = RwSignal::new(false);
    let opened = RwSignal::new(None::<Opened>);
    let how = RwSignal::new(PolicyRevoke::KeyPermissions);
    let problem = RwSignal::new(None::<ActionError>);
    let loading = RwSignal::new(false);
    // The plan Confirm last made from fresh reads: what was actually sent, for the restore record.
    let fresh_plan = StoredValue::new(None::<RevokePlan>);
    // What the last revoke in this tab removed here, when its record reads: parsed once per change
    // of the records, not on every read of it.
    let remembered = {
        let id = registry.id.clone();
        Memo::new(move |_| mode.revoked_for(&id).and_then(|r| r.removed()))
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
            let remembered = remembered.get_untracked();
            spawn_local(async move {
                let read = match (verb, remembered) {
                    (Verb::Restore, Some(removed)) => Ok(Opened::Restore(restore_steps(&removed))),
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
                        mode.remember(Revoked::new(registry_id.clone(), &removed));
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
    let restore_label = move || tr(if remembered.with(Option::is_some) { words::RESTORE_REVOKED } else { words::GRANT_KEY_ACCESS })();
    let name = registry.name.clone();
    let id = registry.id.clone();
    let dialog_registry = StoredValue::new(registry.clone());
    let replan_for = move |shown: Vec<AffectedRegistry>| {
        Replan::new(move || {
            let shown = shown.clone();
            async move {
                let client = session.client_for_write()?;
                let registry = dialog_registry.try_get_value().ok_or_else(|| ActionError::invalid(words::PAGE_GONE))?;
                let fresh = replan_revoke(&client, &registry, how.get_untracked(), &shown).await?;
                let steps = fresh.write_steps();
                fresh_plan.set_value(Some(fresh));
                Ok(steps)
            }
        })
    };

    view! {
        <div class="revoke-actions">
            <h3>{tr(words::KEY_ACCESS)}</h3>
            <p>
                <button type="button" class="danger" data-testid="revoke-open" disabled=move || loading.get() on:click=revoke_start>
                    {tr(words::REVOKE_OPEN)}
                </button>
                " "
                <button type="button" class="secondary" data-testid="restore-access" disabled=move || loading.get() on:click=restore_start>
                    {restore_label}
                </button>
            </p>
            {move || {
                remembered
                    .get()
                    .map(|removed| {
                        view! {
                            <p class="hint" data-testid="revoked-record">
                                {
                                    let record = revoked_record(&removed);
                                    move || record.get(locale.get())
                                }
                            </p>
                        }
                    })
            }}
            {move || problem.get().map(|error| view! { <ErrorBox error testid="revoke-problem" /> })}
            <ModalDialog open title=words::KEY_ACCESS testid="revoke-dialog">
                {
                    let (name, id) = (name.clone(), id.clone());
                    move || {
                        let (name, id) = (name.clone(), id.clone());
                        match opened.get()? {
                            Opened::Restore(steps) => {
                                Some(view! { <WriteFlow steps confirm_label=words::RESTORE_ACCESS on_end on_refresh on_close=close /> }.into_any())
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
        (PolicyRevoke::KeyPermissions, "revoke-scope-keys", words::POLICY_KEYS_ONLY),
        (PolicyRevoke::WholeEntry, "revoke-scope-entry", words::POLICY_WHOLE_ENTRY),
    ];
    view! {
        <fieldset class="choice" data-testid="revoke-scope">
            <legend>{tr(words::POLICY_LEGEND)}</legend>
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
                            {tr(label)}
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
    let locale = Locale::expect();
    let phrase = plan.confirm_phrase(&name);
    let others: Vec<String> = plan.also_affected.iter().map(|r| r.name.clone()).collect();
    let all = if others.is_empty() {
        Sentence::verbatim(name.clone())
    } else {
        Sentence::new(words::AND_OTHERS).with("name", name.as_str()).with("others", others.join(", "))
    };
    let all_lost = Sentence::new(words::ALL_DATA_LOST).with_words("registries", all);
    let searched = searched.words();
    let document = serde_json::to_string_pretty(&plan.restore_document(&id)).unwrap_or_default();
    let download = format!("data:application/json;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&document)));
    view! {
        <div class="danger-zone" role="alert" data-testid="revoke-warning">
            <p>
                <strong>{move || all_lost.get(locale.get())}</strong>
            </p>
            {(!others.is_empty())
                .then(|| {
                    let text = if others.len() == 1 { words::ALSO_AFFECTED_ONE } else { words::ALSO_AFFECTED_MANY };
                    let others = others.join(", ");
                    view! {
                        <p data-testid="revoke-also-affected">{move || locale.fill(text, &[("others", &others)])}</p>
                    }
                })}
            <p class="hint" data-testid="revoke-searched">{move || searched.get(locale.get())}</p>
            <p>{tr(words::REVOKE_CONSEQUENCES)}</p>
            {(!plan.kept.is_empty())
                .then(|| {
                    view! {
                        <div data-testid="revoke-kept">
                            <p>{tr(words::KEPT_INTRO)}</p>
                            <ul>
                                {plan
                                    .kept
                                    .iter()
                                    .map(|ra| {
                                        let kept = kept_grant(ra);
                                        view! { <li class="mono">{move || kept.get(locale.get())}</li> }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })}
            <p>
                <a href=download download=format!("revoke-{name}.json") data-testid="revoke-download">
                    {tr(words::DOWNLOAD_REVOKED)}
                </a>
            </p>
        </div>
        <WriteFlow
            steps=plan.write_steps()
            confirm_phrase=phrase
            confirm_label=words::REVOKE_CONFIRM
            destructive=true
            replan
            on_end
            on_refresh
            on_close
        />
    }
}

/// What this tab's revoke removed, for the note under the buttons.
fn revoked_record(removed: &[RemovedAccess]) -> Sentence {
    let removed = joined(removed.iter().map(RemovedAccess::describe), acr_cmk_domain::writes::words::SEMICOLON);
    Sentence::new(words::REVOKED_IN_TAB).with_words("removed", removed)
}

/// A parent-scope grant the revoke leaves in place.
fn kept_grant(ra: &RoleAssignment) -> Sentence {
    let role = ra.properties.key_vault_role().map_or(Sentence::from(words::A_KEY_ROLE), |r| Sentence::verbatim(r.name()));
    Sentence::new(words::KEPT_GRANT)
        .with_words("role", role)
        .with("scope", ra.properties.scope.clone().unwrap_or_default())
        .with("name", ra.name.as_str())
}
