//! End-to-end token safety, in headless Chromium against the emulator.
//!
//! Every page gets, before any of its own scripts run (CDP
//! `Page.addScriptToEvaluateOnNewDocument`, which the page's CSP does not
//! apply to), an observer that records: CSP violation reports
//! (`window.__cspViolations`), every `fetch` with whether its abort signal fired
//! (`window.__fetches`), every bearer token sent and every token the sign-in
//! endpoints answered (`window.__secrets`, the ground truth the leak checks look
//! for), and what the console writes to the clipboard (`window.__copied`).
//!
//! What each test asserts:
//! - `the_console_runs_under_its_content_security_policy`: the page's response
//!   carries the policy; a full PKCE sign-in, a registry page and the registry
//!   list raise no violation report and no "Refused to …" in the browser log;
//!   and the policy is really enforced (an injected inline script does not run, an
//!   inline style attribute and a fetch to an unlisted origin are reported).
//! - `sign_out_wipes_tokens_and_data_and_aborts_reads_in_flight`: sign-out while
//!   a registry read is held 4 s by the emulator: the emulator saw the read, the
//!   console aborted it, and neither its data nor an error ever shows; the DOM
//!   holds no ARM data nor token, nothing is stored, going back shows nothing
//!   and sends nothing.
//! - `the_token_never_leaks`: after an Entra sign-in, copying every copyable
//!   value (ids, fix commands, a write's preview), the write itself, a 500 and a 401 from ARM: none of the tokens (nor any `eyJ…` JWT)
//!   is in the DOM, the visible text, error messages, storage, cookies, the URL,
//!   the browser log or the clipboard — also after sign-out.
//! - `links_off_the_endpoint_are_never_followed_with_the_token`: the emulator
//!   points a registry list's `nextLink`, a registry's `id` and a write's
//!   `Azure-AsyncOperation` at another origin (with an upper-case scheme):
//!   the console says so (`ForeignLink`; the write "outcome unknown") and not
//!   one `fetch` leaves for that origin (a write planned from the foreign id
//!   stops at Confirm's fresh read).
//! - `hostile_data_shows_as_text_and_never_runs`: with markup and `javascript:`
//!   URLs in the subscription's display name, the user's name, tags and an ARM
//!   error, the page shows each literally, creates no element from them, and
//!   nothing runs (`window.__pwned` stays unset, no alert, no CSP report —
//!   so it is text, not merely blocked).

mod support;

use std::time::Duration;

use fantoccini::Locator;
use serde_json::{json, Value};
use support::world::{registry_path, DANA_NAME, DANA_UPN, DEMO_SUBSCRIPTION};
use support::{admin, faults, requests, Browser, LogEntry, WAIT};

async fn csp_violations(b: &Browser) -> Value {
    b.js("return window.__cspViolations || 'no observer';").await
}

/// The browser log so far (each read empties ChromeDriver's buffer, so keep them).
async fn drain_log(b: &Browser, into: &mut Vec<LogEntry>) {
    into.extend(b.browser_log().await);
}

fn csp_messages(log: &[LogEntry]) -> Vec<&str> {
    log.iter().map(|e| e.message.as_str()).filter(|m| m.contains("Content Security Policy") || m.contains("Refused to")).collect()
}

