//! `/fleet`: every registry the user can see, from three Resource Graph queries
//! joined in the domain (`acr_cmk_domain::fleet`), one feature folder: the
//! [`search`] box, the [`filters`] (flag chips, CMK on/off), the [`summary`]
//! charts (each bar a filter), the virtualised [`table`] and the [`export`] of
//! the current view; "Diagnose many" ([`diagnose`]): the key-access verdict of many
//! registries at once, in a column of the table.
//!
//! The view (search, filters, sort) lives in the URL's query
//! (`acr_cmk_domain::fleet_view::FleetView`), so a shared link reproduces it;
//! a search that names one registry exactly (a pasted resource id or login
//! server) opens that registry's page.

mod diagnose;
mod export;
mod filter;
mod filters;
mod search;
mod set_view;
mod summary;
mod table;

use std::sync::Arc;

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::fleet::FleetRow;
use acr_cmk_domain::fleet_view::{FleetView, Shown};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::arm_client::fleet::{Fleet, FleetSource};
use crate::components::error_box::ErrorList;
use crate::components::loading::Loading;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::fleet as words;
use crate::i18n::{tr, Locale};
use crate::routes;
use crate::session::SessionStore;
use diagnose::{DiagnoseControls, Diagnoses};
use export::Export;
use filters::Filters;
use search::SearchBox;
use set_view::SetView;
use summary::SummaryCharts;
use table::FleetTable;

/// The query keys [`FleetView::from_query`] reads.
const QUERY_KEYS: [&str; 5] = ["q", "flag", "cmk", "sort", "dir"];

/// What the router shows at `/fleet`: the page, whose code is a wasm chunk of its own, fetched on the
/// first visit (issue 14: a first visit to a registry does not need it). `#[lazy]` marks the split point; scripts/build_split.sh splits it out. The
/// route's `Transition` shows nothing until the chunk has come and the page is built, so it appears whole.
pub fn fleet_route() -> AnyView {
    crate::lazy_route::view(fleet_page())
}

#[lazy]
pub(crate) fn fleet_page() -> AnyView {
    view! { <FleetPage /> }.into_any()
}

#[component]
pub fn FleetPage() -> impl IntoView {
    let Some(client) = SessionStore::expect().client() else {
        return view! { <Redirect path=routes::SIGN_IN /> }.into_any();
    };
    let fleet = ErasedResource::new(move || {
        let client = client.clone();
        async move { client.fleet().await }
    });
    let retry = Callback::new(move |()| fleet.refetch());

    view! {
        <section class="page fleet">
            <div class="page-head">
                <h1>{tr(words::TITLE)}</h1>
            </div>
            <Transition fallback=|| view! { <Loading what=words::EVERYTHING /> }>
                <ErrorBoundary fallback=move |errors| view! { <ErrorList errors on_retry=retry /> }>
                    {move || Suspend::new(async move { fleet.await.map(|fleet| view! { <FleetBody fleet /> }) })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn FleetBody(fleet: Fleet) -> impl IntoView {
    let rows: Arc<Vec<FleetRow>> = Arc::new(fleet.rows);
    let diagnoses = Diagnoses::new(fleet.cmk_registries, SessionStore::expect().client());
    let query = use_query_map();
    let view = Memo::new(move |_| {
        query.with(|q| {
            let pairs: Vec<(&str, String)> = QUERY_KEYS.iter().filter_map(|k| q.get(k).map(|v| (*k, v))).collect();
            FleetView::from_query(pairs.iter().map(|(k, v)| (*k, v.as_str())))
        })
    });
    let navigate = use_navigate();
    let set_view = SetView(Callback::new(move |(v, replace): (FleetView, bool)| {
        navigate(&format!("{}{}", routes::FLEET, v.to_query()), NavigateOptions { replace, scroll: false, ..Default::default() });
    }));
    let shown = {
        let rows = rows.clone();
        Memo::new(move |_| view.with(|v| v.apply(&rows)))
    };
    // A search naming one registry exactly opens it.
    {
        let rows = rows.clone();
        let navigate = use_navigate();
        Effect::new(move |_| {
            if let Shown::Open(i) = shown.get() {
                if let Some(id) = ResourceId::parse(&rows[i].id) {
                    navigate(&routes::registry_page(&id), NavigateOptions::default());
                }
            }
        });
    }
    let order = {
        let rows = rows.clone();
        Memo::new(move |_| match shown.get() {
            Shown::Rows(order) => Arc::new(diagnoses.filter(&rows, order)),
            Shown::Open(_) => Arc::new(Vec::new()),
        })
    };
    let total = rows.len().to_string();
    let locale = Locale::expect();

    view! {
        <SourceNotice source=fleet.source />
        <SummaryCharts rows=rows.clone() view set_view />
        <div class="fleet-tools">
            <SearchBox view set_view />
            <Filters rows=rows.clone() view set_view />
        </div>
        <div class="fleet-status">
            <p class="fleet-count" role="status" data-testid="fleet-count">
                {move || locale.fill(words::COUNT, &[("shown", &order.with(|o| o.len()).to_string()), ("total", &total)])}
            </p>
            <Export rows=rows.clone() order />
        </div>
        <DiagnoseControls rows=rows.clone() diagnoses />
        <FleetTable rows order view set_view diagnoses />
    }
}

/// Where the rows came from: Resource Graph (and that it lags ARM), or the fallback's lists.
#[component]
fn SourceNotice(source: FleetSource) -> impl IntoView {
    let locale = Locale::expect();
    match source {
        FleetSource::ResourceGraph => view! {
            <p class="help" data-testid="fleet-lag">
                {tr(words::LAG)}
            </p>
        }
        .into_any(),
        FleetSource::ArmLists { refused, unreadable } => {
            let (n, subscriptions) = (unreadable.len().to_string(), unreadable.join(", "));
            let missing = move || (n != "0").then(|| locale.fill(words::UNREADABLE, &[("n", &n), ("subscriptions", &subscriptions)]));
            let (code, message) = (refused.code(), refused.message());
            view! {
                <p class="notice" role="status" data-testid="fleet-fallback">
                    {move || locale.fill(words::FALLBACK, &[("code", &code), ("message", &message)])}
                    {missing}
                </p>
            }
            .into_any()
        }
    }
}
