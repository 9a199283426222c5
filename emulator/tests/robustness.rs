//! Generated requests against one emulator: arbitrary methods, paths built from
//! the real route templates (ARM, Key Vault data plane, `/_emulator/`) with
//! arbitrary segments, arbitrary query strings, headers and bodies, with the
//! admin secret but no faults. The emulator must never panic or answer `5xx`,
//! must keep answering, and every non-2xx answer must be ARM's error shape
//! `{"error":{"code","message"}}` (or empty for HEAD / 204).
//!
//! Excluded on purpose: the Entra ID endpoints (OAuth's own error shape), the
//! registry data-plane probe (the Docker registry's `{"errors":[…]}`), and the
//! admin routes that inject faults or panic (`faults` POST, `hostile`, `panic`).

mod common;

use std::sync::OnceLock;
use std::time::Duration;

use acr_cmk_emulator::scenario::*;
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use serde_json::{json, Value};

const ADMIN: [(&str, &str); 10] = [
    ("POST", "/_emulator/demo-token"),
    ("POST", "/_emulator/token"),
    ("GET", "/_emulator/stats"),
    ("POST", "/_emulator/stats/reset"),
    ("GET", "/_emulator/faults"),
    ("DELETE", "/_emulator/faults"),
    ("GET", "/_emulator/state"),
    ("POST", "/_emulator/entra/revoke"),
    ("GET", "/_emulator/entra/settings"),
    ("GET", "/_emulator/resource-graph/lag"),
];

/// Real values a template parameter may take, so handlers get past their lookups.
const KNOWN: [&str; 16] = [
    DEMO_SUBSCRIPTION,
    DEMO_RESOURCE_GROUP,
    "contosoprod",
    "contosoauto",
    "contosodev",
    DEMO_IDENTITY,
    DEMO_VAULT,
    DEMO_RBAC_VAULT,
    DEMO_KEY,
    DEMO_KEY_V2,
    DEMO_LOCATION,
    "add",
    "remove",
    DEMO_RBAC_ASSIGNMENT,
    "rg-new",
    "kv-new",
];

const API_VERSIONS: [&str; 8] = ["2025-04-01", "2025-05-01", "2023-01-31", "2022-04-01", "2021-04-01", "2022-10-01", "7.5", "2022-12-01"];

const FIELDS: [&str; 36] = [
    "location",
    "properties",
    "sku",
    "name",
    "identity",
    "type",
    "userAssignedIdentities",
    "encryption",
    "status",
    "keyVaultProperties",
    "keyIdentifier",
    "tenantId",
    "accessPolicies",
    "objectId",
    "permissions",
    "keys",
    "networkAcls",
    "defaultAction",
    "bypass",
    "tags",
    "kty",
    "key_size",
    "attributes",
    "enabled",
    "exp",
    "nbf",
    "query",
    "subscriptions",
    "options",
    "$top",
    "principalId",
    "roleDefinitionId",
    "createMode",
    "enablePurgeProtection",
    "expiresInSecs",
    "aud",
];

