//! Key Vault writes through ARM (the data plane has no CORS): granting and
//! revoking a principal's access to the key (access policy on a policy vault,
//! `Key Vault Crypto Service Encryption User` role on an RBAC vault), the
//! firewall's trusted-services bypass, and creating a new RSA key.
//!
//! A revoke returns a [`RemovedAccess`]: exactly what was removed, so the
//! console can put it back as it was.

use serde_json::json;

use crate::arm::{api_version, same_id, ResourceId};
use crate::requests::Method;
use crate::role_assignment::{KeyVaultRole, RoleAssignment};
use crate::vault::{AccessPolicyEntry, NetworkRuleSet, Permissions, Vault, CMK_KEY_PERMISSIONS};

use super::{az, PlannedWrite, Refusal};

pub const CODE_NO_ACCESS_TO_REVOKE: &str = "NoAccessToRevoke";

fn vault_group(vault: &Vault) -> String {
    ResourceId::parse(&vault.id).map(|r| r.resource_group).unwrap_or_default()
}

fn subscription_of(id: &str) -> String {
    ResourceId::parse(id).map(|r| r.subscription_id).unwrap_or_default()
}

/// `PUT {vault}/accessPolicies/{kind}` with one entry.
fn access_policy_write(vault: &Vault, kind: &str, entry: &AccessPolicyEntry, summary: String, command: String) -> PlannedWrite {
    PlannedWrite::new(
        summary,
        Method::Put,
        format!("{}/accessPolicies/{kind}?api-version={}", vault.id, api_version::KEY_VAULT),
        Some(json!({"properties": {"accessPolicies": [entry]}})),
        command,
    )
}

fn key_permissions_args(entry: &AccessPolicyEntry) -> Vec<String> {
    entry.permissions.keys.clone().unwrap_or_default()
}

/// `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name}?api-version=2022-04-01`.
fn role_assignment_write(
    scope: &str,
    name: &str,
    role_definition_id: &str,
    principal_id: &str,
    principal_type: &str,
    summary: String,
) -> PlannedWrite {
    let role_guid = role_definition_id.rsplit('/').next().unwrap_or(role_definition_id);
    // Only the narrow role is named; others keep their GUID so the command restores exactly that role.
    let role = match KeyVaultRole::from_definition(role_guid) {
        Some(r @ KeyVaultRole::CryptoServiceEncryptionUser) => r.name(),
        _ => role_guid,
    };
    PlannedWrite::new(
        summary,
        Method::Put,
        format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}?api-version={}", api_version::AUTHORIZATION),
        Some(json!({"properties": {
            "roleDefinitionId": role_definition_id,
            "principalId": principal_id,
            "principalType": principal_type,
        }})),
        az(&[
            "role",
            "assignment",
            "create",
            "--assignee-object-id",
            principal_id,
            "--assignee-principal-type",
            principal_type,
            "--role",
            role,
            "--scope",
            scope,
        ]),
    )
}

/// Grants `principal_id` what ACR needs on `vault`: an access policy with get,
/// wrapKey and unwrapKey, or (RBAC vault) the Crypto Service Encryption User
/// role at the vault, under the new assignment name `new_assignment_name` (a GUID).
pub fn grant_access(vault: &Vault, tenant_id: &str, principal_id: &str, new_assignment_name: &str) -> PlannedWrite {
    if vault.properties.rbac() {
        let role = KeyVaultRole::CryptoServiceEncryptionUser;
        let role_id = role.definition_id(&subscription_of(&vault.id));
        return role_assignment_write(
            &vault.id,
            new_assignment_name,
            &role_id,
            principal_id,
            "ServicePrincipal",
            format!("Assign the '{}' role on vault '{}' to principal {principal_id}.", role.name(), vault.name),
        );
    }
    let tenant = if tenant_id.is_empty() { vault.properties.tenant_id.as_str() } else { tenant_id };
    let entry = AccessPolicyEntry {
        tenant_id: tenant.to_string(),
        object_id: principal_id.to_string(),
        application_id: None,
        permissions: Permissions { keys: Some(CMK_KEY_PERMISSIONS.map(String::from).to_vec()), ..Permissions::default() },
    };
    let group = vault_group(vault);
    let mut args = vec!["keyvault", "set-policy", "-g", &group, "-n", &vault.name, "--object-id", principal_id, "--key-permissions"];
    args.extend(CMK_KEY_PERMISSIONS);
    access_policy_write(
        vault,
        "add",
        &entry,
        format!("Grant principal {principal_id} get, wrapKey and unwrapKey on the keys of vault '{}'.", vault.name),
        az(&args),
    )
}

