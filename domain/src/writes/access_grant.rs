//! Key Vault writes through ARM (the data plane has no CORS): granting and
//! revoking a principal's access to the key (access policy on a policy vault,
//! `Key Vault Crypto Service Encryption User` role on an RBAC vault), the
//! firewall's trusted-services bypass, and creating a new RSA key.
//!
//! A revoke returns a [`RemovedAccess`]: exactly what was removed, so the
//! console can put it back as it was.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::arm::{api_version, same_id, ResourceId};
use crate::requests::Method;
use crate::role_assignment::{KeyVaultRole, RoleAssignment};
use crate::text::Sentence;
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
fn access_policy_write(vault: &Vault, kind: &str, entry: &AccessPolicyEntry, summary: Sentence, command: String) -> PlannedWrite {
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
    summary: Sentence,
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
            Sentence::new(words::ASSIGN_ROLE).with("role", role.name()).with("vault", vault.name.as_str()).with("principal", principal_id),
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
        Sentence::new(words::GRANT_POLICY).with("principal", principal_id).with("vault", vault.name.as_str()),
        az(&args),
    )
}

/// What a revoke removed, kept (in the tab's `sessionStorage`) so Restore puts back exactly that.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum RemovedAccess {
    /// Permissions taken out of an access-policy entry: the whole entry (`whole_entry`), or only
    /// the CMK key permissions it had (`entry` then holds just those).
    #[serde(rename_all = "camelCase")]
    AccessPolicy {
        vault: Box<Vault>,
        entry: AccessPolicyEntry,
        #[serde(default)]
        whole_entry: bool,
    },
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
    pub fn describe(&self) -> Sentence {
        match self {
            RemovedAccess::AccessPolicy { vault, entry, whole_entry } => {
                Sentence::new(if *whole_entry { words::REMOVED_POLICY } else { words::REMOVED_KEY_PERMISSIONS })
                    .with("principal", entry.object_id.as_str())
                    .with("vault", vault.name.as_str())
                    .with("keys", key_permissions_args(entry).join(", "))
            }
            RemovedAccess::RoleAssignment { assignment } => Sentence::new(words::REMOVED_ROLE)
                .with("assignment", assignment.name.as_str())
                .with("principal", assignment.properties.principal_id.as_str())
                .with("scope", assignment.properties.scope.clone().unwrap_or_default()),
        }
    }

    /// "Restore the …." for the restore's preview.
    fn restore_summary(&self) -> Sentence {
        Sentence::new(words::RESTORE).with_words("removed", self.describe())
    }

    /// The write that puts it back as it was.
    pub fn restore(&self) -> PlannedWrite {
        match self {
            RemovedAccess::AccessPolicy { vault, entry, whole_entry: true } => {
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
                access_policy_write(vault, "add", entry, self.restore_summary(), az(&args))
            }
            // `az keyvault set-policy` replaces a whole permission category; adding back a
            // few key permissions exactly is `accessPolicies/add`, which `az rest` sends as is.
            RemovedAccess::AccessPolicy { vault, entry, whole_entry: false } => {
                access_policy_write_as_rest(vault, "add", entry, self.restore_summary())
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
                    self.restore_summary(),
                )
            }
        }
    }
}

/// `PUT {vault}/accessPolicies/{kind}` with one entry, its `az` equivalent the same request through `az rest`.
fn access_policy_write_as_rest(vault: &Vault, kind: &str, entry: &AccessPolicyEntry, summary: Sentence) -> PlannedWrite {
    let mut write = access_policy_write(vault, kind, entry, summary, String::new());
    let body = write.request.body.as_ref().map(|b| b.to_string()).unwrap_or_default();
    write.az = az(&["rest", "--method", "put", "--url", &write.request.path, "--body", &body]);
    write
}

/// `{scope}/providers/Microsoft.Authorization/roleAssignments/{name}` → `{scope}`.
pub fn scope_of_assignment(id: &str) -> String {
    let lower = id.to_ascii_lowercase();
    match lower.find("/providers/microsoft.authorization/roleassignments/") {
        Some(i) => id[..i].to_string(),
        None => id.to_string(),
    }
}

