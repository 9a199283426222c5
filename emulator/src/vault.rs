//! `Microsoft.KeyVault/vaults` (2025-05-01): create/update/get/list/delete with
//! soft delete, purge protection (irreversible), RBAC or access-policy
//! authorization, network ACLs and `accessPolicies/{add|replace|remove}`: the
//! vault facts that decide whether a registry reaches its key.

use acr_cmk_domain::vault::{
    AccessPolicyEntry, NetworkRuleSet, Permissions, Vault, VaultAccessPolicyParameters, VaultProperties, VaultSku,
};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::api_versions::Provider;
use crate::clock;
use crate::errors::{ArmError, ArmResult};
use crate::http::{join, json, page, Req, Route};
use crate::state::AppState;
use crate::subscription::{require_group, require_subscription};
use crate::world::{eq, fresh_etag, VaultRec, World};

pub const TYPE: &str = "Microsoft.KeyVault/vaults";
const ONE: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults/{vaultName}";

pub fn routes() -> Vec<Route> {
    let p = Provider::KeyVault;
    vec![
        Route::arm(Method::GET, "/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/vaults", p, list_sub),
        Route::arm(
            Method::GET,
            "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults",
            p,
            list_group,
        ),
        Route::arm(Method::GET, ONE, p, get),
        Route::arm(Method::PUT, ONE, p, put),
        Route::arm(Method::PATCH, ONE, p, patch),
        Route::arm(Method::DELETE, ONE, p, delete),
        Route::arm(Method::PUT, join(ONE, "/accessPolicies/{operationKind}"), p, access_policies),
        Route::arm(Method::GET, "/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/deletedVaults", p, list_deleted),
        Route::arm(
            Method::GET,
            "/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{vaultName}",
            p,
            get_deleted,
        ),
        Route::arm(
            Method::POST,
            "/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{vaultName}/purge",
            p,
            purge,
        ),
    ]
}

pub fn vault_id(sub: &str, rg: &str, name: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}")
}

pub fn new_vault(sub: &str, rg: &str, name: &str, location: &str, tenant: &str) -> Vault {
    Vault {
        id: vault_id(sub, rg, name),
        name: name.to_string(),
        resource_type: TYPE.into(),
        location: location.to_string(),
        tags: Default::default(),
        properties: VaultProperties {
            tenant_id: tenant.to_string(),
            sku: VaultSku::default(),
            access_policies: Vec::new(),
            vault_uri: Some(format!("https://{}.vault.azure.net/", name.to_ascii_lowercase())),
            enabled_for_deployment: Some(false),
            enabled_for_disk_encryption: Some(false),
            enabled_for_template_deployment: Some(false),
            enable_soft_delete: Some(true),
            soft_delete_retention_in_days: Some(90),
            enable_rbac_authorization: Some(false),
            enable_purge_protection: None,
            network_acls: None,
            provisioning_state: Some("Succeeded".into()),
            public_network_access: Some("Enabled".into()),
            other: Default::default(),
        },
        // The record's ETag is the one served (see `view`).
        etag: None,
    }
}

fn view(v: &VaultRec) -> Value {
    let mut out = serde_json::to_value(&v.vault).unwrap_or(Value::Null);
    if let Some(obj) = out.as_object_mut() {
        obj.insert("etag".into(), Value::String(v.etag.clone()));
    }
    out
}

/// The vault as a `200` with its body and its `ETag` header.
fn answer(v: &VaultRec) -> Response {
    let mut resp = json(StatusCode::OK, view(v));
    if let Ok(value) = axum::http::HeaderValue::from_str(&v.etag) {
        resp.headers_mut().insert(axum::http::header::ETAG, value);
    }
    resp
}

/// `If-Match` against the vault's current ETag (`None`: no such vault). Absent: anything goes;
/// `*`: any existing vault; otherwise one of the listed tags must be the current one (weak
/// comparison, as ARM's tags are weak). A mismatch is `412 PreconditionFailed` and changes nothing.
pub fn check_if_match(req: &Req, current: Option<&str>) -> ArmResult<()> {
    let Some(given) = req.headers.get(axum::http::header::IF_MATCH) else { return Ok(()) };
    let given = given.to_str().unwrap_or("");
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let matches = current.is_some_and(|cur| given.split(',').any(|t| t.trim() == "*" || opaque(t) == opaque(cur)));
    if matches {
        return Ok(());
    }
    Err(ArmError::new(
        StatusCode::PRECONDITION_FAILED,
        "PreconditionFailed",
        match current {
            Some(cur) => format!("The condition specified using HTTP conditional header(s) is not met: If-Match '{given}' does not match the vault's current ETag {cur}."),
            None => format!("The condition specified using HTTP conditional header(s) is not met: If-Match '{given}' names a vault that does not exist."),
        },
    ))
}

