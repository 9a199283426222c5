//! The authorization endpoint (`GET|POST /{tenant}/oauth2/v2.0/authorize`):
//! checks the tenant, client and redirect URI (failures are shown on a page,
//! never redirected), then the request (failures go back to the redirect
//! URI), picks the user (a login hint, or the account picker) and redirects
//! back with an authorization code.

use acr_cmk_domain::url_component;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::grants::{random_token, CodeGrant, Entra, CODE_LIFETIME_SECS};
use super::oauth::{resource_of, tenant_known, OAuthError, Params};
use super::sign_in_page;
use crate::clock;
use crate::directory::SpaApp;
use crate::http::parse_form;

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
            AuthorizeOutcome::Page(status, html) => sign_in_page::page_response(status, html),
            AuthorizeOutcome::Redirect(url) => {
                (StatusCode::FOUND, [(header::LOCATION, url), (header::CACHE_CONTROL, "no-store".to_string())]).into_response()
            }
        }
    }
}

fn with_params(base: &str, pairs: &[(String, String)], fragment: bool) -> String {
    let encoded: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", url_component::encode(k), url_component::encode(v))).collect();
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
    AuthorizeOutcome::Page(StatusCode::BAD_REQUEST, sign_in_page::error_page(tenant, e))
}

fn account_picker(entra: &Entra, req: &Authorize) -> AuthorizeOutcome {
    let users = entra.app.world().directory.users.clone();
    let html =
        sign_in_page::account_picker(&req.app.display_name, req.params.get("scope").unwrap_or(""), &req.tenant, &req.params.0, &users);
    AuthorizeOutcome::Page(StatusCode::OK, html)
}

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

pub(super) async fn authorize_get(State(entra): State<Entra>, Path(tenant): Path<String>, RawQuery(query): RawQuery) -> Response {
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

pub(super) async fn authorize_post(State(entra): State<Entra>, Path(tenant): Path<String>, body: Bytes) -> Response {
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
