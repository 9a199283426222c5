//! `Microsoft.Authorization/roleAssignments` (2022-04-01) at any scope: how an
//! RBAC key vault grants (and revokes) a registry identity's access to its key.
//! Assignments are inherited by child scopes, as in Azure.

use acr_cmk_domain::role_assignment::RoleAssignmentCreateParameters;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::api_versions::Provider;
use crate::clock;
use crate::errors::{ArmError, ArmResult};
use crate::http::{json, page, Req, Route};
use crate::state::AppState;
use crate::world::{eq, RoleAssignmentRec};

pub fn routes() -> Vec<Route> {
    let p = Provider::Authorization;
    vec![
        Route::arm(Method::GET, "/{*scope}/providers/Microsoft.Authorization/roleAssignments", p, list),
        Route::arm(Method::GET, "/{*scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}", p, get),
        Route::arm(Method::PUT, "/{*scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}", p, create),
        Route::arm(Method::DELETE, "/{*scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}", p, delete),
    ]
}

fn view(r: &RoleAssignmentRec) -> Value {
    json!({
        "id": r.id(),
        "name": r.name,
        "type": "Microsoft.Authorization/roleAssignments",
        "properties": {
            "roleDefinitionId": r.role_definition_id,
            "principalId": r.principal_id,
            "principalType": r.principal_type,
            "scope": r.scope,
            "condition": null,
            "conditionVersion": null,
            "createdOn": r.created_on,
            "updatedOn": r.created_on,
            "createdBy": crate::auth::DEMO_USER_OID,
            "updatedBy": crate::auth::DEMO_USER_OID,
            "delegatedManagedIdentityResourceId": null,
            "description": null,
        }
    })
}

fn scope(req: &Req) -> String {
    req.param("scope").trim_end_matches('/').to_string()
}

fn check_scope(state: &AppState, scope: &str) -> ArmResult<()> {
    let parts: Vec<&str> = scope.trim_start_matches('/').split('/').collect();
    if parts.len() < 2 || !parts[0].eq_ignore_ascii_case("subscriptions") {
        return Err(ArmError::bad_request(
            "InvalidScope",
            format!("The scope '{scope}' is not supported by the emulator: it must be a subscription or a resource inside one."),
        ));
    }
    let w = state.world();
    crate::subscription::require_subscription(&w, parts[1])
}

fn covers(parent: &str, child: &str) -> bool {
    let p = parent.trim_end_matches('/').to_ascii_lowercase();
    let c = child.trim_end_matches('/').to_ascii_lowercase();
    c == p || c.starts_with(&format!("{p}/"))
}

/// `$filter=principalId eq '…'`, `atScope()`, `assignedTo('…')`; at, above and below the scope.
fn list(state: &AppState, req: &Req) -> ArmResult<Response> {
    let s = scope(req);
    check_scope(state, &s)?;
    let filter = req.query("$filter").unwrap_or("").trim().to_string();
    let mut principal: Option<String> = None;
    let mut at_scope = false;
    for clause in filter.split(" and ").map(str::trim).filter(|c| !c.is_empty()) {
        let lower = clause.to_ascii_lowercase();
        if lower == "atscope()" {
            at_scope = true;
        } else if let Some(rest) = lower.strip_prefix("principalid eq ") {
            principal = Some(rest.trim_matches('\'').to_string());
        } else if let Some(rest) = lower.strip_prefix("assignedto(").and_then(|r| r.strip_suffix(')')) {
            principal = Some(rest.trim_matches('\'').to_string());
        } else {
            return Err(ArmError::bad_request(
                "UnsupportedQuery",
                format!(
                    "The filter '{clause}' is not supported. Supported filters: principalId eq '{{id}}', assignedTo('{{id}}'), atScope()."
                ),
            ));
        }
    }
    let items = {
        let w = state.world();
        w.role_assignments
            .iter()
            .filter(|r| if at_scope { covers(&r.scope, &s) } else { covers(&r.scope, &s) || covers(&s, &r.scope) })
            .filter(|r| principal.as_deref().is_none_or(|p| eq(&r.principal_id, p)))
            .map(view)
            .collect()
    };
    Ok(page(state, req, items))
}

