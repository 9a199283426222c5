//! Run: the plan's steps one by one, each pending → running → done (or already
//! there) / failed with ARM's code, message and request id; the registry
//! creation followed as a long-running operation. After a failure, "Retry from
//! here" plans again with what ARM has answered so far and goes on from the
//! failed step: existence is checked first, so nothing is made twice. Or
//! "Remove what this run created" takes back what the run made (`super::removal`).

use acr_cmk_domain::text::Sentence;
use acr_cmk_domain::writes::creation::{plan, CreationStep, StepKind};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::problem::{Problem, ProblemBox};
use super::removal::RemoveCreated;
use super::wizard::{Step, Wizard};
use crate::arm_client::creation::{read_created, Created};
use crate::arm_client::writes::WriteProgress;
use crate::i18n::catalogue::create as words;
use crate::i18n::{tr, Locale};
use crate::session::SessionStore;

#[derive(Clone, Debug, PartialEq)]
enum RowState {
    Pending,
    Running(Sentence),
    Done { request_id: Option<String>, existed: bool },
    Failed(Problem),
}

#[derive(Clone, Debug, PartialEq)]
struct Row {
    kind: StepKind,
    /// What the step does (its plan's title).
    summary: Sentence,
    state: RowState,
}

impl RowState {
    /// The state's name (`data-state`, CSS) and its words.
    fn said(&self) -> (&'static str, Sentence) {
        match self {
            RowState::Pending => ("pending", words::PENDING.into()),
            RowState::Running(t) => ("running", t.clone()),
            RowState::Done { existed: true, .. } => ("done", words::DONE_EXISTED.into()),
            RowState::Done { request_id: Some(id), .. } => ("done", Sentence::new(words::DONE_REQUEST).with("id", id.as_str())),
            RowState::Done { request_id: None, .. } => ("done", words::DONE.into()),
            RowState::Failed(_) => ("failed", words::FAILED.into()),
        }
    }
}

/// Records what a step's answer (or its lookup) says ARM assigned.
fn remember(wizard: Wizard, kind: StepKind, body: &str) {
    match read_created(kind, body) {
        Created::Identity(identity) => wizard.outputs.update(|o| o.identity = Some(identity)),
        Created::Key(key) => wizard.outputs.update(|o| o.key = Some(key)),
        Created::Nothing => {}
    }
}

fn set_state(rows: RwSignal<Vec<Row>>, index: usize, state: RowState) {
    rows.update(|r| {
        if let Some(row) = r.get_mut(index) {
            row.state = state;
        }
    });
}

async fn run_step(session: SessionStore, wizard: Wizard, rows: RwSignal<Vec<Row>>, index: usize) -> Result<(), Problem> {
    let client = session.client_for_write()?;
    let choices = wizard.choices().ok_or_else(|| Problem::from(words::INCOMPLETE))?;
    // Planned again with every answer so far: the step sends the real ids.
    let p = plan(&choices, &wizard.outputs.get_untracked(), crate::clock::now_unix_secs())?;
    let step: CreationStep = p.steps.get(index).cloned().ok_or_else(|| Problem::from(words::PLAN_CHANGED))?;
    // The row says what is sent now, with the ids ARM has answered.
    rows.update(|r| {
        if let Some(row) = r.get_mut(index) {
            row.summary = step.title.clone();
        }
    });
    if !p.ready_to_send(index) {
        return Err(words::VALUE_UNKNOWN.into());
    }
    if let Some(lookup) = &step.lookup {
        set_state(rows, index, RowState::Running(words::CHECKING_EXISTS.into()));
        if let Some(body) = client.lookup(lookup).await? {
            remember(wizard, step.kind, &body);
            set_state(rows, index, RowState::Done { request_id: None, existed: true });
            return Ok(());
        }
    }
    let progress = move |p: WriteProgress| {
        let text = match p {
            WriteProgress::Sending => words::SENDING.into(),
            WriteProgress::Accepted { .. } => words::ACCEPTED.into(),
            WriteProgress::Waiting { polls, status } => Sentence::new(words::POLL).with("status", status).with("polls", polls.to_string()),
            WriteProgress::ReadingBack => words::READING_BACK.into(),
        };
        set_state(rows, index, RowState::Running(text));
    };
    let answer = client.create_step(&step.write, &progress).await?;
    remember(wizard, step.kind, &answer.body);
    wizard.created.update(|c| {
        if !c.contains(&step.kind) {
            c.push(step.kind);
        }
    });
    set_state(rows, index, RowState::Done { request_id: answer.answer.request_id.clone(), existed: false });
    Ok(())
}

/// Runs the steps from `from` to the end, stopping at the first failure.
fn run_from(session: SessionStore, wizard: Wizard, rows: RwSignal<Vec<Row>>, from: usize) {
    spawn_local(async move {
        let count = rows.with_untracked(Vec::len);
        for index in from..count {
            if let Err(e) = run_step(session, wizard, rows, index).await {
                set_state(rows, index, RowState::Failed(e));
                return;
            }
        }
        wizard.step.set(Step::Finish);
    });
}

#[component]
pub fn RunStep() -> impl IntoView {
    let wizard = Wizard::expect();
    if wizard.via_template.get_untracked() {
        return view! { <super::deploy::DeployRun /> }.into_any();
    }
    let initial = wizard
        .choices()
        .and_then(|c| plan(&c, &wizard.outputs.get_untracked(), crate::clock::now_unix_secs()).ok())
        .map(|p| p.steps.iter().map(|s| Row { kind: s.kind, summary: s.title.clone(), state: RowState::Pending }).collect())
        .unwrap_or_default();
    let rows = RwSignal::new(initial);
    let session = SessionStore::expect();
    let locale = Locale::expect();
    run_from(session, wizard, rows, 0);
    view! {
        <div class="panel create-step" data-testid="create-step-run">
            <h2>{tr(words::STEP_RUN)}</h2>
            <ol class="write-steps" aria-live="polite">
                {move || rows.get().into_iter().enumerate().map(|(index, row)| {
                    let (state, said) = row.state.said();
                    let summary = row.summary.clone();
                    let failure = match &row.state { RowState::Failed(e) => Some(e.clone()), _ => None };
                    view! {
                        <li class=format!("write-step run-{state}") data-testid=format!("run-step-{}", row.kind.name()) data-state=state>
                            <p class="write-summary">{move || summary.get(locale.get())}</p>
                            <p class="step-state" data-testid="run-step-state">{move || said.get(locale.get())}</p>
                            {failure.map(|e| view! {
                                <ProblemBox problem=e testid="run-step-error" />
                                // Once what the run made is being removed, going on with it would build on what is gone.
                                <Show when=move || !wizard.removed.get()>
                                    <button type="button" class="primary" data-testid="run-retry" on:click=move |_| {
                                        set_state(rows, index, RowState::Pending);
                                        run_from(session, wizard, rows, index);
                                    }>{tr(words::RETRY)}</button>
                                </Show>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            // After a failure the user may rather take the run back than retry it.
            {move || rows.with(|r| r.iter().any(|row| matches!(row.state, RowState::Failed(_)))).then(|| view! { <RemoveCreated /> })}
        </div>
    }
    .into_any()
}
