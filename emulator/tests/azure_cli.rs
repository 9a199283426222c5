//! What the Azure CLI needs from the emulator (issue 16), each as an HTTP test:
//! the cloud metadata `az cloud register` reads, the generic resource list `az
//! acr` finds a registry's group with, older api-versions, built-in role
//! definitions, the Graph reads, and the vault proxy that reaches
//! `{vault}.vault.azure.net` (and refuses any other target).
//! `tests/cli/run.sh` runs the real CLI through all of it.

mod common;

use std::time::Duration;

use acr_cmk_emulator::{start, Config};
use common::*;
use serde_json::{json, Value};

async fn token_for(e: &Emu, aud: &str) -> String {
    let r = e.client.post(e.url("/_emulator/token")).json(&json!({ "aud": aud })).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    v["accessToken"].as_str().or(v["access_token"].as_str()).expect("a token").to_string()
}

#[tokio::test]
async fn cloud_metadata_names_the_emulator_without_a_token() {
    let e = emu().await;
    let r = e.bare().get(e.url("/metadata/endpoints?api-version=2022-09-01")).send().await.unwrap();
    let (status, v) = read(r).await;
    assert_eq!(status, 200, "{v}");
    let base = &e.running.arm_url;
    assert_eq!(v["authentication"]["loginEndpoint"], json!(base));
    assert_eq!(v["resourceManager"], json!(format!("{base}/")));
    assert_eq!(v["authentication"]["audiences"][0], "https://management.core.windows.net/");
    assert_eq!(v["suffixes"]["keyVaultDns"], "vault.azure.net");
    // 2019-05-01 answers a list of clouds.
    let (status, v) = read(e.bare().get(e.url("/metadata/endpoints?api-version=2019-05-01")).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(v[0]["authentication"]["loginEndpoint"], json!(base));
    let got = read(e.bare().get(e.url("/metadata/endpoints?api-version=2099-01-01")).send().await.unwrap()).await;
    assert_error(&got, 400, "InvalidApiVersionParameter");
}

#[tokio::test]
async fn generic_resource_list_filters_on_type_and_name_and_pages_with_the_filter() {
    let e = emu_with(Config { page_size: 1, ..Config::default() }).await;
    let filter = "resourceType eq 'Microsoft.ContainerRegistry/registries'";
    let mut url =
        format!("/subscriptions/{SUB}/resources?api-version=2024-11-01&$filter={}", filter.replace(' ', "%20").replace('\'', "%27"));
    let mut names = Vec::new();
    for _ in 0..10 {
        let (status, v) = e.get(&url).await;
        assert_eq!(status, 200, "{v}");
        for r in v["value"].as_array().unwrap() {
            assert_eq!(r["type"], "Microsoft.ContainerRegistry/registries");
            assert!(r["id"].as_str().unwrap().contains(&format!("/resourceGroups/{RG}/")), "{r}");
            assert!(r.get("properties").is_none(), "the generic list has no properties: {r}");
            names.push(r["name"].as_str().unwrap().to_string());
        }
        match v["nextLink"].as_str() {
            Some(next) => {
                assert!(next.contains("filter=resourceType%20eq%20%27Microsoft.ContainerRegistry%2Fregistries%27"), "{next}");
                url = next.to_string();
            }
            None => break,
        }
    }
    names.sort();
    assert_eq!(names, ["contosoauto", "contosocentral", "contosodev", "contosolost", "contosoprod", "contosorestricted"]);

    let e = emu().await;
    let (status, v) =
        e.get(&format!("/subscriptions/{SUB}/resourceGroups/{RG}/resources?api-version=2021-04-01&$filter=resourceType%20eq%20%27Microsoft.KeyVault%2Fvaults%27%20and%20name%20eq%20%27KV-ACR-DEMO%27")).await;
    assert_eq!(status, 200, "{v}");
    let list = v["value"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{v}");
    assert_eq!(list[0]["name"], "kv-acr-demo");
    // Every kind of resource the emulator holds is listed without a filter.
    let (_, v) = e.get(&format!("/subscriptions/{SUB}/resources?api-version=2021-04-01")).await;
    let types: std::collections::BTreeSet<&str> = v["value"].as_array().unwrap().iter().map(|r| r["type"].as_str().unwrap()).collect();
    assert_eq!(
        types.into_iter().collect::<Vec<_>>(),
        ["Microsoft.ContainerRegistry/registries", "Microsoft.KeyVault/vaults", "Microsoft.ManagedIdentity/userAssignedIdentities"]
    );
    let got = e.get(&format!("/subscriptions/{SUB}/resources?api-version=2021-04-01&$filter=tagName%20eq%20%27x%27")).await;
    assert_error(&got, 400, "InvalidFilterInQueryString");
    let got = e.get(&format!("/subscriptions/{SUB}/resourceGroups/nope/resources?api-version=2021-04-01")).await;
    assert_error(&got, 404, "ResourceGroupNotFound");
}

#[tokio::test]
async fn api_versions_azure_still_accepts_are_accepted() {
    let e = emu().await;
    for v in ["2021-08-01-preview", "2019-12-01-preview", "2026-09-01-preview"] {
        let (status, body) = e
            .get(&format!(
                "/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/registries/contosoprod?api-version={v}"
            ))
            .await;
        assert_eq!(status, 200, "{v}: {body}");
    }
    let (status, _) = e
        .get(&format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-demo?api-version=2026-02-01"))
        .await;
    assert_eq!(status, 200);
    let (status, _) = e.get(&format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-cmk?api-version=2025-05-31-preview")).await;
    assert_eq!(status, 200);
    let got = e
        .get(&format!(
            "/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/registries/contosoprod?api-version=2021-08-02"
        ))
        .await;
    assert_error(&got, 400, "InvalidApiVersionParameter");
}

#[tokio::test]
async fn role_definitions_resolve_names_and_refuse_unknown_filters() {
    let e = emu().await;
    let scope = format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-demo");
    let (status, v) = e
        .get(&format!("{scope}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01&$filter=roleName%20eq%20%27Key%20Vault%20Crypto%20Service%20Encryption%20User%27"))
        .await;
    assert_eq!(status, 200, "{v}");
    let list = v["value"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0]["id"],
        format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6")
    );
    // The seed's name for it, from when the role was in preview, is no role today.
    let (_, v) = e
        .get(&format!("{scope}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01&$filter=roleName%20eq%20%27Key%20Vault%20Crypto%20Service%20Encryption%20(preview)%27"))
        .await;
    assert_eq!(v["value"], json!([]));
    let got = e.get(&format!("{scope}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01&$filter=foo")).await;
    assert_error(&got, 400, "InvalidFilterInQueryString");
}

#[tokio::test]
async fn graph_reads_need_a_graph_token_and_find_managed_identities() {
    let e = emu().await;
    let (_, identity) = e.get(&format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-cmk?api-version=2024-11-30")).await;
    let principal = identity["properties"]["principalId"].as_str().unwrap();
    let graph = token_for(&e, "https://graph.microsoft.com").await;
    let body = json!({ "ids": [principal, "00000000-0000-0000-0000-000000000000"], "types": ["user", "servicePrincipal"] });
    let r = e.client.post(e.url("/_graph/v1.0/directoryObjects/getByIds")).bearer_auth(&graph).json(&body).send().await.unwrap();
    let (status, v) = read(r).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["value"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["value"][0]["@odata.type"], "#microsoft.graph.servicePrincipal");
    assert_eq!(v["value"][0]["servicePrincipalType"], "ManagedIdentity");
    // An ARM token is not a Graph token.
    let r = e.client.post(e.url("/_graph/v1.0/directoryObjects/getByIds")).bearer_auth(&e.token).json(&body).send().await.unwrap();
    assert_error(&read(r).await, 401, "InvalidAuthenticationToken");
    let client_id = identity["properties"]["clientId"].as_str().unwrap();
    let url = e.url(&format!("/_graph/v1.0/servicePrincipals?$filter=servicePrincipalNames/any(c:c%20eq%20%27{client_id}%27)"));
    let (status, v) = read(e.client.get(url).bearer_auth(&graph).send().await.unwrap()).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["value"][0]["id"], json!(principal));
}

#[tokio::test]
async fn vault_proxy_reaches_vault_hosts_only_and_needs_tls() {
    let ca = std::env::temp_dir().join(format!("acr-cmk-proxy-ca-{}.pem", std::process::id()));
    let running = start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        tls: true,
        ca_out: Some(ca.clone()),
        vault_proxy_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..Config::default()
    })
    .await
    .expect("starts");
    let proxy = running.vault_proxy_url.clone().expect("a proxy URL");
    let pem = std::fs::read(&ca).unwrap();
    let _ = std::fs::remove_file(&ca);
    let client = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .proxy(reqwest::Proxy::https(&proxy).unwrap())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let admin = running.admin_secret().to_string();
    let plain = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap();
    let r = plain
        .post(format!("{}/_emulator/token", running.arm_url))
        .header("x-emulator-admin", &admin)
        .json(&json!({"aud": "https://vault.azure.net"}))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    let vault_token = v["accessToken"].as_str().or(v["access_token"].as_str()).unwrap().to_string();
    // The vault's host, as `vaultUri` names it, is its data plane.
    let r = client
        .get("https://kv-acr-demo.vault.azure.net/keys?api-version=7.6")
        .bearer_auth(&vault_token)
        .send()
        .await
        .expect("through the proxy");
    let (status, v) = read(r).await;
    assert_eq!(status, 200, "{v}");
    assert!(
        v["value"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kid"].as_str().unwrap().starts_with("https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key")),
        "{v}"
    );
    // Without a token: Key Vault's challenge.
    let r = client.get("https://kv-acr-demo.vault.azure.net/keys?api-version=7.6").send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("www-authenticate").is_some());
    // Any other host is refused by the proxy: nothing leaves the machine.
    assert!(client.get("https://example.com/").send().await.is_err());
    assert!(client.get("https://login.microsoftonline.com/").send().await.is_err());
    // A plain CONNECT to another target gets 403 from the proxy itself.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(proxy.trim_start_matches("http://")).await.unwrap();
    s.write_all(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n").await.unwrap();
    let mut buf = vec![0u8; 64];
    let n = s.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 403"), "{}", String::from_utf8_lossy(&buf[..n]));
    // The proxy needs TLS (its tunnels end at the HTTPS listener).
    let err = start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        vault_proxy_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..Config::default()
    })
    .await;
    assert!(err.is_err());
}

