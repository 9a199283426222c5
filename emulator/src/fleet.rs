//! The `fleet` scenario: a tenant the size of a large enterprise's, for the
//! fleet page (issue 12) and its benchmark. 10,000 registries in 25
//! subscriptions, 300 vaults, 500 user-assigned identities, built by rules
//! from each registry's number, so every run (and every machine) gets the same
//! world, and every posture flag and every key-access verdict has registries
//! that show it:
//!
//! | Registry number `r` (0..400 per subscription) | What it is |
//! | --- | --- |
//! | `r % 20 == 0` / `1` | Standard / Basic, no customer-managed key |
//! | `r % 20 == 2` | Premium without a customer-managed key |
//! | other | CMK in vault `r % 12` with identity `r % 20` (so five identities share a vault: a revoke's blast radius) |
//! | `r % 20 == 19` | identity `id-fleet-NN-19`, never granted: access missing |
//! | `r % 5 >= 3` | pinned to a version (else versionless); `r % 7 == 0` pinned to the 2024 version, not rotated since |
//! | `r % 13 == 0` | the vault is the next subscription's (a key in another subscription) |
//! | `r % 30 == 9` | encrypted by its system-assigned identity (through vault 9's firewall, as trusted service, when `m == 9`) |
//! | `r % 40 == 3` | `keyVaultProperties.identity` names an identity that is not attached |
//! | `r % 50 == 4` | the encrypting identity was deleted (attached, but no longer exists) |
//! | `r % 97 == 6` | the key's vault does not exist |
//!
//! | Vault `m` (0..12 per subscription) | What it is |
//! | --- | --- |
//! | `m % 3 == 2` | RBAC (role assignments), else access policies |
//! | `m == 11` | no purge protection |
//! | `m == 10` | firewall `Deny`, bypass `None` |
//! | `m == 9` | firewall `Deny`, bypass `AzureServices` (only a system identity gets through) |
//! | `m == 8`, subscription `NN % 10 == 0` | soft-deleted |
//! | `m == 7` | the newer key version is disabled |
//! | `m == 6`, subscription `NN % 5 == 0` | the key is soft-deleted |
//!
//! Subscription 01 also holds groups with names a spreadsheet or a page must not
//! run (`-rg-dash(1)`, starting with `-`) or must render (`rg-데모.팀`), and
//! registries tagged with a formula and markup.

use std::collections::{BTreeMap, BTreeSet};

use acr_cmk_domain::identity::{IdentityProperties, UserIdentityProperties};
use acr_cmk_domain::registry::{EncryptionProperty, KeyVaultProperties, Sku};
use acr_cmk_domain::vault::{AccessPolicyEntry, NetworkRuleSet, Permissions};

use crate::world::*;
use crate::{clock, key, registry, vault};

pub const SUBSCRIPTIONS: u32 = 25;
pub const REGISTRIES_PER_SUBSCRIPTION: u32 = 400;
pub const VAULTS_PER_SUBSCRIPTION: u32 = 12;
pub const IDENTITIES_PER_SUBSCRIPTION: u32 = 20;
/// The identity index no vault grants anything.
const UNGRANTED_IDENTITY: u32 = 19;
/// Groups a CSV export must neutralise or a page must render, in subscription 01.
pub const HOSTILE_GROUPS: [&str; 2] = ["-rg-dash(1)", "rg-데모.팀"];

/// 2024-01-15 and 2025-06-01, in seconds: the two versions of every key.
const OLD_VERSION_CREATED: i64 = 1_705_312_800;
const NEW_VERSION_CREATED: i64 = 1_748_736_000;

pub fn subscription_id(nn: u32) -> String {
    format!("6d6f636b-0000-4000-8001-{nn:012}")
}

pub fn registry_name(nn: u32, r: u32) -> String {
    format!("fleet{nn:02}r{r:04}")
}

fn identity_name(nn: u32, i: u32) -> String {
    format!("id-fleet-{nn:02}-{i:02}")
}

pub fn vault_name(nn: u32, m: u32) -> String {
    format!("kv-fleet-{nn:02}-{m:02}")
}

fn key_version(nn: u32, m: u32, which: u32) -> String {
    format!("{nn:02}{m:02}{which:028x}")
}

fn location(nn: u32) -> &'static str {
    ["westeurope", "northeurope", "eastus"][(nn % 3) as usize]
}

fn groups(nn: u32) -> Vec<String> {
    let mut g = vec![format!("rg-fleet-{nn:02}-apps"), format!("rg-fleet-{nn:02}-sec")];
    if nn == 1 {
        g.extend(HOSTILE_GROUPS.map(String::from));
    }
    g
}

fn identity_id(nn: u32, group: &str, name: &str) -> String {
    format!(
        "/subscriptions/{}/resourcegroups/{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}",
        subscription_id(nn)
    )
}

