//! Callers are authorized for real: role assignments with built-in role
//! definitions decide ARM access, access policies (or data actions) decide the
//! Key Vault data plane, and the permissions API answers from the same data.

mod common;

use acr_cmk_emulator::auth::{DEMO_USER_OID, HELPDESK_USER_OID};
use common::*;
use serde_json::{json, Value};

const REG: &str = "/subscriptions/6d6f636b-0000-4000-8000-000000000001/resourceGroups/rg-acr-demo/providers/Microsoft.ContainerRegistry/registries/contosoprod";
const KV: &str =
    "/subscriptions/6d6f636b-0000-4000-8000-000000000001/resourceGroups/rg-acr-demo/providers/Microsoft.KeyVault/vaults/kv-acr-demo";

async fn token(e: &Emu, claims: Value) -> String {
    let r = e.client.post(e.url("/_emulator/token")).json(&claims).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    v["accessToken"].as_str().unwrap().to_string()
}

async fn send(e: &Emu, token: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> (reqwest::StatusCode, Value) {
    let mut req = e.client.request(method, e.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    read(req.send().await.unwrap()).await
}

#[tokio::test]
async fn a_reader_reads_and_every_write_is_refused_in_arms_words() {
    let e = emu().await;
    let reader = token(&e, json!({ "oid": HELPDESK_USER_OID })).await;
    let reg = REG;
    let (s, body) = send(&e, &reader, reqwest::Method::GET, &format!("{reg}?api-version={ACR}"), None).await;
    assert_eq!(s, 200, "{body}");
    let (s, _) = send(&e, &reader, reqwest::Method::GET, &format!("{KV}?api-version=2023-07-01"), None).await;
    assert_eq!(s, 200);

    let got = send(&e, &reader, reqwest::Method::PATCH, &format!("{reg}?api-version={ACR}"), Some(json!({"tags":{"a":"b"}}))).await;
    assert_error(&got, 403, "AuthorizationFailed");
    assert_eq!(
        got.1["error"]["message"],
        format!(
            "The client '{HELPDESK_USER_OID}' with object id '{HELPDESK_USER_OID}' does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/write' over scope '{reg}' or the scope is invalid. If access was recently granted, please refresh your credentials."
        )
    );
    let got = send(
        &e,
        &reader,
        reqwest::Method::PUT,
        &format!("{KV}/accessPolicies/remove?api-version=2023-07-01"),
        Some(json!({"properties":{"accessPolicies":[]}})),
    )
    .await;
    assert_error(&got, 403, "AuthorizationFailed");
    assert!(got.1["error"]["message"].as_str().unwrap().contains("'Microsoft.KeyVault/vaults/accessPolicies/write'"));
    let ra = format!("{KV}/providers/Microsoft.Authorization/roleAssignments/6d6f636b-0000-4000-8000-00000000abcd?api-version=2022-04-01");
    let got = send(&e, &reader, reqwest::Method::DELETE, &ra, None).await;
    assert_error(&got, 403, "AuthorizationFailed");
    assert!(got.1["error"]["message"].as_str().unwrap().contains("'Microsoft.Authorization/roleAssignments/delete'"));

    // Nothing changed: the registry has no tag `a`.
    let (_, after) = e.get(&format!("{reg}?api-version={ACR}")).await;
    assert!(after["tags"].get("a").is_none(), "{after}");
}

#[tokio::test]
async fn the_permissions_api_answers_from_the_role_assignments() {
    let e = emu().await;
    let reader = token(&e, json!({ "oid": HELPDESK_USER_OID })).await;
    let path = format!("{KV}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01");
    let (s, body) = send(&e, &reader, reqwest::Method::GET, &path, None).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body, json!({"value":[{"actions":["*/read"],"notActions":[],"dataActions":[],"notDataActions":[]}]}));
    let (_, admin) = e.get(&path).await;
    assert_eq!(admin["value"][0]["actions"], json!(["*"]), "{admin}");

    // A new Key Vault Contributor assignment on the vault shows up at once, and lets the user write the vault.
    let assignment =
        format!("{KV}/providers/Microsoft.Authorization/roleAssignments/6d6f636b-0000-4000-8000-00000000abce?api-version=2022-04-01");
    let (s, _) = e
        .put(
            &assignment,
            json!({"properties":{"roleDefinitionId":format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/f25e0fa2-a7c8-4377-a976-54943a77a395"),"principalId":HELPDESK_USER_OID,"principalType":"User"}}),
        )
        .await;
    assert_eq!(s, 201);
    let (_, body) = send(&e, &reader, reqwest::Method::GET, &path, None).await;
    assert_eq!(body["value"].as_array().unwrap().len(), 2, "{body}");
    let (s, body) =
        send(&e, &reader, reqwest::Method::PATCH, &format!("{KV}?api-version=2023-07-01"), Some(json!({"tags":{"t":"1"}}))).await;
    assert_eq!(s, 200, "{body}");
    // The vault's scope is not the registry's: that stays read-only.
    let reg = REG;
    let got = send(&e, &reader, reqwest::Method::PATCH, &format!("{reg}?api-version={ACR}"), Some(json!({"tags":{"a":"b"}}))).await;
    assert_error(&got, 403, "AuthorizationFailed");
}

#[tokio::test]
async fn a_principal_without_any_role_is_refused_even_reads() {
    let e = emu().await;
    let nobody = token(&e, json!({ "oid": "6d6f636b-0000-4000-8000-0000000000ff" })).await;
    let got = send(&e, &nobody, reqwest::Method::GET, &format!("{REG}?api-version={ACR}"), None).await;
    assert_error(&got, 403, "AuthorizationFailed");
    assert!(got.1["error"]["message"].as_str().unwrap().contains("'Microsoft.ContainerRegistry/registries/read'"));
}

#[tokio::test]
async fn the_key_vault_data_plane_wants_an_access_policy_or_a_data_role() {
    let e = emu().await;
    let reader = token(&e, json!({ "oid": HELPDESK_USER_OID, "aud": "https://vault.azure.net" })).await;
    let admin = token(&e, json!({ "oid": DEMO_USER_OID, "aud": "https://vault.azure.net" })).await;
    let got = send(&e, &reader, reqwest::Method::GET, "/_vault/kv-acr-demo/keys?api-version=7.4", None).await;
    assert_error(&got, 403, "Forbidden");
    assert!(
        got.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("does not have keys list permission on key vault 'kv-acr-demo;location=westeurope'"),
        "{}",
        got.1
    );
    let (s, _) = send(&e, &admin, reqwest::Method::GET, "/_vault/kv-acr-demo/keys?api-version=7.4", None).await;
    assert_eq!(s, 200);
    // RBAC vault: Owner on the subscription is no data role.
    let got = send(&e, &admin, reqwest::Method::POST, "/_vault/kv-acr-rbac/keys/acr-rbac-key/rotate?api-version=7.4", None).await;
    assert_error(&got, 403, "Forbidden");
    assert!(got.1["error"]["message"].as_str().unwrap().contains("Action: 'Microsoft.KeyVault/vaults/keys/rotate/action'"), "{}", got.1);
}

#[tokio::test]
async fn the_helpdesk_demo_token_is_the_reader() {
    let e = emu().await;
    let v: Value = e.bare().post(e.url("/_emulator/demo-token?user=helpdesk")).send().await.unwrap().json().await.unwrap();
    let t = v["accessToken"].as_str().unwrap();
    let got = send(&e, t, reqwest::Method::PATCH, &format!("{REG}?api-version={ACR}"), Some(json!({"tags":{}}))).await;
    assert_error(&got, 403, "AuthorizationFailed");
    assert!(got.1["error"]["message"].as_str().unwrap().contains(HELPDESK_USER_OID));
    let (s, _) = read(e.bare().post(e.url("/_emulator/demo-token?user=nobody")).send().await.unwrap()).await;
    assert_eq!(s, 400);
}
