//! Key-access diagnosis: can a registry reach its customer-managed key, and if
//! not, which link of the chain registry → identity → vault → key is broken and
//! what would fix it.
//!
//! Pure: the console gathers a [`Snapshot`] from ARM (registry, the encrypting
//! identity, the vault, role assignments, the key's versions) and [`diagnose`]
//! turns it into an ordered checklist and one verdict. The same function runs
//! for the key a registry uses now ([`Target::current`]) and for a key and
//! identity a rotation proposes ([`Target::proposed`]), which is the rotate
//! dialog's pre-flight.
//!
//! The rules mirror the seed article (and the emulator's `key_access`): the
//! identity must be attached to the registry; its **principal** needs `get`,
//! `wrapKey`, `unwrapKey` (access policy) or the Key Vault Crypto Service
//! Encryption User role (RBAC vault); the key must exist, be enabled and be RSA
//! or RSA-HSM; a vault firewall lets ACR through only with trusted-services
//! bypass **and** the registry's system identity.

use crate::arm::{same_id, ResourceId};
use crate::identity::{IdentityKinds, UserAssignedIdentity};
use crate::key::{is_cmk_key_type, ArmKey};
use crate::key_id::KeyId;
use crate::registry::Registry;
use crate::response::ClientError;
use crate::role_assignment::{KeyVaultRole, RoleAssignment};
use crate::text::{Lang, Sentence, Text};
use crate::vault::{Vault, CMK_KEY_PERMISSIONS};
use crate::vault_location::VaultAbsence;

/// The value `keyVaultProperties.identity` holds: `system` or a client id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityRef {
    System,
    ClientId(String),
}

impl IdentityRef {
    /// Reads `keyVaultProperties.identity` (`system`, `[system]` or a client id).
    pub fn parse(value: &str) -> IdentityRef {
        let v = value.trim();
        if v.eq_ignore_ascii_case("system") || v.eq_ignore_ascii_case("[system]") {
            IdentityRef::System
        } else {
            IdentityRef::ClientId(v.to_string())
        }
    }

    /// The value to send in `keyVaultProperties.identity`.
    pub fn as_request_value(&self) -> &str {
        match self {
            IdentityRef::System => "system",
            IdentityRef::ClientId(c) => c,
        }
    }
}

/// Whether the snapshot describes what the registry uses, or what it would use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Purpose {
    #[default]
    Current,
    /// A rotation's pre-flight: the key and identity are proposed, not yet configured.
    Proposed,
}

/// The key and identity a diagnosis is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// As configured or proposed, verbatim (versionless or versioned).
    pub key_identifier: String,
    /// `None` when `key_identifier` does not parse as a Key Vault key id.
    pub key: Option<KeyId>,
    /// The version in use (current) or that would be used when known (proposed versioned).
    pub version_in_use: Option<String>,
    pub identity: IdentityRef,
}

impl Target {
    /// What the registry encrypts with now; `None` without a customer-managed key.
    pub fn current(registry: &Registry) -> Option<Target> {
        let enc = registry.properties.encryption.as_ref().filter(|e| e.is_enabled())?;
        let kv = enc.key_vault_properties.clone().unwrap_or_default();
        let key_identifier = kv.key_identifier.unwrap_or_default();
        let key = KeyId::parse(&key_identifier).ok();
        let version_in_use = kv
            .versioned_key_identifier
            .as_deref()
            .and_then(|v| KeyId::parse(v).ok())
            .and_then(|k| k.version)
            .or_else(|| key.as_ref().and_then(|k| k.version.clone()));
        Some(Target { key_identifier, key, version_in_use, identity: IdentityRef::parse(kv.identity.as_deref().unwrap_or("")) })
    }

    /// A key and identity a rotation proposes (versionless = auto-rotation).
    pub fn proposed(key: KeyId, identity: IdentityRef) -> Target {
        Target { key_identifier: key.to_string(), version_in_use: key.version.clone(), key: Some(key), identity }
    }
}

/// One ARM read that went into a snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fetched<T> {
    Found(T),
    /// ARM says it does not exist (404, or absent from the list searched).
    NotFound,
    /// The read failed (forbidden, throttled, unreachable…): what it would have told is unknown.
    Failed(ClientError),
    /// Not read because the diagnosis does not need it (e.g. role assignments on an access-policy vault).
    NotNeeded,
}

impl<T> Fetched<T> {
    pub fn found(&self) -> Option<&T> {
        match self {
            Fetched::Found(t) => Some(t),
            _ => None,
        }
    }

    /// A list read: `Ok` found (an empty list too), `Err` failed.
    pub fn from_list(read: Result<T, ClientError>) -> Fetched<T> {
        match read {
            Ok(t) => Fetched::Found(t),
            Err(e) => Fetched::Failed(e),
        }
    }

    /// `Ok(Some)` found, `Ok(None)` 404, `Err` otherwise: what a client read returns.
    pub fn from_read(read: Result<Option<T>, ClientError>) -> Fetched<T> {
        match read {
            Ok(Some(t)) => Fetched::Found(t),
            Ok(None) => Fetched::NotFound,
            Err(e) => Fetched::Failed(e),
        }
    }
}

/// Everything the diagnosis needs, gathered from ARM.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub purpose: Purpose,
    pub registry: Registry,
    /// `None`: the registry has no customer-managed key (nothing to diagnose).
    pub target: Option<Target>,
    /// `GET {registryId}/providers/Microsoft.ManagedIdentity/identities/default`: the
    /// system identity's client id (the registry's `identity` block has only its principal id).
    pub system_identity: Fetched<UserAssignedIdentity>,
    /// User-assigned identities known beside the registry's own block: the one a rotation
    /// proposes, or the subscription's, to name an identity that is no longer attached.
    pub known_identities: Vec<UserAssignedIdentity>,
    /// `GET {identityId}` of the attached user-assigned identity that encrypts: deleting an identity does
    /// not detach it, so the registry's block still names it; only this read says it no longer exists.
    /// `NotNeeded` when the system identity encrypts or the identity is not attached.
    pub encrypting_identity: Fetched<UserAssignedIdentity>,
    /// The vault named by the key id, found by name wherever it lives (`crate::vault_location`).
    pub vault: Fetched<Vault>,
    /// Why the vault is `NotFound`: soft-deleted, or not visible to the user (`None`: not searched beyond the registry's subscription).
    pub vault_absence: Option<VaultAbsence>,
    /// The principal's role assignments (`$filter=principalId eq '…'`); needed on RBAC vaults.
    pub role_assignments: Fetched<Vec<RoleAssignment>>,
    /// The key's versions through ARM (`…/vaults/{v}/keys/{k}/versions`).
    pub key_versions: Fetched<Vec<ArmKey>>,
    /// The key itself through ARM (`…/vaults/{v}/keys/{k}`): its `rotationPolicy`.
    pub key: Fetched<ArmKey>,
    /// The signed-in caller's permissions on the registry (`{registryId}/providers/Microsoft.Authorization/permissions`),
    /// read beside the first round for the page's writes.
    pub registry_permissions: Fetched<Vec<crate::permissions::Permission>>,
    /// The signed-in caller's permissions on the key's vault (`…/providers/Microsoft.Authorization/permissions`),
    /// read beside the key for the page's writes (`crate::permissions::CallerAccess`).
    pub vault_permissions: Fetched<Vec<crate::permissions::Permission>>,
    /// Unix seconds, for key versions' `nbf`/`exp`.
    pub now_unix: i64,
    /// The ARM reads behind this snapshot, with their request ids (for the ticket report).
    pub reads: Vec<crate::read_trace::ReadTrace>,
}

impl Snapshot {
    /// What the signed-in caller may do on the registry and its vault, as far as it was read.
    pub fn caller_access(&self) -> crate::permissions::CallerAccess {
        crate::permissions::CallerAccess {
            registry: self.registry_permissions.found().cloned(),
            vault: self.vault_permissions.found().cloned(),
            vault_rbac: self.vault.found().map(|v| v.properties.rbac()),
        }
    }

    /// The subscription of the key's vault when it is not the registry's (a central security
    /// subscription, say), for the page to name.
    pub fn vault_subscription_elsewhere(&self) -> Option<String> {
        let vault = crate::vault_location::subscription_of(&self.vault.found()?.id)?;
        let registry = crate::vault_location::subscription_of(&self.registry.id)?;
        (!vault.eq_ignore_ascii_case(&registry)).then_some(vault)
    }

    /// A snapshot with nothing read yet beyond the registry.
    pub fn new(purpose: Purpose, registry: Registry, target: Option<Target>, now_unix: i64) -> Snapshot {
        Snapshot {
            purpose,
            registry,
            target,
            system_identity: Fetched::NotNeeded,
            known_identities: Vec::new(),
            encrypting_identity: Fetched::NotNeeded,
            vault: Fetched::NotNeeded,
            vault_absence: None,
            role_assignments: Fetched::NotNeeded,
            key_versions: Fetched::NotNeeded,
            key: Fetched::NotNeeded,
            registry_permissions: Fetched::NotNeeded,
            vault_permissions: Fetched::NotNeeded,
            now_unix,
            reads: Vec::new(),
        }
    }

    /// The encrypting identity, resolved as far as the snapshot allows.
    pub fn identity(&self) -> Option<ResolvedIdentity> {
        let target = self.target.as_ref()?;
        Some(resolve_identity(&self.registry, &target.identity, self.system_identity.found(), &self.known_identities))
    }
}

