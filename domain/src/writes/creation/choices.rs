//! What the user chose in the creation flow, and the checks that refuse a
//! choice the service would refuse (or that would leave the registry unable to
//! reach its key), each with the reason in words.

use crate::diagnosis::newest_usable;
use crate::identity::UserAssignedIdentity;
use crate::key::{is_cmk_key_type, ArmKey};
use crate::role_assignment::RoleAssignment;
use crate::text::Sentence;
use crate::vault::Vault;
use crate::writes::Refusal;

pub const CODE_NAME: &str = "InvalidResourceName";
pub const CODE_GROUP: &str = "InvalidResourceGroup";
pub const CODE_LOCATION: &str = "LocationRequired";
pub const CODE_VAULT_NAME: &str = "VaultNameNotValid";
pub const CODE_KEY_NAME: &str = "KeyNameNotValid";
pub const CODE_KEY_TYPE: &str = "InvalidKeyType";
pub const CODE_KEY_SIZE: &str = "InvalidKeySize";
pub const CODE_NO_VERSION: &str = "KeyHasNoEnabledVersion";
pub const CODE_PURGE: &str = "PurgeProtectionRequired";
pub const CODE_FIREWALL: &str = "FirewallBlocksUserAssignedIdentity";
pub const CODE_IDENTITY: &str = "IdentityIncomplete";

/// RSA sizes Key Vault creates.
pub const KEY_SIZES: [u32; 3] = [2048, 3072, 4096];

#[derive(Clone, Debug, PartialEq)]
pub enum GroupChoice {
    Existing { name: String },
    New { name: String },
}

