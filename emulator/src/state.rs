//! The state every handler shares: the world behind its lock, the token
//! signer, request statistics, the fault menu and the settings request
//! handling reads. Cheap to clone.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::auth;
use crate::faults::Fault;
use crate::world::World;

/// What request handling reads from the start-up `Config`. A type of its own
/// because `Config` names a scenario, and seeding one reaches into the
/// providers, which depend on this module.
pub struct Settings {
    /// Items per page in list responses before a `nextLink` is given.
    pub page_size: usize,
    pub rotation_interval: Duration,
    pub lro_duration: Duration,
    pub state_file: Option<PathBuf>,
    pub max_body: usize,
    pub token_lifetime_secs: i64,
    /// `http` or `https`: the scheme links to this emulator are built with.
    pub scheme: &'static str,
    /// What `x-emulator-admin` must carry on the admin routes (`admin::guard`).
    pub admin_secret: String,
    /// Origins CORS answers besides the console's own (`--cors-origin`).
    pub cors_origins: Vec<String>,
    /// What `POST /_emulator/reset` seeds the world with.
    pub reset: Reset,
    /// The demo routes (`reset`, a new key version) answer without the admin secret: the demo
    /// scenario, every listener on loopback (`Config::demo_routes_open`).
    pub demo_routes_open: bool,
}

/// The start-up scenario, for `POST /_emulator/reset`: its name and how to seed it (a closure,
/// since seeding reaches into the providers, which depend on this module).
pub struct Reset {
    pub scenario: &'static str,
    pub seed: Box<dyn Fn() -> World + Send + Sync>,
}

/// Shared state behind every route. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    world: Mutex<World>,
    signer: auth::Signer,
    stats: Mutex<BTreeMap<String, u64>>,
    faults: Mutex<Vec<Fault>>,
    settings: Settings,
    public_base: Mutex<Option<String>>,
    /// The origins CORS answers: `settings.cors_origins` plus the console's, once it is bound.
    cors_origins: Mutex<Vec<String>>,
    /// With `--state`: the one thread that writes the file.
    persist: Option<crate::persistence::Writer>,
    /// Resource Graph's per-user quota windows.
    graph_quota: crate::resource_graph::quota::QuotaMeter,
    /// Resource Graph results that later pages are cut from.
    graph_snapshots: crate::resource_graph::snapshot::Snapshots,
    /// The world Resource Graph answers from, when it lags behind ARM.
    graph_index: crate::resource_graph::index::Index,
}

