//! The registry's data plane, which says whether the registry can really reach
//! its key — ground truth for the page's diagnosis, independent of ARM's view.

use http::Method;

use super::{client, Browser};

/// The status of the registry's `GET /v2/`: 200 while it reaches its key, 403 once it cannot.
pub async fn status(b: &Browser, registry: &str) -> u16 {
    client::send(Method::GET, &format!("{}/_emulator/registries/{registry}/v2/", b.emulator.arm_url), None, None).await.0
}
