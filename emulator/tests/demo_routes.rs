//! The guided demo's two routes: `POST /_emulator/reset` puts the world back as the
//! scenario seeds it, `POST /_emulator/vaults/{vault}/keys/{key}/new-version` makes a key
//! version (what `az keyvault key rotate` does on the data plane). Both answer without the
//! admin secret only in the demo scenario on loopback; otherwise they want it like every
//! other admin route.

mod common;

use acr_cmk_emulator::Config;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const NEW_VERSION: &str = "/_emulator/vaults/kv-acr-demo/keys/acr-cmk-key/new-version";

async fn versions(e: &Emu) -> usize {
    let (_, world) = e.get("/_emulator/state").await;
    let keys = world["keys"].as_array().cloned().unwrap_or_default();
    let key = keys.iter().find(|k| k["vault"] == "kv-acr-demo" && k["name"] == "acr-cmk-key").expect("the demo key");
    key["versions"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn reset_returns_the_world_to_the_demo_scenario_and_forgets_faults() {
    let e = emu().await;
    let (_, before) = e.get("/_emulator/state").await;
    // Change the world: a registry deleted, a key version made, a fault queued.
    let (status, _) = e.delete(&e.registry_path("contosodev")).await;
    assert!(status.is_success(), "delete accepted: {status}");
    let (status, made) = e.post(NEW_VERSION, json!({})).await;
    assert_eq!(status.as_u16(), 200, "{made}");
    let kid = made["kid"].as_str().unwrap();
    assert!(kid.starts_with("https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key/"), "{kid}");
    assert_eq!(versions(&e).await, 3, "the seeded two and the new one");
    let (status, _) =
        e.post("/_emulator/faults", json!({"method": "GET", "pathContains": "/no-such-path", "kind": "status", "status": 500})).await;
    assert_eq!(status.as_u16(), 201);
    // The delete settles (a long-running operation) before the reset.
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    let (status, _) = e.get(&e.registry_path("contosodev")).await;
    assert_eq!(status.as_u16(), 404, "deleted");

    let (status, body) = e.post("/_emulator/reset", json!({})).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    assert_eq!(body["scenario"], "demo");
    let (_, after) = e.get("/_emulator/state").await;
    assert_eq!(after["registries"], before["registries"], "the registries are the seeded ones again");
    // Key material is drawn afresh by each seeding: compare the keys' names and versions.
    let versions_of = |w: &Value| -> Vec<(String, Vec<String>)> {
        w["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| (k["name"].to_string(), k["versions"].as_array().unwrap().iter().map(|v| v["version"].to_string()).collect()))
            .collect()
    };
    assert_eq!(versions_of(&after), versions_of(&before), "the keys too (the new version is gone)");
    let vaults = |w: &Value| -> Vec<Value> { w["vaults"].as_array().unwrap().iter().map(|v| v["vault"].clone()).collect() };
    assert_eq!(vaults(&after), vaults(&before), "the vaults (their ETags are drawn afresh)");
    let (_, faults) = e.get("/_emulator/faults").await;
    assert_eq!(faults["value"], json!([]), "no fault survives a reset");
    let (status, _) = e.get(&e.registry_path("contosodev")).await;
    assert_eq!(status.as_u16(), 200, "the deleted registry is back");
}

#[tokio::test]
async fn the_demo_routes_answer_without_the_secret_in_the_demo_on_loopback() {
    let e = emu().await;
    let bare = e.bare();
    let r = bare.post(e.url(NEW_VERSION)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "a presenter's console calls it without the secret");
    let r = bare.post(e.url("/_emulator/reset")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(versions(&e).await, 2, "the reset took the new version away");
    // Only those two, only with POST: the rest of the admin routes still want the secret.
    let (status, _) = read(bare.get(e.url("/_emulator/reset")).send().await.unwrap()).await;
    assert_eq!(status.as_u16(), 401, "GET is no demo route");
    let got = read(bare.get(e.url("/_emulator/state")).send().await.unwrap()).await;
    assert_error(&got, 401, "EmulatorAdminSecretMissing");
}

#[tokio::test]
async fn outside_the_demo_scenario_the_demo_routes_want_the_secret() {
    let e = emu_with(empty()).await;
    let bare = e.bare();
    for path in ["/_emulator/reset", NEW_VERSION] {
        let got = read(bare.request(Method::POST, e.url(path)).send().await.unwrap()).await;
        assert_error(&got, 401, "EmulatorAdminSecretMissing");
    }
    // With the secret, reset seeds the empty scenario again.
    let (status, _) =
        e.put(&format!("/subscriptions/{SUB}/resourcegroups/rg-made?api-version=2021-04-01"), json!({"location": "westeurope"})).await;
    assert!(status.is_success(), "{status}");
    let (status, body) = e.post("/_emulator/reset", json!({})).await;
    assert_eq!((status.as_u16(), body["scenario"].clone()), (200, Value::from("empty")));
    let (_, world) = e.get("/_emulator/state").await;
    let groups = world["resource_groups"].as_array().cloned().unwrap_or_default();
    assert!(groups.iter().all(|g| g["name"] != "rg-made"), "the group made before the reset is gone: {groups:?}");
}

#[tokio::test]
async fn an_unknown_key_is_404() {
    let e = emu_with(Config::default()).await;
    let got = e.post("/_emulator/vaults/kv-acr-demo/keys/no-such-key/new-version", json!({})).await;
    assert_error(&got, 404, "KeyNotFound");
}
