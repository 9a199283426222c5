//! Soak: mixed reads and writes from 16 connections against one in-process
//! emulator with the fault menu on, for `SOAK_SECS` seconds (default 60).
//! Prints requests, error classes, p50/p99, the process's RSS at start and end,
//! then clears the faults, lets operations settle and checks the world is
//! consistent: every registry's encryption and identity fields valid, no orphan
//! operations. Exits non-zero if it is not.
//!
//! `cargo bench -p acr-cmk-emulator --bench soak` (scripts/bench.sh runs it);
//! `SOAK_SECS=20` for a quick run.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use acr_cmk_emulator::scenario::*;
use acr_cmk_emulator::{start, Config};
use serde_json::{json, Value};

const CONNECTIONS: usize = 16;
const REGISTRIES: [&str; 4] = ["contosoprod", "contosoauto", "contosodev", "contosolost"];

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// xorshift: reproducible without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn guid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            a as u32,
            (a >> 32) as u16,
            (a >> 48) as u16 & 0xfff,
            b as u16 & 0xfff,
            b >> 16 & 0xffff_ffff_ffff
        )
    }
}

struct Ctx {
    base: String,
    client: reqwest::Client,
    arm_token: String,
    vault_token: String,
    admin: String,
}

fn arm(path: &str) -> String {
    format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourceGroups/{DEMO_RESOURCE_GROUP}/providers/{path}")
}

/// One request: its error class (`None` for 2xx/3xx with a good body).
async fn one(ctx: &Ctx, rng: &mut Rng) -> Option<String> {
    let r = rng.below(100);
    let reg = REGISTRIES[rng.below(4) as usize];
    let (method, path, body, vault_plane): (reqwest::Method, String, Option<Value>, bool) = match r {
        0..30 => (reqwest::Method::GET, arm(&format!("Microsoft.ContainerRegistry/registries/{reg}?api-version=2025-04-01")), None, false),
        30..40 => (
            reqwest::Method::GET,
            format!("/subscriptions/{DEMO_SUBSCRIPTION}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-04-01"),
            None,
            false,
        ),
        40..50 => (reqwest::Method::GET, arm(&format!("Microsoft.KeyVault/vaults/{DEMO_VAULT}?api-version=2025-05-01")), None, false),
        50..55 => (reqwest::Method::GET, arm(&format!("Microsoft.KeyVault/vaults/{DEMO_VAULT}/keys?api-version=2025-05-01")), None, false),
        55..65 => {
            let reg = ["contosoprod", "contosoauto", "contosodev"][rng.below(3) as usize];
            (
                reqwest::Method::PATCH,
                arm(&format!("Microsoft.ContainerRegistry/registries/{reg}?api-version=2025-04-01")),
                Some(json!({"tags": {"soak": rng.below(1000).to_string()}})),
                false,
            )
        }
        65..75 => {
            let kind = if rng.below(2) == 0 { "add" } else { "remove" };
            let principal = format!("000050a0-0000-4000-8000-{:012x}", rng.below(8));
            (
                reqwest::Method::PUT,
                arm(&format!("Microsoft.KeyVault/vaults/{DEMO_VAULT}/accessPolicies/{kind}?api-version=2025-05-01")),
                Some(
                    json!({"properties":{"accessPolicies":[{"tenantId":DEMO_TENANT,"objectId":principal,"permissions":{"keys":["get","list"]}}]}}),
                ),
                false,
            )
        }
        75..80 => (
            reqwest::Method::PATCH,
            arm(&format!("Microsoft.KeyVault/vaults/{DEMO_VAULT}?api-version=2025-05-01")),
            Some(json!({"tags": {"soak": rng.below(1000).to_string()}})),
            false,
        ),
        80..85 => (
            reqwest::Method::PUT,
            arm(&format!("Microsoft.ManagedIdentity/userAssignedIdentities/id-soak-{}?api-version=2023-01-31", rng.below(20))),
            Some(json!({"location": DEMO_LOCATION})),
            false,
        ),
        85..90 => {
            let name = rng.guid();
            let scope = arm(&format!("Microsoft.KeyVault/vaults/{DEMO_RBAC_VAULT}"));
            (
                reqwest::Method::PUT,
                format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}?api-version=2022-04-01"),
                Some(
                    json!({"properties":{"roleDefinitionId":format!("/subscriptions/{DEMO_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{}", rng.guid()),"principalId":rng.guid()}}),
                ),
                false,
            )
        }
        90..95 => (
            reqwest::Method::POST,
            "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01".to_string(),
            Some(
                json!({"query":"Resources | where type =~ 'microsoft.containerregistry/registries' | project id, name, properties.encryption"}),
            ),
            false,
        ),
        _ => (reqwest::Method::POST, format!("/_vault/{DEMO_VAULT}/keys/{DEMO_KEY}/rotate?api-version=7.5"), None, true),
    };
    let token = if vault_plane { &ctx.vault_token } else { &ctx.arm_token };
    let mut req = ctx.client.request(method, format!("{}{path}", ctx.base)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => return Some(format!("transport: {}", if e.is_timeout() { "timeout" } else { "error" })),
    };
    let status = resp.status().as_u16();
    let poll = resp.headers().get("azure-asyncoperation").and_then(|v| v.to_str().ok()).map(String::from);
    let text = resp.bytes().await.unwrap_or_default();
    let parsed: Option<Value> = if text.is_empty() { Some(Value::Null) } else { serde_json::from_slice(&text).ok() };
    let class = match (status, &parsed) {
        (200..=399, Some(_)) => None,
        (200..=399, None) => Some(format!("{status} malformed JSON")),
        (_, Some(v)) => Some(format!("{status} {}", v["error"]["code"].as_str().unwrap_or("(not ARM-shaped)"))),
        (_, None) => Some(format!("{status} (not JSON)")),
    };
    if let (None, Some(url)) = (&class, poll) {
        // Poll the operation once, as clients do.
        let _ = ctx.client.get(url).bearer_auth(&ctx.arm_token).send().await;
    }
    class
}

