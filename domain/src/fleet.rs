//! The fleet: every registry the signed-in user can read, from three Azure
//! Resource Graph queries (registries, key vaults, user-assigned identities)
//! joined here, with the posture flags an audit of customer-managed keys needs
//! beyond "is encryption on": whether the key's vault is there and protected,
//! whether its firewall keeps the encrypting identity out, whether that
//! identity is still attached and still exists, whether a pinned key has gone
//! unrotated, and how many registries one revoke would cut off.
//!
//! The fleet page sends [`REGISTRIES`], [`VAULTS`] and [`IDENTITIES`] through
//! `resource_graph::query_request`, following `$skipToken`: O(pages) requests
//! for the whole tenant, never one per registry.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::arm::ResourceId;
use crate::identity::UserAssignedIdentity;
use crate::key_id::KeyId;
use crate::registry::Registry;
use crate::vault::Vault;

pub const REGISTRIES: &str = "Resources | where type =~ 'microsoft.containerregistry/registries' | project id, name, type, location, sku, identity, tags, properties";
pub const VAULTS: &str = "Resources | where type =~ 'microsoft.keyvault/vaults' | project id, name, type, location, properties";
pub const IDENTITIES: &str =
    "Resources | where type =~ 'microsoft.managedidentity/userassignedidentities' | project id, name, type, location, properties";

/// A pinned key older than this is flagged, unless the caller chooses another limit.
pub const STALE_AFTER_DAYS: i64 = 365;

/// What an audit should look at, per registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Flag {
    /// The key's vault is not among the vaults the user can read: deleted, soft-deleted, or in
    /// a subscription the user cannot read.
    VaultNotFound,
    NoPurgeProtection,
    /// The vault's firewall denies by default and the encrypting identity cannot pass it (only a
    /// system-assigned identity passes, and only with the trusted-services bypass).
    FirewallKeepsIdentityOut,
    /// `keyVaultProperties.identity` names an identity the registry does not carry.
    IdentityNotAttached,
    /// The encrypting user-assigned identity is attached but no longer exists.
    IdentityDeleted,
    /// Pinned to a version, and not rotated for longer than the limit.
    PinnedKeyStale,
    PremiumWithoutCmk,
}

impl Flag {
    pub const ALL: [Flag; 7] = [
        Flag::VaultNotFound,
        Flag::NoPurgeProtection,
        Flag::FirewallKeepsIdentityOut,
        Flag::IdentityNotAttached,
        Flag::IdentityDeleted,
        Flag::PinnedKeyStale,
        Flag::PremiumWithoutCmk,
    ];

    /// The flag's name in a URL query (`?flag=noPurgeProtection`), as serde spells it.
    pub fn key(self) -> &'static str {
        match self {
            Flag::VaultNotFound => "vaultNotFound",
            Flag::NoPurgeProtection => "noPurgeProtection",
            Flag::FirewallKeepsIdentityOut => "firewallKeepsIdentityOut",
            Flag::IdentityNotAttached => "identityNotAttached",
            Flag::IdentityDeleted => "identityDeleted",
            Flag::PinnedKeyStale => "pinnedKeyStale",
            Flag::PremiumWithoutCmk => "premiumWithoutCmk",
        }
    }

    pub fn from_key(key: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.key() == key)
    }

    /// A short label for a chip or a column (English: the CSV's words).
    pub fn label(self) -> &'static str {
        self.words().en
    }

    /// The label in either language.
    pub fn words(self) -> crate::text::Text {
        match self {
            Flag::VaultNotFound => words::VAULT_NOT_FOUND,
            Flag::NoPurgeProtection => words::NO_PURGE_PROTECTION,
            Flag::FirewallKeepsIdentityOut => words::FIREWALL_KEEPS_IDENTITY_OUT,
            Flag::IdentityNotAttached => words::IDENTITY_NOT_ATTACHED,
            Flag::IdentityDeleted => words::IDENTITY_DELETED,
            Flag::PinnedKeyStale => words::PINNED_KEY_STALE,
            Flag::PremiumWithoutCmk => words::PREMIUM_WITHOUT_CMK,
        }
    }
}