/// Which identity a `keyVaultProperties.identity` value names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityKind {
    System,
    User { resource_id: Option<String>, name: Option<String> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedIdentity {
    pub kind: IdentityKind,
    pub client_id: Option<String>,
    /// What access policies and role assignments name.
    pub principal_id: Option<String>,
    /// Attached to the registry (system identity on, or in `userAssignedIdentities`).
    pub attached: bool,
}

impl ResolvedIdentity {
    pub fn is_system(&self) -> bool {
        self.kind == IdentityKind::System
    }

    /// "the registry's system-assigned identity" / "user-assigned identity 'name'", inside a sentence.
    pub fn describe(&self) -> Sentence {
        self.who(false)
    }

    /// The same words starting a sentence ("User-assigned identity 'name'").
    fn describe_first(&self) -> Sentence {
        self.who(true)
    }

    fn who(&self, first: bool) -> Sentence {
        let pick = |inner: Text, start: Text| if first { start } else { inner };
        match &self.kind {
            IdentityKind::System => pick(words::WHO_SYSTEM, words::WHO_SYSTEM_FIRST).into(),
            IdentityKind::User { name: Some(n), .. } => {
                Sentence::new(pick(words::WHO_USER, words::WHO_USER_FIRST)).with("name", n.as_str())
            }
            IdentityKind::User { name: None, .. } => match &self.client_id {
                Some(c) => Sentence::new(pick(words::WHO_CLIENT, words::WHO_CLIENT_FIRST)).with("client", c.as_str()),
                None => pick(words::WHO_UNKNOWN, words::WHO_UNKNOWN_FIRST).into(),
            },
        }
    }
}

/// Resolves `identity` against the registry's `identity` block, the system identity
/// (client id from `identities/default`) and other known user-assigned identities.
pub fn resolve_identity(
    registry: &Registry,
    identity: &IdentityRef,
    system: Option<&UserAssignedIdentity>,
    known: &[UserAssignedIdentity],
) -> ResolvedIdentity {
    let block = registry.identity.clone().unwrap_or_default();
    let kinds: IdentityKinds = block.kinds();
    let system_resolved = || ResolvedIdentity {
        kind: IdentityKind::System,
        client_id: system.map(|s| s.properties.client_id.clone()).filter(|c| !c.is_empty()),
        principal_id: block.principal_id.clone().or_else(|| system.map(|s| s.properties.principal_id.clone()).filter(|p| !p.is_empty())),
        attached: kinds.system && block.principal_id.is_some(),
    };
    let client_id = match identity {
        IdentityRef::System => return system_resolved(),
        IdentityRef::ClientId(c) => c,
    };
    if let Some((id, props)) = kinds.user.then(|| block.user_identity_by_client_id(client_id)).flatten() {
        let known_principal = known.iter().find(|k| same_id(&k.id, id)).map(|k| k.properties.principal_id.clone());
        return ResolvedIdentity {
            kind: IdentityKind::User { resource_id: Some(id.to_string()), name: id.rsplit('/').next().map(str::to_string) },
            client_id: Some(client_id.clone()),
            principal_id: props.principal_id.clone().or(known_principal).filter(|p| !p.is_empty()),
            attached: true,
        };
    }
    if system.is_some_and(|s| s.properties.client_id.eq_ignore_ascii_case(client_id)) {
        return system_resolved();
    }
    if let Some(k) = known.iter().find(|k| k.properties.client_id.eq_ignore_ascii_case(client_id)) {
        return ResolvedIdentity {
            kind: IdentityKind::User { resource_id: Some(k.id.clone()), name: Some(k.name.clone()) },
            client_id: Some(client_id.clone()),
            principal_id: Some(k.properties.principal_id.clone()).filter(|p| !p.is_empty()),
            attached: false,
        };
    }
    ResolvedIdentity {
        kind: IdentityKind::User { resource_id: None, name: None },
        client_id: Some(client_id.clone()),
        principal_id: None,
        attached: false,
    }
}

/// The checks, in the order the chain is walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckKind {
    /// The identity is attached to the registry.
    Identity,
    /// Its principal may get / wrapKey / unwrapKey (access policy or RBAC role).
    Access,
    /// The key exists, is enabled and is RSA or RSA-HSM.
    Key,
    /// The vault firewall lets the registry through.
    Firewall,
    /// Soft delete and purge protection are on.
    Recovery,
    /// The version in use is the newest enabled one.
    Version,
}

impl CheckKind {
    pub const ALL: [CheckKind; 6] =
        [CheckKind::Identity, CheckKind::Access, CheckKind::Key, CheckKind::Firewall, CheckKind::Recovery, CheckKind::Version];

    /// Stable name (`data-testid="check-<name>"`).
    pub fn name(self) -> &'static str {
        match self {
            CheckKind::Identity => "identity",
            CheckKind::Access => "access",
            CheckKind::Key => "key",
            CheckKind::Firewall => "firewall",
            CheckKind::Recovery => "recovery",
            CheckKind::Version => "version",
        }
    }

    /// The check's title (English).
    pub fn title(self) -> &'static str {
        self.label().en
    }

    /// The check's title, in either language.
    pub fn label(self) -> Text {
        match self {
            CheckKind::Identity => words::TITLE_IDENTITY,
            CheckKind::Access => words::TITLE_ACCESS,
            CheckKind::Key => words::TITLE_KEY,
            CheckKind::Firewall => words::TITLE_FIREWALL,
            CheckKind::Recovery => words::TITLE_RECOVERY,
            CheckKind::Version => words::TITLE_VERSION,
        }
    }

    /// A failure here cuts the registry off its key (the others only warn).
    pub fn is_critical(self) -> bool {
        matches!(self, CheckKind::Identity | CheckKind::Access | CheckKind::Key | CheckKind::Firewall)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckState {
    Pass,
    Warn,
    /// Could not be decided: a read failed or an earlier link is missing.
    Unknown,
    Fail,
}

impl CheckState {
    /// `pass` / `warn` / `unknown` / `fail` (`data-state`).
    pub fn name(self) -> &'static str {
        match self {
            CheckState::Pass => "pass",
            CheckState::Warn => "warn",
            CheckState::Unknown => "unknown",
            CheckState::Fail => "fail",
        }
    }

    /// A symbol beside the colour, so colour is never the only signal.
    pub fn icon(self) -> &'static str {
        match self {
            CheckState::Pass => "✓",
            CheckState::Warn => "!",
            CheckState::Unknown => "?",
            CheckState::Fail => "✕",
        }
    }

    /// The state in a word, for labels and text alternatives (English).
    pub fn words(self) -> &'static str {
        self.label().en
    }

    /// The state in a word, in either language.
    pub fn label(self) -> crate::text::Text {
        match self {
            CheckState::Pass => state_words::PASS,
            CheckState::Warn => state_words::WARNING,
            CheckState::Unknown => state_words::UNKNOWN,
            CheckState::Fail => state_words::FAIL,
        }
    }
}

/// A check's state in a word, in both languages.
pub mod state_words {
    crate::catalogue! {
        PASS: "Pass" => "통과";
        WARNING: "Warning" => "경고";
        UNKNOWN: "Unknown" => "알 수 없음";
        FAIL: "Fail" => "실패";
    }
}

