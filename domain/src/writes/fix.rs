//! Applying a diagnosis [`Fix`] as one write: which vault it must read fresh
//! first, then the write itself. Fixes that are not one ARM write (the firewall
//! sequence, data-plane commands) are named so the console offers them its own way.

use crate::diagnosis::{Fix, IdentityRef};
use crate::key_id::KeyId;
use crate::registry::Registry;
use crate::text::Sentence;
use crate::vault::Vault;

use super::access_grant::{enable_purge_protection, grant_access, recover_vault};
use super::identity_change::{change_identity, IdentityChange};
use super::rotation::{rotate_key, KeyIdentity};
use super::step::WriteStep;
use super::Refusal;

pub const CODE_NOT_ONE_WRITE: &str = "NotASingleWrite";
pub const CODE_BAD_KEY_ID: &str = "InvalidKeyIdentifier";

/// How the console offers a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixShape {
    /// One ARM write through the write dialog.
    OneWrite,
    /// The firewall sequence (several writes, each planned when its turn comes).
    FirewallSequence,
    /// A Key Vault data-plane command for the user to run (browsers cannot call the data plane).
    Command,
}

pub fn shape(fix: &Fix) -> FixShape {
    match fix {
        Fix::EnableSystemIdentityAndBypass { .. } => FixShape::FirewallSequence,
        Fix::RunCommand { .. } => FixShape::Command,
        _ => FixShape::OneWrite,
    }
}

/// A fix that can never be undone (purge protection): the console asks for the vault's name first.
pub fn is_irreversible(fix: &Fix) -> bool {
    matches!(fix, Fix::EnablePurgeProtection { .. })
}

/// The vault the fix's write is planned from (read it fresh first), if any.
pub fn vault_to_read(fix: &Fix) -> Option<&str> {
    match fix {
        Fix::GrantAccessPolicy { vault_id, .. } | Fix::EnablePurgeProtection { vault_id } => Some(vault_id),
        Fix::AssignRole { scope, .. } => Some(scope),
        _ => None,
    }
}

/// The write that applies `fix` to `registry`; `vault` is the one [`vault_to_read`] named.
pub fn plan_fix(fix: &Fix, registry: &Registry, vault: Option<&Vault>, new_assignment_name: &str) -> Result<WriteStep, Refusal> {
    let need_vault = || vault.ok_or(Refusal::new(CODE_NOT_ONE_WRITE, words::VAULT_NOT_READ));
    match fix {
        Fix::GrantAccessPolicy { tenant_id, object_id, .. } => Ok(WriteStep::Plain(grant_access(need_vault()?, tenant_id, object_id, ""))),
        Fix::AssignRole { principal_id, .. } => Ok(WriteStep::Plain(grant_access(need_vault()?, "", principal_id, new_assignment_name))),
        Fix::EnablePurgeProtection { .. } => Ok(WriteStep::Plain(enable_purge_protection(need_vault()?))),
        Fix::RecoverVault { vault_id, location, tenant_id } => Ok(WriteStep::Plain(recover_vault(vault_id, location, tenant_id))),
        Fix::AttachUserIdentity { resource_id } => {
            change_identity(registry, None, &IdentityChange::AssignUser(resource_id.clone())).map(|w| WriteStep::registry(w, registry))
        }
        Fix::EnableSystemIdentity => {
            change_identity(registry, None, &IdentityChange::EnableSystem).map(|w| WriteStep::registry(w, registry))
        }
        Fix::RotateKey { key_identifier, identity } => {
            let key = KeyId::parse(key_identifier).map_err(|e| {
                Refusal::new(
                    CODE_BAD_KEY_ID,
                    Sentence::new(words::BAD_KEY_ID).with("key_identifier", key_identifier.as_str()).with_words("why", e.sentence()),
                )
            })?;
            let identity = match identity {
                IdentityRef::System => KeyIdentity::System,
                IdentityRef::ClientId(c) => {
                    let block = registry.identity.clone().unwrap_or_default();
                    let resource_id = block.user_identity_by_client_id(c).map(|(id, _)| id.to_string()).unwrap_or_default();
                    KeyIdentity::User { resource_id, client_id: c.clone() }
                }
            };
            Ok(WriteStep::registry(rotate_key(registry, &key, &identity), registry))
        }
        Fix::EnableSystemIdentityAndBypass { .. } | Fix::RunCommand { .. } => Err(Refusal::new(CODE_NOT_ONE_WRITE, words::NOT_ONE_WRITE)),
    }
}

