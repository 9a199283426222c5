//! Where things can be created: the subscription's locations
//! (`GET /subscriptions/{s}/locations`) and the providers' registrations
//! (`GET /subscriptions/{s}/providers/{namespace}`), whose `resourceTypes[].locations`
//! name regions by display name, as ARM does. A registry or resource group in a
//! location outside this list is refused with ARM's error.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::api_versions::{self, Provider};
use crate::errors::{ArmError, ArmResult};
use crate::http::{json, page, Req, Route};
use crate::state::AppState;

/// (name, display name, geography group). A subset of Azure's public regions, all of
/// which offer container registries, vaults and identities in Azure.
pub const REGIONS: &[(&str, &str, &str)] = &[
    ("australiaeast", "Australia East", "Asia Pacific"),
    ("brazilsouth", "Brazil South", "South America"),
    ("canadacentral", "Canada Central", "Canada"),
    ("centralindia", "Central India", "Asia Pacific"),
    ("centralus", "Central US", "US"),
    ("eastus", "East US", "US"),
    ("eastus2", "East US 2", "US"),
    ("francecentral", "France Central", "Europe"),
    ("germanywestcentral", "Germany West Central", "Europe"),
    ("japaneast", "Japan East", "Asia Pacific"),
    ("koreacentral", "Korea Central", "Asia Pacific"),
    ("northeurope", "North Europe", "Europe"),
    ("southeastasia", "Southeast Asia", "Asia Pacific"),
    ("swedencentral", "Sweden Central", "Europe"),
    ("switzerlandnorth", "Switzerland North", "Europe"),
    ("uksouth", "UK South", "Europe"),
    ("westeurope", "West Europe", "Europe"),
    ("westus2", "West US 2", "US"),
    ("westus3", "West US 3", "US"),
];

/// The providers whose registration the emulator answers: (namespace, api-version
/// provider, resource types that live in regions).
const PROVIDERS: &[(&str, Provider, &[&str])] = &[
    ("Microsoft.ContainerRegistry", Provider::ContainerRegistry, &["registries"]),
    ("Microsoft.KeyVault", Provider::KeyVault, &["vaults", "deletedVaults"]),
    ("Microsoft.ManagedIdentity", Provider::ManagedIdentity, &["userAssignedIdentities"]),
];

pub fn routes() -> Vec<Route> {
    let p = Provider::Resources;
    vec![
        Route::arm(Method::GET, "/subscriptions/{subscriptionId}/locations", p, list_locations),
        Route::arm(Method::GET, "/subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}", p, get_provider),
    ]
}

/// ARM accepts a location by name or display name, in any case and spacing.
fn normalize(location: &str) -> String {
    location.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

/// The region's name (`westeurope`) for a name or display name the emulator knows.
pub fn known(location: &str) -> Option<&'static str> {
    let wanted = normalize(location);
    REGIONS.iter().find(|(name, _, _)| *name == wanted).map(|(name, _, _)| *name)
}

fn display_list() -> String {
    REGIONS.iter().map(|(_, d, _)| d.to_ascii_lowercase()).collect::<Vec<_>>().join(",")
}

/// ARM's answer to a resource in a location the type is not offered in.
pub fn not_available(location: &str, resource_type: &str) -> ArmError {
    ArmError::bad_request(
        "LocationNotAvailableForResourceType",
        format!(
            "The provided location '{location}' is not available for resource type '{resource_type}'. List of available regions for the resource type is '{}'.",
            display_list()
        ),
    )
}

/// ARM's answer to a resource group in a location it does not know.
pub fn not_available_for_group(location: &str) -> ArmError {
    ArmError::bad_request(
        "LocationNotAvailableForResourceGroup",
        format!(
            "The provided location '{location}' is not available for resource group. List of available regions is '{}'.",
            display_list()
        ),
    )
}

fn location_json(sub: &str, (name, display, geography): &(&str, &str, &str)) -> Value {
    json!({
        "id": format!("/subscriptions/{sub}/locations/{name}"),
        "name": name,
        "type": "Region",
        "displayName": display,
        "regionalDisplayName": format!("({geography}) {display}"),
        "metadata": {"regionType": "Physical", "regionCategory": "Recommended", "geographyGroup": geography},
    })
}

/// The subscription's 404 (not `subscription::require_subscription`: that module uses this one).
fn require_subscription(state: &AppState, sub: &str) -> ArmResult<()> {
    state.world().subscription(sub).map(|_| ()).ok_or_else(|| ArmError::subscription_not_found(sub))
}

fn list_locations(state: &AppState, req: &Req) -> ArmResult<Response> {
    let sub = req.param("subscriptionId");
    require_subscription(state, sub)?;
    let items = REGIONS.iter().map(|r| location_json(sub, r)).collect();
    Ok(page(state, req, items))
}

fn get_provider(state: &AppState, req: &Req) -> ArmResult<Response> {
    let (sub, ns) = (req.param("subscriptionId"), req.param("resourceProviderNamespace"));
    require_subscription(state, sub)?;
    let Some((namespace, provider, types)) = PROVIDERS.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(ns)) else {
        return Err(ArmError::not_found("InvalidResourceNamespace", format!("The resource namespace '{ns}' is invalid.")));
    };
    let versions = api_versions::accepted(*provider);
    let locations: Vec<&str> = REGIONS.iter().map(|(_, d, _)| *d).collect();
    let mut resource_types: Vec<Value> =
        types.iter().map(|t| json!({"resourceType": t, "locations": locations, "apiVersions": versions, "capabilities": "None"})).collect();
    // Location-less types: what clients call before they create anything.
    let global =
        if *namespace == "Microsoft.ContainerRegistry" { &["checkNameAvailability", "operations"][..] } else { &["operations"][..] };
    resource_types.extend(global.iter().map(|t| json!({"resourceType": t, "locations": [], "apiVersions": versions})));
    Ok(json(
        StatusCode::OK,
        json!({
            "id": format!("/subscriptions/{sub}/providers/{namespace}"),
            "namespace": namespace,
            "registrationState": "Registered",
            "registrationPolicy": "RegistrationRequired",
            "resourceTypes": resource_types,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::known;

    #[test]
    fn locations_match_by_name_or_display_name() {
        assert_eq!(known("West Europe"), Some("westeurope"));
        assert_eq!(known("EASTUS2"), Some("eastus2"));
        assert_eq!(known("east us 2"), Some("eastus2"));
        assert_eq!(known("atlantis"), None);
    }
}
