//! A minimal Microsoft Entra ID (v2.0 endpoints) for one tenant: OpenID
//! discovery, the authorization endpoint with a tiny account picker, and the
//! token endpoint with the authorization-code (+PKCE), refresh-token and
//! client-credentials grants. Tokens are signed by the same [`auth::Signer`]
//! as every other emulator token, so ARM and Key Vault routes accept them.
//!
//! Errors follow Entra: problems with the client or its redirect URI are shown
//! on the page (a bad redirect URI must never be followed); everything else is
//! sent back to the redirect URI as `error`/`error_description`; the token
//! endpoint answers Entra's JSON (`error`, `error_description` with an AADSTS
//! code, `error_codes`, `timestamp`, `trace_id`, `correlation_id`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use acr_cmk_domain::entra::encode_component;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::http::{parse_form, percent_decode};
use crate::state::AppState;
use crate::{auth, clock};

// The demo directory's names stay reachable here, where tests and the scenario look for them.
pub use crate::directory::{
    demo_directory, Directory, DirectoryUser, SpaApp, DANA_NAME, DANA_OID, DANA_UPN, DEMO_SPA_CLIENT_ID, DEMO_SPA_NAME,
};

/// Authorization codes live this long (Entra: about 10 minutes).
const CODE_LIFETIME_SECS: i64 = 600;
/// A SPA's refresh tokens end this long after sign-in, however often they are used.
const SPA_REFRESH_LIFETIME_SECS: i64 = 24 * 3600;
/// Other clients' refresh tokens (Entra: 90 days, sliding).
const REFRESH_LIFETIME_SECS: i64 = 90 * 24 * 3600;

const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "email"];

/// Lines for the binary to print at start: the authority, token endpoint and
/// every client a script or the console can sign in with.
pub fn startup_summary(state: &AppState, arm_url: &str) -> Vec<String> {
    let world = state.world();
    let tenant = &world.tenant_id;
    let mut lines = vec![
        format!("entra authority {arm_url}/{tenant} (tenant {tenant})"),
        format!("entra token endpoint {arm_url}/{tenant}/oauth2/v2.0/token"),
    ];
    for sp in &world.service_principals {
        lines.push(format!(
            "service principal '{}': tenant {tenant} client id {} client secret {}",
            sp.display_name, sp.client_id, sp.client_secret
        ));
    }
    for app in &world.directory.spa_apps {
        lines.push(format!(
            "spa app '{}': client id {}{}",
            app.display_name,
            app.client_id,
            if app.any_loopback_redirect { " (any http://127.0.0.1:* or http://localhost:* redirect URI)" } else { "" }
        ));
    }
    lines
}

/// Knobs for tests (`POST /_emulator/entra/settings`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Lifetime of access tokens from the token endpoint; default: the emulator's token lifetime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_lifetime_secs: Option<i64>,
    /// Lifetime of a SPA's refresh tokens after sign-in; default 24 h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spa_refresh_lifetime_secs: Option<i64>,
}

struct CodeGrant {
    client_id: String,
    redirect_uri: String,
    /// `(method, challenge)`.
    challenge: Option<(String, String)>,
    scopes: Vec<String>,
    user_oid: String,
    nonce: Option<String>,
    issued_at: i64,
    redeemed: bool,
}

struct RefreshGrant {
    client_id: String,
    user_oid: String,
    spa: bool,
    auth_time: i64,
    expires_at: i64,
    revoked: bool,
}

#[derive(Default)]
struct Grants {
    codes: HashMap<String, CodeGrant>,
    refresh: HashMap<String, RefreshGrant>,
    settings: Settings,
}

#[derive(Clone)]
struct Entra {
    app: AppState,
    grants: Arc<Mutex<Grants>>,
}

impl Entra {
    fn grants(&self) -> MutexGuard<'_, Grants> {
        self.grants.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The identity routes; merge into the app (they carry their own grant store).
pub fn router(app: AppState) -> Router<AppState> {
    let entra = Entra { app, grants: Arc::new(Mutex::new(Grants::default())) };
    Router::new()
        .route("/{tenant}/v2.0/.well-known/openid-configuration", get(discovery))
        .route("/{tenant}/discovery/v2.0/keys", get(keys))
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize_get).post(authorize_post))
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/_emulator/entra/settings", post(set_settings).get(get_settings))
        .route("/_emulator/entra/revoke", post(revoke))
        .with_state(entra)
}

// ---------------------------------------------------------------- helpers

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf).expect("the OS random source");
    URL_SAFE_NO_PAD.encode(buf)
}

struct Params(Vec<(String, String)>);

