//! English and Korean (issue 15): the first visit follows the browser's
//! languages, a choice in the header is kept across reloads, `<html lang>`
//! follows, and switching keeps the page, an open dialog and write mode.

mod support;

use serde_json::json;
use support::world::registry_path;
use support::Browser;

/// What the page says about its language: `<html lang>`, the stored choice, the header's brand.
async fn language_of(b: &Browser) -> (String, Option<String>, String) {
    let v = b
        .js("return [document.documentElement.lang, localStorage.getItem('acr-cmk-console.lang'), \
             document.querySelector('.brand-name')?.textContent ?? ''];")
        .await;
    (v[0].as_str().unwrap_or_default().to_string(), v[1].as_str().map(str::to_string), v[2].as_str().unwrap_or_default().to_string())
}

/// Waits until the header's brand reads `brand` (the wasm starts after the HTML).
async fn wait_for_brand(b: &Browser, brand: &str) {
    let deadline = tokio::time::Instant::now() + support::WAIT;
    while language_of(b).await.2 != brand {
        assert!(tokio::time::Instant::now() < deadline, "the header never read {brand:?}: {:?}", language_of(b).await);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_browsers_language_decides_the_first_visit_and_a_choice_is_kept() {
    let b = Browser::start().await;
    // A Korean browser: Accept-Language and navigator.languages.
    b.open("/sign-in").await;
    let agent = b.js("return navigator.userAgent;").await;
    b.cdp("Network.setUserAgentOverride", json!({"userAgent": agent, "acceptLanguage": "ko-KR,ko,en-US"})).await;
    b.open("/sign-in").await;
    wait_for_brand(&b, "ACR 암호화 콘솔").await;
    assert_eq!(language_of(&b).await, ("ko".to_string(), None, "ACR 암호화 콘솔".to_string()), "followed, not stored");
    assert_eq!(b.text_of("sign-in").await, "로그인");
    assert_eq!(b.text_of("demo-sign-in").await, "데모 로그인");
    b.screenshot("language-sign-in-ko").await;

    // A choice is applied at once and kept in localStorage.
    b.select("language", "en").await;
    wait_for_brand(&b, "ACR encryption console").await;
    assert_eq!(language_of(&b).await.0, "en");
    assert_eq!(language_of(&b).await.1.as_deref(), Some("en"));
    assert_eq!(b.text_of("sign-in").await, "Sign in");

    // A reload keeps the choice over the browser's Korean.
    b.open("/sign-in").await;
    wait_for_brand(&b, "ACR encryption console").await;
    assert_eq!(language_of(&b).await.0, "en");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn switching_keeps_the_page_an_open_dialog_and_write_mode() {
    let b = Browser::start().await;
    let page = registry_path("contosoprod");
    b.demo_sign_in_at(&page).await;
    wait_for_brand(&b, "ACR encryption console").await;
    b.click("write-mode").await;
    b.click("rotate-open").await;
    b.wait_for("rotate-review").await;
    let close_label = "return document.querySelector('dialog[open] .close')?.getAttribute('aria-label');";
    assert_eq!(b.js(close_label).await, json!("Close"));

    // The header is inert behind the modal dialog: the choice is made in another tab of
    // the console, and this one follows it.
    let here = b.client.window().await.unwrap();
    let other = b.client.new_window(true).await.unwrap();
    b.client.switch_to_window(other.handle).await.unwrap();
    b.open("/sign-in").await;
    b.select("language", "ko").await;
    wait_for_brand(&b, "ACR 암호화 콘솔").await;
    b.client.close_window().await.unwrap();
    b.client.switch_to_window(here).await.unwrap();
    wait_for_brand(&b, "ACR 암호화 콘솔").await;
    assert_eq!(b.path_now().await, page, "the same page");
    assert!(b.is_present("rotate-review").await, "the rotate dialog is still open");
    assert_eq!(b.js(close_label).await, json!("닫기"), "the open dialog follows");
    let write_mode = b.js("return document.querySelector(\"[data-testid='write-mode']\").checked;").await;
    assert_eq!(write_mode, json!(true), "write mode is still on");
    let flag = b.js("return document.querySelector(\"[data-testid='write-flag']\").textContent;").await;
    assert_eq!(flag, json!("쓰기 모드 켜짐: 변경할 수 있습니다"), "the narrow screens' write-mode strip follows");
    b.screenshot("language-registry-dialog-ko").await;
    b.js("document.querySelector('dialog[open] .close').click();").await;

    // Signed in, the language menu is in the account menu, with no dialog open.
    b.open_account_menu().await;
    b.select("language", "en").await;
    wait_for_brand(&b, "ACR encryption console").await;
    b.select("language", "ko").await;
    wait_for_brand(&b, "ACR 암호화 콘솔").await;

    // The home page in Korean, light and dark.
    b.home().await;
    assert_eq!(b.text_of("new-cmk-registry").await, "고객 관리형 키를 사용하는 새 레지스트리");
    b.screenshot("language-home-ko-light").await;
    b.emulate_color_scheme("dark").await;
    b.screenshot("language-home-ko-dark").await;

    // And back: the words follow, the page stays.
    b.open_account_menu().await;
    b.select("language", "en").await;
    wait_for_brand(&b, "ACR encryption console").await;
    assert_eq!(b.text_of("new-cmk-registry").await, "New registry with customer-managed key");
    b.assert_clean_log(&[]).await;
}

/// The decoder in Korean: the domain's explanations follow the language, the
/// message pasted (Azure's words) stays as sent; axe finds nothing with `lang="ko"`.
#[tokio::test]
async fn the_decoder_and_the_registry_list_read_in_korean_and_pass_axe() {
    use acr_cmk_domain::decoder::words as decoder;
    let b = Browser::start().await;
    b.open("/sign-in").await;
    b.select("language", "ko").await;
    wait_for_brand(&b, "ACR 암호화 콘솔").await;
    b.demo_sign_in().await;
    b.texts_of_at_least("registry-link", 3).await;
    let violations = b.axe_violations("document").await;
    assert_eq!(violations, json!([]), "axe (registry list, Korean): {violations:#}");

    b.click("nav-decode").await;
    b.wait_for_path("/decode").await;
    let pasted = format!(
        "(IdentityNotAttached) Azure resource '{}' does not have access to identity '6d6f636b-0000-4000-8000-0000000000c1'. \
         Try forcibly adding the identity to the registry.",
        support::world::registry_id("contosoprod")
    );
    let input = b.wait_for("decode-input").await;
    b.client
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
            vec![serde_json::to_value(&input).unwrap(), json!(pasted)],
        )
        .await
        .unwrap();
    assert_eq!(b.text_of("decode-cause").await, decoder::CAUSE_IDENTITY_NOT_ATTACHED.ko);
    assert_eq!(b.text_of("decode-fix").await, decoder::FIX_IDENTITY_NOT_ATTACHED.ko);
    assert_eq!(language_of(&b).await.0, "ko");
    b.screenshot("language-decode-ko-light").await;
    let violations = b.axe_violations("document").await;
    assert_eq!(violations, json!([]), "axe (decoder, Korean, light): {violations:#}");
    b.emulate_color_scheme("dark").await;
    b.screenshot("language-decode-ko-dark").await;
    let violations = b.axe_violations("document").await;
    assert_eq!(violations, json!([]), "axe (decoder, Korean, dark): {violations:#}");
    b.assert_clean_log(&[]).await;
}
