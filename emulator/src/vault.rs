//! `Microsoft.KeyVault/vaults` (placeholder).
use acr_cmk_domain::vault::{Vault, VaultProperties, VaultSku};
use crate::routes::Route;
pub fn routes() -> Vec<Route> { Vec::new() }

pub fn vault_id(sub: &str, rg: &str, name: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}")
}

pub fn new_vault(sub: &str, rg: &str, name: &str, location: &str, tenant: &str) -> Vault {
    Vault {
        id: vault_id(sub, rg, name),
        name: name.to_string(),
        resource_type: "Microsoft.KeyVault/vaults".into(),
        location: location.to_string(),
        tags: Default::default(),
        properties: VaultProperties {
            tenant_id: tenant.to_string(),
            sku: VaultSku::default(),
            access_policies: Vec::new(),
            vault_uri: Some(format!("https://{}.vault.azure.net/", name.to_ascii_lowercase())),
            enabled_for_deployment: Some(false),
            enabled_for_disk_encryption: Some(false),
            enabled_for_template_deployment: Some(false),
            enable_soft_delete: Some(true),
            soft_delete_retention_in_days: Some(90),
            enable_rbac_authorization: Some(false),
            enable_purge_protection: None,
            network_acls: None,
            provisioning_state: Some("Succeeded".into()),
            public_network_access: Some("Enabled".into()),
            other: Default::default(),
        },
    }
}
