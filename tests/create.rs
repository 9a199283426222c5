//! Issue 11: "New registry with a customer-managed key" in headless Chromium
//! against the emulator — the whole flow with everything new (identity, vault
//! with access policies, key) ending on the new registry's page with its
//! diagnosis green and its data plane answering 200, checked against what the
//! emulator's ARM holds and counted; and the refusals of a taken name and an EC key.

mod support;

use std::time::Instant;

use http::Method;
use serde_json::{json, Value};
use support::world::{vault_id, DEMO_RESOURCE_GROUP, DEMO_SUBSCRIPTION};
use support::{arm, probe, requests, Browser};

const GROUP: &str = "rg-cmk-flow";
const NAME: &str = "contosoflow";

/// A screenshot of the page as it is, light and dark (`create-{step}-{scheme}`), and axe's
/// WCAG 2.1 A/AA violations in each scheme (none expected).
async fn both_schemes(b: &Browser, step: &str) {
    for scheme in ["light", "dark"] {
        b.emulate_color_scheme(scheme).await;
        b.screenshot(&format!("create-{step}-{scheme}")).await;
        // The run moves on while axe looks: its page is checked once it has settled (at Finish).
        if step != "run" {
            let violations = b.axe_violations("document").await;
            assert_eq!(violations, json!([]), "axe on {step} ({scheme}): {violations:#}");
        }
    }
    b.emulate_color_scheme("light").await;
}

/// Signed in, write mode on, the flow opened from the registries page.
async fn open_flow(b: &Browser) {
    b.demo_sign_in().await;
    assert!(!b.is_present("new-cmk-registry").await, "the flow is offered in write mode only");
    b.click("write-mode").await;
    b.click("new-cmk-registry").await;
    b.wait_for("create-step-basics").await;
}

async fn next(b: &Browser, step: &str) {
    b.click("create-next").await;
    b.wait_for(&format!("create-step-{step}")).await;
}

