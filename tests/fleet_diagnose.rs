//! Issue 12 item 7: "Diagnose many" on the fleet page (`/fleet`), in headless Chromium
//! against the emulator's demo scenario (five registries with a customer-managed key:
//! `contosoprod`, `contosoauto` and `contosolost` on one key of `kv-acr-demo`, `contosocentral`
//! on a key in the security subscription, `contosorestricted` on a vault the demo user cannot
//! see; `contosodev` has none).
//!
//! - `diagnose_all_fills_the_verdicts_with_shared_reads_and_rides_out_a_429`: "Diagnose all CMK
//!   registries" with a `429` (`Retry-After: 1`) on the first key-versions read: the run
//!   completes (5 of 5), `contosolost` cannot reach its key, the three that can say so, and the
//!   emulator's count shows the reads shared (one vault list, one key-versions read per key,
//!   the throttled one sent again); "Only those that cannot reach their key" leaves
//!   `contosolost`; prints requests per registry diagnosed and the run's wall
//!   time beside the registry page's requests for one registry. Screenshots light and dark with
//!   the verdicts and the progress bar; axe finds nothing.
//! - `cancel_stops_the_run_and_a_row_re_read_from_arm_sees_a_revoke`: with the vault list slowed,
//!   Cancel right after "Diagnose all" leaves the run at 4 of 5 (the bound's four finish, the
//!   fifth never starts); "Diagnose the selected" diagnoses only the checked row; after a revoke
//!   through ARM, `contosoprod` still shows its old verdict until "Re-read from ARM" on its row
//!   reads it again and turns it red.
//! - `diagnose_all_on_the_fleet_scenario_shares_reads_across_thousands`: the 10,000-registry
//!   `fleet` scenario: "Diagnose all CMK registries" to the end; prints the requests per registry
//!   diagnosed and the wall time; the key-versions reads are at most one per vault's key (300),
//!   a registry whose identity was never granted cannot reach its key, a plain one can.

mod support;

use std::time::{Duration, Instant};

use acr_cmk_emulator::Scenario;
use http::Method;
use serde_json::{json, Value};
use support::world::DEMO_VAULT;
use support::{arm, faults, Browser, Options};

/// The emulator's route of a subscription's vault list.
const VAULT_LIST: &str = "/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/vaults";
/// The demo's registries with a customer-managed key.
const CMK_REGISTRIES: usize = 5;

/// Signs in at `/fleet` and waits for the table.
async fn open_fleet(b: &Browser) {
    b.demo_sign_in_at("/fleet").await;
    b.wait_for("fleet-row").await;
    b.wait_for("diagnose-all").await;
}

/// `(state, done, total)` of the progress bar, once it shows.
async fn progress(b: &Browser) -> (String, u64, u64) {
    let el = b.wait_for("diagnose-progress").await;
    let num = |v: Option<String>| v.and_then(|s| s.parse().ok()).unwrap_or(0);
    let state = el.attr("data-state").await.unwrap().unwrap_or_default();
    (state, num(el.attr("aria-valuenow").await.unwrap()), num(el.attr("aria-valuemax").await.unwrap()))
}

/// Waits until the run is over (finished or cancelled); its progress then.
async fn wait_over(b: &Browser) -> (String, u64, u64) {
    wait_over_within(b, support::WAIT).await
}

