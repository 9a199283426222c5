//! Issue 3: writes, long-running operations and the seed article's CMK rules,
//! one test per rule at least, each asserting status code and error code.

mod common;

use std::time::Duration;

use acr_cmk_domain::registry::Registry;
use acr_cmk_emulator::Config;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const KV: &str = "2025-05-01";
const V1: &str = "6d6f636b00004000800000000000b001";
const V2: &str = "6d6f636b00004000800000000000b002";
const CMK_CLIENT: &str = "6d6f636b-0000-4000-8000-0000000000c1";
const CMK_PRINCIPAL: &str = "6d6f636b-0000-4000-8000-0000000000a1";
const NOKEY_CLIENT: &str = "6d6f636b-0000-4000-8000-0000000000c2";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

fn key(v: &str) -> String {
    format!("https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key/{v}")
}

fn identity_id(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}")
}

fn vault_path(name: &str, rest: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/{name}{rest}?api-version={KV}")
}

/// Slow LROs: only polling settles them, so tests see every state.
async fn lro_emu() -> Emu {
    emu_with(Config { lro_duration: Duration::from_secs(600), ..Config::default() }).await
}

/// Sends a long-running write, checks the immediate answer, polls to the end; returns the final status body.
async fn run_lro(e: &Emu, method: Method, path: &str, body: Value, expect_state: &str) -> Value {
    let r = e.send(method, path, Some(body)).await;
    let status = r.status();
    let async_url = r.headers().get("azure-asyncoperation").map(|h| h.to_str().unwrap().to_string());
    let (_, body) = read(r).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["properties"]["provisioningState"], expect_state, "{body}");
    let async_url = async_url.expect("Azure-AsyncOperation header");
    assert!(async_url.starts_with(&e.running.arm_url));
    let (s, first) = e.get(&async_url).await;
    assert_eq!(s, 200);
    assert_eq!(first["status"], "InProgress");
    let (_, done) = e.get(&async_url).await;
    assert_ne!(done["status"], "InProgress");
    done
}

async fn registry(e: &Emu, name: &str) -> Registry {
    let (s, body) = e.get(&e.registry_path(name)).await;
    assert_eq!(s, 200, "{body}");
    serde_json::from_value(body).unwrap()
}

fn kvp(r: &Registry) -> acr_cmk_domain::registry::KeyVaultProperties {
    r.properties.encryption.clone().unwrap().key_vault_properties.unwrap()
}

async fn probe(e: &Emu, name: &str) -> u16 {
    e.client.get(e.url(&format!("/_emulator/registries/{name}/v2/"))).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn rotate_is_long_running_and_shows_old_values_until_done() {
    let e = lro_emu().await;
    let path = e.registry_path("contosoprod");
    let r = e
        .send(
            Method::PATCH,
            &path,
            Some(json!({"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier": key(V1), "identity": CMK_CLIENT}}}})),
        )
        .await;
    assert_eq!(r.status(), 201);
    let async_url = r.headers()["azure-asyncoperation"].to_str().unwrap().to_string();
    let (_, body) = read(r).await;
    assert_eq!(body["properties"]["provisioningState"], "Updating");
    assert_eq!(body["properties"]["encryption"]["keyVaultProperties"]["keyIdentifier"], key(V2), "old values in the 201");
    let mid = registry(&e, "contosoprod").await;
    assert_eq!(mid.properties.provisioning_state.as_deref(), Some("Updating"));
    assert_eq!(kvp(&mid).key_identifier.as_deref(), Some(key(V2).as_str()));
    // A second write while one runs is refused.
    let got = e.patch(&path, json!({"tags":{"a":"b"}})).await;
    assert_error(&got, 409, "AnotherOperationInProgress");
    let (_, s1) = e.get(&async_url).await;
    assert_eq!(s1["status"], "InProgress");
    let (_, s2) = e.get(&async_url).await;
    assert_eq!(s2["status"], "Succeeded");
    let after = registry(&e, "contosoprod").await;
    assert_eq!(after.properties.provisioning_state.as_deref(), Some("Succeeded"));
    assert_eq!(kvp(&after).key_identifier.as_deref(), Some(key(V1).as_str()));
    assert_eq!(kvp(&after).versioned_key_identifier.as_deref(), Some(key(V1).as_str()));
    assert_eq!(kvp(&after).key_rotation_enabled, Some(false));
}

#[tokio::test]
async fn lro_settles_by_itself_after_the_configured_duration() {
    let e = emu_with(Config { lro_duration: Duration::from_millis(200), ..Config::default() }).await;
    let (s, _) = e.patch(&e.registry_path("contosodev"), json!({"tags":{"env":"dev"}})).await;
    assert_eq!(s, 201);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let r = registry(&e, "contosodev").await;
    assert_eq!(r.tags.get("env").map(String::as_str), Some("dev"));
    assert_eq!(r.properties.provisioning_state.as_deref(), Some("Succeeded"));
}

