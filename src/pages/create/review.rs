//! Review: every request the run will send (method, URL, body), the planned
//! chain through the registry page's key-access checks, and the same setup as an
//! `az` script to copy or download. Create stays disabled until every check passes.

use acr_cmk_domain::writes::creation::{az_script, plan, ready, review};
use leptos::prelude::*;

use super::wizard::{Step, Wizard};
use crate::action_error::ActionError;
use crate::components::copy_button::CopyButton;
use crate::components::error_box::ErrorBox;
use crate::pages::registry::writes::flow::WritePreview;
use crate::session::SessionStore;

#[component]
pub fn ReviewStep() -> impl IntoView {
    let wizard = Wizard::expect();
    let endpoint = SessionStore::expect().client().map(|c| c.endpoint().to_string()).unwrap_or_default();
    let now = crate::clock::now_unix_secs();
    let planned = Memo::new(move |_| {
        let choices = wizard.choices().ok_or_else(|| ActionError::Invalid("A step has no answer yet: go back and complete it.".into()))?;
        let outputs = wizard.outputs.get();
        let p = plan(&choices, &outputs, now).map_err(ActionError::from)?;
        let diagnosis = review(&choices, &p, &outputs, now);
        let script = az_script(&choices, &p);
        Ok::<_, ActionError>((p, diagnosis, script))
    });
    let can_create = move || planned.with(|p| p.as_ref().is_ok_and(|(_, d, _)| ready(d)));
    view! {
        <div class="panel create-step" data-testid="create-step-review">
            <h2>"Review"</h2>
            {move || match planned.get() {
                Err(e) => view! { <ErrorBox error=e testid="create-review-refusal" /> }.into_any(),
                Ok((p, diagnosis, script)) => {
                    let count = p.steps.len();
                    let download = format!("data:text/x-shellscript;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&script)));
                    let file = format!("create-{}.sh", wizard.name.get_untracked());
                    view! {
                        <h3>"Checks"</h3>
                        <p class="lead" data-testid="create-review-headline">{diagnosis.headline()}</p>
                        <ul class="checklist" data-testid="create-review-checks">
                            {diagnosis.checks.iter().map(|c| {
                                let state = c.state.name();
                                view! {
                                    <li class=format!("check check-{state}") data-testid=format!("check-{}", c.kind.name()) data-state=state>
                                        <span class="check-icon" aria-hidden="true">{c.state.icon()}</span>
                                        <div class="check-body">
                                            <p class="check-title"><span>{c.kind.title()}</span>
                                                <span class=format!("state-label state-{state}")>{c.state.words()}</span></p>
                                            <p class="check-evidence">{c.evidence.clone()}</p>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <h3>{format!("Requests ({count})")}</h3>
                        {p.skipped.iter().map(|s| view! { <p class="notice" data-testid="create-review-skipped">{s.clone()}</p> }).collect_view()}
                        <ol class="write-steps" data-testid="create-review-requests">
                            {p.steps.into_iter().map(|s| view! {
                                <li class="write-step" data-testid=format!("create-request-{}", s.kind.name())>
                                    <WritePreview write=s.write endpoint=endpoint.clone() />
                                </li>
                            }).collect_view()}
                        </ol>
                        <h3>"The same with the Azure CLI"</h3>
                        <p class="help">"The seed's commands with today's flags; run it with bash, signed in with az login."</p>
                        <pre class="command script" data-testid="create-az-script">{script.clone()}</pre>
                        <div class="actions">
                            <CopyButton text=script label="az script" />
                            <a class="button" href=download download=file data-testid="create-az-download">"Download"</a>
                        </div>
                    }.into_any()
                }
            }}
            <div class="actions create-actions">
                <button type="button" data-testid="create-back" on:click=move |_| wizard.step.set(Step::Key)>"Back"</button>
                <button type="button" class="primary" data-testid="create-start" disabled=move || !can_create()
                    on:click=move |_| wizard.step.set(Step::Run)>
                    "Create"
                </button>
                {move || (!can_create()).then(|| view! {
                    <span class="muted" data-testid="create-why-not">"Create is enabled once every check passes."</span>
                })}
            </div>
        </div>
    }
}
