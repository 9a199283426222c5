//! The error decoder: a message pasted from a ticket (the portal, the Azure CLI,
//! `docker pull`/`push`, an ARM response body) recognised as one of the refusals
//! and failures customer-managed keys bring, explained in the seed's terms, with
//! the ids read out of it (registries, login servers, key ids, vaults, identities)
//! so the console can open the right registry's diagnosis.
//!
//! Matching is on the phrases ACR, ARM and Key Vault write (case-insensitive, any
//! whitespace), so a message wrapped by a terminal or quoted inside JSON still
//! matches. Text that matches nothing is [`Decoded::kind`] `None`, and its ids are
//! still offered.

use crate::arm::ResourceId;
use crate::key_id::KeyId;
use crate::text::Text;

/// The errors the decoder recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// "Azure resource '…' does not have access to identity '…'" (the seed's troubleshooting section).
    IdentityNotAttached,
    /// "Failed to access KeyId '…'. Verify that identity '…' has 'Get, Wrap Key, Unwrap Key' permission".
    KeyAccessFailed,
    /// Key Vault's firewall: "Client address is not authorized and caller is not a trusted service".
    VaultFirewall,
    /// Customer-managed keys only when a registry is created.
    OnlyAtCreation,
    /// Customer-managed keys only on the Premium tier (or a CMK registry moved below it).
    PremiumOnly,
    /// Only RSA or RSA-HSM keys.
    RsaOnly,
    /// Encryption with a customer-managed key cannot be turned off.
    CannotDisable,
    /// "The identity associated with the registry is inactive".
    IdentityInactive,
    /// Content trust is not supported on registries encrypted with a customer-managed key.
    ContentTrust,
    /// The registry's data plane (docker pull/push) answers 403 because the key cannot be reached.
    DataPlaneDenied,
}

