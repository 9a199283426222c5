//! A row's diagnosis cells: its selection checkbox, its verdict ("Not diagnosed" until a
//! batch or a re-read reaches it; "No customer-managed key" at once for a registry without
//! one) and its "Re-read from ARM" button.

use acr_cmk_domain::diagnosis::Verdict;
use acr_cmk_domain::text::Lang;
use leptos::prelude::*;

use super::state::{Diagnoses, RowVerdict};
use crate::i18n::catalogue::fleet as words;
use crate::i18n::{tr, Locale};

#[component]
pub(crate) fn SelectCell(id: String, name: String, diagnoses: Diagnoses) -> impl IntoView {
    let locale = Locale::expect();
    let checked = {
        let id = id.clone();
        move || diagnoses.selected.with(|s| s.contains(&id))
    };
    let toggle = move |_| {
        diagnoses.selected.update(|s| {
            if !s.remove(&id) {
                s.insert(id.clone());
            }
        })
    };
    view! {
        <td class="col-select">
            <input
                type="checkbox"
                data-testid="fleet-select"
                aria-label=move || locale.fill(words::SELECT_ROW, &[("name", &name)])
                prop:checked=checked
                on:change=toggle
            />
        </td>
    }
}

#[component]
pub(crate) fn VerdictCell(id: String, cmk: bool, diagnoses: Diagnoses) -> impl IntoView {
    let locale = Locale::expect();
    // Without a customer-managed key (as Resource Graph says) there is nothing to diagnose: said at once.
    let shown = Memo::new(move |_| {
        diagnoses
            .verdicts
            .with(|v| v.get(&id).cloned())
            .or((!cmk).then_some(RowVerdict::Done { verdict: Verdict::NotApplicable, from_arm: false }))
    });
    let state = move || match shown.get() {
        None => "none",
        Some(RowVerdict::Running) => "running",
        Some(RowVerdict::Done { verdict, .. }) => acr_cmk_domain::diagnose_many::state_of(&verdict).name(),
        Some(RowVerdict::ReadFailed(_)) => "failed",
    };
    let text = Memo::new(move |_| said(locale.get(), shown.get()));
    view! {
        <td class="col-verdict" data-testid="fleet-verdict" data-state=state title=text>
            {text}
        </td>
    }
}

/// The verdict in words: the first reason only, the cell being one line (its title says the same).
fn said(lang: Lang, shown: Option<RowVerdict>) -> String {
    let first = |reasons: &[acr_cmk_domain::text::Sentence]| reasons.first().map(|r| r.get(lang)).unwrap_or_default();
    match shown {
        None => words::NOT_DIAGNOSED.get(lang).to_string(),
        Some(RowVerdict::Running) => words::DIAGNOSING.get(lang).to_string(),
        Some(RowVerdict::ReadFailed(e)) => words::REREAD_FAILED.fill(lang, &[("code", &e.code())]),
        Some(RowVerdict::Done { verdict, from_arm }) => {
            let verdict = match verdict {
                Verdict::NotApplicable => words::NO_CMK.get(lang).to_string(),
                Verdict::Reachable { .. } => words::REACHES.get(lang).to_string(),
                Verdict::Inaccessible { reasons } => words::CANNOT_REACH.fill(lang, &[("reason", &first(&reasons))]),
                Verdict::Unknown { reasons } => words::UNCONFIRMED.fill(lang, &[("reason", &first(&reasons))]),
            };
            let source = if from_arm { words::FROM_ARM.get(lang) } else { "" };
            format!("{verdict}{source}")
        }
    }
}

#[component]
pub(crate) fn RereadCell(id: String, name: String, diagnoses: Diagnoses) -> impl IntoView {
    let locale = Locale::expect();
    let busy = {
        let id = id.clone();
        move || diagnoses.verdicts.with(|v| matches!(v.get(&id), Some(RowVerdict::Running)))
    };
    view! {
        <td class="col-reread">
            <button
                type="button"
                class="secondary small"
                data-testid="fleet-reread"
                aria-label=move || locale.fill(words::REREAD_ROW, &[("name", &name)])
                disabled=busy
                on:click=move |_| diagnoses.reread(id.clone())
            >
                {tr(words::REREAD)}
            </button>
        </td>
    }
}
