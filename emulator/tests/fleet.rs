//! The `fleet` scenario (issue 12): its size, every posture flag and key-access
//! verdict on the registries `src/fleet.rs` builds them on, the same world on
//! every start, and Resource Graph over it: `$skipToken` pages of 1,000 and the
//! per-user quota headers.

mod common;

use std::collections::BTreeSet;
use std::time::Instant;

use acr_cmk_emulator::fleet::{registry_name, subscription_id, vault_name, HOSTILE_GROUPS};
use acr_cmk_emulator::{Config, Scenario};
use common::*;
use serde_json::{json, Value};

const ARG: &str = "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01";

async fn fleet() -> Emu {
    emu_with(Config { scenario: Scenario::Fleet, page_size: 1000, ..Config::default() }).await
}

/// Every row of `query`, following `$skipToken`; the number of pages.
async fn all_rows(e: &Emu, query: &str) -> (Vec<Value>, usize) {
    let (mut rows, mut pages, mut token) = (Vec::new(), 0, None::<String>);
    loop {
        let mut options = json!({"$top": 1000, "resultFormat": "objectArray"});
        if let Some(t) = &token {
            options["$skipToken"] = json!(t);
        }
        let (status, body) = e.post(ARG, json!({"query": query, "options": options})).await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        rows.extend(body["data"].as_array().unwrap().iter().cloned());
        match body["$skipToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => return (rows, pages),
        }
    }
}

fn registry_path(nn: u32, group: &str, r: u32) -> String {
    format!(
        "/subscriptions/{}/resourceGroups/{group}/providers/Microsoft.ContainerRegistry/registries/{}?api-version=2025-04-01",
        subscription_id(nn),
        registry_name(nn, r)
    )
}

#[tokio::test]
async fn ten_thousand_registries_in_pages_of_a_thousand_with_the_quota_headers() {
    let e = fleet().await;
    let started = Instant::now();
    let (rows, pages) = all_rows(
        &e,
        "Resources | where type =~ 'microsoft.containerregistry/registries' | project id, name, resourceGroup, subscriptionId, sku, identity, properties",
    )
    .await;
    eprintln!("fleet: {} registries in {pages} pages, {:?} (debug build)", rows.len(), started.elapsed());
    assert_eq!((rows.len(), pages), (10_000, 10));
    let ids: BTreeSet<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 10_000, "every row once");
    let subs: BTreeSet<&str> = rows.iter().map(|r| r["subscriptionId"].as_str().unwrap()).collect();
    assert_eq!(subs.len(), 25);
    let (vaults, _) = all_rows(&e, "Resources | where type =~ 'microsoft.keyvault/vaults' | project id, name, properties").await;
    assert_eq!(vaults.len(), 300 - 2, "two soft-deleted vaults are not resources");
    let (identities, _) =
        all_rows(&e, "Resources | where type =~ 'microsoft.managedidentity/userassignedidentities' | project id, name, properties").await;
    assert_eq!(identities.len(), 500);

    let r = e.send(reqwest::Method::POST, ARG, Some(json!({"query": "Resources | project id | limit 1"}))).await;
    let remaining: u32 = r.headers()["x-ms-user-quota-remaining"].to_str().unwrap().parse().unwrap();
    assert!(remaining < 15, "queries in this window count down: {remaining}");
    let resets = r.headers()["x-ms-user-quota-resets-after"].to_str().unwrap().to_string();
    assert!(resets.starts_with("00:00:0"), "{resets}");
}

#[tokio::test]
async fn every_flag_and_verdict_is_on_the_registry_built_for_it() {
    let e = fleet().await;
    let status = |v: &Value| v["properties"]["status"]["displayStatus"].as_str().map(str::to_string);
    let get = |nn: u32, group: &str, r: u32| {
        let path = registry_path(nn, group, r);
        let e = &e;
        async move {
            let (s, v) = e.get(&path).await;
            assert_eq!(s, 200, "{path}: {v}");
            v
        }
    };
    let (apps, sec) = ("rg-fleet-02-apps", "rg-fleet-02-sec");
    let failed = Some("KeyVaultAccessFailed".to_string());
    // r=33: CMK in vault 9 (firewall Deny, bypass AzureServices) through a user-assigned identity: kept out.
    assert_eq!(status(&get(2, sec, 33).await), failed);
    // r=9: the same vault through the system identity, a trusted service: gets through.
    let system = get(2, sec, 9).await;
    assert_eq!((system["identity"]["type"].as_str(), status(&system)), (Some("systemAssigned"), None), "{system}");
    assert_eq!(system["properties"]["encryption"]["keyVaultProperties"]["identity"], "system");
    // r=10: vault 10's firewall lets nobody through.
    assert_eq!(status(&get(2, apps, 10).await), failed);
    // r=11: vault 11 has no purge protection; versionless; reaches its key.
    let ok = get(2, sec, 11).await;
    assert_eq!(status(&ok), None, "{ok}");
    assert!(ok["properties"]["encryption"]["keyVaultProperties"]["keyIdentifier"].as_str().unwrap().ends_with("/keys/cmk"));
    let (_, kv11) = e
        .get(&format!(
            "/subscriptions/{}/resourceGroups/{sec}/providers/Microsoft.KeyVault/vaults/{}?api-version=2025-05-01",
            subscription_id(2),
            vault_name(2, 11)
        ))
        .await;
    assert_eq!(kv11["properties"]["enablePurgeProtection"], false);
    // r=59: identity 19, never granted. r=3: names an identity it does not carry. r=4: its identity was deleted.
    assert_eq!(status(&get(2, sec, 59).await), failed);
    assert_eq!(status(&get(2, sec, 3).await), failed);
    let deleted = get(2, apps, 4).await;
    assert!(deleted["identity"]["userAssignedIdentities"].as_object().unwrap().keys().any(|k| k.ends_with("/id-fleet-deleted")));
    assert_eq!(status(&deleted), failed);
    // r=6: the key's vault does not exist. r=223: pinned to vault 7's disabled version.
    let gone = get(2, apps, 6).await;
    assert!(gone["properties"]["encryption"]["keyVaultProperties"]["keyIdentifier"].as_str().unwrap().contains("kv-gone-02"));
    assert_eq!(status(&gone), failed);
    assert_eq!(status(&get(2, sec, 223).await), failed);
    // r=14: pinned to the 2024 version, never rotated since.
    let stale = get(2, apps, 14).await;
    assert!(stale["properties"]["encryption"]["keyVaultProperties"]["lastKeyRotationTimestamp"]
        .as_str()
        .unwrap()
        .starts_with("2024-01-15"));
    assert_eq!(status(&stale), None);
    // r=2: Premium without a customer-managed key.
    let plain = get(2, apps, 2).await;
    assert_eq!((plain["sku"]["name"].as_str(), plain["properties"]["encryption"]["status"].as_str()), (Some("Premium"), Some("disabled")));
    // Subscription 10's vault 8 is soft-deleted (r=8); subscription 05's key in vault 6 is (r=18).
    assert_eq!(status(&get(10, "rg-fleet-10-apps", 8).await), failed);
    assert_eq!(status(&get(5, "rg-fleet-05-apps", 18).await), failed);
    // Hostile group names are registries' groups in subscription 01.
    let (rows, _) = all_rows(&e, "Resources | where type =~ 'microsoft.containerregistry/registries' | project id, resourceGroup").await;
    for g in HOSTILE_GROUPS {
        assert!(rows.iter().any(|r| r["resourceGroup"] == g.to_lowercase()), "no registry in {g}");
    }
}

