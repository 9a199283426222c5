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
use crate::text::Sentence;
use crate::vault::Vault;

/// Why the key's vault was not found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VaultAbsence {
    /// Soft-deleted, in this subscription: recoverable until `scheduled_purge_date`, under the id it
    /// had (`vault_id`) in its `location` (what a recovery `PUT` needs; empty when ARM did not say).
    Deleted {
        subscription_id: String,
        deletion_date: Option<String>,
        scheduled_purge_date: Option<String>,
        vault_id: String,
        location: String,
    },
    /// In no subscription the user can read: it may exist where the user holds no role.
    NotVisible { subscriptions_searched: usize, resource_graph: bool },
}

impl VaultAbsence {
    /// The diagnosis's words for a vault `name` that is not there to read.
    pub fn describe(&self, name: &str) -> Sentence {
        match self {
            VaultAbsence::Deleted { subscription_id, deletion_date, scheduled_purge_date, .. } => Sentence::new(words::DELETED)
                .with("name", name)
                .with("subscription", subscription_id.as_str())
                .with_words("on", deletion_date.as_deref().map_or(Sentence::empty(), |d| Sentence::new(words::ON).with("date", d)))
                .with_words(
                    "until",
                    scheduled_purge_date.as_deref().map_or(Sentence::empty(), |d| Sentence::new(words::UNTIL).with("date", d)),
                ),
            VaultAbsence::NotVisible { subscriptions_searched, resource_graph } => {
                let text = if *subscriptions_searched == 1 { words::NOT_VISIBLE_ONE } else { words::NOT_VISIBLE };
                let how = if *resource_graph { words::SEARCHED_WITH_RESOURCE_GRAPH } else { words::SEARCHED_ONE_BY_ONE };
                Sentence::new(text).with("name", name).with("n", subscriptions_searched.to_string()).with_words("how", how)
            }
        }
    }
}

/// The words of a vault that is not there, in both languages.
pub mod words {
    crate::catalogue! {
        /// `{on}` and `{until}` are [`ON`] and [`UNTIL`] or nothing.
        DELETED: "Key vault '{name}' was deleted{on} and is soft-deleted in subscription {subscription}{until}: recover it (az keyvault recover --name {name}) to give the registry its key back."
            => "키 자격 증명 모음 '{name}'이(가){on} 삭제되어 구독 {subscription}에 일시 삭제 상태로 있습니다{until}. 레지스트리가 키를 다시 사용하게 하려면 복구하세요(az keyvault recover --name {name}).";
        ON: " on {date}" => " {date}에";
        UNTIL: " until {date}" => "({date}까지)";
        NOT_VISIBLE_ONE: "Key vault '{name}' is not visible to you: it is in none of the {n} subscription you can read ({how}), nor deleted there. It may be in a subscription where you hold no role; the registry may still reach it. Ask the vault's owner, or someone with Reader on its subscription."
            => "키 자격 증명 모음 '{name}'이(가) 보이지 않습니다. 읽을 수 있는 구독 {n}개({how}) 어디에도 없고, 삭제된 상태로도 없습니다. 역할이 없는 구독에 있을 수 있으며, 레지스트리는 여전히 키에 접근할 수 있습니다. 자격 증명 모음 소유자나 그 구독의 읽기 권한자에게 문의하세요.";
        NOT_VISIBLE: "Key vault '{name}' is not visible to you: it is in none of the {n} subscriptions you can read ({how}), nor deleted there. It may be in a subscription where you hold no role; the registry may still reach it. Ask the vault's owner, or someone with Reader on its subscription."
            => "키 자격 증명 모음 '{name}'이(가) 보이지 않습니다. 읽을 수 있는 구독 {n}개({how}) 어디에도 없고, 삭제된 상태로도 없습니다. 역할이 없는 구독에 있을 수 있으며, 레지스트리는 여전히 키에 접근할 수 있습니다. 자격 증명 모음 소유자나 그 구독의 읽기 권한자에게 문의하세요.";
        SEARCHED_WITH_RESOURCE_GRAPH: "searched with Resource Graph" => "Resource Graph로 검색함";
        SEARCHED_ONE_BY_ONE: "searched subscription by subscription" => "구독별로 검색함";
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

/// Resource Graph: the id of the vault named `name`, in any subscription the user can read, and
/// whether it uses RBAC (so the principal's role assignments can be read beside the vault itself).
pub fn vault_by_name_query(name: &str) -> String {
    format!(
        "Resources | where type =~ 'microsoft.keyvault/vaults' | where name =~ {} | project id, name, subscriptionId, rbac = properties.enableRbacAuthorization",
        kql_string(name)
    )
}

/// One row of [`vault_by_name_query`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultRow {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// `properties.enableRbacAuthorization` as the index has it (it can lag behind a change).
    #[serde(default)]
    pub rbac: Option<bool>,
}

impl VaultRow {
    /// What the index says about the vault's permission model, by [`Vault::rbac`]'s rule
    /// (only an explicit `true` is RBAC). The vault's own read has the last word.
    pub fn rbac(&self) -> bool {
        self.rbac == Some(true)
    }
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
    #[serde(default)]
    pub location: Option<String>,
}

impl DeletedVault {
    /// What its absence means for the diagnosis.
    pub fn absence(&self) -> VaultAbsence {
        let subscription_id = subscription_of(&self.id).unwrap_or_default();
        VaultAbsence::Deleted {
            subscription_id,
            deletion_date: self.properties.deletion_date.clone(),
            scheduled_purge_date: self.properties.scheduled_purge_date.clone(),
            vault_id: self.properties.vault_id.clone().unwrap_or_default(),
            location: self.properties.location.clone().unwrap_or_default(),
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
        let gone = deleted.absence().describe("kv-central").to_string();
        assert!(gone.contains("soft-deleted in subscription s2") && gone.contains("az keyvault recover --name kv-central"), "{gone}");
        let hidden = VaultAbsence::NotVisible { subscriptions_searched: 2, resource_graph: true }.describe("kv-central").to_string();
        assert!(hidden.contains("not visible to you") && hidden.contains("2 subscriptions") && !hidden.contains("deleted on"), "{hidden}");
        let gone_ko = deleted.absence().describe("kv-central").get(crate::text::Lang::Ko);
        assert!(
            gone_ko.contains(" 2026-11-01T00:00:00Z에 삭제되어 구독 s2에") && gone_ko.contains("(2027-01-30T00:00:00Z까지)"),
            "{gone_ko}"
        );
    }

    #[test]
    fn the_graph_query_quotes_the_name() {
        assert_eq!(
            vault_by_name_query("kv'x"),
            "Resources | where type =~ 'microsoft.keyvault/vaults' | where name =~ 'kv\\'x' | project id, name, subscriptionId, rbac = properties.enableRbacAuthorization"
        );
        // A row without the column (an index that has not got it) reads as the default: not RBAC.
        let row: VaultRow = serde_json::from_value(serde_json::json!({"id": "/v", "name": "v"})).unwrap();
        assert!(!row.rbac());
        let row: VaultRow = serde_json::from_value(serde_json::json!({"id": "/v", "name": "v", "rbac": true})).unwrap();
        assert!(row.rbac());
    }
}
