//! Deploy as a template (the seed's third way): the plan's ARM template, after
//! its resource group (a group deployment needs one), validated by ARM, then
//! deployed once and followed, its per-resource operations listed as they run.
//! ARM's `InvalidTemplate` or `DeploymentFailed` is shown with its details and
//! each failed operation's error; success goes to Finish, as the step-by-step run does.

use acr_cmk_domain::text::Sentence;
use acr_cmk_domain::writes::creation::deployment::{deployment_name, DeploymentOperation};
use acr_cmk_domain::writes::creation::{arm_template, deployment_parameters, plan, Outputs, StepKind};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::problem::{Problem, ProblemBox};
use super::wizard::{Step, Wizard};
use crate::arm_client::deployments::DeploymentTarget;
use crate::arm_client::ClientError;
use crate::i18n::catalogue::create as words;
use crate::i18n::{tr, Locale};
use crate::session::SessionStore;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Group,
    Validate,
    Deploy,
}

impl Phase {
    fn name(self) -> &'static str {
        match self {
            Phase::Group => "group",
            Phase::Validate => "validate",
            Phase::Deploy => "deploy",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Failure {
    error: Problem,
    /// `DeploymentFailed`'s details: each failed resource's code and message.
    details: Vec<(String, String)>,
}

#[derive(Clone, Copy)]
struct Progress {
    /// The phase under way, its words.
    phase: RwSignal<(Phase, Sentence)>,
    operations: RwSignal<Vec<DeploymentOperation>>,
    failure: RwSignal<Option<Failure>>,
}

fn fail(error: impl Into<Problem>) -> Failure {
    Failure { error: error.into(), details: Vec::new() }
}

async fn deploy(session: SessionStore, wizard: Wizard, progress: Progress) -> Result<(), Failure> {
    let client = session.client_for_write().map_err(fail)?;
    let choices = wizard.choices().ok_or_else(|| fail(words::INCOMPLETE))?;
    // The template references what ARM assigns (ids, key versions): it needs no earlier answers.
    let p = plan(&choices, &Outputs::default(), crate::clock::now_unix_secs()).map_err(fail)?;
    let template = arm_template(&choices, &p).map_err(fail)?;
    let parameters = deployment_parameters(&template);
    if let Some(group) = p.step(StepKind::Group) {
        progress.phase.set((Phase::Group, group.title.clone()));
        client.create_step(&group.write, &|_| {}).await.map_err(fail)?;
    }
    let name = deployment_name(&choices.registry_name);
    let target = DeploymentTarget {
        subscription_id: &choices.subscription_id,
        group: choices.group.name(),
        name: &name,
        template: &template,
        parameters: &parameters,
    };
    progress.phase.set((Phase::Validate, Sentence::new(words::VALIDATING).with("name", name.as_str())));
    client.validate_deployment(&target).await.map_err(fail)?;
    progress.phase.set((Phase::Deploy, Sentence::new(words::DEPLOYING).with("name", name.as_str())));
    let shown = name.clone();
    let on_poll = move |status: &str, ops: &[DeploymentOperation]| {
        progress.phase.set((Phase::Deploy, Sentence::new(words::DEPLOYMENT_STATUS).with("name", shown.as_str()).with("status", status)));
        progress.operations.set(ops.to_vec());
    };
    let outcome = client.deploy(&target, &on_poll).await.map_err(fail)?;
    progress.operations.set(outcome.operations.clone());
    let props = &outcome.deployment.properties;
    if props.provisioning_state.eq_ignore_ascii_case("succeeded") {
        return Ok(());
    }
    let error = match &props.error {
        Some(e) => {
            let details = e.details.iter().map(|d| (d.code.clone(), d.message.clone())).collect();
            let error = ClientError::OperationFailed { code: e.code.clone(), message: e.message.clone(), request_id: outcome.request_id };
            return Err(Failure { error: error.into(), details });
        }
        None => Problem::Said {
            code: Some(props.provisioning_state.clone()),
            words: Sentence::new(words::ENDED_WITHOUT_ERROR).with("state", props.provisioning_state.as_str()),
            request_id: outcome.request_id,
        },
    };
    Err(Failure { error, details: Vec::new() })
}

/// An operation's state and HTTP status (`Failed (409)`), as ARM reports them.
fn operation_state(state: &str, status_code: Option<&str>) -> String {
    match status_code {
        Some(c) => format!("{state} ({c})"),
        None => state.to_string(),
    }
}

#[component]
pub fn DeployRun() -> impl IntoView {
    let wizard = Wizard::expect();
    let locale = Locale::expect();
    let session = SessionStore::expect();
    let progress = Progress {
        phase: RwSignal::new((Phase::Validate, words::PREPARING.into())),
        operations: RwSignal::new(Vec::new()),
        failure: RwSignal::new(None),
    };
    spawn_local(async move {
        match deploy(session, wizard, progress).await {
            Ok(()) => wizard.step.set(Step::Finish),
            Err(f) => progress.failure.set(Some(f)),
        }
    });
    let state = move || if progress.failure.with(Option::is_some) { "failed" } else { "running" };
    view! {
        <div class="panel create-step" data-testid="create-step-run">
            <h2>{tr(words::DEPLOY_TEMPLATE)}</h2>
            <p class="step-state" data-testid="deploy-phase" data-phase=move || progress.phase.get().0.name() data-state=state aria-live="polite">
                {move || progress.phase.get().1.get(locale.get())}
            </p>
            <h3>{tr(words::OPERATIONS)}</h3>
            <ol class="deploy-operations" data-testid="deploy-operations">
                {move || progress.operations.get().into_iter().map(|op| {
                    let state = op.properties.provisioning_state.clone();
                    let error = op.error().map(|e| format!("{}: {}", e.code, e.message));
                    view! {
                        <li data-testid="deploy-operation" data-state=state.clone()>
                            <p class="write-summary">{let target = op.target(); move || target.get(locale.get())}</p>
                            <p class="muted">{operation_state(&state, op.properties.status_code.as_deref())}</p>
                            {error.map(|e| view! { <p class="check-evidence" data-testid="deploy-operation-error">{e}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {move || progress.failure.get().map(|f| view! {
                <ProblemBox problem=f.error testid="deploy-error" />
                {(!f.details.is_empty()).then(|| view! {
                    <ul data-testid="deploy-error-details">
                        {f.details.into_iter().map(|(code, message)| view! { <li><strong>{code}</strong>": "{message}</li> }).collect_view()}
                    </ul>
                })}
                <div class="actions create-actions">
                    <button type="button" data-testid="deploy-back" on:click=move |_| {
                        wizard.via_template.set(false);
                        wizard.step.set(Step::Review);
                    }>{tr(words::BACK_TO_REVIEW)}</button>
                </div>
            })}
        </div>
    }
}
