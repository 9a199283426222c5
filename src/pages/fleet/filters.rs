//! Filter chips: one per posture flag, and CMK on/off. Pressing an active chip
//! clears it. Counts are over the whole fleet.

use std::sync::Arc;

use acr_cmk_domain::fleet::{Flag, FleetRow};
use acr_cmk_domain::fleet_view::{summary, FleetView};
use leptos::prelude::*;

use super::set_view::SetView;
use crate::i18n::catalogue::fleet as words;
use crate::i18n::{tr, Locale};

#[component]
pub(super) fn Filters(rows: Arc<Vec<FleetRow>>, view: Memo<FleetView>, set_view: SetView) -> impl IntoView {
    let locale = Locale::expect();
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
                    {let n = n.to_string(); move || locale.fill(words::CHIP, &[("label", flag.words().get(locale.get())), ("n", &n)])}
                </button>
            }
        })
        .collect_view();
    let cmk_chip = move |cmk: bool, n: usize| {
        let on = move || view.with(|v| v.cmk == Some(cmk));
        let (label, key) = if cmk { (words::CMK_ON, "on") } else { (words::CMK_OFF, "off") };
        let n = n.to_string();
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
                {move || locale.fill(words::CHIP, &[("label", label.get(locale.get())), ("n", &n)])}
            </button>
        }
    };
    let any = move || view.with(|v| v.flag.is_some() || v.cmk.is_some());
    view! {
        <div class="fleet-filters" role="group" aria-label=tr(words::FILTERS)>
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
                    {tr(words::CLEAR_FILTERS)}
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
            {tr(flag.words())}
        </span>
    }
}
