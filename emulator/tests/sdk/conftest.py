"""Fixtures for the Azure SDK wire-compatibility suite.

The emulator binary runs as a separate process over HTTPS (``--tls``) with the
``empty`` scenario; the SDKs trust the CA it writes (``--ca-out``) through
``REQUESTS_CA_BUNDLE`` and ``connection_verify``. Certificate checks stay on.
Tokens come from the emulator's Entra endpoints through ``ClientSecretCredential``.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from azure.identity import ClientSecretCredential
from azure.keyvault.keys import KeyClient
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.containerregistry import ContainerRegistryManagementClient
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.msi import ManagedServiceIdentityClient
from azure.mgmt.resource.resources import ResourceManagementClient

ROOT = Path(__file__).resolve().parents[3]
ARM_SCOPE = "https://management.azure.com/.default"
LOCATION = "westeurope"
RESOURCE_GROUP = "rg-sdk"


@dataclass
class Emulator:
    url: str
    ca: str
    tenant: str
    client_id: str
    client_secret: str
    subscription: str
    # What the emulator's admin routes (`/_emulator/*` but demo-token) want in `x-emulator-admin`.
    admin_secret: str = ""


def _binary() -> str:
    path = os.environ.get("ACR_CMK_EMULATOR_BIN") or str(ROOT / "target" / "debug" / "acr-cmk-emulator")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"emulator binary not found at {path}; build it (cargo build -p acr-cmk-emulator) or set ACR_CMK_EMULATOR_BIN")
    return path


@pytest.fixture(scope="session")
def emulator(tmp_path_factory) -> Emulator:
    tmp = tmp_path_factory.mktemp("emulator")
    ca = tmp / "ca.pem"
    proc = subprocess.Popen(
        [
            _binary(),
            "--listen", "127.0.0.1:0",
            "--tls", "--ca-out", str(ca),
            "--scenario", "empty",
            "--state", str(tmp / "state.json"),
            # Versionless CMK registries pick up new key versions quickly here (Azure: within an hour).
            "--rotation-interval-secs", "2",
            "--lro-secs", "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()
    seen = []
    try:
        while True:
            line = lines.get(timeout=60).rstrip("\n")
            seen.append(line)
            if line.startswith("listening on "):
                break
    except queue.Empty:
        proc.kill()
        raise RuntimeError(f"the emulator did not report 'listening on' within 60 s; it printed: {seen}")
    sp = next(l for l in seen if l.startswith("service principal: "))
    fields = dict(re.findall(r"(tenant|client-id|client-secret) (\S+)", sp))
    url = seen[-1].removeprefix("listening on ")
    admin_secret = next(l for l in seen if l.startswith("admin secret: ")).removeprefix("admin secret: ")
    assert url.startswith("https://"), url
    # What `requests` (and so azure-core's default transport and MSAL) trusts.
    previous = os.environ.get("REQUESTS_CA_BUNDLE")
    os.environ["REQUESTS_CA_BUNDLE"] = str(ca)
    emu = Emulator(
        url=url,
        ca=str(ca),
        tenant=fields["tenant"],
        client_id=fields["client-id"],
        client_secret=fields["client-secret"],
        subscription="",
        admin_secret=admin_secret,
    )
    try:
        yield emu
    finally:
        if previous is None:
            os.environ.pop("REQUESTS_CA_BUNDLE", None)
        else:
            os.environ["REQUESTS_CA_BUNDLE"] = previous
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def credential(emulator: Emulator) -> ClientSecretCredential:
    return ClientSecretCredential(
        emulator.tenant,
        emulator.client_id,
        emulator.client_secret,
        authority=emulator.url,
        disable_instance_discovery=True,
        connection_verify=emulator.ca,
    )


def _mgmt(cls, emulator: Emulator, credential, subscription: str | None = None, **kwargs):
    return cls(
        credential,
        subscription if subscription is not None else emulator.subscription,
        base_url=emulator.url,
        credential_scopes=[ARM_SCOPE],
        connection_verify=emulator.ca,
        polling_interval=0.2,
        **kwargs,
    )


@dataclass
class Clients:
    emulator: Emulator
    subscription: str
    resources: ResourceManagementClient
    msi: ManagedServiceIdentityClient
    keyvault: KeyVaultManagementClient
    registry: ContainerRegistryManagementClient
    authorization: AuthorizationManagementClient
    credential: ClientSecretCredential

    def keys(self, vault_name: str) -> KeyClient:
        """The data plane of a vault. The emulator serves it under /_vault/{name}
        on its own HTTPS origin, so the SDK's check that the challenge resource
        (vault.azure.net) matches the vault host must be off; TLS checks stay on."""
        return KeyClient(
            vault_url=f"{self.emulator.url}/_vault/{vault_name}",
            credential=self.credential,
            verify_challenge_resource=False,
            connection_verify=self.emulator.ca,
        )


@pytest.fixture(scope="session")
def clients(emulator: Emulator, credential) -> Clients:
    # The empty scenario has one subscription: discover it as a script would.
    from azure.mgmt.resource.subscriptions import SubscriptionClient

    subs = list(
        SubscriptionClient(credential, base_url=emulator.url, credential_scopes=[ARM_SCOPE], connection_verify=emulator.ca).subscriptions.list()
    )
    assert len(subs) == 1, subs
    sub = subs[0].subscription_id
    emulator.subscription = sub
    clients = Clients(
        emulator=emulator,
        subscription=sub,
        resources=_mgmt(ResourceManagementClient, emulator, credential, sub),
        msi=_mgmt(ManagedServiceIdentityClient, emulator, credential, sub),
        keyvault=_mgmt(KeyVaultManagementClient, emulator, credential, sub),
        registry=_mgmt(ContainerRegistryManagementClient, emulator, credential, sub),
        authorization=_mgmt(AuthorizationManagementClient, emulator, credential, sub),
        credential=credential,
    )
    clients.resources.resource_groups.create_or_update(RESOURCE_GROUP, {"location": LOCATION})
    return clients


def unique(prefix: str) -> str:
    """Names ARM accepts for registries (alphanumeric) and vaults (<= 24 chars)."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"
