//! ARG's `Resources` table as the world fills it: registries (as GET shows
//! them), vaults and user-assigned identities, one row each in ARG's shape
//! (lower-case `type`, `location` and `resourceGroup`), ordered by `id`.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};

use crate::world::{eq, World};
use crate::{identity, registry};

/// The columns of ARG's `Resources` table, in its order.
pub const COLUMNS: [&str; 16] = [
    "id",
    "name",
    "type",
    "tenantId",
    "kind",
    "location",
    "resourceGroup",
    "subscriptionId",
    "managedBy",
    "sku",
    "plan",
    "properties",
    "tags",
    "identity",
    "zones",
    "extendedLocation",
];

/// A result row: columns in order (ARG keeps the projection's order).
#[derive(Clone, Debug, PartialEq)]
pub struct Row(pub Vec<(String, Value)>);

impl Row {
    pub(super) fn get(&self, col: &str) -> Option<&Value> {
        self.0.iter().find(|(c, _)| c == col).map(|(_, v)| v)
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One `Resources` row from an ARM resource body, as ARG shapes it.
fn row(resource: &Value, tenant: &str, sub: &str, rg: &str) -> Row {
    let s = |k: &str| resource.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let or_null = |k: &str| resource.get(k).cloned().unwrap_or(Value::Null);
    let tags = match resource.get("tags") {
        Some(Value::Object(m)) => Value::Object(m.clone()),
        _ => json!({}),
    };
    let kind = s("kind");
    Row(vec![
        ("id".into(), json!(s("id"))),
        ("name".into(), json!(s("name"))),
        ("type".into(), json!(s("type").to_lowercase())),
        ("tenantId".into(), json!(tenant)),
        ("kind".into(), json!(kind)),
        ("location".into(), json!(s("location").to_lowercase())),
        ("resourceGroup".into(), json!(rg.to_lowercase())),
        ("subscriptionId".into(), json!(sub.to_lowercase())),
        ("managedBy".into(), json!("")),
        ("sku".into(), or_null("sku")),
        ("plan".into(), Value::Null),
        ("properties".into(), resource.get("properties").cloned().unwrap_or_else(|| json!({}))),
        ("tags".into(), tags),
        ("identity".into(), or_null("identity")),
        ("zones".into(), Value::Null),
        ("extendedLocation".into(), Value::Null),
    ])
}

/// The `Resources` table for these subscriptions: registries, vaults and user-assigned identities;
/// only the rows of `only_type` (ARG's lower-case type, compared ignoring case) when given.
pub fn table(world: &World, subscriptions: &[String], only_type: Option<&str>) -> Vec<Row> {
    let in_scope = |s: &str| subscriptions.iter().any(|x| eq(x, s));
    let wanted = |t: &str| only_type.is_none_or(|o| eq(o, t));
    let tenant = world.tenant_id.as_str();
    let mut rows = Vec::new();
    if wanted("microsoft.containerregistry/registries") {
        for r in world.registries.iter().filter(|r| in_scope(&r.subscription_id)) {
            rows.push(row(&registry::view(world, r), tenant, &r.subscription_id, &r.resource_group));
        }
    }
    if wanted("microsoft.keyvault/vaults") {
        for v in world.vaults.iter().filter(|v| v.deleted_at.is_none() && in_scope(&v.subscription_id)) {
            rows.push(row(&serde_json::to_value(&v.vault).unwrap_or(Value::Null), tenant, &v.subscription_id, &v.resource_group));
        }
    }
    if wanted("microsoft.managedidentity/userassignedidentities") {
        for i in world.identities.iter().filter(|i| in_scope(&i.subscription_id)) {
            rows.push(row(&identity::identity_json(i, tenant), tenant, &i.subscription_id, &i.resource_group));
        }
    }
    // A stable order, so `$skipToken` pages neither repeat nor skip rows.
    rows.sort_by_key(|r| r.get("id").and_then(Value::as_str).unwrap_or("").to_lowercase());
    rows
}
