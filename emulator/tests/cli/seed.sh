#!/usr/bin/env bash
# The seed article's az sessions ("Encrypt registry using a customer-managed
# key", both revisions in shared/seeds/), run with the real Azure CLI against
# the emulator. Commands are as the article writes them; only the <placeholders>
# are filled in (names and ids). Each command's outcome is asserted: what
# succeeds, and what the current CLI or the service refuses and in which words.
# Where the article's command cannot run with today's CLI, that refusal is
# asserted and the note says what the next command changes.
#
# Run by run.sh, which starts the emulator, signs the CLI in and exports AZ
# (the az executable) and the environment (AZURE_CONFIG_DIR, REQUESTS_CA_BUNDLE,
# HTTPS_PROXY, NO_PROXY).
set -uo pipefail
AZ="${AZ:-az}"
az() { "$AZ" "$@"; }

passed=0
failed=0
say() { echo "seed: $*" >&2; }
pass() { passed=$((passed + 1)); say "ok   $1"; }
fail() { failed=$((failed + 1)); say "FAIL $1"; shift; for l in "$@"; do printf '       %s\n' "$l" >&2; done; }

# ok DESC CMD...: the command succeeds; its stdout is kept in $out.
ok() {
  local desc="$1"; shift
  if out="$("$@" 2>/tmp/seed-stderr.$$)"; then pass "$desc"; else fail "$desc" "exit $?" "$(tail -5 /tmp/seed-stderr.$$)"; fi
}
# refused DESC TEXT CMD...: the command fails and its error output contains TEXT.
refused() {
  local desc="$1" want="$2"; shift 2
  local err
  if out="$("$@" 2>/tmp/seed-stderr.$$)"; then
    fail "$desc" "succeeded, expected a refusal containing: $want"
  elif err="$(cat /tmp/seed-stderr.$$)"; grep -qF -- "$want" <<<"$err"; then
    pass "$desc"
  else
    fail "$desc" "refused, but without: $want" "$(tail -5 <<<"$err")"
  fi
}
# j PATH: a field of the JSON in $out (`.a.b`; missing or null: empty), read with Python.
j() {
  python3 -c 'import json, sys
v = json.loads(sys.argv[2] or "null")
for k in sys.argv[1].strip(".").split("."):
    v = v.get(k) if isinstance(v, dict) else None
print("" if v is None else json.dumps(v) if isinstance(v, (dict, list)) else str(v).lower() if isinstance(v, bool) else v)' "$1" "$out"
}
# same DESC EXPECTED ACTUAL
same() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected: $2" "actual:   $3"; fi
}

rg=rg-seed
location=westeurope

# ---------------------------------------------------------------- revision 000
say "revision 000 (access policy or Azure RBAC; versioned and versionless key)"

ok "az group create" \
az group create --name $rg --location $location

ok "az identity create" \
az identity create \
  --resource-group $rg \
  --name id-seed
same "identity create answers the identity's id and principalId" "id-seed" "$(j .name)"

identityID=$(az identity show --resource-group $rg --name id-seed --query 'id' --output tsv)
identityPrincipalID=$(az identity show --resource-group $rg --name id-seed --query 'principalId' --output tsv)
identityClientID=$(az identity show --resource-group $rg --name id-seed --query 'clientId' --output tsv)
same "identityID from az identity show" "/subscriptions/$SUBSCRIPTION/resourcegroups/$rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-seed" "$identityID"

ok "az keyvault create --enable-purge-protection" \
az keyvault create --name kvseedrbac \
  --resource-group $rg \
  --enable-purge-protection
same "purge protection is on" "true" "$(j .properties.enablePurgeProtection)"
# azure-cli 2.91 creates RBAC vaults by default (the article predates that).
same "the current CLI made an RBAC vault" "true" "$(j .properties.enableRbacAuthorization)"

keyvaultID=$(az keyvault show --resource-group $rg --name kvseedrbac --query 'id' --output tsv)
same "keyvaultID from az keyvault show" "/subscriptions/$SUBSCRIPTION/resourceGroups/$rg/providers/Microsoft.KeyVault/vaults/kvseedrbac" "$keyvaultID"

