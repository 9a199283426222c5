//! Long-running operations, as ACR runs registry create/update/delete: the
//! request answers `201`/`202` at once with the **old** state and an
//! `Azure-AsyncOperation` URL; that URL answers `InProgress` on the first poll
//! and `Succeeded` (or `Failed` with an error) afterwards, or once `lro_duration`
//! has passed; only then does GET show the new state.

use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::api_versions::Provider;
use crate::clock;
use crate::errors::{ArmError, ArmResult};
use crate::http::{join, json, Req, Route};
use crate::state::AppState;
use crate::world::{eq, OpKind, Operation, World};

const OPS: &str =
    "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}";

pub fn routes() -> Vec<Route> {
    let p = Provider::ContainerRegistry;
    vec![
        Route::arm(Method::GET, join(OPS, "/operationStatuses/{operationId}"), p, status),
        Route::arm(Method::GET, join(OPS, "/operationResults/{operationId}"), p, result),
    ]
}

#[allow(clippy::too_many_arguments)]
pub fn begin(
    world: &mut World,
    kind: OpKind,
    sub: &str,
    rg: &str,
    name: &str,
    target: Option<acr_cmk_domain::registry::Registry>,
    target_system_client_id: Option<String>,
    fail: bool,
) -> Operation {
    let op = Operation {
        id: format!("registries-{}", uuid::Uuid::new_v4()),
        kind,
        subscription_id: sub.to_string(),
        resource_group: rg.to_string(),
        registry_name: name.to_string(),
        target,
        target_system_client_id,
        failure: fail.then(|| ("InternalServerError".to_string(), "The operation failed (fault injected by the emulator).".to_string())),
        started_ms: clock::now_millis(),
        polls: 0,
        status: "InProgress".into(),
        ended_ms: None,
        activity: None,
    };
    // Keep the history bounded.
    if world.operations.len() > 500 {
        world.operations.retain(|o| o.status == "InProgress");
    }
    world.operations.push(op.clone());
    op
}

fn op_base(req: &Req, op: &Operation) -> String {
    format!(
        "{}/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}",
        req.base, op.subscription_id, op.resource_group, op.registry_name
    )
}

/// The immediate answer to a long-running request.
pub fn accepted(req: &Req, status: StatusCode, op: &Operation, body: Value) -> Response {
    let base = op_base(req, op);
    let v = req.api_version();
    let async_url = format!("{base}/operationStatuses/{}?api-version={v}", op.id);
    let mut resp = if body.is_null() { status.into_response() } else { json(status, body) };
    let h = resp.headers_mut();
    if let Ok(val) = HeaderValue::from_str(&async_url) {
        h.insert("azure-asyncoperation", val);
    }
    if op.kind == OpKind::Delete {
        if let Ok(val) = HeaderValue::from_str(&format!("{base}/operationResults/{}?api-version={v}", op.id)) {
            h.insert("location", val);
        }
    }
    h.insert("retry-after", HeaderValue::from_static("1"));
    resp
}

fn find_op(world: &World, req: &Req) -> ArmResult<usize> {
    let id = req.param("operationId");
    world
        .operations
        .iter()
        .position(|o| {
            eq(&o.id, id) && eq(&o.registry_name, req.param("registryName")) && eq(&o.subscription_id, req.param("subscriptionId"))
        })
        .ok_or_else(|| ArmError::not_found("OperationNotFound", format!("The operation '{id}' was not found.")))
}

/// One poll: the first answers `InProgress`, the next settles the operation.
fn poll(world: &mut World, i: usize) {
    if world.operations[i].status == "InProgress" {
        world.operations[i].polls += 1;
        if world.operations[i].polls >= 2 {
            world.settle_operation(i, clock::now_millis());
        }
    }
}

fn status(state: &AppState, req: &Req) -> ArmResult<Response> {
    let mut world = state.world();
    let i = find_op(&world, req)?;
    poll(&mut world, i);
    let op = &world.operations[i];
    let mut body = json!({
        "id": format!("{}/operationStatuses/{}", op_base(req, op).trim_start_matches(&req.base), op.id),
        "name": op.id,
        "status": op.status,
        "startTime": clock::rfc3339_millis(op.started_ms),
    });
    if let Some(end) = op.ended_ms {
        body["endTime"] = json!(clock::rfc3339_millis(end));
    }
    if op.status == "Failed" {
        if let Some((code, message)) = &op.failure {
            body["error"] = json!({"code": code, "message": message});
        }
    }
    let mut resp = json(StatusCode::OK, body);
    if op.status == "InProgress" {
        resp.headers_mut().insert("retry-after", HeaderValue::from_static("1"));
    }
    Ok(resp)
}

/// The `Location` URL of a delete: `202` while running, `200` once done, the error if it failed.
fn result(state: &AppState, req: &Req) -> ArmResult<Response> {
    let mut world = state.world();
    let i = find_op(&world, req)?;
    poll(&mut world, i);
    let op = &world.operations[i];
    match op.status.as_str() {
        "InProgress" => {
            let mut resp = StatusCode::ACCEPTED.into_response();
            resp.headers_mut().insert("retry-after", HeaderValue::from_static("1"));
            if let Ok(v) = HeaderValue::from_str(&format!("{}{}?api-version={}", req.base, req.path, req.api_version())) {
                resp.headers_mut().insert("location", v);
            }
            Ok(resp)
        }
        "Failed" => {
            let (code, message) = op.failure.clone().unwrap_or_default();
            Err(ArmError::new(StatusCode::INTERNAL_SERVER_ERROR, code, message))
        }
        _ => Ok(StatusCode::OK.into_response()),
    }
}