/// `scheme://host[:port]`, lower case, without a trailing `/`: how origins are compared.
fn normal_origin(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

impl AppState {
    /// State around `world`, with a fresh signing key, no statistics and no faults.
    pub fn with_world(world: World, settings: Settings) -> AppState {
        let persist = settings.state_file.clone().map(crate::persistence::Writer::new);
        let cors_origins = settings.cors_origins.iter().map(|o| normal_origin(o)).collect();
        AppState {
            inner: Arc::new(Inner {
                world: Mutex::new(world),
                signer: auth::Signer::random(),
                stats: Mutex::new(BTreeMap::new()),
                faults: Mutex::new(Vec::new()),
                settings: Settings { page_size: settings.page_size.max(1), ..settings },
                public_base: Mutex::new(None),
                cors_origins: Mutex::new(cors_origins),
                persist,
                graph_quota: Default::default(),
                graph_snapshots: Default::default(),
                graph_index: Default::default(),
            }),
        }
    }

    /// Resource Graph's per-user quota windows.
    pub fn graph_quota(&self) -> &crate::resource_graph::quota::QuotaMeter {
        &self.inner.graph_quota
    }

    /// Resource Graph results that later pages are cut from.
    pub fn graph_snapshots(&self) -> &crate::resource_graph::snapshot::Snapshots {
        &self.inner.graph_snapshots
    }

    /// How far Resource Graph's rows lag behind the world.
    pub fn graph_index(&self) -> &crate::resource_graph::index::Index {
        &self.inner.graph_index
    }

    /// The world, locked. Never hold it across an `.await`.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.inner.world.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn signer(&self) -> &auth::Signer {
        &self.inner.signer
    }

    pub fn tenant_id(&self) -> String {
        self.world().tenant_id.clone()
    }

    pub fn page_size(&self) -> usize {
        self.inner.settings.page_size
    }

    pub fn rotation_interval(&self) -> Duration {
        self.inner.settings.rotation_interval
    }

    pub fn lro_duration(&self) -> Duration {
        self.inner.settings.lro_duration
    }

    pub fn max_body(&self) -> usize {
        self.inner.settings.max_body
    }

    pub fn token_lifetime_secs(&self) -> i64 {
        self.inner.settings.token_lifetime_secs
    }

    pub fn state_file(&self) -> Option<&PathBuf> {
        self.inner.settings.state_file.as_ref()
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, Vec<Fault>> {
        self.inner.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn stats(&self) -> MutexGuard<'_, BTreeMap<String, u64>> {
        self.inner.stats.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn count(&self, route: &str) {
        *self.stats().entry(route.to_string()).or_insert(0) += 1;
    }

    /// The base URL links are built on; `None`: the request's `Host`.
    pub fn public_base(&self) -> Option<String> {
        self.inner.public_base.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// What the `x-emulator-admin` header must carry on `/_emulator/*` (all but `demo-token`).
    pub fn admin_secret(&self) -> &str {
        &self.inner.settings.admin_secret
    }

    /// Whether CORS answers `origin` (the console's own, or one given with `--cors-origin`).
    pub fn cors_allows(&self, origin: &str) -> bool {
        let origin = normal_origin(origin);
        self.inner.cors_origins.lock().unwrap_or_else(|p| p.into_inner()).iter().any(|o| *o == origin)
    }

    /// Lets CORS answer `origin` too (the console's origin, known once its listener is bound).
    pub fn allow_cors_origin(&self, origin: &str) {
        self.inner.cors_origins.lock().unwrap_or_else(|p| p.into_inner()).push(normal_origin(origin));
    }

    /// With `--state`: queues the world as it is now for the state file's writer.
    pub fn persist(&self) {
        if let Some(writer) = &self.inner.persist {
            let world = self.world();
            writer.submit(&world);
        }
    }

    /// With `--state`: waits (blocking, up to `timeout`) until every change so far is on disk.
    pub fn flush_state(&self, timeout: Duration) -> bool {
        self.inner.persist.as_ref().is_none_or(|w| w.flush(timeout))
    }

    /// Whether the demo routes answer without the admin secret.
    pub fn demo_routes_open(&self) -> bool {
        self.inner.settings.demo_routes_open
    }

    /// Seeds the world again from the start-up scenario, forgetting faults, Resource Graph
    /// snapshots and its lag; returns the scenario's name.
    pub fn reset_world(&self) -> &'static str {
        let world = (self.inner.settings.reset.seed)();
        *self.world() = world;
        self.faults().clear();
        self.inner.graph_snapshots.clear();
        self.inner.graph_index.clear();
        self.persist();
        self.inner.settings.reset.scenario
    }

    /// `http` or `https`.
    pub fn scheme(&self) -> &'static str {
        self.inner.settings.scheme
    }

    pub fn set_public_base(&self, base: Option<String>) {
        *self.inner.public_base.lock().unwrap_or_else(|p| p.into_inner()) = base;
    }

    /// A fresh ARM token for the scenario's demo user.
    pub fn demo_token(&self) -> String {
        let tenant = self.tenant_id();
        self.signer()
            .issue(
                &tenant,
                auth::ARM_AUDIENCE,
                self.token_lifetime_secs(),
                auth::DEMO_USER_OID,
                Some(auth::DEMO_USER_NAME),
                Some(auth::DEMO_USER_UPN),
            )
            .0
    }
}