impl Params {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `http(s)://host:port` this request reached, for the discovery document.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(base) = state.public_base() {
        return base.trim_end_matches('/').to_string();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let scheme = state.scheme();
    format!("{scheme}://{host}")
}

/// `common`, `organizations` and the tenant's id name the one tenant.
fn tenant_known(state: &AppState, tenant: &str) -> bool {
    tenant.eq_ignore_ascii_case(&state.tenant_id()) || tenant.eq_ignore_ascii_case("common") || tenant.eq_ignore_ascii_case("organizations")
}

fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn timestamp(secs: i64) -> String {
    format!("{}Z", acr_cmk_domain::encryption::format_unix_utc(secs))
}

/// Entra's OAuth error, as JSON from the token endpoint or as redirect parameters.
#[derive(Debug)]
struct OAuthError {
    status: StatusCode,
    error: &'static str,
    code: u32,
    description: String,
}

impl OAuthError {
    fn new(error: &'static str, code: u32, description: impl Into<String>) -> OAuthError {
        OAuthError { status: StatusCode::BAD_REQUEST, error, code, description: description.into() }
    }

    fn status(mut self, status: StatusCode) -> OAuthError {
        self.status = status;
        self
    }

    fn missing(name: &str) -> OAuthError {
        OAuthError::new("invalid_request", 900144, format!("The request body must contain the following parameter: '{name}'."))
    }

    fn tenant_not_found(tenant: &str) -> OAuthError {
        OAuthError::new(
            "invalid_tenant",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            ),
        )
    }

    fn app_not_found(client_id: &str, tenant: &str) -> OAuthError {
        OAuthError::new(
            "unauthorized_client",
            700016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
            ),
        )
    }

    /// `AADSTS…: message\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …`, as Entra words it.
    fn description_with_ids(&self, trace: &str, correlation: &str, now: i64) -> String {
        format!("AADSTS{}: {} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {}", self.code, self.description, timestamp(now))
    }

    fn redirect_pairs(&self, state: Option<&str>) -> Vec<(String, String)> {
        let now = clock::now_secs();
        let trace = uuid::Uuid::new_v4().to_string();
        let correlation = uuid::Uuid::new_v4().to_string();
        let mut pairs = vec![
            ("error".to_string(), self.error.to_string()),
            ("error_description".to_string(), self.description_with_ids(&trace, &correlation, now)),
            ("error_uri".to_string(), format!("https://login.microsoftonline.com/error?code={}", self.code)),
        ];
        if let Some(s) = state {
            pairs.push(("state".into(), s.into()));
        }
        pairs
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let now = clock::now_secs();
        let trace = uuid::Uuid::new_v4().to_string();
        let correlation = uuid::Uuid::new_v4().to_string();
        let body = json!({
            "error": self.error,
            "error_description": self.description_with_ids(&trace, &correlation, now),
            "error_codes": [self.code],
            "timestamp": timestamp(now),
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.code),
        });
        (self.status, [(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
    }
}

// ---------------------------------------------------------------- discovery

async fn discovery(State(entra): State<Entra>, Path(tenant): Path<String>, headers: HeaderMap) -> Response {
    entra.app.count("GET /{tenant}/v2.0/.well-known/openid-configuration");
    if !tenant_known(&entra.app, &tenant) {
        return OAuthError::tenant_not_found(&tenant).into_response();
    }
    let base = base_url(&entra.app, &headers);
    let tid = entra.app.tenant_id();
    let t = if tenant.eq_ignore_ascii_case(&tid) { tid.clone() } else { tenant.to_ascii_lowercase() };
    let issuer_tenant = if t == tid { tid.clone() } else { "{tenantid}".to_string() };
    axum::Json(json!({
        "issuer": format!("{base}/{issuer_tenant}/v2.0"),
        "authorization_endpoint": format!("{base}/{t}/oauth2/v2.0/authorize"),
        "token_endpoint": format!("{base}/{t}/oauth2/v2.0/token"),
        "jwks_uri": format!("{base}/{t}/discovery/v2.0/keys"),
        "end_session_endpoint": format!("{base}/{t}/oauth2/v2.0/logout"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "response_modes_supported": ["query", "fragment"],
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "code_challenge_methods_supported": ["S256", "plain"],
        "subject_types_supported": ["pairwise"],
        // The emulator signs with a process-local HMAC key, so there is no public key to publish.
        "id_token_signing_alg_values_supported": ["HS256"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "name", "oid", "tid", "preferred_username", "nonce", "ver"],
        "request_uri_parameter_supported": false,
        "tenant_region_scope": "EU",
        "cloud_instance_name": "microsoftonline.com",
        "msgraph_host": "graph.microsoft.com",
    }))
    .into_response()
}

async fn keys(State(entra): State<Entra>, Path(tenant): Path<String>) -> Response {
    if !tenant_known(&entra.app, &tenant) {
        return OAuthError::tenant_not_found(&tenant).into_response();
    }
    axum::Json(json!({ "keys": [] })).into_response()
}

// ---------------------------------------------------------------- authorize

/// A request that passed the checks shown on the page; anything wrong from
/// here on goes back to `redirect_uri`.
struct Authorize {
    tenant: String,
    app: SpaApp,
    redirect_uri: String,
    fragment: bool,
    state: Option<String>,
    params: Params,
}

enum AuthorizeOutcome {
    /// An error page (never redirected).
    Page(StatusCode, String),
    Redirect(String),
}

impl IntoResponse for AuthorizeOutcome {
    fn into_response(self) -> Response {
        match self {
            AuthorizeOutcome::Page(status, html) => page_response(status, html),
            AuthorizeOutcome::Redirect(url) => {
                (StatusCode::FOUND, [(header::LOCATION, url), (header::CACHE_CONTROL, "no-store".to_string())]).into_response()
            }
        }
    }
}

fn page_response(status: StatusCode, html: String) -> Response {
    let mut resp = (status, Html(html)).into_response();
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"),
    );
    resp
}

fn with_params(base: &str, pairs: &[(String, String)], fragment: bool) -> String {
    let encoded: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))).collect();
    let sep = if fragment {
        '#'
    } else if base.contains('?') {
        '&'
    } else {
        '?'
    };
    format!("{base}{sep}{}", encoded.join("&"))
}

