//! "Remove what this run created": after a run (failed part-way, or finished), a
//! button opens a dialog listing the deletions `acr_cmk_domain`'s
//! `removal_plan` makes from the run's outcome (only what this run made, newest
//! first, each with its request and `az` command) and what stays, and why (the
//! key, purge protection, what existed before). Nothing is sent until the
//! registry's name is typed, as for the console's other destructive writes. Then
//! each deletion runs with its progress (the registry's followed as a
//! long-running operation); a failure shows ARM's error and offers Retry from
//! here (a `DELETE` of something already gone is answered `204`, so nothing is
//! harmed by sending it again).
//!
//! Not the registry page's `WriteFlow`: that one reads the registry back after a
//! registry write, and a deleted registry has nothing to read; and the group's
//! deletion has a guard (nothing else in it) that a plain write does not.

use acr_cmk_domain::text::Sentence;
use acr_cmk_domain::writes::creation::{removal_plan, RemovalPlan, RemovalStep};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::problem::{Problem, ProblemBox};
use super::wizard::Wizard;
use crate::arm_client::creation::Removed;
use crate::arm_client::writes::WriteProgress;
use crate::components::confirm_phrase::ConfirmPhrase;
use crate::components::dialog::ModalDialog;
use crate::i18n::catalogue::{create as words, shell};
use crate::i18n::{tr, Locale};
use crate::pages::registry::writes::flow::WritePreview;
use crate::session::SessionStore;

/// The button, shown while the run has made something, and its dialog.
#[component]
pub fn RemoveCreated() -> impl IntoView {
    let wizard = Wizard::expect();
    let open = RwSignal::new(false);
    view! {
        <Show when=move || !wizard.created.with(Vec::is_empty)>
            <div class="create-remove" data-testid="create-remove">
                <p class="hint">{tr(words::REMOVE_HINT)}</p>
                <button type="button" class="danger" data-testid="create-remove-open" on:click=move |_| open.set(true)>
                    {tr(words::REMOVE_CREATED)}
                </button>
            </div>
        </Show>
        <ModalDialog open title=words::REMOVE_CREATED testid="removal-dialog">
            <RemovalFlow open />
        </ModalDialog>
    }
}

#[derive(Clone, Debug, PartialEq)]
enum State {
    Pending,
    Running(Sentence),
    Done(Sentence),
    Failed(Problem),
}

impl State {
    fn name(&self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Running(_) => "running",
            State::Done(_) => "done",
            State::Failed(_) => "failed",
        }
    }
}

