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
use crate::text::Sentence;

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
    let nothing = |what: Sentence| Refusal::new(CODE_NOTHING_TO_DO, what);
    let on_registry = |text| Sentence::new(text).with("registry", registry.name.as_str());
    let with_identity = |text, id: &str| on_registry(text).with("identity", last_segment(id));
    let group = ResourceId::parse(&registry.id).map(|r| r.resource_group).unwrap_or_default();
    let (patch, summary, az_verb, az_identity) = match change {
        IdentityChange::EnableSystem => {
            if kinds.system {
                return Err(nothing(on_registry(words::ALREADY_SYSTEM)));
            }
            let kind = IdentityKinds { system: true, user: kinds.user }.as_request_type();
            (IdentityPatch { kind, user_assigned_identities: None }, on_registry(words::TURN_ON_SYSTEM), "assign", "[system]".to_string())
        }
        IdentityChange::DisableSystem => {
            if !kinds.system {
                return Err(nothing(on_registry(words::NO_SYSTEM)));
            }
            if encrypts_with_system(registry, system_client_id) {
                let client = encrypting_client_id(registry).unwrap_or("system");
                return Err(Refusal::new(
                    CODE_ENCRYPTING_IDENTITY,
                    on_registry(words::SYSTEM_ENCRYPTS).with("service", service_reason(registry, client)),
                ));
            }
            let kind = IdentityKinds { system: false, user: kinds.user }.as_request_type();
            (IdentityPatch { kind, user_assigned_identities: None }, on_registry(words::TURN_OFF_SYSTEM), "remove", "[system]".to_string())
        }
        IdentityChange::AssignUser(id) => {
            if users.iter().any(|u| same_id(u, id)) {
                return Err(nothing(with_identity(words::ALREADY_ATTACHED, id)));
            }
            let kind = IdentityKinds { system: kinds.system, user: true }.as_request_type();
            let map = BTreeMap::from([(id.clone(), Some(Map::new()))]);
            (IdentityPatch { kind, user_assigned_identities: Some(map) }, with_identity(words::ATTACH_USER, id), "assign", id.clone())
        }
        IdentityChange::RemoveUser(id) => {
            let Some(attached) = users.iter().find(|u| same_id(u, id)) else {
                return Err(nothing(with_identity(words::NOT_ATTACHED, id)));
            };
            let client = current.user_assigned_identities.as_ref().and_then(|m| m.get(attached)).and_then(|p| p.client_id.clone());
            if let (Some(client), Some(encrypting)) = (client.as_deref(), encrypting_client_id(registry)) {
                if client.eq_ignore_ascii_case(encrypting) {
                    return Err(Refusal::new(
                        CODE_ENCRYPTING_IDENTITY,
                        with_identity(words::USER_ENCRYPTS, id).with("service", service_reason(registry, encrypting)),
                    ));
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
            (patch, with_identity(words::DETACH_USER, id), "remove", attached.clone())
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
pub fn consequences(registry: &Registry, change: &IdentityChange) -> Option<Sentence> {
    match change {
        IdentityChange::EnableSystem | IdentityChange::AssignUser(_) => None,
        IdentityChange::DisableSystem => {
            let principal = registry.identity.as_ref().and_then(|i| i.principal_id.clone());
            Some(
                Sentence::new(words::SYSTEM_OFF_CONSEQUENCES)
                    .with_words("principal", principal.map_or(Sentence::empty(), |p| Sentence::new(words::PRINCIPAL).with("principal", p)))
                    .with("registry", registry.name.as_str()),
            )
        }
        IdentityChange::RemoveUser(id) => Some(
            Sentence::new(words::USER_REMOVED_CONSEQUENCES).with("registry", registry.name.as_str()).with("identity", last_segment(id)),
        ),
    }
}

/// The identity changes' sentences, in both languages. Names and ids stay verbatim; so
/// does `{service}`, the service's own (English) refusal.
pub mod words {
    crate::catalogue! {
        TURN_ON_SYSTEM: "Turn on {registry}'s system-assigned identity." => "{registry}의 시스템 할당 ID를 켭니다.";
        TURN_OFF_SYSTEM: "Turn off {registry}'s system-assigned identity." => "{registry}의 시스템 할당 ID를 끕니다.";
        /// `{identity}` is the user-assigned identity's name.
        ATTACH_USER: "Attach user-assigned identity '{identity}' to {registry}." => "사용자 할당 ID '{identity}'을(를) {registry}에 연결합니다.";
        DETACH_USER: "Detach user-assigned identity '{identity}' from {registry}." => "사용자 할당 ID '{identity}'을(를) {registry}에서 분리합니다.";
        ALREADY_SYSTEM: "{registry} already has a system-assigned identity." => "{registry}에 이미 시스템 할당 ID가 있습니다.";
        NO_SYSTEM: "{registry} has no system-assigned identity." => "{registry}에 시스템 할당 ID가 없습니다.";
        ALREADY_ATTACHED: "The identity '{identity}' is already attached to {registry}." => "ID '{identity}'은(는) 이미 {registry}에 연결되어 있습니다.";
        NOT_ATTACHED: "The identity '{identity}' is not attached to {registry}." => "ID '{identity}'은(는) {registry}에 연결되어 있지 않습니다.";
        /// `{service}` is the service's refusal, verbatim.
        SYSTEM_ENCRYPTS: "The system-assigned identity encrypts {registry}: without it the registry cannot reach its key. Rotate the key to a user-assigned identity first. The service refuses this change: {service}"
            => "시스템 할당 ID가 {registry}을(를) 암호화합니다. 이 ID가 없으면 레지스트리가 키에 접근할 수 없습니다. 먼저 키를 사용자 할당 ID로 회전하세요. 서비스는 이 변경을 거부합니다: {service}";
        USER_ENCRYPTS: "'{identity}' encrypts {registry}: rotate the key to another identity first, then remove it. The service refuses this change: {service}"
            => "'{identity}'이(가) {registry}을(를) 암호화합니다. 먼저 키를 다른 ID로 회전한 다음 제거하세요. 서비스는 이 변경을 거부합니다: {service}";
        /// `{principal}` is [`PRINCIPAL`] or nothing.
        SYSTEM_OFF_CONSEQUENCES: "Turning it off deletes the system-assigned identity{principal}: the access policies and role assignments granted to it stop working (they stay behind, orphaned), and turning it on again creates a new principal that needs new grants. Only {registry} is affected."
            => "끄면 시스템 할당 ID{principal}이(가) 삭제됩니다. 이 ID에 부여된 액세스 정책과 역할 할당은 더 이상 작동하지 않으며(분리된 채로 남음), 다시 켜면 새 권한 부여가 필요한 새 보안 주체가 만들어집니다. {registry}만 영향을 받습니다.";
        PRINCIPAL: " (principal {principal})" => "(보안 주체 {principal})";
        USER_REMOVED_CONSEQUENCES: "{registry} can no longer act as '{identity}' (for example to reach a key in a vault). The identity itself and its grants stay; other resources that use it are not affected."
            => "{registry}은(는) 더 이상 '{identity}'(으)로 작동할 수 없습니다(예: 키 자격 증명 모음의 키에 접근). ID 자체와 그 권한 부여는 그대로 남으며, 이 ID를 사용하는 다른 리소스는 영향을 받지 않습니다.";
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
        assert!(by_word.message.to_string().contains("encrypts reg1"), "{}", by_word.message);
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
        assert!(r.message.to_string().contains(&format!("Azure resource '{REG}' does not have access to identity 'C-1'")), "{}", r.message);
        assert!(r.message.to_string().contains("Try forcibly adding the identity to the registry reg1"));
        let missing = change_identity(&registry(one_user(), None), None, &IdentityChange::RemoveUser(ID2.into())).unwrap_err();
        assert_eq!(missing.code, CODE_NOTHING_TO_DO);
    }

    #[test]
    fn removals_say_what_goes_with_them_and_additions_say_nothing() {
        let both = json!({"type": "systemAssigned, userAssigned", "principalId": "sp-9",
            "userAssignedIdentities": {ID1: {"clientId": "c-1", "principalId": "p-1"}}});
        let r = registry(both, None);
        let off = consequences(&r, &IdentityChange::DisableSystem).unwrap().to_string();
        assert!(off.contains("system-assigned identity (principal sp-9):") && off.contains("new principal"), "{off}");
        let off_ko = consequences(&r, &IdentityChange::DisableSystem).unwrap().get(crate::text::Lang::Ko);
        assert!(off_ko.starts_with("끄면 시스템 할당 ID(보안 주체 sp-9)이(가) 삭제됩니다.") && off_ko.contains("reg1만"), "{off_ko}");
        let detach = consequences(&r, &IdentityChange::RemoveUser(ID1.into())).unwrap().to_string();
        assert!(detach.contains("'id-1'") && detach.contains("stay"), "{detach}");
        assert_eq!(consequences(&r, &IdentityChange::EnableSystem), None);
        assert_eq!(consequences(&r, &IdentityChange::AssignUser(ID2.into())), None);
    }
}