impl Authorize {
    fn redirect_error(&self, e: OAuthError) -> AuthorizeOutcome {
        AuthorizeOutcome::Redirect(with_params(&self.redirect_uri, &e.redirect_pairs(self.state.as_deref()), self.fragment))
    }
}

fn error_page(tenant: &str, e: &OAuthError) -> AuthorizeOutcome {
    let now = clock::now_secs();
    let trace = uuid::Uuid::new_v4().to_string();
    let correlation = uuid::Uuid::new_v4().to_string();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in to your account</title>{STYLE}</head><body><main>\
         <h1>Sorry, but we’re having trouble signing you in.</h1>\
         <p id=\"error\" data-testid=\"entra-error\">AADSTS{}: {}</p>\
         <dl><dt>Request Id</dt><dd>{trace}</dd><dt>Correlation Id</dt><dd>{correlation}</dd><dt>Timestamp</dt><dd>{}</dd><dt>Tenant</dt><dd>{}</dd></dl>\
         </main></body></html>",
        e.code,
        html_escape(&e.description),
        timestamp(now),
        html_escape(tenant),
    );
    AuthorizeOutcome::Page(StatusCode::BAD_REQUEST, html)
}

const STYLE: &str = "<style>body{font-family:system-ui,sans-serif;background:#f2f2f2;margin:0}main{max-width:28rem;margin:4rem auto;background:#fff;padding:2rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}button{display:block;width:100%;text-align:left;margin:.5rem 0;padding:.75rem;font:inherit;background:#fff;border:1px solid #8a8886;cursor:pointer}button.cancel{text-align:center;background:#e6e6e6}small{display:block;color:#605e5c}.scopes{font-family:monospace;font-size:.9em}</style>";

/// The checks Entra shows on its own page: tenant, client id, redirect URI.
fn check_client(entra: &Entra, tenant: &str, params: Params) -> Result<Authorize, AuthorizeOutcome> {
    if !tenant_known(&entra.app, tenant) {
        return Err(error_page(tenant, &OAuthError::tenant_not_found(tenant)));
    }
    let Some(client_id) = params.get("client_id").map(str::to_string) else {
        return Err(error_page(
            tenant,
            &OAuthError::new("invalid_request", 900144, "The request body must contain the following parameter: 'client_id'."),
        ));
    };
    let app = entra.app.world().directory.spa_apps.iter().find(|a| a.client_id.eq_ignore_ascii_case(&client_id)).cloned();
    let Some(app) = app else {
        return Err(error_page(tenant, &OAuthError::app_not_found(&client_id, &entra.app.tenant_id())));
    };
    let Some(redirect_uri) = params.get("redirect_uri").map(str::to_string) else {
        return Err(error_page(
            tenant,
            &OAuthError::new("invalid_request", 900144, "The request body must contain the following parameter: 'redirect_uri'."),
        ));
    };
    if !app.allows(&redirect_uri) {
        return Err(error_page(
            tenant,
            &OAuthError::new(
                "invalid_request",
                50011,
                format!(
                    "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.",
                    app.client_id
                ),
            ),
        ));
    }
    let fragment = params.get("response_mode") == Some("fragment");
    let state = params.get("state").map(str::to_string);
    Ok(Authorize { tenant: tenant.to_string(), app, redirect_uri, fragment, state, params })
}

