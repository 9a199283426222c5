//! End-to-end: the registry page's status and key-access diagnosis in headless
//! Chromium against the emulator — each seeded registry, access revoked and a
//! key version disabled behind the console's back, throttling and failures on
//! reads, keys kept in another subscription's vault (found, or not visible to
//! the user), and the page's look (light, dark) and accessibility (axe-core).
//!
//! Expectations come from the emulator's own ARM answers (and its data-plane
//! probe, which says whether the registry can really reach its key), not from
//! constants copied from the page.

mod support;

use acr_cmk_domain::key_id::KeyId;
use http::Method;
use serde_json::json;
use support::world::{
    registry_id, registry_path, DEMO_CENTRAL_VAULT, DEMO_IDENTITY_PRINCIPAL, DEMO_SECURITY_RESOURCE_GROUP, DEMO_SECURITY_SUBSCRIPTION,
    DEMO_VAULT,
};
use support::{admin, arm, faults, probe, waves, Browser};

const CHECKS: [&str; 6] = ["identity", "access", "key", "firewall", "recovery", "version"];

/// ARM's route template for a registry, as the fault menu matches it.
const REGISTRY_ROUTE: &str =
    "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}";

/// The `data-state` of each diagnosis check, in the page's order.
async fn check_states(b: &Browser) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for name in CHECKS {
        let state = b.wait_for(&format!("check-{name}")).await.attr("data-state").await.unwrap().unwrap_or_default();
        out.push((name.to_string(), state));
    }
    out
}