/// The fleet's labels in both languages (flags; the table's columns and cells are in
/// `fleet_view::words`). The CSV export keeps the English ones.
pub mod words {
    crate::catalogue! {
        VAULT_NOT_FOUND: "vault not found" => "키 자격 증명 모음 없음";
        NO_PURGE_PROTECTION: "no purge protection" => "제거 보호 없음";
        FIREWALL_KEEPS_IDENTITY_OUT: "firewall keeps identity out" => "방화벽이 ID를 차단함";
        IDENTITY_NOT_ATTACHED: "identity not attached" => "ID가 연결되지 않음";
        IDENTITY_DELETED: "identity deleted" => "ID가 삭제됨";
        PINNED_KEY_STALE: "pinned key not rotated" => "고정된 키가 회전되지 않음";
        PREMIUM_WITHOUT_CMK: "Premium without CMK" => "CMK 없는 Premium";
    }
}

/// Which identity encrypts a registry's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Encrypting {
    System,
    /// A user-assigned identity: its name when the registry carries it.
    User {
        client_id: String,
        name: Option<String>,
    },
}

/// One registry of the fleet, with what the join found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetRow {
    pub id: String,
    pub name: String,
    pub login_server: String,
    pub subscription_id: String,
    pub resource_group: String,
    pub location: String,
    pub sku: String,
    pub cmk: bool,
    pub vault: Option<String>,
    pub key_id: Option<String>,
    pub key_name: Option<String>,
    /// `Some(true)` versionless (automatic rotation), `Some(false)` pinned.
    pub versionless: Option<bool>,
    pub encrypting: Option<Encrypting>,
    /// The principal whose access to the key the registry depends on, when known.
    pub principal_id: Option<String>,
    /// `properties.status.displayStatus`, e.g. `KeyVaultAccessFailed`.
    pub status: Option<String>,
    pub last_rotation: Option<String>,
    pub flags: Vec<Flag>,
    /// CMK registries (this one included) that reach their key in the same vault through the
    /// same principal: what one revoke cuts off.
    pub sharing: usize,
    /// What [`search`] looks in, lower case, joined once at the join rather than per keystroke.
    #[serde(skip)]
    pub search_text: String,
}

/// Joins the three queries' rows. `now_secs` and `stale_after_days` decide [`Flag::PinnedKeyStale`].
pub fn join(
    registries: &[Registry],
    vaults: &[Vault],
    identities: &[UserAssignedIdentity],
    now_secs: i64,
    stale_after_days: i64,
) -> Vec<FleetRow> {
    let vault_by_name: BTreeMap<String, &Vault> = vaults.iter().map(|v| (v.name.to_ascii_lowercase(), v)).collect();
    let identity_ids: BTreeSet<String> = identities.iter().map(|i| i.id.to_ascii_lowercase()).collect();
    // An identity can only be called deleted where the user could have seen it.
    let readable: BTreeSet<String> =
        registries.iter().filter_map(|r| ResourceId::parse(&r.id)).map(|r| r.subscription_id.to_ascii_lowercase()).collect();

    let mut rows: Vec<FleetRow> = registries
        .iter()
        .map(|r| {
            let mut row = row(r, &vault_by_name, &identity_ids, &readable, now_secs, stale_after_days);
            row.search_text = search_text(&row);
            row
        })
        .collect();
    let mut sharing: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in &rows {
        if let (Some(v), Some(p)) = (&r.vault, &r.principal_id) {
            *sharing.entry((v.to_ascii_lowercase(), p.to_ascii_lowercase())).or_default() += 1;
        }
    }
    for r in &mut rows {
        if let (Some(v), Some(p)) = (&r.vault, &r.principal_id) {
            r.sharing = sharing[&(v.to_ascii_lowercase(), p.to_ascii_lowercase())];
        }
    }
    rows
}

