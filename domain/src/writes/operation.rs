//! Long-running operations: a registry PATCH answers `201`/`200` with an
//! `Azure-AsyncOperation` URL; polling it gives
//! `{"status":"InProgress"|"Succeeded"|"Failed"|"Canceled","error":{…}}`,
//! and `Retry-After` says when to ask again.

use serde::Deserialize;

use crate::arm::ErrorDetail;

/// Poll again after this long when the service does not say (`Retry-After` absent).
pub const DEFAULT_POLL_MS: u32 = 2_000;
/// Never wait longer than this between polls, whatever `Retry-After` says.
pub const MAX_POLL_MS: u32 = 30_000;
/// Give up waiting for an operation after this long (the write may still finish).
pub const OPERATION_TIMEOUT_SECS: u32 = 300;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationState {
    InProgress,
    Succeeded,
    Failed,
    Canceled,
}

impl OperationState {
    pub fn is_terminal(self) -> bool {
        self != OperationState::InProgress
    }
}

/// The body of an `Azure-AsyncOperation` URL.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationStatus {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub error: Option<ErrorDetail>,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
}

impl OperationStatus {
    /// Terminal states by name (any casing); anything else — `InProgress`,
    /// `Updating`, `Accepted`… — means "not yet".
    pub fn state(&self) -> OperationState {
        match self.status.to_ascii_lowercase().as_str() {
            "succeeded" => OperationState::Succeeded,
            "failed" => OperationState::Failed,
            "canceled" | "cancelled" => OperationState::Canceled,
            _ => OperationState::InProgress,
        }
    }
}

/// Milliseconds to wait before the next poll, from a `Retry-After` header
/// (delay-seconds; an HTTP date or garbage falls back to the default).
pub fn poll_interval_ms(retry_after: Option<&str>) -> u32 {
    retry_after
        .and_then(|v| v.trim().parse::<u32>().ok())
        .map(|secs| secs.saturating_mul(1000).clamp(500, MAX_POLL_MS))
        .unwrap_or(DEFAULT_POLL_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_in_any_casing_and_unknown_means_in_progress() {
        let s: OperationStatus = serde_json::from_str(r#"{"id":"x","status":"InProgress","startTime":"t"}"#).unwrap();
        assert_eq!(s.state(), OperationState::InProgress);
        assert!(!s.state().is_terminal());
        let s: OperationStatus = serde_json::from_str(r#"{"status":"succeeded"}"#).unwrap();
        assert_eq!(s.state(), OperationState::Succeeded);
        let s: OperationStatus = serde_json::from_str(r#"{"status":"Canceled"}"#).unwrap();
        assert_eq!(s.state(), OperationState::Canceled);
        let s: OperationStatus = serde_json::from_str(r#"{"status":"Updating"}"#).unwrap();
        assert_eq!(s.state(), OperationState::InProgress);
    }

    #[test]
    fn failures_carry_arm_code_and_message() {
        let s: OperationStatus =
            serde_json::from_str(r#"{"status":"Failed","error":{"code":"InternalServerError","message":"boom"}}"#).unwrap();
        assert_eq!(s.state(), OperationState::Failed);
        let e = s.error.unwrap();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("InternalServerError", "boom"));
    }

    #[test]
    fn retry_after_sets_the_interval_within_bounds() {
        assert_eq!(poll_interval_ms(Some("1")), 1_000);
        assert_eq!(poll_interval_ms(Some(" 5 ")), 5_000);
        assert_eq!(poll_interval_ms(Some("0")), 500);
        assert_eq!(poll_interval_ms(Some("3600")), MAX_POLL_MS);
        assert_eq!(poll_interval_ms(Some("Wed, 21 Oct 2015 07:28:00 GMT")), DEFAULT_POLL_MS);
        assert_eq!(poll_interval_ms(None), DEFAULT_POLL_MS);
    }
}