#[tokio::test]
async fn each_seeded_registry_shows_its_status_and_diagnosis() {
    let b = Browser::start().await;
    b.reset_arm_requests().await;
    b.demo_sign_in_at(&registry_path("contosoprod")).await;

    // contosoprod: pinned key through a user-assigned identity that has an access policy.
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "ok");
    // The diagnosis reads only what this registry needs: one vault list, one list of key
    // versions; no system identity (it is off), no role assignments (access-policy vault).
    let stats = b.arm_requests().await;
    println!("ARM requests opening contosoprod: {stats}");
    assert_eq!(b.requests_to("GET /subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/vaults").await, 1, "{stats}");
    assert_eq!(b.requests_to("/keys/{keyName}/versions").await, 1, "{stats}");
    assert_eq!(b.requests_to("identities/default").await, 0, "{stats}");
    assert_eq!(b.requests_to("roleAssignments").await, 0, "{stats}");
    let prod = arm::registry(&b, "contosoprod").await;
    assert_eq!(probe::status(&b, "contosoprod").await, 200, "the emulator says contosoprod reaches its key");
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "ok");
    let verdict = b.text_of("verdict").await;
    assert!(verdict.ends_with("The registry can reach its key."), "{verdict}");
    for (name, state) in check_states(&b).await {
        assert_eq!(state, "pass", "contosoprod check {name}: {}", b.text_of(&format!("check-{name}")).await);
    }
    for i in 0..3 {
        assert_eq!(b.state_of(&format!("chain-link-{i}"), &["pass"]).await, "pass", "chain link {i}");
    }
    let kv = prod.properties.encryption.clone().unwrap().key_vault_properties.unwrap();
    let key = KeyId::parse(kv.key_identifier.as_deref().unwrap()).unwrap();
    let in_use = KeyId::parse(kv.versioned_key_identifier.as_deref().unwrap()).unwrap().version.unwrap();
    assert_eq!(b.text_of("vault-name").await, key.vault_name());
    assert_eq!(b.text_of("key-name").await, key.name);
    assert_eq!(b.text_of("version-in-use").await, in_use);
    assert!(b.text_of("rotation-summary").await.contains(&format!("Pinned to version {in_use}")));
    let (identity_id, attached) = prod.identity.clone().unwrap().user_assigned_identities.unwrap().into_iter().next().unwrap();
    let identity = arm::user_identity(&b, &identity_id).await;
    assert_eq!(b.text_of("identity-principal").await, identity.properties.principal_id);
    assert_eq!(b.text_of("identity-kind").await, format!("User-assigned: {}", identity.name));
    assert_eq!(b.text_of("user-identity-name").await, identity.name);
    assert_eq!(b.text_of("user-identity-client").await, attached.client_id.unwrap());
    assert_eq!(b.text_of("user-identity-principal").await, identity.properties.principal_id);
    assert_eq!(b.state_of("system-identity", &["on", "off"]).await, "off");
    let evidence = b.text_of("evidence-access").await;
    assert!(evidence.contains(&identity.properties.principal_id), "access evidence names the principal: {evidence}");

    // contosoauto: versionless key, the version in use is the newest enabled one.
    b.demo_sign_in_at(&registry_path("contosoauto")).await;
    assert_eq!(b.text_of("registry-name").await, "contosoauto");
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "ok");
    for (name, state) in check_states(&b).await {
        assert_eq!(state, "pass", "contosoauto check {name}");
    }
    assert!(b.text_of("rotation-summary").await.contains("Auto-rotation on"));
    assert!(b.text_of("evidence-version").await.contains("newest enabled version"));

    // contosodev: no customer-managed key, nothing to diagnose.
    b.demo_sign_in_at(&registry_path("contosodev")).await;
    assert_eq!(b.text_of("registry-name").await, "contosodev");
    assert_eq!(b.state_of("verdict", &["none"]).await, "none");
    assert!(b.text_of("verdict").await.contains("Microsoft-managed key"));
    assert_eq!(b.text_of("encryption-status").await, "disabled");
    assert!(!b.is_present("check-identity").await, "no checks without a CMK");

    // contosolost: its identity was never granted the key: the probe and the page agree.
    assert_eq!(probe::status(&b, "contosolost").await, 403);
    b.demo_sign_in_at(&registry_path("contosolost")).await;
    assert_eq!(b.state_of("verdict", &["broken"]).await, "broken");
    assert_eq!(b.state_of("check-access", &["fail"]).await, "fail");
    assert_eq!(b.state_of("check-identity", &["pass"]).await, "pass");
    assert!(b.text_of("verdict").await.contains("Registry data is inaccessible because"));
    assert!(b.text_of("fix-access").await.contains("Grant get, wrapKey, unwrapKey"));
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn revoked_access_and_a_disabled_key_version_turn_the_right_check_red() {
    let b = Browser::start().await;
    b.demo_sign_in_at(&registry_path("contosoprod")).await;
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "ok");

    // Revoke the identity's access policy through ARM, behind the console's back.
    let prod = arm::registry(&b, "contosoprod").await;
    let principal = prod.identity.clone().unwrap().user_assigned_identities.unwrap().into_values().next().unwrap().principal_id.unwrap();
    let vault = arm::vault(&b, DEMO_VAULT).await;
    let entry = vault.properties.access_policies.iter().find(|p| p.object_id == principal).cloned().expect("seeded policy");
    let token = b.emulator.demo_token();
    let (status, body) = arm::send(
        &b,
        Method::PUT,
        &format!("{}/accessPolicies/remove?api-version=2025-05-01", vault.id),
        &token,
        Some(json!({"properties": {"accessPolicies": [entry]}})),
    )
    .await;
    assert!(status == 200 || status == 201, "remove access policy: {status} {body}");
    assert_eq!(probe::status(&b, "contosoprod").await, 403, "the emulator says the key is out of reach");

    b.click("refresh").await;
    assert_eq!(b.state_of("verdict", &["broken"]).await, "broken");
    let verdict = b.text_of("verdict").await;
    assert!(verdict.contains("Registry data is inaccessible because vault 'kv-acr-demo' has no access policy"), "{verdict}");
    let states = check_states(&b).await;
    assert_eq!(states[1], ("access".to_string(), "fail".to_string()), "{states:?}");
    assert!(states.iter().filter(|(n, _)| n != "access").all(|(_, s)| s == "pass"), "only access is red: {states:?}");
    assert_eq!(b.state_of("chain-link-1", &["fail"]).await, "fail");
    assert_eq!(b.state_of("chain-link-0", &["pass"]).await, "pass");
    b.screenshot("diagnosis-access-revoked").await;

    // Put the policy back, then disable the version in use through the data plane.
    let (status, _) = arm::send(
        &b,
        Method::PUT,
        &format!("{}/accessPolicies/add?api-version=2025-05-01", vault.id),
        &token,
        Some(json!({"properties": {"accessPolicies": [entry]}})),
    )
    .await;
    assert!(status == 200 || status == 201);
    let kv = prod.properties.encryption.unwrap().key_vault_properties.unwrap();
    let in_use = KeyId::parse(kv.versioned_key_identifier.as_deref().unwrap()).unwrap();
    let vault_token = admin::vault_token(&b).await;
    let (status, body) = arm::send(
        &b,
        Method::PATCH,
        &format!("/_vault/{}/keys/{}/{}?api-version=7.5", in_use.vault_name(), in_use.name, in_use.version.clone().unwrap()),
        &vault_token,
        Some(json!({"attributes": {"enabled": false}})),
    )
    .await;
    assert_eq!(status, 200, "disable key version: {body}");
    assert_eq!(probe::status(&b, "contosoprod").await, 403);

    b.click("refresh").await;
    assert_eq!(b.state_of("check-key", &["fail"]).await, "fail");
    assert_eq!(b.state_of("check-access", &["pass"]).await, "pass");
    assert_eq!(b.state_of("verdict", &["broken"]).await, "broken");
    assert!(b.text_of("evidence-key").await.contains(&format!("Version {} of key", in_use.version.unwrap())));
    assert!(b.text_of("fix-key").await.contains("az keyvault key set-attributes"));
    assert_eq!(b.state_of("chain-link-2", &["fail"]).await, "fail");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_throttled_read_is_retried_and_a_failing_read_shows_its_code() {
    let b = Browser::start().await;
    // The registry GET is throttled once, with Retry-After: 1.
    faults::add(&b, json!({"method": "GET", "route": REGISTRY_ROUTE, "kind": "status", "status": 429, "retryAfter": 1, "times": 1})).await;
    b.reset_arm_requests().await;
    b.demo_sign_in_at(&registry_path("contosoprod")).await;
    assert_eq!(b.text_of("registry-name").await, "contosoprod");
    assert!(b.text_of("read-retried").await.contains("retried"));
    assert_eq!(b.requests_to("registries/{registryName}").await, 2, "one 429, one retry");
    assert_eq!(b.state_of("verdict", &["ok"]).await, "ok");

    // Every vault list fails with 500: retried, then shown with its code; the rest of the page works.
    // Its message carries HTML, which must show as text and never run.
    let hostile = "Vault store down <img src=x onerror=\"window.__pwned=1\"><b>bold</b>";
    faults::add(
        &b,
        json!({"method": "GET", "pathContains": "/providers/Microsoft.KeyVault/vaults", "kind": "status", "status": 500, "message": hostile}),
    )
    .await;
    b.reset_arm_requests().await;
    b.click("refresh").await;
    assert_eq!(b.state_of("verdict", &["unknown"]).await, "unknown");
    let errors = b.text_of("diagnosis-read-errors").await;
    assert!(errors.contains("InternalServerError"), "{errors}");
    assert_eq!(b.text_of("arm-error-code").await, "InternalServerError");
    assert!(errors.contains(hostile), "the message is shown verbatim: {errors}");
    let pwned = b.js("return window.__pwned === undefined && !document.querySelector('.error-box img, .error-box b')").await;
    assert_eq!(pwned, json!(true), "ARM's message was rendered as HTML");
    assert_eq!(b.requests_to("Microsoft.KeyVault/vaults").await, 3, "a read is tried three times in all");
    assert_eq!(b.state_of("check-identity", &["pass"]).await, "pass");
    assert_eq!(b.state_of("check-access", &["unknown"]).await, "unknown");
    assert_eq!(b.text_of("encryption-status").await, "enabled", "the status panel still shows");
    b.screenshot("diagnosis-read-failed").await;

    // Once ARM recovers, Refresh brings the page back to green.
    faults::clear(&b).await;
    b.click("refresh").await;
    assert_eq!(b.state_of("verdict", &["ok"]).await, "ok");
    b.assert_clean_log(&["status of 429", "status of 500"]).await;
}

