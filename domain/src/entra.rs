//! Entra ID sign-in for a single-page app: the authorization-code flow with
//! PKCE (RFC 7636), as pure functions. The browser supplies the random bytes,
//! the storage and the HTTP; everything that can be decided without them is
//! here and tested natively.
//!
//! - [`Pkce`]: verifier from 32 random bytes, S256 challenge.
//! - [`EntraSettings`]: authority, client id, redirect URI (checked).
//! - [`EntraSettings::authorize_url`] / [`EntraSettings::token_url`] and the token request bodies.
//! - [`read_redirect`]: `code`/`state`/`error`/`error_description` from the redirect, with the state check.
//! - [`TokenResponse`], [`OAuthErrorBody`]: the token endpoint's answers.
//! - [`refresh_delay_secs`]: when to refresh an access token.

use crate::url_component;
use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Public Azure's authority host.
pub const DEFAULT_AUTHORITY_HOST: &str = "https://login.microsoftonline.com";
/// ARM on behalf of the user, and an ID token and a refresh token.
pub const ARM_SCOPES: &str = "https://management.azure.com/user_impersonation openid profile offline_access";
/// Refresh at the latest this long before the access token expires.
pub const REFRESH_MARGIN_SECS: i64 = 300;

/// The PKCE pair of one sign-in attempt.
#[derive(Clone, PartialEq, Eq)]
pub struct Pkce {
    /// Sent only to the token endpoint, at redemption.
    pub verifier: String,
    /// `BASE64URL(SHA256(verifier))`, sent to the authorization endpoint.
    pub challenge: String,
}

impl fmt::Debug for Pkce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkce").field("verifier", &"<redacted>").field("challenge", &self.challenge).finish()
    }
}

impl Pkce {
    /// From 32 random bytes: a 43-character verifier (RFC 7636 §4.1 asks for 43–128).
    pub fn from_random(bytes: &[u8; 32]) -> Pkce {
        let verifier = URL_SAFE_NO_PAD.encode(bytes);
        let challenge = s256_challenge(&verifier);
        Pkce { verifier, challenge }
    }
}

/// `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))` (RFC 7636 §4.2).
pub fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// An unguessable `state` from 16 random bytes.
pub fn state_from_random(bytes: &[u8; 16]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", url_component::encode(k), url_component::encode(v))).collect::<Vec<_>>().join("&")
}

/// Parses `a=1&b=2` (a query without `?`, a fragment without `#`, or a form body).
pub fn parse_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches(['?', '#'])
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (url_component::decode(k), url_component::decode(v))
        })
        .collect()
}

/// Where and as whom the console signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntraSettings {
    /// `https://login.microsoftonline.com/{tenant}`, without a trailing slash.
    pub authority: String,
    /// The public SPA app registration's application (client) id.
    pub client_id: String,
    /// This console's `/auth/callback`, registered as a `spa` redirect URI.
    pub redirect_uri: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsError {
    Authority(String),
    ClientId(String),
    RedirectUri(String),
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Authority(a) => write!(
                f,
                "'{a}' is not an authority: use {DEFAULT_AUTHORITY_HOST}/<tenant id or domain> (http:// only for a local emulator)."
            ),
            SettingsError::ClientId(c) => {
                write!(f, "'{c}' is not an application (client) id: copy the GUID from the app registration's Overview.")
            }
            SettingsError::RedirectUri(r) => write!(
                f,
                "'{r}' is not a redirect URI: it must be this console's https:// (or local http://) address ending in /auth/callback."
            ),
        }
    }
}

impl std::error::Error for SettingsError {}

