//! `POST /providers/Microsoft.ResourceGraph/resources` (the console sends
//! 2024-04-01; every version from 2021-03-01 answers alike): Azure Resource
//! Graph, for the fleet page's cross-subscription queries.
//!
//! Resource Graph speaks KQL; the emulator understands only a small, exactly
//! specified subset of it (see emulator/README.md, "Resource Graph"), evaluated
//! over the same world ARM serves, in ARG's row shape (lower-case `type`,
//! `resourceGroup` and `location`; `project a.b` names its column `a_b`).
//! Anything outside that subset is answered with ARG's `400 BadRequest` /
//! `InvalidQuery` error, never with a result that could be wrong.
//!
//! By job: `query` (the language subset's syntax tree), `lexer` and `parser`
//! (text to tree), `table` (the `Resources` rows the world holds), `evaluator`
//! (the tree over the rows), `response` (paging and result shape), `snapshot`
//! (the result later pages are cut from), `index` (how far the rows lag behind
//! ARM), `quota` (the per-user quota headers) and `endpoint` (the request: its checks, and putting them together).

mod endpoint;
mod evaluator;
pub mod index;
mod lexer;
mod parser;
mod query;
pub mod quota;
mod response;
pub mod snapshot;
mod table;

use axum::http::Method;

use crate::api_versions::Provider;
use crate::http::Route;

pub use evaluator::run;
pub use parser::parse;
pub use query::{CmpOp, Cond, Op, Query, QueryError};
pub use table::{table, Row, COLUMNS};

pub fn routes() -> Vec<Route> {
    vec![Route::arm(Method::POST, "/providers/Microsoft.ResourceGraph/resources", Provider::ResourceGraph, endpoint::resources)]
}