#[tokio::test]
async fn the_registry_page_passes_axe_in_light_and_dark() {
    let b = Browser::start().await;
    b.demo_sign_in_at(&registry_path("contosolost")).await;
    assert_eq!(b.state_of("verdict", &["broken"]).await, "broken");
    b.screenshot("registry-light").await;
    // A tall window shows every panel in one picture.
    b.client.set_window_size(1280, 2300).await.expect("resize");
    b.screenshot("registry-light-full").await;
    let violations = b.axe_violations("document").await;
    assert_eq!(violations, json!([]), "axe (light): {violations:#}");

    b.emulate_color_scheme("dark").await;
    let dark = b.js("return window.matchMedia('(prefers-color-scheme: dark)').matches").await;
    assert_eq!(dark, json!(true), "dark mode emulated");
    b.screenshot("registry-dark-full").await;
    b.client.set_window_size(1280, 900).await.expect("resize");
    b.screenshot("registry-dark").await;
    let violations = b.axe_violations("document").await;
    assert_eq!(violations, json!([]), "axe (dark): {violations:#}");

    b.demo_sign_in_at(&registry_path("contosoprod")).await;
    assert_eq!(b.state_of("verdict", &["ok"]).await, "ok");
    b.screenshot("registry-dark-healthy").await;
    let violations = b.axe_violations("document").await;
    assert_eq!(violations, json!([]), "axe (dark, healthy): {violations:#}");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_key_in_another_subscriptions_vault_is_found_and_one_the_user_cannot_see_is_said_so() {
    let b = Browser::start().await;
    // contosocentral keeps its key in the security subscription's vault.
    b.reset_arm_requests().await;
    b.demo_sign_in_at(&registry_path("contosocentral")).await;
    assert_eq!(probe::status(&b, "contosocentral").await, 200);
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "ok", "{}", b.text_of("diagnosis").await);
    for (name, state) in check_states(&b).await {
        assert_eq!(state, "pass", "contosocentral check {name}: {}", b.text_of(&format!("check-{name}")).await);
    }
    let elsewhere = b.text_of("vault-subscription").await;
    assert!(elsewhere.contains("kv-contoso-central") && elsewhere.contains(DEMO_SECURITY_SUBSCRIPTION), "{elsewhere}");
    // Not in the registry's subscription: one Resource Graph query finds it, one GET reads it.
    let stats = b.arm_requests().await;
    println!("ARM requests opening contosocentral: {stats}");
    assert_eq!(b.requests_to("Microsoft.ResourceGraph").await, 1, "{stats}");
    b.screenshot("cross-subscription-vault").await;

    // contosorestricted's vault is in a subscription the demo user holds no role on:
    // the registry reaches its key, the user cannot see the vault, and the page says which.
    b.demo_sign_in_at(&registry_path("contosorestricted")).await;
    assert_eq!(probe::status(&b, "contosorestricted").await, 200);
    let access = b.wait_text("check-access", "not visible to you").await;
    assert!(!access.contains("was deleted"), "{access}");
    assert_eq!(b.state_of("check-access", &["unknown"]).await, "unknown");
    b.assert_clean_log(&[]).await;
}

