//! `Microsoft.ContainerRegistry/registries` reads: list and get, the registry as
//! GET shows it (pending state, key-access health) and a new registry's defaults.
//! Create, update and delete, with the CMK rules, are in `registry_write`.

use acr_cmk_domain::registry::{Policies, Registry, RegistryProperties, Sku, Status, TrustPolicy};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::api_versions::Provider;
use crate::errors::{ArmError, ArmResult};
use crate::http::{json, page, Req, Route};
use crate::state::AppState;
use crate::subscription::{require_group, require_subscription};
use crate::world::{eq, RegistryRec, World};
use crate::{clock, key_access};

pub const TYPE: &str = "Microsoft.ContainerRegistry/registries";
/// The route template of one registry (`registry_write` serves its writes).
pub const BASE: &str =
    "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}";

pub fn routes() -> Vec<Route> {
    let p = Provider::ContainerRegistry;
    vec![
        Route::arm(
            Method::GET,
            "/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry/registries",
            p,
            list_by_subscription,
        ),
        Route::arm(
            Method::GET,
            "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries",
            p,
            list_by_group,
        ),
        Route::arm(Method::GET, BASE, p, get),
        Route::arm(
            Method::POST,
            "/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry/checkNameAvailability",
            p,
            check_name_availability,
        ),
    ]
}

/// Why `name` cannot name a registry (5-50 alphanumerics), if it cannot.
pub fn invalid_name(name: &str) -> Option<String> {
    let valid = (5..=50).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric());
    (!valid).then(|| {
        format!("Resource name '{name}' is invalid. The name may contain alpha numeric characters only and must be between 5 and 50 characters.")
    })
}

/// The service's words for a registry DNS name someone already holds (names are global).
pub fn name_in_use(name: &str) -> String {
    format!("The registry DNS name {}.azurecr.io is already in use.", name.to_ascii_lowercase())
}

#[derive(serde::Deserialize)]
struct NameAvailabilityRequest {
    name: Option<String>,
    #[serde(rename = "type")]
    resource_type: Option<String>,
}

/// `POST …/providers/Microsoft.ContainerRegistry/checkNameAvailability`: `{"name","type"}` →
/// `{"nameAvailable"}` and, when not, `reason` (`Invalid` / `AlreadyExists`) and `message`.
fn check_name_availability(state: &AppState, req: &Req) -> ArmResult<Response> {
    require_subscription(&state.world(), req.param("subscriptionId"))?;
    let body: NameAvailabilityRequest = req.json()?;
    let name = body.name.unwrap_or_default();
    if !body.resource_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(TYPE)) {
        return Err(ArmError::bad_request(
            "InvalidResourceType",
            format!("The resource type '{}' is invalid. Only '{TYPE}' is supported.", body.resource_type.unwrap_or_default()),
        ));
    }
    let answer = if let Some(message) = invalid_name(&name) {
        json!({"nameAvailable": false, "reason": "Invalid", "message": message})
    } else if state.world().registries.iter().any(|r| eq(&r.registry.name, &name)) {
        json!({"nameAvailable": false, "reason": "AlreadyExists", "message": name_in_use(&name)})
    } else {
        json!({"nameAvailable": true})
    };
    Ok(json(StatusCode::OK, answer))
}

pub fn registry_id(sub: &str, rg: &str, name: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}")
}

