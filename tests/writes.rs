//! End-to-end writes: each verb in headless Chromium against the emulator,
//! checked against what the emulator's ARM (and the registry data-plane probe)
//! says afterwards — never against hard-coded page text alone.

mod support;

use std::time::Duration;

use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use fantoccini::Locator;
use http::Method;
use serde_json::{json, Value};
use support::world::{registry_path, vault_id, DEMO_KEY_V1, DEMO_RBAC_VAULT, DEMO_RESOURCE_GROUP, DEMO_SUBSCRIPTION, DEMO_VAULT};
use support::{admin, arm, faults, probe, requests, Browser, WAIT};

/// Failed fetches (the faults these tests inject) that Chromium logs as errors.
const FAULT_LOG: [&str; 2] = ["status of 429", "status of 500"];

fn key_identifier(r: &Registry) -> String {
    r.properties.encryption.clone().unwrap().key_vault_properties.unwrap().key_identifier.unwrap()
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

async fn close_dialog(b: &Browser) {
    b.click("write-close").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// How many registry PATCHes the emulator has received, and its whole request log.
async fn registry_patches(b: &Browser) -> (u64, Value) {
    let stats = b.arm_requests().await;
    (requests::count(&stats, |route| route.starts_with("PATCH") && route.contains("registries")), stats)
}

#[tokio::test]
async fn rotate_a_pinned_key_to_another_version_with_preview_and_what_changed() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    let before = key_identifier(&arm::registry(&b, "contosoprod").await);
    assert!(!before.ends_with(DEMO_KEY_V1));

    b.click("rotate-open").await;
    b.select("rotate-version", DEMO_KEY_V1).await;
    b.click("rotate-review").await;
    assert!(b.text_of("preflight-headline").await.contains("would be able to reach"));
    assert_eq!(b.text_of("preview-method").await, "PATCH");
    assert!(b.text_of("preview-url").await.ends_with("/registries/contosoprod?api-version=2025-04-01"));
    let body: Value = serde_json::from_str(&b.text_of("preview-body").await).expect("the preview shows JSON");
    // The minimal PATCH: only the key vault properties.
    assert_eq!(
        body,
        json!({"properties": {"encryption": {"keyVaultProperties": {
        "keyIdentifier": format!("https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key/{DEMO_KEY_V1}"),
        "identity": "6d6f636b-0000-4000-8000-0000000000c1"}}}})
    );
    let az = b.text_of("preview-az").await;
    assert!(az.starts_with("az acr encryption rotate-key -n contosoprod -g rg-acr-demo --key-encryption-key"), "{az}");
    b.screenshot("rotate-dialog").await;

    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    let changes = b.text_of("write-changes").await;
    assert!(changes.contains(DEMO_KEY_V1) && changes.contains(&before), "what changed: {changes}");

    let after = arm::registry(&b, "contosoprod").await;
    assert_eq!(KeyId::parse(&key_identifier(&after)).unwrap().version.as_deref(), Some(DEMO_KEY_V1));
    close_dialog(&b).await;
    // The page was refreshed behind the dialog.
    b.wait_text("key-identifier", DEMO_KEY_V1).await;
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
    let after = arm::registry(&b, "contosoprod").await;
    assert!(KeyId::parse(&key_identifier(&after)).unwrap().is_versionless());
    b.wait_text("key-rotation-enabled", "true").await;

    // A new key version, made the way the console tells the user to: through Key Vault itself.
    let vault_token = admin::vault_token(&b).await;
    let (status, bundle) =
        arm::send(&b, Method::POST, "/_vault/kv-acr-demo/keys/acr-cmk-key/rotate?api-version=7.5", &vault_token, Some(json!({}))).await;
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
    let kv = arm::registry(&b, "contosoprod").await.properties.encryption.unwrap().key_vault_properties.unwrap();
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
    let on = arm::registry(&b, "contosoprod").await.identity.unwrap();
    assert!(on.kinds().system && on.kinds().user, "{on:?}");

    b.wait_text("identity-system-toggle", "Turn off").await;
    b.click("identity-system-toggle").await;
    assert!(b.text_of("preview-body").await.contains("\"UserAssigned\""));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    let off = arm::registry(&b, "contosoprod").await.identity.unwrap();
    assert!(!off.kinds().system && off.kinds().user, "{off:?}");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn revoke_names_every_registry_it_cuts_off_and_restore_after_a_reload_puts_the_policy_back() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    assert_eq!(probe::status(&b, "contosoprod").await, 200);
    assert_eq!(probe::status(&b, "contosoauto").await, 200);

    b.click("revoke-open").await;
    // contosoauto reaches its key in the same vault through the same identity: the dialog says it goes too.
    assert!(b.text_of("revoke-searched").await.contains("every subscription you can read (Resource Graph)"));
    let warning = b.text_of("revoke-warning").await;
    assert!(warning.contains("All data in contosoprod and contosoauto becomes inaccessible"), "{warning}");
    assert!(b.text_of("revoke-also-affected").await.starts_with("contosoauto reaches its key"));
    assert_eq!(b.text_of("preview-method").await, "PUT");
    assert!(b.text_of("preview-url").await.contains("/accessPolicies/remove?api-version=2025-05-01"));
    // By default only get, wrapKey and unwrapKey go, and the az equivalent is the same request.
    let body: Value = serde_json::from_str(&b.text_of("preview-body").await).unwrap();
    assert_eq!(body["properties"]["accessPolicies"][0]["permissions"], json!({"keys": ["get", "wrapKey", "unwrapKey"]}));
    assert!(b.text_of("preview-az").await.starts_with("az rest --method put --url "));
    // The seed's whole-entry removal is the second choice, with its own command.
    b.click("revoke-scope-entry").await;
    b.wait_text("preview-az", "az keyvault delete-policy").await;
    b.click("revoke-scope-keys").await;
    b.wait_text("preview-az", "az rest").await;
    // The restore plan can be kept before confirming.
    let download = b.wait_for("revoke-download").await.attr("href").await.unwrap().unwrap();
    assert!(download.starts_with("data:application/json") && download.contains("restoreCommands"), "{download}");
    // The registry's name alone does not confirm a revoke that cuts off two registries.
    b.type_into("confirm-phrase", "contosoprod").await;
    assert!(!b.wait_for("write-confirm").await.is_enabled().await.unwrap());
    b.type_into("confirm-phrase", "contosoprod +1").await;
    assert_eq!(b.wait_for("write-confirm").await.attr("class").await.unwrap().as_deref(), Some("danger"));
    // The removal is computed from the vault as read: it goes out with the vault's ETag.
    let etag = arm::vault(&b, DEMO_VAULT).await.etag.expect("vaults have an ETag");
    assert_eq!(b.text_of("preview-if-match").await, etag);
    b.screenshot("revoke-dialog").await;
    // Someone changes the vault meanwhile (another principal's policy): a new ETag, the same removal.
    let tenant = arm::vault(&b, DEMO_VAULT).await.properties.tenant_id;
    let other = json!({"properties": {"accessPolicies": [{"tenantId": tenant, "objectId": "00000000-0000-4000-8000-00000000beef",
        "permissions": {"secrets": ["get"]}}]}});
    let path = format!("{}/accessPolicies/add?api-version=2025-05-01", vault_id(DEMO_VAULT));
    let (status, answer) = arm::send(&b, Method::PUT, &path, &b.emulator.demo_token(), Some(other)).await;
    assert_eq!(status, 200, "{answer}");
    assert_ne!(arm::vault(&b, DEMO_VAULT).await.etag.unwrap(), etag);
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    // Read again on Confirm: the same change is sent (with the fresh ETag, or ARM would answer 412) without asking again.
    assert!(!b.is_present("write-replanned").await);
    close_dialog(&b).await;

    // What the dialog said: both registries lost their key.
    assert_eq!(probe::status(&b, "contosoprod").await, 403);
    assert_eq!(probe::status(&b, "contosoauto").await, 403);
    let status = arm::registry(&b, "contosoprod").await.properties.status.unwrap();
    assert_eq!(status.display_status.as_deref(), Some("KeyVaultAccessFailed"));
    assert!(b.text_of("revoked-record").await.contains("get, wrapKey, unwrapKey"));

    // A reload signs out (tokens live in memory); the restore record lives in sessionStorage.
    let stored = b.js("return sessionStorage.getItem('acr-cmk.restore-records')").await;
    assert!(stored.as_str().is_some_and(|s| s.contains("contosoprod") && !s.contains("eyJ")), "{stored}");
    b.demo_sign_in_at(&registry_path("contosoprod")).await;
    b.click("write-mode").await;
    assert!(b.text_of("revoked-record").await.contains("get, wrapKey, unwrapKey"));
    b.wait_text("restore-access", "Restore").await;
    b.click("restore-access").await;
    assert!(b.text_of("preview-url").await.contains("/accessPolicies/add"));
    let body: Value = serde_json::from_str(&b.text_of("preview-body").await).unwrap();
    assert_eq!(body["properties"]["accessPolicies"][0]["permissions"], json!({"keys": ["get", "wrapKey", "unwrapKey"]}));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert_eq!(probe::status(&b, "contosoprod").await, 200);
    assert_eq!(probe::status(&b, "contosoauto").await, 200);
    assert!(arm::registry(&b, "contosoprod").await.properties.status.is_none());
    // Restored: the record is gone, from the page and from storage.
    assert!(!b.is_present("revoked-record").await);
    assert_eq!(b.js("return sessionStorage.getItem('acr-cmk.restore-records')").await, Value::Null);
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn the_firewall_sequence_runs_step_by_step_and_then_the_system_identity_cannot_be_turned_off() {
    let b = Browser::start().await;
    // The vault's firewall closes: the registry loses its key.
    let token = b.emulator.demo_token();
    let (status, body) = arm::send(
        &b,
        Method::PATCH,
        &format!("{}?api-version=2025-05-01", vault_id(DEMO_VAULT)),
        &token,
        Some(json!({"properties": {"networkAcls": {"defaultAction": "Deny", "bypass": "None", "ipRules": [], "virtualNetworkRules": []}}})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(probe::status(&b, "contosoprod").await, 403);

    open_for_writes(&b, "contosoprod").await;
    b.click("firewall-open").await;
    for step in 1..=4 {
        b.wait_text("firewall-current", &format!("Step {step} of 4")).await;
        if step == 3 {
            // Opening the vault's firewall to trusted services reaches every registry keyed there: it says which.
            let reach = b.wait_text("firewall-reach", "contosoauto").await;
            assert!(reach.contains("contosolost") && reach.contains("kv-acr-demo"), "{reach}");
        }
        b.click("write-confirm").await;
    }
    b.wait_for("firewall-complete").await;
    b.screenshot("firewall-sequence-done").await;
    let states = b.texts_of_at_least("firewall-step-state", 4).await;
    assert!(states.iter().all(|s| s == "done"), "{states:?}");
    close_dialog(&b).await;

    assert_eq!(probe::status(&b, "contosoprod").await, 200);
    let r = arm::registry(&b, "contosoprod").await;
    assert_eq!(r.properties.encryption.unwrap().key_vault_properties.unwrap().identity.as_deref(), Some("system"));

    b.wait_text("identity-system-toggle", "Turn off").await;
    b.click("identity-system-toggle").await;
    assert!(b.text_of("identity-refusal").await.contains("encrypts contosoprod"));
    b.screenshot("identity-refusal").await;
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn throttling_and_a_server_error_during_writes_are_shown_and_nothing_is_half_done_silently() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    let before = key_identifier(&arm::registry(&b, "contosoprod").await);

    // 429 on the rotate PATCH: shown with its code and request id, not retried, nothing changed.
    faults::add(
        &b,
        json!({"method": "PATCH", "pathContains": "registries/contosoprod", "kind": "status", "status": 429, "retryAfter": 1, "times": 1}),
    )
    .await;
    b.click("rotate-open").await;
    b.select("rotate-version", DEMO_KEY_V1).await;
    b.click("rotate-review").await;
    b.click("write-confirm").await;
    b.wait_for("write-failed").await;
    assert_eq!(b.text_of("arm-error-code").await, "TooManyRequests");
    assert!(b.text_of("arm-error").await.contains("Request id"));
    assert!(b.text_of("write-report").await.contains("Nothing before it was changed"));
    assert_eq!(key_identifier(&arm::registry(&b, "contosoprod").await), before);
    let (patches, stats) = registry_patches(&b).await;
    assert_eq!(patches, 1, "a write is never retried blindly: {stats}");
    close_dialog(&b).await;

    // 500 on the second step of a two-step write: the report says which step ran.
    b.demo_sign_in_at(&registry_path("contosolost")).await;
    b.click("write-mode").await;
    faults::add(&b, json!({"method": "PATCH", "pathContains": "registries/contosolost", "kind": "status", "status": 500, "times": 1}))
        .await;
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
    assert_eq!(probe::status(&b, "contosolost").await, 403);
    b.demo_sign_in_at(&registry_path("contosolost")).await;
    b.wait_for("fix-access").await;
    // Read-only: the fix is described, not offered.
    assert!(!b.is_present("apply-fix-access").await);
    b.click("write-mode").await;
    b.click("apply-fix-access").await;
    assert!(b.text_of("preview-url").await.contains("/accessPolicies/add?api-version=2025-05-01"));
    assert!(b.text_of("preview-az").await.starts_with("az keyvault set-policy"));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert_eq!(probe::status(&b, "contosolost").await, 200);
    assert_eq!(b.state_of("verdict", &["ok"]).await, "ok", "the diagnosis never turned green after the fix");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn write_dialogs_are_keyboard_operable_and_pass_axe_in_light_and_dark() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    // The page itself is checked in tests/diagnosis.rs; here: the write panel, the write-mode switch and the dialogs.
    let violations = b.axe_violations("[data-testid='writes-panel']").await;
    assert_eq!(violations, json!([]), "axe (write panel): {violations:#}");
    let violations = b.axe_violations("label.write-mode").await;
    assert_eq!(violations, json!([]), "axe (write-mode switch): {violations:#}");

    // Keyboard only: focus the opener, Enter opens the modal, focus moves into it.
    let opener = b.wait_for("rotate-open").await;
    b.client.execute("arguments[0].focus();", vec![serde_json::to_value(&opener).unwrap()]).await.unwrap();
    opener.send_keys("\u{E007}").await.unwrap(); // Enter
    b.wait_for("rotate-vault").await;
    let inside = b.js("return !!document.activeElement.closest('dialog[open]');").await;
    assert_eq!(inside, json!(true), "focus moves into the open dialog");
    let modal = b.js("return document.querySelector('dialog[open]').matches(':modal');").await;
    assert_eq!(modal, json!(true), "opened with showModal: the rest of the page is inert");
    let violations = b.axe_violations("dialog[open]").await;
    assert_eq!(violations, json!([]), "axe (rotate dialog, light): {violations:#}");
    b.click("rotate-review").await;
    b.wait_for("write-confirm").await;
    b.emulate_color_scheme("dark").await;
    b.screenshot("rotate-dialog-dark").await;
    let violations = b.axe_violations("dialog[open]").await;
    assert_eq!(violations, json!([]), "axe (rotate preview, dark): {violations:#}");

    // Escape closes it and focus returns to the button that opened it.
    b.wait_for("write-confirm").await.send_keys("\u{E00C}").await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let back = b.js("return document.activeElement && document.activeElement.dataset.testid;").await;
        let open = b.js("return !!document.querySelector('dialog[open]');").await;
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
    b.select("rotate-vault", &vault_id(DEMO_RBAC_VAULT)).await;
    b.select("rotate-key", "acr-rbac-key").await;
    b.click("rotate-review").await;
    assert!(b.text_of("preflight-headline").await.contains("would be able to reach"));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert!(key_identifier(&arm::registry(&b, "contosoprod").await).contains("kv-acr-rbac"));
    b.wait_text("key-identifier", "kv-acr-rbac").await;

    // The registry identity's assignments (the list is paged by two, and the demo users' roles on the subscription apply here too).
    let assignments = format!(
        "{}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=principalId%20eq%20'{}'",
        vault_id(DEMO_RBAC_VAULT),
        acr_cmk_emulator::scenario::DEMO_IDENTITY_PRINCIPAL
    );
    let token = b.emulator.demo_token();
    // Those made on the vault itself.
    let on_vault = |answer: Value| -> Vec<Value> {
        answer["value"].as_array().unwrap().iter().filter(|a| a["properties"]["scope"] == vault_id(DEMO_RBAC_VAULT)).cloned().collect()
    };
    let before = on_vault(arm::send(&b, Method::GET, &assignments, &token, None).await.1);
    assert_eq!(before.len(), 1, "{before:?}");

    // Where Resource Graph is refused, the blast radius comes from the registry's own subscription, and the dialog says so.
    faults::add(
        &b,
        json!({"method": "POST", "pathContains": "Microsoft.ResourceGraph", "kind": "status", "status": 403, "code": "AuthorizationFailed"}),
    )
    .await;
    b.click("revoke-open").await;
    assert!(b.text_of("revoke-searched").await.contains("subscription only: Resource Graph answered AuthorizationFailed"));
    assert_eq!(b.text_of("preview-method").await, "DELETE");
    assert!(b.text_of("preview-az").await.starts_with("az role assignment delete --ids"));
    b.type_into("confirm-phrase", "contosoprod").await;
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert_eq!(probe::status(&b, "contosoprod").await, 403);
    assert_eq!(on_vault(arm::send(&b, Method::GET, &assignments, &token, None).await.1), Vec::<Value>::new());

    faults::clear(&b).await;
    b.wait_text("restore-access", "Restore").await;
    b.click("restore-access").await;
    assert_eq!(b.text_of("preview-method").await, "PUT");
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert_eq!(probe::status(&b, "contosoprod").await, 200);
    let after = on_vault(arm::send(&b, Method::GET, &assignments, &token, None).await.1);
    assert_eq!(after[0]["name"], before[0]["name"], "the same assignment (name, role, principal) is back");
    assert_eq!(after[0]["properties"]["roleDefinitionId"], before[0]["properties"]["roleDefinitionId"]);
    assert_eq!(after[0]["properties"]["principalId"], before[0]["properties"]["principalId"]);

    // A subscription-scope Key Vault Administrator grant reaches the vault too: revoke leaves it, and says so.
    let admin = format!("/subscriptions/{DEMO_SUBSCRIPTION}/providers/Microsoft.Authorization/roleAssignments/6d6f636b-0000-4000-8000-0000000000f9?api-version=2022-04-01");
    let principal = before[0]["properties"]["principalId"].as_str().unwrap().to_string();
    let role = format!(
        "/subscriptions/{DEMO_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/00482a5a-887f-4fb3-b363-3b7fe8e74483"
    );
    let (status, answer) = arm::send(
        &b,
        Method::PUT,
        &admin,
        &token,
        Some(json!({"properties": {"roleDefinitionId": role, "principalId": principal, "principalType": "ServicePrincipal"}})),
    )
    .await;
    assert!(status == 200 || status == 201, "{status} {answer}");
    b.click("revoke-open").await;
    let kept = b.text_of("revoke-kept").await;
    assert!(kept.contains("Key Vault Administrator at /subscriptions/") && kept.contains("not removed here"), "{kept}");
    b.type_into("confirm-phrase", "contosoprod").await;
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    // The vault-scope assignment went; the subscription-scope one stays and still grants access, as the dialog said.
    assert_eq!(
        arm::send(&b, Method::GET, &assignments, &token, None).await.1["value"]
            .as_array()
            .map(|v| v.iter().filter(|a| a["properties"]["scope"].as_str() == Some(&vault_id(DEMO_RBAC_VAULT))).count()),
        Some(0)
    );
    assert_eq!(arm::send(&b, Method::GET, &admin, &token, None).await.0, 200);
    assert_eq!(probe::status(&b, "contosoprod").await, 200);
    // The refused Resource Graph query.
    b.assert_clean_log(&["status of 403"]).await;
}

#[tokio::test]
async fn rotating_to_a_new_key_creates_it_through_arm_first() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoauto").await;
    b.click("rotate-open").await;
    b.select("rotate-key", "__new__").await;
    b.type_into("rotate-new-key-name", "acr-cmk-key-2027").await;
    b.click("rotate-review").await;
    b.wait_for("rotate-preflight").await;
    let steps = b.texts_of_at_least("write-step", 2).await;
    assert!(steps[0].contains("PUT") && steps[0].contains("/keys/acr-cmk-key-2027?api-version=2025-05-01"), "{steps:?}");
    assert!(steps[0].contains("az keyvault key create --vault-name kv-acr-demo -n acr-cmk-key-2027 --kty RSA"), "{steps:?}");
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    let kid = KeyId::parse(&key_identifier(&arm::registry(&b, "contosoauto").await)).unwrap();
    assert_eq!((kid.name.as_str(), kid.is_versionless()), ("acr-cmk-key-2027", true));
    assert_eq!(probe::status(&b, "contosoauto").await, 200);
    // The pre-flight looked for the new key's versions before it existed: ARM's 404.
    b.assert_clean_log(&["acr-cmk-key-2027/versions"]).await;
}

#[tokio::test]
async fn a_user_identity_from_the_subscription_is_attached_and_then_removed() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    // ARM spells this id with `resourcegroups`, as the managed-identity provider does.
    let nokey = format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourcegroups/{DEMO_RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-nokey");
    b.select("identity-assign-select", &nokey).await;
    b.click("identity-assign").await;
    let body: Value = serde_json::from_str(&b.text_of("preview-body").await).unwrap();
    assert_eq!(body, json!({"identity": {"type": "UserAssigned", "userAssignedIdentities": {nokey.clone(): {}}}}));
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    let users = arm::registry(&b, "contosoprod").await.identity.unwrap().user_assigned_identities.unwrap();
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
    let users = arm::registry(&b, "contosoprod").await.identity.unwrap().user_assigned_identities.unwrap();
    assert_eq!(users.len(), 1, "{users:?}");
    assert!(users.keys().next().unwrap().ends_with("/id-acr-cmk"));
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_throttled_poll_is_retried_and_a_failed_operation_shows_its_error() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;

    // Polling Azure-AsyncOperation is a read: a 429 there is waited out and the write completes.
    faults::add(
        &b,
        json!({"method": "GET", "pathContains": "operationStatuses", "kind": "status", "status": 429, "retryAfter": 1, "times": 1}),
    )
    .await;
    b.click("identity-system-toggle").await;
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert!(arm::registry(&b, "contosoprod").await.identity.unwrap().kinds().system);
    let left = faults::pending(&b).await;
    assert_eq!(left["value"], json!([]), "the poll met the 429 (a one-time fault is gone once fired): {left}");

    // The operation itself ends Failed: its error is shown with the write's request id; nothing changed.
    faults::add(&b, json!({"method": "PATCH", "pathContains": "registries/contosoprod", "kind": "lroFailed", "times": 1})).await;
    b.wait_text("identity-system-toggle", "Turn off").await;
    b.click("identity-system-toggle").await;
    b.click("write-confirm").await;
    b.wait_for("write-failed").await;
    assert_eq!(b.text_of("arm-error-code").await, "InternalServerError");
    assert!(b.text_of("arm-error").await.contains("Request id"));
    assert!(b.text_of("write-report").await.contains("Step 1 of 1 failed"));
    close_dialog(&b).await;
    assert!(arm::registry(&b, "contosoprod").await.identity.unwrap().kinds().system, "a failed operation changes nothing");
    b.assert_clean_log(&FAULT_LOG).await;
}

#[tokio::test]
async fn a_write_without_an_answer_says_it_may_still_complete_and_is_not_resent() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    // ARM answers the PATCH only after the console's 30-second limit: the write happens, the answer is lost.
    faults::add(&b, json!({"method": "PATCH", "pathContains": "registries/contosoprod", "kind": "delay", "delayMs": 34000, "times": 1}))
        .await;
    b.click("identity-system-toggle").await;
    b.click("write-confirm").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(45);
    while !b.is_present("write-failed").await {
        assert!(tokio::time::Instant::now() < deadline, "no time-out shown");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(b.text_of("arm-error-code").await, "TimedOut");
    assert!(b.text_of("write-unsure").await.contains("may still complete"));
    close_dialog(&b).await;
    let (patches, stats) = registry_patches(&b).await;
    assert_eq!(patches, 1, "never resent: {stats}");
    // Whatever became of it, the page (refreshed on close) shows ARM's state, not a guess.
    let system = arm::registry(&b, "contosoprod").await.identity.unwrap().kinds().system;
    b.wait_text("identity-system-toggle", if system { "Turn off" } else { "Turn on" }).await;
    b.assert_clean_log(&["net::ERR", "AbortError", "aborted"]).await;
}

#[tokio::test]
async fn a_write_arm_accepted_whose_poll_then_fails_says_the_outcome_is_unknown_never_nothing_changed() {
    let b = Browser::start().await;
    open_for_writes(&b, "contosoprod").await;
    // Every try of the operation poll (a read: retried up to three times) fails after ARM accepted the PATCH.
    faults::add(&b, json!({"method": "GET", "pathContains": "operationStatuses", "kind": "status", "status": 500, "times": 3})).await;
    b.click("identity-system-toggle").await;
    b.click("write-confirm").await;
    b.wait_for("write-failed").await;
    assert_eq!(b.text_of("arm-error-code").await, "AcceptedOutcomeUnknown");
    assert!(b.text_of("arm-error").await.contains("ARM accepted the change"));
    assert!(b.text_of("write-unsure").await.contains("may still complete"));
    assert_eq!(b.text_of("write-step-state").await, "Outcome unknown");
    close_dialog(&b).await;
    // It did happen: once the operation settles ARM has the system identity on, and Refresh shows it.
    let deadline = tokio::time::Instant::now() + WAIT;
    while !arm::registry(&b, "contosoprod").await.identity.unwrap().kinds().system {
        assert!(tokio::time::Instant::now() < deadline, "the accepted write never took effect");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    b.click("refresh").await;
    b.wait_text("identity-system-toggle", "Turn off").await;
    b.assert_clean_log(&["status of 500"]).await;
}

#[tokio::test]
async fn identities_changed_behind_the_consoles_back_are_read_again_and_the_new_plan_confirmed() {
    let b = Browser::start().await;
    let token = b.emulator.demo_token();
    let path = format!("{}?api-version=2025-04-01", support::world::registry_id("contosodev"));
    let nokey = format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourcegroups/{DEMO_RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-nokey");
    let patch = |body: Value| {
        let (b, path, token) = (&b, path.clone(), token.clone());
        async move {
            let (status, answer) = arm::send(b, Method::PATCH, &path, &token, Some(body)).await;
            assert!(matches!(status, 200 | 201), "{status} {answer}");
        }
    };
    let settled = |want: fn(&Registry) -> bool| {
        let b = &b;
        async move {
            let deadline = tokio::time::Instant::now() + WAIT;
            while !want(&arm::registry(b, "contosodev").await) {
                assert!(tokio::time::Instant::now() < deadline, "the registry did not settle");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    // contosodev (no customer-managed key) has only a system identity.
    patch(json!({"identity": {"type": "SystemAssigned"}})).await;
    settled(|r| r.identity.as_ref().is_some_and(|i| i.kinds().system)).await;

    b.demo_sign_in_at(&registry_path("contosodev")).await;
    b.click("write-mode").await;
    b.wait_text("identity-system-toggle", "Turn off").await;
    b.click("identity-system-toggle").await;
    // A removal says what goes with it, and its confirm looks destructive.
    assert!(b.text_of("identity-consequences").await.contains("new principal"));
    assert_eq!(b.wait_for("write-confirm").await.attr("class").await.unwrap().as_deref(), Some("danger"));
    let shown: Value = serde_json::from_str(&b.text_of("preview-body").await).unwrap();
    assert_eq!(shown, json!({"identity": {"type": "None"}}));

    // Meanwhile, through ARM: a user-assigned identity is attached. The preview's `None` would now drop it.
    patch(json!({"identity": {"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": {nokey.clone(): {}}}})).await;
    settled(|r| r.identity.as_ref().is_some_and(|i| i.kinds().user)).await;

    let (patches_before, _) = registry_patches(&b).await;
    b.click("write-confirm").await;
    assert!(b.text_of("write-replanned").await.contains("Changed since you opened this dialog"));
    b.wait_text("preview-body", "UserAssigned").await;
    let fresh: Value = serde_json::from_str(&b.text_of("preview-body").await).unwrap();
    assert_eq!(fresh, json!({"identity": {"type": "UserAssigned"}}));
    assert_eq!(registry_patches(&b).await.0, patches_before, "nothing is sent until the new plan is confirmed");
    b.screenshot("identity-replanned").await;

    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    let after = arm::registry(&b, "contosodev").await.identity.unwrap();
    assert!(!after.kinds().system, "{after:?}");
    let users = after.user_assigned_identities.unwrap_or_default();
    assert!(users.keys().any(|k| k.eq_ignore_ascii_case(&nokey)), "the identity attached meanwhile is still attached: {users:?}");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_key_in_another_subscriptions_vault_rotates_and_its_access_is_revoked_and_restored() {
    let b = Browser::start().await;
    // A new version of the central key, made through Key Vault itself.
    let vault_token = admin::vault_token(&b).await;
    let (status, bundle) = arm::send(
        &b,
        Method::POST,
        "/_vault/kv-contoso-central/keys/acr-central-key/rotate?api-version=7.5",
        &vault_token,
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "data-plane rotate: {bundle}");
    let new_version = KeyId::parse(bundle["key"]["kid"].as_str().unwrap()).unwrap().version.unwrap();

    open_for_writes(&b, "contosocentral").await;
    b.click("rotate-open").await;
    // The vault the registry uses is offered though it is not in the registry's subscription.
    b.select("rotate-version", &new_version).await;
    b.click("rotate-review").await;
    assert!(b.text_of("preflight-headline").await.contains("would be able to reach"));
    let body = b.text_of("preview-body").await;
    assert!(body.contains(&format!("https://kv-contoso-central.vault.azure.net/keys/acr-central-key/{new_version}")), "{body}");
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert!(key_identifier(&arm::registry(&b, "contosocentral").await).ends_with(&new_version));

    // Revoke and restore plan their vault steps on the other subscription's vault.
    b.click("revoke-open").await;
    assert!(b.text_of("preview-url").await.contains("/subscriptions/6d6f636b-0000-4000-8000-000000000002/"));
    b.type_into("confirm-phrase", "contosocentral").await;
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert_eq!(probe::status(&b, "contosocentral").await, 403);
    b.wait_text("restore-access", "Restore").await;
    b.click("restore-access").await;
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    close_dialog(&b).await;
    assert_eq!(probe::status(&b, "contosocentral").await, 200);
    b.assert_clean_log(&[]).await;
}
