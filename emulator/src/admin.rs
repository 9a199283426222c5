//! Emulator-only routes under `/_emulator/`: tokens for the demo and for tests,
//! request statistics, the fault menu, the registry data-plane probe and a dump
//! of the world. Nothing here exists in Azure.
//!
//! All of them but `demo-token` (the demo's sign-in, as open as the emulated
//! Entra ID) need the per-process admin secret in `x-emulator-admin` ([`guard`]),
//! except the two **demo routes** the console's guided demo calls, `POST /_emulator/reset`
//! and `POST /_emulator/vaults/{vault}/keys/{key}/new-version`, which answer without it
//! when the emulator runs the demo scenario on loopback only (`Config::demo_routes_open`): the
//! console is never given the admin secret, and a presenter's own machine is the only one
//! that can reach it then (as it can already reach `demo-token`). Anywhere else they
//! want the secret like every other admin route.

use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use crate::errors::ArmError;
use crate::state::AppState;
use crate::{auth, clock, faults, key_access};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_emulator/demo-token", post(demo_token).get(demo_token))
        .route("/_emulator/token", post(token))
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/stats/reset", post(reset_stats))
        .route("/_emulator/faults", post(add_fault).get(list_faults).delete(clear_faults))
        .route("/_emulator/registries/{name}/v2", get(probe))
        .route("/_emulator/registries/{name}/v2/", get(probe))
        .route("/_emulator/state", get(dump))
        .route("/_emulator/hostile", post(crate::hostile::seed_route))
        .route("/_emulator/panic", post(panic))
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/resource-graph/lag", post(set_graph_lag).get(graph_lag).delete(clear_graph_lag))
        .route("/_emulator/vaults/{vault}/keys/{key}/new-version", post(new_key_version))
}

/// The routes `Config::demo_routes_open` opens.
fn is_demo_route(method: &axum::http::Method, path: &str) -> bool {
    let new_version = path.starts_with("/_emulator/vaults/") && path.ends_with("/new-version");
    method == axum::http::Method::POST && (path == "/_emulator/reset" || new_version)
}

/// The header the admin routes want the secret in.
pub const ADMIN_HEADER: &str = "x-emulator-admin";

/// 32 random bytes, hex: the admin secret when none is configured.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the OS random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lets `/_emulator/*` through only with the admin secret (except `demo-token`); everything
/// else passes untouched. Missing: `401`, wrong: `403`, both in ARM's error shape.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let open = !path.starts_with("/_emulator/")
        || path == "/_emulator/demo-token"
        || (state.demo_routes_open() && is_demo_route(request.method(), path));
    if open {
        return next.run(request).await;
    }
    match request.headers().get(ADMIN_HEADER) {
        None => ArmError::new(
            StatusCode::UNAUTHORIZED,
            "EmulatorAdminSecretMissing",
            format!("The emulator's admin routes need the header '{ADMIN_HEADER}' with the admin secret printed at start-up."),
        )
        .with_header(axum::http::header::WWW_AUTHENTICATE, format!("EmulatorAdmin header=\"{ADMIN_HEADER}\""))
        .into_response(),
        Some(given) if same(given.as_bytes(), state.admin_secret().as_bytes()) => next.run(request).await,
        Some(_) => ArmError::new(
            StatusCode::FORBIDDEN,
            "EmulatorAdminSecretInvalid",
            format!("The '{ADMIN_HEADER}' header does not carry this emulator's admin secret."),
        )
        .into_response(),
    }
}

/// axum's own answers on the admin routes (`405` for a wrong method, plain-text rejections of
/// a path or body it cannot extract) become ARM's error shape, like everything else the emulator
/// answers; ARM-shaped answers pass untouched.
pub async fn arm_errors(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/_emulator/") {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let resp = next.run(request).await;
    let status = resp.status();
    let is_json = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|c| c.starts_with("application/json"));
    if status.is_success() || status.is_redirection() || is_json {
        return resp;
    }
    let text = axum::body::to_bytes(resp.into_body(), 64 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let err = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            ArmError::new(status, "HttpMethodNotSupported", format!("The HTTP method '{method}' is not supported at '{path}'."))
        }
        StatusCode::NOT_FOUND => ArmError::not_found("NoRouteFound", format!("The emulator serves no API at '{path}'.")),
        _ => ArmError::new(status, "InvalidRequestContent", format!("The request to '{path}' was invalid: {text}")),
    };
    err.into_response()
}