impl ErrorKind {
    /// In matching order: the data-plane 403 quotes the failure behind it, so it comes first.
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::DataPlaneDenied,
        ErrorKind::IdentityNotAttached,
        ErrorKind::KeyAccessFailed,
        ErrorKind::VaultFirewall,
        ErrorKind::OnlyAtCreation,
        ErrorKind::PremiumOnly,
        ErrorKind::RsaOnly,
        ErrorKind::CannotDisable,
        ErrorKind::IdentityInactive,
        ErrorKind::ContentTrust,
    ];

    /// Stable name (`data-kind` on the page).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::IdentityNotAttached => "identity-not-attached",
            ErrorKind::KeyAccessFailed => "key-access-failed",
            ErrorKind::VaultFirewall => "vault-firewall",
            ErrorKind::OnlyAtCreation => "only-at-creation",
            ErrorKind::PremiumOnly => "premium-only",
            ErrorKind::RsaOnly => "rsa-only",
            ErrorKind::CannotDisable => "cannot-disable",
            ErrorKind::IdentityInactive => "identity-inactive",
            ErrorKind::ContentTrust => "content-trust",
            ErrorKind::DataPlaneDenied => "data-plane-denied",
        }
    }

    /// Any of these phrases (lower case, single spaces) identifies the error; the first kind in [`ErrorKind::ALL`] wins.
    fn phrases(self) -> &'static [&'static str] {
        match self {
            ErrorKind::DataPlaneDenied => &["registry's data is inaccessible", "the customer-managed key cannot be reached"],
            ErrorKind::IdentityNotAttached => &["does not have access to identity", "try forcibly adding the identity"],
            ErrorKind::IdentityInactive => &["identity associated with the registry is inactive"],
            ErrorKind::KeyAccessFailed => &["failed to access keyid", "get, wrap key, unwrap key"],
            ErrorKind::VaultFirewall => &["client address is not authorized and caller is not a trusted service", "forbiddenbyfirewall"],
            ErrorKind::OnlyAtCreation => &["can only be enabled when a registry is created", "cmkcannotbeenabledaftercreation"],
            ErrorKind::PremiumOnly => &[
                "only supported on registries in the premium service tier",
                "must stay in the premium service tier",
                "cmkrequirespremiumsku",
            ],
            ErrorKind::RsaOnly => &["supports only rsa or rsa-hsm keys", "only supports rsa or rsa-hsm keys"],
            ErrorKind::CannotDisable => &["encryption cannot be disabled", "cmkcannotbedisabled"],
            ErrorKind::ContentTrust => &["content trust is not supported", "contenttrustnotsupportedwithcmk"],
        }
    }

    /// What happened, in a sentence or two.
    pub fn title(self) -> Text {
        match self {
            ErrorKind::IdentityNotAttached => words::TITLE_IDENTITY_NOT_ATTACHED,
            ErrorKind::KeyAccessFailed => words::TITLE_KEY_ACCESS_FAILED,
            ErrorKind::VaultFirewall => words::TITLE_VAULT_FIREWALL,
            ErrorKind::OnlyAtCreation => words::TITLE_ONLY_AT_CREATION,
            ErrorKind::PremiumOnly => words::TITLE_PREMIUM_ONLY,
            ErrorKind::RsaOnly => words::TITLE_RSA_ONLY,
            ErrorKind::CannotDisable => words::TITLE_CANNOT_DISABLE,
            ErrorKind::IdentityInactive => words::TITLE_IDENTITY_INACTIVE,
            ErrorKind::ContentTrust => words::TITLE_CONTENT_TRUST,
            ErrorKind::DataPlaneDenied => words::TITLE_DATA_PLANE_DENIED,
        }
    }

    pub fn cause(self) -> Text {
        match self {
            ErrorKind::IdentityNotAttached => words::CAUSE_IDENTITY_NOT_ATTACHED,
            ErrorKind::KeyAccessFailed => words::CAUSE_KEY_ACCESS_FAILED,
            ErrorKind::VaultFirewall => words::CAUSE_VAULT_FIREWALL,
            ErrorKind::OnlyAtCreation => words::CAUSE_ONLY_AT_CREATION,
            ErrorKind::PremiumOnly => words::CAUSE_PREMIUM_ONLY,
            ErrorKind::RsaOnly => words::CAUSE_RSA_ONLY,
            ErrorKind::CannotDisable => words::CAUSE_CANNOT_DISABLE,
            ErrorKind::IdentityInactive => words::CAUSE_IDENTITY_INACTIVE,
            ErrorKind::ContentTrust => words::CAUSE_CONTENT_TRUST,
            ErrorKind::DataPlaneDenied => words::CAUSE_DATA_PLANE_DENIED,
        }
    }

    /// The fix, in the seed's terms.
    pub fn fix(self) -> Text {
        match self {
            ErrorKind::IdentityNotAttached => words::FIX_IDENTITY_NOT_ATTACHED,
            ErrorKind::KeyAccessFailed => words::FIX_KEY_ACCESS_FAILED,
            ErrorKind::VaultFirewall => words::FIX_VAULT_FIREWALL,
            ErrorKind::OnlyAtCreation => words::FIX_ONLY_AT_CREATION,
            ErrorKind::PremiumOnly => words::FIX_PREMIUM_ONLY,
            ErrorKind::RsaOnly => words::FIX_RSA_ONLY,
            ErrorKind::CannotDisable => words::FIX_CANNOT_DISABLE,
            ErrorKind::IdentityInactive => words::FIX_IDENTITY_INACTIVE,
            ErrorKind::ContentTrust => words::FIX_CONTENT_TRUST,
            ErrorKind::DataPlaneDenied => words::FIX_DATA_PLANE_DENIED,
        }
    }
}

