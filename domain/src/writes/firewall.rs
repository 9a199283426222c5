//! The seed's advanced scenario as a typed sequence: when the vault's firewall
//! blocks the registry, turn on the system identity → grant it access to the
//! key → let trusted services bypass the firewall → rotate to the same key with
//! the system identity. Each step is planned from fresh reads when its turn
//! comes; a step already in place is skipped, with the reason.

use crate::key_id::KeyId;
use crate::registry::Registry;
use crate::text::{Sentence, Text};

use super::access_grant::{allow_trusted_services, grant_access};
use super::identity_change::{change_identity, IdentityChange};
use super::key_access::KeyAccess;
use super::rotation::{rotate_key, KeyIdentity};
use super::step::WriteStep;
use super::Refusal;

pub const CODE_NOT_READY: &str = "StepNotReady";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FirewallStep {
    EnableSystemIdentity,
    GrantSystemIdentity,
    AllowTrustedServices,
    RotateToSystemIdentity,
}

/// A step's plan: the write to run, or why it is already done.
#[derive(Clone, Debug, PartialEq)]
pub enum StepPlan {
    Run(WriteStep),
    AlreadyDone(Sentence),
}

impl FirewallStep {
    pub const ALL: [FirewallStep; 4] = [
        FirewallStep::EnableSystemIdentity,
        FirewallStep::GrantSystemIdentity,
        FirewallStep::AllowTrustedServices,
        FirewallStep::RotateToSystemIdentity,
    ];

    /// The step's title (English, for reports).
    pub fn title(self) -> &'static str {
        self.label().en
    }

    /// The step's title, in either language.
    pub fn label(self) -> Text {
        match self {
            FirewallStep::EnableSystemIdentity => words::TITLE_SYSTEM_IDENTITY,
            FirewallStep::GrantSystemIdentity => words::TITLE_GRANT,
            FirewallStep::AllowTrustedServices => words::TITLE_TRUSTED_SERVICES,
            FirewallStep::RotateToSystemIdentity => words::TITLE_ROTATE,
        }
    }

    /// 1-based, as the dialog numbers it.
    pub fn number(self) -> usize {
        FirewallStep::ALL.iter().position(|s| *s == self).map_or(0, |i| i + 1)
    }

    pub fn next(self) -> Option<FirewallStep> {
        FirewallStep::ALL.get(self.number()).copied()
    }

    /// Whether planning needs the key's vault and the system identity's access to it
    /// (read fresh by the caller), besides the registry.
    pub fn reads_vault(self) -> bool {
        matches!(self, FirewallStep::GrantSystemIdentity | FirewallStep::AllowTrustedServices)
    }

    /// Plans this step from the registry as it is now and, for the vault steps,
    /// the system identity's access to the key's vault (`access`).
    pub fn plan(self, registry: &Registry, access: Option<&KeyAccess>, new_assignment_name: &str) -> Result<StepPlan, Refusal> {
        let kinds = registry.identity.as_ref().map(|i| i.kinds()).unwrap_or_default();
        let not_ready = |why: Text| Refusal::new(CODE_NOT_READY, why);
        match self {
            FirewallStep::EnableSystemIdentity if kinds.system => Ok(StepPlan::AlreadyDone(words::SYSTEM_ALREADY_ON.into())),
            FirewallStep::EnableSystemIdentity => {
                let write = change_identity(registry, None, &IdentityChange::EnableSystem)?;
                Ok(StepPlan::Run(WriteStep::registry(write, registry)))
            }
            FirewallStep::GrantSystemIdentity => {
                let principal = system_principal(registry).ok_or_else(|| not_ready(words::NO_SYSTEM_YET))?;
                let access = access.ok_or_else(|| not_ready(words::VAULT_NOT_READ))?;
                if access.grants_cmk_to(principal) {
                    return Ok(StepPlan::AlreadyDone(words::ALREADY_GRANTED.into()));
                }
                Ok(StepPlan::Run(WriteStep::Plain(grant_access(&access.vault, &access.tenant_id, principal, new_assignment_name))))
            }
            FirewallStep::AllowTrustedServices => {
                let access = access.ok_or_else(|| not_ready(words::VAULT_NOT_READ))?;
                if access.vault.properties.bypasses_azure_services() {
                    return Ok(StepPlan::AlreadyDone(words::ALREADY_BYPASSED.into()));
                }
                Ok(StepPlan::Run(WriteStep::Plain(allow_trusted_services(&access.vault))))
            }
            FirewallStep::RotateToSystemIdentity => {
                let kv = registry.key_vault_properties().cloned().unwrap_or_default();
                let key =
                    kv.key_identifier.as_deref().and_then(|k| KeyId::parse(k).ok()).ok_or_else(|| not_ready(words::NO_KEY_IDENTIFIER))?;
                if kv.identity.as_deref().is_some_and(|i| i.eq_ignore_ascii_case("system")) {
                    return Ok(StepPlan::AlreadyDone(words::ALREADY_ROTATED.into()));
                }
                Ok(StepPlan::Run(WriteStep::registry(rotate_key(registry, &key, &KeyIdentity::System), registry)))
            }
        }
    }
}

