//! Issue 11: ARM template deployments (the seed's third way). The console's
//! exported template and the seed's own template deploy through the same
//! routes and seed rules as direct PUTs; a template outside the supported
//! subset is refused with `InvalidTemplate`; a failing resource fails the
//! deployment with `DeploymentFailed` and the resource's error in its details.

mod common;

use std::time::Duration;

use acr_cmk_domain::writes::creation::{
    arm_template, deployment_parameters, plan, Choices, GroupChoice, IdentityChoice, KeyChoice, Outputs, Rotation, VaultChoice,
};
use acr_cmk_emulator::Config;
use common::*;
use serde_json::{json, Value};

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const DEPLOY_API: &str = "2024-03-01";
const KV: &str = "2025-05-01";
const MSI: &str = "2024-11-30";

fn deployment(group: &str, name: &str, rest: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{group}/providers/Microsoft.Resources/deployments/{name}{rest}?api-version={DEPLOY_API}")
}

fn in_group(group: &str, rest: &str, api: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{group}/providers/{rest}?api-version={api}")
}

async fn new_group(e: &Emu, group: &str) {
    let (s, b) =
        e.put(&format!("/subscriptions/{SUB}/resourcegroups/{group}?api-version=2025-04-01"), json!({"location": "westeurope"})).await;
    assert!(s.is_success(), "{b}");
}

fn choices(group: &str, registry: &str, rbac: bool) -> Choices {
    Choices {
        subscription_id: SUB.into(),
        tenant_id: TENANT.into(),
        group: GroupChoice::Existing { name: group.into() },
        location: "westeurope".into(),
        registry_name: registry.into(),
        identity: IdentityChoice::New { name: "id-tpl".into() },
        vault: VaultChoice::New { name: format!("kv-{registry}"), rbac },
        key: KeyChoice::New { name: "key-tpl".into(), size: 2048 },
        rotation: Rotation::Versionless,
        assignment_name: "6d6f636b-0000-4000-8000-00000000d0d0".into(),
    }
}