/// Each kind's title, cause and fix, in both languages. `az` commands stay as typed.
pub mod words {
    crate::catalogue! {
        TITLE_IDENTITY_NOT_ATTACHED: "The registry no longer has the identity it encrypts with"
            => "레지스트리에 암호화에 사용하는 ID가 더 이상 없습니다";
        TITLE_KEY_ACCESS_FAILED: "The registry's identity cannot use the key" => "레지스트리의 ID가 키를 사용할 수 없습니다";
        TITLE_VAULT_FIREWALL: "The key vault's firewall turned the caller away" => "키 자격 증명 모음의 방화벽이 호출자를 거부했습니다";
        TITLE_ONLY_AT_CREATION: "A customer-managed key can only be set when the registry is created"
            => "고객 관리형 키는 레지스트리를 만들 때만 설정할 수 있습니다";
        TITLE_PREMIUM_ONLY: "Customer-managed keys need the Premium tier" => "고객 관리형 키에는 프리미엄 서비스 계층이 필요합니다";
        TITLE_RSA_ONLY: "The key is not an RSA key" => "키가 RSA 키가 아닙니다";
        TITLE_CANNOT_DISABLE: "Customer-managed key encryption cannot be turned off" => "고객 관리형 키 암호화는 끌 수 없습니다";
        TITLE_IDENTITY_INACTIVE: "The registry's encrypting identity is inactive" => "레지스트리가 암호화에 사용하는 ID가 비활성 상태입니다";
        TITLE_CONTENT_TRUST: "Content trust is not available with a customer-managed key"
            => "고객 관리형 키를 사용하는 레지스트리에서는 콘텐츠 신뢰를 사용할 수 없습니다";
        TITLE_DATA_PLANE_DENIED: "Pulls and pushes fail because the registry cannot reach its key"
            => "레지스트리가 키에 접근할 수 없어 끌어오기와 푸시가 실패합니다";

        CAUSE_IDENTITY_NOT_ATTACHED: "The user-assigned identity named in the message is the one the registry uses to reach its key, and it was removed from the registry (or the removal was attempted). Without it the registry cannot reach its key, and the key cannot be changed (rotated) either."
            => "메시지에 나온 사용자 할당 ID는 레지스트리가 키에 접근할 때 사용하는 ID인데, 레지스트리에서 제거되었거나 제거하려고 했습니다. 이 ID가 없으면 레지스트리가 키에 접근할 수 없고 키를 변경(회전)할 수도 없습니다.";
        CAUSE_KEY_ACCESS_FAILED: "ACR asked Key Vault to get, wrap or unwrap with the key and was refused: the identity lost its access policy or role assignment, the key or its version was disabled or deleted, or the vault's firewall blocks the registry. Revoking access in any of these ways cuts the registry off its data."
            => "ACR이 Key Vault에 키로 가져오기, 래핑 또는 래핑 해제를 요청했으나 거부되었습니다. ID의 액세스 정책이나 역할 할당이 없어졌거나, 키 또는 키 버전이 사용 안 함 상태이거나 삭제되었거나, 키 자격 증명 모음의 방화벽이 레지스트리를 막고 있습니다. 이 중 어떤 방법으로든 액세스를 철회하면 레지스트리는 데이터에 접근할 수 없습니다.";
        CAUSE_VAULT_FIREWALL: "The vault denies public network access and the caller is neither on an allowed network nor a trusted service. ACR counts as a trusted service only with the registry's system-assigned identity and 'Allow trusted Microsoft services to bypass this firewall' on the vault."
            => "키 자격 증명 모음이 공용 네트워크 액세스를 거부하고, 호출자는 허용된 네트워크에도 신뢰할 수 있는 서비스에도 속하지 않습니다. ACR은 레지스트리의 시스템 할당 ID를 사용하고 키 자격 증명 모음에서 '신뢰할 수 있는 Microsoft 서비스가 이 방화벽을 무시하도록 허용'이 켜져 있을 때만 신뢰할 수 있는 서비스로 인정됩니다.";
        CAUSE_ONLY_AT_CREATION: "Customer-managed key encryption can currently be enabled only when the registry is created, not on an existing registry."
            => "고객 관리형 키 암호화는 현재 레지스트리를 만들 때만 사용하도록 설정할 수 있으며, 기존 레지스트리에는 설정할 수 없습니다.";
        CAUSE_PREMIUM_ONLY: "The feature is available only in the Premium service tier; a registry encrypted with a customer-managed key cannot move to Basic or Standard."
            => "이 기능은 프리미엄 서비스 계층에서만 사용할 수 있습니다. 고객 관리형 키로 암호화된 레지스트리는 기본 또는 표준 계층으로 옮길 수 없습니다.";
        CAUSE_RSA_ONLY: "Azure Container Registry supports only RSA or RSA-HSM keys; elliptic-curve keys are not supported."
            => "Azure Container Registry는 RSA 또는 RSA-HSM 키만 지원하며, 타원 곡선(EC) 키는 지원하지 않습니다.";
        CAUSE_CANNOT_DISABLE: "Once a registry is encrypted with a customer-managed key, the encryption cannot be disabled."
            => "레지스트리를 고객 관리형 키로 암호화한 뒤에는 암호화를 사용하지 않도록 설정할 수 없습니다.";
        CAUSE_IDENTITY_INACTIVE: "The identity the registry encrypts with was deleted or removed (or its principal disabled), so ACR cannot authenticate to Key Vault with it."
            => "레지스트리가 암호화에 사용하는 ID가 삭제 또는 제거되었거나 보안 주체가 사용 안 함 상태여서, ACR이 이 ID로 Key Vault에 인증할 수 없습니다.";
        CAUSE_CONTENT_TRUST: "Content trust is currently not supported on a registry encrypted with a customer-managed key."
            => "고객 관리형 키로 암호화된 레지스트리에서는 현재 콘텐츠 신뢰를 지원하지 않습니다.";
        CAUSE_DATA_PLANE_DENIED: "The registry cannot reach its customer-managed key (access revoked, key disabled or deleted, or a firewall), so all access to its data is blocked until the key is reachable again."
            => "레지스트리가 고객 관리형 키에 접근할 수 없어(액세스 철회, 키 사용 안 함 또는 삭제, 방화벽) 키에 다시 접근할 수 있을 때까지 데이터에 대한 모든 액세스가 차단됩니다.";

        FIX_IDENTITY_NOT_ATTACHED: "Assign the identity again with the GUID from the message (az acr identity assign -n <registry> --identities <identity resource id>), then change (rotate) the key to another identity, and only then remove the original one."
            => "메시지의 GUID로 ID를 다시 할당하고(az acr identity assign -n <registry> --identities <identity resource id>), 키를 다른 ID로 변경(회전)한 다음에만 원래 ID를 제거하세요.";
        FIX_KEY_ACCESS_FAILED: "Open the registry's diagnosis: it names the broken link. Grant the identity get, wrapKey and unwrapKey on the key (az keyvault set-policy, or the Key Vault Crypto Service Encryption User role on an RBAC vault), enable or recover the key, or follow the firewall steps."
            => "레지스트리 진단을 열면 끊어진 연결이 표시됩니다. ID에 키에 대한 get, wrapKey, unwrapKey 권한을 부여하거나(az keyvault set-policy, RBAC 키 자격 증명 모음에서는 Key Vault Crypto Service Encryption User 역할), 키를 사용하도록 설정하거나 복구하거나, 방화벽 단계를 따르세요.";
        FIX_VAULT_FIREWALL: "Use the registry's system-assigned identity: turn it on, grant it get, wrapKey and unwrapKey, set the vault's firewall to let trusted Microsoft services through (az keyvault update --bypass AzureServices), then rotate the key with the system identity."
            => "레지스트리의 시스템 할당 ID를 사용하세요. ID를 켜고 get, wrapKey, unwrapKey 권한을 부여한 뒤, 키 자격 증명 모음의 방화벽이 신뢰할 수 있는 Microsoft 서비스를 통과시키도록 설정하고(az keyvault update --bypass AzureServices), 시스템 할당 ID로 키를 회전하세요.";
        FIX_ONLY_AT_CREATION: "Create a new Premium registry with the key and a user-assigned identity (az acr create … --key-encryption-key <key id> --identity <identity>) and import the images into it."
            => "키와 사용자 할당 ID로 새 프리미엄 레지스트리를 만들고(az acr create … --key-encryption-key <key id> --identity <identity>) 이미지를 가져오세요.";
        FIX_PREMIUM_ONLY: "Create the registry with --sku Premium, or keep a CMK registry on Premium."
            => "--sku Premium으로 레지스트리를 만들거나, 고객 관리형 키를 사용하는 레지스트리는 프리미엄 계층에 두세요.";
        FIX_RSA_ONLY: "Create an RSA key (az keyvault key create --kty RSA) and use its key id."
            => "RSA 키를 만들고(az keyvault key create --kty RSA) 그 키 ID를 사용하세요.";
        FIX_CANNOT_DISABLE: "Nothing to change on the registry: keep the key reachable. To stop using this key, rotate to another key instead."
            => "레지스트리에서 바꿀 것은 없습니다. 키에 계속 접근할 수 있게 두세요. 이 키를 더 이상 쓰지 않으려면 다른 키로 회전하세요.";
        FIX_IDENTITY_INACTIVE: "Assign the identity again (or a new one with access to the key) and rotate the key to it: see the registry's diagnosis, 'Identity attached to the registry'."
            => "ID를 다시 할당하거나(또는 키에 액세스할 수 있는 새 ID) 그 ID로 키를 회전하세요. 레지스트리 진단의 '레지스트리에 연결된 ID'를 참고하세요.";
        FIX_CONTENT_TRUST: "Leave content trust off on this registry; a registry that needs content trust cannot use a customer-managed key."
            => "이 레지스트리에서는 콘텐츠 신뢰를 끈 채로 두세요. 콘텐츠 신뢰가 필요한 레지스트리는 고객 관리형 키를 사용할 수 없습니다.";
        FIX_DATA_PLANE_DENIED: "Open the registry's diagnosis to see which link is broken and restore the key's access (access policy or role, key enabled or recovered, firewall)."
            => "레지스트리 진단을 열어 어느 연결이 끊어졌는지 확인하고 키 액세스를 복원하세요(액세스 정책 또는 역할, 키 사용 설정 또는 복구, 방화벽).";
    }
}

