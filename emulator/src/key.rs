//! Key Vault keys, through ARM (`…/vaults/{v}/keys`, key URIs with `:443`, as
//! the service writes them) and through the data plane (`/_vault/{vault}/…`,
//! api-version 7.x: create / new version, get, versions, update (enable or
//! disable), delete + recover). A new version is what a versionless CMK
//! registry rotates to; disabling or deleting one is how a key is revoked.

use std::collections::BTreeMap;

use acr_cmk_domain::key::{JsonWebKey, KeyAttributes, KeyBundle};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api_versions::Provider;
use crate::auth::Audience;
use crate::clock;
use crate::errors::{ArmError, ArmResult};
use crate::http::{join, json, page, Req, Route};
use crate::state::AppState;
use crate::world::{eq, KeyRec, KeyVersionRec, VaultRec, World};

const VAULT: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults/{vaultName}";

pub fn routes() -> Vec<Route> {
    let p = Provider::KeyVault;
    let d = Provider::KeyVaultData;
    let dp =
        |method: Method, template: &'static str, handler| Route { method, template, provider: d, auth: Some(Audience::Vault), handler };
    vec![
        Route::arm(Method::GET, join(VAULT, "/keys"), p, arm_list),
        Route::arm(Method::GET, join(VAULT, "/keys/{keyName}"), p, arm_get),
        Route::arm(Method::PUT, join(VAULT, "/keys/{keyName}"), p, arm_create),
        Route::arm(Method::GET, join(VAULT, "/keys/{keyName}/versions"), p, arm_versions),
        Route::arm(Method::GET, join(VAULT, "/keys/{keyName}/versions/{keyVersion}"), p, arm_version),
        dp(Method::GET, "/_vault/{vault}/keys", dp_list),
        dp(Method::POST, "/_vault/{vault}/keys/{keyName}/create", dp_create),
        dp(Method::POST, "/_vault/{vault}/keys/{keyName}/rotate", dp_rotate),
        dp(Method::GET, "/_vault/{vault}/keys/{keyName}/versions", dp_versions),
        dp(Method::GET, "/_vault/{vault}/keys/{keyName}", dp_get),
        dp(Method::GET, "/_vault/{vault}/keys/{keyName}/{keyVersion}", dp_get),
        dp(Method::PATCH, "/_vault/{vault}/keys/{keyName}", dp_update),
        dp(Method::PATCH, "/_vault/{vault}/keys/{keyName}/{keyVersion}", dp_update),
        dp(Method::DELETE, "/_vault/{vault}/keys/{keyName}", dp_delete),
        dp(Method::GET, "/_vault/{vault}/deletedkeys/{keyName}", dp_get_deleted),
        dp(Method::POST, "/_vault/{vault}/deletedkeys/{keyName}/recover", dp_recover),
        dp(Method::DELETE, "/_vault/{vault}/deletedkeys/{keyName}", dp_purge),
    ]
}

pub fn new_version(version: &str, created: i64) -> KeyVersionRec {
    let mut n = [0u8; 256];
    getrandom::getrandom(&mut n).expect("the OS random source");
    n[0] |= 0x80;
    KeyVersionRec {
        version: version.to_string(),
        enabled: true,
        created,
        updated: created,
        nbf: None,
        exp: None,
        n: URL_SAFE_NO_PAD.encode(n),
    }
}

pub fn new_rsa_key(vault: &str, name: &str, versions: Vec<KeyVersionRec>) -> KeyRec {
    KeyRec {
        vault: vault.to_string(),
        name: name.to_string(),
        kty: "RSA".into(),
        key_size: Some(2048),
        curve: None,
        key_ops: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"].map(String::from).to_vec(),
        tags: Default::default(),
        versions,
        deleted_at: None,
        rotation_policy: None,
    }
}

fn recovery_level(v: &VaultRec) -> &'static str {
    if v.vault.properties.enable_purge_protection == Some(true) {
        "Recoverable"
    } else {
        "Recoverable+Purgeable"
    }
}

