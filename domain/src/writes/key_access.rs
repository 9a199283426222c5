//! What a grant, revoke or restore needs to know about a registry's access to
//! its key: the vault that holds the key, the encrypting identity's principal
//! and tenant, and (RBAC vault) that principal's role assignments at, above and
//! below the vault. The client reads it; everything decided from it is here,
//! including the **blast radius** of a revoke: every registry that reaches its
//! key in the same vault through the same principal loses it too.

use serde::{Deserialize, Serialize};

use crate::arm::same_id;
use crate::diagnosis::IdentityRef;
use crate::key_id::KeyId;
use crate::registry::Registry;
use crate::role_assignment::RoleAssignment;
use crate::vault::Vault;

use super::access_grant::{covers_vault, grant_access, revoke_access, PolicyRevoke, RemovedAccess};
use super::step::WriteStep;
use super::{PlannedWrite, Refusal};

#[derive(Clone, Debug, PartialEq)]
pub struct KeyAccess {
    pub vault: Vault,
    pub principal_id: String,
    pub tenant_id: String,
    /// The key's name in the vault (its role assignments may be scoped to the key).
    pub key_name: Option<String>,
    /// The principal's role assignments at, above or below the vault (RBAC vaults; empty otherwise).
    pub role_assignments: Vec<RoleAssignment>,
}

impl KeyAccess {
    /// Grants the principal get, wrapKey and unwrapKey (access policy) or the narrow role
    /// (RBAC; the new assignment is named `new_assignment_name`, a GUID).
    pub fn grant(&self, new_assignment_name: &str) -> PlannedWrite {
        grant_access(&self.vault, &self.tenant_id, &self.principal_id, new_assignment_name)
    }

    /// Takes the principal's key access away (on a policy vault as `how` says); refused when
    /// it has none to take here. `registries` are the candidates for the blast radius
    /// (e.g. the subscription's registries); `registry_id` is the one being revoked.
    pub fn revoke(&self, how: PolicyRevoke, registry_id: &str, registries: &[Registry]) -> Result<RevokePlan, Refusal> {
        let revocation = revoke_access(&self.vault, &self.principal_id, self.key_name.as_deref(), &self.role_assignments, how)?;
        let affected = affected_registries(&self.vault, &self.principal_id, registries)
            .into_iter()
            .filter(|r| !same_id(&r.id, registry_id))
            .map(|r| AffectedRegistry { id: r.id.clone(), name: r.name.clone() })
            .collect();
        Ok(RevokePlan { steps: revocation.writes, kept: revocation.kept, also_affected: affected })
    }

    /// Whether `principal_id` can already get, wrap and unwrap the vault's keys: an
    /// access-policy entry with all three, or a key-granting role at or above the vault.
    pub fn grants_cmk_to(&self, principal_id: &str) -> bool {
        if self.vault.properties.rbac() {
            let key_scope = self.key_name.as_ref().map(|k| format!("{}/keys/{k}", self.vault.id));
            self.role_assignments.iter().any(|ra| {
                let on_key = key_scope.as_deref().zip(ra.properties.scope.as_deref()).is_some_and(|(k, s)| same_id(k, s));
                ra.properties.principal_id.eq_ignore_ascii_case(principal_id)
                    && (covers_vault(ra, &self.vault) || on_key)
                    && ra.properties.key_vault_role().is_some()
            })
        } else {
            self.vault.properties.access_policies.iter().any(|p| p.object_id.eq_ignore_ascii_case(principal_id) && p.grants_cmk())
        }
    }
}

/// A registry other than the one being revoked that loses its key too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedRegistry {
    pub id: String,
    pub name: String,
}

/// A revoke's writes, each with what it removes; the grants it leaves in place; and the
/// other registries it cuts off.
#[derive(Clone, Debug, PartialEq)]
pub struct RevokePlan {
    pub steps: Vec<(PlannedWrite, RemovedAccess)>,
    /// Parent-scope role assignments that still grant access and are not removed here.
    pub kept: Vec<RoleAssignment>,
    /// Other registries that reach their key in this vault through this principal.
    pub also_affected: Vec<AffectedRegistry>,
}

