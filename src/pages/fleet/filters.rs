//! Filter chips: one per posture flag, and CMK on/off. Pressing an active chip
//! clears it. Counts are over the whole fleet.

use std::sync::Arc;

use acr_cmk_domain::fleet::{Flag, FleetRow};
use acr_cmk_domain::fleet_view::{summary, FleetView};
use leptos::prelude::*;

use super::filter::Filter;
use super::set_view::SetView;
use crate::i18n::catalogue::fleet as words;
use crate::i18n::{tr, Locale};

#[component]
pub(super) fn Filters(rows: Arc<Vec<FleetRow>>, view: Memo<FleetView>, set_view: SetView) -> impl IntoView {
    let counts = summary(&rows);
    let chip = move |filter: Filter, n: usize| view! { <FilterChip filter n view set_view /> };
    let any = move || view.with(|v| v.flag.is_some() || v.cmk.is_some());
    view! {
        <div class="fleet-filters" role="group" aria-label=tr(words::FILTERS)>
            {chip(Filter::Cmk(true), counts.cmk_on)}
            {chip(Filter::Cmk(false), counts.cmk_off)}
            {counts.by_flag.into_iter().map(|(flag, n)| chip(Filter::Flag(flag), n)).collect_view()}
            <Show when=any>
                <button
                    type="button"
                    class="secondary"
                    data-testid="filter-clear"
                    on:click=move |_| {
                        let v = view.get_untracked();
                        set_view.set(FleetView { flag: None, cmk: None, ..v }, false);
                    }
                >
                    {tr(words::CLEAR_FILTERS)}
                </button>
            </Show>
        </div>
    }
}

/// A chip that toggles one filter, with how many registries of the whole fleet it has.
#[component]
fn FilterChip(filter: Filter, n: usize, view: Memo<FleetView>, set_view: SetView) -> impl IntoView {
    let locale = Locale::expect();
    let on = move || view.with(|v| filter.active(v));
    let n = n.to_string();
    view! {
        <button
            type="button"
            class="chip"
            class:active=on
            aria-pressed=move || on().to_string()
            data-testid=format!("filter-{}", filter.key())
            on:click=move |_| set_view.set(filter.toggle(view.get_untracked()), false)
        >
            {move || locale.fill(words::CHIP, &[("label", filter.label().get(locale.get())), ("n", &n)])}
        </button>
    }
}

/// The chip a row shows for a flag.
#[component]
pub(super) fn FlagChip(flag: Flag) -> impl IntoView {
    view! {
        <span class="chip flag" data-testid="row-flag" data-flag=flag.key()>
            {tr(flag.words())}
        </span>
    }
}
