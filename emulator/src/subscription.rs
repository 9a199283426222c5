//! `Microsoft.Resources`: subscriptions and resource groups, the containers
//! every other resource lives in (ARM answers `SubscriptionNotFound` /
//! `ResourceGroupNotFound` before any provider sees a request).

use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api_versions::Provider;
use crate::errors::{ArmError, ArmResult};
use crate::http::{json, page, Req, Route};
use crate::state::AppState;
use crate::world::{ResourceGroupRec, SubscriptionRec, World};

pub fn routes() -> Vec<Route> {
    let p = Provider::Resources;
    vec![
        Route::arm(Method::GET, "/subscriptions", p, list_subscriptions),
        Route::arm(Method::GET, "/subscriptions/{subscriptionId}", p, get_subscription),
        Route::arm(Method::GET, "/subscriptions/{subscriptionId}/resourcegroups", p, list_groups),
        Route::arm(Method::GET, "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", p, get_group),
        Route::arm(Method::PUT, "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", p, put_group),
        Route::arm(Method::PATCH, "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", p, patch_group),
        Route::arm(Method::DELETE, "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", p, delete_group),
        Route::arm(Method::HEAD, "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", p, group_exists),
        Route::arm(Method::GET, "/subscriptions/{subscriptionId}/operationresults/{operationId}", p, group_deletion_result),
    ]
}

fn subscription_json(s: &SubscriptionRec) -> Value {
    json!({
        "id": format!("/subscriptions/{}", s.subscription_id),
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "subscriptionId": s.subscription_id,
        "tenantId": s.tenant_id,
        "displayName": s.display_name,
        "state": "Enabled",
        "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off"},
    })
}

fn group_json(g: &ResourceGroupRec) -> Value {
    let mut v = json!({
        "id": format!("/subscriptions/{}/resourceGroups/{}", g.subscription_id, g.name),
        "name": g.name,
        "type": "Microsoft.Resources/resourceGroups",
        "location": g.location,
        "properties": {"provisioningState": "Succeeded"},
    });
    // Like ARM: `tags` only once the group has some.
    if !g.tags.is_empty() {
        v["tags"] = json!(g.tags);
    }
    v
}

fn list_subscriptions(state: &AppState, req: &Req) -> ArmResult<Response> {
    let caller = req.caller.as_deref();
    let items = state.world().subscriptions.iter().filter(|s| s.visible_to(caller)).map(subscription_json).collect();
    Ok(page(state, req, items))
}

/// The subscription named in the path, or ARM's 404.
pub fn require_subscription(world: &World, sub: &str) -> ArmResult<()> {
    world.subscription(sub).map(|_| ()).ok_or_else(|| ArmError::subscription_not_found(sub))
}

/// The subscription and resource group named in the path, or ARM's 404s.
pub fn require_group(world: &World, sub: &str, rg: &str) -> ArmResult<()> {
    require_subscription(world, sub)?;
    world.resource_group(sub, rg).map(|_| ()).ok_or_else(|| ArmError::resource_group_not_found(rg))
}

fn get_subscription(state: &AppState, req: &Req) -> ArmResult<Response> {
    let world = state.world();
    let s = world.subscription(req.param("subscriptionId")).ok_or_else(|| ArmError::subscription_not_found(req.param("subscriptionId")))?;
    Ok(json(StatusCode::OK, subscription_json(s)))
}

fn list_groups(state: &AppState, req: &Req) -> ArmResult<Response> {
    let sub = req.param("subscriptionId");
    let items = {
        let world = state.world();
        require_subscription(&world, sub)?;
        world.resource_groups.iter().filter(|g| g.subscription_id.eq_ignore_ascii_case(sub)).map(group_json).collect()
    };
    Ok(page(state, req, items))
}

fn get_group(state: &AppState, req: &Req) -> ArmResult<Response> {
    let world = state.world();
    let (sub, rg) = (req.param("subscriptionId"), req.param("resourceGroupName"));
    require_group(&world, sub, rg)?;
    Ok(json(StatusCode::OK, group_json(world.resource_group(sub, rg).expect("checked"))))
}

#[derive(Deserialize)]
struct GroupBody {
    location: String,
    #[serde(default)]
    tags: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Deserialize)]
struct GroupPatch {
    #[serde(default)]
    tags: Option<std::collections::BTreeMap<String, String>>,
}