/// Equality whose time does not depend on where the inputs differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The shape `az account get-access-token` prints.
fn token_body(token: String, claims: &auth::Claims) -> serde_json::Value {
    json!({
        "accessToken": token,
        "expiresOn": clock::az_cli_time(claims.exp),
        "expires_on": claims.exp,
        "subscription": crate::scenario::DEMO_SUBSCRIPTION,
        "tenant": claims.tid,
        "tokenType": "Bearer",
    })
}

#[derive(Deserialize)]
struct DemoUser {
    #[serde(default)]
    user: Option<String>,
}

/// `?user=helpdesk`: the helpdesk Reader instead of the administrator (Owner).
async fn demo_token(State(state): State<AppState>, Query(who): Query<DemoUser>) -> Response {
    let (oid, name, upn) = match who.user.as_deref() {
        None | Some("") | Some("admin") => (auth::DEMO_USER_OID, auth::DEMO_USER_NAME, auth::DEMO_USER_UPN),
        Some("helpdesk") => (auth::HELPDESK_USER_OID, auth::HELPDESK_USER_NAME, auth::HELPDESK_USER_UPN),
        Some(other) => {
            return ArmError::bad_request("UnknownDemoUser", format!("There is no demo user '{other}': use 'admin' or 'helpdesk'."))
                .into_response()
        }
    };
    let tenant = state.tenant_id();
    let (token, claims) = state.signer().issue(&tenant, auth::ARM_AUDIENCE, state.token_lifetime_secs(), oid, Some(name), Some(upn));
    axum::Json(token_body(token, &claims)).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenRequest {
    #[serde(default)]
    expires_in_secs: Option<i64>,
    #[serde(default)]
    aud: Option<String>,
    #[serde(default)]
    oid: Option<String>,
    #[serde(default)]
    name: Option<String>,
    /// The user's UPN (default: the demo administrator's).
    #[serde(default)]
    upn: Option<String>,
    /// An application's token instead: `appid` set, no `upn` (as Entra ID issues to a service principal).
    #[serde(default)]
    appid: Option<String>,
}

async fn token(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let req: TokenRequest = if body.is_empty() {
        TokenRequest { expires_in_secs: None, aud: None, oid: None, name: None, upn: None, appid: None }
    } else {
        match serde_json::from_slice(&body) {
            Ok(r) => r,
            Err(e) => return ArmError::invalid_body(e).into_response(),
        }
    };
    let tenant = state.tenant_id();
    let (token, claims) = state.signer().issue(
        &tenant,
        req.aud.as_deref().unwrap_or(auth::ARM_AUDIENCE),
        req.expires_in_secs.unwrap_or(state.token_lifetime_secs()),
        req.oid.as_deref().unwrap_or(auth::DEMO_USER_OID),
        Some(req.name.as_deref().unwrap_or(auth::DEMO_USER_NAME)),
        Some(req.upn.as_deref().unwrap_or(auth::DEMO_USER_UPN)),
    );
    let (token, claims) = match req.appid {
        Some(appid) => {
            let claims = auth::Claims { upn: None, appid: Some(appid), ..claims };
            (state.signer().sign(&claims), claims)
        }
        None => (token, claims),
    };
    axum::Json(token_body(token, &claims)).into_response()
}

async fn stats(State(state): State<AppState>) -> Response {
    let routes = state.stats().clone();
    let total: u64 = routes.values().sum();
    axum::Json(json!({ "total": total, "routes": routes })).into_response()
}

async fn reset_stats(State(state): State<AppState>) -> Response {
    state.stats().clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn add_fault(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let fault: faults::Fault = match serde_json::from_slice(&body) {
        Ok(f) => f,
        Err(e) => return ArmError::invalid_body(e).into_response(),
    };
    if let Err(e) = fault.validate() {
        return e.into_response();
    }
    state.faults().push(fault.clone());
    (StatusCode::CREATED, axum::Json(fault)).into_response()
}

async fn list_faults(State(state): State<AppState>) -> Response {
    axum::Json(json!({ "value": state.faults().clone() })).into_response()
}

async fn clear_faults(State(state): State<AppState>) -> Response {
    state.faults().clear();
    StatusCode::NO_CONTENT.into_response()
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GraphLag {
    lag_ms: i64,
}

/// `POST /_emulator/resource-graph/lag` `{"lagMs": N}`: Resource Graph answers from a copy of the world
/// taken now and again whenever it is `N` ms old (see `resource_graph::index`); 0 is live.
async fn set_graph_lag(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let lag: GraphLag = match serde_json::from_slice(&body) {
        Ok(l) => l,
        Err(e) => return ArmError::invalid_body(e).into_response(),
    };
    if lag.lag_ms < 0 {
        return ArmError::bad_request("InvalidRequestContent", format!("'lagMs' must not be negative (got {}).", lag.lag_ms))
            .into_response();
    }
    state.graph_index().set_lag(lag.lag_ms, clock::now_millis(), || state.world().clone());
    axum::Json(state.graph_index().status()).into_response()
}

async fn graph_lag(State(state): State<AppState>) -> Response {
    axum::Json(state.graph_index().status()).into_response()
}

async fn clear_graph_lag(State(state): State<AppState>) -> Response {
    state.graph_index().clear();
    StatusCode::NO_CONTENT.into_response()
}

/// Stand-in for `GET https://{loginServer}/v2/`: 200 while the registry can
/// reach its key, 403 with a key-access error once it cannot.
async fn probe(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let world = state.world();
    let Some(rec) = world.registries.iter().find(|r| r.registry.name.eq_ignore_ascii_case(&name)) else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"errors":[{"code":"NAME_UNKNOWN","message":format!("registry '{name}' does not exist"),"detail":null}]})),
        )
            .into_response();
    };
    match key_access::registry_health(&world, rec, clock::now_secs()) {
        Ok(()) => (StatusCode::OK, axum::Json(json!({}))).into_response(),
        Err(failure) => (
            StatusCode::FORBIDDEN,
            axum::Json(json!({"errors":[{"code":"DENIED","message":format!("The registry's data is inaccessible: the customer-managed key cannot be reached. {}", failure.message),"detail":null}]})),
        )
            .into_response(),
    }
}

