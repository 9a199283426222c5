//! One registry, as a feature folder: its encryption in words a helpdesk can
//! read ([`encryption`]), the key-access diagnosis ([`diagnosis`]: verdict,
//! chain diagram, ordered checks, fixes), its identities ([`identities`]), the
//! writes in write mode ([`writes`]), the [`overview`], and the raw ARM JSON
//! one click away. For helpdesk: the key's [`rotation`] health and the ticket
//! [`report`] (Markdown to copy, JSON to download), and who changed what, when: the [`activity`] log of
//! the registry and its vault, to which a failing check links its likely cause.
//!
//! The registry is read first and shown at once; the diagnosis reads (vault,
//! key versions, identity, role assignments) follow and fill in their panels.
//! Parts deep in the page find the registry and the refresh in [`RegistryContext`], and what the
//! signed-in user may do in [`caller_access`] (read with the diagnosis; every write is gated by it).

mod activity;
mod caller_access;
mod context;
mod diagnosis;
mod encryption;
mod identities;
mod overview;
mod report;
mod rotation;
pub(crate) mod writes;

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::diagnosis::{diagnose, Snapshot};
use acr_cmk_domain::report::TicketReport;
use acr_cmk_domain::rotation_health::rotation_health;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use crate::arm_client::{ArmClient, RegistryRead};
use crate::components::error_box::ErrorList;
use crate::components::loading::Loading;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::registry as words;
use crate::i18n::{tr, Locale};
use crate::routes;
use crate::session::SessionStore;
use activity::{ActivityPanel, ActivitySignal};
use caller_access::CallerAccessSignal;
use context::RegistryContext;
use diagnosis::{DiagnosisPanel, DiagnosisPending};
use encryption::Encryption;
use identities::IdentitiesPanel;
use overview::Overview;
use report::ReportActions;
use rotation::RotationPanel;
use writes::RegistryWrites;

/// What the router shows at a registry's address: the page, whose code is a wasm chunk of its own
/// (issue 14): the first load is the shell and sign-in, and [`crate::pages::preload`] starts fetching
/// this chunk as soon as a deep link to a registry starts the console. The route's `Transition` shows
/// nothing until the chunk has come and the page is built, so it appears whole.
pub fn registry_route() -> AnyView {
    crate::lazy_route::view(registry_page())
}

#[lazy]
pub(crate) fn registry_page() -> AnyView {
    view! { <RegistryPage /> }.into_any()
}

#[component]
pub fn RegistryPage() -> impl IntoView {
    let Some(client) = SessionStore::expect().client() else {
        return view! { <Redirect path=routes::SIGN_IN /> }.into_any();
    };
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| ResourceId::registry(&p.get("sub")?, &p.get("rg")?, &p.get("name")?)));
    view! {
        {move || match id.get() {
            Some(id) => view! { <RegistryDetails id client=client.clone() /> }.into_any(),
            None => view! {
                <section class="page">
                    <h1>{tr(words::NOT_A_REGISTRY)}</h1>
                    <p>
                        {tr(words::NOT_A_REGISTRY_HELP)}
                        <a href=routes::HOME>{tr(words::GO_TO_REGISTRIES)}</a>
                    </p>
                </section>
            }
            .into_any(),
        }}
    }
    .into_any()
}