#[tokio::test]
async fn system_data_records_who_created_and_changed_a_resource() {
    let e = emu_with(empty()).await;
    let (status, _) =
        e.put(&format!("/subscriptions/{SUB}/resourcegroups/rg-sd?api-version=2024-11-01"), json!({"location": "westeurope"})).await;
    assert_eq!(status, 201);
    let id = format!("/subscriptions/{SUB}/resourceGroups/rg-sd/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-sd");
    let (status, v) = e.put(&format!("{id}?api-version=2024-11-30"), json!({"location": "westeurope"})).await;
    assert!(status.is_success(), "{v}");
    let sd = &v["systemData"];
    assert_eq!(sd["createdByType"], "User", "{v}");
    assert!(sd["createdBy"].as_str().is_some_and(|s| s.contains('@')), "{sd}");
    assert_eq!(sd["createdAt"], sd["lastModifiedAt"]);
    tokio::time::sleep(Duration::from_millis(20)).await;
    let (_, v) = e.patch(&format!("{id}?api-version=2024-11-30"), json!({"tags": {"a": "b"}})).await;
    let (_, got) = e.get(&format!("{id}?api-version=2024-11-30")).await;
    assert_eq!(got["systemData"], v["systemData"]);
    assert_ne!(got["systemData"]["lastModifiedAt"], got["systemData"]["createdAt"], "{got}");
    // In the generic list too; not in an api-version from before the field.
    let (_, list) = e.get(&format!("/subscriptions/{SUB}/resources?api-version=2024-11-01")).await;
    assert_eq!(list["value"][0]["systemData"], got["systemData"]);
    let (_, old) = e.get(&format!("{id}?api-version=2018-11-30")).await;
    assert!(old.get("systemData").is_none(), "{old}");
    // Deleted and created again: a new creation.
    let (status, _) = e.delete(&format!("{id}?api-version=2024-11-30")).await;
    assert!(status.is_success());
    let (_, again) = e.put(&format!("{id}?api-version=2024-11-30"), json!({"location": "westeurope"})).await;
    assert_ne!(again["systemData"]["createdAt"], got["systemData"]["createdAt"]);
}

#[tokio::test]
async fn resource_groups_keep_their_tags() {
    let e = emu_with(empty()).await;
    let path = format!("/subscriptions/{SUB}/resourcegroups/rg-tags?api-version=2024-11-01");
    let (status, v) = e.put(&path, json!({"location": "westeurope"})).await;
    assert_eq!(status, 201);
    assert!(v.get("tags").is_none(), "no tags until some are set: {v}");
    let (status, v) = e.put(&path, json!({"location": "westeurope", "tags": {"env": "seed"}})).await;
    assert_eq!(status, 200);
    assert_eq!(v["tags"], json!({"env": "seed"}));
    let (_, v) = e.get(&path).await;
    assert_eq!(v["tags"], json!({"env": "seed"}));
    let (status, v) = e.patch(&path, json!({"tags": {"env": "test", "owner": "cli"}})).await;
    assert_eq!(status, 200, "{v}");
    let (_, list) = e.get(&format!("/subscriptions/{SUB}/resourcegroups?api-version=2024-11-01")).await;
    assert_eq!(list["value"][0]["tags"], json!({"env": "test", "owner": "cli"}));
    let got = e.put(&path, json!({"location": "eastus"})).await;
    assert_error(&got, 409, "InvalidResourceGroupLocation");
}
