//! Registry create (PUT), update (PATCH) and delete, as long-running operations,
//! and the seed article's customer-managed-key rules they enforce:
//! CMK only at creation, only on Premium, with a user-assigned identity; never
//! disabled; no SKU below Premium; RSA keys only; no content trust; the
//! encrypting identity stays attached; the key must be reachable.

use std::collections::BTreeMap;

use acr_cmk_domain::identity::{IdentityKinds, IdentityProperties, UserIdentityProperties};
use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::{EncryptionProperty, KeyVaultProperties, Policies, Registry, Sku};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::api_versions::Provider;
use crate::errors::{ArmError, ArmResult};
use crate::http::{Req, Route};
use crate::key_access::{self, Failure};
use crate::state::AppState;
use crate::subscription::require_group;
use crate::world::{eq, OpKind, RegistryRec, World};
use crate::{clock, lro, region, registry};

pub fn routes() -> Vec<Route> {
    let p = Provider::ContainerRegistry;
    vec![
        Route::arm(Method::PUT, registry::BASE, p, create),
        Route::arm(Method::PATCH, registry::BASE, p, update),
        Route::arm(Method::DELETE, registry::BASE, p, delete),
    ]
}

pub const CODE_PREMIUM: &str = "CmkRequiresPremiumSku";
pub const CODE_NOT_AT_UPDATE: &str = "CmkCannotBeEnabledAfterCreation";
pub const CODE_CANNOT_DISABLE: &str = "CmkCannotBeDisabled";
pub const CODE_USER_IDENTITY: &str = "CmkRequiresUserAssignedIdentity";
pub const CODE_TRUST: &str = "ContentTrustNotSupportedWithCmk";
pub const CODE_PURGE_PROTECTION: &str = "CmkRequiresPurgeProtection";

/// The seed: the vault holding a CMK must have soft delete and purge protection, so a
/// deleted key or vault cannot take the registry's data with it. Checked at creation,
/// after key access (a vault that cannot be read is reported as that first).
fn require_purge_protection(world: &World, key_identifier: &str) -> ArmResult<()> {
    let Some(vault) = KeyId::parse(key_identifier).ok().and_then(|k| world.vault_by_name(k.vault_name())) else {
        return Ok(());
    };
    let props = &vault.vault.properties;
    if props.enable_soft_delete != Some(false) && props.enable_purge_protection == Some(true) {
        return Ok(());
    }
    Err(ArmError::bad_request(
        CODE_PURGE_PROTECTION,
        format!(
            "The key vault '{}' must have soft delete and purge protection enabled to hold a customer-managed key. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.",
            vault.vault.name
        ),
    ))
}