/// A registry the text names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistryRef {
    /// A full ARM resource id: its diagnosis can be opened directly.
    Id(ResourceId),
    /// Only a name (from a login server `{name}.azurecr.io` or "registry '{name}'"): it has to be looked up.
    Name(String),
}

impl RegistryRef {
    pub fn name(&self) -> &str {
        match self {
            RegistryRef::Id(id) => &id.name,
            RegistryRef::Name(n) => n,
        }
    }
}

/// The ids read out of a message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FoundIds {
    pub registries: Vec<RegistryRef>,
    pub login_servers: Vec<String>,
    /// Key Vault key identifiers, as written.
    pub key_ids: Vec<String>,
    pub vaults: Vec<String>,
    /// User-assigned identity resource ids.
    pub identity_ids: Vec<String>,
    /// GUIDs that are not part of a resource id or key id (client or principal ids).
    pub guids: Vec<String>,
}

impl FoundIds {
    pub fn is_empty(&self) -> bool {
        self.registries.is_empty()
            && self.login_servers.is_empty()
            && self.key_ids.is_empty()
            && self.vaults.is_empty()
            && self.identity_ids.is_empty()
            && self.guids.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// `None`: the text matches no known error.
    pub kind: Option<ErrorKind>,
    pub found: FoundIds,
}

/// Recognises `text` and reads its ids.
pub fn decode(text: &str) -> Decoded {
    let flat = flatten(text);
    let kind = ErrorKind::ALL.into_iter().find(|k| k.phrases().iter().any(|p| flat.contains(p)));
    Decoded { kind, found: find_ids(text) }
}

/// Lower case, escaped line breaks and quotes undone, runs of whitespace as one space.
fn flatten(text: &str) -> String {
    let unescaped = text.replace("\\r", " ").replace("\\n", " ").replace("\\\"", "\"").replace("\\'", "'");
    unescaped.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Tokens: runs of characters that can be part of an id or URL.
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_' | ':' | '%')))
        .map(|t| t.trim_end_matches(['.', ':']))
        .filter(|t| !t.is_empty())
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
        list.push(value);
    }
}

