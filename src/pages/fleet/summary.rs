//! Counts by CMK state and by posture flag, as two SVG bar charts over the
//! whole fleet. Each bar is a button: it filters the table to its rows (again:
//! clears that filter).

use std::sync::Arc;

use acr_cmk_domain::fleet::FleetRow;
use acr_cmk_domain::fleet_view::{summary, FleetView};
use leptos::prelude::*;

use super::filter::Filter;
use super::set_view::SetView;
use crate::i18n::catalogue::fleet as words;
use crate::i18n::{tr, Locale};
use acr_cmk_domain::text::Text;

// Whole pixels: integers keep float formatting out of the wasm.
const WIDTH: usize = 420;
const LABEL: usize = 190;
const BAR_MAX: usize = 170;
const ROW: usize = 24;

#[component]
pub(super) fn SummaryCharts(rows: Arc<Vec<FleetRow>>, view: Memo<FleetView>, set_view: SetView) -> impl IntoView {
    let s = summary(&rows);
    let cmk = vec![(Filter::Cmk(true), s.cmk_on), (Filter::Cmk(false), s.cmk_off)];
    let flags: Vec<(Filter, usize)> = s.by_flag.iter().map(|&(f, n)| (Filter::Flag(f), n)).collect();
    let most = rows.len().max(1);
    view! {
        <div class="fleet-summary">
            <Chart title=words::CHART_CMK id="chart-cmk" bars=cmk most view set_view />
            <Chart title=words::CHART_FLAGS id="chart-flags" bars=flags most view set_view />
        </div>
    }
}

#[component]
fn Chart(
    title: Text,
    id: &'static str,
    bars: Vec<(Filter, usize)>,
    most: usize,
    view: Memo<FleetView>,
    set_view: SetView,
) -> impl IntoView {
    let locale = Locale::expect();
    let height = bars.len() * ROW;
    let drawn = bars
        .into_iter()
        .enumerate()
        .map(|(i, (bar, n))| {
            let y = i * ROW;
            // At least a sliver, so a bar of a few among thousands can still be seen and clicked.
            let width = if n == 0 { 0 } else { (n * BAR_MAX / most).max(3) };
            let active = move || view.with(|v| bar.active(v));
            let toggle = move || set_view.set(bar.toggle(view.get_untracked()), false);
            view! {
                <g
                    class="bar"
                    class:active=active
                    role="button"
                    tabindex="0"
                    aria-pressed=move || active().to_string()
                    aria-label=move || locale.fill(words::BAR, &[("label", bar.label().get(locale.get())), ("n", &n.to_string())])
                    data-testid=format!("bar-{}", bar.key())
                    on:click=move |_| toggle()
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" || ev.key() == " " {
                            ev.prevent_default();
                            toggle();
                        }
                    }
                >
                    <rect class="bar-hit" x="0" y=y width=WIDTH height=ROW></rect>
                    <text class="bar-label" x="0" y=y + 16>{tr(bar.label())}</text>
                    <rect class="bar-fill" x=LABEL y=y + 4 width=width height=ROW - 8></rect>
                    <text class="bar-count" x=LABEL + width + 6 y=y + 16>{n.to_string()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="fleet-chart">
            <figcaption id=id>{tr(title)}</figcaption>
            <svg role="group" aria-labelledby=id width=WIDTH height=height viewBox=format!("0 0 {WIDTH} {height}")>
                {drawn}
            </svg>
        </figure>
    }
}