fn cmk_create_body(sku: &str, identity_client: &str, key_id: &str) -> Value {
    json!({
        "location": "westeurope",
        "sku": {"name": sku},
        "identity": {"type": "UserAssigned", "userAssignedIdentities": {identity_id("id-acr-cmk"): {}}},
        "properties": {"encryption": {"status": "enabled", "keyVaultProperties": {"keyIdentifier": key_id, "identity": identity_client}}}
    })
}

#[tokio::test]
async fn create_premium_cmk_registry_succeeds() {
    let e = lro_emu().await;
    let done = run_lro(
        &e,
        Method::PUT,
        &e.registry_path("contosonew"),
        cmk_create_body("Premium", CMK_CLIENT, "https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key"),
        "Creating",
    )
    .await;
    assert_eq!(done["status"], "Succeeded");
    let r = registry(&e, "contosonew").await;
    assert_eq!(r.identity.as_ref().unwrap().kind.as_deref(), Some("userAssigned"));
    let kv = kvp(&r);
    assert_eq!(kv.key_rotation_enabled, Some(true));
    assert_eq!(kv.versioned_key_identifier.as_deref(), Some(key(V2).as_str()));
    assert!(r.properties.status.is_none());
}

#[tokio::test]
async fn cmk_requires_premium_at_create() {
    let e = lro_emu().await;
    let got = e.put(&e.registry_path("contosostd"), cmk_create_body("Standard", CMK_CLIENT, &key(V2))).await;
    assert_error(&got, 400, "CmkRequiresPremiumSku");
}

#[tokio::test]
async fn cmk_requires_a_user_assigned_identity_at_create() {
    let e = lro_emu().await;
    let mut body = cmk_create_body("Premium", "system", &key(V2));
    body["identity"] = json!({"type": "SystemAssigned"});
    let got = e.put(&e.registry_path("contososys"), body).await;
    assert_error(&got, 400, "CmkRequiresUserAssignedIdentity");
}

#[tokio::test]
async fn cmk_create_with_missing_identity_resource_fails() {
    let e = lro_emu().await;
    let mut body = cmk_create_body("Premium", CMK_CLIENT, &key(V2));
    body["identity"]["userAssignedIdentities"] = json!({identity_id("does-not-exist"): {}});
    let got = e.put(&e.registry_path("contosomiss"), body).await;
    assert_error(&got, 400, "FailedIdentityOperation");
}

#[tokio::test]
async fn cmk_cannot_be_enabled_after_creation() {
    let e = lro_emu().await;
    let got = e.patch(&e.registry_path("contosodev"), json!({"properties":{"encryption":{"status":"enabled","keyVaultProperties":{"keyIdentifier": key(V2), "identity": CMK_CLIENT}}}})).await;
    assert_error(&got, 400, "CmkCannotBeEnabledAfterCreation");
}

#[tokio::test]
async fn cmk_cannot_be_disabled() {
    let e = lro_emu().await;
    let got = e.patch(&e.registry_path("contosoprod"), json!({"properties":{"encryption":{"status":"disabled"}}})).await;
    assert_error(&got, 400, "CmkCannotBeDisabled");
}

#[tokio::test]
async fn sku_cannot_drop_below_premium_with_cmk() {
    let e = lro_emu().await;
    let got = e.patch(&e.registry_path("contosoprod"), json!({"sku":{"name":"Standard"}})).await;
    assert_error(&got, 400, "CmkRequiresPremiumSku");
    // Without CMK it may.
    let (s, _) = e.patch(&e.registry_path("contosodev"), json!({"sku":{"name":"Basic"}})).await;
    assert_eq!(s, 201);
}

#[tokio::test]
async fn ec_keys_are_refused() {
    let e = lro_emu().await;
    let (s, k) = e.put(&vault_path("kv-acr-demo", "/keys/ec-key"), json!({"properties":{"kty":"EC","curveName":"P-256"}})).await;
    assert_eq!(s, 200, "{k}");
    assert!(k["properties"]["keyUri"].as_str().unwrap().contains(".vault.azure.net:443/keys/ec-key"));
    let got = e
        .patch(&e.registry_path("contosoprod"), json!({"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier":"https://kv-acr-demo.vault.azure.net/keys/ec-key","identity":CMK_CLIENT}}}}))
        .await;
    assert_error(&got, 400, "InvalidKeyType");
}

#[tokio::test]
async fn content_trust_is_refused_on_cmk_registries() {
    let e = lro_emu().await;
    let got = e
        .patch(&e.registry_path("contosoprod"), json!({"properties":{"policies":{"trustPolicy":{"type":"Notary","status":"enabled"}}}}))
        .await;
    assert_error(&got, 400, "ContentTrustNotSupportedWithCmk");
    let (s, _) = e
        .patch(&e.registry_path("contosodev"), json!({"properties":{"policies":{"trustPolicy":{"type":"Notary","status":"enabled"}}}}))
        .await;
    assert_eq!(s, 201);
}

#[tokio::test]
async fn rotating_with_an_identity_not_on_the_registry_fails_with_the_seed_text() {
    let e = lro_emu().await;
    let got = e
        .patch(
            &e.registry_path("contosoprod"),
            json!({"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier":key(V1),"identity":NOKEY_CLIENT}}}}),
        )
        .await;
    assert_error(&got, 400, "IdentityNotAttached");
    let m = got.1["error"]["message"].as_str().unwrap();
    assert!(m.contains("does not have access to identity '6d6f636b-0000-4000-8000-0000000000c2' Try forcibly adding the identity to the registry contosoprod."), "{m}");
}

