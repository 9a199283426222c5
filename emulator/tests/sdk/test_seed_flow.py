"""The seed article's CLI flow, run through the official Azure SDK for Python
against the emulator over HTTPS: the wire-compatibility check of issue 3.

Each `az` step of "Encrypt registry using a customer-managed key" maps to the
SDK call the CLI makes (`az acr encryption rotate-key --identity [system]`
sends the reserved identity `system`, as azure-cli does).
"""

from __future__ import annotations

import base64
import json
import ssl
import time
import urllib.request
from dataclasses import dataclass

import pytest
import requests
from azure.core.exceptions import HttpResponseError, ServiceRequestError
from azure.mgmt.containerregistry import models as acr
from azure.mgmt.keyvault import models as kv
from azure.mgmt.msi import models as msi

from conftest import LOCATION, RESOURCE_GROUP, Clients, unique

KEY_PERMISSIONS = ["get", "unwrapKey", "wrapKey"]


def token_claims(clients: Clients, scope: str) -> dict:
    token = clients.credential.get_token(scope).token
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def policy(tenant: str, object_id: str, keys: list[str]) -> kv.AccessPolicyEntry:
    return kv.AccessPolicyEntry(tenant_id=tenant, object_id=object_id, permissions=kv.Permissions(keys_property=keys))


def set_policy(clients: Clients, vault: str, kind: str, entry: kv.AccessPolicyEntry):
    """`az keyvault set-policy` (add) / `az keyvault delete-policy` (remove)."""
    return clients.keyvault.vaults.update_access_policy(
        RESOURCE_GROUP,
        vault,
        kind,
        kv.VaultAccessPolicyParameters(properties=kv.VaultAccessPolicyProperties(access_policies=[entry])),
    )


def probe(clients: Clients, registry: str) -> requests.Response:
    """The registry's data plane (`GET https://{loginServer}/v2/`), emulated."""
    return requests.get(
        f"{clients.emulator.url}/_emulator/registries/{registry}/v2/",
        headers={"x-emulator-admin": clients.emulator.admin_secret},
        verify=clients.emulator.ca,
        timeout=20,
    )


@dataclass
class Vault:
    name: str
    key_name: str
    key_id: str  # versioned kid of the first version


@dataclass
class Identity:
    id: str
    principal_id: str
    client_id: str


def create_identity(clients: Clients) -> Identity:
    """`az identity create`."""
    made = clients.msi.user_assigned_identities.create_or_update(
        RESOURCE_GROUP, unique("id-acr-"), msi.Identity(location=LOCATION)
    )
    return Identity(made.id, made.principal_id, made.client_id)


def create_vault(clients: Clients, identity: Identity) -> Vault:
    """`az keyvault create --enable-purge-protection`, `az keyvault set-policy`,
    `az keyvault key create`, `az keyvault key show --query key.kid`."""
    name = unique("kv-sdk-")
    tenant = clients.emulator.tenant
    me = token_claims(clients, "https://management.azure.com/.default")["oid"]
    vault = clients.keyvault.vaults.begin_create_or_update(
        RESOURCE_GROUP,
        name,
        kv.VaultCreateOrUpdateParameters(
            location=LOCATION,
            properties=kv.VaultProperties(
                tenant_id=tenant,
                sku=kv.Sku(family="A", name="standard"),
                access_policies=[policy(tenant, me, ["get", "list", "create", "update", "delete", "recover"])],
                enable_soft_delete=True,
                enable_purge_protection=True,
            ),
        ),
    ).result()
    assert vault.properties.enable_purge_protection is True
    assert vault.properties.enable_soft_delete is True
    set_policy(clients, name, "add", policy(tenant, identity.principal_id, KEY_PERMISSIONS))
    key = clients.keys(name).create_rsa_key("acr-cmk", size=2048)
    assert key.key_type == "RSA"
    assert key.id.startswith(f"https://{name}.vault.azure.net/keys/acr-cmk/")
    return Vault(name, "acr-cmk", key.id)


def create_cmk_registry(clients: Clients, identity: Identity, key_id: str) -> acr.Registry:
    """`az acr create --sku Premium --identity $identityID --key-encryption-key $keyID`."""
    name = unique("acrsdk")
    poller = clients.registry.registries.begin_create(
        RESOURCE_GROUP,
        name,
        acr.Registry(
            location=LOCATION,
            sku=acr.Sku(name="Premium"),
            identity=acr.IdentityProperties(
                type="UserAssigned", user_assigned_identities={identity.id: acr.UserIdentityProperties()}
            ),
            properties=acr.RegistryProperties(
                encryption=acr.EncryptionProperty(
                    status="enabled",
                    key_vault_properties=acr.KeyVaultProperties(key_identifier=key_id, identity=identity.client_id),
                )
            ),
        ),
    )
    registry = poller.result()
    assert poller.status() == "Succeeded"
    return registry


