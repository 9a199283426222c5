//! The console host's security headers and the hostile-data seeding, over real HTTP.

mod common;

use acr_cmk_emulator::console_host::sha256_source;
use acr_cmk_emulator::Config;
use common::*;
use serde_json::Value;

/// Like trunk's output: a module loader inline, everything else from files.
const INDEX: &str = "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"/main.css\" integrity=\"sha384-x\"/>\n\
<script type=\"module\">\nimport init from '/app.js';\nawait init();\n</script>\n\
<script src=\"/other.js\"></script></head><body></body></html>";

#[tokio::test]
async fn the_console_is_served_under_a_strict_policy_naming_trunks_loader_by_hash() {
    let dir = std::env::temp_dir().join(format!("acr-cmk-console-csp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    let e = emu_with(Config { console_dir: Some(dir.clone()), ..Config::default() }).await;
    let base = e.running.console_url.clone().expect("console url");

    for path in ["/", "/subscriptions/x/resourceGroups/y/registries/z"] {
        let r = e.client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let h = r.headers();
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["x-content-type-options"], "nosniff");
        let csp = h["content-security-policy"].to_str().unwrap().to_string();
        let directives: Vec<(&str, Vec<&str>)> = csp
            .split(';')
            .map(|d| {
                let mut words = d.split_whitespace();
                (words.next().unwrap_or_default(), words.collect())
            })
            .collect();
        let get = |name: &str| {
            directives.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("{name} missing: {csp}"))
        };
        let hash = format!("'{}'", sha256_source("\nimport init from '/app.js';\nawait init();\n"));
        assert_eq!(get("default-src"), ["'none'"]);
        assert_eq!(get("script-src"), ["'self'", "'wasm-unsafe-eval'", hash.as_str()], "exactly one inline script, by hash");
        let arm_origin = e.running.arm_url.as_str();
        assert_eq!(get("connect-src"), ["'self'", arm_origin], "only itself, ARM and the authority (the same origin here)");
        assert_eq!(get("style-src"), ["'self'"]);
        assert_eq!(get("img-src"), ["'self'", "data:"]);
        assert_eq!(get("base-uri"), ["'none'"]);
        assert_eq!(get("object-src"), ["'none'"]);
        assert_eq!(get("frame-ancestors"), ["'none'"]);
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'") && !csp.contains('*'), "{csp}");
    }
    e.running.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn hostile_data_is_seeded_into_free_text_fields_and_an_error() {
    let e = emu().await;
    let arm = e.running.arm_url.clone();
    let seeded: Value = e.client.post(format!("{arm}/_emulator/hostile")).send().await.unwrap().json().await.unwrap();
    let sub = "6d6f636b-0000-4000-8000-000000000001";
    let name = seeded["subscriptionDisplayNames"][sub].as_str().unwrap().to_string();
    assert!(name.contains("<script>") && name.contains("onerror=") && name.contains("javascript:"), "{name}");

    let r = e.client.get(format!("{arm}/subscriptions/{sub}?api-version=2022-12-01")).bearer_auth(&e.token).send().await.unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["displayName"], name.as_str(), "ARM answers the hostile name as it is");

    let reg = |n: &str| {
        format!("{arm}/subscriptions/{sub}/resourceGroups/rg-acr-demo/providers/Microsoft.ContainerRegistry/registries/{n}?api-version=2025-04-01")
    };
    let prod: Value = e.client.get(reg("contosoprod")).bearer_auth(&e.token).send().await.unwrap().json().await.unwrap();
    assert!(prod["tags"]["hostile-link"].as_str().unwrap().starts_with("javascript:"), "{prod}");

    let r = e.client.get(reg("contosodev")).bearer_auth(&e.token).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let err: Value = r.json().await.unwrap();
    assert_eq!(err["error"]["message"], seeded["errorMessage"]);
    assert!(err["error"]["message"].as_str().unwrap().contains("<img src=x onerror="));
    e.running.shutdown().await;
}