/// The diagnosis's sentences, in both languages. Names, ids, error codes and `az`
/// commands are placeholders and stay as Azure wrote them.
pub mod words {
    crate::catalogue! {
        TITLE_IDENTITY: "Identity attached to the registry" => "레지스트리에 연결된 ID";
        TITLE_ACCESS: "Identity may use the key (get, wrapKey, unwrapKey)" => "ID의 키 사용 권한(get, wrapKey, unwrapKey)";
        TITLE_KEY: "Key exists, is enabled and is RSA" => "키가 있고, 사용 가능하며, RSA 키임";
        TITLE_FIREWALL: "Key vault firewall lets the registry through" => "키 자격 증명 모음 방화벽이 레지스트리를 통과시킴";
        TITLE_RECOVERY: "Soft delete and purge protection" => "일시 삭제 및 제거 보호";
        TITLE_VERSION: "Key version in use" => "사용 중인 키 버전";

        NO_CMK: "No customer-managed key: the registry is encrypted with a Microsoft-managed key."
            => "고객 관리형 키가 없습니다. 레지스트리는 Microsoft 관리형 키로 암호화됩니다.";
        REACHABLE: "The registry can reach its key." => "레지스트리가 키에 접근할 수 있습니다.";
        REACHABLE_WARNING: "The registry can reach its key (1 warning)." => "레지스트리가 키에 접근할 수 있습니다(경고 1개).";
        REACHABLE_WARNINGS: "The registry can reach its key ({n} warnings)." => "레지스트리가 키에 접근할 수 있습니다(경고 {n}개).";
        WOULD_REACH: "The registry would be able to reach this key." => "레지스트리가 이 키에 접근할 수 있습니다.";
        WOULD_REACH_WARNING: "The registry would be able to reach this key (1 warning)." => "레지스트리가 이 키에 접근할 수 있습니다(경고 1개).";
        WOULD_REACH_WARNINGS: "The registry would be able to reach this key ({n} warnings)."
            => "레지스트리가 이 키에 접근할 수 있습니다(경고 {n}개).";
        /// `{reasons}` are the failed checks' sentences (English: joined by "; and ", first letters lowered).
        INACCESSIBLE: "Registry data is inaccessible because {reasons}" => "레지스트리 데이터에 액세스할 수 없습니다. {reasons}";
        COULD_NOT_USE: "The registry could not use this key because {reasons}" => "레지스트리가 이 키를 사용할 수 없습니다. {reasons}";
        UNCONFIRMED: "The console could not confirm that the registry can reach the key: {reasons}"
            => "콘솔이 레지스트리가 키에 접근할 수 있는지 확인하지 못했습니다. {reasons}";

        WHO_SYSTEM: "the registry's system-assigned identity" => "레지스트리의 시스템 할당 ID";
        WHO_SYSTEM_FIRST: "The registry's system-assigned identity" => "레지스트리의 시스템 할당 ID";
        WHO_USER: "user-assigned identity '{name}'" => "사용자 할당 ID '{name}'";
        WHO_USER_FIRST: "User-assigned identity '{name}'" => "사용자 할당 ID '{name}'";
        WHO_CLIENT: "the identity with client id {client}" => "클라이언트 ID가 {client}인 ID";
        WHO_CLIENT_FIRST: "The identity with client id {client}" => "클라이언트 ID가 {client}인 ID";
        WHO_UNKNOWN: "the identity" => "ID";
        WHO_UNKNOWN_FIRST: "The identity" => "ID";
        IDS_BOTH: " (client id {client}, principal id {principal})" => "(클라이언트 ID {client}, 보안 주체 ID {principal})";
        IDS_CLIENT: " (client id {client})" => "(클라이언트 ID {client})";
        IDS_PRINCIPAL: " (principal id {principal})" => "(보안 주체 ID {principal})";

        /// `{ids}` is [`IDS_BOTH`] and the like, or nothing.
        ATTACHED_SYSTEM: "System-assigned identity is attached to the registry{ids}." => "레지스트리에 시스템 할당 ID가 연결되어 있습니다{ids}.";
        ATTACHED_USER_NAMED: "User-assigned identity '{name}' is attached to the registry{ids}."
            => "레지스트리에 사용자 할당 ID '{name}'이(가) 연결되어 있습니다{ids}.";
        ATTACHED_USER: "User-assigned identity is attached to the registry{ids}." => "레지스트리에 사용자 할당 ID가 연결되어 있습니다{ids}.";
        SYSTEM_OFF: "The key is used through the system-assigned identity, but the registry's system-assigned identity is off."
            => "키를 시스템 할당 ID로 사용하도록 구성되어 있지만, 레지스트리의 시스템 할당 ID가 꺼져 있습니다.";
        NOT_ATTACHED: "{who} is not attached to the registry{ids}." => "{who}이(가) 레지스트리에 연결되어 있지 않습니다{ids}.";
        NO_IDENTITY: "No identity is configured for the key (keyVaultProperties.identity is empty)."
            => "키에 사용할 ID가 구성되어 있지 않습니다(keyVaultProperties.identity가 비어 있음).";
        CLIENT_UNMATCHED_SYSTEM_UNREAD: "Client id {client} matches no user-assigned identity of the registry, and the system identity could not be read ({failure})."
            => "클라이언트 ID {client}와(과) 일치하는 레지스트리의 사용자 할당 ID가 없고, 시스템 ID를 읽을 수 없습니다({failure}).";
        /// `{name}`: the identity's name; `{ids}`: its client and principal ids in brackets.
        IDENTITY_DELETED: "User-assigned identity '{name}' is attached to the registry but no longer exists{ids}: it was deleted, so the registry cannot get a token for its key. To recover (the article's troubleshooting): give another identity (a new user-assigned one, or the system-assigned identity) get, wrapKey and unwrapKey on the key, rotate the key to that identity, then remove '{name}' from the registry."
            => "사용자 할당 ID '{name}'이(가) 레지스트리에 연결되어 있지만 더 이상 존재하지 않습니다{ids}. ID가 삭제되어 레지스트리가 키에 사용할 토큰을 받을 수 없습니다. 복구 방법(문서의 문제 해결): 다른 ID(새 사용자 할당 ID 또는 시스템 할당 ID)에 키에 대한 get, wrapKey, unwrapKey 권한을 부여하고, 그 ID로 키를 회전한 다음, 레지스트리에서 '{name}'을(를) 제거합니다.";
        CLIENT_UNMATCHED: "Client id {client} matches no identity attached to the registry: it was removed, so the registry cannot reach its key."
            => "클라이언트 ID {client}와(과) 일치하는 ID가 레지스트리에 연결되어 있지 않습니다. ID가 제거되어 레지스트리가 키에 접근할 수 없습니다.";

        NOT_A_KEY_ID: "'{key}' is not a Key Vault key identifier." => "'{key}'은(는) Key Vault 키 ID가 아닙니다.";
        VAULT_NOT_FOUND: "Key vault '{vault}' was not found in subscription {subscription}: it was deleted, or it is in another subscription the console did not search."
            => "구독 {subscription}에서 키 자격 증명 모음 '{vault}'을(를) 찾을 수 없습니다. 삭제되었거나, 콘솔이 검색하지 않은 다른 구독에 있습니다.";
        /// `{failure}` is the status and ARM's error code ("403 AuthorizationFailed").
        VAULT_UNREADABLE: "Key vault '{vault}' could not be read ({failure})." => "키 자격 증명 모음 '{vault}'을(를) 읽을 수 없습니다({failure}).";
        VAULT_NOT_READ: "Key vault '{vault}' was not read." => "키 자격 증명 모음 '{vault}'을(를) 읽지 않았습니다.";

        PRINCIPAL_UNKNOWN: "The identity's principal id is not known, so its key access cannot be checked."
            => "ID의 보안 주체 ID를 알 수 없어 키 액세스를 확인할 수 없습니다.";
        RBAC_UNREADABLE: "Vault '{vault}' uses Azure RBAC, and the role assignments of principal {principal} could not be read ({failure})."
            => "키 자격 증명 모음 '{vault}'은(는) Azure RBAC를 사용하며, 보안 주체 {principal}의 역할 할당을 읽을 수 없습니다({failure}).";
        RBAC_NOT_READ: "Vault '{vault}' uses Azure RBAC, and the role assignments were not read."
            => "키 자격 증명 모음 '{vault}'은(는) Azure RBAC를 사용하며, 역할 할당을 읽지 않았습니다.";
        /// `{who}` is [`WHO_USER`] and the like; `{role}` a built-in role's name, as Azure names it.
        RBAC_GRANTED: "RBAC vault '{vault}': {who} (principal {principal}) holds the '{role}' role at scope {scope}."
            => "RBAC 키 자격 증명 모음 '{vault}': {who}(보안 주체 {principal})에게 범위 {scope}에서 '{role}' 역할이 있습니다.";
        RBAC_MISSING: "RBAC vault '{vault}': {who} (principal {principal}) has no 'Key Vault Crypto Service Encryption User' role assignment on the vault."
            => "RBAC 키 자격 증명 모음 '{vault}': {who}(보안 주체 {principal})에게 이 키 자격 증명 모음에 대한 'Key Vault Crypto Service Encryption User' 역할 할당이 없습니다.";
        POLICY_GRANTS: "Vault '{vault}' access policy grants {who} (principal {principal}) key permissions: {granted}."
            => "키 자격 증명 모음 '{vault}'의 액세스 정책이 {who}(보안 주체 {principal})에게 키 권한을 부여합니다: {granted}.";
        POLICY_NONE: "Vault '{vault}' has no access policy for {who} (principal {principal})."
            => "키 자격 증명 모음 '{vault}'에 {who}(보안 주체 {principal})에 대한 액세스 정책이 없습니다.";
        POLICY_LACKS: "Vault '{vault}' access policy for {who} (principal {principal}) lacks {missing}."
            => "키 자격 증명 모음 '{vault}'의 {who}(보안 주체 {principal})에 대한 액세스 정책에 {missing} 권한이 없습니다.";

        KEY_MISSING: "Key '{key}' does not exist in vault '{vault}' (deleted?)." => "키 자격 증명 모음 '{vault}'에 키 '{key}'이(가) 없습니다(삭제되었나요?).";
        KEY_UNREADABLE: "Key '{key}' could not be read ({failure})." => "키 '{key}'을(를) 읽을 수 없습니다({failure}).";
        KEY_NOT_READ: "Key '{key}' was not read." => "키 '{key}'을(를) 읽지 않았습니다.";
        KEY_WRONG_TYPE: "Key '{key}' is of type {kty}: ACR supports only RSA or RSA-HSM keys."
            => "키 '{key}'의 유형은 {kty}입니다. ACR은 RSA 또는 RSA-HSM 키만 지원합니다.";
        VERSION_MISSING: "Version {version} of key '{key}' does not exist." => "키 '{key}'의 버전 {version}이(가) 없습니다.";
        VERSION_UNUSABLE: "Version {version} of key '{key}' is disabled or outside its validity period."
            => "키 '{key}'의 버전 {version}이(가) 사용하지 않도록 설정되었거나 유효 기간을 벗어났습니다.";
        /// `{kty}` is the key type as Key Vault reports it (RSA, RSA-HSM).
        TYPED_KEY_VERSION_ENABLED: "{kty} key '{key}' exists; version {version} is enabled." => "{kty} 키 '{key}'이(가) 있고, 버전 {version}을(를) 사용할 수 있습니다.";
        KEY_VERSION_ENABLED: "Key '{key}' exists; version {version} is enabled." => "키 '{key}'이(가) 있고, 버전 {version}을(를) 사용할 수 있습니다.";
        TYPED_KEY_NEWEST_ENABLED: "{kty} key '{key}' exists; its newest enabled version is {version}."
            => "{kty} 키 '{key}'이(가) 있고, 사용 가능한 최신 버전은 {version}입니다.";
        KEY_NEWEST_ENABLED: "Key '{key}' exists; its newest enabled version is {version}." => "키 '{key}'이(가) 있고, 사용 가능한 최신 버전은 {version}입니다.";
        NO_ENABLED_VERSION: "Key '{key}' has no enabled version." => "키 '{key}'에 사용 가능한 버전이 없습니다.";

        FIREWALL_OPEN: "Vault '{vault}' accepts requests from all networks." => "키 자격 증명 모음 '{vault}'은(는) 모든 네트워크의 요청을 받습니다.";
        FIREWALL_TRUSTED_SYSTEM: "Vault '{vault}' firewall denies by default, lets trusted Azure services through, and the registry uses its system-assigned identity."
            => "키 자격 증명 모음 '{vault}'의 방화벽은 기본적으로 거부하지만 신뢰할 수 있는 Azure 서비스를 통과시키고, 레지스트리는 시스템 할당 ID를 사용합니다.";
        FIREWALL_TRUSTED_USER: "Vault '{vault}' firewall denies by default and lets trusted Azure services through, but only with the registry's system-assigned identity, and a user-assigned identity is used."
            => "키 자격 증명 모음 '{vault}'의 방화벽은 기본적으로 거부하며, 신뢰할 수 있는 Azure 서비스는 레지스트리의 시스템 할당 ID로만 통과시키는데 사용자 할당 ID가 사용되고 있습니다.";
        FIREWALL_CLOSED: "Vault '{vault}' firewall denies by default and does not let trusted Azure services (ACR) through."
            => "키 자격 증명 모음 '{vault}'의 방화벽은 기본적으로 거부하며 신뢰할 수 있는 Azure 서비스(ACR)를 통과시키지 않습니다.";

        RECOVERY_ON: "Vault '{vault}' has soft delete and purge protection on." => "키 자격 증명 모음 '{vault}'에 일시 삭제와 제거 보호가 켜져 있습니다.";
        PURGE_PROTECTION_OFF: "Vault '{vault}' has purge protection off: a purged key makes the registry's data unrecoverable."
            => "키 자격 증명 모음 '{vault}'의 제거 보호가 꺼져 있습니다. 키가 제거되면 레지스트리 데이터를 복구할 수 없습니다.";
        SOFT_DELETE_OFF: "Vault '{vault}' has soft delete off: a deleted key cannot be recovered, nor the registry's data."
            => "키 자격 증명 모음 '{vault}'의 일시 삭제가 꺼져 있습니다. 삭제된 키도, 레지스트리 데이터도 복구할 수 없습니다.";

        KEY_ID_UNPARSED: "The key identifier does not parse, so its version cannot be checked." => "키 ID를 해석할 수 없어 버전을 확인할 수 없습니다.";
        VERSIONS_NOT_READ: "The versions of key '{key}' were not read." => "키 '{key}'의 버전을 읽지 않았습니다.";
        VERSIONLESS_PROPOSED: "Versionless key: the registry would use the newest enabled version, {newest}, and pick up new versions by itself."
            => "버전 없는 키: 레지스트리는 사용 가능한 최신 버전 {newest}을(를) 사용하고, 새 버전을 자동으로 가져옵니다.";
        AUTO_NEWEST: "Auto-rotation: version {version} in use is the newest enabled version." => "자동 회전: 사용 중인 버전 {version}이(가) 사용 가능한 최신 버전입니다.";
        AUTO_BEHIND: "Auto-rotation: version {version} is in use, but {newest} is newer; ACR picks up new versions within an hour."
            => "자동 회전: 버전 {version}을(를) 사용 중이지만 {newest}이(가) 더 최신입니다. ACR은 한 시간 안에 새 버전을 가져옵니다.";
        AUTO_UNREPORTED: "Auto-rotation: the registry does not report the version in use." => "자동 회전: 레지스트리가 사용 중인 버전을 보고하지 않습니다.";
        PINNED_NEWEST: "Pinned to version {version}, the newest enabled version." => "사용 가능한 최신 버전인 {version}에 고정되어 있습니다.";
        PINNED_BEHIND: "Pinned to version {version}; a newer version {newest} exists and is used only after a rotation."
            => "버전 {version}에 고정되어 있습니다. 더 최신 버전 {newest}이(가) 있으며 회전한 뒤에만 사용됩니다.";

        FIX_GRANT: "Grant {permissions} in an access policy" => "액세스 정책에서 {permissions} 권한 부여";
        FIX_ASSIGN_ROLE: "Assign the Key Vault Crypto Service Encryption User role" => "Key Vault Crypto Service Encryption User 역할 할당";
        FIX_ATTACH: "Assign identity '{name}' to the registry" => "레지스트리에 ID '{name}' 할당";
        FIX_SYSTEM_ON: "Turn on the system-assigned identity" => "시스템 할당 ID 켜기";
        FIX_SYSTEM_AND_BYPASS: "Use the system identity and let trusted services through the firewall"
            => "시스템 ID를 사용하고 신뢰할 수 있는 서비스가 방화벽을 통과하도록 허용";
        FIX_PURGE_PROTECTION: "Turn on soft delete and purge protection" => "일시 삭제 및 제거 보호 켜기";
        FIX_ROTATE: "Rotate to {key}" => "{key}(으)로 회전";
        FIX_RUN: "Run this command" => "이 명령 실행";
        FIX_RECOVER_VAULT: "Recover key vault '{vault}' (az keyvault recover --name {vault})"
            => "키 자격 증명 모음 '{vault}' 복구(az keyvault recover --name {vault})";
    }
}