/// The checks whose failures go back to the app.
fn check_request(req: &Authorize) -> Result<(), OAuthError> {
    match req.params.get("response_type") {
        None => return Err(OAuthError::missing("response_type")),
        Some("code") => {}
        Some(other) => {
            return Err(OAuthError::new(
                "unsupported_response_type",
                700054,
                format!("response_type '{other}' is not enabled for the application."),
            ))
        }
    }
    if let Some(mode) = req.params.get("response_mode") {
        if mode != "query" && mode != "fragment" {
            return Err(OAuthError::new(
                "invalid_request",
                900352,
                format!("The response_mode '{mode}' is not supported by the emulator (query or fragment)."),
            ));
        }
    }
    let Some(scope) = req.params.get("scope") else {
        return Err(OAuthError::missing("scope"));
    };
    resource_of(scope, &req.tenant)?;
    match (req.params.get("code_challenge"), req.params.get("code_challenge_method")) {
        (None, Some(_)) => return Err(OAuthError::missing("code_challenge")),
        (Some(_), Some(m)) if m != "S256" && m != "plain" => {
            return Err(OAuthError::new("invalid_request", 501471, format!("The code_challenge_method '{m}' is not supported.")))
        }
        (Some(c), _) if !(43..=128).contains(&c.len()) => {
            return Err(OAuthError::new("invalid_request", 501491, "Invalid size of Code_Challenge parameter."))
        }
        _ => {}
    }
    Ok(())
}

async fn authorize_get(State(entra): State<Entra>, Path(tenant): Path<String>, RawQuery(query): RawQuery) -> Response {
    entra.app.count("GET /{tenant}/oauth2/v2.0/authorize");
    let params = Params(parse_form(query.as_deref().unwrap_or("")));
    let req = match check_client(&entra, &tenant, params) {
        Ok(r) => r,
        Err(outcome) => return outcome.into_response(),
    };
    if let Err(e) = check_request(&req) {
        return req.redirect_error(e).into_response();
    }
    let prompt = req.params.get("prompt");
    let hinted = req
        .params
        .get("login_hint")
        .and_then(|hint| entra.app.world().directory.users.iter().find(|u| u.user_principal_name.eq_ignore_ascii_case(hint)).cloned());
    match (prompt, hinted) {
        // A known user needs no page, as with an existing Entra session.
        (None | Some("none") | Some("consent"), Some(user)) => issue_code(&entra, &req, &user.object_id).into_response(),
        (Some("none"), None) => req
            .redirect_error(OAuthError::new("login_required", 50058, "A silent sign-in request was sent but no user is signed in."))
            .into_response(),
        _ => account_picker(&entra, &req).into_response(),
    }
}

async fn authorize_post(State(entra): State<Entra>, Path(tenant): Path<String>, body: Bytes) -> Response {
    entra.app.count("POST /{tenant}/oauth2/v2.0/authorize");
    let params = Params(parse_form(&String::from_utf8_lossy(&body)));
    let choice = params.get("emulator_user").map(str::to_string);
    let declined = params.get("emulator_consent") == Some("deny");
    let req = match check_client(&entra, &tenant, params) {
        Ok(r) => r,
        Err(outcome) => return outcome.into_response(),
    };
    if let Err(e) = check_request(&req) {
        return req.redirect_error(e).into_response();
    }
    if declined {
        return req.redirect_error(OAuthError::new("access_denied", 65004, "User declined to consent to access the app.")).into_response();
    }
    let user = choice.and_then(|oid| entra.app.world().directory.users.iter().find(|u| u.object_id == oid).cloned());
    match user {
        Some(user) => issue_code(&entra, &req, &user.object_id).into_response(),
        None => account_picker(&entra, &req).into_response(),
    }
}

