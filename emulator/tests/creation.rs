//! Issue 11: what the "new registry with a customer-managed key" flow asks before
//! and while it creates: name availability, the subscription's locations, and the
//! seed's whole chain from an empty subscription, with the seed's refusals.

mod common;

use std::time::Duration;

use acr_cmk_emulator::Config;
use common::*;
use serde_json::{json, Value};

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const NEW_RG: &str = "rg-cmk-new";
const KV: &str = "2025-05-01";
const MSI: &str = "2024-11-30";
const ENCRYPTION_USER: &str = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

fn check_path(api: &str) -> String {
    format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/checkNameAvailability?api-version={api}")
}

async fn availability(e: &Emu, name: &str) -> Value {
    let (s, body) = e.post(&check_path(ACR), json!({"name": name, "type": "Microsoft.ContainerRegistry/registries"})).await;
    assert_eq!(s, 200, "{body}");
    body
}

#[tokio::test]
async fn name_availability_answers_in_arms_shape() {
    let e = emu().await;
    assert_eq!(availability(&e, "contosofresh").await, json!({"nameAvailable": true}));
    // Registry names are global DNS names: any case, any group or subscription.
    let taken = availability(&e, "ContosoProd").await;
    assert_eq!(taken["nameAvailable"], false);
    assert_eq!(taken["reason"], "AlreadyExists");
    assert!(taken["message"].as_str().unwrap().contains("contosoprod.azurecr.io is already in use"), "{taken}");
    for bad in ["abcd", "bad-name", &"a".repeat(51)] {
        let got = availability(&e, bad).await;
        assert_eq!(got["nameAvailable"], false, "{bad}");
        assert_eq!(got["reason"], "Invalid", "{bad}");
        assert!(got["message"].as_str().unwrap().contains("between 5 and 50"), "{got}");
    }
    // The seed's api-version and the CLI's are served too.
    for api in ["2019-12-01-preview", "2026-09-01-preview"] {
        let (s, body) = e.post(&check_path(api), json!({"name": "contosoprod", "type": "Microsoft.ContainerRegistry/registries"})).await;
        assert_eq!((s.as_u16(), &body["reason"]), (200, &json!("AlreadyExists")), "{api}");
    }
    assert_error(
        &e.post(&check_path(ACR), json!({"name": "contosofresh", "type": "Microsoft.KeyVault/vaults"})).await,
        400,
        "InvalidResourceType",
    );
    let unknown_sub = "/subscriptions/00000000-0000-4000-8000-0000000000ff/providers/Microsoft.ContainerRegistry/checkNameAvailability";
    assert_error(
        &e.post(
            &format!("{unknown_sub}?api-version={ACR}"),
            json!({"name": "contosofresh", "type": "Microsoft.ContainerRegistry/registries"}),
        )
        .await,
        404,
        "SubscriptionNotFound",
    );
}