/// Adds the fleet to `w`, in its tenant.
pub fn seed(w: &mut World) {
    let tenant = w.tenant_id.clone();
    for nn in 1..=SUBSCRIPTIONS {
        let sub = subscription_id(nn);
        w.subscriptions.push(SubscriptionRec {
            subscription_id: sub.clone(),
            display_name: format!("Fleet {nn:02}"),
            tenant_id: tenant.clone(),
            readers: None,
        });
        for g in groups(nn) {
            w.resource_groups.push(ResourceGroupRec {
                subscription_id: sub.clone(),
                name: g,
                location: location(nn).into(),
                tags: Default::default(),
            });
        }
        let sec = groups(nn)[1].clone();
        for i in 0..IDENTITIES_PER_SUBSCRIPTION {
            w.identities.push(IdentityRec {
                subscription_id: sub.clone(),
                resource_group: sec.clone(),
                name: identity_name(nn, i),
                location: location(nn).into(),
                tags: BTreeMap::new(),
                principal_id: format!("6d6f636b-{nn:04}-4000-8002-{i:012}"),
                client_id: format!("6d6f636b-{nn:04}-4000-8003-{i:012}"),
            });
        }
        for m in 0..VAULTS_PER_SUBSCRIPTION {
            let name = vault_name(nn, m);
            let mut v = vault::new_vault(&sub, &sec, &name, location(nn), &tenant);
            v.properties.enable_soft_delete = Some(true);
            v.properties.soft_delete_retention_in_days = Some(90);
            v.properties.enable_purge_protection = Some(m != 11);
            v.properties.enable_rbac_authorization = Some(m % 3 == 2);
            if m == 9 || m == 10 {
                v.properties.network_acls = Some(NetworkRuleSet {
                    bypass: Some(if m == 9 { "AzureServices" } else { "None" }.into()),
                    default_action: Some("Deny".into()),
                    ..NetworkRuleSet::default()
                });
            }
            let deleted_at = (m == 8 && nn % 10 == 0).then_some(NEW_VERSION_CREATED * 1000);
            w.vaults.push(VaultRec { subscription_id: sub.clone(), resource_group: sec.clone(), vault: v, deleted_at, etag: fresh_etag() });
            let mut newer = key::new_version(&key_version(nn, m, 2), NEW_VERSION_CREATED);
            newer.enabled = m != 7;
            let mut k = key::new_rsa_key(&name, "cmk", vec![key::new_version(&key_version(nn, m, 1), OLD_VERSION_CREATED), newer]);
            if m == 6 && nn % 5 == 0 {
                k.deleted_at = Some(NEW_VERSION_CREATED * 1000);
            }
            w.keys.push(k);
        }
    }
    let mut grants = BTreeSet::new();
    for nn in 1..=SUBSCRIPTIONS {
        for r in 0..REGISTRIES_PER_SUBSCRIPTION {
            let (rec, grant) = registry(nn, r, &tenant);
            if let Some(g) = grant {
                grants.insert(g);
            }
            w.registries.push(rec);
        }
    }
    grant(w, grants, &tenant);
}

/// Who needs which vault: (vault name, principal id).
type Grant = (String, String);