/// ARM's id of the security subscription's vault, which holds contosocentral's key.
fn central_vault() -> String {
    format!(
        "/subscriptions/{DEMO_SECURITY_SUBSCRIPTION}/resourceGroups/{DEMO_SECURITY_RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/{DEMO_CENTRAL_VAULT}"
    )
}

/// Resource Graph's index lags behind ARM (seconds to minutes in Azure). The console finds a vault
/// elsewhere through it and reads the vault beside the key; the vault's own answer decides which
/// permission model is checked, so a vault moved to RBAC after the index was taken is still judged by
/// its role assignments, read one wave later.
#[tokio::test]
async fn a_vault_the_index_still_shows_with_access_policies_is_judged_by_its_rbac_role_assignments() {
    let b = Browser::start().await;
    let token = b.emulator.demo_token();
    admin::graph_lag(&b, 600_000).await;
    let vault = central_vault();
    let (status, patched) = arm::send(
        &b,
        Method::PATCH,
        &format!("{vault}?api-version=2025-05-01"),
        &token,
        Some(json!({"properties": {"enableRbacAuthorization": true}})),
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(probe::status(&b, "contosocentral").await, 403, "RBAC and no role yet: the registry loses its key");
    let role = format!(
        "/subscriptions/{DEMO_SECURITY_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6"
    );
    let (status, granted) = arm::send(
        &b,
        Method::PUT,
        &format!("{vault}/providers/Microsoft.Authorization/roleAssignments/6d6f636b-0000-4000-8000-0000000000fa?api-version=2022-04-01"),
        &token,
        Some(
            json!({"properties": {"roleDefinitionId": role, "principalId": DEMO_IDENTITY_PRINCIPAL, "principalType": "ServicePrincipal"}}),
        ),
    )
    .await;
    assert!(status == 200 || status == 201, "{status} {granted}");
    assert_eq!(probe::status(&b, "contosocentral").await, 200, "the role gives the key back");
    let (status, indexed) = arm::send(
        &b,
        Method::POST,
        "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01",
        &token,
        Some(json!({"query": format!("Resources | where name =~ '{DEMO_CENTRAL_VAULT}' | project rbac = properties.enableRbacAuthorization")})),
    )
    .await;
    assert_eq!((status, &indexed["data"][0]["rbac"]), (200, &json!(false)), "the index still says access policies: {indexed}");

    b.reset_arm_requests().await;
    b.demo_sign_in_at(&registry_path("contosocentral")).await;
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "ok", "{}", b.text_of("diagnosis").await);
    for (name, state) in check_states(&b).await {
        assert_eq!(state, "pass", "contosocentral check {name}: {}", b.text_of(&format!("check-{name}")).await);
    }
    let access = b.text_of("check-access").await;
    assert!(access.contains("RBAC vault") && access.contains("Key Vault Crypto Service Encryption User"), "{access}");
    let stats = b.arm_requests().await;
    assert_eq!(b.requests_to("Microsoft.ResourceGraph").await, 1, "{stats}");
    assert_eq!(b.requests_to("roleAssignments").await, 1, "read once the vault said RBAC: {stats}");
    b.screenshot("stale-index-rbac-vault").await;
    b.assert_clean_log(&[]).await;
}

