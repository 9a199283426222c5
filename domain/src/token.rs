//! Reading the bearer token a user pastes at sign-in, and refusing it before
//! anything is sent when it cannot work.
//!
//! Accepted forms: the raw JWT (optionally prefixed `Bearer `), or the JSON
//! printed by `az account get-access-token`. The signature is not checked here
//! (only ARM can); the shape, the audience and the expiry are.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

/// Audiences ARM accepts.
pub const ARM_AUDIENCES: [&str; 2] = ["https://management.azure.com/", "https://management.core.windows.net/"];

/// What the console knows about a token it accepted.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The raw JWT. Never printed: `Debug` hides it.
    pub secret: String,
    pub claims: Claims,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken").field("secret", &"<redacted>").field("claims", &self.claims).finish()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Claims {
    #[serde(default, deserialize_with = "audience")]
    pub aud: Vec<String>,
    #[serde(default)]
    pub exp: Option<i64>,
    #[serde(default)]
    pub oid: Option<String>,
    #[serde(default)]
    pub tid: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub upn: Option<String>,
    #[serde(default)]
    pub unique_name: Option<String>,
}

impl Claims {
    /// Who the token belongs to, for the header.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .or_else(|| self.upn.clone())
            .or_else(|| self.unique_name.clone())
            .or_else(|| self.oid.clone())
            .unwrap_or_else(|| "unknown user".to_string())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    Empty,
    NotAJwt,
    UnreadableJson(String),
    NoExpiry,
    Expired { exp: i64 },
    WrongAudience { aud: Vec<String> },
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Empty => write!(f, "Paste an access token first."),
            TokenError::NotAJwt => write!(
                f,
                "This is not an access token: expected a JWT (three dot-separated parts) or the JSON of `az account get-access-token`."
            ),
            TokenError::UnreadableJson(why) => write!(f, "The pasted JSON has no usable accessToken: {why}."),
            TokenError::NoExpiry => write!(f, "The token has no expiry (exp claim); ARM would refuse it."),
            TokenError::Expired { exp } => write!(
                f,
                "The token expired at {} UTC. Get a new one with `az account get-access-token`.",
                crate::encryption::format_unix_utc(*exp)
            ),
            TokenError::WrongAudience { aud } => write!(
                f,
                "The token is for {} and not for Azure Resource Manager. Get one with `az account get-access-token --resource https://management.azure.com/`.",
                if aud.is_empty() { "no audience".to_string() } else { aud.join(", ") }
            ),
        }
    }
}

impl std::error::Error for TokenError {}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AzCliToken {
    access_token: String,
}

/// Reads and checks a pasted token. `now` is Unix seconds.
pub fn read_token(input: &str, now: i64) -> Result<AccessToken, TokenError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(TokenError::Empty);
    }
    let raw = if input.starts_with('{') {
        let parsed: AzCliToken = serde_json::from_str(input).map_err(|e| TokenError::UnreadableJson(e.to_string()))?;
        parsed.access_token
    } else {
        input.strip_prefix("Bearer ").or_else(|| input.strip_prefix("bearer ")).unwrap_or(input).trim().to_string()
    };
    let claims = decode_claims(&raw)?;
    let exp = claims.exp.ok_or(TokenError::NoExpiry)?;
    if exp <= now {
        return Err(TokenError::Expired { exp });
    }
    if !claims.aud.iter().any(|a| is_arm_audience(a)) {
        return Err(TokenError::WrongAudience { aud: claims.aud.clone() });
    }
    Ok(AccessToken { secret: raw, claims })
}

/// ARM accepts its audiences with or without the trailing slash.
pub fn is_arm_audience(aud: &str) -> bool {
    let aud = aud.trim_end_matches('/');
    ARM_AUDIENCES.iter().any(|a| a.trim_end_matches('/').eq_ignore_ascii_case(aud))
}

/// Decodes a JWT's payload without checking its signature.
pub fn decode_claims(jwt: &str) -> Result<Claims, TokenError> {
    let parts: Vec<&str> = jwt.split('.').collect();
    if parts.len() != 3 || parts.iter().take(2).any(|p| p.is_empty()) {
        return Err(TokenError::NotAJwt);
    }
    let payload = URL_SAFE_NO_PAD.decode(parts[1].trim_end_matches('=')).map_err(|_| TokenError::NotAJwt)?;
    serde_json::from_slice(&payload).map_err(|_| TokenError::NotAJwt)
}

/// `aud` is a string or an array of strings. A visitor of its own rather than an untagged enum:
/// untagged buffers the value through serde's `Content`, whose code would then be in the console's
/// first load for this one field (issue 14).
fn audience<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct Audience;
    impl<'de> serde::de::Visitor<'de> for Audience {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or an array of strings")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<String>, E> {
            Ok(vec![v.to_owned()])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut all = Vec::new();
            while let Some(one) = seq.next_element::<String>()? {
                all.push(one);
            }
            Ok(all)
        }
    }
    d.deserialize_any(Audience)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        format!("{}.{}.sig", URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#), URL_SAFE_NO_PAD.encode(claims))
    }

    #[test]
    fn accepts_a_raw_token_and_the_az_cli_json() {
        let t = jwt(r#"{"aud":"https://management.azure.com","exp":2000,"name":"Ada","oid":"o","tid":"t"}"#);
        let read = read_token(&format!("Bearer {t}"), 1000).unwrap();
        assert_eq!(read.secret, t);
        assert_eq!(read.claims.display_name(), "Ada");
        let az = format!(r#"{{"accessToken":"{t}","expiresOn":"2030-01-01 00:00:00.000000","tenant":"t","tokenType":"Bearer"}}"#);
        assert_eq!(read_token(&az, 1000).unwrap().secret, t);
    }

    #[test]
    fn refuses_non_jwt_expired_and_wrong_audience() {
        assert_eq!(read_token("", 0), Err(TokenError::Empty));
        assert_eq!(read_token("hello", 0), Err(TokenError::NotAJwt));
        let old = jwt(r#"{"aud":"https://management.azure.com/","exp":10}"#);
        assert_eq!(read_token(&old, 11), Err(TokenError::Expired { exp: 10 }));
        let graph = jwt(r#"{"aud":["https://graph.microsoft.com"],"exp":100}"#);
        assert!(matches!(read_token(&graph, 1), Err(TokenError::WrongAudience { .. })));
        let classic = jwt(r#"{"aud":"https://management.core.windows.net/","exp":100}"#);
        assert!(read_token(&classic, 1).is_ok());
    }

    #[test]
    fn the_audience_is_a_string_or_an_array_of_strings() {
        let many = jwt(r#"{"aud":["https://graph.microsoft.com","https://management.azure.com/"],"exp":100}"#);
        assert_eq!(read_token(&many, 1).unwrap().claims.aud, ["https://graph.microsoft.com", "https://management.azure.com/"]);
        let none = jwt(r#"{"exp":100}"#);
        assert!(matches!(read_token(&none, 1), Err(TokenError::WrongAudience { .. })));
        for bad in [r#"{"aud":5,"exp":100}"#, r#"{"aud":[5],"exp":100}"#, r#"{"aud":{"a":"b"},"exp":100}"#] {
            assert_eq!(read_token(&jwt(bad), 1), Err(TokenError::NotAJwt), "{bad}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let t = jwt(r#"{"aud":"https://management.azure.com/","exp":100}"#);
        let read = read_token(&t, 1).unwrap();
        assert!(!format!("{read:?}").contains(&t));
    }
}