fn fail(f: Failure) -> ArmError {
    ArmError::bad_request(f.code, f.message)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    location: Option<String>,
    #[serde(default)]
    tags: Option<BTreeMap<String, String>>,
    sku: Option<Sku>,
    #[serde(default)]
    properties: Option<UpdateProps>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct UpdateProps {
    #[serde(default)]
    admin_user_enabled: Option<bool>,
    #[serde(default)]
    policies: Option<Policies>,
    #[serde(default)]
    encryption: Option<EncryptionProperty>,
    #[serde(flatten)]
    other: Map<String, Value>,
}

impl UpdateProps {
    /// Applies the plain settings (admin user, policies, anything unmodelled)
    /// and hands back the encryption part, whose rules differ between create
    /// and update.
    fn apply_settings(self, reg: &mut Registry) -> Option<EncryptionProperty> {
        if let Some(a) = self.admin_user_enabled {
            reg.properties.admin_user_enabled = Some(a);
        }
        if let Some(p) = self.policies {
            merge_policies(&mut reg.properties.policies, p);
        }
        merge_other(&mut reg.properties.other, self.other);
        self.encryption
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody {
    #[serde(default)]
    identity: Option<Value>,
    #[serde(default)]
    tags: Option<BTreeMap<String, String>>,
    #[serde(default)]
    sku: Option<Sku>,
    #[serde(default)]
    properties: Option<UpdateProps>,
}

/// Properties ARM computes; clients may echo them back, they are ignored.
const READ_ONLY: [&str; 7] =
    ["loginServer", "creationDate", "provisioningState", "status", "dataEndpointHostNames", "privateEndpointConnections", "id"];

/// The property names the CMK rules read, in the service's casing.
const NAMES: [&str; 12] = [
    "location",
    "tags",
    "sku",
    "identity",
    "properties",
    "adminUserEnabled",
    "policies",
    "encryption",
    "status",
    "keyVaultProperties",
    "keyIdentifier",
    "userAssignedIdentities",
];

/// ACR reads property names ignoring case (the seed's template writes `KeyIdentifier`), so a
/// known name in any casing is read as the service spells it.
fn canonical_names(mut v: Value) -> Value {
    if let Value::Object(map) = &mut v {
        let renamed: Map<String, Value> = std::mem::take(map)
            .into_iter()
            .map(|(k, x)| {
                let k = NAMES.iter().find(|n| n.eq_ignore_ascii_case(&k)).map(|n| n.to_string()).unwrap_or(k);
                (k, canonical_names(x))
            })
            .collect();
        *map = renamed;
    }
    v
}

fn check_name(name: &str) -> ArmResult<()> {
    match registry::invalid_name(name) {
        Some(message) => Err(ArmError::bad_request("InvalidResourceName", message)),
        None => Ok(()),
    }
}

fn check_sku(sku: &Sku) -> ArmResult<String> {
    ["Basic", "Standard", "Premium"].iter().find(|s| s.eq_ignore_ascii_case(&sku.name)).map(|s| s.to_string()).ok_or_else(|| {
        ArmError::bad_request("InvalidSku", format!("The SKU '{}' is not valid. Valid SKUs are Basic, Standard and Premium.", sku.name))
    })
}

/// The service's casing for identity types.
fn service_type(kinds: IdentityKinds) -> Option<String> {
    match (kinds.system, kinds.user) {
        (true, true) => Some("systemAssigned, userAssigned".into()),
        (true, false) => Some("systemAssigned".into()),
        (false, true) => Some("userAssigned".into()),
        (false, false) => None,
    }
}

fn missing_identity(id: &str) -> ArmError {
    ArmError::bad_request(
        "FailedIdentityOperation",
        format!(
            "Identity operation for resource failed with error 'Failed to perform resource identity operation. Status: 'NotFound'. Response: '{{\"error\":{{\"code\":\"NotFound\",\"message\":\"Resource '{id}' was not found.\"}}}}'.'."
        ),
    )
}

/// Applies a requested identity block (`type` + `userAssignedIdentities`, where
/// `null` removes one) to the current one; returns the new block and the system client id.
/// The identity after `requested`: a PATCH merges user-assigned identities (a `null` entry
/// detaches one), a PUT (`replace`) names the whole set, as `az acr identity remove` relies on.
fn apply_identity(
    world: &World,
    current: Option<&IdentityProperties>,
    current_system_client: Option<&str>,
    requested: &Value,
    replace: bool,
) -> ArmResult<(Option<IdentityProperties>, Option<String>)> {
    let current = current.cloned().unwrap_or_default();
    let kinds = match requested.get("type") {
        Some(Value::String(t)) => {
            let k = IdentityKinds::parse(t);
            let valid = t
                .split(',')
                .map(|p| p.trim().to_ascii_lowercase())
                .all(|p| ["systemassigned", "userassigned", "none"].contains(&p.as_str()));
            if !valid {
                return Err(ArmError::bad_request(
                    "InvalidIdentityType",
                    format!("The identity type '{t}' is invalid. Allowed values are 'SystemAssigned', 'UserAssigned', 'SystemAssigned, UserAssigned' and 'None'."),
                ));
            }
            k
        }
        Some(Value::Null) | None => current.kinds(),
        Some(other) => return Err(ArmError::invalid_body(format!("identity.type must be a string, got {other}"))),
    };
    let mut users: BTreeMap<String, UserIdentityProperties> =
        if kinds.user && !replace { current.user_assigned_identities.clone().unwrap_or_default() } else { BTreeMap::new() };
    if let Some(map) = requested.get("userAssignedIdentities").filter(|v| !v.is_null()) {
        let Some(map) = map.as_object() else {
            return Err(ArmError::invalid_body("identity.userAssignedIdentities must be an object"));
        };
        if !kinds.user && !map.is_empty() {
            return Err(ArmError::bad_request(
                "InvalidIdentityValues",
                "The identity type must include 'UserAssigned' when userAssignedIdentities are given.",
            ));
        }
        for (id, v) in map {
            if v.is_null() {
                users.retain(|k, _| !acr_cmk_domain::arm::same_id(k, id));
                continue;
            }
            let rec = world.identity_by_resource_id(id).ok_or_else(|| missing_identity(id))?;
            users.retain(|k, _| !acr_cmk_domain::arm::same_id(k, id));
            users.insert(
                rec.id(),
                UserIdentityProperties { principal_id: Some(rec.principal_id.clone()), client_id: Some(rec.client_id.clone()) },
            );
        }
    }
    if kinds.user && users.is_empty() {
        return Err(ArmError::bad_request(
            "InvalidIdentityValues",
            "Invalid value for the identities: the 'UserAssigned' type requires at least one user-assigned identity.",
        ));
    }
    let (principal, tenant, client) = if kinds.system {
        match (&current.principal_id, current.kinds().system) {
            (Some(p), true) => (
                Some(p.clone()),
                Some(current.tenant_id.clone().unwrap_or_else(|| world.tenant_id.clone())),
                current_system_client.map(str::to_string),
            ),
            _ => (Some(world.ids.guid()), Some(world.tenant_id.clone()), Some(world.ids.guid())),
        }
    } else {
        (None, None, None)
    };
    let Some(kind) = service_type(kinds) else { return Ok((None, None)) };
    Ok((
        Some(IdentityProperties {
            principal_id: principal,
            tenant_id: tenant,
            kind: Some(kind),
            user_assigned_identities: if kinds.user { Some(users) } else { None },
        }),
        client,
    ))
}

fn is_premium(sku: &Sku) -> bool {
    sku.name.eq_ignore_ascii_case("premium")
}

fn trust_enabled(p: &Option<Policies>) -> bool {
    p.as_ref().and_then(|p| p.trust_policy.as_ref()).and_then(|t| t.status.as_deref()).is_some_and(|s| s.eq_ignore_ascii_case("enabled"))
}

fn trust_error(name: &str) -> ArmError {
    ArmError::bad_request(CODE_TRUST, format!("Content trust is not supported on the registry '{name}' because it is encrypted with a customer-managed key. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'."))
}

fn merge_other(target: &mut Map<String, Value>, other: Map<String, Value>) {
    for (k, v) in other {
        if READ_ONLY.iter().any(|r| r.eq_ignore_ascii_case(&k)) {
            continue;
        }
        target.insert(k, v);
    }
}

fn merge_policies(target: &mut Option<Policies>, given: Policies) {
    let t = target.get_or_insert_with(Policies::default);
    if let Some(tp) = given.trust_policy {
        let cur = t.trust_policy.get_or_insert_with(Default::default);
        if tp.kind.is_some() {
            cur.kind = tp.kind;
        }
        if tp.status.is_some() {
            cur.status = tp.status;
        }
    }
    for (k, v) in given.other {
        t.other.insert(k, v);
    }
}

/// Sets the key on a CMK registry after checking the registry can reach it.
fn set_key(world: &World, reg: &mut Registry, key_identifier: &str, identity: &str, now: i64) -> ArmResult<()> {
    let versioned = key_access::evaluate(world, reg, key_identifier, identity, now).map_err(fail)?;
    let kid = KeyId::parse(key_identifier).map_err(|e| ArmError::bad_request(key_access::CODE_KEY_ID, e.to_string()))?;
    reg.properties.encryption = Some(EncryptionProperty {
        status: Some("enabled".into()),
        key_vault_properties: Some(KeyVaultProperties {
            key_identifier: Some(key_identifier.trim().to_string()),
            versioned_key_identifier: Some(versioned),
            identity: Some(identity.to_string()),
            key_rotation_enabled: Some(kid.is_versionless()),
            last_key_rotation_timestamp: Some(clock::rfc3339_millis(clock::now_millis())),
        }),
    });
    Ok(())
}

fn wants_cmk(enc: &EncryptionProperty) -> bool {
    enc.is_enabled() || enc.key_vault_properties.as_ref().is_some_and(|k| k.key_identifier.is_some())
}

pub fn create(state: &AppState, req: &Req) -> ArmResult<Response> {
    let (sub, rg, name) = (req.param("subscriptionId"), req.param("resourceGroupName"), req.param("registryName"));
    {
        let world = state.world();
        require_group(&world, sub, rg)?;
    }
    let exists = state.world().registry_index(sub, rg, name).is_some();
    if exists {
        // PUT on an existing registry replaces what it names: the same rules as PATCH.
        return update(state, req);
    }
    check_name(name)?;
    let raw = canonical_names(req.json_value()?);
    let body: CreateBody = serde_json::from_value(raw.clone()).map_err(ArmError::invalid_body)?;
    let location = body
        .location
        .clone()
        .filter(|l| !l.is_empty())
        .ok_or_else(|| ArmError::bad_request("LocationRequired", "The location property is required for this definition."))?;
    let location = region::known(&location).ok_or_else(|| region::not_available(&location, registry::TYPE))?.to_string();
    let sku = body.sku.clone().ok_or_else(|| ArmError::bad_request("MissingSku", "The sku property is required for a registry."))?;
    let sku_name = check_sku(&sku)?;
    let now = clock::now_secs();
    let mut world = state.world();
    if world.registries.iter().any(|r| eq(&r.registry.name, name)) {
        return Err(ArmError::conflict("AlreadyInUse", registry::name_in_use(name)));
    }
    let mut reg = registry::new_registry(sub, rg, name, &location, Sku { name: sku_name, tier: None }, clock::now_millis());
    if let Some(tags) = body.tags {
        reg.tags = tags;
    }
    let mut system_client = None;
    if let Some(id) = raw.get("identity").filter(|v| !v.is_null()) {
        let (identity, client) = apply_identity(&world, None, None, id, true)?;
        reg.identity = identity;
        system_client = client;
    }
    let encryption = body.properties.unwrap_or_default().apply_settings(&mut reg);
    if let Some(enc) = encryption.filter(wants_cmk) {
        if !is_premium(&reg.sku) {
            return Err(ArmError::bad_request(
                CODE_PREMIUM,
                "Customer-managed key encryption is only supported on registries in the Premium service tier. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.",
            ));
        }
        let kv = enc.key_vault_properties.unwrap_or_default();
        let key = kv.key_identifier.clone().ok_or_else(|| {
            ArmError::bad_request(
                key_access::CODE_KEY_ID,
                "encryption.keyVaultProperties.keyIdentifier is required to enable a customer-managed key.",
            )
        })?;
        let identity = kv.identity.clone().unwrap_or_default();
        let user_ok =
            !identity.is_empty() && !identity.eq_ignore_ascii_case("system") && reg.identity.as_ref().is_some_and(|i| i.kinds().user);
        if !user_ok {
            return Err(ArmError::bad_request(
                CODE_USER_IDENTITY,
                "A user-assigned managed identity is required to enable a customer-managed key when the registry is created: set identity.userAssignedIdentities and encryption.keyVaultProperties.identity to that identity's client id. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.",
            ));
        }
        set_key(&world, &mut reg, &key, &identity, now)?;
        require_purge_protection(&world, &key)?;
        if trust_enabled(&reg.properties.policies) {
            return Err(trust_error(name));
        }
    }
    let mut shown = reg.clone();
    shown.properties.provisioning_state = Some("Creating".into());
    world.registries.push(RegistryRec {
        subscription_id: reg_sub(&reg),
        resource_group: rg.to_string(),
        registry: reg.clone(),
        system_client_id: system_client.clone(),
        pending_state: Some("Creating".into()),
    });
    let op = lro::begin(&mut world, OpKind::Create, sub, rg, name, Some(reg), system_client, req.lro_fail);
    let rec = &world.registries[world.registries.len() - 1];
    let body = registry::view(&world, rec);
    Ok(lro::accepted(req, StatusCode::CREATED, &op, body))
}

fn reg_sub(reg: &Registry) -> String {
    acr_cmk_domain::arm::ResourceId::parse(&reg.id).map(|r| r.subscription_id).unwrap_or_default()
}

pub fn update(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: UpdateBody = serde_json::from_value(canonical_names(req.json_value()?)).map_err(ArmError::invalid_body)?;
    let now = clock::now_secs();
    let mut world = state.world();
    let idx = registry::find(&world, req)?;
    let rec = world.registries[idx].clone();
    if let Some(p) = &rec.pending_state {
        return Err(ArmError::conflict(
            "AnotherOperationInProgress",
            format!("Another operation ({p}) is in progress on the registry '{}'. Please retry after it completes.", rec.registry.name),
        ));
    }
    let old = rec.registry.clone();
    let mut reg = old.clone();
    let cmk_on = old.properties.encryption.as_ref().is_some_and(|e| e.is_enabled());

    if let Some(tags) = body.tags {
        reg.tags = tags;
    }
    if let Some(sku) = body.sku {
        let name = check_sku(&sku)?;
        if cmk_on && !name.eq_ignore_ascii_case("premium") {
            return Err(ArmError::bad_request(
                CODE_PREMIUM,
                format!("The registry '{}' is encrypted with a customer-managed key and must stay in the Premium service tier; it cannot be changed to '{name}'. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.", old.name),
            ));
        }
        reg.sku = Sku { name: name.clone(), tier: Some(name) };
    }
    let mut system_client = rec.system_client_id.clone();
    if let Some(id) = body.identity.as_ref().filter(|v| !v.is_null()) {
        let (identity, client) =
            apply_identity(&world, old.identity.as_ref(), rec.system_client_id.as_deref(), id, req.method == Method::PUT)?;
        reg.identity = identity;
        system_client = client;
    }
    let encryption = body.properties.unwrap_or_default().apply_settings(&mut reg);

    let mut key_changed = false;
    if let Some(enc) = encryption {
        let disabling = enc.status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("disabled"));
        if cmk_on && disabling {
            return Err(ArmError::bad_request(
                CODE_CANNOT_DISABLE,
                format!("Customer-managed key encryption cannot be disabled on the registry '{}' once it is enabled. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.", old.name),
            ));
        }
        if !cmk_on && wants_cmk(&enc) {
            return Err(ArmError::bad_request(
                CODE_NOT_AT_UPDATE,
                format!("Customer-managed key encryption can only be enabled when a registry is created; the registry '{}' was created without it. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.", old.name),
            ));
        }
        if cmk_on {
            if let Some(kv) = enc.key_vault_properties {
                let cur = old.key_vault_properties().cloned().unwrap_or_default();
                let cur_key = cur.key_identifier.clone().unwrap_or_default();
                let cur_identity = cur.identity.clone().unwrap_or_default();
                let key = kv.key_identifier.or(cur.key_identifier).unwrap_or_default();
                let identity = kv.identity.or(cur.identity).unwrap_or_default();
                // azure-cli sends the whole registry back on every update. The key is checked when
                // the update brings new key settings, or the same ones and no identity change
                // (`az acr encryption rotate-key` to the same key: refused while access is revoked, as
                // the seed has it); not when the same settings come back beside an identity change
                // (`az acr identity assign`: the seed's firewall fix runs it while the firewall still
                // keeps the user-assigned identity out).
                let echoed = key == cur_key && identity.eq_ignore_ascii_case(&cur_identity);
                if !echoed || reg.identity == old.identity {
                    set_key(&world, &mut reg, &key, &identity, now)?;
                    key_changed = true;
                }
            }
        }
    }
    if cmk_on {
        // The encrypting identity must stay attached (the seed's troubleshooting error).
        if !key_changed {
            let identity = reg.key_vault_properties().and_then(|k| k.identity.clone()).unwrap_or_default();
            if key_access::principal_of(&reg, &identity).is_none() {
                return Err(fail(key_access::identity_not_attached(&old, &identity)));
            }
        }
        if trust_enabled(&reg.properties.policies) {
            return Err(trust_error(&old.name));
        }
    }
    world.registries[idx].pending_state = Some("Updating".into());
    let (sub, rg, name) = (rec.subscription_id.clone(), rec.resource_group.clone(), old.name.clone());
    let op = lro::begin(&mut world, OpKind::Update, &sub, &rg, &name, Some(reg), system_client, req.lro_fail);
    let body = registry::view(&world, &world.registries[idx]);
    Ok(lro::accepted(req, StatusCode::CREATED, &op, body))
}

pub fn delete(state: &AppState, req: &Req) -> ArmResult<Response> {
    let (sub, rg, name) = (req.param("subscriptionId"), req.param("resourceGroupName"), req.param("registryName"));
    let mut world = state.world();
    require_group(&world, sub, rg)?;
    let Some(idx) = world.registry_index(sub, rg, name) else {
        return Ok(StatusCode::NO_CONTENT.into_response_with_empty());
    };
    if let Some(p) = &world.registries[idx].pending_state {
        return Err(ArmError::conflict(
            "AnotherOperationInProgress",
            format!("Another operation ({p}) is in progress on the registry '{name}'."),
        ));
    }
    world.registries[idx].pending_state = Some("Deleting".into());
    let rec = world.registries[idx].clone();
    let op =
        lro::begin(&mut world, OpKind::Delete, &rec.subscription_id, &rec.resource_group, &rec.registry.name, None, None, req.lro_fail);
    Ok(lro::accepted(req, StatusCode::ACCEPTED, &op, Value::Null))
}

trait EmptyResponse {
    fn into_response_with_empty(self) -> Response;
}

impl EmptyResponse for StatusCode {
    fn into_response_with_empty(self) -> Response {
        axum::response::IntoResponse::into_response(self)
    }
}
