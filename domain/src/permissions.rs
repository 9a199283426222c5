//! What the signed-in caller may do: Azure RBAC's permissions API
//! (`{scope}/providers/Microsoft.Authorization/permissions`), the action an ARM
//! request needs, wildcard matching as Azure evaluates it, and the built-in
//! roles (with their permissions as Azure defines them) that grant an action.
//! The emulator enforces access with the same table and the same mapping, so
//! what the console predicts and what the service refuses cannot drift apart.

use crate::text::Sentence;
use serde::{Deserialize, Serialize};

use crate::requests::Method;

/// One block of a role definition's (or the permissions API's) permissions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub not_actions: Vec<String>,
    #[serde(default)]
    pub data_actions: Vec<String>,
    #[serde(default)]
    pub not_data_actions: Vec<String>,
}

/// `GET {scope}/providers/Microsoft.Authorization/permissions`: one block per role assignment that applies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionList {
    #[serde(default)]
    pub value: Vec<Permission>,
}

/// Does `pattern` (with `*` standing for any run of characters) match `action`? Case-insensitive, as Azure.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let a: Vec<char> = action.to_ascii_lowercase().chars().collect();
    // Classic glob with one star backtrack point: linear enough for action strings.
    let (mut pi, mut ai, mut star, mut mark) = (0, 0, None, 0);
    while ai < a.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == a[ai] {
            pi += 1;
            ai += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ai;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ai = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn granted(allow: &[String], deny: &[String], action: &str) -> bool {
    allow.iter().any(|p| action_matches(p, action)) && !deny.iter().any(|p| action_matches(p, action))
}

impl Permission {
    /// Azure evaluates each block on its own: a block grants an action its `actions` match and its `notActions` do not.
    pub fn allows(&self, action: &str) -> bool {
        granted(&self.actions, &self.not_actions, action)
    }

    pub fn allows_data(&self, data_action: &str) -> bool {
        granted(&self.data_actions, &self.not_data_actions, data_action)
    }
}

/// May a caller holding `perms` perform the management action `action`?
pub fn allows(perms: &[Permission], action: &str) -> bool {
    perms.iter().any(|p| p.allows(action))
}

/// May a caller holding `perms` perform the data action `data_action` (an RBAC key vault's data plane)?
pub fn allows_data(perms: &[Permission], data_action: &str) -> bool {
    perms.iter().any(|p| p.allows_data(data_action))
}

/// A built-in Azure role: the same id in every tenant, its permissions as Azure defines them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltinRole {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub actions: &'static [&'static str],
    pub not_actions: &'static [&'static str],
    pub data_actions: &'static [&'static str],
    pub not_data_actions: &'static [&'static str],
}

impl BuiltinRole {
    pub fn permission(&self) -> Permission {
        let own = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        Permission {
            actions: own(self.actions),
            not_actions: own(self.not_actions),
            data_actions: own(self.data_actions),
            not_data_actions: own(self.not_data_actions),
        }
    }

    /// The role whose definition GUID (or full definition id) this is.
    pub fn by_definition(role_definition: &str) -> Option<&'static BuiltinRole> {
        let guid = role_definition.trim_end_matches('/').rsplit('/').next().unwrap_or(role_definition);
        BUILTIN_ROLES.iter().find(|r| r.id.eq_ignore_ascii_case(guid))
    }

    pub fn by_name(name: &str) -> Option<&'static BuiltinRole> {
        BUILTIN_ROLES.iter().find(|r| r.name.eq_ignore_ascii_case(name))
    }
}

const KV_READS: &[&str] = &[
    "Microsoft.Authorization/*/read",
    "Microsoft.Insights/alertRules/*",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Support/*",
    "Microsoft.KeyVault/checkNameAvailability/read",
    "Microsoft.KeyVault/deletedVaults/read",
    "Microsoft.KeyVault/locations/*/read",
    "Microsoft.KeyVault/vaults/*/read",
    "Microsoft.KeyVault/operations/read",
];
const EVENT_GRID: &[&str] = &[
    "Microsoft.EventGrid/eventSubscriptions/write",
    "Microsoft.EventGrid/eventSubscriptions/read",
    "Microsoft.EventGrid/eventSubscriptions/delete",
];