/// How much of a principal's access-policy entry a revoke takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PolicyRevoke {
    /// Only `get`, `wrapKey` and `unwrapKey`: the entry's other permissions (secrets,
    /// certificates, other key operations) stay. The default.
    #[default]
    KeyPermissions,
    /// The whole entry, as the seed's `az keyvault delete-policy` does.
    WholeEntry,
}

/// A revoke's writes, each with what it removes, and the grants it leaves in place.
#[derive(Clone, Debug, PartialEq)]
pub struct Revocation {
    pub writes: Vec<(PlannedWrite, RemovedAccess)>,
    /// Key-granting role assignments at a scope above the vault (resource group, subscription,
    /// management group): they still grant access and are not removed here.
    pub kept: Vec<RoleAssignment>,
}

/// Revoking `principal_id`'s access to the key `key_name` in `vault`.
///
/// - RBAC vault: deletes the principal's key-granting role assignments scoped to the vault or
///   to the key; assignments at parent scopes are listed in [`Revocation::kept`], never deleted
///   (they grant much more than this key, to much more than this registry).
/// - Policy vault: removes `get`, `wrapKey` and `unwrapKey` from the principal's entry
///   ([`PolicyRevoke::KeyPermissions`]), or the whole entry ([`PolicyRevoke::WholeEntry`]).
pub fn revoke_access(
    vault: &Vault,
    principal_id: &str,
    key_name: Option<&str>,
    role_assignments: &[RoleAssignment],
    how: PolicyRevoke,
) -> Result<Revocation, Refusal> {
    let refuse = |message: Sentence| {
        Refusal::new(CODE_NO_ACCESS_TO_REVOKE, message.with("principal", principal_id).with("vault", vault.name.as_str()))
    };
    if vault.properties.rbac() {
        let key_scope = key_name.map(|k| format!("{}/keys/{k}", vault.id));
        let granting: Vec<&RoleAssignment> = role_assignments
            .iter()
            .filter(|ra| ra.properties.principal_id.eq_ignore_ascii_case(principal_id) && ra.properties.key_vault_role().is_some())
            .collect();
        let scope = |ra: &RoleAssignment| ra.properties.scope.clone().unwrap_or_else(|| scope_of_assignment(&ra.id));
        let on_vault_or_key =
            |ra: &RoleAssignment| same_id(&scope(ra), &vault.id) || key_scope.as_deref().is_some_and(|k| same_id(&scope(ra), k));
        let kept: Vec<RoleAssignment> =
            granting.iter().filter(|ra| !on_vault_or_key(ra) && covers_vault(ra, vault)).map(|ra| (*ra).clone()).collect();
        let writes: Vec<(PlannedWrite, RemovedAccess)> =
            granting.into_iter().filter(|ra| on_vault_or_key(ra)).map(|ra| delete_assignment(vault, principal_id, ra)).collect();
        if writes.is_empty() {
            let why = match kept.first() {
                Some(ra) => Sentence::new(words::ONLY_ABOVE_THE_VAULT).with("assignment", ra.name.as_str()).with("scope", scope(ra)),
                None => Sentence::new(words::NO_ROLE_TO_REVOKE),
            };
            return Err(refuse(why));
        }
        return Ok(Revocation { writes, kept });
    }
    let Some(entry) = vault.properties.access_policies.iter().find(|p| p.object_id.eq_ignore_ascii_case(principal_id)) else {
        return Err(refuse(Sentence::new(words::NO_POLICY_TO_REVOKE)));
    };
    let group = vault_group(vault);
    let write = match how {
        PolicyRevoke::WholeEntry => (
            access_policy_write(
                vault,
                "remove",
                entry,
                Sentence::new(words::REMOVE_POLICY).with("principal", principal_id).with("vault", vault.name.as_str()),
                az(&["keyvault", "delete-policy", "-g", &group, "-n", &vault.name, "--object-id", principal_id]),
            )
            .if_match(vault.etag.as_deref()),
            RemovedAccess::AccessPolicy { vault: Box::new(vault.clone()), entry: entry.clone(), whole_entry: true },
        ),
        PolicyRevoke::KeyPermissions => {
            if entry.permissions.keys.as_ref().is_some_and(|ks| ks.iter().any(|k| k.eq_ignore_ascii_case("all"))) {
                return Err(refuse(Sentence::new(words::POLICY_GRANTS_ALL)));
            }
            let held: Vec<String> = entry
                .permissions
                .keys
                .clone()
                .unwrap_or_default()
                .into_iter()
                .filter(|k| CMK_KEY_PERMISSIONS.iter().any(|c| c.eq_ignore_ascii_case(k)))
                .collect();
            if held.is_empty() {
                return Err(refuse(Sentence::new(words::POLICY_GRANTS_NONE)));
            }
            let removed =
                AccessPolicyEntry { permissions: Permissions { keys: Some(held.clone()), ..Permissions::default() }, ..entry.clone() };
            let write = access_policy_write_as_rest(
                vault,
                "remove",
                &removed,
                Sentence::new(words::REMOVE_KEY_PERMISSIONS)
                    .with("permissions", held.join(", "))
                    .with("principal", principal_id)
                    .with("vault", vault.name.as_str()),
            )
            .if_match(vault.etag.as_deref());
            (write, RemovedAccess::AccessPolicy { vault: Box::new(vault.clone()), entry: removed, whole_entry: false })
        }
    };
    Ok(Revocation { writes: vec![write], kept: Vec::new() })
}

