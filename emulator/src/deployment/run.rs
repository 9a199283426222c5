//! A deployment's run, as ARM runs one: in waves, each resource once everything
//! it `dependsOn` has succeeded, its body evaluated just before it is sent (so
//! `reference()` reads what earlier resources became), each sent as the caller's
//! own `PUT` through the emulator's request pipeline — the same route, fault
//! menu, auth, api-version, body trimming and seed rules as a direct request —
//! and a long-running answer followed to its end. A wave's resources go in
//! template order (ARM starts them in parallel and promises no order). A failed
//! resource fails the deployment (`DeploymentFailed`, its error in `details`);
//! what depends on it is not sent.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request};
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::expression::{self, Failure};
use super::record::{status_name, OperationRec};
use super::template::{run_scope, Context, Prepared, META};
use crate::clock;
use crate::state::AppState;

/// The request pipeline, installed by the router (which this module cannot name without a cycle).
pub type Dispatch = fn(AppState, Request<Body>) -> Pin<Box<dyn Future<Output = Response> + Send>>;

static DISPATCH: OnceLock<Dispatch> = OnceLock::new();

pub fn install(d: Dispatch) {
    let _ = DISPATCH.set(d);
}

/// What the run sends its requests with: the deployment request's own credentials and host.
#[derive(Clone)]
pub struct Caller {
    pub authorization: Option<String>,
    pub host: String,
    /// `http://host:port`, to turn an operation URL back into a path.
    pub base: String,
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

async fn send(state: &AppState, caller: &Caller, method: Method, path_and_query: &str, body: Option<&Value>) -> Answer {
    let Some(dispatch) = DISPATCH.get() else {
        return Answer {
            status: 500,
            headers: HeaderMap::new(),
            body: json!({"error": {"code": "InternalServerError", "message": "No request pipeline."}}),
        };
    };
    let mut b = Request::builder().method(method).uri(path_and_query).header("host", &caller.host);
    if let Some(a) = &caller.authorization {
        b = b.header("authorization", a);
    }
    let req = match body {
        Some(v) => b.header("content-type", "application/json").body(Body::from(v.to_string())),
        None => b.body(Body::empty()),
    };
    let Ok(req) = req else {
        return Answer {
            status: 400,
            headers: HeaderMap::new(),
            body: json!({"error": {"code": "InvalidRequestUri", "message": format!("'{path_and_query}' is not a valid request.")}}),
        };
    };
    let resp = dispatch(state.clone(), req).await;
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    Answer { status: parts.status.as_u16(), headers: parts.headers, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
}

fn error_of(a: &Answer) -> Value {
    let e = &a.body["error"];
    if e.is_object() {
        json!({"code": e["code"], "message": e["message"]})
    } else {
        json!({"code": status_name(a.status), "message": format!("The resource provider answered {}.", a.status)})
    }
}

fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// Sends one resource and follows it to its end: `Ok(status)` or `Err((status, error))`.
async fn deploy_one(
    state: &AppState,
    caller: &Caller,
    path: &str,
    body: &Value,
    request_id: &mut Option<String>,
) -> Result<u16, (u16, Value)> {
    let a = send(state, caller, Method::PUT, path, Some(body)).await;
    *request_id = header(&a.headers, "x-ms-request-id");
    if !(200..300).contains(&a.status) {
        return Err((a.status, error_of(&a)));
    }
    let Some(url) = header(&a.headers, "azure-asyncoperation") else { return Ok(a.status) };
    let status_path = url.strip_prefix(&caller.base).unwrap_or(&url).to_string();
    for _ in 0..600 {
        let s = send(state, caller, Method::GET, &status_path, None).await;
        match s.body["status"].as_str() {
            Some("Succeeded") => return Ok(a.status),
            Some("Failed") | Some("Canceled") => {
                return Err((a.status, json!({"code": s.body["error"]["code"], "message": s.body["error"]["message"]})))
            }
            _ if !(200..300).contains(&s.status) => return Err((s.status, error_of(&s))),
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
    Err((a.status, json!({"code": "OperationTimedOut", "message": "The resource's long-running operation did not end."})))
}

/// Evaluates `value`, reading each `reference()` target as it is asked for.
async fn evaluate(
    state: &AppState,
    caller: &Caller,
    ctx: &Context,
    p: &Prepared,
    names: &[(String, String, String)],
    references: &mut HashMap<String, Value>,
    value: &Value,
) -> Result<Value, Value> {
    loop {
        let got = expression::evaluate_value(value, &run_scope(ctx, p, names, references));
        match got {
            Ok(v) => return Ok(v),
            Err(Failure::Invalid(why)) => return Err(json!({"code": "InvalidTemplate", "message": why})),
            Err(Failure::NeedsReference { id, api_version }) => {
                let a = send(state, caller, Method::GET, &format!("{id}?api-version={api_version}"), None).await;
                if a.status != 200 {
                    return Err(error_of(&a));
                }
                references.insert(id.to_ascii_lowercase(), a.body);
            }
        }
    }
}

/// Deploys `p`, recording each operation into the deployment `key` (subscription, group, name, operation id).
pub async fn run(state: AppState, caller: Caller, ctx: Context, p: Prepared, key: (String, String, String, String)) {
    let names: Vec<(String, String, String)> = p.resources.iter().map(|r| (r.name.clone(), r.id.clone(), r.api_version.clone())).collect();
    let mut references = HashMap::new();
    let n = p.resources.len();
    // None: not started; Some(true): succeeded; Some(false): failed.
    let mut done: Vec<Option<bool>> = vec![None; n];
    let mut failures = Vec::new();
    loop {
        let wave: Vec<usize> =
            (0..n).filter(|&i| done[i].is_none() && p.resources[i].depends_on.iter().all(|&d| done[d] == Some(true))).collect();
        if wave.is_empty() {
            break;
        }
        for i in wave {
            let r = &p.resources[i];
            let op = OperationRec {
                operation_id: uuid::Uuid::new_v4().simple().to_string().to_ascii_uppercase()[..16].to_string(),
                resource_id: r.id.clone(),
                resource_type: r.resource_type.clone(),
                resource_name: r.name.clone(),
                api_version: r.api_version.clone(),
                provisioning_state: "Running".into(),
                status_code: String::new(),
                error: None,
                request_id: None,
                started_ms: clock::now_millis(),
                ended_ms: None,
            };
            let at = update(&state, &key, |d| {
                d.operations.push(op.clone());
                d.operations.len() - 1
            });
            let mut body = Map::new();
            for (k, v) in r.raw.as_object().cloned().unwrap_or_default() {
                if !META.iter().any(|m| m.eq_ignore_ascii_case(&k)) {
                    body.insert(k, v);
                }
            }
            let mut request_id = None;
            let outcome = match evaluate(&state, &caller, &ctx, &p, &names, &mut references, &Value::Object(body)).await {
                Ok(body) => {
                    let path = format!("{}?api-version={}", r.id, r.api_version);
                    deploy_one(&state, &caller, &path, &body, &mut request_id).await
                }
                Err(e) => Err((400, e)),
            };
            done[i] = Some(outcome.is_ok());
            // A later reference() reads the resource as it is now.
            references.remove(&r.id.to_ascii_lowercase());
            if let Err((_, e)) = &outcome {
                failures.push(e.clone());
            }
            update(&state, &key, |d| {
                if let Some(Some(o)) = at.map(|a| d.operations.get_mut(a)) {
                    o.ended_ms = Some(clock::now_millis());
                    o.request_id = request_id.clone();
                    match &outcome {
                        Ok(status) => {
                            o.provisioning_state = "Succeeded".into();
                            o.status_code = status_name(*status);
                            d.output_resources.push(o.resource_id.clone());
                        }
                        Err((status, e)) => {
                            o.provisioning_state = "Failed".into();
                            o.status_code = status_name(*status);
                            o.error = Some(e.clone());
                        }
                    }
                }
            });
        }
    }
    let outputs = if failures.is_empty() {
        let mut out = Map::new();
        for (name, o) in &p.outputs {
            match evaluate(&state, &caller, &ctx, &p, &names, &mut references, &o["value"]).await {
                Ok(v) => {
                    out.insert(name.clone(), json!({"type": o.get("type").cloned().unwrap_or(json!("String")), "value": v}));
                }
                Err(e) => failures.push(e),
            }
        }
        Value::Object(out)
    } else {
        json!({})
    };
    update(&state, &key, |d| {
        d.ended_ms = Some(clock::now_millis());
        if failures.is_empty() {
            d.provisioning_state = "Succeeded".into();
            d.outputs = outputs.clone();
        } else {
            d.provisioning_state = "Failed".into();
            d.error = Some(json!({
                "code": "DeploymentFailed",
                "message": "At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.",
                "details": failures,
            }));
        }
    });
    state.persist();
}

/// Applies `f` to the deployment `key` if it is still the one this run writes.
fn update<T>(
    state: &AppState,
    key: &(String, String, String, String),
    f: impl FnOnce(&mut super::record::DeploymentRec) -> T,
) -> Option<T> {
    let mut world = state.world();
    let d = world.deployments.iter_mut().find(|d| {
        d.subscription_id.eq_ignore_ascii_case(&key.0)
            && d.resource_group.eq_ignore_ascii_case(&key.1)
            && d.name.eq_ignore_ascii_case(&key.2)
            && d.operation_id == key.3
    })?;
    Some(f(d))
}
