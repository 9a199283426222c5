//! Everything the emulated Azure knows: tenants, subscriptions, resource
//! groups, identities, vaults, keys, role assignments, registries and running
//! operations. One plain serde structure, so it can be seeded by a scenario,
//! inspected in tests and written to the `--state` file as it is.

use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::vault::Vault;
use serde::{Deserialize, Serialize};

pub fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct World {
    pub tenant_id: String,
    pub subscriptions: Vec<SubscriptionRec>,
    pub resource_groups: Vec<ResourceGroupRec>,
    pub identities: Vec<IdentityRec>,
    pub vaults: Vec<VaultRec>,
    pub keys: Vec<KeyRec>,
    pub role_assignments: Vec<RoleAssignmentRec>,
    pub registries: Vec<RegistryRec>,
    pub operations: Vec<Operation>,
    pub service_principals: Vec<ServicePrincipal>,
    /// Users and SPA app registrations for the sign-in endpoints (`entra`).
    #[serde(default)]
    pub directory: crate::directory::Directory,
    /// `systemData` of registries, vaults and identities, by lower-case id (`system_data`).
    #[serde(default)]
    pub system_data: std::collections::BTreeMap<String, SystemData>,
    /// Where new principal ids, client ids and key versions come from (`id_mint`).
    #[serde(default)]
    pub ids: crate::id_mint::IdMint,
    /// ARM template deployments, newest last.
    #[serde(default)]
    pub deployments: Vec<crate::deployment::record::DeploymentRec>,
    /// Activity Log events (`activity_log`), oldest first, as the list API answers them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activity_log: Vec<serde_json::Value>,
}

/// A write the Activity Log is recording (`activity_log`): what its events share.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Begun {
    pub action: String,
    pub scope: String,
    pub resource_id: String,
    pub caller: String,
    pub correlation_id: String,
    pub operation_id: String,
    pub method: String,
    #[serde(default)]
    pub client_request_id: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionRec {
    pub subscription_id: String,
    pub display_name: String,
    pub tenant_id: String,
    /// Object ids that hold a role on it (absent: everyone in the tenant). Others do not
    /// see it in lists or Resource Graph, and get `403 AuthorizationFailed` under it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readers: Option<Vec<String>>,
}

impl SubscriptionRec {
    /// Whether the caller with object id `oid` may see this subscription.
    pub fn visible_to(&self, oid: Option<&str>) -> bool {
        match (&self.readers, oid) {
            (None, _) => true,
            (Some(readers), Some(oid)) => readers.iter().any(|r| eq(r, oid)),
            (Some(_), None) => false,
        }
    }
}

/// ARM's `systemData` of a resource (kept and served by `system_data`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SystemData {
    pub created_by: String,
    pub created_by_type: String,
    pub created_at: String,
    pub last_modified_by: String,
    pub last_modified_by_type: String,
    pub last_modified_at: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceGroupRec {
    pub subscription_id: String,
    pub name: String,
    pub location: String,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub tags: std::collections::BTreeMap<String, String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    pub display_name: String,
    pub client_id: String,
    pub client_secret: String,
    pub object_id: String,
}

/// A user-assigned managed identity.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityRec {
    pub subscription_id: String,
    pub resource_group: String,
    pub name: String,
    pub location: String,
    #[serde(default)]
    pub tags: std::collections::BTreeMap<String, String>,
    pub principal_id: String,
    pub client_id: String,
}

