//! The write flow every write dialog uses: preview of each step (method, URL,
//! JSON body, `az` command, copy buttons) → optional typed confirmation →
//! Confirm → (fresh reads and a fresh plan: if it now sends something else, the
//! new preview is shown and confirmed again) → run, step by step with progress →
//! read back → what changed. The page refreshes its diagnosis when the dialog
//! goes away. When one step of a sequence fails, the flow says which steps ran
//! and which did not.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use acr_cmk_domain::text::{Lang, Sentence};
use acr_cmk_domain::writes::changes::FieldChange;
use acr_cmk_domain::writes::step::{changed_steps, WriteStep};
use acr_cmk_domain::writes::{joined, PlannedWrite};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::action_error::ActionError;
use crate::arm_client::writes::WriteProgress;
use crate::components::confirm_phrase::ConfirmPhrase;
use crate::components::copy_button::CopyButton;
use crate::components::error_box::ErrorBox;
use crate::i18n::catalogue::{shell, writes as words};
use crate::i18n::{tr, Locale, Words};
use crate::session::SessionStore;
use crate::write_log::{Outcome, WriteLog};

/// Method, URL, body and `az` command of one write, each with a copy button.
#[component]
pub fn WritePreview(write: PlannedWrite, #[prop(optional)] endpoint: Option<String>) -> impl IntoView {
    // The URL the transport will send (writes are relative paths; a refusal is shown as such).
    let url =
        write.request.url(endpoint.as_deref().unwrap_or("https://management.azure.com")).unwrap_or_else(|refused| refused.to_string());
    let method = write.request.method.as_str();
    let body = write.body_text();
    let az = write.az.clone();
    let locale = Locale::expect();
    let summary = write.summary.clone();
    view! {
        <div class="write-preview" data-testid="write-preview">
            <p class="write-summary">{move || summary.get(locale.get())}</p>
            <div class="preview-row">
                <span class="method" data-testid="preview-method">{method}</span>
                <code class="url" data-testid="preview-url">{url.clone()}</code>
                <CopyButton text=url label=words::REQUEST_URL />
            </div>
            {write
                .request
                .if_match
                .clone()
                .map(|etag| {
                    view! {
                        <div class="preview-row">
                            <span class="method">{tr(words::IF_MATCH)}</span>
                            <code class="url" data-testid="preview-if-match">{etag}</code>
                            <span class="hint">{tr(words::IF_MATCH_HINT)}</span>
                        </div>
                    }
                })}
            {body
                .map(|b| {
                    view! {
                        <div class="preview-block">
                            <div class="preview-label">
                                {tr(words::JSON_BODY)} <CopyButton text=b.clone() label=words::JSON_BODY />
                            </div>
                            <pre data-testid="preview-body" tabindex="0">{b}</pre>
                        </div>
                    }
                })}
            <div class="preview-block">
                <div class="preview-label">{tr(words::AZURE_CLI)} <CopyButton text=az.clone() label=words::AZ_COMMAND /></div>
                <pre data-testid="preview-az" tabindex="0">{az}</pre>
            </div>
        </div>
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum StepState {
    NotRun,
    Running(Sentence),
    Done(Sentence),
    Failed,
    /// It failed in a way that does not say the change did not happen.
    Unknown,
}

/// How a run ended.
#[derive(Clone, Debug)]
pub enum RunEnd {
    /// Every step ran; what the last registry write changed.
    Done { changes: Vec<FieldChange> },
    /// Step `index` failed (earlier ones ran, later ones did not).
    Failed { index: usize, error: ActionError },
}

type PlanFuture = Pin<Box<dyn Future<Output = Result<Vec<WriteStep>, ActionError>>>>;

/// Plans a dialog's steps again from fresh reads, right before they are sent:
/// the registry or vault may have changed since the dialog opened. An empty plan
/// or a refusal comes back as an error (nothing is sent).
#[derive(Clone, Copy)]
pub struct Replan(StoredValue<Rc<dyn Fn() -> PlanFuture>, LocalStorage>);

impl Replan {
    pub fn new<F, Fut>(plan: F) -> Replan
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<Vec<WriteStep>, ActionError>> + 'static,
    {
        let plan: Rc<dyn Fn() -> PlanFuture> = Rc::new(move || Box::pin(plan()));
        Replan(StoredValue::new_local(plan))
    }

    /// `None` when whoever made it is gone.
    fn plan(self) -> Option<PlanFuture> {
        self.0.try_with_value(|plan| plan())
    }
}

/// Preview of every step, an optional typed confirmation, Confirm, then the
/// run with per-step progress, the outcome and what changed.
#[component]
pub fn WriteFlow(
    steps: Vec<WriteStep>,
    /// When set, Confirm stays disabled until this exact text is typed (e.g. the registry name).
    #[prop(into, default = None)]
    confirm_phrase: Option<String>,
    /// Words on the Confirm button.
    #[prop(into, default = words::CONFIRM.into())]
    confirm_label: Words,
    /// The change is destructive (revoke, purge protection): Confirm looks it.
    #[prop(optional)]
    destructive: bool,
    /// Confirm stays disabled, with this reason shown (e.g. a pre-flight that found the change would fail).
    #[prop(into, default = None)]
    blocked: Option<Sentence>,
    /// Hears how the run ended.
    #[prop(optional)]
    on_end: Option<Callback<RunEnd>>,
    /// Re-reads and re-plans on Confirm; without it the steps are sent as shown.
    #[prop(optional)]
    replan: Option<Replan>,
    /// Asks the page to read the registry and its diagnosis again (once the dialog closes, if anything was sent).
    on_refresh: Callback<()>,
    /// Closes the dialog.
    on_close: Callback<()>,
) -> impl IntoView {
    let session = SessionStore::expect();
    let locale = Locale::expect();
    let endpoint = session.client().map(|c| c.endpoint().to_string());
    let states = RwSignal::new(vec![StepState::NotRun; steps.len()]);
    // What is shown and will be sent: the fresh plan replaces it on Confirm.
    let plan = RwSignal::new(steps);
    let count = move || plan.with(Vec::len);
    let started = RwSignal::new(false);
    // Reading again before sending; then the step numbers that changed, or why it could not.
    let checking = RwSignal::new(false);
    let replanned = RwSignal::new(None::<Vec<usize>>);
    let check_error = RwSignal::new(None::<ActionError>);
    let end = RwSignal::new(None::<RunEnd>);
    let typed = RwSignal::new(String::new());
    let phrase = confirm_phrase.clone();
    let is_blocked = blocked.is_some();
    let can_confirm = Signal::derive(move || {
        !is_blocked && !started.get() && !checking.get() && phrase.as_ref().is_none_or(|p| typed.get().trim() == p.as_str())
    });

    // The page refreshes when the dialog goes away, not while it is open: the
    // refresh re-renders the page (and would take this dialog with it). A write
    // still running then is handed to the app's write log, which shows its outcome.
    let log = WriteLog::expect();
    let ticket = StoredValue::new(None);
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let sent = sent.clone();
        on_cleanup(move || {
            if let Some(t) = ticket.try_get_value().flatten() {
                log.unwatch(t);
            }
            if sent.load(std::sync::atomic::Ordering::Relaxed) {
                // The page itself may be going (Back): then there is nothing to refresh.
                set_timeout(
                    move || {
                        let _ = on_refresh.try_run(());
                    },
                    std::time::Duration::ZERO,
                );
            }
        });
    }
    let titles = move || plan.with(|p| p.iter().map(|s| s.write().summary.clone()).collect::<Vec<Sentence>>());

    let execute = move |steps: Vec<WriteStep>| {
        started.set(true);
        sent.store(true, std::sync::atomic::Ordering::Relaxed);
        let Some(client) = session.client() else { return };
        let t = log.start(joined(steps.iter().map(|s| s.write().summary.clone()), acr_cmk_domain::writes::words::SPACE));
        ticket.set_value(Some(t));
        // After each await below, this dialog may be gone: only `set`/`update`/`try_*` here, which never panic on a disposed owner.
        spawn_local(async move {
            let mut changes = Vec::new();
            for (i, step) in steps.iter().enumerate() {
                let set = move |s: StepState| states.update(|v| v[i] = s);
                set(StepState::Running(words::SENDING.into()));
                let result = match step {
                    WriteStep::Registry { write, before } => {
                        let progress = move |p: WriteProgress| {
                            let text = match p {
                                WriteProgress::Sending => words::SENDING.into(),
                                WriteProgress::Accepted { request_id } => {
                                    Sentence::new(words::ACCEPTED).with_words("request", request_part(request_id))
                                }
                                WriteProgress::Waiting { polls, status } => {
                                    Sentence::new(words::WAITING).with("status", status).with("polls", polls.to_string())
                                }
                                WriteProgress::ReadingBack => words::READING_BACK.into(),
                            };
                            set(StepState::Running(text));
                        };
                        client.write_registry(write, before, &progress).await.map(|r| {
                            let id = r.request_id.clone();
                            changes = r.changes.clone();
                            let state = r
                                .after
                                .registry
                                .properties
                                .provisioning_state
                                .clone()
                                .map_or_else(|| words::NOT_REPORTED.into(), Sentence::verbatim);
                            Sentence::new(words::DONE_READ_BACK).with_words("request", request_part(id)).with_words("state", state)
                        })
                    }
                    WriteStep::Plain(write) => client.send_write(write).await.map(|a| {
                        Sentence::new(words::DONE_HTTP)
                            .with("status", a.status.to_string())
                            .with_words("request", request_part(a.request_id))
                    }),
                };
                match result {
                    Ok(text) => set(StepState::Done(text)),
                    Err(error) => {
                        let error: ActionError = error.into();
                        set(if error.outcome_unknown() { StepState::Unknown } else { StepState::Failed });
                        log.finish(t, Outcome::Failed(error.clone()));
                        let e = RunEnd::Failed { index: i, error };
                        end.set(Some(e.clone()));
                        if let Some(cb) = on_end {
                            let _ = cb.try_run(e);
                        }
                        return;
                    }
                }
            }
            log.finish(t, Outcome::Done);
            let e = RunEnd::Done { changes };
            end.set(Some(e.clone()));
            if let Some(cb) = on_end {
                let _ = cb.try_run(e);
            }
        });
    };

    let run = move |_| {
        if started.get_untracked() || checking.get_untracked() {
            return;
        }
        let Some(replan) = replan else {
            execute(plan.get_untracked());
            return;
        };
        checking.set(true);
        check_error.set(None);
        let execute = execute.clone();
        spawn_local(async move {
            let Some(fresh) = replan.plan() else { return };
            let fresh = fresh.await;
            checking.set(false);
            let Some(shown) = plan.try_get_untracked() else { return };
            match fresh {
                Err(e) => check_error.set(Some(e)),
                Ok(fresh) if fresh.is_empty() => check_error.set(Some(ActionError::invalid(words::NOTHING_LEFT))),
                Ok(fresh) => {
                    let changed = changed_steps(&shown, &fresh);
                    if changed.is_empty() {
                        // The same change; the fresh plan carries the fresh ETags and "before".
                        replanned.set(None);
                        plan.set(fresh.clone());
                        execute(fresh);
                    } else {
                        states.set(vec![StepState::NotRun; fresh.len()]);
                        plan.set(fresh);
                        replanned.set(Some(changed));
                    }
                }
            }
        });
    };

    let previews = move || {
        let count = count();
        plan.get()
            .into_iter()
            .enumerate()
            .map(|(i, step)| {
                let heading = (count > 1).then(|| {
                    let n = (i + 1).to_string();
                    move || locale.fill(words::STEP_OF, &[("n", &n), ("count", &count.to_string())])
                });
                let write = step.write().clone();
                let endpoint = endpoint.clone();
                view! {
                    <li class="write-step" data-testid="write-step">
                        {heading.map(|h| view! { <h3>{h}</h3> })}
                        <WritePreview write endpoint=endpoint.unwrap_or_default() />
                        <p class="step-state" data-testid="write-step-state">
                            {move || {
                                let lang = locale.get();
                                match states.with(|s| s.get(i).cloned().unwrap_or(StepState::NotRun)) {
                                    StepState::NotRun if started.get() && end.get().is_some() => words::NOT_RUN.get(lang).to_string(),
                                    StepState::NotRun => String::new(),
                                    StepState::Running(t) => t.get(lang),
                                    StepState::Done(t) => t.get(lang),
                                    StepState::Failed => words::FAILED.get(lang).to_string(),
                                    StepState::Unknown => words::OUTCOME_UNKNOWN.get(lang).to_string(),
                                }
                            }}
                        </p>
                    </li>
                }
            })
            .collect_view()
    };

    let outcome = move || {
        let count = count();
        let titles = titles();
        end.get().map(|e| match e {
            RunEnd::Done { changes, .. } => view! {
                <div class="write-outcome ok" role="status" data-testid="write-done">
                    <p>
                        {move || {
                            if count > 1 {
                                locale.fill(words::ALL_STEPS_RAN, &[("count", &count.to_string())])
                            } else {
                                words::CHANGE_MADE.get(locale.get()).to_string()
                            }
                        }}
                    </p>
                    <ChangeList changes />
                </div>
            }
            .into_any(),
            RunEnd::Failed { index, error } => {
                // A write without an answer may still have happened: say how to find out.
                let unsure = error.outcome_unknown().then(|| tr(words::UNSURE));
                let report = move || failure_report(locale.get(), &titles, index, count);
                view! {
                    <div class="write-outcome failed" data-testid="write-failed">
                        <ErrorBox error />
                        {unsure.map(|u| view! { <p class="error-hint" data-testid="write-unsure">{u}</p> })}
                        <p data-testid="write-report">{report}</p>
                    </div>
                }
                .into_any()
            }
        })
    };

    let replanned_notice = move || {
        replanned.get().map(|changed| {
            let which = changed.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
            let what = if count() > 1 { Sentence::new(words::REPLANNED_STEPS).with("which", which) } else { words::REPLANNED_ONE.into() };
            let said = Sentence::new(words::REPLANNED).with_words("what", what);
            view! {
                <p class="write-replanned" role="alert" data-testid="write-replanned">
                    {move || said.get(locale.get())}
                </p>
            }
        })
    };
    let check_failed = move || {
        check_error.get().map(|error| {
            view! {
                <div class="write-outcome failed" data-testid="write-check-failed">
                    <p class="error-lead">{tr(words::CHECK_FAILED)}</p>
                    <ErrorBox error />
                </div>
            }
        })
    };

    view! {
        {replanned_notice}
        <ol class="write-steps">{previews}</ol>
        {confirm_phrase
            .clone()
            .map(|p| {
                let prompt = Signal::derive(move || locale.fill(words::TYPE_TO_CONFIRM, &[("phrase", &p)]));
                view! { <ConfirmPhrase prompt typed disabled=Signal::derive(move || started.get()) /> }
            })}
        {blocked.map(|why| view! { <p class="error-hint" data-testid="write-blocked">{move || why.get(locale.get())}</p> })}
        {check_failed}
        {outcome}
        <footer class="dialog-actions" data-running=move || (started.get() && end.get().is_none()).to_string()>
            <Show when=move || !started.get()>
                <button
                    type="button"
                    class=if destructive { "danger" } else { "primary" }
                    data-testid="write-confirm"
                    disabled=move || !can_confirm.get()
                    on:click=run.clone()
                >
                    {
                        let label = confirm_label.clone();
                        move || label.get(locale.get())
                    }
                </button>
            </Show>
            <Show when=move || checking.get()>
                <p class="loading" role="status" aria-live="polite" data-testid="write-checking">
                    <span class="spinner" aria-hidden="true"></span>
                    {tr(words::CHECKING)}
                </p>
            </Show>
            <Show when=move || started.get() && end.get().is_none()>
                <p class="loading" role="status" aria-live="polite">
                    <span class="spinner" aria-hidden="true"></span>
                    {tr(words::RUNNING)}
                </p>
            </Show>
            <button
                type="button"
                class="secondary"
                data-testid="write-close"
                disabled=move || started.get() && end.get().is_none()
                on:click=move |_| on_close.run(())
            >
                {move || if end.get().is_some() { shell::CLOSE.get(locale.get()) } else { words::CANCEL.get(locale.get()) }}
            </button>
        </footer>
    }
}

/// "What changed": each field with its value before and after.
#[component]
pub fn ChangeList(changes: Vec<FieldChange>) -> impl IntoView {
    if changes.is_empty() {
        return view! { <p data-testid="write-changes">{tr(words::NO_FIELD_CHANGED)}</p> }.into_any();
    }
    let locale = Locale::expect();
    let shown = move |value: Option<String>| move || value.clone().unwrap_or_else(|| shell::NOT_SET.get(locale.get()).to_string());
    view! {
        <table class="changes" data-testid="write-changes">
            <caption>{tr(words::WHAT_CHANGED)}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr(words::FIELD)}</th>
                    <th scope="col">{tr(words::BEFORE)}</th>
                    <th scope="col">{tr(words::AFTER)}</th>
                </tr>
            </thead>
            <tbody>
                {changes
                    .into_iter()
                    .map(|c| {
                        view! {
                            <tr data-testid="write-change">
                                <th scope="row" class="mono">{c.field}</th>
                                <td class="mono before">{shown(c.before)}</td>
                                <td class="mono after">{shown(c.after)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// " (request id …)" after a step's state, or nothing when ARM sent none.
fn request_part(request_id: Option<String>) -> Sentence {
    request_id.map_or_else(Sentence::empty, |id| Sentence::new(words::REQUEST_ID_PART).with("id", id))
}

/// Which step failed, what ran before it and what did not run, in `lang`.
fn failure_report(lang: Lang, titles: &[Sentence], index: usize, count: usize) -> String {
    let said = |list: &[Sentence]| list.iter().map(|t| t.get(lang)).collect::<Vec<_>>().join(" ");
    let (ran, not_run) = (&titles[..index], &titles[index + 1..]);
    let mut report = words::STEP_FAILED
        .fill(lang, &[("n", &(index + 1).to_string()), ("count", &count.to_string()), ("title", &titles[index].get(lang))]);
    if ran.is_empty() {
        report.push_str(words::NOTHING_BEFORE.get(lang));
    } else {
        report.push_str(&words::ALREADY_DONE.fill(lang, &[("titles", &said(ran))]));
    }
    if !not_run.is_empty() {
        report.push_str(&words::NOT_RUN_LIST.fill(lang, &[("titles", &said(not_run))]));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failure_report_says_what_ran_in_either_language() {
        let titles: Vec<Sentence> = ["Turn on r1's system-assigned identity.", "Grant p.", "Rotate."].map(Sentence::verbatim).to_vec();
        assert_eq!(
            failure_report(Lang::En, &titles, 1, 3),
            "Step 2 of 3 failed: Grant p. Already done: Turn on r1's system-assigned identity. Not run: Rotate."
        );
        assert_eq!(
            failure_report(Lang::En, &titles[..1], 0, 1),
            "Step 1 of 1 failed: Turn on r1's system-assigned identity. Nothing before it was changed."
        );
        assert_eq!(
            failure_report(Lang::Ko, &titles, 1, 3),
            "3단계 중 2단계가 실패했습니다: Grant p. 이미 완료됨: Turn on r1's system-assigned identity. 실행 안 됨: Rotate."
        );
        assert_eq!(request_part(None).get(Lang::Ko), "");
        assert_eq!(request_part(Some("r-1".into())).get(Lang::En), " (request id r-1)");
    }
}