#[tokio::test]
async fn locations_come_from_the_provider_registration_and_the_subscription() {
    let e = emu().await;
    let (s, provider) = e.get(&format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry?api-version=2025-04-01")).await;
    assert_eq!(s, 200, "{provider}");
    assert_eq!(provider["namespace"], "Microsoft.ContainerRegistry");
    assert_eq!(provider["registrationState"], "Registered");
    let types = provider["resourceTypes"].as_array().unwrap();
    let registries = types.iter().find(|t| t["resourceType"] == "registries").expect("registries type");
    let shown: Vec<&str> = registries["locations"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(shown.contains(&"West Europe") && shown.contains(&"East US 2"), "{shown:?}");
    assert!(registries["apiVersions"].as_array().unwrap().iter().any(|v| v == "2019-12-01-preview"));
    assert!(types.iter().any(|t| t["resourceType"] == "checkNameAvailability"));

    let (s, list) = e.get(&format!("/subscriptions/{SUB}/locations?api-version=2022-12-01")).await;
    assert_eq!(s, 200, "{list}");
    let west = list["value"].as_array().unwrap().iter().find(|l| l["name"] == "westeurope").expect("westeurope");
    assert_eq!(west["displayName"], "West Europe");
    assert_eq!(west["id"], format!("/subscriptions/{SUB}/locations/westeurope"));
    // Every display name the provider lists maps to a location name.
    let names: Vec<&str> = list["value"].as_array().unwrap().iter().map(|l| l["displayName"].as_str().unwrap()).collect();
    assert!(shown.iter().all(|d| names.contains(d)));

    assert_error(
        &e.get(&format!("/subscriptions/{SUB}/providers/Contoso.Nothing?api-version=2025-04-01")).await,
        404,
        "InvalidResourceNamespace",
    );
}

#[tokio::test]
async fn registries_and_groups_only_go_where_the_provider_offers() {
    let e = emu().await;
    let got = e.put(&e.registry_path("contosoatlantis"), json!({"location": "atlantis", "sku": {"name": "Premium"}})).await;
    assert_error(&got, 400, "LocationNotAvailableForResourceType");
    assert!(got.1["error"]["message"].as_str().unwrap().contains("west europe"));
    let group = |g: &str| format!("/subscriptions/{SUB}/resourcegroups/{g}?api-version=2025-04-01");
    assert_error(&e.put(&group("rg-atlantis"), json!({"location": "atlantis"})).await, 400, "LocationNotAvailableForResourceGroup");
    // The display name is accepted and stored as the region's name, as ARM does.
    let (s, g) = e.put(&group(NEW_RG), json!({"location": "West Europe"})).await;
    assert_eq!((s.as_u16(), &g["location"]), (201, &json!("westeurope")), "{g}");
    let (s, _) = e.put(&group(NEW_RG), json!({"location": "westeurope"})).await;
    assert_eq!(s, 200, "a second PUT is idempotent");
}

fn group_path(rest: &str, api: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{NEW_RG}/providers/{rest}?api-version={api}")
}

struct Identity {
    id: String,
    client_id: String,
    principal_id: String,
}

/// The chain up to the key, as the flow sends it: group, identity, vault (`purge`
/// protection or not, firewall open or not), access policy, RSA key.
async fn chain(e: &Emu, vault: &str, purge: bool, firewall_closed: bool) -> (Identity, String) {
    let (s, _) =
        e.put(&format!("/subscriptions/{SUB}/resourcegroups/{NEW_RG}?api-version=2025-04-01"), json!({"location": "westeurope"})).await;
    assert!(s.is_success());
    let (s, made) =
        e.put(&group_path("Microsoft.ManagedIdentity/userAssignedIdentities/id-new-cmk", MSI), json!({"location": "westeurope"})).await;
    assert!(s.is_success(), "{made}");
    let identity = Identity {
        id: made["id"].as_str().unwrap().to_string(),
        client_id: made["properties"]["clientId"].as_str().unwrap().to_string(),
        principal_id: made["properties"]["principalId"].as_str().unwrap().to_string(),
    };
    let mut props =
        json!({"tenantId": TENANT, "sku": {"family": "A", "name": "standard"}, "enableSoftDelete": true, "enableRbacAuthorization": false});
    if purge {
        props["enablePurgeProtection"] = json!(true);
    }
    if firewall_closed {
        props["networkAcls"] = json!({"defaultAction": "Deny", "bypass": "AzureServices"});
    }
    let (s, v) =
        e.put(&group_path(&format!("Microsoft.KeyVault/vaults/{vault}"), KV), json!({"location": "westeurope", "properties": props})).await;
    assert_eq!(s, 200, "{v}");
    let policy = json!({"properties": {"accessPolicies": [{"tenantId": TENANT, "objectId": identity.principal_id, "permissions": {"keys": ["get", "wrapKey", "unwrapKey"]}}]}});
    let (s, p) = e.put(&group_path(&format!("Microsoft.KeyVault/vaults/{vault}/accessPolicies/add"), KV), policy).await;
    assert_eq!(s, 200, "{p}");
    let (s, k) = e
        .put(
            &group_path(&format!("Microsoft.KeyVault/vaults/{vault}/keys/key-cmk"), KV),
            json!({"properties": {"kty": "RSA", "keySize": 3072}}),
        )
        .await;
    assert_eq!(s, 200, "{k}");
    let versionless = k["properties"]["keyUri"].as_str().unwrap().to_string();
    (identity, versionless)
}

fn registry_body(identity: &Identity, key: &str, client: &str) -> Value {
    json!({
        "location": "westeurope",
        "sku": {"name": "Premium"},
        "identity": {"type": "UserAssigned", "userAssignedIdentities": {identity.id.clone(): {}}},
        "properties": {"encryption": {"status": "enabled", "keyVaultProperties": {"keyIdentifier": key, "identity": client}}}
    })
}

async fn poll_to_end(e: &Emu, url: &str) -> Value {
    for _ in 0..20 {
        let (s, body) = e.get(url).await;
        assert_eq!(s, 200, "{body}");
        if body["status"] != "InProgress" {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("operation {url} did not end");
}

#[tokio::test]
async fn the_seed_chain_from_an_empty_group_ends_on_a_readable_registry() {
    let e = emu_with(Config { lro_duration: Duration::from_secs(600), ..Config::default() }).await;
    let (identity, key) = chain(&e, "kv-new-cmk", true, false).await;
    assert!(key.ends_with("/keys/key-cmk"), "versionless: {key}");
    let path = group_path("Microsoft.ContainerRegistry/registries/contosonewcmk", ACR);
    // The seed passes the principal id where the registry wants the client id: refused.
    let wrong = e.put(&path, registry_body(&identity, &key, &identity.principal_id)).await;
    assert_error(&wrong, 400, "IdentityNotAttached");
    let r = e.send(reqwest::Method::PUT, &path, Some(registry_body(&identity, &key, &identity.client_id))).await;
    assert_eq!(r.status(), 201);
    let op = r.headers()["azure-asyncoperation"].to_str().unwrap().to_string();
    assert_eq!(poll_to_end(&e, &op).await["status"], "Succeeded");
    let (s, reg) = e.get(&path).await;
    assert_eq!(s, 200);
    assert_eq!(reg["properties"]["encryption"]["keyVaultProperties"]["keyRotationEnabled"], true);
    assert_eq!(reg["properties"]["encryption"]["keyVaultProperties"]["identity"], identity.client_id);
    assert_eq!(availability(&e, "contosonewcmk").await["reason"], "AlreadyExists");
    let probe = e.client.get(e.url("/_emulator/registries/contosonewcmk/v2/")).send().await.unwrap();
    assert_eq!(probe.status(), 200);
}

#[tokio::test]
async fn a_vault_without_purge_protection_is_refused_until_it_is_enabled() {
    let e = emu().await;
    let (identity, key) = chain(&e, "kv-no-purge", false, false).await;
    let path = group_path("Microsoft.ContainerRegistry/registries/contosonopurge", ACR);
    let got = e.put(&path, registry_body(&identity, &key, &identity.client_id)).await;
    assert_error(&got, 400, "CmkRequiresPurgeProtection");
    assert!(got.1["error"]["message"].as_str().unwrap().contains("kv-no-purge"));
    let (s, _) = e.get(&path).await;
    assert_eq!(s, 404, "nothing was created");
    let (s, v) =
        e.patch(&group_path("Microsoft.KeyVault/vaults/kv-no-purge", KV), json!({"properties": {"enablePurgeProtection": true}})).await;
    assert_eq!(s, 200, "{v}");
    let (s, body) = e.put(&path, registry_body(&identity, &key, &identity.client_id)).await;
    assert_eq!(s, 201, "{body}");
}

#[tokio::test]
async fn a_firewalled_vault_refuses_a_user_assigned_identity_at_creation() {
    let e = emu().await;
    let (identity, key) = chain(&e, "kv-closed", true, true).await;
    let got = e
        .put(&group_path("Microsoft.ContainerRegistry/registries/contosoclosed", ACR), registry_body(&identity, &key, &identity.client_id))
        .await;
    assert_error(&got, 400, "KeyVaultAccessFailed");
    assert!(got.1["error"]["message"].as_str().unwrap().contains("firewall"), "{}", got.1);
}

#[tokio::test]
async fn the_rbac_path_needs_the_encryption_user_role() {
    let e = emu().await;
    let (s, _) =
        e.put(&format!("/subscriptions/{SUB}/resourcegroups/{NEW_RG}?api-version=2025-04-01"), json!({"location": "westeurope"})).await;
    assert!(s.is_success());
    let (_, made) =
        e.put(&group_path("Microsoft.ManagedIdentity/userAssignedIdentities/id-rbac-new", MSI), json!({"location": "westeurope"})).await;
    let identity = Identity {
        id: made["id"].as_str().unwrap().to_string(),
        client_id: made["properties"]["clientId"].as_str().unwrap().to_string(),
        principal_id: made["properties"]["principalId"].as_str().unwrap().to_string(),
    };
    let vault = group_path("Microsoft.KeyVault/vaults/kv-rbac-new", KV);
    let props = json!({"tenantId": TENANT, "sku": {"family": "A", "name": "standard"}, "enablePurgeProtection": true, "enableRbacAuthorization": true});
    let (s, v) = e.put(&vault, json!({"location": "westeurope", "properties": props})).await;
    assert_eq!(s, 200, "{v}");
    let (s, k) = e.put(&group_path("Microsoft.KeyVault/vaults/kv-rbac-new/keys/key-cmk", KV), json!({"properties": {"kty": "RSA"}})).await;
    assert_eq!(s, 200, "{k}");
    let key = k["properties"]["keyUri"].as_str().unwrap().to_string();
    let path = group_path("Microsoft.ContainerRegistry/registries/contosorbacnew", ACR);
    assert_error(&e.put(&path, registry_body(&identity, &key, &identity.client_id)).await, 400, "KeyVaultAccessFailed");
    let vault_id = v["id"].as_str().unwrap();
    let assignment =
        format!("{vault_id}/providers/Microsoft.Authorization/roleAssignments/6d6f636b-0000-4000-8000-00000000f011?api-version=2022-04-01");
    let role = format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{ENCRYPTION_USER}");
    let (s, ra) = e
        .put(
            &assignment,
            json!({"properties": {"roleDefinitionId": role, "principalId": identity.principal_id, "principalType": "ServicePrincipal"}}),
        )
        .await;
    assert_eq!(s, 201, "{ra}");
    let (s, body) = e.put(&path, registry_body(&identity, &key, &identity.client_id)).await;
    assert_eq!(s, 201, "{body}");
}