/// Percent-encodes all but unreserved characters, so any string is a path segment.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(KNOWN.to_vec()).prop_map(String::from),
        2 => any::<String>().prop_map(|s| encode(&s)),
        1 => "[a-zA-Z0-9%._~-]{0,12}",
        1 => Just(String::new()),
        1 => Just("%FF%FE".to_string()),
        1 => Just("..".to_string()),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        segment().prop_map(Value::String),
        proptest::sample::select(KNOWN.to_vec()).prop_map(|s| json!(s)),
        Just(json!(format!("https://{DEMO_VAULT}.vault.azure.net/keys/{DEMO_KEY}"))),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(
                (prop_oneof![3 => proptest::sample::select(FIELDS.to_vec()).prop_map(String::from), 1 => any::<String>()], inner),
                0..5
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
struct Generated {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn templates() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> =
        acr_cmk_emulator::router::table().iter().map(|r| (r.method.to_string(), r.template.to_string())).collect();
    all.extend(ADMIN.iter().map(|(m, p)| (m.to_string(), p.to_string())));
    all
}

fn fill(template: &str, segments: &[String]) -> String {
    let mut out = String::new();
    let mut i = 0;
    for part in template.split('/').filter(|p| !p.is_empty()) {
        out.push('/');
        if part.starts_with('{') {
            out.push_str(&segments[i % segments.len()]);
            i += 1;
        } else {
            out.push_str(part);
        }
    }
    out
}

fn request(templates: Vec<(String, String)>) -> impl Strategy<Value = Generated> {
    let n = templates.len();
    (
        0..n,
        prop_oneof![
            6 => Just(None),
            1 => proptest::sample::select(vec!["GET", "PUT", "PATCH", "POST", "DELETE", "HEAD", "OPTIONS", "PURGE"]).prop_map(Some),
        ],
        proptest::collection::vec(segment(), 1..8),
        prop_oneof![
            3 => proptest::sample::select(API_VERSIONS.to_vec()).prop_map(|v| format!("api-version={v}")),
            1 => "[a-zA-Z0-9=&%$'_ -]{0,40}",
            1 => (proptest::sample::select(API_VERSIONS.to_vec()), "[a-zA-Z$]{1,8}", segment())
                .prop_map(|(v, k, val)| format!("api-version={v}&{k}={val}")),
        ],
        proptest::collection::vec(
            prop_oneof![
                Just(("if-match".to_string(), "*".to_string())),
                Just(("if-match".to_string(), "W/\"nope\"".to_string())),
                Just(("content-type".to_string(), "application/json".to_string())),
                Just(("authorization".to_string(), "Bearer not.a.token".to_string())),
                ("x-[a-z]{1,8}", "[ -~]{0,20}"),
            ],
            0..3,
        ),
        prop_oneof![
            2 => Just(Vec::new()),
            4 => json_value().prop_map(|v| v.to_string().into_bytes()),
            1 => proptest::collection::vec(any::<u8>(), 0..64),
        ],
    )
        .prop_map(move |(t, method, segments, query, headers, body)| {
            let (m, template) = &templates[t];
            Generated {
                method: method.map(String::from).unwrap_or_else(|| m.clone()),
                path: fill(template, &segments),
                query,
                headers,
                body,
            }
        })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap())
}

#[test]
fn generated_requests_never_panic_never_5xx_and_always_answer_arms_error_shape() {
    let rt = runtime();
    let e = rt.block_on(emu_with(acr_cmk_emulator::Config { lro_duration: Duration::from_millis(200), ..Default::default() }));
    let vault_token = rt.block_on(async {
        let (_, v) = e.post("/_emulator/token", json!({"aud": "https://vault.azure.net"})).await;
        v["accessToken"].as_str().unwrap().to_string()
    });
    let mut runner = TestRunner::new(RunnerConfig {
        cases: std::env::var("ROBUSTNESS_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(300),
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let outcome = runner.run(&request(templates()), |g| {
        let (status, content_type, body) = rt.block_on(async {
            let method = reqwest::Method::from_bytes(g.method.as_bytes()).unwrap();
            let url = format!("{}{}?{}", e.running.arm_url, g.path, g.query);
            let token = if g.path.starts_with("/_vault/") { &vault_token } else { &e.token };
            let mut req = e.client.request(method, &url).bearer_auth(token).body(g.body.clone());
            for (k, v) in &g.headers {
                req = req.header(k.as_str(), v.as_str());
            }
            let r = req.send().await.map_err(|err| TestCaseError::fail(format!("no answer: {err}")))?;
            let status = r.status().as_u16();
            let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let body = r.bytes().await.map_err(|err| TestCaseError::fail(format!("body: {err}")))?;
            Ok::<_, TestCaseError>((status, ct, body))
        })?;
        prop_assert!(status < 500, "{status} for {g:?}: {}", String::from_utf8_lossy(&body));
        if !(200..300).contains(&status) {
            if body.is_empty() {
                prop_assert!(g.method == "HEAD" || status == 204, "{status} with no body for {g:?}");
            } else {
                let v: Value = serde_json::from_slice(&body).map_err(|_| {
                    TestCaseError::fail(format!("{status} {content_type} not JSON for {g:?}: {}", String::from_utf8_lossy(&body)))
                })?;
                prop_assert!(
                    v["error"]["code"].as_str().is_some_and(|c| !c.is_empty()) && v["error"]["message"].is_string(),
                    "{status} not ARM-shaped for {g:?}: {v}"
                );
            }
        }
        Ok(())
    });
    if let Err(err) = outcome {
        panic!("{err}");
    }
    // Still serving.
    let (status, _) = rt.block_on(e.get("/subscriptions?api-version=2022-12-01"));
    assert_eq!(status.as_u16(), 200);
}
