//! Bearer tokens: the emulator is its own token issuer.
//!
//! Tokens are real JWTs (HS256, signed with a key drawn at process start), so
//! the console's token checks (shape, audience, expiry) run against the same
//! kind of token Azure issues, and the emulator refuses forged, expired and
//! wrong-audience tokens with ARM's error codes.

use axum::http::{HeaderMap, HeaderName, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::clock;
use crate::errors::ArmError;

pub const ARM_AUDIENCE: &str = "https://management.azure.com/";
pub const VAULT_AUDIENCE: &str = "https://vault.azure.net";
pub const GRAPH_AUDIENCE: &str = "https://graph.microsoft.com";

/// Who the demo token belongs to.
pub const DEMO_USER_OID: &str = "6d6f636b-0000-4000-8000-0000000000f1";
pub const DEMO_USER_NAME: &str = "Demo Administrator";
pub const DEMO_USER_UPN: &str = "admin@contoso-demo.example";
/// The demo's helpdesk user: Reader on each subscription, nothing more.
pub const HELPDESK_USER_OID: &str = "6d6f636b-0000-4000-8000-0000000000f3";
pub const HELPDESK_USER_NAME: &str = "Helpdesk Reader";
pub const HELPDESK_USER_UPN: &str = "helpdesk@contoso-demo.example";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    pub aud: String,
    pub iss: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub oid: String,
    pub tid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
}

/// Which resource a route belongs to, i.e. which audience its tokens need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Arm,
    Vault,
    /// Microsoft Graph (`https://graph.microsoft.com`), for the few directory reads the Azure CLI makes.
    Graph,
}

pub struct Signer {
    key: [u8; 32],
}

impl Signer {
    pub fn random() -> Signer {
        let mut key = [0u8; 32];
        getrandom::getrandom(&mut key).expect("the OS random source");
        Signer { key }
    }

    fn mac(&self, data: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    pub fn sign<C: Serialize>(&self, claims: &C) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialize"));
        let signing_input = format!("{header}.{payload}");
        let sig = URL_SAFE_NO_PAD.encode(self.mac(signing_input.as_bytes()));
        format!("{signing_input}.{sig}")
    }

    /// A token for `aud` valid from now for `expires_in` seconds (negative: already expired).
    pub fn issue(&self, tenant: &str, aud: &str, expires_in: i64, oid: &str, name: Option<&str>, upn: Option<&str>) -> (String, Claims) {
        let now = clock::now_secs();
        let claims = Claims {
            aud: aud.to_string(),
            iss: format!("https://sts.windows.net/{tenant}/"),
            iat: now.min(now + expires_in) - 60,
            nbf: now.min(now + expires_in) - 60,
            exp: now + expires_in,
            oid: oid.to_string(),
            tid: tenant.to_string(),
            name: name.map(str::to_string),
            upn: upn.map(str::to_string),
            appid: None,
        };
        (self.sign(&claims), claims)
    }

