//! End-to-end: who changed what, when (issue 13, item 4), in headless Chromium against the emulator.
//!
//! - `after_a_revoke_the_timeline_names_the_signed_in_user_and_the_failing_check_links_to_it`: on
//!   contosoprod, the Activity panel first says nothing changed in the last 7 days (a fresh demo world);
//!   the demo administrator revokes the registry's key access in the console; after Refresh the access
//!   check fails, the timeline's newest row is the access-policy change ("Access policy changed") by
//!   `admin@contoso-demo.example`, Succeeded, on the key vault, as the emulator's own Activity Log
//!   records it, and the check's "Likely cause: … by admin@contoso-demo.example at …" links to that row
//!   (its anchor is the row's id; following it focuses and highlights the row). Screenshot `activity-panel`; axe
//!   clean on the panel.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::world::{registry_path, vault_id, DEMO_VAULT};
use support::{arm, Browser};

const ADMIN_UPN: &str = "admin@contoso-demo.example";

#[tokio::test]
async fn after_a_revoke_the_timeline_names_the_signed_in_user_and_the_failing_check_links_to_it() {
    let b = Browser::start().await;
    b.demo_sign_in_at(&registry_path("contosoprod")).await;
    assert_eq!(b.state_of("check-access", &["pass"]).await, "pass");
    // A fresh world: nothing has changed yet, and no check fails, so nothing is blamed.
    b.wait_for("activity-empty").await;
    assert!(!b.is_present("likely-cause-access").await);

    // The revoke, in the console (write mode, the dialog, the typed confirmation of its reach).
    b.click("write-mode").await;
    b.click("revoke-open").await;
    // Planned once the dialog knows every registry the revoke reaches (contosoauto shares the key).
    b.wait_text("revoke-warning", "contosoauto").await;
    b.type_into("confirm-phrase", "contosoprod +1").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !b.wait_for("write-confirm").await.is_enabled().await.unwrap() {
        assert!(tokio::time::Instant::now() < deadline, "Confirm stays disabled");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    b.click("write-close").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    b.click("refresh").await;
    assert_eq!(b.state_of("check-access", &["fail"]).await, "fail");

    // The timeline: the access-policy change, by the signed-in user, succeeded, on the key vault.
    let row = b.wait_for("activity-event").await;
    assert_eq!(row.attr("data-operation").await.unwrap().as_deref(), Some("Microsoft.KeyVault/vaults/accessPolicies/write"));
    assert_eq!(row.attr("data-status").await.unwrap().as_deref(), Some("succeeded"));
    let text = row.text().await.unwrap();
    assert!(text.contains("Access policy changed") && text.contains(ADMIN_UPN) && text.contains("Key vault"), "{text}");
    assert_eq!(b.text_of("activity-caller").await, ADMIN_UPN);

    // The same event as the emulator's Activity Log has it.
    let since = acr_cmk_domain::activity_log::format_timestamp(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64 - 3_600_000,
    );
    let subscription = vault_id(DEMO_VAULT).split('/').nth(2).unwrap().to_string();
    let filter = format!("eventTimestamp ge '{since}' and resourceUri eq '{}'", vault_id(DEMO_VAULT)).replace(' ', "%20");
    let log: Value =
        arm::get(&b, &format!("/subscriptions/{subscription}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter={filter}"))
            .await;
    let succeeded: Vec<&Value> = log["value"].as_array().unwrap().iter().filter(|e| e["status"]["value"] == "Succeeded").collect();
    assert_eq!(succeeded.len(), 1, "{log:#}");
    assert_eq!(succeeded[0]["caller"], ADMIN_UPN);
    let anchor = format!("activity-{}", succeeded[0]["eventDataId"].as_str().unwrap());
    assert_eq!(row.attr("id").await.unwrap().as_deref(), Some(anchor.as_str()));

    // The failing check names it and links to its row.
    let cause = b.wait_text("likely-cause-access", "Likely cause: Access policy changed by").await;
    assert!(cause.contains(&format!("by {ADMIN_UPN} at ")) && cause.contains("UTC"), "{cause}");
    let href = b.js("return document.querySelector('[data-testid=likely-cause-access] a').getAttribute('href');").await;
    assert_eq!(href, json!(format!("#{anchor}")));
    b.js("document.querySelector('[data-testid=likely-cause-access] a').click();").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let target = b.js("return document.activeElement ? document.activeElement.id : null;").await;
        if target == json!(anchor) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the link did not reach its row: {target}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b.js("document.querySelector('[data-testid=activity]').scrollIntoView({block: 'start'});").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    b.screenshot("activity-panel").await;
    let violations = b.axe_violations("[data-testid=activity]").await;
    assert_eq!(violations, json!([]), "axe (activity panel): {violations:#}");
    b.assert_clean_log(&[]).await;
}
