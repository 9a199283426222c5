//! Rotating a registry's customer-managed key: the **minimal** PATCH (only
//! `properties.encryption.keyVaultProperties`; full-body resubmits fail on CMK
//! registries), and the `az` commands for what the browser cannot do itself.

use crate::arm::{api_version, same_id, ResourceId};
use crate::diagnosis::{CheckKind, CheckState, Diagnosis, Fix, IdentityRef};
use crate::key_id::KeyId;
use crate::registry::{EncryptionProperty, KeyVaultProperties, Registry, RegistryPropertiesUpdateParameters, RegistryUpdateParameters};
use crate::requests::Method;
use crate::text::{Lang, Sentence};
use crate::vault::Vault;

use super::access_grant::{create_rsa_key, grant_access};
use super::step::WriteStep;
use super::{az, joined, PlannedWrite};

/// The identity the registry will reach the key with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyIdentity {
    /// The registry's system-assigned identity (`identity: "system"` in the body, `[system]` for az).
    System,
    /// A user-assigned identity: `keyVaultProperties.identity` holds its **client id**.
    User { resource_id: String, client_id: String },
}

impl KeyIdentity {
    /// The value of `keyVaultProperties.identity`.
    pub fn body_value(&self) -> &str {
        match self {
            KeyIdentity::System => "system",
            KeyIdentity::User { client_id, .. } => client_id,
        }
    }

    /// The value of `az acr encryption rotate-key --identity`.
    pub fn az_value(&self) -> &str {
        match self {
            KeyIdentity::System => "[system]",
            KeyIdentity::User { client_id, .. } => client_id,
        }
    }

    /// What `keyVaultProperties.identity` will hold, for the pre-flight diagnosis.
    pub fn identity_ref(&self) -> IdentityRef {
        match self {
            KeyIdentity::System => IdentityRef::System,
            KeyIdentity::User { client_id, .. } => IdentityRef::ClientId(client_id.clone()),
        }
    }

    /// The `<option value>` of the rotate form's identity list: `system` or the resource id.
    pub fn option_value(&self) -> &str {
        match self {
            KeyIdentity::System => SYSTEM_OPTION,
            KeyIdentity::User { resource_id, .. } => resource_id,
        }
    }

    /// The identity an option value names among `choices` (the registry's identities).
    pub fn from_option_value(value: &str, choices: &[KeyIdentity]) -> Option<KeyIdentity> {
        choices.iter().find(|c| c.option_value() == value || same_id(c.option_value(), value)).cloned()
    }

    /// The identities `registry` could encrypt with: the system one when on, then each attached user one.
    pub fn choices(registry: &Registry) -> Vec<KeyIdentity> {
        let block = registry.identity.clone().unwrap_or_default();
        let kinds = block.kinds();
        let mut out = Vec::new();
        if kinds.system {
            out.push(KeyIdentity::System);
        }
        if kinds.user {
            for (resource_id, p) in block.user_assigned_identities.unwrap_or_default() {
                out.push(KeyIdentity::User { resource_id, client_id: p.client_id.unwrap_or_default() });
            }
        }
        out
    }

    /// The choice to start on: the identity the registry encrypts with now, else the system one, else the first.
    pub fn current(registry: &Registry, choices: &[KeyIdentity]) -> Option<KeyIdentity> {
        let now = registry.key_vault_properties().and_then(|k| k.identity.clone()).unwrap_or_default();
        choices
            .iter()
            .find(|c| matches!(c, KeyIdentity::User { client_id, .. } if client_id.eq_ignore_ascii_case(&now)))
            .or_else(|| choices.iter().find(|c| **c == KeyIdentity::System))
            .or(choices.first())
            .cloned()
    }