#[tokio::test]
async fn rotating_to_an_unreachable_key_fails_with_failed_to_access() {
    let e = lro_emu().await;
    // Attach id-acr-nokey (no access policy) first, then rotate to it.
    let done = run_lro(
        &e,
        Method::PATCH,
        &e.registry_path("contosoprod"),
        json!({"identity":{"type":"UserAssigned","userAssignedIdentities":{identity_id("id-acr-nokey"):{}}}}),
        "Updating",
    )
    .await;
    assert_eq!(done["status"], "Succeeded");
    let r = registry(&e, "contosoprod").await;
    assert_eq!(r.identity.as_ref().unwrap().user_assigned_identities.as_ref().unwrap().len(), 2);
    let got = e
        .patch(
            &e.registry_path("contosoprod"),
            json!({"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier":key(V1),"identity":NOKEY_CLIENT}}}}),
        )
        .await;
    assert_error(&got, 400, "KeyVaultAccessFailed");
    let m = got.1["error"]["message"].as_str().unwrap();
    assert!(
        m.starts_with(&format!(
            "Failed to access KeyId '{}'. Verify that identity '{NOKEY_CLIENT}' has 'Get, Wrap Key, Unwrap Key' permission on key '{}'.",
            key(V1),
            key(V1)
        )),
        "{m}"
    );
}

#[tokio::test]
async fn removing_the_encrypting_identity_fails() {
    let e = lro_emu().await;
    let got = e.patch(&e.registry_path("contosoprod"), json!({"identity":{"type":"None"}})).await;
    assert_error(&got, 400, "IdentityNotAttached");
    let got = e
        .patch(&e.registry_path("contosoprod"), json!({"identity":{"type":"UserAssigned","userAssignedIdentities":{identity_id("id-acr-cmk"):null, identity_id("id-acr-nokey"):{}}}}))
        .await;
    assert_error(&got, 400, "IdentityNotAttached");
    assert!(got.1["error"]["message"].as_str().unwrap().starts_with("Azure resource '/subscriptions/"));
}

#[tokio::test]
async fn deleting_the_encrypting_identity_leaves_it_attached_and_the_registry_inactive() {
    let e = lro_emu().await;
    assert_eq!(probe(&e, "contosoprod").await, 200);
    let path = format!("{}?api-version=2023-01-31", identity_id("id-acr-cmk"));
    let (s, _) = e.delete(&path).await;
    assert_eq!(s, 200);
    assert_eq!(e.get(&path).await.0, 404);
    // As in Azure, the registry still names the identity: only its resource is gone.
    let r = registry(&e, "contosoprod").await;
    assert!(r.identity.unwrap().user_assigned_identities.unwrap().keys().any(|k| k.ends_with("/id-acr-cmk")));
    let status = r.properties.status.expect("status set when the key is unreachable");
    assert!(status.message.unwrap().contains("identity associated with the registry is inactive"));
    assert_eq!(probe(&e, "contosoprod").await, 403);
}

#[tokio::test]
async fn revoking_the_access_policy_makes_the_registry_inaccessible_and_restoring_recovers() {
    let e = lro_emu().await;
    assert_eq!(probe(&e, "contosoprod").await, 200);
    let policy = json!({"properties":{"accessPolicies":[{"tenantId":TENANT,"objectId":CMK_PRINCIPAL,"permissions":{"keys":["get","wrapKey","unwrapKey"]}}]}});
    let (s, _) = e.put(&vault_path("kv-acr-demo", "/accessPolicies/remove"), policy.clone()).await;
    assert_eq!(s, 200);
    let r = registry(&e, "contosoprod").await;
    let status = r.properties.status.expect("status set when the key is unreachable");
    assert!(status.message.unwrap().contains("Failed to access KeyId"));
    assert_eq!(probe(&e, "contosoprod").await, 403);
    let (s, _) = e.put(&vault_path("kv-acr-demo", "/accessPolicies/add"), policy).await;
    assert_eq!(s, 200);
    assert!(registry(&e, "contosoprod").await.properties.status.is_none());
    assert_eq!(probe(&e, "contosoprod").await, 200);
    assert_eq!(probe(&e, "contosolost").await, 403);
}