fn delete_assignment(vault: &Vault, principal_id: &str, ra: &RoleAssignment) -> (PlannedWrite, RemovedAccess) {
    let id = if ra.id.is_empty() {
        format!("{}/providers/Microsoft.Authorization/roleAssignments/{}", ra.properties.scope.clone().unwrap_or_default(), ra.name)
    } else {
        ra.id.clone()
    };
    let write = PlannedWrite::new(
        Sentence::new(words::DELETE_ROLE_ASSIGNMENT)
            .with("assignment", ra.name.as_str())
            .with("principal", principal_id)
            .with("vault", vault.name.as_str()),
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
        Sentence::new(words::ALLOW_TRUSTED_SERVICES).with("vault", vault.name.as_str()),
        Method::Patch,
        format!("{}?api-version={}", vault.id, api_version::KEY_VAULT),
        Some(json!({"properties": {"networkAcls": acls}})),
        az(&["keyvault", "update", "-g", &vault_group(vault), "-n", &vault.name, "--bypass", "AzureServices"]),
    )
    // `networkAcls` is replaced whole: a rule added since the read would be lost.
    .if_match(vault.etag.as_deref())
}

/// `PATCH {vault}` denying public network access with no exception (`defaultAction: Deny`,
/// `bypass: None`; IP and network rules kept): the firewall the seed's advanced scenario starts from,
/// which the guided demo sets up before showing the way through it.
pub fn deny_public_access(vault: &Vault) -> PlannedWrite {
    let mut acls = vault.properties.network_acls.clone().unwrap_or_default();
    acls.default_action = Some("Deny".into());
    acls.bypass = Some("None".into());
    PlannedWrite::new(
        Sentence::new(words::DENY_PUBLIC_ACCESS).with("vault", vault.name.as_str()),
        Method::Patch,
        format!("{}?api-version={}", vault.id, api_version::KEY_VAULT),
        Some(json!({"properties": {"networkAcls": acls}})),
        az(&["keyvault", "update", "-g", &vault_group(vault), "-n", &vault.name, "--default-action", "Deny", "--bypass", "None"]),
    )
    .if_match(vault.etag.as_deref())
}

/// `PATCH {vault}` turning on soft delete and purge protection (irreversible:
/// the vault and its keys can then never be purged before their retention ends).
pub fn enable_purge_protection(vault: &Vault) -> PlannedWrite {
    PlannedWrite::new(
        Sentence::new(words::PURGE_PROTECTION).with("vault", vault.name.as_str()),
        Method::Patch,
        format!("{}?api-version={}", vault.id, api_version::KEY_VAULT),
        Some(json!({"properties": {"enableSoftDelete": true, "enablePurgeProtection": true}})),
        az(&["keyvault", "update", "-g", &vault_group(vault), "-n", &vault.name, "--enable-purge-protection", "true"]),
    )
}