/// `https://{vault}.vault.azure.net` (no trailing slash, no port).
fn vault_base(v: &VaultRec) -> String {
    v.vault
        .properties
        .vault_uri
        .clone()
        .unwrap_or_else(|| format!("https://{}.vault.azure.net/", v.vault.name))
        .trim_end_matches('/')
        .to_string()
}

// ---------- ARM ----------

fn arm_key_json(v: &VaultRec, k: &KeyRec, version: Option<&KeyVersionRec>) -> Value {
    let cur = version.or(k.current());
    let base443 = format!("{}:443", vault_base(v));
    let mut props = json!({
        "attributes": {
            "enabled": cur.map(|c| c.enabled).unwrap_or(false),
            "created": cur.map(|c| c.created),
            "updated": cur.map(|c| c.updated),
            "recoveryLevel": recovery_level(v),
            "exportable": false,
        },
        "kty": k.kty,
        "keyOps": k.key_ops,
        "keyUri": format!("{base443}/keys/{}", k.name),
        "keyUriWithVersion": cur.map(|c| format!("{base443}/keys/{}/{}", k.name, c.version)),
    });
    if let Some(size) = k.key_size {
        props["keySize"] = json!(size);
    }
    if let Some(c) = &k.curve {
        props["curveName"] = json!(c);
    }
    if let Some(c) = cur {
        if let Some(n) = c.nbf {
            props["attributes"]["nbf"] = json!(n);
        }
        if let Some(e) = c.exp {
            props["attributes"]["exp"] = json!(e);
        }
    }
    let key_id = format!("{}/keys/{}", v.vault.id, k.name);
    match version {
        Some(ver) => json!({
            "id": format!("{key_id}/versions/{}", ver.version),
            "name": ver.version,
            "type": "Microsoft.KeyVault/vaults/keys/versions",
            "location": v.vault.location,
            "tags": k.tags,
            "properties": props,
        }),
        None => {
            if let Some(policy) = &k.rotation_policy {
                props["rotationPolicy"] = json!(policy);
            }
            json!({
                "id": key_id,
                "name": k.name,
                "type": "Microsoft.KeyVault/vaults/keys",
                "location": v.vault.location,
                "tags": k.tags,
                "properties": props,
            })
        }
    }
}

fn arm_key_not_found(name: &str) -> ArmError {
    ArmError::not_found("KeyNotFound", format!("The key '{name}' was not found in the key vault."))
}

fn arm_vault_and_key<'w>(w: &'w World, req: &Req) -> ArmResult<(&'w VaultRec, &'w KeyRec)> {
    let vi = crate::vault::find(w, req)?;
    let v = &w.vaults[vi];
    let k = w.key(&v.vault.name, req.param("keyName")).ok_or_else(|| arm_key_not_found(req.param("keyName")))?;
    Ok((v, k))
}

fn arm_list(state: &AppState, req: &Req) -> ArmResult<Response> {
    let items = {
        let w = state.world();
        let vi = crate::vault::find(&w, req)?;
        let v = &w.vaults[vi];
        w.keys.iter().filter(|k| k.deleted_at.is_none() && eq(&k.vault, &v.vault.name)).map(|k| arm_key_json(v, k, None)).collect()
    };
    Ok(page(state, req, items))
}

fn arm_get(state: &AppState, req: &Req) -> ArmResult<Response> {
    let w = state.world();
    let (v, k) = arm_vault_and_key(&w, req)?;
    Ok(json(StatusCode::OK, arm_key_json(v, k, None)))
}

fn arm_versions(state: &AppState, req: &Req) -> ArmResult<Response> {
    let items = {
        let w = state.world();
        let (v, k) = arm_vault_and_key(&w, req)?;
        k.versions.iter().map(|ver| arm_key_json(v, k, Some(ver))).collect()
    };
    Ok(page(state, req, items))
}

