//! Changing a registry's managed identities: the **minimal** PATCH of
//! `identity` (`type` with both kinds kept right, `userAssignedIdentities`
//! entries `{}` to add and `null` to remove, as ARM expects), and the refusals
//! the service would give: the identity that encrypts the registry stays.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::arm::{api_version, same_id, ResourceId};
use crate::identity::{IdentityKinds, IdentityProperties};
use crate::registry::Registry;
use crate::requests::Method;

use super::{az, PlannedWrite, Refusal};

pub const CODE_ENCRYPTING_IDENTITY: &str = "IdentityEncryptsRegistry";
pub const CODE_NOTHING_TO_DO: &str = "NothingToChange";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityChange {
    EnableSystem,
    DisableSystem,
    /// Attach the user-assigned identity with this resource id.
    AssignUser(String),
    /// Detach the user-assigned identity with this resource id.
    RemoveUser(String),
}

/// The body's `identity`: `userAssignedIdentities` values are `{}` (attach) or `null` (detach).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IdentityPatch {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_assigned_identities: Option<BTreeMap<String, Option<Map<String, Value>>>>,
}

#[derive(Serialize)]
struct Body {
    identity: IdentityPatch,
}

/// The client id the registry encrypts with (`system` or a user identity's client id), when CMK is on.
fn encrypting_client_id(registry: &Registry) -> Option<&str> {
    let enc = registry.properties.encryption.as_ref().filter(|e| e.is_enabled())?;
    enc.key_vault_properties.as_ref()?.identity.as_deref()
}

/// True when the registry encrypts with its system-assigned identity, named
/// `system` or by its client id (`system_client_id`, from `…/identities/default`).
pub fn encrypts_with_system(registry: &Registry, system_client_id: Option<&str>) -> bool {
    let Some(client) = encrypting_client_id(registry) else { return false };
    client.eq_ignore_ascii_case("system") || system_client_id.is_some_and(|s| s.eq_ignore_ascii_case(client))
}

/// The service's words when the encrypting identity would go (the seed's troubleshooting error).
fn service_reason(registry: &Registry, client_id: &str) -> String {
    format!(
        "Azure resource '{}' does not have access to identity '{client_id}' Try forcibly adding the identity to the registry {}. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.",
        registry.id, registry.name
    )
}