fn row(
    r: &Registry,
    vaults: &BTreeMap<String, &Vault>,
    identity_ids: &BTreeSet<String>,
    readable: &BTreeSet<String>,
    now_secs: i64,
    stale_after_days: i64,
) -> FleetRow {
    let place = ResourceId::parse(&r.id);
    let cmk = r.properties.encryption.as_ref().is_some_and(|e| e.is_enabled());
    let kv = r.key_vault_properties().filter(|_| cmk);
    let key = kv.and_then(|k| k.key_identifier.as_deref()).and_then(|k| KeyId::parse(k).ok());
    let premium = r.sku.name.eq_ignore_ascii_case("premium");
    let mut flags = Vec::new();
    if premium && !cmk {
        flags.push(Flag::PremiumWithoutCmk);
    }

    let block = r.identity.clone().unwrap_or_default();
    let named = kv.and_then(|k| k.identity.clone()).unwrap_or_default();
    let (encrypting, principal_id) = if !cmk {
        (None, None)
    } else if named.eq_ignore_ascii_case("system") {
        if !block.kinds().system {
            flags.push(Flag::IdentityNotAttached);
        }
        (Some(Encrypting::System), block.principal_id.clone().filter(|_| block.kinds().system))
    } else {
        match block.user_identity_by_client_id(&named) {
            Some((id, props)) => {
                let subscription = ResourceId::parse(id).map(|i| i.subscription_id.to_ascii_lowercase()).unwrap_or_default();
                if !identity_ids.contains(&id.to_ascii_lowercase()) && readable.contains(&subscription) {
                    flags.push(Flag::IdentityDeleted);
                }
                let name = id.rsplit('/').next().map(str::to_string);
                (Some(Encrypting::User { client_id: named.clone(), name }), props.principal_id.clone())
            }
            None => {
                flags.push(Flag::IdentityNotAttached);
                (Some(Encrypting::User { client_id: named.clone(), name: None }), None)
            }
        }
    };

    if let Some(key) = &key {
        match vaults.get(&key.vault_name().to_ascii_lowercase()) {
            None => flags.push(Flag::VaultNotFound),
            Some(v) => {
                if v.properties.enable_purge_protection != Some(true) {
                    flags.push(Flag::NoPurgeProtection);
                }
                let system = matches!(encrypting, Some(Encrypting::System));
                if v.properties.firewall_closed() && !(system && v.properties.bypasses_azure_services()) {
                    flags.push(Flag::FirewallKeepsIdentityOut);
                }
            }
        }
        if !key.is_versionless() {
            let last = kv.and_then(|k| k.last_key_rotation_timestamp.as_deref()).and_then(epoch_secs);
            if last.is_some_and(|t| now_secs - t > stale_after_days * 86_400) {
                flags.push(Flag::PinnedKeyStale);
            }
        }
    }
    flags.sort();

    FleetRow {
        id: r.id.clone(),
        name: r.name.clone(),
        login_server: r.properties.login_server.clone().unwrap_or_else(|| format!("{}.azurecr.io", r.name.to_ascii_lowercase())),
        subscription_id: place.as_ref().map(|p| p.subscription_id.clone()).unwrap_or_default(),
        resource_group: place.as_ref().map(|p| p.resource_group.clone()).unwrap_or_default(),
        location: r.location.clone(),
        sku: r.sku.name.clone(),
        cmk,
        vault: key.as_ref().map(|k| k.vault_name().to_string()),
        key_id: kv.and_then(|k| k.key_identifier.clone()),
        key_name: key.as_ref().map(|k| k.name.clone()),
        versionless: key.as_ref().map(KeyId::is_versionless),
        encrypting,
        principal_id,
        status: r.properties.status.as_ref().and_then(|s| s.display_status.clone()),
        last_rotation: kv.and_then(|k| k.last_key_rotation_timestamp.clone()),
        flags,
        sharing: 0,
        search_text: String::new(),
    }
}