/// What a revoke removed, kept for the session so Restore puts back exactly that.
#[derive(Clone, Debug, PartialEq)]
pub enum RemovedAccess {
    /// A whole access-policy entry (every permission it had, keys and others).
    AccessPolicy { vault: Box<Vault>, entry: AccessPolicyEntry },
    /// A role assignment, restored under its own name at its own scope.
    RoleAssignment { assignment: RoleAssignment },
}

impl RemovedAccess {
    pub fn principal_id(&self) -> &str {
        match self {
            RemovedAccess::AccessPolicy { entry, .. } => &entry.object_id,
            RemovedAccess::RoleAssignment { assignment } => &assignment.properties.principal_id,
        }
    }

    /// In words, for the Restore button.
    pub fn describe(&self) -> String {
        match self {
            RemovedAccess::AccessPolicy { vault, entry } => format!(
                "access policy of principal {} on vault '{}' (keys: {})",
                entry.object_id,
                vault.name,
                key_permissions_args(entry).join(", ")
            ),
            RemovedAccess::RoleAssignment { assignment } => format!(
                "role assignment {} of principal {} at {}",
                assignment.name,
                assignment.properties.principal_id,
                assignment.properties.scope.clone().unwrap_or_default()
            ),
        }
    }

    /// The write that puts it back as it was.
    pub fn restore(&self) -> PlannedWrite {
        match self {
            RemovedAccess::AccessPolicy { vault, entry } => {
                let group = vault_group(vault);
                let perms = key_permissions_args(entry);
                let mut args: Vec<&str> = vec!["keyvault", "set-policy", "-g", &group, "-n", &vault.name, "--object-id", &entry.object_id];
                if !perms.is_empty() {
                    args.push("--key-permissions");
                    args.extend(perms.iter().map(String::as_str));
                }
                for (flag, list) in [
                    ("--secret-permissions", &entry.permissions.secrets),
                    ("--certificate-permissions", &entry.permissions.certificates),
                    ("--storage-permissions", &entry.permissions.storage),
                ] {
                    if let Some(list) = list.as_ref().filter(|l| !l.is_empty()) {
                        args.push(flag);
                        args.extend(list.iter().map(String::as_str));
                    }
                }
                access_policy_write(vault, "add", entry, format!("Restore the {}.", self.describe()), az(&args))
            }
            RemovedAccess::RoleAssignment { assignment } => {
                let p = &assignment.properties;
                let scope = p.scope.clone().unwrap_or_else(|| scope_of_assignment(&assignment.id));
                role_assignment_write(
                    &scope,
                    &assignment.name,
                    &p.role_definition_id,
                    &p.principal_id,
                    p.principal_type.as_deref().unwrap_or("ServicePrincipal"),
                    format!("Restore the {}.", self.describe()),
                )
            }
        }
    }
}

/// `{scope}/providers/Microsoft.Authorization/roleAssignments/{name}` → `{scope}`.
fn scope_of_assignment(id: &str) -> String {
    let lower = id.to_ascii_lowercase();
    match lower.find("/providers/microsoft.authorization/roleassignments/") {
        Some(i) => id[..i].to_string(),
        None => id.to_string(),
    }
}

