//! Answers follow the requested api-version's shape (`api_shapes`, issue 16):
//! an old version's GET, list page and write of a CMK registry, a vault and a
//! user-assigned identity leave out what that version does not define and keep
//! the rest; the newest versions (the console's, the SDKs', azure-cli's) keep
//! everything.

mod common;

use std::time::Duration;

use acr_cmk_emulator::Config;
use common::*;
use serde_json::{json, Value};

fn registry_url(name: &str, v: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/registries/{name}?api-version={v}")
}

fn vault_url(v: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-demo?api-version={v}")
}

fn identity_url(v: &str) -> String {
    format!(
        "/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-cmk?api-version={v}"
    )
}

/// `body` with `paths` removed: what the old version should answer.
fn without(body: &Value, paths: &[&[&str]]) -> Value {
    let mut out = body.clone();
    for path in paths {
        let (last, parents) = path.split_last().unwrap();
        let mut cur = &mut out;
        for p in parents {
            cur = cur.get_mut(*p).unwrap();
        }
        assert!(cur.as_object_mut().unwrap().remove(*last).is_some(), "the full shape has {path:?}: {body}");
    }
    out
}

async fn get_ok(e: &Emu, url: &str) -> Value {
    let (status, v) = e.get(url).await;
    assert_eq!(status, 200, "{url}: {v}");
    v
}

#[tokio::test]
async fn a_cmk_registry_in_old_versions_lacks_what_they_do_not_define() {
    let e = emu().await;
    let full = get_ok(&e, &registry_url("contosoprod", "2026-09-01-preview")).await;
    assert_eq!(full["properties"]["encryption"]["status"], "enabled", "{full}");
    // The console's and the SDK's versions answer the same full shape.
    for v in ["2025-04-01", "2025-11-01"] {
        assert_eq!(get_ok(&e, &registry_url("contosoprod", v)).await, full, "{v}");
    }

    // 2017-10-01: no identity, encryption, policies or any 2019+ network field.
    let old = get_ok(&e, &registry_url("contosoprod", "2017-10-01")).await;
    let gone: &[&[&str]] = &[
        &["identity"],
        &["properties", "policies"],
        &["properties", "encryption"],
        &["properties", "dataEndpointEnabled"],
        &["properties", "dataEndpointHostNames"],
        &["properties", "privateEndpointConnections"],
        &["properties", "publicNetworkAccess"],
        &["properties", "networkRuleBypassOptions"],
        &["properties", "zoneRedundancy"],
        &["properties", "anonymousPullEnabled"],
    ];
    assert_eq!(old, without(&full, gone));
    assert_eq!(old["properties"]["networkRuleSet"]["defaultAction"], full["properties"]["networkRuleSet"]["defaultAction"]);
    assert_eq!(old["properties"]["loginServer"], "contosoprod.azurecr.io");

    // 2021-09-01 (stable) has encryption and identity, but not anonymous pull nor the Entra-as-ARM policy;
    // 2021-08-01-preview has anonymous pull but not that policy either.
    let stable = get_ok(&e, &registry_url("contosoprod", "2021-09-01")).await;
    assert_eq!(
        stable,
        without(&full, &[&["properties", "anonymousPullEnabled"], &["properties", "policies", "azureADAuthenticationAsArmPolicy"]])
    );
    assert_eq!(stable["identity"], full["identity"]);
    assert_eq!(stable["properties"]["encryption"], full["properties"]["encryption"]);
    let preview = get_ok(&e, &registry_url("contosoprod", "2021-08-01-preview")).await;
    assert_eq!(preview, without(&full, &[&["properties", "policies", "azureADAuthenticationAsArmPolicy"]]));
}

#[tokio::test]
async fn registry_list_pages_follow_the_version() {
    let e = emu_with(Config { page_size: 2, ..Config::default() }).await;
    let mut url = format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries?api-version=2019-05-01");
    let (mut pages, mut items) = (0, 0);
    while pages < 20 {
        let v = get_ok(&e, &url).await;
        pages += 1;
        for r in v["value"].as_array().unwrap() {
            items += 1;
            assert!(r.get("identity").is_none(), "{r}");
            assert!(r["properties"].get("encryption").is_none(), "{r}");
            assert!(r["properties"]["policies"].get("exportPolicy").is_none(), "{r}");
            assert!(r["properties"]["policies"].get("trustPolicy").is_some(), "2019-05-01 has policies: {r}");
            assert!(r["properties"].get("loginServer").is_some(), "{r}");
        }
        match v["nextLink"].as_str() {
            Some(next) => {
                assert!(next.contains("api-version=2019-05-01"), "{next}");
                url = next.to_string();
            }
            None => break,
        }
    }
    assert!(pages > 1 && items > 2, "several pages were read: {pages} pages, {items} registries");
    // The same list in the newest version keeps encryption.
    let v = get_ok(&e, &format!("/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01")).await;
    assert!(v["value"].as_array().unwrap().iter().all(|r| r["properties"].get("encryption").is_some()), "{v}");
}