impl GroupChoice {
    pub fn name(&self) -> &str {
        match self {
            GroupChoice::Existing { name } | GroupChoice::New { name } => name,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum IdentityChoice {
    /// A user-assigned identity as ARM returned it (its client and principal ids known).
    Existing(UserAssignedIdentity),
    /// Created in the registry's group and location; its ids are known once ARM answers.
    New { name: String },
}

#[derive(Clone, Debug, PartialEq)]
pub enum VaultChoice {
    Existing {
        vault: Vault,
        /// The identity's role assignments (RBAC vaults), to skip a grant that exists.
        role_assignments: Vec<RoleAssignment>,
        /// The user confirmed turning purge protection on (irreversible).
        enable_purge_protection: bool,
    },
    /// Created in the registry's group with soft delete and purge protection.
    New { name: String, rbac: bool },
}

#[derive(Clone, Debug, PartialEq)]
pub enum KeyChoice {
    /// The key and its versions as ARM listed them.
    Existing { key: ArmKey, versions: Vec<ArmKey> },
    /// A new RSA key created through ARM.
    New { name: String, size: u32 },
}

impl KeyChoice {
    pub fn name(&self) -> &str {
        match self {
            KeyChoice::Existing { key, .. } => &key.name,
            KeyChoice::New { name, .. } => name,
        }
    }
}

/// Versionless (the default): the registry follows new key versions by itself
/// (within an hour in Azure). Pinned: it stays on one version until rotated by hand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Rotation {
    #[default]
    Versionless,
    Pinned,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Choices {
    pub subscription_id: String,
    pub tenant_id: String,
    pub group: GroupChoice,
    /// A region name (`westeurope`).
    pub location: String,
    pub registry_name: String,
    pub identity: IdentityChoice,
    pub vault: VaultChoice,
    pub key: KeyChoice,
    pub rotation: Rotation,
    /// The name (a GUID) of the role assignment the RBAC path creates; drawn once per
    /// flow so a retried PUT names the same assignment.
    pub assignment_name: String,
}

/// The refusals' words. Names, sizes and key types are verbatim.
pub mod words {
    crate::catalogue! {
        /// `{host}` is the name in lower case.
        REGISTRY_NAME: "'{name}' cannot name a registry: use 5 to 50 letters and digits (no hyphens), as it becomes {host}.azurecr.io."
            => "'{name}'은(는) 레지스트리 이름으로 사용할 수 없습니다. 이름은 {host}.azurecr.io가 되므로 영문자와 숫자 5~50자를 사용하세요(하이픈 불가).";
        GROUP_NAME: "'{name}' cannot name a resource group: up to 90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'."
            => "'{name}'은(는) 리소스 그룹 이름으로 사용할 수 없습니다. 문자, 숫자, '-', '_', '.', '(' 또는 ')'를 최대 90자까지 사용할 수 있으며 '.'로 끝날 수 없습니다.";
        VAULT_NAME: "'{name}' cannot name a key vault: 3 to 24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit."
            => "'{name}'은(는) 키 자격 증명 모음 이름으로 사용할 수 없습니다. 영문자, 숫자, 하이픈(연속 불가) 3~24자를 사용하고, 영문자로 시작하여 영문자나 숫자로 끝나야 합니다.";
        KEY_NAME: "'{name}' cannot name a key: 1 to 127 letters, digits and hyphens."
            => "'{name}'은(는) 키 이름으로 사용할 수 없습니다. 영문자, 숫자, 하이픈 1~127자를 사용하세요.";
        IDENTITY_NAME: "'{name}' cannot name a managed identity: 3 to 128 letters, digits, '-' or '_', starting with a letter or digit."
            => "'{name}'은(는) 관리 ID 이름으로 사용할 수 없습니다. 영문자, 숫자, '-' 또는 '_' 3~128자를 사용하고, 영문자나 숫자로 시작해야 합니다.";
        IDENTITY_IDS: "Identity '{identity}' was read without its client id or principal id; the registry needs the first, the vault grant the second."
            => "ID '{identity}'을(를) 클라이언트 ID 또는 보안 주체 ID 없이 읽었습니다. 레지스트리에는 클라이언트 ID가, 키 자격 증명 모음 권한 부여에는 보안 주체 ID가 필요합니다.";
        VAULT_FIREWALL: "Vault '{vault}' denies public network access. At creation the registry can only use a user-assigned identity, and a user-assigned identity is not a trusted Azure service, so the firewall would refuse it. Choose another vault (or create one), or allow public access now: after creation you can switch the registry to its system-assigned identity, let trusted services bypass the firewall and close it again, as the seed's firewall scenario does."
            => "키 자격 증명 모음 '{vault}'은(는) 공용 네트워크 액세스를 거부합니다. 만들 때 레지스트리는 사용자 할당 ID만 사용할 수 있는데, 사용자 할당 ID는 신뢰할 수 있는 Azure 서비스가 아니므로 방화벽이 거부합니다. 다른 키 자격 증명 모음을 선택하거나 새로 만들거나, 지금은 공용 액세스를 허용하세요. 만든 후에는 시드 문서의 방화벽 시나리오처럼 레지스트리를 시스템 할당 ID로 전환하고, 신뢰할 수 있는 서비스가 방화벽을 무시하도록 허용한 다음 다시 닫을 수 있습니다.";
        VAULT_PURGE: "Vault '{vault}' has purge protection off. A registry's customer-managed key must live in a vault with soft delete and purge protection, so that a deleted key or vault can be recovered instead of making the registry's data unreadable forever. Turn purge protection on (it cannot be turned off again) or choose another vault."
            => "키 자격 증명 모음 '{vault}'의 제거 보호가 꺼져 있습니다. 레지스트리의 고객 관리형 키는 일시 삭제와 제거 보호가 켜진 키 자격 증명 모음에 있어야 합니다. 그래야 삭제된 키나 키 자격 증명 모음을 복구할 수 있고, 레지스트리의 데이터를 영원히 읽을 수 없게 되는 일을 막을 수 있습니다. 제거 보호를 켜거나(다시 끌 수 없음) 다른 키 자격 증명 모음을 선택하세요.";
        KEY_TYPE: "Key '{key}' is of type {kty}. ACR wraps its data encryption key with RSA-OAEP, so only RSA or RSA-HSM keys can be used; choose an RSA key or create one."
            => "키 '{key}'의 형식은 {kty}입니다. ACR은 데이터 암호화 키를 RSA-OAEP로 래핑하므로 RSA 또는 RSA-HSM 키만 사용할 수 있습니다. RSA 키를 선택하거나 새로 만드세요.";
        KEY_NO_VERSION: "Key '{key}' has no enabled version inside its validity period."
            => "키 '{key}'에는 유효 기간 내의 사용 가능한 버전이 없습니다.";
        LOCATION: "Choose a location for the registry." => "레지스트리의 위치를 선택하세요.";
        KEY_SIZE: "RSA keys are 2048, 3072 or 4096 bits; {size} is not one of them."
            => "RSA 키는 2048, 3072 또는 4096비트입니다. {size}은(는) 그중 하나가 아닙니다.";
    }
}

/// A choice the service would refuse (or that would leave the registry unable to
/// reach its key): the code, and the reason in words. `Display` and [`Refusal`]
/// are English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub code: &'static str,
    pub reason: Sentence,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.reason)
    }
}