/// The built-in roles the console and the emulator know, the narrowest first: [`role_granting`]
/// names the first that grants an action.
pub const BUILTIN_ROLES: [BuiltinRole; 9] = [
    BuiltinRole {
        id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        name: "Reader",
        description: "View all resources, but does not allow you to make any changes.",
        actions: &["*/read"],
        not_actions: &[],
        data_actions: &[],
        not_data_actions: &[],
    },
    BuiltinRole {
        id: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
        name: "Key Vault Crypto Service Encryption User",
        description: "Read metadata of keys and perform wrap/unwrap operations. Only works for key vaults that use the 'Azure role-based access control' permission model.",
        actions: EVENT_GRID,
        not_actions: &[],
        data_actions: &[
            "Microsoft.KeyVault/vaults/keys/read",
            "Microsoft.KeyVault/vaults/keys/wrap/action",
            "Microsoft.KeyVault/vaults/keys/unwrap/action",
        ],
        not_data_actions: &[],
    },
    BuiltinRole {
        id: "12338af0-0e69-4776-bea7-57ae8d297424",
        name: "Key Vault Crypto User",
        description: "Perform cryptographic operations using keys. Only works for key vaults that use the 'Azure role-based access control' permission model.",
        actions: &[],
        not_actions: &[],
        data_actions: &[
            "Microsoft.KeyVault/vaults/keys/read",
            "Microsoft.KeyVault/vaults/keys/update/action",
            "Microsoft.KeyVault/vaults/keys/backup/action",
            "Microsoft.KeyVault/vaults/keys/encrypt/action",
            "Microsoft.KeyVault/vaults/keys/decrypt/action",
            "Microsoft.KeyVault/vaults/keys/wrap/action",
            "Microsoft.KeyVault/vaults/keys/unwrap/action",
            "Microsoft.KeyVault/vaults/keys/sign/action",
            "Microsoft.KeyVault/vaults/keys/verify/action",
        ],
        not_data_actions: &[],
    },
    BuiltinRole {
        id: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
        name: "Key Vault Crypto Officer",
        description: "Perform any action on the keys of a key vault, except manage permissions. Only works for key vaults that use the 'Azure role-based access control' permission model.",
        actions: KV_READS,
        not_actions: &[],
        data_actions: &["Microsoft.KeyVault/vaults/keys/*", "Microsoft.KeyVault/vaults/keyrotationpolicies/*"],
        not_data_actions: &[],
    },
    BuiltinRole {
        id: "f25e0fa2-a7c8-4377-a976-54943a77a395",
        name: "Key Vault Contributor",
        description: "Manage key vaults, but does not allow you to assign roles in Azure RBAC, and does not allow you to access secrets, keys, or certificates.",
        actions: &[
            "Microsoft.Authorization/*/read",
            "Microsoft.Insights/alertRules/*",
            "Microsoft.KeyVault/*",
            "Microsoft.Resources/deployments/*",
            "Microsoft.Resources/subscriptions/resourceGroups/read",
            "Microsoft.Support/*",
        ],
        not_actions: &["Microsoft.KeyVault/locations/deletedVaults/purge/action", "Microsoft.KeyVault/hsmPools/*", "Microsoft.KeyVault/managedHsms/*"],
        data_actions: &[],
        not_data_actions: &[],
    },
    BuiltinRole {
        id: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        name: "Key Vault Administrator",
        description: "Perform all data plane operations on a key vault and all objects in it, including certificates, keys, and secrets. Cannot manage key vault resources or manage role assignments. Only works for key vaults that use the 'Azure role-based access control' permission model.",
        actions: KV_READS,
        not_actions: &[],
        data_actions: &["Microsoft.KeyVault/vaults/*"],
        not_data_actions: &[],
    },
    BuiltinRole {
        id: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        name: "User Access Administrator",
        description: "Lets you manage user access to Azure resources.",
        actions: &["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
        not_actions: &[],
        data_actions: &[],
        not_data_actions: &[],
    },
    BuiltinRole {
        id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
        name: "Contributor",
        description: "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
        actions: &["*"],
        not_actions: &[
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action",
            "Microsoft.Blueprint/blueprintAssignments/write",
            "Microsoft.Blueprint/blueprintAssignments/delete",
            "Microsoft.Compute/galleries/share/action",
            "Microsoft.Purview/consents/write",
            "Microsoft.Purview/consents/delete",
            "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
            "Microsoft.Subscription/cancel/action",
            "Microsoft.Subscription/enable/action",
        ],
        data_actions: &[],
        not_data_actions: &[],
    },
    BuiltinRole {
        id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        name: "Owner",
        description: "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
        actions: &["*"],
        not_actions: &[],
        data_actions: &[],
        not_data_actions: &[],
    },
];

/// The narrowest built-in role that grants the management action `action`.
pub fn role_granting(action: &str) -> Option<&'static BuiltinRole> {
    BUILTIN_ROLES.iter().find(|r| r.permission().allows(action))
}

