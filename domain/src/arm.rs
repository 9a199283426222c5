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
    pub const RESOURCE_GRAPH: &str = "2024-04-01";
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
        ErrorResponse { error: ErrorDetail { code: code.into(), message: message.into(), target: None, details: Vec::new() } }
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

impl ResourceId {
    /// A registry's id from its parts, as the console's routes carry them.
    /// `None` when a part could not be an ARM name segment (empty, `.`/`..`, or
    /// containing `/`, `?`, `#`, `%`, `\\` or whitespace), so nothing odd reaches a URL.
    pub fn registry(subscription_id: &str, resource_group: &str, name: &str) -> Option<ResourceId> {
        let ok =
            |s: &str| !s.is_empty() && s != "." && s != ".." && !s.contains(['/', '?', '#', '%', '\\']) && !s.contains(char::is_whitespace);
        (ok(subscription_id) && ok(resource_group) && ok(name)).then(|| ResourceId {
            subscription_id: subscription_id.to_string(),
            resource_group: resource_group.to_string(),
            provider: "Microsoft.ContainerRegistry".to_string(),
            resource_type: "registries".to_string(),
            name: name.to_string(),
        })
    }
}

impl std::fmt::Display for ResourceId {
    /// The full ARM id: `/subscriptions/{s}/resourceGroups/{g}/providers/{p}/{t}/{n}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "/subscriptions/{}/resourceGroups/{}/providers/{}/{}/{}",
            self.subscription_id, self.resource_group, self.provider, self.resource_type, self.name
        )
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
        let id =
            ResourceId::parse("/subscriptions/0000/resourcegroups/myGroup/providers/Microsoft.ContainerRegistry/registries/myRegistry")
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
    fn registry_ids_are_built_from_route_parts_and_round_trip() {
        let id = ResourceId::registry("0000", "my-group", "myRegistry").expect("valid parts");
        let text = id.to_string();
        assert_eq!(text, "/subscriptions/0000/resourceGroups/my-group/providers/Microsoft.ContainerRegistry/registries/myRegistry");
        assert_eq!(ResourceId::parse(&text), Some(id));
    }

    #[test]
    fn route_parts_that_would_change_the_url_are_refused() {
        assert!(ResourceId::registry("0000", "g", "").is_none());
        assert!(ResourceId::registry("0000", "..", "r").is_none());
        assert!(ResourceId::registry("0000", "g/providers", "r").is_none());
        assert!(ResourceId::registry("0000", "g", "r?api-version=1").is_none());
        assert!(ResourceId::registry("0000", "g", "r#x").is_none());
        assert!(ResourceId::registry("0000", "g g", "r").is_none());
        assert!(ResourceId::registry("0000", "rg.(prod)_1", "r").is_some());
    }

    #[test]
    fn error_body_reads_with_extra_fields() {
        let body = r#"{"error":{"code":"ResourceNotFound","message":"gone","additionalInfo":[]}}"#;
        let e: ErrorResponse = serde_json::from_str(body).unwrap();
        assert_eq!(e.error.code, "ResourceNotFound");
        assert_eq!(e.error.message, "gone");
    }
}