/// The commonest ticket after a vault is deleted, minutes after: Resource Graph still lists the vault,
/// ARM no longer has it. The page says it was deleted and how to recover it, as it does once the index
/// has caught up, not that a read failed.
#[tokio::test]
async fn a_vault_deleted_since_the_index_was_taken_is_said_deleted_with_the_way_back() {
    let b = Browser::start().await;
    admin::graph_lag(&b, 600_000).await;
    let (status, body) =
        arm::send(&b, Method::DELETE, &format!("{}?api-version=2025-05-01", central_vault()), &b.emulator.demo_token(), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(probe::status(&b, "contosocentral").await, 403, "a deleted vault takes the key away");

    b.reset_arm_requests().await;
    b.demo_sign_in_at(&registry_path("contosocentral")).await;
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "broken", "{}", b.text_of("diagnosis").await);
    let access = b.wait_text("check-access", "was deleted").await;
    assert!(
        access.contains(&format!("az keyvault recover --name {DEMO_CENTRAL_VAULT}")) && access.contains(DEMO_SECURITY_SUBSCRIPTION),
        "{access}"
    );
    // The key went with its vault: a failure (not "unknown"), with the fix that brings both back.
    assert_eq!(b.state_of("check-key", &["fail"]).await, "fail", "{}", b.text_of("check-key").await);
    let fix = b.text_of("fix-key").await;
    assert!(fix.contains(&format!("az keyvault recover --name {DEMO_CENTRAL_VAULT}")), "{fix}");
    let stats = b.arm_requests().await;
    assert_eq!(b.requests_to("Microsoft.ResourceGraph").await, 1, "the index found it: {stats}");
    assert!(b.requests_to("deletedVaults").await >= 1, "then the deleted vaults said where it went: {stats}");
    b.screenshot("stale-index-deleted-vault").await;
    b.emulate_color_scheme("dark").await;
    b.screenshot("stale-index-deleted-vault-dark").await;
    b.emulate_color_scheme("light").await;

    // In Korean too (presenters' audiences): the same facts, the command verbatim.
    b.open_account_menu().await;
    b.select("language", "ko").await;
    let ko = b.wait_text("check-key", "삭제").await;
    assert!(ko.contains(&format!("az keyvault recover --name {DEMO_CENTRAL_VAULT}")) && ko.contains("복구"), "{ko}");
    b.click("account-menu").await;
    b.screenshot("stale-index-deleted-vault-ko").await;
    b.open_account_menu().await;
    b.select("language", "en").await;
    b.wait_text("check-key", "was deleted").await;
    b.click("account-menu").await;

    // In write mode the console recovers it through ARM (a control-plane PUT, not a data-plane command).
    b.click("write-mode").await;
    b.click("apply-fix-key").await;
    let url = b.text_of("preview-url").await;
    assert!(url.contains(&format!("/vaults/{DEMO_CENTRAL_VAULT}?api-version=2025-05-01")), "{url}");
    assert_eq!(b.text_of("preview-az").await, format!("az keyvault recover --name {DEMO_CENTRAL_VAULT}"));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    b.click("write-close").await;
    assert_eq!(probe::status(&b, "contosocentral").await, 200, "recovered with its key and access policies");
    assert_eq!(b.state_of("verdict", &["ok"]).await, "ok", "{}", b.text_of("diagnosis").await);

    // Gone for good (purged, or moved away) while the index still lists it: not among the deleted vaults,
    // so ARM's 404 is what the page says, not "not visible to you" (which would suggest the registry may
    // still reach it).
    b.emulator.state.world().vaults.retain(|v| v.vault.name != DEMO_CENTRAL_VAULT);
    b.click("refresh").await;
    let access = b.wait_text("check-access", "could not be read").await;
    assert!(access.contains("404 ResourceNotFound") && !access.contains("not visible"), "{access}");
    // The vault's read and the key's, sent together while it was away, were answered 404 as they should be.
    b.assert_clean_log(&[&format!("/vaults/{DEMO_CENTRAL_VAULT}")]).await;
}