impl RevokePlan {
    /// What the user types to confirm: the registry's name, plus how many others it cuts off
    /// (`contosoprod +1`), so nobody confirms a wider revoke by typing one name.
    pub fn confirm_phrase(&self, registry_name: &str) -> String {
        match self.also_affected.len() {
            0 => registry_name.to_string(),
            n => format!("{registry_name} +{n}"),
        }
    }

    /// A document to keep before confirming: what will be removed and the `az` commands that put it back.
    pub fn restore_document(&self, registry_id: &str) -> serde_json::Value {
        let removed: Vec<&RemovedAccess> = self.steps.iter().map(|(_, r)| r).collect();
        serde_json::json!({
            "registryId": registry_id,
            "alsoAffected": self.also_affected,
            "removes": removed,
            "restoreCommands": self.steps.iter().map(|(_, r)| r.restore().az).collect::<Vec<_>>(),
        })
    }

    pub fn write_steps(&self) -> Vec<WriteStep> {
        self.steps.iter().map(|(w, _)| WriteStep::Plain(w.clone())).collect()
    }

    /// What the first `ran` steps removed: all of it after a full run, the steps that ran after a failure.
    pub fn removed_by(&self, ran: usize) -> Vec<RemovedAccess> {
        self.steps.iter().take(ran).map(|(_, r)| r.clone()).collect()
    }
}

/// Registries among `candidates` whose customer-managed key is in `vault` and whose encrypting
/// identity is `principal_id` (the system identity's principal, or the user identity's named by
/// client id in `keyVaultProperties.identity`), read from the registries' own `identity` blocks.
pub fn affected_registries<'a>(vault: &Vault, principal_id: &str, candidates: &'a [Registry]) -> Vec<&'a Registry> {
    registries_keyed_in(&vault.name, candidates)
        .into_iter()
        .filter(|r| encrypting_principal(r).is_some_and(|p| p.eq_ignore_ascii_case(principal_id)))
        .collect()
}

/// Registries among `candidates` with a customer-managed key in the vault `vault_name`, whatever
/// identity they use: everything a change to that vault (its firewall) reaches.
pub fn registries_keyed_in<'a>(vault_name: &str, candidates: &'a [Registry]) -> Vec<&'a Registry> {
    candidates
        .iter()
        .filter(|r| {
            let Some(kv) = r.key_vault_properties().filter(|_| r.properties.encryption.as_ref().is_some_and(|e| e.is_enabled())) else {
                return false;
            };
            kv.key_identifier.as_deref().and_then(|k| KeyId::parse(k).ok()).is_some_and(|k| k.vault_name().eq_ignore_ascii_case(vault_name))
        })
        .collect()
}