fn arm_version(state: &AppState, req: &Req) -> ArmResult<Response> {
    let w = state.world();
    let (v, k) = arm_vault_and_key(&w, req)?;
    let ver = k.version(req.param("keyVersion")).ok_or_else(|| {
        ArmError::not_found("KeyNotFound", format!("The version '{}' of key '{}' was not found.", req.param("keyVersion"), k.name))
    })?;
    Ok(json(StatusCode::OK, arm_key_json(v, k, Some(ver))))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ArmKeyCreate {
    #[serde(default)]
    tags: Option<BTreeMap<String, String>>,
    #[serde(default)]
    properties: ArmKeyCreateProps,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ArmKeyCreateProps {
    #[serde(default)]
    kty: Option<String>,
    #[serde(default)]
    key_size: Option<u32>,
    #[serde(default)]
    key_ops: Option<Vec<String>>,
    #[serde(default)]
    curve_name: Option<String>,
    #[serde(default)]
    attributes: Option<AttrUpdate>,
    #[serde(default)]
    rotation_policy: Option<acr_cmk_domain::key::RotationPolicy>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase")]
struct AttrUpdate {
    #[serde(default)]
    enabled: Option<bool>,
    #[serde(default)]
    nbf: Option<i64>,
    #[serde(default)]
    exp: Option<i64>,
}

fn check_key_name(name: &str) -> ArmResult<()> {
    if name.is_empty() || name.len() > 127 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(ArmError::bad_request(
            "BadParameter",
            format!("The key name '{name}' is invalid. Key names are 1-127 characters: letters, digits and dashes."),
        ));
    }
    Ok(())
}

fn check_kty(kty: &str, size: Option<u32>, curve: Option<&str>) -> ArmResult<(String, Option<u32>, Option<String>)> {
    let k = ["RSA", "RSA-HSM", "EC", "EC-HSM"].iter().find(|k| k.eq_ignore_ascii_case(kty)).ok_or_else(|| {
        ArmError::bad_request("BadParameter", format!("The key type '{kty}' is invalid. Allowed values are RSA, RSA-HSM, EC and EC-HSM."))
    })?;
    if k.starts_with("RSA") {
        let s = size.unwrap_or(2048);
        if ![2048, 3072, 4096].contains(&s) {
            return Err(ArmError::bad_request(
                "BadParameter",
                format!("The key size {s} is invalid for RSA keys. Allowed values are 2048, 3072 and 4096."),
            ));
        }
        Ok((k.to_string(), Some(s), None))
    } else {
        Ok((k.to_string(), None, Some(curve.unwrap_or("P-256").to_string())))
    }
}

fn default_ops(kty: &str) -> Vec<String> {
    if kty.starts_with("RSA") {
        ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"].map(String::from).to_vec()
    } else {
        ["sign", "verify"].map(String::from).to_vec()
    }
}

/// ARM creates a key only if it does not exist; otherwise it returns the existing one unchanged.
fn arm_create(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: ArmKeyCreate = if req.body.is_empty() { ArmKeyCreate::default() } else { req.json()? };
    let name = req.param("keyName").to_string();
    check_key_name(&name)?;
    let mut w = state.world();
    let vi = crate::vault::find(&w, req)?;
    let v = w.vaults[vi].clone();
    if let Some(k) = w.key(&v.vault.name, &name) {
        return Ok(json(StatusCode::OK, arm_key_json(&v, k, None)));
    }
    if w.keys.iter().any(|k| k.deleted_at.is_some() && eq(&k.vault, &v.vault.name) && eq(&k.name, &name)) {
        return Err(ArmError::conflict("Conflict", format!("Key {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.")));
    }
    let p = body.properties;
    let (kty, size, curve) = check_kty(p.kty.as_deref().unwrap_or("RSA"), p.key_size, p.curve_name.as_deref())?;
    let mut ver = new_version(&w.ids.key_version(), clock::now_secs());
    if let Some(a) = p.attributes {
        ver.enabled = a.enabled.unwrap_or(true);
        ver.nbf = a.nbf;
        ver.exp = a.exp;
    }
    let key = KeyRec {
        vault: v.vault.name.clone(),
        name,
        key_ops: p.key_ops.unwrap_or_else(|| default_ops(&kty)),
        kty,
        key_size: size,
        curve,
        tags: body.tags.unwrap_or_default(),
        versions: vec![ver],
        deleted_at: None,
        rotation_policy: p.rotation_policy,
    };
    let out = arm_key_json(&v, &key, None);
    w.keys.push(key);
    Ok(json(StatusCode::OK, out))
}

// ---------- data plane ----------

fn kv_error(status: StatusCode, code: &str, message: String) -> ArmError {
    ArmError::new(status, code, message)
}

fn dp_vault<'w>(w: &'w World, req: &Req) -> ArmResult<&'w VaultRec> {
    let name = req.param("vault");
    w.vault_by_name(name).ok_or_else(|| {
        kv_error(
            StatusCode::NOT_FOUND,
            "VaultNotFound",
            format!("The vault '{name}' does not exist (or is soft-deleted) in this emulator."),
        )
    })
}

