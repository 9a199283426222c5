//! The console at the window sizes people use (issue 17): full HD, a projector
//! (1280×720), a laptop, half a laptop screen (768 wide), and a phone or 400%
//! zoom (320 CSS px, WCAG 2.1 1.4.10 Reflow), in light and dark, on the sign-in
//! page, the registry list and a registry page. At each: the header is one row
//! (the product name on one line, at most 56 px) from 768 px up, the page never
//! scrolls sideways, no text sticks out of or is clipped by its box (tables and
//! code may scroll in their own box), and axe finds nothing. The header's menus
//! are checked open too. One browser, resized between checks, to stay fast.

mod support;

use serde_json::{json, Value};
use support::Browser;

/// Width × height in CSS pixels.
const SIZES: [(u32, u32); 5] = [(1920, 1080), (1280, 720), (1024, 768), (768, 1024), (320, 640)];
/// The header stays one row from this width up; below, it folds into a menu button.
const ONE_ROW_FROM: u32 = 768;
const HEADER_MAX: f64 = 56.0;

/// The layout and axe checks on the page as it is now, `at` naming it; the problems found.
async fn problems_here(b: &Browser, at: &str, width: u32) -> Vec<String> {
    let mut problems = Vec::new();
    let layout = b.measure_layout().await;
    println!("{at}: header {:?} px, scrollWidth {} / {}", layout.header_height, layout.scroll_width, layout.client_width);
    assert_eq!(layout.inner_width, width as f64, "{at}: the viewport is {width} wide");
    if width >= ONE_ROW_FROM {
        let header = layout.header_height.unwrap_or(f64::MAX);
        if header > HEADER_MAX {
            problems.push(format!("{at}: the header is {header} px tall (at most {HEADER_MAX})"));
        }
        if layout.brand_lines != 1 {
            problems.push(format!("{at}: the product name takes {} lines", layout.brand_lines));
        }
    }
    // The page's width is the viewport's less a classic scrollbar, when there is one.
    if layout.scroll_width > layout.client_width {
        problems.push(format!("{at}: the page scrolls sideways ({} > {})", layout.scroll_width, layout.client_width));
    }
    for el in &layout.overflowing {
        problems.push(format!("{at}: text does not fit its box: {el}"));
    }
    let violations = b.axe_violations("document").await;
    if violations != json!([]) {
        problems.push(format!("{at}: axe: {violations:#}"));
    }
    problems
}

/// Every size, light and dark: screenshots `layout-{page}-{w}x{h}-{scheme}` and the problems found.
async fn check_every_size(b: &Browser, page: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        b.emulate_color_scheme(scheme).await;
        for (w, h) in SIZES {
            b.set_viewport(w, h).await;
            b.screenshot(&format!("layout-{page}-{w}x{h}-{scheme}")).await;
            problems.extend(problems_here(b, &format!("{page} {w}x{h} {scheme}"), w).await);
        }
    }
    b.emulate_color_scheme("light").await;
    problems
}

fn num(rect: &Value, side: &str) -> f64 {
    rect[side].as_f64().unwrap_or_else(|| panic!("no {side} in {rect}"))
}

async fn expanded(b: &Browser, test_id: &str) -> String {
    b.wait_for(test_id).await.attr("aria-expanded").await.ok().flatten().unwrap_or_default()
}

/// Escape closes the open menu and gives focus back to its button.
async fn escape_closes(b: &Browser, test_id: &str) {
    b.client.active_element().await.unwrap().send_keys("\u{e00c}").await.expect("Escape");
    assert_eq!(expanded(b, test_id).await, "false", "Escape closes {test_id}");
    let focused = b.js("return document.activeElement.getAttribute('data-testid');").await;
    assert_eq!(focused, json!(test_id), "focus is back on {test_id}");
}

