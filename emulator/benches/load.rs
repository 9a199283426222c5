//! Load check: GET-registry throughput and latency of the emulator on loopback,
//! next to two minimal static servers answering the very same JSON bytes (a
//! tower-http `ServeFile` reading the file, and axum returning the bytes from
//! memory), in the same run and with the same client.
//!
//! `cargo bench -p acr-cmk-emulator --bench load` (scripts/bench.sh runs it).
//! Both servers share the process and the machine's cores with the client, so
//! the ratio between them is the figure to read, not the absolute numbers.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use acr_cmk_emulator::{start, Config};
use axum::serve::ListenerExt;
use tower_http::services::ServeFile;

const CONCURRENCY: usize = 16;
const WARMUP: Duration = Duration::from_millis(500);
const RUN: Duration = Duration::from_secs(3);

struct Figures {
    requests: usize,
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

async fn hammer(client: &reqwest::Client, url: &str, token: &str, duration: Duration) -> Figures {
    let url = Arc::new(url.to_string());
    let token = Arc::new(token.to_string());
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        workers.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(4096);
            while Instant::now() < deadline {
                let t = Instant::now();
                let r = client.get(url.as_str()).bearer_auth(token.as_str()).send().await.expect("request");
                assert_eq!(r.status(), 200, "{url}");
                let body = r.bytes().await.expect("body");
                assert!(!body.is_empty());
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1];
    Figures { requests: all.len(), elapsed, p50: pct(0.50), p99: pct(0.99), max: *all.last().unwrap() }
}

/// As the emulator does: no Nagle delay on streamed bodies.
fn no_delay(tcp: &mut tokio::net::TcpStream) {
    let _ = tcp.set_nodelay(true);
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let emulator = start(Config { listen: "127.0.0.1:0".parse().unwrap(), ..Config::default() }).await.expect("emulator starts");
    let token = emulator.demo_token();
    let path = format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/contosoprod?api-version=2025-04-01",
        acr_cmk_emulator::scenario::DEMO_SUBSCRIPTION,
        acr_cmk_emulator::scenario::DEMO_RESOURCE_GROUP
    );
    let emulator_url = format!("{}{path}", emulator.arm_url);
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY).build().unwrap();

    // The static server serves exactly what the emulator answers.
    let body = client.get(&emulator_url).bearer_auth(&token).send().await.unwrap().bytes().await.unwrap();
    let file = std::env::temp_dir().join(format!("acr-cmk-load-{}.json", std::process::id()));
    std::fs::write(&file, &body).unwrap();
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let static_addr = listener.local_addr().unwrap();
    let router = axum::Router::new().fallback_service(ServeFile::new(&file));
    tokio::spawn(async move { axum::serve(listener.tap_io(no_delay), router).await.unwrap() });
    let static_url = format!("http://{static_addr}/registry.json");
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let memory_addr = listener.local_addr().unwrap();
    let bytes = body.clone();
    let router = axum::Router::new().fallback(move || {
        let bytes = bytes.clone();
        async move { ([(axum::http::header::CONTENT_TYPE, "application/json; charset=utf-8")], bytes) }
    });
    tokio::spawn(async move { axum::serve(listener.tap_io(no_delay), router).await.unwrap() });
    let memory_url = format!("http://{memory_addr}/registry.json");

    println!(
        "load check: GET one registry ({} bytes of JSON), {CONCURRENCY} concurrent keep-alive connections, {}s each, loopback",
        body.len(),
        RUN.as_secs()
    );
    println!("{:<28} {:>12} {:>11} {:>11} {:>11}", "server", "requests/s", "p50", "p99", "max");
    let mut rows = Vec::new();
    for (name, url) in [
        ("emulator (auth, routing, ARM)", &emulator_url),
        ("static file (tower-http)", &static_url),
        ("static bytes (axum, memory)", &memory_url),
    ] {
        hammer(&client, url, &token, WARMUP).await;
        let f = hammer(&client, url, &token, RUN).await;
        let rps = f.requests as f64 / f.elapsed.as_secs_f64();
        println!("{:<28} {:>12.0} {:>11} {:>11} {:>11}", name, rps, ms(f.p50), ms(f.p99), ms(f.max));
        rows.push((rps, f.p99));
    }
    for (i, name) in [(1, "static file"), (2, "static bytes")] {
        println!(
            "emulator vs {name}: {:.0}% of its throughput, p99 {:.1}x its p99",
            100.0 * rows[0].0 / rows[i].0,
            rows[0].1.as_secs_f64() / rows[i].1.as_secs_f64().max(1e-9)
        );
    }
    let _ = std::fs::remove_file(&file);
    emulator.shutdown().await;
}