fn key_not_found(name: &str) -> ArmError {
    kv_error(StatusCode::NOT_FOUND, "KeyNotFound", format!("A key with (name/id) {name} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"))
}

fn bundle(v: &VaultRec, k: &KeyRec, ver: &KeyVersionRec) -> KeyBundle {
    let rsa = k.kty.starts_with("RSA");
    KeyBundle {
        key: JsonWebKey {
            kid: format!("{}/keys/{}/{}", vault_base(v), k.name, ver.version),
            kty: k.kty.clone(),
            key_ops: k.key_ops.clone(),
            n: rsa.then(|| ver.n.clone()),
            e: rsa.then(|| "AQAB".to_string()),
            crv: k.curve.clone(),
            x: (!rsa).then(|| ver.n.chars().take(43).collect()),
            y: (!rsa).then(|| ver.n.chars().skip(43).take(43).collect()),
        },
        attributes: attributes(v, ver),
        tags: k.tags.clone(),
        managed: None,
    }
}

fn attributes(v: &VaultRec, ver: &KeyVersionRec) -> KeyAttributes {
    KeyAttributes {
        enabled: Some(ver.enabled),
        nbf: ver.nbf,
        exp: ver.exp,
        created: Some(ver.created),
        updated: Some(ver.updated),
        recovery_level: Some(recovery_level(v).to_string()),
        recoverable_days: Some(v.vault.properties.soft_delete_retention_in_days.unwrap_or(90)),
    }
}

#[derive(Deserialize, Default)]
struct DpCreate {
    #[serde(default)]
    kty: Option<String>,
    #[serde(default)]
    key_size: Option<u32>,
    #[serde(default)]
    key_ops: Option<Vec<String>>,
    #[serde(default)]
    crv: Option<String>,
    #[serde(default)]
    attributes: Option<AttrUpdate>,
    #[serde(default)]
    tags: Option<BTreeMap<String, String>>,
}

/// `POST /keys/{name}/create`: the first version of a new key, or a new version of an existing one.
fn dp_create(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: DpCreate = req.json()?;
    let name = req.param("keyName").to_string();
    check_key_name(&name)?;
    let kty =
        body.kty.clone().ok_or_else(|| kv_error(StatusCode::BAD_REQUEST, "BadParameter", "The property 'kty' is required.".into()))?;
    let (kty, size, curve) = check_kty(&kty, body.key_size, body.crv.as_deref())?;
    let mut w = state.world();
    let v = dp_vault(&w, req)?.clone();
    if w.keys.iter().any(|k| k.deleted_at.is_some() && eq(&k.vault, &v.vault.name) && eq(&k.name, &name)) {
        return Err(kv_error(StatusCode::CONFLICT, "Conflict", format!("Key {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.")));
    }
    let mut ver = new_version(&w.ids.key_version(), clock::now_secs());
    if let Some(a) = &body.attributes {
        ver.enabled = a.enabled.unwrap_or(true);
        ver.nbf = a.nbf;
        ver.exp = a.exp;
    }
    let idx = match w.key_index(&v.vault.name, &name) {
        Some(i) => i,
        None => {
            w.keys.push(KeyRec {
                vault: v.vault.name.clone(),
                name: name.clone(),
                kty: kty.clone(),
                key_size: size,
                curve: curve.clone(),
                key_ops: Vec::new(),
                tags: BTreeMap::new(),
                versions: Vec::new(),
                deleted_at: None,
                rotation_policy: None,
            });
            w.keys.len() - 1
        }
    };
    let k = &mut w.keys[idx];
    k.kty = kty.clone();
    k.key_size = size;
    k.curve = curve;
    k.key_ops = body.key_ops.unwrap_or_else(|| default_ops(&kty));
    if let Some(t) = body.tags {
        k.tags = t;
    }
    k.versions.push(ver.clone());
    let out = bundle(&v, &w.keys[idx], &ver);
    Ok(json(StatusCode::OK, out))
}

