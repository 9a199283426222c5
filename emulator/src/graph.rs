//! The few Microsoft Graph (v1.0) reads the Azure CLI makes on the seed's path,
//! served at `/_graph/v1.0/…` and, through the vault proxy, at
//! `https://graph.microsoft.com/v1.0/…` (host routing, as for vaults):
//!
//! - `GET /me`: the signed-in user; for a service principal's token Graph's
//!   `400` (`/me request is only valid with delegated authentication flow.`),
//!   after which the CLI looks the principal up by its app id;
//! - `GET /servicePrincipals?$filter=servicePrincipalNames/any(c:c eq '…')`:
//!   the scenario's service principals and the managed identities (user-assigned,
//!   and registries' system identities), by app (client) id;
//! - `GET /users?$filter=userPrincipalName eq '…'`: the directory's users;
//! - `POST /directoryObjects/getByIds`: users and service principals by object id
//!   (how `az role assignment create --assignee <object id>` learns the principal type).
//!
//! Tokens need the Graph audience. Nothing here writes.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api_versions::Provider;
use crate::auth::Audience;
use crate::errors::{ArmError, ArmResult};
use crate::http::{json, Req, Route};
use crate::registry;
use crate::state::AppState;
use crate::world::{eq, World};

pub fn routes() -> Vec<Route> {
    let g = |method: Method, template: &'static str, handler| Route {
        method,
        template,
        provider: Provider::None,
        auth: Some(Audience::Graph),
        handler,
    };
    vec![
        g(Method::GET, "/_graph/v1.0/me", me),
        g(Method::GET, "/_graph/v1.0/servicePrincipals", service_principals),
        g(Method::GET, "/_graph/v1.0/users", users),
        g(Method::POST, "/_graph/v1.0/directoryObjects/getByIds", get_by_ids),
    ]
}

fn user_json(u: &crate::directory::DirectoryUser) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.user",
        "id": u.object_id,
        "displayName": u.display_name,
        "userPrincipalName": u.user_principal_name,
    })
}

/// Every service principal Graph would list: the scenario's apps and the managed identities.
fn all_service_principals(world: &World) -> Vec<Value> {
    let sp = |id: &str, app_id: &str, name: &str, kind: &str| {
        json!({
            "@odata.type": "#microsoft.graph.servicePrincipal",
            "id": id,
            "appId": app_id,
            "displayName": name,
            "servicePrincipalNames": [app_id],
            "servicePrincipalType": kind,
        })
    };
    let mut out: Vec<Value> =
        world.service_principals.iter().map(|s| sp(&s.object_id, &s.client_id, &s.display_name, "Application")).collect();
    out.extend(world.identities.iter().map(|i| sp(&i.principal_id, &i.client_id, &i.name, "ManagedIdentity")));
    for r in &world.registries {
        let view = registry::view(world, r);
        let principal = view.pointer("/identity/principalId").and_then(Value::as_str);
        if let (Some(principal), Some(client)) = (principal, r.system_client_id.as_deref()) {
            out.push(sp(principal, client, view["name"].as_str().unwrap_or(""), "ManagedIdentity"));
        }
    }
    out
}

fn me(state: &AppState, req: &Req) -> ArmResult<Response> {
    let claims = state.signer().verify(&req.headers, Audience::Graph, &state.tenant_id())?;
    let world = state.world();
    match world.directory.users.iter().find(|u| eq(&u.object_id, &claims.oid)) {
        Some(u) => Ok(json(StatusCode::OK, user_json(u))),
        None => Err(ArmError::bad_request("BadRequest", "/me request is only valid with delegated authentication flow.")),
    }
}

/// The quoted value of `{prefix}'…'{suffix}`, the one filter form each list takes.
fn quoted<'a>(filter: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    filter.trim().strip_prefix(prefix)?.strip_suffix(suffix)?.strip_prefix('\'')?.strip_suffix('\'')
}

fn unsupported(filter: &str) -> ArmError {
    ArmError::bad_request("Request_UnsupportedQuery", format!("Unsupported query: the emulator's Graph takes no $filter '{filter}'."))
}

fn service_principals(state: &AppState, req: &Req) -> ArmResult<Response> {
    let filter = req.query("$filter").unwrap_or("");
    let world = state.world();
    let all = all_service_principals(&world);
    let value: Vec<Value> = if filter.is_empty() {
        all
    } else {
        let name = quoted(filter, "servicePrincipalNames/any(c:c eq ", ")").ok_or_else(|| unsupported(filter))?;
        all.into_iter().filter(|s| eq(s["appId"].as_str().unwrap_or(""), name)).collect()
    };
    Ok(json(StatusCode::OK, json!({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals", "value": value })))
}

fn users(state: &AppState, req: &Req) -> ArmResult<Response> {
    let filter = req.query("$filter").unwrap_or("");
    let world = state.world();
    let upn = if filter.is_empty() { None } else { Some(quoted(filter, "userPrincipalName eq ", "").ok_or_else(|| unsupported(filter))?) };
    let value: Vec<Value> =
        world.directory.users.iter().filter(|u| upn.is_none_or(|n| eq(&u.user_principal_name, n))).map(user_json).collect();
    Ok(json(StatusCode::OK, json!({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": value })))
}

#[derive(Deserialize)]
struct ByIds {
    ids: Vec<String>,
    #[serde(default)]
    types: Vec<String>,
}

fn get_by_ids(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: ByIds = req.json()?;
    let wants = |t: &str| body.types.is_empty() || body.types.iter().any(|x| x.eq_ignore_ascii_case(t));
    let world = state.world();
    let mut objects: Vec<Value> = Vec::new();
    if wants("user") {
        objects.extend(world.directory.users.iter().map(user_json));
    }
    if wants("servicePrincipal") {
        objects.extend(all_service_principals(&world));
    }
    let value: Vec<Value> =
        body.ids.iter().filter_map(|id| objects.iter().find(|o| eq(o["id"].as_str().unwrap_or(""), id)).cloned()).collect();
    Ok(json(StatusCode::OK, json!({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects", "value": value })))
}
