//! End-to-end: what helpdesk staff use, in headless Chromium against the emulator.
//!
//! - `the_ticket_report_holds_every_check_and_its_request_ids_and_never_the_token`:
//!   on contosolost (its identity was never granted the key), "Copy report" puts
//!   Markdown on the clipboard (read through a hook on `navigator.clipboard.writeText`
//!   installed before the page's scripts) and "Download report" links the JSON
//!   (read from its `data:` URL). Both hold every check the page shows with its
//!   state and evidence, the verdict, the fix with its `az` command, the registry,
//!   vault and identity ids as ARM reports them, and one request id and correlation
//!   id per ARM request the page sent (the emulator's own count); neither holds the
//!   bearer token the page sent, nor its signature part, nor any `eyJ…` JWT.
//!   The report panel passes axe in light and dark.
//! - `the_decoder_reads_the_seeds_identity_refusal_and_opens_that_registrys_diagnosis`:
//!   the emulator's refusal to remove contosoprod's encrypting identity (the seed's
//!   troubleshooting text), pasted into the decoder reached from the header, is
//!   recognised and its link opens contosoprod's diagnosis; text the decoder does not
//!   know says so and still finds the registry named by its login server. The page
//!   passes axe in light and dark.
//! - `rotation_health_flags_a_new_version_not_picked_up_after_an_hour`: with the
//!   emulator's auto-rotation slower than an hour, contosoauto's key gets a version
//!   that appeared 90 minutes ago, a rotation policy and an expiry on the version in
//!   use: the rotation panel flags the lag (the emulator still reports the old
//!   version), names the newest version, the policy's trigger, the expiry date and
//!   the days left, and the report carries the same findings.

mod support;

use std::time::Duration;

use acr_cmk_domain::key_id::KeyId;
use http::Method;
use serde_json::{json, Value};
use support::world::{registry_id, registry_path, vault_id, DEMO_VAULT};
use support::{arm, probe, requests, Browser, Options, WAIT};

const CHECKS: [&str; 6] = ["identity", "access", "key", "firewall", "recovery", "version"];

/// The JSON behind "Download report", decoded from the link's `data:` URL.
///
/// A Refresh re-renders the report panel, so the link can go between finding it
/// and reading it: the script answers null then, and this reads again.
async fn downloaded(b: &Browser) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        b.wait_for("report-download").await;
        let text = b
            .js("const a = document.querySelector('[data-testid=report-download]'); \
                 const h = a && a.getAttribute('href'); \
                 return h ? decodeURIComponent(h.slice(h.indexOf(',') + 1)) : null;")
            .await;
        if let Some(text) = text.as_str() {
            return text.to_string();
        }
        assert!(tokio::time::Instant::now() < deadline, "the report link never held a data: URL");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Presses "Copy report" and returns what reached the clipboard.
