//! ARM beside the browser: requests to the emulator's ARM API (and Key Vault's
//! data plane, which it also serves) with a bearer token, and typed reads of the
//! demo's resources, so a test compares the page with what ARM says.

use acr_cmk_domain::identity::UserAssignedIdentity;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::vault::Vault;
use http::Method;
use serde_json::Value;

use super::world::{registry_id, vault_id};
use super::{client, Browser};

/// A request to `path` on the emulator with `token`: the answer's status and JSON body.
pub async fn send(b: &Browser, method: Method, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
    client::send(method, &format!("{}{path}", b.emulator.arm_url), Some(token), body).await
}

/// A GET with the demo user's token that must succeed.
pub async fn get(b: &Browser, path: &str) -> Value {
    let (status, body) = send(b, Method::GET, path, &b.emulator.demo_token(), None).await;
    assert_eq!(status, 200, "ARM GET {path}: {body}");
    body
}

/// The demo registry `name` as ARM returns it now.
pub async fn registry(b: &Browser, name: &str) -> Registry {
    serde_json::from_value(get(b, &format!("{}?api-version=2025-04-01", registry_id(name))).await).expect("a registry body")
}

/// The demo vault `name` as ARM returns it now.
pub async fn vault(b: &Browser, name: &str) -> Vault {
    serde_json::from_value(get(b, &format!("{}?api-version=2025-05-01", vault_id(name))).await).expect("a vault body")
}

/// The user-assigned identity with this ARM id.
pub async fn user_identity(b: &Browser, id: &str) -> UserAssignedIdentity {
    serde_json::from_value(get(b, &format!("{id}?api-version=2024-11-30")).await).expect("an identity body")
}
