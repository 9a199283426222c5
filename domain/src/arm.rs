//! The ARM envelope shared by every resource provider: error bodies, list pages,
//! api-versions and resource ids.

use serde::{Deserialize, Serialize};

/// api-versions the console sends, one per provider.
pub mod api_version {
    pub const CONTAINER_REGISTRY: &str = "2025-04-01";
    pub const SUBSCRIPTIONS: &str = "2022-12-01";
    pub const MANAGED_IDENTITY: &str = "2024-11-30";
    pub const KEY_VAULT: &str = "2025-05-01";
    pub const AUTHORIZATION: &str = "2022-04-01";
}

/// ARM's error body: `{"error":{"code":"…","message":"…"}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ErrorDetail>,
}

impl ErrorResponse {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorResponse {
            error: ErrorDetail {
                code: code.into(),
                message: message.into(),
                target: None,
                details: Vec::new(),
            },
        }
    }
}

/// One page of an ARM list: `{"value":[…],"nextLink":"…"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}

/// The parts of an ARM resource id the console navigates by.
///
/// `/subscriptions/{s}/resourceGroups/{g}/providers/{namespace}/{type}/{name}`.
/// Segment names are compared case-insensitively, as ARM does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceId {
    pub subscription_id: String,
    pub resource_group: String,
    pub provider: String,
    pub resource_type: String,
    pub name: String,
}

impl ResourceId {
    pub fn parse(id: &str) -> Option<ResourceId> {
        let parts: Vec<&str> = id.trim_matches('/').split('/').collect();
        if parts.len() < 8 {
            return None;
        }
        let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        if !eq(parts[0], "subscriptions") || !eq(parts[2], "resourceGroups") || !eq(parts[4], "providers") {
            return None;
        }
        Some(ResourceId {
            subscription_id: parts[1].to_string(),
            resource_group: parts[3].to_string(),
            provider: parts[5].to_string(),
            resource_type: parts[6].to_string(),
            name: parts[7].to_string(),
        })
    }
}

/// ARM ids are case-insensitive; the service echoes them in whatever casing it stored.
pub fn same_id(a: &str, b: &str) -> bool {
    a.trim_end_matches('/').eq_ignore_ascii_case(b.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_registry_id_in_any_casing() {
        let id = ResourceId::parse(
            "/subscriptions/0000/resourcegroups/myGroup/providers/Microsoft.ContainerRegistry/registries/myRegistry",
        )
        .expect("a registry id");
        assert_eq!(id.resource_group, "myGroup");
        assert_eq!(id.name, "myRegistry");
        assert_eq!(id.resource_type, "registries");
    }

    #[test]
    fn rejects_ids_that_are_not_resource_ids() {
        assert!(ResourceId::parse("/subscriptions/0000").is_none());
        assert!(ResourceId::parse("/subscriptions/0000/foo/g/providers/A/b/c").is_none());
    }

    #[test]
    fn error_body_reads_with_extra_fields() {
        let body = r#"{"error":{"code":"ResourceNotFound","message":"gone","additionalInfo":[]}}"#;
        let e: ErrorResponse = serde_json::from_str(body).unwrap();
        assert_eq!(e.error.code, "ResourceNotFound");
        assert_eq!(e.error.message, "gone");
    }
}
