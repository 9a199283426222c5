//! `Microsoft.Authorization/roleAssignments` (api-version 2022-04-01): how an
//! RBAC key vault grants a registry's identity access to its key.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The built-in role ACR's identity needs on an RBAC vault.
pub const KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER: &str = KeyVaultRole::CryptoServiceEncryptionUser.guid();

/// The built-in Key Vault roles whose data actions include get, wrapKey and
/// unwrapKey on keys: the one place their definition GUIDs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyVaultRole {
    /// What ACR's identity should hold: key get/wrap/unwrap and nothing else.
    CryptoServiceEncryptionUser,
    CryptoOfficer,
    Administrator,
}

impl KeyVaultRole {
    /// Every role that lets a registry reach its key, the narrowest first.
    pub const GRANTING_CMK: [KeyVaultRole; 3] =
        [KeyVaultRole::CryptoServiceEncryptionUser, KeyVaultRole::CryptoOfficer, KeyVaultRole::Administrator];

    /// The role definition's GUID, the same in every tenant.
    pub const fn guid(self) -> &'static str {
        match self {
            KeyVaultRole::CryptoServiceEncryptionUser => "e147488a-f6f5-4113-8e2d-b22465e65bf6",
            KeyVaultRole::CryptoOfficer => "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
            KeyVaultRole::Administrator => "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        }
    }

    /// The role's name as the portal and `az role assignment create --role` spell it.
    pub const fn name(self) -> &'static str {
        match self {
            KeyVaultRole::CryptoServiceEncryptionUser => "Key Vault Crypto Service Encryption User",
            KeyVaultRole::CryptoOfficer => "Key Vault Crypto Officer",
            KeyVaultRole::Administrator => "Key Vault Administrator",
        }
    }

    /// The role whose definition GUID (or full definition id) this is, if it grants key access.
    pub fn from_definition(role_definition: &str) -> Option<KeyVaultRole> {
        let guid = role_definition.rsplit('/').next().unwrap_or(role_definition);
        KeyVaultRole::GRANTING_CMK.into_iter().find(|r| r.guid().eq_ignore_ascii_case(guid))
    }

    /// `/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}`.
    pub fn definition_id(self, subscription_id: &str) -> String {
        format!("/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{}", self.guid())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default)]
    pub resource_type: String,
    #[serde(default)]
    pub properties: RoleAssignmentProperties,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignmentProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// `/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}`.
    #[serde(default)]
    pub role_definition_id: String,
    #[serde(default)]
    pub principal_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_type: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl RoleAssignmentProperties {
    /// The role definition's GUID (last segment of `roleDefinitionId`).
    pub fn role_guid(&self) -> &str {
        self.role_definition_id.rsplit('/').next().unwrap_or("")
    }

    /// The Key Vault role this assignment grants, when it is one that reaches keys.
    pub fn key_vault_role(&self) -> Option<KeyVaultRole> {
        KeyVaultRole::from_definition(&self.role_definition_id)
    }
}

/// The body of `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignmentCreateParameters {
    pub properties: RoleAssignmentProperties,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_found_by_guid_or_definition_id_in_any_case() {
        let id = KeyVaultRole::CryptoOfficer.definition_id("s1");
        assert_eq!(id, "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/14b46e9e-c2b7-41b4-b07b-48a6ebf60603");
        assert_eq!(KeyVaultRole::from_definition(&id), Some(KeyVaultRole::CryptoOfficer));
        assert_eq!(KeyVaultRole::from_definition(&id.to_uppercase()), Some(KeyVaultRole::CryptoOfficer));
        assert_eq!(KeyVaultRole::from_definition("E147488A-F6F5-4113-8E2D-B22465E65BF6"), Some(KeyVaultRole::CryptoServiceEncryptionUser));
        // Reader reaches no key.
        assert_eq!(KeyVaultRole::from_definition("acdd72a7-3385-48ef-bd42-f606fba81ae7"), None);
    }
}