fn push_registry(list: &mut Vec<RegistryRef>, r: RegistryRef) {
    if let Some(i) = list.iter().position(|x| x.name().eq_ignore_ascii_case(r.name())) {
        // A full id beats a bare name.
        if matches!(r, RegistryRef::Id(_)) && matches!(list[i], RegistryRef::Name(_)) {
            list[i] = r;
        }
        return;
    }
    list.push(r);
}

fn find_ids(text: &str) -> FoundIds {
    let mut found = FoundIds::default();
    let mut in_ids: Vec<String> = Vec::new();
    for token in tokens(text) {
        let lower = token.to_ascii_lowercase();
        if let Some(start) = lower.find("/subscriptions/") {
            let id = &token[start..];
            in_ids.push(id.to_ascii_lowercase());
            if let Some(r) = ResourceId::parse(id) {
                if r.provider.eq_ignore_ascii_case("Microsoft.ContainerRegistry") && r.resource_type.eq_ignore_ascii_case("registries") {
                    if let Some(reg) = ResourceId::registry(&r.subscription_id, &r.resource_group, &r.name) {
                        push_registry(&mut found.registries, RegistryRef::Id(reg));
                    }
                } else if r.provider.eq_ignore_ascii_case("Microsoft.ManagedIdentity") {
                    push_unique(&mut found.identity_ids, id.to_string());
                } else if r.provider.eq_ignore_ascii_case("Microsoft.KeyVault") && r.resource_type.eq_ignore_ascii_case("vaults") {
                    push_unique(&mut found.vaults, r.name.clone());
                }
            }
            continue;
        }
        if lower.starts_with("https://") && lower.contains(".vault.") {
            in_ids.push(lower.clone());
            if let Ok(key) = KeyId::parse(token) {
                push_unique(&mut found.vaults, key.vault_name().to_string());
                push_unique(&mut found.key_ids, token.to_string());
            } else if let Some(host) = lower.strip_prefix("https://").and_then(|r| r.split(['/', ':']).next()) {
                push_unique(&mut found.vaults, host.split('.').next().unwrap_or_default().to_string());
            }
            continue;
        }
        let host = lower.trim_start_matches("https://").split('/').next().unwrap_or_default();
        if let Some(name) = host.strip_suffix(".azurecr.io") {
            // `myregistry.azurecr.io`, or a geo-replica / data endpoint `myregistry.westeurope.data.azurecr.io`.
            let name = name.split('.').next().unwrap_or_default();
            if is_registry_name(name) {
                push_unique(&mut found.login_servers, host.to_string());
                push_registry(&mut found.registries, RegistryRef::Name(name.to_string()));
            }
            continue;
        }
        if let Some(name) = host.strip_suffix(".vault.azure.net") {
            push_unique(&mut found.vaults, name.to_string());
            continue;
        }
        if is_guid(token) {
            push_unique(&mut found.guids, token.to_ascii_lowercase());
        }
    }
    // "Vault: name;location=…" (Key Vault's firewall refusal) and "registry 'name'" (ACR's refusals).
    for (marker, terminators) in [("vault: ", [';', ' ']), ("registry '", ['\'', ' '])] {
        let lower = text.to_ascii_lowercase();
        let mut from = 0;
        while let Some(i) = lower[from..].find(marker) {
            let start = from + i + marker.len();
            let name: String = text[start..].chars().take_while(|c| !terminators.contains(c) && !c.is_whitespace()).collect();
            from = start;
            if marker.starts_with("vault") && is_vault_name(&name) {
                push_unique(&mut found.vaults, name);
            } else if marker.starts_with("registry") && is_registry_name(&name.to_ascii_lowercase()) {
                push_registry(&mut found.registries, RegistryRef::Name(name));
            }
        }
    }
    // GUIDs that are only part of an id already listed are not offered again.
    found.guids.retain(|g| !in_ids.iter().any(|id| id.contains(g.as_str())));
    found
}

