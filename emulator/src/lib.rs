//! A local, faithful stand-in for the Azure Resource Manager and Key Vault APIs
//! the ACR customer-managed-key console uses. It is the console's demo backend
//! and its test backend, so it enforces the service's rules and answers in the
//! service's shapes and words (see `README.md` for every known difference).
//!
//! Use it in-process with [`start`] (tests) or through the `acr-cmk-emulator` binary.
//!
//! `README.md`, "Source layout", maps the modules and the one direction imports go.

pub mod access_control;
pub mod activity_log;
pub mod admin;
pub mod api_shapes;
pub mod api_versions;
pub mod auth;
pub mod clock;
pub mod cloud_metadata;
pub mod console_host;
pub mod deployment;
pub mod directory;
pub mod entra;
pub mod errors;
pub mod faults;
pub mod fleet;
pub mod generic_resources;
pub mod graph;
pub mod hostile;
pub mod http;
pub mod id_mint;
pub mod identity;
pub mod key;
pub mod key_access;
pub mod lro;
pub mod persistence;
pub mod region;
pub mod registry;
pub mod registry_write;
pub mod resource_graph;
pub mod role_assignment;
pub mod role_definition;
pub mod router;
pub mod scenario;
pub mod state;
pub mod subscription;
pub mod system_data;
pub mod tick;
pub mod tls;
pub mod vault;
pub mod vault_proxy;
pub mod world;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method};
use axum::serve::ListenerExt;
use axum::Router;
use tokio::sync::oneshot;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use scenario::Scenario;
pub use state::AppState;

/// Where the form decoding lived before the HTTP framework had its own module;
/// kept so `acr_cmk_emulator::routes::percent_decode` still resolves for tests.
pub mod routes {
    pub use crate::http::{parse_form, percent_decode};
}

/// How to run the emulator. `Config::default()` is the demo on `127.0.0.1:8080`.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where ARM (and the Key Vault data plane under `/_vault/`) listens; port 0 picks a free port.
    pub listen: SocketAddr,
    pub scenario: Scenario,
    /// Items per page in list responses before a `nextLink` is given.
    pub page_size: usize,
    /// If set, serve this directory (the built console) on `console_listen`.
    pub console_dir: Option<PathBuf>,
    /// The console's own origin; defaults to `127.0.0.1:0` when `console_dir` is set.
    pub console_listen: Option<SocketAddr>,
    /// How long after a new key version exists a versionless CMK registry picks it up.
    pub rotation_interval: Duration,
    /// How long a registry create/update/delete runs before it settles even if nobody polls.
    pub lro_duration: Duration,
    /// Persist the world to this JSON file (loaded at start if it exists; written atomically).
    pub state_file: Option<PathBuf>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Lifetime of tokens from `/_emulator/demo-token`, in seconds.
    pub token_lifetime_secs: i64,
    /// Serve ARM (and the Key Vault data plane) over HTTPS with a generated local CA.
    pub tls: bool,
    /// With `tls`: write the CA certificate (PEM) here for clients to trust.
    pub ca_out: Option<PathBuf>,
    /// The secret every `/_emulator/*` route but `demo-token` wants in `x-emulator-admin`;
    /// `None`: a random one per process (see [`Running::admin_secret`]).
    pub admin_secret: Option<String>,
    /// Origins CORS answers besides the console's own (served with `console_dir`), e.g.
    /// `http://localhost:8081`. Any other origin gets no `Access-Control-Allow-Origin`.
    pub cors_origins: Vec<String>,
    /// Listen on a non-loopback address. Off: [`Config::check`] refuses one, since the emulator
    /// hands out tokens and admin routes to anyone who can reach it.
    pub allow_remote: bool,
    /// With `tls`: also listen here as an HTTP `CONNECT` proxy that tunnels
    /// `{vault}.vault.azure.net:443` to the HTTPS listener (see [`vault_proxy`]).
    pub vault_proxy_listen: Option<SocketAddr>,
}

impl Config {
    /// What makes this configuration unsafe or inconsistent to start with, in words for the operator.
    pub fn check(&self) -> Result<(), String> {
        let listens = std::iter::once(("--listen", self.listen))
            .chain(self.console_listen.map(|a| ("--console-listen", a)))
            .chain(self.vault_proxy_listen.map(|a| ("--vault-proxy-listen", a)));
        for (flag, addr) in listens {
            if !addr.ip().is_loopback() && !self.allow_remote {
                return Err(format!(
                    "{flag} {addr} is not a loopback address: anyone who can reach it gets tokens and, with the admin secret, the admin routes. Pass --allow-remote (Config::allow_remote) to listen there anyway."
                ));
            }
        }
        Ok(())
    }
}

