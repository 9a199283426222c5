//! How clients find the tenant: the OpenID configuration document, the
//! (empty) signing-key set, and the lines the binary prints at start.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::grants::Entra;
use super::oauth::{tenant_known, OAuthError};
use crate::state::AppState;

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

/// `http(s)://host:port` this request reached, for the discovery document.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(base) = state.public_base() {
        return base.trim_end_matches('/').to_string();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let scheme = state.scheme();
    format!("{scheme}://{host}")
}

pub(super) async fn discovery(State(entra): State<Entra>, Path(tenant): Path<String>, headers: HeaderMap) -> Response {
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

pub(super) async fn keys(State(entra): State<Entra>, Path(tenant): Path<String>) -> Response {
    if !tenant_known(&entra.app, &tenant) {
        return OAuthError::tenant_not_found(&tenant).into_response();
    }
    axum::Json(json!({ "keys": [] })).into_response()
}
