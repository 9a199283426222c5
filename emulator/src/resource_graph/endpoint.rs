//! The request: `POST /providers/Microsoft.ResourceGraph/resources` with a
//! `QueryRequest` body. Checks the body and options (ARG's `400 BadRequest`
//! with a detail code), parses and runs the query over the requested
//! subscriptions, and answers one page.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use super::evaluator::run;
use super::parser::parse;
use super::query::QueryError;
use super::response::{self, decode_token, fingerprint};
use super::table::{table, Row};
use crate::errors::{ArmError, ArmResult};
use crate::http::{json, Req};
use crate::state::AppState;

const DEFAULT_TOP: usize = 100;
const MAX_TOP: usize = 1000;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueryRequest {
    #[serde(default)]
    subscriptions: Option<Vec<String>>,
    #[serde(default)]
    management_groups: Option<Vec<String>>,
    query: Option<String>,
    #[serde(default)]
    options: Option<QueryRequestOptions>,
    #[serde(default)]
    facets: Option<Vec<Value>>,
}

#[derive(Deserialize, Default)]
struct QueryRequestOptions {
    #[serde(rename = "$skipToken", default)]
    skip_token: Option<String>,
    #[serde(rename = "$top", default)]
    top: Option<i64>,
    #[serde(rename = "$skip", default)]
    skip: Option<i64>,
    #[serde(rename = "resultFormat", default)]
    result_format: Option<String>,
}

const INVALID_QUERY: &str =
    "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.";

/// ARG's error for a query it (here: the emulator) cannot run.
fn invalid_query(e: QueryError) -> ArmError {
    ArmError::bad_request(
        "BadRequest",
        format!("{INVALID_QUERY} The emulator supports only the query forms listed in emulator/README.md (Resource Graph): {}.", e.0),
    )
    .with_detail("InvalidQuery", INVALID_QUERY)
    .with_detail("ParserFailure", e.0)
}

fn bad(detail_code: &str, message: String) -> ArmError {
    ArmError::bad_request("BadRequest", message.clone()).with_detail(detail_code, message)
}

pub(super) fn resources(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: QueryRequest = req.json()?;
    let text = body.query.filter(|q| !q.trim().is_empty()).ok_or_else(|| bad("InvalidQuery", "The query is required.".into()))?;
    if body.management_groups.as_ref().is_some_and(|m| !m.is_empty()) {
        return Err(bad("UnsupportedScope", "The emulator has no management groups; scope the query with 'subscriptions'.".into()));
    }
    if body.facets.as_ref().is_some_and(|f| !f.is_empty()) {
        return Err(bad("UnsupportedFacets", "The emulator does not compute facets; send the query without 'facets'.".into()));
    }
    let options = body.options.unwrap_or_default();
    let top = match options.top {
        None => DEFAULT_TOP,
        Some(t) if (1..=MAX_TOP as i64).contains(&t) => t as usize,
        Some(t) => return Err(bad("InvalidTop", format!("The value of '$top' ({t}) must be between 1 and {MAX_TOP}."))),
    };
    let skip = match options.skip {
        None => 0,
        Some(s) if s >= 0 => s as usize,
        Some(s) => return Err(bad("InvalidSkip", format!("The value of '$skip' ({s}) must not be negative."))),
    };
    // Table was the default before 2021-03-01, objectArray since.
    let table_format = match options.result_format.as_deref() {
        Some(f) if f.eq_ignore_ascii_case("table") => true,
        Some(f) if f.eq_ignore_ascii_case("objectArray") => false,
        Some(f) => {
            return Err(bad(
                "InvalidResultFormat",
                format!("The result format '{f}' is invalid. Allowed values are 'table' and 'objectArray'."),
            ))
        }
        None => req.api_version() < "2021-03-01",
    };
    let query = parse(&text).map_err(invalid_query)?;

    let now = crate::clock::now_millis();
    let world = state.world();
    // As in ARG, only subscriptions the caller holds a role on are searched.
    let visible = |id: &str| world.subscription(id).is_some_and(|s| s.visible_to(req.caller.as_deref()));
    let subs: Vec<String> = match body.subscriptions {
        Some(s) if !s.is_empty() => s.into_iter().filter(|id| visible(id)).collect(),
        _ => world.subscriptions.iter().filter(|s| s.visible_to(req.caller.as_deref())).map(|s| s.subscription_id.clone()).collect(),
    };
    let fp = fingerprint(&text, &subs);
    let start = match &options.skip_token {
        Some(t) => {
            decode_token(t, fp).ok_or_else(|| bad("InvalidSkipToken", "The '$skipToken' is invalid or belongs to another query.".into()))?
        }
        None => skip,
    };
    type Computed = (Vec<String>, Vec<Row>);
    let kept = options.skip_token.as_ref().and_then(|_| state.graph_snapshots().get(fp, now)).and_then(|r| r.downcast::<Computed>().ok());
    let result = match kept {
        Some(r) => r,
        None => {
            // The rows come from ARG's index, which may lag behind ARM (`index`); who may see what is decided now.
            let indexed = state.graph_index().lagging_world(now, || world.clone());
            let rows = table(indexed.as_deref().unwrap_or(&world), &subs, query.only_type());
            let r: std::sync::Arc<Computed> = std::sync::Arc::new(run(&query, rows).map_err(invalid_query)?);
            state.graph_snapshots().keep(fp, now, r.clone());
            r
        }
    };
    drop(world);
    let (columns, rows) = (&result.0, &result.1);

    // `--page-size` caps Resource Graph pages too, so small fleets can exercise paging.
    let size = top.min(state.page_size().max(1));
    let mut answer = json(StatusCode::OK, response::body(columns, rows, start, size, fp, table_format));
    let (remaining, resets) = state.graph_quota().count(req.caller.as_deref().unwrap_or(""), now);
    let headers = answer.headers_mut();
    headers.insert("x-ms-user-quota-remaining", remaining.into());
    headers.insert("x-ms-user-quota-resets-after", resets.parse().expect("hh:mm:ss is a header value"));
    Ok(answer)
}
