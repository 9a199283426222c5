//! `Microsoft.Authorization/roleAssignments` (api-version 2022-04-01): how an
//! RBAC key vault grants a registry's identity access to its key.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The built-in role ACR's identity needs on an RBAC vault.
pub const KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER: &str = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

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
}

/// The body of `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignmentCreateParameters {
    pub properties: RoleAssignmentProperties,
}
