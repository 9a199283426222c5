//! The emulator's fault menu: make ARM throttle, fail, stall or refuse a token
//! on chosen requests, and clear it again. The spec's fields are the emulator's
//! (`emulator/src/faults.rs`): `method`, `route` or `pathContains`, `kind`, `times`…

use http::Method;
use serde_json::Value;

use super::{client, Browser};

/// Adds a fault; returns it as the emulator accepted it.
pub async fn add(b: &Browser, spec: Value) -> Value {
    let (status, body) = client::send(Method::POST, &url(b), None, Some(spec)).await;
    assert_eq!(status, 201, "fault refused: {body}");
    body
}

/// The faults not yet used up (`{"value": [...]}`).
pub async fn pending(b: &Browser) -> Value {
    client::send(Method::GET, &url(b), None, None).await.1
}

pub async fn clear(b: &Browser) {
    client::send(Method::DELETE, &url(b), None, None).await;
}

fn url(b: &Browser) -> String {
    format!("{}/_emulator/faults", b.emulator.arm_url)
}