/// The principal a registry encrypts with, as far as its own body tells.
fn encrypting_principal(registry: &Registry) -> Option<&str> {
    let block = registry.identity.as_ref()?;
    match IdentityRef::parse(registry.key_vault_properties()?.identity.as_deref()?) {
        IdentityRef::System => block.principal_id.as_deref().filter(|_| block.kinds().system),
        IdentityRef::ClientId(c) => block.user_identity_by_client_id(&c).and_then(|(_, p)| p.principal_id.as_deref()),
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
        let access =
            KeyAccess { vault: v, principal_id: P.into(), tenant_id: "t1".into(), key_name: Some("k1".into()), role_assignments: vec![] };
        assert!(access.grants_cmk_to(P));
        assert!(!access.grants_cmk_to("someone-else"));
        let plan = access.revoke(PolicyRevoke::WholeEntry, "r1", &[]).unwrap();
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
        let access = KeyAccess {
            vault: v.clone(),
            principal_id: P.into(),
            tenant_id: "t1".into(),
            key_name: Some("k1".into()),
            role_assignments: vec![user],
        };
        assert!(access.grants_cmk_to(P));
        let plan = access.revoke(PolicyRevoke::KeyPermissions, "r1", &[]).unwrap();
        assert_eq!(plan.steps[0].0.request.method, Method::Delete);
        assert_eq!(restore_steps(&plan.removed_by(1))[0].write().request.method, Method::Put);

        let none =
            KeyAccess { vault: v, principal_id: P.into(), tenant_id: "t1".into(), key_name: Some("k1".into()), role_assignments: vec![] };
        assert!(!none.grants_cmk_to(P));
        assert_eq!(
            none.revoke(PolicyRevoke::KeyPermissions, "r1", &[]).unwrap_err().code,
            super::super::access_grant::CODE_NO_ACCESS_TO_REVOKE
        );
        assert!(none.grant("g1").request.path.contains("/roleAssignments/g1?"));
    }

    fn registry(name: &str, key: &str, identity: serde_json::Value, kv_identity: &str) -> Registry {
        serde_json::from_value(json!({
            "id": format!("/subscriptions/s1/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/{name}"),
            "name": name, "location": "westeurope", "sku": {"name": "Premium"}, "identity": identity,
            "properties": {"encryption": {"status": "enabled", "keyVaultProperties": {"keyIdentifier": key, "identity": kv_identity}}}
        }))
        .unwrap()
    }

    #[test]
    fn the_blast_radius_is_every_registry_with_a_key_in_the_vault_through_the_same_principal() {
        let uid = "/subscriptions/s1/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-cmk";
        let user = json!({"type": "UserAssigned", "userAssignedIdentities": {uid: {"principalId": P, "clientId": "c1"}}});
        let prod = registry("contosoprod", "https://kv1.vault.azure.net/keys/k1/0123456789abcdef0123456789abcdef", user.clone(), "C1");
        let auto = registry("contosoauto", "https://KV1.vault.azure.net/keys/k2", user.clone(), "c1");
        let other_vault = registry("elsewhere", "https://kv2.vault.azure.net/keys/k1", user, "c1");
        let system =
            registry("sys", "https://kv1.vault.azure.net/keys/k1", json!({"type": "SystemAssigned", "principalId": "p-sys"}), "system");
        let v = vault(json!({"tenantId": "t1", "accessPolicies": [
            {"tenantId": "t1", "objectId": P, "permissions": {"keys": ["get", "wrapKey", "unwrapKey"]}}]}));
        let all = [prod.clone(), auto.clone(), other_vault, system];
        let names: Vec<&str> = affected_registries(&v, P, &all).iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["contosoprod", "contosoauto"]);
        assert_eq!(affected_registries(&v, "p-sys", &all).len(), 1);
        // A change to the vault itself (its firewall) reaches every registry keyed there, whatever identity.
        let keyed: Vec<&str> = registries_keyed_in("KV1", &all).iter().map(|r| r.name.as_str()).collect();
        assert_eq!(keyed, ["contosoprod", "contosoauto", "sys"]);

        let access =
            KeyAccess { vault: v, principal_id: P.into(), tenant_id: "t1".into(), key_name: Some("k1".into()), role_assignments: vec![] };
        let plan = access.revoke(PolicyRevoke::KeyPermissions, &prod.id.to_uppercase(), &all).unwrap();
        assert_eq!(plan.also_affected, [AffectedRegistry { id: auto.id.clone(), name: "contosoauto".into() }]);
        assert_eq!(plan.confirm_phrase("contosoprod"), "contosoprod +1");
        let doc = plan.restore_document(&prod.id);
        assert_eq!(doc["alsoAffected"][0]["name"], "contosoauto");
        assert!(doc["restoreCommands"][0].as_str().unwrap().starts_with("az rest --method put"), "{doc}");
        assert_eq!(doc["removes"][0]["kind"], "accessPolicy");

        let alone = access.revoke(PolicyRevoke::KeyPermissions, &prod.id, &[prod.clone()]).unwrap();
        assert_eq!(alone.confirm_phrase("contosoprod"), "contosoprod");
    }
}
