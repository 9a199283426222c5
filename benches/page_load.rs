//! Figures for the registry page, printed (never asserted): ARM requests the
//! console makes to open a registry page, and time to first encryption status.
//! Run through `bash scripts/bench.sh`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use support::Browser;

const RUNS: usize = 5;

#[tokio::main]
async fn main() {
    let path = "/subscriptions/6d6f636b-0000-4000-8000-000000000001/resourceGroups/rg-acr-demo/registries/contosoprod";
    let b = Browser::start_with(support::Options { page_size: 100 }).await;

    // Cold: a deep link, demo sign-in, and the page until its status shows.
    let mut first_status_ms = Vec::new();
    let mut verdict_ms = Vec::new();
    let mut requests = serde_json::Value::Null;
    for _ in 0..RUNS {
        b.open(path).await;
        b.wait_for("demo-sign-in").await;
        b.reset_arm_requests().await;
        let started = Instant::now();
        b.click("demo-sign-in").await;
        b.wait_for("encryption-status").await;
        first_status_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        // The diagnosis (vault, key versions, identity…) follows the status; the
        // page is complete once its verdict shows, so requests are counted then.
        b.wait_for("verdict").await;
        verdict_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        requests = b.arm_requests().await;
    }
    first_status_ms.sort_by(|a, c| a.partial_cmp(c).unwrap());
    verdict_ms.sort_by(|a, c| a.partial_cmp(c).unwrap());

    let routes = requests["routes"].as_object().cloned().unwrap_or_default();
    let arm: Vec<_> = routes.iter().filter(|(r, _)| !r.contains("/_emulator/")).collect();
    let total: u64 = arm.iter().filter_map(|(_, n)| n.as_u64()).sum();
    println!("registry page (deep link, demo sign-in → encryption status and key-access diagnosis shown):");
    println!("  ARM requests (sign-in, registry, diagnosis): {total}");
    for (route, n) in arm {
        println!("    {n}  {route}");
    }
    println!(
        "  time to first status: median {:.0} ms, min {:.0} ms, max {:.0} ms over {RUNS} runs (loopback emulator)",
        first_status_ms[RUNS / 2],
        first_status_ms[0],
        first_status_ms[RUNS - 1]
    );
    println!(
        "  time to the diagnosis verdict: median {:.0} ms, min {:.0} ms, max {:.0} ms",
        verdict_ms[RUNS / 2],
        verdict_ms[0],
        verdict_ms[RUNS - 1]
    );
    b.assert_clean_log(&[]).await;
}