/// Registry `r` of subscription `nn`, and the grant its encrypting identity has (if any).
fn registry(nn: u32, r: u32, tenant: &str) -> (RegistryRec, Option<Grant>) {
    let sub = subscription_id(nn);
    let all = groups(nn);
    let group = if nn == 1 && r % 50 == 7 { all[2 + (r as usize / 50) % 2].clone() } else { all[(r % 2) as usize].clone() };
    let sec = &all[1];
    let created = NEW_VERSION_CREATED * 1000 + i64::from(nn) * 1_000_000 + i64::from(r) * 1000;
    let sku = |name: &str| Sku { name: name.into(), tier: Some(name.into()) };
    let kind = r % 20;
    let mut reg = registry::new_registry(
        &sub,
        &group,
        &registry_name(nn, r),
        location(nn),
        sku(match kind {
            0 => "Standard",
            1 => "Basic",
            _ => "Premium",
        }),
        created,
    );
    if nn == 1 && r % 100 == 9 {
        reg.tags = BTreeMap::from([
            ("owner".to_string(), "=HYPERLINK(\"http://example.invalid\",\"click\")".to_string()),
            ("note".to_string(), "<img src=x onerror=alert(1)>".to_string()),
        ]);
    }
    let mut rec =
        RegistryRec { subscription_id: sub.clone(), resource_group: group, registry: reg, system_client_id: None, pending_state: None };
    if kind <= 2 {
        rec.registry.properties.encryption = Some(EncryptionProperty { status: Some("disabled".into()), key_vault_properties: None });
        return (rec, None);
    }

    let i = r % IDENTITIES_PER_SUBSCRIPTION;
    let vault_sub = if r % 13 == 0 { nn % SUBSCRIPTIONS + 1 } else { nn };
    let vault = if r % 97 == 6 { format!("kv-gone-{nn:02}") } else { vault_name(vault_sub, r % VAULTS_PER_SUBSCRIPTION) };
    let m = r % VAULTS_PER_SUBSCRIPTION;
    let base = format!("https://{vault}.vault.azure.net/keys/cmk");
    let pinned = r % 5 >= 3;
    let old = pinned && r % 7 == 0;
    // A versionless registry already uses the newest enabled version (vault 7's newer one is disabled).
    let version = key_version(vault_sub, m, if old || (!pinned && m == 7) { 1 } else { 2 });
    let rotated = clock::rfc3339_millis(if old { OLD_VERSION_CREATED } else { NEW_VERSION_CREATED } * 1000);

    let system = r % 30 == 9;
    let (identity, encrypting, principal) = if system {
        let principal = format!("6d6f636b-{nn:04}-4000-8004-{r:012}");
        rec.system_client_id = Some(format!("6d6f636b-{nn:04}-4000-8005-{r:012}"));
        let identity = IdentityProperties {
            principal_id: Some(principal.clone()),
            tenant_id: Some(tenant.into()),
            kind: Some("systemAssigned".into()),
            user_assigned_identities: None,
        };
        (identity, "system".to_string(), Some(principal))
    } else {
        // A deleted identity's principal is gone with it: nothing grants it anything.
        let deleted = r % 50 == 4;
        let (attached, principal, client) = if deleted {
            ("id-fleet-deleted".to_string(), format!("6d6f636b-{nn:04}-4000-8007-{r:012}"), format!("6d6f636b-{nn:04}-4000-8008-{r:012}"))
        } else {
            (identity_name(nn, i), format!("6d6f636b-{nn:04}-4000-8002-{i:012}"), format!("6d6f636b-{nn:04}-4000-8003-{i:012}"))
        };
        let identity = IdentityProperties {
            principal_id: None,
            tenant_id: None,
            kind: Some("userAssigned".into()),
            user_assigned_identities: Some(BTreeMap::from([(
                identity_id(nn, sec, &attached),
                UserIdentityProperties { principal_id: Some(principal.clone()), client_id: Some(client.clone()) },
            )])),
        };
        // Names the client id of an identity the registry does not carry.
        let encrypting =
            if r % 40 == 3 { format!("6d6f636b-{nn:04}-4000-8003-{:012}", (i + 1) % IDENTITIES_PER_SUBSCRIPTION) } else { client };
        let granted = i != UNGRANTED_IDENTITY && !deleted;
        (identity, encrypting, granted.then_some(principal))
    };
    rec.registry.identity = Some(identity);
    rec.registry.properties.encryption = Some(EncryptionProperty {
        status: Some("enabled".into()),
        key_vault_properties: Some(KeyVaultProperties {
            key_identifier: Some(if pinned { format!("{base}/{version}") } else { base.clone() }),
            versioned_key_identifier: Some(format!("{base}/{version}")),
            identity: Some(encrypting),
            key_rotation_enabled: Some(!pinned),
            last_key_rotation_timestamp: Some(rotated),
        }),
    });
    (rec, principal.map(|p| (vault, p)))
}

/// Grants each (vault, principal) `get`, `wrapKey` and `unwrapKey`: an access policy, or
/// *Key Vault Crypto Service Encryption User* on an RBAC vault.
fn grant(w: &mut World, grants: BTreeSet<Grant>, tenant: &str) {
    for (vault_name, principal) in grants {
        let Some(v) = w.vaults.iter_mut().find(|v| v.vault.name == vault_name) else { continue };
        if v.vault.properties.rbac() {
            let n = w.role_assignments.len();
            w.role_assignments.push(RoleAssignmentRec {
                name: format!("6d6f636b-0000-4000-8006-{n:012}"),
                scope: v.vault.id.clone(),
                role_definition_id: format!(
                    "/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/{}",
                    v.subscription_id,
                    acr_cmk_domain::role_assignment::KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER
                ),
                principal_id: principal,
                principal_type: Some("ServicePrincipal".into()),
                created_on: clock::rfc3339_millis(NEW_VERSION_CREATED * 1000),
            });
        } else {
            v.vault.properties.access_policies.push(AccessPolicyEntry {
                tenant_id: tenant.into(),
                object_id: principal,
                application_id: None,
                permissions: Permissions { keys: Some(vec!["get".into(), "wrapKey".into(), "unwrapKey".into()]), ..Permissions::default() },
            });
        }
    }
}
