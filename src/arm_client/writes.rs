//! The client's writes: each [`PlannedWrite`] is sent **exactly once** (a write
//! that failed or timed out may have happened; repeating it blindly could do it
//! twice). A registry PATCH is long-running: `201`/`200` → poll
//! `Azure-AsyncOperation` (a read, so transient failures of the poll are
//! retried) at the pace `Retry-After` asks, within an overall time limit →
//! GET the registry and report what changed.

use acr_cmk_domain::endpoint::resolve;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::requests::{self, ArmRequest};
use acr_cmk_domain::response::failure;
use acr_cmk_domain::writes::changes::{registry_changes, FieldChange};
use acr_cmk_domain::writes::operation::{poll_interval_ms, OperationState, OperationStatus, OPERATION_TIMEOUT_SECS};
use acr_cmk_domain::writes::PlannedWrite;

use super::transport::Call;
use super::{ArmClient, ClientError, RegistryRead};

/// Where a write is, for the dialog's progress list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteProgress {
    Sending,
    /// ARM accepted a long-running write.
    Accepted {
        request_id: Option<String>,
    },
    /// The operation still runs after `polls` polls.
    Waiting {
        polls: u32,
        status: String,
    },
    ReadingBack,
}

/// A write ARM accepted.
#[derive(Clone, Debug)]
pub struct WriteAnswer {
    pub status: u16,
    pub request_id: Option<String>,
    /// `Azure-AsyncOperation`, for long-running writes.
    pub async_operation: Option<String>,
}

/// A registry write that ran to the end and was read back.
#[derive(Clone, Debug)]
pub struct RegistryWriteResult {
    pub request_id: Option<String>,
    pub after: RegistryRead,
    /// Encryption and identity fields that differ from before the write.
    pub changes: Vec<FieldChange>,
}

impl ArmClient {
    /// Sends `write` once; a non-2xx answer becomes a [`ClientError`] with ARM's code and request id.
    pub async fn send_write(&self, write: &PlannedWrite) -> Result<WriteAnswer, ClientError> {
        let call = Call::start(&self.endpoint);
        self.exchange(&call, &write.request).await
    }

    /// A long-running registry PATCH: send once, poll to the end, read back,
    /// and compare with `before`. `progress` hears each stage.
    pub async fn write_registry(
        &self,
        write: &PlannedWrite,
        before: &Registry,
        progress: &dyn Fn(WriteProgress),
    ) -> Result<RegistryWriteResult, ClientError> {
        let call = Call::start(&self.endpoint);
        progress(WriteProgress::Sending);
        let answer = self.exchange(&call, &write.request).await?;
        progress(WriteProgress::Accepted { request_id: answer.request_id.clone() });
        // From here ARM has the change: a failure to follow it must not read as "nothing changed".
        let lost = |cause: ClientError| match cause {
            e @ (ClientError::OperationFailed { .. } | ClientError::OperationTimedOut { .. }) => e,
            cause => ClientError::AcceptedOutcomeUnknown { request_id: answer.request_id.clone(), cause: Box::new(cause) },
        };
        if let Some(url) = answer.async_operation.clone() {
            self.wait_for_operation(&call, &url, &answer, progress).await.map_err(lost)?;
        }
        progress(WriteProgress::ReadingBack);
        let after = self.registry(&before.id).await.map_err(lost)?;
        let changes = registry_changes(before, &after.registry);
        Ok(RegistryWriteResult { request_id: answer.request_id, after, changes })
    }

    /// Polls `url` until the operation ends: `Succeeded` is `Ok`; `Failed` and
    /// `Canceled` carry the operation's error; past [`OPERATION_TIMEOUT_SECS`] it
    /// stops waiting (the operation may still finish).
    pub(super) async fn wait_for_operation(
        &self,
        call: &Call,
        url: &str,
        accepted: &WriteAnswer,
        progress: &dyn Fn(WriteProgress),
    ) -> Result<(), ClientError> {
        // Refused before waiting rather than at the first poll; the transport
        // resolves it again, identically, to send it.
        let url = &resolve(&self.endpoint, url).map_err(super::transport::foreign_link)?;
        let started = crate::clock::now_unix_secs();
        let mut wait_ms = poll_interval_ms(None).min(1_000);
        let mut polls = 0;
        loop {
            gloo_timers::future::TimeoutFuture::new(wait_ms).await;
            if call.controller.as_ref().is_some_and(|c| c.signal().aborted()) {
                return Err(ClientError::Aborted);
            }
            let poll = call.send(&requests::next_page(url), Some(&self.token())).await?;
            polls += 1;
            let status: OperationStatus = poll.decode()?;
            match status.state() {
                OperationState::Succeeded => return Ok(()),
                OperationState::Failed | OperationState::Canceled => {
                    let (code, message) = match status.error {
                        Some(e) => (e.code, e.message),
                        None => (status.status.clone(), format!("The operation ended {} without an error body.", status.status)),
                    };
                    // The write's own request id is what support needs.
                    let request_id = accepted.request_id.clone().or(poll.request_id.clone());
                    return Err(ClientError::OperationFailed { code, message, request_id });
                }
                OperationState::InProgress => progress(WriteProgress::Waiting { polls, status: status.status.clone() }),
            }
            if crate::clock::now_unix_secs() - started > i64::from(OPERATION_TIMEOUT_SECS) {
                return Err(ClientError::OperationTimedOut {
                    url: url.to_string(),
                    after_secs: OPERATION_TIMEOUT_SECS,
                    request_id: accepted.request_id.clone(),
                });
            }
            wait_ms = poll_interval_ms(poll.retry_after.as_deref());
        }
    }

    /// One exchange, never repeated: writes are not blindly retried.
    async fn exchange(&self, call: &Call, request: &ArmRequest) -> Result<WriteAnswer, ClientError> {
        self.exchange_with_body(call, request).await.map(|(answer, _)| answer)
    }

    /// [`ArmClient::exchange`], keeping the answer's body (what ARM assigned: ids, versions).
    pub(super) async fn exchange_with_body(&self, call: &Call, request: &ArmRequest) -> Result<(WriteAnswer, String), ClientError> {
        let answer = call.send_once(request, Some(&self.token())).await?;
        if !(200..300).contains(&answer.status) {
            return Err(failure(answer.status, answer.request_id, &answer.body));
        }
        Ok((WriteAnswer { status: answer.status, request_id: answer.request_id, async_operation: answer.async_operation }, answer.body))
    }
}
