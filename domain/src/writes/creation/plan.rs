//! The ordered ARM requests that create the registry and everything it needs.
//!
//! Values only ARM knows (a new identity's client and principal ids, a new key's
//! first version) come from [`Outputs`], filled as steps answer; until then the
//! bodies show a placeholder, and [`CreationPlan::ready_to_send`] says whether a
//! step's body is complete. The runner plans again after each step, so what it
//! sends always holds the real values.
//!
//! Every step can be run again without making anything twice: group, identity,
//! access policy `add`, role assignment (fixed name) and ARM key `PUT`s are
//! idempotent; the vault and registry `PUT`s are not (a vault `PUT` replaces its
//! access policies; a registry `PUT` is an update once it exists), so each comes
//! with a `lookup` read, and the runner skips the write when the resource exists.

use serde_json::json;

use crate::arm::api_version;
use crate::diagnosis::{newest_usable, version_name};
use crate::identity::UserAssignedIdentity;
use crate::key::ArmKey;
use crate::key_id::KeyId;
use crate::requests::{ArmRequest, Method};
use crate::role_assignment::KeyVaultRole;
use crate::text::Sentence;
use crate::vault::{Vault, VaultProperties, VaultSku};
use crate::writes::access_grant::{covers_vault, create_rsa_key, enable_purge_protection, grant_access};
use crate::writes::{az, PlannedWrite};

use super::choices::{Choices, GroupChoice, IdentityChoice, KeyChoice, Refused, Rotation, VaultChoice};

/// What each step does and why one is skipped, in words. Names, ids, regions and
/// role names are verbatim.
pub mod words {
    crate::catalogue! {
        GROUP: "Create resource group '{name}' in {location}." => "{location}에 리소스 그룹 '{name}'을(를) 만듭니다.";
        IDENTITY: "Create user-assigned identity '{name}' in {location}." => "{location}에 사용자 할당 관리 ID '{name}'을(를) 만듭니다.";
        /// `{model}` is [`MODEL_RBAC`] or [`MODEL_POLICY`].
        VAULT: "Create key vault '{name}' with soft delete and purge protection ({model})."
            => "일시 삭제 및 제거 보호를 사용하는 키 자격 증명 모음 '{name}'을(를) 만듭니다({model}).";
        MODEL_RBAC: "Azure RBAC permission model" => "Azure RBAC 권한 모델";
        MODEL_POLICY: "access policy permission model" => "액세스 정책 권한 모델";
        /// `{role}` is the role's name as Azure spells it.
        ASSIGN_ROLE: "Assign the '{role}' role on vault '{vault}' to principal {principal}."
            => "보안 주체 {principal}에 키 자격 증명 모음 '{vault}'에 대한 '{role}' 역할을 할당합니다.";
        GRANT_POLICY: "Grant principal {principal} get, wrapKey and unwrapKey on the keys of vault '{vault}'."
            => "보안 주체 {principal}에 키 자격 증명 모음 '{vault}'의 키에 대한 get, wrapKey, unwrapKey 권한을 부여합니다.";
        KEY: "Create the {size}-bit RSA key '{name}' in vault '{vault}'." => "키 자격 증명 모음 '{vault}'에 {size}비트 RSA 키 '{name}'을(를) 만듭니다.";
        REGISTRY: "Create Premium registry '{registry}' in {location}, encrypted with key '{key}' through identity '{identity}' (client id)."
            => "{location}에 프리미엄 레지스트리 '{registry}'을(를) 만들고, ID '{identity}'(클라이언트 ID)를 통해 키 '{key}'(으)로 암호화합니다.";
        /// A value ARM has not told yet, where a sentence names it.
        PENDING_PRINCIPAL: "<principal id: known once the identity is created>" => "<보안 주체 ID: ID를 만든 후에 알 수 있음>";
        SKIPPED_ROLE: "Access: principal {principal} already holds the '{role}' role on vault '{vault}'."
            => "액세스: 보안 주체 {principal}에 이미 키 자격 증명 모음 '{vault}'에 대한 '{role}' 역할이 있습니다.";
        SKIPPED_POLICY: "Access: vault '{vault}' already grants principal {principal} get, wrapKey and unwrapKey."
            => "액세스: 키 자격 증명 모음 '{vault}'이(가) 이미 보안 주체 {principal}에 get, wrapKey, unwrapKey 권한을 부여합니다.";
    }
}

