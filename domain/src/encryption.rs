//! A registry's encryption status in words a helpdesk can read.

use crate::identity::IdentityKinds;
use crate::key_id::KeyId;
use crate::registry::Registry;
use crate::text::Lang;

/// Which identity the registry uses to reach its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EncryptingIdentity {
    /// The registry's system-assigned identity.
    System { principal_id: Option<String> },
    /// A user-assigned identity attached to the registry.
    User { resource_id: String, name: String, client_id: String, principal_id: Option<String> },
    /// A client id that matches no identity attached to the registry.
    NotAttached { client_id: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rotation {
    /// Versionless key id: ACR picks up new key versions by itself.
    Automatic,
    /// Versioned key id: stays on this version until rotated by hand.
    Pinned { version: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EncryptionSummary {
    /// Service-managed keys only.
    ServiceManaged,
    CustomerManaged(CustomerManagedKey),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerManagedKey {
    /// `keyIdentifier` as configured (raw, shown verbatim).
    pub key_identifier: String,
    /// Parsed `keyIdentifier`, when it parses.
    pub key: Option<KeyId>,
    /// The version in use, from `versionedKeyIdentifier`.
    pub version_in_use: Option<String>,
    pub versioned_key_identifier: Option<String>,
    pub rotation: Rotation,
    pub last_rotation: Option<String>,
    pub identity: Option<EncryptingIdentity>,
}

impl EncryptionSummary {
    pub fn of(registry: &Registry) -> EncryptionSummary {
        let Some(enc) = registry.properties.encryption.as_ref().filter(|e| e.is_enabled()) else {
            return EncryptionSummary::ServiceManaged;
        };
        let kv = enc.key_vault_properties.clone().unwrap_or_default();
        let key_identifier = kv.key_identifier.clone().unwrap_or_default();
        let key = KeyId::parse(&key_identifier).ok();
        let versioned = kv.versioned_key_identifier.as_deref().and_then(|v| KeyId::parse(v).ok());
        let version_in_use = versioned.as_ref().and_then(|k| k.version.clone()).or_else(|| key.as_ref()?.version.clone());
        let rotation = match key.as_ref().and_then(|k| k.version.clone()) {
            Some(version) => Rotation::Pinned { version },
            None if kv.key_rotation_enabled == Some(false) => Rotation::Pinned { version: version_in_use.clone().unwrap_or_default() },
            None => Rotation::Automatic,
        };
        let identity = kv.identity.as_deref().map(|client_id| encrypting_identity(registry, client_id));
        EncryptionSummary::CustomerManaged(CustomerManagedKey {
            key_identifier,
            key,
            version_in_use,
            versioned_key_identifier: kv.versioned_key_identifier.clone(),
            rotation,
            last_rotation: kv.last_key_rotation_timestamp.clone(),
            identity,
        })
    }
}

/// The sentences below, in both languages.
pub mod words {
    crate::catalogue! {
        SERVICE_MANAGED: "Microsoft-managed key: customer-managed key encryption is not enabled."
            => "Microsoft 관리형 키: 고객 관리형 키 암호화를 사용하지 않습니다.";
        CMK_KEY: "Customer-managed key '{key}' in vault '{vault}'." => "키 자격 증명 모음 '{vault}'의 고객 관리형 키 '{key}'.";
        CMK_NO_KEY_ID: "Customer-managed key enabled, but no key identifier is reported."
            => "고객 관리형 키를 사용하지만 키 ID가 보고되지 않았습니다.";
        CMK_NOT_A_KEY_ID: "Customer-managed key at '{id}' (not a Key Vault key identifier)."
            => "고객 관리형 키가 '{id}'에 있습니다(Key Vault 키 ID가 아님).";
        AUTOMATIC: "Auto-rotation on (versionless key)" => "자동 회전 켜짐(버전 없는 키)";
        PINNED_UNKNOWN: "Pinned: auto-rotation off (the version in use is not reported)"
            => "버전 고정: 자동 회전 꺼짐(사용 중인 버전이 보고되지 않음)";
        PINNED: "Pinned to version {version}" => "버전 {version}에 고정";
        SYSTEM_WITH_PRINCIPAL: "The registry's system-assigned identity (principal id {principal})."
            => "레지스트리의 시스템 할당 ID(보안 주체 ID {principal}).";
        SYSTEM: "The registry's system-assigned identity." => "레지스트리의 시스템 할당 ID.";
        USER_WITH_PRINCIPAL: "User-assigned identity '{name}' (client id {client}, principal id {principal})."
            => "사용자 할당 ID '{name}'(클라이언트 ID {client}, 보안 주체 ID {principal}).";
        USER: "User-assigned identity '{name}' (client id {client})." => "사용자 할당 ID '{name}'(클라이언트 ID {client}).";
        NOT_ATTACHED: "Client id {client}, which matches no identity attached to this registry: the registry cannot reach its key."
            => "클라이언트 ID {client}: 이 레지스트리에 연결된 어떤 ID와도 일치하지 않으므로 레지스트리가 키에 접근할 수 없습니다.";
    }
}

impl EncryptionSummary {
    /// One line: which key protects the registry (English, for reports and plans).
    pub fn headline(&self) -> String {
        self.headline_in(Lang::En)
    }

    /// One line: which key protects the registry.
    pub fn headline_in(&self, lang: Lang) -> String {
        match self {
            EncryptionSummary::ServiceManaged => words::SERVICE_MANAGED.get(lang).to_string(),
            EncryptionSummary::CustomerManaged(cmk) => match &cmk.key {
                Some(key) => words::CMK_KEY.fill(lang, &[("key", &key.name), ("vault", key.vault_name())]),
                None if cmk.key_identifier.is_empty() => words::CMK_NO_KEY_ID.get(lang).to_string(),
                None => words::CMK_NOT_A_KEY_ID.fill(lang, &[("id", &cmk.key_identifier)]),
            },
        }
    }
}

impl Rotation {
    /// `Auto-rotation on (versionless key)` or `Pinned to version {version}` (English).
    pub fn describe(&self) -> String {
        self.describe_in(Lang::En)
    }

    pub fn describe_in(&self, lang: Lang) -> String {
        match self {
            Rotation::Automatic => words::AUTOMATIC.get(lang).to_string(),
            Rotation::Pinned { version } if version.is_empty() => words::PINNED_UNKNOWN.get(lang).to_string(),
            Rotation::Pinned { version } => words::PINNED.fill(lang, &[("version", version)]),
        }
    }
}

impl EncryptingIdentity {
    /// Which identity reaches the key, in words (English).
    pub fn describe(&self) -> String {
        self.describe_in(Lang::En)
    }

    pub fn describe_in(&self, lang: Lang) -> String {
        match self {
            EncryptingIdentity::System { principal_id: Some(p) } => words::SYSTEM_WITH_PRINCIPAL.fill(lang, &[("principal", p)]),
            EncryptingIdentity::System { principal_id: None } => words::SYSTEM.get(lang).to_string(),
            EncryptingIdentity::User { name, client_id, principal_id, .. } => match principal_id {
                Some(p) => words::USER_WITH_PRINCIPAL.fill(lang, &[("name", name), ("client", client_id), ("principal", p)]),
                None => words::USER.fill(lang, &[("name", name), ("client", client_id)]),
            },
            EncryptingIdentity::NotAttached { client_id } => words::NOT_ATTACHED.fill(lang, &[("client", client_id)]),
        }
    }
}

fn encrypting_identity(registry: &Registry, client_id: &str) -> EncryptingIdentity {
    let identity = registry.identity.clone().unwrap_or_default();
    if client_id.eq_ignore_ascii_case("system") {
        return EncryptingIdentity::System { principal_id: identity.principal_id.clone() };
    }
    if let Some((id, props)) = identity.user_identity_by_client_id(client_id) {
        return EncryptingIdentity::User {
            resource_id: id.to_string(),
            name: id.rsplit('/').next().unwrap_or(id).to_string(),
            client_id: client_id.to_string(),
            principal_id: props.principal_id.clone(),
        };
    }
    // ACR may report the system identity by its client id, which the registry's
    // identity block does not carry; with no user identity matching it and a
    // system identity present, that is the only identity it can be.
    let kinds: IdentityKinds = identity.kinds();
    if kinds.system && identity.principal_id.is_some() && !kinds.user {
        return EncryptingIdentity::System { principal_id: identity.principal_id.clone() };
    }
    EncryptingIdentity::NotAttached { client_id: client_id.to_string() }
}

/// `1700000000` → `2023-11-14 22:13:20`.
pub fn format_unix_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(json: &str) -> Registry {
        serde_json::from_str(json).expect("a registry")
    }

    const V: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn versioned_key_reads_as_pinned_with_its_user_identity() {
        let r = registry(&format!(
            r#"{{"id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r","name":"r",
            "sku":{{"name":"Premium"}},
            "identity":{{"type":"UserAssigned","userAssignedIdentities":{{
              "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/acr-id":
              {{"clientId":"c-1","principalId":"p-1"}}}}}},
            "properties":{{"encryption":{{"status":"enabled","keyVaultProperties":{{
              "keyIdentifier":"https://kv1.vault.azure.net/keys/k1/{V}",
              "versionedKeyIdentifier":"https://kv1.vault.azure.net/keys/k1/{V}",
              "identity":"c-1","keyRotationEnabled":false}}}}}}}}"#
        ));
        let summary = EncryptionSummary::of(&r);
        assert_eq!(summary.headline(), "Customer-managed key 'k1' in vault 'kv1'.");
        let EncryptionSummary::CustomerManaged(cmk) = summary else { panic!("cmk") };
        assert_eq!(cmk.rotation.describe(), format!("Pinned to version {V}"));
        assert_eq!(cmk.identity.expect("identity").describe(), "User-assigned identity 'acr-id' (client id c-1, principal id p-1).");
    }

    #[test]
    fn versionless_key_reads_as_auto_rotation() {
        let r = registry(&format!(
            r#"{{"id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r","name":"r",
            "sku":{{"name":"Premium"}},"identity":{{"type":"SystemAssigned","principalId":"sp"}},
            "properties":{{"encryption":{{"status":"enabled","keyVaultProperties":{{
              "keyIdentifier":"https://kv1.vault.azure.net/keys/k1",
              "versionedKeyIdentifier":"https://kv1.vault.azure.net/keys/k1/{V}",
              "identity":"system","keyRotationEnabled":true}}}}}}}}"#
        ));
        let EncryptionSummary::CustomerManaged(cmk) = EncryptionSummary::of(&r) else { panic!("cmk") };
        assert_eq!(cmk.rotation.describe(), "Auto-rotation on (versionless key)");
        assert_eq!(cmk.version_in_use.as_deref(), Some(V));
        assert_eq!(cmk.identity.expect("identity").describe(), "The registry's system-assigned identity (principal id sp).");
    }

    #[test]
    fn disabled_encryption_reads_as_microsoft_managed() {
        let r = registry(
            r#"{"id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r","name":"r",
            "sku":{"name":"Basic"},"properties":{"encryption":{"status":"disabled"}}}"#,
        );
        let summary = EncryptionSummary::of(&r);
        assert_eq!(summary, EncryptionSummary::ServiceManaged);
        assert!(summary.headline().starts_with("Microsoft-managed key"));
    }

    #[test]
    fn unknown_client_id_says_it_is_not_attached() {
        let who = EncryptingIdentity::NotAttached { client_id: "c-9".into() };
        assert!(who.describe().contains("matches no identity attached"));
        assert!(Rotation::Pinned { version: String::new() }.describe().starts_with("Pinned"));
    }

    #[test]
    fn formats_unix_time() {
        assert_eq!(format_unix_utc(0), "1970-01-01 00:00:00");
        assert_eq!(format_unix_utc(1_700_000_000), "2023-11-14 22:13:20");
    }

    #[test]
    fn a_pinned_rotation_reads_in_korean() {
        let pinned = Rotation::Pinned { version: "abc".into() };
        assert_eq!(pinned.describe_in(Lang::Ko), "버전 abc에 고정");
    }
}