/// Revoking `principal_id`'s access to the keys of `vault`: the writes, each
/// with what it removes. On a policy vault, the principal's whole access-policy
/// entry (`az keyvault delete-policy`); on an RBAC vault, every assignment of a
/// role granting key access to the principal at the vault or above it
/// (`role_assignments` as listed for the vault's scope).
pub fn revoke_access(
    vault: &Vault,
    principal_id: &str,
    role_assignments: &[RoleAssignment],
) -> Result<Vec<(PlannedWrite, RemovedAccess)>, Refusal> {
    let group = vault_group(vault);
    let writes: Vec<(PlannedWrite, RemovedAccess)> = if vault.properties.rbac() {
        role_assignments
            .iter()
            .filter(|ra| ra.properties.principal_id.eq_ignore_ascii_case(principal_id))
            .filter(|ra| ra.properties.key_vault_role().is_some())
            .map(|ra| {
                let id = if ra.id.is_empty() {
                    format!(
                        "{}/providers/Microsoft.Authorization/roleAssignments/{}",
                        ra.properties.scope.clone().unwrap_or_default(),
                        ra.name
                    )
                } else {
                    ra.id.clone()
                };
                let write = PlannedWrite::new(
                    format!("Delete role assignment {} of principal {principal_id} (vault '{}').", ra.name, vault.name),
                    Method::Delete,
                    format!("{id}?api-version={}", api_version::AUTHORIZATION),
                    None,
                    az(&["role", "assignment", "delete", "--ids", &id]),
                );
                let mut kept = ra.clone();
                if kept.properties.scope.is_none() {
                    kept.properties.scope = Some(scope_of_assignment(&id));
                }
                (write, RemovedAccess::RoleAssignment { assignment: kept })
            })
            .collect()
    } else {
        vault
            .properties
            .access_policies
            .iter()
            .filter(|p| p.object_id.eq_ignore_ascii_case(principal_id))
            .map(|entry| {
                let write = access_policy_write(
                    vault,
                    "remove",
                    entry,
                    format!("Remove the access policy of principal {principal_id} from vault '{}'.", vault.name),
                    az(&["keyvault", "delete-policy", "-g", &group, "-n", &vault.name, "--object-id", principal_id]),
                );
                (write, RemovedAccess::AccessPolicy { vault: Box::new(vault.clone()), entry: entry.clone() })
            })
            .collect()
    };
    if writes.is_empty() {
        let how = if vault.properties.rbac() { "role assignment granting key access" } else { "access policy" };
        return Err(Refusal {
            code: CODE_NO_ACCESS_TO_REVOKE,
            message: format!("Principal {principal_id} has no {how} on vault '{}': there is nothing to revoke.", vault.name),
        });
    }
    Ok(writes)
}

/// `PATCH {vault}` setting `networkAcls.bypass: AzureServices`; the rest of
/// `networkAcls` is sent as it is (ARM replaces that object as a whole).
pub fn allow_trusted_services(vault: &Vault) -> PlannedWrite {
    let mut acls = vault
        .properties
        .network_acls
        .clone()
        .unwrap_or_else(|| NetworkRuleSet { default_action: Some("Allow".into()), ..NetworkRuleSet::default() });
    acls.bypass = Some("AzureServices".into());
    PlannedWrite::new(
        format!("Let trusted Azure services (Container Registry among them) bypass the firewall of vault '{}'.", vault.name),
        Method::Patch,
        format!("{}?api-version={}", vault.id, api_version::KEY_VAULT),
        Some(json!({"properties": {"networkAcls": acls}})),
        az(&["keyvault", "update", "-g", &vault_group(vault), "-n", &vault.name, "--bypass", "AzureServices"]),
    )
}

/// `PATCH {vault}` turning on soft delete and purge protection (irreversible:
/// the vault and its keys can then never be purged before their retention ends).
pub fn enable_purge_protection(vault: &Vault) -> PlannedWrite {
    PlannedWrite::new(
        format!("Turn on soft delete and purge protection for vault '{}' (purge protection cannot be turned off again).", vault.name),
        Method::Patch,
        format!("{}?api-version={}", vault.id, api_version::KEY_VAULT),
        Some(json!({"properties": {"enableSoftDelete": true, "enablePurgeProtection": true}})),
        az(&["keyvault", "update", "-g", &vault_group(vault), "-n", &vault.name, "--enable-purge-protection", "true"]),
    )
}

/// `PUT {vault}/keys/{name}` creating a 2048-bit RSA key (ARM creates a key
/// name only if it does not exist; it never makes a new version).
pub fn create_rsa_key(vault: &Vault, key_name: &str) -> PlannedWrite {
    PlannedWrite::new(
        format!("Create the RSA key '{key_name}' in vault '{}'.", vault.name),
        Method::Put,
        format!("{}/keys/{key_name}?api-version={}", vault.id, api_version::KEY_VAULT),
        Some(json!({"properties": {"kty": "RSA", "keySize": 2048}})),
        az(&["keyvault", "key", "create", "--vault-name", &vault.name, "-n", key_name, "--kty", "RSA", "--size", "2048"]),
    )
}

