//! The seed's advanced scenario, when the vault's firewall blocks the registry,
//! as one guided sequence (`acr_cmk_domain::writes::firewall`): each step is
//! planned from fresh reads when its turn comes, shown, confirmed, and planned
//! again from fresh reads on Confirm; a step already in place is skipped and
//! said so.

use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::text::{Lang, Sentence};
use acr_cmk_domain::writes::firewall::{system_principal, FirewallStep, StepPlan};
use acr_cmk_domain::writes::key_access::registries_keyed_in;
use acr_cmk_domain::writes::step::WriteStep;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::flow::{Replan, RunEnd, WriteFlow};
use super::key_access::{read_key_access, registries_keyed_in_vault, Principal};
use crate::action_error::ActionError;
use crate::arm_client::ArmClient;
use crate::components::dialog::ModalDialog;
use crate::components::error_box::ErrorBox;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::{shell, writes as words};
use crate::i18n::{tr, Locale};
use crate::random::new_guid;
use crate::session::SessionStore;

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Pending,
    Skipped(Sentence),
    Done,
    Failed,
}

/// Plans `step` from fresh reads of the registry (and, for the vault steps, the key's vault);
/// a role assignment it creates is named `assignment_name` (kept across re-plans).
async fn plan(client: &ArmClient, registry_id: &str, step: FirewallStep, assignment_name: &str) -> Result<StepPlan, ActionError> {
    let registry: Registry = client.registry(registry_id).await?.registry;
    let access = if step.reads_vault() {
        let whose = system_principal(&registry).map(Principal::Id).unwrap_or(Principal::Encrypting);
        Some(read_key_access(client, &registry, whose).await?)
    } else {
        None
    };
    Ok(step.plan(&registry, access.as_ref(), assignment_name)?)
}