#[tokio::test]
async fn a_new_identity_vault_and_key_end_on_a_green_registry_page() {
    let b = Browser::start().await;
    open_flow(&b).await;

    // Basics.
    b.click("create-group-new").await;
    b.type_into("create-group-name", GROUP).await;
    b.select("create-location", "westeurope").await;
    b.type_into("create-name", NAME).await;
    assert!(b.wait_text("create-name-status", "is available").await.contains("contosoflow.azurecr.io"));
    assert!(b.text_of("create-sku").await.contains("Premium"));
    both_schemes(&b, "basics").await;
    next(&b, "identity").await;

    // Identity: a new one (the default), its ids known once created.
    assert_eq!(b.wait_for("create-identity-name").await.prop("value").await.unwrap().as_deref(), Some("id-contosoflow"));
    both_schemes(&b, "identity").await;
    next(&b, "vault").await;

    // Key vault: a new one with access policies (the defaults).
    assert_eq!(b.wait_for("create-vault-name").await.prop("value").await.unwrap().as_deref(), Some("kv-contosoflow"));
    assert!(b.wait_for("create-vault-policy").await.is_selected().await.unwrap());
    both_schemes(&b, "vault").await;
    next(&b, "access").await;

    // Access: an access policy add naming the principal id, still a placeholder.
    b.wait_for("create-access-grant").await;
    assert!(b.text_of("preview-url").await.ends_with("/vaults/kv-contosoflow/accessPolicies/add?api-version=2025-05-01"));
    assert!(b.text_of("preview-body").await.contains("principal id: known once the identity is created"));
    both_schemes(&b, "access").await;
    next(&b, "key").await;

    // Key: a new 3072-bit RSA key, versionless.
    assert_eq!(b.wait_for("create-key-name").await.prop("value").await.unwrap().as_deref(), Some("key-contosoflow"));
    assert!(b.wait_for("create-rotation-versionless").await.is_selected().await.unwrap());
    both_schemes(&b, "key").await;
    next(&b, "review").await;

    // Review: every check passes, six requests, the az script.
    for check in ["identity", "access", "key", "firewall", "recovery", "version"] {
        assert_eq!(b.state_of(&format!("check-{check}"), &["pass"]).await, "pass", "check {check}");
    }
    let planned = b.texts_of_at_least("preview-method", 6).await;
    assert_eq!(planned, vec!["PUT"; 6], "six PUTs: group, identity, vault, policy, key, registry");
    let script = b.text_of("create-az-script").await;
    for line in [
        "az group create --name rg-cmk-flow --location westeurope",
        "az keyvault create --name kv-contosoflow --resource-group rg-cmk-flow --location westeurope --enable-purge-protection --enable-rbac-authorization false",
        "--identity \"$identityID\" --key-encryption-key \"$keyID\"",
    ] {
        assert!(script.contains(line), "{line}\n{script}");
    }
    let download = b.wait_for("create-az-download").await.attr("href").await.unwrap().unwrap();
    assert!(download.starts_with("data:text/x-shellscript") && download.contains("az%20acr%20create"), "{download}");
    both_schemes(&b, "review").await;

    b.reset_arm_requests().await;
    let started = Instant::now();
    b.click("create-start").await;
    b.wait_for("create-step-run").await;
    both_schemes(&b, "run").await;
    b.wait_for("create-step-finish").await;
    let took = started.elapsed();
    let stats = b.arm_requests().await;
    // Six PUTs, four lookups (identity, vault, key, registry: each found absent), the operation's polls.
    assert_eq!(requests::count(&stats, |r| r.starts_with("PUT")), 6, "{stats:#}");
    assert_eq!(requests::count(&stats, |r| r.starts_with("GET") && !r.contains("operationStatuses")), 4, "{stats:#}");
    println!("a full run took {:.2} s against the loopback emulator; requests: {stats:#}", took.as_secs_f64());
    // Each resource was written exactly once; lookups are GETs.
    for (what, route) in [
        ("resource group", "PUT /subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}"),
        ("identity", "PUT /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}"),
        ("access policy", "PUT /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults/{vaultName}/accessPolicies/{operationKind}"),
        ("key", "PUT /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults/{vaultName}/keys/{keyName}"),
        ("registry", "PUT /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}"),
    ] {
        assert_eq!(requests::count(&stats, |r| r == route), 1, "{what} written once: {stats:#}");
    }
    assert_eq!(requests::count(&stats, |r| r.starts_with("PUT") && r.ends_with("/vaults/{vaultName}")), 1, "vault written once: {stats:#}");
    both_schemes(&b, "finish").await;

    // ARM holds what was asked: the client id in the registry, the principal id in the policy.
    let identity = arm::get(&b, &format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-contosoflow?api-version=2024-11-30")).await;
    let registry = arm::get(&b, &format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.ContainerRegistry/registries/{NAME}?api-version=2025-04-01")).await;
    let kvp = &registry["properties"]["encryption"]["keyVaultProperties"];
    assert_eq!(kvp["identity"], identity["properties"]["clientId"]);
    assert_eq!(kvp["keyIdentifier"], "https://kv-contosoflow.vault.azure.net/keys/key-contosoflow");
    assert_eq!(kvp["keyRotationEnabled"], true);
    assert_eq!(registry["sku"]["name"], "Premium");
    let vault = arm::get(&b, &format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.KeyVault/vaults/kv-contosoflow?api-version=2025-05-01")).await;
    assert_eq!(vault["properties"]["enablePurgeProtection"], true);
    assert_eq!(vault["properties"]["accessPolicies"][0]["objectId"], identity["properties"]["principalId"]);

    b.click("create-open-registry").await;
    assert_eq!(b.text_of("registry-name").await, NAME);
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "ok");
    assert_eq!(probe::status(&b, NAME).await, 200);
    b.screenshot("create-registry-page").await;
    // The run's lookups find nothing (that is how it knows to create): Chromium logs those 404s.
    b.assert_clean_log(&[
        "userAssignedIdentities/id-contosoflow?api-version=2024-11-30",
        "vaults/kv-contosoflow?api-version=2025-05-01",
        "keys/key-contosoflow?api-version=2025-05-01",
        "registries/contosoflow?api-version=2025-04-01",
    ])
    .await;
}

#[tokio::test]
async fn a_taken_name_and_an_ec_key_are_refused_with_the_reason() {
    let b = Browser::start().await;
    // An EC key in the demo vault, made beside the browser.
    let ec = format!("{}/keys/ec-flow?api-version=2025-05-01", vault_id("kv-acr-demo"));
    let (status, body) =
        arm::send(&b, Method::PUT, &ec, &b.emulator.demo_token(), Some(json!({"properties": {"kty": "EC", "curveName": "P-256"}}))).await;
    assert_eq!(status, 200, "{body}");
    open_flow(&b).await;

    b.click("create-group-existing").await;
    b.select("create-group-select", "rg-acr-demo").await;
    b.type_into("create-name", "ContosoProd").await;
    assert_eq!(b.state_of("create-name-status", &["taken"]).await, "taken");
    assert!(b.text_of("create-name-status").await.contains("already in use"));
    assert!(!b.wait_for("create-next").await.is_enabled().await.unwrap(), "Next stays off for a taken name");
    both_schemes(&b, "refused-name").await;

    b.type_into("create-name", "contosoecflow").await;
    assert_eq!(b.state_of("create-name-status", &["available"]).await, "available");
    next(&b, "identity").await;
    b.click("create-identity-existing").await;
    let identity = format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourcegroups/{DEMO_RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-cmk");
    b.select("create-identity-select", &identity).await;
    let client = b.text_of("create-identity-client").await;
    let principal = b.text_of("create-identity-principal").await;
    assert_ne!(client, principal, "both ids shown, and they differ");
    next(&b, "vault").await;
    b.click("create-vault-existing").await;
    b.select("create-vault-select", &vault_id("kv-acr-demo")).await;
    assert_eq!(b.text_of("create-vault-purge").await, "on");
    assert_eq!(b.text_of("create-vault-model").await, "Access policies");
    next(&b, "access").await;
    // id-acr-cmk already holds get/wrapKey/unwrapKey on kv-acr-demo.
    assert!(b.text_of("create-access-skipped").await.contains("already grants"));
    next(&b, "key").await;
    b.click("create-key-existing").await;
    b.select("create-key-select", "ec-flow").await;
    let refusal = b.text_of("create-key-refusal").await;
    assert!(refusal.contains("InvalidKeyType") && refusal.contains("only RSA or RSA-HSM"), "{refusal}");
    assert!(!b.wait_for("create-next").await.is_enabled().await.unwrap(), "Next stays off for an EC key");
    both_schemes(&b, "refused-ec-key").await;
    let stats: Value = b.arm_requests().await;
    assert_eq!(requests::count(&stats, |r| r.starts_with("PUT") && r.contains("registries")), 0, "nothing was created: {stats:#}");
    b.assert_clean_log(&[]).await;
}

/// Basics to Review with everything new and the defaults, as a user who only names things.
async fn all_new_to_review(b: &Browser, group: &str, name: &str) {
    b.click("create-group-new").await;
    b.type_into("create-group-name", group).await;
    b.type_into("create-name", name).await;
    assert_eq!(b.state_of("create-name-status", &["available"]).await, "available");
    for step in ["identity", "vault", "access", "key", "review"] {
        next(b, step).await;
    }
    assert_eq!(b.state_of("check-access", &["pass"]).await, "pass");
}

#[tokio::test]
async fn a_500_on_the_key_then_retry_from_here_makes_nothing_twice() {
    let b = Browser::start().await;
    open_flow(&b).await;
    all_new_to_review(&b, "rg-cmk-retry", "contosoretry").await;
    support::faults::add(
        &b,
        json!({"method": "PUT", "pathContains": "/keys/key-contosoretry", "kind": "status", "status": 500, "times": 1}),
    )
    .await;
    b.reset_arm_requests().await;
    b.click("create-start").await;

    // The key step fails with ARM's code; what ran stays done, what follows stays pending.
    assert_eq!(b.state_of("run-step-key", &["failed"]).await, "failed");
    assert!(b.text_of("run-step-error").await.contains("InternalServerError"));
    for done in ["group", "identity", "vault", "access"] {
        assert_eq!(b.state_of(&format!("run-step-{done}"), &["done"]).await, "done", "{done}");
    }
    assert_eq!(b.state_of("run-step-registry", &["pending"]).await, "pending");
    both_schemes(&b, "run-failed").await;

    b.click("run-retry").await;
    b.wait_for("create-step-finish").await;
    let stats = b.arm_requests().await;
    let puts = |needle: &'static str| requests::count(&stats, move |r| r.starts_with("PUT") && r.ends_with(needle));
    // The retry started at the key: nothing before it was sent again.
    assert_eq!(puts("/resourcegroups/{resourceGroupName}"), 1, "{stats:#}");
    assert_eq!(puts("/userAssignedIdentities/{resourceName}"), 1, "{stats:#}");
    assert_eq!(puts("/vaults/{vaultName}"), 1, "{stats:#}");
    assert_eq!(puts("/accessPolicies/{operationKind}"), 1, "{stats:#}");
    assert_eq!(puts("/keys/{keyName}"), 2, "the refused PUT and the retried one: {stats:#}");
    assert_eq!(puts("/registries/{registryName}"), 1, "{stats:#}");
    // And ARM holds one key with one version, one policy entry, one registry.
    let vault =
        format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourceGroups/rg-cmk-retry/providers/Microsoft.KeyVault/vaults/kv-contosoretry");
    let versions = arm::get(&b, &format!("{vault}/keys/key-contosoretry/versions?api-version=2025-05-01")).await;
    assert_eq!(versions["value"].as_array().map(Vec::len), Some(1), "{versions:#}");
    let policies = arm::get(&b, &format!("{vault}?api-version=2025-05-01")).await;
    assert_eq!(policies["properties"]["accessPolicies"].as_array().map(Vec::len), Some(1));
    assert_eq!(probe::status(&b, "contosoretry").await, 200);
    b.assert_clean_log(&[
        "status of 500",
        "userAssignedIdentities/id-contosoretry?api-version=2024-11-30",
        "vaults/kv-contosoretry?api-version=2025-05-01",
        "keys/key-contosoretry?api-version=2025-05-01",
        "registries/contosoretry?api-version=2025-04-01",
    ])
    .await;
}

#[tokio::test]
async fn deploy_as_a_template_ends_on_a_green_registry_page() {
    const GROUP: &str = "rg-cmk-template";
    const NAME: &str = "contosotemplate";
    let b = Browser::start().await;
    open_flow(&b).await;
    all_new_to_review(&b, GROUP, NAME).await;

    // The four exports, each shown on demand with Copy and Download.
    assert!(b.text_of("create-az-script").await.contains("az acr create"), "the az script is shown first");
    for (kind, media, needle) in [
        ("arm", "data:application/json", "\"type\": \"Microsoft.KeyVault/vaults/accessPolicies\""),
        ("bicep", "data:text/plain", "resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01'"),
        ("terraform", "data:text/plain", "resource \"azurerm_container_registry\" \"registry\""),
    ] {
        b.click(&format!("create-export-{kind}")).await;
        let text = b.wait_text(&format!("create-{kind}-script"), needle).await;
        assert!(text.contains(NAME), "{kind} names the registry: {text}");
        let href = b.wait_for(&format!("create-{kind}-download")).await.attr("href").await.unwrap().unwrap();
        assert!(href.starts_with(media), "{kind}: {href}");
    }
    b.click("create-export-arm").await;
    let template: Value = serde_json::from_str(&b.text_of("create-arm-script").await).expect("the ARM template is JSON");
    assert_eq!(template["resources"].as_array().map(Vec::len), Some(5), "identity, vault, policy, key, registry");
    // The screenshots show the exports (the viewport stays where the last click left it).
    b.js("document.querySelector('[data-testid=create-export-arm]').scrollIntoView({block: 'start'})").await;
    both_schemes(&b, "review-exports").await;

    // The parameters first, editable and checked before anything is sent.
    b.reset_arm_requests().await;
    b.click("create-deploy-template").await;
    b.wait_for("create-step-parameters").await;
    assert_eq!(b.wait_for("deploy-param-registryName").await.prop("value").await.unwrap().as_deref(), Some(NAME));
    both_schemes(&b, "deploy-parameters").await;
    b.type_into("deploy-param-registryName", " ").await;
    b.click("deploy-start").await;
    let refused = b.text_of("deploy-parameter-error").await;
    assert!(refused.contains("Parameter 'registryName' needs a value."), "{refused}");
    assert_eq!(requests::count(&b.arm_requests().await, |r| !r.starts_with("GET")), 0, "a refused form sends nothing");
    b.type_into("deploy-param-registryName", NAME).await;
    b.select("deploy-param-keySize", "3072").await;

    b.reset_arm_requests().await;
    let started = Instant::now();
    b.click("deploy-start").await;
    b.wait_for("create-step-finish").await;
    let took = started.elapsed();
    let stats = b.arm_requests().await;
    println!("a template deployment took {:.2} s against the loopback emulator; requests: {stats:#}", took.as_secs_f64());
    let deployments = "/providers/Microsoft.Resources/deployments/{deploymentName}";
    assert_eq!(requests::count(&stats, |r| r.starts_with("PUT") && r.ends_with("/resourcegroups/{resourceGroupName}")), 1, "{stats:#}");
    assert_eq!(requests::count(&stats, |r| r.starts_with("POST") && r.ends_with(&format!("{deployments}/validate"))), 1, "{stats:#}");
    assert_eq!(requests::count(&stats, |r| r.starts_with("PUT") && r.ends_with(deployments)), 1, "one deployment: {stats:#}");
    // The deployment sent each resource once, through the same routes as a direct PUT.
    for needle in [
        "/userAssignedIdentities/{resourceName}",
        "/vaults/{vaultName}",
        "/accessPolicies/{operationKind}",
        "/keys/{keyName}",
        "/registries/{registryName}",
    ] {
        assert_eq!(requests::count(&stats, |r| r.starts_with("PUT") && r.ends_with(needle)), 1, "{needle}: {stats:#}");
    }
    let group = format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourceGroups/{GROUP}");
    // The deployment's operations, every page: one per resource, all succeeded.
    let mut page = format!("{group}/providers/Microsoft.Resources/deployments/acr-cmk-{NAME}/operations?api-version=2024-03-01");
    let mut states = Vec::new();
    loop {
        let ops = arm::get(&b, &page).await;
        states.extend(ops["value"].as_array().unwrap().iter().map(|o| o["properties"]["provisioningState"].clone()));
        match ops["nextLink"].as_str() {
            Some(next) => page = next[next.find("/subscriptions/").unwrap()..].to_string(),
            None => break,
        }
    }
    assert_eq!(states, vec![json!("Succeeded"); 5]);
    let identity =
        arm::get(&b, &format!("{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-{NAME}?api-version=2024-11-30")).await;
    let registry = arm::get(&b, &format!("{group}/providers/Microsoft.ContainerRegistry/registries/{NAME}?api-version=2025-04-01")).await;
    assert_eq!(registry["properties"]["encryption"]["keyVaultProperties"]["identity"], identity["properties"]["clientId"]);
    // The edited parameter reached the key.
    let key = arm::get(&b, &format!("{group}/providers/Microsoft.KeyVault/vaults/kv-{NAME}/keys/key-{NAME}?api-version=2025-05-01")).await;
    assert_eq!(key["properties"]["keySize"], 3072, "{key}");

    b.click("create-open-registry").await;
    assert_eq!(b.text_of("registry-name").await, NAME);
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "ok");
    assert_eq!(probe::status(&b, NAME).await, 200);
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_failing_resource_ends_the_deployment_with_arms_deployment_failed_details() {
    const NAME: &str = "contosodeployfail";
    let b = Browser::start().await;
    open_flow(&b).await;
    all_new_to_review(&b, "rg-cmk-deployfail", NAME).await;
    // The registry's PUT inside the deployment fails once: ARM ends the deployment Failed.
    support::faults::add(
        &b,
        json!({"method": "PUT", "pathContains": format!("/registries/{NAME}"), "kind": "status", "status": 500, "times": 1}),
    )
    .await;
    b.click("create-deploy-template").await;
    b.click("deploy-start").await;
    let error = b.text_of("deploy-error").await;
    assert!(error.contains("DeploymentFailed"), "ARM's code is shown: {error}");
    let details = b.text_of("deploy-error-details").await;
    assert!(!details.is_empty(), "each failed resource's code and message");
    assert_eq!(b.wait_for("deploy-phase").await.attr("data-state").await.unwrap().as_deref(), Some("failed"));
    let failed_ops = b.js("return [...document.querySelectorAll('[data-testid=deploy-operation][data-state=Failed]')].length;").await;
    assert_eq!(failed_ops, json!(1), "the registry's operation failed, the others succeeded");
    let op_error = b.text_of("deploy-operation-error").await;
    assert!(op_error.starts_with("InternalServerError:"), "the failed operation's own error: {op_error}");
    both_schemes(&b, "deploy-failed").await;
    // Back to Review keeps the choices.
    b.click("deploy-back").await;
    b.wait_for("create-start").await;
    b.assert_clean_log(&["/deployments/"]).await;
}

/// A run that fails part-way (a 500 on the registry's PUT), then "Remove what this run created":
/// only what the run made is deleted (the access policy it added, the identity), newest first, after
/// the registry's name is typed; the group, the vault, its other policies and the key the run made
/// (ARM cannot delete keys: the dialog says so and gives the `az` command) stay.
#[tokio::test]
async fn remove_what_a_failed_run_created_leaves_what_existed() {
    const NAME: &str = "contosoundo";
    let b = Browser::start().await;
    open_flow(&b).await;
    b.click("create-group-existing").await;
    b.select("create-group-select", DEMO_RESOURCE_GROUP).await;
    b.type_into("create-name", NAME).await;
    assert_eq!(b.state_of("create-name-status", &["available"]).await, "available");
    next(&b, "identity").await;
    next(&b, "vault").await;
    b.click("create-vault-existing").await;
    b.select("create-vault-select", &vault_id("kv-acr-demo")).await;
    for step in ["access", "key", "review"] {
        next(&b, step).await;
    }
    assert_eq!(b.state_of("check-access", &["pass"]).await, "pass");
    let policies_before = arm::vault(&b, "kv-acr-demo").await.properties.access_policies;
    support::faults::add(
        &b,
        json!({"method": "PUT", "pathContains": "/registries/contosoundo", "kind": "status", "status": 500, "times": 1}),
    )
    .await;
    b.click("create-start").await;
    assert_eq!(b.state_of("run-step-registry", &["failed"]).await, "failed");
    for done in ["identity", "access", "key"] {
        assert_eq!(b.state_of(&format!("run-step-{done}"), &["done"]).await, "done", "{done}");
    }

    b.click("create-remove-open").await;
    b.wait_for("removal-dialog").await;
    // Newest first: the grant, then the identity. Nothing for the group, the vault or the registry.
    assert_eq!(b.texts_of_at_least("preview-method", 2).await, vec!["PUT", "DELETE"]);
    let urls = b.texts_of_at_least("preview-url", 2).await;
    assert!(urls[0].ends_with("/vaults/kv-acr-demo/accessPolicies/remove?api-version=2025-05-01"), "{urls:?}");
    assert!(urls[1].ends_with("/userAssignedIdentities/id-contosoundo?api-version=2024-11-30"), "{urls:?}");
    assert!(b.is_present("removal-step-access").await && b.is_present("removal-step-identity").await);
    let left = b.text_of("removal-left").await;
    assert!(left.contains("Key 'key-contosoundo' stays in vault 'kv-acr-demo'") && left.contains("no DELETE for keys"), "{left}");
    assert!(left.contains("az keyvault key delete --vault-name kv-acr-demo --name key-contosoundo"), "{left}");
    assert!(left.contains("Resource group 'rg-acr-demo' existed before this run"), "{left}");
    // The typed confirmation: the registry's name, exactly.
    assert!(!b.wait_for("removal-confirm").await.is_enabled().await.unwrap());
    b.type_into("confirm-phrase", "contosound").await;
    assert!(!b.wait_for("removal-confirm").await.is_enabled().await.unwrap(), "a wrong name keeps Delete off");
    b.type_into("confirm-phrase", NAME).await;
    assert!(b.wait_for("removal-confirm").await.is_enabled().await.unwrap());
    both_schemes(&b, "remove-confirm").await;

    b.reset_arm_requests().await;
    b.click("removal-confirm").await;
    b.wait_for("removal-done").await;
    for step in ["access", "identity"] {
        assert_eq!(b.state_of(&format!("removal-step-{step}"), &["done"]).await, "done", "{step}");
    }
    both_schemes(&b, "remove-done").await;
    let stats = b.arm_requests().await;
    assert_eq!(requests::count(&stats, |r| r.starts_with("PUT") && r.ends_with("/accessPolicies/{operationKind}")), 1, "{stats:#}");
    assert_eq!(requests::count(&stats, |r| r.starts_with("DELETE")), 1, "only the identity is deleted: {stats:#}");
    assert_eq!(requests::count(&stats, |r| r.starts_with("DELETE") && r.ends_with("/userAssignedIdentities/{resourceName}")), 1);

    // ARM: what the run made is gone, what existed is as it was.
    let token = b.emulator.demo_token();
    let group = format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourceGroups/{DEMO_RESOURCE_GROUP}");
    let identity = format!("{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-contosoundo?api-version=2024-11-30");
    assert_eq!(arm::send(&b, Method::GET, &identity, &token, None).await.0, 404, "the identity the run made is deleted");
    let registry = format!("{group}/providers/Microsoft.ContainerRegistry/registries/{NAME}?api-version=2025-04-01");
    assert_eq!(arm::send(&b, Method::GET, &registry, &token, None).await.0, 404, "the registry was never made");
    assert_eq!(arm::vault(&b, "kv-acr-demo").await.properties.access_policies, policies_before, "the vault's policies as before the run");
    arm::get(&b, &format!("{}/keys/key-contosoundo?api-version=2025-05-01", vault_id("kv-acr-demo"))).await;
    arm::get(&b, &format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourcegroups/{DEMO_RESOURCE_GROUP}?api-version=2022-12-01")).await;
    assert_eq!(arm::registry(&b, "contosoprod").await.name, "contosoprod");
    assert_eq!(probe::status(&b, "contosoprod").await, 200, "the demo's CMK registry still reaches its key");

    // Nothing is left to offer, and the run is not to be retried on top of what is gone.
    b.click("removal-close").await;
    assert!(!b.is_present("create-remove-open").await);
    assert!(!b.is_present("run-retry").await);
    b.assert_clean_log(&[
        "status of 500",
        "userAssignedIdentities/id-contosoundo?api-version=2024-11-30",
        "keys/key-contosoundo?api-version=2025-05-01",
        "registries/contosoundo?api-version=2025-04-01",
    ])
    .await;
}

/// contosodev (Standard, no CMK): its page says CMK cannot be added and links the creation flow
/// pre-filled from it; the flow's Basics hold its subscription, group and location and the name
/// `contosodevcmk`, and the image-copy script names its login server and the new name.
#[tokio::test]
async fn a_registry_without_cmk_leads_to_the_flow_pre_filled_and_an_import_script() {
    let b = Browser::start().await;
    b.demo_sign_in_at(&support::world::registry_path("contosodev")).await;
    let note = b.wait_text("cmk-way-out", "cannot be added to an existing registry").await;
    assert!(note.contains("az acr import"), "{note}");
    both_schemes(&b, "way-out-registry").await;
    b.click("write-mode").await;
    b.click("cmk-way-out-create").await;
    b.wait_for("create-step-basics").await;
    assert!(b.path_now().await.starts_with("/create"), "{}", b.path_now().await);

    let old = arm::registry(&b, "contosodev").await;
    b.wait_text("create-prefilled", "contosodev.azurecr.io").await;
    assert_eq!(b.wait_for("create-name").await.prop("value").await.unwrap().as_deref(), Some("contosodevcmk"));
    assert_eq!(b.state_of("create-name-status", &["available"]).await, "available");
    assert!(b.wait_for("create-group-existing").await.is_selected().await.unwrap());
    assert_eq!(b.wait_for("create-group-select").await.prop("value").await.unwrap().as_deref(), Some(DEMO_RESOURCE_GROUP));
    assert_eq!(b.wait_for("create-location").await.prop("value").await.unwrap().as_deref(), Some(old.location.as_str()));
    assert_eq!(b.wait_for("create-subscription").await.prop("value").await.unwrap().as_deref(), Some(DEMO_SUBSCRIPTION));

    let script = b.text_of("create-import-script").await;
    for line in [
        "source_login_server='contosodev.azurecr.io'",
        "target_name='contosodevcmk'",
        &format!("source_id='{}'", support::world::registry_id("contosodev")),
        r#"    az acr import --name "$target_name" --registry "$source_id" --source "$repo:$tag" --image "$repo:$tag" --force"#,
    ] {
        assert!(script.lines().any(|l| l == line), "{line}\n{script}");
    }
    let href = b.wait_for("create-import-download").await.attr("href").await.unwrap().unwrap();
    assert!(href.starts_with("data:text/x-shellscript") && href.contains("az%20acr%20import"), "{href}");
    // The script follows the name the user settles on.
    b.type_into("create-name", "contosodevnew").await;
    b.wait_text("create-import-script", "target_name='contosodevnew'").await;
    both_schemes(&b, "from-contosodev").await;
    b.js("document.querySelector('[data-testid=create-copy-images]').scrollIntoView({block: 'start'})").await;
    both_schemes(&b, "from-contosodev-script").await;
    b.assert_clean_log(&[]).await;
}

/// A finished run with everything new, then "Remove what this run created" from Finish: the
/// registry's deletion followed as a long-running operation, the vault soft-deleted (ARM lists it
/// among the deleted vaults), the identity deleted, and the group, listed first and found empty, deleted.
#[tokio::test]
async fn remove_what_a_finished_run_created_down_to_its_empty_group() {
    const GROUP: &str = "rg-cmk-gone";
    const NAME: &str = "contosogone";
    let b = Browser::start().await;
    open_flow(&b).await;
    all_new_to_review(&b, GROUP, NAME).await;
    b.click("create-start").await;
    b.wait_for("create-step-finish").await;

    b.click("create-remove-open").await;
    assert_eq!(b.texts_of_at_least("preview-method", 4).await, vec!["DELETE"; 4], "registry, vault, identity, group");
    let left = b.text_of("removal-left").await;
    assert!(left.contains("Key 'key-contosogone' goes with vault 'kv-contosogone'"), "{left}");
    b.type_into("confirm-phrase", NAME).await;
    b.reset_arm_requests().await;
    b.click("removal-confirm").await;
    b.wait_for("removal-done").await;
    for step in ["registry", "vault", "identity", "group"] {
        assert_eq!(b.state_of(&format!("removal-step-{step}"), &["done"]).await, "done", "{step}");
    }
    let stats = b.arm_requests().await;
    assert_eq!(requests::count(&stats, |r| r.starts_with("DELETE")), 4, "{stats:#}");
    assert!(requests::count(&stats, |r| r.contains("operationStatuses")) >= 1, "the registry's deletion is followed: {stats:#}");
    assert_eq!(requests::count(&stats, |r| r.starts_with("GET") && r.ends_with("/resources")), 1, "the group is listed first: {stats:#}");
    assert_eq!(requests::count(&stats, |r| r.starts_with("PUT")), 0, "no access-policy request: the vault takes its policies: {stats:#}");

    let token = b.emulator.demo_token();
    let group = format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourcegroups/{GROUP}?api-version=2022-12-01");
    assert_eq!(arm::send(&b, Method::GET, &group, &token, None).await.0, 404, "the group is deleted");
    let deleted =
        arm::get(&b, &format!("/subscriptions/{DEMO_SUBSCRIPTION}/providers/Microsoft.KeyVault/deletedVaults?api-version=2025-05-01"))
            .await;
    assert!(deleted.to_string().contains("kv-contosogone"), "the vault is soft-deleted, recoverable: {deleted:#}");
    assert_eq!(arm::registry(&b, "contosoprod").await.name, "contosoprod");
    b.click("removal-close").await;
    assert!(!b.is_present("create-remove-open").await);
    assert!(!b.is_present("create-open-registry").await, "no link to a deleted registry");
    b.assert_clean_log(&[
        "userAssignedIdentities/id-contosogone?api-version=2024-11-30",
        "vaults/kv-contosogone?api-version=2025-05-01",
        "keys/key-contosogone?api-version=2025-05-01",
        "registries/contosogone?api-version=2025-04-01",
    ])
    .await;
}

#[tokio::test]
async fn an_existing_rbac_vault_and_pinned_key_after_a_firewalled_and_an_unprotected_vault_are_refused() {
    const NAME: &str = "contosorbacflow";
    let b = Browser::start().await;
    // Two vaults made beside the browser: one without purge protection, one behind a closed firewall.
    let demo = arm::get(&b, &format!("{}?api-version=2025-05-01", vault_id("kv-acr-demo"))).await;
    for (vault, extra) in [
        ("kv-nopurge", json!({})), // purge protection left unset: off (ARM refuses an explicit false)
        ("kv-walled", json!({"enablePurgeProtection": true, "networkAcls": {"defaultAction": "Deny", "bypass": "None"}})),
    ] {
        let mut properties = json!({"tenantId": demo["properties"]["tenantId"], "sku": {"family": "A", "name": "standard"},
            "enableSoftDelete": true, "accessPolicies": []});
        properties.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let body = json!({"location": demo["location"], "properties": properties});
        let path = format!("{}?api-version=2025-05-01", vault_id(vault));
        let (status, answer) = arm::send(&b, Method::PUT, &path, &b.emulator.demo_token(), Some(body)).await;
        assert!(status == 200 || status == 201, "{vault}: {status} {answer}");
    }
    open_flow(&b).await;
    b.click("create-group-existing").await;
    b.select("create-group-select", DEMO_RESOURCE_GROUP).await;
    b.type_into("create-name", NAME).await;
    assert_eq!(b.state_of("create-name-status", &["available"]).await, "available");
    next(&b, "identity").await;
    b.click("create-identity-existing").await;
    let identity = format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourcegroups/{DEMO_RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-cmk");
    b.select("create-identity-select", &identity).await;
    next(&b, "vault").await;
    b.click("create-vault-existing").await;

    // A closed firewall: a user-assigned identity is no trusted service; the seed's way is explained.
    b.select("create-vault-select", &vault_id("kv-walled")).await;
    let refusal = b.text_of("create-vault-refusal").await;
    assert!(refusal.contains("FirewallBlocksUserAssignedIdentity") && refusal.contains("system-assigned identity"), "{refusal}");
    assert!(!b.wait_for("create-next").await.is_enabled().await.unwrap(), "Next stays off behind a closed firewall");
    both_schemes(&b, "refused-firewall").await;

    // No purge protection: refused, with the irreversible offer behind the typed vault name.
    b.select("create-vault-select", &vault_id("kv-nopurge")).await;
    assert_eq!(b.text_of("create-vault-purge").await, "off");
    assert!(b.text_of("create-vault-refusal").await.contains("PurgeProtectionRequired"));
    assert!(!b.wait_for("create-purge-confirm").await.is_enabled().await.unwrap(), "confirm needs the name typed");
    b.type_into("create-purge-confirm-text", "kv-nopurge").await;
    b.click("create-purge-confirm").await;
    let deadline = Instant::now() + support::WAIT;
    while b.is_present("create-vault-refusal").await {
        assert!(Instant::now() < deadline, "the refusal stays after consent");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(b.wait_for("create-next").await.is_enabled().await.unwrap(), "consent given: Next is on");

    // The RBAC vault instead, whose role id-acr-cmk already holds, and its existing key pinned to a version.
    b.select("create-vault-select", &vault_id("kv-acr-rbac")).await;
    assert_eq!(b.text_of("create-vault-model").await, "Azure RBAC");
    next(&b, "access").await;
    assert!(b.text_of("create-access-skipped").await.contains("kv-acr-rbac"), "the role is already there");
    next(&b, "key").await;
    b.click("create-key-existing").await;
    b.select("create-key-select", "acr-rbac-key").await;
    b.click("create-rotation-pinned").await;
    next(&b, "review").await;
    assert_eq!(b.state_of("check-access", &["pass"]).await, "pass");
    b.reset_arm_requests().await;
    b.click("create-start").await;
    b.wait_for("create-step-finish").await;
    let stats = b.arm_requests().await;
    assert_eq!(requests::count(&stats, |r| r.starts_with("PUT") && !r.contains("/registries/")), 0, "only the registry is made: {stats:#}");

    let registry = arm::registry(&b, NAME).await;
    let kv = registry.properties.encryption.unwrap().key_vault_properties.unwrap();
    assert!(kv.key_identifier.as_deref().unwrap().starts_with("https://kv-acr-rbac.vault.azure.net/keys/acr-rbac-key/"), "{kv:?}");
    assert_ne!(kv.key_rotation_enabled, Some(true), "pinned: no auto-rotation");
    b.click("create-open-registry").await;
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "ok");
    assert_eq!(probe::status(&b, NAME).await, 200);
    // The run checks the registry is not there yet before it creates it.
    b.assert_clean_log(&["/registries/contosorbacflow?"]).await;
}
