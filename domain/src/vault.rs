//! `Microsoft.KeyVault/vaults` as ARM returns it (api-version 2025-05-01).
//!
//! The emulator stores vaults in these types and the console reads them, so the
//! access-policy, RBAC and firewall facts the key-access diagnosis needs have
//! one shape on both sides. Unknown fields are tolerated and kept in `other`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vault {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default)]
    pub resource_type: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub properties: VaultProperties,
    /// ARM's ETag of the vault (`W/"…"`): writes planned from this read send it
    /// as `If-Match`. The emulator keeps its own and writes it over this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultProperties {
    #[serde(default)]
    pub tenant_id: String,
    #[serde(default)]
    pub sku: VaultSku,
    #[serde(default)]
    pub access_policies: Vec<AccessPolicyEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vault_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_for_deployment: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_for_disk_encryption: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_for_template_deployment: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_soft_delete: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_delete_retention_in_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_rbac_authorization: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_purge_protection: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_acls: Option<NetworkRuleSet>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_network_access: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl VaultProperties {
    pub fn rbac(&self) -> bool {
        self.enable_rbac_authorization == Some(true)
    }

    /// True when the firewall denies by default (`networkAcls.defaultAction: Deny`).
    pub fn firewall_closed(&self) -> bool {
        self.network_acls.as_ref().is_some_and(|n| n.default_action.as_deref().is_some_and(|a| a.eq_ignore_ascii_case("deny")))
    }

    /// True when trusted Azure services (ACR among them) may pass the firewall.
    pub fn bypasses_azure_services(&self) -> bool {
        self.network_acls.as_ref().is_some_and(|n| n.bypass.as_deref().is_some_and(|b| b.eq_ignore_ascii_case("azureservices")))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultSku {
    #[serde(default = "family_a")]
    pub family: String,
    #[serde(default = "standard")]
    pub name: String,
}

fn family_a() -> String {
    "A".into()
}
fn standard() -> String {
    "standard".into()
}

impl Default for VaultSku {
    fn default() -> Self {
        VaultSku { family: family_a(), name: standard() }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessPolicyEntry {
    #[serde(default)]
    pub tenant_id: String,
    /// The **principal** (object) id the policy grants to.
    #[serde(default)]
    pub object_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    #[serde(default)]
    pub permissions: Permissions,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificates: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Vec<String>>,
}

/// Key permissions ACR needs on its key.
pub const CMK_KEY_PERMISSIONS: [&str; 3] = ["get", "wrapKey", "unwrapKey"];

impl AccessPolicyEntry {
    /// Whether this entry grants key permission `perm` (case-insensitive; `all` grants everything).
    pub fn grants_key(&self, perm: &str) -> bool {
        self.permissions.keys.as_ref().is_some_and(|ks| ks.iter().any(|k| k.eq_ignore_ascii_case(perm) || k.eq_ignore_ascii_case("all")))
    }

    /// Whether this entry grants everything ACR needs (`get`, `wrapKey`, `unwrapKey`).
    pub fn grants_cmk(&self) -> bool {
        CMK_KEY_PERMISSIONS.iter().all(|p| self.grants_key(p))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkRuleSet {
    /// `AzureServices` or `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bypass: Option<String>,
    /// `Allow` or `Deny`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_action: Option<String>,
    #[serde(default)]
    pub ip_rules: Vec<IpRule>,
    #[serde(default)]
    pub virtual_network_rules: Vec<VirtualNetworkRule>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IpRule {
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualNetworkRule {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_missing_vnet_service_endpoint: Option<bool>,
}

/// The body of `PUT …/vaults/{v}/accessPolicies/{add|replace|remove}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultAccessPolicyParameters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    pub properties: VaultAccessPolicyProperties,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultAccessPolicyProperties {
    pub access_policies: Vec<AccessPolicyEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_policy_grants_read_case_insensitively() {
        let e: AccessPolicyEntry =
            serde_json::from_str(r#"{"tenantId":"t","objectId":"o","permissions":{"keys":["Get","WrapKey","unwrapkey"]}}"#).unwrap();
        assert!(e.grants_cmk());
        let e: AccessPolicyEntry =
            serde_json::from_str(r#"{"tenantId":"t","objectId":"o","permissions":{"keys":["get","wrapKey"]}}"#).unwrap();
        assert!(!e.grants_cmk());
    }

    #[test]
    fn firewall_flags() {
        let p: VaultProperties = serde_json::from_str(
            r#"{"tenantId":"t","sku":{"family":"A","name":"standard"},"accessPolicies":[],
                "networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]}}"#,
        )
        .unwrap();
        assert!(p.firewall_closed());
        assert!(p.bypasses_azure_services());
    }
}
