//! The Activity Log: every ARM write the pipeline handles is recorded (Started, then Succeeded or
//! Failed, with the caller and the correlation id), and the list API answers the `$filter` the console
//! sends, refusing one without a time range as Azure does.

mod common;

use acr_cmk_domain::activity_log::{format_timestamp, EventPage};
use acr_cmk_emulator::auth::{DEMO_USER_UPN, HELPDESK_USER_OID};
use common::*;
use serde_json::{json, Value};

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CMK_PRINCIPAL: &str = "6d6f636b-0000-4000-8000-0000000000a1";
const KV: &str =
    "/subscriptions/6d6f636b-0000-4000-8000-000000000001/resourceGroups/rg-acr-demo/providers/Microsoft.KeyVault/vaults/kv-acr-demo";
const REG: &str =
    "/subscriptions/6d6f636b-0000-4000-8000-000000000001/resourceGroups/rg-acr-demo/providers/Microsoft.ContainerRegistry/registries/contosoprod";

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

/// The list path for `resource` over the last hour (as the console builds it, with `%20` for spaces).
fn list_path(resource: &str, from_ms: i64, to_ms: i64) -> String {
    let filter = format!(
        "eventTimestamp ge '{}' and eventTimestamp le '{}' and resourceUri eq '{resource}'",
        format_timestamp(from_ms),
        format_timestamp(to_ms)
    );
    format!(
        "/subscriptions/{SUB}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter={}",
        filter.replace(' ', "%20")
    )
}

async fn revoke(e: &Emu) -> reqwest::Response {
    let policy = json!({"properties":{"accessPolicies":[{"tenantId":TENANT,"objectId":CMK_PRINCIPAL,"permissions":{"keys":["get","wrapKey","unwrapKey"]}}]}});
    e.send(reqwest::Method::PUT, &format!("{KV}/accessPolicies/remove?api-version=2023-07-01"), Some(policy)).await
}

