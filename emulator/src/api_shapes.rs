//! The shape each api-version defines for the resource types the emulator
//! serves (registries, vaults, user-assigned identities), in ONE table: the
//! first version of each property whose presence differs between versions.
//!
//! The emulator keeps one model per resource (today's, the newest shape). A
//! response in an older version leaves out what that version does not define,
//! as the resource provider's older API does; a `PUT`/`PATCH` body field the
//! version does not define is ignored (dropped before the handler sees it): an
//! older API deserialises the body into its own model, where such a field has
//! no slot, and ARM does not reject unknown fields. `systemData` follows the
//! same idea in `system_data` (it is added, not removed, so it lives there).
//!
//! Previews and stable versions are separate lines (a preview often carries a
//! property years before a stable version does, and a later stable version can
//! lack what an earlier preview had), so each property has a first preview and
//! a first stable version. Only the versions listed in `Shape::read` were read;
//! any other accepted version is answered in the full shape, never guessed.
//!
//! Sources, in `Azure/azure-rest-api-specs`:
//! - registries: `specification/containerregistry/resource-manager/Microsoft.ContainerRegistry/`
//!   `{stable,preview}/<version>/containerregistry.json` (`Registry`, `RegistryProperties`,
//!   `Policies`). Read in the spec files: 2017-06-01-preview, 2019-05-01, 2019-12-01-preview
//!   (`Resource`), 2024-11-01-preview, 2025-03-01-preview, 2025-04-01; the other listed
//!   versions through the models generated from those files
//!   (azure-mgmt-containerregistry 10.3.0 for 2017-03-01 … 2023-11-01-preview, 15.x for
//!   2025-11-01, the azure-cli 2.91 package for 2026-09-01-preview). 2025-04-01's schema
//!   omits `anonymousPullEnabled` and `policies.azureADAuthenticationAsArmPolicy`, but its
//!   examples (`RegistryGet.json`, `RegistryList.json`) answer them and 2023-07-01's examples
//!   do not, so 2025-04-01 is their first stable version.
//! - vaults: `specification/keyvault/resource-manager/Microsoft.KeyVault/{stable,preview}/<version>/keyvault.json`
//!   (`VaultProperties`). Read in the spec files: 2015-06-01, 2018-02-14-preview, 2025-05-01; the others through
//!   azure-mgmt-keyvault 10.3.1 (2016-10-01 … 2023-07-01) and 14.x (2026-05-15), and the
//!   azure-cli 2.91 package (2026-02-01).
//! - user-assigned identities: `specification/msi/resource-manager/Microsoft.ManagedIdentity/`
//!   `ManagedIdentity/{stable,preview}/<version>/ManagedIdentity.json` (`UserAssignedIdentityProperties`):
//!   read in the spec files for 2015-08-31-preview, 2023-01-31 and 2023-07-31-preview; the models of the azure-cli
//!   2.91 package's azure-mgmt-msi for 2018-11-30, 2021-09-30-preview, 2022-01-31-preview and
//!   2024-11-30; the 2025-01-31-preview example `IdentityGet.json` (which answers it).

use serde_json::Value;

use crate::api_versions::Provider;

/// A property and the first versions that define it (`None`: no such version among those read).
pub struct Introduced {
    /// The property's path in the resource body, e.g. `["properties", "zoneRedundancy"]`.
    pub path: &'static [&'static str],
    pub preview: Option<&'static str>,
    pub stable: Option<&'static str>,
}

/// The version-dependent part of one resource type's shape.
pub struct Shape {
    pub provider: Provider,
    pub resource_type: &'static str,
    /// The versions whose definitions were read (the table is exact for these).
    pub read: &'static [&'static str],
    pub fields: &'static [Introduced],
}

const fn f(path: &'static [&'static str], preview: Option<&'static str>, stable: Option<&'static str>) -> Introduced {
    Introduced { path, preview, stable }
}

const P2019: Option<&str> = Some("2019-12-01-preview");
const S2021: Option<&str> = Some("2021-09-01");