/// `https://host[:port]/path…` with no query, fragment or user info; `http://` only on loopback.
fn url_ok(url: &str) -> bool {
    let rest = if let Some(r) = url.strip_prefix("https://") {
        r
    } else if let Some(r) = url.strip_prefix("http://") {
        let host = r.split(['/', ':']).next().unwrap_or("");
        if host != "127.0.0.1" && host != "localhost" && host != "[::1]" {
            return false;
        }
        r
    } else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or("");
    !authority.is_empty()
        && !authority.starts_with(':')
        && !authority.contains('@')
        && !url.contains(['?', '#'])
        && !url.contains(|c: char| c.is_whitespace() || c.is_control())
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl EntraSettings {
    /// Trims and checks what the host configured or the user typed.
    pub fn new(authority: &str, client_id: &str, redirect_uri: &str) -> Result<EntraSettings, SettingsError> {
        let authority = authority.trim().trim_end_matches('/');
        let tenant_ok = authority.rsplit_once('/').is_some_and(|(host, tenant)| !tenant.is_empty() && host.matches('/').count() == 2);
        if !url_ok(authority) || !tenant_ok {
            return Err(SettingsError::Authority(authority.to_string()));
        }
        let client_id = client_id.trim();
        if !is_guid(client_id) {
            return Err(SettingsError::ClientId(client_id.to_string()));
        }
        let redirect_uri = redirect_uri.trim();
        if !url_ok(redirect_uri) {
            return Err(SettingsError::RedirectUri(redirect_uri.to_string()));
        }
        Ok(EntraSettings { authority: authority.to_string(), client_id: client_id.to_string(), redirect_uri: redirect_uri.to_string() })
    }

    /// The sign-in page's address for this attempt.
    pub fn authorize_url(&self, pkce: &Pkce, state: &str, login_hint: Option<&str>) -> String {
        let mut pairs = vec![
            ("client_id", self.client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("response_mode", "query"),
            ("scope", ARM_SCOPES),
            ("state", state),
            ("code_challenge", pkce.challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        if let Some(hint) = login_hint.filter(|h| !h.is_empty()) {
            pairs.push(("login_hint", hint));
        }
        format!("{}/oauth2/v2.0/authorize?{}", self.authority, form(&pairs))
    }

    pub fn token_url(&self) -> String {
        format!("{}/oauth2/v2.0/token", self.authority)
    }

    /// The form body redeeming `code` with the attempt's verifier.
    pub fn code_redemption_body(&self, code: &str, verifier: &str) -> String {
        form(&[
            ("client_id", &self.client_id),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &self.redirect_uri),
            ("code_verifier", verifier),
            ("scope", ARM_SCOPES),
        ])
    }

    /// The form body trading a refresh token for new tokens.
    pub fn refresh_body(&self, refresh_token: &str) -> String {
        form(&[("client_id", &self.client_id), ("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("scope", ARM_SCOPES)])
    }

    /// The origin the token endpoint is on (a `connect-src` entry).
    pub fn authority_origin(&self) -> Option<String> {
        crate::endpoint::origin(&self.authority)
    }
}

/// Why a sign-in did not finish. Every message says what to do; none contains a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInError {
    /// The callback was opened without a sign-in started in this tab (or it was already used).
    NoPendingSignIn,
    /// `state` differs from the one this tab sent: possibly a forged redirect.
    StateMismatch,
    /// Entra sent `error` (e.g. `access_denied` when consent was declined).
    Refused { error: String, description: Option<String> },
    /// Neither `code` nor `error` came back.
    MissingCode,
    /// The token endpoint refused the code or refresh token.
    TokenEndpoint { error: String, description: Option<String> },
    /// The token endpoint could not be reached or answered something unreadable.
    Transport(String),
    /// The access token is not one ARM would accept.
    UnusableToken(String),
}

impl fmt::Display for SignInError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignInError::NoPendingSignIn => write!(
                f,
                "No sign-in was in progress in this tab (it may have been finished already, or started in another tab). Start again with \"Sign in with Microsoft\"."
            ),
            SignInError::StateMismatch => write!(
                f,
                "The sign-in response does not belong to the sign-in this tab started (state mismatch), so it was refused. Start again with \"Sign in with Microsoft\"."
            ),
            SignInError::Refused { error, description } if error == "access_denied" => write!(
                f,
                "Sign-in was cancelled or consent was declined (access_denied).{}",
                description.as_deref().map(|d| format!(" Entra ID said: {d}")).unwrap_or_default()
            ),
            SignInError::Refused { error, description } => write!(
                f,
                "Entra ID refused the sign-in ({error}).{}",
                description.as_deref().map(|d| format!(" {d}")).unwrap_or_default()
            ),
            SignInError::MissingCode => write!(
                f,
                "The sign-in response has neither an authorization code nor an error. Start again with \"Sign in with Microsoft\"."
            ),
            SignInError::TokenEndpoint { error, description } => write!(
                f,
                "Entra ID did not issue a token ({error}).{}",
                description.as_deref().map(|d| format!(" {d}")).unwrap_or_default()
            ),
            SignInError::Transport(why) => write!(f, "The token endpoint could not be used: {why}"),
            SignInError::UnusableToken(why) => write!(f, "Entra ID issued a token the console cannot use: {why}"),
        }
    }
}

impl std::error::Error for SignInError {}

/// What the redirect back to `/auth/callback` carried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl Redirect {
    pub fn parse(query: &str) -> Redirect {
        let pairs = parse_pairs(query);
        let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
        Redirect { code: get("code"), state: get("state"), error: get("error"), error_description: get("error_description") }
    }
}

/// The authorization code, once `state` matches `expected_state`. The state is
/// checked first, so an error sent to a forged redirect is not shown as Entra's.
pub fn read_redirect(query: &str, expected_state: &str) -> Result<String, SignInError> {
    let redirect = Redirect::parse(query);
    match redirect.state.as_deref() {
        Some(s) if constant_time_eq(s.as_bytes(), expected_state.as_bytes()) => {}
        _ => return Err(SignInError::StateMismatch),
    }
    if let Some(error) = redirect.error {
        return Err(SignInError::Refused { error, description: redirect.error_description });
    }
    redirect.code.ok_or(SignInError::MissingCode)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token endpoint's success body (extra fields ignored).
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct TokenResponse {
    #[serde(default)]
    pub token_type: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    pub expires_in: i64,
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// SPA refresh tokens only: seconds until the refresh token ends (24 h after sign-in).
    #[serde(default)]
    pub refresh_token_expires_in: Option<i64>,
    #[serde(default)]
    pub id_token: Option<String>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("scope", &self.scope)
            .field("expires_in", &self.expires_in)
            .field("refresh_token_expires_in", &self.refresh_token_expires_in)
            .finish_non_exhaustive()
    }
}

/// Entra's error body.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OAuthErrorBody {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<u64>,
}