#[tokio::test]
async fn the_console_runs_under_its_content_security_policy() {
    let b = Browser::start_observed().await;
    let mut log = Vec::new();
    b.entra_sign_in_at(&registry_path("contosoprod")).await;
    assert_eq!(b.text_of("registry-name").await, "contosoprod");
    b.wait_for("identities").await;
    b.screenshot("csp-registry").await;
    assert_eq!(csp_violations(&b).await, json!([]), "no CSP violation on the registry page");

    b.open_from_list("contosolost").await;
    assert_eq!(b.text_of("registry-name").await, "contosolost");
    b.wait_for("identities").await;
    let names = b.home().await;
    assert!(names.iter().any(|n| n == "contosodev"), "{names:?}");
    assert_eq!(csp_violations(&b).await, json!([]), "no CSP violation on the registry list");
    drain_log(&b, &mut log).await;
    assert!(csp_messages(&log).is_empty(), "CSP reports in the browser log: {:#?}", csp_messages(&log));

    // The policy the page runs under is the one served, and it is strict.
    let policy = b.js("return fetch(location.href).then(r => r.headers.get('content-security-policy'));").await;
    let policy = policy.as_str().expect("a policy header").to_string();
    for part in ["default-src 'none'", "'wasm-unsafe-eval' 'sha256-", "style-src 'self'", "base-uri 'none'", "frame-ancestors 'none'"] {
        assert!(policy.contains(part), "{part} missing from {policy}");
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");

    // And it is enforced: each of these is refused and reported.
    let probe = b
        .js("const s = document.createElement('script'); s.textContent = 'window.__inlineRan = 1'; document.body.appendChild(s);\
         const d = document.createElement('div'); d.setAttribute('style', 'color: red'); document.body.appendChild(d);\
         return fetch('http://127.0.0.1:9/elsewhere').then(() => 'fetched', () => 'refused');")
        .await;
    assert_eq!(probe, "refused", "a fetch to an origin the policy does not list");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(b.js("return typeof window.__inlineRan;").await, "undefined", "an injected inline script must not run");
    let reported = csp_violations(&b).await;
    let directives: Vec<&str> = reported.as_array().unwrap().iter().filter_map(|v| v["directive"].as_str()).collect();
    for d in ["script-src-elem", "style-src-attr", "connect-src"] {
        assert!(directives.contains(&d), "{d} not reported: {reported}");
    }
    // The probes' own reports are the only CSP entries allowed in the log.
    b.assert_clean_log(&["Content Security Policy", "127.0.0.1:9/elsewhere"]).await;
}

#[tokio::test]
async fn sign_out_wipes_tokens_and_data_and_aborts_reads_in_flight() {
    let b = Browser::start_observed().await;
    b.demo_sign_in().await;
    b.texts_of_at_least("registry-link", 3).await;
    faults::add(&b, json!({"method": "GET", "pathContains": "/registries/contosoprod", "kind": "delay", "delayMs": 4000, "times": 1}))
        .await;
    b.reset_arm_requests().await;
    b.open_from_list("contosoprod").await;

    // Wait until the read is at the emulator, held.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let pending = b.js("return window.__fetches.filter(f => f.url.includes('/registries/contosoprod?') && !f.settled).length;").await;
        let stats = b.arm_requests().await;
        let seen = requests::count(&stats, |route| route.starts_with("GET ") && route.ends_with("/registries/{registryName}")) > 0;
        if pending.as_u64() > Some(0) && seen {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the held read never reached the emulator: {stats}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!b.is_present("registry-name").await, "still loading");
    b.sign_out().await;
    b.wait_for("demo-sign-in").await;
    b.reset_arm_requests().await;
    // Past the delay: the held answer has arrived by now, had it not been aborted.
    tokio::time::sleep(Duration::from_millis(4500)).await;

    let held = b.js("return window.__fetches.filter(f => f.url.includes('/registries/contosoprod?'));").await;
    assert!(!held.as_array().unwrap().is_empty(), "the read was sent");
    assert!(held.as_array().unwrap().iter().all(|f| f["aborted"] == true), "sign-out aborts the read in flight: {held}");
    let state = b.js(
        "return {html: document.documentElement.outerHTML, session: sessionStorage.length, local: localStorage.length, cookies: document.cookie};",
    )
    .await;
    let html = state["html"].as_str().unwrap();
    for gone in ["signed-in-user", "arm-error", "registry-name", "Contoso Demo", "contosodev", "kv-acr-demo", "acr-cmk-key", "Sign out"] {
        assert!(!html.contains(gone), "{gone} still in the DOM after sign-out");
    }
    let secrets = b.js("return window.__secrets;").await;
    assert!(!secrets.as_array().unwrap().is_empty(), "the observer saw the token");
    for secret in secrets.as_array().unwrap() {
        assert!(!html.contains(secret.as_str().unwrap()), "the token is still in the DOM");
    }
    assert!(!html.contains("eyJ"), "no JWT in the DOM");
    assert_eq!(
        (state["session"].clone(), state["local"].clone(), state["cookies"].clone()),
        (json!(0), json!(0), json!("")),
        "nothing stored"
    );

    // Back to the registry page: it is protected and the data is not cached anywhere.
    b.client.back().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    b.wait_for("demo-sign-in").await;
    assert!(!b.is_present("registry-name").await, "no registry page without a session");
    let html = b.js("return document.documentElement.outerHTML;").await;
    assert!(!html.as_str().unwrap().contains("kv-acr-demo"), "no cached ARM data");
    let stats = b.arm_requests().await;
    assert_eq!(stats["total"], 0, "nothing sent after sign-out: {stats}");
    b.screenshot("signed-out-after-held-read").await;
    b.assert_clean_log(&[]).await;
}

/// Every place a token must never be, checked against every token the observer saw.
async fn assert_no_token_anywhere(b: &Browser, log: &mut Vec<LogEntry>, when: &str) {
    drain_log(b, log).await;
    let seen = b
        .js("const stored = s => Object.keys(s).map(k => k + '=' + s.getItem(k)).join('\\n');\
         return {secrets: window.__secrets, html: document.documentElement.outerHTML, text: document.body.innerText,\
           session: stored(sessionStorage), local: stored(localStorage), cookies: document.cookie, url: location.href,\
           copied: window.__copied};")
        .await;
    let secrets: Vec<String> = serde_json::from_value(seen["secrets"].clone()).unwrap();
    assert!(!secrets.is_empty(), "{when}: the observer saw no token, so the checks below would prove nothing");
    let copied: Vec<String> = serde_json::from_value(seen["copied"].clone()).unwrap();
    let cookies = b.client.get_all_cookies().await.unwrap();
    assert!(cookies.is_empty(), "{when}: no cookies: {cookies:?}");
    let mut places: Vec<(String, String)> = ["html", "text", "session", "local", "cookies", "url"]
        .iter()
        .map(|k| (k.to_string(), seen[*k].as_str().unwrap_or_default().to_string()))
        .collect();
    places.extend(copied.iter().enumerate().map(|(i, c)| (format!("clipboard #{i}"), c.clone())));
    places.extend(log.iter().map(|e| ("browser log".to_string(), e.message.clone())));
    for (place, text) in &places {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{when}: a token is in the {place}");
            // A token's signature alone is still a leak of most of it.
            let tail = &secret[secret.len() - 20..];
            assert!(!text.contains(tail), "{when}: part of a token is in the {place}");
        }
        assert!(!text.contains("eyJ"), "{when}: a JWT-like string is in the {place}: {text}");
    }
}