refused "az keyvault set-policy on the RBAC vault: the CLI refuses" \
  "Cannot set policies to a vault with '--enable-rbac-authorization' specified" \
az keyvault set-policy \
  --resource-group $rg \
  --name kvseedrbac \
  --object-id $identityPrincipalID \
  --key-permissions get unwrapKey wrapKey

refused "az role assignment create with the article's role name: the role was renamed" \
  "Role 'Key Vault Crypto Service Encryption (preview)' doesn't exist." \
az role assignment create --assignee $identityPrincipalID \
  --role "Key Vault Crypto Service Encryption (preview)" \
  --scope $keyvaultID

# The role's name today; otherwise the article's command.
ok "az role assignment create (Key Vault Crypto Service Encryption User)" \
az role assignment create --assignee $identityPrincipalID \
  --role "Key Vault Crypto Service Encryption User" \
  --scope $keyvaultID
same "the assignment names the identity's principal" "$identityPrincipalID" "$(j .principalId)"
same "the assignment is for a service principal (from Graph)" "ServicePrincipal" "$(j .principalType)"

# Creating keys in an RBAC vault takes a data role: Owner of the subscription is none (Azure refuses
# with ForbiddenByRbac). The signed-in principal takes Key Vault Crypto Officer, as one must in Azure.
refused "az keyvault key create before the signed-in principal holds a data role" \
  "Caller is not authorized to perform action on resource" \
az keyvault key create \
  --name key-seed \
  --vault-name kvseedrbac
me=$(az account show --query user.name --output tsv)
ok "az role assignment create (Key Vault Crypto Officer for the signed-in principal)" \
az role assignment create --assignee $me \
  --role "Key Vault Crypto Officer" \
  --scope $keyvaultID

ok "az keyvault key create" \
az keyvault key create \
  --name key-seed \
  --vault-name kvseedrbac
same "the key is RSA" "RSA" "$(j .key.kty)"

keyID=$(az keyvault key show \
  --name key-seed \
  --vault-name kvseedrbac \
  --query 'key.kid' --output tsv)
case "$keyID" in https://kvseedrbac.vault.azure.net/keys/key-seed/?*) pass "keyID is a versioned kid";; *) fail "keyID is a versioned kid" "$keyID";; esac
firstKeyID=$keyID

ok "az acr create --identity --key-encryption-key (versioned key)" \
az acr create \
  --resource-group $rg \
  --name seedregistry \
  --identity $identityID \
  --key-encryption-key $keyID \
  --sku Premium
same "the registry is Premium" "Premium" "$(j .sku.name)"

ok "az acr encryption show" \
az acr encryption show --name seedregistry
same "encryption status" "enabled" "$(j .status)"
same "keyIdentifier is the versioned key" "$keyID" "$(j .keyVaultProperties.keyIdentifier)"
same "identity is the user-assigned identity's client id" "$identityClientID" "$(j .keyVaultProperties.identity)"
same "manual rotation (versioned key)" "false" "$(j .keyVaultProperties.keyRotationEnabled)"

# Rotate key: a new version of the existing key. The article types an en dash in
# `–-name`, which the CLI does not read as an option.
refused "az keyvault key create –-name (the article's en dash)" \
  "unrecognized arguments: –-name key-seed" \
az keyvault key create \
  –-name key-seed \
  --vault-name kvseedrbac
ok "az keyvault key create (new version of the existing key)" \
az keyvault key create \
  --name key-seed \
  --vault-name kvseedrbac
newKeyID=$(j .key.kid)
[ "$newKeyID" != "$firstKeyID" ] && pass "a new key version" || fail "a new key version" "$newKeyID"

# The article's placeholder says <principal-id-user-assigned-identity>; the registry
# knows its identities by client id, so a principal id is not one of them.
refused "az acr encryption rotate-key --identity <principal id>: not the registry's identity" \
  "does not have access to identity '$identityPrincipalID'" \