/// 5-50 letters and digits (ACR's rule); placeholders like `<registry name>` do not pass.
fn is_registry_name(name: &str) -> bool {
    (5..=50).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// 3-24 letters, digits and dashes (Key Vault's rule).
fn is_vault_name(name: &str) -> bool {
    (3..=24).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REG: &str = "/subscriptions/6d6f636b-0000-4000-8000-000000000001/resourceGroups/rg-acr-demo/providers/Microsoft.ContainerRegistry/registries/contosoprod";
    const CLIENT: &str = "5e8d2a4c-0000-4000-8000-0000000000c1";
    const KID: &str = "https://kv-acr-demo.vault.azure.net/keys/acr-cmk/6d6f636b00004000800000000000b002";

    // The emulator's texts (emulator/src/key_access.rs, registry_write.rs, admin.rs), with values filled in as it does;
    // emulator/tests/decoder.rs feeds the emulator's own answers through `decode` so the two stay in step.
    fn identity_not_attached() -> String {
        format!("Azure resource '{REG}' does not have access to identity '{CLIENT}' Try forcibly adding the identity to the registry contosoprod. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.")
    }

    fn failed_to_access() -> String {
        format!("Failed to access KeyId '{KID}'. Verify that identity '{CLIENT}' has 'Get, Wrap Key, Unwrap Key' permission on key '{KID}'. The key vault's access policies do not grant the identity get, wrapKey and unwrapKey. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.")
    }

    #[test]
    fn the_seeds_identity_removal_refusal_names_the_registry_and_the_identity() {
        // The seed's text verbatim (troubleshooting section), placeholders and all.
        let seed = "Azure resource '/subscriptions/xxxx/resourcegroups/myGroup/providers/Microsoft.ContainerRegistry/registries/myRegistry' does not have access to identity 'xxxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxx' Try forcibly adding the identity to the registry <registry name>. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.";
        let d = decode(seed);
        assert_eq!(d.kind, Some(ErrorKind::IdentityNotAttached));
        assert_eq!(d.found.registries.len(), 1);
        assert_eq!(d.found.registries[0].name(), "myRegistry");
        assert!(matches!(&d.found.registries[0], RegistryRef::Id(id) if id.resource_group == "myGroup" && id.subscription_id == "xxxx"));

        let d = decode(&identity_not_attached());
        assert_eq!(d.kind, Some(ErrorKind::IdentityNotAttached));
        assert_eq!(d.found.registries, vec![RegistryRef::Id(ResourceId::parse(REG).unwrap())]);
        assert_eq!(d.found.guids, vec![CLIENT.to_string()], "the identity's client id, not the subscription id inside the registry id");
    }

    #[test]
    fn the_az_cli_wrapping_and_arm_json_still_match() {
        // `az acr identity remove` prints "(Code) message"; ARM bodies escape quotes; terminals wrap lines.
        let cli = format!(
            "(IdentityNotAttached) {}\nCode: IdentityNotAttached",
            identity_not_attached().replace(" Try forcibly", "\n Try\n forcibly")
        );
        assert_eq!(decode(&cli).kind, Some(ErrorKind::IdentityNotAttached));
        let arm = serde_json::json!({"error": {"code": "KeyVaultAccessFailed", "message": failed_to_access()}}).to_string();
        let d = decode(&arm);
        assert_eq!(d.kind, Some(ErrorKind::KeyAccessFailed));
        assert_eq!(d.found.key_ids, vec![KID.to_string()]);
        assert_eq!(d.found.vaults, vec!["kv-acr-demo".to_string()]);
        assert_eq!(d.found.guids, vec![CLIENT.to_string()]);
    }

    #[test]
    fn key_vaults_firewall_refusal_names_the_vault() {
        // Key Vault's answer as `az keyvault key show` prints it (the caller's ids shortened).
        let text = "(Forbidden) Client address is not authorized and caller is not a trusted service.\r\nClient address: 203.0.113.7\r\nCaller: appid=04b07795-8ddb-461a-bbee-02f9e1bf7b46;oid=1c1b1a19-0000-4000-8000-00000000aa01;iss=https://sts.windows.net/t/\r\nVault: kv-acr-fw;location=westeurope\nCode: Forbidden\nInner error: {\"code\": \"ForbiddenByFirewall\"}";
        let d = decode(text);
        assert_eq!(d.kind, Some(ErrorKind::VaultFirewall));
        assert_eq!(d.found.vaults, vec!["kv-acr-fw".to_string()]);
    }

    #[test]
    fn the_registry_refusals_are_told_apart() {
        let cases = [
            ("Customer-managed key encryption can only be enabled when a registry is created; the registry 'contosodev' was created without it. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.", ErrorKind::OnlyAtCreation),
            ("Customer-managed key encryption is only supported on registries in the Premium service tier. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.", ErrorKind::PremiumOnly),
            ("The registry 'contosoprod' is encrypted with a customer-managed key and must stay in the Premium service tier; it cannot be changed to 'Standard'. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.", ErrorKind::PremiumOnly),
            (&format!("The key '{KID}' has key type 'EC'. Azure Container Registry supports only RSA or RSA-HSM keys for customer-managed key encryption."), ErrorKind::RsaOnly),
            ("Customer-managed key encryption cannot be disabled on the registry 'contosoprod' once it is enabled. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.", ErrorKind::CannotDisable),
            ("Content trust is not supported on the registry 'contosoprod' because it is encrypted with a customer-managed key. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.", ErrorKind::ContentTrust),
            ("The identity associated with the registry is inactive. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.", ErrorKind::IdentityInactive),
        ];
        for (text, kind) in cases {
            assert_eq!(decode(text).kind, Some(kind), "{text}");
        }
        let d = decode(cases[0].0);
        assert_eq!(d.found.registries, vec![RegistryRef::Name("contosodev".into())]);
    }

    #[test]
    fn docker_pulls_403_names_the_login_server_and_comes_before_the_key_failure_it_quotes() {
        let body = format!("The registry's data is inaccessible: the customer-managed key cannot be reached. {}", failed_to_access());
        let docker = format!("Error response from daemon: Head \"https://contosoprod.azurecr.io/v2/app/manifests/latest\": denied: {body}");
        let d = decode(&docker);
        assert_eq!(d.kind, Some(ErrorKind::DataPlaneDenied));
        assert_eq!(d.found.login_servers, vec!["contosoprod.azurecr.io".to_string()]);
        assert_eq!(d.found.registries, vec![RegistryRef::Name("contosoprod".into())]);
    }

    #[test]
    fn unknown_text_says_so_and_still_offers_its_ids() {
        let d = decode(&format!("something odd happened to {KID} on contosoauto.azurecr.io"));
        assert_eq!(d.kind, None);
        assert_eq!(d.found.key_ids, vec![KID.to_string()]);
        assert_eq!(d.found.registries, vec![RegistryRef::Name("contosoauto".into())]);
        let d = decode("");
        assert_eq!(d.kind, None);
        assert!(d.found.is_empty());
    }

    #[test]
    fn a_full_id_replaces_the_same_registrys_name_and_placeholders_are_not_names() {
        let d = decode(&format!("contosoprod.azurecr.io: {REG}"));
        assert_eq!(d.found.registries, vec![RegistryRef::Id(ResourceId::parse(REG).unwrap())]);
        assert!(decode("the registry '<registry name>'").found.registries.is_empty());
    }

    #[test]
    fn every_error_kind_has_a_title_a_cause_and_a_fix() {
        assert_eq!(words::ENTRIES.len(), 3 * ErrorKind::ALL.len());
    }
}
