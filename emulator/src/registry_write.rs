//! Registry create / update / delete (long-running) and the CMK rules they enforce.

use axum::response::Response;

use crate::errors::{ArmError, ArmResult};
use crate::routes::Req;
use crate::AppState;

pub fn create(_state: &AppState, _req: &Req) -> ArmResult<Response> {
    Err(ArmError::bad_request("NotImplemented", "not yet"))
}
pub fn update(_state: &AppState, _req: &Req) -> ArmResult<Response> {
    Err(ArmError::bad_request("NotImplemented", "not yet"))
}
pub fn delete(_state: &AppState, _req: &Req) -> ArmResult<Response> {
    Err(ArmError::bad_request("NotImplemented", "not yet"))
}
