//! End-to-end writes: each verb in headless Chromium against the emulator,
//! checked against what the emulator's ARM (and the registry data-plane probe)
//! says afterwards — never against hard-coded page text alone.

mod support;

use std::time::Duration;

use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use fantoccini::Locator;
use serde_json::{json, Value};
use support::{http, http_json, Browser, WAIT};

const SUB: &str = "6d6f636b-0000-4000-8000-000000000001";
const RG: &str = "rg-acr-demo";
const V1: &str = "6d6f636b00004000800000000000b001";
const VAULT_ID: &str =
    "/subscriptions/6d6f636b-0000-4000-8000-000000000001/resourceGroups/rg-acr-demo/providers/Microsoft.KeyVault/vaults/kv-acr-demo";
/// Failed fetches (the faults these tests inject) that Chromium logs as errors.
const FAULT_LOG: [&str; 2] = ["status of 429", "status of 500"];

fn registry_path(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{RG}/registries/{name}")
}

async fn arm_registry(b: &Browser, name: &str) -> Registry {
    let url = format!(
        "{}/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/registries/{name}?api-version=2025-04-01",
        b.emulator.arm_url
    );
    let (status, body) = http("GET", &url, Some(&b.emulator.demo_token()), None).await;
    assert_eq!(status, 200, "ARM GET {name}: {body}");
    serde_json::from_value(body).expect("a registry body")
}

fn key_identifier(r: &Registry) -> String {
    r.properties.encryption.clone().unwrap().key_vault_properties.unwrap().key_identifier.unwrap()
}

/// The registry's data plane: 200 while it reaches its key, 403 once it cannot.
async fn probe(b: &Browser, name: &str) -> u16 {
    http("GET", &format!("{}/_emulator/registries/{name}/v2/", b.emulator.arm_url), None, None).await.0
}

async fn fault(b: &Browser, spec: Value) {
    let (status, body) = http("POST", &format!("{}/_emulator/faults", b.emulator.arm_url), None, Some(spec)).await;
    assert_eq!(status, 201, "fault not accepted: {body}");
}

/// Opens the registry page signed in, with write mode switched on.
async fn open_for_writes(b: &Browser, name: &str) {
    b.demo_sign_in_at(&registry_path(name)).await;
    assert_eq!(b.text_of("registry-name").await, name);
    // Read-only by default.
    b.wait_for("read-only-note").await;
    assert!(!b.wait_for("write-mode").await.is_selected().await.unwrap());
    b.click("write-mode").await;
    b.wait_for("rotate-open").await;
}

/// Chooses `value` in the `<select>` with this test id once that option has loaded.
async fn select(b: &Browser, test_id: &str, value: &str) {
    let css = format!("[data-testid='{test_id}'] option[value='{value}']");
    let option = b
        .client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&css))
        .await
        .unwrap_or_else(|e| panic!("no option {value} in {test_id}: {e}"));
    option.click().await.expect("choose option");
}

