//! Reading ARM's HTTP answers into typed values, or into one error type that
//! says what went wrong in words: ARM's own `error.code`/`error.message`, a
//! bare failure status, a body that is not JSON, or no answer at all.
//!
//! The browser client hands over status, `x-ms-request-id` and body text; the
//! decision is made here so it is tested natively.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::arm::ErrorResponse;

/// How much of an unexpected body is kept for the message.
const EXCERPT_CHARS: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientError {
    /// ARM answered with its error body `{"error":{"code","message"}}`.
    Arm { status: u16, code: String, message: String, request_id: Option<String> },
    /// A long-running operation ended `Failed` or `Canceled`. Its status
    /// poll answered 200, so there is no failure status to show.
    OperationFailed { code: String, message: String, request_id: Option<String> },
    /// A failure status without ARM's error body.
    Status { status: u16, request_id: Option<String>, excerpt: String },
    /// The body is not JSON at all (an HTML page: probably not an ARM endpoint).
    NotJson { status: u16, request_id: Option<String>, excerpt: String },
    /// JSON, but not the shape the console expects.
    UnexpectedJson { status: u16, request_id: Option<String>, detail: String },
    /// No HTTP answer: DNS failure, connection refused, or the endpoint does not
    /// allow this page's origin (CORS); the browser does not say which.
    Unreachable { endpoint: String },
    /// No answer within the time limit.
    TimedOut { endpoint: String, after_secs: u32 },
    /// A long-running operation ARM accepted was still running when the console stopped polling it at `url`.
    OperationTimedOut { url: String, after_secs: u32, request_id: Option<String> },
    /// ARM accepted a write, then following it failed (the operation poll, its URL, or the
    /// read-back): the change may well have happened. `cause` says what failed.
    AcceptedOutcomeUnknown { request_id: Option<String>, cause: Box<ClientError> },
    /// A `nextLink`, operation URL or resource id pointing away from the endpoint: not followed with the token.
    ForeignLink { endpoint: String, link: String },
    /// A list whose `nextLink`s never end (a loop, or more pages than the console follows).
    EndlessList { request_id: Option<String>, detail: String },
    /// Refused before sending: the value is not a principal id (a GUID), so no filter is built from it.
    InvalidPrincipalId { value: String },
    /// The request was cancelled because the page that needed it went away.
    Aborted,
}

impl ClientError {
    /// ARM's error code, or a stable code naming the failure for the others.
    pub fn code(&self) -> String {
        match self {
            ClientError::Arm { code, .. } | ClientError::OperationFailed { code, .. } => code.clone(),
            ClientError::Status { status, .. } => format!("HttpStatus{status}"),
            ClientError::NotJson { .. } => "NotJson".to_string(),
            ClientError::UnexpectedJson { .. } => "UnexpectedJson".to_string(),
            ClientError::Unreachable { .. } => "Unreachable".to_string(),
            ClientError::TimedOut { .. } => "TimedOut".to_string(),
            ClientError::OperationTimedOut { .. } => "OperationTimedOut".to_string(),
            ClientError::AcceptedOutcomeUnknown { .. } => "AcceptedOutcomeUnknown".to_string(),
            ClientError::ForeignLink { .. } => "ForeignLink".to_string(),
            ClientError::EndlessList { .. } => "EndlessList".to_string(),
            ClientError::InvalidPrincipalId { .. } => "InvalidPrincipalId".to_string(),
            ClientError::Aborted => "Aborted".to_string(),
        }
    }