#[tokio::test]
async fn a_deleted_encrypting_identity_is_named_as_such_with_the_way_out() {
    let b = Browser::start().await;
    // Deleting a user-assigned identity does not detach it (in Azure as in the emulator): the registry's
    // block still names it, so only a read of the identity itself shows it is gone.
    let prod = arm::registry(&b, "contosoprod").await;
    let (identity_id, _) = prod.identity.unwrap().user_assigned_identities.unwrap().into_iter().next().unwrap();
    let (status, body) =
        arm::send(&b, Method::DELETE, &format!("{identity_id}?api-version=2023-01-31"), &b.emulator.demo_token(), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(probe::status(&b, "contosoprod").await, 403, "the emulator says contosoprod lost its key");

    b.demo_sign_in_at(&registry_path("contosoprod")).await;
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "broken");
    assert_eq!(b.state_of("check-identity", &["fail"]).await, "fail");
    let identity = b.text_of("check-identity").await;
    assert!(identity.contains("no longer exists") && identity.contains("rotate the key to that identity"), "{identity}");
    // The identities panel marks it, and says which id which API names.
    assert_eq!(b.text_of("user-identity-deleted").await, "Deleted");
    let legend = b.text_of("identity-ids-legend").await;
    assert!(legend.contains("by its client id") && legend.contains("by its principal id"), "{legend}");
    b.js("document.querySelector('[data-testid=identities]').scrollIntoView(); return null;").await;
    b.screenshot("diagnosis-identity-deleted").await;
    // The identity's 404 is the answer the check rests on; the browser logs every 404 it fetches.
    b.assert_clean_log(&["userAssignedIdentities/id-acr-cmk?"]).await;
}