fn issue_code(entra: &Entra, req: &Authorize, user_oid: &str) -> AuthorizeOutcome {
    let code = format!("1.emu.{}", random_token(48));
    let challenge =
        req.params.get("code_challenge").map(|c| (req.params.get("code_challenge_method").unwrap_or("plain").to_string(), c.to_string()));
    let scopes = req.params.get("scope").unwrap_or("").split_whitespace().map(str::to_string).collect();
    let now = clock::now_secs();
    let mut grants = entra.grants();
    grants.codes.retain(|_, g| now - g.issued_at < CODE_LIFETIME_SECS * 2);
    grants.codes.insert(
        code.clone(),
        CodeGrant {
            client_id: req.app.client_id.clone(),
            redirect_uri: req.redirect_uri.clone(),
            challenge,
            scopes,
            user_oid: user_oid.to_string(),
            nonce: req.params.get("nonce").map(str::to_string),
            issued_at: now,
            redeemed: false,
        },
    );
    let mut pairs = vec![("code".to_string(), code)];
    if let Some(s) = &req.state {
        pairs.push(("state".into(), s.clone()));
    }
    pairs.push(("session_state".into(), uuid::Uuid::new_v4().to_string()));
    AuthorizeOutcome::Redirect(with_params(&req.redirect_uri, &pairs, req.fragment))
}

/// "Pick an account": one button per user; every original parameter rides along hidden.
fn account_picker(entra: &Entra, req: &Authorize) -> AuthorizeOutcome {
    let users = entra.app.world().directory.users.clone();
    let hidden: String = req
        .params
        .0
        .iter()
        .filter(|(k, _)| !k.starts_with("emulator_"))
        .map(|(k, v)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", html_escape(k), html_escape(v)))
        .collect();
    let buttons: String = users
        .iter()
        .map(|u| {
            format!(
                "<button type=\"submit\" name=\"emulator_user\" value=\"{}\" data-testid=\"entra-user-{}\">{}<small>{}</small></button>",
                html_escape(&u.object_id),
                html_escape(&u.user_principal_name),
                html_escape(&u.display_name),
                html_escape(&u.user_principal_name)
            )
        })
        .collect();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in to your account</title>{STYLE}</head><body><main>\
         <p><strong>Microsoft Entra ID emulator</strong></p>\
         <h1>Pick an account</h1>\
         <p>to continue to <strong data-testid=\"entra-app\">{}</strong>, which asks for <span class=\"scopes\">{}</span></p>\
         <form method=\"post\" action=\"/{}/oauth2/v2.0/authorize\">{hidden}{buttons}\
         <button type=\"submit\" class=\"cancel\" name=\"emulator_consent\" value=\"deny\" data-testid=\"entra-cancel\">Cancel</button>\
         </form></main></body></html>",
        html_escape(&req.app.display_name),
        html_escape(req.params.get("scope").unwrap_or("")),
        encode_component(&req.tenant),
    );
    AuthorizeOutcome::Page(StatusCode::OK, html)
}

// ---------------------------------------------------------------- token

/// The resource a scope list asks for: `(scope prefix, aud, permission)`, or
/// Microsoft Graph when only OpenID scopes are given (as Entra does).
fn resource_of(scope: &str, tenant: &str) -> Result<(String, String, String), OAuthError> {
    let mut found: Option<(String, String, String)> = None;
    for s in scope.split_whitespace() {
        if OIDC_SCOPES.contains(&s) {
            continue;
        }
        let (resource, permission) = match s.rsplit_once('/') {
            Some((r, p)) if r.starts_with("https://") && !p.is_empty() => (r.trim_end_matches('/').to_ascii_lowercase(), p.to_string()),
            _ => {
                return Err(OAuthError::new(
                    "invalid_scope",
                    70011,
                    format!("The provided value for the input parameter 'scope' is not valid. The scope {s} is not valid."),
                ))
            }
        };
        let aud = match resource.as_str() {
            "https://management.azure.com" => auth::ARM_AUDIENCE.to_string(),
            "https://management.core.windows.net" => "https://management.core.windows.net/".to_string(),
            "https://vault.azure.net" => auth::VAULT_AUDIENCE.to_string(),
            "https://graph.microsoft.com" => "https://graph.microsoft.com".to_string(),
            _ => {
                return Err(OAuthError::new(
                    "invalid_resource",
                    500011,
                    format!("The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."),
                ))
            }
        };
        match &found {
            Some((r, _, _)) if *r != resource => {
                return Err(OAuthError::new(
                    "invalid_scope",
                    28000,
                    format!("Provided value for the input parameter scope is not valid because it contains more than one resource. Scope {scope} is not valid."),
                ))
            }
            Some(_) => {}
            None => found = Some((resource, aud, permission)),
        }
    }
    Ok(found.unwrap_or_else(|| ("https://graph.microsoft.com".into(), "https://graph.microsoft.com".into(), "User.Read".into())))
}

/// Every claim the emulator puts in its tokens (a superset of [`auth::Claims`]).
#[derive(Serialize)]
struct TokenClaims<'a> {
    aud: &'a str,
    iss: String,
    iat: i64,
    nbf: i64,
    exp: i64,
    oid: &'a str,
    sub: &'a str,
    tid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upn: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unique_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preferred_username: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scp: Option<&'a str>,
    appid: &'a str,
    azp: &'a str,
    idtyp: &'a str,
    ver: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    /// A unique token id, as Entra's `uti`: no two tokens are the same string.
    uti: String,
}

