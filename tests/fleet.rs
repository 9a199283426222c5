//! Issue 12: the fleet page (`/fleet`) in headless Chromium against the emulator's
//! `fleet` scenario (10,000 registries in 25 subscriptions; which registry shows
//! which flag is the table at the top of `emulator/src/fleet.rs`).
//!
//! - `the_fleet_loads_in_resource_graph_pages_and_search_finds_each_key`: sign-in
//!   to a full table in O(pages) requests (the emulator counts the Resource Graph
//!   pages: ten of registries, one of vaults, one of identities, no per-registry
//!   read); the table holds a few dozen rows of the 10,000 in its DOM and
//!   scrolling shows rows 5,000 on; search by name, login server, key vault and
//!   identity finds the right rows; a pasted resource id opens the registry's
//!   page. Prints the requests and the time from sign-in to 10,000 searchable
//!   rows, a keystroke's update and the JS heap. Screenshots light, dark and
//!   scrolled; axe finds nothing in either scheme.
//! - `a_shared_link_reproduces_the_view_and_each_flag_chip_filters_to_its_registries`:
//!   a URL with search, flag and sort opens that view; each flag chip leaves only
//!   rows with that flag and keeps the registry the scenario built for it; a bar
//!   of the summary chart sets the same filter in the URL.
//! - `the_csv_of_a_filtered_view_holds_its_rows_with_hostile_cells_neutralised`:
//!   the four registries of group `-rg-dash(1)`, exported as CSV (read from the
//!   download's Blob URL by the page): exactly those rows, the group cell
//!   neutralised with a leading `'`, no cell a spreadsheet would run; and as JSON.
//! - `a_throttled_resource_graph_page_is_retried_and_a_refused_one_falls_back_to_arm_lists`:
//!   a `429` with `Retry-After` on a Resource Graph page is sent again and the
//!   table fills; a `403` on Resource Graph falls back to per-subscription ARM
//!   lists with a banner saying so, and the table still holds every registry.

mod support;

use std::time::{Duration, Instant};

use acr_cmk_emulator::Scenario;
use serde_json::{json, Value};
use support::{faults, Browser, Options};

const FLEET_SIZE: usize = 10_000;
/// Loading 10,000 registries takes longer than one element's [`support::WAIT`].
const LOAD_WAIT: Duration = Duration::from_secs(90);
const RESOURCE_GRAPH: &str = "Microsoft.ResourceGraph";

/// The fleet scenario, with Resource Graph's own page size (1,000 rows).
async fn fleet_browser() -> Browser {
    Browser::start_with(Options { page_size: 1000, scenario: Scenario::Fleet, ..Options::default() }).await
}

/// `(shown, total)` from "N of M registries".
async fn count(b: &Browser) -> (usize, usize) {
    let text = b.text_of("fleet-count").await;
    let mut numbers = text.split_whitespace().filter_map(|w| w.parse::<usize>().ok());
    (numbers.next().unwrap_or(usize::MAX), numbers.next().unwrap_or(0))
}