async fn arm_faults(ctx: &Ctx) {
    let _ = ctx.client.delete(format!("{}/_emulator/faults", ctx.base)).header("x-emulator-admin", &ctx.admin).send().await;
    for f in [
        json!({"method":"GET","pathContains":"/registries/contosoprod","kind":"status","status":503,"times":20}),
        json!({"method":"GET","route":"/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry/registries","kind":"malformed","times":10}),
        json!({"method":"PATCH","pathContains":"/registries/contosodev","kind":"lroFailed","times":5}),
        json!({"method":"PUT","pathContains":"/accessPolicies/","kind":"status","status":429,"retryAfter":1,"times":10}),
        json!({"method":"GET","pathContains":"/vaults/kv-acr-demo","kind":"delay","delayMs":100,"times":20}),
        json!({"method":"PUT","pathContains":"/userAssignedIdentities/","kind":"expiredToken","times":5}),
    ] {
        let r = ctx.client.post(format!("{}/_emulator/faults", ctx.base)).header("x-emulator-admin", &ctx.admin).json(&f).send().await;
        assert!(r.is_ok_and(|r| r.status().as_u16() == 201), "fault {f} accepted");
    }
}

/// Registries as clients see them, checked field by field. Returns the problems found.
fn check_registry(r: &Value) -> Vec<String> {
    let name = r["name"].as_str().unwrap_or("?");
    let mut problems = Vec::new();
    let enc = &r["properties"]["encryption"];
    let status = enc["status"].as_str().unwrap_or("");
    let identity = &r["identity"];
    let uai: BTreeMap<String, Value> =
        identity["userAssignedIdentities"].as_object().map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default();
    let kind = identity["type"].as_str().unwrap_or("None").to_ascii_lowercase();
    if kind.contains("userassigned") != !uai.is_empty() {
        problems.push(format!("{name}: identity type {kind} but {} user-assigned identities", uai.len()));
    }
    if kind.contains("systemassigned") != identity["principalId"].is_string() {
        problems.push(format!("{name}: identity type {kind} and principalId {}", identity["principalId"]));
    }
    match status {
        "enabled" => {
            let kv = &enc["keyVaultProperties"];
            if !kv["keyIdentifier"].as_str().is_some_and(|k| k.starts_with("https://") && k.contains("/keys/")) {
                problems.push(format!("{name}: CMK on without a key identifier: {kv}"));
            }
            let id = kv["identity"].as_str().unwrap_or("");
            let attached = (id.eq_ignore_ascii_case("system") && kind.contains("systemassigned"))
                || uai.values().any(|v| v["clientId"].as_str().is_some_and(|c| c.eq_ignore_ascii_case(id)));
            if !attached {
                problems.push(format!("{name}: CMK identity '{id}' is not attached to the registry"));
            }
        }
        "disabled" => {}
        other => problems.push(format!("{name}: encryption status '{other}'")),
    }
    problems
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let secs: u64 = std::env::var("SOAK_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let running = start(Config { listen: "127.0.0.1:0".parse().unwrap(), lro_duration: Duration::from_secs(1), ..Config::default() })
        .await
        .expect("emulator starts");
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONNECTIONS).timeout(Duration::from_secs(10)).build().unwrap();
    let admin = running.admin_secret().to_string();
    let vault_token: Value = client
        .post(format!("{}/_emulator/token", running.arm_url))
        .header("x-emulator-admin", &admin)
        .json(&json!({"aud":"https://vault.azure.net","expiresInSecs": secs + 600}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ctx = Arc::new(Ctx {
        base: running.arm_url.clone(),
        client,
        arm_token: running.demo_token(),
        vault_token: vault_token["accessToken"].as_str().unwrap().to_string(),
        admin,
    });
    let rss_start = rss_kib();
    println!("soak: {secs} s, {CONNECTIONS} connections, mixed reads and writes, fault menu on (re-armed every 5 s)");
    arm_faults(&ctx).await;

    let deadline = Instant::now() + Duration::from_secs(secs);
    let classes: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
    let mut workers = Vec::new();
    for w in 0..CONNECTIONS {
        let (ctx, classes) = (ctx.clone(), classes.clone());
        workers.push(tokio::spawn(async move {
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (w as u64 + 1) * 0x1000_0001);
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let class = one(&ctx, &mut rng).await;
                lat.push(t.elapsed());
                *classes.lock().unwrap().entry(class.unwrap_or_else(|| "ok (2xx/3xx)".into())).or_insert(0) += 1;
            }
            lat
        }));
    }
    let rearm = {
        let ctx = ctx.clone();
        tokio::spawn(async move {
            while Instant::now() + Duration::from_secs(5) < deadline {
                tokio::time::sleep(Duration::from_secs(5)).await;
                arm_faults(&ctx).await;
            }
        })
    };
    let started = Instant::now();
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    rearm.abort();
    let rss_end = rss_kib();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1];
    println!(
        "requests: {} in {:.1} s ({:.0}/s); p50 {}, p99 {}, max {}",
        all.len(),
        elapsed.as_secs_f64(),
        all.len() as f64 / elapsed.as_secs_f64(),
        ms(pct(0.5)),
        ms(pct(0.99)),
        ms(*all.last().unwrap())
    );
    println!("answers by class:");
    for (class, n) in classes.lock().unwrap().iter() {
        println!("  {n:>8}  {class}");
    }
    println!("RSS: {} KiB at start, {} KiB at end", rss_start, rss_end);

    // Settle: no faults, operations past their duration, one request to let time pass.
    let _ = ctx.client.delete(format!("{}/_emulator/faults", ctx.base)).header("x-emulator-admin", &ctx.admin).send().await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let list: Value = ctx
        .client
        .get(format!(
            "{}/subscriptions/{DEMO_SUBSCRIPTION}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-04-01",
            ctx.base
        ))
        .bearer_auth(&ctx.arm_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let registries = list["value"].as_array().cloned().unwrap_or_default();
    let mut problems: Vec<String> = registries.iter().flat_map(check_registry).collect();
    {
        let world = running.state.world();
        for op in &world.operations {
            if op.status == "InProgress" {
                problems.push(format!("operation {} on {} still InProgress after settling", op.id, op.registry_name));
            }
            let exists = world.registries.iter().any(|r| r.registry.name.eq_ignore_ascii_case(&op.registry_name));
            if !exists && op.kind != acr_cmk_emulator::world::OpKind::Delete {
                problems.push(format!("operation {} names registry {} that does not exist", op.id, op.registry_name));
            }
        }
        for r in &world.registries {
            if let Some(p) = &r.pending_state {
                problems.push(format!("registry {} still {p} with no running operation", r.registry.name));
            }
        }
        println!(
            "world after settling: {} registries, {} operations, {} vaults",
            world.registries.len(),
            world.operations.len(),
            world.vaults.len()
        );
    }
    if problems.is_empty() {
        println!("consistency: OK (every registry's encryption and identity fields valid, no orphan operations)");
    } else {
        println!("consistency: {} problem(s)", problems.len());
        for p in &problems {
            println!("  {p}");
        }
        std::process::exit(1);
    }
    running.shutdown().await;
}
