//! The fleet table, virtualised: every row is [`ROW_PX`] high, so which rows the
//! scroll box shows follows from its `scrollTop`; only those (and a few either
//! side) are in the DOM, between two spacer rows as high as the rows left out.
//! Every column sorts (again: the other way). Beside the data, each row has a checkbox
//! (for "Diagnose the selected"), its key-access verdict and "Re-read from ARM" (`diagnose`).

use std::sync::Arc;

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::fleet::FleetRow;
use acr_cmk_domain::fleet_view::{Column, FleetView};
use leptos::html::Div;
use leptos::prelude::*;

use super::diagnose::{Diagnoses, RereadCell, SelectCell, VerdictCell};
use super::filters::FlagChip;
use super::set_view::SetView;
use crate::i18n::catalogue::fleet as words;
use crate::i18n::{tr, Locale};
use crate::routes;
use acr_cmk_domain::fleet_view::words as cells;

/// A row's height (CSS `.fleet-grid tbody tr` says the same).
const ROW_PX: usize = 36;
/// Rows the scroll box shows at once (its CSS height is this many rows).
const VISIBLE: usize = 15;
/// Rows rendered beyond the visible ones, either side, so a fast scroll shows no gap.
const OVERSCAN: usize = 8;

#[component]
pub(super) fn FleetTable(
    rows: Arc<Vec<FleetRow>>,
    order: Memo<Arc<Vec<usize>>>,
    view: Memo<FleetView>,
    set_view: SetView,
    diagnoses: Diagnoses,
) -> impl IntoView {
    let scroll_top = RwSignal::new(0usize);
    let scroller = NodeRef::<Div>::new();
    // A new view starts at its top.
    Effect::watch(
        move || order.track(),
        move |_, _, _| {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0);
        },
        false,
    );
    let window = move || {
        let len = order.with(|o| o.len());
        let first = (scroll_top.get() / ROW_PX).saturating_sub(OVERSCAN).min(len);
        let last = (first + VISIBLE + 2 * OVERSCAN).min(len);
        (first, last, len)
    };
    let body = move || {
        let (first, last, _) = window();
        let rows = rows.clone();
        order.with(|o| {
            o[first..last]
                .iter()
                .enumerate()
                .map(|(k, &i)| view! { <Row row=rows[i].clone() position=first + k + 2 diagnoses /> })
                .collect_view()
        })
    };
    let top = move || format!("{}px", window().0 * ROW_PX);
    let bottom = move || {
        let (_, last, len) = window();
        format!("{}px", (len - last) * ROW_PX)
    };
    let sortable = |columns: &[Column]| {
        columns
            .iter()
            .copied()
            .map(|column| {
                let sorted = move || view.with(|v| (v.sort == Some(column)).then_some(v.descending));
                let aria_sort = move || match sorted() {
                    Some(true) => "descending",
                    Some(false) => "ascending",
                    None => "none",
                };
                let arrow = move || match sorted() {
                    Some(true) => " ▼",
                    Some(false) => " ▲",
                    None => "",
                };
                view! {
                    <th scope="col" aria-sort=aria_sort class=format!("col-{}", column.key())>
                        <button
                            type="button"
                            class="sort"
                            data-testid=format!("sort-{}", column.key())
                            on:click=move |_| set_view.set(view.get_untracked().sorted_by(column), false)
                        >
                            {tr(column.words())}
                            <span aria-hidden="true">{arrow}</span>
                        </button>
                    </th>
                }
            })
            .collect_view()
    };
    // The name first, then the diagnosis's columns (on the first screen), then the rest.
    let heads = view! {
        <th scope="col" class="col-select">
            <span class="visually-hidden">{tr(words::SELECT)}</span>
        </th>
        {sortable(&Column::ALL[..1])}
        <th scope="col" class="col-verdict">{tr(words::KEY_ACCESS)}</th>
        <th scope="col" class="col-reread">
            <span class="visually-hidden">{tr(words::REREAD)}</span>
        </th>
        {sortable(&Column::ALL[1..])}
    };
    let empty = move || order.with(|o| o.is_empty());

    view! {
        <div
            class="fleet-scroll"
            role="region"
            tabindex="0"
            aria-label=tr(words::REGISTRIES)
            node_ref=scroller
            data-testid="fleet-scroll"
            on:scroll=move |_| {
                if let Some(el) = scroller.get_untracked() {
                    scroll_top.set(el.scroll_top().max(0) as usize);
                }
            }
        >
            <table class="grid fleet-grid" aria-rowcount=move || (order.with(|o| o.len()) + 1).to_string()>
                <thead>
                    <tr aria-rowindex="1">{heads}</tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true" style:height=top>
                        <td colspan="17"></td>
                    </tr>
                    {body}
                    <tr class="spacer" aria-hidden="true" style:height=bottom>
                        <td colspan="17"></td>
                    </tr>
                </tbody>
            </table>
            <Show when=empty>
                <p class="empty" data-testid="fleet-empty">{tr(words::NO_MATCH)}</p>
            </Show>
        </div>
    }
}

#[component]
fn Row(row: FleetRow, position: usize, diagnoses: Diagnoses) -> impl IntoView {
    let link = ResourceId::parse(&row.id).map(|id| routes::registry_page(&id));
    let name = row.name.clone();
    let name_cell = match link {
        Some(href) => view! { <a href=href data-testid="fleet-name">{name}</a> }.into_any(),
        None => view! { <span data-testid="fleet-name">{name}</span> }.into_any(),
    };
    let locale = Locale::expect();
    // Azure's values as they are; the console's words (rotation, identity) in the page's language.
    let text = |c: Column| {
        let row = row.clone();
        let said = Memo::new(move |_| c.text_in(locale.get(), &row));
        view! { <td class=format!("col-{}", c.key()) title=said>{said}</td> }
    };
    let cmk = if row.cmk {
        view! { <span class="badge on">{tr(cells::ON)}</span> }
    } else {
        view! { <span class="badge off">{tr(cells::OFF)}</span> }
    };
    let flags = row.flags.iter().map(|&flag| view! { <FlagChip flag /> }).collect_view();
    view! {
        <tr aria-rowindex=position.to_string() data-testid="fleet-row" data-id=row.id.clone()>
            <SelectCell id=row.id.clone() name=row.name.clone() diagnoses />
            <th scope="row" class="col-name">{name_cell}</th>
            <VerdictCell id=row.id.clone() cmk=row.cmk diagnoses />
            <RereadCell id=row.id.clone() name=row.name.clone() diagnoses />
            {text(Column::LoginServer)}
            {text(Column::Subscription)}
            {text(Column::ResourceGroup)}
            {text(Column::Location)}
            {text(Column::Sku)}
            <td class="col-cmk">{cmk}</td>
            {text(Column::Vault)}
            {text(Column::KeyName)}
            {text(Column::Rotation)}
            {text(Column::Identity)}
            {text(Column::Status)}
            <td class="col-flags">{flags}</td>
            {text(Column::Sharing)}
        </tr>
    }
}
