//! What a grant, revoke or restore needs to know about a registry's access to
//! its key: the vault that holds the key, the encrypting identity's principal
//! and tenant, and (RBAC vault) that principal's role assignments covering the
//! vault. The client reads it; everything decided from it is here.

use crate::role_assignment::RoleAssignment;
use crate::vault::Vault;

use super::access_grant::{covers_vault, grant_access, revoke_access, RemovedAccess};
use super::step::WriteStep;
use super::{PlannedWrite, Refusal};

#[derive(Clone, Debug, PartialEq)]
pub struct KeyAccess {
    pub vault: Vault,
    pub principal_id: String,
    pub tenant_id: String,
    /// The principal's role assignments at the vault's scope or above (RBAC vaults; empty otherwise).
    pub role_assignments: Vec<RoleAssignment>,
}

impl KeyAccess {
    /// Grants the principal get, wrapKey and unwrapKey (access policy) or the narrow role
    /// (RBAC; the new assignment is named `new_assignment_name`, a GUID).
    pub fn grant(&self, new_assignment_name: &str) -> PlannedWrite {
        grant_access(&self.vault, &self.tenant_id, &self.principal_id, new_assignment_name)
    }

    /// Takes the principal's key access away; refused when it has none to take.
    pub fn revoke(&self) -> Result<RevokePlan, Refusal> {
        revoke_access(&self.vault, &self.principal_id, &self.role_assignments).map(|steps| RevokePlan { steps })
    }

    /// Whether `principal_id` can already get, wrap and unwrap the vault's keys: an
    /// access-policy entry with all three, or a key-granting role at or above the vault.
    pub fn grants_cmk_to(&self, principal_id: &str) -> bool {
        if self.vault.properties.rbac() {
            self.role_assignments.iter().any(|ra| {
                ra.properties.principal_id.eq_ignore_ascii_case(principal_id)
                    && covers_vault(ra, &self.vault)
                    && ra.properties.key_vault_role().is_some()
            })
        } else {
            self.vault.properties.access_policies.iter().any(|p| p.object_id.eq_ignore_ascii_case(principal_id) && p.grants_cmk())
        }
    }
}

/// A revoke's writes, each with what it removes.
#[derive(Clone, Debug, PartialEq)]
pub struct RevokePlan {
    pub steps: Vec<(PlannedWrite, RemovedAccess)>,
}

impl RevokePlan {
    pub fn write_steps(&self) -> Vec<WriteStep> {
        self.steps.iter().map(|(w, _)| WriteStep::Plain(w.clone())).collect()
    }

    /// What the first `ran` steps removed: all of it after a full run, the steps that ran after a failure.
    pub fn removed_by(&self, ran: usize) -> Vec<RemovedAccess> {
        self.steps.iter().take(ran).map(|(_, r)| r.clone()).collect()
    }
}

/// Puts back exactly what a revoke removed.
pub fn restore_steps(removed: &[RemovedAccess]) -> Vec<WriteStep> {
    removed.iter().map(|r| WriteStep::Plain(r.restore())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::Method;
    use crate::role_assignment::KeyVaultRole;
    use serde_json::json;

    const VAULT: &str = "/subscriptions/s1/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv1";
    const P: &str = "6d6f636b-0000-4000-8000-0000000000a1";

    fn vault(props: serde_json::Value) -> Vault {
        serde_json::from_value(json!({"id": VAULT, "name": "kv1", "location": "westeurope", "properties": props})).unwrap()
    }

    fn assignment(name: &str, scope: &str, role: KeyVaultRole, principal: &str) -> RoleAssignment {
        serde_json::from_value(json!({
            "id": format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}"), "name": name,
            "properties": {"scope": scope, "principalId": principal, "roleDefinitionId": role.definition_id("s1")}}))
        .unwrap()
    }

    #[test]
    fn a_policy_vault_revoke_removes_the_entry_and_its_restore_puts_it_back() {
        let v = vault(json!({"tenantId": "t1", "accessPolicies": [
            {"tenantId": "t1", "objectId": P, "permissions": {"keys": ["get", "wrapKey", "unwrapKey"], "secrets": ["get"]}}]}));
        let access = KeyAccess { vault: v, principal_id: P.into(), tenant_id: "t1".into(), role_assignments: vec![] };
        assert!(access.grants_cmk_to(P));
        assert!(!access.grants_cmk_to("someone-else"));
        let plan = access.revoke().unwrap();
        assert_eq!(plan.write_steps().len(), 1);
        assert!(plan.write_steps()[0].write().request.path.contains("/accessPolicies/remove?"));
        assert!(plan.removed_by(0).is_empty());
        let removed = plan.removed_by(1);
        let restore = restore_steps(&removed);
        assert_eq!(restore.len(), 1);
        assert!(restore[0].write().request.path.contains("/accessPolicies/add?"));
        // The whole entry comes back, secrets included.
        assert_eq!(
            restore[0].write().request.body.as_ref().unwrap()["properties"]["accessPolicies"][0]["permissions"]["secrets"],
            json!(["get"])
        );
    }

    #[test]
    fn an_rbac_revoke_deletes_key_roles_and_nothing_is_refused_silently() {
        let v = vault(json!({"tenantId": "t1", "enableRbacAuthorization": true}));
        let user = assignment("a1", VAULT, KeyVaultRole::CryptoServiceEncryptionUser, P);
        let access = KeyAccess { vault: v.clone(), principal_id: P.into(), tenant_id: "t1".into(), role_assignments: vec![user] };
        assert!(access.grants_cmk_to(P));
        let plan = access.revoke().unwrap();
        assert_eq!(plan.steps[0].0.request.method, Method::Delete);
        assert_eq!(restore_steps(&plan.removed_by(1))[0].write().request.method, Method::Put);

        let none = KeyAccess { vault: v, principal_id: P.into(), tenant_id: "t1".into(), role_assignments: vec![] };
        assert!(!none.grants_cmk_to(P));
        assert_eq!(none.revoke().unwrap_err().code, super::super::access_grant::CODE_NO_ACCESS_TO_REVOKE);
        assert!(none.grant("g1").request.path.contains("/roleAssignments/g1?"));
    }
}
