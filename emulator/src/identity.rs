//! `Microsoft.ManagedIdentity`: user-assigned identities (2024-11-30) and a
//! registry's system-assigned identity (`{registryId}/providers/Microsoft.ManagedIdentity/identities/default`),
//! the only place ARM reveals the system identity's **client id**, which
//! `keyVaultProperties.identity` is compared against.

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api_versions::Provider;
use crate::errors::{ArmError, ArmResult};
use crate::http::{json, page, Req, Route};
use crate::state::AppState;
use crate::subscription::{require_group, require_subscription};
use crate::world::{eq, IdentityRec};

const TYPE: &str = "Microsoft.ManagedIdentity/userAssignedIdentities";
const ONE: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}";

pub fn routes() -> Vec<Route> {
    let p = Provider::ManagedIdentity;
    vec![
        Route::arm(Method::GET, "/subscriptions/{subscriptionId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities", p, list_sub),
        Route::arm(
            Method::GET,
            "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities",
            p,
            list_group,
        ),
        Route::arm(Method::GET, ONE, p, get),
        Route::arm(Method::PUT, ONE, p, put),
        Route::arm(Method::PATCH, ONE, p, patch),
        Route::arm(Method::DELETE, ONE, p, delete),
        Route::arm(
            Method::GET,
            "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}/providers/Microsoft.ManagedIdentity/identities/default",
            p,
            system_identity,
        ),
    ]
}

pub fn identity_json(i: &IdentityRec, tenant: &str) -> Value {
    json!({
        "id": i.id(),
        "name": i.name,
        "type": TYPE,
        "location": i.location,
        "tags": i.tags,
        "properties": {"tenantId": tenant, "principalId": i.principal_id, "clientId": i.client_id, "isolationScope": "None"},
    })
}

fn list_sub(state: &AppState, req: &Req) -> ArmResult<Response> {
    let sub = req.param("subscriptionId");
    let items = {
        let w = state.world();
        require_subscription(&w, sub)?;
        w.identities.iter().filter(|i| eq(&i.subscription_id, sub)).map(|i| identity_json(i, &w.tenant_id)).collect()
    };
    Ok(page(state, req, items))
}

fn list_group(state: &AppState, req: &Req) -> ArmResult<Response> {
    let (sub, rg) = (req.param("subscriptionId"), req.param("resourceGroupName"));
    let items = {
        let w = state.world();
        require_group(&w, sub, rg)?;
        w.identities
            .iter()
            .filter(|i| eq(&i.subscription_id, sub) && eq(&i.resource_group, rg))
            .map(|i| identity_json(i, &w.tenant_id))
            .collect()
    };
    Ok(page(state, req, items))
}

fn index(w: &crate::world::World, req: &Req) -> ArmResult<Option<usize>> {
    let (sub, rg, name) = (req.param("subscriptionId"), req.param("resourceGroupName"), req.param("resourceName"));
    require_group(w, sub, rg)?;
    Ok(w.identities.iter().position(|i| eq(&i.subscription_id, sub) && eq(&i.resource_group, rg) && eq(&i.name, name)))
}

fn get(state: &AppState, req: &Req) -> ArmResult<Response> {
    let w = state.world();
    let i = index(&w, req)?.ok_or_else(|| ArmError::resource_not_found(TYPE, req.param("resourceName"), req.param("resourceGroupName")))?;
    Ok(json(StatusCode::OK, identity_json(&w.identities[i], &w.tenant_id)))
}

#[derive(Deserialize)]
struct IdentityBody {
    location: Option<String>,
    #[serde(default)]
    tags: Option<std::collections::BTreeMap<String, String>>,
}

fn put(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: IdentityBody = req.json()?;
    let name = req.param("resourceName");
    if name.len() < 3
        || name.len() > 128
        || !name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ArmError::bad_request(
            "InvalidResourceName",
            format!("Resource name '{name}' is invalid. It must be 3 to 128 characters: letters, digits, '-' and '_', starting with a letter or digit."),
        ));
    }
    let mut w = state.world();
    match index(&w, req)? {
        Some(i) => {
            if let Some(t) = body.tags {
                w.identities[i].tags = t;
            }
            Ok(json(StatusCode::OK, identity_json(&w.identities[i], &w.tenant_id)))
        }
        None => {
            let location = body
                .location
                .filter(|l| !l.is_empty())
                .ok_or_else(|| ArmError::bad_request("LocationRequired", "The location property is required for this definition."))?;
            let rec = IdentityRec {
                subscription_id: req.param("subscriptionId").to_string(),
                resource_group: w
                    .resource_group(req.param("subscriptionId"), req.param("resourceGroupName"))
                    .map(|g| g.name.clone())
                    .unwrap_or_default(),
                name: name.to_string(),
                location,
                tags: body.tags.unwrap_or_default(),
                principal_id: w.ids.guid(),
                client_id: w.ids.guid(),
            };
            let out = identity_json(&rec, &w.tenant_id);
            w.identities.push(rec);
            Ok(json(StatusCode::CREATED, out))
        }
    }
}

fn patch(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: IdentityBody = req.json()?;
    let mut w = state.world();
    let i = index(&w, req)?.ok_or_else(|| ArmError::resource_not_found(TYPE, req.param("resourceName"), req.param("resourceGroupName")))?;
    if let Some(t) = body.tags {
        w.identities[i].tags = t;
    }
    Ok(json(StatusCode::OK, identity_json(&w.identities[i], &w.tenant_id)))
}

fn delete(state: &AppState, req: &Req) -> ArmResult<Response> {
    let mut w = state.world();
    match index(&w, req)? {
        Some(i) => {
            // Like Azure, deleting an identity does not detach it from registries: they just lose it.
            w.identities.remove(i);
            Ok(StatusCode::OK.into_response())
        }
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

fn system_identity(state: &AppState, req: &Req) -> ArmResult<Response> {
    let w = state.world();
    let idx = crate::registry::find(&w, req)?;
    let rec = &w.registries[idx];
    let block = rec.registry.identity.clone().unwrap_or_default();
    let (Some(principal), true) = (block.principal_id.clone(), block.kinds().system) else {
        return Err(ArmError::not_found(
            "ResourceNotFound",
            format!("The system-assigned identity of '{}' was not found: the registry has no system-assigned identity.", rec.registry.id),
        ));
    };
    let id = format!("{}/providers/Microsoft.ManagedIdentity/identities/default", rec.registry.id);
    let client = rec.system_client_id.clone().unwrap_or_default();
    Ok(json(
        StatusCode::OK,
        json!({
            "id": id,
            "name": rec.registry.name,
            "type": "Microsoft.ManagedIdentity/identities",
            "location": rec.registry.location,
            "properties": {
                "tenantId": block.tenant_id.unwrap_or_else(|| w.tenant_id.clone()),
                "principalId": principal,
                "clientId": client,
                "clientSecretUrl": format!("https://control-{}.identity.azure.net{id}/credentials/v2/identities?said={client}", rec.registry.location),
            },
        }),
    ))
}
