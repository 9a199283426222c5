//! The guided demo (issue 15, item 4): the whole tour with "Do it for me" at every step, in
//! English and in Korean, checked against the emulator's ARM after each step; the panel
//! under axe, by keyboard (focus on the heading, Escape minimises), across a reload; and
//! "Reset the demo" puts the scenario back and the tour at step 1.

mod support;

use std::time::Duration;

use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use http::Method;
use serde_json::json;
use support::world::{registry_path, DEMO_VAULT};
use support::Browser;

const TOUR_REGISTRY: &str = "contosotour";
/// `id-acr-cmk`'s principal and client ids in the demo scenario.
const PRINCIPAL: &str = acr_cmk_emulator::scenario::DEMO_IDENTITY_PRINCIPAL;
const CLIENT: &str = acr_cmk_emulator::scenario::DEMO_IDENTITY_CLIENT;

/// Clicks "Do it for me" and waits for the step to end; a failure shows its error.
async fn do_it(b: &Browser) {
    act(b, "tour-do").await;
}

/// Clicks one of the panel's action buttons and waits for the step's status to say done.
async fn act(b: &Browser, button: &str) {
    b.click(button).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(150);
    loop {
        if b.is_present("tour-done").await {
            return;
        }
        if b.is_present("tour-error").await {
            panic!("step failed: {}", b.text_of("tour-error").await);
        }
        assert!(tokio::time::Instant::now() < deadline, "the step never ended: {}", b.text_of("tour-status").await);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Waits until the panel shows step `n` (1-based).
async fn wait_step(b: &Browser, n: usize) {
    let deadline = tokio::time::Instant::now() + support::WAIT;
    let script = "return document.querySelector('[data-testid=tour-panel]')?.dataset.step;";
    while b.js(script).await != json!(n.to_string()) {
        assert!(tokio::time::Instant::now() < deadline, "the panel never showed step {n}: {}", b.js(script).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn next(b: &Browser, n: usize) {
    b.click("tour-next").await;
    wait_step(b, n).await;
}

/// The tour registry as ARM has it now.
async fn registry(b: &Browser) -> Registry {
    support::arm::registry(b, TOUR_REGISTRY).await
}

fn key_id(r: &Registry) -> KeyId {
    KeyId::parse(r.key_vault_properties().and_then(|k| k.key_identifier.as_deref()).expect("a key identifier")).unwrap()
}

fn versioned(r: &Registry) -> KeyId {
    KeyId::parse(r.key_vault_properties().and_then(|k| k.versioned_key_identifier.as_deref()).expect("a versioned key identifier")).unwrap()
}

/// Whether the demo vault grants `principal` get, wrapKey and unwrapKey.
async fn vault_grants(b: &Browser, principal: &str) -> bool {
    let vault = support::arm::vault(b, DEMO_VAULT).await;
    vault.properties.access_policies.iter().any(|p| p.object_id.eq_ignore_ascii_case(principal) && p.grants_cmk())
}

/// The registry data plane's answer (`200`, or `403` when the key cannot be reached).
async fn probe(b: &Browser) -> u16 {
    let url = format!("{}/_emulator/registries/{TOUR_REGISTRY}/v2/", b.emulator.arm_url);
    let (status, _) = support::client::send(Method::GET, &url, None, None).await;
    status
}

/// The heading has focus (it moves there on every step).
async fn heading_has_focus(b: &Browser) {
    let deadline = tokio::time::Instant::now() + support::WAIT;
    while b.js("return document.activeElement?.id;").await != json!("tour-heading") {
        assert!(tokio::time::Instant::now() < deadline, "focus is not on the panel's heading");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the outline is on the element `test_id` names.
async fn wait_outlined(b: &Browser, test_id: &str) {
    let deadline = tokio::time::Instant::now() + support::WAIT;
    let script = "return document.querySelector('[data-tour-target]')?.dataset.tourTarget;";
    while b.js(script).await != json!(test_id) {
        assert!(tokio::time::Instant::now() < deadline, "{test_id} is never outlined: {}", b.js(script).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn axe_clean(b: &Browser, what: &str) {
    let violations = b.axe_violations("document").await;
    assert_eq!(violations, json!([]), "axe ({what}): {violations:#}");
}

/// The whole tour; `lang` names the screenshots; `step1_title` is step 1's heading in that language.
async fn whole_tour(b: &Browser, lang: &str, step1_title: &str) {
    b.demo_sign_in_at("/").await;
    let auto_before = versioned(&support::arm::registry(b, "contosoauto").await);
    b.click("tour-start").await;
    b.wait_text("tour-heading", step1_title).await;
    heading_has_focus(b).await;
    let region = "const p = document.querySelector('[data-testid=tour-panel]'); return [p.tagName, p.getAttribute('aria-label')];";
    let named = b.js(region).await;
    assert_eq!(named[0], json!("ASIDE"), "a complementary landmark");
    assert!(named[1].as_str().is_some_and(|n| !n.is_empty()), "named: {named}");
    // Write mode first: the header's switch (its label) is outlined.
    wait_outlined(b, "write-mode").await;
    axe_clean(b, &format!("tour step 1, {lang}")).await;
    b.screenshot(&format!("tour-{lang}-1-create-light")).await;

    // 1. Create: Premium, CMK through id-acr-cmk, pinned to the key's newest version.
    do_it(b).await;
    b.wait_for_path(&registry_path(TOUR_REGISTRY)).await;
    let r = registry(b).await;
    assert!(r.properties.encryption.as_ref().is_some_and(|e| e.is_enabled()), "CMK on");
    assert_eq!(key_id(&r).version.as_deref(), Some(acr_cmk_emulator::scenario::DEMO_KEY_V2), "pinned to the newest version");
    assert_eq!(r.key_vault_properties().and_then(|k| k.identity.as_deref()), Some(CLIENT));
    assert_eq!(probe(b).await, 200);
    // The creation plan's existence check (a GET that finds no registry yet) is the one 404 expected.
    b.assert_clean_log(&["registries/contosotour?api-version=2025-04-01"]).await;

    // 2. Status: the page's verdict, outlined.
    next(b, 2).await;
    heading_has_focus(b).await;
    do_it(b).await;
    // The result is read in the verdict: outlined.
    wait_outlined(b, "verdict").await;
    axe_clean(b, &format!("tour step 2, {lang}")).await;
    b.screenshot(&format!("tour-{lang}-2-status-light")).await;

    // 3. Rotate by hand: a third version, pinned.
    next(b, 3).await;
    do_it(b).await;
    let r = registry(b).await;
    let pinned = key_id(&r).version.expect("pinned");
    assert_ne!(pinned, acr_cmk_emulator::scenario::DEMO_KEY_V2, "a new version");
    assert_eq!(versioned(&r).version.as_deref(), Some(pinned.as_str()));

    // A reload keeps the tour's place (the session is in memory: sign in again).
    b.demo_sign_in_at(&registry_path(TOUR_REGISTRY)).await;
    wait_step(b, 3).await;

    // 4. Versionless: auto-rotation on.
    next(b, 4).await;
    do_it(b).await;
    let r = registry(b).await;
    assert_eq!(key_id(&r).version, None, "versionless");
    assert_eq!(r.key_vault_properties().and_then(|k| k.key_rotation_enabled), Some(true));

    // 5. Auto-rotation picks up a fourth version by itself.
    next(b, 5).await;
    do_it(b).await;
    assert!(b.is_present("tour-said").await);
    let r = registry(b).await;
    let in_use = versioned(&r).version.expect("a version in use");
    assert_ne!(in_use, pinned, "rotated past the hand-pinned version");
    assert_eq!(key_id(&r).version, None, "still versionless");

    // 6. Revoke: the identity loses get/wrapKey/unwrapKey; the registry's data is inaccessible.
    next(b, 6).await;
    do_it(b).await;
    assert!(!vault_grants(b, PRINCIPAL).await, "access revoked");
    assert_eq!(probe(b).await, 403, "inaccessible");
    wait_outlined(b, "verdict").await;
    b.screenshot(&format!("tour-{lang}-6-revoked-light")).await;

    // 7. Restore: exactly what was removed comes back.
    next(b, 7).await;
    do_it(b).await;
    assert!(vault_grants(b, PRINCIPAL).await, "access restored");
    assert_eq!(probe(b).await, 200);

    // 8. The firewall sequence. First the scene: the vault's firewall closed with no exception cuts the
    // registry (user-assigned identity) off its key; then system identity on, granted, trusted services
    // bypass, rotated to it.
    next(b, 8).await;
    act(b, "tour-scene").await;
    assert!(b.text_of("tour-said").await.len() > 20, "the scene says what it did");
    assert!(!b.is_present("tour-finished").await, "the story is not over until the step is done");
    assert!(!support::arm::vault(b, DEMO_VAULT).await.properties.bypasses_azure_services());
    assert_eq!(probe(b).await, 403, "the closed firewall keeps the user-assigned identity out");
    assert_eq!(b.state_of("verdict", &["broken"]).await, "broken", "the page, read again, shows it");
    b.screenshot(&format!("tour-{lang}-8-firewall-closed-light")).await;
    do_it(b).await;
    // "Do it for me" says nothing more than done: the scene's words are gone once it has run.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(150);
    while b.is_present("tour-said").await || !b.is_present("tour-done").await {
        assert!(tokio::time::Instant::now() < deadline, "the firewall step never ended: {}", b.text_of("tour-status").await);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let r = registry(b).await;
    assert!(r.identity.as_ref().is_some_and(|i| i.kinds().system && i.kinds().user), "system identity on beside the user one");
    assert_eq!(r.key_vault_properties().and_then(|k| k.identity.as_deref()), Some("system"));
    let system_principal = r.identity.as_ref().and_then(|i| i.principal_id.clone()).expect("the system identity's principal");
    assert!(vault_grants(b, &system_principal).await, "the system identity holds the key permissions");
    assert!(support::arm::vault(b, DEMO_VAULT).await.properties.bypasses_azure_services());
    assert_eq!(probe(b).await, 200);
    b.wait_for("tour-finished").await;
    wait_outlined(b, "verdict").await;
    axe_clean(b, &format!("tour step 8, {lang}")).await;
    b.emulate_color_scheme("dark").await;
    b.screenshot(&format!("tour-{lang}-8-firewall-dark")).await;
    axe_clean(b, &format!("tour step 8, {lang}, dark")).await;
    b.emulate_color_scheme("light").await;

    // Keyboard: Escape minimises to the launcher (focused); the launcher opens it on the heading.
    b.js("document.getElementById('tour-heading').focus();").await;
    b.client.active_element().await.unwrap().send_keys("\u{E00C}").await.unwrap();
    b.wait_for("tour-start").await;
    assert!(!b.is_present("tour-panel").await, "minimised");
    assert_eq!(b.js("return document.activeElement?.dataset.testid;").await, json!("tour-start"));
    b.click("tour-start").await;
    heading_has_focus(b).await;

    // Reset the demo: the scenario is back, the tour at step 1.
    b.click("tour-reset").await;
    b.wait_for("tour-reset-done").await;
    wait_step(b, 1).await;
    b.wait_text("tour-heading", step1_title).await;
    b.wait_for_path("/create").await;
    let (status, _) = support::arm::send(
        b,
        Method::GET,
        &format!("{}?api-version=2025-04-01", support::world::registry_id(TOUR_REGISTRY)),
        &b.emulator.demo_token(),
        None,
    )
    .await;
    assert_eq!(status, 404, "the tour's registry is gone");
    let vault = support::arm::vault(b, DEMO_VAULT).await;
    assert!(!vault.properties.bypasses_azure_services(), "the vault is as seeded");
    assert!(vault_grants(b, PRINCIPAL).await);
    // contosoauto (versionless, same key) followed the tour's new versions; after the reset it is as seeded.
    assert_eq!(versioned(&support::arm::registry(b, "contosoauto").await), auto_before, "contosoauto as seeded");
    b.screenshot(&format!("tour-{lang}-reset-light")).await;

    b.click("tour-end").await;
    assert!(b.is_present("tour-start").await, "ended: the launcher offers it again");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn the_whole_tour_in_english_with_do_it_for_me_then_reset() {
    let b = Browser::start().await;
    whole_tour(&b, "en", "Create a registry with a customer-managed key").await;
}

#[tokio::test]
async fn the_whole_tour_in_korean_with_do_it_for_me_then_reset() {
    let b = Browser::start().await;
    // A Korean browser: Accept-Language and navigator.languages.
    b.open("/sign-in").await;
    let agent = b.js("return navigator.userAgent;").await;
    b.cdp("Network.setUserAgentOverride", json!({"userAgent": agent, "acceptLanguage": "ko-KR,ko,en-US"})).await;
    whole_tour(&b, "ko", "고객 관리형 키로 레지스트리 만들기").await;
}
