//! `Microsoft.Resources/deployments` at a resource group: the seed's third way
//! (an ARM template), for the template language subset in `expression` (the
//! console's export and the seed's template). `PUT` validates, answers `201`
//! with an `Azure-AsyncOperation` URL and runs the deployment (`run`); `GET`
//! shows it, `…/operations` lists its per-resource operations, `POST …/validate`
//! validates without deploying. A template outside the subset is ARM's `400
//! InvalidTemplate` naming what is not supported.

pub mod expression;
pub mod record;
pub mod run;
pub mod template;

use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::api_versions::Provider;
use crate::clock;
use crate::errors::{ArmError, ArmResult};
use crate::http::{join, json, page, Req, Route};
use crate::state::AppState;
use crate::subscription::require_group;
use record::DeploymentRec;
use template::{prepare, validation_failed, Context, Prepared};

pub const BASE: &str =
    "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Resources/deployments/{deploymentName}";

const LEGACY: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/deployments/{deploymentName}";

pub fn routes() -> Vec<Route> {
    let p = Provider::Resources;
    vec![
        Route::arm(Method::PUT, BASE, p, create),
        Route::arm(Method::GET, BASE, p, get),
        Route::arm(Method::POST, join(BASE, "/validate"), p, validate),
        Route::arm(Method::GET, join(BASE, "/operations"), p, operations),
        // The path the deployment-operations API is specified at (the SDKs list operations there).
        Route::arm(Method::GET, join(LEGACY, "/operations"), p, operations),
        Route::arm(Method::GET, join(BASE, "/operationStatuses/{operationId}"), p, status),
    ]
}

fn invalid_template(why: &str) -> ArmError {
    ArmError::bad_request("InvalidTemplate", validation_failed(why))
}

fn invalid_name(name: &str) -> Option<String> {
    let ok = !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.()".contains(c));
    (!ok).then(|| format!("The deployment name '{name}' is invalid. It can contain only alphanumerics, underscores, periods, parentheses and hyphens, up to 64 characters."))
}

/// Reads the request and the template, as validation and `PUT` both do.
fn prepared(state: &AppState, req: &Req) -> ArmResult<(Context, Prepared)> {
    let (sub, rg, name) = (req.param("subscriptionId"), req.param("resourceGroupName"), req.param("deploymentName"));
    let ctx = {
        let world = state.world();
        require_group(&world, sub, rg)?;
        let s = world.subscription(sub).cloned();
        let g = world.resource_group(sub, rg).cloned();
        let (Some(s), Some(g)) = (s, g) else { return Err(ArmError::resource_group_not_found(rg)) };
        Context {
            subscription: json!({"id": format!("/subscriptions/{}", s.subscription_id), "subscriptionId": s.subscription_id, "tenantId": s.tenant_id, "displayName": s.display_name}),
            resource_group: json!({"id": format!("/subscriptions/{}/resourceGroups/{}", g.subscription_id, g.name), "name": g.name, "type": "Microsoft.Resources/resourceGroups", "location": g.location, "properties": {"provisioningState": "Succeeded"}}),
            deployment_name: name.to_string(),
        }
    };
    if let Some(why) = invalid_name(name) {
        return Err(ArmError::bad_request("InvalidDeploymentName", why));
    }
    let body = req.json_value()?;
    let props = &body["properties"];
    if !props.is_object() {
        return Err(ArmError::invalid_body("the deployment needs 'properties' with a 'template'"));
    }
    if props.get("templateLink").is_some() || props.get("parametersLink").is_some() {
        return Err(invalid_template(
            "The emulator deploys inline templates only: 'templateLink' and 'parametersLink' are not supported (see emulator/README.md).",
        ));
    }
    let mode = props["mode"].as_str().unwrap_or("Incremental");
    if !mode.eq_ignore_ascii_case("incremental") {
        return Err(ArmError::bad_request(
            "InvalidDeploymentMode",
            format!("The deployment mode '{mode}' is not supported by the emulator; use 'Incremental'."),
        ));
    }
    let template = props
        .get("template")
        .filter(|t| t.is_object())
        .ok_or_else(|| ArmError::invalid_body("properties.template must be the template object"))?;
    let p = prepare(template, props.get("parameters").unwrap_or(&json!({})), &ctx).map_err(|why| invalid_template(&why))?;
    Ok((ctx, p))
}

