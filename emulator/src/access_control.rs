//! Who may do what: role assignments of users and service principals, read
//! through the built-in role definitions (`acr_cmk_domain::permissions`),
//! decide every ARM request under a subscription; a key vault's access
//! policies (or, with the RBAC model, data actions) decide its data plane.
//! The permissions API answers from the same assignments, so what the console
//! reads and what the emulator refuses agree.

use acr_cmk_domain::permissions::{self, BuiltinRole, Permission, PermissionList};
use acr_cmk_domain::requests::Method as DomainMethod;
use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::api_versions::Provider;
use crate::auth::Claims;
use crate::errors::{ArmError, ArmResult};
use crate::http::{json, Req, Route};
use crate::state::AppState;
use crate::world::{eq, World};

/// The permissions API is readable by any authenticated caller for itself: ARM does not authorize it by role.
const PERMISSIONS_SUFFIX: &str = "/providers/microsoft.authorization/permissions";

pub fn routes() -> Vec<Route> {
    vec![Route::arm(Method::GET, "/{*scope}/providers/Microsoft.Authorization/permissions", Provider::Authorization, list_permissions)]
}

/// Does the assignment at `parent` apply at `child` (the same scope or one inside it)?
pub fn covers(parent: &str, child: &str) -> bool {
    let p = parent.trim_end_matches('/').to_ascii_lowercase();
    let c = child.trim_end_matches('/').to_ascii_lowercase();
    c == p || c.starts_with(&format!("{p}/"))
}

/// One permission block per role assignment of `principal` that applies at `scope`.
pub fn permissions_at(world: &World, principal: &str, scope: &str) -> Vec<Permission> {
    world
        .role_assignments
        .iter()
        .filter(|ra| eq(&ra.principal_id, principal) && covers(&ra.scope, scope))
        .filter_map(|ra| BuiltinRole::by_definition(&ra.role_definition_id))
        .map(BuiltinRole::permission)
        .collect()
}

fn domain_method(m: &Method) -> Option<DomainMethod> {
    Some(match *m {
        Method::GET | Method::HEAD => DomainMethod::Get,
        Method::PUT => DomainMethod::Put,
        Method::PATCH => DomainMethod::Patch,
        Method::POST => DomainMethod::Post,
        Method::DELETE => DomainMethod::Delete,
        _ => return None,
    })
}

/// ARM's `403 AuthorizationFailed`, in its words.
pub fn authorization_failed(who: &str, action: &str, scope: &str) -> ArmError {
    ArmError::new(
        StatusCode::FORBIDDEN,
        "AuthorizationFailed",
        format!(
            "The client '{who}' with object id '{who}' does not have authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials."
        ),
    )
}

/// An ARM request (`path` under `/subscriptions/…`) by `caller`: allowed by a role assignment, or ARM's 403.
/// A subscription's `readers` list (who sees it at all) is checked first, as before roles existed.
pub fn authorize_arm(world: &World, method: &Method, path: &str, caller: Option<&str>) -> ArmResult<()> {
    let mut segments = path.trim_start_matches('/').split('/');
    let (Some(first), Some(sub)) = (segments.next(), segments.next()) else { return Ok(()) };
    if !first.eq_ignore_ascii_case("subscriptions") {
        return Ok(());
    }
    let who = caller.unwrap_or("(unknown)");
    let Some(rec) = world.subscription(sub) else { return Ok(()) };
    let Some(required) = domain_method(method).and_then(|m| permissions::required_action(m, path)) else { return Ok(()) };
    if !rec.visible_to(caller) {
        return Err(authorization_failed(who, &required.action, &format!("/subscriptions/{sub}")));
    }
    if path.trim_end_matches('/').to_ascii_lowercase().ends_with(PERMISSIONS_SUFFIX) {
        return Ok(());
    }
    let perms = caller.map(|c| permissions_at(world, c, &required.scope)).unwrap_or_default();
    if permissions::allows(&perms, &required.action) {
        Ok(())
    } else {
        Err(authorization_failed(who, &required.action, &required.scope))
    }
}

/// A Key Vault data-plane request (`path` is `/_vault/{vault}/…`): the caller's access policy, or with the
/// RBAC model its data actions at the key's scope; Key Vault's `403 Forbidden` otherwise.
pub fn authorize_vault(world: &World, method: &Method, path: &str, claims: &Claims) -> ArmResult<()> {
    let mut segs = path.trim_start_matches('/').splitn(3, '/');
    let (Some(_), Some(vault_name), rest) = (segs.next(), segs.next(), segs.next()) else { return Ok(()) };
    let rest = format!("/{}", rest.unwrap_or(""));
    let Some(vault) = world.vault_by_name(vault_name) else { return Ok(()) };
    let Some(op) = domain_method(method).and_then(|m| permissions::key_data_action(m, &rest)) else { return Ok(()) };
    let props = &vault.vault.properties;
    let caller = format!("appid={};oid={};iss={}", claims.appid.as_deref().unwrap_or(""), claims.oid, claims.iss);
    let where_ = format!("{};location={}", vault.vault.name, vault.vault.location);
    if props.rbac() {
        let key = rest.trim_start_matches('/').split('/').nth(1).unwrap_or("");
        let resource = if key.is_empty() { vault.vault.id.clone() } else { format!("{}/keys/{key}", vault.vault.id) };
        if permissions::allows_data(&permissions_at(world, &claims.oid, &resource), op.data_action) {
            return Ok(());
        }
        return Err(ArmError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!(
                "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: {caller}\r\nAction: '{}'\r\nResource: '{}'\r\nAssignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: {where_}\r\n",
                op.data_action,
                resource.to_ascii_lowercase()
            ),
        ));
    }
    let granted = props.access_policies.iter().any(|p| {
        eq(&p.object_id, &claims.oid)
            && p.permissions
                .keys
                .as_ref()
                .is_some_and(|keys| keys.iter().any(|k| k.eq_ignore_ascii_case(op.key_permission) || k.eq_ignore_ascii_case("all")))
    });
    if granted {
        return Ok(());
    }
    Err(ArmError::new(
        StatusCode::FORBIDDEN,
        "Forbidden",
        format!(
            "The user, group or application '{caller}' does not have keys {} permission on key vault '{where_}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287",
            op.key_permission
        ),
    ))
}

/// `GET {scope}/providers/Microsoft.Authorization/permissions`: the caller's blocks at `scope`.
fn list_permissions(state: &AppState, req: &Req) -> ArmResult<Response> {
    let scope = req.param("scope").trim_end_matches('/').to_string();
    let caller = req.caller.clone().unwrap_or_default();
    let value = permissions_at(&state.world(), &caller, &scope);
    Ok(json(StatusCode::OK, serde_json::to_value(PermissionList { value }).unwrap_or_default()))
}