impl Config {
    /// Whether the demo routes (`POST /_emulator/reset`, a new key version) answer without the
    /// admin secret: the demo scenario, and every listener on a loopback address, so only this
    /// machine can call them (emulator/README.md, "Emulator-only routes").
    pub fn demo_routes_open(&self) -> bool {
        let mut listens = std::iter::once(self.listen).chain(self.console_listen).chain(self.vault_proxy_listen);
        self.scenario == Scenario::Demo && listens.all(|a| a.ip().is_loopback())
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            scenario: Scenario::Demo,
            page_size: 100,
            console_dir: None,
            console_listen: None,
            rotation_interval: Duration::from_secs(10),
            lro_duration: Duration::from_secs(3),
            state_file: None,
            max_body_bytes: 1024 * 1024,
            token_lifetime_secs: 3600,
            tls: false,
            ca_out: None,
            admin_secret: None,
            cors_origins: Vec::new(),
            allow_remote: false,
            vault_proxy_listen: None,
        }
    }
}

impl AppState {
    /// State seeded from `config.scenario` (or from `config.state_file` when it exists; a file
    /// that cannot be read or parsed is an error naming it). Defined here, not in `state`,
    /// because seeding reaches into the providers.
    pub fn new(config: &Config) -> Result<AppState, String> {
        let loaded = match &config.state_file {
            Some(path) => persistence::load(path)?,
            None => None,
        };
        let world = loaded.unwrap_or_else(|| scenario::seed(config.scenario));
        Ok(AppState::with_world(
            world,
            state::Settings {
                page_size: config.page_size,
                rotation_interval: config.rotation_interval,
                lro_duration: config.lro_duration,
                state_file: config.state_file.clone(),
                max_body: config.max_body_bytes,
                token_lifetime_secs: config.token_lifetime_secs,
                scheme: if config.tls { "https" } else { "http" },
                admin_secret: config.admin_secret.clone().unwrap_or_else(admin::random_secret),
                cors_origins: config.cors_origins.clone(),
                reset: {
                    let scenario = config.scenario;
                    state::Reset { scenario: scenario.name(), seed: Box::new(move || scenario::seed(scenario)) }
                },
                demo_routes_open: config.demo_routes_open(),
            },
        ))
    }
}

/// The ARM + Key Vault app: admin routes, the route table, CORS and request ids.
/// Usable with `tower::ServiceExt::oneshot` in tests.
pub fn app(state: AppState) -> Router {
    let allowed = state.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, _| origin.to_str().is_ok_and(|o| allowed.cors_allows(o))))
        .allow_methods([Method::GET, Method::PUT, Method::PATCH, Method::POST, Method::DELETE, Method::HEAD, Method::OPTIONS])
        .allow_headers([
            HeaderName::from_static("authorization"),
            HeaderName::from_static("content-type"),
            HeaderName::from_static("x-ms-client-request-id"),
            HeaderName::from_static("x-ms-return-client-request-id"),
            HeaderName::from_static("accept-language"),
            HeaderName::from_static("if-match"),
        ])
        .expose_headers([
            HeaderName::from_static("azure-asyncoperation"),
            HeaderName::from_static("etag"),
            HeaderName::from_static("location"),
            HeaderName::from_static("retry-after"),
            HeaderName::from_static("x-ms-request-id"),
            // Resource Graph's quota: the fleet page paces itself by them.
            HeaderName::from_static("x-ms-user-quota-remaining"),
            HeaderName::from_static("x-ms-user-quota-resets-after"),
            // The console's ticket report quotes it beside the request id.
            HeaderName::from_static("x-ms-correlation-request-id"),
        ])
        .max_age(Duration::from_secs(3600));
    admin::router()
        .merge(entra::router(state.clone()))
        .fallback(router::dispatch)
        .layer(axum::middleware::from_fn(admin::arm_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), admin::guard))
        .with_state(state)
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(cors)
        .layer(axum::middleware::map_response(add_request_id))
}

/// A handler that panics answers `500 InternalServerError` in ARM's shape (inside the CORS and
/// request-id layers, so the browser can read it) and the server keeps serving. The world's lock
/// is poison-tolerant, so the next request sees the world as the panicking handler left it.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    let detail =
        panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied()).unwrap_or("no message");
    axum::response::IntoResponse::into_response(errors::ArmError::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "InternalServerError",
        format!("The emulator failed while handling the request (a handler panicked: {detail})."),
    ))
}

/// Every answer's `x-ms-request-id`, and its `x-ms-correlation-request-id` unless the pipeline set one
/// (a write's, which its Activity Log events carry as `correlationId`).
async fn add_request_id(mut resp: axum::response::Response) -> axum::response::Response {
    let id = uuid::Uuid::new_v4().to_string();
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-ms-request-id", v.clone());
        if !resp.headers().contains_key("x-ms-correlation-request-id") {
            resp.headers_mut().insert("x-ms-correlation-request-id", v);
        }
    }
    resp
}

