//! ARM's generic resource lists, `GET /subscriptions/{s}/resources` and
//! `…/resourceGroups/{rg}/resources`: every resource the emulator holds
//! (registries, vaults, user-assigned identities) in the generic shape (`id`,
//! `name`, `type`, `location`, `tags`, and `sku`, `kind`, `identity` where the
//! resource has them). The Azure CLI finds a registry's resource group this way
//! (`az acr show -n X` lists `$filter=resourceType eq
//! 'Microsoft.ContainerRegistry/registries'`).
//!
//! `$filter` takes `resourceType eq '…'`, `name eq '…'`, `location eq '…'` and
//! `resourceGroup eq '…'` joined by `and` (values compare ignoring case, as in
//! ARM); anything else is ARM's `400 InvalidFilterInQueryString`, never a
//! list that could be wrong. `$top` is honoured; pages carry the filter on.

use acr_cmk_domain::url_component;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::api_versions::Provider;
use crate::errors::{ArmError, ArmResult};
use crate::http::{json, Req, Route};
use crate::state::AppState;
use crate::subscription::{require_group, require_subscription};
use crate::world::{eq, World};
use crate::{identity, registry};

pub fn routes() -> Vec<Route> {
    let p = Provider::Resources;
    vec![
        Route::arm(Method::GET, "/subscriptions/{subscriptionId}/resources", p, list),
        Route::arm(Method::GET, "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/resources", p, list),
    ]
}

/// One clause of `$filter`: (field, value).
#[derive(Debug, PartialEq)]
pub struct Clause {
    pub field: Field,
    pub value: String,
}

#[derive(Debug, PartialEq, Clone, Copy)]
pub enum Field {
    ResourceType,
    Name,
    Location,
    ResourceGroup,
}

fn invalid_filter(filter: &str) -> ArmError {
    ArmError::bad_request("InvalidFilterInQueryString", format!("Invalid $filter '{filter}' specified in the query string."))
}

/// Parses the `$filter` forms the emulator supports (see the module comment).
pub fn parse_filter(filter: &str) -> ArmResult<Vec<Clause>> {
    let mut clauses = Vec::new();
    let mut rest = filter.trim();
    while !rest.is_empty() {
        let (field_word, after) = rest.split_once(char::is_whitespace).ok_or_else(|| invalid_filter(filter))?;
        let field = match field_word.to_ascii_lowercase().as_str() {
            "resourcetype" => Field::ResourceType,
            "name" => Field::Name,
            "location" => Field::Location,
            "resourcegroup" => Field::ResourceGroup,
            _ => return Err(invalid_filter(filter)),
        };
        let after = after.trim_start();
        let after = after.strip_prefix("eq ").or_else(|| after.strip_prefix("EQ ")).ok_or_else(|| invalid_filter(filter))?.trim_start();
        let quoted = after.strip_prefix('\'').ok_or_else(|| invalid_filter(filter))?;
        // OData doubles a quote inside a string.
        let mut value = String::new();
        let mut chars = quoted.char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if matches!(chars.peek(), Some((_, '\''))) {
                    value.push('\'');
                    chars.next();
                    continue;
                }
                end = Some(i + 1);
                break;
            }
            value.push(c);
        }
        let end = end.ok_or_else(|| invalid_filter(filter))?;
        clauses.push(Clause { field, value });
        rest = quoted[end..].trim_start();
        if rest.is_empty() {
            break;
        }
        let (word, tail) = rest.split_once(char::is_whitespace).ok_or_else(|| invalid_filter(filter))?;
        if !word.eq_ignore_ascii_case("and") {
            return Err(invalid_filter(filter));
        }
        rest = tail.trim_start();
        if rest.is_empty() {
            return Err(invalid_filter(filter));
        }
    }
    Ok(clauses)
}

/// A resource body in the generic list's shape.
fn generic(resource: &Value) -> Value {
    let mut out = Map::new();
    for key in ["id", "name", "type", "sku", "kind", "location", "identity", "managedBy", "tags", "systemData"] {
        if let Some(v) = resource.get(key).filter(|v| !v.is_null()) {
            out.insert(key.to_string(), v.clone());
        }
    }
    if !out.contains_key("tags") {
        out.insert("tags".into(), json!({}));
    }
    Value::Object(out)
}

