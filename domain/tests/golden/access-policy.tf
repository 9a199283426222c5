# A Premium registry 'contosocmk' encrypted with a customer-managed key, as the ACR CMK console planned it.
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
  subscription_id = "6d6f636b-0000-4000-8000-000000000001"
}

data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "registry" {
  name     = "rg-cmk"
  location = "westeurope"
}

# The registry names the identity's client id; the vault grant names its principal id.
resource "azurerm_user_assigned_identity" "registry" {
  name                = "id-cmk"
  resource_group_name = azurerm_resource_group.registry.name
  location            = "westeurope"
}

# Soft delete and purge protection: a deleted key stays recoverable (purge protection cannot be turned off).
resource "azurerm_key_vault" "registry" {
  name                       = "kv-cmk"
  location                   = "westeurope"
  resource_group_name        = azurerm_resource_group.registry.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  soft_delete_retention_days = 90
  purge_protection_enabled   = true
  enable_rbac_authorization  = false
}

resource "azurerm_key_vault_access_policy" "registry_key" {
  key_vault_id    = azurerm_key_vault.registry.id
  tenant_id       = data.azurerm_client_config.current.tenant_id
  object_id       = azurerm_user_assigned_identity.registry.principal_id
  key_permissions = ["Get", "WrapKey", "UnwrapKey"]
}

# Creating the key is a data-plane call: the one running terraform needs key permissions on the new vault.
resource "azurerm_key_vault_access_policy" "deployer" {
  key_vault_id    = azurerm_key_vault.registry.id
  tenant_id       = data.azurerm_client_config.current.tenant_id
  object_id       = data.azurerm_client_config.current.object_id
  key_permissions = ["Get", "Create", "Delete", "Purge", "Recover", "GetRotationPolicy"]
}

resource "azurerm_key_vault_key" "registry" {
  name         = "key-cmk"
  key_vault_id = azurerm_key_vault.registry.id
  key_type     = "RSA"
  key_size     = 3072
  key_opts     = ["wrapKey", "unwrapKey"]
  depends_on   = [azurerm_key_vault_access_policy.deployer]
}

# Versionless key id: the registry picks up new key versions by itself (automatic rotation).
resource "azurerm_container_registry" "registry" {
  name                = "contosocmk"
  resource_group_name = azurerm_resource_group.registry.name
  location            = "westeurope"
  sku                 = "Premium"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.registry.id]
  }

  encryption {
    key_vault_key_id   = azurerm_key_vault_key.registry.versionless_id
    identity_client_id = azurerm_user_assigned_identity.registry.client_id
  }

  # The key access check runs at creation: the grant must exist first.
  depends_on = [azurerm_key_vault_access_policy.registry_key]
}