/// `POST /keys/{name}/rotate`: a new version with the same parameters.
fn dp_rotate(state: &AppState, req: &Req) -> ArmResult<Response> {
    let mut w = state.world();
    let v = dp_vault(&w, req)?.clone();
    let idx = w.key_index(&v.vault.name, req.param("keyName")).ok_or_else(|| key_not_found(req.param("keyName")))?;
    let ver = new_version(&w.ids.key_version(), clock::now_secs());
    w.keys[idx].versions.push(ver.clone());
    let out = bundle(&v, &w.keys[idx], &ver);
    Ok(json(StatusCode::OK, out))
}

fn dp_get(state: &AppState, req: &Req) -> ArmResult<Response> {
    let w = state.world();
    let v = dp_vault(&w, req)?;
    let k = w.key(&v.vault.name, req.param("keyName")).ok_or_else(|| key_not_found(req.param("keyName")))?;
    let ver = match req.params.iter().find(|(n, _)| n == "keyVersion").map(|(_, v)| v.as_str()).filter(|s| !s.is_empty()) {
        Some(version) => k.version(version).ok_or_else(|| key_not_found(&format!("{}/{version}", k.name)))?,
        None => k.current().ok_or_else(|| key_not_found(&k.name))?,
    };
    Ok(json(StatusCode::OK, bundle(v, k, ver)))
}

fn dp_versions(state: &AppState, req: &Req) -> ArmResult<Response> {
    let items: Vec<Value> = {
        let w = state.world();
        let v = dp_vault(&w, req)?;
        let k = w.key(&v.vault.name, req.param("keyName")).ok_or_else(|| key_not_found(req.param("keyName")))?;
        k.versions
            .iter()
            .map(|ver| json!({"kid": format!("{}/keys/{}/{}", vault_base(v), k.name, ver.version), "attributes": attributes(v, ver), "tags": k.tags}))
            .collect()
    };
    Ok(kv_page(state, req, items))
}

fn dp_list(state: &AppState, req: &Req) -> ArmResult<Response> {
    let items: Vec<Value> = {
        let w = state.world();
        let v = dp_vault(&w, req)?;
        w.keys
            .iter()
            .filter(|k| k.deleted_at.is_none() && eq(&k.vault, &v.vault.name))
            .filter_map(|k| {
                k.current()
                    .map(|c| json!({"kid": format!("{}/keys/{}", vault_base(v), k.name), "attributes": attributes(v, c), "tags": k.tags}))
            })
            .collect()
    };
    Ok(kv_page(state, req, items))
}