/// Every resource of a subscription (and group): (resource group, generic body).
fn resources(world: &World, sub: &str, rg: Option<&str>) -> Vec<(String, Value)> {
    let in_scope = |s: &str, g: &str| eq(s, sub) && rg.is_none_or(|rg| eq(g, rg));
    let tenant = world.tenant_id.as_str();
    let mut out = Vec::new();
    for r in world.registries.iter().filter(|r| in_scope(&r.subscription_id, &r.resource_group)) {
        out.push((r.resource_group.clone(), generic(&registry::view(world, r))));
    }
    for v in world.vaults.iter().filter(|v| v.deleted_at.is_none() && in_scope(&v.subscription_id, &v.resource_group)) {
        out.push((v.resource_group.clone(), generic(&serde_json::to_value(&v.vault).unwrap_or(Value::Null))));
    }
    for i in world.identities.iter().filter(|i| in_scope(&i.subscription_id, &i.resource_group)) {
        out.push((i.resource_group.clone(), generic(&identity::identity_json(i, tenant))));
    }
    out.sort_by_key(|(_, r)| r.get("id").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase());
    out
}

fn matches(clauses: &[Clause], rg: &str, r: &Value) -> bool {
    let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("");
    clauses.iter().all(|c| match c.field {
        Field::ResourceType => eq(s("type"), &c.value),
        Field::Name => eq(s("name"), &c.value),
        Field::Location => eq(&s("location").replace(' ', ""), &c.value.replace(' ', "")),
        Field::ResourceGroup => eq(rg, &c.value),
    })
}

fn list(state: &AppState, req: &Req) -> ArmResult<Response> {
    let sub = req.param("subscriptionId");
    let rg = Some(req.param("resourceGroupName")).filter(|g| !g.is_empty());
    let filter = req.query("$filter").unwrap_or("");
    let clauses = parse_filter(filter)?;
    let top = match req.query("$top") {
        Some(t) => Some(t.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
            ArmError::bad_request("InvalidTopInQueryString", format!("The value '{t}' of $top in the query string is invalid."))
        })?),
        None => None,
    };
    let items: Vec<Value> = {
        let world = state.world();
        match rg {
            Some(rg) => require_group(&world, sub, rg)?,
            None => require_subscription(&world, sub)?,
        }
        resources(&world, sub, rg).into_iter().filter(|(g, r)| matches(&clauses, g, r)).map(|(_, r)| r).collect()
    };
    let size = top.unwrap_or(usize::MAX).min(state.page_size().max(1));
    let start: usize = req.query("$skipToken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let end = start.saturating_add(size).min(items.len());
    let value: Vec<Value> = if start < items.len() { items[start..end].to_vec() } else { Vec::new() };
    let mut body = json!({ "value": value });
    if end < items.len() && top.is_none() {
        let mut next = format!("api-version={}", url_component::encode(req.api_version()));
        if !filter.is_empty() {
            next.push_str(&format!("&$filter={}", url_component::encode(filter)));
        }
        next.push_str(&format!("&$skipToken={end}"));
        body["nextLink"] = Value::String(format!("{}{}?{next}", req.base, req.path));
    }
    Ok(json(StatusCode::OK, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse() {
        let c = parse_filter("resourceType eq 'Microsoft.ContainerRegistry/registries'").unwrap();
        assert_eq!(c, vec![Clause { field: Field::ResourceType, value: "Microsoft.ContainerRegistry/registries".into() }]);
        let c = parse_filter("resourceType eq 'Microsoft.KeyVault/vaults' and name eq 'it''s'").unwrap();
        assert_eq!(c[1], Clause { field: Field::Name, value: "it's".into() });
        assert!(parse_filter("").unwrap().is_empty());
        for bad in ["tagName eq 'x'", "name eq x", "name eq 'x' or name eq 'y'", "name eq 'x' and", "substringof('x', name)", "name eq 'x"]
        {
            assert!(parse_filter(bad).is_err(), "{bad}");
        }
    }
}