/// The narrowest built-in role that grants the data action `data_action`.
pub fn role_granting_data(data_action: &str) -> Option<&'static BuiltinRole> {
    BUILTIN_ROLES.iter().find(|r| r.permission().allows_data(data_action))
}

/// What ARM checks an authenticated request against: the action and the scope it is checked at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequiredAction {
    pub action: String,
    pub scope: String,
}

/// Provider resource types in ARM paths are lower-cased by some clients; actions spell them as Azure does.
fn resources_type(segment: &str) -> String {
    match segment.to_ascii_lowercase().as_str() {
        "resourcegroups" => "resourceGroups".into(),
        "operationresults" => "operationResults".into(),
        _ => segment.to_string(),
    }
}

/// The action ARM checks for `method` on `path` (path and optional query, relative to the endpoint):
/// reads are `…/read`, PUT and PATCH `…/write`, DELETE `…/delete`, POST `…/{name}/action`.
/// `None` outside subscriptions (tenant-level routes ARM does not authorize by role here).
pub fn required_action(method: Method, path: &str) -> Option<RequiredAction> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segs.len() < 2 || !segs[0].eq_ignore_ascii_case("subscriptions") {
        return None;
    }
    let last_providers = (0..segs.len().saturating_sub(1)).rev().find(|&i| segs[i].eq_ignore_ascii_case("providers"));
    // (the type names, in order; the segments after the namespace; the id the rest hangs off)
    let (mut types, rest, base): (Vec<String>, Vec<&str>, Vec<&str>) = match last_providers {
        Some(p) => {
            let ns = segs[p + 1];
            let rest = segs[p + 2..].to_vec();
            if rest.is_empty() {
                // `/subscriptions/{s}/providers/{namespace}`: reading a resource provider's registration.
                let scope = format!("/{}", segs[..p].join("/"));
                return Some(RequiredAction { action: "Microsoft.Resources/subscriptions/providers/read".into(), scope });
            }
            (vec![ns.to_string()], rest, segs[..p].to_vec())
        }
        None => (vec!["Microsoft.Resources".into()], segs.clone(), Vec::new()),
    };
    let mut rest = rest;
    let mut post_action = None;
    if method == Method::Post && rest.len() % 2 == 1 {
        post_action = rest.pop();
    }
    types.extend(rest.iter().step_by(2).map(|t| resources_type(t)));
    let collection = rest.len() % 2 == 1;
    let verb = match (method, post_action) {
        // Name checks are reads in Azure's operation list, though sent as POST.
        (_, Some(a)) if a.eq_ignore_ascii_case("checkNameAvailability") => format!("{a}/read"),
        (Method::Post, Some(a)) => format!("{a}/action"),
        (Method::Get, _) => "read".into(),
        (Method::Put | Method::Patch, _) => "write".into(),
        (Method::Delete, _) => "delete".into(),
        (Method::Post, None) => "action".into(),
    };
    let mut scope_segs = base;
    let kept = if collection { rest.len() - 1 } else { rest.len() };
    if let Some(p) = last_providers {
        scope_segs.push(segs[p]);
        scope_segs.push(segs[p + 1]);
    }
    scope_segs.extend(&rest[..kept]);
    // Ending on a namespace (`…/providers/Microsoft.X`) is no resource: the scope is what it hangs off.
    if last_providers.is_some() && kept == 0 {
        scope_segs.truncate(scope_segs.len() - 2);
    }
    Some(RequiredAction { action: format!("{}/{verb}", types.join("/")), scope: format!("/{}", scope_segs.join("/")) })
}

