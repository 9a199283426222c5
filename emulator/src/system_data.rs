//! ARM's `systemData` (who created and last changed a resource, and when) on
//! registries, vaults and user-assigned identities. The request pipeline
//! records it after each successful `PUT`/`PATCH` of one (from the caller's
//! token: a user's UPN or an application's id) and forgets it on `DELETE`; it
//! is added to those resources' bodies (single, list items and the generic
//! resource list) in api-versions that have it. Resources the scenario seeded
//! have none, like Azure resources older than the field.

use serde_json::Value;

use crate::api_versions::Provider;
use crate::auth::Claims;
use crate::world::{SystemData, World};

/// The resource id a request path names when it is one of the tracked resources
/// (`…/registries/{n}`, `…/vaults/{n}`, `…/userAssignedIdentities/{n}`), lower-cased.
pub fn tracked_id(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let tracked = [
        ("microsoft.containerregistry", "registries"),
        ("microsoft.keyvault", "vaults"),
        ("microsoft.managedidentity", "userassignedidentities"),
    ];
    let ok = segs.len() == 8
        && segs[0].eq_ignore_ascii_case("subscriptions")
        && segs[2].eq_ignore_ascii_case("resourcegroups")
        && segs[4].eq_ignore_ascii_case("providers")
        && tracked.iter().any(|(ns, t)| segs[5].eq_ignore_ascii_case(ns) && segs[6].eq_ignore_ascii_case(t));
    ok.then(|| format!("/{}", segs.join("/")).to_ascii_lowercase())
}

/// Records a create or change of `id` by the token's principal at `now` (RFC 3339).
pub fn record(world: &mut World, id: &str, claims: &Claims, now: &str) {
    let (by, by_type) = match (&claims.upn, &claims.appid) {
        (Some(upn), _) => (upn.clone(), "User"),
        (None, Some(app)) => (app.clone(), "Application"),
        (None, None) => (claims.oid.clone(), "Application"),
    };
    let entry = world.system_data.entry(id.to_string()).or_insert_with(|| SystemData {
        created_by: by.clone(),
        created_by_type: by_type.to_string(),
        created_at: now.to_string(),
        last_modified_by: String::new(),
        last_modified_by_type: String::new(),
        last_modified_at: String::new(),
    });
    entry.last_modified_by = by;
    entry.last_modified_by_type = by_type.to_string();
    entry.last_modified_at = now.to_string();
}

/// Forgets `id` (deleted).
pub fn forget(world: &mut World, id: &str) {
    world.system_data.remove(id);
}

/// Whether `api_version` of `provider` has `systemData` (the versions that introduced it and later;
/// for these three the first preview and the first stable version that have it come in that order
/// with no version in between lacking it, so one date serves both lines). Read in azure-rest-api-specs
/// (see `api_shapes` for the files): registries 2019-12-01-preview (its `Resource` has `systemData`;
/// 2019-05-01 has not; first stable 2021-09-01); vaults 2020-04-01-preview (2019-09-01 has not; first
/// stable 2021-10-01); user-assigned identities 2023-01-31 (common-types v4 `TrackedResource`; the
/// 2021-09-30-preview and 2022-01-31-preview definitions have no `systemData`; 2023-07-31-preview has it).
pub fn in_version(provider: Provider, api_version: &str) -> bool {
    let since = match provider {
        Provider::ContainerRegistry => "2019-12-01-preview",
        Provider::KeyVault => "2020-04-01-preview",
        Provider::ManagedIdentity => "2023-01-31",
        Provider::Resources => "2016-06-01",
        _ => return false,
    };
    api_version >= since
}

/// Adds `systemData` to a resource body, or to each item of a list body, where known.
pub fn annotate(world: &World, body: &mut Value) {
    let mut one = |v: &mut Value| {
        let id = v.get("id").and_then(Value::as_str).map(str::to_ascii_lowercase);
        if let (Some(id), Some(obj)) = (id, v.as_object_mut()) {
            if let Some(sd) = world.system_data.get(&id) {
                obj.insert("systemData".into(), serde_json::to_value(sd).unwrap_or(Value::Null));
            }
        }
    };
    match body.get_mut("value").and_then(Value::as_array_mut) {
        Some(items) => items.iter_mut().for_each(&mut one),
        None => one(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracked_ids() {
        assert_eq!(
            tracked_id("/subscriptions/S/resourceGroups/G/providers/Microsoft.ContainerRegistry/registries/R").as_deref(),
            Some("/subscriptions/s/resourcegroups/g/providers/microsoft.containerregistry/registries/r")
        );
        assert!(tracked_id("/subscriptions/S/resourceGroups/G/providers/Microsoft.KeyVault/vaults/V/accessPolicies/add").is_none());
        assert!(tracked_id("/subscriptions/S/resourceGroups/G").is_none());
        assert!(in_version(Provider::ContainerRegistry, "2025-11-01"));
        assert!(in_version(Provider::ContainerRegistry, "2019-12-01-preview"));
        assert!(!in_version(Provider::ContainerRegistry, "2019-05-01"));
        assert!(!in_version(Provider::KeyVault, "2019-09-01"));
        assert!(in_version(Provider::KeyVault, "2021-10-01"));
        assert!(!in_version(Provider::ManagedIdentity, "2022-01-31-preview"));
        assert!(in_version(Provider::ManagedIdentity, "2023-07-31-preview"));
    }
}