/// A running emulator. Dropping it stops the servers.
pub struct Running {
    /// e.g. `http://127.0.0.1:43123`
    pub arm_url: String,
    /// Where the console is served, when `console_dir` was set.
    pub console_url: Option<String>,
    /// `http://ADDR` of the Key Vault `CONNECT` proxy, when `vault_proxy_listen` was set.
    pub vault_proxy_url: Option<String>,
    /// With `tls`: the generated CA certificate (PEM) that signed the server's certificate.
    pub ca_pem: Option<String>,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// A fresh ARM token for the demo user, signed by this emulator.
    pub fn demo_token(&self) -> String {
        self.state.demo_token()
    }

    /// The value `/_emulator/*` routes (all but `demo-token`) want in the `x-emulator-admin` header.
    pub fn admin_secret(&self) -> &str {
        self.state.admin_secret()
    }

    /// Stops serving, waits for the servers to finish and (with `--state`) for the state file
    /// to hold every change.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        for mut t in std::mem::take(&mut self.tasks) {
            if tokio::time::timeout(Duration::from_secs(3), &mut t).await.is_err() {
                t.abort();
            }
        }
        let state = self.state.clone();
        let _ = tokio::task::spawn_blocking(move || state.flush_state(Duration::from_secs(5))).await;
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Binds, seeds and starts serving; returns once both listeners accept connections.
pub async fn start(config: Config) -> std::io::Result<Running> {
    config.check().map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let state = AppState::new(&config).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let identity = if config.tls { Some(tls::Identity::generate()?) } else { None };
    if let (Some(id), Some(path)) = (&identity, &config.ca_out) {
        id.write_ca(path)?;
    }
    let arm_url = format!("{}://{addr}", state.scheme());
    let (tx, rx) = oneshot::channel::<()>();
    let shared_rx = futures_shutdown(rx);
    let mut tasks = Vec::new();

    let mut console_url = None;
    if let Some(dir) = config.console_dir.clone() {
        let console_addr = config.console_listen.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let console_listener = tokio::net::TcpListener::bind(console_addr).await?;
        let caddr = console_listener.local_addr()?;
        console_url = Some(format!("http://{caddr}"));
        // The console calls ARM cross-origin from here: CORS answers it (and `localhost` for a loopback one).
        state.allow_cors_origin(&format!("http://{caddr}"));
        if caddr.ip().is_loopback() {
            state.allow_cors_origin(&format!("http://localhost:{}", caddr.port()));
        }
        let router = console_host::router(dir, arm_url.clone());
        let mut rx2 = shared_rx.clone();
        tasks.push(tokio::spawn(async move {
            let _ = axum::serve(console_listener.tap_io(no_delay), router)
                .with_graceful_shutdown(async move {
                    let _ = rx2.changed().await;
                })
                .await;
        }));
    }

    let mut vault_proxy_url = None;
    if let Some(proxy_addr) = config.vault_proxy_listen {
        if !config.tls {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "--vault-proxy-listen needs --tls"));
        }
        let proxy_listener = tokio::net::TcpListener::bind(proxy_addr).await?;
        vault_proxy_url = Some(format!("http://{}", proxy_listener.local_addr()?));
        let mut rx3 = shared_rx.clone();
        tasks.push(tokio::spawn(async move {
            tokio::select! {
                _ = vault_proxy::serve(proxy_listener, addr) => {}
                _ = rx3.changed() => {}
            }
        }));
    }

    let router = app(state.clone());
    let mut rx1 = shared_rx;
    let ca_pem = identity.as_ref().map(|i| i.ca_pem.clone());
    match identity {
        Some(id) => {
            let tls_listener = tls::TlsListener::new(listener, id.acceptor())?;
            tasks.push(tokio::spawn(async move {
                let _ = axum::serve(tls_listener, router)
                    .with_graceful_shutdown(async move {
                        let _ = rx1.changed().await;
                    })
                    .await;
            }));
        }
        None => tasks.push(tokio::spawn(async move {
            let _ = axum::serve(listener.tap_io(no_delay), router)
                .with_graceful_shutdown(async move {
                    let _ = rx1.changed().await;
                })
                .await;
        })),
    }
    Ok(Running { arm_url, console_url, vault_proxy_url, ca_pem, state, shutdown: Some(tx), tasks })
}

/// Streamed bodies (the console's files) otherwise wait ~40 ms on Nagle and delayed ACKs.
fn no_delay(tcp: &mut tokio::net::TcpStream) {
    let _ = tcp.set_nodelay(true);
}

/// Turns a oneshot into a watch so two servers can wait on one signal.
fn futures_shutdown(rx: oneshot::Receiver<()>) -> tokio::sync::watch::Receiver<bool> {
    let (wtx, wrx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _ = rx.await;
        let _ = wtx.send(true);
    });
    wrx
}
