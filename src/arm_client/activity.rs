//! The Activity Log of a resource: the last `activity_log::DEFAULT_DAYS` days of ARM's events about it
//! (one request per resource, as Azure's `$filter` takes one `resourceUri`; every `nextLink` page).

use acr_cmk_domain::activity_log::{self, Event};

use super::{ArmClient, ClientError};

impl ArmClient {
    /// `resource_id`'s events (and those of what hangs off it: access policies, keys, role assignments at
    /// its scope) from `now_ms` back `activity_log::DEFAULT_DAYS` days, as ARM lists them. An id the
    /// filter could not quote safely reads nothing.
    pub async fn activity_log(&self, resource_id: &str, now_ms: i64) -> Result<Vec<Event>, ClientError> {
        match activity_log::list_request(resource_id, now_ms, activity_log::DEFAULT_DAYS) {
            Some(request) => self.list(request).await,
            None => Ok(Vec::new()),
        }
    }
}