/// PUTs the deployment and follows its `Azure-AsyncOperation` URL to the end.
async fn deploy(e: &Emu, group: &str, name: &str, template: &Value, parameters: Value) -> Value {
    let body = json!({"properties": {"mode": "Incremental", "template": template, "parameters": parameters}});
    let r = e.send(reqwest::Method::PUT, &deployment(group, name, ""), Some(body)).await;
    let status = r.status();
    let op = r.headers().get("azure-asyncoperation").map(|v| v.to_str().unwrap().to_string());
    let (_, answer) = read(r).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["properties"]["provisioningState"], "Accepted");
    let op = op.expect("an Azure-AsyncOperation URL");
    for _ in 0..200 {
        let (s, st) = e.get(&op).await;
        assert_eq!(s, 200, "{st}");
        if st["status"] != "Running" {
            return st;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("deployment {name} did not end");
}

async fn operations(e: &Emu, group: &str, name: &str) -> Vec<Value> {
    let (s, ops) = e.get(&deployment(group, name, "/operations")).await;
    assert_eq!(s, 200, "{ops}");
    ops["value"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_exported_template_deploys_and_the_registry_uses_the_identitys_client_id() {
    let e = emu_with(Config { lro_duration: Duration::from_secs(600), ..Config::default() }).await;
    for (rbac, group, registry) in [(false, "rg-tpl-policy", "contosotplpolicy"), (true, "rg-tpl-rbac", "contosotplrbac")] {
        new_group(&e, group).await;
        let c = choices(group, registry, rbac);
        let template = arm_template(&c, &plan(&c, &Outputs::default(), 0).unwrap()).unwrap();
        let params = deployment_parameters(&template);

        let (s, validated) = e
            .post(
                &deployment(group, "cmk", "/validate"),
                json!({"properties": {"mode": "Incremental", "template": template, "parameters": params}}),
            )
            .await;
        assert_eq!(s, 200, "{validated}");
        assert_eq!(validated["properties"]["validatedResources"].as_array().unwrap().len(), 5);

        let end = deploy(&e, group, "cmk", &template, params).await;
        assert_eq!(end["status"], "Succeeded", "rbac={rbac}: {end}");
        let (_, d) = e.get(&deployment(group, "cmk", "")).await;
        assert_eq!(d["properties"]["provisioningState"], "Succeeded");

        let ops = operations(&e, group, "cmk").await;
        let types: Vec<&str> = ops.iter().map(|o| o["properties"]["targetResource"]["resourceType"].as_str().unwrap()).collect();
        let grant = if rbac { "Microsoft.Authorization/roleAssignments" } else { "Microsoft.KeyVault/vaults/accessPolicies" };
        assert_eq!(
            types,
            vec![
                "Microsoft.ManagedIdentity/userAssignedIdentities",
                "Microsoft.KeyVault/vaults",
                grant,
                "Microsoft.KeyVault/vaults/keys",
                "Microsoft.ContainerRegistry/registries"
            ],
            "dependsOn order"
        );
        assert!(ops.iter().all(|o| o["properties"]["provisioningState"] == "Succeeded"), "{ops:?}");
        // Where the deployment-operations API is specified (and the SDKs list them): the same list.
        let (s, legacy) =
            e.get(&format!("/subscriptions/{SUB}/resourcegroups/{group}/deployments/cmk/operations?api-version={DEPLOY_API}")).await;
        assert_eq!(s, 200, "{legacy}");
        assert_eq!(legacy["value"], json!(ops));

        // The identity the deployment made, read directly: its client id is what the registry names.
        let (_, identity) = e.get(&in_group(group, "Microsoft.ManagedIdentity/userAssignedIdentities/id-tpl", MSI)).await;
        let client_id = identity["properties"]["clientId"].as_str().unwrap();
        assert_eq!(d["properties"]["outputs"]["identityClientId"]["value"], client_id);
        let (s, reg) = e.get(&in_group(group, &format!("Microsoft.ContainerRegistry/registries/{registry}"), ACR)).await;
        assert_eq!(s, 200, "{reg}");
        let kv = &reg["properties"]["encryption"]["keyVaultProperties"];
        assert_eq!(kv["identity"], client_id);
        // The key's ARM `keyUri` (with ARM's `:443`), versionless.
        assert_eq!(kv["keyIdentifier"], format!("https://kv-{registry}.vault.azure.net:443/keys/key-tpl"));
        assert_eq!(kv["keyRotationEnabled"], true, "versionless");
        let probe = e.client.get(e.url(&format!("/_emulator/registries/{registry}/v2/"))).send().await.unwrap();
        assert_eq!(probe.status(), 200, "the registry reads its key");

        // Deploying it again changes nothing and succeeds (every resource PUT is idempotent or an update).
        let again = deploy(&e, group, "cmk", &template, deployment_parameters(&template)).await;
        assert_eq!(again["status"], "Succeeded", "{again}");
    }
}

fn seed_template() -> Value {
    let path = format!("{}/tests/fixtures/seed-cmk-template.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect("the seed's template is JSON")
}

/// The seed's prerequisites ("create a key vault and a key as in the previous section"): a vault with
/// purge protection and an RSA key; with `identity`, the identity too, already granted access.
async fn seed_prerequisites(e: &Emu, group: &str, vault: &str, identity: Option<&str>) -> String {
    new_group(e, group).await;
    let props = json!({"tenantId": TENANT, "sku": {"family": "A", "name": "standard"}, "enableSoftDelete": true, "enablePurgeProtection": true, "enableRbacAuthorization": false});
    let (s, v) = e
        .put(&in_group(group, &format!("Microsoft.KeyVault/vaults/{vault}"), KV), json!({"location": "westeurope", "properties": props}))
        .await;
    assert_eq!(s, 200, "{v}");
    if let Some(name) = identity {
        let (_, made) = e
            .put(
                &in_group(group, &format!("Microsoft.ManagedIdentity/userAssignedIdentities/{name}"), MSI),
                json!({"location": "westeurope"}),
            )
            .await;
        let policy = json!({"properties": {"accessPolicies": [{"tenantId": TENANT, "objectId": made["properties"]["principalId"], "permissions": {"keys": ["get", "wrapKey", "unwrapKey"]}}]}});
        let (s, p) = e.put(&in_group(group, &format!("Microsoft.KeyVault/vaults/{vault}/accessPolicies/add"), KV), policy).await;
        assert_eq!(s, 200, "{p}");
    }
    let (s, k) = e
        .put(
            &in_group(group, &format!("Microsoft.KeyVault/vaults/{vault}/keys/kek"), KV),
            json!({"properties": {"kty": "RSA", "keySize": 2048}}),
        )
        .await;
    assert_eq!(s, 200, "{k}");
    k["properties"]["keyUriWithVersion"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_seeds_template_deploys_with_its_prerequisites() {
    let e = emu_with(Config { lro_duration: Duration::from_secs(600), ..Config::default() }).await;
    let kek = seed_prerequisites(&e, "rg-seed", "kv-seed", Some("id-seed")).await;
    let params = json!({"vault_name": {"value": "kv-seed"}, "registry_name": {"value": "contososeed"}, "identity_name": {"value": "id-seed"}, "kek_id": {"value": kek}});
    let end = deploy(&e, "rg-seed", "CMKtemplate", &seed_template(), params).await;
    assert_eq!(end["status"], "Succeeded", "{end}");
    let (_, identity) = e.get(&in_group("rg-seed", "Microsoft.ManagedIdentity/userAssignedIdentities/id-seed", MSI)).await;
    let (_, reg) = e.get(&in_group("rg-seed", "Microsoft.ContainerRegistry/registries/contososeed", ACR)).await;
    // The seed writes `KeyIdentifier`; ARM reads property names ignoring case.
    assert_eq!(reg["properties"]["encryption"]["keyVaultProperties"]["keyIdentifier"], kek, "{reg}");
    assert_eq!(reg["properties"]["encryption"]["keyVaultProperties"]["identity"], identity["properties"]["clientId"]);
    let ops = operations(&e, "rg-seed", "CMKtemplate").await;
    assert_eq!(ops.len(), 3);
    assert_eq!(
        ops[0]["properties"]["targetResource"]["resourceType"], "Microsoft.ManagedIdentity/userAssignedIdentities",
        "dependsOn first"
    );
}

#[tokio::test]
async fn a_failing_resource_fails_the_deployment_with_its_error_in_the_details() {
    // The seed's template with a new identity: the registry depends only on the identity, not on
    // the access policy, so it is sent before the grant exists and its key access check fails.
    let e = emu_with(Config { lro_duration: Duration::from_secs(600), ..Config::default() }).await;
    let kek = seed_prerequisites(&e, "rg-race", "kv-race", None).await;
    let params = json!({"vault_name": {"value": "kv-race"}, "registry_name": {"value": "contosorace"}, "identity_name": {"value": "id-race"}, "kek_id": {"value": kek}});
    let end = deploy(&e, "rg-race", "CMKtemplate", &seed_template(), params).await;
    assert_eq!(end["status"], "Failed", "{end}");
    assert_eq!(end["error"]["code"], "DeploymentFailed");
    let detail = &end["error"]["details"][0];
    assert_eq!(detail["code"], "KeyVaultAccessFailed", "{end}");
    let (_, d) = e.get(&deployment("rg-race", "CMKtemplate", "")).await;
    assert_eq!(d["properties"]["provisioningState"], "Failed");
    assert_eq!(d["properties"]["error"]["details"][0]["code"], "KeyVaultAccessFailed");
    let ops = operations(&e, "rg-race", "CMKtemplate").await;
    let failed: Vec<&Value> = ops.iter().filter(|o| o["properties"]["provisioningState"] == "Failed").collect();
    assert_eq!(failed.len(), 1, "{ops:?}");
    assert_eq!(failed[0]["properties"]["targetResource"]["resourceType"], "Microsoft.ContainerRegistry/registries");
    assert_eq!(failed[0]["properties"]["statusCode"], "BadRequest");
    assert_eq!(failed[0]["properties"]["statusMessage"]["error"]["code"], "KeyVaultAccessFailed");
    let (s, _) = e.get(&in_group("rg-race", "Microsoft.ContainerRegistry/registries/contosorace", ACR)).await;
    assert_eq!(s, 404, "a registry that failed its creation does not exist");
}

#[tokio::test]
async fn an_unknown_function_is_refused_naming_the_expression_and_nothing_is_created() {
    let e = emu().await;
    new_group(&e, "rg-guid").await;
    let template = json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [
            {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": MSI, "name": "id-guid", "location": "westeurope"},
            {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "[guid(resourceGroup().id)]",
             "properties": {"roleDefinitionId": "x", "principalId": "y"}},
        ],
    });
    let body = json!({"properties": {"mode": "Incremental", "template": template}});
    for got in
        [e.post(&deployment("rg-guid", "d1", "/validate"), body.clone()).await, e.put(&deployment("rg-guid", "d1", ""), body.clone()).await]
    {
        assert_error(&got, 400, "InvalidTemplate");
        let message = got.1["error"]["message"].as_str().unwrap();
        assert!(message.contains("'guid'") && message.contains("[guid(resourceGroup().id)]"), "{message}");
    }
    let (s, _) = e.get(&in_group("rg-guid", "Microsoft.ManagedIdentity/userAssignedIdentities/id-guid", MSI)).await;
    assert_eq!(s, 404, "nothing is deployed from a template that failed validation");
    assert_error(&e.get(&deployment("rg-guid", "d1", "")).await, 404, "DeploymentNotFound");
}
