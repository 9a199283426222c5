//! `--tls`: HTTPS with a generated local CA, trusted by clients through the CA
//! file only (no certificate checks turned off anywhere).

mod common;

use std::time::Duration;

use acr_cmk_emulator::{start, Config};
use common::*;

fn ca_path(tag: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("acr-cmk-emu-ca-{tag}-{}.pem", uuid_like()))
}

fn uuid_like() -> String {
    format!("{}-{}", std::process::id(), std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos())
}

fn client_trusting(pem: &[u8]) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(pem).expect("CA parses"))
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

#[tokio::test]
async fn https_with_the_written_ca_is_trusted_and_links_are_https() {
    let ca = ca_path("ok");
    let running =
        start(Config { listen: "127.0.0.1:0".parse().unwrap(), tls: true, ca_out: Some(ca.clone()), page_size: 1, ..Config::default() })
            .await
            .expect("starts");
    assert!(running.arm_url.starts_with("https://127.0.0.1:"), "{}", running.arm_url);
    let pem = std::fs::read(&ca).expect("CA file written");
    assert!(String::from_utf8_lossy(&pem).contains("BEGIN CERTIFICATE"));
    assert_eq!(running.ca_pem.as_deref().map(str::as_bytes), Some(pem.as_slice()));

    let client = client_trusting(&pem);
    let token = running.demo_token();
    let port = running.arm_url.rsplit(':').next().unwrap().to_string();
    for host in ["127.0.0.1", "localhost"] {
        let url = format!("https://{host}:{port}/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries?api-version={ACR}");
        let r = client.get(&url).bearer_auth(&token).send().await.unwrap_or_else(|e| panic!("HTTPS to {host}: {e:?}"));
        assert_eq!(r.status(), 200);
        let body: serde_json::Value = r.json().await.unwrap();
        // page_size 1: the nextLink must keep the scheme the client used.
        let next = body["nextLink"].as_str().expect("nextLink");
        assert!(next.starts_with(&format!("https://{host}:{port}/")), "{next}");
    }
    let _ = std::fs::remove_file(&ca);
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_ca_is_refused() {
    let ca = ca_path("other");
    let running = start(Config { listen: "127.0.0.1:0".parse().unwrap(), tls: true, ca_out: Some(ca.clone()), ..Config::default() })
        .await
        .expect("starts");
    // Another emulator's CA: a different, freshly generated authority.
    let other = acr_cmk_emulator::tls::Identity::generate().unwrap();
    let client = client_trusting(other.ca_pem.as_bytes());
    let err = client.get(format!("{}/subscriptions?api-version=2022-12-01", running.arm_url)).send().await.expect_err("untrusted CA");
    assert!(err.is_connect() || err.is_request(), "{err:?}");

    // The server keeps serving trusted clients after a failed handshake.
    let pem = std::fs::read(&ca).unwrap();
    let r = client_trusting(&pem)
        .get(format!("{}/subscriptions?api-version=2022-12-01", running.arm_url))
        .bearer_auth(running.demo_token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let _ = std::fs::remove_file(&ca);
}

#[tokio::test]
async fn plain_http_stays_the_default() {
    let e = emu().await;
    assert!(e.running.arm_url.starts_with("http://"));
    assert!(e.running.ca_pem.is_none());
}
