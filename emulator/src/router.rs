//! The route table and the request pipeline behind every ARM and Key Vault
//! request: match, count, fault menu, auth, api-version, body, let time pass
//! in the world, handle, persist. Each provider lists its own routes; this is
//! the one place that knows them all.

use std::sync::LazyLock;

use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api_shapes;
use crate::api_versions;
use crate::errors::ArmError;
use crate::http::{self, parse_form, Match, Req, Route};
use crate::state::AppState;
use crate::system_data;
use crate::tick::Pace;
use crate::{
    access_control, activity_log, clock, cloud_metadata, deployment, faults, generic_resources, graph, identity, key, lro, region,
    registry, registry_write, resource_graph, role_assignment, role_definition, subscription, vault, vault_proxy,
};

/// Every ARM and Key Vault route. The matcher takes the first match, so the
/// order here is precedence.
pub fn table() -> Vec<Route> {
    let mut routes = Vec::new();
    // A deployment sends its resources through this same pipeline.
    deployment::run::install(|state, request| Box::pin(dispatch(State(state), request)));
    routes.extend(subscription::routes());
    routes.extend(deployment::routes());
    routes.extend(region::routes());
    routes.extend(generic_resources::routes());
    routes.extend(registry::routes());
    routes.extend(registry_write::routes());
    routes.extend(identity::routes());
    routes.extend(vault::routes());
    routes.extend(key::routes());
    routes.extend(role_assignment::routes());
    routes.extend(role_definition::routes());
    routes.extend(access_control::routes());
    routes.extend(activity_log::routes());
    routes.extend(lro::routes());
    routes.extend(resource_graph::routes());
    routes.extend(cloud_metadata::routes());
    routes.extend(graph::routes());
    routes
}

/// The table, built once: it does not change while the process runs.
static TABLE: LazyLock<Vec<Route>> = LazyLock::new(table);

/// The fallback handler behind every ARM / Key Vault route.
pub async fn dispatch(State(state): State<AppState>, request: Request<Body>) -> Response {
    let (parts, body) = request.into_parts();
    let mut path = parts.uri.path().to_string();
    // `{vault}.vault.azure.net` (through the vault proxy) is that vault's data plane at `/_vault/{vault}`.
    let vault_host = parts.headers.get("host").and_then(|h| h.to_str().ok()).and_then(vault_proxy::vault_of_host).map(str::to_string);
    let graph_host = parts.headers.get("host").and_then(|h| h.to_str().ok()).is_some_and(vault_proxy::is_graph_host);
    let routed = match vault_host {
        Some(vault) => Some(format!("/_vault/{vault}")),
        None => graph_host.then(|| "/_graph".to_string()),
    };
    if let Some(prefix) = routed {
        if !path.to_ascii_lowercase().starts_with(&format!("{}/", prefix.to_ascii_lowercase())) {
            path = format!("{prefix}{path}");
        }
    }
    let query = parse_form(parts.uri.query().unwrap_or(""));
    let (route, params) = match http::find(&TABLE, &parts.method, &path) {
        Match::Found(route, params) => (route, params),
        Match::MethodNotAllowed => {
            state.count(&format!("{} (method not allowed)", parts.method));
            return ArmError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "HttpMethodNotSupported",
                format!("The HTTP method '{}' is not supported at '{path}'.", parts.method),
            )
            .into_response();
        }
        Match::NoRoute => {
            state.count(&format!("{} (no route)", parts.method));
            return ArmError::not_found(
                "NoRouteFound",
                format!("The emulator serves no API at '{path}'. See emulator/README.md for the supported routes."),
            )
            .into_response();
        }
    };
    let route_name = format!("{} {}", route.method, route.template);
    state.count(&route_name);

    // The fault menu goes first: a fault stands in for anything the real service may do.
    let mut lro_fail = false;
    let mut foreign = None;
    let fault = faults::take(&mut state.faults(), &parts.method, route.template, &path);
    match fault {
        Some(faults::Action::Respond(resp)) => return resp,
        Some(faults::Action::ForeignLink { url, link }) => foreign = Some((url, link)),
        Some(faults::Action::Delay(d)) => tokio::time::sleep(d).await,
        Some(faults::Action::LroFail) => lro_fail = true,
        Some(faults::Action::Malformed) => {
            return (StatusCode::OK, [("content-type", "application/json; charset=utf-8")], "{\"value\": [{\"id\": ").into_response()
        }
        None => {}
    }

    let mut caller = None;
    let mut caller_claims = None;
    // A write's Activity Log events carry this id; the answer carries it too. ARM keeps a client's own.
    let correlation_id = parts
        .headers
        .get("x-ms-correlation-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let mut activity = None;
    if let Some(aud) = route.auth {
        let tenant = state.tenant_id();
        match state.signer().verify(&parts.headers, aud, &tenant) {
            Ok(claims) => {
                caller = Some(claims.oid.clone());
                caller_claims = Some(claims);
            }
            Err(e) => return e.into_response(),
        }
        // Every ARM write is in the Activity Log once its caller is known, refused or not: recorded here, for all providers.
        if let (crate::auth::Audience::Arm, Some(claims)) = (aud, &caller_claims) {
            let client_request_id = parts.headers.get("x-ms-client-request-id").and_then(|v| v.to_str().ok());
            activity = activity_log::begin(&mut state.world(), &parts.method, &path, claims, &correlation_id, client_request_id);
        }
        let decision = match (aud, &caller_claims) {
            (crate::auth::Audience::Vault, Some(claims)) => access_control::authorize_vault(&state.world(), &parts.method, &path, claims),
            (crate::auth::Audience::Arm, _) => access_control::authorize_arm(&state.world(), &parts.method, &path, caller.as_deref()),
            _ => Ok(()),
        };
        if let Err(e) = decision {
            return ended(&state, activity.as_ref(), &correlation_id, e.into_response());
        }
    }
    let resp = handle(&state, route, params, parts, body, query, path, lro_fail, caller, caller_claims).await;
    let resp = ended(&state, activity.as_ref(), &correlation_id, resp);
    match foreign {
        Some((url, link)) => faults::point_link_at(resp, &url, link).await,
        None => resp,
    }
}