#[component]
fn RegistryDetails(id: ResourceId, client: ArmClient) -> impl IntoView {
    let arm_id = id.to_string();
    let client_for_view = client.clone();
    let registry = ErasedResource::new(move || {
        // The guided demo changed Azure behind the page: read again.
        crate::world_changed::WorldChanged::track();
        let client = client.clone();
        let arm_id = arm_id.clone();
        async move { client.registry(&arm_id).await }
    });
    let retry = Callback::new(move |()| registry.refetch());

    view! {
        <section class="page">
            <nav class="breadcrumb" aria-label=tr(words::BREADCRUMB)>
                <a href=routes::HOME>{tr(words::REGISTRIES)}</a>
                <span aria-hidden="true">" › "</span>
                <span>{id.resource_group.clone()}</span>
                <span aria-hidden="true">" › "</span>
                <span aria-current="page">{id.name.clone()}</span>
            </nav>
            <Transition fallback=move || view! { <Loading what=words::THE_REGISTRY /> }>
                <ErrorBoundary fallback=move |errors| view! { <ErrorList errors on_retry=retry /> }>
                    {move || {
                        let client = client_for_view.clone();
                        Suspend::new(async move {
                            let read = registry.await?;
                            let snapshot = diagnosis_snapshot(client.clone(), read.registry.clone());
                            // Let the diagnosis' first reads go out before the page is built: building
                            // it takes tens of ms (on a first visit, compiling as it runs), and the
                            // verdict waits on those reads, not on the page.
                            leptos::task::tick().await;
                            Ok::<_, crate::arm_client::ClientError>(view! { <RegistryView read client snapshot on_refresh=retry /> })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The key-access diagnosis' reads about `registry`, started at once.
fn diagnosis_snapshot(client: ArmClient, registry: acr_cmk_domain::registry::Registry) -> ErasedResource<Snapshot> {
    ErasedResource::new(move || {
        let (client, registry) = (client.clone(), registry.clone());
        async move { client.load_diagnosis_snapshot(&registry).await }
    })
}

#[component]
fn RegistryView(read: RegistryRead, client: ArmClient, snapshot: ErasedResource<Snapshot>, on_refresh: Callback<()>) -> impl IntoView {
    let RegistryRead { registry, raw_json, attempts, trace } = read;
    let loaded = once_loaded(snapshot);
    // The Activity Log: the registry's beside the diagnosis, the vault's once the diagnosis found it.
    let activity = activity::load(client.clone(), registry.clone(), snapshot);
    provide_context(ActivitySignal(once_loaded(activity)));
    provide_context(RegistryContext { registry: registry.clone(), refresh: on_refresh });
    // What the caller may do, read with the diagnosis (one request per scope, in its existing waves).
    provide_context(CallerAccessSignal(Signal::derive(move || loaded.with(|s| s.as_ref().map(Snapshot::caller_access)))));
    let diagnosed = Signal::derive(move || loaded.with(Option::is_some));
    let encrypting = Signal::derive(move || loaded.with(|s| s.as_ref().and_then(Snapshot::identity)));
    // The encrypting user-assigned identity is attached but its resource is gone (deleted).
    let encrypting_deleted = Signal::derive(move || {
        loaded.with(|s| s.as_ref().is_some_and(|s| matches!(s.encrypting_identity, acr_cmk_domain::diagnosis::Fetched::NotFound)))
    });
    let system_client_id = Signal::derive(move || {
        loaded
            .with(|s| s.as_ref().and_then(|s| s.system_identity.found().map(|i| i.properties.client_id.clone())).filter(|c| !c.is_empty()))
    });
    let locale = Locale::expect();
    let retried = (attempts > 1).then(|| {
        let times = (attempts - 1).to_string();
        let text = if attempts == 2 { words::READ_RETRIED_ONCE } else { words::READ_RETRIED };
        view! {
            <p class="notice" role="status" data-testid="read-retried">
                {move || locale.fill(text, &[("n", &times)])}
            </p>
        }
    });

    view! {
        <header class="page-head">
            <h1 data-testid="registry-name">{registry.name.clone()}</h1>
            <span class="muted">{tr(words::CONTAINER_REGISTRY)}</span>
            <button type="button" class="secondary refresh" data-testid="refresh" on:click=move |_| on_refresh.run(())>
                {tr(words::REFRESH)}
            </button>
        </header>
        {retried}
        <Transition fallback=DiagnosisPending>
            {move || {
                let trace = trace.clone();
                Suspend::new(async move {
                    let snapshot = snapshot.await;
                    let diagnosis = diagnose(&snapshot);
                    let report = TicketReport::build(&snapshot, &diagnosis, trace, env!("CARGO_PKG_VERSION"));
                    let rotation = rotation_health(&snapshot);
                    view! {
                        <DiagnosisPanel diagnosis snapshot id="diagnosis" />
                        {rotation.map(|health| view! { <RotationPanel health /> })}
                        <ReportActions report />
                    }
                })
            }}
        </Transition>
        <ActivityPanel activity />
        <div class="columns">
            <Encryption registry=registry.clone() encrypting diagnosed />
            <IdentitiesPanel registry=registry.clone() system_client_id encrypting encrypting_deleted diagnosed />
        </div>
        <RegistryWrites registry=registry.clone() on_refresh />
        <Overview registry=registry.clone() />
        <details class="panel raw">
            <summary>{tr(words::RAW_JSON)}</summary>
            <pre data-testid="raw-json" tabindex="0" aria-label=tr(words::RAW_JSON_LABEL)>{raw_json}</pre>
        </details>
    }
}

/// `resource`'s value once loaded, `None` until then, for the parts of the page that fill in from it.
/// Read directly (`resource.get()`) inside the page's `Transition`, a resource registers with it and
/// holds the whole page, the registry's status included, until it has loaded: the status then waited
/// for the diagnosis' last wave (issue 14). Awaited in a task of its own it holds nothing. The resources
/// read this way track nothing, so they load once per view (a refresh builds a new view).
fn once_loaded<T: Clone + Send + Sync + 'static>(resource: ErasedResource<T>) -> Signal<Option<T>> {
    let value = RwSignal::new(None);
    // Taken now, while the resource exists; the future keeps what it needs if the view goes first.
    let ready = std::future::IntoFuture::into_future(resource);
    leptos::task::spawn_local(async move {
        let loaded = ready.await;
        // The page may have gone (navigated away) before the reads came back: then nothing to fill.
        let _ = value.try_set(Some(loaded));
    });
    value.into()
}
