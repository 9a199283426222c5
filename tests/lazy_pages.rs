//! The lazily loaded parts of the console (issue 14; `#[lazy]`, split out by
//! scripts/build_split.sh): every page but sign-in is a chunk of its own, so after a demo sign-in the
//! registry list has fetched its split and the demo's tour panel's, nothing else; the first visit to a
//! registry page, `/decode`, `/fleet` and `/create`, and switching on write mode on a registry page, fetch
//! theirs, and the page appears whole: the
//! first time its section is in the document it already has its heading and its
//! first control (no half-built page while the chunk comes). Screenshots of each
//! under `target/screenshots/lazy-*.png`. A deep link fetches its page's chunk while sign-in shows.

mod support;

use serde_json::Value;
use support::world::registry_path;
use support::Browser;

/// The `.wasm` files the page has fetched so far (Resource Timing), by file name.
async fn wasm_fetched(b: &Browser) -> Vec<String> {
    let names = b
        .js("return performance.getEntriesByType('resource')
                .map(e => new URL(e.name).pathname.slice(1))
                .filter(p => p.endsWith('.wasm'));")
        .await;
    serde_json::from_value(names).unwrap()
}

/// Starts recording, on every change of the document, whether `section` is there and whether
/// `inside` (a CSS selector) is in it at that moment.
async fn watch(b: &Browser, section: &str, inside: &str) {
    b.js(&format!(
        "window.__lazySeen = [];
         if (window.__lazyObserver) window.__lazyObserver.disconnect();
         window.__lazyObserver = new MutationObserver(() => {{
             const s = document.querySelector({section:?});
             if (s) window.__lazySeen.push(!!s.querySelector({inside:?}));
         }}).observe(document.body, {{ childList: true, subtree: true }});
         return null;"
    ))
    .await;
}

/// What [`watch`] saw: for each change with the section present, whether it was whole.
async fn seen(b: &Browser) -> Vec<bool> {
    let seen: Value = b.js("return window.__lazySeen;").await;
    serde_json::from_value(seen).unwrap()
}

fn chunk_named(fetched: &[String], split: &str) -> bool {
    fetched.iter().any(|f| f.starts_with(&format!("split_{split}_")))
}

#[tokio::test]
async fn lazy_pages_fetch_their_chunk_on_the_first_visit_and_appear_whole() {
    let b = Browser::start().await;
    b.demo_sign_in().await;
    b.home().await;
    // The emulator's console host serves the demo configuration, so the guided tour's panel (a split of its
    // own, with the shared chunks it needs) comes after sign-in; no other split point's code does.
    b.wait_for("tour-start").await;
    let first = wasm_fetched(&b).await;
    assert!(chunk_named(&first, "tour_frame"), "{first:?}");
    assert!(chunk_named(&first, "registries_page"), "{first:?}");
    // The sign-in page fetches what its clicks run while it shows (the pasted token's check, the demo
    // token's request, both used by the demo sign-in); Entra's redirect waits for its button.
    assert!(chunk_named(&first, "checked_token") && chunk_named(&first, "demo_token"), "{first:?}");
    assert!(!chunk_named(&first, "begin"), "{first:?}");
    let splits: Vec<&String> = first.iter().filter(|f| f.starts_with("split_")).collect();
    assert_eq!(splits.len(), 4, "only the sign-in's, the list's and the tour's splits on the registry list: {first:?}");

    // A registry page, read-only: its own chunk, not the write verbs'; write mode fetches those.
    watch(&b, "nav.breadcrumb", "[aria-current=page]").await;
    b.open_listed_registry("contosoprod").await;
    b.wait_for("writes-panel").await;
    let fetched = wasm_fetched(&b).await;
    assert!(chunk_named(&fetched, "registry_page"), "{fetched:?}");
    assert!(!chunk_named(&fetched, "write_verbs"), "{fetched:?}");
    let frames = seen(&b).await;
    assert!(frames.first() == Some(&true), "the registry page showed without its breadcrumb first: {frames:?}");
    watch(&b, ".write-verbs", "h3").await;
    b.click("write-mode").await;
    b.wait_for("rotate-open").await;
    assert!(chunk_named(&wasm_fetched(&b).await, "write_verbs"), "{:?}", wasm_fetched(&b).await);
    let verbs = seen(&b).await;
    assert!(verbs.first() == Some(&true), "the write verbs showed without their heading first: {verbs:?}");
    b.js("document.querySelector('[data-testid=writes-panel]').scrollIntoView(); return null;").await;
    b.screenshot("lazy-write-verbs").await;

    // The header's links: the decoder and the fleet, each whole on its first frame.
    for (link, split, section, inside, ready) in [
        ("nav-decode", "decode_page", "section.page.decode", "textarea", "decode-input"),
        ("nav-fleet", "fleet_page", "section.page.fleet", "h1", "fleet-count"),
    ] {
        watch(&b, section, inside).await;
        b.click(link).await;
        b.wait_for(ready).await;
        assert!(chunk_named(&wasm_fetched(&b).await, split), "{split}: {:?}", wasm_fetched(&b).await);
        let frames = seen(&b).await;
        assert!(frames.first() == Some(&true), "{section} showed without {inside} first: {frames:?}");
        b.screenshot(&format!("lazy-{split}")).await;
    }

    // /create from the registry list's button (shown in write mode, still on).
    b.home().await;
    watch(&b, "section.page.create", "h1").await;
    b.click("new-cmk-registry").await;
    b.wait_for("create-nav-basics").await;
    assert!(chunk_named(&wasm_fetched(&b).await, "create_page"), "{:?}", wasm_fetched(&b).await);
    let frames = seen(&b).await;
    assert!(frames.first() == Some(&true), "the create page showed without its heading first: {frames:?}");
    b.screenshot("lazy-create_page").await;

    b.assert_clean_log(&[]).await;
}

/// A deep link opened signed out shows the sign-in page (in the first load) and fetches the chunk of the
/// page it returns to meanwhile, not after sign-in: the registry page's split is there before the click.
#[tokio::test]
async fn a_deep_link_fetches_its_pages_chunk_while_sign_in_shows() {
    let b = Browser::start().await;
    b.open(&registry_path("contosoprod")).await;
    b.wait_for("demo-sign-in").await;
    let mut fetched = wasm_fetched(&b).await;
    for _ in 0..100 {
        if chunk_named(&fetched, "registry_page") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        fetched = wasm_fetched(&b).await;
    }
    assert!(chunk_named(&fetched, "registry_page"), "the registry page's chunk before sign-in: {fetched:?}");
    assert!(!chunk_named(&fetched, "registries_page"), "not the list's, which this load does not show: {fetched:?}");
    assert_eq!(b.path_now().await.split('?').next(), Some("/sign-in"), "still on sign-in");
    b.click("demo-sign-in").await;
    b.wait_for("verdict").await;
    b.assert_clean_log(&[]).await;
}