async fn wait_text(b: &Browser, test_id: &str, needle: &str) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let text = b.text_of(test_id).await;
        if text.contains(needle) {
            return text;
        }
        assert!(tokio::time::Instant::now() < deadline, "[{test_id}] never contained '{needle}'; last: {text}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn close_dialog(b: &Browser) {
    b.click("write-close").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// How many registry PATCHes the emulator has received, and its whole request log.
async fn registry_patches(b: &Browser) -> (u64, Value) {
    let stats = b.arm_requests().await;
    let patches = stats["routes"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.starts_with("PATCH") && k.contains("registries"))
        .map(|(_, v)| v.as_u64().unwrap())
        .sum::<u64>();
    (patches, stats)
}

#[tokio::test]
async fn rotate_a_pinned_key_to_another_version_with_preview_and_what_changed() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    let before = key_identifier(&arm_registry(&b, "contosoprod").await);
    assert!(!before.ends_with(V1));

    b.click("rotate-open").await;
    select(&b, "rotate-version", V1).await;
    b.click("rotate-review").await;
    assert!(b.text_of("preflight-headline").await.contains("would be able to reach"));
    assert_eq!(b.text_of("preview-method").await, "PATCH");
    assert!(b.text_of("preview-url").await.ends_with("/registries/contosoprod?api-version=2025-04-01"));
    let body: Value = serde_json::from_str(&b.text_of("preview-body").await).expect("the preview shows JSON");
    // The minimal PATCH: only the key vault properties.
    assert_eq!(
        body,
        json!({"properties": {"encryption": {"keyVaultProperties": {
        "keyIdentifier": format!("https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key/{V1}"),
        "identity": "6d6f636b-0000-4000-8000-0000000000c1"}}}})
    );
    let az = b.text_of("preview-az").await;
    assert!(az.starts_with("az acr encryption rotate-key -n contosoprod -g rg-acr-demo --key-encryption-key"), "{az}");
    b.screenshot("rotate-dialog").await;

    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    let changes = b.text_of("write-changes").await;
    assert!(changes.contains(V1) && changes.contains(&before), "what changed: {changes}");

    let after = arm_registry(&b, "contosoprod").await;
    assert_eq!(KeyId::parse(&key_identifier(&after)).unwrap().version.as_deref(), Some(V1));
    close_dialog(&b).await;
    // The page was refreshed behind the dialog.
    wait_text(&b, "key-identifier", V1).await;
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn rotate_to_versionless_then_a_new_version_is_picked_up_by_auto_rotation() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    b.click("rotate-open").await;
    b.click("rotate-review").await; // defaults: the current vault and key, newest version (versionless)
    assert!(b.text_of("preview-body").await.contains("\"keyIdentifier\": \"https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key\""));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    let after = arm_registry(&b, "contosoprod").await;
    assert!(KeyId::parse(&key_identifier(&after)).unwrap().is_versionless());
    wait_text(&b, "key-rotation-enabled", "true").await;

    // A new key version, made the way the console tells the user to: through Key Vault itself.
    let vault_token =
        http_json("POST", &format!("{}/_emulator/token", b.emulator.arm_url), Some(json!({"aud": "https://vault.azure.net"}))).await
            ["accessToken"]
            .as_str()
            .unwrap()
            .to_string();
    let (status, bundle) = http(
        "POST",
        &format!("{}/_vault/kv-acr-demo/keys/acr-cmk-key/rotate?api-version=7.5", b.emulator.arm_url),
        Some(&vault_token),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "data-plane rotate: {bundle}");
    let new_version = KeyId::parse(bundle["key"]["kid"].as_str().unwrap()).unwrap().version.unwrap();

    // The emulator's registry picks it up after its rotation interval; the page shows it on refresh.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        b.client.find(Locator::Css("button.refresh")).await.unwrap().click().await.unwrap();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        if b.text_of("versioned-key-identifier").await.ends_with(&new_version) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the page never showed the new version {new_version}");
    }
    let kv = arm_registry(&b, "contosoprod").await.properties.encryption.unwrap().key_vault_properties.unwrap();
    assert!(kv.versioned_key_identifier.unwrap().ends_with(&new_version));
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn system_identity_toggles_on_and_off_and_the_encrypting_user_identity_cannot_be_removed() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;

    // Removing the identity that encrypts the registry is refused, with the service's reason, and nothing is sent.
    b.reset_arm_requests().await;
    b.click("identity-remove").await;
    let refusal = b.text_of("identity-refusal").await;
    assert!(refusal.contains("does not have access to identity"), "{refusal}");
    let stats = b.arm_requests().await;
    assert!(!stats.to_string().contains("PATCH"), "a refused change must not be sent: {stats}");

    b.click("identity-system-toggle").await;
    assert!(b.text_of("preview-body").await.contains("SystemAssigned, UserAssigned"));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    assert!(b.text_of("write-changes").await.contains("identity.type"));
    close_dialog(&b).await;
    let on = arm_registry(&b, "contosoprod").await.identity.unwrap();
    assert!(on.kinds().system && on.kinds().user, "{on:?}");

    wait_text(&b, "identity-system-toggle", "Turn off").await;
    b.click("identity-system-toggle").await;
    assert!(b.text_of("preview-body").await.contains("\"UserAssigned\""));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    let off = arm_registry(&b, "contosoprod").await.identity.unwrap();
    assert!(!off.kinds().system && off.kinds().user, "{off:?}");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn revoke_makes_the_registry_inaccessible_and_restore_puts_the_policy_back() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    assert_eq!(probe(&b, "contosoprod").await, 200);

    b.click("revoke-open").await;
    assert!(b.text_of("revoke-warning").await.contains("becomes inaccessible"));
    assert_eq!(b.text_of("preview-method").await, "PUT");
    assert!(b.text_of("preview-url").await.contains("/accessPolicies/remove?api-version=2025-05-01"));
    assert!(b.text_of("preview-az").await.starts_with("az keyvault delete-policy"));
    // Confirm stays disabled until the registry's name is typed.
    assert!(!b.wait_for("write-confirm").await.is_enabled().await.unwrap());
    b.type_into("confirm-phrase", "contosoprod").await;
    b.screenshot("revoke-dialog").await;
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;

    assert_eq!(probe(&b, "contosoprod").await, 403);
    let status = arm_registry(&b, "contosoprod").await.properties.status.unwrap();
    assert_eq!(status.display_status.as_deref(), Some("KeyVaultAccessFailed"));
    assert!(b.text_of("revoked-record").await.contains("get, wrapKey, unwrapKey"));

    wait_text(&b, "restore-access", "Restore").await;
    b.click("restore-access").await;
    assert!(b.text_of("preview-url").await.contains("/accessPolicies/add"));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert_eq!(probe(&b, "contosoprod").await, 200);
    assert!(arm_registry(&b, "contosoprod").await.properties.status.is_none());
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn the_firewall_sequence_runs_step_by_step_and_then_the_system_identity_cannot_be_turned_off() {
    let b = Browser::start().await;
    // The vault's firewall closes: the registry loses its key.
    let token = b.emulator.demo_token();
    let (status, body) = http(
        "PATCH",
        &format!("{}{VAULT_ID}?api-version=2025-05-01", b.emulator.arm_url),
        Some(&token),
        Some(json!({"properties": {"networkAcls": {"defaultAction": "Deny", "bypass": "None", "ipRules": [], "virtualNetworkRules": []}}})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(probe(&b, "contosoprod").await, 403);

    open_for_writes(&b, "contosoprod").await;
    b.click("firewall-open").await;
    for step in 1..=4 {
        wait_text(&b, "firewall-current", &format!("Step {step} of 4")).await;
        b.click("write-confirm").await;
    }
    b.wait_for("firewall-complete").await;
    b.screenshot("firewall-sequence-done").await;
    let states = b.texts_of_at_least("firewall-step-state", 4).await;
    assert!(states.iter().all(|s| s == "done"), "{states:?}");
    close_dialog(&b).await;

    assert_eq!(probe(&b, "contosoprod").await, 200);
    let r = arm_registry(&b, "contosoprod").await;
    assert_eq!(r.properties.encryption.unwrap().key_vault_properties.unwrap().identity.as_deref(), Some("system"));

    wait_text(&b, "identity-system-toggle", "Turn off").await;
    b.click("identity-system-toggle").await;
    assert!(b.text_of("identity-refusal").await.contains("encrypts contosoprod"));
    b.screenshot("identity-refusal").await;
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn throttling_and_a_server_error_during_writes_are_shown_and_nothing_is_half_done_silently() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    let before = key_identifier(&arm_registry(&b, "contosoprod").await);

    // 429 on the rotate PATCH: shown with its code and request id, not retried, nothing changed.
    fault(
        &b,
        json!({"method": "PATCH", "pathContains": "registries/contosoprod", "kind": "status", "status": 429, "retryAfter": 1, "times": 1}),
    )
    .await;
    b.click("rotate-open").await;
    select(&b, "rotate-version", V1).await;
    b.click("rotate-review").await;
    b.click("write-confirm").await;
    b.wait_for("write-failed").await;
    assert_eq!(b.text_of("arm-error-code").await, "TooManyRequests");
    assert!(b.text_of("arm-error").await.contains("Request id"));
    assert!(b.text_of("write-report").await.contains("Nothing before it was changed"));
    assert_eq!(key_identifier(&arm_registry(&b, "contosoprod").await), before);
    let (patches, stats) = registry_patches(&b).await;
    assert_eq!(patches, 1, "a write is never retried blindly: {stats}");
    close_dialog(&b).await;

    // 500 on the second step of a two-step write: the report says which step ran.
    b.demo_sign_in_at(&registry_path("contosolost")).await;
    b.click("write-mode").await;
    fault(&b, json!({"method": "PATCH", "pathContains": "registries/contosolost", "kind": "status", "status": 500, "times": 1})).await;
    b.click("rotate-open").await;
    b.click("rotate-review").await;
    b.wait_for("grant-first").await;
    b.click("write-confirm").await;
    b.wait_for("write-failed").await;
    assert_eq!(b.text_of("arm-error-code").await, "InternalServerError");
    let report = b.text_of("write-report").await;
    assert!(report.contains("Step 2 of 2 failed") && report.contains("Already done: Grant principal"), "{report}");
    b.assert_clean_log(&FAULT_LOG).await;
}

#[tokio::test]
async fn a_failed_check_is_fixed_from_the_diagnosis_in_write_mode() {
    let b = Browser::start().await;
    // contosolost's identity was never granted access to the key.
    assert_eq!(probe(&b, "contosolost").await, 403);
    b.demo_sign_in_at(&registry_path("contosolost")).await;
    b.wait_for("fix-access").await;
    // Read-only: the fix is described, not offered.
    assert!(b.client.find(Locator::Css("[data-testid='apply-fix-access']")).await.is_err());
    b.click("write-mode").await;
    b.click("apply-fix-access").await;
    assert!(b.text_of("preview-url").await.contains("/accessPolicies/add?api-version=2025-05-01"));
    assert!(b.text_of("preview-az").await.starts_with("az keyvault set-policy"));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert_eq!(probe(&b, "contosolost").await, 200);
    let deadline = tokio::time::Instant::now() + WAIT;
    while b.wait_for("verdict").await.attr("data-state").await.unwrap().as_deref() != Some("ok") {
        assert!(tokio::time::Instant::now() < deadline, "the diagnosis never turned green after the fix");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn write_dialogs_are_keyboard_operable_and_pass_axe_in_light_and_dark() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    // The page itself is checked in tests/diagnosis.rs; here: the write panel, the write-mode switch and the dialogs.
    let violations = support::axe_violations(&b, "[data-testid='writes-panel']").await;
    assert_eq!(violations, json!([]), "axe (write panel): {violations:#}");
    let violations = support::axe_violations(&b, "label.write-mode").await;
    assert_eq!(violations, json!([]), "axe (write-mode switch): {violations:#}");

    // Keyboard only: focus the opener, Enter opens the modal, focus moves into it.
    let opener = b.wait_for("rotate-open").await;
    b.client.execute("arguments[0].focus();", vec![serde_json::to_value(&opener).unwrap()]).await.unwrap();
    opener.send_keys("\u{E007}").await.unwrap(); // Enter
    b.wait_for("rotate-vault").await;
    let inside = b.client.execute("return !!document.activeElement.closest('dialog[open]');", vec![]).await.unwrap();
    assert_eq!(inside, json!(true), "focus moves into the open dialog");
    let modal = b.client.execute("return document.querySelector('dialog[open]').matches(':modal');", vec![]).await.unwrap();
    assert_eq!(modal, json!(true), "opened with showModal: the rest of the page is inert");
    let violations = support::axe_violations(&b, "dialog[open]").await;
    assert_eq!(violations, json!([]), "axe (rotate dialog, light): {violations:#}");
    b.click("rotate-review").await;
    b.wait_for("write-confirm").await;
    support::emulate_color_scheme(&b, "dark").await;
    b.screenshot("rotate-dialog-dark").await;
    let violations = support::axe_violations(&b, "dialog[open]").await;
    assert_eq!(violations, json!([]), "axe (rotate preview, dark): {violations:#}");

    // Escape closes it and focus returns to the button that opened it.
    b.wait_for("write-confirm").await.send_keys("\u{E00C}").await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let back = b.client.execute("return document.activeElement && document.activeElement.dataset.testid;", vec![]).await.unwrap();
        let open = b.client.execute("return !!document.querySelector('dialog[open]');", vec![]).await.unwrap();
        if back == json!("rotate-open") && open == json!(false) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "after Escape: focus on {back}, a dialog open: {open}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn on_an_rbac_vault_revoke_deletes_the_role_assignment_and_restore_puts_the_same_one_back() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;

    // Rotate to the RBAC vault's key, creating nothing: pick the vault and its key in the dialog.
    b.click("rotate-open").await;
    select(
        &b,
        "rotate-vault",
        "/subscriptions/6d6f636b-0000-4000-8000-000000000001/resourceGroups/rg-acr-demo/providers/Microsoft.KeyVault/vaults/kv-acr-rbac",
    )
    .await;
    select(&b, "rotate-key", "acr-rbac-key").await;
    b.click("rotate-review").await;
    assert!(b.text_of("preflight-headline").await.contains("would be able to reach"));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert!(key_identifier(&arm_registry(&b, "contosoprod").await).contains("kv-acr-rbac"));
    wait_text(&b, "key-identifier", "kv-acr-rbac").await;

    let assignments = format!(
        "{}/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-rbac/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01",
        b.emulator.arm_url
    );
    let token = b.emulator.demo_token();
    let before = http("GET", &assignments, Some(&token), None).await.1["value"].clone();
    assert_eq!(before.as_array().unwrap().len(), 1, "{before}");

    b.click("revoke-open").await;
    assert_eq!(b.text_of("preview-method").await, "DELETE");
    assert!(b.text_of("preview-az").await.starts_with("az role assignment delete --ids"));
    b.type_into("confirm-phrase", "contosoprod").await;
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert_eq!(probe(&b, "contosoprod").await, 403);
    assert_eq!(http("GET", &assignments, Some(&token), None).await.1["value"], json!([]));

    wait_text(&b, "restore-access", "Restore").await;
    b.click("restore-access").await;
    assert_eq!(b.text_of("preview-method").await, "PUT");
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert_eq!(probe(&b, "contosoprod").await, 200);
    let after = http("GET", &assignments, Some(&token), None).await.1["value"].clone();
    assert_eq!(after[0]["name"], before[0]["name"], "the same assignment (name, role, principal) is back");
    assert_eq!(after[0]["properties"]["roleDefinitionId"], before[0]["properties"]["roleDefinitionId"]);
    assert_eq!(after[0]["properties"]["principalId"], before[0]["properties"]["principalId"]);
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn rotating_to_a_new_key_creates_it_through_arm_first() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoauto").await;
    b.click("rotate-open").await;
    select(&b, "rotate-key", "__new__").await;
    b.type_into("rotate-new-key-name", "acr-cmk-key-2027").await;
    b.click("rotate-review").await;
    b.wait_for("rotate-preflight").await;
    let steps = b.texts_of_at_least("write-step", 2).await;
    assert!(steps[0].contains("PUT") && steps[0].contains("/keys/acr-cmk-key-2027?api-version=2025-05-01"), "{steps:?}");
    assert!(steps[0].contains("az keyvault key create --vault-name kv-acr-demo -n acr-cmk-key-2027 --kty RSA"), "{steps:?}");
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    let kid = KeyId::parse(&key_identifier(&arm_registry(&b, "contosoauto").await)).unwrap();
    assert_eq!((kid.name.as_str(), kid.is_versionless()), ("acr-cmk-key-2027", true));
    assert_eq!(probe(&b, "contosoauto").await, 200);
    // The pre-flight looked for the new key's versions before it existed: ARM's 404.
    b.assert_clean_log(&["acr-cmk-key-2027/versions"]).await;
}

#[tokio::test]
async fn a_user_identity_from_the_subscription_is_attached_and_then_removed() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    // ARM spells this id with `resourcegroups`, as the managed-identity provider does.
    let nokey = format!("/subscriptions/{SUB}/resourcegroups/{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-nokey");
    select(&b, "identity-assign-select", &nokey).await;
    b.click("identity-assign").await;
    let body: Value = serde_json::from_str(&b.text_of("preview-body").await).unwrap();
    assert_eq!(body, json!({"identity": {"type": "UserAssigned", "userAssignedIdentities": {nokey.clone(): {}}}}));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    let users = arm_registry(&b, "contosoprod").await.identity.unwrap().user_assigned_identities.unwrap();
    assert_eq!(users.len(), 2, "{users:?}");

    // Two identities now: removing the one that does not encrypt sends a null entry.
    let buttons = b.texts_of_at_least("identity-remove", 2).await;
    assert_eq!(buttons.len(), 2);
    b.client.find(Locator::Css("[aria-label='Remove identity id-acr-nokey']")).await.unwrap().click().await.unwrap();
    let body: Value = serde_json::from_str(&b.text_of("preview-body").await).unwrap();
    assert_eq!(body["identity"]["userAssignedIdentities"].as_object().unwrap().values().next(), Some(&Value::Null));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    let users = arm_registry(&b, "contosoprod").await.identity.unwrap().user_assigned_identities.unwrap();
    assert_eq!(users.len(), 1, "{users:?}");
    assert!(users.keys().next().unwrap().ends_with("/id-acr-cmk"));
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_throttled_poll_is_retried_and_a_failed_operation_shows_its_error() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;

    // Polling Azure-AsyncOperation is a read: a 429 there is waited out and the write completes.
    fault(&b, json!({"method": "GET", "pathContains": "operationStatuses", "kind": "status", "status": 429, "retryAfter": 1, "times": 1}))
        .await;
    b.click("identity-system-toggle").await;
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert!(arm_registry(&b, "contosoprod").await.identity.unwrap().kinds().system);
    let left = http_json("GET", &format!("{}/_emulator/faults", b.emulator.arm_url), None).await;
    assert_eq!(left["value"], json!([]), "the poll met the 429 (a one-time fault is gone once fired): {left}");

    // The operation itself ends Failed: its error is shown with the write's request id; nothing changed.
    fault(&b, json!({"method": "PATCH", "pathContains": "registries/contosoprod", "kind": "lroFailed", "times": 1})).await;
    wait_text(&b, "identity-system-toggle", "Turn off").await;
    b.click("identity-system-toggle").await;
    b.click("write-confirm").await;
    b.wait_for("write-failed").await;
    assert_eq!(b.text_of("arm-error-code").await, "InternalServerError");
    assert!(b.text_of("arm-error").await.contains("Request id"));
    assert!(b.text_of("write-report").await.contains("Step 1 of 1 failed"));
    close_dialog(&b).await;
    assert!(arm_registry(&b, "contosoprod").await.identity.unwrap().kinds().system, "a failed operation changes nothing");
    b.assert_clean_log(&FAULT_LOG).await;
}

#[tokio::test]
async fn a_write_without_an_answer_says_it_may_still_complete_and_is_not_resent() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    // ARM answers the PATCH only after the console's 30-second limit: the write happens, the answer is lost.
    fault(&b, json!({"method": "PATCH", "pathContains": "registries/contosoprod", "kind": "delay", "delayMs": 34000, "times": 1})).await;
    b.click("identity-system-toggle").await;
    b.click("write-confirm").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(45);
    while b.client.find(Locator::Css("[data-testid='write-failed']")).await.is_err() {
        assert!(tokio::time::Instant::now() < deadline, "no time-out shown");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(b.text_of("arm-error-code").await, "TimedOut");
    assert!(b.text_of("write-unsure").await.contains("may still complete"));
    close_dialog(&b).await;
    let (patches, stats) = registry_patches(&b).await;
    assert_eq!(patches, 1, "never resent: {stats}");
    // Whatever became of it, the page (refreshed on close) shows ARM's state, not a guess.
    let system = arm_registry(&b, "contosoprod").await.identity.unwrap().kinds().system;
    wait_text(&b, "identity-system-toggle", if system { "Turn off" } else { "Turn on" }).await;
    b.assert_clean_log(&["net::ERR", "AbortError", "aborted"]).await;
}