/// The PATCH for `change`, or why it is not sent.
pub fn change_identity(registry: &Registry, system_client_id: Option<&str>, change: &IdentityChange) -> Result<PlannedWrite, Refusal> {
    let current = registry.identity.clone().unwrap_or_default();
    let kinds = current.kinds();
    let users = user_ids(&current);
    let nothing = |what: String| Refusal { code: CODE_NOTHING_TO_DO, message: what };
    let group = ResourceId::parse(&registry.id).map(|r| r.resource_group).unwrap_or_default();
    let (patch, summary, az_verb, az_identity) = match change {
        IdentityChange::EnableSystem => {
            if kinds.system {
                return Err(nothing(format!("{} already has a system-assigned identity.", registry.name)));
            }
            let kind = IdentityKinds { system: true, user: kinds.user }.as_request_type();
            (
                IdentityPatch { kind, user_assigned_identities: None },
                format!("Turn on {}'s system-assigned identity.", registry.name),
                "assign",
                "[system]".to_string(),
            )
        }
        IdentityChange::DisableSystem => {
            if !kinds.system {
                return Err(nothing(format!("{} has no system-assigned identity.", registry.name)));
            }
            if encrypts_with_system(registry, system_client_id) {
                let client = encrypting_client_id(registry).unwrap_or("system");
                return Err(Refusal {
                    code: CODE_ENCRYPTING_IDENTITY,
                    message: format!(
                        "The system-assigned identity encrypts {}: without it the registry cannot reach its key. Rotate the key to a user-assigned identity first. The service refuses this change: {}",
                        registry.name,
                        service_reason(registry, client)
                    ),
                });
            }
            let kind = IdentityKinds { system: false, user: kinds.user }.as_request_type();
            (
                IdentityPatch { kind, user_assigned_identities: None },
                format!("Turn off {}'s system-assigned identity.", registry.name),
                "remove",
                "[system]".to_string(),
            )
        }
        IdentityChange::AssignUser(id) => {
            if users.iter().any(|u| same_id(u, id)) {
                return Err(nothing(format!("The identity '{}' is already attached to {}.", last_segment(id), registry.name)));
            }
            let kind = IdentityKinds { system: kinds.system, user: true }.as_request_type();
            let map = BTreeMap::from([(id.clone(), Some(Map::new()))]);
            (
                IdentityPatch { kind, user_assigned_identities: Some(map) },
                format!("Attach user-assigned identity '{}' to {}.", last_segment(id), registry.name),
                "assign",
                id.clone(),
            )
        }
        IdentityChange::RemoveUser(id) => {
            let Some(attached) = users.iter().find(|u| same_id(u, id)) else {
                return Err(nothing(format!("The identity '{}' is not attached to {}.", last_segment(id), registry.name)));
            };
            let client = current.user_assigned_identities.as_ref().and_then(|m| m.get(attached)).and_then(|p| p.client_id.clone());
            if let (Some(client), Some(encrypting)) = (client.as_deref(), encrypting_client_id(registry)) {
                if client.eq_ignore_ascii_case(encrypting) {
                    return Err(Refusal {
                        code: CODE_ENCRYPTING_IDENTITY,
                        message: format!(
                            "'{}' encrypts {}: rotate the key to another identity first, then remove it. The service refuses this change: {}",
                            last_segment(id),
                            registry.name,
                            service_reason(registry, encrypting)
                        ),
                    });
                }
            }
            let last = users.len() == 1;
            let patch = if last {
                // The last user identity goes with the kind: a null entry beside a type without UserAssigned is invalid.
                IdentityPatch {
                    kind: IdentityKinds { system: kinds.system, user: false }.as_request_type(),
                    user_assigned_identities: None,
                }
            } else {
                IdentityPatch {
                    kind: IdentityKinds { system: kinds.system, user: true }.as_request_type(),
                    user_assigned_identities: Some(BTreeMap::from([(attached.clone(), None)])),
                }
            };
            (patch, format!("Detach user-assigned identity '{}' from {}.", last_segment(id), registry.name), "remove", attached.clone())
        }
    };
    let body = serde_json::to_value(Body { identity: patch }).unwrap_or_default();
    let path = format!("{}?api-version={}", registry.id, api_version::CONTAINER_REGISTRY);
    let command = if matches!(change, IdentityChange::AssignUser(_)) && !kinds.system {
        // `az acr identity assign --identities <user id>` on a registry without a system identity
        // turns one on too: it compares the service's `userAssigned` with `UserAssigned` case-sensitively
        // (Azure/azure-cli#24687). The same PATCH through `az rest` does only what the console does.
        az(&["rest", "--method", "patch", "--url", &path, "--body", &body.to_string()])
    } else {
        az(&["acr", "identity", az_verb, "-n", &registry.name, "-g", &group, "--identities", &az_identity])
    };
    let mut write = PlannedWrite::new(summary, Method::Patch, path, Some(body), command);
    write.long_running = true;
    Ok(write)
}

/// What a change does beyond the PATCH, for the warning before a removal
/// (`None` for additions, which take nothing away).
pub fn consequences(registry: &Registry, change: &IdentityChange) -> Option<String> {
    match change {
        IdentityChange::EnableSystem | IdentityChange::AssignUser(_) => None,
        IdentityChange::DisableSystem => {
            let principal = registry.identity.as_ref().and_then(|i| i.principal_id.clone());
            Some(format!(
                "Turning it off deletes the system-assigned identity{}: the access policies and role assignments granted to it stop working (they stay behind, orphaned), and turning it on again creates a new principal that needs new grants. Only {} is affected.",
                principal.map(|p| format!(" (principal {p})")).unwrap_or_default(),
                registry.name
            ))
        }
        IdentityChange::RemoveUser(id) => Some(format!(
            "{} can no longer act as '{}' (for example to reach a key in a vault). The identity itself and its grants stay; other resources that use it are not affected.",
            registry.name,
            last_segment(id)
        )),
    }
}