def rotate(clients: Clients, registry: str, key_id: str, identity: str) -> acr.Registry:
    """`az acr encryption rotate-key --key-encryption-key … --identity …` (a PATCH of encryption)."""
    return clients.registry.registries.begin_update(
        RESOURCE_GROUP,
        registry,
        acr.RegistryUpdateParameters(
            properties=acr.RegistryPropertiesUpdateParameters(
                encryption=acr.EncryptionProperty(
                    status="enabled", key_vault_properties=acr.KeyVaultProperties(key_identifier=key_id, identity=identity)
                )
            )
        ),
    ).result()


def show(clients: Clients, registry: str) -> acr.Registry:
    return clients.registry.registries.get(RESOURCE_GROUP, registry)


@pytest.fixture(scope="module")
def identity(clients: Clients) -> Identity:
    return create_identity(clients)


@pytest.fixture(scope="module")
def vault(clients: Clients, identity: Identity) -> Vault:
    return create_vault(clients, identity)


# ---------------------------------------------------------------------------


def test_certificate_checks_are_on(clients: Clients):
    """The suite trusts the emulator only through its CA file: without it, TLS fails."""
    ctx = ssl.create_default_context()  # the system roots only
    with pytest.raises(Exception) as err:
        urllib.request.urlopen(f"{clients.emulator.url}/subscriptions?api-version=2022-12-01", context=ctx, timeout=10)
    assert "CERTIFICATE_VERIFY_FAILED" in str(err.value) or isinstance(err.value, ssl.SSLError), err.value
    # The SDK with the public CA bundle instead of the emulator's CA.
    import certifi
    from azure.mgmt.resource.subscriptions import SubscriptionClient

    untrusting = SubscriptionClient(
        clients.credential,
        base_url=clients.emulator.url,
        credential_scopes=["https://management.azure.com/.default"],
        connection_verify=certifi.where(),
    )
    with pytest.raises(ServiceRequestError) as err:
        list(untrusting.subscriptions.list())
    assert "CERTIFICATE_VERIFY_FAILED" in str(err.value), err.value


def test_tokens_come_from_the_emulator_with_the_requested_audience(clients: Clients):
    arm = token_claims(clients, "https://management.azure.com/.default")
    vault = token_claims(clients, "https://vault.azure.net/.default")
    assert arm["aud"].rstrip("/") == "https://management.azure.com"
    assert vault["aud"].rstrip("/") == "https://vault.azure.net"
    assert arm["tid"] == clients.emulator.tenant
    assert arm["exp"] > time.time()


def test_create_premium_cmk_registry_and_show_encryption(clients: Clients, identity: Identity, vault: Vault):
    created = create_cmk_registry(clients, identity, vault.key_id)
    got = show(clients, created.name)  # `az acr encryption show`
    enc = got.properties.encryption
    assert enc.status == "enabled"
    assert enc.key_vault_properties.key_identifier == vault.key_id
    assert enc.key_vault_properties.versioned_key_identifier == vault.key_id
    assert enc.key_vault_properties.identity == identity.client_id
    assert enc.key_vault_properties.key_rotation_enabled is False
    assert got.sku.name == "Premium"
    # The service's casing for identity types.
    assert got.identity.type == "userAssigned"
    assert got.identity.user_assigned_identities[identity.id].client_id == identity.client_id
    assert got.properties.provisioning_state == "Succeeded"
    assert probe(clients, created.name).status_code == 200


def test_cmk_needs_premium(clients: Clients, identity: Identity, vault: Vault):
    with pytest.raises(HttpResponseError) as err:
        clients.registry.registries.begin_create(
            RESOURCE_GROUP,
            unique("acrstd"),
            acr.Registry(
                location=LOCATION,
                sku=acr.Sku(name="Standard"),
                identity=acr.IdentityProperties(type="UserAssigned", user_assigned_identities={identity.id: acr.UserIdentityProperties()}),
                properties=acr.RegistryProperties(
                    encryption=acr.EncryptionProperty(
                        status="enabled", key_vault_properties=acr.KeyVaultProperties(key_identifier=vault.key_id, identity=identity.client_id)
                    )
                ),
            ),
        ).result()
    assert err.value.status_code == 400
    assert err.value.error.code == "CmkRequiresPremiumSku"


