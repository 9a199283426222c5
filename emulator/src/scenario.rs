//! The seeded worlds. `Demo` tells the seed article's story with fixed names and
//! ids (the console's browser tests depend on them); `Empty` is one tenant, one
//! subscription and one service principal, for scripts that build their own.

use std::collections::BTreeMap;

use acr_cmk_domain::identity::{IdentityProperties, UserIdentityProperties};
use acr_cmk_domain::registry::{EncryptionProperty, KeyVaultProperties, Sku};
use acr_cmk_domain::vault::{AccessPolicyEntry, Permissions};

use crate::world::*;
use crate::{key, registry, vault};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scenario {
    #[default]
    Demo,
    Empty,
    /// 10,000 registries in 25 subscriptions (`fleet`).
    Fleet,
}

impl Scenario {
    /// As `--scenario` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Demo => "demo",
            Scenario::Empty => "empty",
            Scenario::Fleet => "fleet",
        }
    }
}

impl std::str::FromStr for Scenario {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "demo" => Ok(Scenario::Demo),
            "empty" => Ok(Scenario::Empty),
            "fleet" => Ok(Scenario::Fleet),
            other => Err(format!("unknown scenario '{other}' (expected demo, empty or fleet)")),
        }
    }
}

pub const DEMO_TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
pub const DEMO_SUBSCRIPTION: &str = "6d6f636b-0000-4000-8000-000000000001";
pub const DEMO_SUBSCRIPTION_NAME: &str = "Contoso Demo";
pub const DEMO_RESOURCE_GROUP: &str = "rg-acr-demo";
pub const DEMO_LOCATION: &str = "westeurope";

pub const DEMO_IDENTITY: &str = "id-acr-cmk";
pub const DEMO_IDENTITY_PRINCIPAL: &str = "6d6f636b-0000-4000-8000-0000000000a1";
pub const DEMO_IDENTITY_CLIENT: &str = "6d6f636b-0000-4000-8000-0000000000c1";
/// An identity that was never granted access to any key.
pub const DEMO_NOKEY_IDENTITY: &str = "id-acr-nokey";
pub const DEMO_NOKEY_PRINCIPAL: &str = "6d6f636b-0000-4000-8000-0000000000a2";
pub const DEMO_NOKEY_CLIENT: &str = "6d6f636b-0000-4000-8000-0000000000c2";

pub const DEMO_VAULT: &str = "kv-acr-demo";
pub const DEMO_VAULT_URI: &str = "https://kv-acr-demo.vault.azure.net/";
pub const DEMO_KEY: &str = "acr-cmk-key";
pub const DEMO_KEY_V1: &str = "6d6f636b00004000800000000000b001";
pub const DEMO_KEY_V2: &str = "6d6f636b00004000800000000000b002";
/// An RBAC-model vault with its own key; id-acr-cmk holds the Crypto Service Encryption User role on it.
pub const DEMO_RBAC_VAULT: &str = "kv-acr-rbac";
pub const DEMO_RBAC_KEY: &str = "acr-rbac-key";
pub const DEMO_RBAC_KEY_V1: &str = "6d6f636b00004000800000000000c001";
pub const DEMO_RBAC_ASSIGNMENT: &str = "6d6f636b-0000-4000-8000-0000000000e1";