/// Waits until the count says `shown` of the whole fleet.
async fn wait_count(b: &Browser, shown: usize, within: Duration) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if b.is_present("fleet-count").await && count(b).await == (shown, FLEET_SIZE) {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            b.screenshot("fleet-timeout").await;
            panic!("the fleet count never said {shown} of {FLEET_SIZE}; log: {:#?}", b.browser_log().await);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Signs in at `path` (a `/fleet` URL) and waits for the whole fleet to load; the time it took.
async fn sign_in_and_load(b: &Browser, path: &str, shown: Option<usize>) -> Duration {
    b.open(path).await;
    b.wait_for("demo-sign-in").await;
    let started = Instant::now();
    b.click("demo-sign-in").await;
    match shown {
        Some(n) => wait_count(b, n, LOAD_WAIT).await,
        None => {
            let deadline = tokio::time::Instant::now() + LOAD_WAIT;
            while !(b.is_present("fleet-count").await && count(b).await.1 == FLEET_SIZE) {
                assert!(tokio::time::Instant::now() < deadline, "the fleet never loaded");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    started.elapsed()
}

/// Sets the search box as typing would (one `input` event with the whole text).
async fn search(b: &Browser, text: &str) {
    b.wait_for("fleet-search").await;
    b.client
        .execute(
            "const el = document.querySelector('[data-testid=fleet-search]'); el.value = arguments[0]; \
             el.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![json!(text)],
        )
        .await
        .expect("search");
}

/// The text of column `key` in every row in the DOM.
async fn column(b: &Browser, key: &str) -> Vec<String> {
    let script =
        format!("return Array.from(document.querySelectorAll('[data-testid=fleet-row] .col-{key}')).map(c => c.textContent.trim());");
    serde_json::from_value(b.js(&script).await).unwrap()
}

/// The flags (their URL keys) of every row in the DOM.
async fn row_flags(b: &Browser) -> Vec<Vec<String>> {
    let v = b
        .js("return Array.from(document.querySelectorAll('[data-testid=fleet-row]')).map(r => \
             Array.from(r.querySelectorAll('[data-testid=row-flag]')).map(c => c.dataset.flag));")
        .await;
    serde_json::from_value(v).unwrap()
}

/// Waits until the DOM rows' names are exactly `names`.
async fn wait_names(b: &Browser, names: &[&str]) {
    let deadline = tokio::time::Instant::now() + support::WAIT;
    loop {
        let now = column(b, "name").await;
        if now == names {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "rows are {now:?}, expected {names:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Light and dark screenshots (`fleet-{what}-{scheme}`), axe clean in both.
async fn both_schemes(b: &Browser, what: &str) {
    for scheme in ["light", "dark"] {
        b.emulate_color_scheme(scheme).await;
        b.screenshot(&format!("fleet-{what}-{scheme}")).await;
        let violations = b.axe_violations("main").await;
        assert_eq!(violations, json!([]), "axe on the fleet page ({what}, {scheme}): {violations:#}");
    }
    b.emulate_color_scheme("light").await;
}

#[tokio::test]
async fn the_fleet_loads_in_resource_graph_pages_and_search_finds_each_key() {
    let b = fleet_browser().await;
    b.open("/fleet").await;
    b.wait_for("demo-sign-in").await;
    b.reset_arm_requests().await;
    let started = Instant::now();
    b.click("demo-sign-in").await;
    wait_count(&b, FLEET_SIZE, LOAD_WAIT).await;
    let loaded = started.elapsed();
    let stats = b.arm_requests().await;
    let graph_pages = support::requests::count(&stats, |r| r.contains(RESOURCE_GRAPH));
    let total = stats["total"].as_u64().unwrap_or(0);
    println!("fleet: sign-in to {FLEET_SIZE} searchable rows: {loaded:?}, {total} requests ({graph_pages} Resource Graph pages)");
    println!("fleet: requests by route: {:#}", stats["routes"]);
    assert_eq!(graph_pages, 12, "ten pages of 1,000 registries, one of vaults, one of identities: {stats:#}");
    let registry_reads = support::requests::count(&stats, |r| r.contains("registries/{"));
    assert_eq!(registry_reads, 0, "no request per registry: {stats:#}");
    assert!(b.is_present("fleet-lag").await, "Resource Graph's lag is said");

    // Virtualised: a few dozen rows in the DOM, and scrolling brings later ones.
    let in_dom = b.js("return document.querySelectorAll('[data-testid=fleet-row]').length;").await.as_u64().unwrap();
    assert!(in_dom > 10 && in_dom < 60, "{in_dom} rows in the DOM");
    both_schemes(&b, "top").await;
    b.js("document.querySelector('[data-testid=fleet-scroll]').scrollTop = 36 * 5000;").await;
    let deadline = tokio::time::Instant::now() + support::WAIT;
    loop {
        let first = b.js("return Number(document.querySelector('[data-testid=fleet-row]').getAttribute('aria-rowindex'));").await;
        let rows = b.js("return document.querySelectorAll('[data-testid=fleet-row]').length;").await.as_u64().unwrap();
        if first.as_u64().is_some_and(|i| (4_980..=5_010).contains(&i)) {
            assert!(rows < 60, "{rows} rows in the DOM after scrolling");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "scrolling to row 5,000 shows row {first}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b.screenshot("fleet-scrolled-light").await;
    b.emulate_color_scheme("dark").await;
    b.screenshot("fleet-scrolled-dark").await;
    b.emulate_color_scheme("light").await;

    // By name, typed key by key: one keystroke's update timed on the last one.
    b.type_into("fleet-search", "fleet03r012").await;
    wait_count(&b, 10, support::WAIT).await;
    let keystroke = Instant::now();
    b.wait_for("fleet-search").await.send_keys("3").await.unwrap();
    wait_count(&b, 1, support::WAIT).await;
    println!("fleet: a search keystroke over {FLEET_SIZE} rows to the updated view: {:?}", keystroke.elapsed());
    assert_eq!(b.path_now().await, "/fleet?q=fleet03r0123", "the search is in the URL");
    wait_names(&b, &["fleet03r0123"]).await;
    let heap = b.js("return performance.memory ? performance.memory.usedJSHeapSize : null;").await;
    println!("fleet: JS heap after load and searches: {heap} B");

    // By login server (part of it: the whole one opens the registry).
    search(&b, "fleet04r0201.azurecr").await;
    wait_names(&b, &["fleet04r0201"]).await;
    // By key vault: every row keyed there, and only those.
    search(&b, "kv-fleet-05-07").await;
    let deadline = tokio::time::Instant::now() + support::WAIT;
    while count(&b).await.0 >= FLEET_SIZE {
        assert!(tokio::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (n, _) = count(&b).await;
    let vaults = column(&b, "vault").await;
    assert!(n > 10 && n < 100, "{n} registries keyed in kv-fleet-05-07");
    assert!(!vaults.is_empty() && vaults.iter().all(|v| v == "kv-fleet-05-07"), "{vaults:?}");
    // By identity name.
    search(&b, "id-fleet-06-07").await;
    let deadline = tokio::time::Instant::now() + support::WAIT;
    loop {
        let identities = column(&b, "identity").await;
        if !identities.is_empty() && identities.iter().all(|i| i == "user: id-fleet-06-07") {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{identities:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A pasted resource id opens the registry.
    search(&b, "fleet07r0042").await;
    wait_names(&b, &["fleet07r0042"]).await;
    let id = b.wait_for("fleet-row").await.attr("data-id").await.unwrap().unwrap();
    search(&b, &id).await;
    let parts: Vec<&str> = id.split('/').collect();
    b.wait_for_path(&format!("/subscriptions/{}/resourceGroups/{}/registries/{}", parts[2], parts[4], parts[8])).await;
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_shared_link_reproduces_the_view_and_each_flag_chip_filters_to_its_registries() {
    let b = fleet_browser().await;
    let link = "/fleet?q=fleet01&flag=noPurgeProtection&sort=name&dir=desc";
    sign_in_and_load(&b, link, None).await;
    assert_eq!(b.path_now().await, link, "the sign-in came back to the whole link");
    let (n, _) = count(&b).await;
    assert!(n > 0 && n < 400, "{n} registries of subscription 01 without purge protection");
    let search_box = b.wait_for("fleet-search").await.prop("value").await.unwrap();
    assert_eq!(search_box.as_deref(), Some("fleet01"));
    let chip = b.wait_for("filter-flag-noPurgeProtection").await.attr("aria-pressed").await.unwrap();
    assert_eq!(chip.as_deref(), Some("true"));
    let names = column(&b, "name").await;
    assert!(names.iter().all(|n| n.starts_with("fleet01")), "{names:?}");
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted, "sorted by name, descending");
    assert!(row_flags(&b).await.iter().all(|f| f.contains(&"noPurgeProtection".to_string())));

    // Each chip: only rows with its flag, among them the registry built for it.
    search(&b, "").await;
    for (flag, registry) in [
        ("vaultNotFound", "fleet02r0006"),
        ("identityDeleted", "fleet02r0004"),
        ("identityNotAttached", "fleet02r0003"),
        ("firewallKeepsIdentityOut", "fleet02r0033"),
        ("noPurgeProtection", "fleet02r0011"),
        ("pinnedKeyStale", "fleet02r0014"),
        ("premiumWithoutCmk", "fleet02r0002"),
    ] {
        search(&b, "").await;
        b.click(&format!("filter-flag-{flag}")).await;
        let chip = b.text_of(&format!("filter-flag-{flag}")).await;
        let expected: usize = chip.rsplit('(').next().unwrap().trim_end_matches(')').parse().unwrap();
        wait_count(&b, expected, support::WAIT).await;
        assert!(expected > 0 && expected < FLEET_SIZE, "{chip}");
        let flags = row_flags(&b).await;
        assert!(!flags.is_empty() && flags.iter().all(|f| f.contains(&flag.to_string())), "{flag}: {flags:?}");
        assert!(b.path_now().await.contains(&format!("flag={flag}")), "the filter is in the URL");
        search(&b, registry).await;
        wait_names(&b, &[registry]).await;
    }

    // A bar of the summary chart is the same filter.
    search(&b, "").await;
    b.click("bar-flag-identityDeleted").await;
    let deadline = tokio::time::Instant::now() + support::WAIT;
    while !b.path_now().await.contains("flag=identityDeleted") {
        assert!(tokio::time::Instant::now() < deadline, "the bar did not filter: {}", b.path_now().await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(row_flags(&b).await.iter().all(|f| f.contains(&"identityDeleted".to_string())));
    b.screenshot("fleet-filtered-light").await;
    b.assert_clean_log(&[]).await;
}

/// Keeps every Blob the page makes a URL for, by URL, before the page's scripts run: the
/// page's CSP (`connect-src`) rightly refuses a `fetch` of a `blob:` URL, so the test reads
/// the Blob itself.
const BLOB_HOOK: &str = "window.__blobs = {}; const make = URL.createObjectURL; \
    URL.createObjectURL = function (blob) { const url = make.call(URL, blob); window.__blobs[url] = blob; return url; };";

/// Clicks `button` and returns the text of the file its download link offers (the Blob behind it).
async fn exported(b: &Browser, button: &str, file: &str) -> String {
    b.click(button).await;
    let deadline = tokio::time::Instant::now() + support::WAIT;
    loop {
        let link = b.wait_for("export-download").await;
        if link.attr("data-file").await.unwrap().as_deref() == Some(file) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no {file} offered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let text = b.js("return window.__blobs[document.querySelector('[data-testid=export-download]').href].text();").await;
    text.as_str().expect("the file's text").to_string()
}

/// RFC 4180 records (CRLF between them, quoted fields may hold anything).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(field.is_empty() && record.is_empty(), "the CSV does not end with CRLF");
    records
}

#[tokio::test]
async fn the_csv_of_a_filtered_view_holds_its_rows_with_hostile_cells_neutralised() {
    let b = fleet_browser().await;
    b.cdp("Page.addScriptToEvaluateOnNewDocument", json!({"source": BLOB_HOOK})).await;
    sign_in_and_load(&b, "/fleet?q=-rg-dash&sort=name", Some(4)).await;
    let csv = exported(&b, "export-csv", "fleet.csv").await;
    let records = parse_csv(&csv);
    let header = &records[0];
    assert_eq!(header[0], "name");
    let group = header.iter().position(|h| h == "resourceGroup").unwrap();
    let names: Vec<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["fleet01r0007", "fleet01r0107", "fleet01r0207", "fleet01r0307"], "{csv}");
    for record in &records[1..] {
        assert_eq!(record.len(), header.len(), "{record:?}");
        assert_eq!(record[group], "'-rg-dash(1)", "the group cell is neutralised");
        for cell in record {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "a cell a spreadsheet would run: {cell}");
        }
    }

    let json = exported(&b, "export-json", "fleet.json").await;
    let rows: Vec<Value> = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["fleet01r0007", "fleet01r0107", "fleet01r0207", "fleet01r0307"]);
    assert_eq!(rows[0]["resourceGroup"], "-rg-dash(1)", "JSON keeps the value as it is");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_throttled_resource_graph_page_is_retried_and_a_refused_one_falls_back_to_arm_lists() {
    let b = fleet_browser().await;
    faults::add(
        &b,
        json!({"method": "POST", "pathContains": RESOURCE_GRAPH, "kind": "status", "status": 429, "retryAfter": 1, "times": 1}),
    )
    .await;
    b.reset_arm_requests().await;
    sign_in_and_load(&b, "/fleet", Some(FLEET_SIZE)).await;
    let pages = b.requests_to(RESOURCE_GRAPH).await;
    assert_eq!(pages, 13, "twelve pages and the throttled one sent again");
    assert_eq!(faults::pending(&b).await["value"], json!([]), "the 429 was served");
    assert!(!b.is_present("fleet-fallback").await);

    faults::add(
        &b,
        json!({"method": "POST", "pathContains": RESOURCE_GRAPH, "kind": "status", "status": 403, "code": "AuthorizationFailed",
               "message": "The client does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read'."}),
    )
    .await;
    b.reset_arm_requests().await;
    let took = sign_in_and_load(&b, "/fleet", Some(FLEET_SIZE)).await;
    let stats = b.arm_requests().await;
    println!("fleet: Resource Graph refused, sign-in to {FLEET_SIZE} rows through ARM lists: {took:?}, {} requests", stats["total"]);
    let banner = b.text_of("fleet-fallback").await;
    assert!(banner.contains("AuthorizationFailed") && banner.contains("subscription by subscription"), "{banner}");
    assert!(!b.is_present("fleet-lag").await);
    b.screenshot("fleet-fallback-light").await;
    faults::clear(&b).await;
    // Chromium logs every 4xx answer as a failed load.
    b.assert_clean_log(&["status of 403", "status of 429"]).await;
}
