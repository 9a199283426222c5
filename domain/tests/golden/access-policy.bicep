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
    enableRbacAuthorization: false
    accessPolicies: []
  }
}

resource grant 'Microsoft.KeyVault/vaults/accessPolicies@2025-05-01' = {
  parent: vault
  name: 'add'
  properties: {
    accessPolicies: [
      {
        tenantId: subscription().tenantId
        objectId: identity.properties.principalId
        permissions: {
          keys: ['get', 'wrapKey', 'unwrapKey']
        }
      }
    ]
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