fn put_group(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: GroupBody = req.json()?;
    let (sub, rg) = (req.param("subscriptionId"), req.param("resourceGroupName"));
    if rg.is_empty() || rg.len() > 90 || !rg.chars().all(|c| c.is_alphanumeric() || "-_.()".contains(c)) || rg.ends_with('.') {
        return Err(ArmError::bad_request(
            "InvalidResourceGroup",
            format!("The provided resource group name '{rg}' has these invalid characters: '{rg}'. The name can only be a letter, digit, '-', '.', '(', ')' or '_'."),
        ));
    }
    let mut world = state.world();
    require_subscription(&world, sub)?;
    // ARM stores the region's name whichever spelling was given ("West Europe" → "westeurope").
    let body = GroupBody {
        location: crate::region::known(&body.location).ok_or_else(|| crate::region::not_available_for_group(&body.location))?.to_string(),
        tags: body.tags,
    };
    // PUT of an existing group replaces its tags (ARM's createOrUpdate); its location cannot change.
    if let Some(g) =
        world.resource_groups.iter_mut().find(|g| g.subscription_id.eq_ignore_ascii_case(sub) && g.name.eq_ignore_ascii_case(rg))
    {
        if !g.location.replace(' ', "").eq_ignore_ascii_case(&body.location.replace(' ', "")) {
            return Err(ArmError::new(
                StatusCode::CONFLICT,
                "InvalidResourceGroupLocation",
                format!(
                    "Invalid resource group location '{}'. The Resource group already exists in location '{}'.",
                    body.location, g.location
                ),
            ));
        }
        g.tags = body.tags.unwrap_or_default();
        return Ok(json(StatusCode::OK, group_json(g)));
    }
    let g = ResourceGroupRec {
        subscription_id: sub.to_string(),
        name: rg.to_string(),
        location: body.location,
        tags: body.tags.unwrap_or_default(),
    };
    let out = group_json(&g);
    world.resource_groups.push(g);
    Ok(json(StatusCode::CREATED, out))
}

/// `PATCH …/resourcegroups/{rg}` (`az group update --tags`): replaces the tags given.
fn patch_group(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: GroupPatch = req.json()?;
    let (sub, rg) = (req.param("subscriptionId"), req.param("resourceGroupName"));
    let mut world = state.world();
    require_group(&world, sub, rg)?;
    let g = world
        .resource_groups
        .iter_mut()
        .find(|g| g.subscription_id.eq_ignore_ascii_case(sub) && g.name.eq_ignore_ascii_case(rg))
        .expect("checked");
    if let Some(tags) = body.tags {
        g.tags = tags;
    }
    Ok(json(StatusCode::OK, group_json(g)))
}

/// `HEAD …/resourcegroups/{rg}` (`az group exists`): `204` or `404`, no body.
fn group_exists(state: &AppState, req: &Req) -> ArmResult<Response> {
    let world = state.world();
    require_subscription(&world, req.param("subscriptionId"))?;
    Ok(match world.resource_group(req.param("subscriptionId"), req.param("resourceGroupName")) {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    })
}

const DELETION_PREFIX: &str = "RGDELETE:";

/// `DELETE …/resourcegroups/{rg}`: like ARM, everything in the group goes with it
/// (registries and identities are deleted, vaults soft-deleted, role assignments
/// inside the group removed). ARM answers `202` with a `Location` to poll; the
/// emulator deletes at once, so the first poll answers `200`.
fn delete_group(state: &AppState, req: &Req) -> ArmResult<Response> {
    let (sub, rg) = (req.param("subscriptionId"), req.param("resourceGroupName"));
    let mut world = state.world();
    require_group(&world, sub, rg)?;
    let name = world.resource_group(sub, rg).map(|g| g.name.clone()).unwrap_or_else(|| rg.to_string());
    let in_group = |s: &str, g: &str| s.eq_ignore_ascii_case(sub) && g.eq_ignore_ascii_case(rg);
    let scope = format!("/subscriptions/{sub}/resourcegroups/{rg}").to_ascii_lowercase();
    let now = crate::clock::now_secs();
    world.registries.retain(|r| !in_group(&r.subscription_id, &r.resource_group));
    world.identities.retain(|i| !in_group(&i.subscription_id, &i.resource_group));
    for v in world.vaults.iter_mut().filter(|v| v.deleted_at.is_none() && in_group(&v.subscription_id, &v.resource_group)) {
        v.deleted_at = Some(now);
    }
    world.role_assignments.retain(|r| {
        let s = r.scope.trim_end_matches('/').to_ascii_lowercase();
        !(s == scope || s.starts_with(&format!("{scope}/")))
    });
    world.resource_groups.retain(|g| !in_group(&g.subscription_id, &g.name));
    let token = URL_SAFE_NO_PAD.encode(format!("{DELETION_PREFIX}{name}"));
    let location = format!("{}/subscriptions/{sub}/operationresults/{token}?api-version={}", req.base, req.api_version());
    let mut resp = StatusCode::ACCEPTED.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert("location", v);
    }
    resp.headers_mut().insert("retry-after", HeaderValue::from_static("1"));
    Ok(resp)
}

/// The `Location` of a group deletion: `200`, the deletion having happened at once.
fn group_deletion_result(state: &AppState, req: &Req) -> ArmResult<Response> {
    let (sub, id) = (req.param("subscriptionId"), req.param("operationId"));
    let known = URL_SAFE_NO_PAD.decode(id).ok().and_then(|b| String::from_utf8(b).ok()).is_some_and(|t| t.starts_with(DELETION_PREFIX));
    if !known {
        return Err(ArmError::not_found("OperationNotFound", format!("The operation '{id}' was not found.")));
    }
    require_subscription(&state.world(), sub)?;
    Ok(StatusCode::OK.into_response())
}