/// Name, login server, vault, key id, group, subscription and the encrypting identity (name,
/// client id, principal id), lower case, one per line so no match spans two of them.
fn search_text(r: &FleetRow) -> String {
    let identity = match &r.encrypting {
        Some(Encrypting::User { client_id, name }) => format!("{client_id}\n{}", name.as_deref().unwrap_or("")),
        Some(Encrypting::System) => "system".to_string(),
        None => String::new(),
    };
    [
        r.name.as_str(),
        &r.login_server,
        r.vault.as_deref().unwrap_or(""),
        r.key_id.as_deref().unwrap_or(""),
        &r.resource_group,
        &r.subscription_id,
        &identity,
        r.principal_id.as_deref().unwrap_or(""),
    ]
    .join("\n")
    .to_lowercase()
}

/// `2025-06-01T00:00:00.0000000Z` (ARM's form; any fraction, `Z` or an offset) in seconds since 1970.
fn epoch_secs(t: &str) -> Option<i64> {
    let num = |s: &str| s.parse::<i64>().ok();
    let (date, time) = t.split_once('T')?;
    let mut d = date.split('-');
    let (y, m, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => (time, ""),
    };
    let mut c = clock.split(':');
    let (h, min) = (num(c.next()?)?, num(c.next()?)?);
    let s = num(c.next()?.split('.').next()?)?;
    let shift = match offset.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let (oh, om) = offset[1..].split_once(':')?;
            (num(oh)? * 3600 + num(om)? * 60) * if sign == '+' { 1 } else { -1 }
        }
        _ => 0,
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + min * 60 + s - shift)
}

/// What a search box found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// A pasted resource id (or login server) names this row exactly: open it.
    Exact(usize),
    /// Rows whose name, login server, vault, key id, group, subscription or encrypting
    /// identity (name, client id, principal id) contains the text, ignoring case.
    Matches(Vec<usize>),
}

pub fn search(rows: &[FleetRow], text: &str) -> Found {
    let needle = text.trim().to_lowercase();
    if needle.is_empty() {
        return Found::Matches((0..rows.len()).collect());
    }
    let exact = rows.iter().position(|r| {
        r.id.eq_ignore_ascii_case(&needle)
            || r.login_server.eq_ignore_ascii_case(&needle)
            || r.id.eq_ignore_ascii_case(needle.trim_end_matches('/'))
    });
    if let Some(i) = exact {
        return Found::Exact(i);
    }
    Found::Matches(rows.iter().enumerate().filter(|(_, r)| r.search_text.contains(&needle)).map(|(i, _)| i).collect())
}