/// Whether a role assignment sits at `vault`'s scope or above it.
pub fn covers_vault(assignment: &RoleAssignment, vault: &Vault) -> bool {
    let scope = assignment.properties.scope.clone().unwrap_or_else(|| scope_of_assignment(&assignment.id));
    let s = scope.trim_end_matches('/').to_ascii_lowercase();
    let v = vault.id.to_ascii_lowercase();
    same_id(&s, &v) || v.starts_with(&format!("{s}/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role_assignment::KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER;

    const VAULT_ID: &str = "/subscriptions/s1/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv1";
    const P: &str = "6d6f636b-0000-4000-8000-0000000000a1";

    fn vault(rbac: bool) -> Vault {
        serde_json::from_value(json!({
            "id": VAULT_ID, "name": "kv1",
            "properties": {"tenantId": "t-1", "sku": {"family": "A", "name": "standard"}, "enableRbacAuthorization": rbac,
                "accessPolicies": [
                    {"tenantId": "t-1", "objectId": P, "permissions": {"keys": ["get", "wrapKey", "unwrapKey", "list"], "secrets": ["get"]}},
                    {"tenantId": "t-1", "objectId": "other", "permissions": {"keys": ["all"]}}
                ],
                "networkAcls": {"bypass": "None", "defaultAction": "Deny", "ipRules": [{"value": "1.2.3.4"}], "virtualNetworkRules": []}}
        }))
        .unwrap()
    }

    fn assignment(role: &str, principal: &str) -> RoleAssignment {
        serde_json::from_value(json!({
            "id": format!("{VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/ra-1"),
            "name": "ra-1",
            "properties": {"roleDefinitionId": format!("/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/{role}"),
                "principalId": principal, "principalType": "ServicePrincipal", "scope": VAULT_ID}
        }))
        .unwrap()
    }

    #[test]
    fn granting_on_a_policy_vault_adds_get_wrap_unwrap() {
        let w = grant_access(&vault(false), "", P, "unused");
        assert_eq!(w.request.method, Method::Put);
        assert_eq!(w.request.path, format!("{VAULT_ID}/accessPolicies/add?api-version=2025-05-01"));
        assert_eq!(
            w.request.body,
            Some(
                json!({"properties": {"accessPolicies": [{"tenantId": "t-1", "objectId": P, "permissions": {"keys": ["get", "wrapKey", "unwrapKey"]}}]}})
            )
        );
        assert_eq!(w.az, format!("az keyvault set-policy -g g -n kv1 --object-id {P} --key-permissions get wrapKey unwrapKey"));
    }

    #[test]
    fn granting_on_an_rbac_vault_puts_a_role_assignment() {
        let w = grant_access(&vault(true), "t-1", P, "11111111-2222-3333-4444-555555555555");
        assert_eq!(
            w.request.path,
            format!(
                "{VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/11111111-2222-3333-4444-555555555555?api-version=2022-04-01"
            )
        );
        assert_eq!(
            w.request.body,
            Some(json!({"properties": {
                "roleDefinitionId": "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6",
                "principalId": P, "principalType": "ServicePrincipal"}}))
        );
        assert_eq!(
            w.az,
            format!("az role assignment create --assignee-object-id {P} --assignee-principal-type ServicePrincipal --role 'Key Vault Crypto Service Encryption User' --scope {VAULT_ID}")
        );
    }

    #[test]
    fn revoking_a_policy_removes_the_whole_entry_and_restore_puts_it_back_exactly() {
        let writes = revoke_access(&vault(false), &P.to_uppercase(), &[]).unwrap();
        assert_eq!(writes.len(), 1);
        let (w, removed) = &writes[0];
        assert_eq!(w.request.path, format!("{VAULT_ID}/accessPolicies/remove?api-version=2025-05-01"));
        let sent = &w.request.body.as_ref().unwrap()["properties"]["accessPolicies"][0];
        assert_eq!(sent["permissions"], json!({"keys": ["get", "wrapKey", "unwrapKey", "list"], "secrets": ["get"]}));
        assert_eq!(w.az, format!("az keyvault delete-policy -g g -n kv1 --object-id {}", P.to_uppercase()));
        let restore = removed.restore();
        assert_eq!(restore.request.path, format!("{VAULT_ID}/accessPolicies/add?api-version=2025-05-01"));
        assert_eq!(restore.request.body.as_ref().unwrap()["properties"]["accessPolicies"][0], *sent);
        assert_eq!(
            restore.az,
            format!(
                "az keyvault set-policy -g g -n kv1 --object-id {P} --key-permissions get wrapKey unwrapKey list --secret-permissions get"
            )
        );
    }

    #[test]
    fn revoking_on_rbac_deletes_granting_assignments_only_and_restore_reuses_the_name() {
        let keep = assignment("acdd72a7-3385-48ef-bd42-f606fba81ae7", P); // Reader: not key access
        let grant = assignment(KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, P);
        let other = assignment(KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, "someone-else");
        let writes = revoke_access(&vault(true), P, &[keep, grant.clone(), other]).unwrap();
        assert_eq!(writes.len(), 1);
        let (w, removed) = &writes[0];
        assert_eq!(w.request.method, Method::Delete);
        assert_eq!(w.request.path, format!("{}?api-version=2022-04-01", grant.id));
        assert!(w.request.body.is_none());
        assert_eq!(w.az, format!("az role assignment delete --ids {}", grant.id));
        let restore = removed.restore();
        assert_eq!(restore.request.method, Method::Put);
        assert_eq!(restore.request.path, format!("{}?api-version=2022-04-01", grant.id));
        assert_eq!(restore.request.body.as_ref().unwrap()["properties"]["principalId"], P);
    }

    #[test]
    fn nothing_to_revoke_is_refused() {
        let r = revoke_access(&vault(true), P, &[]).unwrap_err();
        assert_eq!(r.code, CODE_NO_ACCESS_TO_REVOKE);
        assert!(revoke_access(&vault(false), "nobody", &[]).is_err());
    }

    #[test]
    fn bypass_keeps_the_rest_of_the_firewall() {
        let w = allow_trusted_services(&vault(false));
        assert_eq!(w.request.method, Method::Patch);
        assert_eq!(w.request.path, format!("{VAULT_ID}?api-version=2025-05-01"));
        assert_eq!(
            w.request.body,
            Some(
                json!({"properties": {"networkAcls": {"bypass": "AzureServices", "defaultAction": "Deny", "ipRules": [{"value": "1.2.3.4"}], "virtualNetworkRules": []}}})
            )
        );
        assert_eq!(w.az, "az keyvault update -g g -n kv1 --bypass AzureServices");
    }

    #[test]
    fn purge_protection_is_a_minimal_vault_patch() {
        let w = enable_purge_protection(&vault(false));
        assert_eq!(w.request.method, Method::Patch);
        assert_eq!(w.request.body, Some(json!({"properties": {"enableSoftDelete": true, "enablePurgeProtection": true}})));
        assert_eq!(w.az, "az keyvault update -g g -n kv1 --enable-purge-protection true");
    }

    #[test]
    fn keys_are_created_through_arm_as_rsa() {
        let w = create_rsa_key(&vault(false), "new-key");
        assert_eq!(w.request.method, Method::Put);
        assert_eq!(w.request.path, format!("{VAULT_ID}/keys/new-key?api-version=2025-05-01"));
        assert_eq!(w.request.body, Some(json!({"properties": {"kty": "RSA", "keySize": 2048}})));
        assert_eq!(w.az, "az keyvault key create --vault-name kv1 -n new-key --kty RSA --size 2048");
    }

    #[test]
    fn assignment_scope_covers_the_vault_from_above() {
        let mut a = assignment(KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, P);
        assert!(covers_vault(&a, &vault(true)));
        a.properties.scope = Some("/subscriptions/s1".into());
        assert!(covers_vault(&a, &vault(true)));
        a.properties.scope = Some("/subscriptions/s10".into());
        assert!(!covers_vault(&a, &vault(true)));
    }
}
