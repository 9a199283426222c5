"""The console's exported ARM template deployed by the official Azure SDK for
Python's deployments client (azure-mgmt-resource-deployments), as
`az deployment group create` deploys it: validate, create (a long-running
operation), the per-resource operations, the outputs, and the registry the
deployment made reading its key through the identity's client id.

The template is the export of a fixed plan, domain/tests/golden/access-policy.template.json
(everything new, access policy), deployed with its names overridden.
"""

from __future__ import annotations

import json

import requests
from azure.mgmt.resource.deployments import DeploymentsMgmtClient
from azure.mgmt.resource.deployments import models as dm

from conftest import ARM_SCOPE, RESOURCE_GROUP, ROOT, Clients, unique


def test_the_exported_template_deploys_through_the_sdk(clients: Clients):
    template = json.loads((ROOT / "domain" / "tests" / "golden" / "access-policy.template.json").read_text())
    client = DeploymentsMgmtClient(
        clients.credential,
        clients.subscription,
        base_url=clients.emulator.url,
        credential_scopes=[ARM_SCOPE],
        connection_verify=clients.emulator.ca,
        polling_interval=0.2,
    )
    registry, vault, identity = unique("sdktpl"), unique("kvtpl"), unique("idtpl")
    parameters = {"registryName": {"value": registry}, "vaultName": {"value": vault}, "identityName": {"value": identity}}
    deployment = dm.Deployment(properties=dm.DeploymentProperties(mode="Incremental", template=template, parameters=parameters))

    validated = client.deployments.begin_validate(RESOURCE_GROUP, "sdk-cmk", deployment).result()
    assert validated.properties.provisioning_state == "Succeeded"
    assert len(validated.properties.validated_resources) == 5

    done = client.deployments.begin_create_or_update(RESOURCE_GROUP, "sdk-cmk", deployment).result()
    assert done.properties.provisioning_state == "Succeeded", done.properties.error

    operations = list(client.deployment_operations.list(RESOURCE_GROUP, "sdk-cmk"))
    assert [o.properties.target_resource.resource_type for o in operations] == [
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        "Microsoft.KeyVault/vaults",
        "Microsoft.KeyVault/vaults/accessPolicies",
        "Microsoft.KeyVault/vaults/keys",
        "Microsoft.ContainerRegistry/registries",
    ]
    assert all(o.properties.provisioning_state == "Succeeded" for o in operations)

    made = clients.msi.user_assigned_identities.get(RESOURCE_GROUP, identity)
    assert done.properties.outputs["identityClientId"]["value"] == made.client_id
    encrypted = clients.registry.registries.get(RESOURCE_GROUP, registry)
    assert encrypted.encryption.status == "enabled"
    assert encrypted.encryption.key_vault_properties.identity == made.client_id
    assert encrypted.encryption.key_vault_properties.key_identifier.endswith(f"/keys/key-cmk")
    policies = clients.keyvault.vaults.get(RESOURCE_GROUP, vault).properties.access_policies
    assert [p.object_id for p in policies] == [made.principal_id]
    probe = requests.get(
        f"{clients.emulator.url}/_emulator/registries/{registry}/v2/",
        headers={"x-emulator-admin": clients.emulator.admin_secret},
        verify=clients.emulator.ca,
        timeout=20,
    )
    assert probe.status_code == 200, probe.text
