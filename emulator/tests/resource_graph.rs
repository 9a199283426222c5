//! Resource Graph (`POST /providers/Microsoft.ResourceGraph/resources`): the
//! fleet query, paging with `$skipToken`, truncation, the table format and the
//! refusal of queries the emulator cannot evaluate.

mod common;

use std::collections::BTreeSet;

use acr_cmk_emulator::Config;
use common::*;
use serde_json::{json, Value};

const ARG: &str = "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01";
const FLEET: &str = "Resources | where type =~ 'microsoft.containerregistry/registries' | project id, name, resourceGroup, subscriptionId, sku, identity, properties.encryption";

async fn query(e: &Emu, body: Value) -> (reqwest::StatusCode, Value) {
    e.post(ARG, body).await
}

#[tokio::test]
async fn fleet_query_returns_every_registry_with_its_encryption() {
    let e = emu().await;
    let (s, body) = query(&e, json!({"subscriptions": [SUB], "query": FLEET})).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["totalRecords"], 6);
    assert_eq!(body["count"], 6);
    assert_eq!(body["resultTruncated"], "false");
    assert!(body.get("$skipToken").is_none());
    assert_eq!(body["facets"], json!([]));
    let data = body["data"].as_array().unwrap();
    let prod = data.iter().find(|r| r["name"] == "contosoprod").expect("contosoprod");
    // Exactly the projected columns, `properties.encryption` named as KQL names it.
    let cols: BTreeSet<&str> = prod.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(cols, BTreeSet::from(["id", "name", "resourceGroup", "subscriptionId", "sku", "identity", "properties_encryption"]));
    assert_eq!(prod["properties_encryption"]["status"], "enabled");
    assert!(prod["properties_encryption"]["keyVaultProperties"]["keyIdentifier"].as_str().unwrap().contains("/keys/acr-cmk-key/"));
    assert_eq!(prod["identity"]["type"], "userAssigned");
    assert_eq!(prod["sku"]["name"], "Premium");
    assert_eq!(prod["resourceGroup"], "rg-acr-demo");
    let dev = data.iter().find(|r| r["name"] == "contosodev").unwrap();
    assert_eq!(dev["properties_encryption"]["status"], "disabled");
    // Without `subscriptions`, ARG queries every subscription the caller can see.
    let (_, all) = query(&e, json!({"query": FLEET})).await;
    assert_eq!(all["totalRecords"], 6);
}

#[tokio::test]
async fn type_column_is_lower_case_so_case_sensitive_equality_finds_nothing() {
    let e = emu().await;
    let (s, body) = query(&e, json!({"query": "Resources | where type == 'Microsoft.ContainerRegistry/registries' | project id"})).await;
    assert_eq!(s, 200);
    assert_eq!(body["totalRecords"], 0);
    let (_, body) =
        query(&e, json!({"query": "Resources | where type == 'microsoft.containerregistry/registries' | project id, type"})).await;
    assert_eq!(body["totalRecords"], 6);
    assert_eq!(body["data"][0]["type"], "microsoft.containerregistry/registries");
}

