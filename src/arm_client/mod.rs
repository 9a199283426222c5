//! The typed ARM client the pages call: one method per read, each returning
//! domain models or a [`ClientError`]. HTTP and JSON stop here.
//!
//! - The bearer token goes only into the `Authorization` header: never into a
//!   URL, never into a log. Every request URL (reads, list pages, writes,
//!   operation polls, the demo token) is made by `acr_cmk_domain::endpoint::resolve`
//!   in the transport, which refuses any URL off the endpoint's origin.
//! - In-flight requests are aborted when the reactive owner that started them is
//!   cleaned up (the page was left), as in leptos' hackernews example, and after
//!   `transport::TIMEOUT_SECS` without an answer.
//! - Deciding what an answer means (ARM error, non-JSON, wrong shape) is
//!   `acr_cmk_domain::response`, tested natively.
//! - Reads (GET) are retried on 408/429/5xx honouring `Retry-After`, within
//!   `acr_cmk_domain::retry::RetryPolicy`'s cap; writes are sent exactly once.

use std::collections::HashSet;
use std::sync::Arc;

use acr_cmk_domain::arm::Page;
use acr_cmk_domain::endpoint::resolve;
use acr_cmk_domain::identity::UserAssignedIdentity;
use acr_cmk_domain::key::ArmKey;
use acr_cmk_domain::permissions::Permission;
use acr_cmk_domain::read_trace::ReadTrace;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::requests::{self, ArmRequest, Method};
use acr_cmk_domain::role_assignment::RoleAssignment;
use acr_cmk_domain::subscription::Subscription;
use acr_cmk_domain::token::AccessToken;
use acr_cmk_domain::vault::Vault;
use serde::de::DeserializeOwned;

use transport::Call;

pub use acr_cmk_domain::response::ClientError;
pub use credential::TokenSource;

/// The Activity Log of a registry or a vault (who changed what, when).
mod activity;
/// The creation flow: Basics' reads, and each step's lookup, write and operation.
pub mod creation;
pub mod credential;
/// The emulator's demo routes (reset, a new key version) for the guided demo.
pub mod demo;
/// ARM template deployments: validate, deploy as a long-running operation, list its operations.
pub mod deployments;
/// The fleet's "Diagnose many": a registry's verdict with reads shared across a batch; "Re-read from ARM".
pub mod diagnose_many;
/// The fleet: every registry, vault and identity, joined (Resource Graph, else ARM lists).
pub mod fleet;
/// Resource Graph: one KQL query over every readable subscription, all pages.
mod resource_graph;
/// The diagnosis snapshot: the reads behind the key-access checks, in two concurrent rounds.
mod snapshot;
/// One HTTP exchange through `fetch`: abort, time-out, retries of reads.
mod transport;
/// A key's vault anywhere in the tenant: Resource Graph, else subscription by subscription.
mod vault_lookup;
/// Writes (sent once, long-running registry PATCHes polled and read back).
pub mod writes;

/// A list longer than this many pages is refused rather than followed forever.
const MAX_PAGES: usize = 100;
/// The emulator's demo sign-in (not part of Azure).
const DEMO_TOKEN_PATH: &str = "/_emulator/demo-token";

/// An ARM endpoint and where its bearer token comes from.
#[derive(Clone)]
pub struct ArmClient {
    endpoint: String,
    /// Asked before each request: a page opened before a silent refresh must
    /// send the refreshed token, not the one it was opened with.
    credential: Arc<dyn TokenSource>,
}

impl std::fmt::Debug for ArmClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArmClient").field("endpoint", &self.endpoint).finish_non_exhaustive()
    }
}

/// A registry, with the body exactly as ARM sent it for the "raw JSON" view.
#[derive(Clone, Debug)]
pub struct RegistryRead {
    pub registry: Registry,
    /// ARM's body, indented, keys in ARM's order.
    pub raw_json: String,
    /// Times the GET was sent (more than 1 after throttling or a transient failure).
    pub attempts: u32,
    /// The answer's request ids, for the ticket report.
    pub trace: Option<ReadTrace>,
}

impl ArmClient {
    /// `endpoint` is normalized (`acr_cmk_domain::endpoint::normalize_endpoint`).
    pub fn new(endpoint: String, credential: Arc<dyn TokenSource>) -> ArmClient {
        ArmClient { endpoint, credential }
    }

    /// The ARM endpoint, for the previews' full URLs.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn token(&self) -> AccessToken {
        self.credential.token()
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
        let trace = call.traces().pop();
        Ok(RegistryRead { registry, raw_json: transport::pretty_json(&answer.body), attempts: answer.attempts, trace })
    }

    /// User-assigned identities in a subscription (all pages).
    pub async fn user_identities(&self, subscription_id: &str) -> Result<Vec<UserAssignedIdentity>, ClientError> {
        self.list(requests::list_user_identities(subscription_id)).await
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

    /// A key's versions (all pages); `None` when the key does not exist.
    pub async fn key_versions(&self, vault_id: &str, key_name: &str) -> Result<Option<Vec<ArmKey>>, ClientError> {
        let call = Call::start(&self.endpoint);
        self.list_optional(&call, requests::list_key_versions(vault_id, key_name)).await
    }

    /// The signed-in caller's permissions at `scope` (a registry, a vault), within `call`.
    async fn permissions_on(&self, call: &Call, scope: &str) -> Result<Vec<Permission>, ClientError> {
        self.list_on(call, requests::list_permissions(scope)).await
    }

    /// A principal's role assignments at, above and below `scope`.
    pub async fn role_assignments_for_principal(&self, scope: &str, principal_id: &str) -> Result<Vec<RoleAssignment>, ClientError> {
        let call = Call::start(&self.endpoint);
        self.role_assignments_on(&call, scope, principal_id).await
    }

    async fn role_assignments_on(&self, call: &Call, scope: &str, principal_id: &str) -> Result<Vec<RoleAssignment>, ClientError> {
        let request = requests::list_role_assignments_for_principal(scope, principal_id)
            .ok_or_else(|| ClientError::InvalidPrincipalId { value: principal_id.to_string() })?;
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
            // Checked now for the error's sake; the transport resolves it again, identically, to send it.
            let link = resolve(&self.endpoint, &link).map_err(transport::foreign_link)?;
            if !seen.insert(link.clone()) {
                return Err(ClientError::EndlessList {
                    request_id: answer.request_id.clone(),
                    detail: format!("nextLink {link} was already followed"),
                });
            }
            request = requests::next_page(&link);
        }
        Err(ClientError::EndlessList { request_id: None, detail: format!("it goes on for more than {MAX_PAGES} pages") })
    }
}

/// Emulator only: `POST {endpoint}/_emulator/demo-token`, sent without any
/// token. Returns the body (`az account get-access-token`-shaped JSON) for
/// `read_token` to check like a pasted one.
pub async fn demo_token(endpoint: &str) -> Result<String, ClientError> {
    let call = Call::start(endpoint);
    let request = ArmRequest::new(Method::Post, DEMO_TOKEN_PATH.to_string(), None);
    let answer = call.send_once(&request, None).await?;
    if !(200..300).contains(&answer.status) {
        return Err(acr_cmk_domain::response::failure(answer.status, answer.request_id, &answer.body));
    }
    Ok(answer.body)
}
