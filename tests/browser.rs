//! End-to-end: the release console in headless Chromium against the emulator.
//!
//! Each test compares what the page shows with what the emulator's ARM API
//! returns for the same resource, so nothing here is a hard-coded expectation
//! of the page.

mod support;

use acr_cmk_domain::key_id::KeyId;
use serde_json::json;
use support::world::registry_path;
use support::{admin, arm, requests, Browser};

#[tokio::test]
async fn demo_sign_in_lists_every_registry_across_pages_and_shows_a_pinned_key() {
    let b = Browser::start().await;
    b.demo_sign_in().await;

    // Three demo registries at two per page: the console must follow nextLink.
    let names = b.texts_of_at_least("registry-link", 3).await;
    for expected in ["contosoprod", "contosoauto", "contosodev"] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from the list {names:?}");
    }
    assert!(b.text_of("subscription").await.contains("Contoso Demo"));
    b.screenshot("registries").await;

    let arm = arm::registry(&b, "contosoprod").await;
    let kv = arm.properties.encryption.clone().unwrap().key_vault_properties.unwrap();
    let key_id = kv.key_identifier.clone().unwrap();
    let version = KeyId::parse(&key_id).unwrap().version.expect("contosoprod pins a key version");

    b.open_listed_registry("contosoprod").await;
    assert_eq!(b.text_of("registry-name").await, "contosoprod");
    assert_eq!(b.text_of("encryption-status").await, "enabled");
    assert_eq!(b.text_of("key-identifier").await, key_id);
    assert_eq!(b.text_of("versioned-key-identifier").await, kv.versioned_key_identifier.unwrap());
    assert_eq!(b.text_of("key-identity").await, kv.identity.unwrap());
    assert_eq!(b.text_of("key-rotation-enabled").await, "false");
    assert!(b.text_of("rotation-summary").await.contains(&format!("Pinned to version {version}")));
    assert_eq!(b.text_of("sku").await, arm.sku.name);
    b.screenshot("registry-pinned").await;
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_versionless_key_shows_auto_rotation_and_the_version_in_use() {
    let b = Browser::start().await;
    b.demo_sign_in_at(&registry_path("contosoauto")).await;

    let arm = arm::registry(&b, "contosoauto").await;
    let kv = arm.properties.encryption.unwrap().key_vault_properties.unwrap();
    assert!(KeyId::parse(kv.key_identifier.as_deref().unwrap()).unwrap().is_versionless());
    assert_eq!(b.text_of("key-identifier").await, kv.key_identifier.unwrap());
    assert_eq!(b.text_of("key-rotation-enabled").await, "true");
    assert!(b.text_of("rotation-summary").await.contains("Auto-rotation on"));
    assert_eq!(b.text_of("versioned-key-identifier").await, kv.versioned_key_identifier.unwrap());
    assert_eq!(b.text_of("last-key-rotation").await, kv.last_key_rotation_timestamp.unwrap());
    b.screenshot("registry-auto-rotation").await;
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_registry_without_cmk_says_disabled() {
    let b = Browser::start().await;
    b.demo_sign_in_at(&registry_path("contosodev")).await;
    assert_eq!(b.text_of("registry-name").await, "contosodev");
    assert_eq!(b.text_of("encryption-status").await, "disabled");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn bad_tokens_are_refused_on_the_sign_in_screen_and_nothing_is_sent() {
    let b = Browser::start().await;
    let arm = b.emulator.arm_url.clone();
    let expired = admin::token(&b, json!({"expiresInSecs": -60})).await;
    let graph = admin::token(&b, json!({"expiresInSecs": 3600, "aud": "https://graph.microsoft.com"})).await;

    b.open("/").await;
    b.type_into("endpoint-input", &arm).await;
    b.reset_arm_requests().await;
    for (input, says) in
        [("not a token", "not an access token"), (expired.as_str(), "expired"), (graph.as_str(), "not for Azure Resource Manager")]
    {
        b.type_into("token-input", input).await;
        b.click("sign-in").await;
        let error = b.text_of("sign-in-error").await;
        assert!(error.contains(says), "for {input:.20}… expected '{says}' in '{error}'");
    }
    b.screenshot("sign-in-refused").await;
    let stats = b.arm_requests().await;
    let arm_calls = requests::count(&stats, |route| !route.contains("/_emulator/"));
    assert_eq!(arm_calls, 0, "a refused token must send nothing; emulator saw {stats}");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn arm_errors_and_an_unreachable_endpoint_are_shown_with_their_code() {
    let b = Browser::start().await;
    // A registry that does not exist: ARM's 404 code and message reach the page.
    b.demo_sign_in_at(&registry_path("nosuchregistry")).await;
    assert_eq!(b.text_of("arm-error-code").await, "ResourceNotFound");
    assert!(b.text_of("arm-error").await.contains("nosuchregistry"));
    b.screenshot("registry-not-found").await;

    // A pasted token against an endpoint where nothing listens.
    let token = b.emulator.demo_token();
    let closed = format!("http://127.0.0.1:{}", support::free_port());
    b.sign_out().await;
    b.type_into("endpoint-input", &closed).await;
    b.type_into("token-input", &token).await;
    b.click("sign-in").await;
    let shown = b.text_of("arm-error").await;
    assert!(shown.contains("Could not reach"), "unreachable endpoint shown as: {shown}");
    // An endpoint other than config.json's is outside the CSP's connect-src: the browser refuses it
    // before the network (and says so in the log), which the console shows as unreachable too.
    b.assert_clean_log(&[
        "status of 404",
        "ERR_CONNECTION_REFUSED",
        "violates the following Content Security Policy",
        "Refused to connect",
    ])
    .await;
}