#[tokio::test]
async fn skip_tokens_page_through_every_row_once() {
    let e = emu_with(Config { page_size: 3, ..Config::default() }).await;
    let mut ids = Vec::new();
    let mut body = json!({"subscriptions": [SUB], "query": FLEET, "options": {"$top": 2}});
    let mut pages = 0;
    loop {
        let (s, page) = query(&e, body.clone()).await;
        assert_eq!(s, 200, "{page}");
        assert_eq!(page["totalRecords"], 6);
        pages += 1;
        for r in page["data"].as_array().unwrap() {
            ids.push(r["id"].as_str().unwrap().to_string());
        }
        match page.get("$skipToken").and_then(Value::as_str) {
            Some(t) => body["options"] = json!({"$top": 2, "$skipToken": t}),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(ids.len(), 6);
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 6, "no row twice: {ids:?}");
    // A token from this query is refused for another one.
    let (_, first) = query(&e, json!({"subscriptions": [SUB], "query": FLEET, "options": {"$top": 1}})).await;
    let token = first["$skipToken"].as_str().unwrap();
    let got = query(&e, json!({"query": "Resources | project id", "options": {"$skipToken": token}})).await;
    assert_error(&got, 400, "BadRequest");
    assert_eq!(got.1["error"]["details"][0]["code"], "InvalidSkipToken");
}

#[tokio::test]
async fn results_without_id_are_truncated_not_paged() {
    let e = emu().await;
    let (s, body) = query(
        &e,
        json!({"query": "Resources | where type =~ 'microsoft.containerregistry/registries' | project name", "options": {"$top": 2}}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(body["resultTruncated"], "true");
    assert_eq!(body["count"], 2);
    assert!(body.get("$skipToken").is_none());
}

#[tokio::test]
async fn unsupported_queries_get_arg_invalid_query_errors() {
    let e = emu().await;
    for q in [
        "Resources | summarize count() by tostring(properties.encryption.status)",
        "Resources | where type =~ 'a' or type =~ 'b'",
        "ResourceContainers | where type =~ 'microsoft.resources/subscriptions'",
        "Resources | where nmae =~ 'x'",
        "Resources | project name | where type =~ 'x'",
    ] {
        let got = query(&e, json!({"query": q})).await;
        assert_error(&got, 400, "BadRequest");
        assert_eq!(got.1["error"]["details"][0]["code"], "InvalidQuery", "{q}: {}", got.1);
    }
    let got = query(&e, json!({"query": FLEET, "facets": [{"expression": "location", "options": {"$top": 3}}]})).await;
    assert_error(&got, 400, "BadRequest");
    let got = query(&e, json!({"query": FLEET, "options": {"$top": 5000}})).await;
    assert_error(&got, 400, "BadRequest");
    let got = e.post("/providers/Microsoft.ResourceGraph/resources?api-version=2025-04-01", json!({"query": FLEET})).await;
    assert_error(&got, 400, "InvalidApiVersionParameter");
}

#[tokio::test]
async fn table_format_has_typed_columns_and_rows() {
    let e = emu().await;
    let (s, body) = query(&e, json!({"query": "Resources | where name =~ 'CONTOSOPROD' | project id, name, properties.encryption.status", "options": {"resultFormat": "table"}})).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(
        body["data"]["columns"],
        json!([{"name":"id","type":"string"},{"name":"name","type":"string"},{"name":"properties_encryption_status","type":"string"}])
    );
    assert_eq!(body["data"]["rows"][0][1], "contosoprod");
    assert_eq!(body["data"]["rows"][0][2], "enabled");
}

#[tokio::test]
async fn revoked_key_access_shows_in_the_fleet_as_registry_status() {
    let e = emu().await;
    let q = json!({"query": "Resources | where type =~ 'microsoft.containerregistry/registries' | project id, name, properties.status"});
    let (_, body) = query(&e, q.clone()).await;
    let status_of =
        |b: &Value, n: &str| b["data"].as_array().unwrap().iter().find(|r| r["name"] == n).unwrap()["properties_status"].clone();
    assert!(status_of(&body, "contosoprod").is_null());
    assert_eq!(status_of(&body, "contosolost")["displayStatus"], "KeyVaultAccessFailed");
    // Scoping to a subscription that is not there returns nothing, not everything.
    let (_, body) = query(&e, json!({"subscriptions": ["00000000-0000-0000-0000-000000000000"], "query": FLEET})).await;
    assert_eq!(body["totalRecords"], 0);
}

#[tokio::test]
async fn a_lagging_index_answers_the_world_as_it_was_until_the_lag_is_over_or_cleared() {
    let e = emu().await;
    const VAULTS: &str = "Resources | where type =~ 'microsoft.keyvault/vaults' | where name =~ 'kv-acr-demo' | project id, rbac = properties.enableRbacAuthorization";
    let rbac = |body: &Value| body["data"][0]["rbac"].clone();
    let vault = format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-demo?api-version=2025-05-01");

    let (s, status) = e.get("/_emulator/resource-graph/lag").await;
    assert_eq!((s.as_u16(), status), (200, json!({"lagMs": 0})), "live by default");
    let (s, status) = e.post("/_emulator/resource-graph/lag", json!({"lagMs": 600_000})).await;
    assert_eq!(s, 200, "{status}");
    assert_eq!(status["lagMs"], 600_000);
    assert!(status["indexedAt"].as_str().is_some_and(|t| t.ends_with('Z')), "{status}");

    let (s, patched) = e.patch(&vault, json!({"properties": {"enableRbacAuthorization": true}})).await;
    assert_eq!(s, 200, "{patched}");
    assert_eq!(patched["properties"]["enableRbacAuthorization"], true);
    // ARM has the change; the index, taken before it, does not.
    let (_, body) = query(&e, json!({"query": VAULTS})).await;
    assert_eq!(rbac(&body), false, "{body}");

    // A new lag takes a new copy; clearing it reads the live world.
    e.post("/_emulator/resource-graph/lag", json!({"lagMs": 600_000})).await;
    let (_, body) = query(&e, json!({"query": VAULTS})).await;
    assert_eq!(rbac(&body), true, "{body}");
    e.patch(&vault, json!({"properties": {"enableRbacAuthorization": false}})).await;
    let (_, body) = query(&e, json!({"query": VAULTS})).await;
    assert_eq!(rbac(&body), true, "still the copy: {body}");
    let (s, _) = e.delete("/_emulator/resource-graph/lag").await;
    assert_eq!(s, 204);
    let (_, body) = query(&e, json!({"query": VAULTS})).await;
    assert_eq!(rbac(&body), false, "live again: {body}");

    // A lag that is over: the next query takes a fresh copy.
    e.post("/_emulator/resource-graph/lag", json!({"lagMs": 1})).await;
    e.patch(&vault, json!({"properties": {"enableRbacAuthorization": true}})).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let (_, body) = query(&e, json!({"query": VAULTS})).await;
    assert_eq!(rbac(&body), true, "{body}");

    // Reset forgets the lag; a negative one is refused.
    e.post("/_emulator/resource-graph/lag", json!({"lagMs": 600_000})).await;
    e.post("/_emulator/reset", json!({})).await;
    let (_, status) = e.get("/_emulator/resource-graph/lag").await;
    assert_eq!(status, json!({"lagMs": 0}));
    assert_error(&e.post("/_emulator/resource-graph/lag", json!({"lagMs": -1})).await, 400, "InvalidRequestContent");
}
