//! The requests the console sends to ARM, as data: method, path with query, body.
//!
//! Building them here keeps them testable natively and lets the console show a
//! write's exact request before it runs.

use serde_json::Value;

use crate::arm::api_version;
use crate::endpoint::{resolve, ForeignUrl};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Patch,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }

    /// Reads are safe to retry; writes are not retried blindly.
    pub fn is_idempotent_read(self) -> bool {
        matches!(self, Method::Get)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ArmRequest {
    pub method: Method,
    /// Path and query relative to the ARM endpoint, starting with `/`.
    pub path: String,
    pub body: Option<Value>,
    /// `If-Match`: the resource's `etag` as read when the write was planned, so
    /// ARM refuses the write (`412`) if the resource changed since.
    pub if_match: Option<String>,
}

impl ArmRequest {
    pub fn new(method: Method, path: String, body: Option<Value>) -> ArmRequest {
        ArmRequest { method, path, body, if_match: None }
    }

    /// Changes nothing, so it is safe to send again after a throttle or a transient
    /// failure: a GET, or a Resource Graph query (a POST only because the KQL is a body).
    pub fn is_read(&self) -> bool {
        self.method.is_idempotent_read() || (self.method == Method::Post && self.path.starts_with(crate::resource_graph::RESOURCES_PATH))
    }

    fn get(path: String) -> ArmRequest {
        ArmRequest::new(Method::Get, path, None)
    }

    /// The same request, ignoring `If-Match`: what the user confirms is the
    /// method, URL and body (a new ETag alone is not a new plan).
    pub fn same_change(&self, other: &ArmRequest) -> bool {
        self.method == other.method && self.path == other.path && self.body == other.body
    }

    /// The full URL against `endpoint` (e.g. `https://management.azure.com`),
    /// through [`crate::endpoint::resolve`], the one place that decides where a
    /// request may go: an absolute `nextLink` or operation URL only on the
    /// endpoint's origin.
    pub fn url(&self, endpoint: &str) -> Result<String, ForeignUrl> {
        resolve(endpoint, &self.path)
    }
}

pub fn list_subscriptions() -> ArmRequest {
    ArmRequest::get(format!("/subscriptions?api-version={}", api_version::SUBSCRIPTIONS))
}

pub fn list_registries(subscription_id: &str) -> ArmRequest {
    ArmRequest::get(format!(
        "/subscriptions/{}/providers/Microsoft.ContainerRegistry/registries?api-version={}",
        subscription_id,
        api_version::CONTAINER_REGISTRY
    ))
}

/// `registry_id` is the registry's full ARM id.
pub fn get_registry(registry_id: &str) -> ArmRequest {
    ArmRequest::get(format!("{}?api-version={}", registry_id, api_version::CONTAINER_REGISTRY))
}

/// Follows a page's `nextLink` as ARM gave it.
pub fn next_page(next_link: &str) -> ArmRequest {
    ArmRequest::get(next_link.to_string())
}

// --- reads behind the creation flow's Basics step ---

pub fn list_resource_groups(subscription_id: &str) -> ArmRequest {
    ArmRequest::get(format!("/subscriptions/{subscription_id}/resourcegroups?api-version={}", api_version::SUBSCRIPTIONS))
}

/// The subscription's locations (names and display names).
pub fn list_locations(subscription_id: &str) -> ArmRequest {
    ArmRequest::get(format!("/subscriptions/{subscription_id}/locations?api-version={}", api_version::SUBSCRIPTIONS))
}

/// `Microsoft.ContainerRegistry`'s registration: where its resource types can be created.
pub fn get_registry_provider(subscription_id: &str) -> ArmRequest {
    ArmRequest::get(format!(
        "/subscriptions/{subscription_id}/providers/Microsoft.ContainerRegistry?api-version={}",
        api_version::SUBSCRIPTIONS
    ))
}

/// `POST …/checkNameAvailability`: a read in effect (nothing changes), answered `200` either way.
pub fn check_registry_name(subscription_id: &str, name: &str) -> ArmRequest {
    let body = crate::placement::NameAvailabilityRequest {
        name: name.to_string(),
        resource_type: "Microsoft.ContainerRegistry/registries".into(),
    };
    ArmRequest::new(
        Method::Post,
        format!(
            "/subscriptions/{subscription_id}/providers/Microsoft.ContainerRegistry/checkNameAvailability?api-version={}",
            api_version::CONTAINER_REGISTRY
        ),
        serde_json::to_value(body).ok(),
    )
}

// --- reads behind the registry page's status and key-access diagnosis ---

/// Every user-assigned identity in a subscription (to assign, or to name a detached one).
pub fn list_user_identities(subscription_id: &str) -> ArmRequest {
    ArmRequest::get(format!(
        "/subscriptions/{subscription_id}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version={}",
        api_version::MANAGED_IDENTITY
    ))
}

/// One user-assigned identity by its full ARM id.
pub fn get_user_identity(identity_id: &str) -> ArmRequest {
    ArmRequest::get(format!("{}?api-version={}", identity_id.trim_end_matches('/'), api_version::MANAGED_IDENTITY))
}

/// The registry's system-assigned identity: the only place ARM gives its **client id**.
pub fn get_system_identity(registry_id: &str) -> ArmRequest {
    ArmRequest::get(format!(
        "{}/providers/Microsoft.ManagedIdentity/identities/default?api-version={}",
        registry_id.trim_end_matches('/'),
        api_version::MANAGED_IDENTITY
    ))
}

/// Every key vault in a subscription, with their access policies and firewall.
pub fn list_vaults(subscription_id: &str) -> ArmRequest {
    ArmRequest::get(format!("/subscriptions/{subscription_id}/providers/Microsoft.KeyVault/vaults?api-version={}", api_version::KEY_VAULT))
}

pub fn get_vault(vault_id: &str) -> ArmRequest {
    ArmRequest::get(format!("{}?api-version={}", vault_id.trim_end_matches('/'), api_version::KEY_VAULT))
}

/// A vault's keys through ARM (the data plane sends no CORS headers).
pub fn list_keys(vault_id: &str) -> ArmRequest {
    ArmRequest::get(format!("{}/keys?api-version={}", vault_id.trim_end_matches('/'), api_version::KEY_VAULT))
}

pub fn get_key(vault_id: &str, key_name: &str) -> ArmRequest {
    ArmRequest::get(format!("{}/keys/{key_name}?api-version={}", vault_id.trim_end_matches('/'), api_version::KEY_VAULT))
}

pub fn list_key_versions(vault_id: &str, key_name: &str) -> ArmRequest {
    ArmRequest::get(format!("{}/keys/{key_name}/versions?api-version={}", vault_id.trim_end_matches('/'), api_version::KEY_VAULT))
}

/// The signed-in caller's permissions at `scope` (one block per role assignment that applies).
pub fn list_permissions(scope: &str) -> ArmRequest {
    ArmRequest::get(format!(
        "{}/providers/Microsoft.Authorization/permissions?api-version={}",
        scope.trim_end_matches('/'),
        api_version::AUTHORIZATION
    ))
}

/// Role assignments of one principal at, above and below `scope`
/// (`$filter=principalId eq '…'`). `None` when `principal_id` is not a GUID-like
/// id, so nothing but an id reaches the filter expression.
pub fn list_role_assignments_for_principal(scope: &str, principal_id: &str) -> Option<ArmRequest> {
    let ok = !principal_id.is_empty() && principal_id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    ok.then(|| {
        ArmRequest::get(format!(
            "{}/providers/Microsoft.Authorization/roleAssignments?api-version={}&$filter=principalId%20eq%20'{principal_id}'",
            scope.trim_end_matches('/'),
            api_version::AUTHORIZATION
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnosis_reads_use_each_providers_api_version() {
        let reg = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r";
        assert_eq!(
            get_system_identity(reg).path,
            format!("{reg}/providers/Microsoft.ManagedIdentity/identities/default?api-version=2024-11-30")
        );
        assert_eq!(
            list_user_identities("s").path,
            "/subscriptions/s/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2024-11-30"
        );
        assert_eq!(list_vaults("s").path, "/subscriptions/s/providers/Microsoft.KeyVault/vaults?api-version=2025-05-01");
        let kv = "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv";
        assert_eq!(list_key_versions(kv, "k").path, format!("{kv}/keys/k/versions?api-version=2025-05-01"));
        assert_eq!(get_key(kv, "k").path, format!("{kv}/keys/k?api-version=2025-05-01"));
        assert!(list_keys(kv).path.starts_with(&format!("{kv}/keys?")));
        assert!(get_vault(kv).path.ends_with("kv?api-version=2025-05-01"));
    }

    #[test]
    fn creation_reads_name_their_provider_and_api_version() {
        assert_eq!(list_resource_groups("s").path, "/subscriptions/s/resourcegroups?api-version=2022-12-01");
        assert_eq!(list_locations("s").path, "/subscriptions/s/locations?api-version=2022-12-01");
        assert_eq!(get_registry_provider("s").path, "/subscriptions/s/providers/Microsoft.ContainerRegistry?api-version=2022-12-01");
        let check = check_registry_name("s", "contoso1");
        assert_eq!(check.method, Method::Post);
        assert_eq!(check.path, "/subscriptions/s/providers/Microsoft.ContainerRegistry/checkNameAvailability?api-version=2025-04-01");
        assert_eq!(check.body.unwrap(), serde_json::json!({"name": "contoso1", "type": "Microsoft.ContainerRegistry/registries"}));
    }

    #[test]
    fn role_assignment_filter_takes_only_an_id() {
        let r = list_role_assignments_for_principal("/subscriptions/s", "6d6f636b-0000-4000-8000-0000000000a1").unwrap();
        assert_eq!(
            r.path,
            "/subscriptions/s/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=principalId%20eq%20'6d6f636b-0000-4000-8000-0000000000a1'"
        );
        assert!(list_role_assignments_for_principal("/subscriptions/s", "x' or 1 eq 1").is_none());
        assert!(list_role_assignments_for_principal("/subscriptions/s", "").is_none());
    }

    #[test]
    fn registry_reads_use_the_2025_04_01_api() {
        let r = list_registries("sub-1");
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.url("https://management.azure.com/").unwrap(),
            "https://management.azure.com/subscriptions/sub-1/providers/Microsoft.ContainerRegistry/registries?api-version=2025-04-01"
        );
        let id = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r";
        assert_eq!(get_registry(id).path, format!("{id}?api-version=2025-04-01"));
    }

    #[test]
    fn next_link_is_followed_verbatim() {
        let link = "https://management.azure.com/subscriptions/s/providers/Microsoft.ContainerRegistry/registries?api-version=2025-04-01&$skipToken=abc";
        assert_eq!(next_page(link).url("https://management.azure.com").unwrap(), link);
        assert!(next_page(link).url("http://127.0.0.1:1").is_err(), "a link off the endpoint is not followed");
    }
}
