//! Filter chips: one per posture flag, and CMK on/off. Pressing an active chip
//! clears it. Counts are over the whole fleet.

use std::sync::Arc;

use acr_cmk_domain::fleet::{Flag, FleetRow};
use acr_cmk_domain::fleet_view::{summary, FleetView};
use leptos::prelude::*;

use super::set_view::SetView;

#[component]
pub(super) fn Filters(rows: Arc<Vec<FleetRow>>, view: Memo<FleetView>, set_view: SetView) -> impl IntoView {
    let counts = summary(&rows);
    let flag_chips = counts
        .by_flag
        .into_iter()
        .map(|(flag, n)| {
            let on = move || view.with(|v| v.flag == Some(flag));
            view! {
                <button
                    type="button"
                    class="chip"
                    class:active=on
                    aria-pressed=move || on().to_string()
                    data-testid=format!("filter-flag-{}", flag.key())
                    on:click=move |_| {
                        let v = view.get_untracked();
                        let flag = if v.flag == Some(flag) { None } else { Some(flag) };
                        set_view.set(FleetView { flag, ..v }, false);
                    }
                >
                    {format!("{} ({n})", flag.label())}
                </button>
            }
        })
        .collect_view();
    let cmk_chip = move |cmk: bool, n: usize| {
        let on = move || view.with(|v| v.cmk == Some(cmk));
        let (label, key) = if cmk { ("CMK on", "on") } else { ("CMK off", "off") };
        view! {
            <button
                type="button"
                class="chip"
                class:active=on
                aria-pressed=move || on().to_string()
                data-testid=format!("filter-cmk-{key}")
                on:click=move |_| {
                    let v = view.get_untracked();
                    let cmk = if v.cmk == Some(cmk) { None } else { Some(cmk) };
                    set_view.set(FleetView { cmk, ..v }, false);
                }
            >
                {format!("{label} ({n})")}
            </button>
        }
    };
    let any = move || view.with(|v| v.flag.is_some() || v.cmk.is_some());
    view! {
        <div class="fleet-filters" role="group" aria-label="Filters">
            {cmk_chip(true, counts.cmk_on)}
            {cmk_chip(false, counts.cmk_off)}
            {flag_chips}
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
                    "Clear filters"
                </button>
            </Show>
        </div>
    }
}

/// The chip a row shows for a flag.
#[component]
pub(super) fn FlagChip(flag: Flag) -> impl IntoView {
    view! {
        <span class="chip flag" data-testid="row-flag" data-flag=flag.key()>
            {flag.label()}
        </span>
    }
}