az acr encryption rotate-key \
  --name seedregistry \
  --key-encryption-key $newKeyID \
  --identity $identityPrincipalID

ok "az acr encryption rotate-key to the new version (--identity <client id>)" \
az acr encryption rotate-key \
  --name seedregistry \
  --key-encryption-key $newKeyID \
  --identity $identityClientID
same "encryption show: keyIdentifier is the new version" "$newKeyID" \
  "$(az acr encryption show --name seedregistry --query keyVaultProperties.keyIdentifier --output tsv)"

# Automatic key rotation: the key id without its version.
keyID=$(az keyvault key show \
  --name key-seed \
  --vault-name kvseedrbac \
  --query 'key.kid' --output tsv)

keyID=$(echo $keyID | sed -e "s/\/[^/]*$//")
same "the versionless key id" "https://kvseedrbac.vault.azure.net/keys/key-seed" "$keyID"

ok "az acr encryption rotate-key to the versionless key id" \
az acr encryption rotate-key \
  --name seedregistry \
  --key-encryption-key $keyID \
  --identity $identityClientID
ok "az acr encryption show" az acr encryption show --name seedregistry
same "keyRotationEnabled with a versionless key" "true" "$(j .keyVaultProperties.keyRotationEnabled)"
same "versionedKeyIdentifier is the newest version" "$newKeyID" "$(j .keyVaultProperties.versionedKeyIdentifier)"

# Key Vault firewall: the registry's system identity, then the trusted-services bypass.
ok "az acr identity assign --identities [system]" \
az acr identity assign -n seedregistry --identities [system]
systemPrincipalID=$(az acr identity show -n seedregistry --query principalId --output tsv)
[ -n "$systemPrincipalID" ] && pass "the system identity has a principal" || fail "the system identity has a principal" "empty"
ok "az role assignment create for the system identity" \
az role assignment create --assignee $systemPrincipalID \
  --role "Key Vault Crypto Service Encryption User" \
  --scope $keyvaultID
ok "az acr encryption rotate-key --identity [system]" \
az acr encryption rotate-key \
  --name seedregistry \
  --key-encryption-key $keyID \
  --identity [system]
same "encryption identity is the system identity" "system" \
  "$(az acr encryption show --name seedregistry --query keyVaultProperties.identity --output tsv)"
ok "az keyvault update --bypass AzureServices --default-action Deny" \
az keyvault update --name kvseedrbac --resource-group $rg --bypass AzureServices --default-action Deny
same "the vault's firewall is closed" "Deny" "$(j .properties.networkAcls.defaultAction)"
same "trusted services bypass it" "AzureServices" "$(j .properties.networkAcls.bypass)"
ok "az keyvault key create behind the firewall (new version)" \
az keyvault key create --name key-seed --vault-name kvseedrbac
ok "az acr encryption rotate-key behind the firewall" \
az acr encryption rotate-key \
  --name seedregistry \
  --key-encryption-key $keyID \
  --identity [system]
same "the registry still reaches its key (no status)" "" \
  "$(az acr show --name seedregistry --query status.displayStatus --output tsv)"

# ---------------------------------------------------------------- revision 001
say "revision 001 (access policy; revoke; removing the encrypting identity)"

refused "az keyvault create --enable-soft-delete: the current CLI no longer has the argument" \
  "unrecognized arguments: --enable-soft-delete" \
az keyvault create --name kvseedpolicy \
  --resource-group $rg \
  --enable-soft-delete \
  --enable-purge-protection

# Soft delete is always on now; the article's access-policy path needs a vault
# that uses access policies, which the current CLI only makes when asked.
ok "az keyvault create --enable-purge-protection --enable-rbac-authorization false" \
az keyvault create --name kvseedpolicy \
  --resource-group $rg \
  --enable-purge-protection \
  --enable-rbac-authorization false
same "soft delete is on" "true" "$(j .properties.enableSoftDelete)"

ok "az identity create" \
az identity create \
  --resource-group $rg \
  --name id-seed-policy