/// `POST /_emulator/reset`: the world as the start-up scenario seeds it (every change since
/// start, including one loaded from `--state`, is gone), no faults; `200` with the scenario's name.
async fn reset(State(state): State<AppState>) -> Response {
    let scenario = state.reset_world();
    axum::Json(json!({ "scenario": scenario })).into_response()
}

/// `POST /_emulator/vaults/{vault}/keys/{key}/new-version`: a new version of the key, as
/// `az keyvault key rotate` makes one on Key Vault's data plane (which the browser cannot call:
/// Key Vault sends no CORS headers). `200 {"kid": "https://{vault}.vault.azure.net/keys/{key}/{version}"}`;
/// an unknown vault or key is `404`.
async fn new_key_version(State(state): State<AppState>, Path((vault, key)): Path<(String, String)>) -> Response {
    let kid = {
        let mut w = state.world();
        let Some(idx) = w.key_index(&vault, &key) else {
            return ArmError::not_found("KeyNotFound", format!("Vault '{vault}' has no key '{key}'.")).into_response();
        };
        let version = crate::key::new_version(&w.ids.key_version(), clock::now_secs());
        let kid = format!("https://{}.vault.azure.net/keys/{}/{}", w.keys[idx].vault, w.keys[idx].name, version.version);
        w.keys[idx].versions.push(version);
        kid
    };
    state.persist();
    axum::Json(json!({ "kid": kid })).into_response()
}

async fn dump(State(state): State<AppState>) -> Response {
    let world = state.world();
    axum::Json(serde_json::to_value(&*world).unwrap_or_default()).into_response()
}

/// Emulator-only and hidden from `--help`: a handler that panics, so tests can
/// check that a panic becomes a `500` in ARM's shape and the server keeps serving.
async fn panic() -> Response {
    panic!("panic requested through POST /_emulator/panic")
}
