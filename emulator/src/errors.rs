//! One error type for every failure the emulator reports, rendered as ARM's
//! `{"error":{"code","message"}}` so clients see exactly what Azure would send.

use acr_cmk_domain::arm::ErrorResponse;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Clone, Debug)]
pub struct ArmError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub headers: Vec<(HeaderName, String)>,
    /// ARM's `error.details[]` (code, message), e.g. Resource Graph's `InvalidQuery`.
    pub details: Vec<(String, String)>,
}

impl ArmError {
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> ArmError {
        ArmError { status, code: code.into(), message: message.into(), headers: Vec::new(), details: Vec::new() }
    }

    pub fn bad_request(code: impl Into<String>, message: impl Into<String>) -> ArmError {
        ArmError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn conflict(code: impl Into<String>, message: impl Into<String>) -> ArmError {
        ArmError::new(StatusCode::CONFLICT, code, message)
    }

    pub fn not_found(code: impl Into<String>, message: impl Into<String>) -> ArmError {
        ArmError::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> ArmError {
        self.headers.push((name, value.into()));
        self
    }

    pub fn with_detail(mut self, code: impl Into<String>, message: impl Into<String>) -> ArmError {
        self.details.push((code.into(), message.into()));
        self
    }

    /// ARM's wording for a missing resource inside a resource group.
    pub fn resource_not_found(resource_type: &str, name: &str, group: &str) -> ArmError {
        ArmError::not_found(
            "ResourceNotFound",
            format!(
                "The Resource '{resource_type}/{name}' under resource group '{group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
            ),
        )
    }

    pub fn resource_group_not_found(group: &str) -> ArmError {
        ArmError::not_found("ResourceGroupNotFound", format!("Resource group '{group}' could not be found."))
    }

    pub fn subscription_not_found(sub: &str) -> ArmError {
        ArmError::not_found("SubscriptionNotFound", format!("The subscription '{sub}' could not be found."))
    }

    /// Malformed or mistyped request bodies.
    pub fn invalid_body(detail: impl std::fmt::Display) -> ArmError {
        ArmError::bad_request(
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: '{detail}'."),
        )
    }

    pub fn body(&self) -> ErrorResponse {
        let mut body = ErrorResponse::new(self.code.clone(), self.message.clone());
        body.error.details = self.details.iter().map(|(c, m)| ErrorResponse::new(c.clone(), m.clone()).error).collect();
        body
    }
}

impl IntoResponse for ArmError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, axum::Json(self.body())).into_response();
        if self.status == StatusCode::UNAUTHORIZED && !self.headers.iter().any(|(n, _)| n == "www-authenticate") {
            resp.headers_mut().insert(
                "www-authenticate",
                HeaderValue::from_static(
                    "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\", error_description=\"The authentication failed because of missing 'Authorization' header.\"",
                ),
            );
        }
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                resp.headers_mut().insert(name, v);
            }
        }
        resp
    }
}

pub type ArmResult<T> = Result<T, ArmError>;