    pub fn describe(&self) -> Sentence {
        match self {
            KeyIdentity::System => words::SYSTEM_IDENTITY.into(),
            KeyIdentity::User { resource_id, client_id } => {
                let name = resource_id.rsplit('/').next().unwrap_or(resource_id);
                Sentence::new(words::USER_IDENTITY).with("name", name).with("client_id", client_id.as_str())
            }
        }
    }
}

/// `PATCH {registry}?api-version=2025-04-01` with
/// `{"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier","identity"}}}}`.
///
/// `key` versionless turns auto-rotation on; versioned pins that version.
pub fn rotate_key(registry: &Registry, key: &KeyId, identity: &KeyIdentity) -> PlannedWrite {
    let body = RegistryUpdateParameters {
        properties: Some(RegistryPropertiesUpdateParameters {
            encryption: Some(EncryptionProperty {
                status: None,
                key_vault_properties: Some(KeyVaultProperties {
                    key_identifier: Some(key.to_string()),
                    identity: Some(identity.body_value().to_string()),
                    ..KeyVaultProperties::default()
                }),
            }),
            ..RegistryPropertiesUpdateParameters::default()
        }),
        ..RegistryUpdateParameters::default()
    };
    let group = ResourceId::parse(&registry.id).map(|r| r.resource_group).unwrap_or_default();
    let key_text = key.to_string();
    let command = az(&[
        "acr",
        "encryption",
        "rotate-key",
        "-n",
        &registry.name,
        "-g",
        &group,
        "--key-encryption-key",
        &key_text,
        "--identity",
        identity.az_value(),
    ]);
    let how = match &key.version {
        Some(v) => Sentence::new(words::PINNED_TO).with("version", v.as_str()),
        None => words::NEWEST_AUTO.into(),
    };
    let mut write = PlannedWrite::new(
        Sentence::new(words::ROTATE)
            .with("registry", registry.name.as_str())
            .with("key", key.name.as_str())
            .with("vault", key.vault_name())
            .with_words("how", how)
            .with_words("identity", identity.describe()),
        Method::Patch,
        format!("{}?api-version={}", registry.id, api_version::CONTAINER_REGISTRY),
        Some(serde_json::to_value(body).unwrap_or_default()),
        command,
    );
    write.long_running = true;
    write
}

const SYSTEM_OPTION: &str = "system";
const NEW_KEY_OPTION: &str = "__new__";

/// The rotate form's key: one the vault has, or a new RSA key to create by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyChoice {
    Existing(String),
    New(String),
}

impl KeyChoice {
    /// The `<option value>` of "Create a new RSA key…".
    pub const NEW_OPTION: &'static str = NEW_KEY_OPTION;

    /// Reads the key list's value (`new_name` is the "new key name" field); `None` when nothing is chosen.
    pub fn from_option_value(value: &str, new_name: &str) -> Option<KeyChoice> {
        match value {
            "" => None,
            NEW_KEY_OPTION => Some(KeyChoice::New(new_name.trim().to_string())).filter(|k| !k.name().is_empty()),
            name => Some(KeyChoice::Existing(name.to_string())),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            KeyChoice::Existing(n) | KeyChoice::New(n) => n,
        }
    }
}

/// The rotate form's version: the newest with auto-rotation (versionless), or one pinned version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionChoice {
    Newest,
    Pinned(String),
}

impl VersionChoice {
    pub fn from_option_value(value: &str) -> VersionChoice {
        if value.is_empty() {
            VersionChoice::Newest
        } else {
            VersionChoice::Pinned(value.to_string())
        }
    }

    pub fn option_value(&self) -> &str {
        match self {
            VersionChoice::Newest => "",
            VersionChoice::Pinned(v) => v,
        }
    }
}

/// What the rotate form asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct RotationRequest {
    pub vault: Vault,
    pub key: KeyChoice,
    pub version: VersionChoice,
    pub identity: KeyIdentity,
}

