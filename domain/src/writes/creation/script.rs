//! The creation plan as an `az` script: the seed's commands in the seed's order,
//! with today's flags (`--enable-rbac-authorization` stated, no `--enable-soft-delete`,
//! the role's current name), runnable as it is under `bash`.
//!
//! `az acr create --identity` takes the identity's resource id and sends its
//! client id to ARM itself; `az acr encryption rotate-key --identity` (later) wants
//! the client id, which the script prints at the end.

use crate::arm::ResourceId;
use crate::role_assignment::KeyVaultRole;
use crate::writes::shell_word;

use super::choices::{Choices, GroupChoice, IdentityChoice, KeyChoice, Rotation, VaultChoice};
use super::plan::{CreationPlan, StepKind};

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push('\n');
}

fn group_of(id: &str) -> String {
    ResourceId::parse(id).map(|r| r.resource_group).unwrap_or_default()
}

/// The script for `plan` (made from `c`).
pub fn az_script(c: &Choices, plan: &CreationPlan) -> String {
    let w = shell_word;
    let group = c.group.name();
    let loc = &c.location;
    let mut s = String::new();
    line(&mut s, "#!/usr/bin/env bash");
    line(
        &mut s,
        &format!("# A Premium registry '{}' encrypted with a customer-managed key, as the ACR CMK console planned it.", c.registry_name),
    );
    line(&mut s, "# Needs the Azure CLI, signed in (az login) with rights to create these resources and role assignments.");
    line(&mut s, "set -euo pipefail");
    line(&mut s, "");
    line(&mut s, &format!("az account set --subscription {}", w(&c.subscription_id)));
    if let GroupChoice::New { name } = &c.group {
        line(&mut s, "");
        line(&mut s, &format!("az group create --name {} --location {}", w(name), w(loc)));
    }

    line(&mut s, "");
    match &c.identity {
        IdentityChoice::New { name } => {
            line(&mut s, "# The identity the registry reads its key with (a system-assigned one does not exist before the registry).");
            line(&mut s, &format!("az identity create --resource-group {} --name {} --location {}", w(group), w(name), w(loc)));
            for (var, field) in [("identityID", "id"), ("identityPrincipalID", "principalId"), ("identityClientID", "clientId")] {
                line(
                    &mut s,
                    &format!("{var}=$(az identity show --resource-group {} --name {} --query {field} --output tsv)", w(group), w(name)),
                );
            }
        }
        IdentityChoice::Existing(i) => {
            line(&mut s, &format!("# The existing identity '{}'.", i.name));
            line(&mut s, &format!("identityID={}", w(&i.id)));
            line(&mut s, &format!("identityPrincipalID={}", w(&i.properties.principal_id)));
            line(&mut s, &format!("identityClientID={}", w(&i.properties.client_id)));
        }
    }

    let vault = &plan.vault;
    let vault_group = group_of(&vault.id);
    line(&mut s, "");
    match &c.vault {
        VaultChoice::New { name, rbac } => {
            line(&mut s, "# Soft delete is always on; purge protection keeps a deleted key recoverable (it cannot be turned off).");
            line(
                &mut s,
                &format!(
                    "az keyvault create --name {} --resource-group {} --location {} --enable-purge-protection --enable-rbac-authorization {}",
                    w(name),
                    w(group),
                    w(loc),
                    rbac
                ),
            );
        }
        VaultChoice::Existing { .. } if plan.step(StepKind::PurgeProtection).is_some() => {
            line(&mut s, "# Irreversible: purge protection cannot be turned off again.");
            line(
                &mut s,
                &format!(
                    "az keyvault update --name {} --resource-group {} --enable-purge-protection true",
                    w(&vault.name),
                    w(&vault_group)
                ),
            );
        }
        VaultChoice::Existing { .. } => {
            line(&mut s, &format!("# The existing key vault '{}' (soft delete and purge protection on).", vault.name))
        }
    }

    line(&mut s, "");
    if plan.step(StepKind::Access).is_none() {
        for why in &plan.skipped {
            line(&mut s, &format!("# {why} Nothing to grant."));
        }
    } else if vault.properties.rbac() {
        line(
            &mut s,
            &format!(
                "keyvaultID=$(az keyvault show --name {} --resource-group {} --query id --output tsv)",
                w(&vault.name),
                w(&vault_group)
            ),
        );
        line(
            &mut s,
            &format!(
                "az role assignment create --assignee-object-id \"$identityPrincipalID\" --assignee-principal-type ServicePrincipal --role {} --scope \"$keyvaultID\"",
                w(KeyVaultRole::CryptoServiceEncryptionUser.name())
            ),
        );
    } else {
        line(
            &mut s,
            &format!(
                "az keyvault set-policy --resource-group {} --name {} --object-id \"$identityPrincipalID\" --key-permissions get unwrapKey wrapKey",
                w(&vault_group),
                w(&vault.name)
            ),
        );
    }

    line(&mut s, "");
    let key_name = c.key.name();
    if let KeyChoice::New { name, size } = &c.key {
        if vault.properties.rbac() {
            line(&mut s, "# On an RBAC vault this data-plane call needs a key role for you (e.g. Key Vault Crypto Officer).");
        }
        line(&mut s, &format!("az keyvault key create --name {} --vault-name {} --kty RSA --size {size}", w(name), w(&vault.name)));
    }
    match (c.rotation, &c.key) {
        (Rotation::Versionless, _) => {
            line(&mut s, "# Versionless key id: the registry picks up new key versions by itself (automatic rotation).");
            line(
                &mut s,
                &format!(
                    "keyID=$(az keyvault key show --name {} --vault-name {} --query key.kid --output tsv)",
                    w(key_name),
                    w(&vault.name)
                ),
            );
            line(&mut s, "keyID=${keyID%/*}");
        }
        (Rotation::Pinned, KeyChoice::New { .. }) => {
            line(&mut s, "# Pinned to the key's first version: rotate by hand (az acr encryption rotate-key).");
            line(
                &mut s,
                &format!(
                    "keyID=$(az keyvault key show --name {} --vault-name {} --query key.kid --output tsv)",
                    w(key_name),
                    w(&vault.name)
                ),
            );
        }
        (Rotation::Pinned, KeyChoice::Existing { .. }) => {
            line(&mut s, "# Pinned to this version: rotate by hand (az acr encryption rotate-key).");
            line(&mut s, &format!("keyID={}", w(&plan.key_identifier)));
        }
    }

    line(&mut s, "");
    line(
        &mut s,
        &format!(
            "az acr create --resource-group {} --name {} --location {} --sku Premium --identity \"$identityID\" --key-encryption-key \"$keyID\"",
            w(group),
            w(&c.registry_name),
            w(loc)
        ),
    );
    line(&mut s, &format!("az acr encryption show --name {}", w(&c.registry_name)));
    line(&mut s, "echo \"Rotate later with: az acr encryption rotate-key --name <registry> --key-encryption-key <key id> --identity $identityClientID\"");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writes::creation::plan::tests::{all_new, made_identity};
    use crate::writes::creation::plan::{plan, Outputs};

    #[test]
    fn the_all_new_policy_script_is_the_seeds_commands_in_order() {
        let c = all_new(false);
        let script = az_script(&c, &plan(&c, &Outputs::default(), 0).unwrap());
        let order = [
            "az account set --subscription 6d6f636b-0000-4000-8000-000000000001",
            "az group create --name rg-cmk --location westeurope",
            "az identity create --resource-group rg-cmk --name id-cmk --location westeurope",
            "identityPrincipalID=$(az identity show --resource-group rg-cmk --name id-cmk --query principalId --output tsv)",
            "az keyvault create --name kv-cmk --resource-group rg-cmk --location westeurope --enable-purge-protection --enable-rbac-authorization false",
            "az keyvault set-policy --resource-group rg-cmk --name kv-cmk --object-id \"$identityPrincipalID\" --key-permissions get unwrapKey wrapKey",
            "az keyvault key create --name key-cmk --vault-name kv-cmk --kty RSA --size 3072",
            "keyID=${keyID%/*}",
            "az acr create --resource-group rg-cmk --name contosocmk --location westeurope --sku Premium --identity \"$identityID\" --key-encryption-key \"$keyID\"",
        ];
        let mut from = 0;
        for want in order {
            let at = script[from..].find(want).unwrap_or_else(|| panic!("missing or out of order: {want}\n{script}"));
            from += at + want.len();
        }
        assert!(!script.contains("--enable-soft-delete"), "today's CLI refuses it");
    }

    #[test]
    fn the_rbac_script_assigns_the_role_by_its_current_name() {
        let mut c = all_new(true);
        c.identity = IdentityChoice::Existing(made_identity());
        let script = az_script(&c, &plan(&c, &Outputs::default(), 0).unwrap());
        assert!(script.contains("--role 'Key Vault Crypto Service Encryption User' --scope \"$keyvaultID\""), "{script}");
        assert!(script.contains("identityClientID=cccccccc-0000-4000-8000-0000000000c9"));
        assert!(!script.contains("az identity create"));
    }

    #[test]
    fn the_script_parses_as_bash() {
        for c in [all_new(false), all_new(true)] {
            let script = az_script(&c, &plan(&c, &Outputs::default(), 0).unwrap());
            let out = std::process::Command::new("bash").args(["-n", "-c", &script]).output().expect("bash runs (the script is for bash)");
            assert!(out.status.success(), "{}\n{script}", String::from_utf8_lossy(&out.stderr));
        }
    }
}
