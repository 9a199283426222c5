//! The tokens Entra issues and their claims: access, ID and refresh tokens for
//! a user, and app-only access tokens for a service principal. They are signed
//! by the emulator's one [`crate::auth::Signer`], so ARM and Key Vault routes accept them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;
use serde_json::json;

use super::grants::{random_token, Entra, RefreshGrant};
use super::oauth::{resource_of, OAuthError};
use crate::clock;
use crate::world::ServicePrincipal;

/// Every claim the emulator puts in its tokens (a superset of [`crate::auth::Claims`]).
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

/// Tokens for a user: an access token for the resource `scopes` name, an ID
/// token with `openid`, and a refresh token (stored as a grant) with `offline_access`.
#[allow(clippy::too_many_arguments)]
pub(super) fn user_tokens(
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

/// An app-only access token for service principal `sp`, for audience `aud`.
pub(super) fn app_token(entra: &Entra, sp: &ServicePrincipal, aud: &str, tid: &str) -> serde_json::Value {
    let now = clock::now_secs();
    let lifetime = entra.grants().settings.access_token_lifetime_secs.unwrap_or(entra.app.token_lifetime_secs());
    let claims = TokenClaims {
        aud,
        iss: format!("https://sts.windows.net/{tid}/"),
        iat: now.min(now + lifetime) - 60,
        nbf: now.min(now + lifetime) - 60,
        exp: now + lifetime,
        oid: &sp.object_id,
        sub: &sp.object_id,
        tid,
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
    json!({
        "token_type": "Bearer",
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": entra.app.signer().sign(&claims),
    })
}