/// `PUT {vault_id}` with `createMode: recover`: a soft-deleted vault back with its keys, access
/// policies and settings, as `az keyvault recover` sends it (ARM still wants `location`, `tenantId`
/// and `sku` in the body; the recovered vault keeps its own).
pub fn recover_vault(vault_id: &str, location: &str, tenant_id: &str) -> PlannedWrite {
    let name = vault_id.rsplit('/').next().unwrap_or(vault_id);
    PlannedWrite::new(
        Sentence::new(words::RECOVER_VAULT).with("vault", name),
        Method::Put,
        format!("{vault_id}?api-version={}", api_version::KEY_VAULT),
        Some(json!({"location": location, "properties": {
            "tenantId": tenant_id, "sku": {"family": "A", "name": "standard"}, "createMode": "recover"}})),
        az(&["keyvault", "recover", "--name", name]),
    )
}

/// `PUT {vault}/keys/{name}` creating a 2048-bit RSA key (ARM creates a key
/// name only if it does not exist; it never makes a new version).
pub fn create_rsa_key(vault: &Vault, key_name: &str) -> PlannedWrite {
    PlannedWrite::new(
        Sentence::new(words::CREATE_RSA_KEY).with("key", key_name).with("vault", vault.name.as_str()),
        Method::Put,
        format!("{}/keys/{key_name}?api-version={}", vault.id, api_version::KEY_VAULT),
        Some(json!({"properties": {"kty": "RSA", "keySize": 2048}})),
        az(&["keyvault", "key", "create", "--vault-name", &vault.name, "-n", key_name, "--kty", "RSA", "--size", "2048"]),
    )
}