pub const SHAPES: &[Shape] = &[
    Shape {
        provider: Provider::ContainerRegistry,
        resource_type: "Microsoft.ContainerRegistry/registries",
        read: &[
            "2017-03-01",
            "2017-06-01-preview",
            "2017-10-01",
            "2019-05-01",
            "2019-12-01-preview",
            "2020-11-01-preview",
            "2021-06-01-preview",
            "2021-08-01-preview",
            "2021-09-01",
            "2021-12-01-preview",
            "2022-02-01-preview",
            "2022-12-01",
            "2023-01-01-preview",
            "2023-06-01-preview",
            "2023-07-01",
            "2023-08-01-preview",
            "2023-11-01-preview",
            "2024-11-01-preview",
            "2025-03-01-preview",
            "2025-04-01",
            "2025-11-01",
            "2026-09-01-preview",
        ],
        fields: &[
            f(&["identity"], P2019, S2021),
            f(&["properties", "status"], P2019, Some("2017-10-01")),
            f(&["properties", "networkRuleSet"], P2019, Some("2017-10-01")),
            f(&["properties", "policies"], P2019, Some("2019-05-01")),
            f(&["properties", "policies", "exportPolicy"], Some("2021-06-01-preview"), S2021),
            f(&["properties", "policies", "azureADAuthenticationAsArmPolicy"], Some("2022-02-01-preview"), Some("2025-04-01")),
            f(&["properties", "policies", "softDeletePolicy"], Some("2022-02-01-preview"), None),
            f(&["properties", "encryption"], P2019, S2021),
            f(&["properties", "dataEndpointEnabled"], P2019, S2021),
            f(&["properties", "dataEndpointHostNames"], P2019, S2021),
            f(&["properties", "privateEndpointConnections"], P2019, S2021),
            f(&["properties", "publicNetworkAccess"], P2019, S2021),
            f(&["properties", "networkRuleBypassOptions"], P2019, S2021),
            f(&["properties", "zoneRedundancy"], Some("2020-11-01-preview"), S2021),
            f(&["properties", "anonymousPullEnabled"], Some("2020-11-01-preview"), Some("2025-04-01")),
            f(&["properties", "metadataSearch"], Some("2023-11-01-preview"), None),
            f(&["properties", "roleAssignmentMode"], Some("2024-11-01-preview"), Some("2025-11-01")),
            f(&["properties", "autoGeneratedDomainNameLabelScope"], Some("2024-11-01-preview"), None),
            // First among the previews read: 2025-03-01-preview lacks it, 2026-09-01-preview has it.
            f(&["properties", "networkRuleBypassAllowedForTasks"], Some("2026-09-01-preview"), Some("2025-11-01")),
        ],
    },
    Shape {
        provider: Provider::KeyVault,
        resource_type: "Microsoft.KeyVault/vaults",
        read: &[
            "2015-06-01",
            "2016-10-01",
            "2018-02-14",
            "2018-02-14-preview",
            "2019-09-01",
            "2020-04-01-preview",
            "2021-04-01-preview",
            "2021-06-01-preview",
            "2021-10-01",
            "2022-07-01",
            "2023-02-01",
            "2023-07-01",
            "2025-05-01",
            "2026-02-01",
            "2026-05-15",
        ],
        fields: &[
            f(&["properties", "enablePurgeProtection"], Some("2018-02-14-preview"), Some("2016-10-01")),
            f(&["properties", "createMode"], Some("2018-02-14-preview"), Some("2016-10-01")),
            f(&["properties", "networkAcls"], Some("2018-02-14-preview"), Some("2018-02-14")),
            // 2018-02-14-preview lacks it although 2018-02-14 has it.
            f(&["properties", "privateEndpointConnections"], Some("2020-04-01-preview"), Some("2018-02-14")),
            // 2020-04-01-preview lacks it although 2019-09-01 has it.
            f(&["properties", "hsmPoolResourceId"], Some("2021-04-01-preview"), Some("2019-09-01")),
            f(&["properties", "softDeleteRetentionInDays"], Some("2020-04-01-preview"), Some("2019-09-01")),
            f(&["properties", "enableRbacAuthorization"], Some("2020-04-01-preview"), Some("2019-09-01")),
            f(&["properties", "provisioningState"], Some("2020-04-01-preview"), Some("2019-09-01")),
            f(&["properties", "publicNetworkAccess"], Some("2021-06-01-preview"), Some("2021-10-01")),
        ],
    },
    Shape {
        provider: Provider::ManagedIdentity,
        resource_type: "Microsoft.ManagedIdentity/userAssignedIdentities",
        read: &[
            "2015-08-31-preview",
            "2018-11-30",
            "2021-09-30-preview",
            "2022-01-31-preview",
            "2023-01-31",
            "2023-07-31-preview",
            "2024-11-30",
            "2025-01-31-preview",
        ],
        fields: &[f(&["properties", "isolationScope"], Some("2025-01-31-preview"), Some("2024-11-30"))],
    },
];

fn is_preview(version: &str) -> bool {
    version.to_ascii_lowercase().contains("-preview")
}

impl Introduced {
    /// Whether `version` defines this property (by the first-version rule alone).
    pub fn in_version(&self, version: &str) -> bool {
        let v = version.to_ascii_lowercase();
        let first = if is_preview(&v) { self.preview } else { self.stable };
        first.is_some_and(|first| v.as_str() >= first)
    }
}

impl Shape {
    /// The properties `version` lacks (none for a version that was not read).
    pub fn missing_in(&self, version: &str) -> impl Iterator<Item = &'static [&'static str]> + '_ {
        let read = self.read.iter().any(|r| r.eq_ignore_ascii_case(version));
        let version = version.to_string();
        self.fields.iter().filter(move |f| read && !f.in_version(&version)).map(|f| f.path)
    }

    /// Removes from one resource body what `version` does not define.
    pub fn trim(&self, version: &str, resource: &mut Value) {
        for path in self.missing_in(version) {
            remove_path(resource, path);
        }
    }
}