async fn token(e: &Emu, claims: Value) -> String {
    let r = e.client.post(e.url("/_emulator/token")).json(&claims).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    v["accessToken"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_revoke_is_recorded_started_and_succeeded_with_the_callers_upn_and_correlation_id() {
    let e = emu().await;
    let before = now_ms() - 1000;
    let r = revoke(&e).await;
    assert_eq!(r.status(), 200);
    let correlation = r.headers()["x-ms-correlation-request-id"].to_str().unwrap().to_string();
    let (s, body) = e.get(&list_path(KV, before, now_ms() + 1000)).await;
    assert_eq!(s, 200, "{body}");
    let events = &body["value"];
    assert_eq!(events.as_array().unwrap().len(), 2, "{body}");
    // Newest first: the end of the request, then its start.
    let (end, start) = (&events[0], &events[1]);
    assert_eq!(start["status"]["value"], "Started");
    assert_eq!(end["status"]["value"], "Succeeded");
    for ev in [start, end] {
        assert_eq!(ev["operationName"]["value"], "Microsoft.KeyVault/vaults/accessPolicies/write");
        assert_eq!(ev["caller"], DEMO_USER_UPN);
        assert_eq!(ev["correlationId"], correlation.as_str());
        assert_eq!(ev["category"]["value"], "Administrative");
        assert_eq!(ev["level"], "Informational");
        assert_eq!(ev["resourceGroupName"], "rg-acr-demo");
        assert_eq!(ev["resourceProviderName"]["value"], "Microsoft.KeyVault");
        assert_eq!(ev["subscriptionId"], SUB);
        assert_eq!(ev["resourceId"], format!("{KV}/accessPolicies/remove"));
        assert_eq!(ev["authorization"]["action"], "Microsoft.KeyVault/vaults/accessPolicies/write");
        assert_eq!(ev["authorization"]["scope"], format!("{KV}/accessPolicies/remove"));
        assert!(ev["eventTimestamp"].as_str().unwrap().ends_with('Z') && ev["submissionTimestamp"].is_string());
        assert!(!ev["eventDataId"].as_str().unwrap().is_empty());
    }
    assert_ne!(start["eventDataId"], end["eventDataId"]);
    assert_eq!(end["subStatus"]["localizedValue"], "OK (HTTP Status Code: 200)");
    // The console's model reads it.
    let page: EventPage = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(page.value[0].caller.as_deref(), Some(DEMO_USER_UPN));
    // The same events by correlation id; reads are not recorded.
    let filter = format!("eventTimestamp ge '{}' and correlationId eq '{correlation}'", format_timestamp(before));
    let (s, body) = e
        .get(&format!(
            "/subscriptions/{SUB}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter={}",
            filter.replace(' ', "%20")
        ))
        .await;
    assert_eq!(s, 200);
    assert_eq!(body["value"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_filter_keeps_to_its_resource_and_time_range() {
    let e = emu().await;
    let before = now_ms() - 1000;
    assert_eq!(revoke(&e).await.status(), 200);
    let (s, _) = e.patch(&format!("{REG}?api-version={ACR}"), json!({"tags": {"team": "a"}})).await;
    assert!(s.is_success());
    let after = now_ms() + 1000;
    // The registry's: its PATCH, long-running (Started, Accepted); not the vault's.
    let (_, body) = e.get(&list_path(REG, before, after)).await;
    let ops: Vec<&str> = body["value"].as_array().unwrap().iter().map(|v| v["operationName"]["value"].as_str().unwrap()).collect();
    assert!(!ops.is_empty() && ops.iter().all(|o| *o == "Microsoft.ContainerRegistry/registries/write"), "{ops:?}");
    let statuses: Vec<&str> = body["value"].as_array().unwrap().iter().map(|v| v["status"]["value"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"Started") && statuses.contains(&"Accepted"), "{statuses:?}");
    // The vault's: the access policy (under the vault's id), not the registry.
    let (_, body) = e.get(&list_path(KV, before, after)).await;
    assert!(body["value"].as_array().unwrap().iter().all(|v| v["resourceId"].as_str().unwrap().starts_with(KV)));
    // A range that ends before the writes holds none of them.
    let (s, body) = e.get(&list_path(KV, before - 3_600_000, before)).await;
    assert_eq!(s, 200);
    assert_eq!(body["value"], json!([]));
    // By resource group: both.
    let filter = format!(
        "eventTimestamp ge '{}' and eventTimestamp le '{}' and resourceGroupName eq 'rg-acr-demo'",
        format_timestamp(before),
        format_timestamp(after)
    );
    let (_, body) = e
        .get(&format!(
            "/subscriptions/{SUB}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter={}",
            filter.replace(' ', "%20")
        ))
        .await;
    assert!(body["value"].as_array().unwrap().len() >= 4);
    // `$select` keeps only the fields named.
    let (_, body) = e.get(&format!("{}&$select=operationName,status", list_path(KV, before, after))).await;
    let first = body["value"][0].as_object().unwrap();
    assert_eq!(first.keys().collect::<Vec<_>>(), ["operationName", "status"]);
}

#[tokio::test]
async fn the_registrys_long_running_write_ends_succeeded_when_it_settles() {
    let e = emu().await;
    let before = now_ms() - 1000;
    let r = e.send(reqwest::Method::PATCH, &format!("{REG}?api-version={ACR}"), Some(json!({"tags": {"team": "b"}}))).await;
    let op = r.headers()["azure-asyncoperation"].to_str().unwrap().to_string();
    // Polling settles it (the second poll).
    e.get(&op).await;
    e.get(&op).await;
    let (_, body) = e.get(&list_path(REG, before, now_ms() + 1000)).await;
    let statuses: Vec<&str> = body["value"].as_array().unwrap().iter().map(|v| v["status"]["value"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["Succeeded", "Accepted", "Started"]);
}

#[tokio::test]
async fn a_filter_without_a_time_range_is_refused_in_azures_words() {
    let e = emu().await;
    let base = format!("/subscriptions/{SUB}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01");
    for path in [
        base.clone(),
        format!("{base}&$filter=resourceUri%20eq%20'{KV}'"),
        format!("{base}&$filter=eventTimestamp%20le%20'{}'", format_timestamp(now_ms())),
        format!("{base}&$filter=eventTimestamp%20ge%20'{}'%20or%20resourceUri%20eq%20'x'", format_timestamp(now_ms())),
        // Further back than the 90 days Azure keeps.
        format!("{base}&$filter=eventTimestamp%20ge%20'{}'", format_timestamp(now_ms() - 100 * 86_400_000)),
    ] {
        let got = e.get(&path).await;
        assert_error(&got, 400, "BadRequest");
        assert_eq!(got.1["error"]["message"], "$filter searching parameters invalid.", "{path}");
    }
    let got = e.get(&list_path(KV, now_ms() - 1000, now_ms()).replace("2015-04-01", "2017-03-01-preview")).await;
    assert_error(&got, 400, "InvalidApiVersionParameter");
}

#[tokio::test]
async fn a_reader_reads_the_log_and_its_refused_write_is_in_it() {
    let e = emu().await;
    let before = now_ms() - 1000;
    let reader = token(&e, json!({ "oid": HELPDESK_USER_OID, "upn": "helpdesk@contoso-demo.example" })).await;
    let policy = json!({"properties":{"accessPolicies":[]}});
    let r = e
        .client
        .put(e.url(&format!("{KV}/accessPolicies/remove?api-version=2023-07-01")))
        .bearer_auth(&reader)
        .json(&policy)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = e.client.get(e.url(&list_path(KV, before, now_ms() + 1000))).bearer_auth(&reader).send().await.unwrap();
    let (s, body) = read(r).await;
    assert_eq!(s, 200, "{body}");
    let statuses: Vec<&str> = body["value"].as_array().unwrap().iter().map(|v| v["status"]["value"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["Failed", "Started"]);
    assert_eq!(body["value"][0]["caller"], "helpdesk@contoso-demo.example");
    assert_eq!(body["value"][0]["level"], "Error");
    assert_eq!(body["value"][0]["subStatus"]["localizedValue"], "Forbidden (HTTP Status Code: 403)");
}

#[tokio::test]
async fn a_service_principals_write_names_its_object_id_and_pages_keep_the_filter() {
    let e = emu_with(acr_cmk_emulator::Config { page_size: 2, ..acr_cmk_emulator::Config::default() }).await;
    let before = now_ms() - 1000;
    let sp = token(&e, json!({ "oid": "6d6f636b-0000-4000-8000-0000000000d2", "appid": "6d6f636b-0000-4000-8000-0000000000d1" })).await;
    for team in ["a", "b"] {
        let r = e
            .client
            .patch(e.url(&format!("{KV}?api-version=2023-07-01")))
            .bearer_auth(&sp)
            .json(&json!({"tags": {"team": team}}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let (_, body) = e.get(&list_path(KV, before, now_ms() + 1000)).await;
    assert_eq!(body["value"].as_array().unwrap().len(), 2);
    assert_eq!(body["value"][0]["caller"], "6d6f636b-0000-4000-8000-0000000000d2");
    let next = body["nextLink"].as_str().expect("a second page").to_string();
    let (s, page2) = e.get(&next).await;
    assert_eq!(s, 200, "{page2}");
    assert_eq!(page2["value"].as_array().unwrap().len(), 2);
    assert!(page2["value"].as_array().unwrap().iter().all(|v| v["operationName"]["value"] == "Microsoft.KeyVault/vaults/write"));
    assert!(page2.get("nextLink").is_none());
}
