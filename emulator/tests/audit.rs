//! Issue 3 surface checks not covered elsewhere: access-policy operation kinds,
//! role-assignment filters, resource groups, and every api-version the current
//! official SDKs send (one table, emulator/src/api_versions.rs).

mod common;

use common::*;
use serde_json::{json, Value};

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CMK_PRINCIPAL: &str = "6d6f636b-0000-4000-8000-0000000000a1";
const OTHER: &str = "0f0e0d0c-0b0a-4900-8800-000000000abc";

fn policies_path(kind: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-demo/accessPolicies/{kind}?api-version=2025-05-01")
}

fn entry(object: &str, keys: &[&str]) -> Value {
    json!({"properties":{"accessPolicies":[{"tenantId":TENANT,"objectId":object,"permissions":{"keys":keys}}]}})
}

async fn keys_of(e: &Emu, object: &str) -> Option<Vec<String>> {
    let (_, v) = e
        .get(&format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-demo?api-version=2025-05-01"))
        .await;
    v["properties"]["accessPolicies"].as_array().unwrap().iter().find(|p| p["objectId"] == object).map(|p| {
        let mut k: Vec<String> = p["permissions"]["keys"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect();
        k.sort();
        k
    })
}

#[tokio::test]
async fn access_policy_add_merges_replace_sets_and_remove_subtracts() {
    let e = emu().await;
    let (s, body) = e.put(&policies_path("add"), entry(OTHER, &["get"])).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["type"], "Microsoft.KeyVault/vaults/accessPolicies");
    e.put(&policies_path("add"), entry(OTHER, &["wrapKey"])).await;
    assert_eq!(keys_of(&e, OTHER).await, Some(vec!["get".into(), "wrapKey".into()]));
    e.put(&policies_path("replace"), entry(OTHER, &["unwrapKey"])).await;
    assert_eq!(keys_of(&e, OTHER).await, Some(vec!["unwrapKey".into()]));
    // Removing part of a principal's permissions keeps the rest…
    e.put(&policies_path("add"), entry(CMK_PRINCIPAL, &["list"])).await;
    e.put(&policies_path("remove"), entry(CMK_PRINCIPAL, &["list"])).await;
    assert_eq!(keys_of(&e, CMK_PRINCIPAL).await, Some(vec!["get".into(), "unwrapKey".into(), "wrapKey".into()]));
    // …removing all of them removes the entry.
    e.put(&policies_path("remove"), entry(OTHER, &["unwrapKey"])).await;
    assert_eq!(keys_of(&e, OTHER).await, None);
    let got = e.put(&policies_path("merge"), entry(OTHER, &["get"])).await;
    assert_error(&got, 400, "BadRequest");
    let got = e.put(&policies_path("add"), entry(OTHER, &["fly"])).await;
    assert_error(&got, 400, "BadRequest");
}

#[tokio::test]
async fn role_assignment_filters() {
    let e = emu().await;
    let base = format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01");
    let (s, all) = e.get(&base).await;
    assert_eq!(s, 200);
    // The vault's grant to the CMK identity, and the four demo principals' roles on the subscription.
    assert_eq!(all["value"].as_array().unwrap().len(), 5, "{all}");
    let (_, none) = e.get(&format!("{base}&$filter=principalId%20eq%20'{OTHER}'")).await;
    assert_eq!(none["value"], json!([]));
    let (_, mine) = e.get(&format!("{base}&$filter=principalId%20eq%20'{}'", CMK_PRINCIPAL.to_uppercase())).await;
    assert_eq!(mine["value"].as_array().unwrap().len(), 1, "principal ids compare case-insensitively");
    // atScope() at the subscription excludes the assignment made on the vault below it.
    let (_, at) = e.get(&format!("{base}&$filter=atScope()")).await;
    let at = at["value"].as_array().unwrap().clone();
    assert_eq!(at.len(), 4);
    assert!(at.iter().all(|ra| ra["properties"]["scope"] == format!("/subscriptions/{SUB}")), "{at:?}");
    let got = e.get(&format!("{base}&$filter=roleDefinitionId%20eq%20'x'")).await;
    assert_error(&got, 400, "UnsupportedQuery");
}

#[tokio::test]
async fn resource_groups_list_get_create_and_validate() {
    let e = emu().await;
    let v = "2025-04-01";
    let (s, list) = e.get(&format!("/subscriptions/{SUB}/resourcegroups?api-version={v}")).await;
    assert_eq!(s, 200);
    assert_eq!(list["value"][0]["name"], RG);
    assert_eq!(list["value"][0]["type"], "Microsoft.Resources/resourceGroups");
    let (s, created) =
        e.put(&format!("/subscriptions/{SUB}/resourcegroups/rg-new?api-version={v}"), json!({"location":"westeurope"})).await;
    assert_eq!(s, 201, "{created}");
    assert_eq!(created["properties"]["provisioningState"], "Succeeded");
    let (s, _) = e.put(&format!("/subscriptions/{SUB}/resourcegroups/rg-new?api-version={v}"), json!({"location":"westeurope"})).await;
    assert_eq!(s, 200, "a second PUT is an update");
    assert_error(&e.get(&format!("/subscriptions/{SUB}/resourcegroups/rg-missing?api-version={v}")).await, 404, "ResourceGroupNotFound");
    let head =
        |g: &str| e.client.head(e.url(&format!("/subscriptions/{SUB}/resourcegroups/{g}?api-version={v}"))).bearer_auth(&e.token).send();
    assert_eq!(head("rg-new").await.unwrap().status(), 204);
    assert_eq!(head("rg-missing").await.unwrap().status(), 404);
    assert_error(
        &e.put(&format!("/subscriptions/{SUB}/resourcegroups/bad%20name!?api-version={v}"), json!({"location":"westeurope"})).await,
        400,
        "InvalidResourceGroup",
    );
    assert_error(
        &e.put(&format!("/subscriptions/{SUB}/resourcegroups/rg-x?api-version={v}"), json!({})).await,
        400,
        "InvalidRequestContent",
    );
}

/// What each official SDK sends today (issue 3, "Versions and clients"), per provider.
#[tokio::test]
async fn every_sdk_api_version_is_accepted_per_provider() {
    let e = emu().await;
    let vault_token = {
        let r = e.client.post(e.url("/_emulator/token")).json(&json!({"aud":"https://vault.azure.net"})).send().await.unwrap();
        r.json::<Value>().await.unwrap()["accessToken"].as_str().unwrap().to_string()
    };
    for (path, v) in [
        (format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries"), "2025-11-01"), // azure-mgmt-containerregistry 15
        (format!("/subscriptions/{SUB}/providers/Microsoft.KeyVault/vaults"), "2026-05-15"),              // azure-mgmt-keyvault 14
        (format!("/subscriptions/{SUB}/resourcegroups"), "2025-04-01"),                                   // azure-mgmt-resource 26
        ("/subscriptions".to_string(), "2022-12-01"), // azure-mgmt-resource-subscriptions 1
        (format!("/subscriptions/{SUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities"), "2024-11-30"), // azure-mgmt-msi 7
        (format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleAssignments"), "2022-04-01"), // azure-mgmt-authorization 4
    ] {
        let (s, body) = e.get(&format!("{path}?api-version={v}")).await;
        assert_eq!(s, 200, "{path} {v}: {body}");
    }
    // azure-keyvault-keys 4.11 sends 2025-07-01 to the data plane.
    let r =
        e.client.get(e.url("/_vault/kv-acr-demo/keys/acr-cmk-key?api-version=2025-07-01")).bearer_auth(&vault_token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // Key Vault list pages always carry nextLink, null on the last page.
    let r = e
        .client
        .get(e.url("/_vault/kv-acr-demo/keys/acr-cmk-key/versions?api-version=2025-07-01"))
        .bearer_auth(&vault_token)
        .send()
        .await
        .unwrap();
    let page: Value = r.json().await.unwrap();
    assert_eq!(page["value"].as_array().unwrap().len(), 2);
    assert!(page.as_object().unwrap().contains_key("nextLink") && page["nextLink"].is_null(), "{page}");
    let r =
        e.client.get(e.url("/_vault/kv-acr-demo/keys/acr-cmk-key?api-version=2099-01-01")).bearer_auth(&vault_token).send().await.unwrap();
    assert_eq!(r.status(), 400);
    // A version of another provider is refused like ARM does.
    assert_error(
        &e.get(&format!("/subscriptions/{SUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2025-11-01")).await,
        400,
        "InvalidApiVersionParameter",
    );
}

#[tokio::test]
async fn deleting_a_resource_group_deletes_what_is_in_it() {
    let e = emu().await;
    let v = "2025-04-01";
    let r = e.send(reqwest::Method::DELETE, &format!("/subscriptions/{SUB}/resourcegroups/{RG}?api-version={v}"), None).await;
    assert_eq!(r.status(), 202);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("/operationresults/"), "{location}");
    let (s, _) = e.get(&location).await;
    assert_eq!(s, 200);
    assert_error(&e.get(&format!("/subscriptions/{SUB}/resourcegroups/{RG}?api-version={v}")).await, 404, "ResourceGroupNotFound");
    let (_, regs) = e.get(&format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries?api-version={ACR}")).await;
    assert_eq!(regs["value"], json!([]));
    // Vaults go to the soft-deleted state, recoverable (and, with purge protection, not purgeable).
    let (_, deleted) = e.get(&format!("/subscriptions/{SUB}/providers/Microsoft.KeyVault/deletedVaults?api-version=2025-05-01")).await;
    assert_eq!(deleted["value"].as_array().unwrap().len(), 2, "{deleted}");
    // The group's role assignments went with it; the subscription's own stay.
    let (_, ras) = e.get(&format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01")).await;
    let ras = ras["value"].as_array().unwrap().clone();
    assert_eq!(ras.len(), 4, "{ras:?}");
    assert!(ras.iter().all(|ra| ra["properties"]["scope"] == format!("/subscriptions/{SUB}")), "{ras:?}");
    assert_error(&e.delete(&format!("/subscriptions/{SUB}/resourcegroups/{RG}?api-version={v}")).await, 404, "ResourceGroupNotFound");
    assert_error(&e.get(&format!("/subscriptions/{SUB}/operationresults/bogus?api-version={v}")).await, 404, "OperationNotFound");
}

#[tokio::test]
async fn absurd_skip_tokens_give_empty_pages_not_panics() {
    let e = emu().await;
    let huge = u64::MAX;
    let (s, body) =
        e.get(&format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries?api-version={ACR}&$skipToken={huge}")).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["value"], json!([]));
    // The emulator still answers afterwards.
    let (s, _) = e.get(&format!("/subscriptions/{SUB}?api-version=2022-12-01")).await;
    assert_eq!(s, 200);
}
