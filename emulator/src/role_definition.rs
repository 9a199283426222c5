//! `Microsoft.Authorization/roleDefinitions`, read-only: the built-in roles the
//! seed's path names, so `az role assignment create --role "<name>"` can turn a
//! role name into its id (`GET {scope}/…/roleDefinitions?$filter=roleName eq '…'`).
//! Only built-in roles exist (no custom roles), with the permissions Azure gives
//! them (`acr_cmk_domain::permissions`, which `access_control` enforces); only
//! the three Key Vault crypto roles grant a registry key access (`key_access`).

use acr_cmk_domain::permissions::{BuiltinRole, BUILTIN_ROLES};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::api_versions::Provider;
use crate::errors::{ArmError, ArmResult};
use crate::http::{json, Req, Route};
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    let p = Provider::Authorization;
    vec![
        Route::arm(Method::GET, "/{*scope}/providers/Microsoft.Authorization/roleDefinitions", p, list),
        Route::arm(Method::GET, "/{*scope}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}", p, get),
    ]
}

/// `/subscriptions/{s}` of a scope, or `""` above subscriptions.
fn subscription_prefix(scope: &str) -> String {
    let segs: Vec<&str> = scope.trim_matches('/').split('/').collect();
    match segs.as_slice() {
        [first, sub, ..] if first.eq_ignore_ascii_case("subscriptions") => format!("/subscriptions/{sub}"),
        _ => String::new(),
    }
}

fn view(prefix: &str, role: &BuiltinRole) -> Value {
    json!({
        "id": format!("{prefix}/providers/Microsoft.Authorization/roleDefinitions/{}", role.id),
        "name": role.id,
        "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {
            "roleName": role.name,
            "type": "BuiltInRole",
            "description": role.description,
            "assignableScopes": ["/"],
            "permissions": [role.permission()],
            "createdOn": "2020-05-19T17:52:46.2227764Z",
            "updatedOn": "2021-11-11T20:13:47.8628684Z",
            "createdBy": null,
            "updatedBy": null,
        },
    })
}

fn list(_state: &AppState, req: &Req) -> ArmResult<Response> {
    let prefix = subscription_prefix(req.param("scope"));
    let filter = req.query("$filter").unwrap_or("").trim();
    let wanted: Option<String> = if filter.is_empty() {
        None
    } else if let Some(v) = filter.strip_prefix("roleName eq '").and_then(|v| v.strip_suffix('\'')) {
        Some(v.replace("''", "'"))
    } else if filter == "type eq 'BuiltInRole'" {
        None
    } else {
        return Err(ArmError::bad_request(
            "InvalidFilterInQueryString",
            format!("Invalid $filter '{filter}' specified in the query string."),
        ));
    };
    let value: Vec<Value> = BUILTIN_ROLES
        .iter()
        .filter(|r| wanted.as_deref().is_none_or(|w| r.name.eq_ignore_ascii_case(w)))
        .map(|r| view(&prefix, r))
        .collect();
    Ok(json(StatusCode::OK, json!({ "value": value })))
}

fn get(_state: &AppState, req: &Req) -> ArmResult<Response> {
    let prefix = subscription_prefix(req.param("scope"));
    let id = req.param("roleDefinitionId");
    BUILTIN_ROLES.iter().find(|r| r.id.eq_ignore_ascii_case(id)).map(|r| json(StatusCode::OK, view(&prefix, r))).ok_or_else(|| {
        ArmError::not_found("RoleDefinitionDoesNotExist", "The specified role definition with ID '".to_string() + id + "' does not exist.")
    })
}