#[tokio::test]
async fn the_fleet_is_the_same_world_on_every_start() {
    let (a, b) = (fleet().await, fleet().await);
    let strip = |mut v: Value| {
        for vault in v["vaults"].as_array_mut().unwrap() {
            vault.as_object_mut().unwrap().remove("etag");
        }
        for key in v["keys"].as_array_mut().unwrap() {
            for version in key["versions"].as_array_mut().unwrap() {
                version.as_object_mut().unwrap().remove("n");
            }
        }
        v.as_object_mut().unwrap().remove("ids");
        v
    };
    let (_, x) = a.get("/_emulator/state").await;
    let (_, y) = b.get("/_emulator/state").await;
    assert_eq!(x["registries"].as_array().unwrap().len(), 10_000);
    assert!(strip(x) == strip(y), "two starts differ");
}

fn parse<T: serde::de::DeserializeOwned>(rows: Vec<Value>) -> Vec<T> {
    rows.into_iter().map(|r| serde_json::from_value(r).unwrap()).collect()
}

/// The console's fleet join (`acr_cmk_domain::fleet`) over the three queries it sends, as the
/// emulator answers them: every flag on the registry built for it.
#[tokio::test]
async fn the_domain_join_flags_what_the_scenario_built() {
    use acr_cmk_domain::fleet::{join, Encrypting, Flag, IDENTITIES, REGISTRIES, STALE_AFTER_DAYS, VAULTS};
    let e = fleet().await;
    let registries: Vec<acr_cmk_domain::registry::Registry> = parse(all_rows(&e, REGISTRIES).await.0);
    let vaults: Vec<acr_cmk_domain::vault::Vault> = parse(all_rows(&e, VAULTS).await.0);
    let identities: Vec<acr_cmk_domain::identity::UserAssignedIdentity> = parse(all_rows(&e, IDENTITIES).await.0);
    // On 2026-01-01 the 2024-01-15 version is older than a year, the 2025-06-01 one is not.
    let rows = join(&registries, &vaults, &identities, 1_767_225_600, STALE_AFTER_DAYS);
    assert_eq!(rows.len(), 10_000);
    let flags = |nn: u32, r: u32| rows.iter().find(|x| x.name == registry_name(nn, r)).unwrap().flags.clone();
    assert_eq!(flags(2, 33), [Flag::FirewallKeepsIdentityOut]);
    assert_eq!(flags(2, 9), [], "the system identity through the trusted-services bypass");
    assert_eq!(flags(2, 11), [Flag::NoPurgeProtection]);
    assert_eq!(flags(2, 3), [Flag::IdentityNotAttached]);
    assert_eq!(flags(2, 4), [Flag::IdentityDeleted]);
    assert_eq!(flags(2, 6), [Flag::VaultNotFound]);
    assert_eq!(flags(10, 8), [Flag::VaultNotFound], "soft-deleted vaults are not resources");
    assert_eq!(flags(2, 14), [Flag::PinnedKeyStale]);
    assert_eq!(flags(2, 2), [Flag::PremiumWithoutCmk]);
    let system = rows.iter().find(|x| x.name == registry_name(2, 9)).unwrap();
    assert_eq!(system.encrypting, Some(Encrypting::System));
    // Identity 3 of subscription 02 in vault 3: registries 63, 183 and 303 (3, 123, 243 and 363 name another identity).
    let shared = rows.iter().find(|x| x.name == registry_name(2, 63)).unwrap();
    assert_eq!(shared.sharing, 3, "{shared:?}");
    for flag in Flag::ALL {
        let n = rows.iter().filter(|r| r.flags.contains(&flag)).count();
        eprintln!("fleet: {n:>5} registries flagged {}", flag.label());
        assert!(n > 0, "no registry is flagged {flag:?}");
    }
}