/// Key Vault's data-plane operation, as an RBAC data action and the access-policy key permission that also grants it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataAction {
    pub data_action: &'static str,
    /// The key permission of an access policy (`get`, `list`, `create`, …).
    pub key_permission: &'static str,
}

/// The data action of a Key Vault keys request (`path` relative to the vault: `/keys/…`, `/deletedkeys/…`).
pub fn key_data_action(method: Method, path: &str) -> Option<DataAction> {
    let path = path.split('?').next().unwrap_or(path);
    let segs: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(str::to_ascii_lowercase).collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let (data_action, key_permission) = match (method, s.as_slice()) {
        (Method::Get, ["keys"]) => ("Microsoft.KeyVault/vaults/keys/read", "list"),
        (Method::Get, ["keys", _, "versions"]) => ("Microsoft.KeyVault/vaults/keys/read", "list"),
        (Method::Get, ["keys", ..]) => ("Microsoft.KeyVault/vaults/keys/read", "get"),
        (Method::Post, ["keys", _, "create"]) => ("Microsoft.KeyVault/vaults/keys/create/action", "create"),
        (Method::Post, ["keys", _, "rotate"]) => ("Microsoft.KeyVault/vaults/keys/rotate/action", "rotate"),
        (Method::Patch, ["keys", ..]) => ("Microsoft.KeyVault/vaults/keys/update/action", "update"),
        (Method::Delete, ["keys", ..]) => ("Microsoft.KeyVault/vaults/keys/delete", "delete"),
        (Method::Get, ["deletedkeys", ..]) => ("Microsoft.KeyVault/vaults/deletedKeys/read", "get"),
        (Method::Post, ["deletedkeys", _, "recover"]) => ("Microsoft.KeyVault/vaults/deletedKeys/recover/action", "recover"),
        (Method::Delete, ["deletedkeys", ..]) => ("Microsoft.KeyVault/vaults/deletedKeys/delete", "purge"),
        _ => return None,
    };
    Some(DataAction { data_action, key_permission })
}

/// What a caller lacks for one write, in words for the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    pub action: String,
    pub scope: String,
    /// The narrowest built-in role that grants it.
    pub role: Option<&'static str>,
}

/// Whether `perms` (read at a scope covering the request's) allow `method` on `path`; what is missing if not.
pub fn check_request(perms: &[Permission], method: Method, path: &str) -> Result<(), Missing> {
    let Some(required) = required_action(method, path) else { return Ok(()) };
    if allows(perms, &required.action) {
        return Ok(());
    }
    Err(Missing { role: role_granting(&required.action).map(|r| r.name), action: required.action, scope: required.scope })
}

/// The writes the console makes, by the action ARM checks for them.
pub mod actions {
    pub const REGISTRY_WRITE: &str = "Microsoft.ContainerRegistry/registries/write";
    pub const VAULT_WRITE: &str = "Microsoft.KeyVault/vaults/write";
    pub const ACCESS_POLICY_WRITE: &str = "Microsoft.KeyVault/vaults/accessPolicies/write";
    pub const ROLE_ASSIGNMENT_WRITE: &str = "Microsoft.Authorization/roleAssignments/write";
    pub const ROLE_ASSIGNMENT_DELETE: &str = "Microsoft.Authorization/roleAssignments/delete";
}

/// Which resource a write's action is checked on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    Registry,
    Vault,
}

