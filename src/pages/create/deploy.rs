//! Deploy as a template (the seed's third way): the plan's ARM template, its
//! parameters shown for editing first (checked as ARM would: type, allowed
//! values), then, after its resource group (a group deployment needs one), validated by ARM, then
//! deployed once and followed, its per-resource operations listed as they run.
//! ARM's `InvalidTemplate` or `DeploymentFailed` is shown with its details and
//! each failed operation's error; success goes to Finish, as the step-by-step run does.

use acr_cmk_domain::text::Sentence;
use acr_cmk_domain::writes::creation::deployment::{deployment_name, DeploymentOperation};
use acr_cmk_domain::writes::creation::{arm_template, parameters_from_form, plan, template_parameters, Choices, Outputs, StepKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

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

/// The choices and their template, or why there is none.
fn prepare(wizard: Wizard) -> Result<(Choices, Value), Failure> {
    let choices = wizard.choices().ok_or_else(|| fail(words::INCOMPLETE))?;
    // The template references what ARM assigns (ids, key versions): it needs no earlier answers.
    let p = plan(&choices, &Outputs::default(), crate::clock::now_unix_secs()).map_err(fail)?;
    let template = arm_template(&choices, &p).map_err(fail)?;
    Ok((choices, template))
}

async fn deploy(session: SessionStore, choices: Choices, template: Value, parameters: Value, progress: Progress) -> Result<(), Failure> {
    let client = session.client_for_write().map_err(fail)?;
    let p = plan(&choices, &Outputs::default(), crate::clock::now_unix_secs()).map_err(fail)?;
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

/// The template's parameters, editable, then the deployment once "Validate and deploy" is pressed.
#[component]
pub fn DeployRun() -> impl IntoView {
    let wizard = Wizard::expect();
    match prepare(wizard) {
        Ok((choices, template)) => view! { <ParametersThenDeploy choices template /> }.into_any(),
        Err(f) => view! {
            <div class="panel create-step" data-testid="create-step-run">
                <h2>{tr(words::DEPLOY_TEMPLATE)}</h2>
                <ProblemBox problem=f.error testid="deploy-error" />
                <div class="actions create-actions"><BackToReview /></div>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn BackToReview() -> impl IntoView {
    let wizard = Wizard::expect();
    view! {
        <button type="button" data-testid="deploy-back" on:click=move |_| {
            wizard.via_template.set(false);
            wizard.step.set(Step::Review);
        }>{tr(words::BACK_TO_REVIEW)}</button>
    }
}

#[component]
fn ParametersThenDeploy(choices: Choices, template: Value) -> impl IntoView {
    let wizard = Wizard::expect();
    let session = SessionStore::expect();
    let values = RwSignal::new(template_parameters(&template).into_iter().map(|p| (p.name, p.value)).collect::<Vec<_>>());
    let refused = RwSignal::new(None::<Problem>);
    let started = RwSignal::new(false);
    let progress = Progress {
        phase: RwSignal::new((Phase::Validate, words::PREPARING.into())),
        operations: RwSignal::new(Vec::new()),
        failure: RwSignal::new(None),
    };
    let template_for_form = template.clone();
    let start = move |_| {
        let parameters = match parameters_from_form(&template, &values.get_untracked()) {
            Ok(p) => p,
            Err(r) => return refused.set(Some(r.into())),
        };
        refused.set(None);
        started.set(true);
        // Finish opens the registry the deployment made, under the name it was given.
        let name = parameters["registryName"]["value"].as_str().map(str::to_string);
        let (choices, template) = (choices.clone(), template.clone());
        spawn_local(async move {
            match deploy(session, choices, template, parameters, progress).await {
                Ok(()) => {
                    if let Some(name) = name {
                        wizard.name.set(name);
                    }
                    wizard.step.set(Step::Finish);
                }
                Err(f) => progress.failure.set(Some(f)),
            }
        });
    };
    view! {
        <Show
            when=move || started.get()
            fallback=move || {
                view! {
                    <div class="panel create-step" data-testid="create-step-parameters">
                        <h2>{tr(words::DEPLOY_TEMPLATE)}</h2>
                        <p class="help">{tr(words::PARAMETERS_HELP)}</p>
                        <ParameterForm template=template_for_form.clone() values />
                        {move || refused.get().map(|problem| view! { <ProblemBox problem testid="deploy-parameter-error" /> })}
                        <div class="actions create-actions">
                            <button type="button" class="primary" data-testid="deploy-start" on:click=start.clone()>
                                {tr(words::VALIDATE_AND_DEPLOY)}
                            </button>
                            <BackToReview />
                        </div>
                    </div>
                }
            }
        >
            <DeployProgress progress />
        </Show>
    }
}

/// A parameter field's element id and test id.
fn field_id(name: &str) -> String {
    format!("deploy-param-{name}")
}

/// One field per template parameter: a list for those with allowed values, text otherwise.
#[component]
fn ParameterForm(template: Value, values: RwSignal<Vec<(String, String)>>) -> impl IntoView {
    let set = move |name: String, value: String| {
        values.update(|all| {
            if let Some(slot) = all.iter_mut().find(|(n, _)| *n == name) {
                slot.1 = value;
            }
        })
    };
    view! {
        <dl class="kv deploy-parameters" data-testid="deploy-parameters">
            {template_parameters(&template).into_iter().map(|p| {
                let id = field_id(&p.name);
                let (name, name_for_value) = (p.name.clone(), p.name.clone());
                let current = move || values.with(|all| all.iter().find(|(n, _)| *n == name_for_value).map(|(_, v)| v.clone()).unwrap_or_default());
                let field = if p.allowed.is_empty() {
                    view! {
                        <input id=id.clone() data-testid=id.clone() type="text" class="mono" prop:value=current
                            on:input=move |ev| set(name.clone(), event_target_value(&ev)) />
                    }.into_any()
                } else {
                    view! {
                        <select id=id.clone() data-testid=id.clone() prop:value=current on:change=move |ev| set(name.clone(), event_target_value(&ev))>
                            {p.allowed.iter().map(|a| view! { <option value=a.clone()>{a.clone()}</option> }).collect_view()}
                        </select>
                    }.into_any()
                };
                view! {
                    <div class="kv-row">
                        <dt><label for=id.clone() class="mono">{p.name.clone()}</label><span class="muted">" ("{p.kind.clone()}")"</span></dt>
                        <dd>{field}</dd>
                    </div>
                }
            }).collect_view()}
        </dl>
    }
}

/// The deployment under way: its phase, its per-resource operations, and ARM's error if it fails.
#[component]
fn DeployProgress(progress: Progress) -> impl IntoView {
    let locale = Locale::expect();
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
                <div class="actions create-actions"><BackToReview /></div>
            })}
        </div>
    }
}
