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
//! - Reads (GET) are retried on 408/429/5xx honouring `Retry-After`, within
//!   `acr_cmk_domain::retry::RetryPolicy`'s cap; writes are sent exactly once.

use std::cell::Cell;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Arc;

use acr_cmk_domain::arm::{Page, ResourceId};
use acr_cmk_domain::diagnosis::{resolve_identity, Fetched, IdentityRef, Purpose, Snapshot, Target};
use acr_cmk_domain::endpoint::same_origin;
use acr_cmk_domain::identity::UserAssignedIdentity;
use acr_cmk_domain::key::ArmKey;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::requests::{self, ArmRequest, Method};
use acr_cmk_domain::response::decode;
use acr_cmk_domain::retry::{parse_retry_after, RetryPolicy};
use acr_cmk_domain::role_assignment::RoleAssignment;
use acr_cmk_domain::subscription::Subscription;
use acr_cmk_domain::token::AccessToken;
use acr_cmk_domain::vault::Vault;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;

use crate::session::SessionStore;

pub use acr_cmk_domain::response::ClientError;

/// Writes (sent once, long-running registry PATCHes polled and read back).
pub mod writes;

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
    /// The token the client was made with.
    issued: AccessToken,
    /// The live session: a page opened before a silent refresh must send the
    /// refreshed token, not the one it was opened with.
    session: Option<SessionStore>,
}

/// A registry, with the body exactly as ARM sent it for the "raw JSON" view.
#[derive(Clone, Debug)]
pub struct RegistryRead {
    pub registry: Registry,
    /// ARM's body, indented, keys in ARM's order.
    pub raw_json: String,
    /// Times the GET was sent (more than 1 after throttling or a transient failure).
    pub attempts: u32,
}

impl ArmClient {
    /// `endpoint` is normalized (`acr_cmk_domain::endpoint::normalize_endpoint`).
    pub fn new(endpoint: String, token: AccessToken) -> ArmClient {
        ArmClient { endpoint, issued: token, session: None }
    }

    /// Sends the session's current token (after refreshes) while it is for
    /// the same endpoint.
    pub fn following(mut self, session: SessionStore) -> ArmClient {
        self.session = Some(session);
        self
    }

    /// The token to send now: the session's, refreshed, when it still signs
    /// in to this endpoint; else the one this client was made with.
    fn token(&self) -> AccessToken {
        self.session.and_then(|store| store.current_token_for(&self.endpoint)).unwrap_or_else(|| self.issued.clone())
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
        let answer = call.send(&requests::get_registry(registry_id), Some(&self.token())).await?;
        let registry: Registry = answer.decode()?;
        Ok(RegistryRead { registry, raw_json: pretty_json(&answer.body), attempts: answer.attempts })
    }

    /// User-assigned identities in a subscription (all pages).
    pub async fn user_identities(&self, subscription_id: &str) -> Result<Vec<UserAssignedIdentity>, ClientError> {
        self.list(requests::list_user_identities(subscription_id)).await
    }

    /// One user-assigned identity by its full ARM id.
    #[allow(dead_code)] // Typed read kept beside the list; no page needs a single identity yet.
    pub async fn user_identity(&self, identity_id: &str) -> Result<UserAssignedIdentity, ClientError> {
        let call = Call::start(&self.endpoint);
        self.get(&call, &requests::get_user_identity(identity_id)).await
    }

    /// The registry's system-assigned identity (`identities/default`); `None` when it is off.
    pub async fn system_identity(&self, registry_id: &str) -> Result<Option<UserAssignedIdentity>, ClientError> {
        let call = Call::start(&self.endpoint);
        self.get_optional(&call, &requests::get_system_identity(registry_id)).await
    }

    /// Key vaults in a subscription (all pages).
    pub async fn vaults(&self, subscription_id: &str) -> Result<Vec<Vault>, ClientError> {
        self.list(requests::list_vaults(subscription_id)).await
    }

    pub async fn vault(&self, vault_id: &str) -> Result<Vault, ClientError> {
        let call = Call::start(&self.endpoint);
        self.get(&call, &requests::get_vault(vault_id)).await
    }

    /// A vault's keys through ARM (all pages).
    pub async fn keys(&self, vault_id: &str) -> Result<Vec<ArmKey>, ClientError> {
        self.list(requests::list_keys(vault_id)).await
    }

