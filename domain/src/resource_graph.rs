//! Azure Resource Graph (`POST /providers/Microsoft.ResourceGraph/resources`):
//! one KQL query over every subscription the signed-in user can read, answered
//! in pages (`$skipToken`). The console uses it where one subscription's list
//! is not enough: which registries, anywhere in the tenant, share a key vault
//! and an identity (a revoke's blast radius).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::arm::api_version;
use crate::requests::{ArmRequest, Method};

/// Where queries are sent (`POST`, the KQL in the body).
pub const RESOURCES_PATH: &str = "/providers/Microsoft.ResourceGraph/resources?";

/// `POST /providers/Microsoft.ResourceGraph/resources` for `query`, objects (not
/// a table), continuing at `skip_token` when given.
pub fn query_request(query: &str, skip_token: Option<&str>) -> ArmRequest {
    let mut options = json!({"resultFormat": "objectArray", "$top": 1000});
    if let Some(token) = skip_token {
        options["$skipToken"] = Value::String(token.to_string());
    }
    ArmRequest::new(
        Method::Post,
        format!("{RESOURCES_PATH}api-version={}", api_version::RESOURCE_GRAPH),
        Some(json!({"query": query, "options": options})),
    )
}

/// ARG's `QueryResponse` (objectArray): one page of rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryResponse<T> {
    #[serde(default)]
    pub total_records: u64,
    #[serde(default)]
    pub count: u64,
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    /// More rows follow: send the same query with this token.
    #[serde(rename = "$skipToken", default, skip_serializing_if = "Option::is_none")]
    pub skip_token: Option<String>,
}

/// A KQL string literal (single quotes, backslash escapes).
pub fn kql_string(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Registries with a customer-managed key in the vault `vault_name` (by the key
/// id's host), with the columns a [`crate::registry::Registry`] needs to say
/// which identity reaches the key.
pub fn registries_with_keys_in(vault_name: &str) -> String {
    format!(
        "Resources | where type =~ 'microsoft.containerregistry/registries' | where properties.encryption.status =~ 'enabled' | where properties.encryption.keyVaultProperties.keyIdentifier contains {} | project id, name, type, location, sku, identity, properties",
        kql_string(&format!("//{}.", vault_name.to_ascii_lowercase()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_request_is_a_post_with_objects_and_the_skip_token() {
        let r = query_request("Resources", Some("tok"));
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.path, "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01");
        let body = r.body.unwrap();
        assert_eq!(body["query"], "Resources");
        assert_eq!(body["options"]["resultFormat"], "objectArray");
        assert_eq!(body["options"]["$skipToken"], "tok");
        assert!(query_request("Resources", None).body.unwrap()["options"].get("$skipToken").is_none());
    }

    #[test]
    fn pages_read_with_and_without_a_skip_token() {
        let page: QueryResponse<Value> = serde_json::from_value(
            json!({"totalRecords": 3, "count": 2, "data": [{"id": "a"}, {"id": "b"}], "$skipToken": "t", "facets": []}),
        )
        .unwrap();
        assert_eq!((page.count, page.data.len(), page.skip_token.as_deref()), (2, 2, Some("t")));
        let last: QueryResponse<Value> = serde_json::from_value(json!({"totalRecords": 3, "count": 1, "data": [{"id": "c"}]})).unwrap();
        assert_eq!(last.skip_token, None);
    }

    #[test]
    fn strings_in_queries_cannot_end_early() {
        assert_eq!(kql_string("kv'; drop"), "'kv\\'; drop'");
        assert_eq!(kql_string("a\\b"), "'a\\\\b'");
        assert!(registries_with_keys_in("KV-Acr-Demo").contains("contains '//kv-acr-demo.'"));
    }
}
