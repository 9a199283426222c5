//! Step 1: auth, CORS, subscriptions, registry reads and paging over real HTTP.

mod common;

use acr_cmk_domain::arm::{ErrorResponse, Page};
use acr_cmk_domain::registry::Registry;
use acr_cmk_emulator::Config;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn missing_token_is_authentication_failed() {
    let e = emu().await;
    let r = e.client.get(e.url("/subscriptions?api-version=2022-12-01")).send().await.unwrap();
    assert!(r.headers().contains_key("x-ms-request-id"));
    let got = read(r).await;
    assert_error(&got, 401, "AuthenticationFailed");
    assert!(got.1["error"]["message"].as_str().unwrap().contains("header is missing"));
}

#[tokio::test]
async fn garbled_token_is_authentication_failed() {
    let e = emu().await;
    for header in ["Bearer not-a-jwt", "Basic abc", "Bearer a.b"] {
        let r = e.client.get(e.url("/subscriptions?api-version=2022-12-01")).header("authorization", header).send().await.unwrap();
        let got = read(r).await;
        assert_error(&got, 401, "AuthenticationFailed");
        assert!(got.1["error"]["message"].as_str().unwrap().contains("invalid format"), "{header}");
    }
}

#[tokio::test]
async fn forged_signature_is_rejected() {
    let e = emu().await;
    let mut parts: Vec<String> = e.token.split('.').map(String::from).collect();
    parts[2] = "AAAA".repeat(10);
    let r = e.client.get(e.url("/subscriptions?api-version=2022-12-01")).bearer_auth(parts.join(".")).send().await.unwrap();
    assert_error(&read(r).await, 401, "InvalidAuthenticationToken");
}