async fn wait_over_within(b: &Browser, within: Duration) -> (String, u64, u64) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let p = progress(b).await;
        if p.0 != "running" {
            return p;
        }
        assert!(tokio::time::Instant::now() < deadline, "the run never ended: {p:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The verdict cell of registry `name`: `(data-state, text)`.
async fn verdict(b: &Browser, name: &str) -> (String, String) {
    let v = b
        .js(&format!(
            "const c = document.querySelector(\"[data-testid=fleet-row][data-id$='/registries/{name}'] [data-testid=fleet-verdict]\"); \
             return c ? [c.dataset.state, c.textContent.trim()] : null;"
        ))
        .await;
    serde_json::from_value(v).unwrap_or_else(|_| panic!("no row for {name}"))
}

/// Waits until `name`'s verdict is in `state`; its text then.
async fn wait_verdict(b: &Browser, name: &str, state: &str) -> String {
    let deadline = tokio::time::Instant::now() + support::WAIT;
    loop {
        let (now, text) = verdict(b, name).await;
        if now == state {
            return text;
        }
        assert!(tokio::time::Instant::now() < deadline, "{name}'s verdict is {now} ({text}), expected {state}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the table holds `n` rows.
async fn wait_rows(b: &Browser, n: u64) {
    let deadline = tokio::time::Instant::now() + support::WAIT;
    loop {
        let now = b.js("return document.querySelectorAll('[data-testid=fleet-row]').length;").await.as_u64().unwrap();
        if now == n {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "{now} rows, expected {n}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the element `test_id` in registry `name`'s row.
async fn click_in_row(b: &Browser, name: &str, test_id: &str) {
    b.js(&format!("document.querySelector(\"[data-testid=fleet-row][data-id$='/registries/{name}'] [data-testid={test_id}]\").click();"))
        .await;
}

/// GET requests counted on routes containing `needle`.
fn gets(stats: &Value, needle: &str) -> u64 {
    support::requests::count(stats, |r| r.starts_with("GET ") && r.contains(needle))
}

#[tokio::test]
async fn diagnose_all_fills_the_verdicts_with_shared_reads_and_rides_out_a_429() {
    let b = Browser::start().await;
    open_fleet(&b).await;
    assert_eq!(verdict(&b, "contosoprod").await.0, "none", "nothing diagnosed yet");
    assert!(b.text_of("diagnose-all").await.contains(&format!("({CMK_REGISTRIES})")));
    assert!(b.text_of("diagnose-lag").await.contains("Re-read from ARM"), "Resource Graph's lag is said beside the controls");

    faults::add(&b, json!({"method": "GET", "pathContains": "/versions", "kind": "status", "status": 429, "retryAfter": 1, "times": 1}))
        .await;
    b.reset_arm_requests().await;
    let started = Instant::now();
    b.click("diagnose-all").await;
    let (state, done, total) = wait_over(&b).await;
    let took = started.elapsed();
    assert_eq!((state.as_str(), done, total), ("finished", CMK_REGISTRIES as u64, CMK_REGISTRIES as u64));
    assert_eq!(faults::pending(&b).await["value"], json!([]), "the 429 was served, and the run went on");

    let lost = wait_verdict(&b, "contosolost", "broken").await;
    assert!(lost.starts_with("Cannot reach its key:"), "{lost}");
    for name in ["contosoprod", "contosoauto", "contosocentral"] {
        assert_eq!(wait_verdict(&b, name, "ok").await, "Can reach its key", "{name}");
    }
    assert_eq!(verdict(&b, "contosorestricted").await.0, "unknown", "its vault is not visible to the demo user");
    assert_eq!(verdict(&b, "contosodev").await, ("none".to_string(), "No customer-managed key".to_string()));
    let status = b.text_of("diagnose-status").await;
    assert!(status.contains("5 of 5 diagnosed, done. Verdicts so far: 3 can reach their key, 1 cannot, 1 unconfirmed."), "{status}");

    // Shared reads: one vault list for the subscription all five live in (its pages), one
    // key-versions read per key (two keys visible of three; the throttled one sent twice).
    let stats = b.arm_requests().await;
    let total_requests = stats["total"].as_u64().unwrap();
    let versions = gets(&stats, "/versions");
    let el = b.wait_for("diagnose-progress").await;
    let (sent, shared) = (el.attr("data-reads-sent").await.unwrap().unwrap(), el.attr("data-reads-shared").await.unwrap().unwrap());
    println!("fleet diagnose: requests by route: {:#}", stats["routes"]);
    println!(
        "fleet diagnose: {CMK_REGISTRIES} registries in {took:?} (one 429 with Retry-After: 1 s among them): {total_requests} requests, \
         {:.1} per registry diagnosed; the batch asked {sent} reads and found {shared} already asked",
        total_requests as f64 / CMK_REGISTRIES as f64
    );
    assert_eq!(versions, 3, "one key-versions read per visible key (two), the throttled one sent again: {stats:#}");
    assert!(versions <= 3, "never more than the distinct keys (three) plus the retry");
    let vault_list_pages = support::requests::count(&stats, |r| r == format!("GET {VAULT_LIST}"));
    assert!(vault_list_pages >= 1 && vault_list_pages <= 3, "one vault list (its pages of two), not one per registry: {stats:#}");
    assert!(shared.parse::<u64>().unwrap() >= 4, "at least contosoauto's and contosolost's vault list and key versions were shared");
    assert!(total_requests < 5 * CMK_REGISTRIES as u64, "{total_requests} requests for {CMK_REGISTRIES} registries");

    // Only those that cannot reach their key: contosolost, then everything again.
    b.click("diagnose-only-unreachable").await;
    wait_rows(&b, 1).await;
    assert_eq!(verdict(&b, "contosolost").await.0, "broken");
    b.click("diagnose-only-unreachable").await;
    wait_rows(&b, 6).await;

    b.js("document.querySelector('[data-testid=fleet-diagnose]').scrollIntoView();").await;
    for scheme in ["light", "dark"] {
        b.emulate_color_scheme(scheme).await;
        b.screenshot(&format!("fleet-diagnose-{scheme}")).await;
        let violations = b.axe_violations("main").await;
        assert_eq!(violations, json!([]), "axe on the fleet page with verdicts ({scheme}): {violations:#}");
    }
    b.emulate_color_scheme("light").await;

    // For comparison: the registry page's requests for one registry (the full diagnosis, the
    // caller's permissions, the key, the Activity Log).
    b.reset_arm_requests().await;
    b.js("document.querySelector(\"[data-testid=fleet-row][data-id$='/registries/contosoprod'] [data-testid=fleet-name]\").click();").await;
    assert_eq!(b.state_of("verdict", &["ok"]).await, "ok");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let page = b.arm_requests().await["total"].as_u64().unwrap();
    println!("fleet diagnose: the registry page of contosoprod sent {page} requests (the diagnosis and the rest of the page)");
    b.assert_clean_log(&["status of 429", "status of 404"]).await;
}

#[tokio::test]
async fn cancel_stops_the_run_and_a_row_re_read_from_arm_sees_a_revoke() {
    let b = Browser::start().await;
    open_fleet(&b).await;

    // Every diagnosis waits on the vault list: Cancel lands while the first four are in flight.
    faults::add(&b, json!({"method": "GET", "route": VAULT_LIST, "kind": "delay", "delayMs": 3000, "times": 1})).await;
    b.click("diagnose-all").await;
    b.click("diagnose-cancel").await;
    let (state, done, total) = wait_over(&b).await;
    assert_eq!(state, "cancelled");
    assert_eq!(total, CMK_REGISTRIES as u64);
    assert_eq!(done, 4, "the four in flight finished, the fifth never started");
    let status = b.text_of("diagnose-status").await;
    assert!(status.contains("4 of 5 diagnosed, cancelled"), "{status}");
    let states: Vec<String> = {
        let mut v = Vec::new();
        for name in ["contosoprod", "contosoauto", "contosolost", "contosocentral", "contosorestricted"] {
            v.push(verdict(&b, name).await.0);
        }
        v
    };
    assert_eq!(states.iter().filter(|s| *s == "none").count(), 1, "one CMK registry left undiagnosed: {states:?}");
    faults::clear(&b).await;

    // The selection: only the checked registry.
    b.reset_arm_requests().await;
    click_in_row(&b, "contosoprod", "fleet-select").await;
    assert!(b.text_of("diagnose-selected").await.contains("(1)"));
    b.click("diagnose-selected").await;
    let (state, done, total) = wait_over(&b).await;
    assert_eq!((state.as_str(), done, total), ("finished", 1, 1));
    assert_eq!(wait_verdict(&b, "contosoprod", "ok").await, "Can reach its key");
    assert_eq!(b.requests_to("/registries/").await, 0, "from Resource Graph's copy: no registry GET");

    // Revoke contosoprod's identity through ARM, behind the page's back: the verdict is stale
    // until the row is read again from ARM.
    let prod = arm::registry(&b, "contosoprod").await;
    let principal = prod.identity.unwrap().user_assigned_identities.unwrap().into_values().next().unwrap().principal_id.unwrap();
    let vault = arm::vault(&b, DEMO_VAULT).await;
    let entry = vault.properties.access_policies.iter().find(|p| p.object_id == principal).cloned().expect("seeded policy");
    let (status, body) = arm::send(
        &b,
        Method::PUT,
        &format!("{}/accessPolicies/remove?api-version=2025-05-01", vault.id),
        &b.emulator.demo_token(),
        Some(json!({"properties": {"accessPolicies": [entry]}})),
    )
    .await;
    assert!(status == 200 || status == 201, "remove access policy: {status} {body}");
    assert_eq!(verdict(&b, "contosoprod").await.0, "ok", "still the verdict from before the revoke");
    b.reset_arm_requests().await;
    click_in_row(&b, "contosoprod", "fleet-reread").await;
    let text = wait_verdict(&b, "contosoprod", "broken").await;
    assert!(text.starts_with("Cannot reach its key: vault 'kv-acr-demo' has no access policy") || text.contains("kv-acr-demo"), "{text}");
    assert!(text.ends_with("(read from ARM)"), "{text}");
    assert_eq!(b.requests_to("registries/{").await, 1, "the registry itself, from ARM");
    assert_eq!(verdict(&b, "contosoauto").await.0, "ok", "other rows keep their verdicts until diagnosed again");
    b.js("document.querySelector('[data-testid=fleet-diagnose]').scrollIntoView();").await;
    b.screenshot("fleet-diagnose-reread-light").await;
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn diagnose_all_on_the_fleet_scenario_shares_reads_across_thousands() {
    let b = Browser::start_with(Options { page_size: 1000, scenario: Scenario::Fleet, ..Options::default() }).await;
    b.demo_sign_in_at("/fleet").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while !(b.is_present("fleet-count").await && b.text_of("fleet-count").await.starts_with("10000 of 10000")) {
        assert!(tokio::time::Instant::now() < deadline, "the fleet never loaded");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let all = b.text_of("diagnose-all").await;
    let cmk: u64 = all.rsplit('(').next().unwrap().trim_end_matches(')').parse().unwrap();
    b.reset_arm_requests().await;
    let started = Instant::now();
    b.click("diagnose-all").await;
    // The count every few seconds: a steady rate, or one that falls as the verdicts pile up.
    let mut samples = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(600);
    let (state, done, total) = loop {
        let p = progress(&b).await;
        if p.0 != "running" {
            break p;
        }
        samples.push(format!("{:.0}s: {}", started.elapsed().as_secs_f64(), p.1));
        if samples.len() == 3 {
            // Mid-run: the bar part-way, the time left, verdicts arriving.
            b.js("document.querySelector('[data-testid=fleet-diagnose]').scrollIntoView();").await;
            b.screenshot("fleet-diagnose-running-light").await;
        }
        assert!(tokio::time::Instant::now() < deadline, "the run never ended: {p:?}");
        tokio::time::sleep(Duration::from_secs(5)).await;
    };
    let took = started.elapsed();
    println!("fleet diagnose (fleet scenario): done by time: {}", samples.join(", "));
    assert_eq!((state.as_str(), done, total), ("finished", cmk, cmk));
    let stats = b.arm_requests().await;
    let requests = stats["total"].as_u64().unwrap();
    println!("fleet diagnose (fleet scenario): requests by route: {:#}", stats["routes"]);
    println!(
        "fleet diagnose (fleet scenario): {cmk} CMK registries diagnosed in {took:?} ({:.1} ms each): {requests} requests, {:.3} per registry; {}",
        took.as_secs_f64() * 1000.0 / cmk as f64,
        requests as f64 / cmk as f64,
        b.text_of("diagnose-status").await
    );
    let versions = gets(&stats, "/versions");
    assert!(versions <= 300, "at most one key-versions read per vault's key (300 vaults): {versions}");
    // Each encrypting user-assigned identity is read once (does it still exist?), shared like the rest.
    let identities = gets(&stats, "/userAssignedIdentities/{resourceName}");
    assert!(identities <= 500, "at most one read per identity (500 identities): {identities}");
    assert!(requests < cmk / 3, "{requests} requests for {cmk} registries: the reads are shared");

    b.type_into("fleet-search", "fleet02r0019").await;
    assert!(wait_verdict(&b, "fleet02r0019", "broken").await.starts_with("Cannot reach its key:"), "its identity was never granted");
    b.type_into("fleet-search", "fleet02r0005").await;
    assert_eq!(wait_verdict(&b, "fleet02r0005", "ok").await, "Can reach its key");
    b.assert_clean_log(&["status of 404"]).await;
}
