//! The emulator's own safety: a panicking handler answers `500` in ARM's
//! shape and the server keeps serving; the admin routes want the admin secret;
//! CORS answers the console's origin and `--cors-origin`s only.

mod common;

use acr_cmk_emulator::Config;
use common::*;
use reqwest::Method;

#[tokio::test]
async fn a_panicking_handler_answers_500_in_arms_shape_and_the_server_keeps_serving() {
    let e = emu().await;
    let r = e.client.post(e.url("/_emulator/panic")).send().await.unwrap();
    assert!(r.headers().contains_key("x-ms-request-id"), "the 500 still carries a request id");
    let got = read(r).await;
    assert_error(&got, 500, "InternalServerError");
    for _ in 0..3 {
        let (status, _) = e.get(&e.registry_path("contosoprod")).await;
        assert_eq!(status.as_u16(), 200, "the server keeps serving after a panic");
    }
    let r = e.send(Method::POST, "/_emulator/panic", None).await;
    assert_eq!(r.status().as_u16(), 500, "and it survives a second one");
}

#[tokio::test]
async fn every_admin_route_but_demo_token_wants_the_admin_secret() {
    let e = emu().await;
    let bare = e.bare();
    let routes = [
        ("POST", "/_emulator/token"),
        ("GET", "/_emulator/stats"),
        ("POST", "/_emulator/stats/reset"),
        ("GET", "/_emulator/faults"),
        ("POST", "/_emulator/faults"),
        ("DELETE", "/_emulator/faults"),
        ("GET", "/_emulator/registries/contosoprod/v2/"),
        ("GET", "/_emulator/state"),
        ("POST", "/_emulator/hostile"),
        ("POST", "/_emulator/entra/revoke"),
        ("GET", "/_emulator/entra/settings"),
        ("POST", "/_emulator/entra/settings"),
        ("POST", "/_emulator/panic"),
        ("GET", "/_emulator/no-such-route"),
    ];
    for (method, path) in routes {
        let m: Method = method.parse().unwrap();
        let got = read(bare.request(m.clone(), e.url(path)).send().await.unwrap()).await;
        assert_error(&got, 401, "EmulatorAdminSecretMissing");
        let got = read(bare.request(m, e.url(path)).header("x-emulator-admin", "not-the-secret").send().await.unwrap()).await;
        assert_error(&got, 403, "EmulatorAdminSecretInvalid");
    }
    let (_, world) = e.get("/_emulator/state").await;
    assert!(world["registries"].is_array(), "hostile data was not seeded without the secret");
    assert!(world["registries"].to_string().find("<script>").is_none(), "hostile data was not seeded without the secret");

    for method in [Method::GET, Method::POST] {
        let r = bare.request(method, e.url("/_emulator/demo-token")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "the demo's sign-in is open");
    }
    let r = e.client.get(e.url("/_emulator/stats")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "with the secret");
    assert_eq!(e.running.admin_secret().len(), 64);
}

async fn preflight(e: &Emu, origin: &str) -> reqwest::Response {
    e.bare()
        .request(Method::OPTIONS, e.url("/subscriptions?api-version=2022-12-01"))
        .header("origin", origin)
        .header("access-control-request-method", "PATCH")
        .header("access-control-request-headers", "authorization,content-type,if-match")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn cors_answers_the_consoles_origin_and_the_listed_ones_not_every_origin() {
    let dir = std::env::temp_dir().join(format!("acr-cmk-cors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
    let e = emu_with(Config {
        console_dir: Some(dir.clone()),
        cors_origins: vec!["https://admin.contoso.example/".into()],
        ..Config::default()
    })
    .await;
    let console = e.running.console_url.clone().expect("the console is served");
    let port = console.rsplit(':').next().unwrap().to_string();
    for allowed in [console.clone(), format!("http://localhost:{port}"), "https://admin.contoso.example".into()] {
        let r = preflight(&e, &allowed).await;
        assert_eq!(r.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap()), Some(allowed.as_str()));
        assert!(r.headers()["access-control-allow-headers"].to_str().unwrap().contains("if-match"));
    }
    for evil in ["http://evil.example", "null", "http://127.0.0.1:1", "https://admin.contoso.example.evil.example"] {
        let r = preflight(&e, evil).await;
        assert!(r.headers().get("access-control-allow-origin").is_none(), "{evil} is not answered");
        let r = e.bare().post(e.url("/_emulator/demo-token")).header("origin", evil).send().await.unwrap();
        assert!(r.headers().get("access-control-allow-origin").is_none(), "{evil} cannot read a demo token");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn without_a_console_no_origin_is_answered() {
    let e = emu().await;
    let r = preflight(&e, "http://127.0.0.1:9999").await;
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn axums_own_answers_on_admin_routes_are_arm_shaped() {
    let e = emu().await;
    let got = read(e.client.put(e.url("/_emulator/demo-token")).send().await.unwrap()).await;
    assert_error(&got, 405, "HttpMethodNotSupported");
    let got = read(e.client.put(e.url("/_emulator/stats")).send().await.unwrap()).await;
    assert_error(&got, 405, "HttpMethodNotSupported");
}
