// A Premium registry 'contosocmk' encrypted with a customer-managed key, as the ACR CMK console planned it.
// az deployment group create --resource-group rg-cmk --template-file main.bicep

@minLength(5)
@maxLength(50)
param registryName string = 'contosocmk'
param location string = 'westeurope'
param vaultName string = 'kv-cmk'
param keyName string = 'key-cmk'
param identityName string = 'id-cmk'
@allowed([2048, 3072, 4096])
param keySize int = 3072
param roleAssignmentName string = '6d6f636b-0000-4000-8000-00000000f0f0'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: identityName
  location: location
}

// Soft delete and purge protection: a deleted key stays recoverable (purge protection cannot be turned off).
resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    enableRbacAuthorization: true
    accessPolicies: []
  }
}

// Key Vault Crypto Service Encryption User: get, wrapKey and unwrapKey on the vault's keys.
resource grant 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: roleAssignmentName
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'e147488a-f6f5-4113-8e2d-b22465e65bf6')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource key 'Microsoft.KeyVault/vaults/keys@2025-05-01' = {
  parent: vault
  name: keyName
  properties: {
    kty: 'RSA'
    keySize: keySize
  }
}

// Versionless key id: the registry picks up new key versions by itself (automatic rotation).
resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: registryName
  location: location
  sku: {
    name: 'Premium'
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    encryption: {
      status: 'enabled'
      keyVaultProperties: {
        identity: identity.properties.clientId
        keyIdentifier: key.properties.keyUri
      }
    }
  }
  dependsOn: [grant]
}

output registryId string = registry.id
output identityClientId string = identity.properties.clientId