impl std::error::Error for Refused {}

impl From<Refused> for Refusal {
    fn from(r: Refused) -> Refusal {
        Refusal::new(r.code, r.reason)
    }
}

pub(crate) fn refuse(code: &'static str, reason: Sentence) -> Refused {
    Refused { code, reason }
}

/// ACR's rule for registry names (they become `{name}.azurecr.io`).
pub fn check_registry_name(name: &str) -> Result<(), Refused> {
    if (5..=50).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Ok(());
    }
    Err(refuse(CODE_NAME, Sentence::new(words::REGISTRY_NAME).with("name", name).with("host", name.to_ascii_lowercase())))
}

/// ARM's rule for resource group names.
pub fn check_group_name(name: &str) -> Result<(), Refused> {
    let ok =
        !name.is_empty() && name.len() <= 90 && !name.ends_with('.') && name.chars().all(|c| c.is_alphanumeric() || "-_.()".contains(c));
    if ok {
        return Ok(());
    }
    Err(refuse(CODE_GROUP, Sentence::new(words::GROUP_NAME).with("name", name)))
}

/// Key Vault's rule for vault names (they become `{name}.vault.azure.net`).
pub fn check_vault_name(name: &str) -> Result<(), Refused> {
    let ok = (3..=24).contains(&name.len())
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.contains("--");
    if ok {
        return Ok(());
    }
    Err(refuse(CODE_VAULT_NAME, Sentence::new(words::VAULT_NAME).with("name", name)))
}

fn check_key_name(name: &str) -> Result<(), Refused> {
    if !name.is_empty() && name.len() <= 127 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Ok(());
    }
    Err(refuse(CODE_KEY_NAME, Sentence::new(words::KEY_NAME).with("name", name)))
}

fn check_identity(identity: &IdentityChoice) -> Result<(), Refused> {
    match identity {
        IdentityChoice::New { name } => {
            let ok = (3..=128).contains(&name.len())
                && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if ok {
                Ok(())
            } else {
                Err(refuse(CODE_IDENTITY, Sentence::new(words::IDENTITY_NAME).with("name", name.as_str())))
            }
        }
        IdentityChoice::Existing(i) if i.properties.client_id.is_empty() || i.properties.principal_id.is_empty() => {
            Err(refuse(CODE_IDENTITY, Sentence::new(words::IDENTITY_IDS).with("identity", i.name.as_str())))
        }
        IdentityChoice::Existing(_) => Ok(()),
    }
}

/// Why an existing vault cannot hold the key of a new CMK registry, if it cannot.
pub fn check_vault(vault: &Vault, enable_purge_protection: bool) -> Result<(), Refused> {
    let props = &vault.properties;
    if props.firewall_closed() {
        return Err(refuse(CODE_FIREWALL, Sentence::new(words::VAULT_FIREWALL).with("vault", vault.name.as_str())));
    }
    let protected = props.enable_soft_delete != Some(false) && props.enable_purge_protection == Some(true);
    if !protected && !enable_purge_protection {
        return Err(refuse(CODE_PURGE, Sentence::new(words::VAULT_PURGE).with("vault", vault.name.as_str())));
    }
    Ok(())
}

/// Why an existing key cannot encrypt a registry, if it cannot.
pub fn check_key(key: &ArmKey, versions: &[ArmKey], now_unix: i64) -> Result<(), Refused> {
    let kty = key.properties.kty.clone().or_else(|| versions.iter().find_map(|v| v.properties.kty.clone())).unwrap_or_default();
    if !is_cmk_key_type(&kty) {
        return Err(refuse(CODE_KEY_TYPE, Sentence::new(words::KEY_TYPE).with("key", key.name.as_str()).with("kty", kty)));
    }
    if !versions.is_empty() && newest_usable(versions, now_unix).is_none() {
        return Err(refuse(CODE_NO_VERSION, Sentence::new(words::KEY_NO_VERSION).with("key", key.name.as_str())));
    }
    Ok(())
}