/// A new registry with the service's default properties (as in RegistryGet.json).
pub fn new_registry(sub: &str, rg: &str, name: &str, location: &str, sku: Sku, created_ms: i64) -> Registry {
    let sku = Sku { tier: Some(sku.tier.unwrap_or_else(|| sku.name.clone())), ..sku };
    let premium = sku.name.eq_ignore_ascii_case("premium");
    let mut other = Map::new();
    other.insert("networkRuleSet".into(), json!({"defaultAction": "Allow", "ipRules": []}));
    other.insert("dataEndpointEnabled".into(), json!(false));
    other.insert("dataEndpointHostNames".into(), json!([]));
    other.insert("privateEndpointConnections".into(), json!([]));
    other.insert("publicNetworkAccess".into(), json!("Enabled"));
    other.insert("networkRuleBypassOptions".into(), json!("AzureServices"));
    other.insert("zoneRedundancy".into(), json!("Disabled"));
    other.insert("anonymousPullEnabled".into(), json!(false));
    if !premium {
        other.remove("networkRuleSet");
    }
    let mut policies_other = Map::new();
    policies_other.insert("quarantinePolicy".into(), json!({"status": "disabled"}));
    policies_other
        .insert("retentionPolicy".into(), json!({"days": 7, "lastUpdatedTime": clock::rfc3339_millis(created_ms), "status": "disabled"}));
    policies_other.insert("exportPolicy".into(), json!({"status": "enabled"}));
    policies_other.insert("azureADAuthenticationAsArmPolicy".into(), json!({"status": "enabled"}));
    Registry {
        id: registry_id(sub, rg, name),
        name: name.to_string(),
        resource_type: TYPE.to_string(),
        location: location.to_string(),
        tags: Default::default(),
        sku,
        identity: None,
        properties: RegistryProperties {
            login_server: Some(format!("{}.azurecr.io", name.to_ascii_lowercase())),
            creation_date: Some(clock::rfc3339_millis(created_ms)),
            provisioning_state: Some("Succeeded".into()),
            admin_user_enabled: Some(false),
            policies: Some(Policies {
                trust_policy: Some(TrustPolicy { kind: Some("Notary".into()), status: Some("disabled".into()) }),
                other: policies_other,
            }),
            encryption: Some(acr_cmk_domain::registry::EncryptionProperty { status: Some("disabled".into()), key_vault_properties: None }),
            status: None,
            other,
        },
    }
}

/// The registry as GET shows it now: pending state, and the key-access health as `status`.
pub fn view(world: &World, rec: &RegistryRec) -> Value {
    let mut r = rec.registry.clone();
    if let Some(p) = &rec.pending_state {
        r.properties.provisioning_state = Some(p.clone());
    }
    r.properties.status = match key_access::registry_health(world, rec, clock::now_secs()) {
        Ok(()) => None,
        Err(f) => Some(Status {
            display_status: Some("KeyVaultAccessFailed".into()),
            message: Some(format!("The registry cannot access its customer-managed key; registry data is inaccessible. {}", f.message)),
            timestamp: Some(clock::rfc3339_millis(clock::now_millis())),
        }),
    };
    serde_json::to_value(r).unwrap_or(Value::Null)
}

fn list_by_subscription(state: &AppState, req: &Req) -> ArmResult<Response> {
    let sub = req.param("subscriptionId");
    let items = {
        let world = state.world();
        require_subscription(&world, sub)?;
        world.registries.iter().filter(|r| eq(&r.subscription_id, sub)).map(|r| view(&world, r)).collect()
    };
    Ok(page(state, req, items))
}

fn list_by_group(state: &AppState, req: &Req) -> ArmResult<Response> {
    let (sub, rg) = (req.param("subscriptionId"), req.param("resourceGroupName"));
    let items = {
        let world = state.world();
        require_group(&world, sub, rg)?;
        world.registries.iter().filter(|r| eq(&r.subscription_id, sub) && eq(&r.resource_group, rg)).map(|r| view(&world, r)).collect()
    };
    Ok(page(state, req, items))
}

/// The registry named in the path, or ARM's 404s (subscription, group, resource).
pub fn find(world: &World, req: &Req) -> ArmResult<usize> {
    let (sub, rg, name) = (req.param("subscriptionId"), req.param("resourceGroupName"), req.param("registryName"));
    require_group(world, sub, rg)?;
    world.registry_index(sub, rg, name).ok_or_else(|| ArmError::resource_not_found(TYPE, name, rg))
}

fn get(state: &AppState, req: &Req) -> ArmResult<Response> {
    let world = state.world();
    let idx = find(&world, req)?;
    Ok(json(StatusCode::OK, view(&world, &world.registries[idx])))
}
