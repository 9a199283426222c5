//! Key Vault keys in the two shapes they travel in: through ARM
//! (`Microsoft.KeyVault/vaults/keys`, camelCase, key URIs with `:443`) and
//! through the Key Vault data plane (the `KeyBundle`, snake_case JWK).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `Microsoft.KeyVault/vaults/keys` and `…/keys/versions` through ARM.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmKey {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default)]
    pub resource_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub properties: ArmKeyProperties,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmKeyProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ArmKeyAttributes>,
    /// `RSA`, `RSA-HSM`, `EC`, `EC-HSM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kty: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_ops: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curve_name: Option<String>,
    /// `https://{vault}.vault.azure.net:443/keys/{name}` (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_uri: Option<String>,
    /// `https://{vault}.vault.azure.net:443/keys/{name}/{version}` (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_uri_with_version: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmKeyAttributes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exportable: Option<bool>,
}

/// The data plane's `KeyBundle` (`GET https://{vault}.vault.azure.net/keys/{name}/{version}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyBundle {
    pub key: JsonWebKey,
    #[serde(default)]
    pub attributes: KeyAttributes,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonWebKey {
    #[serde(default)]
    pub kid: String,
    #[serde(default)]
    pub kty: String,
    #[serde(default)]
    pub key_ops: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

/// Data-plane key attributes; times are Unix seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyAttributes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recoverable_days: Option<u32>,
}

/// Key types ACR accepts for customer-managed keys.
pub fn is_cmk_key_type(kty: &str) -> bool {
    kty.eq_ignore_ascii_case("RSA") || kty.eq_ignore_ascii_case("RSA-HSM")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rsa_keys_are_cmk_keys() {
        assert!(is_cmk_key_type("RSA"));
        assert!(is_cmk_key_type("RSA-HSM"));
        assert!(!is_cmk_key_type("EC"));
    }
}
