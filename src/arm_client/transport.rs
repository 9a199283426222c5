//! One HTTP exchange with ARM through the browser's `fetch`: the bearer token
//! only in the `Authorization` header, an abort when the page that started the
//! call goes away or after [`TIMEOUT_SECS`], and reads (GET) retried on
//! 408/429/5xx within `RetryPolicy`'s cap. Writes go through
//! [`Call::send_once`]: never repeated. A call given [`SharedReads`] (the
//! fleet's "Diagnose many") asks each read once for the whole batch.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use acr_cmk_domain::diagnose_many::read_key;
use acr_cmk_domain::endpoint::ForeignUrl;
use acr_cmk_domain::read_trace::ReadTrace;
use acr_cmk_domain::requests::{ArmRequest, Method};
use acr_cmk_domain::response::{decode, ClientError};
use acr_cmk_domain::retry::{parse_retry_after, RetryPolicy};
use acr_cmk_domain::token::AccessToken;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;

/// Give up on a request that has not been answered after this long.
pub const TIMEOUT_SECS: u32 = 30;

/// An HTTP answer, before interpretation.
#[derive(Clone)]
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) request_id: Option<String>,
    /// `Retry-After`, as sent (seconds or an HTTP date).
    pub(super) retry_after: Option<String>,
    /// `Azure-AsyncOperation`, which long-running writes poll.
    pub(super) async_operation: Option<String>,
    pub(super) body: String,
    /// How many times the request was sent to get this answer.
    pub(super) attempts: u32,
}

impl Answer {
    pub(super) fn decode<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        decode(self.status, self.request_id.clone(), &self.body)
    }
}

/// One logical call (possibly several pages), cancelled as a whole when the
/// page that started it is cleaned up. It keeps the ids of the reads it made
/// ([`Call::traces`]) for the ticket report.
pub(super) struct Call {
    endpoint: String,
    pub(super) controller: Option<Arc<SendWrapper<web_sys::AbortController>>>,
    traces: RefCell<Vec<ReadTrace>>,
    /// A batch's reads, asked once for all its calls (`None`: every read is sent).
    shared: Option<SharedReads>,
}

/// A read's answer as every call of a batch gets it: the request in flight or answered, with
/// the traces of its attempts.
type SharedAnswer = futures::future::Shared<futures::future::LocalBoxFuture<'static, (Result<Answer, ClientError>, Vec<ReadTrace>)>>;

/// The reads of one batch (`acr_cmk_domain::diagnose_many::SharedReads`), with the abort
/// controller of the whole batch: leaving the page aborts what is in flight.
#[derive(Clone)]
pub(super) struct SharedReads {
    answers: Rc<RefCell<acr_cmk_domain::diagnose_many::SharedReads<SharedAnswer>>>,
    controller: Option<Arc<SendWrapper<web_sys::AbortController>>>,
}

impl SharedReads {
    /// A batch's reads, aborted when the reactive owner that starts it is cleaned up.
    pub(super) fn start() -> SharedReads {
        SharedReads { answers: Rc::default(), controller: abort_on_cleanup() }
    }

    /// Reads sent, and reads answered from another call's.
    pub(super) fn counts(&self) -> (usize, usize) {
        let answers = self.answers.borrow();
        (answers.sent(), answers.shared())
    }
}

/// An abort controller that fires when the current reactive owner is cleaned up.
fn abort_on_cleanup() -> Option<Arc<SendWrapper<web_sys::AbortController>>> {
    let controller = web_sys::AbortController::new().ok().map(|c| Arc::new(SendWrapper::new(c)));
    if let Some(controller) = controller.clone() {
        // Abort in-flight requests if, e.g., we've navigated away from this page.
        leptos::prelude::on_cleanup(move || controller.abort());
    }
    controller
}

impl Call {
    pub(super) fn start(endpoint: &str) -> Call {
        Call { endpoint: endpoint.to_string(), controller: abort_on_cleanup(), traces: RefCell::new(Vec::new()), shared: None }
    }

    /// A call of a batch: its reads go through `shared`, its aborts are the batch's.
    pub(super) fn within(endpoint: &str, shared: &SharedReads) -> Call {
        Call {
            endpoint: endpoint.to_string(),
            controller: shared.controller.clone(),
            traces: RefCell::new(Vec::new()),
            shared: Some(shared.clone()),
        }
    }

    /// Every read (GET) answered so far in this call, in the order the answers came.
    pub(super) fn traces(&self) -> Vec<ReadTrace> {
        self.traces.borrow().clone()
    }

    /// Sends `request`; a read (GET) that meets a transient failure is sent again
    /// after `Retry-After` (or a doubling back-off) within [`RetryPolicy`]'s cap.
    /// Other methods are sent once: see [`Call::send_once`]. Within a batch, a read another call
    /// of it has already asked for is not sent again: this call waits for the same answer.
    pub(super) async fn send(&self, request: &ArmRequest, token: Option<&AccessToken>) -> Result<Answer, ClientError> {
        let (Some(shared), Some(key)) = (&self.shared, read_key(request)) else {
            return self.send_retrying(request, token).await;
        };
        let answer = shared.answers.borrow_mut().get_or_start(key, || {
            use futures::FutureExt;
            // Owned by the batch, not by this call: another call may be the one that polls it to the end.
            let own =
                Call { endpoint: self.endpoint.clone(), controller: shared.controller.clone(), traces: RefCell::default(), shared: None };
            let (request, token) = (request.clone(), token.cloned());
            async move {
                let answer = own.send_retrying(&request, token.as_ref()).await;
                (answer, own.traces())
            }
            .boxed_local()
            .shared()
        });
        let (answer, traces) = answer.await;
        self.traces.borrow_mut().extend(traces);
        answer
    }