fn token_error_client_auth(client_id: &str) -> OAuthError {
    OAuthError::new(
        "invalid_client",
        7000215,
        format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."),
    )
    .status(StatusCode::UNAUTHORIZED)
}

async fn token(State(entra): State<Entra>, Path(tenant): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    entra.app.count("POST /{tenant}/oauth2/v2.0/token");
    match token_inner(&entra, &tenant, &headers, &body) {
        Ok(body) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")], axum::Json(body)).into_response(),
        Err(e) => e.into_response(),
    }
}

fn token_inner(entra: &Entra, tenant: &str, headers: &HeaderMap, body: &[u8]) -> Result<serde_json::Value, OAuthError> {
    if !tenant_known(&entra.app, tenant) {
        return Err(OAuthError::tenant_not_found(tenant));
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return Err(OAuthError::missing("grant_type"));
    }
    let params = Params(parse_form(&String::from_utf8_lossy(body)));
    // client_secret_basic: `Authorization: Basic base64(client_id:client_secret)`.
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic ").or_else(|| v.strip_prefix("basic ")))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.split_once(':').map(|(i, p)| (percent_decode(i), percent_decode(p))));
    let client_id = params.get("client_id").map(str::to_string).or_else(|| basic.as_ref().map(|(i, _)| i.clone()));
    let client_secret = params.get("client_secret").map(str::to_string).or_else(|| basic.map(|(_, p)| p));
    let grant_type = params.get("grant_type").ok_or_else(|| OAuthError::missing("grant_type"))?;
    let client_id = client_id.ok_or_else(|| OAuthError::missing("client_id"))?;
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match grant_type {
        "authorization_code" => authorization_code(entra, &params, &client_id, origin),
        "refresh_token" => refresh(entra, &params, &client_id, origin),
        "client_credentials" => client_credentials(entra, &params, &client_id, client_secret.as_deref()),
        other => Err(OAuthError::new("unsupported_grant_type", 70003, format!("The app requested an unsupported grant type '{other}'."))),
    }
}

fn spa_origin_required() -> OAuthError {
    OAuthError::new(
        "invalid_request",
        9002327,
        "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
    )
}

fn authorization_code(entra: &Entra, params: &Params, client_id: &str, origin: Option<&str>) -> Result<serde_json::Value, OAuthError> {
    let code = params.get("code").ok_or_else(|| OAuthError::missing("code"))?;
    let redirect_uri = params.get("redirect_uri").ok_or_else(|| OAuthError::missing("redirect_uri"))?;
    let now = clock::now_secs();
    let (user_oid, scopes, nonce, auth_time) = {
        let mut grants = entra.grants();
        let Some(grant) = grants.codes.get_mut(code) else {
            return Err(OAuthError::new("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid."));
        };
        if grant.redeemed {
            return Err(OAuthError::new(
                "invalid_grant",
                54005,
                "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
            ));
        }
        if now - grant.issued_at >= CODE_LIFETIME_SECS {
            return Err(OAuthError::new(
                "invalid_grant",
                70008,
                "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
            ));
        }
        if !grant.client_id.eq_ignore_ascii_case(client_id) {
            return Err(OAuthError::new("invalid_grant", 70000, "Provided grant is invalid or malformed."));
        }
        if grant.redirect_uri != redirect_uri {
            return Err(OAuthError::new(
                "invalid_grant",
                500112,
                format!(
                    "The reply address '{redirect_uri}' does not match the reply address '{}' provided when requesting Authorization code.",
                    grant.redirect_uri
                ),
            ));
        }
        // Every code of the emulator's apps was issued to a SPA redirect URI.
        if origin.is_none() {
            return Err(spa_origin_required());
        }
        let Some((method, challenge)) = grant.challenge.clone() else {
            return Err(OAuthError::new(
                "invalid_request",
                9002325,
                "Proof Key for Code Exchange is required for cross-origin authorization code redemption.",
            ));
        };
        let verifier = params.get("code_verifier").ok_or_else(|| OAuthError::missing("code_verifier"))?;
        let computed = if method == "S256" { s256(verifier) } else { verifier.to_string() };
        // A failed attempt still burns the code, as Entra does.
        grant.redeemed = true;
        if computed != challenge {
            return Err(OAuthError::new(
                "invalid_grant",
                501481,
                "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
            ));
        }
        (grant.user_oid.clone(), grant.scopes.clone(), grant.nonce.clone(), grant.issued_at)
    };
    let requested = params.get("scope").map(|s| s.split_whitespace().map(str::to_string).collect()).unwrap_or(scopes);
    let refresh_lifetime = entra.grants().settings.spa_refresh_lifetime_secs.unwrap_or(SPA_REFRESH_LIFETIME_SECS);
    user_tokens(entra, client_id, &user_oid, &requested, nonce.as_deref(), auth_time, true, auth_time + refresh_lifetime)
}