/// A change the console can make (or, for Key Vault data-plane changes the browser
/// cannot make, the exact command to run) that repairs a failed check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fix {
    /// `PUT {vaultId}/accessPolicies/add` granting `permissions` on keys to `object_id`.
    GrantAccessPolicy { vault_id: String, tenant_id: String, object_id: String, permissions: Vec<String> },
    /// `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{new guid}`.
    AssignRole { scope: String, principal_id: String, role_definition_id: String },
    /// PATCH the registry's `identity` to add this user-assigned identity back.
    AttachUserIdentity { resource_id: String },
    /// PATCH the registry's `identity` to turn its system-assigned identity on.
    EnableSystemIdentity,
    /// The seed's firewall scenario: system identity on → grant it → `bypass: AzureServices`
    /// → rotate to the same key with the system identity.
    EnableSystemIdentityAndBypass { vault_id: String, key_identifier: String },
    /// PATCH the vault: `enableSoftDelete` / `enablePurgeProtection` true.
    EnablePurgeProtection { vault_id: String },
    /// Rotate (PATCH `keyVaultProperties`) to this key identifier.
    RotateKey { key_identifier: String, identity: IdentityRef },
    /// `PUT` the soft-deleted vault back (`createMode: recover`), as `az keyvault recover` does.
    RecoverVault { vault_id: String, location: String, tenant_id: String },
    /// A data-plane change the browser cannot make: the command to run.
    RunCommand { command: String },
}

impl Fix {
    /// What the fix does, for its button.
    pub fn label(&self) -> Sentence {
        match self {
            Fix::GrantAccessPolicy { permissions, .. } => Sentence::new(words::FIX_GRANT).with("permissions", permissions.join(", ")),
            Fix::AssignRole { .. } => words::FIX_ASSIGN_ROLE.into(),
            Fix::AttachUserIdentity { resource_id } => {
                Sentence::new(words::FIX_ATTACH).with("name", resource_id.rsplit('/').next().unwrap_or(resource_id))
            }
            Fix::EnableSystemIdentity => words::FIX_SYSTEM_ON.into(),
            Fix::EnableSystemIdentityAndBypass { .. } => words::FIX_SYSTEM_AND_BYPASS.into(),
            Fix::EnablePurgeProtection { .. } => words::FIX_PURGE_PROTECTION.into(),
            Fix::RotateKey { key_identifier, .. } => Sentence::new(words::FIX_ROTATE).with("key", key_identifier.as_str()),
            Fix::RecoverVault { vault_id, .. } => {
                Sentence::new(words::FIX_RECOVER_VAULT).with("vault", vault_id.rsplit('/').next().unwrap_or(vault_id))
            }
            Fix::RunCommand { .. } => words::FIX_RUN.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub kind: CheckKind,
    pub state: CheckState,
    /// What was seen, in words (ids and names verbatim; render as text).
    pub evidence: Sentence,
    pub fix: Option<Fix>,
}

impl Check {
    fn new(kind: CheckKind, state: CheckState, evidence: impl Into<Sentence>) -> Check {
        Check { kind, state, evidence: evidence.into(), fix: None }
    }

    fn with_fix(mut self, fix: Fix) -> Check {
        self.fix = Some(fix);
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No customer-managed key: nothing to reach.
    NotApplicable,
    /// Every critical check passed (`warnings` non-critical ones warn).
    Reachable { warnings: usize },
    /// At least one critical check failed; the failed checks' evidence, in order.
    Inaccessible { reasons: Vec<Sentence> },
    /// Nothing failed, but a critical check could not be decided.
    Unknown { reasons: Vec<Sentence> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    pub purpose: Purpose,
    pub checks: Vec<Check>,
    pub verdict: Verdict,
}

impl Diagnosis {
    pub fn check(&self, kind: CheckKind) -> Option<&Check> {
        self.checks.iter().find(|c| c.kind == kind)
    }

    /// The worst state of `kinds` (a link of the chain diagram).
    pub fn worst(&self, kinds: &[CheckKind]) -> Option<CheckState> {
        self.checks.iter().filter(|c| kinds.contains(&c.kind)).map(|c| c.state).max()
    }

    /// One sentence at the top of the panel (English, for reports and plans).
    pub fn headline(&self) -> String {
        self.headline_in(Lang::En)
    }

    /// One sentence at the top of the panel, in `lang`.
    pub fn headline_in(&self, lang: Lang) -> String {
        let proposed = self.purpose == Purpose::Proposed;
        let warned = |none: Text, one: Text, many: Text, n: usize| match n {
            0 => Sentence::new(none),
            1 => Sentence::new(one),
            n => Sentence::new(many).with("n", n.to_string()),
        };
        let because = |text: Text, reasons: &[Sentence]| text.fill(lang, &[("reasons", &join_reasons(lang, reasons))]);
        match (&self.verdict, proposed) {
            (Verdict::NotApplicable, _) => words::NO_CMK.get(lang).to_string(),
            (Verdict::Reachable { warnings }, false) => {
                warned(words::REACHABLE, words::REACHABLE_WARNING, words::REACHABLE_WARNINGS, *warnings).get(lang)
            }
            (Verdict::Reachable { warnings }, true) => {
                warned(words::WOULD_REACH, words::WOULD_REACH_WARNING, words::WOULD_REACH_WARNINGS, *warnings).get(lang)
            }
            (Verdict::Inaccessible { reasons }, false) => because(words::INACCESSIBLE, reasons),
            (Verdict::Inaccessible { reasons }, true) => because(words::COULD_NOT_USE, reasons),
            (Verdict::Unknown { reasons }, _) => because(words::UNCONFIRMED, reasons),
        }
    }

    /// The verdict without its reasons, for styling and icons.
    pub fn verdict_state(&self) -> VerdictState {
        match self.verdict {
            Verdict::NotApplicable => VerdictState::None,
            Verdict::Reachable { .. } => VerdictState::Ok,
            Verdict::Inaccessible { .. } => VerdictState::Broken,
            Verdict::Unknown { .. } => VerdictState::Unknown,
        }
    }
}

/// A [`Verdict`]'s kind: what the panel's colour and icon show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VerdictState {
    /// No customer-managed key.
    None,
    Ok,
    Broken,
    Unknown,
}

impl VerdictState {
    /// `none` / `ok` / `broken` / `unknown` (`data-state`, CSS classes).
    pub fn name(self) -> &'static str {
        match self {
            VerdictState::None => "none",
            VerdictState::Ok => "ok",
            VerdictState::Broken => "broken",
            VerdictState::Unknown => "unknown",
        }
    }

    pub fn icon(self) -> &'static str {
        match self {
            VerdictState::None => "i",
            VerdictState::Ok => "✓",
            VerdictState::Broken => "✕",
            VerdictState::Unknown => "?",
        }
    }
}

/// Reasons joined into one sentence ending with a full stop ("… because a; and b."); in
/// Korean, the reasons' own sentences one after another.
fn join_reasons(lang: Lang, reasons: &[Sentence]) -> String {
    let said: Vec<String> = reasons.iter().map(|r| r.get(lang)).collect();
    match lang {
        Lang::En => {
            let lowered: Vec<String> = said.iter().map(|r| lower_first(r.trim_end_matches('.'))).collect();
            format!("{}.", lowered.join("; and "))
        }
        Lang::Ko => said.join(" "),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        // Keep acronyms and names ("RBAC", "'kv'") as they are.
        Some(c) if c.is_uppercase() && chars.clone().next().is_some_and(|n| n.is_lowercase()) => {
            c.to_lowercase().collect::<String>() + chars.as_str()
        }
        _ => s.to_string(),
    }
}

/// Runs every check on `snapshot`, in order, and decides the verdict.
pub fn diagnose(snapshot: &Snapshot) -> Diagnosis {
    let Some(target) = snapshot.target.as_ref() else {
        return Diagnosis { purpose: snapshot.purpose, checks: Vec::new(), verdict: Verdict::NotApplicable };
    };
    let identity = snapshot.identity().expect("a target resolves an identity");
    let ctx = Context { snapshot, target, identity: &identity };
    let checks =
        vec![ctx.identity_check(), ctx.access_check(), ctx.key_check(), ctx.firewall_check(), ctx.recovery_check(), ctx.version_check()];
    let failed: Vec<Sentence> =
        checks.iter().filter(|c| c.kind.is_critical() && c.state == CheckState::Fail).map(|c| c.evidence.clone()).collect();
    let unknown: Vec<Sentence> =
        checks.iter().filter(|c| c.kind.is_critical() && c.state == CheckState::Unknown).map(|c| c.evidence.clone()).collect();
    let verdict = if !failed.is_empty() {
        Verdict::Inaccessible { reasons: unique(failed) }
    } else if !unknown.is_empty() {
        Verdict::Unknown { reasons: unique(unknown) }
    } else {
        Verdict::Reachable { warnings: checks.iter().filter(|c| c.state != CheckState::Pass).count() }
    };
    Diagnosis { purpose: snapshot.purpose, checks, verdict }
}

struct Context<'a> {
    snapshot: &'a Snapshot,
    target: &'a Target,
    identity: &'a ResolvedIdentity,
}