fn validate(state: &AppState, req: &Req) -> ArmResult<Response> {
    let (_, p) = prepared(state, req)?;
    let (sub, rg, name) = (req.param("subscriptionId"), req.param("resourceGroupName"), req.param("deploymentName"));
    Ok(json(
        StatusCode::OK,
        json!({
            "id": format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Resources/deployments/{name}"),
            "name": name,
            "type": "Microsoft.Resources/deployments",
            "properties": {
                "provisioningState": "Succeeded",
                "mode": "Incremental",
                "timestamp": clock::rfc3339_millis(clock::now_millis()),
                "parameters": p.parameters_shown,
                "validatedResources": p.resources.iter().map(|r| json!({"id": r.id})).collect::<Vec<_>>(),
            },
        }),
    ))
}

fn find<'w>(world: &'w crate::world::World, req: &Req) -> ArmResult<&'w DeploymentRec> {
    let (sub, rg, name) = (req.param("subscriptionId"), req.param("resourceGroupName"), req.param("deploymentName"));
    world
        .deployments
        .iter()
        .find(|d| {
            d.subscription_id.eq_ignore_ascii_case(sub) && d.resource_group.eq_ignore_ascii_case(rg) && d.name.eq_ignore_ascii_case(name)
        })
        .ok_or_else(|| ArmError::not_found("DeploymentNotFound", format!("Deployment '{name}' could not be found.")))
}

fn create(state: &AppState, req: &Req) -> ArmResult<Response> {
    let (ctx, p) = prepared(state, req)?;
    let (sub, rg, name) = (req.param("subscriptionId"), req.param("resourceGroupName"), req.param("deploymentName"));
    let operation_id = uuid::Uuid::new_v4().simple().to_string().to_ascii_uppercase();
    let rec = DeploymentRec {
        subscription_id: sub.to_string(),
        resource_group: ctx.resource_group["name"].as_str().unwrap_or(rg).to_string(),
        name: name.to_string(),
        operation_id: operation_id.clone(),
        correlation_id: uuid::Uuid::new_v4().to_string(),
        provisioning_state: "Running".into(),
        started_ms: clock::now_millis(),
        ended_ms: None,
        parameters: json!(p.parameters_shown),
        outputs: json!({}),
        output_resources: Vec::new(),
        error: None,
        operations: Vec::new(),
    };
    {
        let mut world = state.world();
        let same = |d: &DeploymentRec| {
            d.subscription_id.eq_ignore_ascii_case(sub) && d.resource_group.eq_ignore_ascii_case(rg) && d.name.eq_ignore_ascii_case(name)
        };
        if world.deployments.iter().any(|d| same(d) && d.provisioning_state == "Running") {
            return Err(ArmError::conflict(
                "DeploymentActive",
                format!(
                    "The deployment '{name}' cannot be saved, because this would overwrite an existing deployment which is still active."
                ),
            ));
        }
        world.deployments.retain(|d| !same(d));
        world.deployments.push(rec.clone());
    }
    let caller = run::Caller {
        authorization: req.headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string),
        host: req.headers.get("host").and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1").to_string(),
        base: req.base.clone(),
    };
    let key = (sub.to_string(), rec.resource_group.clone(), name.to_string(), operation_id.clone());
    tokio::spawn(run::run(state.clone(), caller, ctx, p, key));
    let mut body = rec.json();
    body["properties"]["provisioningState"] = json!("Accepted");
    let mut resp = json(StatusCode::CREATED, body);
    let url = format!("{}{}/operationStatuses/{operation_id}?api-version={}", req.base, rec.id(), req.api_version());
    if let Ok(v) = HeaderValue::from_str(&url) {
        resp.headers_mut().insert("azure-asyncoperation", v);
    }
    resp.headers_mut().insert("retry-after", HeaderValue::from_static("1"));
    Ok(resp)
}

fn get(state: &AppState, req: &Req) -> ArmResult<Response> {
    let world = state.world();
    Ok(json(StatusCode::OK, find(&world, req)?.json()))
}

fn operations(state: &AppState, req: &Req) -> ArmResult<Response> {
    let items = {
        let world = state.world();
        find(&world, req)?.operations_json()
    };
    Ok(page(state, req, items))
}

fn status(state: &AppState, req: &Req) -> ArmResult<Response> {
    let world = state.world();
    let d = find(&world, req)?;
    if !d.operation_id.eq_ignore_ascii_case(req.param("operationId")) {
        return Err(ArmError::not_found("OperationNotFound", format!("The operation '{}' was not found.", req.param("operationId"))));
    }
    let mut body: Value = json!({"status": d.provisioning_state});
    if let Some(e) = &d.error {
        body["error"] = e.clone();
    }
    let mut resp = json(StatusCode::OK, body);
    if d.provisioning_state == "Running" {
        resp.headers_mut().insert("retry-after", HeaderValue::from_static("1"));
    }
    Ok(resp)
}