def test_new_key_version_and_rotate(clients: Clients, identity: Identity, vault: Vault):
    registry = create_cmk_registry(clients, identity, vault.key_id).name
    keys = clients.keys(vault.name)
    newer = keys.create_rsa_key(vault.key_name, size=2048)  # `az keyvault key create` again: a new version
    assert newer.id != vault.key_id
    versions = [p.version for p in keys.list_properties_of_key_versions(vault.key_name)]
    assert newer.properties.version in versions and len(versions) >= 2
    rotated = rotate(clients, registry, newer.id, identity.client_id)
    assert rotated.properties.encryption.key_vault_properties.versioned_key_identifier == newer.id
    assert rotated.properties.encryption.key_vault_properties.last_key_rotation_timestamp is not None


def test_versionless_key_rotates_automatically(clients: Clients, identity: Identity, vault: Vault):
    registry = create_cmk_registry(clients, identity, vault.key_id).name
    versionless = vault.key_id.rsplit("/", 1)[0]
    got = rotate(clients, registry, versionless, identity.client_id)
    kvp = got.properties.encryption.key_vault_properties
    assert kvp.key_rotation_enabled is True
    assert kvp.key_identifier == versionless
    newest = clients.keys(vault.name).create_rsa_key(vault.key_name, size=2048)
    # The emulator was started with --rotation-interval-secs 2 (Azure: within an hour).
    deadline = time.time() + 20
    while time.time() < deadline:
        kvp = show(clients, registry).properties.encryption.key_vault_properties
        if kvp.versioned_key_identifier == newest.id:
            break
        time.sleep(0.5)
    assert kvp.versioned_key_identifier == newest.id
    assert kvp.key_identifier == versionless


def test_system_identity_on(clients: Clients, identity: Identity, vault: Vault):
    registry = create_cmk_registry(clients, identity, vault.key_id)
    got = clients.registry.registries.begin_update(
        RESOURCE_GROUP,
        registry.name,
        acr.RegistryUpdateParameters(
            identity=acr.IdentityProperties(
                type="SystemAssigned, UserAssigned", user_assigned_identities={identity.id: acr.UserIdentityProperties()}
            )
        ),
    ).result()
    assert got.identity.type == "systemAssigned, userAssigned"
    assert got.identity.principal_id and got.identity.tenant_id == clients.emulator.tenant
    # The only place ARM shows the system identity's client id.
    system = clients.msi.system_assigned_identities.get_by_scope(registry.id)
    assert system.principal_id == got.identity.principal_id
    assert system.client_id and system.client_id != identity.client_id


def test_revoke_and_restore(clients: Clients, identity: Identity, vault: Vault):
    registry = create_cmk_registry(clients, identity, vault.key_id).name
    entry = policy(clients.emulator.tenant, identity.principal_id, KEY_PERMISSIONS)
    set_policy(clients, vault.name, "remove", entry)  # `az keyvault delete-policy`
    try:
        status = show(clients, registry).properties.status
        assert status is not None and status.display_status == "KeyVaultAccessFailed"
        assert "Failed to access KeyId" in status.message
        denied = probe(clients, registry)
        assert denied.status_code == 403
        assert denied.json()["errors"][0]["code"] == "DENIED"
        # Rotating while access is revoked fails with the service's message.
        with pytest.raises(HttpResponseError) as err:
            rotate(clients, registry, vault.key_id, identity.client_id)
        assert err.value.status_code == 400
        assert "Verify that identity" in err.value.message
    finally:
        set_policy(clients, vault.name, "add", entry)
    assert show(clients, registry).properties.status is None
    assert probe(clients, registry).status_code == 200