/// The vault writes' sentences, in both languages. Names, ids, scopes, permissions
/// (`get`, `wrapKey`) and role names stay verbatim.
pub mod words {
    crate::catalogue! {
        /// `{role}` is a built-in role's name, `{principal}` a principal (object) id.
        ASSIGN_ROLE: "Assign the '{role}' role on vault '{vault}' to principal {principal}."
            => "키 자격 증명 모음 '{vault}'에 대한 '{role}' 역할을 보안 주체 {principal}에 할당합니다.";
        GRANT_POLICY: "Grant principal {principal} get, wrapKey and unwrapKey on the keys of vault '{vault}'."
            => "보안 주체 {principal}에 키 자격 증명 모음 '{vault}'의 키에 대한 get, wrapKey, unwrapKey 권한을 부여합니다.";
        /// What a revoke removed (`{keys}` the key permissions it held), for Restore and the tab's record.
        REMOVED_POLICY: "access policy of principal {principal} on vault '{vault}' (keys: {keys})"
            => "키 자격 증명 모음 '{vault}'에 있는 보안 주체 {principal}의 액세스 정책(키: {keys})";
        REMOVED_KEY_PERMISSIONS: "key permissions of principal {principal} on vault '{vault}' (keys: {keys})"
            => "키 자격 증명 모음 '{vault}'에 있는 보안 주체 {principal}의 키 권한(키: {keys})";
        REMOVED_ROLE: "role assignment {assignment} of principal {principal} at {scope}"
            => "{scope}에 있는 보안 주체 {principal}의 역할 할당 {assignment}";
        /// `{removed}` is one of the three above.
        RESTORE: "Restore the {removed}." => "{removed}을(를) 복원합니다.";
        ONLY_ABOVE_THE_VAULT: "Principal {principal} reaches vault '{vault}' only through role assignment {assignment} at {scope}, which grants far more than this key; it is not removed here."
            => "보안 주체 {principal}은(는) {scope}의 역할 할당 {assignment}을(를) 통해서만 키 자격 증명 모음 '{vault}'에 접근합니다. 이 역할 할당은 이 키보다 훨씬 많은 권한을 부여하므로 여기서 제거하지 않습니다.";
        NO_ROLE_TO_REVOKE: "Principal {principal} has no role assignment granting key access on vault '{vault}': there is nothing to revoke."
            => "보안 주체 {principal}에게는 키 자격 증명 모음 '{vault}'의 키 액세스 권한을 부여하는 역할 할당이 없으므로 철회할 것이 없습니다.";
        NO_POLICY_TO_REVOKE: "Principal {principal} has no access policy on vault '{vault}': there is nothing to revoke."
            => "보안 주체 {principal}에게는 키 자격 증명 모음 '{vault}'에 액세스 정책이 없으므로 철회할 것이 없습니다.";
        POLICY_GRANTS_ALL: "The access policy of principal {principal} on vault '{vault}' grants 'all' key permissions; removing get, wrapKey and unwrapKey alone would not revoke it. Remove the whole entry instead."
            => "키 자격 증명 모음 '{vault}'에 있는 보안 주체 {principal}의 액세스 정책은 'all' 키 권한을 부여하므로 get, wrapKey, unwrapKey만 제거해서는 철회되지 않습니다. 대신 항목 전체를 제거하세요.";
        POLICY_GRANTS_NONE: "The access policy of principal {principal} on vault '{vault}' grants none of get, wrapKey and unwrapKey: there is nothing to revoke."
            => "키 자격 증명 모음 '{vault}'에 있는 보안 주체 {principal}의 액세스 정책은 get, wrapKey, unwrapKey 중 어느 것도 부여하지 않으므로 철회할 것이 없습니다.";
        REMOVE_POLICY: "Remove the whole access policy of principal {principal} from vault '{vault}'."
            => "키 자격 증명 모음 '{vault}'에서 보안 주체 {principal}의 액세스 정책 전체를 제거합니다.";
        /// `{permissions}` are the key permissions removed ("get, wrapKey, unwrapKey").
        REMOVE_KEY_PERMISSIONS: "Remove key permissions {permissions} of principal {principal} on vault '{vault}' (its other permissions stay)."
            => "키 자격 증명 모음 '{vault}'에 있는 보안 주체 {principal}의 키 권한 {permissions}을(를) 제거합니다(다른 권한은 그대로 유지됨).";
        DELETE_ROLE_ASSIGNMENT: "Delete role assignment {assignment} of principal {principal} (vault '{vault}')."
            => "보안 주체 {principal}의 역할 할당 {assignment}을(를) 삭제합니다(키 자격 증명 모음 '{vault}').";
        ALLOW_TRUSTED_SERVICES: "Let trusted Azure services (Container Registry among them) bypass the firewall of vault '{vault}'."
            => "신뢰할 수 있는 Azure 서비스(Container Registry 포함)가 키 자격 증명 모음 '{vault}'의 방화벽을 무시하도록 허용합니다.";
        DENY_PUBLIC_ACCESS: "Deny public network access to vault '{vault}', with no exception for trusted Azure services."
            => "키 자격 증명 모음 '{vault}'에 대한 공용 네트워크 액세스를 거부하고, 신뢰할 수 있는 Azure 서비스도 예외로 두지 않습니다.";
        PURGE_PROTECTION: "Turn on soft delete and purge protection for vault '{vault}' (purge protection cannot be turned off again)."
            => "키 자격 증명 모음 '{vault}'의 일시 삭제 및 제거 보호를 켭니다(제거 보호는 다시 끌 수 없음).";
        RECOVER_VAULT: "Recover the soft-deleted vault '{vault}' with its keys and access policies."
            => "일시 삭제된 키 자격 증명 모음 '{vault}'을(를) 키와 액세스 정책과 함께 복구합니다.";
        CREATE_RSA_KEY: "Create the RSA key '{key}' in vault '{vault}'." => "키 자격 증명 모음 '{vault}'에 RSA 키 '{key}'을(를) 만듭니다.";
    }
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
    fn revoking_a_policy_by_default_takes_only_the_cmk_key_permissions_and_restore_adds_them_back() {
        let r = revoke_access(&vault(false), &P.to_uppercase(), Some("k1"), &[], PolicyRevoke::KeyPermissions).unwrap();
        assert_eq!(r.writes.len(), 1);
        let (w, removed) = &r.writes[0];
        assert_eq!(w.request.path, format!("{VAULT_ID}/accessPolicies/remove?api-version=2025-05-01"));
        let sent = &w.request.body.as_ref().unwrap()["properties"]["accessPolicies"][0];
        // `list` and the secret permission stay in the entry.
        assert_eq!(sent["permissions"], json!({"keys": ["get", "wrapKey", "unwrapKey"]}));
        // The az equivalent is the same request.
        assert!(
            w.az.starts_with(&format!("az rest --method put --url '{VAULT_ID}/accessPolicies/remove?api-version=2025-05-01' --body '")),
            "{}",
            w.az
        );
        assert!(w.az.contains(r#""keys":["get","wrapKey","unwrapKey"]"#), "{}", w.az);
        let restore = removed.restore();
        assert_eq!(restore.request.path, format!("{VAULT_ID}/accessPolicies/add?api-version=2025-05-01"));
        assert_eq!(restore.request.body.as_ref().unwrap()["properties"]["accessPolicies"][0], *sent);
        assert!(restore.az.starts_with("az rest --method put --url "), "{}", restore.az);
        assert!(removed.describe().to_string().starts_with("key permissions of principal"), "{}", removed.describe());
        assert_eq!(
            restore.summary.to_string(),
            format!("Restore the key permissions of principal {P} on vault 'kv1' (keys: get, wrapKey, unwrapKey).")
        );
        assert_eq!(
            restore.summary.get(crate::text::Lang::Ko),
            format!("키 자격 증명 모음 'kv1'에 있는 보안 주체 {P}의 키 권한(키: get, wrapKey, unwrapKey)을(를) 복원합니다.")
        );
    }

    #[test]
    fn revoking_a_whole_policy_is_the_seeds_delete_policy_and_restore_puts_it_back_exactly() {
        let r = revoke_access(&vault(false), &P.to_uppercase(), Some("k1"), &[], PolicyRevoke::WholeEntry).unwrap();
        let (w, removed) = &r.writes[0];
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
    fn an_all_keys_policy_or_one_without_cmk_permissions_is_refused_by_default() {
        let mut v = vault(false);
        v.properties.access_policies[0].permissions.keys = Some(vec!["all".into()]);
        let r = revoke_access(&v, P, None, &[], PolicyRevoke::KeyPermissions).unwrap_err();
        assert!(r.message.to_string().contains("'all' key permissions"), "{}", r.message);
        assert!(revoke_access(&v, P, None, &[], PolicyRevoke::WholeEntry).is_ok());
        v.properties.access_policies[0].permissions.keys = Some(vec!["list".into()]);
        assert!(revoke_access(&v, P, None, &[], PolicyRevoke::KeyPermissions).unwrap_err().message.to_string().contains("none of get"));
    }

    #[test]
    fn revoking_on_rbac_deletes_vault_and_key_scoped_grants_and_keeps_parent_scope_ones() {
        let keep = assignment("acdd72a7-3385-48ef-bd42-f606fba81ae7", P); // Reader: not key access
        let grant = assignment(KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, P);
        let other = assignment(KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, "someone-else");
        let mut on_key = assignment(KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, P);
        on_key.name = "on-key".into();
        on_key.properties.scope = Some(format!("{VAULT_ID}/keys/k1"));
        on_key.id = format!("{VAULT_ID}/keys/k1/providers/Microsoft.Authorization/roleAssignments/on-key");
        let mut admin = assignment(KeyVaultRole::Administrator.guid(), P);
        admin.name = "sub-admin".into();
        admin.properties.scope = Some("/subscriptions/s1".into());
        admin.id = "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/sub-admin".into();
        let r = revoke_access(
            &vault(true),
            P,
            Some("k1"),
            &[keep, grant.clone(), other, on_key.clone(), admin.clone()],
            PolicyRevoke::KeyPermissions,
        )
        .unwrap();
        let deleted: Vec<&str> = r.writes.iter().map(|(w, _)| w.request.path.as_str()).collect();
        assert_eq!(deleted, [format!("{}?api-version=2022-04-01", grant.id), format!("{}?api-version=2022-04-01", on_key.id)]);
        assert_eq!(r.kept, [admin.clone()]);
        let (w, removed) = &r.writes[0];
        assert_eq!(w.request.method, Method::Delete);
        assert!(w.request.body.is_none());
        assert_eq!(w.az, format!("az role assignment delete --ids {}", grant.id));
        let restore = removed.restore();
        assert_eq!(restore.request.method, Method::Put);
        assert_eq!(restore.request.path, format!("{}?api-version=2022-04-01", grant.id));
        assert_eq!(restore.request.body.as_ref().unwrap()["properties"]["principalId"], P);

        // Only a subscription-scope grant: nothing is deleted, and the refusal names it.
        let r = revoke_access(&vault(true), P, Some("k1"), &[admin], PolicyRevoke::KeyPermissions).unwrap_err();
        assert!(r.message.to_string().contains("sub-admin") && r.message.to_string().contains("not removed here"), "{}", r.message);
    }

    #[test]
    fn nothing_to_revoke_is_refused() {
        let r = revoke_access(&vault(true), P, None, &[], PolicyRevoke::KeyPermissions).unwrap_err();
        assert_eq!(r.code, CODE_NO_ACCESS_TO_REVOKE);
        assert!(revoke_access(&vault(false), "nobody", None, &[], PolicyRevoke::KeyPermissions).is_err());
    }

    #[test]
    fn removed_access_round_trips_through_json() {
        let r = revoke_access(&vault(false), P, None, &[], PolicyRevoke::KeyPermissions).unwrap();
        let removed = &r.writes[0].1;
        let text = serde_json::to_string(removed).unwrap();
        assert_eq!(&serde_json::from_str::<RemovedAccess>(&text).unwrap(), removed);
        let grant = assignment(KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, P);
        let r = revoke_access(&vault(true), P, None, &[grant], PolicyRevoke::KeyPermissions).unwrap();
        let text = serde_json::to_string(&r.writes[0].1).unwrap();
        assert_eq!(serde_json::from_str::<RemovedAccess>(&text).unwrap(), r.writes[0].1);
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
    fn writes_computed_from_the_vault_as_read_carry_its_etag_and_the_others_do_not() {
        let mut v = vault(false);
        v.etag = Some("W/\"e-1\"".into());
        // networkAcls is replaced whole, and a policy revoke names what the entry held: both depend on the read.
        assert_eq!(allow_trusted_services(&v).request.if_match.as_deref(), Some("W/\"e-1\""));
        for how in [PolicyRevoke::KeyPermissions, PolicyRevoke::WholeEntry] {
            let r = revoke_access(&v, P, Some("k1"), &[], how).unwrap();
            assert_eq!(r.writes[0].0.request.if_match.as_deref(), Some("W/\"e-1\""), "{how:?}");
            // Restoring later must not fail on the ETag of a read long gone.
            assert_eq!(r.writes[0].1.restore().request.if_match, None);
        }
        assert_eq!(grant_access(&v, "t-1", P, "g").request.if_match, None);
        assert_eq!(enable_purge_protection(&v).request.if_match, None);
        // Same change, new ETag: not a new plan.
        let mut again = allow_trusted_services(&v);
        again.request.if_match = Some("W/\"e-2\"".into());
        assert!(again.request.same_change(&allow_trusted_services(&v).request));
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
    fn denying_public_access_keeps_the_rules_and_drops_the_exception() {
        let mut v = vault(false);
        v.properties.network_acls.as_mut().unwrap().bypass = Some("AzureServices".into());
        v.properties.network_acls.as_mut().unwrap().default_action = Some("Allow".into());
        let w = deny_public_access(&v);
        assert_eq!(w.request.method, Method::Patch);
        let acls = &w.request.body.as_ref().unwrap()["properties"]["networkAcls"];
        assert_eq!((acls["defaultAction"].as_str(), acls["bypass"].as_str()), (Some("Deny"), Some("None")));
        assert_eq!(acls["ipRules"][0]["value"], "1.2.3.4", "the rules are sent back as they were");
        assert_eq!(w.az, "az keyvault update -g g -n kv1 --default-action Deny --bypass None");
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