impl On {
    pub fn noun(self) -> &'static str {
        match self {
            On::Registry => "the registry",
            On::Vault => "the key vault",
        }
    }
}

/// One action a write needs, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Need {
    pub on: On,
    pub action: &'static str,
}

impl Need {
    pub const fn registry(action: &'static str) -> Need {
        Need { on: On::Registry, action }
    }
    pub const fn vault(action: &'static str) -> Need {
        Need { on: On::Vault, action }
    }
}

/// What the write that applies `fix` needs (nothing for a command the user runs elsewhere).
pub fn fix_needs(fix: &crate::diagnosis::Fix) -> Vec<Need> {
    use crate::diagnosis::Fix;
    match fix {
        Fix::GrantAccessPolicy { .. } => vec![Need::vault(actions::ACCESS_POLICY_WRITE)],
        Fix::AssignRole { .. } => vec![Need::vault(actions::ROLE_ASSIGNMENT_WRITE)],
        Fix::AttachUserIdentity { .. } | Fix::EnableSystemIdentity | Fix::RotateKey { .. } => vec![Need::registry(actions::REGISTRY_WRITE)],
        Fix::EnablePurgeProtection { .. } | Fix::RecoverVault { .. } => vec![Need::vault(actions::VAULT_WRITE)],
        Fix::EnableSystemIdentityAndBypass { .. } => firewall_needs(),
        Fix::RunCommand { .. } => Vec::new(),
    }
}

/// The firewall sequence: the registry's identity and key, the vault's grant and network rules.
pub fn firewall_needs() -> Vec<Need> {
    vec![Need::registry(actions::REGISTRY_WRITE), Need::vault(actions::VAULT_WRITE), Need::vault(actions::ACCESS_POLICY_WRITE)]
}

/// Revoking the registry's key access: an access-policy removal, or on an RBAC vault deleting its role assignment.
pub fn revoke_needs(rbac: bool) -> Vec<Need> {
    vec![Need::vault(if rbac { actions::ROLE_ASSIGNMENT_DELETE } else { actions::ACCESS_POLICY_WRITE })]
}

/// Restoring it: an access policy, or a new role assignment.
pub fn restore_needs(rbac: bool) -> Vec<Need> {
    vec![Need::vault(if rbac { actions::ROLE_ASSIGNMENT_WRITE } else { actions::ACCESS_POLICY_WRITE })]
}

/// The signed-in caller's permissions on the registry and on its key's vault, as read (`None`: not read, or the read failed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallerAccess {
    pub registry: Option<Vec<Permission>>,
    pub vault: Option<Vec<Permission>>,
    /// The vault's permission model (`None`: not known): it decides which action a key-access write needs.
    pub vault_rbac: Option<bool>,
}

/// Whether the caller may make a write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Allowance {
    Allowed,
    /// The first action the caller lacks, where, and the narrowest built-in role that grants it.
    Missing {
        on: On,
        action: &'static str,
        role: Option<&'static str>,
    },
    /// The permissions on that resource could not be read: the write is offered, ARM decides.
    Unknown,
}

impl Allowance {
    /// "You need the permission 'Microsoft.X/write' on the registry, which you do not hold. The built-in role 'Contributor' grants it."
    pub fn missing_text(&self) -> Option<String> {
        self.missing().map(|s| s.to_string())
    }

    /// What is missing, in either language.
    pub fn missing(&self) -> Option<Sentence> {
        let Allowance::Missing { on, action, role } = self else { return None };
        let text = match on {
            On::Registry => words::MISSING_ON_REGISTRY,
            On::Vault => words::MISSING_ON_VAULT,
        };
        let grant = role.map_or(Sentence::empty(), |r| Sentence::new(words::ROLE_GRANTS).with("role", r));
        Some(Sentence::new(text).with("action", *action).with_words("grant", grant))
    }
}

