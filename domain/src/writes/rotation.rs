//! Rotating a registry's customer-managed key: the **minimal** PATCH (only
//! `properties.encryption.keyVaultProperties`; full-body resubmits fail on CMK
//! registries), and the `az` commands for what the browser cannot do itself.

use crate::arm::{api_version, ResourceId};
use crate::key_id::KeyId;
use crate::registry::{EncryptionProperty, KeyVaultProperties, Registry, RegistryPropertiesUpdateParameters, RegistryUpdateParameters};
use crate::requests::Method;

use super::{az, PlannedWrite};

/// The identity the registry will reach the key with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyIdentity {
    /// The registry's system-assigned identity (`identity: "system"` in the body, `[system]` for az).
    System,
    /// A user-assigned identity: `keyVaultProperties.identity` holds its **client id**.
    User { resource_id: String, client_id: String },
}

impl KeyIdentity {
    /// The value of `keyVaultProperties.identity`.
    pub fn body_value(&self) -> &str {
        match self {
            KeyIdentity::System => "system",
            KeyIdentity::User { client_id, .. } => client_id,
        }
    }

    /// The value of `az acr encryption rotate-key --identity`.
    pub fn az_value(&self) -> &str {
        match self {
            KeyIdentity::System => "[system]",
            KeyIdentity::User { client_id, .. } => client_id,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            KeyIdentity::System => "the registry's system-assigned identity".to_string(),
            KeyIdentity::User { resource_id, client_id } => {
                let name = resource_id.rsplit('/').next().unwrap_or(resource_id);
                format!("user-assigned identity '{name}' (client id {client_id})")
            }
        }
    }
}

/// `PATCH {registry}?api-version=2025-04-01` with
/// `{"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier","identity"}}}}`.
///
/// `key` versionless turns auto-rotation on; versioned pins that version.
pub fn rotate_key(registry: &Registry, key: &KeyId, identity: &KeyIdentity) -> PlannedWrite {
    let body = RegistryUpdateParameters {
        properties: Some(RegistryPropertiesUpdateParameters {
            encryption: Some(EncryptionProperty {
                status: None,
                key_vault_properties: Some(KeyVaultProperties {
                    key_identifier: Some(key.to_string()),
                    identity: Some(identity.body_value().to_string()),
                    ..KeyVaultProperties::default()
                }),
            }),
            ..RegistryPropertiesUpdateParameters::default()
        }),
        ..RegistryUpdateParameters::default()
    };
    let group = ResourceId::parse(&registry.id).map(|r| r.resource_group).unwrap_or_default();
    let key_text = key.to_string();
    let command = az(&[
        "acr",
        "encryption",
        "rotate-key",
        "-n",
        &registry.name,
        "-g",
        &group,
        "--key-encryption-key",
        &key_text,
        "--identity",
        identity.az_value(),
    ]);
    let how = match &key.version {
        Some(v) => format!("pinned to version {v}"),
        None => "newest version, auto-rotation on (versionless)".to_string(),
    };
    let mut write = PlannedWrite::new(
        format!("Rotate {}'s key to '{}' in vault '{}' ({how}) using {}.", registry.name, key.name, key.vault_name(), identity.describe()),
        Method::Patch,
        format!("{}?api-version={}", registry.id, api_version::CONTAINER_REGISTRY),
        Some(serde_json::to_value(body).unwrap_or_default()),
        command,
    );
    write.long_running = true;
    write
}

/// A new version of an existing key is a Key Vault **data-plane** call, which
/// sends no CORS headers: the console shows these commands instead (either one
/// makes a new version) and picks the version up afterwards.
pub fn new_key_version_commands(vault_name: &str, key_name: &str) -> [String; 2] {
    [
        az(&["keyvault", "key", "rotate", "--vault-name", vault_name, "-n", key_name]),
        az(&["keyvault", "key", "create", "--vault-name", vault_name, "-n", key_name, "--kty", "RSA"]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const V: &str = "0123456789abcdef0123456789abcdef";
    const REG: &str = "/subscriptions/s/resourceGroups/rg-1/providers/Microsoft.ContainerRegistry/registries/contosoprod";

    fn registry() -> Registry {
        serde_json::from_value(json!({
            "id": REG, "name": "contosoprod", "sku": {"name": "Premium"},
            "tags": {"team": "a"},
            "properties": {"adminUserEnabled": false, "encryption": {"status": "enabled"}}
        }))
        .unwrap()
    }

    #[test]
    fn rotating_to_a_version_sends_only_key_vault_properties() {
        let key = KeyId::parse(&format!("https://kv1.vault.azure.net:443/keys/k1/{V}")).unwrap();
        let identity = KeyIdentity::User { resource_id: "/subscriptions/s/x/userAssignedIdentities/id-1".into(), client_id: "c-1".into() };
        let w = rotate_key(&registry(), &key, &identity);
        assert_eq!(w.request.method, Method::Patch);
        assert_eq!(w.request.path, format!("{REG}?api-version=2025-04-01"));
        // Nothing else of the registry (tags, sku, adminUserEnabled, status) is resubmitted; :443 is dropped.
        assert_eq!(
            w.request.body,
            Some(json!({"properties": {"encryption": {"keyVaultProperties": {
                "keyIdentifier": format!("https://kv1.vault.azure.net/keys/k1/{V}"), "identity": "c-1"}}}}))
        );
        assert!(w.long_running);
        assert_eq!(
            w.az,
            format!("az acr encryption rotate-key -n contosoprod -g rg-1 --key-encryption-key https://kv1.vault.azure.net/keys/k1/{V} --identity c-1")
        );
        assert!(w.summary.contains("pinned to version"));
    }

    #[test]
    fn versionless_with_the_system_identity_says_auto_rotation() {
        let key = KeyId::parse("https://kv1.vault.azure.net/keys/k1").unwrap();
        let w = rotate_key(&registry(), &key, &KeyIdentity::System);
        assert_eq!(w.request.body.as_ref().unwrap()["properties"]["encryption"]["keyVaultProperties"]["identity"], "system");
        assert!(w.az.ends_with("--key-encryption-key https://kv1.vault.azure.net/keys/k1 --identity '[system]'"), "{}", w.az);
        assert!(w.summary.contains("auto-rotation on"));
        assert!(w.body_text().unwrap().contains("\"keyIdentifier\": \"https://kv1.vault.azure.net/keys/k1\""));
    }

    #[test]
    fn new_versions_are_az_commands() {
        let [rotate, create] = new_key_version_commands("kv1", "k1");
        assert_eq!(rotate, "az keyvault key rotate --vault-name kv1 -n k1");
        assert_eq!(create, "az keyvault key create --vault-name kv1 -n k1 --kty RSA");
    }
}