impl RotationRequest {
    /// The key identifier the registry would use (a new key is always versionless: it has one version, made by ARM).
    pub fn key_id(&self) -> Result<KeyId, Sentence> {
        let base = self.vault.properties.vault_uri.clone().unwrap_or_else(|| format!("https://{}.vault.azure.net/", self.vault.name));
        let base = base.trim_end_matches('/');
        let text = match (&self.key, &self.version) {
            (KeyChoice::Existing(name), VersionChoice::Pinned(v)) => format!("{base}/keys/{name}/{v}"),
            (key, _) => format!("{base}/keys/{}", key.name()),
        };
        KeyId::parse(&text).map_err(|e| Sentence::new(words::BAD_KEY_ID).with("key", text.as_str()).with_words("why", e.sentence()))
    }
}

/// What Review produced from the pre-flight diagnosis of the target key and identity.
#[derive(Clone, Debug, PartialEq)]
pub struct RotationPlan {
    /// Creating the new key first (when one is asked for).
    pub create_key: Option<PlannedWrite>,
    /// Granting the identity access first, when the pre-flight found it missing.
    pub grant: Option<PlannedWrite>,
    pub rotate: PlannedWrite,
    pub before: Registry,
    pub headline: Headline,
    /// Failed, unknown and warning checks, each in a sentence.
    pub problems: Vec<Sentence>,
    /// A check failed or could not be decided (warnings do not block).
    pub blocking: bool,
    /// The checks that failed: the service would refuse the rotation, or the registry would lose its key.
    pub failed: Vec<CheckKind>,
}

impl RotationPlan {
    /// Plans the rotation from the pre-flight `diagnosis` of `request`'s key and identity.
    /// `new_assignment_name` names a role assignment, if the grant needs one.
    pub fn new(
        registry: &Registry,
        request: &RotationRequest,
        diagnosis: &Diagnosis,
        new_assignment_name: &str,
    ) -> Result<RotationPlan, Sentence> {
        let key = request.key_id()?;
        let creating = matches!(request.key, KeyChoice::New(_));
        // A key about to be created cannot exist yet: its checks say nothing.
        let relevant = |kind: CheckKind| !(creating && matches!(kind, CheckKind::Key | CheckKind::Version));
        let problems = diagnosis
            .checks
            .iter()
            .filter(|c| relevant(c.kind) && c.state != CheckState::Pass)
            .map(|c| {
                Sentence::new(words::PROBLEM)
                    .with_words("check", c.kind.label())
                    .with_words("state", state_word(c.state))
                    .with_words("evidence", c.evidence.clone())
            })
            .collect();
        let grant = diagnosis.check(CheckKind::Access).and_then(|c| c.fix.as_ref()).and_then(|fix| match fix {
            Fix::GrantAccessPolicy { tenant_id, object_id, .. } => Some(grant_access(&request.vault, tenant_id, object_id, "")),
            Fix::AssignRole { principal_id, .. } => Some(grant_access(&request.vault, "", principal_id, new_assignment_name)),
            _ => None,
        });
        let blocking = diagnosis.checks.iter().any(|c| relevant(c.kind) && matches!(c.state, CheckState::Fail | CheckState::Unknown));
        let failed = diagnosis.checks.iter().filter(|c| relevant(c.kind) && c.state == CheckState::Fail).map(|c| c.kind).collect();
        let headline = if creating && !blocking { Headline::NewKeyReachable } else { Headline::Diagnosis(Box::new(diagnosis.clone())) };
        Ok(RotationPlan {
            create_key: creating.then(|| create_rsa_key(&request.vault, request.key.name())),
            grant,
            rotate: rotate_key(registry, &key, &request.identity),
            before: registry.clone(),
            headline,
            problems,
            blocking,
            failed,
        })
    }