identityID=$(az identity show --resource-group $rg --name id-seed-policy --query 'id' --output tsv)
identityPrincipalID=$(az identity show --resource-group $rg --name id-seed-policy --query 'principalId' --output tsv)
identityClientID=$(az identity show --resource-group $rg --name id-seed-policy --query 'clientId' --output tsv)

ok "az keyvault set-policy --key-permissions get unwrapKey wrapKey" \
az keyvault set-policy \
  --resource-group $rg \
  --name kvseedpolicy \
  --object-id $identityPrincipalID \
  --key-permissions get unwrapKey wrapKey
same "the policy holds get, unwrapKey, wrapKey" "get unwrapKey wrapKey" \
  "$(az keyvault show --name kvseedpolicy --query "properties.accessPolicies[?objectId=='$identityPrincipalID'].permissions.keys[]" --output tsv | sort | xargs)"

ok "az keyvault key create" \
az keyvault key create \
  --name key-seed-policy \
  --vault-name kvseedpolicy

keyID=$(az keyvault key show \
  --name key-seed-policy \
  --vault-name kvseedpolicy \
  --query 'key.kid' --output tsv)

ok "az acr create --identity --key-encryption-key" \
az acr create \
  --resource-group $rg \
  --name seedregistrypolicy \
  --identity $identityID \
  --key-encryption-key $keyID \
  --sku Premium

ok "az acr encryption show" \
az acr encryption show --name seedregistrypolicy
same "encryption status" "enabled" "$(j .status)"
same "keyIdentifier" "$keyID" "$(j .keyVaultProperties.keyIdentifier)"

refused "az acr identity remove of the encrypting identity: the article's error" \
  "does not have access to identity" \
az acr identity remove -n seedregistrypolicy --identities $identityID
refused "  ... and it names the registry as the article shows" \
  "Try forcibly adding the identity to the registry seedregistrypolicy. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'." \
az acr identity remove -n seedregistrypolicy --identities $identityID

# The article's fix: assign the identity again. With the bare GUID the CLI reads it as an
# identity name in the registry's group, which does not exist; its resource id works.
refused "az acr identity assign --identities <GUID>: the CLI looks it up as a name" \
  "was not found" \
az acr identity assign -n seedregistrypolicy --identities $identityClientID
ok "az acr identity assign --identities <identity resource id>" \
az acr identity assign -n seedregistrypolicy --identities $identityID

ok "az keyvault delete-policy (revoke)" \
az keyvault delete-policy \
  --resource-group $rg \
  --name kvseedpolicy \
  --object-id $identityPrincipalID
same "the registry cannot reach its key" "KeyVaultAccessFailed" \
  "$(az acr show --name seedregistrypolicy --query status.displayStatus --output tsv)"
refused "az acr encryption rotate-key while revoked: the service's words" \
  "Verify that identity '$identityClientID' has 'Get, Wrap Key, Unwrap Key' permission" \
az acr encryption rotate-key \
  --name seedregistrypolicy \
  --key-encryption-key $keyID \
  --identity $identityClientID

ok "az keyvault set-policy (restore)" \
az keyvault set-policy \
  --resource-group $rg \
  --name kvseedpolicy \
  --object-id $identityPrincipalID \
  --key-permissions get unwrapKey wrapKey
same "the registry reaches its key again" "" \
  "$(az acr show --name seedregistrypolicy --query status.displayStatus --output tsv)"

ok "az keyvault key create (new key)" \
az keyvault key create \
  --name key-seed-policy-2 \
  --vault-name kvseedpolicy
newKeyID=$(j .key.kid)
ok "az acr encryption rotate-key to the new key" \
az acr encryption rotate-key \
  --name seedregistrypolicy \
  --key-encryption-key $newKeyID \
  --identity $identityClientID
same "keyIdentifier is the new key" "$newKeyID" \
  "$(az acr encryption show --name seedregistrypolicy --query keyVaultProperties.keyIdentifier --output tsv)"

rm -f /tmp/seed-stderr.$$
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