#[tokio::test]
async fn rbac_vault_role_assignment_grants_and_deleting_it_revokes() {
    let e = lro_emu().await;
    let rbac_key = "https://kv-acr-rbac.vault.azure.net/keys/acr-rbac-key";
    let done = run_lro(
        &e,
        Method::PATCH,
        &e.registry_path("contosoprod"),
        json!({"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier":rbac_key,"identity":CMK_CLIENT}}}}),
        "Updating",
    )
    .await;
    assert_eq!(done["status"], "Succeeded");
    let list = format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=principalId%20eq%20'{CMK_PRINCIPAL}'");
    let (s, body) = e.get(&list).await;
    assert_eq!(s, 200);
    let ras = body["value"].as_array().unwrap().clone();
    assert_eq!(ras.len(), 1);
    assert!(ras[0]["properties"]["roleDefinitionId"].as_str().unwrap().ends_with("e147488a-f6f5-4113-8e2d-b22465e65bf6"));
    let id = ras[0]["id"].as_str().unwrap().to_string();
    let (s, _) = e.delete(&format!("{id}?api-version=2022-04-01")).await;
    assert_eq!(s, 200);
    assert!(registry(&e, "contosoprod").await.properties.status.is_some());
    assert_eq!(probe(&e, "contosoprod").await, 403);
    // Restore with a fresh assignment at vault scope.
    let scope = format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-rbac");
    let (s, body) = e
        .put(
            &format!("{scope}/providers/Microsoft.Authorization/roleAssignments/11111111-2222-4333-8444-555555555555?api-version=2022-04-01"),
            json!({"properties":{"roleDefinitionId":format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6"),"principalId":CMK_PRINCIPAL,"principalType":"ServicePrincipal"}}),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(probe(&e, "contosoprod").await, 200);
    let got = e
        .put(
            &format!("{scope}/providers/Microsoft.Authorization/roleAssignments/not-a-guid?api-version=2022-04-01"),
            json!({"properties":{"roleDefinitionId":"x","principalId":CMK_PRINCIPAL}}),
        )
        .await;
    assert_error(&got, 400, "InvalidRoleAssignmentId");
}

#[tokio::test]
async fn firewall_blocks_user_identities_and_bypass_admits_only_the_system_identity() {
    let e = lro_emu().await;
    let (s, _) = e
        .patch(
            &vault_path("kv-acr-demo", ""),
            json!({"properties":{"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]}}}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(probe(&e, "contosoprod").await, 403);
    // Seed's advanced scenario: system identity on, grant it, rotate with identity "system".
    let done = run_lro(
        &e,
        Method::PATCH,
        &e.registry_path("contosoprod"),
        json!({"identity":{"type":"SystemAssigned, UserAssigned"}}),
        "Updating",
    )
    .await;
    assert_eq!(done["status"], "Succeeded");
    let r = registry(&e, "contosoprod").await;
    let ident = r.identity.clone().unwrap();
    assert_eq!(ident.kind.as_deref(), Some("systemAssigned, userAssigned"));
    let system_principal = ident.principal_id.clone().expect("system principal id");
    let (s, sys) = e.get(&format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/registries/contosoprod/providers/Microsoft.ManagedIdentity/identities/default?api-version=2024-11-30")).await;
    assert_eq!(s, 200);
    assert_eq!(sys["properties"]["principalId"], system_principal.as_str());
    assert!(sys["properties"]["clientId"].as_str().unwrap().len() == 36);
    let got = e
        .patch(
            &e.registry_path("contosoprod"),
            json!({"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier":key(V1),"identity":"system"}}}}),
        )
        .await;
    assert_error(&got, 400, "KeyVaultAccessFailed");
    let (s, _) = e
        .put(&vault_path("kv-acr-demo", "/accessPolicies/add"), json!({"properties":{"accessPolicies":[{"tenantId":TENANT,"objectId":system_principal,"permissions":{"keys":["get","wrapKey","unwrapKey"]}}]}}))
        .await;
    assert_eq!(s, 200);
    let done = run_lro(
        &e,
        Method::PATCH,
        &e.registry_path("contosoprod"),
        json!({"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier":key(V1),"identity":"system"}}}}),
        "Updating",
    )
    .await;
    assert_eq!(done["status"], "Succeeded");
    assert_eq!(probe(&e, "contosoprod").await, 200);
    // Without the bypass even the system identity is blocked.
    let (s, _) =
        e.patch(&vault_path("kv-acr-demo", ""), json!({"properties":{"networkAcls":{"bypass":"None","defaultAction":"Deny"}}})).await;
    assert_eq!(s, 200);
    assert_eq!(probe(&e, "contosoprod").await, 403);
}

async fn vault_token(e: &Emu) -> String {
    let v: Value = e
        .client
        .post(e.url("/_emulator/token"))
        .json(&json!({"aud":"https://vault.azure.net"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["accessToken"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn versionless_registry_picks_up_a_new_version_after_the_interval() {
    let e = emu_with(Config { rotation_interval: Duration::from_millis(300), ..Config::default() }).await;
    let t = vault_token(&e).await;
    let r = e
        .client
        .post(e.url("/_vault/kv-acr-demo/keys/acr-cmk-key/create?api-version=7.6"))
        .bearer_auth(&t)
        .json(&json!({"kty":"RSA","key_size":2048}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let b: Value = r.json().await.unwrap();
    let kid = b["key"]["kid"].as_str().unwrap().to_string();
    assert!(kid.starts_with("https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key/"));
    tokio::time::sleep(Duration::from_millis(700)).await;
    let auto = registry(&e, "contosoauto").await;
    assert_eq!(kvp(&auto).versioned_key_identifier.as_deref(), Some(kid.as_str()));
    let prod = registry(&e, "contosoprod").await;
    assert_eq!(kvp(&prod).versioned_key_identifier.as_deref(), Some(key(V2).as_str()), "a versioned key id stays");
}

#[tokio::test]
async fn disabling_the_key_version_revokes_and_enabling_restores() {
    let e = emu().await;
    let t = vault_token(&e).await;
    let url = e.url(&format!("/_vault/kv-acr-demo/keys/acr-cmk-key/{V2}?api-version=7.6"));
    let r = e.client.patch(&url).bearer_auth(&t).json(&json!({"attributes":{"enabled":false}})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(probe(&e, "contosoprod").await, 403);
    let r = e.client.patch(&url).bearer_auth(&t).json(&json!({"attributes":{"enabled":true}})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(probe(&e, "contosoprod").await, 200);
}

#[tokio::test]
async fn deleted_keys_can_be_recovered_but_not_purged_with_purge_protection() {
    let e = emu().await;
    let t = vault_token(&e).await;
    let r = e.client.delete(e.url("/_vault/kv-acr-demo/keys/acr-cmk-key?api-version=7.6")).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(probe(&e, "contosoprod").await, 403);
    let r = e.client.delete(e.url("/_vault/kv-acr-demo/deletedkeys/acr-cmk-key?api-version=7.6")).bearer_auth(&t).send().await.unwrap();
    let got = read(r).await;
    assert_error(&got, 403, "Forbidden");
    let r =
        e.client.post(e.url("/_vault/kv-acr-demo/deletedkeys/acr-cmk-key/recover?api-version=7.6")).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(probe(&e, "contosoprod").await, 200);
}

#[tokio::test]
async fn data_plane_without_token_gets_the_key_vault_challenge() {
    let e = emu().await;
    let r = e.client.get(e.url("/_vault/kv-acr-demo/keys/acr-cmk-key?api-version=7.6")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let challenge = r.headers()["www-authenticate"].to_str().unwrap().to_string();
    assert!(challenge.contains("resource=\"https://vault.azure.net\""), "{challenge}");
    assert!(challenge.contains(&format!("authorization=\"https://login.microsoftonline.com/{TENANT}\"")));
    // An ARM token is the wrong audience for the vault.
    let r = e.client.get(e.url("/_vault/kv-acr-demo/keys/acr-cmk-key?api-version=7.6")).bearer_auth(&e.token).send().await.unwrap();
    assert_error(&read(r).await, 401, "Unauthorized");
    let t = vault_token(&e).await;
    let r =
        e.client.get(e.url("/_vault/kv-acr-demo/keys/acr-cmk-key/versions?api-version=2025-07-01")).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["value"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn purge_protection_cannot_be_turned_off() {
    let e = emu().await;
    let got = e.patch(&vault_path("kv-acr-demo", ""), json!({"properties":{"enablePurgeProtection":false}})).await;
    assert_error(&got, 400, "BadRequest");
    let (s, v) = e.get(&vault_path("kv-acr-demo", "")).await;
    assert_eq!(s, 200);
    assert_eq!(v["properties"]["enablePurgeProtection"], true);
    assert_eq!(v["properties"]["softDeleteRetentionInDays"], 90);
    let _: acr_cmk_domain::vault::Vault = serde_json::from_value(v).unwrap();
}

#[tokio::test]
async fn vault_lifecycle_soft_delete_and_recover() {
    let e = emu().await;
    let body = json!({"location":"westeurope","properties":{"tenantId":TENANT,"sku":{"family":"A","name":"standard"},"accessPolicies":[],"enablePurgeProtection":true}});
    let (s, v) = e.put(&vault_path("kv-new-one", ""), body.clone()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["properties"]["vaultUri"], "https://kv-new-one.vault.azure.net/");
    let (s, _) = e.delete(&vault_path("kv-new-one", "")).await;
    assert_eq!(s, 200);
    assert_error(&e.get(&vault_path("kv-new-one", "")).await, 404, "ResourceNotFound");
    assert_error(&e.put(&vault_path("kv-new-one", ""), body.clone()).await, 409, "ConflictError");
    let mut recover = body.clone();
    recover["properties"]["createMode"] = json!("recover");
    // ARM's schema wants the whole body for a recovery too (az keyvault recover sends it).
    let mut bare = json!({"properties": {"createMode": "recover"}});
    assert_error(&e.put(&vault_path("kv-new-one", ""), bare.clone()).await, 400, "LocationRequired");
    bare["location"] = json!("westeurope");
    assert_error(&e.put(&vault_path("kv-new-one", ""), bare).await, 400, "BadRequest");
    let (s, _) = e.put(&vault_path("kv-new-one", ""), recover).await;
    assert_eq!(s, 200);
    assert_error(&e.put(&vault_path("bad--name", ""), body).await, 400, "VaultNameNotValid");
}

#[tokio::test]
async fn arm_keys_api_lists_versions_with_port_443() {
    let e = emu().await;
    let (s, v) = e.get(&vault_path("kv-acr-demo", "/keys/acr-cmk-key/versions")).await;
    assert_eq!(s, 200);
    let vals = v["value"].as_array().unwrap();
    assert_eq!(vals.len(), 2);
    assert_eq!(vals[1]["properties"]["keyUriWithVersion"], format!("https://kv-acr-demo.vault.azure.net:443/keys/acr-cmk-key/{V2}"));
    let _: Vec<acr_cmk_domain::key::ArmKey> = serde_json::from_value(v["value"].clone()).unwrap();
    let (s, k) = e.put(&vault_path("kv-acr-demo", "/keys/acr-cmk-key"), json!({"properties":{"kty":"RSA"}})).await;
    assert_eq!(s, 200);
    assert_eq!(
        k["properties"]["keyUriWithVersion"],
        format!("https://kv-acr-demo.vault.azure.net:443/keys/acr-cmk-key/{V2}"),
        "existing key returned unchanged"
    );
    assert_error(&e.get(&vault_path("kv-acr-demo", "/keys/nope")).await, 404, "KeyNotFound");
}

#[tokio::test]
async fn user_assigned_identities_crud() {
    let e = emu().await;
    let p = format!(
        "/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-new?api-version=2024-11-30"
    );
    let (s, v) = e.put(&p, json!({"location":"westeurope"})).await;
    assert_eq!(s, 201);
    let ident: acr_cmk_domain::identity::UserAssignedIdentity = serde_json::from_value(v).unwrap();
    assert_eq!(ident.properties.tenant_id, TENANT);
    let (s, v) = e
        .get(&format!(
            "/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2024-11-30"
        ))
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["value"].as_array().unwrap().len(), 3);
    let (s, _) = e.delete(&p).await;
    assert_eq!(s, 200);
    assert_error(&e.get(&p).await, 404, "ResourceNotFound");
    let got = e.get(&format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/registries/contosodev/providers/Microsoft.ManagedIdentity/identities/default?api-version=2024-11-30")).await;
    assert_error(&got, 404, "ResourceNotFound");
}

#[tokio::test]
async fn registry_delete_is_long_running() {
    let e = lro_emu().await;
    let r = e.send(Method::DELETE, &e.registry_path("contosodev"), None).await;
    assert_eq!(r.status(), 202);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let r = e.client.get(&loc).bearer_auth(&e.token).send().await.unwrap();
    assert_eq!(r.status(), 202);
    let r = e.client.get(&loc).bearer_auth(&e.token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_error(&e.get(&e.registry_path("contosodev")).await, 404, "ResourceNotFound");
    let (s, _) = e.delete(&e.registry_path("contosodev")).await;
    assert_eq!(s, 204);
}

#[tokio::test]
async fn fault_menu_throttles_fails_and_breaks_bodies() {
    let e = lro_emu().await;
    let add = |f: Value| e.client.post(e.url("/_emulator/faults")).json(&f).send();
    assert_eq!(
        add(json!({"method":"GET","pathContains":"/registries/contosoprod","kind":"status","status":429,"retryAfter":2,"times":1}))
            .await
            .unwrap()
            .status(),
        201
    );
    let r = e.send(Method::GET, &e.registry_path("contosoprod"), None).await;
    assert_eq!(r.headers()["retry-after"], "2");
    assert_error(&read(r).await, 429, "TooManyRequests");
    let (s, _) = e.get(&e.registry_path("contosoprod")).await;
    assert_eq!(s, 200, "fault used up after `times`");

    add(json!({"route":"/subscriptions","kind":"status","status":500,"times":1})).await.unwrap();
    assert_error(&e.get("/subscriptions?api-version=2022-12-01").await, 500, "InternalServerError");

    add(json!({"route":"/subscriptions","kind":"malformed","times":1})).await.unwrap();
    let r = e.send(Method::GET, "/subscriptions?api-version=2022-12-01", None).await;
    assert_eq!(r.status(), 200);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());

    add(json!({"method":"PATCH","kind":"lroFailed","times":1})).await.unwrap();
    let done = run_lro(&e, Method::PATCH, &e.registry_path("contosodev"), json!({"tags":{"x":"y"}}), "Updating").await;
    assert_eq!(done["status"], "Failed");
    assert!(done["error"]["code"].is_string());
    assert!(registry(&e, "contosodev").await.tags.is_empty(), "a failed update changes nothing");

    add(json!({"kind":"delay","delayMs":300,"times":1})).await.unwrap();
    let t0 = std::time::Instant::now();
    let (s, _) = e.get("/subscriptions?api-version=2022-12-01").await;
    assert_eq!(s, 200);
    assert!(t0.elapsed() >= Duration::from_millis(290));

    add(json!({"kind":"status","status":503})).await.unwrap();
    let r = e.client.delete(e.url("/_emulator/faults")).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let (s, _) = e.get("/subscriptions?api-version=2022-12-01").await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn a_foreign_link_fault_points_next_links_operations_and_ids_elsewhere() {
    let e = lro_emu().await;
    let add = |f: Value| e.client.post(e.url("/_emulator/faults")).json(&f).send();
    let evil = "HTTPS://attacker.invalid";
    // Without a url and a link it is refused, not half-applied.
    let r = add(json!({"kind":"foreignLink"})).await.unwrap();
    assert_eq!(r.status(), 400);

    add(json!({"method":"GET","route":"/subscriptions","kind":"foreignLink","url":format!("{evil}/next"),"link":"nextLink","times":1}))
        .await
        .unwrap();
    let (s, body) = e.get("/subscriptions?api-version=2022-12-01").await;
    assert_eq!(s, 200);
    assert_eq!(body["nextLink"], format!("{evil}/next"));
    assert!(body["value"].as_array().is_some_and(|v| !v.is_empty()), "the page itself is untouched: {body}");

    add(json!({"method":"GET","pathContains":"/registries/contosodev","kind":"foreignLink","url":evil,"link":"id","times":1}))
        .await
        .unwrap();
    let (_, body) = e.get(&e.registry_path("contosodev")).await;
    assert!(body["id"].as_str().unwrap().starts_with("HTTPS://attacker.invalid/subscriptions/"), "{body}");

    add(json!({"method":"PATCH","kind":"foreignLink","url":format!("{evil}/operation"),"link":"operation","times":1})).await.unwrap();
    let r = e.send(Method::PATCH, &e.registry_path("contosodev"), Some(json!({"tags":{"a":"b"}}))).await;
    assert!(r.status().is_success());
    assert_eq!(r.headers()["azure-asyncoperation"], format!("{evil}/operation"));
}

#[tokio::test]
async fn bad_json_and_huge_bodies_get_arm_400s() {
    let e = emu_with(Config { max_body_bytes: 4096, ..Config::default() }).await;
    let r = e
        .client
        .patch(e.url(&e.registry_path("contosodev")))
        .bearer_auth(&e.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_error(&read(r).await, 400, "InvalidRequestContent");
    let got = e.patch(&e.registry_path("contosodev"), json!({"sku": "Premium"})).await;
    assert_error(&got, 400, "InvalidRequestContent");
    let big = "x".repeat(10_000);
    let r = e
        .client
        .patch(e.url(&e.registry_path("contosodev")))
        .bearer_auth(&e.token)
        .header("content-type", "application/json")
        .body(format!("{{\"tags\":{{\"a\":\"{big}\"}}}}"))
        .send()
        .await
        .unwrap();
    assert_error(&read(r).await, 400, "InvalidRequestContent");
    let got = e.put(&e.registry_path("ab"), json!({"location":"westeurope","sku":{"name":"Basic"}})).await;
    assert_error(&got, 400, "InvalidResourceName");
}

#[tokio::test]
async fn sdk_api_versions_are_accepted() {
    let e = emu().await;
    for (path, v) in [
        (format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries"), "2025-11-01"),
        (format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries"), "2019-12-01-preview"),
        (format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries"), "2023-07-01"),
        (format!("/subscriptions/{SUB}/providers/Microsoft.KeyVault/vaults"), "2026-05-15"),
        (format!("/subscriptions/{SUB}/resourcegroups"), "2025-04-01"),
    ] {
        let (s, body) = e.get(&format!("{path}?api-version={v}")).await;
        assert_eq!(s, 200, "{path} {v}: {body}");
    }
    assert_error(
        &e.get(&format!("/subscriptions/{SUB}/providers/Microsoft.KeyVault/vaults?api-version=2025-04-01")).await,
        400,
        "InvalidApiVersionParameter",
    );
}

#[tokio::test]
async fn state_file_persists_across_restarts() {
    let path = std::env::temp_dir().join(format!("acr-cmk-emulator-state-{}-{}.json", std::process::id(), line!()));
    let _ = std::fs::remove_file(&path);
    let config = Config { state_file: Some(path.clone()), lro_duration: Duration::from_millis(50), ..Config::default() };
    let e = emu_with(config.clone()).await;
    let (s, _) = e.patch(&e.registry_path("contosodev"), json!({"tags":{"kept":"yes"}})).await;
    assert_eq!(s, 201);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (s, _) = e.get("/subscriptions?api-version=2022-12-01").await; // settles the operation
    assert_eq!(s, 200);
    let (s, _) =
        e.put(&format!("/subscriptions/{SUB}/resourcegroups/rg-extra?api-version=2021-04-01"), json!({"location":"westeurope"})).await;
    assert_eq!(s, 201);
    e.running.shutdown().await;
    let e2 = emu_with(config).await;
    assert_eq!(registry(&e2, "contosodev").await.tags.get("kept").map(String::as_str), Some("yes"));
    let (s, _) = e2.get(&format!("/subscriptions/{SUB}/resourcegroups/rg-extra?api-version=2021-04-01")).await;
    assert_eq!(s, 200);
    e2.running.shutdown().await;
    let _ = std::fs::remove_file(&path);
}

/// azure-cli sends the whole registry back on every update, key settings included: `az acr identity
/// assign` with a new identity, `az acr encryption rotate-key` with the (same or new) key.
#[tokio::test]
async fn the_same_key_echoed_beside_another_change_is_not_a_rotation_but_rotate_key_to_it_is() {
    let e = emu().await;
    let vault = format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-demo?api-version=2025-05-01");
    let (status, v) = e.patch(&vault, json!({"properties": {"networkAcls": {"defaultAction": "Deny", "bypass": "None"}}})).await;
    assert_eq!(status, 200, "{v}");
    let (_, reg) = e.get(&e.registry_path("contosoprod")).await;
    let same = reg["properties"]["encryption"].clone();
    let (status, v) = e
        .patch(
            &e.registry_path("contosoprod"),
            json!({"identity": {"type": "SystemAssigned, UserAssigned"}, "properties": {"encryption": same}}),
        )
        .await;
    assert!(status == 200 || status == 201, "{status} {v}");
    // The same settings without an identity change is a rotation (`az acr encryption rotate-key` to the
    // same key): checked, and the firewall refuses it; so is a different version.
    let other = reg["properties"]["encryption"]["keyVaultProperties"]["keyIdentifier"].as_str().unwrap().replace("b002", "b001");
    let bodies = [
        json!({"properties": {"encryption": same}}),
        json!({"properties": {"encryption": {"keyVaultProperties": {"keyIdentifier": other}}}}),
    ];
    for body in bodies {
        // Once the identity update has settled (409 AnotherOperationInProgress until then).
        let mut refused = false;
        for _ in 0..100 {
            let got = read(e.send(Method::PATCH, &e.registry_path("contosoprod"), Some(body.clone())).await).await;
            if got.1["error"]["code"] != "AnotherOperationInProgress" {
                assert_error(&got, 400, "KeyVaultAccessFailed");
                refused = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(refused, "the identity update never settled");
    }
}

/// `az acr identity remove --identities <one of two>` PUTs the registry with the identities to keep.
#[tokio::test]
async fn a_put_names_the_whole_set_of_user_identities_and_a_patch_merges() {
    let e = emu().await;
    let nokey = format!("/subscriptions/{SUB}/resourcegroups/{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-nokey");
    let cmk = format!("/subscriptions/{SUB}/resourcegroups/{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-cmk");
    let users = |r: &Value| -> Vec<String> {
        let mut ids: Vec<String> = r["identity"]["userAssignedIdentities"].as_object().unwrap().keys().map(|k| k.to_lowercase()).collect();
        ids.sort();
        ids
    };
    // Each write once the one before has settled (409 AnotherOperationInProgress until then).
    let write = |method: Method, body: Value| {
        let e = &e;
        async move {
            for _ in 0..100 {
                let got = read(e.send(method.clone(), &e.registry_path("contosoprod"), Some(body.clone())).await).await;
                if got.1["error"]["code"] != "AnotherOperationInProgress" {
                    assert!(got.0.is_success(), "{got:?}");
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("the registry stayed busy");
        }
    };
    write(Method::PATCH, json!({"identity": {"type": "UserAssigned", "userAssignedIdentities": {nokey.clone(): {}}}})).await;
    write(Method::PATCH, json!({"tags": {"settled": "yes"}})).await;
    let (_, r) = e.get(&e.registry_path("contosoprod")).await;
    assert_eq!(users(&r), [cmk.to_lowercase(), nokey.to_lowercase()], "a PATCH adds to the set");

    let (_, mut whole) = e.get(&e.registry_path("contosoprod")).await;
    whole["identity"] = json!({"type": "UserAssigned", "userAssignedIdentities": {cmk.clone(): {}}});
    write(Method::PUT, whole).await;
    write(Method::PATCH, json!({"tags": {"settled": "again"}})).await;
    let (_, r) = e.get(&e.registry_path("contosoprod")).await;
    assert_eq!(users(&r), [cmk.to_lowercase()], "a PUT names the whole set");
}

#[tokio::test]
async fn a_keys_rotation_policy_and_expiry_travel_through_arm() {
    let e = lro_emu().await;
    let policy = json!({"attributes": {"expiryTime": "P1Y"}, "lifetimeActions": [
        {"trigger": {"timeAfterCreate": "P90D"}, "action": {"type": "Rotate"}}]});
    let exp = 1_900_000_000i64;
    let (s, k) = e
        .put(
            &vault_path("kv-acr-demo", "/keys/rotating"),
            json!({"properties": {"kty": "RSA", "rotationPolicy": policy, "attributes": {"exp": exp}}}),
        )
        .await;
    assert_eq!(s, 200, "{k}");
    let (s, read) = e.get(&vault_path("kv-acr-demo", "/keys/rotating")).await;
    assert_eq!(s, 200);
    assert_eq!(read["properties"]["rotationPolicy"], policy, "{read}");
    assert_eq!(read["properties"]["attributes"]["exp"], exp);
    let typed: acr_cmk_domain::key::ArmKey = serde_json::from_value(read).unwrap();
    assert!(typed.properties.rotation_policy.unwrap().lifetime_actions[0].is_rotate());
    // Versions carry their expiry, not the key's policy.
    let (_, versions) = e.get(&vault_path("kv-acr-demo", "/keys/rotating/versions")).await;
    let v = &versions["value"][0];
    assert_eq!(v["properties"]["attributes"]["exp"], exp, "{v}");
    assert!(v["properties"].get("rotationPolicy").is_none(), "{v}");
    // A key without a policy has none.
    let (_, plain) = e.get(&vault_path("kv-acr-demo", "/keys/acr-cmk-key")).await;
    assert!(plain["properties"].get("rotationPolicy").is_none(), "{plain}");
}