async fn copied(b: &Browser) -> String {
    b.js("window.__copied = [];").await;
    b.click("report-copy").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(text) = b.js("return window.__copied[0] || null;").await.as_str() {
            return text.to_string();
        }
        assert!(tokio::time::Instant::now() < deadline, "nothing reached the clipboard");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_ticket_report_holds_every_check_and_its_request_ids_and_never_the_token() {
    let b = Browser::start_observed().await;
    b.demo_sign_in_at(&registry_path("contosolost")).await;
    assert_eq!(b.state_of("verdict", &["broken"]).await, "broken");
    let first = downloaded(&b).await;

    // Read again with the request count reset: the report's reads are exactly the page's.
    b.reset_arm_requests().await;
    b.click("refresh").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    let json_text = loop {
        let now = downloaded(&b).await;
        if now != first {
            break now;
        }
        assert!(tokio::time::Instant::now() < deadline, "the report never changed after Refresh");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(b.state_of("verdict", &["broken"]).await, "broken");
    let stats = b.arm_requests().await;
    // The Activity panel's reads are the page's too, but no diagnosis rests on them: the report leaves them out.
    let sent = requests::count(&stats, |route| !route.contains("/providers/Microsoft.Insights/"));
    let markdown = copied(&b).await;
    let report: Value = serde_json::from_str(&json_text).expect("the download is JSON");
    println!("ARM requests for contosolost's page: {stats}\nreport reads: {:#}", report["reads"]);

    // Every check the page shows, with its state and evidence, in both formats.
    let checks = report["checks"].as_array().expect("checks");
    assert_eq!(checks.iter().map(|c| c["name"].as_str().unwrap()).collect::<Vec<_>>(), CHECKS);
    for name in CHECKS {
        let state = b.wait_for(&format!("check-{name}")).await.attr("data-state").await.unwrap().unwrap();
        let evidence = b.text_of(&format!("evidence-{name}")).await;
        let part = checks.iter().find(|c| c["name"] == name).unwrap();
        assert_eq!(part["state"], state.as_str(), "{name}");
        assert_eq!(part["evidence"], evidence.as_str(), "{name}");
        assert!(markdown.contains(&format!("**{state}** ({name})")), "{name} with its state in the Markdown:\n{markdown}");
        assert!(markdown.contains(&evidence), "{name}'s evidence in the Markdown:\n{markdown}");
    }
    assert_eq!(report["verdict"]["state"], "broken");
    let headline = report["verdict"]["headline"].as_str().unwrap();
    assert!(b.text_of("verdict").await.contains(headline), "{headline}");
    assert!(markdown.contains(headline));

    // The fix the page offers, with the az command that applies it.
    let access = checks.iter().find(|c| c["name"] == "access").unwrap();
    let az = access["fix"]["az"][0].as_str().expect("an az command for the access fix");
    assert!(az.starts_with("az keyvault set-policy"), "{az}");
    assert!(markdown.contains(az), "{markdown}");

    // Ids as ARM reports them.
    let lost = arm::registry(&b, "contosolost").await;
    let (identity_id, attached) = lost.identity.clone().unwrap().user_assigned_identities.unwrap().into_iter().next().unwrap();
    assert_eq!(report["registry"]["id"], registry_id("contosolost"));
    assert_eq!(report["registry"]["loginServer"], lost.properties.login_server.clone().unwrap().as_str());
    assert_eq!(report["vault"]["id"], vault_id(DEMO_VAULT));
    assert_eq!(report["identity"]["resourceId"].as_str().unwrap().to_lowercase(), identity_id.to_lowercase());
    assert_eq!(report["identity"]["clientId"], attached.client_id.clone().unwrap().as_str());
    assert_eq!(report["identity"]["principalId"], attached.principal_id.clone().unwrap().as_str());
    let kv = lost.properties.encryption.clone().unwrap().key_vault_properties.unwrap();
    assert_eq!(report["key"]["keyIdentifier"], kv.key_identifier.clone().unwrap().as_str());
    for id in [registry_id("contosolost"), vault_id(DEMO_VAULT), attached.principal_id.unwrap()] {
        assert!(markdown.contains(&id), "{id} in the Markdown");
    }
    assert_eq!(report["consoleVersion"], env!("CARGO_PKG_VERSION"));
    assert!(report["diagnosedAt"].as_str().is_some_and(|t| t.len() == 20 && t.ends_with('Z')), "{}", report["diagnosedAt"]);

    // One request id and correlation id per ARM request the page sent, the registry's first.
    let reads = report["reads"].as_array().unwrap();
    assert_eq!(reads.len() as u64, sent, "one read per request the emulator answered: {stats}");
    assert_eq!(reads[0]["path"], registry_id("contosolost"));
    let mut ids = Vec::new();
    for read in reads {
        let (request, correlation) = (read["requestId"].as_str(), read["correlationId"].as_str());
        assert!(request.is_some_and(|r| r.len() == 36) && correlation.is_some_and(|c| c.len() == 36), "{read}");
        assert!(markdown.contains(request.unwrap()) && markdown.contains(correlation.unwrap()), "{read} in the Markdown");
        ids.push(request.unwrap().to_string());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), reads.len(), "each read its own request id");

    // Never a token: neither the bearer token the page sent nor its signature, nor any JWT.
    let secrets: Vec<String> = serde_json::from_value(b.js("return window.__secrets;").await).unwrap();
    assert!(!secrets.is_empty(), "the observer saw the page's bearer token");
    for secret in &secrets {
        let signature = secret.rsplit('.').next().unwrap();
        assert!(signature.len() > 20, "a JWT's signature part");
        for (format, text) in [("Markdown", &markdown), ("JSON", &json_text)] {
            assert!(!text.contains(secret.as_str()), "the token is in the {format} report");
            assert!(!text.contains(signature), "the token's signature is in the {format} report");
            assert!(!text.contains("eyJ"), "a JWT is in the {format} report");
        }
    }

    // The panel: shown on the page, axe-clean in light and dark.
    b.click("report-copy").await;
    b.wait_text("report-status", "Copied").await;
    b.js("document.querySelector('[data-testid=report] details').open = true; \
          document.querySelector('[data-testid=report]').scrollIntoView();")
        .await;
    b.screenshot("report-light").await;
    let violations = b.axe_violations("[data-testid='report']").await;
    assert_eq!(violations, json!([]), "axe (report, light): {violations:#}");
    b.emulate_color_scheme("dark").await;
    b.screenshot("report-dark").await;
    let violations = b.axe_violations("[data-testid='report']").await;
    assert_eq!(violations, json!([]), "axe (report, dark): {violations:#}");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn the_decoder_reads_the_seeds_identity_refusal_and_opens_that_registrys_diagnosis() {
    let b = Browser::start().await;
    b.demo_sign_in().await;

    // The refusal as a ticket would quote it: the emulator's answer to removing the encrypting identity.
    let (status, body) = arm::send(
        &b,
        Method::PATCH,
        &format!("{}?api-version=2025-04-01", registry_id("contosoprod")),
        &b.emulator.demo_token(),
        Some(json!({"identity": {"type": "None"}})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let message = body["error"]["message"].as_str().unwrap().to_string();
    assert!(message.starts_with(&format!("Azure resource '{}' does not have access to identity", registry_id("contosoprod"))), "{message}");
    let pasted = format!("(IdentityNotAttached) {message}\nCode: IdentityNotAttached");

    b.click("nav-decode").await;
    b.wait_for_path("/decode").await;
    paste(&b, &pasted).await;
    assert_eq!(attr_of(&b, "decode-result", "data-kind", "identity-not-attached").await, "identity-not-attached");
    assert!(b.text_of("decode-fix").await.contains("az acr identity assign"));
    b.screenshot("decode-light").await;
    let violations = b.axe_violations("main").await;
    assert_eq!(violations, json!([]), "axe (decoder, light): {violations:#}");

    // Unknown text: said so, and the login server it names is looked up to the registry.
    paste(&b, "pull failed somewhere near contosoauto.azurecr.io, no idea why").await;
    assert_eq!(attr_of(&b, "decode-result", "data-kind", "unknown").await, "unknown");
    assert!(b.text_of("decode-cause").await.contains("matches none"));
    let link = b.wait_for("decode-registry-link").await;
    assert!(link.attr("href").await.unwrap().unwrap().starts_with(&registry_path("contosoauto")));
    b.emulate_color_scheme("dark").await;
    b.screenshot("decode-dark").await;
    let violations = b.axe_violations("main").await;
    assert_eq!(violations, json!([]), "axe (decoder, dark): {violations:#}");

    // Back to the refusal: its link lands on contosoprod's diagnosis.
    paste(&b, &pasted).await;
    assert_eq!(attr_of(&b, "decode-result", "data-kind", "identity-not-attached").await, "identity-not-attached");
    b.click("decode-registry-link").await;
    b.wait_for_path(&registry_path("contosoprod")).await;
    assert_eq!(b.text_of("registry-name").await, "contosoprod");
    assert_eq!(b.state_of("verdict", &["ok"]).await, "ok", "the refused write changed nothing");
    b.assert_clean_log(&[]).await;
}

/// Puts `text` into the decoder's box as a paste would (one input event).
async fn paste(b: &Browser, text: &str) {
    let input = b.wait_for("decode-input").await;
    b.client
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
            vec![serde_json::to_value(&input).unwrap(), json!(text)],
        )
        .await
        .unwrap();
}

/// The value of `attr` on `test_id` once it is `wanted` (or whatever it is when time runs out).
async fn attr_of(b: &Browser, test_id: &str, attr: &str, wanted: &str) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let value = b.wait_for(test_id).await.attr(attr).await.ok().flatten().unwrap_or_default();
        if value == wanted || tokio::time::Instant::now() > deadline {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn rotation_health_flags_a_new_version_not_picked_up_after_an_hour() {
    const NEW: &str = "6d6f636b00004000800000000000b0a3";
    let b = Browser::start_with(Options { rotation_interval: Duration::from_secs(2 * 3600), ..Options::default() }).await;
    let auto = arm::registry(&b, "contosoauto").await;
    let kv = auto.properties.encryption.clone().unwrap().key_vault_properties.unwrap();
    let in_use = KeyId::parse(kv.versioned_key_identifier.as_deref().unwrap()).unwrap();
    let in_use_version = in_use.version.clone().unwrap();
    let now = acr_cmk_emulator::clock::now_secs();
    let expires = now + 40 * 86_400 + 600;
    {
        // Behind the console's back, as Key Vault would: a version created 90 minutes ago, a rotation
        // policy on the key, and an expiry on the version in use.
        let mut world = b.emulator.state.world();
        let key = world.keys.iter_mut().find(|k| k.vault == in_use.vault_name() && k.name == in_use.name).expect("contosoauto's key");
        key.rotation_policy = Some(
            serde_json::from_value(json!({"attributes": {"expiryTime": "P1Y"},
                "lifetimeActions": [{"trigger": {"timeAfterCreate": "P90D"}, "action": {"type": "Rotate"}}]}))
            .unwrap(),
        );
        key.versions.iter_mut().find(|v| v.version == in_use_version).unwrap().exp = Some(expires);
        key.versions.push(acr_cmk_emulator::key::new_version(NEW, now - 90 * 60));
    }
    b.demo_sign_in_at(&registry_path("contosoauto")).await;

    assert_eq!(b.state_of("rotation-version", &["warn"]).await, "warn");
    let text = b.text_of("rotation-version").await;
    assert!(text.contains("Auto-rotation is behind") && text.contains("1 h 30 min") && text.contains(&in_use_version), "{text}");
    assert_eq!(b.text_of("rotation-newest").await, NEW);
    assert_eq!(b.text_of("rotation-in-use").await, in_use_version);
    // The emulator agrees: the registry still uses the old version and still reaches it.
    let now_kv = arm::registry(&b, "contosoauto").await.properties.encryption.unwrap().key_vault_properties.unwrap();
    assert_eq!(now_kv.versioned_key_identifier, kv.versioned_key_identifier);
    assert_eq!(probe::status(&b, "contosoauto").await, 200);

    assert_eq!(b.state_of("rotation-policy", &["pass"]).await, "pass");
    let policy = b.text_of("rotation-policy").await;
    assert!(policy.contains("90 days after creation") && policy.contains("new versions expire after 1 year"), "{policy}");
    assert_eq!(b.text_of("rotation-days-left").await, "40");
    assert!(b.text_of("rotation-expires").await.starts_with(&acr_cmk_domain::encryption::format_unix_utc(expires)));
    assert!(!b.is_present("rotation-in-use-disabled").await, "the version in use is enabled");
    assert_eq!(b.state_of("rotation", &["warn"]).await, "warn");

    let report: Value = serde_json::from_str(&downloaded(&b).await).unwrap();
    let findings = report["rotation"]["findings"].as_array().expect("rotation in the report");
    let version = findings.iter().find(|f| f["name"] == "version").unwrap();
    assert_eq!(version["state"], "warn");
    assert!(text.ends_with(version["text"].as_str().unwrap()), "the page's finding is the report's: {version}");
    assert_eq!(report["rotation"]["newestEnabled"], NEW);

    b.js("document.querySelector('[data-testid=rotation]').scrollIntoView();").await;
    b.screenshot("rotation-light").await;
    let violations = b.axe_violations("[data-testid='rotation']").await;
    assert_eq!(violations, json!([]), "axe (rotation, light): {violations:#}");
    b.emulate_color_scheme("dark").await;
    b.screenshot("rotation-dark").await;
    let violations = b.axe_violations("[data-testid='rotation']").await;
    assert_eq!(violations, json!([]), "axe (rotation, dark): {violations:#}");
    b.assert_clean_log(&[]).await;
}