    /// One key (its current version's attributes); `None` when it does not exist.
    #[allow(dead_code)] // The diagnosis reads the versions list instead (one request for both).
    pub async fn key(&self, vault_id: &str, key_name: &str) -> Result<Option<ArmKey>, ClientError> {
        let call = Call::start(&self.endpoint);
        self.get_optional(&call, &requests::get_key(vault_id, key_name)).await
    }

    /// A key's versions (all pages); `None` when the key does not exist.
    pub async fn key_versions(&self, vault_id: &str, key_name: &str) -> Result<Option<Vec<ArmKey>>, ClientError> {
        let call = Call::start(&self.endpoint);
        self.list_optional(&call, requests::list_key_versions(vault_id, key_name)).await
    }

    /// A principal's role assignments at, above and below `scope`.
    pub async fn role_assignments_for_principal(&self, scope: &str, principal_id: &str) -> Result<Vec<RoleAssignment>, ClientError> {
        let call = Call::start(&self.endpoint);
        self.role_assignments_on(&call, scope, principal_id).await
    }

    /// What the diagnosis needs about the key `registry` encrypts with now.
    pub async fn load_diagnosis_snapshot(&self, registry: &Registry) -> Snapshot {
        self.load_snapshot(registry, Purpose::Current, Target::current(registry), Vec::new()).await
    }

    /// Gathers a diagnosis snapshot for `target` (current, or a rotation's proposal)
    /// in two concurrent rounds and as few reads as the answers allow:
    /// 1. the subscription's vaults (to find the key's vault by name), the system
    ///    identity when the registry has one (its client id), and the subscription's
    ///    identities only when the target's client id matches none attached;
    /// 2. the key's versions, and the principal's role assignments on RBAC vaults.
    ///
    /// `known_identities` are user-assigned identities the caller already has (e.g.
    /// the one a rotation proposes). Failed reads are kept in the snapshot: the
    /// diagnosis shows them as "unknown" rather than failing as a whole.
    pub async fn load_snapshot(
        &self,
        registry: &Registry,
        purpose: Purpose,
        target: Option<Target>,
        known_identities: Vec<UserAssignedIdentity>,
    ) -> Snapshot {
        use futures::future::{join, join3, OptionFuture};

        let mut snapshot = Snapshot::new(purpose, registry.clone(), target.clone(), crate::clock::now_unix_secs());
        snapshot.known_identities = known_identities;
        let Some(target) = target else { return snapshot };
        let call = Call::start(&self.endpoint);
        let subscription = ResourceId::parse(&registry.id).map(|r| r.subscription_id).unwrap_or_default();

        let block = registry.identity.clone().unwrap_or_default();
        let has_system = block.kinds().system;
        let needs_identities = match &target.identity {
            IdentityRef::System => false,
            IdentityRef::ClientId(c) => {
                block.user_identity_by_client_id(c).is_none()
                    && !snapshot.known_identities.iter().any(|k| k.properties.client_id.eq_ignore_ascii_case(c))
            }
        };
        let vaults = async {
            match &target.key {
                Some(_) => Some(self.list_on::<Vault>(&call, requests::list_vaults(&subscription)).await),
                None => None,
            }
        };
        let system_request = requests::get_system_identity(&registry.id);
        let system: OptionFuture<_> = has_system.then(|| self.get_optional::<UserAssignedIdentity>(&call, &system_request)).into();
        let identities: OptionFuture<_> =
            needs_identities.then(|| self.list_on::<UserAssignedIdentity>(&call, requests::list_user_identities(&subscription))).into();
        let (vaults, system, identities) = join3(vaults, system, identities).await;

        if let Some(system) = system {
            snapshot.system_identity = Fetched::from_read(system);
        }
        if let Some(Ok(found)) = identities {
            snapshot.known_identities.extend(found);
        }
        let key = target.key.clone();
        let vault = match (vaults, &key) {
            (Some(Ok(vaults)), Some(key)) => match vaults.into_iter().find(|v| v.name.eq_ignore_ascii_case(key.vault_name())) {
                Some(v) => Fetched::Found(v),
                None => Fetched::NotFound,
            },
            (Some(Err(e)), _) => Fetched::Failed(e),
            _ => Fetched::NotNeeded,
        };
        snapshot.vault = vault;
        let Some(vault) = snapshot.vault.found().cloned() else { return snapshot };
        let key = key.expect("a vault is only looked up for a parsed key id");

        let principal =
            resolve_identity(registry, &target.identity, snapshot.system_identity.found(), &snapshot.known_identities).principal_id;
        let versions = self.list_optional::<ArmKey>(&call, requests::list_key_versions(&vault.id, &key.name));
        let assignments: OptionFuture<_> = principal
            .filter(|_| vault.properties.rbac())
            .map(|p| {
                let (call, vault_id) = (&call, vault.id.clone());
                async move { self.role_assignments_on(call, &vault_id, &p).await }
            })
            .into();
        let (versions, assignments) = join(versions, assignments).await;
        snapshot.key_versions = Fetched::from_read(versions);
        if let Some(assignments) = assignments {
            snapshot.role_assignments = match assignments {
                Ok(a) => Fetched::Found(a),
                Err(e) => Fetched::Failed(e),
            };
        }
        snapshot
    }

