//! The one HTTP client the tests use beside the browser: to read and change the
//! emulator behind the console's back (ARM, Key Vault's data plane, `/_emulator/…`),
//! and to read the headers a host sends with the console.
//!
//! hyper-util's legacy client, which fantoccini already builds for ChromeDriver,
//! so it costs no compile time; plain HTTP, as everything is on loopback.

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::Method;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use std::collections::HashMap;

/// One request: the answer's status and JSON body (`Null` when it has none).
pub async fn send(method: Method, url: &str, bearer: Option<&str>, body: Option<Value>) -> (u16, Value) {
    // A client per request: each `#[tokio::test]` has its own runtime, which a pooled
    // connection must not outlive.
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut request = http::Request::builder()
        .method(method.clone())
        .uri(url)
        .header(CONTENT_TYPE, "application/json")
        // Needed on `/_emulator/*` (all but demo-token), ignored elsewhere.
        .header(acr_cmk_emulator::admin::ADMIN_HEADER, super::ADMIN_SECRET.as_str());
    if let Some(token) = bearer {
        request = request.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();
    let request = request.body(Full::new(body)).unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let response = client.request(request).await.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = response.status().as_u16();
    let payload = response.into_body().collect().await.unwrap_or_else(|e| panic!("{method} {url}: reading the answer: {e}")).to_bytes();
    (status, serde_json::from_slice(&payload).unwrap_or(Value::Null))
}

/// `GET url`: the status and the response headers (names lower-cased), the body dropped.
pub async fn headers(url: &str) -> (u16, HashMap<String, String>) {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let request = http::Request::builder().uri(url).body(Full::new(Bytes::new())).unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let response = client.request(request).await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let headers =
        response.headers().iter().map(|(k, v)| (k.as_str().to_ascii_lowercase(), v.to_str().unwrap_or_default().to_string())).collect();
    (response.status().as_u16(), headers)
}