def test_firewall_with_trusted_services_bypass(clients: Clients):
    """The seed's advanced scenario: a vault behind its firewall is reachable only
    through the trusted-services bypass with the registry's system identity."""
    user = create_identity(clients)
    fw = create_vault(clients, user)
    registry = create_cmk_registry(clients, user, fw.key_id)
    clients.keyvault.vaults.update(
        RESOURCE_GROUP,
        fw.name,
        kv.VaultPatchParameters(
            properties=kv.VaultPatchProperties(network_acls=kv.NetworkRuleSet(default_action="Deny", bypass="AzureServices"))
        ),
    )
    # Closed to the user-assigned identity, even with the bypass.
    assert show(clients, registry.name).properties.status is not None
    assert probe(clients, registry.name).status_code == 403
    # 1. the registry's system identity, 2. its access to the key, 3. rotate to it with identity "system".
    on = clients.registry.registries.begin_update(
        RESOURCE_GROUP,
        registry.name,
        acr.RegistryUpdateParameters(
            identity=acr.IdentityProperties(type="SystemAssigned, UserAssigned", user_assigned_identities={user.id: acr.UserIdentityProperties()})
        ),
    ).result()
    set_policy(clients, fw.name, "add", policy(clients.emulator.tenant, on.identity.principal_id, KEY_PERMISSIONS))
    got = rotate(clients, registry.name, fw.key_id, "system")
    assert got.properties.encryption.key_vault_properties.identity == "system"
    assert show(clients, registry.name).properties.status is None
    assert probe(clients, registry.name).status_code == 200
    # Without the bypass even the system identity is shut out.
    clients.keyvault.vaults.update(
        RESOURCE_GROUP,
        fw.name,
        kv.VaultPatchParameters(properties=kv.VaultPatchProperties(network_acls=kv.NetworkRuleSet(default_action="Deny", bypass="None"))),
    )
    assert probe(clients, registry.name).status_code == 403


def test_rbac_vault_role_assignment(clients: Clients):
    """The seed's alternative to access policies: `az role assignment create --role
    "Key Vault Crypto Service Encryption User" --scope $keyvaultID`."""
    from azure.mgmt.authorization.models import RoleAssignmentCreateParameters

    user = create_identity(clients)
    name = unique("kv-rbac-")
    vault = clients.keyvault.vaults.begin_create_or_update(
        RESOURCE_GROUP,
        name,
        kv.VaultCreateOrUpdateParameters(
            location=LOCATION,
            properties=kv.VaultProperties(
                tenant_id=clients.emulator.tenant,
                sku=kv.Sku(family="A", name="standard"),
                enable_rbac_authorization=True,
                enable_purge_protection=True,
            ),
        ),
    ).result()
    # An RBAC vault's keys take a data role: Owner of the subscription is none. The caller takes
    # Key Vault Crypto Officer first, as in Azure.
    me = token_claims(clients, "https://management.azure.com/.default")["oid"]
    officer = f"/subscriptions/{clients.subscription}/providers/Microsoft.Authorization/roleDefinitions/14b46e9e-c2b7-41b4-b07b-48a6ebf60603"
    clients.authorization.role_assignments.create(
        vault.id,
        "0b7f2d57-8a4b-4c61-9f0e-1d2c3b4a5f61",
        RoleAssignmentCreateParameters(role_definition_id=officer, principal_id=me, principal_type="ServicePrincipal"),
    )
    key = clients.keys(name).create_rsa_key("acr-cmk", size=2048)
    role = f"/subscriptions/{clients.subscription}/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6"
    assignment = clients.authorization.role_assignments.create(
        vault.id,
        "0b7f2d57-8a4b-4c61-9f0e-1d2c3b4a5f60",
        RoleAssignmentCreateParameters(role_definition_id=role, principal_id=user.principal_id, principal_type="ServicePrincipal"),
    )
    listed = list(clients.authorization.role_assignments.list_for_scope(vault.id, filter=f"principalId eq '{user.principal_id}'"))
    assert [a.id for a in listed] == [assignment.id]
    registry = create_cmk_registry(clients, user, key.id).name
    assert probe(clients, registry).status_code == 200
    clients.authorization.role_assignments.delete(vault.id, "0b7f2d57-8a4b-4c61-9f0e-1d2c3b4a5f60")
    assert probe(clients, registry).status_code == 403


def test_resource_group_delete_takes_its_resources(clients: Clients):
    """`az group delete`: a long-running DELETE whose Location the SDK polls."""
    from azure.core.exceptions import ResourceNotFoundError

    group = unique("rg-del-")
    clients.resources.resource_groups.create_or_update(group, {"location": LOCATION})
    assert clients.resources.resource_groups.check_existence(group) is True
    made = clients.msi.user_assigned_identities.create_or_update(group, "id-gone", msi.Identity(location=LOCATION))
    assert made.client_id
    clients.resources.resource_groups.begin_delete(group).result()
    assert clients.resources.resource_groups.check_existence(group) is False  # `az group exists`
    with pytest.raises(ResourceNotFoundError):
        clients.resources.resource_groups.get(group)
    with pytest.raises(ResourceNotFoundError):
        clients.msi.user_assigned_identities.get(group, "id-gone")