/// Key Vault pages: `nextLink` is always present (null on the last page).
fn kv_page(state: &AppState, req: &Req, items: Vec<Value>) -> Response {
    let size = state.page_size().max(1);
    let start: usize = req.query("$skipToken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let end = start.saturating_add(size).min(items.len());
    let value: Vec<Value> = if start < items.len() { items[start..end].to_vec() } else { Vec::new() };
    let next = (end < items.len()).then(|| format!("{}{}?api-version={}&$skipToken={end}", req.base, req.path, req.api_version()));
    json(StatusCode::OK, json!({ "value": value, "nextLink": next }))
}

#[derive(Deserialize, Default)]
struct DpUpdate {
    #[serde(default)]
    attributes: Option<AttrUpdate>,
    #[serde(default)]
    key_ops: Option<Vec<String>>,
    #[serde(default)]
    tags: Option<BTreeMap<String, String>>,
}

/// `PATCH /keys/{name}/{version}`: enable/disable a version, change its validity, ops or tags.
fn dp_update(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: DpUpdate = req.json()?;
    let mut w = state.world();
    let v = dp_vault(&w, req)?.clone();
    let idx = w.key_index(&v.vault.name, req.param("keyName")).ok_or_else(|| key_not_found(req.param("keyName")))?;
    let version = req.params.iter().find(|(n, _)| n == "keyVersion").map(|(_, v)| v.clone()).filter(|s| !s.is_empty());
    let k = &mut w.keys[idx];
    let vi = match &version {
        Some(ver) => k.versions.iter().position(|x| eq(&x.version, ver)).ok_or_else(|| key_not_found(&format!("{}/{ver}", k.name)))?,
        None => k.versions.len().checked_sub(1).ok_or_else(|| key_not_found(&k.name))?,
    };
    if let Some(a) = body.attributes {
        let ver = &mut k.versions[vi];
        if let Some(e) = a.enabled {
            ver.enabled = e;
        }
        if a.nbf.is_some() {
            ver.nbf = a.nbf;
        }
        if a.exp.is_some() {
            ver.exp = a.exp;
        }
        ver.updated = clock::now_secs();
    }
    if let Some(ops) = body.key_ops {
        k.key_ops = ops;
    }
    if let Some(t) = body.tags {
        k.tags = t;
    }
    let ver = k.versions[vi].clone();
    let out = bundle(&v, &w.keys[idx], &ver);
    Ok(json(StatusCode::OK, out))
}

fn deleted_bundle(v: &VaultRec, k: &KeyRec) -> Value {
    let b = k.current().map(|c| bundle(v, k, c));
    let mut out = serde_json::to_value(b).unwrap_or(json!({}));
    let deleted = k.deleted_at.unwrap_or(0);
    let days = v.vault.properties.soft_delete_retention_in_days.unwrap_or(90) as i64;
    out["recoveryId"] = json!(format!("{}/deletedkeys/{}", vault_base(v), k.name));
    out["deletedDate"] = json!(deleted);
    out["scheduledPurgeDate"] = json!(deleted + days * 86_400);
    out
}

/// Soft delete: the key disappears (registries using it lose access) but can be recovered.
fn dp_delete(state: &AppState, req: &Req) -> ArmResult<Response> {
    let mut w = state.world();
    let v = dp_vault(&w, req)?.clone();
    let idx = w.key_index(&v.vault.name, req.param("keyName")).ok_or_else(|| key_not_found(req.param("keyName")))?;
    w.keys[idx].deleted_at = Some(clock::now_secs());
    Ok(json(StatusCode::OK, deleted_bundle(&v, &w.keys[idx])))
}

fn deleted_index(w: &World, vault: &str, name: &str) -> ArmResult<usize> {
    w.keys
        .iter()
        .position(|k| k.deleted_at.is_some() && eq(&k.vault, vault) && eq(&k.name, name))
        .ok_or_else(|| kv_error(StatusCode::NOT_FOUND, "KeyNotFound", format!("Deleted Key not found: {name}")))
}

fn dp_get_deleted(state: &AppState, req: &Req) -> ArmResult<Response> {
    let w = state.world();
    let v = dp_vault(&w, req)?;
    let i = deleted_index(&w, &v.vault.name, req.param("keyName"))?;
    Ok(json(StatusCode::OK, deleted_bundle(v, &w.keys[i])))
}

fn dp_recover(state: &AppState, req: &Req) -> ArmResult<Response> {
    let mut w = state.world();
    let v = dp_vault(&w, req)?.clone();
    let i = deleted_index(&w, &v.vault.name, req.param("keyName"))?;
    w.keys[i].deleted_at = None;
    let k = &w.keys[i];
    let cur = k.current().cloned().ok_or_else(|| key_not_found(&k.name))?;
    Ok(json(StatusCode::OK, bundle(&v, k, &cur)))
}

fn dp_purge(state: &AppState, req: &Req) -> ArmResult<Response> {
    let mut w = state.world();
    let v = dp_vault(&w, req)?.clone();
    let i = deleted_index(&w, &v.vault.name, req.param("keyName"))?;
    if v.vault.properties.enable_purge_protection == Some(true) {
        return Err(kv_error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!("Operation \"purge\" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.{}", ""),
        ));
    }
    w.keys.remove(i);
    Ok(axum::response::IntoResponse::into_response(StatusCode::NO_CONTENT))
}
