//! The key-access diagnosis: one verdict, the chain diagram ([`chain`]), and
//! the ordered checklist with each check's evidence and fix ([`fix`] applies
//! one in write mode).
//!
//! Reads that failed while gathering the snapshot are listed with ARM's code,
//! message and request id, so an "unknown" check always says why.

mod chain;
mod fix;

use acr_cmk_domain::diagnosis::{Check, Diagnosis, Fetched, Fix, Snapshot};
use leptos::prelude::*;

use super::activity::LikelyCause;
use crate::arm_client::ClientError;
use crate::components::copy_button::CopyButton;
use crate::components::error_box::ErrorBox;
use crate::components::loading::Loading;
use crate::i18n::catalogue::diagnosis as words;
use crate::i18n::{tr, Locale};
use crate::write_mode::WriteMode;
use acr_cmk_domain::text::Text;
use chain::ChainDiagram;
use fix::FixAction;

/// The diagnosis' place while its reads are out (the registry's status already shows below): its panel
/// and heading, about as tall as a finished one, so what is below does not jump down when it comes.
#[component]
pub fn DiagnosisPending() -> impl IntoView {
    view! {
        <section class="panel diagnosis pending" aria-busy="true" aria-labelledby="diagnosis-pending-title">
            <h2 id="diagnosis-pending-title">{tr(words::KEY_ACCESS)}</h2>
            <Loading what=crate::i18n::catalogue::registry::THE_DIAGNOSIS />
        </section>
    }
}

#[component]
pub fn DiagnosisPanel(
    diagnosis: Diagnosis,
    snapshot: Snapshot,
    /// Unique per page: ids inside the diagram and headings derive from it.
    #[prop(into)]
    id: String,
) -> impl IntoView {
    let locale = Locale::expect();
    let verdict = diagnosis.verdict_state();
    let verdict_state = verdict.name();
    let said = diagnosis.clone();
    let headline = move || said.headline_in(locale.get());
    let title_id = format!("{id}-title");
    let labelledby = title_id.clone();
    let failed_reads = failed_reads(&snapshot);
    let checks = diagnosis.checks.clone();
    let has_checks = !checks.is_empty();
    let vault_elsewhere = snapshot.vault_subscription_elsewhere().zip(snapshot.vault.found().map(|v| v.name.clone()));
    view! {
        <section class="panel diagnosis" aria-labelledby=labelledby data-testid="diagnosis">
            <h2 id=title_id>{tr(words::KEY_ACCESS)}</h2>
            <p class=format!("verdict verdict-{verdict_state}") data-testid="verdict" data-state=verdict_state role="status">
                <span class="verdict-icon" aria-hidden="true">{verdict.icon()}</span>
                <span>{headline}</span>
            </p>
            {has_checks
                .then(|| {
                    view! {
                        <ChainDiagram diagnosis=diagnosis.clone() snapshot=snapshot.clone() id=format!("{id}-chain") />
                        {vault_elsewhere
                            .clone()
                            .map(|(subscription, vault)| {
                                view! {
                                    <p class="hint" data-testid="vault-subscription">
                                        {move || {
                                            locale
                                                .fill(words::VAULT_ELSEWHERE, &[("vault", &vault), ("subscription", &subscription)])
                                        }}
                                    </p>
                                }
                            })}
                        <ol class="checklist">
                            {checks.into_iter().map(|check| view! { <CheckRow check /> }).collect_view()}
                        </ol>
                    }
                })}
            {(!failed_reads.is_empty())
                .then(|| {
                    view! {
                        <div class="failed-reads" data-testid="diagnosis-read-errors">
                            <p class="help">{tr(words::SOME_READS_FAILED)}</p>
                            {failed_reads
                                .into_iter()
                                .map(|(what, error)| {
                                    view! {
                                        <p class="read-what">{tr(what)}</p>
                                        <ErrorBox error />
                                    }
                                })
                                .collect_view()}
                        </div>
                    }
                })}
        </section>
    }
}

#[component]
fn CheckRow(check: Check) -> impl IntoView {
    let locale = Locale::expect();
    let state = check.state.name();
    let name = check.kind.name();
    let evidence = check.evidence.clone();
    view! {
        <li class=format!("check check-{state}") data-testid=format!("check-{name}") data-state=state>
            <span class="check-icon" aria-hidden="true">{check.state.icon()}</span>
            <div class="check-body">
                <p class="check-title">
                    <span>{tr(check.kind.label())}</span>
                    <span class=format!("state-label state-{state}")>{tr(check.state.label())}</span>
                </p>
                <p class="check-evidence" data-testid=format!("evidence-{name}")>{move || evidence.get(locale.get())}</p>
                <LikelyCause check=check.clone() />
                {check.fix.clone().map(|fix| view! { <FixSlot fix check=name /> })}
            </div>
        </li>
    }
}

/// Where a check's fix is offered: what the fix would do, and in write mode the button that applies it.
#[component]
fn FixSlot(fix: Fix, check: &'static str) -> impl IntoView {
    let locale = Locale::expect();
    let mode = WriteMode::expect();
    // Latches: true from the first time write mode is on.
    let wanted = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || mode.is_on());
    let label = fix.label();
    let body = match &fix {
        Fix::RunCommand { command } => {
            let command = command.clone();
            view! {
                <p class="fix-text">
                    {tr(words::DATA_PLANE_RUN)}
                    <code class="command">{command.clone()}</code>
                    <CopyButton text=command label=words::COMMAND />
                </p>
            }
            .into_any()
        }
        _ => view! { <p class="fix-text">{move || locale.fill(words::FIX, &[("fix", &label.get(locale.get()))])}</p> }.into_any(),
    };
    view! {
        <div class="fix" data-testid=format!("fix-{check}")>
            {body}
            <div class="fix-actions">
                // The action's code (and the write flow's) is a lazily loaded wasm chunk: fetched the first
                // time write mode is on, then kept, so a dialog open when write mode goes off stays open. A
                // Transition (not a Suspense), so the dialog's own reads do not blank it while they load.
                {move || {
                    let fix = fix.clone();
                    wanted.get().then(|| view! { <Transition>{Suspend::new(fix_action(fix, check))}</Transition> })
                }}
            </div>
        </div>
    }
}

/// The button (in write mode) that applies `fix` and its dialog: a wasm chunk of its own with the write
/// flow it shares with the registry page's write verbs (issue 14; `#[lazy]`, scripts/build_split.sh), since
/// most visits are read-only.
#[lazy]
fn fix_action(fix: Fix, check: &'static str) -> AnyView {
    view! { <FixAction fix check=check /> }.into_any()
}

/// Reads that failed, with what they were for.
fn failed_reads(snapshot: &Snapshot) -> Vec<(Text, ClientError)> {
    let mut out = Vec::new();
    let mut add = |what: Text, f: Option<&ClientError>| {
        if let Some(e) = f {
            out.push((what, e.clone()));
        }
    };
    add(words::READ_SYSTEM_IDENTITY, failed(&snapshot.system_identity));
    add(words::READ_VAULTS, failed(&snapshot.vault));
    add(words::READ_ROLE_ASSIGNMENTS, failed(&snapshot.role_assignments));
    add(words::READ_KEY_VERSIONS, failed(&snapshot.key_versions));
    out
}

fn failed<T>(f: &Fetched<T>) -> Option<&ClientError> {
    match f {
        Fetched::Failed(e) => Some(e),
        _ => None,
    }
}