#[tokio::test]
async fn a_vault_in_old_versions_lacks_what_they_do_not_define() {
    let e = emu().await;
    let full = get_ok(&e, &vault_url("2026-02-01")).await;
    assert_eq!(get_ok(&e, &vault_url("2025-05-01")).await, full, "the console's version");
    assert_eq!(get_ok(&e, &vault_url("2026-05-15")).await, full, "the SDK's version");
    for (v, gone) in [
        ("2021-06-01-preview", &[][..]),
        ("2019-09-01", &[&["properties", "publicNetworkAccess"][..]][..]),
        (
            // A preview that has purge protection but not what 2019-09-01 brought.
            "2018-02-14-preview",
            &[
                &["properties", "publicNetworkAccess"][..],
                &["properties", "enableRbacAuthorization"],
                &["properties", "softDeleteRetentionInDays"],
                &["properties", "provisioningState"],
            ][..],
        ),
        (
            "2016-10-01",
            &[
                &["properties", "publicNetworkAccess"][..],
                &["properties", "enableRbacAuthorization"],
                &["properties", "softDeleteRetentionInDays"],
                &["properties", "provisioningState"],
            ][..],
        ),
    ] {
        let got = get_ok(&e, &vault_url(v)).await;
        // `systemData` is shaped by its own rule (none on a seeded vault); compare the rest.
        assert_eq!(got, without(&full, gone), "{v}");
    }
    // 2015-06-01 predates purge protection: set on the demo vault, it is left out.
    let has_purge = full["properties"].get("enablePurgeProtection").is_some();
    let old = get_ok(&e, &vault_url("2015-06-01")).await;
    assert!(old["properties"].get("enablePurgeProtection").is_none(), "{old}");
    assert!(old["properties"].get("enableRbacAuthorization").is_none(), "{old}");
    assert_eq!(old["properties"]["vaultUri"], full["properties"]["vaultUri"]);
    assert_eq!(old["properties"]["accessPolicies"], full["properties"]["accessPolicies"]);
    assert!(has_purge, "the demo vault has purge protection: {full}");
    for v in ["2016-10-01", "2018-02-14-preview"] {
        assert_eq!(get_ok(&e, &vault_url(v)).await["properties"]["enablePurgeProtection"], true, "{v}");
    }
}

#[tokio::test]
async fn vault_list_pages_follow_the_version() {
    let e = emu_with(Config { page_size: 1, ..Config::default() }).await;
    let mut url = format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults?api-version=2018-02-14");
    let mut items = 0;
    for _ in 0..20 {
        let v = get_ok(&e, &url).await;
        for r in v["value"].as_array().unwrap() {
            items += 1;
            assert!(r["properties"].get("enableRbacAuthorization").is_none(), "{r}");
            assert!(r["properties"].get("publicNetworkAccess").is_none(), "{r}");
            assert!(r["properties"].get("tenantId").is_some(), "{r}");
        }
        match v["nextLink"].as_str() {
            Some(next) => url = next.to_string(),
            None => break,
        }
    }
    assert!(items >= 2, "several one-item pages were read: {items}");
}

#[tokio::test]
async fn an_identity_before_2024_11_30_has_no_isolation_scope() {
    let e = emu().await;
    let full = get_ok(&e, &identity_url("2024-11-30")).await;
    assert_eq!(full["properties"]["isolationScope"], "None", "{full}");
    let old = get_ok(&e, &identity_url("2018-11-30")).await;
    assert_eq!(old, without(&full, &[&["properties", "isolationScope"]]));
    let listed = get_ok(
        &e,
        &format!("/subscriptions/{SUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2022-01-31-preview"),
    )
    .await;
    let items = listed["value"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["properties"].get("isolationScope").is_none() && i["properties"].get("clientId").is_some()), "{listed}");
    // A version that was not read answers the full shape rather than a guess.
    assert_eq!(get_ok(&e, &identity_url("2026-05-31")).await["properties"]["isolationScope"], "None");
}

#[tokio::test]
async fn writes_in_old_versions_ignore_fields_they_do_not_define_and_answer_in_their_shape() {
    // Registry updates are long-running: short ones settle by the time of the next request.
    let e = emu_with(Config { lro_duration: Duration::from_millis(50), ..Config::default() }).await;
    // A vault created with 2016-10-01 asking for RBAC: that version has no such field, so it is ignored.
    let url = format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-old-api?api-version=2016-10-01");
    let tenant = get_ok(&e, &vault_url("2026-02-01")).await["properties"]["tenantId"].clone();
    let (status, v) = e
        .put(
            &url,
            json!({"location": "westeurope", "properties": {"tenantId": tenant, "sku": {"family": "A", "name": "standard"},
                "accessPolicies": [], "enableRbacAuthorization": true, "enablePurgeProtection": true}}),
        )
        .await;
    assert!(status.is_success(), "{status}: {v}");
    assert!(v["properties"].get("enableRbacAuthorization").is_none(), "answered in 2016-10-01's shape: {v}");
    assert_eq!(v["properties"]["enablePurgeProtection"], true, "{v}");
    let now = get_ok(&e, &url.replace("2016-10-01", "2026-02-01")).await;
    assert_ne!(now["properties"]["enableRbacAuthorization"], true, "the ignored field changed nothing: {now}");
    assert_eq!(now["properties"]["enablePurgeProtection"], true, "{now}");

    // A registry PATCH in 2017-10-01 answers without encryption, and its CMK is untouched.
    let (status, v) = e.patch(&registry_url("contosoprod", "2017-10-01"), json!({"tags": {"team": "old-cli"}})).await;
    assert!(status.is_success(), "{status}: {v}");
    assert_eq!(v["type"], "Microsoft.ContainerRegistry/registries", "the answer is the registry: {v}");
    assert!(v["properties"].get("loginServer").is_some(), "{v}");
    assert!(v["properties"].get("encryption").is_none() && v.get("identity").is_none(), "{v}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let now = get_ok(&e, &registry_url("contosoprod", "2025-04-01")).await;
    assert_eq!(now["tags"]["team"], "old-cli");
    assert_eq!(now["properties"]["encryption"]["status"], "enabled", "{now}");
}