/// The sequence's words, in both languages: the steps' titles, and why a step is
/// skipped or cannot be planned yet (said after "skipped: " or in parentheses).
pub mod words {
    crate::catalogue! {
        TITLE_SYSTEM_IDENTITY: "Turn on the registry's system-assigned identity" => "레지스트리의 시스템 할당 ID 켜기";
        TITLE_GRANT: "Grant the system identity get, wrapKey and unwrapKey on the key"
            => "시스템 ID에 키에 대한 get, wrapKey, unwrapKey 권한 부여";
        TITLE_TRUSTED_SERVICES: "Let trusted Azure services bypass the vault firewall"
            => "신뢰할 수 있는 Azure 서비스가 키 자격 증명 모음 방화벽을 무시하도록 허용";
        TITLE_ROTATE: "Rotate to the same key with the system identity" => "시스템 ID를 사용하여 같은 키로 회전";

        SYSTEM_ALREADY_ON: "the system-assigned identity is already on." => "시스템 할당 ID가 이미 켜져 있습니다.";
        ALREADY_GRANTED: "the system identity already has access to the key." => "시스템 ID에 이미 키에 대한 액세스 권한이 있습니다.";
        ALREADY_BYPASSED: "trusted services already bypass the firewall." => "신뢰할 수 있는 서비스가 이미 방화벽을 무시하도록 허용되어 있습니다.";
        ALREADY_ROTATED: "the registry already reaches its key with the system identity."
            => "레지스트리가 이미 시스템 ID를 사용하여 키에 접근합니다.";
        NO_SYSTEM_YET: "the registry has no system-assigned identity yet." => "레지스트리에 아직 시스템 할당 ID가 없습니다.";
        VAULT_NOT_READ: "the key's vault was not read." => "키의 키 자격 증명 모음을 읽지 않았습니다.";
        NO_KEY_IDENTIFIER: "the registry has no key identifier." => "레지스트리에 키 ID가 없습니다.";
    }
}