async fn custom_token(e: &Emu, body: Value) -> String {
    let r = e.client.post(e.url("/_emulator/token")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    v["accessToken"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn expired_token_is_expired_authentication_token() {
    let e = emu().await;
    let t = custom_token(&e, json!({"expiresInSecs": -120})).await;
    let r = e.client.get(e.url("/subscriptions?api-version=2022-12-01")).bearer_auth(t).send().await.unwrap();
    assert_error(&read(r).await, 401, "ExpiredAuthenticationToken");
}

#[tokio::test]
async fn wrong_audience_is_rejected() {
    let e = emu().await;
    let t = custom_token(&e, json!({"aud": "https://vault.azure.net"})).await;
    let r = e.client.get(e.url("/subscriptions?api-version=2022-12-01")).bearer_auth(t).send().await.unwrap();
    assert_error(&read(r).await, 401, "InvalidAuthenticationTokenAudience");
}

#[tokio::test]
async fn demo_token_has_the_az_cli_shape_and_works() {
    let e = emu().await;
    let v: Value = e.client.post(e.url("/_emulator/demo-token")).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["tokenType"], "Bearer");
    assert_eq!(v["tenant"], "72f988bf-86f1-41af-91ab-2d7cd011db47");
    assert!(v["expires_on"].as_i64().unwrap() > 0);
    assert_eq!(v["expiresOn"].as_str().unwrap().len(), "2025-01-01 00:00:00.000000".len());
    let token = acr_cmk_domain::token::read_token(&v.to_string(), 0).expect("the console accepts it");
    assert_eq!(token.claims.tid.as_deref(), Some("72f988bf-86f1-41af-91ab-2d7cd011db47"));
    let r = e.client.get(e.url("/subscriptions?api-version=2022-12-01")).bearer_auth(&token.secret).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn cors_preflight_and_expose_headers() {
    let e = emu_with(Config { cors_origins: vec!["http://127.0.0.1:9999".into()], ..Config::default() }).await;
    let r = e
        .client
        .request(Method::OPTIONS, e.url("/subscriptions?api-version=2022-12-01"))
        .header("origin", "http://127.0.0.1:9999")
        .header("access-control-request-method", "PATCH")
        .header("access-control-request-headers", "authorization,content-type")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let h = r.headers();
    assert_eq!(h["access-control-allow-origin"], "http://127.0.0.1:9999");
    let allow_headers = h["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(allow_headers.contains("authorization") && allow_headers.contains("content-type"));
    assert!(h["access-control-allow-methods"].to_str().unwrap().contains("PATCH"));
    assert!(h.contains_key("x-ms-request-id"));

    let r = e
        .client
        .get(e.url("/subscriptions?api-version=2022-12-01"))
        .bearer_auth(&e.token)
        .header("origin", "http://127.0.0.1:9999")
        .send()
        .await
        .unwrap();
    let expose = r.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
    for h in ["azure-asyncoperation", "etag", "location", "retry-after", "x-ms-request-id", "x-ms-correlation-request-id"] {
        assert!(expose.contains(h), "{h} exposed");
    }
    // Both ids on every answer: the console's ticket report quotes them.
    assert!(r.headers().contains_key("x-ms-request-id") && r.headers().contains_key("x-ms-correlation-request-id"));
    // Errors carry CORS headers too, so the browser can read them.
    let r = e.client.get(e.url("/subscriptions?api-version=2022-12-01")).header("origin", "http://127.0.0.1:9999").send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn subscriptions_list_and_get() {
    let e = emu().await;
    for v in ["2016-06-01", "2020-01-01", "2022-12-01"] {
        let (s, body) = e.get(&format!("/subscriptions?api-version={v}")).await;
        assert_eq!(s, 200);
        let page: Page<acr_cmk_domain::subscription::Subscription> = serde_json::from_value(body).unwrap();
        // The demo user holds no role on the restricted subscription: it is not listed.
        let names: Vec<&str> = page.value.iter().map(|s| s.display_name.as_str()).collect();
        assert_eq!(names, ["Contoso Demo", "Contoso Security"]);
        assert_eq!(page.value[0].subscription_id, SUB);
    }
    let restricted = acr_cmk_emulator::scenario::DEMO_RESTRICTED_SUBSCRIPTION;
    let got = e.get(&format!("/subscriptions/{restricted}/providers/Microsoft.KeyVault/vaults?api-version=2025-05-01")).await;
    assert_error(&got, 403, "AuthorizationFailed");
    assert!(got.1["error"]["message"].as_str().unwrap().contains(&format!("over scope '/subscriptions/{restricted}'")));
    let (s, body) = e.get(&format!("/subscriptions/{SUB}?api-version=2022-12-01")).await;
    assert_eq!(s, 200);
    assert_eq!(body["displayName"], "Contoso Demo");
    let got = e.get("/subscriptions/00000000-0000-0000-0000-000000000000?api-version=2022-12-01").await;
    assert_error(&got, 404, "SubscriptionNotFound");
}

#[tokio::test]
async fn unknown_and_missing_api_version() {
    let e = emu().await;
    let got = e.get(&format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries?api-version=2099-01-01")).await;
    assert_error(&got, 400, "InvalidApiVersionParameter");
    let m = got.1["error"]["message"].as_str().unwrap();
    assert!(m.starts_with("The api-version '2099-01-01' is invalid. The supported versions are '"), "{m}");
    assert!(m.contains("2025-04-01"));
    let got = e.get(&format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries")).await;
    assert_error(&got, 400, "MissingApiVersionParameter");
}

#[tokio::test]
async fn registry_list_parses_into_typed_pages() {
    let e = emu().await;
    let (s, body) = e.get(&format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries?api-version={ACR}")).await;
    assert_eq!(s, 200);
    let page: Page<Registry> = serde_json::from_value(body.clone()).expect("Page<Registry>");
    let names: Vec<&str> = page.value.iter().map(|r| r.name.as_str()).collect();
    for n in ["contosoprod", "contosoauto", "contosodev"] {
        assert!(names.contains(&n), "{n} listed");
    }
    assert!(page.next_link.is_none());
    // status is present and null when healthy.
    let prod = body["value"].as_array().unwrap().iter().find(|r| r["name"] == "contosoprod").unwrap();
    assert!(prod["properties"].as_object().unwrap().contains_key("status"));
    assert!(prod["properties"]["status"].is_null());
}

#[tokio::test]
async fn paging_follows_next_link_to_the_end() {
    let e = emu_with(Config { page_size: 2, ..Config::default() }).await;
    for start in [
        format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries?api-version={ACR}"),
        format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/registries?api-version={ACR}"),
    ] {
        let mut next = Some(start);
        let mut names = Vec::new();
        let mut pages = 0;
        while let Some(link) = next {
            let (s, body) = e.get(&link).await;
            assert_eq!(s, 200, "{body}");
            let page: Page<Registry> = serde_json::from_value(body).unwrap();
            assert!(page.value.len() <= 2);
            names.extend(page.value.into_iter().map(|r| r.name));
            if let Some(n) = &page.next_link {
                assert!(n.starts_with(&e.running.arm_url), "absolute nextLink on the emulator: {n}");
                assert!(n.contains("$skipToken="));
            }
            next = page.next_link;
            pages += 1;
            assert!(pages < 10);
        }
        assert!(pages >= 2);
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "no duplicates");
        for n in ["contosoprod", "contosoauto", "contosodev"] {
            assert!(names.iter().any(|x| x == n));
        }
    }
}

#[tokio::test]
async fn registry_get_is_case_insensitive() {
    let e = emu().await;
    let (s, body) = e
        .get(&format!("/SUBSCRIPTIONS/{SUB}/resourcegroups/RG-ACR-DEMO/providers/microsoft.containerregistry/REGISTRIES/ContosoProd?api-version={ACR}"))
        .await;
    assert_eq!(s, 200, "{body}");
    let r: Registry = serde_json::from_value(body).unwrap();
    assert_eq!(r.name, "contosoprod");
}

#[tokio::test]
async fn demo_registries_have_the_documented_encryption() {
    let e = emu().await;
    let v2 = "https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key/6d6f636b00004000800000000000b002";
    let (s, body) = e.get(&e.registry_path("contosoprod")).await;
    assert_eq!(s, 200);
    let prod: Registry = serde_json::from_value(body).unwrap();
    assert_eq!(prod.sku.name, "Premium");
    assert_eq!(prod.properties.login_server.as_deref(), Some("contosoprod.azurecr.io"));
    assert_eq!(prod.identity.as_ref().unwrap().kind.as_deref(), Some("userAssigned"));
    let kv = prod.properties.encryption.as_ref().unwrap().key_vault_properties.clone().unwrap();
    assert_eq!(kv.key_identifier.as_deref(), Some(v2));
    assert_eq!(kv.versioned_key_identifier.as_deref(), Some(v2));
    assert_eq!(kv.key_rotation_enabled, Some(false));
    assert_eq!(kv.identity.as_deref(), Some("6d6f636b-0000-4000-8000-0000000000c1"));
    assert!(prod.properties.status.is_none());

    let (_, body) = e.get(&e.registry_path("contosoauto")).await;
    let auto: Registry = serde_json::from_value(body).unwrap();
    let kv = auto.properties.encryption.as_ref().unwrap().key_vault_properties.clone().unwrap();
    assert_eq!(kv.key_identifier.as_deref(), Some("https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key"));
    assert_eq!(kv.versioned_key_identifier.as_deref(), Some(v2));
    assert_eq!(kv.key_rotation_enabled, Some(true));
    assert!(kv.last_key_rotation_timestamp.is_some());

    let (_, body) = e.get(&e.registry_path("contosodev")).await;
    let dev: Registry = serde_json::from_value(body).unwrap();
    assert_eq!(dev.sku.name, "Standard");
    assert!(dev.identity.is_none());
    assert_eq!(dev.properties.encryption.as_ref().unwrap().status.as_deref(), Some("disabled"));
}

#[tokio::test]
async fn unknown_registry_group_and_subscription_are_404() {
    let e = emu().await;
    let got = e.get(&e.registry_path("nosuchregistry")).await;
    assert_error(&got, 404, "ResourceNotFound");
    assert_eq!(
        got.1["error"]["message"],
        "The Resource 'Microsoft.ContainerRegistry/registries/nosuchregistry' under resource group 'rg-acr-demo' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
    );
    let _: ErrorResponse = serde_json::from_value(got.1).unwrap();
    let got = e
        .get(&format!("/subscriptions/{SUB}/resourceGroups/nope/providers/Microsoft.ContainerRegistry/registries/x?api-version={ACR}"))
        .await;
    assert_error(&got, 404, "ResourceGroupNotFound");
    let got = e
        .get(&format!(
            "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.ContainerRegistry/registries?api-version={ACR}"
        ))
        .await;
    assert_error(&got, 404, "SubscriptionNotFound");
}

#[tokio::test]
async fn stats_count_routes_and_reset() {
    let e = emu().await;
    e.get("/subscriptions?api-version=2022-12-01").await;
    e.get("/subscriptions?api-version=2022-12-01").await;
    let v: Value = e.client.get(e.url("/_emulator/stats")).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["routes"]["GET /subscriptions"], 2);
    let r = e.client.post(e.url("/_emulator/stats/reset")).send().await.unwrap();
    assert!(r.status().is_success());
    let v: Value = e.client.get(e.url("/_emulator/stats")).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["total"], 0);
}

#[tokio::test]
async fn empty_scenario_has_one_subscription_and_no_registries() {
    let e = emu_with(empty()).await;
    let (s, body) = e.get(&format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries?api-version={ACR}")).await;
    assert_eq!(s, 200);
    assert_eq!(body["value"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn console_host_serves_files_config_and_spa_fallback() {
    let dir = std::env::temp_dir().join(format!("acr-cmk-console-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>console</title>").unwrap();
    std::fs::write(dir.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    // Stand-ins for the build's pre-compressed copies (scripts/precompress.sh): served as they are.
    std::fs::write(dir.join("app_bg.wasm.gz"), b"gzip copy").unwrap();
    std::fs::write(dir.join("app_bg.wasm.br"), b"brotli copy").unwrap();
    let e = emu_with(Config { console_dir: Some(dir.clone()), ..Config::default() }).await;
    let base = e.running.console_url.clone().expect("console url");
    let r = e.client.get(format!("{base}/config.json")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["armEndpoint"], e.running.arm_url.as_str());
    assert_eq!(v["demo"], true);
    let r = e.client.get(format!("{base}/app_bg.wasm")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/wasm");
    assert!(r.headers().get("content-encoding").is_none());
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"\0asm\x01\0\0\0");
    for (accept, encoding, body) in [("gzip", "gzip", "gzip copy"), ("gzip, deflate, br", "br", "brotli copy")] {
        let r = e.client.get(format!("{base}/app_bg.wasm")).header("accept-encoding", accept).send().await.unwrap();
        assert_eq!(r.headers()["content-encoding"], encoding, "{accept}");
        assert_eq!(r.headers()["content-type"], "application/wasm", "{accept}");
        assert_eq!(r.text().await.unwrap(), body, "{accept}");
    }
    let r = e.client.get(format!("{base}/registries/some/deep/link")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("<title>console</title>"));
    e.running.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}
