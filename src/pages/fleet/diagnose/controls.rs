//! The batch's controls above the table: "Diagnose the selected", "Diagnose all CMK
//! registries", Cancel, the progress bar (count and time left) with the verdicts' tally and a
//! toggle showing only the registries that cannot reach their key (not in the URL: the verdicts
//! are this page's, not Resource Graph's), and
//! why a row's verdict may be stale (Resource Graph's lag) and what "Re-read from ARM" does.

use std::sync::Arc;

use acr_cmk_domain::diagnose_many::{plan, Progress, RunState, Tally};
use acr_cmk_domain::fleet::FleetRow;
use leptos::prelude::*;

use super::state::{Diagnoses, Figures, RowVerdict};
use crate::i18n::catalogue::fleet as words;
use crate::i18n::{tr, Locale};

#[component]
pub(crate) fn DiagnoseControls(rows: Arc<Vec<FleetRow>>, diagnoses: Diagnoses) -> impl IntoView {
    let locale = Locale::expect();
    let all = rows.iter().filter(|r| r.cmk).count();
    let selected = {
        let rows = rows.clone();
        Memo::new(move |_| diagnoses.selected.with(|s| plan(&rows, Some(s)).len()))
    };
    let running = move || diagnoses.running();
    let run = move |only_selected: bool| {
        let rows = rows.clone();
        move |_| diagnoses.run(rows.clone(), only_selected)
    };
    view! {
        <div class="fleet-diagnose" data-testid="fleet-diagnose">
            <div class="fleet-diagnose-buttons">
                <button
                    type="button"
                    class="secondary"
                    data-testid="diagnose-selected"
                    disabled=move || running() || selected.get() == 0
                    on:click=run(true)
                >
                    {move || locale.fill(words::DIAGNOSE_SELECTED, &[("n", &selected.get().to_string())])}
                </button>
                <button type="button" class="primary" data-testid="diagnose-all" disabled=move || running() || all == 0 on:click=run(false)>
                    {move || locale.fill(words::DIAGNOSE_ALL, &[("n", &all.to_string())])}
                </button>
                <Show when=running>
                    <button
                        type="button"
                        data-testid="diagnose-cancel"
                        disabled=move || diagnoses.cancelled.get()
                        on:click=move |_| diagnoses.cancelled.set(true)
                    >
                        {tr(words::CANCEL)}
                    </button>
                </Show>
            </div>
            <Show when=move || diagnoses.figures.with(Option::is_some)>
                <ProgressBar diagnoses />
            </Show>
            <p class="help" data-testid="diagnose-lag">{tr(words::DIAGNOSE_LAG)}</p>
        </div>
    }
}

/// The bar (`role="progressbar"`), "n of m diagnosed, about t left", and the tally of verdicts:
/// one element each for the whole page's life, their attributes and text following the run.
#[component]
fn ProgressBar(diagnoses: Diagnoses) -> impl IntoView {
    let locale = Locale::expect();
    let figures = Memo::new(move |_| diagnoses.figures.get());
    let progress =
        move || figures.get().map(|f| f.progress).unwrap_or(Progress { done: 0, total: 0, remaining_ms: None, state: RunState::Finished });
    let said = move || {
        let (lang, progress) = (locale.get(), progress());
        let count = words::PROGRESS.fill(lang, &[("done", &progress.done.to_string()), ("total", &progress.total.to_string())]);
        let after = match (progress.state, progress.remaining_ms) {
            (RunState::Cancelled, _) => words::CANCELLED.get(lang).to_string(),
            (RunState::Finished, _) => words::DONE.get(lang).to_string(),
            (RunState::Running, Some(ms)) if ms >= 120_000 => words::LEFT_MINS.fill(lang, &[("n", &(ms / 60_000).to_string())]),
            (RunState::Running, Some(ms)) => words::LEFT_SECS.fill(lang, &[("n", &ms.div_ceil(1000).to_string())]),
            (RunState::Running, None) => String::new(),
        };
        format!("{count}{after}")
    };
    let tally = move || {
        let t = diagnoses.verdicts.with(|v| {
            Tally::of(v.values().filter_map(|r| match r {
                RowVerdict::Done { verdict, .. } => Some(verdict),
                _ => None,
            }))
        });
        let n = |x: usize| x.to_string();
        locale.fill(words::TALLY, &[("ok", &n(t.reachable)), ("broken", &n(t.broken)), ("unknown", &n(t.unknown))])
    };
    let state = move || match progress().state {
        RunState::Running => "running",
        RunState::Cancelled => "cancelled",
        RunState::Finished => "finished",
    };
    let reads = move |f: fn(&Figures) -> usize| move || figures.get().map(|x| f(&x)).unwrap_or(0).to_string();
    view! {
        <div class="fleet-progress">
            <div
                class="progress"
                role="progressbar"
                aria-label=tr(words::PROGRESS_LABEL)
                aria-valuemin="0"
                aria-valuemax=move || progress().total.to_string()
                aria-valuenow=move || progress().done.to_string()
                aria-valuetext=said
                data-testid="diagnose-progress"
                data-state=state
                data-reads-sent=reads(|f| f.sent)
                data-reads-shared=reads(|f| f.shared)
            >
                <div class="progress-fill" style:width=move || format!("{}%", progress().percent())></div>
            </div>
            <p class="fleet-progress-text" role="status" data-testid="diagnose-status">
                {move || format!("{}. {}", said(), tally())}
            </p>
            <button
                type="button"
                class="chip"
                data-testid="diagnose-only-unreachable"
                aria-pressed=move || diagnoses.only_unreachable.get().to_string()
                on:click=move |_| diagnoses.only_unreachable.update(|on| *on = !*on)
            >
                {tr(words::ONLY_UNREACHABLE)}
            </button>
        </div>
    }
}