    /// Why Confirm must stay disabled, if it must: a failed check that the planned grant (when
    /// the user keeps it) does not repair. Checks that could not be decided are the user's call.
    pub fn blocked(&self, grant_first: bool) -> Option<Sentence> {
        let repaired = |k: &CheckKind| grant_first && self.grant.is_some() && *k == CheckKind::Access;
        let left: Vec<Sentence> = self.failed.iter().filter(|k| !repaired(k)).map(|k| k.label().into()).collect();
        (!left.is_empty()).then(|| Sentence::new(words::WOULD_FAIL).with_words("checks", joined(left, super::words::SEMICOLON)))
    }

    /// The steps to run, in order; `grant_first` false leaves the grant out (the user's choice).
    pub fn steps(&self, grant_first: bool) -> Vec<WriteStep> {
        let mut steps: Vec<WriteStep> = self.create_key.iter().cloned().map(WriteStep::Plain).collect();
        if grant_first {
            steps.extend(self.grant.iter().cloned().map(WriteStep::Plain));
        }
        steps.push(WriteStep::registry(self.rotate.clone(), &self.before));
        steps
    }
}

/// A check's state as the pre-flight's problems name it ("fail", lower case in English).
fn state_word(state: CheckState) -> crate::text::Text {
    match state {
        CheckState::Pass => words::STATE_PASS,
        CheckState::Warn => words::STATE_WARN,
        CheckState::Unknown => words::STATE_UNKNOWN,
        CheckState::Fail => words::STATE_FAIL,
    }
}

/// The pre-flight's verdict in one sentence.
#[derive(Clone, Debug, PartialEq)]
pub enum Headline {
    /// A key about to be created, with nothing else in the way.
    NewKeyReachable,
    /// The diagnosis's own headline.
    Diagnosis(Box<Diagnosis>),
}

impl Headline {
    pub fn get(&self, lang: Lang) -> String {
        match self {
            Headline::NewKeyReachable => words::NEW_KEY_REACHABLE.get(lang).to_string(),
            Headline::Diagnosis(d) => d.headline_in(lang),
        }
    }
}

impl std::fmt::Display for Headline {
    /// English, for tests and logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.get(Lang::En))
    }
}

/// The rotation's sentences, in both languages. Names, ids and versions stay verbatim.
pub mod words {
    crate::catalogue! {
        SYSTEM_IDENTITY: "the registry's system-assigned identity" => "레지스트리의 시스템 할당 ID";
        /// `{name}` is the identity's resource name, `{client_id}` its client id.
        USER_IDENTITY: "user-assigned identity '{name}' (client id {client_id})" => "사용자 할당 ID '{name}'(클라이언트 ID {client_id})";
        PINNED_TO: "pinned to version {version}" => "버전 {version}에 고정";
        NEWEST_AUTO: "newest version, auto-rotation on (versionless)" => "최신 버전, 자동 회전 켜짐(버전 없는 키)";
        /// `{how}` is [`PINNED_TO`] or [`NEWEST_AUTO`], `{identity}` [`SYSTEM_IDENTITY`] or [`USER_IDENTITY`].
        ROTATE: "Rotate {registry}'s key to '{key}' in vault '{vault}' ({how}) using {identity}."
            => "{identity}을(를) 사용하여 {registry}의 키를 키 자격 증명 모음 '{vault}'의 '{key}'(으)로 회전합니다({how}).";
        /// `{key}` is a key identifier, `{why}` what is wrong with it.
        BAD_KEY_ID: "{key}: {why}" => "{key}: {why}", same;
        /// A pre-flight check that did not pass: `{check}` its title, `{state}` its state, `{evidence}` what was seen.
        PROBLEM: "{check} ({state}): {evidence}" => "{check}({state}): {evidence}";
        STATE_PASS: "pass" => "통과";
        STATE_WARN: "warn" => "경고";
        STATE_UNKNOWN: "unknown" => "알 수 없음";
        STATE_FAIL: "fail" => "실패";
        NEW_KEY_REACHABLE: "The registry would be able to reach the new key." => "레지스트리가 새 키에 접근할 수 있습니다.";
        /// `{checks}` are the failed checks' titles.
        WOULD_FAIL: "The pre-flight found this rotation would fail ({checks}); fix that first, then review again."
            => "사전 검사 결과 이 회전은 실패합니다({checks}). 먼저 문제를 해결한 다음 다시 검토하세요.";
    }
}

