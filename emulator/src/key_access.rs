//! Can a registry reach its key? The one evaluation behind CMK create, key
//! rotation, the registry's `properties.status` and the data-plane probe, so
//! revoking access anywhere (access policy, role assignment, key disabled or
//! deleted, vault firewall) has the same effect everywhere, as in Azure.

use acr_cmk_domain::key::is_cmk_key_type;
use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::role_assignment::KeyVaultRole;

use crate::world::{eq, RegistryRec, World};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub code: &'static str,
    pub message: String,
}

pub const CODE_KEY_ACCESS: &str = "KeyVaultAccessFailed";
pub const CODE_IDENTITY: &str = "IdentityNotAttached";
pub const CODE_KEY_TYPE: &str = "InvalidKeyType";
pub const CODE_KEY_ID: &str = "InvalidKeyIdentifier";
pub const CODE_IDENTITY_INACTIVE: &str = "IdentityInactive";

/// A user-assigned identity still attached but deleted: Azure does not detach it, and the registry can no
/// longer get a token with it. The wording is the one support cases quote (the console's decoder knows it).
fn identity_inactive(registry: &Registry, identity_id: &str) -> Failure {
    Failure {
        code: CODE_IDENTITY_INACTIVE,
        message: format!(
            "The identity associated with the registry is inactive: user-assigned identity '{identity_id}' of '{}' no longer exists. Assign an identity that has access to the key and rotate the key to it. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.",
            registry.id
        ),
    }
}

/// The seed's text when the registry lacks the identity it encrypts with.
pub fn identity_not_attached(registry: &Registry, identity: &str) -> Failure {
    Failure {
        code: CODE_IDENTITY,
        message: format!(
            "Azure resource '{}' does not have access to identity '{identity}' Try forcibly adding the identity to the registry {}. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.",
            registry.id, registry.name
        ),
    }
}

fn failed_to_access(kid: &str, identity: &str, reason: &str) -> Failure {
    Failure {
        code: CODE_KEY_ACCESS,
        message: format!(
            "Failed to access KeyId '{kid}'. Verify that identity '{identity}' has 'Get, Wrap Key, Unwrap Key' permission on key '{kid}'. {reason} For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'."
        ),
    }
}

/// The principal id behind `identity` (`system` or a user identity's client id) on `registry`.
pub fn principal_of(registry: &Registry, identity: &str) -> Option<String> {
    let block = registry.identity.as_ref()?;
    if identity.eq_ignore_ascii_case("system") {
        return block.kinds().system.then(|| block.principal_id.clone()).flatten();
    }
    if !block.kinds().user {
        return None;
    }
    block.user_identity_by_client_id(identity).and_then(|(_, p)| p.principal_id.clone())
}

/// Checks that `registry` can use `key_identifier` through `identity`; returns the
/// versioned key id it would encrypt with (the newest usable version when versionless).
pub fn evaluate(world: &World, registry: &Registry, key_identifier: &str, identity: &str, now: i64) -> Result<String, Failure> {
    let kid = KeyId::parse(key_identifier)
        .map_err(|e| Failure { code: CODE_KEY_ID, message: format!("The key identifier '{key_identifier}' is invalid: {e}.") })?;
    let shown = kid.to_string();
    let principal = principal_of(registry, identity).ok_or_else(|| identity_not_attached(registry, identity))?;
    let attached_user = registry.identity.as_ref().and_then(|b| b.user_identity_by_client_id(identity)).map(|(id, _)| id.to_string());
    if let Some(id) = attached_user.filter(|_| !identity.eq_ignore_ascii_case("system")) {
        if world.identity_by_resource_id(&id).is_none() {
            return Err(identity_inactive(registry, &id));
        }
    }

    let Some(vault) = world.vault_by_name(kid.vault_name()) else {
        return Err(failed_to_access(&shown, identity, "The key vault does not exist or cannot be found."));
    };
    let props = &vault.vault.properties;
    if props.firewall_closed() && !(props.bypasses_azure_services() && identity.eq_ignore_ascii_case("system")) {
        return Err(failed_to_access(
            &shown,
            identity,
            "The key vault's firewall denies the request (trusted Azure services can bypass it only with the registry's system-assigned identity).",
        ));
    }
    let granted = if props.rbac() {
        let vault_id = vault.vault.id.clone();
        let key_scope = format!("{vault_id}/keys/{}", kid.name);
        world.role_assignments.iter().any(|ra| {
            eq(&ra.principal_id, &principal)
                && KeyVaultRole::from_definition(&ra.role_definition_id).is_some()
                && (scope_covers(&ra.scope, &vault_id) || acr_cmk_domain::arm::same_id(&ra.scope, &key_scope))
        })
    } else {
        props.access_policies.iter().any(|p| eq(&p.object_id, &principal) && p.grants_cmk())
    };
    if !granted {
        let how = if props.rbac() {
            "The identity has no 'Key Vault Crypto Service Encryption User' role assignment on the key vault."
        } else {
            "The key vault's access policies do not grant the identity get, wrapKey and unwrapKey."
        };
        return Err(failed_to_access(&shown, identity, how));
    }
    let Some(key) = world.key(kid.vault_name(), &kid.name) else {
        return Err(failed_to_access(&shown, identity, "The key does not exist or has been deleted."));
    };
    if !is_cmk_key_type(&key.kty) {
        return Err(Failure {
            code: CODE_KEY_TYPE,
            message: format!(
                "The key '{shown}' has key type '{}'. Azure Container Registry supports only RSA or RSA-HSM keys for customer-managed key encryption.",
                key.kty
            ),
        });
    }
    let version = match &kid.version {
        Some(v) => match key.version(v) {
            Some(kv) if kv.usable(now) => kv,
            Some(_) => return Err(failed_to_access(&shown, identity, "The key version is disabled or outside its validity period.")),
            None => return Err(failed_to_access(&shown, identity, "The key version does not exist.")),
        },
        None => match key.newest_usable(now) {
            Some(kv) => kv,
            None => return Err(failed_to_access(&shown, identity, "The key has no enabled version.")),
        },
    };
    Ok(format!("{}/keys/{}/{}", kid.vault_base, key.name, version.version))
}

/// `scope` is `target` or one of its parents (subscription, resource group…).
fn scope_covers(scope: &str, target: &str) -> bool {
    let s = scope.trim_end_matches('/').to_ascii_lowercase();
    let t = target.trim_end_matches('/').to_ascii_lowercase();
    s.is_empty() || s == "/" || t == s || t.starts_with(&format!("{s}/"))
}

/// Whether a CMK registry can reach the key version it encrypts with right now.
pub fn registry_health(world: &World, rec: &RegistryRec, now: i64) -> Result<(), Failure> {
    let Some(enc) = rec.registry.properties.encryption.as_ref().filter(|e| e.is_enabled()) else {
        return Ok(());
    };
    let kv = enc.key_vault_properties.clone().unwrap_or_default();
    let key = kv.versioned_key_identifier.or(kv.key_identifier).unwrap_or_default();
    let identity = kv.identity.unwrap_or_default();
    evaluate(world, &rec.registry, &key, &identity, now).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::scope_covers;

    #[test]
    fn parent_scopes_cover_children_only_at_segment_boundaries() {
        assert!(scope_covers("/subscriptions/s", "/subscriptions/s/resourceGroups/g"));
        assert!(scope_covers("/subscriptions/S/", "/subscriptions/s"));
        assert!(!scope_covers("/subscriptions/s1", "/subscriptions/s10/resourceGroups/g"));
    }
}