fn refresh(entra: &Entra, params: &Params, client_id: &str, origin: Option<&str>) -> Result<serde_json::Value, OAuthError> {
    let token = params.get("refresh_token").ok_or_else(|| OAuthError::missing("refresh_token"))?;
    let now = clock::now_secs();
    let (user_oid, spa, auth_time, expires_at) = {
        let grants = entra.grants();
        let Some(grant) = grants.refresh.get(token) else {
            return Err(OAuthError::new("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid."));
        };
        if grant.revoked {
            return Err(OAuthError::new(
                "invalid_grant",
                50173,
                "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
            ));
        }
        if !grant.client_id.eq_ignore_ascii_case(client_id) {
            return Err(OAuthError::new("invalid_grant", 70000, "Provided grant is invalid or malformed."));
        }
        if grant.spa && origin.is_none() {
            return Err(spa_origin_required());
        }
        if grant.expires_at <= now {
            return Err(if grant.spa {
                OAuthError::new(
                    "invalid_grant",
                    700084,
                    format!(
                        "The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page. The token was issued on {}.",
                        timestamp(grant.auth_time)
                    ),
                )
            } else {
                OAuthError::new(
                    "invalid_grant",
                    700082,
                    "The refresh token has expired due to inactivity. The token was issued on a date and was inactive for 90.00:00:00.",
                )
            });
        }
        (grant.user_oid.clone(), grant.spa, grant.auth_time, grant.expires_at)
    };
    let scopes: Vec<String> = params
        .get("scope")
        .unwrap_or("https://management.azure.com/user_impersonation openid profile offline_access")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    // SPA refresh tokens keep the sign-in's end; others slide.
    let expires_at = if spa { expires_at } else { now + REFRESH_LIFETIME_SECS };
    user_tokens(entra, client_id, &user_oid, &scopes, None, auth_time, spa, expires_at)
}

#[allow(clippy::too_many_arguments)]
fn user_tokens(
    entra: &Entra,
    client_id: &str,
    user_oid: &str,
    scopes: &[String],
    nonce: Option<&str>,
    auth_time: i64,
    spa: bool,
    refresh_expires_at: i64,
) -> Result<serde_json::Value, OAuthError> {
    let tid = entra.app.tenant_id();
    let user = entra.app.world().directory.users.iter().find(|u| u.object_id == user_oid).cloned();
    let Some(user) = user else {
        return Err(OAuthError::new("invalid_grant", 50034, "The user account does not exist in the directory."));
    };
    let (resource, aud, permission) = resource_of(&scopes.join(" "), &tid)?;
    let now = clock::now_secs();
    let lifetime = entra.grants().settings.access_token_lifetime_secs.unwrap_or(entra.app.token_lifetime_secs());
    let scp = if permission == ".default" { "user_impersonation".to_string() } else { permission.clone() };
    let access = TokenClaims {
        aud: &aud,
        iss: format!("https://sts.windows.net/{tid}/"),
        iat: now.min(now + lifetime) - 60,
        nbf: now.min(now + lifetime) - 60,
        exp: now + lifetime,
        oid: &user.object_id,
        sub: &user.object_id,
        tid: &tid,
        name: Some(&user.display_name),
        upn: Some(&user.user_principal_name),
        unique_name: Some(&user.user_principal_name),
        preferred_username: None,
        scp: Some(&scp),
        appid: client_id,
        azp: client_id,
        idtyp: "user",
        ver: "1.0",
        nonce: None,
        uti: random_token(16),
    };
    let access_token = entra.app.signer().sign(&access);
    let granted = format!("{resource}/{permission}");
    let mut body = json!({
        "token_type": "Bearer",
        "scope": granted,
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": access_token,
    });
    if scopes.iter().any(|s| s == "openid") {
        let id = TokenClaims {
            aud: client_id,
            iss: format!("{}/{tid}/v2.0", "https://login.microsoftonline.com"),
            iat: now - 60,
            nbf: now - 60,
            exp: now + 3600,
            oid: &user.object_id,
            sub: &user.object_id,
            tid: &tid,
            name: Some(&user.display_name),
            upn: None,
            unique_name: None,
            preferred_username: Some(&user.user_principal_name),
            scp: None,
            appid: client_id,
            azp: client_id,
            idtyp: "user",
            ver: "2.0",
            nonce,
            uti: random_token(16),
        };
        body["id_token"] = json!(entra.app.signer().sign(&id));
        body["client_info"] = json!(URL_SAFE_NO_PAD.encode(json!({"uid": user.object_id, "utid": tid}).to_string()));
    }
    if scopes.iter().any(|s| s == "offline_access") {
        let rt = format!("1.emu-rt.{}", random_token(48));
        let mut grants = entra.grants();
        grants.refresh.retain(|_, g| g.expires_at > now);
        grants.refresh.insert(
            rt.clone(),
            RefreshGrant {
                client_id: client_id.to_string(),
                user_oid: user.object_id.clone(),
                spa,
                auth_time,
                expires_at: refresh_expires_at,
                revoked: false,
            },
        );
        body["refresh_token"] = json!(rt);
        if spa {
            body["refresh_token_expires_in"] = json!((refresh_expires_at - now).max(0));
        }
    }
    Ok(body)
}

