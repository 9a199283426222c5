//! The emulator's other admin routes a test drives directly: tokens made to
//! order, Entra ID's settings and revocation, hostile display data and Resource
//! Graph's lag. (Faults,
//! the data-plane probe and request counts have modules of their own.)

use http::Method;
use serde_json::{json, Value};

use super::{client, Browser};

/// An access token from the emulator's signer with these claims (`expiresInSecs`, `aud`, …).
pub async fn token(b: &Browser, claims: Value) -> String {
    let answer = post(b, "/_emulator/token", Some(claims)).await;
    answer["accessToken"].as_str().unwrap_or_else(|| panic!("a token from the emulator: {answer}")).to_string()
}

/// A token for Key Vault's data plane (keys, versions), as the demo user.
pub async fn vault_token(b: &Browser) -> String {
    token(b, json!({"expiresInSecs": 3600, "aud": "https://vault.azure.net"})).await
}

/// Entra ID's settings, e.g. `{"accessTokenLifetimeSecs": 20}`.
pub async fn entra_settings(b: &Browser, settings: Value) -> Value {
    post(b, "/_emulator/entra/settings", Some(settings)).await
}

/// Revokes every refresh token Entra ID issued; says how many (`{"revoked": n}`).
pub async fn revoke_refresh_tokens(b: &Browser) -> Value {
    post(b, "/_emulator/entra/revoke", None).await
}

/// Seeds markup and `javascript:` URLs into display names and an ARM error; returns what was seeded.
pub async fn seed_hostile(b: &Browser, options: Value) -> Value {
    post(b, "/_emulator/hostile", Some(options)).await
}

/// Resource Graph answers from a copy of the world taken now, renewed once it is `lag_ms` old.
pub async fn graph_lag(b: &Browser, lag_ms: u64) -> Value {
    post(b, "/_emulator/resource-graph/lag", Some(json!({"lagMs": lag_ms}))).await
}

async fn post(b: &Browser, route: &str, body: Option<Value>) -> Value {
    client::send(Method::POST, &format!("{}{route}", b.emulator.arm_url), None, body).await.1
}
