//! Resource Graph queries: every page of one KQL query's rows, typed. A page
//! that repeats a `$skipToken` or goes on past [`super::MAX_PAGES`] is refused
//! rather than followed forever.

use std::collections::HashSet;

use acr_cmk_domain::resource_graph::{query_request, QueryResponse};
use serde::de::DeserializeOwned;

use super::transport::Call;
use super::{ArmClient, ClientError, MAX_PAGES};

impl ArmClient {
    /// Every row of `query` over the subscriptions the token can read.
    pub async fn query<T: DeserializeOwned>(&self, query: &str) -> Result<Vec<T>, ClientError> {
        let call = Call::start(&self.endpoint);
        self.query_on(&call, query).await
    }

    /// [`ArmClient::query`] within an existing call (cancelled with it).
    pub(super) async fn query_on<T: DeserializeOwned>(&self, call: &Call, query: &str) -> Result<Vec<T>, ClientError> {
        let mut rows = Vec::new();
        let mut seen = HashSet::new();
        let mut skip_token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let answer = call.send(&query_request(query, skip_token.as_deref()), Some(&self.token())).await?;
            let page: QueryResponse<T> = answer.decode()?;
            rows.extend(page.data);
            match page.skip_token.filter(|t| !t.is_empty()) {
                None => return Ok(rows),
                Some(t) if !seen.insert(t.clone()) => {
                    return Err(ClientError::EndlessList { request_id: answer.request_id, detail: "a $skipToken came back twice".into() })
                }
                Some(t) => skip_token = Some(t),
            }
        }
        Err(ClientError::EndlessList { request_id: None, detail: format!("it goes on for more than {MAX_PAGES} pages") })
    }
}