    async fn role_assignments_on(&self, call: &Call, scope: &str, principal_id: &str) -> Result<Vec<RoleAssignment>, ClientError> {
        let request = requests::list_role_assignments_for_principal(scope, principal_id).ok_or_else(|| ClientError::UnexpectedJson {
            status: 200,
            request_id: None,
            detail: format!("'{principal_id}' is not a principal id"),
        })?;
        self.list_on(call, request).await
    }

    /// One GET decoded into `T`.
    async fn get<T: DeserializeOwned>(&self, call: &Call, request: &ArmRequest) -> Result<T, ClientError> {
        call.send(request, Some(&self.token())).await?.decode()
    }

    /// One GET; a 404 is `None`.
    async fn get_optional<T: DeserializeOwned>(&self, call: &Call, request: &ArmRequest) -> Result<Option<T>, ClientError> {
        let answer = call.send(request, Some(&self.token())).await?;
        if answer.status == 404 {
            return Ok(None);
        }
        answer.decode().map(Some)
    }

    /// A list; a 404 on its first page is `None`.
    async fn list_optional<T: DeserializeOwned>(&self, call: &Call, first: ArmRequest) -> Result<Option<Vec<T>>, ClientError> {
        match self.list_on(call, first).await {
            Ok(items) => Ok(Some(items)),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Follows `nextLink` until the list ends and returns every item.
    async fn list<T: DeserializeOwned>(&self, first: ArmRequest) -> Result<Vec<T>, ClientError> {
        let call = Call::start(&self.endpoint);
        self.list_on(&call, first).await
    }

    /// [`ArmClient::list`] within an existing call (cancelled with it).
    async fn list_on<T: DeserializeOwned>(&self, call: &Call, first: ArmRequest) -> Result<Vec<T>, ClientError> {
        let mut items = Vec::new();
        let mut seen = HashSet::new();
        let mut request = first;
        for _ in 0..MAX_PAGES {
            let answer = call.send(&request, Some(&self.token())).await?;
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
    let answer = call.send_once(&request, None).await?;
    if !(200..300).contains(&answer.status) {
        return Err(acr_cmk_domain::response::failure(answer.status, answer.request_id, &answer.body));
    }
    Ok(answer.body)
}

/// An HTTP answer, before interpretation.
struct Answer {
    status: u16,
    request_id: Option<String>,
    /// `Retry-After`, as sent (seconds or an HTTP date).
    retry_after: Option<String>,
    /// `Azure-AsyncOperation`, which long-running writes poll.
    async_operation: Option<String>,
    body: String,
    /// How many times the request was sent to get this answer.
    attempts: u32,
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

    /// Sends `request`; a read (GET) that meets a transient failure is sent again
    /// after `Retry-After` (or a doubling back-off) within [`RetryPolicy`]'s cap.
    /// Other methods are sent once: see [`Call::send_once`].
    async fn send(&self, request: &ArmRequest, token: Option<&AccessToken>) -> Result<Answer, ClientError> {
        let policy = RetryPolicy::default();
        let mut attempts = 0;
        let mut waited_ms = 0u64;
        loop {
            let answer = self.send_once(request, token).await?;
            attempts += 1;
            let retry_after = answer.retry_after.as_deref().and_then(|v| parse_retry_after(v, crate::clock::now_unix_secs()));
            match policy.next_delay(request.method, answer.status, attempts, retry_after, waited_ms) {
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
    async fn send_once(&self, request: &ArmRequest, token: Option<&AccessToken>) -> Result<Answer, ClientError> {
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
        let headers = response.headers();
        let request_id = headers.get("x-ms-request-id");
        let retry_after = headers.get("retry-after");
        let async_operation = headers.get("azure-asyncoperation").filter(|u| !u.trim().is_empty());
        let body = response.text().await.map_err(network_error)?;
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
