//! Reading ARM's HTTP answers into typed values, or into one error type that
//! says what went wrong in words: ARM's own `error.code`/`error.message`, a
//! bare failure status, a body that is not JSON, or no answer at all.
//!
//! The browser client hands over status, `x-ms-request-id` and body text; the
//! decision is made here so it is tested natively.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::arm::ErrorResponse;
use crate::text::{Lang, Text};

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

    /// ARM's error message, or a sentence explaining the failure (English: logs, `Display`, reports).
    pub fn message(&self) -> String {
        self.message_in(Lang::En)
    }

    /// The same in `lang`. ARM's own message stays as ARM sent it, in every language; the console's
    /// explanations around a failure come from [`words`].
    pub fn message_in(&self, lang: Lang) -> String {
        let fill = |text: Text, args: &[(&str, &str)]| text.fill(lang, args);
        match self {
            ClientError::Arm { message, .. } | ClientError::OperationFailed { message, .. } => message.clone(),
            ClientError::Status { status, excerpt, .. } if excerpt.is_empty() => {
                fill(words::STATUS_NO_BODY, &[("status", &status.to_string())])
            }
            ClientError::Status { status, excerpt, .. } => fill(words::STATUS, &[("status", &status.to_string()), ("excerpt", excerpt)]),
            ClientError::NotJson { status, excerpt, .. } => fill(words::NOT_JSON, &[("status", &status.to_string()), ("excerpt", excerpt)]),
            ClientError::UnexpectedJson { status, detail, .. } => {
                fill(words::UNEXPECTED_JSON, &[("status", &status.to_string()), ("detail", detail)])
            }
            ClientError::Unreachable { endpoint } => fill(words::UNREACHABLE, &[("endpoint", endpoint)]),
            ClientError::TimedOut { endpoint, after_secs } => {
                fill(words::TIMED_OUT, &[("endpoint", endpoint), ("seconds", &after_secs.to_string())])
            }
            ClientError::OperationTimedOut { url, after_secs, .. } => {
                fill(words::OPERATION_TIMED_OUT, &[("url", url), ("seconds", &after_secs.to_string())])
            }
            ClientError::AcceptedOutcomeUnknown { cause, .. } => {
                fill(words::OUTCOME_UNKNOWN, &[("code", &cause.code()), ("message", &cause.message_in(lang))])
            }
            ClientError::ForeignLink { endpoint, link } => fill(words::FOREIGN_LINK, &[("link", link), ("endpoint", endpoint)]),
            ClientError::EndlessList { detail, .. } => fill(words::ENDLESS_LIST, &[("detail", detail)]),
            ClientError::InvalidPrincipalId { value } => fill(words::INVALID_PRINCIPAL, &[("value", value)]),
            ClientError::Aborted => words::ABORTED.get(lang).to_string(),
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

/// The console's explanations of a failure, in English and Korean (ARM's own messages are never translated).
pub mod words {
    crate::catalogue! {
        STATUS_NO_BODY: "The endpoint answered HTTP {status} without an error body." => "엔드포인트가 오류 본문 없이 HTTP {status}(으)로 응답했습니다.";
        STATUS: "The endpoint answered HTTP {status}: {excerpt}" => "엔드포인트가 HTTP {status}(으)로 응답했습니다: {excerpt}";
        NOT_JSON: "The endpoint answered HTTP {status} with something that is not JSON; is it an ARM endpoint? It began: {excerpt}"
            => "엔드포인트가 HTTP {status}(으)로 JSON이 아닌 내용을 응답했습니다. ARM 엔드포인트가 맞나요? 응답의 시작: {excerpt}";
        UNEXPECTED_JSON: "The endpoint answered HTTP {status} with JSON the console cannot read: {detail}"
            => "엔드포인트가 HTTP {status}(으)로 콘솔이 읽을 수 없는 JSON을 응답했습니다: {detail}";
        UNREACHABLE: "Could not reach {endpoint}. Check the endpoint and your network; the endpoint must also allow this page's origin (CORS)."
            => "{endpoint}에 연결할 수 없습니다. 엔드포인트와 네트워크를 확인하세요. 엔드포인트가 이 페이지의 원본(CORS)도 허용해야 합니다.";
        TIMED_OUT: "{endpoint} did not answer within {seconds} seconds." => "{endpoint}이(가) {seconds}초 안에 응답하지 않았습니다.";
        OPERATION_TIMED_OUT: "ARM accepted the change, but its operation ({url}) had not finished after {seconds} seconds; it may still complete."
            => "ARM이 변경을 수락했지만 작업({url})이 {seconds}초가 지나도 끝나지 않았습니다. 아직 완료될 수 있습니다.";
        OUTCOME_UNKNOWN: "ARM accepted the change, so it may have happened, but following it failed ({code}: {message}). Refresh the page to see the resource as it is now."
            => "ARM이 변경을 수락했으므로 변경되었을 수 있지만, 진행 상황을 확인하지 못했습니다({code}: {message}). 페이지를 새로 고쳐 리소스의 현재 상태를 확인하세요.";
        FOREIGN_LINK: "ARM's answer points to {link} (a next page, an operation to follow or a resource id), which is not on {endpoint}; the console does not send your token there."
            => "ARM의 응답이 {endpoint}에 있지 않은 {link}(다음 페이지, 따라갈 작업 또는 리소스 ID)을(를) 가리킵니다. 콘솔은 그곳에 토큰을 보내지 않습니다.";
        ENDLESS_LIST: "The list does not end: {detail}." => "목록이 끝나지 않습니다: {detail}.";
        INVALID_PRINCIPAL: "'{value}' is not a principal id (a GUID); the console did not ask ARM about it."
            => "'{value}'은(는) 보안 주체 ID(GUID)가 아니므로, 콘솔이 ARM에 요청하지 않았습니다.";
        ABORTED: "The request was cancelled." => "요청이 취소되었습니다.";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm::Page;
    use crate::subscription::Subscription;

    #[test]
    fn the_consoles_explanations_are_translated_and_arms_own_message_is_not() {
        let unreachable = ClientError::Unreachable { endpoint: "https://management.azure.com".into() };
        assert!(unreachable.message_in(Lang::Ko).starts_with("https://management.azure.com에 연결할 수 없습니다."));
        assert_eq!(unreachable.message(), unreachable.message_in(Lang::En));
        let arm = ClientError::Arm {
            status: 403,
            code: "AuthorizationFailed".into(),
            message: "The client 'x' does not have".into(),
            request_id: None,
        };
        assert_eq!(arm.message_in(Lang::Ko), "The client 'x' does not have");
        let unknown = ClientError::AcceptedOutcomeUnknown { cause: Box::new(unreachable.clone()), request_id: None };
        assert!(unknown.message_in(Lang::Ko).contains("연결할 수 없습니다"), "the cause in the same language");
    }

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
