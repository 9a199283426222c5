//! What a grant, revoke or restore needs to know about a registry's access to
//! its key: the vault that holds the key, the encrypting identity's principal
//! and tenant, and (RBAC vault) that principal's role assignments covering the
//! vault. The client reads it; everything decided from it is here.

use crate::role_assignment::RoleAssignment;
use crate::vault::Vault;

use super::access_grant::covers_vault;

#[derive(Clone, Debug, PartialEq)]
pub struct KeyAccess {
    pub vault: Vault,
    pub principal_id: String,
    pub tenant_id: String,
    /// The principal's role assignments at the vault's scope or above (RBAC vaults; empty otherwise).
    pub role_assignments: Vec<RoleAssignment>,
}

impl KeyAccess {
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