    /// ARM's error message, or a sentence explaining the failure.
    pub fn message(&self) -> String {
        match self {
            ClientError::Arm { message, .. } | ClientError::OperationFailed { message, .. } => message.clone(),
            ClientError::Status { status, excerpt, .. } if excerpt.is_empty() => {
                format!("The endpoint answered HTTP {status} without an error body.")
            }
            ClientError::Status { status, excerpt, .. } => format!("The endpoint answered HTTP {status}: {excerpt}"),
            ClientError::NotJson { status, excerpt, .. } => {
                format!("The endpoint answered HTTP {status} with something that is not JSON; is it an ARM endpoint? It began: {excerpt}")
            }
            ClientError::UnexpectedJson { status, detail, .. } => {
                format!("The endpoint answered HTTP {status} with JSON the console cannot read: {detail}")
            }
            ClientError::Unreachable { endpoint } => format!(
                "Could not reach {endpoint}. Check the endpoint and your network; the endpoint must also allow this page's origin (CORS)."
            ),
            ClientError::TimedOut { endpoint, after_secs } => {
                format!("{endpoint} did not answer within {after_secs} seconds.")
            }
            ClientError::OperationTimedOut { url, after_secs, .. } => format!(
                "ARM accepted the change, but its operation ({url}) had not finished after {after_secs} seconds; it may still complete."
            ),
            ClientError::AcceptedOutcomeUnknown { cause, .. } => format!(
                "ARM accepted the change, so it may have happened, but following it failed ({}: {}). Refresh the page to see the resource as it is now.",
                cause.code(),
                cause.message()
            ),
            ClientError::ForeignLink { endpoint, link } => {
                format!("ARM's answer points to {link} (a next page, an operation to follow or a resource id), which is not on {endpoint}; the console does not send your token there.")
            }
            ClientError::EndlessList { detail, .. } => format!("The list does not end: {detail}."),
            ClientError::InvalidPrincipalId { value } => {
                format!("'{value}' is not a principal id (a GUID); the console did not ask ARM about it.")
            }
            ClientError::Aborted => "The request was cancelled.".to_string(),
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Arm { status, .. }
            | ClientError::Status { status, .. }
            | ClientError::NotJson { status, .. }
            | ClientError::UnexpectedJson { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// ARM's `x-ms-request-id`, to quote to Azure support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ClientError::Arm { request_id, .. }
            | ClientError::OperationFailed { request_id, .. }
            | ClientError::Status { request_id, .. }
            | ClientError::NotJson { request_id, .. }
            | ClientError::UnexpectedJson { request_id, .. }
            | ClientError::OperationTimedOut { request_id, .. }
            | ClientError::AcceptedOutcomeUnknown { request_id, .. }
            | ClientError::EndlessList { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// For a write: no answer, or an answer that does not say the change did not happen
    /// (a 5xx, an abort, a time-out, or a failure after ARM accepted it).
    pub fn write_outcome_unknown(&self) -> bool {
        match self {
            ClientError::TimedOut { .. }
            | ClientError::Unreachable { .. }
            | ClientError::Aborted
            | ClientError::OperationTimedOut { .. }
            | ClientError::AcceptedOutcomeUnknown { .. } => true,
            other => other.status().is_some_and(|s| s >= 500),
        }
    }

    /// The token was refused (expired, revoked, wrong tenant): signing in again helps.
    pub fn is_authentication_failure(&self) -> bool {
        self.status() == Some(401)
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())?;
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ClientError {}

/// Turns an HTTP answer into `T` or a [`ClientError`].
pub fn decode<T: DeserializeOwned>(status: u16, request_id: Option<String>, body: &str) -> Result<T, ClientError> {
    if !(200..300).contains(&status) {
        return Err(failure(status, request_id, body));
    }
    match serde_json::from_str::<T>(body) {
        Ok(value) => Ok(value),
        Err(_) if serde_json::from_str::<serde_json::Value>(body).is_err() => {
            Err(ClientError::NotJson { status, request_id, excerpt: excerpt(body) })
        }
        Err(e) => Err(ClientError::UnexpectedJson { status, request_id, detail: e.to_string() }),
    }
}

/// The error for a failure status (not 2xx).
pub fn failure(status: u16, request_id: Option<String>, body: &str) -> ClientError {
    if let Ok(ErrorResponse { error }) = serde_json::from_str::<ErrorResponse>(body) {
        return ClientError::Arm { status, code: error.code, message: error.message, request_id };
    }
    if !body.trim().is_empty() && serde_json::from_str::<serde_json::Value>(body).is_err() {
        return ClientError::NotJson { status, request_id, excerpt: excerpt(body) };
    }
    ClientError::Status { status, request_id, excerpt: excerpt(body) }
}

/// The start of a body, on one line, at most [`EXCERPT_CHARS`] characters.
fn excerpt(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        flat
    } else {
        let cut: String = flat.chars().take(EXCERPT_CHARS).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm::Page;
    use crate::subscription::Subscription;

    #[test]
    fn a_page_decodes() {
        let body = r#"{"value":[{"id":"/subscriptions/s1","subscriptionId":"s1","displayName":"Dev","extra":1}]}"#;
        let page: Page<Subscription> = decode(200, None, body).unwrap();
        assert_eq!(page.value[0].display_name, "Dev");
        assert!(page.next_link.is_none());
    }

    #[test]
    fn arm_errors_keep_code_message_status_and_request_id() {
        let body = r#"{"error":{"code":"AuthorizationFailed","message":"The client 'x' does not have authorization"}}"#;
        let err = decode::<Page<Subscription>>(403, Some("req-1".into()), body).unwrap_err();
        assert_eq!(err.code(), "AuthorizationFailed");
        assert_eq!(err.message(), "The client 'x' does not have authorization");
        assert_eq!(err.status(), Some(403));
        assert_eq!(err.request_id(), Some("req-1"));
        assert_eq!(err.to_string(), "AuthorizationFailed: The client 'x' does not have authorization (request id req-1)");
    }

    #[test]
    fn html_and_empty_bodies_are_named() {
        let err = decode::<Page<Subscription>>(200, None, "<html><body>Welcome</body></html>").unwrap_err();
        assert_eq!(err.code(), "NotJson");
        assert!(err.message().contains("<html><body>Welcome"));
        let err = decode::<Page<Subscription>>(502, None, "<h1>Bad gateway</h1>").unwrap_err();
        assert_eq!(err.code(), "NotJson");
        assert_eq!(err.status(), Some(502));
        let err = decode::<Page<Subscription>>(404, Some("r".into()), "").unwrap_err();
        assert_eq!(err.code(), "HttpStatus404");
        assert_eq!(err.message(), "The endpoint answered HTTP 404 without an error body.");
        let err = decode::<Page<Subscription>>(500, None, r#"{"oops":true}"#).unwrap_err();
        assert_eq!(err.code(), "HttpStatus500");
    }

    #[test]
    fn wrong_json_shape_is_not_confused_with_non_json() {
        let err = decode::<Page<Subscription>>(200, None, r#"{"value":[{"displayName":1}]}"#).unwrap_err();
        assert_eq!(err.code(), "UnexpectedJson");
    }

    #[test]
    fn long_bodies_are_cut() {
        let body = "x".repeat(1000);
        let ClientError::NotJson { excerpt, .. } = decode::<Page<Subscription>>(200, None, &body).unwrap_err() else { panic!("not json") };
        assert_eq!(excerpt.chars().count(), EXCERPT_CHARS + 1);
    }

    #[test]
    fn a_failed_operation_has_code_and_request_id_but_no_failure_status() {
        let e = ClientError::OperationFailed { code: "KeyVaultAccessDenied".into(), message: "m".into(), request_id: Some("r".into()) };
        assert_eq!((e.code().as_str(), e.status(), e.request_id()), ("KeyVaultAccessDenied", None, Some("r")));
    }

    #[test]
    fn client_side_failures_name_themselves_not_a_json_problem() {
        let e = ClientError::OperationTimedOut { url: "/op/1".into(), after_secs: 600, request_id: Some("r".into()) };
        assert_eq!((e.code().as_str(), e.status(), e.request_id()), ("OperationTimedOut", None, Some("r")));
        assert!(e.message().contains("may still complete"), "{}", e.message());
        let e = ClientError::EndlessList { request_id: None, detail: "nextLink /x was already followed".into() };
        assert_eq!(e.code(), "EndlessList");
        assert_eq!(e.message(), "The list does not end: nextLink /x was already followed.");
        let e = ClientError::InvalidPrincipalId { value: "x' or 1=1".into() };
        assert_eq!((e.code().as_str(), e.status()), ("InvalidPrincipalId", None));
    }

    #[test]
    fn a_write_whose_outcome_is_not_known_says_so() {
        let cause = ClientError::Status { status: 500, request_id: None, excerpt: String::new() };
        assert!(cause.write_outcome_unknown(), "a 5xx does not say nothing happened");
        let e = ClientError::AcceptedOutcomeUnknown { request_id: Some("w".into()), cause: Box::new(cause) };
        assert!(e.write_outcome_unknown());
        assert_eq!((e.code().as_str(), e.request_id()), ("AcceptedOutcomeUnknown", Some("w")));
        assert!(e.message().starts_with("ARM accepted the change") && e.message().contains("HttpStatus500"), "{}", e.message());
        let refused = ClientError::Arm { status: 409, code: "Conflict".into(), message: "m".into(), request_id: None };
        assert!(!refused.write_outcome_unknown(), "a 4xx is ARM saying no");
        assert!(ClientError::Aborted.write_outcome_unknown());
    }

    #[test]
    fn unreachable_says_could_not_reach_the_endpoint() {
        let err = ClientError::Unreachable { endpoint: "http://127.0.0.1:9".into() };
        assert!(err.message().starts_with("Could not reach http://127.0.0.1:9"));
        assert_eq!(err.request_id(), None);
    }
}