/// What a write the caller may not make lacks, in both languages.
pub mod words {
    crate::catalogue! {
        /// `{action}` is an Azure permission; `{grant}` is [`ROLE_GRANTS`] or nothing.
        MISSING_ON_REGISTRY: "You need the permission '{action}' on the registry, which you do not hold.{grant}"
            => "레지스트리에 대한 '{action}' 권한이 필요하지만 현재 없습니다.{grant}";
        MISSING_ON_VAULT: "You need the permission '{action}' on the key vault, which you do not hold.{grant}"
            => "키 자격 증명 모음에 대한 '{action}' 권한이 필요하지만 현재 없습니다.{grant}";
        /// `{role}` is a built-in role's name, as Azure names it.
        ROLE_GRANTS: " The built-in role '{role}' grants it." => " 기본 제공 역할 '{role}'이(가) 이 권한을 부여합니다.";
        CHECKING: "Checking your permissions…" => "권한을 확인하는 중…";
    }
}

impl CallerAccess {
    /// Revoking and restoring the registry's key access on this vault.
    pub fn key_access_needs(&self) -> Vec<Need> {
        let rbac = self.vault_rbac.unwrap_or(false);
        let mut needs = revoke_needs(rbac);
        for need in restore_needs(rbac) {
            if !needs.contains(&need) {
                needs.push(need);
            }
        }
        needs
    }

    pub fn allowance(&self, needs: &[Need]) -> Allowance {
        let mut unknown = false;
        for need in needs {
            let perms = match need.on {
                On::Registry => &self.registry,
                On::Vault => &self.vault,
            };
            match perms {
                None => unknown = true,
                Some(p) if allows(p, need.action) => {}
                Some(_) => {
                    return Allowance::Missing { on: need.on, action: need.action, role: role_granting(need.action).map(|r| r.name) }
                }
            }
        }
        if unknown {
            Allowance::Unknown
        } else {
            Allowance::Allowed
        }
    }
}