#[component]
pub fn FirewallSequence(registry: Registry, on_refresh: Callback<()>) -> impl IntoView {
    let session = SessionStore::expect();
    let locale = Locale::expect();
    let open = RwSignal::new(false);
    // `None` once every step has run or been skipped.
    let current = RwSignal::new(Some(FirewallStep::ALL[0]));
    let outcomes = RwSignal::new(vec![Outcome::Pending; FirewallStep::ALL.len()]);
    let step = RwSignal::new(None::<WriteStep>);
    let problem = RwSignal::new(None::<(FirewallStep, ActionError)>);
    let set_outcome = move |s: FirewallStep, o: Outcome| outcomes.update(|list| list[s.number() - 1] = o);
    // One name per sequence for the grant's role assignment: a re-plan must not read as a new assignment.
    let assignment_name = StoredValue::new(new_guid());
    let replan = {
        let registry_id = registry.id.clone();
        Replan::new(move || {
            let registry_id = registry_id.clone();
            async move {
                let client = session.client_for_write()?;
                let s = current.try_get_untracked().flatten().ok_or_else(|| ActionError::invalid(words::SEQUENCE_OVER))?;
                let name = assignment_name.try_get_value().unwrap_or_default();
                match plan(&client, &registry_id, s, &name).await? {
                    StepPlan::Run(step) => Ok(vec![step]),
                    StepPlan::AlreadyDone(why) => Err(ActionError::invalid(Sentence::new(words::ALREADY_IN_PLACE).with_words("why", why))),
                }
            }
        })
    };

    // Plans the current step; skipped steps advance by themselves.
    let advance = {
        let registry_id = registry.id.clone();
        move || {
            let Some(client) = session.client() else { return };
            let registry_id = registry_id.clone();
            step.set(None);
            spawn_local(async move {
                // `try_`: the dialog (and these signals) may be gone after an await.
                while let Some(s) = current.try_get_untracked().flatten() {
                    let name = assignment_name.try_get_value().unwrap_or_default();
                    match plan(&client, &registry_id, s, &name).await {
                        Ok(StepPlan::Run(write)) => {
                            step.set(Some(write));
                            return;
                        }
                        Ok(StepPlan::AlreadyDone(why)) => {
                            set_outcome(s, Outcome::Skipped(why));
                            current.set(s.next());
                        }
                        Err(e) => {
                            problem.set(Some((s, e)));
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
            current.set(Some(FirewallStep::ALL[0]));
            assignment_name.set_value(new_guid());
            outcomes.set(vec![Outcome::Pending; FirewallStep::ALL.len()]);
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
                set_timeout(
                    move || {
                        let _ = on_refresh.try_run(());
                    },
                    std::time::Duration::ZERO,
                );
            }
        },
        false,
    );
    let quiet = Callback::new(|()| {});
    let on_end = Callback::new(move |end: RunEnd| {
        ran.set(true);
        let Some(s) = current.try_get_untracked().flatten() else { return };
        match end {
            RunEnd::Done { .. } => {
                set_outcome(s, Outcome::Done);
                current.set(s.next());
                advance();
            }
            RunEnd::Failed { .. } => set_outcome(s, Outcome::Failed),
        }
    });

    let reach_registry = StoredValue::new(registry.clone());
    view! {
        <div class="firewall-actions">
            <h3>{tr(words::FIREWALL)}</h3>
            <p class="hint">{tr(words::FIREWALL_HINT)}</p>
            <button type="button" class="secondary" data-testid="firewall-open" on:click=begin>
                {tr(words::FIREWALL_OPEN)}
            </button>
            <ModalDialog open title=words::FIREWALL_DIALOG testid="firewall-dialog">
                <ol class="sequence" data-testid="firewall-steps">
                    {move || view! { <StepList outcomes=outcomes.get() current=current.get() /> }}
                </ol>
                {move || {
                    problem
                        .get()
                        .map(|(s, e)| {
                            view! {
                                <p class="error-lead">
                                    {move || locale.fill(words::COULD_NOT_PLAN, &[("n", &s.number().to_string())])}
                                </p>
                                <ErrorBox error=e />
                            }
                        })
                }}
                {move || match current.get() {
                    None => view! {
                        <p class="write-outcome ok" role="status" data-testid="firewall-complete">
                            {tr(words::SEQUENCE_COMPLETE)}
                        </p>
                        <footer class="dialog-actions">
                            <button type="button" class="secondary" data-testid="write-close" on:click=move |_| open.set(false)>
                                {tr(shell::CLOSE)}
                            </button>
                        </footer>
                    }
                    .into_any(),
                    Some(s) => step
                        .get()
                        .map(|write| {
                            view! {
                                <h3 data-testid="firewall-current">
                                    {move || {
                                        let lang = locale.get();
                                        words::CURRENT_STEP.fill(
                                            lang,
                                            &[
                                                ("n", &s.number().to_string()),
                                                ("count", &FirewallStep::ALL.len().to_string()),
                                                ("title", s.label().get(lang)),
                                            ],
                                        )
                                    }}
                                </h3>
                                {(s == FirewallStep::AllowTrustedServices)
                                    .then(|| view! { <VaultReach registry=reach_registry.get_value() /> })}
                                <WriteFlow
                                    steps=vec![write]
                                    confirm_label=run_step(s)
                                    replan
                                    on_end
                                    on_refresh=quiet
                                    on_close=Callback::new(move |()| open.set(false))
                                />
                            }
                            .into_any()
                        })
                        .unwrap_or_else(|| view! { <p class="loading" role="status">{tr(words::READING_STATE)}</p> }.into_any()),
                }}
            </ModalDialog>
        </div>
    }
}

/// Who else a change to the key's vault firewall reaches: every registry keeping a key there.
#[component]
fn VaultReach(registry: Registry) -> impl IntoView {
    let session = SessionStore::expect();
    let locale = Locale::expect();
    let vault_name = registry
        .key_vault_properties()
        .and_then(|k| k.key_identifier.as_deref())
        .and_then(|k| KeyId::parse(k).ok())
        .map(|k| k.vault_name().to_string())
        .unwrap_or_default();
    let reach = {
        let vault_name = vault_name.clone();
        ErasedResource::new(move || {
            let (registry, vault_name) = (registry.clone(), vault_name.clone());
            async move {
                let client = session.client().ok_or_else(|| ActionError::invalid(words::SIGNED_OUT))?;
                let (all, searched) = registries_keyed_in_vault(&client, &registry, &vault_name).await?;
                let others: Vec<String> = registries_keyed_in(&vault_name, &all)
                    .into_iter()
                    .filter(|r| !acr_cmk_domain::arm::same_id(&r.id, &registry.id))
                    .map(|r| r.name.clone())
                    .collect();
                Ok::<_, ActionError>((others, searched))
            }
        })
    };
    view! {
        <Transition fallback=|| view! { <p class="loading" role="status">{tr(words::LOOKING_FOR_REGISTRIES)}</p> }>
            {move || {
                reach
                    .get()
                    .map(|r| match r {
                        Ok((others, searched)) => {
                            let who = reach_words(&vault_name, &others);
                            let searched = searched.words();
                            view! {
                                <div class="hint" data-testid="firewall-reach">
                                    <p>{move || who.get(locale.get())}</p>
                                    <p>{move || searched.get(locale.get())}</p>
                                </div>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorBox error testid="firewall-reach-problem" /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

/// The four steps with where each stands.
#[component]
fn StepList(outcomes: Vec<Outcome>, current: Option<FirewallStep>) -> impl IntoView {
    let locale = Locale::expect();
    FirewallStep::ALL
        .iter()
        .zip(&outcomes)
        .enumerate()
        .map(|(i, (s, outcome))| {
            let failed_before = outcomes[..i].contains(&Outcome::Failed);
            let (class, state) = match outcome {
                Outcome::Done => ("done", words::STEP_DONE.into()),
                Outcome::Skipped(why) => ("skipped", Sentence::new(words::STEP_SKIPPED).with_words("why", why.clone())),
                Outcome::Failed => ("failed", words::STEP_FAILED_STATE.into()),
                Outcome::Pending if failed_before => ("not-run", words::STEP_NOT_RUN.into()),
                Outcome::Pending if current == Some(*s) => ("current", words::STEP_NEXT.into()),
                Outcome::Pending => ("pending", Sentence::from(words::STEP_WAITING)),
            };
            let step = *s;
            let title =
                move |lang: Lang| words::STEP_NUMBERED.fill(lang, &[("n", &step.number().to_string()), ("title", step.label().get(lang))]);
            view! {
                <li class=format!("sequence-step {class}") data-testid="firewall-step">
                    <span>{move || title(locale.get())}</span>
                    <span class="step-state" data-testid="firewall-step-state">{move || state.get(locale.get())}</span>
                </li>
            }
        })
        .collect_view()
}

/// The Confirm button of `step`.
fn run_step(step: FirewallStep) -> Sentence {
    Sentence::new(words::RUN_STEP).with("n", step.number().to_string())
}

/// Who else a firewall change of `vault` reaches: `others`, the other registries keyed there.
fn reach_words(vault: &str, others: &[String]) -> Sentence {
    if others.is_empty() {
        Sentence::new(words::NO_OTHER_REGISTRY).with("vault", vault)
    } else {
        Sentence::new(words::OTHERS_IN_VAULT).with("vault", vault).with("registries", others.join(", "))
    }
}
