//! The OAuth 2.0 vocabulary the authorize and token endpoints share: request
//! parameters, the tenant names Entra accepts, the resource a scope list
//! names, and Entra's error (JSON from the token endpoint, or redirect
//! parameters from the authorization endpoint).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::state::AppState;
use crate::{auth, clock};

const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "email"];

/// The parameters of a request (query or form body); an empty value counts as absent.
pub(super) struct Params(pub(super) Vec<(String, String)>);

impl Params {
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }
}

/// `common`, `organizations` and the tenant's id name the one tenant.
pub(super) fn tenant_known(state: &AppState, tenant: &str) -> bool {
    tenant.eq_ignore_ascii_case(&state.tenant_id()) || tenant.eq_ignore_ascii_case("common") || tenant.eq_ignore_ascii_case("organizations")
}

/// Entra's timestamps: `2024-01-01 12:00:00Z`.
pub(super) fn timestamp(secs: i64) -> String {
    format!("{}Z", acr_cmk_domain::encryption::format_unix_utc(secs))
}

/// Entra's OAuth error, as JSON from the token endpoint or as redirect parameters.
#[derive(Debug)]
pub(super) struct OAuthError {
    pub(super) status: StatusCode,
    pub(super) error: &'static str,
    pub(super) code: u32,
    pub(super) description: String,
}

impl OAuthError {
    pub(super) fn new(error: &'static str, code: u32, description: impl Into<String>) -> OAuthError {
        OAuthError { status: StatusCode::BAD_REQUEST, error, code, description: description.into() }
    }

    pub(super) fn status(mut self, status: StatusCode) -> OAuthError {
        self.status = status;
        self
    }

    pub(super) fn missing(name: &str) -> OAuthError {
        OAuthError::new("invalid_request", 900144, format!("The request body must contain the following parameter: '{name}'."))
    }

    pub(super) fn tenant_not_found(tenant: &str) -> OAuthError {
        OAuthError::new(
            "invalid_tenant",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            ),
        )
    }

    pub(super) fn app_not_found(client_id: &str, tenant: &str) -> OAuthError {
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

    pub(super) fn redirect_pairs(&self, state: Option<&str>) -> Vec<(String, String)> {
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

/// The resource a scope list asks for: `(scope prefix, aud, permission)`, or
/// Microsoft Graph when only OpenID scopes are given (as Entra does).
pub(super) fn resource_of(scope: &str, tenant: &str) -> Result<(String, String, String), OAuthError> {
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
}
