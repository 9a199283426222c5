//! End-to-end: "Sign in with Microsoft" (authorization code + PKCE) against
//! the emulator's Entra ID endpoints, in headless Chromium.
//!
//! What each test asserts:
//! - `pkce_sign_in_returns_to_the_page_it_started_from`: a deep link while
//!   signed out → Entra's account picker → back on that same registry page,
//!   signed in as the picked user (name, upn, tenant, object id, expiry in the
//!   header); afterwards the URL has no code, sessionStorage, localStorage and
//!   cookies are empty, and no JWT is in the DOM.
//! - `a_tampered_state_is_refused`: a redirect whose `state` is not the one
//!   this tab sent is refused with a clear message and nothing is signed in.
//! - `declined_consent_is_explained`: Cancel on the picker (`access_denied`);
//!   going back from the picker leaves no verifier in sessionStorage.
//! - `a_401_asks_to_sign_in_again_and_returns_to_the_same_page`: ARM refuses
//!   the token (fault menu) → the prompt → sign in again → same page, data shown.
//! - `tokens_are_refreshed_before_expiry_and_a_failed_refresh_asks_to_sign_in_again`:
//!   20-second tokens are refreshed with no prompt; once the refresh token is
//!   revoked the prompt appears on the same page, signing in again returns
//!   there; sign-out stops refreshing and leaves nothing stored.
//! - `writes_survive_token_refreshes_and_a_write_left_by_back_reports_its_outcome`:
//!   with 20-second tokens, write mode and the restore record survive a refresh;
//!   a write delayed 15 s across a refresh finishes in its dialog; a write left by
//!   Back runs on and the app reports how it ended, with no panic in the log.

mod support;

use serde_json::json;
use support::world::{registry_path, DANA_NAME, DANA_OID, DANA_UPN, DEMO_TENANT};
use support::{admin, faults, requests, Browser, WAIT};

/// The Entra token endpoint's route, as the emulator counts it.
const TOKEN_ROUTE: &str = "POST /{tenant}/oauth2/v2.0/token";

/// Nothing of the sign-in is left behind: storage, cookies, a token in the DOM, a code in the URL.
async fn assert_nothing_stored(b: &Browser) {
    let stored = b
        .js("return {session: sessionStorage.length, local: localStorage.length, cookies: document.cookie, \
         jwtInDom: /eyJ[A-Za-z0-9_-]+\\.eyJ/.test(document.documentElement.outerHTML), href: location.href};")
        .await;
    assert_eq!(stored["session"], 0, "sessionStorage must be empty once the redirect is consumed: {stored}");
    assert_eq!(stored["local"], 0, "nothing in localStorage: {stored}");
    assert_eq!(stored["cookies"], "", "no cookies: {stored}");
    assert_eq!(stored["jwtInDom"], false, "no token in the DOM: {stored}");
    let href = stored["href"].as_str().unwrap();
    assert!(!href.contains("code=") && !href.contains("state="), "no code or state left in the URL: {href}");
}

