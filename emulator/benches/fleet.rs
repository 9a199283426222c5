//! Fleet figures (issue 12), printed, never asserted: the `fleet` scenario's
//! 10,000 registries read the way the fleet page reads them (three Resource
//! Graph queries, `$skipToken` pages of 1,000), then joined, searched and
//! exported by the domain crate (`acr_cmk_domain::fleet`), in a release build.
//! The requests a whole tenant costs, and the time each part takes.
//!
//! `cargo bench -p acr-cmk-emulator --bench fleet` (scripts/bench.sh runs it).

use std::time::{Duration, Instant};

use acr_cmk_domain::fleet::{csv, join, search, Found, IDENTITIES, REGISTRIES, STALE_AFTER_DAYS, VAULTS};
use acr_cmk_emulator::{start, Config, Scenario};
use serde_json::{json, Value};

async fn all_rows<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    query: &str,
) -> (Vec<T>, usize, Duration) {
    let started = Instant::now();
    let (mut rows, mut pages, mut skip) = (Vec::new(), 0, None::<String>);
    loop {
        let mut options = json!({"$top": 1000, "resultFormat": "objectArray"});
        if let Some(t) = &skip {
            options["$skipToken"] = json!(t);
        }
        let r = client.post(url).bearer_auth(token).json(&json!({"query": query, "options": options})).send().await.expect("query");
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.expect("json");
        pages += 1;
        rows.extend(body["data"].as_array().unwrap().iter().map(|v| serde_json::from_value::<T>(v.clone()).expect("a row")));
        match body["$skipToken"].as_str() {
            Some(t) => skip = Some(t.to_string()),
            None => return (rows, pages, started.elapsed()),
        }
    }
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let emulator =
        start(Config { listen: "127.0.0.1:0".parse().unwrap(), scenario: Scenario::Fleet, page_size: 1000, ..Config::default() })
            .await
            .expect("emulator starts");
    println!("fleet: scenario seeded and serving in {:?}", started.elapsed());
    let token = emulator.demo_token();
    let client = reqwest::Client::new();
    let url = format!("{}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", emulator.arm_url);

    let (registries, p1, t1) = all_rows::<acr_cmk_domain::registry::Registry>(&client, &url, &token, REGISTRIES).await;
    let (vaults, p2, t2) = all_rows::<acr_cmk_domain::vault::Vault>(&client, &url, &token, VAULTS).await;
    let (identities, p3, t3) = all_rows::<acr_cmk_domain::identity::UserAssignedIdentity>(&client, &url, &token, IDENTITIES).await;
    println!("fleet: registries  {:>6} rows, {p1:>2} pages, {t1:?}", registries.len());
    println!("fleet: vaults      {:>6} rows, {p2:>2} pages, {t2:?}", vaults.len());
    println!("fleet: identities  {:>6} rows, {p3:>2} pages, {t3:?}", identities.len());
    println!("fleet: {} Resource Graph requests for the whole tenant, {:?} (loopback, release)", p1 + p2 + p3, t1 + t2 + t3);

    let t = Instant::now();
    let rows = join(&registries, &vaults, &identities, 1_767_225_600, STALE_AFTER_DAYS);
    println!("fleet: join of {} registries with flags and blast radius: {:?}", rows.len(), t.elapsed());
    let mut keystrokes = Vec::new();
    for text in ["f", "fl", "fle", "flee", "fleet", "fleet0", "fleet07", "fleet07r", "fleet07r01", "kv-fleet-03", "id-fleet-12-05"] {
        let t = Instant::now();
        let found = search(&rows, text);
        keystrokes.push(t.elapsed());
        std::hint::black_box(found);
    }
    keystrokes.sort();
    println!(
        "fleet: search over 10,000 rows per keystroke: median {:?}, max {:?} (domain only, no rendering)",
        keystrokes[keystrokes.len() / 2],
        keystrokes.last().unwrap()
    );
    let exact = search(&rows, &rows[4321].id);
    assert_eq!(exact, Found::Exact(4321));
    let t = Instant::now();
    let text = csv(&rows);
    println!("fleet: CSV of 10,000 rows: {} bytes in {:?}", text.len(), t.elapsed());
    emulator.shutdown().await;
}