/// The rows as CSV (RFC 4180: CRLF, fields quoted when they hold a comma, quote or line
/// break). A cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) gets a leading `'`, so it is shown, never evaluated.
pub fn csv(rows: &[FleetRow]) -> String {
    let header = [
        "name",
        "loginServer",
        "subscriptionId",
        "resourceGroup",
        "location",
        "sku",
        "cmk",
        "keyVault",
        "keyName",
        "rotation",
        "identity",
        "status",
        "flags",
        "sharing",
        "id",
    ];
    let mut out = header.join(",");
    out.push_str("\r\n");
    for r in rows {
        let identity = match &r.encrypting {
            Some(Encrypting::System) => "system".to_string(),
            Some(Encrypting::User { client_id, name }) => name.clone().unwrap_or_else(|| client_id.clone()),
            None => String::new(),
        };
        let rotation = match r.versionless {
            Some(true) => "versionless",
            Some(false) => "pinned",
            None => "",
        };
        let flags: Vec<&str> = r.flags.iter().map(|f| f.label()).collect();
        let cells = [
            r.name.clone(),
            r.login_server.clone(),
            r.subscription_id.clone(),
            r.resource_group.clone(),
            r.location.clone(),
            r.sku.clone(),
            r.cmk.to_string(),
            r.vault.clone().unwrap_or_default(),
            r.key_name.clone().unwrap_or_default(),
            rotation.to_string(),
            identity,
            r.status.clone().unwrap_or_default(),
            flags.join("; "),
            r.sharing.to_string(),
            r.id.clone(),
        ];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(value: &str) -> String {
    let safe = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if safe.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    const S: &str = "/subscriptions/s1/resourceGroups/g";
    const NOW: i64 = 1_764_460_800; // 2025-11-30
    const V1: &str = "/0123456789abcdef0123456789abcdef";

    fn registry(name: &str, sku: &str, identity: Value, key: Option<(&str, &str)>, last: &str) -> Registry {
        let encryption = match key {
            Some((kid, who)) => {
                json!({"status": "enabled", "keyVaultProperties": {"keyIdentifier": kid, "identity": who, "lastKeyRotationTimestamp": last}})
            }
            None => json!({"status": "disabled"}),
        };
        serde_json::from_value(json!({
            "id": format!("{S}/providers/Microsoft.ContainerRegistry/registries/{name}"), "name": name, "type": "microsoft.containerregistry/registries",
            "location": "westeurope", "sku": {"name": sku}, "identity": identity,
            "properties": {"loginServer": format!("{name}.azurecr.io"), "encryption": encryption}
        }))
        .unwrap()
    }

    fn user(name: &str, client: &str, principal: &str) -> Value {
        json!({"type": "userAssigned", "userAssignedIdentities": {
            format!("/subscriptions/s1/resourcegroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}"): {"clientId": client, "principalId": principal}}})
    }

    fn vault(name: &str, purge: bool, acls: Value) -> Vault {
        serde_json::from_value(json!({"id": format!("{S}/providers/Microsoft.KeyVault/vaults/{name}"), "name": name, "location": "westeurope",
            "properties": {"tenantId": "t", "sku": {"family": "A", "name": "standard"}, "enablePurgeProtection": purge, "networkAcls": acls}}))
        .unwrap()
    }

    fn identity(name: &str) -> UserAssignedIdentity {
        serde_json::from_value(
            json!({"id": format!("/subscriptions/s1/resourcegroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}"),
            "name": name, "location": "westeurope", "properties": {"tenantId": "t", "principalId": "p", "clientId": "c"}}),
        )
        .unwrap()
    }

    fn fleet() -> Vec<FleetRow> {
        let kid = |v: &str, version: &str| format!("https://{v}.vault.azure.net/keys/cmk{version}");
        let registries = [
            registry("good", "Premium", user("id1", "c1", "p1"), Some((&kid("kv1", ""), "c1")), "2025-11-01T00:00:00Z"),
            registry("twin", "Premium", user("id1", "c1", "p1"), Some((&kid("kv1", V1), "c1")), "2025-11-01T00:00:00.0000000Z"),
            registry("stale", "Premium", user("id1", "c1", "p1"), Some((&kid("kv2", V1), "c1")), "2024-01-15T00:00:00.0000000Z"),
            registry("walled", "Premium", user("id1", "c1", "p1"), Some((&kid("kv3", ""), "c1")), ""),
            registry(
                "sys",
                "Premium",
                json!({"type": "systemAssigned", "principalId": "9a9a-system"}),
                Some((&kid("kv3", ""), "system")),
                "",
            ),
            registry("lost", "Premium", user("id1", "c1", "p1"), Some((&kid("kvgone", ""), "c2")), ""),
            registry("orphan", "Premium", user("idgone", "c9", "p9"), Some((&kid("kv1", ""), "c9")), ""),
            registry("plain", "Premium", Value::Null, None, ""),
            registry("small", "Standard", Value::Null, None, ""),
        ];
        let vaults = [
            vault("kv1", true, Value::Null),
            vault("kv2", false, Value::Null),
            vault("kv3", true, json!({"defaultAction": "Deny", "bypass": "AzureServices"})),
        ];
        join(&registries, &vaults, &[identity("id1")], NOW, STALE_AFTER_DAYS)
    }

    fn flags_of<'a>(rows: &'a [FleetRow], name: &str) -> &'a [Flag] {
        &rows.iter().find(|r| r.name == name).unwrap().flags
    }

    #[test]
    fn each_flag_lands_on_the_registry_that_has_it_and_nowhere_else() {
        let rows = fleet();
        assert_eq!(flags_of(&rows, "good"), []);
        assert_eq!(flags_of(&rows, "twin"), [], "pinned but rotated this month");
        assert_eq!(flags_of(&rows, "stale"), [Flag::NoPurgeProtection, Flag::PinnedKeyStale]);
        assert_eq!(flags_of(&rows, "walled"), [Flag::FirewallKeepsIdentityOut]);
        assert_eq!(flags_of(&rows, "sys"), [], "the system identity passes as a trusted service");
        assert_eq!(flags_of(&rows, "lost"), [Flag::VaultNotFound, Flag::IdentityNotAttached]);
        assert_eq!(flags_of(&rows, "orphan"), [Flag::IdentityDeleted]);
        assert_eq!(flags_of(&rows, "plain"), [Flag::PremiumWithoutCmk]);
        assert_eq!(flags_of(&rows, "small"), []);
        let good = rows.iter().find(|r| r.name == "good").unwrap();
        assert_eq!(
            (good.vault.as_deref(), good.key_name.as_deref(), good.versionless, good.resource_group.as_str()),
            (Some("kv1"), Some("cmk"), Some(true), "g")
        );
        assert_eq!(good.encrypting, Some(Encrypting::User { client_id: "c1".into(), name: Some("id1".into()) }));
    }

    #[test]
    fn sharing_counts_registries_one_revoke_would_cut_off() {
        let rows = fleet();
        let sharing = |n: &str| rows.iter().find(|r| r.name == n).unwrap().sharing;
        // good, twin and orphan use kv1; good and twin through p1.
        assert_eq!((sharing("good"), sharing("twin"), sharing("orphan")), (2, 2, 1));
        assert_eq!((sharing("sys"), sharing("plain")), (1, 0));
    }

    #[test]
    fn search_finds_by_each_key_and_a_pasted_id_opens_the_registry() {
        let rows = fleet();
        let names = |f: Found| match f {
            Found::Matches(i) => i.into_iter().map(|i| rows[i].name.clone()).collect::<Vec<_>>(),
            Found::Exact(i) => vec![format!("exact {}", rows[i].name)],
        };
        assert_eq!(names(search(&rows, "STALE")), ["stale"]);
        assert_eq!(names(search(&rows, "kv2")), ["stale"]);
        assert_eq!(names(search(&rows, "kvgone.vault.azure.net/keys/cmk")), ["lost"]);
        assert_eq!(names(search(&rows, "c9")), ["orphan"]);
        assert_eq!(names(search(&rows, "9A9A")), ["sys"], "by principal id");
        assert_eq!(names(search(&rows, "idgone")), ["orphan"], "by identity name");
        assert_eq!(names(search(&rows, &format!(" {S}/providers/Microsoft.ContainerRegistry/registries/twin "))), ["exact twin"]);
        assert_eq!(names(search(&rows, "TWIN.azurecr.io")), ["exact twin"]);
        assert_eq!(names(search(&rows, "")).len(), rows.len());
    }

    #[test]
    fn csv_quotes_per_rfc_4180_and_never_lets_a_cell_run_as_a_formula() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-rg-dash(1)"), "'-rg-dash(1)");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("line\nbreak"), "\"line\nbreak\"");
        let text = csv(&fleet());
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert!(lines[0].starts_with("name,loginServer,subscriptionId"));
        assert_eq!(lines.len(), 9 + 2, "header, nine rows, and the final CRLF");
        assert!(lines.iter().any(|l| l.starts_with("stale,") && l.contains(",no purge protection; pinned key not rotated,")), "{text}");
    }

    #[test]
    fn a_flags_url_key_is_its_serde_name_and_reads_back() {
        for flag in Flag::ALL {
            assert_eq!(serde_json::to_value(flag).unwrap(), Value::String(flag.key().into()));
            assert_eq!(Flag::from_key(flag.key()), Some(flag));
        }
        assert_eq!(Flag::from_key("nope"), None);
    }

    #[test]
    fn timestamps_in_arms_forms() {
        assert_eq!(epoch_secs("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_secs("2025-11-30T00:00:00.0000000Z"), Some(NOW));
        assert_eq!(epoch_secs("2025-11-30T01:00:00+01:00"), Some(NOW));
        assert_eq!(epoch_secs("2024-02-29T12:00:00Z"), Some(1_709_208_000));
        assert_eq!(epoch_secs("not a time"), None);
    }
}