/// What ARM answered to the steps so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outputs {
    /// The new identity, as its `PUT` (or the lookup on a retry) answered.
    pub identity: Option<UserAssignedIdentity>,
    /// The new key, as its `PUT` answered (its `keyUriWithVersion` pins a version).
    pub key: Option<ArmKey>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    Group,
    Identity,
    Vault,
    PurgeProtection,
    Access,
    Key,
    Registry,
}

impl StepKind {
    /// Stable name (`data-testid="run-step-<name>"`).
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Group => "group",
            StepKind::Identity => "identity",
            StepKind::Vault => "vault",
            StepKind::PurgeProtection => "purge-protection",
            StepKind::Access => "access",
            StepKind::Key => "key",
            StepKind::Registry => "registry",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CreationStep {
    pub kind: StepKind,
    /// What the step does, in words (`write.summary` is the same in English).
    pub title: Sentence,
    pub write: PlannedWrite,
    /// Read first; a `200` means the resource exists (made by an earlier attempt) and the write is skipped.
    pub lookup: Option<ArmRequest>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CreationPlan {
    pub steps: Vec<CreationStep>,
    /// Steps left out because what they would do is already true, in words.
    pub skipped: Vec<Sentence>,
    pub registry_id: String,
    pub identity_id: String,
    /// What `keyVaultProperties.identity` gets: the identity's client id (or its placeholder).
    pub client_id: String,
    /// What the vault grant names: the identity's principal id (or its placeholder).
    pub principal_id: String,
    /// What `keyVaultProperties.keyIdentifier` gets (or its placeholder).
    pub key_identifier: String,
    /// The vault as it will be once the plan ran (for the review's diagnosis).
    pub vault: Vault,
}

/// Marks a value ARM has not told yet; such a body is never sent.
const PENDING_MARK: &str = "known once ";

fn pending(what: &str, step: &str) -> String {
    format!("<{what}: {PENDING_MARK}{step} is created>")
}

impl CreationPlan {
    /// Whether step `index` sends only real values (no placeholder left in its URL or body).
    pub fn ready_to_send(&self, index: usize) -> bool {
        self.steps.get(index).is_some_and(|s| {
            let body = s.write.request.body.as_ref().map(|b| b.to_string()).unwrap_or_default();
            !body.contains(PENDING_MARK) && !s.write.request.path.contains(PENDING_MARK)
        })
    }

    pub fn step(&self, kind: StepKind) -> Option<&CreationStep> {
        self.steps.iter().find(|s| s.kind == kind)
    }
}

fn group_id(c: &Choices) -> String {
    format!("/subscriptions/{}/resourceGroups/{}", c.subscription_id, c.group.name())
}

fn identity_resource_id(c: &Choices) -> String {
    match &c.identity {
        IdentityChoice::Existing(i) => i.id.clone(),
        IdentityChoice::New { name } => format!("{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}", group_id(c)),
    }
}

/// The vault as it will be after the plan's vault steps (before the grant).
fn planned_vault(c: &Choices) -> Vault {
    match &c.vault {
        VaultChoice::Existing { vault, enable_purge_protection, .. } => {
            let mut v = vault.clone();
            if *enable_purge_protection {
                v.properties.enable_soft_delete = Some(true);
                v.properties.enable_purge_protection = Some(true);
            }
            v
        }
        VaultChoice::New { name, rbac } => Vault {
            id: format!("{}/providers/Microsoft.KeyVault/vaults/{name}", group_id(c)),
            name: name.clone(),
            resource_type: "Microsoft.KeyVault/vaults".into(),
            location: c.location.clone(),
            tags: Default::default(),
            properties: VaultProperties {
                tenant_id: c.tenant_id.clone(),
                sku: VaultSku::default(),
                vault_uri: Some(format!("https://{}.vault.azure.net/", name.to_ascii_lowercase())),
                enable_soft_delete: Some(true),
                soft_delete_retention_in_days: Some(90),
                enable_purge_protection: Some(true),
                enable_rbac_authorization: Some(*rbac),
                public_network_access: Some("Enabled".into()),
                ..VaultProperties::default()
            },
            etag: None,
        },
    }
}

fn vault_base(vault: &Vault) -> String {
    let uri = vault.properties.vault_uri.clone().unwrap_or_else(|| format!("https://{}.vault.azure.net/", vault.name.to_ascii_lowercase()));
    // `KeyId` drops ARM's `:443`, so the key id reads as ACR and the data plane write it.
    KeyId::parse(&format!("{}/keys/x", uri.trim_end_matches('/'))).map(|k| k.vault_base).unwrap_or(uri)
}

fn key_identifier(c: &Choices, vault: &Vault, outputs: &Outputs, now_unix: i64) -> String {
    let base = vault_base(vault);
    let name = c.key.name();
    if c.rotation == Rotation::Versionless {
        return format!("{base}/keys/{name}");
    }
    let version = match &c.key {
        KeyChoice::Existing { key, versions } => newest_usable(versions, now_unix)
            .map(|v| version_name(v).to_string())
            .or_else(|| key.properties.key_uri_with_version.as_deref().and_then(|u| u.rsplit('/').next()).map(str::to_string)),
        KeyChoice::New { .. } => outputs
            .key
            .as_ref()
            .and_then(|k| k.properties.key_uri_with_version.as_deref())
            .and_then(|u| KeyId::parse(u).ok())
            .and_then(|k| k.version),
    };
    match version {
        Some(v) => format!("{base}/keys/{name}/{v}"),
        None => format!("{base}/keys/{name}/{}", pending("version", "the key")),
    }
}

/// Whether the identity already holds what ACR needs on the vault.
fn grant_exists(c: &Choices, vault: &Vault, principal: &str) -> Option<Sentence> {
    let VaultChoice::Existing { role_assignments, .. } = &c.vault else { return None };
    if vault.properties.rbac() {
        let held = role_assignments.iter().find(|a| {
            a.properties.principal_id.eq_ignore_ascii_case(principal)
                && a.properties.key_vault_role().is_some_and(|r| KeyVaultRole::GRANTING_CMK.contains(&r))
                && covers_vault(a, vault)
        })?;
        let role = held.properties.key_vault_role().map(|r| r.name()).unwrap_or_default();
        return Some(Sentence::new(words::SKIPPED_ROLE).with("principal", principal).with("role", role).with("vault", vault.name.as_str()));
    }
    vault
        .properties
        .access_policies
        .iter()
        .any(|e| e.object_id.eq_ignore_ascii_case(principal) && e.grants_cmk())
        .then(|| Sentence::new(words::SKIPPED_POLICY).with("vault", vault.name.as_str()).with("principal", principal))
}

/// A new vault's properties as the flow makes it: soft delete and purge protection on (the seed's
/// rule), the chosen permission model, no access policies yet. `tenant_id` is a value or, in a
/// template, an expression.
pub(crate) fn new_vault_properties(tenant_id: serde_json::Value, rbac: bool) -> serde_json::Value {
    json!({
        "tenantId": tenant_id,
        "sku": {"family": "A", "name": "standard"},
        "enableSoftDelete": true,
        "softDeleteRetentionInDays": 90,
        "enablePurgeProtection": true,
        "enableRbacAuthorization": rbac,
        "accessPolicies": [],
    })
}

fn write(summary: &Sentence, method: Method, path: String, body: serde_json::Value, command: String) -> PlannedWrite {
    PlannedWrite::new(summary.clone(), method, path, Some(body), command)
}

/// The steps that create what `choices` describes, in the order the seed runs them.
pub fn plan(c: &Choices, outputs: &Outputs, now_unix: i64) -> Result<CreationPlan, Refused> {
    c.check(now_unix)?;
    let group = c.group.name();
    let loc = c.location.as_str();
    let mut steps = Vec::new();
    let mut skipped = Vec::new();

    if let GroupChoice::New { name } = &c.group {
        let path = format!("/subscriptions/{}/resourcegroups/{name}?api-version={}", c.subscription_id, api_version::SUBSCRIPTIONS);
        let title = Sentence::new(words::GROUP).with("name", name.as_str()).with("location", loc);
        steps.push(CreationStep {
            kind: StepKind::Group,
            write: write(&title, Method::Put, path, json!({"location": loc}), az(&["group", "create", "--name", name, "--location", loc])),
            title,
            lookup: None,
        });
    }

    let identity_id = identity_resource_id(c);
    let identity_now: Option<UserAssignedIdentity> = match &c.identity {
        IdentityChoice::Existing(i) => Some(i.clone()),
        IdentityChoice::New { .. } => outputs.identity.clone(),
    };
    if let IdentityChoice::New { name } = &c.identity {
        let path = format!("{identity_id}?api-version={}", api_version::MANAGED_IDENTITY);
        let title = Sentence::new(words::IDENTITY).with("name", name.as_str()).with("location", loc);
        steps.push(CreationStep {
            kind: StepKind::Identity,
            write: write(
                &title,
                Method::Put,
                path.clone(),
                json!({"location": loc}),
                az(&["identity", "create", "--resource-group", group, "--name", name, "--location", loc]),
            ),
            title,
            lookup: Some(ArmRequest::new(Method::Get, path, None)),
        });
    }
    let client_id = identity_now.as_ref().map(|i| i.properties.client_id.clone()).unwrap_or_else(|| pending("client id", "the identity"));
    let principal_id =
        identity_now.as_ref().map(|i| i.properties.principal_id.clone()).unwrap_or_else(|| pending("principal id", "the identity"));

    let mut vault = planned_vault(c);
    match &c.vault {
        VaultChoice::New { name, rbac } => {
            let path = format!("{}?api-version={}", vault.id, api_version::KEY_VAULT);
            let rbac_flag = if *rbac { "true" } else { "false" };
            let model = if *rbac { words::MODEL_RBAC } else { words::MODEL_POLICY };
            let title = Sentence::new(words::VAULT).with("name", name.as_str()).with_words("model", model);
            steps.push(CreationStep {
                kind: StepKind::Vault,
                write: write(
                    &title,
                    Method::Put,
                    path.clone(),
                    json!({"location": loc, "properties": new_vault_properties(json!(c.tenant_id), *rbac)}),
                    az(&[
                        "keyvault",
                        "create",
                        "--name",
                        name,
                        "--resource-group",
                        group,
                        "--location",
                        loc,
                        "--enable-purge-protection",
                        "--enable-rbac-authorization",
                        rbac_flag,
                    ]),
                ),
                title,
                lookup: Some(ArmRequest::new(Method::Get, path, None)),
            });
        }
        VaultChoice::Existing { vault: original, enable_purge_protection: true, .. }
            if original.properties.enable_purge_protection != Some(true) =>
        {
            let write = enable_purge_protection(original);
            steps.push(CreationStep { kind: StepKind::PurgeProtection, title: write.summary.clone(), write, lookup: None });
        }
        VaultChoice::Existing { .. } => {}
    }

    match identity_now.as_ref().and_then(|_| grant_exists(c, &vault, &principal_id)) {
        Some(why) => skipped.push(why),
        None => {
            let tenant = if c.tenant_id.is_empty() { vault.properties.tenant_id.clone() } else { c.tenant_id.clone() };
            let mut grant = grant_access(&vault, &tenant, &principal_id, &c.assignment_name);
            // The review's vault holds the grant the plan makes.
            if !vault.properties.rbac() {
                if let Some(entries) = grant.request.body.as_ref().and_then(|b| b["properties"]["accessPolicies"].as_array()) {
                    vault.properties.access_policies.extend(entries.iter().filter_map(|e| serde_json::from_value(e.clone()).ok()));
                }
            }
            let principal_said = match &identity_now {
                Some(_) => Sentence::verbatim(principal_id.as_str()),
                None => words::PENDING_PRINCIPAL.into(),
            };
            let title = if vault.properties.rbac() {
                Sentence::new(words::ASSIGN_ROLE).with("role", KeyVaultRole::CryptoServiceEncryptionUser.name())
            } else {
                Sentence::new(words::GRANT_POLICY)
            };
            let title = title.with_words("principal", principal_said).with("vault", vault.name.as_str());
            // The preview shows the same words, the pending principal in the page's language too.
            grant.summary = title.clone();
            steps.push(CreationStep { kind: StepKind::Access, title, write: grant, lookup: None });
        }
    }

    if let KeyChoice::New { name, size } = &c.key {
        let mut key_write = create_rsa_key(&vault, name);
        let size_text = size.to_string();
        key_write.request.body = Some(json!({"properties": {"kty": "RSA", "keySize": size}}));
        let title =
            Sentence::new(words::KEY).with("size", size_text.as_str()).with("name", name.as_str()).with("vault", vault.name.as_str());
        key_write.summary = title.clone();
        key_write.az =
            az(&["keyvault", "key", "create", "--vault-name", &vault.name, "--name", name, "--kty", "RSA", "--size", &size_text]);
        let lookup = ArmRequest::new(Method::Get, key_write.request.path.clone(), None);
        steps.push(CreationStep { kind: StepKind::Key, title, write: key_write, lookup: Some(lookup) });
    }

    let key_id = key_identifier(c, &vault, outputs, now_unix);
    let registry_id = format!("{}/providers/Microsoft.ContainerRegistry/registries/{}", group_id(c), c.registry_name);
    let registry_path = format!("{registry_id}?api-version={}", api_version::CONTAINER_REGISTRY);
    let registry_title = Sentence::new(words::REGISTRY)
        .with("registry", c.registry_name.as_str())
        .with("location", loc)
        .with("key", c.key.name())
        .with("identity", identity_id.rsplit('/').next().unwrap_or_default());
    let mut registry_write = write(
        &registry_title,
        Method::Put,
        registry_path.clone(),
        json!({
            "location": loc,
            "sku": {"name": "Premium"},
            "identity": {"type": "UserAssigned", "userAssignedIdentities": {identity_id.clone(): {}}},
            "properties": {"encryption": {"status": "enabled", "keyVaultProperties": {"keyIdentifier": key_id, "identity": client_id}}},
        }),
        az(&[
            "acr",
            "create",
            "--resource-group",
            group,
            "--name",
            &c.registry_name,
            "--location",
            loc,
            "--sku",
            "Premium",
            "--identity",
            &identity_id,
            "--key-encryption-key",
            &key_id,
        ]),
    );
    registry_write.long_running = true;
    steps.push(CreationStep {
        kind: StepKind::Registry,
        title: registry_title,
        write: registry_write,
        lookup: Some(ArmRequest::new(Method::Get, registry_path, None)),
    });

    Ok(CreationPlan { steps, skipped, registry_id, identity_id, client_id, principal_id, key_identifier: key_id, vault })
}

#[cfg(test)]
pub(crate) mod tests {
    use serde_json::json;

    use super::*;
    use crate::writes::creation::choices::CODE_KEY_TYPE;

    pub const SUB: &str = "6d6f636b-0000-4000-8000-000000000001";
    pub const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    pub const CLIENT: &str = "cccccccc-0000-4000-8000-0000000000c9";
    pub const PRINCIPAL: &str = "aaaaaaaa-0000-4000-8000-0000000000a9";
    pub const V1: &str = "6d6f636b00004000800000000000b001";

    pub fn all_new(rbac: bool) -> Choices {
        Choices {
            subscription_id: SUB.into(),
            tenant_id: TENANT.into(),
            group: GroupChoice::New { name: "rg-cmk".into() },
            location: "westeurope".into(),
            registry_name: "contosocmk".into(),
            identity: IdentityChoice::New { name: "id-cmk".into() },
            vault: VaultChoice::New { name: "kv-cmk".into(), rbac },
            key: KeyChoice::New { name: "key-cmk".into(), size: 3072 },
            rotation: Rotation::Versionless,
            assignment_name: "6d6f636b-0000-4000-8000-00000000f0f0".into(),
        }
    }

    pub fn made_identity() -> UserAssignedIdentity {
        serde_json::from_value(json!({
            "id": format!("/subscriptions/{SUB}/resourceGroups/rg-cmk/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-cmk"),
            "name": "id-cmk",
            "properties": {"tenantId": TENANT, "clientId": CLIENT, "principalId": PRINCIPAL},
        }))
        .unwrap()
    }

    pub fn made_key() -> ArmKey {
        serde_json::from_value(json!({
            "name": "key-cmk",
            "properties": {"kty": "RSA", "keySize": 3072, "attributes": {"enabled": true, "created": 1},
                "keyUri": "https://kv-cmk.vault.azure.net:443/keys/key-cmk",
                "keyUriWithVersion": format!("https://kv-cmk.vault.azure.net:443/keys/key-cmk/{V1}")},
        }))
        .unwrap()
    }

    fn summary(p: &CreationPlan) -> Vec<String> {
        p.steps.iter().map(|s| format!("{} {}", s.write.request.method.as_str(), s.write.request.path)).collect()
    }

    #[test]
    fn everything_new_with_an_access_policy_is_six_puts_in_the_seeds_order() {
        let p = plan(&all_new(false), &Outputs::default(), 0).unwrap();
        let g = format!("/subscriptions/{SUB}/resourceGroups/rg-cmk");
        assert_eq!(
            summary(&p),
            vec![
                format!("PUT /subscriptions/{SUB}/resourcegroups/rg-cmk?api-version=2022-12-01"),
                format!("PUT {g}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-cmk?api-version=2024-11-30"),
                format!("PUT {g}/providers/Microsoft.KeyVault/vaults/kv-cmk?api-version=2025-05-01"),
                format!("PUT {g}/providers/Microsoft.KeyVault/vaults/kv-cmk/accessPolicies/add?api-version=2025-05-01"),
                format!("PUT {g}/providers/Microsoft.KeyVault/vaults/kv-cmk/keys/key-cmk?api-version=2025-05-01"),
                format!("PUT {g}/providers/Microsoft.ContainerRegistry/registries/contosocmk?api-version=2025-04-01"),
            ]
        );
        let vault = p.step(StepKind::Vault).unwrap().write.request.body.clone().unwrap();
        assert_eq!(vault["properties"]["enablePurgeProtection"], true);
        assert_eq!(vault["properties"]["enableRbacAuthorization"], false);
        assert!(p.step(StepKind::Registry).unwrap().write.long_running);
        // Before the identity exists, its ids are placeholders, and nothing that needs them may be sent.
        assert!(p.ready_to_send(0) && p.ready_to_send(1) && p.ready_to_send(2));
        assert!(!p.ready_to_send(3), "the grant needs the principal id");
        assert!(p.ready_to_send(4));
        assert!(!p.ready_to_send(5), "the registry needs the client id");
    }

    #[test]
    fn once_the_identity_exists_the_registry_names_its_client_id_and_the_grant_its_principal_id() {
        let outputs = Outputs { identity: Some(made_identity()), key: None };
        let p = plan(&all_new(false), &outputs, 0).unwrap();
        assert!((0..p.steps.len()).all(|i| p.ready_to_send(i)));
        let grant = p.step(StepKind::Access).unwrap().write.request.body.clone().unwrap();
        assert_eq!(grant["properties"]["accessPolicies"][0]["objectId"], PRINCIPAL);
        assert_eq!(grant["properties"]["accessPolicies"][0]["permissions"]["keys"], json!(["get", "wrapKey", "unwrapKey"]));
        let reg = p.step(StepKind::Registry).unwrap().write.request.body.clone().unwrap();
        assert_eq!(reg["properties"]["encryption"]["keyVaultProperties"]["identity"], CLIENT);
        assert_eq!(reg["properties"]["encryption"]["keyVaultProperties"]["keyIdentifier"], "https://kv-cmk.vault.azure.net/keys/key-cmk");
        assert_eq!(reg["sku"]["name"], "Premium");
        assert!(reg["identity"]["userAssignedIdentities"].get(&p.identity_id).is_some());
        assert_ne!(CLIENT, PRINCIPAL);
    }

    #[test]
    fn a_pinned_new_key_waits_for_its_first_version() {
        let mut c = all_new(false);
        c.rotation = Rotation::Pinned;
        let before = plan(&c, &Outputs { identity: Some(made_identity()), key: None }, 0).unwrap();
        assert!(!before.ready_to_send(before.steps.len() - 1));
        let after = plan(&c, &Outputs { identity: Some(made_identity()), key: Some(made_key()) }, 0).unwrap();
        assert_eq!(after.key_identifier, format!("https://kv-cmk.vault.azure.net/keys/key-cmk/{V1}"));
        assert!(after.ready_to_send(after.steps.len() - 1));
    }

    #[test]
    fn the_rbac_path_assigns_the_encryption_user_role_at_the_vault() {
        let p = plan(&all_new(true), &Outputs { identity: Some(made_identity()), key: None }, 0).unwrap();
        let step = p.step(StepKind::Access).unwrap();
        assert!(step
            .write
            .request
            .path
            .contains("/vaults/kv-cmk/providers/Microsoft.Authorization/roleAssignments/6d6f636b-0000-4000-8000-00000000f0f0"));
        let body = step.write.request.body.clone().unwrap();
        assert_eq!(body["properties"]["principalId"], PRINCIPAL);
        assert!(body["properties"]["roleDefinitionId"].as_str().unwrap().ends_with(KeyVaultRole::CryptoServiceEncryptionUser.guid()));
    }

    fn existing_vault(rbac: bool, policy_for: Option<&str>, purge: bool) -> Vault {
        let policies: Vec<serde_json::Value> = policy_for
            .map(|p| vec![json!({"tenantId": TENANT, "objectId": p, "permissions": {"keys": ["get", "wrapKey", "unwrapKey"]}})])
            .unwrap_or_default();
        serde_json::from_value(json!({
            "id": format!("/subscriptions/{SUB}/resourceGroups/rg-acr-demo/providers/Microsoft.KeyVault/vaults/kv-acr-demo"),
            "name": "kv-acr-demo",
            "etag": "W/\"1\"",
            "properties": {"tenantId": TENANT, "vaultUri": "https://kv-acr-demo.vault.azure.net/", "enableSoftDelete": true,
                "enablePurgeProtection": purge, "enableRbacAuthorization": rbac, "accessPolicies": policies},
        }))
        .unwrap()
    }

    fn existing_key(kty: &str) -> ArmKey {
        serde_json::from_value(json!({"name": "acr-cmk-key", "properties": {"kty": kty, "attributes": {"enabled": true, "created": 5},
            "keyUriWithVersion": format!("https://kv-acr-demo.vault.azure.net:443/keys/acr-cmk-key/{V1}")}}))
        .unwrap()
    }

    #[test]
    fn an_existing_grant_is_skipped_and_said_so() {
        let mut c = all_new(false);
        c.group = GroupChoice::Existing { name: "rg-acr-demo".into() };
        c.identity = IdentityChoice::Existing(made_identity());
        c.vault = VaultChoice::Existing {
            vault: existing_vault(false, Some(PRINCIPAL), true),
            role_assignments: vec![],
            enable_purge_protection: false,
        };
        c.key = KeyChoice::Existing { key: existing_key("RSA"), versions: vec![existing_key("RSA")] };
        c.rotation = Rotation::Pinned;
        let p = plan(&c, &Outputs::default(), 0).unwrap();
        assert_eq!(p.steps.iter().map(|s| s.kind).collect::<Vec<_>>(), vec![StepKind::Registry], "only the registry is left to make");
        assert_eq!(p.skipped.len(), 1);
        assert!(p.skipped[0].to_string().contains("already grants"), "{:?}", p.skipped);
        assert_eq!(p.key_identifier, format!("https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key/{V1}"));
    }

    #[test]
    fn consenting_to_purge_protection_adds_the_vault_patch_before_the_grant() {
        let mut c = all_new(false);
        c.identity = IdentityChoice::Existing(made_identity());
        c.vault =
            VaultChoice::Existing { vault: existing_vault(false, None, false), role_assignments: vec![], enable_purge_protection: true };
        let p = plan(&c, &Outputs::default(), 0).unwrap();
        let kinds: Vec<StepKind> = p.steps.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, vec![StepKind::Group, StepKind::PurgeProtection, StepKind::Access, StepKind::Key, StepKind::Registry]);
        assert_eq!(p.steps[1].write.request.body.as_ref().unwrap()["properties"]["enablePurgeProtection"], true);
    }

    #[test]
    fn each_steps_title_is_its_summary_in_english_and_has_korean() {
        let mut policy_vault = all_new(false);
        policy_vault.identity = IdentityChoice::Existing(made_identity());
        policy_vault.vault =
            VaultChoice::Existing { vault: existing_vault(false, None, false), role_assignments: vec![], enable_purge_protection: true };
        for (c, outputs) in [
            (all_new(false), Outputs::default()),
            (all_new(true), Outputs::default()),
            (all_new(true), Outputs { identity: Some(made_identity()), key: None }),
            (policy_vault, Outputs::default()),
        ] {
            let p = plan(&c, &outputs, 0).unwrap();
            for s in &p.steps {
                assert_eq!(s.title, s.write.summary, "{:?}", s.kind);
                assert!(!s.title.get(crate::text::Lang::Ko).contains("Create"), "{:?}", s.title);
            }
        }
        let p = plan(&all_new(false), &Outputs::default(), 0).unwrap();
        let grant = p.step(StepKind::Access).unwrap();
        assert_eq!(grant.title, grant.write.summary, "the pending principal reads the same in English");
        assert!(grant.title.get(crate::text::Lang::Ko).contains("<보안 주체 ID"), "{}", grant.title.get(crate::text::Lang::Ko));
    }

    #[test]
    fn refusals_come_before_any_request() {
        let mut c = all_new(false);
        c.key = KeyChoice::Existing { key: existing_key("EC"), versions: vec![existing_key("EC")] };
        assert_eq!(plan(&c, &Outputs::default(), 0).unwrap_err().code, CODE_KEY_TYPE);
    }
}
