//! The typed ARM client the pages call: one method per read, each returning
//! domain models or a [`ClientError`]. HTTP and JSON stop here.
//!
//! - The bearer token goes only into the `Authorization` header: never into a
//!   URL, never into a log. `nextLink`s are followed only on the endpoint's own
//!   origin, so the token never leaves it.
//! - In-flight requests are aborted when the reactive owner that started them is
//!   cleaned up (the page was left), as in leptos' hackernews example, and after
//!   [`TIMEOUT_SECS`] without an answer.
//! - Deciding what an answer means (ARM error, non-JSON, wrong shape) is
//!   `acr_cmk_domain::response`, tested natively.

use std::cell::Cell;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Arc;

use acr_cmk_domain::arm::Page;
use acr_cmk_domain::endpoint::same_origin;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::requests::{self, ArmRequest, Method};
use acr_cmk_domain::response::decode;
use acr_cmk_domain::subscription::Subscription;
use acr_cmk_domain::token::AccessToken;
use serde::de::DeserializeOwned;
use send_wrapper::SendWrapper;

pub use acr_cmk_domain::response::ClientError;

/// Give up on a request that has not been answered after this long.
pub const TIMEOUT_SECS: u32 = 30;
/// A list longer than this many pages is refused rather than followed forever.
const MAX_PAGES: usize = 100;
/// The emulator's demo sign-in (not part of Azure).
const DEMO_TOKEN_PATH: &str = "/_emulator/demo-token";

/// An ARM endpoint and the signed-in user's token.
#[derive(Clone, Debug)]
pub struct ArmClient {
    endpoint: String,
    token: AccessToken,
}

/// A registry, with the body exactly as ARM sent it for the "raw JSON" view.
#[derive(Clone, Debug)]
pub struct RegistryRead {
    pub registry: Registry,
    /// ARM's body, indented, keys in ARM's order.
    pub raw_json: String,
}

impl ArmClient {
    /// `endpoint` is normalized (`acr_cmk_domain::endpoint::normalize_endpoint`).
    pub fn new(endpoint: String, token: AccessToken) -> ArmClient {
        ArmClient { endpoint, token }
    }

    /// Every subscription the token can see (all pages).
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>, ClientError> {
        self.list(requests::list_subscriptions()).await
    }

    /// Every container registry in a subscription (all pages).
    pub async fn registries(&self, subscription_id: &str) -> Result<Vec<Registry>, ClientError> {
        self.list(requests::list_registries(subscription_id)).await
    }

    /// One registry by its full ARM id.
    pub async fn registry(&self, registry_id: &str) -> Result<RegistryRead, ClientError> {
        let call = Call::start(&self.endpoint);
        let answer = call.send(&requests::get_registry(registry_id), Some(&self.token)).await?;
        let registry: Registry = answer.decode()?;
        Ok(RegistryRead { registry, raw_json: pretty_json(&answer.body) })
    }

    /// Follows `nextLink` until the list ends and returns every item.
    async fn list<T: DeserializeOwned>(&self, first: ArmRequest) -> Result<Vec<T>, ClientError> {
        let call = Call::start(&self.endpoint);
        let mut items = Vec::new();
        let mut seen = HashSet::new();
        let mut request = first;
        for _ in 0..MAX_PAGES {
            let answer = call.send(&request, Some(&self.token)).await?;
            let page: Page<T> = answer.decode()?;
            items.extend(page.value);
            let Some(link) = page.next_link.filter(|l| !l.trim().is_empty()) else {
                return Ok(items);
            };
            let on_endpoint = link.starts_with('/') || same_origin(&self.endpoint, &link);
            if !on_endpoint {
                return Err(ClientError::ForeignLink { endpoint: self.endpoint.clone(), link });
            }
            if !seen.insert(link.clone()) {
                return Err(answer.unexpected(format!("nextLink {link} was already followed; the list does not end")));
            }
            request = requests::next_page(&link);
        }
        Err(ClientError::UnexpectedJson {
            status: 200,
            request_id: None,
            detail: format!("the list goes on for more than {MAX_PAGES} pages"),
        })
    }
}

/// Emulator only: `POST {endpoint}/_emulator/demo-token`, sent without any
/// token. Returns the body (`az account get-access-token`-shaped JSON) for
/// `read_token` to check like a pasted one.
pub async fn demo_token(endpoint: &str) -> Result<String, ClientError> {
    let call = Call::start(endpoint);
    let request = ArmRequest { method: Method::Post, path: DEMO_TOKEN_PATH.to_string(), body: None };
    let answer = call.send(&request, None).await?;
    if !(200..300).contains(&answer.status) {
        return Err(acr_cmk_domain::response::failure(answer.status, answer.request_id, &answer.body));
    }
    Ok(answer.body)
}

/// An HTTP answer, before interpretation.
struct Answer {
    status: u16,
    request_id: Option<String>,
    body: String,
}

impl Answer {
    fn decode<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        decode(self.status, self.request_id.clone(), &self.body)
    }

    fn unexpected(&self, detail: String) -> ClientError {
        ClientError::UnexpectedJson { status: self.status, request_id: self.request_id.clone(), detail }
    }
}

/// One logical call (possibly several pages), cancelled as a whole when the
/// page that started it is cleaned up.
struct Call {
    endpoint: String,
    controller: Option<Arc<SendWrapper<web_sys::AbortController>>>,
}

impl Call {
    fn start(endpoint: &str) -> Call {
        let controller = web_sys::AbortController::new().ok().map(|c| Arc::new(SendWrapper::new(c)));
        if let Some(controller) = controller.clone() {
            // Abort in-flight requests if, e.g., we've navigated away from this page.
            leptos::prelude::on_cleanup(move || controller.abort());
        }
        Call { endpoint: endpoint.to_string(), controller }
    }

    async fn send(&self, request: &ArmRequest, token: Option<&AccessToken>) -> Result<Answer, ClientError> {
        use gloo_net::http::{Method as HttpMethod, RequestBuilder};

        let method = match request.method {
            Method::Get => HttpMethod::GET,
            Method::Put => HttpMethod::PUT,
            Method::Patch => HttpMethod::PATCH,
            Method::Post => HttpMethod::POST,
            Method::Delete => HttpMethod::DELETE,
        };
        let signal = self.controller.as_ref().map(|c| c.signal());
        let mut builder = RequestBuilder::new(&request.url(&self.endpoint))
            .method(method)
            .header("Accept", "application/json")
            .abort_signal(signal.as_ref());
        if let Some(token) = token {
            builder = builder.header("Authorization", &format!("Bearer {}", token.secret));
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
        let request_id = response.headers().get("x-ms-request-id");
        let body = response.text().await.map_err(network_error)?;
        Ok(Answer { status, request_id, body })
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

/// Indents a JSON body keeping ARM's key order (serde_json's map would sort it).
fn pretty_json(body: &str) -> String {
    if !cfg!(target_arch = "wasm32") {
        return body.to_string();
    }
    js_sys::JSON::parse(body)
        .and_then(|value| js_sys::JSON::stringify_with_replacer_and_space(&value, &wasm_bindgen::JsValue::NULL, &2.into()))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| body.to_string())
}