impl IdentityRec {
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourcegroups/{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{}",
            self.subscription_id, self.resource_group, self.name
        )
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultRec {
    pub subscription_id: String,
    pub resource_group: String,
    pub vault: Vault,
    /// Soft-deleted at (Unix seconds); a deleted vault keeps its name and keys.
    #[serde(default)]
    pub deleted_at: Option<i64>,
    /// ARM's weak ETag, `W/"…"`: replaced by every change to the vault, checked against `If-Match`.
    #[serde(default = "fresh_etag")]
    pub etag: String,
}

/// A new, never-seen ETag in ARM's weak, quoted form.
pub fn fresh_etag() -> String {
    format!("W/\"{}\"", uuid::Uuid::new_v4().simple())
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyRec {
    /// The vault's name (vault names are global, like DNS).
    pub vault: String,
    pub name: String,
    pub kty: String,
    #[serde(default)]
    pub key_size: Option<u32>,
    #[serde(default)]
    pub curve: Option<String>,
    pub key_ops: Vec<String>,
    #[serde(default)]
    pub tags: std::collections::BTreeMap<String, String>,
    /// Oldest first.
    pub versions: Vec<KeyVersionRec>,
    #[serde(default)]
    pub deleted_at: Option<i64>,
    /// Key Vault's `rotationPolicy` as set at creation through ARM (`properties.rotationPolicy`),
    /// returned on the key (not its versions). The emulator does not act on it: rotation is by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_policy: Option<acr_cmk_domain::key::RotationPolicy>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyVersionRec {
    pub version: String,
    pub enabled: bool,
    pub created: i64,
    pub updated: i64,
    #[serde(default)]
    pub nbf: Option<i64>,
    #[serde(default)]
    pub exp: Option<i64>,
    /// Public modulus (base64url); random bytes, not a real RSA key.
    pub n: String,
}

impl KeyRec {
    /// The newest version that is enabled and within its validity window.
    pub fn newest_usable(&self, now: i64) -> Option<&KeyVersionRec> {
        self.versions.iter().rev().find(|v| v.usable(now))
    }

    pub fn version(&self, version: &str) -> Option<&KeyVersionRec> {
        self.versions.iter().find(|v| eq(&v.version, version))
    }

    pub fn current(&self) -> Option<&KeyVersionRec> {
        self.versions.last()
    }
}

impl KeyVersionRec {
    pub fn usable(&self, now: i64) -> bool {
        self.enabled && self.nbf.is_none_or(|n| n <= now) && self.exp.is_none_or(|e| e > now)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignmentRec {
    pub name: String,
    pub scope: String,
    pub role_definition_id: String,
    pub principal_id: String,
    #[serde(default)]
    pub principal_type: Option<String>,
    pub created_on: String,
}

impl RoleAssignmentRec {
    pub fn id(&self) -> String {
        format!("{}/providers/Microsoft.Authorization/roleAssignments/{}", self.scope.trim_end_matches('/'), self.name)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryRec {
    pub subscription_id: String,
    pub resource_group: String,
    /// The settled state (what GET shows once no operation is running).
    pub registry: Registry,
    /// The system identity's client id (ARM shows only its principal id on the registry).
    #[serde(default)]
    pub system_client_id: Option<String>,
    /// `Creating` / `Updating` / `Deleting` while an operation runs.
    #[serde(default)]
    pub pending_state: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpKind {
    Create,
    Update,
    Delete,
}

/// A long-running registry operation.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub id: String,
    pub kind: OpKind,
    pub subscription_id: String,
    pub resource_group: String,
    pub registry_name: String,
    /// The state to settle on when the operation succeeds (None for delete).
    pub target: Option<Registry>,
    #[serde(default)]
    pub target_system_client_id: Option<String>,
    /// Set when the operation is going to end `Failed` (fault menu).
    #[serde(default)]
    pub failure: Option<(String, String)>,
    pub started_ms: i64,
    pub polls: u32,
    /// `InProgress`, `Succeeded`, `Failed`.
    pub status: String,
    #[serde(default)]
    pub ended_ms: Option<i64>,
    /// The write that started it, whose Activity Log events end when it settles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Begun>,
}

impl World {
    pub fn subscription(&self, sub: &str) -> Option<&SubscriptionRec> {
        self.subscriptions.iter().find(|s| eq(&s.subscription_id, sub))
    }

    pub fn resource_group(&self, sub: &str, rg: &str) -> Option<&ResourceGroupRec> {
        self.resource_groups.iter().find(|g| eq(&g.subscription_id, sub) && eq(&g.name, rg))
    }

    pub fn registry_index(&self, sub: &str, rg: &str, name: &str) -> Option<usize> {
        self.registries.iter().position(|r| eq(&r.subscription_id, sub) && eq(&r.resource_group, rg) && eq(&r.registry.name, name))
    }

    pub fn identity_by_client_id(&self, client_id: &str) -> Option<&IdentityRec> {
        self.identities.iter().find(|i| eq(&i.client_id, client_id))
    }

    pub fn identity_by_resource_id(&self, id: &str) -> Option<&IdentityRec> {
        self.identities.iter().find(|i| acr_cmk_domain::arm::same_id(&i.id(), id))
    }

    /// A live (not soft-deleted) vault by its global name.
    pub fn vault_by_name(&self, name: &str) -> Option<&VaultRec> {
        self.vaults.iter().find(|v| v.deleted_at.is_none() && eq(&v.vault.name, name))
    }

    pub fn vault_index(&self, sub: &str, rg: &str, name: &str) -> Option<usize> {
        self.vaults
            .iter()
            .position(|v| v.deleted_at.is_none() && eq(&v.subscription_id, sub) && eq(&v.resource_group, rg) && eq(&v.vault.name, name))
    }

    pub fn key(&self, vault: &str, name: &str) -> Option<&KeyRec> {
        self.keys.iter().find(|k| k.deleted_at.is_none() && eq(&k.vault, vault) && eq(&k.name, name))
    }

    pub fn key_index(&self, vault: &str, name: &str) -> Option<usize> {
        self.keys.iter().position(|k| k.deleted_at.is_none() && eq(&k.vault, vault) && eq(&k.name, name))
    }
}