/// Why a fix cannot be planned, in both languages.
pub mod words {
    crate::catalogue! {
        VAULT_NOT_READ: "The key's vault was not read." => "키의 키 자격 증명 모음을 읽지 않았습니다.";
        NOT_ONE_WRITE: "This fix is not a single write." => "이 해결 방법은 한 번의 쓰기로 끝나지 않습니다.";
        /// `{key_identifier}` is the key identifier, `{why}` what is wrong with it.
        BAD_KEY_ID: "{key_identifier}: {why}" => "{key_identifier}: {why}", same;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::Method;
    use serde_json::json;

    const REG: &str = "/subscriptions/s1/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r1";
    const VAULT: &str = "/subscriptions/s1/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv1";
    const UID: &str = "/subscriptions/s1/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";

    fn registry() -> Registry {
        serde_json::from_value(json!({
            "id": REG, "name": "r1", "location": "westeurope", "sku": {"name": "Premium"},
            "identity": {"type": "UserAssigned", "userAssignedIdentities": {UID: {"principalId": "p1", "clientId": "c1"}}},
            "properties": {"encryption": {"status": "enabled", "keyVaultProperties": {
                "keyIdentifier": "https://kv1.vault.azure.net/keys/k1", "identity": "c1"}}}
        }))
        .unwrap()
    }

    fn vault(rbac: bool) -> Vault {
        serde_json::from_value(json!({"id": VAULT, "name": "kv1", "location": "westeurope",
            "properties": {"tenantId": "t1", "enableRbacAuthorization": rbac}}))
        .unwrap()
    }

    #[test]
    fn each_fix_has_its_shape_and_its_vault() {
        let grant = Fix::GrantAccessPolicy { vault_id: VAULT.into(), tenant_id: "t1".into(), object_id: "p1".into(), permissions: vec![] };
        assert_eq!((shape(&grant), vault_to_read(&grant)), (FixShape::OneWrite, Some(VAULT)));
        let role = Fix::AssignRole { scope: VAULT.into(), principal_id: "p1".into(), role_definition_id: String::new() };
        assert_eq!(vault_to_read(&role), Some(VAULT));
        let firewall = Fix::EnableSystemIdentityAndBypass { vault_id: VAULT.into(), key_identifier: String::new() };
        assert_eq!(shape(&firewall), FixShape::FirewallSequence);
        assert_eq!(shape(&Fix::RunCommand { command: "az keyvault key set-attributes".into() }), FixShape::Command);
        assert_eq!(vault_to_read(&Fix::EnableSystemIdentity), None);
        assert!(is_irreversible(&Fix::EnablePurgeProtection { vault_id: VAULT.into() }));
        assert!(!is_irreversible(&grant));
    }

    #[test]
    fn vault_fixes_write_to_the_vault_they_read() {
        let grant = Fix::GrantAccessPolicy { vault_id: VAULT.into(), tenant_id: "t1".into(), object_id: "p1".into(), permissions: vec![] };
        let step = plan_fix(&grant, &registry(), Some(&vault(false)), "guid-1").unwrap();
        assert_eq!(step.write().request.path, format!("{VAULT}/accessPolicies/add?api-version=2025-05-01"));
        let role = Fix::AssignRole { scope: VAULT.into(), principal_id: "p1".into(), role_definition_id: String::new() };
        let step = plan_fix(&role, &registry(), Some(&vault(true)), "guid-1").unwrap();
        assert!(step.write().request.path.starts_with(&format!("{VAULT}/providers/Microsoft.Authorization/roleAssignments/guid-1?")));
        assert_eq!(plan_fix(&role, &registry(), None, "guid-1").unwrap_err().code, CODE_NOT_ONE_WRITE);
        let purge = plan_fix(&Fix::EnablePurgeProtection { vault_id: VAULT.into() }, &registry(), Some(&vault(false)), "").unwrap();
        assert_eq!(purge.write().request.method, Method::Patch);
    }

    #[test]
    fn a_deleted_vault_is_recovered_by_a_put_with_create_mode_recover_and_no_read_first() {
        let recover = Fix::RecoverVault { vault_id: VAULT.into(), location: "westeurope".into(), tenant_id: "t1".into() };
        assert_eq!((shape(&recover), vault_to_read(&recover), is_irreversible(&recover)), (FixShape::OneWrite, None, false));
        let step = plan_fix(&recover, &registry(), None, "").unwrap();
        let write = step.write();
        assert_eq!((write.request.method, write.request.path.as_str()), (Method::Put, format!("{VAULT}?api-version=2025-05-01").as_str()));
        let body = write.request.body.as_ref().unwrap();
        assert_eq!(body["location"], "westeurope");
        assert_eq!(body["properties"]["createMode"], "recover");
        assert_eq!(body["properties"]["tenantId"], "t1");
        assert_eq!(write.az, "az keyvault recover --name kv1");
    }

    #[test]
    fn registry_fixes_are_registry_steps() {
        let step = plan_fix(&Fix::EnableSystemIdentity, &registry(), None, "").unwrap();
        assert!(matches!(step, WriteStep::Registry { .. }));
        let rotate =
            Fix::RotateKey { key_identifier: "https://kv1.vault.azure.net/keys/k1".into(), identity: IdentityRef::ClientId("c1".into()) };
        let step = plan_fix(&rotate, &registry(), None, "").unwrap();
        assert_eq!(step.write().request.body.as_ref().unwrap()["properties"]["encryption"]["keyVaultProperties"]["identity"], "c1");
        let bad = Fix::RotateKey { key_identifier: "not a key".into(), identity: IdentityRef::System };
        assert_eq!(plan_fix(&bad, &registry(), None, "").unwrap_err().code, CODE_BAD_KEY_ID);
    }
}