/// The central security subscription: a vault whose key `contosocentral` (in the demo subscription) uses.
pub const DEMO_SECURITY_SUBSCRIPTION: &str = "6d6f636b-0000-4000-8000-000000000002";
pub const DEMO_SECURITY_SUBSCRIPTION_NAME: &str = "Contoso Security";
pub const DEMO_SECURITY_RESOURCE_GROUP: &str = "rg-security";
pub const DEMO_CENTRAL_VAULT: &str = "kv-contoso-central";
pub const DEMO_CENTRAL_KEY: &str = "acr-central-key";
pub const DEMO_CENTRAL_KEY_V1: &str = "6d6f636b00004000800000000000d001";
/// A subscription the demo user holds no role on (only the automation principal does): the key of
/// `contosorestricted` lives there, so its vault is "not visible to you", though the registry reaches it.
pub const DEMO_RESTRICTED_SUBSCRIPTION: &str = "6d6f636b-0000-4000-8000-000000000003";
pub const DEMO_RESTRICTED_SUBSCRIPTION_NAME: &str = "Contoso Restricted";
pub const DEMO_RESTRICTED_RESOURCE_GROUP: &str = "rg-restricted";
pub const DEMO_RESTRICTED_VAULT: &str = "kv-contoso-restricted";
pub const DEMO_RESTRICTED_KEY: &str = "acr-restricted-key";
pub const DEMO_RESTRICTED_KEY_V1: &str = "6d6f636b00004000800000000000e001";

pub const DEMO_SERVICE_PRINCIPAL_CLIENT: &str = "6d6f636b-0000-4000-8000-0000000000d1";
pub const DEMO_SERVICE_PRINCIPAL_SECRET: &str = "emulator-secret-not-for-production";
pub const DEMO_SERVICE_PRINCIPAL_OBJECT: &str = "6d6f636b-0000-4000-8000-0000000000d2";

/// 2025-01-15T10:00:00Z and 2025-03-01T09:30:00Z.
const V1_CREATED: i64 = 1_736_935_200;
const V2_CREATED: i64 = 1_740_821_400;

pub fn seed(scenario: Scenario) -> World {
    let mut w = seed_resources(scenario);
    grant_demo_roles(&mut w);
    w
}

/// Who holds which role on each subscription: the demo administrators and the automation
/// principal are Owners, the helpdesk user a Reader; a subscription with a `readers` list
/// gives Owner to exactly those.
fn grant_demo_roles(w: &mut World) {
    let mut grants = Vec::new();
    for sub in &w.subscriptions {
        let holders: Vec<(&str, &str, &str)> = match &sub.readers {
            Some(list) => list.iter().map(|p| (p.as_str(), "ServicePrincipal", "Owner")).collect(),
            None => vec![
                (crate::auth::DEMO_USER_OID, "User", "Owner"),
                (crate::directory::DANA_OID, "User", "Owner"),
                (DEMO_SERVICE_PRINCIPAL_OBJECT, "ServicePrincipal", "Owner"),
                (crate::auth::HELPDESK_USER_OID, "User", "Reader"),
            ],
        };
        for (principal, kind, role) in holders {
            grants.push((sub.subscription_id.clone(), principal.to_string(), kind, role));
        }
    }
    for (n, (sub, principal, kind, role)) in grants.into_iter().enumerate() {
        let role = acr_cmk_domain::permissions::BuiltinRole::by_name(role).expect("a built-in role");
        w.role_assignments.push(RoleAssignmentRec {
            name: format!("6d6f636b-0000-4000-8007-{n:012}"),
            scope: format!("/subscriptions/{sub}"),
            role_definition_id: format!("/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{}", role.id),
            principal_id: principal,
            principal_type: Some(kind.into()),
            created_on: crate::clock::rfc3339_millis(V1_CREATED * 1000),
        });
    }
}

