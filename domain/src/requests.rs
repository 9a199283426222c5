//! The requests the console sends to ARM, as data: method, path with query, body.
//!
//! Building them here keeps them testable natively and lets the console show a
//! write's exact request before it runs.

use serde_json::Value;

use crate::arm::api_version;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Patch,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }

    /// Reads are safe to retry; writes are not retried blindly.
    pub fn is_idempotent_read(self) -> bool {
        matches!(self, Method::Get)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ArmRequest {
    pub method: Method,
    /// Path and query relative to the ARM endpoint, starting with `/`.
    pub path: String,
    pub body: Option<Value>,
}

impl ArmRequest {
    fn get(path: String) -> ArmRequest {
        ArmRequest { method: Method::Get, path, body: None }
    }

    /// The full URL against `endpoint` (e.g. `https://management.azure.com`).
    /// An absolute `nextLink` is used as it is.
    pub fn url(&self, endpoint: &str) -> String {
        if self.path.starts_with("https://") || self.path.starts_with("http://") {
            self.path.clone()
        } else {
            format!("{}{}", endpoint.trim_end_matches('/'), self.path)
        }
    }
}

pub fn list_subscriptions() -> ArmRequest {
    ArmRequest::get(format!("/subscriptions?api-version={}", api_version::SUBSCRIPTIONS))
}

pub fn list_registries(subscription_id: &str) -> ArmRequest {
    ArmRequest::get(format!(
        "/subscriptions/{}/providers/Microsoft.ContainerRegistry/registries?api-version={}",
        subscription_id,
        api_version::CONTAINER_REGISTRY
    ))
}

/// `registry_id` is the registry's full ARM id.
pub fn get_registry(registry_id: &str) -> ArmRequest {
    ArmRequest::get(format!("{}?api-version={}", registry_id, api_version::CONTAINER_REGISTRY))
}

/// Follows a page's `nextLink` as ARM gave it.
pub fn next_page(next_link: &str) -> ArmRequest {
    ArmRequest::get(next_link.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_reads_use_the_2025_04_01_api() {
        let r = list_registries("sub-1");
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.url("https://management.azure.com/"),
            "https://management.azure.com/subscriptions/sub-1/providers/Microsoft.ContainerRegistry/registries?api-version=2025-04-01"
        );
        let id = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r";
        assert_eq!(get_registry(id).path, format!("{id}?api-version=2025-04-01"));
    }

    #[test]
    fn next_link_is_followed_verbatim() {
        let link = "https://management.azure.com/subscriptions/s/providers/Microsoft.ContainerRegistry/registries?api-version=2025-04-01&$skipToken=abc";
        assert_eq!(next_page(link).url("http://127.0.0.1:1"), link);
    }
}