/// A new version of an existing key is a Key Vault **data-plane** call, which
/// sends no CORS headers: the console shows these commands instead (either one
/// makes a new version) and picks the version up afterwards.
pub fn new_key_version_commands(vault_name: &str, key_name: &str) -> [String; 2] {
    [
        az(&["keyvault", "key", "rotate", "--vault-name", vault_name, "-n", key_name]),
        az(&["keyvault", "key", "create", "--vault-name", vault_name, "-n", key_name, "--kty", "RSA"]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const V: &str = "0123456789abcdef0123456789abcdef";
    const REG: &str = "/subscriptions/s/resourceGroups/rg-1/providers/Microsoft.ContainerRegistry/registries/contosoprod";

    fn registry() -> Registry {
        serde_json::from_value(json!({
            "id": REG, "name": "contosoprod", "sku": {"name": "Premium"},
            "tags": {"team": "a"},
            "properties": {"adminUserEnabled": false, "encryption": {"status": "enabled"}}
        }))
        .unwrap()
    }

    #[test]
    fn rotating_to_a_version_sends_only_key_vault_properties() {
        let key = KeyId::parse(&format!("https://kv1.vault.azure.net:443/keys/k1/{V}")).unwrap();
        let identity = KeyIdentity::User { resource_id: "/subscriptions/s/x/userAssignedIdentities/id-1".into(), client_id: "c-1".into() };
        let w = rotate_key(&registry(), &key, &identity);
        assert_eq!(w.request.method, Method::Patch);
        assert_eq!(w.request.path, format!("{REG}?api-version=2025-04-01"));
        // Nothing else of the registry (tags, sku, adminUserEnabled, status) is resubmitted; :443 is dropped.
        assert_eq!(
            w.request.body,
            Some(json!({"properties": {"encryption": {"keyVaultProperties": {
                "keyIdentifier": format!("https://kv1.vault.azure.net/keys/k1/{V}"), "identity": "c-1"}}}}))
        );
        assert!(w.long_running);
        assert_eq!(
            w.az,
            format!("az acr encryption rotate-key -n contosoprod -g rg-1 --key-encryption-key https://kv1.vault.azure.net/keys/k1/{V} --identity c-1")
        );
        assert_eq!(
            w.summary.to_string(),
            format!("Rotate contosoprod's key to 'k1' in vault 'kv1' (pinned to version {V}) using user-assigned identity 'id-1' (client id c-1).")
        );
        assert_eq!(
            w.summary.get(Lang::Ko),
            format!("사용자 할당 ID 'id-1'(클라이언트 ID c-1)을(를) 사용하여 contosoprod의 키를 키 자격 증명 모음 'kv1'의 'k1'(으)로 회전합니다(버전 {V}에 고정).")
        );
    }

    #[test]
    fn versionless_with_the_system_identity_says_auto_rotation() {
        let key = KeyId::parse("https://kv1.vault.azure.net/keys/k1").unwrap();
        let w = rotate_key(&registry(), &key, &KeyIdentity::System);
        assert_eq!(w.request.body.as_ref().unwrap()["properties"]["encryption"]["keyVaultProperties"]["identity"], "system");
        assert!(w.az.ends_with("--key-encryption-key https://kv1.vault.azure.net/keys/k1 --identity '[system]'"), "{}", w.az);
        assert!(w.summary.to_string().contains("auto-rotation on"));
        assert!(w.body_text().unwrap().contains("\"keyIdentifier\": \"https://kv1.vault.azure.net/keys/k1\""));
    }

    fn vault(rbac: bool) -> Vault {
        serde_json::from_value(json!({
            "id": "/subscriptions/s/resourceGroups/rg-1/providers/Microsoft.KeyVault/vaults/kv1", "name": "kv1",
            "location": "westeurope",
            "properties": {"tenantId": "t1", "vaultUri": "https://kv1.vault.azure.net/", "enableRbacAuthorization": rbac}
        }))
        .unwrap()
    }

    fn diagnosis(checks: Vec<(CheckKind, CheckState, Option<Fix>)>) -> Diagnosis {
        use crate::diagnosis::{Check, Purpose, Verdict};
        let failed: Vec<crate::text::Sentence> = checks.iter().filter(|c| c.1 == CheckState::Fail).map(|c| c.0.label().into()).collect();
        Diagnosis {
            purpose: Purpose::Proposed,
            checks: checks
                .into_iter()
                .map(|(kind, state, fix)| Check {
                    kind,
                    state,
                    evidence: crate::text::Sentence::verbatim(format!("{} evidence", kind.name())),
                    fix,
                })
                .collect(),
            verdict: if failed.is_empty() { Verdict::Reachable { warnings: 0 } } else { Verdict::Inaccessible { reasons: failed } },
        }
    }

    fn all_pass() -> Vec<(CheckKind, CheckState, Option<Fix>)> {
        CheckKind::ALL.iter().map(|k| (*k, CheckState::Pass, None)).collect()
    }

    #[test]
    fn form_values_read_into_choices() {
        assert_eq!(KeyChoice::from_option_value("", ""), None);
        assert_eq!(KeyChoice::from_option_value("k1", ""), Some(KeyChoice::Existing("k1".into())));
        assert_eq!(KeyChoice::from_option_value(KeyChoice::NEW_OPTION, "  k2 "), Some(KeyChoice::New("k2".into())));
        assert_eq!(KeyChoice::from_option_value(KeyChoice::NEW_OPTION, "  "), None);
        assert_eq!(VersionChoice::from_option_value(""), VersionChoice::Newest);
        assert_eq!(VersionChoice::from_option_value(V), VersionChoice::Pinned(V.into()));
        assert_eq!(VersionChoice::Pinned(V.into()).option_value(), V);

        let mut r = registry();
        r.identity = serde_json::from_value(json!({"type": "SystemAssigned, UserAssigned", "principalId": "p0",
            "userAssignedIdentities": {"/subscriptions/s/x/userAssignedIdentities/id-1": {"clientId": "c-1", "principalId": "p-1"}}}))
        .unwrap();
        r.properties.encryption = serde_json::from_value(json!({"status": "enabled", "keyVaultProperties": {"identity": "C-1"}})).unwrap();
        let choices = KeyIdentity::choices(&r);
        assert_eq!(choices.len(), 2);
        assert_eq!(choices[0], KeyIdentity::System);
        // The identity in use is preselected, whatever the case of its client id.
        let current = KeyIdentity::current(&r, &choices).unwrap();
        assert_eq!(current.option_value(), "/subscriptions/s/x/userAssignedIdentities/id-1");
        assert_eq!(KeyIdentity::from_option_value("system", &choices), Some(KeyIdentity::System));
        assert_eq!(KeyIdentity::from_option_value("/SUBSCRIPTIONS/s/x/userAssignedIdentities/id-1", &choices), Some(current));
        assert_eq!(KeyIdentity::from_option_value("/subscriptions/s/x/other", &choices), None);
    }

    #[test]
    fn a_clean_preflight_plans_only_the_rotation() {
        let request = RotationRequest {
            vault: vault(false),
            key: KeyChoice::Existing("k1".into()),
            version: VersionChoice::Pinned(V.into()),
            identity: KeyIdentity::System,
        };
        assert_eq!(request.key_id().unwrap().to_string(), format!("https://kv1.vault.azure.net/keys/k1/{V}"));
        let plan = RotationPlan::new(&registry(), &request, &diagnosis(all_pass()), "g1").unwrap();
        assert!(!plan.blocking && plan.problems.is_empty() && plan.grant.is_none() && plan.create_key.is_none());
        let steps = plan.steps(true);
        assert_eq!(steps.len(), 1);
        assert!(matches!(&steps[0], WriteStep::Registry { write, .. } if write.long_running));
    }

    #[test]
    fn missing_access_plans_a_grant_first_which_the_user_may_leave_out() {
        let mut checks = all_pass();
        checks[1] = (
            CheckKind::Access,
            CheckState::Fail,
            Some(Fix::AssignRole { scope: "v".into(), principal_id: "p-1".into(), role_definition_id: String::new() }),
        );
        let request = RotationRequest {
            vault: vault(true),
            key: KeyChoice::Existing("k1".into()),
            version: VersionChoice::Newest,
            identity: KeyIdentity::System,
        };
        let plan = RotationPlan::new(&registry(), &request, &diagnosis(checks), "g1").unwrap();
        assert!(plan.blocking);
        let problems: Vec<String> = plan.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems, ["Identity may use the key (get, wrapKey, unwrapKey) (fail): access evidence"]);
        assert_eq!(plan.problems[0].get(Lang::Ko), "ID의 키 사용 권한(get, wrapKey, unwrapKey)(실패): access evidence");
        let with = plan.steps(true);
        assert_eq!(with.len(), 2);
        assert!(with[0].write().request.path.contains("/roleAssignments/g1?"));
        assert_eq!(plan.steps(false).len(), 1);
        // The grant repairs the one failed check; without it the rotation would be refused.
        assert_eq!(plan.blocked(true), None);
        let blocked = plan.blocked(false).unwrap();
        assert_eq!(
            blocked.to_string(),
            "The pre-flight found this rotation would fail (Identity may use the key (get, wrapKey, unwrapKey)); fix that first, then review again."
        );
        assert!(blocked.get(Lang::Ko).starts_with("사전 검사 결과 이 회전은 실패합니다(ID의 키 사용 권한"), "{blocked:?}");
    }

    #[test]
    fn a_new_key_is_created_first_and_its_key_checks_do_not_block() {
        let mut checks = all_pass();
        checks[2] = (CheckKind::Key, CheckState::Fail, None);
        checks[5] = (CheckKind::Version, CheckState::Unknown, None);
        let request = RotationRequest {
            vault: vault(false),
            key: KeyChoice::New("k2".into()),
            version: VersionChoice::Pinned(V.into()),
            identity: KeyIdentity::System,
        };
        // A new key has no chosen version: it is always versionless.
        assert_eq!(request.key_id().unwrap().to_string(), "https://kv1.vault.azure.net/keys/k2");
        let plan = RotationPlan::new(&registry(), &request, &diagnosis(checks), "g1").unwrap();
        assert!(!plan.blocking, "{:?}", plan.problems);
        assert_eq!(plan.blocked(true), None);
        assert_eq!(plan.headline.to_string(), "The registry would be able to reach the new key.");
        assert_eq!(plan.headline.get(Lang::Ko), "레지스트리가 새 키에 접근할 수 있습니다.");
        let steps = plan.steps(true);
        assert_eq!(steps.len(), 2);
        assert_eq!(
            steps[0].write().request.path,
            "/subscriptions/s/resourceGroups/rg-1/providers/Microsoft.KeyVault/vaults/kv1/keys/k2?api-version=2025-05-01"
        );
    }

    #[test]
    fn new_versions_are_az_commands() {
        let [rotate, create] = new_key_version_commands("kv1", "k1");
        assert_eq!(rotate, "az keyvault key rotate --vault-name kv1 -n k1");
        assert_eq!(create, "az keyvault key create --vault-name kv1 -n k1 --kty RSA");
    }
}