/// The plan as it is when the dialog opens, the typed confirmation, and the deletions' progress.
#[component]
fn RemovalFlow(open: RwSignal<bool>) -> impl IntoView {
    let wizard = Wizard::expect();
    let locale = Locale::expect();
    let planned = wizard.choices().ok_or_else(|| Problem::from(words::INCOMPLETE)).and_then(|c| {
        let created = wizard.created.get_untracked();
        removal_plan(&c, &wizard.outputs.get_untracked(), &created, crate::clock::now_unix_secs()).map_err(Problem::from)
    });
    let plan = match planned {
        Ok(plan) => plan,
        Err(problem) => return view! { <ProblemBox problem /> }.into_any(),
    };
    let RemovalPlan { steps, left } = plan;
    let count = steps.len();
    let states = RwSignal::new(vec![State::Pending; count]);
    let steps = StoredValue::new(steps);
    let name = wizard.name.get_untracked();
    let typed = RwSignal::new(String::new());
    let started = RwSignal::new(false);
    let running = Memo::new(move |_| states.with(|s| s.iter().any(|s| matches!(s, State::Running(_)))));
    let finished = Memo::new(move |_| count > 0 && states.with(|s| s.iter().all(|s| matches!(s, State::Done(_)))));
    let phrase = name.clone();
    let can_confirm = Signal::derive(move || !started.get() && count > 0 && typed.get().trim() == phrase);
    let session = SessionStore::expect();
    let start = move |from: usize| {
        started.set(true);
        spawn_local(run_from(session, wizard, steps, states, from));
    };

    let rows = move || {
        steps
            .get_value()
            .into_iter()
            .enumerate()
            .map(|(i, step)| {
                let state = move || states.with(|s| s[i].clone());
                let kind = step.kind.name();
                view! {
                    <li class="write-step" data-testid=format!("removal-step-{kind}") data-state=move || state().name()>
                        <WritePreview write=step.write.clone() endpoint=session.client().map(|c| c.endpoint().to_string()).unwrap_or_default() />
                        <p class="step-state" data-testid="removal-step-state">
                            {move || match state() {
                                State::Pending => String::new(),
                                State::Running(t) | State::Done(t) => t.get(locale.get()),
                                State::Failed(_) => words::FAILED.get(locale.get()).to_string(),
                            }}
                        </p>
                        {move || match state() {
                            State::Failed(problem) => Some(view! {
                                <ProblemBox problem testid="removal-step-error" />
                                <button type="button" class="primary" data-testid="removal-retry" on:click=move |_| start(i)>
                                    {tr(words::RETRY)}
                                </button>
                            }),
                            _ => None,
                        }}
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <p>{tr(words::REMOVE_LEAD)}</p>
        {(count == 0).then(|| view! { <p data-testid="removal-nothing">{tr(words::REMOVE_NOTHING)}</p> })}
        <ol class="write-steps" aria-live="polite">{rows}</ol>
        {(!left.is_empty()).then(|| view! {
            <div class="removal-left">
                <h3>{tr(words::REMOVE_LEFT)}</h3>
                <ul data-testid="removal-left">
                    {left.into_iter().map(|s| view! { <li>{move || s.get(locale.get())}</li> }).collect_view()}
                </ul>
            </div>
        })}
        <Show when=move || finished.get()>
            <p class="write-outcome ok" role="status" data-testid="removal-done">{tr(words::REMOVE_DONE)}</p>
        </Show>
        {(count > 0).then(|| {
            let name = name.clone();
            let prompt = Signal::derive(move || locale.fill(words::TYPE_TO_CONFIRM, &[("name", &name)]));
            view! { <ConfirmPhrase prompt typed disabled=Signal::derive(move || started.get()) /> }
        })}
        <footer class="dialog-actions" data-running=move || running.get().to_string()>
            <Show when=move || { !started.get() && count > 0 }>
                <button type="button" class="danger" data-testid="removal-confirm" disabled=move || !can_confirm.get() on:click=move |_| start(0)>
                    {tr(words::REMOVE_CONFIRM)}
                </button>
            </Show>
            <Show when=move || running.get()>
                <p class="loading" role="status" aria-live="polite">
                    <span class="spinner" aria-hidden="true"></span>
                    {tr(words::REMOVING)}
                </p>
            </Show>
            <button type="button" class="secondary" data-testid="removal-close" disabled=move || running.get() on:click=move |_| open.set(false)>
                {tr(shell::CLOSE)}
            </button>
        </footer>
    }
    .into_any()
}

/// Sends the deletions from `from` on, stopping at the first failure. Each one done leaves
/// `wizard.created`, so the button offers only what is left.
async fn run_from(session: SessionStore, wizard: Wizard, steps: StoredValue<Vec<RemovalStep>>, states: RwSignal<Vec<State>>, from: usize) {
    let set = move |i: usize, s: State| states.update(|v| v[i] = s);
    let Some(all) = steps.try_get_value() else { return };
    for (i, step) in all.iter().enumerate().skip(from) {
        set(i, State::Running(words::SENDING.into()));
        let progress = move |p: WriteProgress| {
            let text = match p {
                WriteProgress::Sending => words::SENDING.into(),
                WriteProgress::Accepted { .. } => words::ACCEPTED.into(),
                WriteProgress::Waiting { polls, status } => {
                    Sentence::new(words::POLL).with("status", status).with("polls", polls.to_string())
                }
                WriteProgress::ReadingBack => words::READING_BACK.into(),
            };
            set(i, State::Running(text));
        };
        if step.only_if_empty.is_some() {
            set(i, State::Running(words::CHECKING_EMPTY.into()));
        }
        let result = match session.client_for_write() {
            Ok(client) => client.remove_step(step, &progress).await.map_err(Problem::from),
            Err(e) => Err(Problem::from(e)),
        };
        match result {
            Ok(removed) => {
                let said = match removed {
                    Removed::Deleted(answer) => match answer.request_id {
                        Some(id) => Sentence::new(words::DONE_REQUEST).with("id", id),
                        None => words::DONE.into(),
                    },
                    Removed::KeptNotEmpty(names) => Sentence::new(words::KEPT_NOT_EMPTY).with("names", names.join(", ")),
                };
                // Decided either way: a group kept because it is not empty is not offered again.
                wizard.created.update(|c| c.retain(|k| *k != step.kind));
                wizard.removed.set(true);
                set(i, State::Done(said));
            }
            Err(problem) => {
                set(i, State::Failed(problem));
                return;
            }
        }
    }
    // Every deletion ran: what is left (the key, purge protection) was said, and is not offered again.
    wizard.created.set(Vec::new());
}