    /// Checks the `Authorization` header of a request for `audience`.
    pub fn verify(&self, headers: &HeaderMap, audience: Audience, tenant: &str) -> Result<Claims, ArmError> {
        let Some(value) = headers.get("authorization") else {
            return Err(missing(audience, tenant));
        };
        let value = value.to_str().map_err(|_| invalid_format(audience, tenant))?.trim();
        let token = match value.split_once(' ') {
            Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
            _ => return Err(invalid_format(audience, tenant)),
        };
        let parts: Vec<&str> = token.split('.').collect();
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(invalid_format(audience, tenant));
        }
        let claims: Claims = URL_SAFE_NO_PAD
            .decode(parts[1])
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| invalid_format(audience, tenant))?;
        let expected = self.mac(format!("{}.{}", parts[0], parts[1]).as_bytes());
        let given = URL_SAFE_NO_PAD.decode(parts[2]).unwrap_or_default();
        if !constant_time_eq(&expected, &given) {
            return Err(ArmError::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", "The access token is invalid."));
        }
        let now = clock::now_secs();
        if claims.exp <= now {
            return Err(ArmError::new(
                StatusCode::UNAUTHORIZED,
                "ExpiredAuthenticationToken",
                format!("The access token expiry UTC time '{}' is earlier than current UTC time '{}'.", us_time(claims.exp), us_time(now)),
            ));
        }
        if claims.nbf > now + 300 {
            return Err(ArmError::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", "The access token is not yet valid."));
        }
        let aud_ok = match audience {
            Audience::Arm => acr_cmk_domain::token::is_arm_audience(&claims.aud),
            Audience::Vault => claims.aud.trim_end_matches('/').eq_ignore_ascii_case(VAULT_AUDIENCE),
            Audience::Graph => claims.aud.trim_end_matches('/').eq_ignore_ascii_case(GRAPH_AUDIENCE),
        };
        if !aud_ok {
            return Err(match audience {
                Audience::Arm => ArmError::new(
                    StatusCode::UNAUTHORIZED,
                    "InvalidAuthenticationTokenAudience",
                    format!(
                        "The access token has been obtained for wrong audience or resource '{}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.",
                        claims.aud
                    ),
                ),
                Audience::Vault => vault_challenge(
                    tenant,
                    "Unauthorized",
                    &format!("AKV10022: Invalid audience. Expected https://vault.azure.net, found: {}.", claims.aud),
                ),
                Audience::Graph => ArmError::new(
                    StatusCode::UNAUTHORIZED,
                    "InvalidAuthenticationToken",
                    "Access token validation failure. Invalid audience.",
                ),
            });
        }
        Ok(claims)
    }
}

fn missing(audience: Audience, tenant: &str) -> ArmError {
    match audience {
        Audience::Arm | Audience::Graph => {
            ArmError::new(StatusCode::UNAUTHORIZED, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
        }
        Audience::Vault => vault_challenge(tenant, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."),
    }
}

fn invalid_format(audience: Audience, tenant: &str) -> ArmError {
    match audience {
        Audience::Arm | Audience::Graph => ArmError::new(
            StatusCode::UNAUTHORIZED,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        ),
        Audience::Vault => vault_challenge(tenant, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."),
    }
}

/// Key Vault's 401 with the challenge SDKs use to discover the tenant and resource.
pub fn vault_challenge(tenant: &str, code: &str, message: &str) -> ArmError {
    ArmError::new(StatusCode::UNAUTHORIZED, code, message).with_header(
        HeaderName::from_static("www-authenticate"),
        format!("Bearer authorization=\"https://login.microsoftonline.com/{tenant}\", resource=\"https://vault.azure.net\""),
    )
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `11/14/2023 10:13:20 PM`, as ARM prints token times.
fn us_time(secs: i64) -> String {
    let full = acr_cmk_domain::encryption::format_unix_utc(secs);
    let (d, t) = full.split_once(' ').unwrap_or((&full, "00:00:00"));
    let dp: Vec<&str> = d.split('-').collect();
    let tp: Vec<u32> = t.split(':').map(|x| x.parse().unwrap_or(0)).collect();
    let (h, m, s) = (tp[0], tp[1], tp[2]);
    let (h12, ampm) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    let month: u32 = dp[1].parse().unwrap_or(1);
    let day: u32 = dp[2].parse().unwrap_or(1);
    format!("{month}/{day}/{} {h12}:{m:02}:{s:02} {ampm}", dp[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_verify_and_tampered_ones_do_not() {
        let signer = Signer::random();
        let (token, _) = signer.issue("t", ARM_AUDIENCE, 3600, "o", Some("n"), None);
        let mut headers = HeaderMap::new();
        headers.insert("authorization", format!("Bearer {token}").parse().unwrap());
        assert!(signer.verify(&headers, Audience::Arm, "t").is_ok());
        let other = Signer::random();
        let err = other.verify(&headers, Audience::Arm, "t").unwrap_err();
        assert_eq!(err.code, "InvalidAuthenticationToken");
        let err = signer.verify(&headers, Audience::Vault, "t").unwrap_err();
        assert_eq!(err.status, StatusCode::UNAUTHORIZED);
    }

    #[test]
    fn us_time_format() {
        assert_eq!(us_time(1_700_000_000), "11/14/2023 10:13:20 PM");
    }
}