/// Reads the token endpoint's answer into tokens or a [`SignInError`].
pub fn read_token_response(status: u16, body: &str) -> Result<TokenResponse, SignInError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|e| SignInError::Transport(format!("unreadable token response ({e})")));
    }
    match serde_json::from_str::<OAuthErrorBody>(body) {
        Ok(e) => Err(SignInError::TokenEndpoint { error: e.error, description: e.error_description }),
        Err(_) => Err(SignInError::Transport(format!("HTTP {status} without an OAuth error body"))),
    }
}

/// Seconds from `now` until the access token expiring at `exp` should be
/// refreshed: [`REFRESH_MARGIN_SECS`] before it expires, or half-way for short
/// lifetimes, never negative.
pub fn refresh_delay_secs(exp: i64, now: i64) -> i64 {
    let left = exp - now;
    if left <= 0 {
        return 0;
    }
    let margin = REFRESH_MARGIN_SECS.min(left / 2);
    (left - margin).max(0)
}

/// Whether a refresh at `at` can still work: the SPA refresh token must outlive it.
pub fn can_refresh_at(at: i64, refresh_expires_at: Option<i64>) -> bool {
    refresh_expires_at.is_none_or(|end| at < end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        // The octets of Appendix B's verifier.
        let bytes: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88,
            83, 132, 141, 121,
        ];
        let pkce = Pkce::from_random(&bytes);
        assert_eq!(pkce.verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(pkce.challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert!(!format!("{pkce:?}").contains(&pkce.verifier));
    }

    #[test]
    fn verifiers_and_states_are_url_safe_and_differ_with_their_bytes() {
        let a = Pkce::from_random(&[0u8; 32]);
        let b = Pkce::from_random(&[1u8; 32]);
        assert_eq!(a.verifier.len(), 43);
        assert_ne!(a.verifier, b.verifier);
        assert_ne!(a.challenge, b.challenge);
        assert!(a.verifier.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_eq!(state_from_random(&[255u8; 16]), "_____________________w");
    }

    fn settings() -> EntraSettings {
        EntraSettings::new(
            "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/",
            " 6d6f636b-0000-4000-8000-0000000000b1 ",
            "https://console.contoso.example/auth/callback",
        )
        .unwrap()
    }

    #[test]
    fn settings_are_checked() {
        let s = settings();
        assert_eq!(s.authority, "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47");
        assert_eq!(s.client_id, "6d6f636b-0000-4000-8000-0000000000b1");
        assert!(EntraSettings::new("http://127.0.0.1:8080/t", &s.client_id, "http://127.0.0.1:9/auth/callback").is_ok());
        let bad = |a: &str, c: &str, r: &str| EntraSettings::new(a, c, r).unwrap_err();
        assert!(matches!(bad("login.microsoftonline.com/t", &s.client_id, &s.redirect_uri), SettingsError::Authority(_)));
        assert!(matches!(bad("https://login.microsoftonline.com", &s.client_id, &s.redirect_uri), SettingsError::Authority(_)));
        assert!(matches!(bad("http://evil.example/t", &s.client_id, &s.redirect_uri), SettingsError::Authority(_)));
        assert!(matches!(bad("https://a@evil.example/t", &s.client_id, &s.redirect_uri), SettingsError::Authority(_)));
        assert!(matches!(bad(&s.authority, "my-app", &s.redirect_uri), SettingsError::ClientId(_)));
        assert!(matches!(bad(&s.authority, &s.client_id, "https://x.example/cb?a=1"), SettingsError::RedirectUri(_)));
        assert!(matches!(bad(&s.authority, &s.client_id, "javascript:alert(1)"), SettingsError::RedirectUri(_)));
    }

    #[test]
    fn the_authorize_url_is_percent_encoded() {
        let pkce = Pkce::from_random(&[7u8; 32]);
        let url = settings().authorize_url(&pkce, "st+a/te=", Some("dana@contoso.example"));
        let (base, query) = url.split_once('?').unwrap();
        assert_eq!(base, "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize");
        assert!(query.contains("redirect_uri=https%3A%2F%2Fconsole.contoso.example%2Fauth%2Fcallback"), "{query}");
        assert!(query.contains("scope=https%3A%2F%2Fmanagement.azure.com%2Fuser_impersonation%20openid%20profile%20offline_access"));
        assert!(query.contains("state=st%2Ba%2Fte%3D"));
        assert!(query.contains("login_hint=dana%40contoso.example"));
        assert!(!query.contains(&pkce.verifier), "the verifier never goes to the authorize endpoint");
        let pairs = parse_pairs(query);
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("code_challenge"), Some(pkce.challenge.as_str()));
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(get("state"), Some("st+a/te="));
        assert_eq!(get("response_type"), Some("code"));
    }

    #[test]
    fn token_request_bodies() {
        let s = settings();
        let body = s.code_redemption_body("c&=1", "v");
        let pairs = parse_pairs(&body);
        assert!(pairs.contains(&("code".into(), "c&=1".into())));
        assert!(pairs.contains(&("grant_type".into(), "authorization_code".into())));
        assert!(pairs.contains(&("code_verifier".into(), "v".into())));
        assert!(pairs.contains(&("redirect_uri".into(), s.redirect_uri.clone())));
        let refresh = parse_pairs(&s.refresh_body("r t"));
        assert!(refresh.contains(&("refresh_token".into(), "r t".into())));
        assert!(refresh.contains(&("grant_type".into(), "refresh_token".into())));
        assert_eq!(s.token_url(), format!("{}/oauth2/v2.0/token", s.authority));
    }

    #[test]
    fn the_redirect_gives_the_code_only_with_the_right_state() {
        assert_eq!(read_redirect("?code=abc%2Bd&state=s1&session_state=x", "s1"), Ok("abc+d".into()));
        assert_eq!(read_redirect("code=abc&state=s2", "s1"), Err(SignInError::StateMismatch));
        assert_eq!(read_redirect("code=abc", "s1"), Err(SignInError::StateMismatch));
        assert_eq!(read_redirect("state=s1", "s1"), Err(SignInError::MissingCode));
        let denied = read_redirect("error=access_denied&error_description=AADSTS65004%3A+User+declined&state=s1", "s1").unwrap_err();
        assert_eq!(denied, SignInError::Refused { error: "access_denied".into(), description: Some("AADSTS65004: User declined".into()) });
        assert!(denied.to_string().contains("declined"));
        // An error sent with someone else's state is reported as a mismatch, not as Entra's words.
        assert_eq!(read_redirect("error=access_denied&state=evil", "s1"), Err(SignInError::StateMismatch));
    }

    #[test]
    fn decoding_tolerates_broken_escapes() {
        assert_eq!(url_component::decode("a%2"), "a%2");
        assert_eq!(url_component::decode("%zz%41"), "%zzA");
        assert_eq!(url_component::decode("%C3%A9+x"), "é x");
        assert_eq!(url_component::decode("%41"), "A");
    }

    #[test]
    fn token_responses_and_errors() {
        let ok = read_token_response(
            200,
            r#"{"token_type":"Bearer","expires_in":3599,"access_token":"a.b.c","refresh_token":"r","refresh_token_expires_in":86399,"extra":1}"#,
        )
        .unwrap();
        assert_eq!(ok.refresh_token.as_deref(), Some("r"));
        assert_eq!(ok.refresh_token_expires_in, Some(86399));
        assert!(!format!("{ok:?}").contains("a.b.c"));
        let err = read_token_response(
            400,
            r#"{"error":"invalid_grant","error_description":"AADSTS54005: OAuth2 Authorization code was already redeemed.","error_codes":[54005]}"#,
        )
        .unwrap_err();
        assert!(matches!(&err, SignInError::TokenEndpoint { error, .. } if error == "invalid_grant"));
        assert!(err.to_string().contains("AADSTS54005"));
        assert!(matches!(read_token_response(502, "<html>"), Err(SignInError::Transport(_))));
    }

    #[test]
    fn refresh_happens_before_expiry() {
        assert_eq!(refresh_delay_secs(10_000 + 3600, 10_000), 3300);
        assert_eq!(refresh_delay_secs(10_000 + 60, 10_000), 30);
        assert_eq!(refresh_delay_secs(10_000, 10_000), 0);
        assert_eq!(refresh_delay_secs(9_000, 10_000), 0);
        assert!(can_refresh_at(100, Some(101)));
        assert!(!can_refresh_at(101, Some(101)));
        assert!(can_refresh_at(101, None));
    }
}
