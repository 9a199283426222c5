//! End-to-end: a helpdesk user who holds only Reader, in headless Chromium against the emulator.
//!
//! - `a_reader_reads_every_page_sends_no_write_and_is_told_what_each_write_needs`: signed in
//!   through the emulator's Entra ID as the helpdesk user (Reader on the subscription), the
//!   registry page of contosolost (never granted its key) reads and diagnoses as for anyone;
//!   in write mode every write (rotate, identities, revoke/restore, the firewall sequence and
//!   the access check's fix) is no button but says which permission is missing and the
//!   built-in role that grants it (Contributor on the registry, Key Vault Contributor on the
//!   access-policy vault); the decoder reads too. The emulator's own request count proves no
//!   PUT, PATCH, DELETE or POST but Resource Graph's read was sent, and that both permission
//!   reads were (the sign-in's own Entra ID requests aside). The writes panel passes axe in light and dark.

mod support;

use acr_cmk_emulator::auth::HELPDESK_USER_UPN;
use serde_json::json;
use support::world::registry_path;
use support::{requests, Browser};

#[tokio::test]
async fn a_reader_reads_every_page_sends_no_write_and_is_told_what_each_write_needs() {
    let b = Browser::start().await;
    b.open(&registry_path("contosolost")).await;
    b.click("entra-sign-in").await;
    b.wait_for(&format!("entra-user-{HELPDESK_USER_UPN}")).await;
    b.pick_user(HELPDESK_USER_UPN).await;
    b.wait_for("signed-in-user").await;
    b.wait_for_path(&registry_path("contosolost")).await;

    // The reads work as for anyone: the diagnosis finds the missing grant.
    assert_eq!(b.state_of("verdict", &["broken"]).await, "broken");
    assert_eq!(b.wait_for("check-access").await.attr("data-state").await.unwrap().as_deref(), Some("fail"));

    b.click("write-mode").await;
    let registry_write = "'Microsoft.ContainerRegistry/registries/write' on the registry";
    let policy_write = "'Microsoft.KeyVault/vaults/accessPolicies/write' on the key vault";
    for (what, needs, role) in [
        ("rotate", registry_write, "Contributor"),
        ("identity", registry_write, "Contributor"),
        ("key-access", policy_write, "Key Vault Contributor"),
        ("firewall", registry_write, "Contributor"),
        ("fix-access", policy_write, "Key Vault Contributor"),
    ] {
        let text = b.wait_text(&format!("permission-missing-{what}"), needs).await;
        assert!(text.contains(&format!("The built-in role '{role}' grants it.")), "{what}: {text}");
    }
    // Not offered as buttons that send.
    for button in
        ["rotate-open", "identity-assign", "identity-system-toggle", "revoke-open", "restore-access", "firewall-open", "apply-fix-access"]
    {
        assert!(!b.is_present(button).await, "{button} is offered to a Reader");
    }
    b.js("document.querySelector('[data-testid=writes-panel]').scrollIntoView();").await;
    b.screenshot("reader-writes-light").await;
    let violations = b.axe_violations("[data-testid=writes-panel]").await;
    assert_eq!(violations, json!([]), "axe (reader's writes, light): {violations:#}");
    b.emulate_color_scheme("dark").await;
    b.screenshot("reader-writes-dark").await;
    let violations = b.axe_violations("[data-testid=writes-panel]").await;
    assert_eq!(violations, json!([]), "axe (reader's writes, dark): {violations:#}");

    // The decoder reads for a Reader too.
    b.click("nav-decode").await;
    b.wait_for_path("/decode").await;
    b.wait_for("decode-input").await;

    // The emulator's own count: reads only, and the caller's permissions on the registry and the vault among them.
    let stats = b.arm_requests().await;
    println!("ARM requests of the Reader's session: {stats}");
    // (Entra ID's own routes are the sign-in: the account picker's form and the token exchange.)
    let sent = |r: &str| r.starts_with("GET ") || r == "POST /providers/Microsoft.ResourceGraph/resources" || r.contains("/oauth2/v2.0/");
    assert_eq!(requests::count(&stats, |r| !sent(r)), 0, "a write was sent: {stats}");
    assert_eq!(requests::count(&stats, |r| r.ends_with("/providers/Microsoft.Authorization/permissions")), 2, "{stats}");
    b.assert_clean_log(&[]).await;
}
