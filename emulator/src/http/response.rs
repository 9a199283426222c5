//! Response helpers handlers share: a JSON body with a status, and ARM's
//! `nextLink` paging of list results.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::request::Req;
use crate::state::AppState;

/// A JSON response with a status.
pub fn json(status: StatusCode, value: impl serde::Serialize) -> Response {
    (status, axum::Json(value)).into_response()
}

/// One page of `items` following ARM's `nextLink` convention (`$skipToken` = offset).
pub fn page(state: &AppState, req: &Req, items: Vec<serde_json::Value>) -> Response {
    let size = state.page_size().max(1);
    let start: usize = req.query("$skipToken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let end = start.saturating_add(size).min(items.len());
    let value: Vec<_> = if start < items.len() { items[start..end].to_vec() } else { Vec::new() };
    let mut body = serde_json::json!({ "value": value });
    if end < items.len() {
        body["nextLink"] =
            serde_json::Value::String(format!("{}{}?api-version={}&$skipToken={}", req.base, req.path, req.api_version(), end));
    }
    json(StatusCode::OK, body)
}