#[tokio::test]
async fn pkce_sign_in_returns_to_the_page_it_started_from() {
    let b = Browser::start().await;
    let page = registry_path("contosoprod");
    b.open(&page).await;
    b.click("entra-sign-in").await;
    // The emulator's account picker, on the emulator's origin; the PKCE state waits in sessionStorage.
    b.wait_for(&format!("entra-user-{DANA_UPN}")).await;
    let here = b.client.current_url().await.unwrap();
    assert!(here.as_str().starts_with(&b.emulator.arm_url), "at the authority: {here}");
    let query: Vec<(String, String)> = here.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(get("code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(get("code_challenge").map(|c| c.len()), Some(43));
    assert!(get("code_verifier").is_none(), "the verifier never travels to the authorize endpoint");
    assert_eq!(get("redirect_uri"), Some(format!("{}/auth/callback", b.console_url)));
    b.screenshot("entra-account-picker").await;
    b.pick_user(DANA_UPN).await;

    b.wait_for_path(&page).await;
    assert_eq!(b.text_of("signed-in-user").await, DANA_NAME);
    // The rest of who is signed in is in the account menu.
    b.open_account_menu().await;
    assert_eq!(b.text_of("signed-in-upn").await, DANA_UPN);
    assert!(b.text_of("signed-in-tenant").await.contains(DEMO_TENANT));
    assert!(b.text_of("signed-in-oid").await.contains(DANA_OID));
    let expiry = b.text_of("token-expiry").await;
    assert!(expiry.starts_with("expires") && expiry.contains("(in "), "{expiry}");
    assert_eq!(b.text_of("registry-name").await, "contosoprod");
    b.screenshot("entra-signed-in").await;
    assert_nothing_stored(&b).await;

    let stats = b.arm_requests().await;
    assert_eq!(stats["routes"][TOKEN_ROUTE], 1, "one code redemption: {stats}");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_tampered_state_is_refused() {
    let b = Browser::start().await;
    b.open("/sign-in").await;
    b.click("entra-sign-in").await;
    b.wait_for(&format!("entra-user-{DANA_UPN}")).await;
    // An attacker's redirect: same flow, someone else's state.
    b.js("document.querySelector('input[name=state]').value = 'forged-state';").await;
    b.pick_user(DANA_UPN).await;

    let message = b.text_of("sign-in-error").await;
    assert!(message.contains("state mismatch"), "{message}");
    assert!(!b.is_present("signed-in-user").await, "nobody is signed in");
    let stats = b.arm_requests().await;
    assert!(stats["routes"].get(TOKEN_ROUTE).is_none(), "the code was never redeemed: {stats}");
    assert_nothing_stored(&b).await;
    b.click("back-to-sign-in").await;
    b.wait_for("entra-sign-in").await;
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn declined_consent_is_explained() {
    let b = Browser::start().await;
    b.open("/sign-in").await;
    // Abandoned on the way (back from the sign-in page): the verifier does not linger.
    b.click("entra-sign-in").await;
    b.wait_for("entra-cancel").await;
    b.client.back().await.unwrap();
    b.wait_for("entra-sign-in").await;
    assert_nothing_stored(&b).await;

    b.click("entra-sign-in").await;
    b.click("entra-cancel").await;
    let message = b.text_of("sign-in-error").await;
    assert!(message.contains("access_denied") && message.contains("AADSTS65004"), "{message}");
    assert_nothing_stored(&b).await;
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_401_asks_to_sign_in_again_and_returns_to_the_same_page() {
    let b = Browser::start().await;
    b.open("/").await;
    b.click("entra-sign-in").await;
    b.pick_user(DANA_UPN).await;
    b.wait_for_path("/").await;
    assert_eq!(b.text_of("signed-in-user").await, DANA_NAME);

    // ARM refuses the token on the registry's next read.
    let fault =
        faults::add(&b, json!({"method": "GET", "pathContains": "/registries/contosoprod", "kind": "expiredToken", "times": 1})).await;
    assert_eq!(fault["kind"], "expiredToken", "{fault}");
    b.open_listed_registry("contosoprod").await;
    let page = registry_path("contosoprod");
    b.wait_for_path(&page).await;
    assert_eq!(b.text_of("arm-error-code").await, "ExpiredAuthenticationToken");
    let prompt = b.text_of("reauth-prompt").await;
    assert!(prompt.contains("Sign in again"), "{prompt}");
    b.screenshot("entra-reauth-prompt").await;

    // Entra knows the user (login_hint): straight back with a new code.
    b.click("reauth-sign-in").await;
    b.wait_for_path(&page).await;
    assert_eq!(b.text_of("registry-name").await, "contosoprod");
    assert_eq!(b.text_of("signed-in-user").await, DANA_NAME);
    assert!(!b.is_present("reauth-prompt").await, "the prompt is gone");
    assert_nothing_stored(&b).await;
    b.assert_clean_log(&["401"]).await;
}

/// Requests the Entra token endpoint has answered (code redemptions and refreshes).
async fn token_requests(b: &Browser) -> u64 {
    requests::count(&b.arm_requests().await, |route| route == TOKEN_ROUTE)
}

/// Waits until the token endpoint has answered `n` requests.
async fn wait_for_token_requests(b: &Browser, n: u64, within: std::time::Duration) {
    let deadline = tokio::time::Instant::now() + within;
    while token_requests(b).await < n {
        assert!(tokio::time::Instant::now() < deadline, "expected {n} token requests within {within:?}, saw {}", token_requests(b).await);
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn tokens_are_refreshed_before_expiry_and_a_failed_refresh_asks_to_sign_in_again() {
    let b = Browser::start().await;
    // 20-second access tokens: the console refreshes 10 s in.
    admin::entra_settings(&b, json!({"accessTokenLifetimeSecs": 20})).await;
    let page = registry_path("contosoauto");
    b.open(&page).await;
    b.click("entra-sign-in").await;
    b.pick_user(DANA_UPN).await;
    b.wait_for_path(&page).await;
    assert_eq!(b.text_of("registry-name").await, "contosoauto");
    assert_eq!(token_requests(&b).await, 1);

    wait_for_token_requests(&b, 2, std::time::Duration::from_secs(20)).await;
    assert!(!b.is_present("reauth-prompt").await, "a good refresh asks nothing");
    assert_eq!(b.text_of("signed-in-user").await, DANA_NAME);

    // The refresh token is revoked: the next refresh fails and the console asks, on the same page.
    let revoked = admin::revoke_refresh_tokens(&b).await;
    assert!(revoked["revoked"].as_u64().unwrap() >= 1, "{revoked}");
    wait_for_token_requests(&b, 3, std::time::Duration::from_secs(20)).await;
    b.wait_for("reauth-prompt").await;
    assert_eq!(b.path_now().await, page);
    assert_eq!(b.text_of("registry-name").await, "contosoauto", "the page is still there");

    b.click("reauth-sign-in").await;
    wait_for_token_requests(&b, 4, std::time::Duration::from_secs(20)).await;
    b.wait_for_path(&page).await;
    assert_eq!(b.text_of("registry-name").await, "contosoauto");
    assert!(!b.is_present("reauth-prompt").await);

    // Sign-out forgets the refresh token: past the next refresh time (10 s), no token request.
    b.sign_out().await;
    b.wait_for("entra-sign-in").await;
    let after = token_requests(&b).await;
    assert_nothing_stored(&b).await;
    tokio::time::sleep(std::time::Duration::from_secs(12)).await;
    assert_eq!(token_requests(&b).await, after, "no refresh after sign-out");
    // The token endpoint's 400 for the revoked refresh token is the expected failure.
    b.assert_clean_log(&["oauth2/v2.0/token"]).await;
}

/// A page opened before a silent refresh sends the refreshed token: its
/// Refresh after the first token expired must not end in a 401 prompt.
#[tokio::test]
async fn a_page_opened_before_a_refresh_uses_the_refreshed_token() {
    let b = Browser::start().await;
    admin::entra_settings(&b, json!({"accessTokenLifetimeSecs": 20})).await;
    let page = registry_path("contosoprod");
    b.open(&page).await;
    b.click("entra-sign-in").await;
    b.pick_user(DANA_UPN).await;
    let signed_in = std::time::Instant::now();
    b.wait_for_path(&page).await;
    assert_eq!(b.text_of("registry-name").await, "contosoprod");
    // Marks the page: a re-mount on the token refresh would lose the mark (and any open dialog).
    b.js("document.querySelector(\"[data-testid='registry-name']\").dataset.mark = 'before-refresh'; return null;").await;
    wait_for_token_requests(&b, 2, std::time::Duration::from_secs(20)).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let mark =
        b.js("const e = document.querySelector(\"[data-testid='registry-name']\"); return e ? (e.dataset.mark || null) : null;").await;
    assert_eq!(mark, json!("before-refresh"), "the token refresh re-mounted the page");

    // Past the first token's expiry (20 s, plus the emulator's clock granularity).
    let first_expired = std::time::Duration::from_secs(23);
    if let Some(rest) = first_expired.checked_sub(signed_in.elapsed()) {
        tokio::time::sleep(rest).await;
    }
    b.reset_arm_requests().await;
    b.click("refresh").await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let stats = b.arm_requests().await;
        let arm = requests::count(&stats, |route| !route.contains("/_emulator/") && !route.contains("oauth2"));
        if arm > 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the Refresh sent nothing: {stats}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    b.wait_for("registry-name").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(!b.is_present("reauth-prompt").await, "the page sent its old, expired token");
    assert!(!b.is_present("arm-error").await, "an ARM error after refresh");
    assert_eq!(b.text_of("registry-name").await, "contosoprod");
    b.assert_clean_log(&[]).await;
}

/// Write mode, the restore record, an open dialog and a running write all belong to the
/// sign-in, not to the token: silent refreshes change none of them, a write that runs across
/// a refresh finishes and shows its outcome, and a write left by Back reports how it ended.
#[tokio::test]
async fn writes_survive_token_refreshes_and_a_write_left_by_back_reports_its_outcome() {
    let b = Browser::start().await;
    admin::entra_settings(&b, json!({"accessTokenLifetimeSecs": 20})).await;
    b.entra_sign_in_at(&registry_path("contosoprod")).await;
    assert_eq!(token_requests(&b).await, 1);
    b.click("write-mode").await;
    b.wait_for("rotate-open").await;

    // Revoke, then wait for a refresh: write mode and the restore record are still there.
    b.click("revoke-open").await;
    b.type_into("confirm-phrase", "contosoprod +1").await;
    b.click("write-confirm").await;
    b.wait_for("write-done").await;
    b.click("write-close").await;
    b.wait_for("revoked-record").await;
    wait_for_token_requests(&b, 2, std::time::Duration::from_secs(20)).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(b.wait_for("write-mode").await.is_selected().await.unwrap(), "write mode survives a refresh");
    assert!(b.text_of("revoked-record").await.contains("get, wrapKey, unwrapKey"));

    // Restore with a 15 s delay on its request: the next refresh lands mid-write; the dialog stays and shows the outcome.
    faults::add(&b, json!({"method": "PUT", "pathContains": "/accessPolicies/add", "kind": "delay", "delayMs": 15000, "times": 1})).await;
    b.click("restore-access").await;
    b.click("write-confirm").await;
    wait_for_token_requests(&b, 3, std::time::Duration::from_secs(20)).await;
    assert!(b.is_present("write-step-state").await, "the dialog is still open after the refresh");
    b.wait_for("write-done").await;
    b.click("write-close").await;
    assert!(b.wait_for("write-mode").await.is_selected().await.unwrap());
    assert!(!b.is_present("revoked-record").await, "restored: the record is gone");

    // Revoke again with a delay, and press Back mid-write (to the list this page was opened from, in the app):
    // the write runs on and its outcome is reported.
    b.open_from_list("contosoprod").await;
    faults::add(&b, json!({"method": "PUT", "pathContains": "/accessPolicies/remove", "kind": "delay", "delayMs": 5000, "times": 1})).await;
    b.click("revoke-open").await;
    b.type_into("confirm-phrase", "contosoprod +1").await;
    b.click("write-confirm").await;
    b.wait_text("write-step-state", "Sending").await;
    b.client.back().await.unwrap();
    b.texts_of_at_least("registry-link", 3).await;
    let notice = b.wait_for("background-write").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while notice.attr("data-state").await.unwrap().as_deref() != Some("done") {
        assert!(tokio::time::Instant::now() < deadline, "the write left by Back never reported its outcome");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(b.text_of("background-write").await.contains("Remove key permissions"));
    assert_eq!(support::probe::status(&b, "contosoprod").await, 403, "the write did happen");
    b.screenshot("background-write-done").await;
    b.assert_clean_log(&[]).await;
}