/// A write's answer recorded in the Activity Log (`Succeeded`, `Failed`, or `Accepted` for a long-running
/// one, which its operation finishes when it settles), with the correlation id its events carry.
fn ended(state: &AppState, activity: Option<&crate::world::Begun>, correlation_id: &str, mut resp: Response) -> Response {
    let Some(begun) = activity else { return resp };
    let operation = resp
        .headers()
        .get("azure-asyncoperation")
        .and_then(|v| v.to_str().ok())
        .and_then(|url| url.split('?').next())
        .and_then(|url| url.rsplit('/').next())
        .map(str::to_string);
    let mut world = state.world();
    let op = operation.and_then(|id| world.operations.iter().position(|o| o.id.eq_ignore_ascii_case(&id) && o.status == "InProgress"));
    activity_log::finish(&mut world, begun, resp.status(), op.is_some());
    if let Some(i) = op {
        world.operations[i].activity = Some(begun.clone());
    }
    drop(world);
    state.persist();
    if let Ok(v) = axum::http::HeaderValue::from_str(correlation_id) {
        resp.headers_mut().insert("x-ms-correlation-request-id", v);
    }
    resp
}

/// The pipeline after authorization: api-version, body, time, the handler, `systemData`, persistence, the version's shape.
#[allow(clippy::too_many_arguments)]
async fn handle(
    state: &AppState,
    route: &'static Route,
    params: Vec<(String, String)>,
    parts: axum::http::request::Parts,
    body: Body,
    query: Vec<(String, String)>,
    path: String,
    lro_fail: bool,
    caller: Option<String>,
    caller_claims: Option<crate::auth::Claims>,
) -> Response {
    let api_version = query.iter().find(|(k, _)| k.eq_ignore_ascii_case("api-version")).map(|(_, v)| v.as_str());
    if let Err(e) = api_versions::check(route.provider, api_version) {
        return e.into_response();
    }
    let body = match axum::body::to_bytes(body, state.max_body()).await {
        Ok(b) => b,
        Err(_) => {
            return ArmError::bad_request(
                "InvalidRequestContent",
                format!("The request content is larger than the maximum of {} bytes.", state.max_body()),
            )
            .into_response()
        }
    };
    // A write's fields the requested api-version does not define are ignored, as that version's API would.
    let version = api_version.unwrap_or("");
    let body = match parts.method {
        Method::PUT | Method::PATCH => {
            api_shapes::trim_request(route.provider, &path, version, &body).map(axum::body::Bytes::from).unwrap_or(body)
        }
        _ => body,
    };
    let host = parts.headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1").to_string();
    let base = state.public_base().unwrap_or_else(|| format!("{}://{host}", state.scheme()));
    let req = Req {
        method: parts.method.clone(),
        path,
        query,
        headers: parts.headers,
        body,
        base,
        template: route.template,
        params,
        lro_fail,
        caller,
    };
    // Time-driven changes (operations settling, auto-rotation) happen lazily, before each request.
    state.world().tick(clock::now_millis(), Pace { lro_duration: state.lro_duration(), rotation_interval: state.rotation_interval() });
    let result = (route.handler)(&state, &req);
    let tracked = system_data::tracked_id(&req.path);
    if let (Some(id), Ok(r)) = (&tracked, &result) {
        if r.status().is_success() {
            let mut world = state.world();
            match (&req.method, &caller_claims) {
                (&Method::PUT | &Method::PATCH, Some(claims)) => {
                    system_data::record(&mut world, id, claims, &clock::rfc3339_millis(clock::now_millis()))
                }
                (&Method::DELETE, _) => system_data::forget(&mut world, id),
                _ => {}
            }
        }
    }
    if req.method != Method::GET {
        state.persist();
    }
    let mut resp = match result {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    if resp.status().is_success() && req.method != Method::DELETE {
        resp = in_version_shape(state, route.provider, req.api_version(), resp).await;
    }
    resp
}

/// A successful answer in the shape its api-version defines: `systemData`
/// added where that version has it (`system_data`), and the properties it does
/// not define left out (`api_shapes`). The one place responses are shaped.
async fn in_version_shape(state: &AppState, provider: api_versions::Provider, version: &str, resp: Response) -> Response {
    let add_system_data = system_data::in_version(provider, version) && !state.world().system_data.is_empty();
    let trim = api_shapes::may_trim(provider, version);
    let is_json = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"));
    if !is_json || !(add_system_data || trim) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if add_system_data {
        system_data::annotate(&state.world(), &mut value);
    }
    if trim {
        api_shapes::trim_response(provider, version, &mut value);
    }
    let out = serde_json::to_vec(&value).unwrap_or_else(|_| bytes.to_vec());
    parts.headers.remove("content-length");
    Response::from_parts(parts, Body::from(out))
}
