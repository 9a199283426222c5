//! Review: every request the run will send (method, URL, body), the planned
//! chain through the registry page's key-access checks, and the same setup
//! exported four ways (az script, ARM template, Bicep, Terraform). Create — step
//! by step, or as one template deployment — stays disabled until every check passes.

use acr_cmk_domain::writes::creation::template::check_expressible;
use acr_cmk_domain::writes::creation::{plan, ready, review};
use leptos::prelude::*;

use super::exports::Exports;
use super::problem::{Problem, ProblemBox};
use super::wizard::{Step, Wizard};
use crate::i18n::catalogue::create as words;
use crate::i18n::{tr, Locale};
use crate::pages::registry::writes::flow::WritePreview;
use crate::session::SessionStore;

#[component]
pub fn ReviewStep() -> impl IntoView {
    let wizard = Wizard::expect();
    let locale = Locale::expect();
    let endpoint = SessionStore::expect().client().map(|c| c.endpoint().to_string()).unwrap_or_default();
    let now = crate::clock::now_unix_secs();
    let planned = Memo::new(move |_| {
        let choices = wizard.choices().ok_or_else(|| Problem::from(words::NO_ANSWER))?;
        let outputs = wizard.outputs.get();
        let p = plan(&choices, &outputs, now)?;
        let diagnosis = review(&choices, &p, &outputs, now);
        Ok::<_, Problem>((choices, p, diagnosis))
    });
    let can_create = move || planned.with(|p| p.as_ref().is_ok_and(|(_, _, d)| ready(d)));
    let can_deploy = move || planned.with(|p| p.as_ref().is_ok_and(|(c, p, d)| ready(d) && check_expressible(c, p).is_ok()));
    view! {
        <div class="panel create-step" data-testid="create-step-review">
            <h2>{tr(words::STEP_REVIEW)}</h2>
            {move || match planned.get() {
                Err(e) => view! { <ProblemBox problem=e testid="create-review-refusal" /> }.into_any(),
                Ok((choices, p, diagnosis)) => {
                    let count = p.steps.len();
                    let steps = p.steps.clone();
                    view! {
                        <h3>{tr(words::CHECKS)}</h3>
                        <p class="lead" data-testid="create-review-headline">{let d = diagnosis.clone(); move || d.headline_in(locale.get())}</p>
                        <ul class="checklist" data-testid="create-review-checks">
                            {diagnosis.checks.iter().map(|c| {
                                let state = c.state.name();
                                let evidence = c.evidence.clone();
                                view! {
                                    <li class=format!("check check-{state}") data-testid=format!("check-{}", c.kind.name()) data-state=state>
                                        <span class="check-icon" aria-hidden="true">{c.state.icon()}</span>
                                        <div class="check-body">
                                            <p class="check-title"><span>{tr(c.kind.label())}</span>
                                                <span class=format!("state-label state-{state}")>{tr(c.state.label())}</span></p>
                                            <p class="check-evidence">{move || evidence.get(locale.get())}</p>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <h3>{move || locale.fill(words::REQUESTS, &[("count", &count.to_string())])}</h3>
                        {p.skipped.iter().map(|s| {
                            let s = s.clone();
                            view! { <p class="notice" data-testid="create-review-skipped">{move || s.get(locale.get())}</p> }
                        }).collect_view()}
                        <ol class="write-steps" data-testid="create-review-requests">
                            {steps.into_iter().map(|s| view! {
                                <li class="write-step" data-testid=format!("create-request-{}", s.kind.name())>
                                    <WritePreview write=s.write endpoint=endpoint.clone() />
                                </li>
                            }).collect_view()}
                        </ol>
                        <Exports choices plan=p />
                    }.into_any()
                }
            }}
            <div class="actions create-actions">
                <button type="button" data-testid="create-back" on:click=move |_| wizard.step.set(Step::Key)>{tr(words::BACK)}</button>
                <button type="button" class="primary" data-testid="create-start" disabled=move || !can_create()
                    on:click=move |_| {
                        wizard.via_template.set(false);
                        wizard.step.set(Step::Run);
                    }>
                    {tr(words::CREATE)}
                </button>
                <button type="button" data-testid="create-deploy-template" disabled=move || !can_deploy()
                    title=tr(words::DEPLOY_TEMPLATE_TITLE)
                    on:click=move |_| {
                        wizard.via_template.set(true);
                        wizard.step.set(Step::Run);
                    }>
                    {tr(words::DEPLOY_TEMPLATE)}
                </button>
                {move || (!can_create()).then(|| view! {
                    <span class="muted" data-testid="create-why-not">{tr(words::CREATE_WHY_NOT)}</span>
                })}
            </div>
        </div>
    }
}