fn client_credentials(entra: &Entra, params: &Params, client_id: &str, secret: Option<&str>) -> Result<serde_json::Value, OAuthError> {
    let tid = entra.app.tenant_id();
    let sp = entra.app.world().service_principals.iter().find(|s| s.client_id.eq_ignore_ascii_case(client_id)).cloned();
    let Some(sp) = sp else {
        return Err(OAuthError::app_not_found(client_id, &tid));
    };
    let Some(secret) = secret else {
        return Err(OAuthError::new(
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        )
        .status(StatusCode::UNAUTHORIZED));
    };
    if !constant_time_eq(secret.as_bytes(), sp.client_secret.as_bytes()) {
        return Err(token_error_client_auth(client_id));
    }
    let scope = params.get("scope").ok_or_else(|| OAuthError::missing("scope"))?;
    if scope.split_whitespace().any(|s| !s.ends_with("/.default")) {
        return Err(OAuthError::new(
            "invalid_scope",
            1002012,
            format!("The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."),
        ));
    }
    let (_, aud, _) = resource_of(scope, &tid)?;
    let now = clock::now_secs();
    let lifetime = entra.grants().settings.access_token_lifetime_secs.unwrap_or(entra.app.token_lifetime_secs());
    let claims = TokenClaims {
        aud: &aud,
        iss: format!("https://sts.windows.net/{tid}/"),
        iat: now.min(now + lifetime) - 60,
        nbf: now.min(now + lifetime) - 60,
        exp: now + lifetime,
        oid: &sp.object_id,
        sub: &sp.object_id,
        tid: &tid,
        name: None,
        upn: None,
        unique_name: None,
        preferred_username: None,
        scp: None,
        appid: &sp.client_id,
        azp: &sp.client_id,
        idtyp: "app",
        ver: "1.0",
        nonce: None,
        uti: random_token(16),
    };
    Ok(json!({
        "token_type": "Bearer",
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": entra.app.signer().sign(&claims),
    }))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

// ---------------------------------------------------------------- test knobs

async fn set_settings(State(entra): State<Entra>, body: Bytes) -> Response {
    let settings: Settings = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return crate::errors::ArmError::invalid_body(e).into_response(),
    };
    entra.grants().settings = settings.clone();
    axum::Json(settings).into_response()
}

async fn get_settings(State(entra): State<Entra>) -> Response {
    axum::Json(entra.grants().settings.clone()).into_response()
}

/// Revokes every refresh token issued so far (as a password reset would).
async fn revoke(State(entra): State<Entra>) -> Response {
    let mut grants = entra.grants();
    let count = grants.refresh.values_mut().filter(|g| !g.revoked).map(|g| g.revoked = true).count();
    axum::Json(json!({ "revoked": count })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_name_one_resource() {
        assert_eq!(resource_of("https://management.azure.com/user_impersonation openid", "t").unwrap().1, auth::ARM_AUDIENCE);
        assert_eq!(resource_of("https://vault.azure.net/.default", "t").unwrap().1, "https://vault.azure.net");
        assert_eq!(resource_of("https://management.azure.com//.default", "t").unwrap().1, auth::ARM_AUDIENCE);
        assert_eq!(resource_of("https://management.azure.com/.default https://vault.azure.net/.default", "t").unwrap_err().code, 28000);
        assert_eq!(resource_of("https://example.org/.default", "t").unwrap_err().code, 500011);
    }

    #[test]
    fn rfc7636_s256() {
        assert_eq!(s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }
}