impl Context<'_> {
    /// The tenant of the registry's identities: a CMK vault is in the same tenant.
    fn tenant_id(&self) -> Option<String> {
        let s = self.snapshot;
        let from_block = s.registry.identity.as_ref().and_then(|i| i.tenant_id.clone());
        let from_identity = [&s.encrypting_identity, &s.system_identity].into_iter().find_map(|f| match f {
            Fetched::Found(i) => Some(i.properties.tenant_id.clone()),
            _ => None,
        });
        from_block.into_iter().chain(from_identity).find(|t| !t.is_empty())
    }

    /// Why the vault is not there to look at, when it is not.
    fn vault_or_reason(&self) -> Result<&Vault, Sentence> {
        let Some(key) = &self.target.key else {
            return Err(Sentence::new(words::NOT_A_KEY_ID).with("key", self.target.key_identifier.as_str()));
        };
        let vault = key.vault_name();
        match &self.snapshot.vault {
            Fetched::Found(v) => Ok(v),
            Fetched::NotFound => match &self.snapshot.vault_absence {
                Some(absence) => Err(absence.describe(vault)),
                None => {
                    let sub = ResourceId::parse(&self.snapshot.registry.id).map(|r| r.subscription_id).unwrap_or_default();
                    Err(Sentence::new(words::VAULT_NOT_FOUND).with("vault", vault).with("subscription", sub))
                }
            },
            Fetched::Failed(e) => Err(Sentence::new(words::VAULT_UNREADABLE).with("vault", vault).with("failure", read_failure(e))),
            Fetched::NotNeeded => Err(Sentence::new(words::VAULT_NOT_READ).with("vault", vault)),
        }
    }

    fn identity_check(&self) -> Check {
        let kind = CheckKind::Identity;
        let ids = identity_ids(self.identity);
        if self.identity.attached && matches!(self.snapshot.encrypting_identity, Fetched::NotFound) {
            // The seed's troubleshooting ("removing user-assigned identity"): a deleted identity cannot be
            // re-assigned, so the way out is another identity with access, a rotation to it, then removal.
            let name = match &self.identity.kind {
                IdentityKind::User { name: Some(n), .. } => n.clone(),
                _ => self.identity.client_id.clone().unwrap_or_default(),
            };
            let evidence = Sentence::new(words::IDENTITY_DELETED).with("name", name).with_words("ids", ids);
            return Check::new(kind, CheckState::Fail, evidence);
        }
        if self.identity.attached {
            let attached = match &self.identity.kind {
                IdentityKind::System => Sentence::new(words::ATTACHED_SYSTEM),
                IdentityKind::User { name: Some(n), .. } => Sentence::new(words::ATTACHED_USER_NAMED).with("name", n.as_str()),
                IdentityKind::User { name: None, .. } => Sentence::new(words::ATTACHED_USER),
            };
            return Check::new(kind, CheckState::Pass, attached.with_words("ids", ids));
        }
        if self.identity.is_system() {
            return Check::new(kind, CheckState::Fail, words::SYSTEM_OFF).with_fix(Fix::EnableSystemIdentity);
        }
        if let IdentityKind::User { resource_id: Some(resource_id), .. } = &self.identity.kind {
            let evidence = Sentence::new(words::NOT_ATTACHED).with_words("who", self.identity.describe_first()).with_words("ids", ids);
            return Check::new(kind, CheckState::Fail, evidence).with_fix(Fix::AttachUserIdentity { resource_id: resource_id.clone() });
        }
        let client = self.identity.client_id.clone().unwrap_or_default();
        if client.is_empty() {
            return Check::new(kind, CheckState::Fail, words::NO_IDENTITY);
        }
        // The system identity's client id is only known from `identities/default`.
        if let Fetched::Failed(e) = &self.snapshot.system_identity {
            let evidence = Sentence::new(words::CLIENT_UNMATCHED_SYSTEM_UNREAD).with("client", client).with("failure", read_failure(e));
            return Check::new(kind, CheckState::Unknown, evidence);
        }
        Check::new(kind, CheckState::Fail, Sentence::new(words::CLIENT_UNMATCHED).with("client", client))
    }

    fn access_check(&self) -> Check {
        let kind = CheckKind::Access;
        let Some(principal) = self.identity.principal_id.clone() else {
            return Check::new(kind, CheckState::Unknown, words::PRINCIPAL_UNKNOWN);
        };
        let vault = match self.vault_or_reason() {
            Ok(v) => v,
            Err(reason) => return Check::new(kind, CheckState::Unknown, reason),
        };
        let who = self.identity.describe();
        if vault.properties.rbac() {
            let assignments = match &self.snapshot.role_assignments {
                Fetched::Found(a) => a,
                Fetched::Failed(e) => {
                    let evidence = Sentence::new(words::RBAC_UNREADABLE)
                        .with("vault", vault.name.as_str())
                        .with("principal", principal.as_str())
                        .with("failure", read_failure(e));
                    return Check::new(kind, CheckState::Unknown, evidence);
                }
                _ => return Check::new(kind, CheckState::Unknown, Sentence::new(words::RBAC_NOT_READ).with("vault", vault.name.as_str())),
            };
            let key_scope = self.target.key.as_ref().map(|k| format!("{}/keys/{}", vault.id, k.name)).unwrap_or_default();
            let granting = assignments.iter().find_map(|a| {
                let p = &a.properties;
                let covers = p.scope.as_deref().is_some_and(|s| scope_covers(s, &vault.id) || same_id(s, &key_scope));
                let role = p.key_vault_role()?;
                (p.principal_id.eq_ignore_ascii_case(&principal) && covers).then_some((role.name(), p.scope.clone().unwrap_or_default()))
            });
            let about = |text: Text| {
                Sentence::new(text).with("vault", vault.name.as_str()).with_words("who", who.clone()).with("principal", principal.as_str())
            };
            return match granting {
                Some((role, scope)) => {
                    Check::new(kind, CheckState::Pass, about(words::RBAC_GRANTED).with("role", role).with("scope", scope))
                }
                None => Check::new(kind, CheckState::Fail, about(words::RBAC_MISSING)).with_fix(Fix::AssignRole {
                    scope: vault.id.clone(),
                    principal_id: principal,
                    role_definition_id: KeyVaultRole::CryptoServiceEncryptionUser.definition_id(&subscription_of(&vault.id)),
                }),
            };
        }
        let entry = vault.properties.access_policies.iter().find(|e| e.object_id.eq_ignore_ascii_case(&principal));
        let missing: Vec<String> =
            CMK_KEY_PERMISSIONS.iter().filter(|p| !entry.is_some_and(|e| e.grants_key(p))).map(|p| p.to_string()).collect();
        if missing.is_empty() {
            let granted = entry.and_then(|e| e.permissions.keys.clone()).unwrap_or_default().join(", ");
            let evidence = Sentence::new(words::POLICY_GRANTS)
                .with("vault", vault.name.as_str())
                .with_words("who", who)
                .with("principal", principal.as_str())
                .with("granted", granted);
            return Check::new(kind, CheckState::Pass, evidence);
        }
        let evidence = match entry {
            None => Sentence::new(words::POLICY_NONE),
            Some(_) => Sentence::new(words::POLICY_LACKS).with("missing", missing.join(", ")),
        }
        .with("vault", vault.name.as_str())
        .with_words("who", who)
        .with("principal", principal.as_str());
        let tenant = Some(vault.properties.tenant_id.clone()).filter(|t| !t.is_empty()).unwrap_or_default();
        Check::new(kind, CheckState::Fail, evidence).with_fix(Fix::GrantAccessPolicy {
            vault_id: vault.id.clone(),
            tenant_id: tenant,
            object_id: principal,
            permissions: CMK_KEY_PERMISSIONS.iter().map(|p| p.to_string()).collect(),
        })
    }

    fn key_check(&self) -> Check {
        let kind = CheckKind::Key;
        let Some(key) = &self.target.key else {
            return Check::new(kind, CheckState::Fail, Sentence::new(words::NOT_A_KEY_ID).with("key", self.target.key_identifier.as_str()));
        };
        if let Err(reason) = self.vault_or_reason() {
            // A soft-deleted vault takes its keys with it: certain, not unknown, and recoverable.
            if let (Fetched::NotFound, Some(VaultAbsence::Deleted { vault_id, location, .. })) =
                (&self.snapshot.vault, &self.snapshot.vault_absence)
            {
                // ARM recovers it (a control-plane PUT) given where it was; the command where that is unknown.
                let fix = match self.tenant_id() {
                    Some(tenant_id) if !vault_id.is_empty() && !location.is_empty() => {
                        Fix::RecoverVault { vault_id: vault_id.clone(), location: location.clone(), tenant_id }
                    }
                    _ => Fix::RunCommand { command: format!("az keyvault recover --name {}", key.vault_name()) },
                };
                return Check::new(kind, CheckState::Fail, reason).with_fix(fix);
            }
            return Check::new(kind, CheckState::Unknown, reason);
        }
        let versions = match &self.snapshot.key_versions {
            Fetched::Found(v) => v,
            Fetched::NotFound => {
                let evidence = Sentence::new(words::KEY_MISSING).with("key", key.name.as_str()).with("vault", key.vault_name());
                return Check::new(kind, CheckState::Fail, evidence).with_fix(Fix::RunCommand {
                    command: format!("az keyvault key recover --vault-name {} --name {}", key.vault_name(), key.name),
                });
            }
            Fetched::Failed(e) => {
                let evidence = Sentence::new(words::KEY_UNREADABLE).with("key", key.name.as_str()).with("failure", read_failure(e));
                return Check::new(kind, CheckState::Unknown, evidence);
            }
            Fetched::NotNeeded => {
                return Check::new(kind, CheckState::Unknown, Sentence::new(words::KEY_NOT_READ).with("key", key.name.as_str()))
            }
        };
        let kty = versions.iter().find_map(|v| v.properties.kty.clone()).unwrap_or_default();
        if !kty.is_empty() && !is_cmk_key_type(&kty) {
            return Check::new(
                kind,
                CheckState::Fail,
                Sentence::new(words::KEY_WRONG_TYPE).with("key", key.name.as_str()).with("kty", kty),
            );
        }
        let now = self.snapshot.now_unix;
        // "RSA key 'k' exists …", or "Key 'k' exists …" when the type is not reported.
        let exists = |typed: Text, untyped: Text| {
            let text = if kty.is_empty() { untyped } else { typed };
            Sentence::new(text).with("kty", kty.as_str()).with("key", key.name.as_str())
        };
        let about_version = |text: Text, version: &str| Sentence::new(text).with("version", version).with("key", key.name.as_str());
        match self.target.version_in_use.as_deref() {
            Some(version) => match versions.iter().find(|v| version_name(v).eq_ignore_ascii_case(version)) {
                None => Check::new(kind, CheckState::Fail, about_version(words::VERSION_MISSING, version)),
                Some(v) if !usable(v, now) => {
                    Check::new(kind, CheckState::Fail, about_version(words::VERSION_UNUSABLE, version)).with_fix(Fix::RunCommand {
                        command: format!(
                            "az keyvault key set-attributes --vault-name {} --name {} --version {version} --enabled true",
                            key.vault_name(),
                            key.name
                        ),
                    })
                }
                Some(_) => Check::new(
                    kind,
                    CheckState::Pass,
                    exists(words::TYPED_KEY_VERSION_ENABLED, words::KEY_VERSION_ENABLED).with("version", version),
                ),
            },
            None => match newest_usable(versions, now) {
                Some(v) => Check::new(
                    kind,
                    CheckState::Pass,
                    exists(words::TYPED_KEY_NEWEST_ENABLED, words::KEY_NEWEST_ENABLED).with("version", version_name(v)),
                ),
                None => {
                    let evidence = Sentence::new(words::NO_ENABLED_VERSION).with("key", key.name.as_str());
                    Check::new(kind, CheckState::Fail, evidence).with_fix(Fix::RunCommand {
                        command: format!("az keyvault key rotate --vault-name {} --name {}", key.vault_name(), key.name),
                    })
                }
            },
        }
    }

    fn firewall_check(&self) -> Check {
        let kind = CheckKind::Firewall;
        let vault = match self.vault_or_reason() {
            Ok(v) => v,
            Err(reason) => return Check::new(kind, CheckState::Unknown, reason),
        };
        let props = &vault.properties;
        if !props.firewall_closed() {
            return Check::new(kind, CheckState::Pass, Sentence::new(words::FIREWALL_OPEN).with("vault", vault.name.as_str()));
        }
        let bypass = props.bypasses_azure_services();
        if bypass && self.identity.is_system() {
            return Check::new(kind, CheckState::Pass, Sentence::new(words::FIREWALL_TRUSTED_SYSTEM).with("vault", vault.name.as_str()));
        }
        let why = if bypass { words::FIREWALL_TRUSTED_USER } else { words::FIREWALL_CLOSED };
        Check::new(kind, CheckState::Fail, Sentence::new(why).with("vault", vault.name.as_str()))
            .with_fix(Fix::EnableSystemIdentityAndBypass { vault_id: vault.id.clone(), key_identifier: self.target.key_identifier.clone() })
    }

    fn recovery_check(&self) -> Check {
        let kind = CheckKind::Recovery;
        let vault = match self.vault_or_reason() {
            Ok(v) => v,
            Err(reason) => return Check::new(kind, CheckState::Unknown, reason),
        };
        // Soft delete cannot be turned off on current vaults; ARM omits it on old ones.
        let soft = vault.properties.enable_soft_delete != Some(false);
        let purge = vault.properties.enable_purge_protection == Some(true);
        let fix = Fix::EnablePurgeProtection { vault_id: vault.id.clone() };
        let said = |text: Text| Sentence::new(text).with("vault", vault.name.as_str());
        match (soft, purge) {
            (true, true) => Check::new(kind, CheckState::Pass, said(words::RECOVERY_ON)),
            (true, false) => Check::new(kind, CheckState::Warn, said(words::PURGE_PROTECTION_OFF)).with_fix(fix),
            (false, _) => Check::new(kind, CheckState::Warn, said(words::SOFT_DELETE_OFF)).with_fix(fix),
        }
    }

    fn version_check(&self) -> Check {
        let kind = CheckKind::Version;
        let Some(key) = &self.target.key else {
            return Check::new(kind, CheckState::Unknown, words::KEY_ID_UNPARSED);
        };
        let Fetched::Found(versions) = &self.snapshot.key_versions else {
            return Check::new(kind, CheckState::Unknown, Sentence::new(words::VERSIONS_NOT_READ).with("key", key.name.as_str()));
        };
        let now = self.snapshot.now_unix;
        let Some(newest) = newest_usable(versions, now).map(version_name) else {
            return Check::new(kind, CheckState::Unknown, Sentence::new(words::NO_ENABLED_VERSION).with("key", key.name.as_str()));
        };
        let versions_said = |text: Text, version: &str| Sentence::new(text).with("version", version).with("newest", newest);
        let proposed = self.snapshot.purpose == Purpose::Proposed;
        let in_use = self.target.version_in_use.as_deref();
        match (key.is_versionless(), in_use) {
            (true, _) if proposed => Check::new(kind, CheckState::Pass, versions_said(words::VERSIONLESS_PROPOSED, "")),
            (true, Some(v)) if v.eq_ignore_ascii_case(newest) => Check::new(kind, CheckState::Pass, versions_said(words::AUTO_NEWEST, v)),
            (true, Some(v)) => Check::new(kind, CheckState::Warn, versions_said(words::AUTO_BEHIND, v)),
            (true, None) => Check::new(kind, CheckState::Unknown, words::AUTO_UNREPORTED),
            (false, Some(v)) if v.eq_ignore_ascii_case(newest) => {
                Check::new(kind, CheckState::Pass, versions_said(words::PINNED_NEWEST, v))
            }
            (false, v) => {
                let v = v.unwrap_or_default();
                Check::new(kind, CheckState::Warn, versions_said(words::PINNED_BEHIND, v)).with_fix(Fix::RotateKey {
                    key_identifier: format!("{}/keys/{}/{newest}", key.vault_base, key.name),
                    identity: self.target.identity.clone(),
                })
            }
        }
    }
}