/// The action and role named in ARM's `AuthorizationFailed` message, for a read the caller may not make:
/// "you need '…' (the built-in role 'Reader' grants it)".
pub fn denied_read_hint(message: &str) -> Option<String> {
    let rest = message.split("perform action '").nth(1)?;
    let action = rest.split('\'').next()?;
    let role = role_granting(action).map(|r| format!(" (the built-in role '{}' grants it)", r.name)).unwrap_or_default();
    Some(format!("you need the permission '{action}'{role}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REG: &str = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r";
    const KV: &str = "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv";

    fn action(method: Method, path: &str) -> (String, String) {
        let r = required_action(method, path).unwrap();
        (r.action, r.scope)
    }

    #[test]
    fn wildcards_match_as_azure_does() {
        assert!(action_matches("*", "Microsoft.ContainerRegistry/registries/write"));
        assert!(action_matches("*/read", "Microsoft.KeyVault/vaults/read"));
        assert!(!action_matches("*/read", "Microsoft.KeyVault/vaults/write"));
        assert!(action_matches("Microsoft.Authorization/*/Write", "microsoft.authorization/roleAssignments/write"));
        assert!(action_matches("Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/locations/deletedVaults/read"));
        assert!(!action_matches("Microsoft.KeyVault/*", "Microsoft.KeyVaultX"));
        assert!(action_matches("a*b*c", "a-x-b-y-b-c"));
        assert!(!action_matches("a*b*c", "a-x-b-y-b-d"));
    }

    #[test]
    fn routes_map_to_actions_and_scopes() {
        assert_eq!(
            action(Method::Get, &format!("{REG}?api-version=1")),
            ("Microsoft.ContainerRegistry/registries/read".into(), REG.into())
        );
        assert_eq!(action(Method::Patch, REG), ("Microsoft.ContainerRegistry/registries/write".into(), REG.into()));
        assert_eq!(action(Method::Delete, REG).0, "Microsoft.ContainerRegistry/registries/delete");
        assert_eq!(
            action(Method::Put, &format!("{KV}/accessPolicies/add")),
            ("Microsoft.KeyVault/vaults/accessPolicies/write".into(), format!("{KV}/accessPolicies/add"))
        );
        assert_eq!(
            action(Method::Put, &format!("{KV}/providers/Microsoft.Authorization/roleAssignments/g1")),
            ("Microsoft.Authorization/roleAssignments/write".into(), format!("{KV}/providers/Microsoft.Authorization/roleAssignments/g1"))
        );
        assert_eq!(
            action(Method::Get, &format!("{KV}/providers/Microsoft.Authorization/roleAssignments?$filter=x")),
            ("Microsoft.Authorization/roleAssignments/read".into(), KV.into())
        );
        assert_eq!(
            action(Method::Get, "/subscriptions/s/resourcegroups"),
            ("Microsoft.Resources/subscriptions/resourceGroups/read".into(), "/subscriptions/s".into())
        );
        assert_eq!(action(Method::Get, "/subscriptions/s"), ("Microsoft.Resources/subscriptions/read".into(), "/subscriptions/s".into()));
        assert_eq!(
            action(Method::Get, "/subscriptions/s/providers/Microsoft.ContainerRegistry/registries"),
            ("Microsoft.ContainerRegistry/registries/read".into(), "/subscriptions/s".into())
        );
        assert_eq!(
            action(Method::Post, "/subscriptions/s/providers/Microsoft.KeyVault/locations/westeurope/deletedVaults/kv/purge"),
            (
                "Microsoft.KeyVault/locations/deletedVaults/purge/action".into(),
                "/subscriptions/s/providers/Microsoft.KeyVault/locations/westeurope/deletedVaults/kv".into()
            )
        );
        assert_eq!(
            action(Method::Post, "/subscriptions/s/providers/Microsoft.ContainerRegistry/checkNameAvailability").0,
            "Microsoft.ContainerRegistry/checkNameAvailability/read"
        );
        assert_eq!(
            action(Method::Get, &format!("{REG}/providers/Microsoft.ManagedIdentity/identities/default")).0,
            "Microsoft.ManagedIdentity/identities/read"
        );
        assert_eq!(
            action(Method::Get, "/subscriptions/s/providers/Microsoft.KeyVault").0,
            "Microsoft.Resources/subscriptions/providers/read"
        );
        assert!(required_action(Method::Post, "/providers/Microsoft.ResourceGraph/resources").is_none());
    }

    #[test]
    fn roles_grant_what_azure_says() {
        let role = |n: &str| BuiltinRole::by_name(n).unwrap().permission();
        let reader = [role("Reader")];
        assert!(allows(&reader, "Microsoft.ContainerRegistry/registries/read"));
        assert!(!allows(&reader, "Microsoft.ContainerRegistry/registries/write"));
        let contributor = [role("Contributor")];
        assert!(allows(&contributor, "Microsoft.KeyVault/vaults/write"));
        assert!(!allows(&contributor, "Microsoft.Authorization/roleAssignments/write"));
        assert!(allows(&[role("Owner")], "Microsoft.Authorization/roleAssignments/write"));
        assert!(!allows(&[role("Key Vault Contributor")], "Microsoft.KeyVault/locations/deletedVaults/purge/action"));
        assert!(allows_data(&[role("Key Vault Crypto Officer")], "Microsoft.KeyVault/vaults/keys/rotate/action"));
        assert!(!allows_data(&[role("Key Vault Crypto Service Encryption User")], "Microsoft.KeyVault/vaults/keys/rotate/action"));
        assert!(!allows_data(&[role("Owner")], "Microsoft.KeyVault/vaults/keys/read"));
        // Two blocks: one denying an action does not take away what the other grants.
        assert!(allows(&[role("Contributor"), role("User Access Administrator")], "Microsoft.Authorization/roleAssignments/write"));
    }

    #[test]
    fn the_narrowest_role_is_named() {
        let name = |a: &str| role_granting(a).map(|r| r.name);
        assert_eq!(name("Microsoft.ContainerRegistry/registries/read"), Some("Reader"));
        assert_eq!(name("Microsoft.ContainerRegistry/registries/write"), Some("Contributor"));
        assert_eq!(name("Microsoft.KeyVault/vaults/accessPolicies/write"), Some("Key Vault Contributor"));
        assert_eq!(name("Microsoft.Authorization/roleAssignments/write"), Some("User Access Administrator"));
        assert_eq!(role_granting_data("Microsoft.KeyVault/vaults/keys/create/action").map(|r| r.name), Some("Key Vault Crypto Officer"));
        let reader = [BuiltinRole::by_name("Reader").unwrap().permission()];
        let missing = check_request(&reader, Method::Patch, &format!("{REG}?api-version=x")).unwrap_err();
        assert_eq!(missing.action, "Microsoft.ContainerRegistry/registries/write");
        assert_eq!(missing.role, Some("Contributor"));
        assert!(check_request(&reader, Method::Get, REG).is_ok());
    }

    #[test]
    fn a_reader_may_make_no_write_and_is_told_which_role_would_let_them() {
        let reader = Some(vec![BuiltinRole::by_name("Reader").unwrap().permission()]);
        let owner = Some(vec![BuiltinRole::by_name("Owner").unwrap().permission()]);
        let access = CallerAccess { registry: reader.clone(), vault: reader.clone(), vault_rbac: Some(true) };
        assert_eq!(
            access.key_access_needs(),
            vec![Need::vault(actions::ROLE_ASSIGNMENT_DELETE), Need::vault(actions::ROLE_ASSIGNMENT_WRITE)]
        );
        let missing = access.allowance(&[Need::registry(actions::REGISTRY_WRITE)]);
        assert_eq!(missing, Allowance::Missing { on: On::Registry, action: actions::REGISTRY_WRITE, role: Some("Contributor") });
        assert_eq!(
            missing.missing_text().unwrap(),
            "You need the permission 'Microsoft.ContainerRegistry/registries/write' on the registry, which you do not hold. The built-in role 'Contributor' grants it."
        );
        let admin_registry = CallerAccess { registry: owner.clone(), vault: reader, vault_rbac: None };
        assert_eq!(
            admin_registry.allowance(&firewall_needs()),
            Allowance::Missing { on: On::Vault, action: actions::VAULT_WRITE, role: Some("Key Vault Contributor") }
        );
        assert_eq!(admin_registry.allowance(&revoke_needs(true)).missing_text().map(|t| t.contains("roleAssignments/delete")), Some(true));
        assert_eq!(
            CallerAccess { registry: owner.clone(), vault: owner.clone(), vault_rbac: None }.allowance(&firewall_needs()),
            Allowance::Allowed
        );
        assert_eq!(CallerAccess { registry: owner, vault: None, vault_rbac: None }.allowance(&revoke_needs(false)), Allowance::Unknown);
    }

    #[test]
    fn a_refused_read_names_the_permission_it_needs() {
        let message = "The client 'x' with object id 'x' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read' over scope '/subscriptions/s' or the scope is invalid.";
        assert_eq!(
            denied_read_hint(message).unwrap(),
            "you need the permission 'Microsoft.Authorization/roleAssignments/read' (the built-in role 'Reader' grants it)"
        );
        assert!(denied_read_hint("Something else").is_none());
    }

    #[test]
    fn the_permissions_api_parses_with_missing_lists() {
        let list: PermissionList =
            serde_json::from_str(r#"{"value":[{"actions":["*/read"],"notActions":[]},{"dataActions":["x"],"extra":1}]}"#).unwrap();
        assert_eq!(list.value.len(), 2);
        assert_eq!(list.value[0].actions, vec!["*/read"]);
        assert!(list.value[1].not_data_actions.is_empty());
    }

    #[test]
    fn key_operations_have_data_actions_and_policy_permissions() {
        let d = key_data_action(Method::Post, "/keys/k/rotate").unwrap();
        assert_eq!((d.data_action, d.key_permission), ("Microsoft.KeyVault/vaults/keys/rotate/action", "rotate"));
        assert_eq!(key_data_action(Method::Get, "/keys/k/versions?x").unwrap().key_permission, "list");
        assert_eq!(key_data_action(Method::Get, "/keys/k/abc").unwrap().key_permission, "get");
        assert_eq!(key_data_action(Method::Delete, "/deletedkeys/k").unwrap().key_permission, "purge");
    }
}