/// The system-assigned identity's principal id, when it is on.
pub fn system_principal(registry: &Registry) -> Option<&str> {
    let block = registry.identity.as_ref().filter(|i| i.kinds().system)?;
    block.principal_id.as_deref().filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::Method;
    use crate::role_assignment::KeyVaultRole;
    use crate::vault::Vault;
    use serde_json::json;

    const REG: &str = "/subscriptions/s1/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r1";
    const VAULT: &str = "/subscriptions/s1/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv1";
    const SYS: &str = "5a5a5a5a-0000-4000-8000-0000000000f1";

    fn registry(identity: serde_json::Value, kv_identity: &str) -> Registry {
        serde_json::from_value(json!({
            "id": REG, "name": "r1", "location": "westeurope", "sku": {"name": "Premium"},
            "identity": identity,
            "properties": {"encryption": {"status": "enabled", "keyVaultProperties": {
                "keyIdentifier": "https://kv1.vault.azure.net/keys/k1", "identity": kv_identity}}}
        }))
        .unwrap()
    }

    fn with_system() -> Registry {
        registry(
            json!({"type": "SystemAssigned, UserAssigned", "principalId": SYS, "tenantId": "t1",
            "userAssignedIdentities": {"/subscriptions/s1/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1":
                {"principalId": "p1", "clientId": "c1"}}}),
            "c1",
        )
    }

    fn vault(props: serde_json::Value) -> Vault {
        serde_json::from_value(json!({"id": VAULT, "name": "kv1", "location": "westeurope", "properties": props})).unwrap()
    }

    fn access(vault: Vault, role_assignments: Vec<crate::role_assignment::RoleAssignment>) -> KeyAccess {
        KeyAccess { vault, principal_id: SYS.into(), tenant_id: "t1".into(), key_name: Some("k1".into()), role_assignments }
    }

    #[test]
    fn steps_are_numbered_in_the_seeds_order() {
        let titles: Vec<usize> = FirewallStep::ALL.iter().map(|s| s.number()).collect();
        assert_eq!(titles, [1, 2, 3, 4]);
        assert_eq!(FirewallStep::EnableSystemIdentity.next(), Some(FirewallStep::GrantSystemIdentity));
        assert_eq!(FirewallStep::RotateToSystemIdentity.next(), None);
        assert_eq!(FirewallStep::AllowTrustedServices.title(), "Let trusted Azure services bypass the vault firewall");
        assert_eq!(
            FirewallStep::AllowTrustedServices.label().get(crate::text::Lang::Ko),
            "신뢰할 수 있는 Azure 서비스가 키 자격 증명 모음 방화벽을 무시하도록 허용"
        );
    }

    #[test]
    fn the_system_identity_step_is_skipped_when_it_is_on_and_planned_when_off() {
        let plan = FirewallStep::EnableSystemIdentity.plan(&with_system(), None, "g1").unwrap();
        assert!(matches!(plan, StepPlan::AlreadyDone(_)));
        let off = registry(
            json!({"type": "UserAssigned",
            "userAssignedIdentities": {"/subscriptions/s1/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1":
                {"principalId": "p1", "clientId": "c1"}}}),
            "c1",
        );
        let StepPlan::Run(step) = FirewallStep::EnableSystemIdentity.plan(&off, None, "g1").unwrap() else { panic!("not planned") };
        assert!(matches!(step, WriteStep::Registry { .. }));
        assert_eq!(step.write().request.body.as_ref().unwrap()["identity"]["type"], "SystemAssigned, UserAssigned");
    }

    #[test]
    fn granting_needs_the_system_identity_and_is_skipped_when_already_granted() {
        let policy_vault = vault(json!({"tenantId": "t1", "accessPolicies": []}));
        let StepPlan::Run(step) =
            FirewallStep::GrantSystemIdentity.plan(&with_system(), Some(&access(policy_vault, vec![])), "g1").unwrap()
        else {
            panic!("not planned")
        };
        assert!(matches!(step, WriteStep::Plain(_)));
        assert!(step.write().request.path.contains("/accessPolicies/add"), "{}", step.write().request.path);

        let granted = vault(json!({"tenantId": "t1", "accessPolicies": [
            {"tenantId": "t1", "objectId": SYS, "permissions": {"keys": ["get", "wrapKey", "unwrapKey"]}}]}));
        let plan = FirewallStep::GrantSystemIdentity.plan(&with_system(), Some(&access(granted, vec![])), "g1").unwrap();
        assert!(matches!(plan, StepPlan::AlreadyDone(_)));

        // An RBAC vault: an Administrator grant at the subscription covers the vault.
        let rbac = vault(json!({"tenantId": "t1", "enableRbacAuthorization": true}));
        let admin: crate::role_assignment::RoleAssignment = serde_json::from_value(json!({
            "id": "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a1", "name": "a1",
            "properties": {"scope": "/subscriptions/s1", "principalId": SYS,
                "roleDefinitionId": KeyVaultRole::Administrator.definition_id("s1")}}))
        .unwrap();
        let plan = FirewallStep::GrantSystemIdentity.plan(&with_system(), Some(&access(rbac.clone(), vec![admin])), "g1").unwrap();
        assert!(matches!(plan, StepPlan::AlreadyDone(_)));
        let StepPlan::Run(step) = FirewallStep::GrantSystemIdentity.plan(&with_system(), Some(&access(rbac, vec![])), "g1").unwrap() else {
            panic!("not planned")
        };
        assert_eq!(step.write().request.method, Method::Put);
        assert!(step.write().request.path.contains("/roleAssignments/g1?"), "{}", step.write().request.path);

        let no_system = registry(json!({"type": "UserAssigned"}), "c1");
        let refusal = FirewallStep::GrantSystemIdentity.plan(&no_system, None, "g1").unwrap_err();
        assert_eq!(refusal.code, CODE_NOT_READY);
    }

    #[test]
    fn the_bypass_and_the_rotation_are_skipped_once_in_place() {
        let closed = vault(json!({"tenantId": "t1", "networkAcls": {"defaultAction": "Deny", "bypass": "None"}}));
        let StepPlan::Run(step) = FirewallStep::AllowTrustedServices.plan(&with_system(), Some(&access(closed, vec![])), "g1").unwrap()
        else {
            panic!("not planned")
        };
        assert_eq!(step.write().request.body.as_ref().unwrap()["properties"]["networkAcls"]["bypass"], "AzureServices");
        let open = vault(json!({"tenantId": "t1", "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}}));
        assert!(matches!(
            FirewallStep::AllowTrustedServices.plan(&with_system(), Some(&access(open, vec![])), "g1").unwrap(),
            StepPlan::AlreadyDone(_)
        ));

        let StepPlan::Run(step) = FirewallStep::RotateToSystemIdentity.plan(&with_system(), None, "g1").unwrap() else {
            panic!("not planned")
        };
        assert_eq!(step.write().request.body.as_ref().unwrap()["properties"]["encryption"]["keyVaultProperties"]["identity"], "system");
        let done = registry(json!({"type": "SystemAssigned", "principalId": SYS}), "system");
        assert!(matches!(FirewallStep::RotateToSystemIdentity.plan(&done, None, "g1").unwrap(), StepPlan::AlreadyDone(_)));
    }
}