/// A failed read in a few words; the page shows the full error (message, request id) beside the checks.
fn read_failure(e: &ClientError) -> String {
    // A read the caller may not make says what would let them, not only that it failed.
    if let ClientError::Arm { status: 403, code, message, .. } = e {
        if code == "AuthorizationFailed" {
            if let Some(hint) = crate::permissions::denied_read_hint(message) {
                return format!("403 AuthorizationFailed: {hint}");
            }
        }
    }
    match e.status() {
        Some(status) => format!("{} {}", status, e.code()),
        None => e.code(),
    }
}

/// Each reason once, in order: several checks can share one cause (an unreadable vault).
fn unique(reasons: Vec<Sentence>) -> Vec<Sentence> {
    let mut out: Vec<Sentence> = Vec::new();
    for r in reasons {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// " (client id …, principal id …)" when known.
fn identity_ids(identity: &ResolvedIdentity) -> Sentence {
    match (&identity.client_id, &identity.principal_id) {
        (Some(c), Some(p)) => Sentence::new(words::IDS_BOTH).with("client", c.as_str()).with("principal", p.as_str()),
        (Some(c), None) => Sentence::new(words::IDS_CLIENT).with("client", c.as_str()),
        (None, Some(p)) => Sentence::new(words::IDS_PRINCIPAL).with("principal", p.as_str()),
        (None, None) => Sentence::empty(),
    }
}

/// The subscription a resource id names (empty when it names none).
fn subscription_of(id: &str) -> String {
    ResourceId::parse(id).map(|r| r.subscription_id).unwrap_or_default()
}

/// `scope` is `target` or one of its parents, at segment boundaries.
pub fn scope_covers(scope: &str, target: &str) -> bool {
    let s = scope.trim_end_matches('/').to_ascii_lowercase();
    let t = target.trim_end_matches('/').to_ascii_lowercase();
    s.is_empty() || t == s || t.starts_with(&format!("{s}/"))
}

/// A version's id: ARM names a `…/keys/{k}/versions/{v}` resource `{v}`; fall back to its URI.
pub fn version_name(v: &ArmKey) -> &str {
    if !v.name.is_empty() && !v.id.is_empty() && v.id.to_ascii_lowercase().contains("/versions/") {
        return &v.name;
    }
    v.properties.key_uri_with_version.as_deref().and_then(|u| u.rsplit('/').next()).unwrap_or(&v.name)
}

/// Enabled and inside `nbf`..`exp`.
pub fn usable(v: &ArmKey, now: i64) -> bool {
    let Some(a) = &v.properties.attributes else { return false };
    a.enabled == Some(true) && a.nbf.is_none_or(|nbf| nbf <= now) && a.exp.is_none_or(|exp| now < exp)
}

/// The newest (by `created`) usable version.
pub fn newest_usable(versions: &[ArmKey], now: i64) -> Option<&ArmKey> {
    versions.iter().filter(|v| usable(v, now)).max_by_key(|v| v.properties.attributes.as_ref().and_then(|a| a.created).unwrap_or(i64::MIN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role_assignment::KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER;
    use serde_json::json;

    const SUB: &str = "6d6f636b-0000-4000-8000-000000000001";
    const V1: &str = "6d6f636b00004000800000000000b001";
    const V2: &str = "6d6f636b00004000800000000000b002";
    const PRINCIPAL: &str = "aaaaaaaa-0000-4000-8000-0000000000a1";
    const CLIENT: &str = "cccccccc-0000-4000-8000-0000000000c1";
    const SYS_PRINCIPAL: &str = "5a5a5a5a-0000-4000-8000-0000000000f1";
    const SYS_CLIENT: &str = "5c5c5c5c-0000-4000-8000-0000000000f2";
    const NOW: i64 = 1_750_000_000;

    fn identity_id() -> String {
        format!("/subscriptions/{SUB}/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr")
    }

    fn vault_id() -> String {
        format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1")
    }

    /// A registry encrypting with `key` through user identity id-acr (and system identity on when `system`).
    fn registry(key: &str, identity: &str, system: bool) -> Registry {
        let kind = if system { "systemAssigned, userAssigned" } else { "userAssigned" };
        serde_json::from_value(json!({
            "id": format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r1"),
            "name": "r1", "sku": {"name": "Premium"},
            "identity": {"type": kind, "principalId": if system { Some(SYS_PRINCIPAL) } else { None },
              "userAssignedIdentities": {identity_id(): {"principalId": PRINCIPAL, "clientId": CLIENT}}},
            "properties": {"encryption": {"status": "enabled", "keyVaultProperties": {
              "keyIdentifier": key,
              "versionedKeyIdentifier": format!("https://kv1.vault.azure.net/keys/k1/{V2}"),
              "identity": identity, "keyRotationEnabled": !key.ends_with(V2)}}}
        }))
        .unwrap()
    }

    fn vault(rbac: bool, policies: serde_json::Value, acls: Option<serde_json::Value>, purge: bool) -> Vault {
        let mut props = json!({"tenantId": "t1", "sku": {"family": "A", "name": "standard"},
            "accessPolicies": policies, "enableSoftDelete": true, "enablePurgeProtection": purge,
            "enableRbacAuthorization": rbac});
        if let Some(a) = acls {
            props["networkAcls"] = a;
        }
        serde_json::from_value(json!({"id": vault_id(), "name": "kv1", "properties": props})).unwrap()
    }

    fn policy(object_id: &str, keys: &[&str]) -> serde_json::Value {
        json!([{"tenantId": "t1", "objectId": object_id, "permissions": {"keys": keys}}])
    }

    fn version(v: &str, enabled: bool, created: i64, kty: &str) -> ArmKey {
        serde_json::from_value(json!({
            "id": format!("{}/keys/k1/versions/{v}", vault_id()), "name": v,
            "type": "Microsoft.KeyVault/vaults/keys/versions",
            "properties": {"kty": kty, "attributes": {"enabled": enabled, "created": created},
              "keyUriWithVersion": format!("https://kv1.vault.azure.net:443/keys/k1/{v}")}
        }))
        .unwrap()
    }

    fn versions() -> Vec<ArmKey> {
        vec![version(V1, true, 100, "RSA"), version(V2, true, 200, "RSA")]
    }

    fn system_identity() -> UserAssignedIdentity {
        serde_json::from_value(json!({"id": "x/identities/default", "name": "r1",
            "properties": {"tenantId": "t1", "principalId": SYS_PRINCIPAL, "clientId": SYS_CLIENT}}))
        .unwrap()
    }

    /// contosoprod: pinned to the newest version, user identity with an access policy.
    fn healthy() -> Snapshot {
        let r = registry(&format!("https://kv1.vault.azure.net/keys/k1/{V2}"), CLIENT, false);
        let mut s = Snapshot::new(Purpose::Current, r.clone(), Target::current(&r), NOW);
        s.vault = Fetched::Found(vault(false, policy(PRINCIPAL, &["get", "wrapKey", "unwrapKey"]), None, true));
        s.key_versions = Fetched::Found(versions());
        s
    }

    fn state(d: &Diagnosis, kind: CheckKind) -> CheckState {
        d.check(kind).expect("check present").state
    }

    #[test]
    fn healthy_registry_passes_every_check_in_order() {
        let d = diagnose(&healthy());
        let names: Vec<&str> = d.checks.iter().map(|c| c.kind.name()).collect();
        assert_eq!(names, ["identity", "access", "key", "firewall", "recovery", "version"]);
        assert!(d.checks.iter().all(|c| c.state == CheckState::Pass), "{:#?}", d.checks);
        assert_eq!(d.verdict, Verdict::Reachable { warnings: 0 });
        assert_eq!(d.headline(), "The registry can reach its key.");
        assert_eq!(d.verdict_state(), VerdictState::Ok);
    }

    #[test]
    fn no_cmk_is_not_applicable() {
        let mut r = registry("https://kv1.vault.azure.net/keys/k1", CLIENT, false);
        r.properties.encryption = None;
        let d = diagnose(&Snapshot::new(Purpose::Current, r.clone(), Target::current(&r), NOW));
        assert_eq!(d.verdict, Verdict::NotApplicable);
        assert!(d.checks.is_empty());
        assert!(d.headline().contains("Microsoft-managed key"));
    }

    #[test]
    fn identity_check_fails_when_the_user_identity_was_removed() {
        let mut s = healthy();
        s.registry.identity = None;
        let mut known = system_identity();
        known.id = identity_id();
        known.name = "id-acr".into();
        known.properties.client_id = CLIENT.into();
        known.properties.principal_id = PRINCIPAL.into();
        s.known_identities = vec![known];
        let d = diagnose(&s);
        let c = d.check(CheckKind::Identity).unwrap();
        assert_eq!(c.state, CheckState::Fail);
        assert_eq!(c.fix, Some(Fix::AttachUserIdentity { resource_id: identity_id() }));
        assert!(matches!(d.verdict, Verdict::Inaccessible { .. }));
        assert!(d.headline().starts_with("Registry data is inaccessible because user-assigned identity 'id-acr' is not attached"));
        // In Korean the reasons are whole sentences after the verdict, and the ids stay as Azure wrote them.
        assert_eq!(
            d.headline_in(Lang::Ko),
            format!(
                "레지스트리 데이터에 액세스할 수 없습니다. 사용자 할당 ID 'id-acr'이(가) 레지스트리에 연결되어 있지 않습니다(클라이언트 ID {CLIENT}, 보안 주체 ID {PRINCIPAL})."
            )
        );
        assert_eq!(c.fix.as_ref().unwrap().label().get(Lang::Ko), "레지스트리에 ID 'id-acr' 할당");
        // The principal was known from the subscription's identities, so access is still checked.
        assert_eq!(state(&d, CheckKind::Access), CheckState::Pass);
    }

    #[test]
    fn identity_check_fails_when_the_attached_user_identity_was_deleted() {
        let mut s = healthy();
        s.encrypting_identity = Fetched::NotFound;
        let d = diagnose(&s);
        let c = d.check(CheckKind::Identity).unwrap();
        assert_eq!(c.state, CheckState::Fail);
        assert_eq!(c.fix, None, "a deleted identity cannot be attached again");
        assert!(matches!(d.verdict, Verdict::Inaccessible { .. }));
        let en = c.evidence.get(Lang::En);
        assert!(en.starts_with("User-assigned identity 'id-acr' is attached to the registry but no longer exists"), "{en}");
        assert!(en.contains("rotate the key to that identity, then remove 'id-acr'"), "{en}");
        assert!(c.evidence.get(Lang::Ko).contains("더 이상 존재하지 않습니다"));
        // Found, failed to read, or not read: attached is attached.
        for read in [
            Fetched::Found(system_identity()),
            Fetched::Failed(ClientError::Unreachable { endpoint: "https://management.azure.com".into() }),
            Fetched::NotNeeded,
        ] {
            let mut s = healthy();
            s.encrypting_identity = read;
            assert_eq!(state(&diagnose(&s), CheckKind::Identity), CheckState::Pass);
        }
    }

    #[test]
    fn identity_check_fails_for_an_unknown_client_id_and_is_unknown_when_the_system_identity_read_failed() {
        let mut s = healthy();
        s.target.as_mut().unwrap().identity = IdentityRef::ClientId("dddddddd-0000-4000-8000-000000000000".into());
        let d = diagnose(&s);
        assert_eq!(state(&d, CheckKind::Identity), CheckState::Fail);
        assert_eq!(state(&d, CheckKind::Access), CheckState::Unknown);
        s.system_identity =
            Fetched::Failed(ClientError::Arm { status: 403, code: "AuthorizationFailed".into(), message: "no".into(), request_id: None });
        let d = diagnose(&s);
        assert_eq!(state(&d, CheckKind::Identity), CheckState::Unknown);
        assert!(matches!(d.verdict, Verdict::Unknown { .. }));
        assert!(d.headline().starts_with("The console could not confirm"));
    }

    #[test]
    fn system_identity_resolves_by_its_client_id_and_fails_when_off() {
        let r = registry(&format!("https://kv1.vault.azure.net/keys/k1/{V2}"), SYS_CLIENT, true);
        let mut s = Snapshot::new(Purpose::Current, r.clone(), Target::current(&r), NOW);
        s.system_identity = Fetched::Found(system_identity());
        s.vault = Fetched::Found(vault(false, policy(SYS_PRINCIPAL, &["all"]), None, true));
        s.key_versions = Fetched::Found(versions());
        let who = s.identity().unwrap();
        assert!(who.is_system() && who.attached);
        assert_eq!(who.principal_id.as_deref(), Some(SYS_PRINCIPAL));
        assert_eq!(diagnose(&s).verdict, Verdict::Reachable { warnings: 0 });

        let r = registry(&format!("https://kv1.vault.azure.net/keys/k1/{V2}"), "system", false);
        s.registry = r.clone();
        s.target = Target::current(&r);
        s.system_identity = Fetched::NotFound;
        let d = diagnose(&s);
        let c = d.check(CheckKind::Identity).unwrap();
        assert_eq!((c.state, c.fix.clone()), (CheckState::Fail, Some(Fix::EnableSystemIdentity)));
    }

    #[test]
    fn access_policy_missing_or_partial_fails_with_a_grant_fix() {
        let mut s = healthy();
        s.vault = Fetched::Found(vault(false, policy("someone-else", &["all"]), None, true));
        let d = diagnose(&s);
        let c = d.check(CheckKind::Access).unwrap();
        assert_eq!(c.state, CheckState::Fail);
        assert!(c.evidence.to_string().contains("has no access policy"), "{}", c.evidence);
        assert_eq!(
            c.fix,
            Some(Fix::GrantAccessPolicy {
                vault_id: vault_id(),
                tenant_id: "t1".into(),
                object_id: PRINCIPAL.into(),
                permissions: vec!["get".into(), "wrapKey".into(), "unwrapKey".into()],
            })
        );
        assert!(d.headline().starts_with("Registry data is inaccessible because vault 'kv1' has no access policy"));

        s.vault = Fetched::Found(vault(false, policy(&PRINCIPAL.to_uppercase(), &["Get", "WrapKey"]), None, true));
        let c = diagnose(&s).check(CheckKind::Access).unwrap().clone();
        assert_eq!(c.state, CheckState::Fail);
        assert!(c.evidence.to_string().ends_with("lacks unwrapKey."), "{}", c.evidence);
    }

    #[test]
    fn role_assignments_the_caller_may_not_read_say_what_would_let_them() {
        let mut s = healthy();
        s.vault = Fetched::Found(vault(true, json!([]), None, true));
        s.role_assignments = Fetched::Failed(ClientError::Arm {
            status: 403,
            code: "AuthorizationFailed".into(),
            message: format!("The client 'u' with object id 'u' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read' over scope '{}' or the scope is invalid. If access was recently granted, please refresh your credentials.", vault_id()),
            request_id: None,
        });
        let c = diagnose(&s).check(CheckKind::Access).unwrap().clone();
        assert_eq!(c.state, CheckState::Unknown);
        assert!(
            c.evidence.to_string().contains("could not be read (403 AuthorizationFailed: you need the permission 'Microsoft.Authorization/roleAssignments/read' (the built-in role 'Reader' grants it))"),
            "{}",
            c.evidence
        );
    }

    #[test]
    fn rbac_vault_needs_a_granting_role_at_or_above_the_vault() {
        let mut s = healthy();
        s.vault = Fetched::Found(vault(true, json!([]), None, true));
        let assignment = |role: &str, scope: &str| -> RoleAssignment {
            serde_json::from_value(json!({"id": "ra", "name": "ra", "properties": {
                "scope": scope, "principalId": PRINCIPAL,
                "roleDefinitionId": format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{role}")}}))
            .unwrap()
        };
        s.role_assignments =
            Fetched::Found(vec![assignment(KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, &format!("/subscriptions/{SUB}/resourceGroups/rg"))]);
        let c = diagnose(&s).check(CheckKind::Access).unwrap().clone();
        assert_eq!(c.state, CheckState::Pass, "{}", c.evidence);
        assert!(c.evidence.to_string().contains("Key Vault Crypto Service Encryption User"));

        // Reader-like role, or a sibling vault's scope: not enough.
        s.role_assignments = Fetched::Found(vec![
            assignment("acdd72a7-3385-48ef-bd42-f606fba81ae7", &vault_id()),
            assignment(KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, &format!("{}2", vault_id())),
        ]);
        let c = diagnose(&s).check(CheckKind::Access).unwrap().clone();
        assert_eq!(c.state, CheckState::Fail);
        assert_eq!(
            c.fix,
            Some(Fix::AssignRole {
                scope: vault_id(),
                principal_id: PRINCIPAL.into(),
                role_definition_id: format!(
                    "/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER}"
                ),
            })
        );

        s.role_assignments =
            Fetched::Failed(ClientError::Arm { status: 403, code: "AuthorizationFailed".into(), message: "no".into(), request_id: None });
        assert_eq!(state(&diagnose(&s), CheckKind::Access), CheckState::Unknown);
    }

    #[test]
    fn vault_not_found_leaves_vault_checks_unknown() {
        let mut s = healthy();
        s.vault = Fetched::NotFound;
        let d = diagnose(&s);
        for kind in [CheckKind::Access, CheckKind::Key, CheckKind::Firewall, CheckKind::Recovery] {
            assert_eq!(state(&d, kind), CheckState::Unknown, "{kind:?}");
        }
        assert!(d.check(CheckKind::Access).unwrap().evidence.to_string().contains("'kv1' was not found in subscription"));
        // Four checks share the cause; the verdict says it once.
        let Verdict::Unknown { reasons } = &d.verdict else { panic!("unknown verdict: {:?}", d.verdict) };
        assert_eq!(reasons.len(), 1, "{reasons:?}");

        s.vault = Fetched::Failed(ClientError::Arm {
            status: 500,
            code: "InternalServerError".into(),
            message: "long text".into(),
            request_id: Some("r-1".into()),
        });
        let d = diagnose(&s);
        assert_eq!(
            d.check(CheckKind::Firewall).unwrap().evidence.to_string(),
            "Key vault 'kv1' could not be read (500 InternalServerError)."
        );
        assert_eq!(state(&d, CheckKind::Key), CheckState::Unknown);
    }

    #[test]
    fn a_soft_deleted_vault_fails_the_key_check_with_the_recovery_and_leaves_the_rest_unknown() {
        let mut s = healthy();
        s.vault = Fetched::NotFound;
        s.vault_absence = Some(VaultAbsence::Deleted {
            subscription_id: "sub-security".into(),
            deletion_date: Some("2026-12-03T10:00:00Z".into()),
            scheduled_purge_date: Some("2027-03-03T10:00:00Z".into()),
            vault_id: vault_id(),
            location: "westeurope".into(),
        });
        s.registry.identity.as_mut().unwrap().tenant_id = Some("t1".into());
        let d = diagnose(&s);
        let key = d.check(CheckKind::Key).unwrap();
        assert_eq!(key.state, CheckState::Fail);
        assert!(key.evidence.to_string().contains("'kv1' was deleted on 2026-12-03T10:00:00Z"), "{}", key.evidence.to_string());
        assert_eq!(key.fix, Some(Fix::RecoverVault { vault_id: vault_id(), location: "westeurope".into(), tenant_id: "t1".into() }));
        assert!(key.fix.as_ref().unwrap().label().to_string().contains("az keyvault recover --name kv1"));
        for kind in [CheckKind::Access, CheckKind::Firewall, CheckKind::Recovery] {
            assert_eq!(state(&d, kind), CheckState::Unknown, "{kind:?}");
        }
        assert!(matches!(d.verdict, Verdict::Inaccessible { .. }), "{:?}", d.verdict);

        // Where ARM did not say where it was, or no identity names the tenant: the command.
        s.registry.identity.as_mut().unwrap().tenant_id = None;
        let d = diagnose(&s);
        assert_eq!(d.check(CheckKind::Key).unwrap().fix, Some(Fix::RunCommand { command: "az keyvault recover --name kv1".into() }));

        // Not visible is not deleted: the registry may still reach it.
        s.vault_absence = Some(VaultAbsence::NotVisible { subscriptions_searched: 2, resource_graph: true });
        let d = diagnose(&s);
        assert_eq!(state(&d, CheckKind::Key), CheckState::Unknown);
        assert!(matches!(d.verdict, Verdict::Unknown { .. }), "{:?}", d.verdict);
    }

    #[test]
    fn key_check_fails_when_deleted_disabled_missing_version_or_not_rsa() {
        let mut s = healthy();
        s.key_versions = Fetched::NotFound;
        let c = diagnose(&s).check(CheckKind::Key).unwrap().clone();
        assert_eq!(c.state, CheckState::Fail);
        assert!(matches!(c.fix, Some(Fix::RunCommand { ref command }) if command.contains("az keyvault key recover")));

        s.key_versions = Fetched::Found(vec![version(V1, true, 100, "RSA"), version(V2, false, 200, "RSA")]);
        let d = diagnose(&s);
        let c = d.check(CheckKind::Key).unwrap();
        assert_eq!(c.state, CheckState::Fail);
        assert!(c.evidence.to_string().contains(&format!("Version {V2}")) && c.evidence.to_string().contains("disabled"));
        assert!(d.headline().contains("is disabled"));

        s.key_versions = Fetched::Found(vec![version(V1, true, 100, "RSA")]);
        assert!(diagnose(&s).check(CheckKind::Key).unwrap().evidence.to_string().contains("does not exist"));

        s.key_versions = Fetched::Found(vec![version(V2, true, 200, "EC")]);
        let c = diagnose(&s).check(CheckKind::Key).unwrap().clone();
        assert_eq!(c.state, CheckState::Fail);
        assert!(c.evidence.to_string().contains("type EC"));

        s.key_versions = Fetched::Found(vec![version(V2, true, 200, "RSA-HSM")]);
        assert_eq!(state(&diagnose(&s), CheckKind::Key), CheckState::Pass);
    }

    #[test]
    fn versions_outside_their_validity_period_are_not_usable() {
        let mut v = version(V2, true, 200, "RSA");
        v.properties.attributes.as_mut().unwrap().exp = Some(NOW - 1);
        assert!(!usable(&v, NOW));
        v.properties.attributes.as_mut().unwrap().exp = None;
        v.properties.attributes.as_mut().unwrap().nbf = Some(NOW + 10);
        assert!(!usable(&v, NOW));
        v.properties.attributes.as_mut().unwrap().nbf = Some(NOW);
        assert!(usable(&v, NOW));
    }

    #[test]
    fn firewall_passes_only_with_bypass_and_the_system_identity() {
        let closed = |bypass: &str| Some(json!({"bypass": bypass, "defaultAction": "Deny", "ipRules": [], "virtualNetworkRules": []}));
        let mut s = healthy();
        s.vault = Fetched::Found(vault(false, policy(PRINCIPAL, &["get", "wrapKey", "unwrapKey"]), closed("None"), true));
        let d = diagnose(&s);
        let c = d.check(CheckKind::Firewall).unwrap();
        assert_eq!(c.state, CheckState::Fail);
        assert!(matches!(c.fix, Some(Fix::EnableSystemIdentityAndBypass { .. })));
        assert!(matches!(d.verdict, Verdict::Inaccessible { .. }));

        s.vault = Fetched::Found(vault(false, policy(PRINCIPAL, &["get", "wrapKey", "unwrapKey"]), closed("AzureServices"), true));
        let c = diagnose(&s).check(CheckKind::Firewall).unwrap().clone();
        assert_eq!(c.state, CheckState::Fail);
        assert!(c.evidence.to_string().contains("only with the registry's system-assigned identity"));

        let r = registry(&format!("https://kv1.vault.azure.net/keys/k1/{V2}"), "system", true);
        s.registry = r.clone();
        s.target = Target::current(&r);
        s.vault = Fetched::Found(vault(false, policy(SYS_PRINCIPAL, &["get", "wrapKey", "unwrapKey"]), closed("AzureServices"), true));
        let d = diagnose(&s);
        assert_eq!(state(&d, CheckKind::Firewall), CheckState::Pass);
        assert_eq!(d.verdict, Verdict::Reachable { warnings: 0 });
    }

    #[test]
    fn recovery_warns_without_purge_protection_but_stays_reachable() {
        let mut s = healthy();
        s.vault = Fetched::Found(vault(false, policy(PRINCIPAL, &["get", "wrapKey", "unwrapKey"]), None, false));
        let d = diagnose(&s);
        let c = d.check(CheckKind::Recovery).unwrap();
        assert_eq!(c.state, CheckState::Warn);
        assert_eq!(c.fix, Some(Fix::EnablePurgeProtection { vault_id: vault_id() }));
        assert_eq!(d.verdict, Verdict::Reachable { warnings: 1 });
        assert_eq!(d.headline(), "The registry can reach its key (1 warning).");
    }

    #[test]
    fn versionless_key_passes_on_the_newest_version_and_warns_when_behind() {
        let r = registry("https://kv1.vault.azure.net:443/keys/K1", CLIENT, false);
        let mut s = healthy();
        s.registry = r.clone();
        s.target = Target::current(&r);
        let d = diagnose(&s);
        assert_eq!(state(&d, CheckKind::Version), CheckState::Pass, "{:#?}", d.check(CheckKind::Version));

        let v3 = "6d6f636b00004000800000000000b003";
        s.key_versions = Fetched::Found(vec![version(V1, true, 100, "RSA"), version(V2, true, 200, "RSA"), version(v3, true, 300, "RSA")]);
        let c = diagnose(&s).check(CheckKind::Version).unwrap().clone();
        assert_eq!(c.state, CheckState::Warn);
        assert!(c.evidence.to_string().contains(v3));
    }

    #[test]
    fn pinned_key_with_a_newer_version_offers_a_rotation() {
        let mut s = healthy();
        let v3 = "6d6f636b00004000800000000000b003";
        s.key_versions = Fetched::Found(vec![version(V2, true, 200, "RSA"), version(v3, true, 300, "RSA")]);
        let c = diagnose(&s).check(CheckKind::Version).unwrap().clone();
        assert_eq!(c.state, CheckState::Warn);
        assert_eq!(
            c.fix,
            Some(Fix::RotateKey {
                key_identifier: format!("https://kv1.vault.azure.net/keys/k1/{v3}"),
                identity: IdentityRef::ClientId(CLIENT.into()),
            })
        );
        // A disabled newer version does not count.
        s.key_versions = Fetched::Found(vec![version(V2, true, 200, "RSA"), version(v3, false, 300, "RSA")]);
        assert_eq!(state(&diagnose(&s), CheckKind::Version), CheckState::Pass);
    }

    #[test]
    fn proposed_target_checks_the_new_key_and_identity_before_a_rotation() {
        let mut s = healthy();
        s.purpose = Purpose::Proposed;
        let mut nokey = system_identity();
        nokey.id = format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-nokey");
        nokey.name = "id-nokey".into();
        nokey.properties.client_id = "c2".into();
        nokey.properties.principal_id = "p2".into();
        s.known_identities = vec![nokey.clone()];
        s.target = Some(Target::proposed(KeyId::parse("https://kv1.vault.azure.net/keys/k1").unwrap(), IdentityRef::ClientId("c2".into())));
        let d = diagnose(&s);
        assert_eq!(state(&d, CheckKind::Identity), CheckState::Fail);
        let access = d.check(CheckKind::Access).unwrap();
        assert_eq!(access.state, CheckState::Fail);
        assert!(matches!(&access.fix, Some(Fix::GrantAccessPolicy { object_id, .. }) if object_id == "p2"));
        assert_eq!(state(&d, CheckKind::Version), CheckState::Pass);
        assert!(d.headline().starts_with("The registry could not use this key because"));

        // Same key through the registry's own identity: good to go.
        s.target = Some(Target::proposed(
            KeyId::parse(&format!("https://kv1.vault.azure.net/keys/k1/{V1}")).unwrap(),
            IdentityRef::ClientId(CLIENT.into()),
        ));
        let d = diagnose(&s);
        assert_eq!(state(&d, CheckKind::Key), CheckState::Pass);
        assert!(matches!(d.verdict, Verdict::Reachable { .. }));
        assert!(d.headline().starts_with("The registry would be able to reach this key"));
    }

    #[test]
    fn identity_ref_reads_system_in_any_spelling() {
        assert_eq!(IdentityRef::parse("[system]"), IdentityRef::System);
        assert_eq!(IdentityRef::parse("System"), IdentityRef::System);
        assert_eq!(IdentityRef::parse("abc").as_request_value(), "abc");
    }

    #[test]
    fn worst_state_of_a_link_and_scope_boundaries() {
        let mut s = healthy();
        s.vault = Fetched::Found(vault(false, json!([]), None, false));
        let d = diagnose(&s);
        assert_eq!(d.worst(&[CheckKind::Access, CheckKind::Firewall]), Some(CheckState::Fail));
        assert_eq!(d.worst(&[CheckKind::Recovery]), Some(CheckState::Warn));
        assert!(scope_covers("/subscriptions/s", "/subscriptions/s/resourceGroups/g"));
        assert!(!scope_covers("/subscriptions/s1", "/subscriptions/s10"));
    }
}
