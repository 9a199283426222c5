//! `Microsoft.Authorization/roleDefinitions`, read-only: the built-in roles the
//! seed's path names, so `az role assignment create --role "<name>"` can turn a
//! role name into its id (`GET {scope}/…/roleDefinitions?$filter=roleName eq '…'`).
//! Only built-in roles exist (no custom roles); only the three Key Vault crypto
//! roles grant a registry key access (`key_access`).

use acr_cmk_domain::role_assignment::KeyVaultRole;
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

/// (id, name, description, data actions) of the built-in roles served.
fn builtin() -> Vec<(&'static str, &'static str, &'static str, &'static [&'static str])> {
    let kv = |r: KeyVaultRole, description, data: &'static [&'static str]| (r.guid(), r.name(), description, data);
    vec![
        kv(
            KeyVaultRole::CryptoServiceEncryptionUser,
            "Read metadata of keys and perform wrap/unwrap operations. Only works for key vaults that use the 'Azure role-based access control' permission model.",
            &["Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/wrap/action", "Microsoft.KeyVault/vaults/keys/unwrap/action"],
        ),
        kv(
            KeyVaultRole::CryptoOfficer,
            "Perform any action on the keys of a key vault, except manage permissions. Only works for key vaults that use the 'Azure role-based access control' permission model.",
            &["Microsoft.KeyVault/vaults/keys/*"],
        ),
        kv(
            KeyVaultRole::Administrator,
            "Perform all data plane operations on a key vault and all objects in it, including certificates, keys, and secrets. Cannot manage key vault resources or manage role assignments. Only works for key vaults that use the 'Azure role-based access control' permission model.",
            &["Microsoft.KeyVault/vaults/*"],
        ),
        ("12338af0-0e69-4776-bea7-57ae8d297424", "Key Vault Crypto User", "Perform cryptographic operations using keys. Only works for key vaults that use the 'Azure role-based access control' permission model.", &["Microsoft.KeyVault/vaults/keys/read"]),
        ("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader", "View all resources, but does not allow you to make any changes.", &[]),
        ("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor", "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.", &[]),
        ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.", &[]),
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

fn view(prefix: &str, (id, name, description, data): (&str, &str, &str, &[&str])) -> Value {
    let actions: Vec<&str> = match name {
        "Reader" => vec!["*/read"],
        "Contributor" | "Owner" => vec!["*"],
        _ => vec![],
    };
    json!({
        "id": format!("{prefix}/providers/Microsoft.Authorization/roleDefinitions/{id}"),
        "name": id,
        "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {
            "roleName": name,
            "type": "BuiltInRole",
            "description": description,
            "assignableScopes": ["/"],
            "permissions": [{"actions": actions, "notActions": [], "dataActions": data, "notDataActions": []}],
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
    let value: Vec<Value> = builtin()
        .into_iter()
        .filter(|(_, name, _, _)| wanted.as_deref().is_none_or(|w| name.eq_ignore_ascii_case(w)))
        .map(|r| view(&prefix, r))
        .collect();
    Ok(json(StatusCode::OK, json!({ "value": value })))
}

fn get(_state: &AppState, req: &Req) -> ArmResult<Response> {
    let prefix = subscription_prefix(req.param("scope"));
    let id = req.param("roleDefinitionId");
    builtin().into_iter().find(|(guid, _, _, _)| guid.eq_ignore_ascii_case(id)).map(|r| json(StatusCode::OK, view(&prefix, r))).ok_or_else(
        || {
            ArmError::not_found(
                "RoleDefinitionDoesNotExist",
                "The specified role definition with ID '".to_string() + id + "' does not exist.",
            )
        },
    )
}