fn user_ids(identity: &IdentityProperties) -> Vec<String> {
    if !identity.kinds().user {
        return Vec::new();
    }
    identity.user_assigned_identities.as_ref().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

fn last_segment(id: &str) -> &str {
    id.trim_end_matches('/').rsplit('/').next().unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const REG: &str = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/reg1";
    const ID1: &str = "/subscriptions/s/resourcegroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-1";
    const ID2: &str = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-2";

    fn registry(identity: Value, encrypting: Option<&str>) -> Registry {
        let encryption = match encrypting {
            Some(c) => {
                json!({"status": "enabled", "keyVaultProperties": {"keyIdentifier": "https://v.vault.azure.net/keys/k", "identity": c}})
            }
            None => json!({"status": "disabled"}),
        };
        serde_json::from_value(json!({"id": REG, "name": "reg1", "sku": {"name": "Premium"}, "identity": identity,
            "properties": {"encryption": encryption}}))
        .unwrap()
    }

    fn one_user() -> Value {
        json!({"type": "userAssigned", "userAssignedIdentities": {ID1: {"clientId": "c-1", "principalId": "p-1"}}})
    }

    #[test]
    fn enabling_the_system_identity_keeps_the_user_kind() {
        let w = change_identity(&registry(one_user(), Some("c-1")), None, &IdentityChange::EnableSystem).unwrap();
        assert_eq!(w.request.method, Method::Patch);
        assert_eq!(w.request.path, format!("{REG}?api-version=2025-04-01"));
        assert_eq!(w.request.body, Some(json!({"identity": {"type": "SystemAssigned, UserAssigned"}})));
        assert_eq!(w.az, "az acr identity assign -n reg1 -g g --identities '[system]'");
        assert!(w.long_running);
    }

    #[test]
    fn disabling_the_system_identity_keeps_users_or_goes_to_none() {
        let both = json!({"type": "systemAssigned, userAssigned", "principalId": "sp",
            "userAssignedIdentities": {ID1: {"clientId": "c-1", "principalId": "p-1"}}});
        let w = change_identity(&registry(both, Some("c-1")), Some("sc"), &IdentityChange::DisableSystem).unwrap();
        assert_eq!(w.request.body, Some(json!({"identity": {"type": "UserAssigned"}})));
        assert_eq!(w.az, "az acr identity remove -n reg1 -g g --identities '[system]'");
        let only = json!({"type": "SystemAssigned", "principalId": "sp"});
        let w = change_identity(&registry(only, None), None, &IdentityChange::DisableSystem).unwrap();
        assert_eq!(w.request.body, Some(json!({"identity": {"type": "None"}})));
    }

    #[test]
    fn the_encrypting_system_identity_cannot_be_turned_off() {
        let both = json!({"type": "systemAssigned, userAssigned", "principalId": "sp",
            "userAssignedIdentities": {ID1: {"clientId": "c-1", "principalId": "p-1"}}});
        let by_word = change_identity(&registry(both.clone(), Some("system")), None, &IdentityChange::DisableSystem).unwrap_err();
        assert_eq!(by_word.code, CODE_ENCRYPTING_IDENTITY);
        assert!(by_word.message.contains("encrypts reg1"), "{}", by_word.message);
        // ACR may report the system identity by its client id.
        let by_client = change_identity(&registry(both, Some("SC-9")), Some("sc-9"), &IdentityChange::DisableSystem).unwrap_err();
        assert_eq!(by_client.code, CODE_ENCRYPTING_IDENTITY);
    }

    #[test]
    fn assigning_a_user_identity_sends_an_empty_object_and_keeps_system() {
        let sys = json!({"type": "SystemAssigned", "principalId": "sp"});
        let w = change_identity(&registry(sys, None), None, &IdentityChange::AssignUser(ID2.into())).unwrap();
        assert_eq!(
            w.request.body,
            Some(json!({"identity": {"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": {ID2: {}}}}))
        );
        assert_eq!(w.az, format!("az acr identity assign -n reg1 -g g --identities {ID2}"));
        // Without a system identity, `az acr identity assign` would turn one on (Azure/azure-cli#24687): `az rest` instead.
        let user_only = change_identity(&registry(one_user(), None), None, &IdentityChange::AssignUser(ID2.into())).unwrap();
        assert_eq!(
            user_only.az,
            format!("az rest --method patch --url '{}?api-version=2025-04-01' --body '{}'", REG, user_only.request.body.as_ref().unwrap())
        );
        assert!(!user_only.az.contains("SystemAssigned"), "{}", user_only.az);
        let again = change_identity(&registry(one_user(), None), None, &IdentityChange::AssignUser(ID1.to_uppercase())).unwrap_err();
        assert_eq!(again.code, CODE_NOTHING_TO_DO);
    }

    #[test]
    fn removing_one_of_two_user_identities_sends_null() {
        let two = json!({"type": "userAssigned", "userAssignedIdentities": {
            ID1: {"clientId": "c-1", "principalId": "p-1"}, ID2: {"clientId": "c-2", "principalId": "p-2"}}});
        let w = change_identity(&registry(two, Some("c-1")), None, &IdentityChange::RemoveUser(ID2.into())).unwrap();
        assert_eq!(w.request.body, Some(json!({"identity": {"type": "UserAssigned", "userAssignedIdentities": {ID2: null}}})));
        assert_eq!(w.az, format!("az acr identity remove -n reg1 -g g --identities {ID2}"));
    }

    #[test]
    fn removing_the_last_user_identity_changes_the_type_instead() {
        let both = json!({"type": "systemAssigned, userAssigned", "principalId": "sp",
            "userAssignedIdentities": {ID1: {"clientId": "c-1", "principalId": "p-1"}}});
        let w = change_identity(&registry(both, Some("system")), None, &IdentityChange::RemoveUser(ID1.into())).unwrap();
        assert_eq!(w.request.body, Some(json!({"identity": {"type": "SystemAssigned"}})));
    }

    #[test]
    fn the_encrypting_user_identity_cannot_be_removed_and_the_service_reason_is_given() {
        let r = change_identity(&registry(one_user(), Some("C-1")), None, &IdentityChange::RemoveUser(ID1.into())).unwrap_err();
        assert_eq!(r.code, CODE_ENCRYPTING_IDENTITY);
        assert!(r.message.contains(&format!("Azure resource '{REG}' does not have access to identity 'C-1'")), "{}", r.message);
        assert!(r.message.contains("Try forcibly adding the identity to the registry reg1"));
        let missing = change_identity(&registry(one_user(), None), None, &IdentityChange::RemoveUser(ID2.into())).unwrap_err();
        assert_eq!(missing.code, CODE_NOTHING_TO_DO);
    }

    #[test]
    fn removals_say_what_goes_with_them_and_additions_say_nothing() {
        let both = json!({"type": "systemAssigned, userAssigned", "principalId": "sp-9",
            "userAssignedIdentities": {ID1: {"clientId": "c-1", "principalId": "p-1"}}});
        let r = registry(both, None);
        let off = consequences(&r, &IdentityChange::DisableSystem).unwrap();
        assert!(off.contains("principal sp-9") && off.contains("new principal"), "{off}");
        let detach = consequences(&r, &IdentityChange::RemoveUser(ID1.into())).unwrap();
        assert!(detach.contains("'id-1'") && detach.contains("stay"), "{detach}");
        assert_eq!(consequences(&r, &IdentityChange::EnableSystem), None);
        assert_eq!(consequences(&r, &IdentityChange::AssignUser(ID2.into())), None);
    }
}