impl Choices {
    /// The first choice the service would refuse, with the reason; `Ok` when the
    /// plan can be made. `now_unix` decides which key versions are usable.
    pub fn check(&self, now_unix: i64) -> Result<(), Refused> {
        check_registry_name(&self.registry_name)?;
        check_group_name(self.group.name())?;
        if self.location.trim().is_empty() {
            return Err(refuse(CODE_LOCATION, words::LOCATION.into()));
        }
        check_identity(&self.identity)?;
        match &self.vault {
            VaultChoice::Existing { vault, enable_purge_protection, .. } => check_vault(vault, *enable_purge_protection)?,
            VaultChoice::New { name, .. } => check_vault_name(name)?,
        }
        match &self.key {
            KeyChoice::Existing { key, versions } => check_key(key, versions, now_unix)?,
            KeyChoice::New { name, size } => {
                check_key_name(name)?;
                if !KEY_SIZES.contains(size) {
                    return Err(refuse(CODE_KEY_SIZE, Sentence::new(words::KEY_SIZE).with("size", size.to_string())));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn key(kty: &str) -> ArmKey {
        serde_json::from_value(json!({"name": "k1", "properties": {"kty": kty, "attributes": {"enabled": true}, "keyUriWithVersion": "https://kv1.vault.azure.net:443/keys/k1/6d6f636b00004000800000000000b001"}})).unwrap()
    }

    fn vault(purge: Option<bool>, deny: bool) -> Vault {
        let mut props = json!({"tenantId": "t", "enableSoftDelete": true});
        if let Some(p) = purge {
            props["enablePurgeProtection"] = json!(p);
        }
        if deny {
            props["networkAcls"] = json!({"defaultAction": "Deny", "bypass": "AzureServices"});
        }
        serde_json::from_value(
            json!({"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv1", "name": "kv1", "properties": props}),
        )
        .unwrap()
    }

    #[test]
    fn registry_names_are_five_to_fifty_alphanumerics() {
        assert!(check_registry_name("contoso1").is_ok());
        for bad in ["abcd", "has-hyphen", "ünïcode", &"a".repeat(51)] {
            assert_eq!(check_registry_name(bad).unwrap_err().code, CODE_NAME, "{bad}");
        }
    }

    #[test]
    fn ec_keys_are_refused_with_the_reason() {
        let ec = key("EC");
        let refusal = check_key(&ec, std::slice::from_ref(&ec), 0).unwrap_err();
        assert_eq!(refusal.code, CODE_KEY_TYPE);
        assert!(refusal.reason.to_string().contains("only RSA or RSA-HSM"), "{refusal}");
        assert_eq!(
            Refusal::from(refusal.clone()).to_string(),
            "InvalidKeyType: Key 'k1' is of type EC. ACR wraps its data encryption key with RSA-OAEP, so only RSA or RSA-HSM keys can be used; choose an RSA key or create one."
        );
        assert!(refusal.reason.get(crate::text::Lang::Ko).starts_with("키 'k1'의 형식은 EC입니다."));
        assert!(check_key(&key("RSA-HSM"), &[key("RSA-HSM")], 0).is_ok());
    }

    #[test]
    fn a_key_without_an_enabled_version_is_refused() {
        let mut off = key("RSA");
        off.properties.attributes.as_mut().unwrap().enabled = Some(false);
        assert_eq!(check_key(&key("RSA"), &[off], 0).unwrap_err().code, CODE_NO_VERSION);
    }

    #[test]
    fn vaults_need_purge_protection_or_the_users_consent_to_turn_it_on() {
        assert!(check_vault(&vault(Some(true), false), false).is_ok());
        assert_eq!(check_vault(&vault(None, false), false).unwrap_err().code, CODE_PURGE);
        assert!(check_vault(&vault(None, false), true).is_ok(), "consent given");
    }

    #[test]
    fn a_closed_firewall_is_refused_with_the_seeds_way_out() {
        let refusal = check_vault(&vault(Some(true), true), false).unwrap_err();
        assert_eq!(refusal.code, CODE_FIREWALL);
        let said = refusal.reason.to_string();
        assert!(said.contains("not a trusted Azure service") && said.contains("system-assigned"), "{refusal}");
    }

    #[test]
    fn vault_and_group_names_follow_the_services_rules() {
        assert!(check_vault_name("kv-acr-1").is_ok());
        for bad in ["kv", "1kv", "kv--a", "kv-", &"k".repeat(25)] {
            assert!(check_vault_name(bad).is_err(), "{bad}");
        }
        assert!(check_group_name("rg-acr.(x)_1").is_ok());
        assert!(check_group_name("rg.").is_err());
        assert!(check_group_name("rg/x").is_err());
    }
}