#[tokio::test]
async fn the_token_never_leaks() {
    let b = Browser::start_observed().await;
    let mut log = Vec::new();
    b.entra_sign_in_at(&registry_path("contosolost")).await;
    assert_eq!(b.text_of("signed-in-user").await, DANA_NAME);
    b.wait_for("identities").await;
    let secrets = b.js("return window.__secrets.length;").await;
    assert!(secrets.as_u64() >= Some(2), "the access and refresh tokens were seen: {secrets}");
    assert_no_token_anywhere(&b, &mut log, "signed in").await;

    // Copy everything copyable on a failing registry's page (ids, fix commands) and a healthy one's.
    let mut copies = 0;
    for name in ["contosolost", "contosoprod"] {
        if name != "contosolost" {
            b.open_from_list(name).await;
            b.wait_for("identities").await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        for button in b.client.find_all(Locator::Css("button.copy")).await.unwrap() {
            if button.is_displayed().await.unwrap_or(false) {
                button.click().await.unwrap();
                copies += 1;
            }
        }
    }
    // A write's preview (method, URL, JSON body, az command — each copyable), then the write itself.
    b.click("write-mode").await;
    b.click("rotate-open").await;
    b.click("rotate-review").await;
    b.wait_for("preview-az").await;
    for button in b.client.find_all(Locator::Css("dialog[open] button.copy")).await.unwrap() {
        if button.is_displayed().await.unwrap_or(false) {
            button.click().await.unwrap();
            copies += 1;
        }
    }
    let copied = b.js("return window.__copied;").await;
    assert!(copies >= 6 && copied.as_array().unwrap().len() == copies, "{copies} copy clicks recorded as {copied}");
    assert!(
        copied.as_array().unwrap().iter().any(|c| c.as_str().unwrap().starts_with("az acr encryption")),
        "the az command was copied: {copied}"
    );
    assert_no_token_anywhere(&b, &mut log, "after copying").await;
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    assert_no_token_anywhere(&b, &mut log, "after a write").await;
    b.click("write-close").await;

    // Errors: a 500 (retried, then shown) and a 401 (shown, and the sign-in-again prompt).
    faults::add(&b, json!({"method": "GET", "pathContains": "/registries/contosodev", "kind": "status", "status": 500})).await;
    b.open_from_list("contosodev").await;
    let error = b.text_of("arm-error").await;
    assert!(error.contains("InternalServerError"), "{error}");
    assert_no_token_anywhere(&b, &mut log, "after a 500").await;
    faults::clear(&b).await;
    faults::add(&b, json!({"method": "GET", "pathContains": "/registries/contosoauto", "kind": "status", "status": 401, "code": "InvalidAuthenticationToken", "message": "The access token is invalid."})).await;
    b.open_from_list("contosoauto").await;
    let error = b.text_of("arm-error").await;
    assert!(error.contains("InvalidAuthenticationToken"), "{error}");
    b.wait_for("reauth-prompt").await;
    b.screenshot("token-safety-401").await;
    assert_no_token_anywhere(&b, &mut log, "after a 401").await;
    faults::clear(&b).await;

    b.sign_out().await;
    b.wait_for("entra-sign-in").await;
    assert_no_token_anywhere(&b, &mut log, "after sign-out").await;
    let severe: Vec<&LogEntry> =
        log.iter().filter(|e| e.level == "SEVERE" && !e.message.contains("the server responded with a status of")).collect();
    assert!(severe.is_empty(), "errors in the browser log: {severe:#?}");
    b.assert_clean_log(&["the server responded with a status of"]).await;
}

#[tokio::test]
async fn hostile_data_shows_as_text_and_never_runs() {
    let b = Browser::start_observed().await;
    let seeded = admin::seed_hostile(&b, json!({"errorOn": "contosodev"})).await;
    let sub_name = seeded["subscriptionDisplayNames"][DEMO_SUBSCRIPTION].as_str().expect("seeded subscription name").to_string();
    let user_name = seeded["userDisplayNames"][DANA_UPN].as_str().expect("seeded user name").to_string();
    let error_message = seeded["errorMessage"].as_str().unwrap().to_string();
    for s in [&sub_name, &user_name, &error_message] {
        assert!(s.contains("<script>") && s.contains("onerror=") && s.contains("javascript:"), "{s}");
    }
    // The emulator's own account picker shows the hostile name escaped too.
    b.open(&registry_path("contosoprod")).await;
    b.click("entra-sign-in").await;
    let picker = b.text_of(&format!("entra-user-{DANA_UPN}")).await;
    assert!(picker.contains(&user_name), "the picker shows the name literally: {picker}");
    assert_eq!(b.js("return typeof window.__pwned;").await, "undefined");
    b.pick_user(DANA_UPN).await;

    assert_eq!(b.text_of("signed-in-user").await, user_name, "the user's name (a token claim) shows literally");
    assert_eq!(b.text_of("registry-name").await, "contosoprod");
    b.wait_for("identities").await;
    assert_nothing_ran(&b, "registry page").await;

    b.home().await;
    let shown = b.client.find(Locator::Css(".subscription-name")).await.unwrap().text().await.unwrap();
    assert_eq!(shown, sub_name, "the subscription's display name shows literally");
    assert_nothing_ran(&b, "registry list").await;

    b.open_from_list("contosodev").await;
    let shown = b.wait_for("arm-error").await.find(Locator::Css(".error-message")).await.unwrap().text().await.unwrap();
    assert_eq!(shown.trim(), error_message, "the ARM error message shows literally");
    b.screenshot("hostile-data").await;
    assert_nothing_ran(&b, "error").await;
    b.assert_clean_log(&["the server responded with a status of 400"]).await;
}

/// No payload ran, none became an element, and none was even tried (no CSP report), no alert.
async fn assert_nothing_ran(b: &Browser, when: &str) {
    let state = b
        .js("return {pwned: typeof window.__pwned, imgs: document.querySelectorAll('img[onerror], img[src=x]').length,\
         links: document.querySelectorAll('a[href^=\"javascript:\" i]').length,\
         scripts: [...document.scripts].filter(s => s.textContent.includes('__pwned')).length,\
         csp: window.__cspViolations};")
        .await;
    assert_eq!(state["pwned"], "undefined", "{when}: a payload ran: {state}");
    assert_eq!(
        (state["imgs"].clone(), state["links"].clone(), state["scripts"].clone()),
        (json!(0), json!(0), json!(0)),
        "{when}: markup became elements: {state}"
    );
    assert_eq!(state["csp"], json!([]), "{when}: nothing was even attempted: {state}");
    assert!(b.client.get_alert_text().await.is_err(), "{when}: no alert is open");
}

/// Every `fetch` the page started whose URL is not on the emulator's ARM origin.
async fn fetches_elsewhere(b: &Browser) -> Vec<String> {
    let fetches = b.js("return window.__fetches || 'no observer';").await;
    let ours = [Some(b.emulator.arm_url.clone()), b.emulator.console_url.clone()];
    let ours: Vec<String> = ours.into_iter().flatten().map(|u| u.to_ascii_lowercase()).collect();
    fetches
        .as_array()
        .expect("the observer records fetches")
        .iter()
        .filter_map(|f| f["url"].as_str())
        .filter(|u| {
            // A relative URL (the wasm, the CSS) goes to the page's own origin.
            let u = u.to_ascii_lowercase();
            u.contains("://") && !ours.iter().any(|o| u.starts_with(o.as_str()))
        })
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn links_off_the_endpoint_are_never_followed_with_the_token() {
    let b = Browser::start_observed().await;
    let list_route = "/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry/registries";

    // A list's next page on another origin: refused, and said so.
    faults::add(
        &b,
        json!({"method": "GET", "route": list_route, "kind": "foreignLink", "url": "HTTPS://attacker.invalid/next", "link": "nextLink"}),
    )
    .await;
    b.demo_sign_in().await;
    let error = b.wait_text("arm-error", "attacker.invalid").await;
    assert!(error.contains("ForeignLink") && error.contains("does not send your token there"), "{error}");
    faults::clear(&b).await;
    // (The observer's record is per document: checked before each new page load.)
    assert_eq!(fetches_elsewhere(&b).await, Vec::<String>::new(), "a next page off the endpoint was requested");

    // A write whose operation URL is elsewhere: ARM accepted it, so its outcome is unknown; the poll is never sent.
    b.demo_sign_in_at(&registry_path("contosoprod")).await;
    b.click("write-mode").await;
    b.wait_text("identity-system-toggle", "Turn on").await;
    faults::add(
        &b,
        json!({"method": "PATCH", "kind": "foreignLink", "url": "Https://attacker.invalid/operation", "link": "operation", "times": 1}),
    )
    .await;
    b.click("identity-system-toggle").await;
    b.click("write-confirm").await;
    b.wait_for("write-unsure").await;
    assert!(b.text_of("write-failed").await.contains("attacker.invalid"));
    b.click("write-close").await;
    faults::clear(&b).await;
    assert_eq!(fetches_elsewhere(&b).await, Vec::<String>::new(), "an operation off the endpoint was polled");
    // The write did happen: its operation settles in the emulator (nobody polls it).
    let deadline = tokio::time::Instant::now() + WAIT;
    while !support::arm::registry(&b, "contosoprod").await.identity.is_some_and(|i| i.kinds().system) {
        assert!(tokio::time::Instant::now() < deadline, "the accepted write never settled");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // A registry whose id names another origin: writes planned from it go nowhere.
    faults::add(&b, json!({"method": "GET", "pathContains": "/registries/contosoprod", "kind": "foreignLink", "url": "hTTps://attacker.invalid", "link": "id"})).await;
    b.demo_sign_in_at(&registry_path("contosoprod")).await;
    b.click("write-mode").await;
    b.wait_text("identity-system-toggle", "Turn off").await;
    b.click("identity-system-toggle").await;
    b.click("write-confirm").await;
    // Confirm reads the registry again by that id first: refused before anything is sent.
    let failed = b.wait_text("write-check-failed", "ForeignLink").await;
    assert!(failed.contains("attacker.invalid") && failed.contains("nothing was sent"), "{failed}");
    faults::clear(&b).await;
    assert_eq!(fetches_elsewhere(&b).await, Vec::<String>::new(), "a request went to a foreign resource id");
    b.assert_clean_log(&["status of 4", "status of 5"]).await;
}
