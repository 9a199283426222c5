//! The creation plan as Terraform (azurerm 4.x): the identity, the vault, the
//! grant (`azurerm_key_vault_access_policy` or `azurerm_role_assignment`), the
//! key and the registry with `identity` and `encryption`. What already exists
//! is read with `data` blocks, so any resource group works here.

use crate::arm::ResourceId;
use crate::role_assignment::KeyVaultRole;

use super::choices::{Choices, GroupChoice, IdentityChoice, KeyChoice, Rotation, VaultChoice};
use super::plan::{CreationPlan, StepKind};

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace("${", "$${"))
}

fn group_of(id: &str) -> String {
    ResourceId::parse(id).map(|r| r.resource_group).unwrap_or_default()
}

/// The `main.tf` for `plan` (made from `c`).
pub fn terraform(c: &Choices, plan: &CreationPlan) -> String {
    let mut s = String::new();
    let mut line = |t: &str| {
        s.push_str(t);
        s.push('\n');
    };
    line(&format!("# A Premium registry '{}' encrypted with a customer-managed key, as the ACR CMK console planned it.", c.registry_name));
    line("terraform {");
    line("  required_providers {");
    line("    azurerm = {");
    line("      source  = \"hashicorp/azurerm\"");
    line("      version = \"~> 4.0\"");
    line("    }");
    line("  }");
    line("}");
    line("");
    line("provider \"azurerm\" {");
    line("  features {}");
    line(&format!("  subscription_id = {}", q(&c.subscription_id)));
    line("}");
    line("");
    line("data \"azurerm_client_config\" \"current\" {}");
    line("");
    match &c.group {
        GroupChoice::New { name } => {
            line("resource \"azurerm_resource_group\" \"registry\" {");
            line(&format!("  name     = {}", q(name)));
            line(&format!("  location = {}", q(&c.location)));
            line("}");
        }
        GroupChoice::Existing { name } => {
            line("data \"azurerm_resource_group\" \"registry\" {");
            line(&format!("  name = {}", q(name)));
            line("}");
        }
    }
    let rg = match &c.group {
        GroupChoice::New { .. } => "azurerm_resource_group.registry.name",
        GroupChoice::Existing { .. } => "data.azurerm_resource_group.registry.name",
    };
    line("");
    line("# The registry names the identity's client id; the vault grant names its principal id.");
    let identity = match &c.identity {
        IdentityChoice::New { name } => {
            line("resource \"azurerm_user_assigned_identity\" \"registry\" {");
            line(&format!("  name                = {}", q(name)));
            line(&format!("  resource_group_name = {rg}"));
            line(&format!("  location            = {}", q(&c.location)));
            line("}");
            "azurerm_user_assigned_identity.registry"
        }
        IdentityChoice::Existing(i) => {
            line("data \"azurerm_user_assigned_identity\" \"registry\" {");
            line(&format!("  name                = {}", q(&i.name)));
            line(&format!("  resource_group_name = {}", q(&group_of(&i.id))));
            line("}");
            "data.azurerm_user_assigned_identity.registry"
        }
    };
    line("");
    let rbac = plan.vault.properties.rbac();
    let vault = match &c.vault {
        VaultChoice::New { name, rbac } => {
            line("# Soft delete and purge protection: a deleted key stays recoverable (purge protection cannot be turned off).");
            line("resource \"azurerm_key_vault\" \"registry\" {");
            line(&format!("  name                       = {}", q(name)));
            line(&format!("  location                   = {}", q(&c.location)));
            line(&format!("  resource_group_name        = {rg}"));
            line("  tenant_id                  = data.azurerm_client_config.current.tenant_id");
            line("  sku_name                   = \"standard\"");
            line("  soft_delete_retention_days = 90");
            line("  purge_protection_enabled   = true");
            line(&format!("  enable_rbac_authorization  = {rbac}"));
            line("}");
            "azurerm_key_vault.registry"
        }
        VaultChoice::Existing { vault, .. } => {
            line("data \"azurerm_key_vault\" \"registry\" {");
            line(&format!("  name                = {}", q(&vault.name)));
            line(&format!("  resource_group_name = {}", q(&group_of(&vault.id))));
            line("}");
            "data.azurerm_key_vault.registry"
        }
    };
    line("");
    let grant = if plan.step(StepKind::Access).is_none() {
        for why in &plan.skipped {
            line(&format!("# {why} Nothing to grant."));
        }
        None
    } else if rbac {
        line("resource \"azurerm_role_assignment\" \"registry_key\" {");
        line(&format!("  name                 = {}", q(&c.assignment_name)));
        line(&format!("  scope                = {vault}.id"));
        line(&format!("  role_definition_name = {}", q(KeyVaultRole::CryptoServiceEncryptionUser.name())));
        line(&format!("  principal_id         = {identity}.principal_id"));
        line("  principal_type       = \"ServicePrincipal\"");
        line("}");
        Some("azurerm_role_assignment.registry_key")
    } else {
        line("resource \"azurerm_key_vault_access_policy\" \"registry_key\" {");
        line(&format!("  key_vault_id    = {vault}.id"));
        line("  tenant_id       = data.azurerm_client_config.current.tenant_id");
        line(&format!("  object_id       = {identity}.principal_id"));
        line("  key_permissions = [\"Get\", \"WrapKey\", \"UnwrapKey\"]");
        line("}");
        Some("azurerm_key_vault_access_policy.registry_key")
    };
    line("");
    let key_id = match &c.key {
        KeyChoice::New { name, size } => {
            // azurerm creates keys on the data plane, as the one running terraform.
            if rbac {
                line("# Creating the key needs a key role for you on this RBAC vault (e.g. Key Vault Crypto Officer).");
            } else if matches!(c.vault, VaultChoice::New { .. }) {
                line("# Creating the key is a data-plane call: the one running terraform needs key permissions on the new vault.");
                line("resource \"azurerm_key_vault_access_policy\" \"deployer\" {");
                line(&format!("  key_vault_id    = {vault}.id"));
                line("  tenant_id       = data.azurerm_client_config.current.tenant_id");
                line("  object_id       = data.azurerm_client_config.current.object_id");
                line("  key_permissions = [\"Get\", \"Create\", \"Delete\", \"Purge\", \"Recover\", \"GetRotationPolicy\"]");
                line("}");
                line("");
            }
            line("resource \"azurerm_key_vault_key\" \"registry\" {");
            line(&format!("  name         = {}", q(name)));
            line(&format!("  key_vault_id = {vault}.id"));
            line("  key_type     = \"RSA\"");
            line(&format!("  key_size     = {size}"));
            line("  key_opts     = [\"wrapKey\", \"unwrapKey\"]");
            if !rbac && matches!(c.vault, VaultChoice::New { .. }) {
                line("  depends_on   = [azurerm_key_vault_access_policy.deployer]");
            }
            line("}");
            line("");
            if c.rotation == Rotation::Versionless {
                "azurerm_key_vault_key.registry.versionless_id".to_string()
            } else {
                "azurerm_key_vault_key.registry.id".to_string()
            }
        }
        KeyChoice::Existing { .. } => q(&plan.key_identifier),
    };
    if c.rotation == Rotation::Versionless {
        line("# Versionless key id: the registry picks up new key versions by itself (automatic rotation).");
    } else {
        line("# Pinned key version: rotate by hand (az acr encryption rotate-key).");
    }
    line("resource \"azurerm_container_registry\" \"registry\" {");
    line(&format!("  name                = {}", q(&c.registry_name)));
    line(&format!("  resource_group_name = {rg}"));
    line(&format!("  location            = {}", q(&c.location)));
    line("  sku                 = \"Premium\"");
    line("");
    line("  identity {");
    line("    type         = \"UserAssigned\"");
    line(&format!("    identity_ids = [{identity}.id]"));
    line("  }");
    line("");
    line("  encryption {");
    line(&format!("    key_vault_key_id   = {key_id}"));
    line(&format!("    identity_client_id = {identity}.client_id"));
    line("  }");
    if let Some(g) = grant {
        line("");
        line("  # The key access check runs at creation: the grant must exist first.");
        line(&format!("  depends_on = [{g}]"));
    }
    line("}");
    s
}