    /// [`Call::send`] without a batch: sent (and retried) now.
    async fn send_retrying(&self, request: &ArmRequest, token: Option<&AccessToken>) -> Result<Answer, ClientError> {
        let policy = RetryPolicy::default();
        let mut attempts = 0;
        let mut waited_ms = 0u64;
        loop {
            let answer = self.send_once(request, token).await?;
            attempts += 1;
            let retry_after = answer.retry_after.as_deref().and_then(|v| parse_retry_after(v, crate::clock::now_unix_secs()));
            match policy.next_delay(request.is_read(), answer.status, attempts, retry_after, waited_ms) {
                Ok(delay) => {
                    waited_ms += delay;
                    let delay = u32::try_from(delay).unwrap_or(u32::MAX);
                    gloo_timers::future::TimeoutFuture::new(delay).await;
                    if self.controller.as_ref().is_some_and(|c| c.signal().aborted()) {
                        return Err(ClientError::Aborted);
                    }
                }
                Err(_) => return Ok(Answer { attempts, ..answer }),
            }
        }
    }

    /// One HTTP exchange, never repeated (writes).
    pub(super) async fn send_once(&self, request: &ArmRequest, token: Option<&AccessToken>) -> Result<Answer, ClientError> {
        use gloo_net::http::{Method as HttpMethod, RequestBuilder};

        let method = match request.method {
            Method::Get => HttpMethod::GET,
            Method::Put => HttpMethod::PUT,
            Method::Patch => HttpMethod::PATCH,
            Method::Post => HttpMethod::POST,
            Method::Delete => HttpMethod::DELETE,
        };
        // The one place a request URL is made, by `endpoint::resolve`: the URL
        // checked is the URL sent, and it is on the endpoint's origin.
        let url = request.url(&self.endpoint).map_err(foreign_link)?;
        let signal = self.controller.as_ref().map(|c| c.signal());
        let mut builder = RequestBuilder::new(&url).method(method).header("Accept", "application/json").abort_signal(signal.as_ref());
        if let Some(token) = token {
            builder = builder.header("Authorization", &format!("Bearer {}", token.secret));
        }
        if let Some(etag) = &request.if_match {
            builder = builder.header("If-Match", etag);
        }

        let timed_out = Rc::new(Cell::new(false));
        let _timeout = self.controller.clone().map(|controller| {
            let timed_out = timed_out.clone();
            gloo_timers::callback::Timeout::new(TIMEOUT_SECS * 1000, move || {
                timed_out.set(true);
                controller.abort();
            })
        });
        let network_error = |e: gloo_net::Error| self.network_error(&e, timed_out.get());

        let response = match &request.body {
            Some(body) => builder.json(body).map_err(network_error)?.send().await,
            None => builder.send().await,
        }
        .map_err(network_error)?;
        let status = response.status();
        let headers = response.headers();
        let request_id = headers.get("x-ms-request-id");
        let correlation_id = headers.get("x-ms-correlation-request-id");
        let retry_after = headers.get("retry-after");
        let async_operation = headers.get("azure-asyncoperation").filter(|u| !u.trim().is_empty());
        let body = response.text().await.map_err(network_error)?;
        if request.method == Method::Get {
            let trace = ReadTrace::new(request.method.as_str(), &request.path, status, request_id.clone(), correlation_id);
            self.traces.borrow_mut().push(trace);
        }
        Ok(Answer { status, request_id, retry_after, async_operation, body, attempts: 1 })
    }

    /// The browser reports every failure to get an answer alike (a `TypeError`):
    /// refused, DNS, TLS or CORS. Aborts are ours: a timeout or the page leaving.
    fn network_error(&self, error: &gloo_net::Error, timed_out: bool) -> ClientError {
        let aborted = matches!(error, gloo_net::Error::JsError(e) if e.name == "AbortError");
        match (aborted, timed_out) {
            (true, true) => ClientError::TimedOut { endpoint: self.endpoint.clone(), after_secs: TIMEOUT_SECS },
            (true, false) => ClientError::Aborted,
            _ => ClientError::Unreachable { endpoint: self.endpoint.clone() },
        }
    }
}

/// A URL `endpoint::resolve` refused: the token is not sent there.
pub(super) fn foreign_link(refused: ForeignUrl) -> ClientError {
    ClientError::ForeignLink { endpoint: refused.endpoint, link: refused.target }
}

/// Indents a JSON body keeping ARM's key order (serde_json's map would sort it).
pub(super) fn pretty_json(body: &str) -> String {
    if !cfg!(target_arch = "wasm32") {
        return body.to_string();
    }
    js_sys::JSON::parse(body)
        .and_then(|value| js_sys::JSON::stringify_with_replacer_and_space(&value, &wasm_bindgen::JsValue::NULL, &2.into()))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| body.to_string())
}
