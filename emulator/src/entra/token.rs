//! The token endpoint (`POST /{tenant}/oauth2/v2.0/token`): reads the form
//! and the client's credentials and checks the grant (an authorization code
//! with PKCE, a refresh token, or client credentials) the way Entra does,
//! before `minting` issues the tokens.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256};

use super::grants::{Entra, CODE_LIFETIME_SECS, REFRESH_LIFETIME_SECS, SPA_REFRESH_LIFETIME_SECS};
use super::minting::{app_token, user_tokens};
use super::oauth::{resource_of, tenant_known, timestamp, OAuthError, Params};
use crate::clock;
use crate::http::{parse_form, percent_decode};

fn token_error_client_auth(client_id: &str) -> OAuthError {
    OAuthError::new(
        "invalid_client",
        7000215,
        format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."),
    )
    .status(StatusCode::UNAUTHORIZED)
}

pub(super) async fn token(State(entra): State<Entra>, Path(tenant): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
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
    Ok(app_token(entra, &sp, &aud, &tid))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// PKCE's `S256` transform of a code verifier.
fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_s256() {
        assert_eq!(s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }
}
