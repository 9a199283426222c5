//! What the emulator counted: the requests it answered, by route — its own
//! count, so a test can say what the console sent (or did not send).

use http::Method;
use serde_json::Value;

use super::{client, Browser};

impl Browser {
    /// The emulator's count since the last reset: `{"total": n, "routes": {"GET /…": n}}`.
    pub async fn arm_requests(&self) -> Value {
        client::send(Method::GET, &format!("{}/_emulator/stats", self.emulator.arm_url), None, None).await.1
    }

    pub async fn reset_arm_requests(&self) {
        client::send(Method::POST, &format!("{}/_emulator/stats/reset", self.emulator.arm_url), None, None).await;
    }

    /// Requests counted so far on routes containing `needle`.
    pub async fn requests_to(&self, needle: &str) -> u64 {
        count(&self.arm_requests().await, |route| route.contains(needle))
    }
}

/// Requests in `stats` (from [`Browser::arm_requests`]) on the routes `route` accepts.
pub fn count(stats: &Value, route: impl Fn(&str) -> bool) -> u64 {
    stats["routes"].as_object().map(|routes| routes.iter().filter(|(r, _)| route(r)).filter_map(|(_, n)| n.as_u64()).sum()).unwrap_or(0)
}