#[tokio::test]
async fn the_status_shows_while_the_diagnosis_reads_are_still_out() {
    // The key's versions are the diagnosis' last wave: held for 6 s, the registry's own read is long
    // back, and its status must be on the page while the diagnosis still says it is loading.
    let b = Browser::start().await;
    faults::add(&b, json!({"method": "GET", "pathContains": "/keys/acr-cmk-key/versions", "kind": "delay", "delayMs": 6000, "times": 1}))
        .await;
    b.demo_sign_in_at(&registry_path("contosoprod")).await;
    let prod = arm::registry(&b, "contosoprod").await;
    let status = prod.properties.encryption.clone().unwrap().status.unwrap();
    assert_eq!(b.text_of("encryption-status").await, status);
    assert!(!b.is_present("verdict").await, "the verdict cannot be there while the key's versions are held");
    // What comes from the diagnosis reads says it is being read, not that it is unset.
    assert_eq!(b.text_of("identity-kind").await, "Reading…");
    assert_eq!(b.text_of("identity-principal").await, "Reading…");
    b.screenshot("registry-status-before-diagnosis").await;
    b.emulate_color_scheme("dark").await;
    b.screenshot("registry-status-before-diagnosis-dark").await;
    b.emulate_color_scheme("light").await;
    // Then the reads come back and fill it in.
    assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "ok");
    let (identity_id, _) = prod.identity.unwrap().user_assigned_identities.unwrap().into_iter().next().unwrap();
    let identity = arm::user_identity(&b, &identity_id).await;
    assert_eq!(b.text_of("identity-principal").await, identity.properties.principal_id);
    b.screenshot("registry-status-after-diagnosis").await;
    b.emulate_color_scheme("dark").await;
    b.screenshot("registry-status-after-diagnosis-dark").await;
}

#[tokio::test]
async fn the_diagnosis_is_complete_two_dependent_waves_after_the_registry_read() {
    // Issue 14: the diagnosis' reads that do not depend on each other go out together, so the verdict
    // needs at most two rounds of ARM answers after the registry's. Every ARM request is answered 400 ms
    // late, so a read sent because of an answer starts at least that long after one, and reads sent
    // together start within the page's own few milliseconds: the waves cannot blur on a busy machine.
    let b = Browser::start().await;
    faults::add(&b, json!({"pathContains": "/providers/", "kind": "delay", "delayMs": 400})).await;
    // contosocentral's key is in another subscription's vault: one wave more, Resource Graph's query,
    // and the vault it finds is read beside the key's reads, not before them.
    for (registry, waves_after, key) in [("contosoprod", 2, "acr-cmk-key"), ("contosocentral", 3, "acr-central-key")] {
        b.demo_sign_in_at(&registry_path(registry)).await;
        assert_eq!(b.state_of("verdict", &["ok", "broken", "unknown"]).await, "ok", "{registry}");
        let requests = b.arm_timings().await;
        let timed = waves::of(&requests);
        let listing: Vec<String> = timed.iter().map(|(w, r)| format!("wave {w}: {:.0}–{:.0} ms {}", r.start, r.end, r.path)).collect();
        let listing = listing.join("\n");
        let after = waves::diagnosis_after_registry(&requests, &registry_id(registry));
        assert_eq!(after, Some(waves_after), "{registry}: the diagnosis' dependent waves after the registry read:\n{listing}");
        // The reads the diagnosis needs are all there: the vault list, the identity, the permissions, the key and its versions.
        let versions = format!("/keys/{key}/versions");
        for needed in
            ["/providers/Microsoft.KeyVault/vaults", "/userAssignedIdentities/", "/Microsoft.Authorization/permissions", &versions]
        {
            let seen = timed.iter().any(|(_, r)| r.path.to_ascii_lowercase().contains(&needed.to_ascii_lowercase()));
            assert!(seen, "{registry}: no {needed} read:\n{listing}");
        }
    }
    faults::clear(&b).await;
    b.assert_clean_log(&[]).await;
}