fn seed_resources(scenario: Scenario) -> World {
    let mut w = World {
        tenant_id: DEMO_TENANT.into(),
        subscriptions: vec![SubscriptionRec {
            subscription_id: DEMO_SUBSCRIPTION.into(),
            display_name: if scenario == Scenario::Demo { DEMO_SUBSCRIPTION_NAME.into() } else { "Emulator Subscription".into() },
            tenant_id: DEMO_TENANT.into(),
            readers: None,
        }],
        service_principals: vec![ServicePrincipal {
            display_name: "emulator-automation".into(),
            client_id: DEMO_SERVICE_PRINCIPAL_CLIENT.into(),
            client_secret: DEMO_SERVICE_PRINCIPAL_SECRET.into(),
            object_id: DEMO_SERVICE_PRINCIPAL_OBJECT.into(),
        }],
        ids: crate::id_mint::IdMint::seeded(scenario.name()),
        ..World::default()
    };
    if scenario == Scenario::Empty {
        return w;
    }
    w.directory = crate::entra::demo_directory();
    if scenario == Scenario::Fleet {
        w.subscriptions.clear();
        crate::fleet::seed(&mut w);
        return w;
    }
    let (s, g, loc) = (DEMO_SUBSCRIPTION, DEMO_RESOURCE_GROUP, DEMO_LOCATION);
    w.resource_groups.push(ResourceGroupRec { subscription_id: s.into(), name: g.into(), location: loc.into(), tags: Default::default() });
    for (name, principal, client) in
        [(DEMO_IDENTITY, DEMO_IDENTITY_PRINCIPAL, DEMO_IDENTITY_CLIENT), (DEMO_NOKEY_IDENTITY, DEMO_NOKEY_PRINCIPAL, DEMO_NOKEY_CLIENT)]
    {
        w.identities.push(IdentityRec {
            subscription_id: s.into(),
            resource_group: g.into(),
            name: name.into(),
            location: loc.into(),
            tags: BTreeMap::new(),
            principal_id: principal.into(),
            client_id: client.into(),
        });
    }

    // The access-policy vault of the seed article.
    let mut kv = vault::new_vault(s, g, DEMO_VAULT, loc, DEMO_TENANT);
    kv.properties.enable_soft_delete = Some(true);
    kv.properties.soft_delete_retention_in_days = Some(90);
    kv.properties.enable_purge_protection = Some(true);
    kv.properties.enable_rbac_authorization = Some(false);
    kv.properties.access_policies = vec![
        AccessPolicyEntry {
            tenant_id: DEMO_TENANT.into(),
            object_id: DEMO_IDENTITY_PRINCIPAL.into(),
            application_id: None,
            permissions: Permissions { keys: Some(vec!["get".into(), "wrapKey".into(), "unwrapKey".into()]), ..Permissions::default() },
        },
        AccessPolicyEntry {
            tenant_id: DEMO_TENANT.into(),
            object_id: crate::auth::DEMO_USER_OID.into(),
            application_id: None,
            permissions: Permissions {
                keys: Some(
                    ["get", "list", "create", "update", "import", "delete", "recover", "backup", "restore", "rotate"]
                        .map(String::from)
                        .to_vec(),
                ),
                ..Permissions::default()
            },
        },
    ];
    w.vaults.push(VaultRec { subscription_id: s.into(), resource_group: g.into(), vault: kv, deleted_at: None, etag: fresh_etag() });
    w.keys.push(key::new_rsa_key(
        DEMO_VAULT,
        DEMO_KEY,
        vec![key::new_version(DEMO_KEY_V1, V1_CREATED), key::new_version(DEMO_KEY_V2, V2_CREATED)],
    ));

    // An RBAC-model vault, for the role-assignment path.
    let mut rbac = vault::new_vault(s, g, DEMO_RBAC_VAULT, loc, DEMO_TENANT);
    rbac.properties.enable_soft_delete = Some(true);
    rbac.properties.soft_delete_retention_in_days = Some(90);
    rbac.properties.enable_purge_protection = Some(true);
    rbac.properties.enable_rbac_authorization = Some(true);
    let rbac_id = rbac.id.clone();
    w.vaults.push(VaultRec { subscription_id: s.into(), resource_group: g.into(), vault: rbac, deleted_at: None, etag: fresh_etag() });
    w.keys.push(key::new_rsa_key(DEMO_RBAC_VAULT, DEMO_RBAC_KEY, vec![key::new_version(DEMO_RBAC_KEY_V1, V1_CREATED)]));
    w.role_assignments.push(RoleAssignmentRec {
        name: DEMO_RBAC_ASSIGNMENT.into(),
        scope: rbac_id,
        role_definition_id: format!(
            "/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{}",
            acr_cmk_domain::role_assignment::KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER
        ),
        principal_id: DEMO_IDENTITY_PRINCIPAL.into(),
        principal_type: Some("ServicePrincipal".into()),
        created_on: crate::clock::rfc3339_millis(V1_CREATED * 1000),
    });

    let key_base = format!("{}keys/{DEMO_KEY}", DEMO_VAULT_URI);
    let attach = |name: &str, principal: &str, client: &str| IdentityProperties {
        principal_id: None,
        tenant_id: None,
        kind: Some("userAssigned".into()),
        user_assigned_identities: Some(BTreeMap::from([(
            format!("/subscriptions/{s}/resourcegroups/{g}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}"),
            UserIdentityProperties { principal_id: Some(principal.into()), client_id: Some(client.into()) },
        )])),
    };
    let cmk = |key_identifier: String, versioned: String, rotation: bool, last: Option<String>, client: &str| EncryptionProperty {
        status: Some("enabled".into()),
        key_vault_properties: Some(KeyVaultProperties {
            key_identifier: Some(key_identifier),
            versioned_key_identifier: Some(versioned),
            identity: Some(client.into()),
            key_rotation_enabled: Some(rotation),
            last_key_rotation_timestamp: last,
        }),
    };
    let premium = Sku { name: "Premium".into(), tier: Some("Premium".into()) };

    let mut prod = registry::new_registry(s, g, "contosoprod", loc, premium.clone(), V2_CREATED * 1000 + 123);
    prod.identity = Some(attach(DEMO_IDENTITY, DEMO_IDENTITY_PRINCIPAL, DEMO_IDENTITY_CLIENT));
    prod.properties.encryption =
        Some(cmk(format!("{key_base}/{DEMO_KEY_V2}"), format!("{key_base}/{DEMO_KEY_V2}"), false, None, DEMO_IDENTITY_CLIENT));

    let mut auto = registry::new_registry(s, g, "contosoauto", loc, premium.clone(), V1_CREATED * 1000 + 456);
    auto.identity = Some(attach(DEMO_IDENTITY, DEMO_IDENTITY_PRINCIPAL, DEMO_IDENTITY_CLIENT));
    auto.properties.encryption = Some(cmk(
        key_base.clone(),
        format!("{key_base}/{DEMO_KEY_V2}"),
        true,
        Some(crate::clock::rfc3339_millis(V2_CREATED * 1000 + 1_800_000)),
        DEMO_IDENTITY_CLIENT,
    ));

    let mut dev = registry::new_registry(
        s,
        g,
        "contosodev",
        loc,
        Sku { name: "Standard".into(), tier: Some("Standard".into()) },
        V1_CREATED * 1000 + 789,
    );
    dev.properties.encryption = Some(EncryptionProperty { status: Some("disabled".into()), key_vault_properties: None });

    let mut lost = registry::new_registry(s, g, "contosolost", loc, premium.clone(), V2_CREATED * 1000 + 999);
    lost.identity = Some(attach(DEMO_NOKEY_IDENTITY, DEMO_NOKEY_PRINCIPAL, DEMO_NOKEY_CLIENT));
    lost.properties.encryption =
        Some(cmk(format!("{key_base}/{DEMO_KEY_V2}"), format!("{key_base}/{DEMO_KEY_V2}"), false, None, DEMO_NOKEY_CLIENT));

    // Keys kept in other subscriptions' vaults (issue: vaults anywhere in the tenant).
    let central_key = format!("https://{DEMO_CENTRAL_VAULT}.vault.azure.net/keys/{DEMO_CENTRAL_KEY}");
    let mut central = registry::new_registry(s, g, "contosocentral", loc, premium.clone(), V2_CREATED * 1000 + 321);
    central.identity = Some(attach(DEMO_IDENTITY, DEMO_IDENTITY_PRINCIPAL, DEMO_IDENTITY_CLIENT));
    central.properties.encryption = Some(cmk(
        format!("{central_key}/{DEMO_CENTRAL_KEY_V1}"),
        format!("{central_key}/{DEMO_CENTRAL_KEY_V1}"),
        false,
        None,
        DEMO_IDENTITY_CLIENT,
    ));
    let restricted_key = format!("https://{DEMO_RESTRICTED_VAULT}.vault.azure.net/keys/{DEMO_RESTRICTED_KEY}");
    let mut restricted = registry::new_registry(s, g, "contosorestricted", loc, premium, V2_CREATED * 1000 + 654);
    restricted.identity = Some(attach(DEMO_IDENTITY, DEMO_IDENTITY_PRINCIPAL, DEMO_IDENTITY_CLIENT));
    restricted.properties.encryption = Some(cmk(
        format!("{restricted_key}/{DEMO_RESTRICTED_KEY_V1}"),
        format!("{restricted_key}/{DEMO_RESTRICTED_KEY_V1}"),
        false,
        None,
        DEMO_IDENTITY_CLIENT,
    ));
    seed_other_subscriptions(&mut w);

    for r in [prod, auto, dev, lost, central, restricted] {
        w.registries.push(RegistryRec {
            subscription_id: s.into(),
            resource_group: g.into(),
            registry: r,
            system_client_id: None,
            pending_state: None,
        });
    }
    w
}

