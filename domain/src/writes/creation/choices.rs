//! What the user chose in the creation flow, and the checks that refuse a
//! choice the service would refuse (or that would leave the registry unable to
//! reach its key), each with the reason in words.

use crate::diagnosis::newest_usable;
use crate::identity::UserAssignedIdentity;
use crate::key::{is_cmk_key_type, ArmKey};
use crate::role_assignment::RoleAssignment;
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

fn refuse(code: &'static str, message: String) -> Refusal {
    Refusal::new(code, crate::text::Sentence::verbatim(message))
}

/// ACR's rule for registry names (they become `{name}.azurecr.io`).
pub fn check_registry_name(name: &str) -> Result<(), Refusal> {
    if (5..=50).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Ok(());
    }
    Err(refuse(
        CODE_NAME,
        format!(
            "'{name}' cannot name a registry: use 5 to 50 letters and digits (no hyphens), as it becomes {}.azurecr.io.",
            name.to_ascii_lowercase()
        ),
    ))
}

/// ARM's rule for resource group names.
pub fn check_group_name(name: &str) -> Result<(), Refusal> {
    let ok =
        !name.is_empty() && name.len() <= 90 && !name.ends_with('.') && name.chars().all(|c| c.is_alphanumeric() || "-_.()".contains(c));
    if ok {
        return Ok(());
    }
    Err(refuse(
        CODE_GROUP,
        format!("'{name}' cannot name a resource group: up to 90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'."),
    ))
}

/// Key Vault's rule for vault names (they become `{name}.vault.azure.net`).
pub fn check_vault_name(name: &str) -> Result<(), Refusal> {
    let ok = (3..=24).contains(&name.len())
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.contains("--");
    if ok {
        return Ok(());
    }
    Err(refuse(CODE_VAULT_NAME, format!("'{name}' cannot name a key vault: 3 to 24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit.")))
}

fn check_key_name(name: &str) -> Result<(), Refusal> {
    if !name.is_empty() && name.len() <= 127 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Ok(());
    }
    Err(refuse(CODE_KEY_NAME, format!("'{name}' cannot name a key: 1 to 127 letters, digits and hyphens.")))
}

fn check_identity(identity: &IdentityChoice) -> Result<(), Refusal> {
    match identity {
        IdentityChoice::New { name } => {
            let ok = (3..=128).contains(&name.len())
                && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if ok {
                Ok(())
            } else {
                Err(refuse(
                    CODE_IDENTITY,
                    format!(
                        "'{name}' cannot name a managed identity: 3 to 128 letters, digits, '-' or '_', starting with a letter or digit."
                    ),
                ))
            }
        }
        IdentityChoice::Existing(i) if i.properties.client_id.is_empty() || i.properties.principal_id.is_empty() => Err(refuse(
            CODE_IDENTITY,
            format!(
                "Identity '{}' was read without its client id or principal id; the registry needs the first, the vault grant the second.",
                i.name
            ),
        )),
        IdentityChoice::Existing(_) => Ok(()),
    }
}

/// Why an existing vault cannot hold the key of a new CMK registry, if it cannot.
pub fn check_vault(vault: &Vault, enable_purge_protection: bool) -> Result<(), Refusal> {
    let props = &vault.properties;
    if props.firewall_closed() {
        return Err(refuse(
            CODE_FIREWALL,
            format!(
                "Vault '{}' denies public network access. At creation the registry can only use a user-assigned identity, and a user-assigned identity is not a trusted Azure service, so the firewall would refuse it. Choose another vault (or create one), or allow public access now: after creation you can switch the registry to its system-assigned identity, let trusted services bypass the firewall and close it again, as the seed's firewall scenario does.",
                vault.name
            ),
        ));
    }
    let protected = props.enable_soft_delete != Some(false) && props.enable_purge_protection == Some(true);
    if !protected && !enable_purge_protection {
        return Err(refuse(
            CODE_PURGE,
            format!(
                "Vault '{}' has purge protection off. A registry's customer-managed key must live in a vault with soft delete and purge protection, so that a deleted key or vault can be recovered instead of making the registry's data unreadable forever. Turn purge protection on (it cannot be turned off again) or choose another vault.",
                vault.name
            ),
        ));
    }
    Ok(())
}

/// Why an existing key cannot encrypt a registry, if it cannot.
pub fn check_key(key: &ArmKey, versions: &[ArmKey], now_unix: i64) -> Result<(), Refusal> {
    let kty = key.properties.kty.clone().or_else(|| versions.iter().find_map(|v| v.properties.kty.clone())).unwrap_or_default();
    if !is_cmk_key_type(&kty) {
        return Err(refuse(
            CODE_KEY_TYPE,
            format!("Key '{}' is of type {kty}. ACR wraps its data encryption key with RSA-OAEP, so only RSA or RSA-HSM keys can be used; choose an RSA key or create one.", key.name),
        ));
    }
    if !versions.is_empty() && newest_usable(versions, now_unix).is_none() {
        return Err(refuse(CODE_NO_VERSION, format!("Key '{}' has no enabled version inside its validity period.", key.name)));
    }
    Ok(())
}

impl Choices {
    /// The first choice the service would refuse, with the reason; `Ok` when the
    /// plan can be made. `now_unix` decides which key versions are usable.
    pub fn check(&self, now_unix: i64) -> Result<(), Refusal> {
        check_registry_name(&self.registry_name)?;
        check_group_name(self.group.name())?;
        if self.location.trim().is_empty() {
            return Err(refuse(CODE_LOCATION, "Choose a location for the registry.".into()));
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
                    return Err(refuse(CODE_KEY_SIZE, format!("RSA keys are 2048, 3072 or 4096 bits; {size} is not one of them.")));
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
        assert!(refusal.message.to_string().contains("only RSA or RSA-HSM"), "{refusal}");
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
        assert!(
            refusal.message.to_string().contains("not a trusted Azure service") && refusal.message.to_string().contains("system-assigned"),
            "{refusal}"
        );
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
