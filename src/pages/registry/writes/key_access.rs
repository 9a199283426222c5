//! Reads what a grant, revoke or restore plans from, fresh from ARM: the
//! vault that holds the registry's key (by the key's vault name: the
//! registry's subscription first, then anywhere in the tenant), the principal whose access is at stake, and on an
//! RBAC vault that principal's role assignments at, above and below the vault;
//! and the registries with keys in that vault (who else a change reaches).

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::diagnosis::{resolve_identity, IdentityRef};
use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::resource_graph::registries_with_keys_in;
use acr_cmk_domain::text::Sentence;
use acr_cmk_domain::vault_location::find_by_name;
use acr_cmk_domain::writes::key_access::KeyAccess;

use crate::action_error::ActionError;
use crate::arm_client::ArmClient;
use crate::i18n::catalogue::writes as words;

/// Whose access to read.
#[derive(Clone, Copy, Debug)]
pub enum Principal<'a> {
    /// The identity `keyVaultProperties.identity` names (the one encrypting now).
    Encrypting,
    /// A given principal id (e.g. the system identity the firewall sequence grants).
    Id(&'a str),
}

pub async fn read_key_access(client: &ArmClient, registry: &Registry, principal: Principal<'_>) -> Result<KeyAccess, ActionError> {
    let kv = registry.key_vault_properties().cloned().unwrap_or_default();
    let key = kv.key_identifier.as_deref().and_then(|k| KeyId::parse(k).ok()).ok_or_else(|| ActionError::invalid(words::NO_CMK))?;
    let subscription = ResourceId::parse(&registry.id).map(|r| r.subscription_id).unwrap_or_default();
    let vault = match find_by_name(client.vaults(&subscription).await?, key.vault_name()) {
        Some(v) => v,
        None => client
            .find_vault_elsewhere(&subscription, key.vault_name())
            .await?
            .map_err(|absence| ActionError::invalid(absence.describe(key.vault_name())))?,
    };
    let principal_id = match principal {
        Principal::Id(id) => id.to_string(),
        Principal::Encrypting => {
            let identity_ref = IdentityRef::parse(kv.identity.as_deref().unwrap_or(""));
            let system = if registry.identity.as_ref().is_some_and(|i| i.kinds().system) {
                client.system_identity(&registry.id).await.ok().flatten()
            } else {
                None
            };
            resolve_identity(registry, &identity_ref, system.as_ref(), &[])
                .principal_id
                .ok_or_else(|| ActionError::invalid(words::PRINCIPAL_UNKNOWN))?
        }
    };
    // At, above and below the vault: the plan tells vault- and key-scoped grants from parent-scope ones.
    let role_assignments =
        if vault.properties.rbac() { client.role_assignments_for_principal(&vault.id, &principal_id).await? } else { Vec::new() };
    let tenant_id = registry.identity.as_ref().and_then(|i| i.tenant_id.clone()).unwrap_or_else(|| vault.properties.tenant_id.clone());
    Ok(KeyAccess { vault, principal_id, tenant_id, key_name: Some(key.name.clone()), role_assignments })
}

/// Where the registries a vault change reaches were looked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Searched {
    /// Resource Graph: every subscription the signed-in user can read.
    Tenant,
    /// Resource Graph answered this error code: only the registry's own subscription.
    Subscription { graph_error: String },
}

impl Searched {
    /// Where it looked, in a sentence for the dialog.
    pub fn words(&self) -> Sentence {
        match self {
            Searched::Tenant => words::SEARCHED_TENANT.into(),
            Searched::Subscription { graph_error } => Sentence::new(words::SEARCHED_SUBSCRIPTION).with("code", graph_error.as_str()),
        }
    }
}

/// Registries with a customer-managed key in `vault_name`: anywhere the user can read through
/// Resource Graph, else (refused or failed) among `registry`'s subscription's registries. Who
/// among them a change reaches is the domain's to decide (`affected_registries`, `registries_keyed_in`).
pub async fn registries_keyed_in_vault(
    client: &ArmClient,
    registry: &Registry,
    vault_name: &str,
) -> Result<(Vec<Registry>, Searched), ActionError> {
    match client.query::<Registry>(&registries_with_keys_in(vault_name)).await {
        Ok(found) => Ok((found, Searched::Tenant)),
        Err(e) => {
            let subscription = ResourceId::parse(&registry.id).map(|r| r.subscription_id).unwrap_or_default();
            Ok((client.registries(&subscription).await?, Searched::Subscription { graph_error: e.code() }))
        }
    }
}