#[tokio::test]
async fn every_page_fits_every_window_size_in_light_and_dark() {
    let started = std::time::Instant::now();
    let b = Browser::start().await;
    let mut problems = Vec::new();

    b.open("/sign-in").await;
    b.wait_for("demo-sign-in").await;
    problems.extend(check_every_size(&b, "sign-in").await);

    b.set_viewport(1280, 720).await;
    b.click("demo-sign-in").await;
    b.texts_of_at_least("registry-link", 3).await;
    problems.extend(check_every_size(&b, "registries").await);

    // contosolost: the broken chain, the page the presenter shows.
    b.set_viewport(1280, 720).await;
    b.open_listed_registry("contosolost").await;
    assert_eq!(b.state_of("verdict", &["broken"]).await, "broken");
    b.wait_for("chain-link-2").await;
    problems.extend(check_every_size(&b, "registry").await);

    // The projector: the verdict and the whole chain on the first screen, the chain in one row.
    b.set_viewport(1280, 720).await;
    b.screenshot("layout-registry-1280x720-light").await;
    let chain = b.rect_of("chain-diagram").await;
    assert!(num(&chain, "bottom") <= 720.0, "at 1280x720 the chain ends below the first screen: {chain}");
    let (first, last) = (b.rect_of("chain-link-0").await, b.rect_of("chain-link-2").await);
    assert_eq!(num(&first, "top"), num(&last, "top"), "at 1280 the chain is one row");
    // Encryption and Identities side by side at 1280; stacked where each would get less than 520 px.
    for (w, h, side_by_side) in [(1920, 1080, true), (1280, 720, true), (1024, 768, false), (768, 1024, false)] {
        b.set_viewport(w, h).await;
        let (encryption, identities) = (b.rect_of("encryption").await, b.rect_of("identities").await);
        let beside = num(&identities, "top") == num(&encryption, "top");
        assert_eq!(beside, side_by_side, "at {w}: side by side {side_by_side}? {encryption} {identities}");
    }
    b.set_viewport(1280, 720).await;
    // The account menu: everything about the sign-in, inside the window, closed by Escape.
    b.click("account-menu").await;
    assert_eq!(expanded(&b, "account-menu").await, "true");
    assert!(b.text_of("signed-in-tenant").await.len() >= 36, "the tenant id shows whole");
    let panel = b.rect_of("account-panel").await;
    assert!(num(&panel, "left") >= 0.0 && num(&panel, "right") <= 1280.0, "the account menu fits the window: {panel}");
    b.screenshot("layout-account-menu-1280x720-light").await;
    problems.extend(problems_here(&b, "account menu 1280x720", 1280).await);
    b.click("registry-name").await;
    assert_eq!(expanded(&b, "account-menu").await, "false", "a click outside closes the account menu");
    b.click("account-menu").await;
    escape_closes(&b, "account-menu").await;

    // Half a laptop screen: the bar is still one row, and the menu fits.
    b.set_viewport(768, 1024).await;
    b.click("account-menu").await;
    b.screenshot("layout-account-menu-768x1024-light").await;
    problems.extend(problems_here(&b, "account menu 768x1024", 768).await);
    escape_closes(&b, "account-menu").await;

    // 320 px (400% zoom): the chain is a column, the header a menu button whose sheet holds
    // the write-mode switch and the account; write mode on shows even with the sheet closed.
    b.set_viewport(320, 640).await;
    let (first, last) = (b.rect_of("chain-link-0").await, b.rect_of("chain-link-2").await);
    assert!(num(&last, "top") > num(&first, "bottom"), "at 320 the chain is a column: {first} {last}");
    assert!(!b.wait_for("write-mode").await.is_displayed().await.unwrap(), "the switch is in the menu");
    b.click("header-menu").await;
    b.click("write-mode").await;
    assert!(b.wait_for("write-mode").await.is_selected().await.unwrap());
    assert!(b.wait_for("sign-out").await.is_displayed().await.unwrap(), "sign-out is in the menu");
    assert!(b.text_of("signed-in-upn").await.contains('@'), "the details show in the menu at once");
    b.screenshot("layout-header-menu-320x640-light").await;
    problems.extend(problems_here(&b, "header menu 320x640", 320).await);
    escape_closes(&b, "header-menu").await;
    assert!(b.wait_for("write-flag").await.is_displayed().await.unwrap(), "write mode on shows with the menu closed");
    b.emulate_color_scheme("dark").await;
    b.screenshot("layout-write-flag-320x640-dark").await;
    problems.extend(problems_here(&b, "write mode on 320x640 dark", 320).await);
    b.emulate_color_scheme("light").await;

    println!("layout checks took {:?}", started.elapsed());
    assert!(problems.is_empty(), "{} layout problems:\n{}", problems.len(), problems.join("\n"));
    b.assert_clean_log(&[]).await;
}
