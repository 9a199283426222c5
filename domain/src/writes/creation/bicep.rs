//! The creation plan as Bicep: the ARM template's resources and parameters,
//! written the way Bicep reads (symbolic references instead of `dependsOn`,
//! `existing` for what is already there). Deployed at the registry's resource group.

use crate::arm::api_version;
use crate::role_assignment::KeyVaultRole;

use super::choices::{Choices, IdentityChoice, KeyChoice, Refused, Rotation, VaultChoice};
use super::plan::{CreationPlan, StepKind};
use super::template::check_expressible;

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The Bicep file for `plan` (made from `c`), or why it has none (as for the ARM template).
pub fn bicep(c: &Choices, plan: &CreationPlan) -> Result<String, Refused> {
    check_expressible(c, plan)?;
    let mut s = String::new();
    let mut line = |t: &str| {
        s.push_str(t);
        s.push('\n');
    };
    line(&format!("// A Premium registry '{}' encrypted with a customer-managed key, as the ACR CMK console planned it.", c.registry_name));
    line(&format!("// az deployment group create --resource-group {} --template-file main.bicep", c.group.name()));
    line("");
    line("@minLength(5)");
    line("@maxLength(50)");
    line(&format!("param registryName string = {}", quoted(&c.registry_name)));
    line(&format!("param location string = {}", quoted(&c.location)));
    line(&format!("param vaultName string = {}", quoted(&plan.vault.name)));
    line(&format!("param keyName string = {}", quoted(c.key.name())));
    match &c.identity {
        IdentityChoice::New { name } => line(&format!("param identityName string = {}", quoted(name))),
        IdentityChoice::Existing(i) => line(&format!("param identityResourceId string = {}", quoted(&i.id))),
    }
    if let KeyChoice::New { size, .. } = &c.key {
        line("@allowed([2048, 3072, 4096])");
        line(&format!("param keySize int = {size}"));
    }
    let rbac = plan.vault.properties.rbac();
    let grant = plan.step(StepKind::Access).is_some();
    if grant && rbac {
        line(&format!("param roleAssignmentName string = {}", quoted(&c.assignment_name)));
    }
    line("");

    // The identity: the registry names its client id, the vault grant its principal id.
    match &c.identity {
        IdentityChoice::New { .. } => {
            line(&format!("resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@{}' = {{", api_version::MANAGED_IDENTITY));
            line("  name: identityName");
            line("  location: location");
            line("}");
        }
        IdentityChoice::Existing(_) => {
            line(&format!(
                "resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@{}' existing = {{",
                api_version::MANAGED_IDENTITY
            ));
            line("  name: last(split(identityResourceId, '/'))");
            line("  scope: resourceGroup(split(identityResourceId, '/')[4])");
            line("}");
        }
    }
    line("");
    match &c.vault {
        VaultChoice::New { rbac, .. } => {
            line("// Soft delete and purge protection: a deleted key stays recoverable (purge protection cannot be turned off).");
            line(&format!("resource vault 'Microsoft.KeyVault/vaults@{}' = {{", api_version::KEY_VAULT));
            line("  name: vaultName");
            line("  location: location");
            line("  properties: {");
            line("    tenantId: subscription().tenantId");
            line("    sku: {");
            line("      family: 'A'");
            line("      name: 'standard'");
            line("    }");
            line("    enableSoftDelete: true");
            line("    softDeleteRetentionInDays: 90");
            line("    enablePurgeProtection: true");
            line(&format!("    enableRbacAuthorization: {rbac}"));
            line("    accessPolicies: []");
            line("  }");
            line("}");
        }
        VaultChoice::Existing { .. } => {
            line(&format!("resource vault 'Microsoft.KeyVault/vaults@{}' existing = {{", api_version::KEY_VAULT));
            line("  name: vaultName");
            line("}");
        }
    }
    line("");
    let grant_symbol = if !grant {
        for why in &plan.skipped {
            line(&format!("// {why} Nothing to grant."));
        }
        None
    } else if rbac {
        let role = KeyVaultRole::CryptoServiceEncryptionUser;
        line(&format!("// {}: get, wrapKey and unwrapKey on the vault's keys.", role.name()));
        line(&format!("resource grant 'Microsoft.Authorization/roleAssignments@{}' = {{", api_version::AUTHORIZATION));
        line("  name: roleAssignmentName");
        line("  scope: vault");
        line("  properties: {");
        line(&format!("    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{}')", role.guid()));
        line("    principalId: identity.properties.principalId");
        line("    principalType: 'ServicePrincipal'");
        line("  }");
        line("}");
        Some("grant")
    } else {
        line(&format!("resource grant 'Microsoft.KeyVault/vaults/accessPolicies@{}' = {{", api_version::KEY_VAULT));
        line("  parent: vault");
        line("  name: 'add'");
        line("  properties: {");
        line("    accessPolicies: [");
        line("      {");
        line("        tenantId: subscription().tenantId");
        line("        objectId: identity.properties.principalId");
        line("        permissions: {");
        line("          keys: ['get', 'wrapKey', 'unwrapKey']");
        line("        }");
        line("      }");
        line("    ]");
        line("  }");
        line("}");
        Some("grant")
    };
    line("");
    let key_identifier = match &c.key {
        KeyChoice::New { .. } => {
            line(&format!("resource key 'Microsoft.KeyVault/vaults/keys@{}' = {{", api_version::KEY_VAULT));
            line("  parent: vault");
            line("  name: keyName");
            line("  properties: {");
            line("    kty: 'RSA'");
            line("    keySize: keySize");
            line("  }");
            line("}");
            line("");
            if c.rotation == Rotation::Versionless {
                "key.properties.keyUri".to_string()
            } else {
                "key.properties.keyUriWithVersion".to_string()
            }
        }
        KeyChoice::Existing { .. } => quoted(&plan.key_identifier),
    };
    if c.rotation == Rotation::Versionless {
        line("// Versionless key id: the registry picks up new key versions by itself (automatic rotation).");
    } else {
        line("// Pinned key version: rotate by hand (az acr encryption rotate-key).");
    }
    line(&format!("resource registry 'Microsoft.ContainerRegistry/registries@{}' = {{", api_version::CONTAINER_REGISTRY));
    line("  name: registryName");
    line("  location: location");
    line("  sku: {");
    line("    name: 'Premium'");
    line("  }");
    line("  identity: {");
    line("    type: 'UserAssigned'");
    line("    userAssignedIdentities: {");
    line("      '${identity.id}': {}");
    line("    }");
    line("  }");
    line("  properties: {");
    line("    encryption: {");
    line("      status: 'enabled'");
    line("      keyVaultProperties: {");
    line("        identity: identity.properties.clientId");
    line(&format!("        keyIdentifier: {key_identifier}"));
    line("      }");
    line("    }");
    line("  }");
    if let Some(g) = grant_symbol {
        // The key access check runs at creation: the grant must exist first.
        line(&format!("  dependsOn: [{g}]"));
    }
    line("}");
    line("");
    line("output registryId string = registry.id");
    line("output identityClientId string = identity.properties.clientId");
    Ok(s)
}