fn find(state: &AppState, req: &Req) -> Option<RoleAssignmentRec> {
    let s = scope(req);
    let w = state.world();
    w.role_assignments.iter().find(|r| acr_cmk_domain::arm::same_id(&r.scope, &s) && eq(&r.name, req.param("roleAssignmentName"))).cloned()
}

fn get(state: &AppState, req: &Req) -> ArmResult<Response> {
    check_scope(state, &scope(req))?;
    let r = find(state, req).ok_or_else(|| {
        ArmError::not_found("RoleAssignmentNotFound", format!("The role assignment '{}' is not found.", req.param("roleAssignmentName")))
    })?;
    Ok(json(StatusCode::OK, view(&r)))
}

fn create(state: &AppState, req: &Req) -> ArmResult<Response> {
    let s = scope(req);
    check_scope(state, &s)?;
    let name = req.param("roleAssignmentName").to_string();
    if uuid::Uuid::parse_str(&name).is_err() {
        return Err(ArmError::bad_request(
            "InvalidRoleAssignmentId",
            format!("The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID."),
        ));
    }
    let body: RoleAssignmentCreateParameters = req.json()?;
    let p = body.properties;
    if uuid::Uuid::parse_str(&p.principal_id).is_err() {
        return Err(ArmError::bad_request("InvalidPrincipalId", "A valid principal ID must be provided for role assignment."));
    }
    let role = p.role_guid().to_string();
    if uuid::Uuid::parse_str(&role).is_err()
        || !p.role_definition_id.to_ascii_lowercase().contains("/providers/microsoft.authorization/roledefinitions/")
    {
        return Err(ArmError::bad_request(
            "InvalidRoleDefinitionId",
            format!("The role definition ID '{}' is not valid.", p.role_definition_id),
        ));
    }
    let mut w = state.world();
    if let Some(existing) = w.role_assignments.iter().find(|r| acr_cmk_domain::arm::same_id(&r.scope, &s) && eq(&r.name, &name)) {
        if eq(&existing.principal_id, &p.principal_id)
            && existing.role_definition_id.to_ascii_lowercase().ends_with(&role.to_ascii_lowercase())
        {
            return Ok(json(StatusCode::CREATED, view(existing)));
        }
        return Err(ArmError::bad_request(
            "RoleAssignmentUpdateNotPermitted",
            "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
        ));
    }
    if w.role_assignments.iter().any(|r| {
        acr_cmk_domain::arm::same_id(&r.scope, &s)
            && eq(&r.principal_id, &p.principal_id)
            && r.role_definition_id.to_ascii_lowercase().ends_with(&role.to_ascii_lowercase())
    }) {
        return Err(ArmError::conflict("RoleAssignmentExists", "The role assignment already exists."));
    }
    let rec = RoleAssignmentRec {
        name,
        scope: s,
        role_definition_id: p.role_definition_id.clone(),
        principal_id: p.principal_id.clone(),
        principal_type: p.principal_type.clone().or(Some("ServicePrincipal".into())),
        created_on: clock::rfc3339_millis(clock::now_millis()),
    };
    let out = view(&rec);
    w.role_assignments.push(rec);
    Ok(json(StatusCode::CREATED, out))
}

fn delete(state: &AppState, req: &Req) -> ArmResult<Response> {
    check_scope(state, &scope(req))?;
    let Some(r) = find(state, req) else { return Ok(StatusCode::NO_CONTENT.into_response()) };
    state.world().role_assignments.retain(|x| !(eq(&x.name, &r.name) && acr_cmk_domain::arm::same_id(&x.scope, &r.scope)));
    Ok(json(StatusCode::OK, view(&r)))
}