fn list_sub(state: &AppState, req: &Req) -> ArmResult<Response> {
    let sub = req.param("subscriptionId");
    let items = {
        let w = state.world();
        require_subscription(&w, sub)?;
        w.vaults.iter().filter(|v| v.deleted_at.is_none() && eq(&v.subscription_id, sub)).map(view).collect()
    };
    Ok(page(state, req, items))
}

fn list_group(state: &AppState, req: &Req) -> ArmResult<Response> {
    let (sub, rg) = (req.param("subscriptionId"), req.param("resourceGroupName"));
    let items = {
        let w = state.world();
        require_group(&w, sub, rg)?;
        w.vaults.iter().filter(|v| v.deleted_at.is_none() && eq(&v.subscription_id, sub) && eq(&v.resource_group, rg)).map(view).collect()
    };
    Ok(page(state, req, items))
}

/// The live vault named in the path, or ARM's 404s.
pub fn find(w: &World, req: &Req) -> ArmResult<usize> {
    let (sub, rg, name) = (req.param("subscriptionId"), req.param("resourceGroupName"), req.param("vaultName"));
    require_group(w, sub, rg)?;
    w.vault_index(sub, rg, name).ok_or_else(|| ArmError::resource_not_found(TYPE, name, rg))
}

fn get(state: &AppState, req: &Req) -> ArmResult<Response> {
    let w = state.world();
    let i = find(&w, req)?;
    Ok(answer(&w.vaults[i]))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VaultBody {
    location: Option<String>,
    #[serde(default)]
    tags: Option<std::collections::BTreeMap<String, String>>,
    properties: Option<Value>,
}

fn check_name(name: &str) -> ArmResult<()> {
    let ok = (3..=24).contains(&name.len())
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.contains("--");
    if ok {
        Ok(())
    } else {
        Err(ArmError::bad_request(
            "VaultNameNotValid",
            format!("The vault name '{name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens."),
        ))
    }
}

fn purge_protection_error() -> ArmError {
    ArmError::bad_request(
        "BadRequest",
        "The property \"enablePurgeProtection\" cannot be set to false. Enabling the purge protection for a vault is an irreversible action.",
    )
}

fn soft_delete_error() -> ArmError {
    ArmError::bad_request(
        "BadRequest",
        "The property \"enableSoftDelete\" cannot be set to false. Soft delete cannot be disabled once it is enabled.",
    )
}

/// Applies the given `properties` object onto `props` (PUT and PATCH share it; PUT starts from defaults).
fn apply_props(props: &mut VaultProperties, given: &Map<String, Value>, was_purge_protected: bool) -> ArmResult<()> {
    let merged = {
        let mut cur = serde_json::to_value(&*props).unwrap_or_default();
        if let Some(obj) = cur.as_object_mut() {
            for (k, v) in given {
                if ["vaultUri", "provisioningState", "hsmPoolResourceId", "createMode"].iter().any(|r| r.eq_ignore_ascii_case(k)) {
                    continue;
                }
                obj.insert(k.clone(), v.clone());
            }
        }
        cur
    };
    let mut next: VaultProperties = serde_json::from_value(merged).map_err(ArmError::invalid_body)?;
    if was_purge_protected && next.enable_purge_protection != Some(true) {
        if given.get("enablePurgeProtection").is_some_and(|v| v == &Value::Bool(false)) {
            return Err(purge_protection_error());
        }
        next.enable_purge_protection = Some(true);
    }
    if given.get("enablePurgeProtection").is_some_and(|v| v == &Value::Bool(false)) {
        return Err(purge_protection_error());
    }
    if next.enable_soft_delete == Some(false) {
        return Err(soft_delete_error());
    }
    if let Some(days) = next.soft_delete_retention_in_days {
        if !(7..=90).contains(&days) {
            return Err(ArmError::bad_request("BadRequest", "The property \"softDeleteRetentionInDays\" must be between 7 and 90."));
        }
    }
    if let Some(acls) = &next.network_acls {
        check_acls(acls)?;
    }
    for p in &next.access_policies {
        check_policy(p)?;
    }
    next.vault_uri = props.vault_uri.clone();
    next.provisioning_state = Some("Succeeded".into());
    *props = next;
    Ok(())
}

fn check_acls(acls: &NetworkRuleSet) -> ArmResult<()> {
    if let Some(a) = &acls.default_action {
        if !a.eq_ignore_ascii_case("allow") && !a.eq_ignore_ascii_case("deny") {
            return Err(ArmError::bad_request(
                "BadRequest",
                format!("The value '{a}' of networkAcls.defaultAction is invalid. Allowed values are 'Allow' and 'Deny'."),
            ));
        }
    }
    if let Some(b) = &acls.bypass {
        if !b.eq_ignore_ascii_case("azureservices") && !b.eq_ignore_ascii_case("none") {
            return Err(ArmError::bad_request(
                "BadRequest",
                format!("The value '{b}' of networkAcls.bypass is invalid. Allowed values are 'AzureServices' and 'None'."),
            ));
        }
    }
    Ok(())
}

const KEY_PERMS: [&str; 20] = [
    "all",
    "encrypt",
    "decrypt",
    "wrapkey",
    "unwrapkey",
    "sign",
    "verify",
    "get",
    "list",
    "create",
    "update",
    "import",
    "delete",
    "backup",
    "restore",
    "recover",
    "purge",
    "release",
    "rotate",
    "getrotationpolicy",
];

fn check_policy(p: &AccessPolicyEntry) -> ArmResult<()> {
    if uuid::Uuid::parse_str(&p.object_id).is_err() || uuid::Uuid::parse_str(&p.tenant_id).is_err() {
        return Err(ArmError::bad_request(
            "BadRequest",
            format!(
                "An access policy entry needs a GUID tenantId and objectId; got tenantId '{}' and objectId '{}'.",
                p.tenant_id, p.object_id
            ),
        ));
    }
    for k in p.permissions.keys.iter().flatten() {
        if !KEY_PERMS.contains(&k.to_ascii_lowercase().as_str()) && !k.eq_ignore_ascii_case("setrotationpolicy") {
            return Err(ArmError::bad_request("BadRequest", format!("The key permission '{k}' is invalid.")));
        }
    }
    Ok(())
}

fn put(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: VaultBody = req.json()?;
    let (sub, rg, name) = (req.param("subscriptionId"), req.param("resourceGroupName"), req.param("vaultName"));
    check_name(name)?;
    let given = body.properties.clone().unwrap_or(Value::Null);
    let Some(given) = given.as_object().cloned() else {
        return Err(ArmError::bad_request("BadRequest", "The properties of a vault are required."));
    };
    let mut w = state.world();
    require_group(&w, sub, rg)?;
    let existing = w.vault_index(sub, rg, name);
    check_if_match(req, existing.map(|i| w.vaults[i].etag.as_str()))?;
    if let Some(i) = existing {
        let was = w.vaults[i].vault.properties.enable_purge_protection == Some(true);
        let mut props = VaultProperties { vault_uri: w.vaults[i].vault.properties.vault_uri.clone(), ..VaultProperties::default() };
        apply_props(&mut props, &given, was)?;
        if let Some(t) = body.tags {
            w.vaults[i].vault.tags = t;
        }
        w.vaults[i].vault.properties = props;
        w.vaults[i].etag = fresh_etag();
        return Ok(answer(&w.vaults[i]));
    }
    // A vault that does not exist (also one to recover) needs the whole body, as ARM's schema says.
    let location = body
        .location
        .filter(|l| !l.is_empty())
        .ok_or_else(|| ArmError::bad_request("LocationRequired", "The location property is required for this definition."))?;
    if !given.contains_key("tenantId") || !given.contains_key("sku") {
        return Err(ArmError::bad_request("BadRequest", "The properties 'tenantId' and 'sku' are required to create a vault."));
    }
    let recover = given.get("createMode").and_then(|v| v.as_str()).is_some_and(|m| m.eq_ignore_ascii_case("recover"));
    if let Some(i) = w.vaults.iter().position(|v| v.deleted_at.is_some() && eq(&v.vault.name, name)) {
        if recover {
            w.vaults[i].deleted_at = None;
            w.vaults[i].etag = fresh_etag();
            return Ok(answer(&w.vaults[i]));
        }
        return Err(ArmError::conflict(
            "ConflictError",
            "A vault with the same name already exists in deleted state. You need to either recover or purge existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more information on soft delete.",
        ));
    }
    if recover {
        return Err(ArmError::not_found("NotFound", format!("The deleted vault '{name}' was not found and cannot be recovered.")));
    }
    if w.vaults.iter().any(|v| eq(&v.vault.name, name)) {
        return Err(ArmError::conflict("VaultAlreadyExists", format!("The vault name '{name}' is already in use. Vault names are globally unique so it is possible that the name is already taken.")));
    }
    let mut vault = new_vault(sub, w.resource_group(sub, rg).map(|g| g.name.as_str()).unwrap_or(rg), name, &location, &w.tenant_id.clone());
    apply_props(&mut vault.properties, &given, false)?;
    vault.tags = body.tags.unwrap_or_default();
    let rec = VaultRec { subscription_id: sub.to_string(), resource_group: rg.to_string(), vault, deleted_at: None, etag: fresh_etag() };
    let out = answer(&rec);
    w.vaults.push(rec);
    Ok(out)
}

fn patch(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: VaultBody = req.json()?;
    let mut w = state.world();
    let i = find(&w, req)?;
    check_if_match(req, Some(&w.vaults[i].etag))?;
    if let Some(given) = body.properties.as_ref() {
        let Some(given) = given.as_object() else { return Err(ArmError::invalid_body("properties must be an object")) };
        let was = w.vaults[i].vault.properties.enable_purge_protection == Some(true);
        let mut props = w.vaults[i].vault.properties.clone();
        apply_props(&mut props, given, was)?;
        w.vaults[i].vault.properties = props;
    }
    if let Some(t) = body.tags {
        w.vaults[i].vault.tags = t;
    }
    w.vaults[i].etag = fresh_etag();
    Ok(answer(&w.vaults[i]))
}

fn delete(state: &AppState, req: &Req) -> ArmResult<Response> {
    let mut w = state.world();
    let (sub, rg, name) = (req.param("subscriptionId"), req.param("resourceGroupName"), req.param("vaultName"));
    require_group(&w, sub, rg)?;
    let existing = w.vault_index(sub, rg, name);
    if req.headers.contains_key(axum::http::header::IF_MATCH) {
        check_if_match(req, existing.map(|i| w.vaults[i].etag.as_str()))?;
    }
    let Some(i) = existing else { return Ok(StatusCode::NO_CONTENT.into_response()) };
    // Soft delete: the vault and its keys can be recovered with createMode "recover".
    w.vaults[i].deleted_at = Some(clock::now_secs());
    Ok(StatusCode::OK.into_response())
}

fn deleted_view(v: &VaultRec) -> Value {
    let deleted = v.deleted_at.unwrap_or(0);
    let days = v.vault.properties.soft_delete_retention_in_days.unwrap_or(90) as i64;
    json!({
        "id": format!("/subscriptions/{}/providers/Microsoft.KeyVault/locations/{}/deletedVaults/{}", v.subscription_id, v.vault.location, v.vault.name),
        "name": v.vault.name,
        "type": "Microsoft.KeyVault/deletedVaults",
        "properties": {
            "vaultId": v.vault.id,
            "location": v.vault.location,
            "deletionDate": clock::rfc3339_millis(deleted * 1000),
            "scheduledPurgeDate": clock::rfc3339_millis((deleted + days * 86_400) * 1000),
            "purgeProtectionEnabled": v.vault.properties.enable_purge_protection == Some(true),
            "tags": v.vault.tags,
        }
    })
}

fn list_deleted(state: &AppState, req: &Req) -> ArmResult<Response> {
    let sub = req.param("subscriptionId");
    let items = {
        let w = state.world();
        require_subscription(&w, sub)?;
        w.vaults.iter().filter(|v| v.deleted_at.is_some() && eq(&v.subscription_id, sub)).map(deleted_view).collect()
    };
    Ok(page(state, req, items))
}

fn deleted_index(w: &World, req: &Req) -> ArmResult<usize> {
    let (sub, name) = (req.param("subscriptionId"), req.param("vaultName"));
    require_subscription(w, sub)?;
    w.vaults
        .iter()
        .position(|v| v.deleted_at.is_some() && eq(&v.subscription_id, sub) && eq(&v.vault.name, name))
        .ok_or_else(|| ArmError::not_found("ResourceNotFound", format!("The deleted vault '{name}' was not found.")))
}

fn get_deleted(state: &AppState, req: &Req) -> ArmResult<Response> {
    let w = state.world();
    let i = deleted_index(&w, req)?;
    Ok(json(StatusCode::OK, deleted_view(&w.vaults[i])))
}

fn purge(state: &AppState, req: &Req) -> ArmResult<Response> {
    let mut w = state.world();
    let i = deleted_index(&w, req)?;
    if w.vaults[i].vault.properties.enable_purge_protection == Some(true) {
        return Err(ArmError::conflict(
            "PurgeProtectionEnabled",
            format!("Operation 'purge' is not allowed because purge protection is enabled for the vault '{}'. The vault will be purged automatically after its retention period.", w.vaults[i].vault.name),
        ));
    }
    let name = w.vaults[i].vault.name.clone();
    w.vaults.remove(i);
    w.keys.retain(|k| !eq(&k.vault, &name));
    Ok(StatusCode::ACCEPTED.into_response())
}

fn access_policies(state: &AppState, req: &Req) -> ArmResult<Response> {
    let kind = req.param("operationKind").to_ascii_lowercase();
    if !["add", "replace", "remove"].contains(&kind.as_str()) {
        return Err(ArmError::bad_request(
            "BadRequest",
            format!(
                "The access policy update kind '{}' is invalid. Allowed values are 'add', 'replace' and 'remove'.",
                req.param("operationKind")
            ),
        ));
    }
    let body: VaultAccessPolicyParameters = req.json()?;
    for p in &body.properties.access_policies {
        check_policy(p)?;
    }
    let mut w = state.world();
    let i = find(&w, req)?;
    check_if_match(req, Some(&w.vaults[i].etag))?;
    let policies = &mut w.vaults[i].vault.properties.access_policies;
    for given in &body.properties.access_policies {
        let pos = policies.iter().position(|p| {
            eq(&p.object_id, &given.object_id)
                && eq(&p.tenant_id, &given.tenant_id)
                && p.application_id.as_deref().unwrap_or("").eq_ignore_ascii_case(given.application_id.as_deref().unwrap_or(""))
        });
        match (kind.as_str(), pos) {
            ("add", Some(j)) => policies[j].permissions = union(&policies[j].permissions, &given.permissions),
            ("add", None) | ("replace", None) => policies.push(given.clone()),
            ("replace", Some(j)) => policies[j].permissions = given.permissions.clone(),
            ("remove", Some(j)) => {
                let left = minus(&policies[j].permissions, &given.permissions);
                if is_empty(&left) {
                    policies.remove(j);
                } else {
                    policies[j].permissions = left;
                }
            }
            _ => {}
        }
    }
    w.vaults[i].etag = fresh_etag();
    let vault_id = w.vaults[i].vault.id.clone();
    let mut resp = json(
        StatusCode::OK,
        json!({
            "id": format!("{vault_id}/accessPolicies/{kind}"),
            "type": "Microsoft.KeyVault/vaults/accessPolicies",
            "properties": {"accessPolicies": body.properties.access_policies},
        }),
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&w.vaults[i].etag) {
        resp.headers_mut().insert(axum::http::header::ETAG, value);
    }
    Ok(resp)
}

fn merge_list(a: &Option<Vec<String>>, b: &Option<Vec<String>>, remove: bool) -> Option<Vec<String>> {
    let a = a.clone().unwrap_or_default();
    let b = b.clone().unwrap_or_default();
    let out: Vec<String> = if remove {
        a.into_iter().filter(|x| !b.iter().any(|y| y.eq_ignore_ascii_case(x))).collect()
    } else {
        let mut out = a;
        for y in b {
            if !out.iter().any(|x| x.eq_ignore_ascii_case(&y)) {
                out.push(y);
            }
        }
        out
    };
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

fn union(a: &Permissions, b: &Permissions) -> Permissions {
    Permissions {
        keys: merge_list(&a.keys, &b.keys, false),
        secrets: merge_list(&a.secrets, &b.secrets, false),
        certificates: merge_list(&a.certificates, &b.certificates, false),
        storage: merge_list(&a.storage, &b.storage, false),
    }
}

fn minus(a: &Permissions, b: &Permissions) -> Permissions {
    Permissions {
        keys: merge_list(&a.keys, &b.keys, true),
        secrets: merge_list(&a.secrets, &b.secrets, true),
        certificates: merge_list(&a.certificates, &b.certificates, true),
        storage: merge_list(&a.storage, &b.storage, true),
    }
}

fn is_empty(p: &Permissions) -> bool {
    p.keys.is_none() && p.secrets.is_none() && p.certificates.is_none() && p.storage.is_none()
}