fn remove_path(value: &mut Value, path: &[&str]) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut cur = value;
    for p in parents {
        match cur.get_mut(*p) {
            Some(next) => cur = next,
            None => return,
        }
    }
    if let Some(obj) = cur.as_object_mut() {
        obj.remove(*last);
    }
}

/// The shape a route's provider serves for resources of `resource_type`.
fn shape(provider: Provider, resource_type: &str) -> Option<&'static Shape> {
    SHAPES.iter().find(|s| s.provider == provider && s.resource_type.eq_ignore_ascii_case(resource_type))
}

/// Whether answers of `provider` at `version` can need trimming (saves parsing the body otherwise).
pub fn may_trim(provider: Provider, version: &str) -> bool {
    SHAPES.iter().any(|s| s.provider == provider && s.missing_in(version).next().is_some())
}

/// Trims a response body (one resource, or each item of a list page) to what
/// `version` defines, for resources whose `type` is served by `provider`.
pub fn trim_response(provider: Provider, version: &str, body: &mut Value) {
    let mut one = |item: &mut Value| {
        let ty = item.get("type").and_then(Value::as_str).unwrap_or("").to_string();
        if let Some(s) = shape(provider, &ty) {
            s.trim(version, item);
        }
    };
    match body.get_mut("value").and_then(Value::as_array_mut) {
        Some(items) => items.iter_mut().for_each(&mut one),
        None => one(body),
    }
}

/// The shape of the resource a write path names (`…/providers/{ns}/{type}/{name}`), if served here.
pub fn for_path(provider: Provider, path: &str) -> Option<&'static Shape> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    if segs.len() != 8 || !segs[4].eq_ignore_ascii_case("providers") {
        return None;
    }
    shape(provider, &format!("{}/{}", segs[5], segs[6]))
}

/// A `PUT`/`PATCH` body with the fields `version` does not define dropped, or
/// `None` when nothing changes (including a body that is not a JSON object:
/// the handler reports that as it does today).
pub fn trim_request(provider: Provider, path: &str, version: &str, body: &[u8]) -> Option<Vec<u8>> {
    let shape = for_path(provider, path)?;
    shape.missing_in(version).next()?;
    let mut value: Value = serde_json::from_slice(body).ok()?;
    if !value.is_object() {
        return None;
    }
    let before = value.clone();
    shape.trim(version, &mut value);
    (value != before).then(|| serde_json::to_vec(&value).unwrap_or_else(|_| body.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn registry() -> &'static Shape {
        &SHAPES[0]
    }

    #[test]
    fn previews_and_stables_are_separate_lines() {
        let anon = registry().fields.iter().find(|f| f.path.ends_with(&["anonymousPullEnabled"])).unwrap();
        assert!(anon.in_version("2020-11-01-preview"));
        assert!(!anon.in_version("2023-07-01"));
        assert!(anon.in_version("2025-04-01"));
        assert!(!anon.in_version("2019-12-01-preview"));
    }

    #[test]
    fn old_version_loses_what_it_lacks_and_unread_versions_keep_everything() {
        let full = json!({"type": "Microsoft.ContainerRegistry/registries", "identity": {"type": "UserAssigned"},
            "properties": {"loginServer": "r.azurecr.io", "encryption": {"status": "enabled"}, "zoneRedundancy": "Disabled",
                "policies": {"trustPolicy": {}, "exportPolicy": {"status": "enabled"}}}});
        let mut old = full.clone();
        trim_response(Provider::ContainerRegistry, "2019-05-01", &mut old);
        assert!(old.get("identity").is_none());
        assert!(old["properties"].get("encryption").is_none());
        assert_eq!(old["properties"]["policies"], json!({"trustPolicy": {}}));
        assert_eq!(old["properties"]["loginServer"], "r.azurecr.io");
        let mut unread = full.clone();
        trim_response(Provider::ContainerRegistry, "2025-06-01-preview", &mut unread);
        assert_eq!(unread, full);
        // The generic resource list (another provider's route) is never trimmed.
        let mut generic = full.clone();
        trim_response(Provider::Resources, "2019-05-01", &mut generic);
        assert_eq!(generic, full);
    }

    #[test]
    fn request_bodies_drop_undefined_fields() {
        let path = "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v";
        let body = br#"{"location":"x","properties":{"tenantId":"t","enableRbacAuthorization":true,"enablePurgeProtection":true}}"#;
        let out: Value = serde_json::from_slice(&trim_request(Provider::KeyVault, path, "2016-10-01", body).unwrap()).unwrap();
        assert_eq!(out["properties"], json!({"tenantId": "t", "enablePurgeProtection": true}));
        assert!(trim_request(Provider::KeyVault, path, "2023-07-01", body).is_none());
        assert!(trim_request(Provider::KeyVault, path, "2016-10-01", b"not json").is_none());
    }
}
