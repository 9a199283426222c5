//! Managed identities as ARM shows them on a registry (`identity` block) and as
//! `Microsoft.ManagedIdentity/userAssignedIdentities` resources.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A registry's `identity` block.
///
/// `type` is kept as the service sent it: ACR answers in its own casing
/// (`"userAssigned"`, `"systemAssigned, userAssigned"`) while requests use the
/// spec's (`"SystemAssigned, UserAssigned"`); [`IdentityProperties::kinds`] reads either.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_assigned_identities: Option<BTreeMap<String, UserIdentityProperties>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentityProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// Which kinds of identity a registry has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IdentityKinds {
    pub system: bool,
    pub user: bool,
}

impl IdentityKinds {
    /// Parses `"SystemAssigned, UserAssigned"`, `"userAssigned"`, `"None"`… case-insensitively.
    pub fn parse(kind: &str) -> IdentityKinds {
        let mut kinds = IdentityKinds::default();
        for part in kind.split(',').map(|p| p.trim().to_ascii_lowercase()) {
            match part.as_str() {
                "systemassigned" => kinds.system = true,
                "userassigned" => kinds.user = true,
                _ => {}
            }
        }
        kinds
    }

    /// The spec's spelling, as requests send it.
    pub fn as_request_type(self) -> &'static str {
        match (self.system, self.user) {
            (true, true) => "SystemAssigned, UserAssigned",
            (true, false) => "SystemAssigned",
            (false, true) => "UserAssigned",
            (false, false) => "None",
        }
    }
}

impl IdentityProperties {
    pub fn kinds(&self) -> IdentityKinds {
        self.kind.as_deref().map(IdentityKinds::parse).unwrap_or_default()
    }

    /// The user-assigned identity whose client id is `client_id`, with its resource id.
    pub fn user_identity_by_client_id(&self, client_id: &str) -> Option<(&str, &UserIdentityProperties)> {
        self.user_assigned_identities.as_ref()?.iter().find_map(|(id, props)| {
            let matches = props.client_id.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(client_id));
            matches.then_some((id.as_str(), props))
        })
    }
}

/// A `Microsoft.ManagedIdentity/userAssignedIdentities` resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAssignedIdentity {
    pub id: String,
    pub name: String,
    #[serde(rename = "type", default)]
    pub resource_type: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub properties: UserAssignedIdentityProperties,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAssignedIdentityProperties {
    #[serde(default)]
    pub tenant_id: String,
    #[serde(default)]
    pub principal_id: String,
    #[serde(default)]
    pub client_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_type_reads_in_service_and_spec_casing() {
        assert_eq!(IdentityKinds::parse("systemAssigned, userAssigned"), IdentityKinds { system: true, user: true });
        assert_eq!(IdentityKinds::parse("UserAssigned"), IdentityKinds { system: false, user: true });
        assert_eq!(IdentityKinds::parse("None"), IdentityKinds::default());
        assert_eq!(IdentityKinds { system: true, user: true }.as_request_type(), "SystemAssigned, UserAssigned");
    }

    #[test]
    fn finds_user_identity_by_client_id_ignoring_case() {
        let json = r#"{"type":"userAssigned","userAssignedIdentities":{
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1":
            {"principalId":"p-1","clientId":"AAAA-1"}}}"#;
        let identity: IdentityProperties = serde_json::from_str(json).unwrap();
        let (id, props) = identity.user_identity_by_client_id("aaaa-1").expect("found");
        assert!(id.ends_with("/id1"));
        assert_eq!(props.principal_id.as_deref(), Some("p-1"));
        assert!(identity.user_identity_by_client_id("other").is_none());
    }
}
