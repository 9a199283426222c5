//! Shared helpers for the emulator's HTTP integration tests: each test starts
//! its own emulator on 127.0.0.1:0, so tests never depend on each other.
#![allow(dead_code)]

use std::time::Duration;

use acr_cmk_emulator::{start, Config, Running, Scenario};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::Value;

pub const SUB: &str = "6d6f636b-0000-4000-8000-000000000001";
pub const RG: &str = "rg-acr-demo";
pub const ACR: &str = "2025-04-01";

pub struct Emu {
    pub running: Running,
    pub client: Client,
    pub token: String,
}

pub async fn emu() -> Emu {
    emu_with(Config::default()).await
}

pub async fn emu_with(config: Config) -> Emu {
    let config = Config { listen: "127.0.0.1:0".parse().unwrap(), ..config };
    let running = start(config).await.expect("emulator starts");
    // Every request carries the admin secret: most tests drive `/_emulator/*` too. `bare()` has none.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-emulator-admin", running.admin_secret().parse().unwrap());
    let client = Client::builder().timeout(Duration::from_secs(20)).default_headers(headers).build().unwrap();
    let token = running.demo_token();
    Emu { running, client, token }
}

pub fn empty() -> Config {
    Config { scenario: Scenario::Empty, ..Config::default() }
}

impl Emu {
    /// A client without the admin secret.
    pub fn bare(&self) -> Client {
        Client::builder().timeout(Duration::from_secs(20)).build().unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.running.arm_url, path)
        }
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut req = self.client.request(method, self.url(path)).bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.send(Method::GET, path, None).await;
        read(r).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        read(self.send(Method::PUT, path, Some(body)).await).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        read(self.send(Method::PATCH, path, Some(body)).await).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        read(self.send(Method::POST, path, Some(body)).await).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        read(self.send(Method::DELETE, path, None).await).await
    }

    pub fn registry_path(&self, name: &str) -> String {
        format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/registries/{name}?api-version={ACR}")
    }
}

pub async fn read(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    let v = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    (status, v)
}

/// Asserts an ARM error with this status and code.
pub fn assert_error(got: &(StatusCode, Value), status: u16, code: &str) {
    assert_eq!(got.0.as_u16(), status, "status; body: {}", got.1);
    assert_eq!(got.1["error"]["code"], code, "error code; body: {}", got.1);
    assert!(got.1["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "error message; body: {}", got.1);
}
