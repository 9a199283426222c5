//! Vault ETags: `GET`/`PUT`/`PATCH` answer an `etag` (body) and an `ETag` (header);
//! every change to the vault replaces it; a write whose `If-Match` does not
//! match answers `412 PreconditionFailed` and changes nothing.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const KV: &str = "2025-05-01";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const PRINCIPAL: &str = "0b6f0c86-0000-4000-8000-00000000abcd";

fn vault_path(rest: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-demo{rest}?api-version={KV}")
}

/// Sends with an optional `If-Match`; answers status, `ETag` header and body.
async fn send(e: &Emu, method: Method, path: &str, if_match: Option<&str>, body: Option<Value>) -> (StatusCode, Option<String>, Value) {
    let mut req = e.client.request(method, e.url(path)).bearer_auth(&e.token);
    if let Some(m) = if_match {
        req = req.header("if-match", m);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let etag = r.headers().get("etag").map(|v| v.to_str().unwrap().to_string());
    let (status, body) = read(r).await;
    (status, etag, body)
}

async fn current(e: &Emu) -> (String, Value) {
    let (s, header, body) = send(e, Method::GET, &vault_path(""), None, None).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let etag = body["etag"].as_str().expect("etag in the body").to_string();
    assert_eq!(header.as_deref(), Some(etag.as_str()), "header and body agree");
    assert!(etag.starts_with("W/\"") && etag.ends_with('"'), "ARM's weak quoted form: {etag}");
    (etag, body)
}

fn policy() -> Value {
    json!({"properties":{"accessPolicies":[{"tenantId":TENANT,"objectId":PRINCIPAL,"permissions":{"keys":["get"]}}]}})
}

#[tokio::test]
async fn reads_are_stable_and_every_change_replaces_the_etag() {
    let e = emu().await;
    let (first, _) = current(&e).await;
    assert_eq!(current(&e).await.0, first, "reading does not change it");

    let (s, header, body) = send(&e, Method::PATCH, &vault_path(""), None, Some(json!({"tags":{"a":"1"}}))).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let after_patch = body["etag"].as_str().unwrap().to_string();
    assert_ne!(after_patch, first, "PATCH changes it");
    assert_eq!(header.as_deref(), Some(after_patch.as_str()));
    assert_eq!(current(&e).await.0, after_patch);

    let mut seen = vec![first, after_patch];
    for kind in ["add", "replace", "remove"] {
        let (s, header, body) = send(&e, Method::PUT, &vault_path(&format!("/accessPolicies/{kind}")), None, Some(policy())).await;
        assert_eq!(s, StatusCode::OK, "{kind}: {body}");
        let (now, _) = current(&e).await;
        assert_eq!(header.as_deref(), Some(now.as_str()), "{kind} answers the new ETag");
        assert!(!seen.contains(&now), "{kind} changes it");
        seen.push(now);
    }

    let acls = json!({"properties":{"networkAcls":{"defaultAction":"Deny","bypass":"AzureServices"}}});
    let (s, _, body) = send(&e, Method::PATCH, &vault_path(""), None, Some(acls)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (now, _) = current(&e).await;
    assert!(!seen.contains(&now), "network ACLs change it");

    let (_, put_body) = current(&e).await;
    let put = json!({"location": put_body["location"], "properties": put_body["properties"]});
    let (s, header, body) = send(&e, Method::PUT, &vault_path(""), None, Some(put)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_ne!(body["etag"], Value::String(now), "PUT changes it");
    assert_eq!(header.as_deref(), body["etag"].as_str());
}

#[tokio::test]
async fn a_stale_if_match_is_412_and_changes_nothing() {
    let e = emu().await;
    let (stale, _) = current(&e).await;
    let (s, _, _) = send(&e, Method::PATCH, &vault_path(""), Some(&stale), Some(json!({"tags":{"step":"1"}}))).await;
    assert_eq!(s, StatusCode::OK, "a matching If-Match is accepted");
    let (fresh, before) = current(&e).await;

    let got = send(&e, Method::PATCH, &vault_path(""), Some(&stale), Some(json!({"tags":{"step":"2"}}))).await;
    assert_error(&(got.0, got.2), 412, "PreconditionFailed");
    let got = send(&e, Method::PUT, &vault_path("/accessPolicies/add"), Some(&stale), Some(policy())).await;
    assert_error(&(got.0, got.2), 412, "PreconditionFailed");
    let put = json!({"location": before["location"], "properties": before["properties"], "tags": {"step":"3"}});
    let got = send(&e, Method::PUT, &vault_path(""), Some(&stale), Some(put.clone())).await;
    assert_error(&(got.0, got.2), 412, "PreconditionFailed");
    let got = send(&e, Method::DELETE, &vault_path(""), Some(&stale), None).await;
    assert_error(&(got.0, got.2), 412, "PreconditionFailed");

    let (after, body) = current(&e).await;
    assert_eq!(after, fresh, "nothing changed");
    assert_eq!(body, before, "nothing changed");

    // The strong form of the same tag and `*` both match.
    let strong = fresh.trim_start_matches("W/").to_string();
    let (s, _, body) = send(&e, Method::PUT, &vault_path("/accessPolicies/add"), Some(&strong), Some(policy())).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, _, body) = send(&e, Method::PUT, &vault_path(""), Some("*"), Some(put)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["tags"]["step"], "3");
}

#[tokio::test]
async fn if_match_on_a_vault_that_does_not_exist_is_412() {
    let e = emu().await;
    let path = format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-etag-new?api-version={KV}");
    let body = json!({"location":"westeurope","properties":{"tenantId":TENANT,"sku":{"family":"A","name":"standard"},"accessPolicies":[]}});
    let got = send(&e, Method::PUT, &path, Some("*"), Some(body.clone())).await;
    assert_error(&(got.0, got.2), 412, "PreconditionFailed");
    let (s, _) = e.get(&path).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "not created");
    let (s, header, created) = send(&e, Method::PUT, &path, None, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{created}");
    assert_eq!(header.as_deref(), created["etag"].as_str(), "a new vault has an ETag");
}
