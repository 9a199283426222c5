//! Where a key's vault lives. A registry may use a key from any vault in its
//! tenant (enterprises keep vaults in a central security subscription), and a
//! key id names only the vault's host. Vault names are unique in a cloud, so the
//! first vault of that name found is the vault. The search, cheapest first:
//! the registry's own subscription (the common case: no extra request), then
//! Resource Graph across every subscription the user can read, else the other
//! visible subscriptions one by one. Found nowhere: soft-deleted (the
//! subscriptions' deleted vaults say so) is told apart from "not visible to you".

use serde::{Deserialize, Serialize};

use crate::arm::api_version;
use crate::requests::ArmRequest;
use crate::resource_graph::kql_string;
use crate::vault::Vault;

/// Why the key's vault was not found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VaultAbsence {
    /// Soft-deleted, in this subscription: recoverable until `scheduled_purge_date`.
    Deleted { subscription_id: String, deletion_date: Option<String>, scheduled_purge_date: Option<String> },
    /// In no subscription the user can read: it may exist where the user holds no role.
    NotVisible { subscriptions_searched: usize, resource_graph: bool },
}

impl VaultAbsence {
    /// The diagnosis's words for a vault `name` that is not there to read.
    pub fn describe(&self, name: &str) -> String {
        match self {
            VaultAbsence::Deleted { subscription_id, deletion_date, scheduled_purge_date } => format!(
                "Key vault '{name}' was deleted{} and is soft-deleted in subscription {subscription_id}{}: recover it (az keyvault recover --name {name}) to give the registry its key back.",
                deletion_date.as_deref().map(|d| format!(" on {d}")).unwrap_or_default(),
                scheduled_purge_date.as_deref().map(|d| format!(" until {d}")).unwrap_or_default(),
            ),
            VaultAbsence::NotVisible { subscriptions_searched, resource_graph } => format!(
                "Key vault '{name}' is not visible to you: it is in none of the {subscriptions_searched} subscription{} you can read ({}), nor deleted there. It may be in a subscription where you hold no role; the registry may still reach it. Ask the vault's owner, or someone with Reader on its subscription.",
                if *subscriptions_searched == 1 { "" } else { "s" },
                if *resource_graph { "searched with Resource Graph" } else { "searched subscription by subscription" },
            ),
        }
    }
}

/// The subscriptions to search one by one when Resource Graph is not available: the
/// registry's first (it was already searched when `skip_first`), then the others, once each.
pub fn search_order(registry_subscription: &str, visible: &[String], skip_first: bool) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    if !skip_first {
        order.push(registry_subscription.to_string());
    }
    for s in visible {
        let seen = order.iter().any(|o| o.eq_ignore_ascii_case(s)) || (skip_first && s.eq_ignore_ascii_case(registry_subscription));
        if !seen {
            order.push(s.clone());
        }
    }
    order
}

/// The vault named `name` among `vaults` (case-insensitive, as Azure's names are).
pub fn find_by_name(vaults: Vec<Vault>, name: &str) -> Option<Vault> {
    vaults.into_iter().find(|v| v.name.eq_ignore_ascii_case(name))
}

/// Resource Graph: the id of the vault named `name`, in any subscription the user can read.
pub fn vault_by_name_query(name: &str) -> String {
    format!("Resources | where type =~ 'microsoft.keyvault/vaults' | where name =~ {} | project id, name, subscriptionId", kql_string(name))
}

/// One row of [`vault_by_name_query`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultRow {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// `GET /subscriptions/{s}/providers/Microsoft.KeyVault/deletedVaults`.
pub fn list_deleted_vaults(subscription_id: &str) -> ArmRequest {
    ArmRequest::new(
        crate::requests::Method::Get,
        format!("/subscriptions/{subscription_id}/providers/Microsoft.KeyVault/deletedVaults?api-version={}", api_version::KEY_VAULT),
        None,
    )
}

/// A soft-deleted vault as ARM lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedVault {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub properties: DeletedVaultProperties,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedVaultProperties {
    #[serde(default)]
    pub vault_id: Option<String>,
    #[serde(default)]
    pub deletion_date: Option<String>,
    #[serde(default)]
    pub scheduled_purge_date: Option<String>,
}

impl DeletedVault {
    /// What its absence means for the diagnosis.
    pub fn absence(&self) -> VaultAbsence {
        let subscription_id = subscription_of(&self.id).unwrap_or_default();
        VaultAbsence::Deleted {
            subscription_id,
            deletion_date: self.properties.deletion_date.clone(),
            scheduled_purge_date: self.properties.scheduled_purge_date.clone(),
        }
    }
}

/// The subscription any ARM id lives under (also ids without a resource group, as deleted vaults').
pub fn subscription_of(resource_id: &str) -> Option<String> {
    let mut segments = resource_id.trim_start_matches('/').split('/');
    (segments.next()?.eq_ignore_ascii_case("subscriptions"))
        .then(|| segments.next())
        .flatten()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn subs(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_registrys_subscription_is_searched_first_and_none_twice() {
        assert_eq!(search_order("s1", &subs(&["s0", "S1", "s2", "s0"]), false), subs(&["s1", "s0", "s2"]));
        // Already searched (the diagnosis lists it first, with its other reads): only the others.
        assert_eq!(search_order("s1", &subs(&["s0", "S1", "s2"]), true), subs(&["s0", "s2"]));
        assert_eq!(search_order("s1", &[], false), subs(&["s1"]));
    }

    #[test]
    fn the_three_outcomes_read_differently() {
        let v: Vault = serde_json::from_value(
            json!({"id": "/subscriptions/s2/resourceGroups/g/providers/Microsoft.KeyVault/vaults/KV-Central", "name": "KV-Central"}),
        )
        .unwrap();
        assert_eq!(find_by_name(vec![v.clone()], "kv-central").map(|v| v.name), Some("KV-Central".into()));
        assert_eq!(find_by_name(vec![v], "kv-other"), None);

        let deleted: DeletedVault = serde_json::from_value(json!({
            "id": "/subscriptions/s2/providers/Microsoft.KeyVault/locations/westeurope/deletedVaults/kv-central", "name": "kv-central",
            "properties": {"vaultId": "/subscriptions/s2/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv-central",
                "deletionDate": "2026-11-01T00:00:00Z", "scheduledPurgeDate": "2027-01-30T00:00:00Z"}}))
        .unwrap();
        let gone = deleted.absence().describe("kv-central");
        assert!(gone.contains("soft-deleted in subscription s2") && gone.contains("az keyvault recover --name kv-central"), "{gone}");
        let hidden = VaultAbsence::NotVisible { subscriptions_searched: 2, resource_graph: true }.describe("kv-central");
        assert!(hidden.contains("not visible to you") && hidden.contains("2 subscriptions") && !hidden.contains("deleted on"), "{hidden}");
    }

    #[test]
    fn the_graph_query_quotes_the_name() {
        assert_eq!(
            vault_by_name_query("kv'x"),
            "Resources | where type =~ 'microsoft.keyvault/vaults' | where name =~ 'kv\\'x' | project id, name, subscriptionId"
        );
    }
}