/// The security subscription (open to the tenant) and the restricted one (only the automation
/// principal holds a role), each with a policy vault granting id-acr-cmk its key.
fn seed_other_subscriptions(w: &mut World) {
    let loc = DEMO_LOCATION;
    let others = [
        (
            DEMO_SECURITY_SUBSCRIPTION,
            DEMO_SECURITY_SUBSCRIPTION_NAME,
            DEMO_SECURITY_RESOURCE_GROUP,
            None,
            DEMO_CENTRAL_VAULT,
            DEMO_CENTRAL_KEY,
            DEMO_CENTRAL_KEY_V1,
        ),
        (
            DEMO_RESTRICTED_SUBSCRIPTION,
            DEMO_RESTRICTED_SUBSCRIPTION_NAME,
            DEMO_RESTRICTED_RESOURCE_GROUP,
            Some(vec![DEMO_SERVICE_PRINCIPAL_OBJECT.to_string()]),
            DEMO_RESTRICTED_VAULT,
            DEMO_RESTRICTED_KEY,
            DEMO_RESTRICTED_KEY_V1,
        ),
    ];
    for (sub, name, group, readers, vault_name, key_name, version) in others {
        w.subscriptions.push(SubscriptionRec {
            subscription_id: sub.into(),
            display_name: name.into(),
            tenant_id: DEMO_TENANT.into(),
            readers,
        });
        w.resource_groups.push(ResourceGroupRec {
            subscription_id: sub.into(),
            name: group.into(),
            location: loc.into(),
            tags: Default::default(),
        });
        let mut kv = vault::new_vault(sub, group, vault_name, loc, DEMO_TENANT);
        kv.properties.enable_purge_protection = Some(true);
        let keys = |list: &[&str]| Permissions { keys: Some(list.iter().map(|k| k.to_string()).collect()), ..Permissions::default() };
        kv.properties.access_policies = vec![
            AccessPolicyEntry {
                tenant_id: DEMO_TENANT.into(),
                object_id: DEMO_IDENTITY_PRINCIPAL.into(),
                application_id: None,
                permissions: keys(&["get", "wrapKey", "unwrapKey"]),
            },
            AccessPolicyEntry {
                tenant_id: DEMO_TENANT.into(),
                object_id: crate::auth::DEMO_USER_OID.into(),
                application_id: None,
                permissions: keys(&["get", "list", "create", "update", "rotate"]),
            },
        ];
        w.vaults.push(VaultRec {
            subscription_id: sub.into(),
            resource_group: group.into(),
            vault: kv,
            deleted_at: None,
            etag: fresh_etag(),
        });
        w.keys.push(key::new_rsa_key(vault_name, key_name, vec![key::new_version(version, V2_CREATED)]));
    }
}
