//! What a write changed: the encryption and identity fields of a registry,
//! before and after, for the "what changed" panel after a read-back.

use crate::registry::Registry;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    /// The ARM field, e.g. `properties.encryption.keyVaultProperties.keyIdentifier`.
    pub field: &'static str,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn fields(r: &Registry) -> Vec<(&'static str, Option<String>)> {
    let enc = r.properties.encryption.clone().unwrap_or_default();
    let kv = enc.key_vault_properties.clone().unwrap_or_default();
    let identity = r.identity.clone().unwrap_or_default();
    let users = identity
        .user_assigned_identities
        .as_ref()
        .filter(|m| !m.is_empty())
        .map(|m| m.keys().map(|k| k.rsplit('/').next().unwrap_or(k).to_string()).collect::<Vec<_>>().join(", "));
    vec![
        ("properties.encryption.status", enc.status.clone()),
        ("properties.encryption.keyVaultProperties.keyIdentifier", kv.key_identifier),
        ("properties.encryption.keyVaultProperties.versionedKeyIdentifier", kv.versioned_key_identifier),
        ("properties.encryption.keyVaultProperties.identity", kv.identity),
        ("properties.encryption.keyVaultProperties.keyRotationEnabled", kv.key_rotation_enabled.map(|b| b.to_string())),
        ("properties.encryption.keyVaultProperties.lastKeyRotationTimestamp", kv.last_key_rotation_timestamp),
        ("identity.type", identity.kind.clone()),
        ("identity.principalId", identity.principal_id.clone()),
        ("identity.userAssignedIdentities", users),
        ("properties.status.displayStatus", r.properties.status.as_ref().and_then(|s| s.display_status.clone())),
    ]
}

/// The encryption and identity fields that differ between `before` and `after`.
/// `identity.type` compares case-insensitively (ACR answers in its own casing).
pub fn registry_changes(before: &Registry, after: &Registry) -> Vec<FieldChange> {
    fields(before)
        .into_iter()
        .zip(fields(after))
        .filter(|((field, b), (_, a))| {
            if *field == "identity.type" {
                b.as_deref().map(str::to_ascii_lowercase) != a.as_deref().map(str::to_ascii_lowercase)
            } else {
                b != a
            }
        })
        .map(|((field, before), (_, after))| FieldChange { field, before, after })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn registry(key: &str, identity_type: &str, status: Option<&str>) -> Registry {
        serde_json::from_value(json!({
            "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r", "name": "r",
            "sku": {"name": "Premium"},
            "identity": {"type": identity_type, "userAssignedIdentities": {"/x/userAssignedIdentities/id-1": {"clientId": "c"}}},
            "properties": {"encryption": {"status": "enabled", "keyVaultProperties": {"keyIdentifier": key, "identity": "c"}},
                "status": status.map(|s| json!({"displayStatus": s}))}
        }))
        .unwrap()
    }

    #[test]
    fn only_changed_fields_are_listed() {
        let before = registry("https://v.vault.azure.net/keys/k/1", "userAssigned", Some("KeyVaultAccessFailed"));
        let after = registry("https://v.vault.azure.net/keys/k", "UserAssigned", None);
        let changes = registry_changes(&before, &after);
        let names: Vec<_> = changes.iter().map(|c| c.field).collect();
        assert_eq!(names, vec!["properties.encryption.keyVaultProperties.keyIdentifier", "properties.status.displayStatus"]);
        assert_eq!(changes[0].before.as_deref(), Some("https://v.vault.azure.net/keys/k/1"));
        assert_eq!(changes[1].after, None);
        assert!(registry_changes(&after, &after).is_empty());
    }

    #[test]
    fn identity_kind_changes_are_seen() {
        let before = registry("k", "userAssigned", None);
        let after = registry("k", "systemAssigned, userAssigned", None);
        let changes = registry_changes(&before, &after);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "identity.type");
    }
}
