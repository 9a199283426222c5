//! `--state FILE`: a file that cannot be read or parsed stops start-up with an
//! error naming it and is left alone; the file always ends at the newest state.

mod common;

use std::time::Duration;

use acr_cmk_emulator::{start, Config};
use common::*;
use serde_json::{json, Value};

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("acr-cmk-persist-{}-{name}", std::process::id()))
}

fn config(path: &std::path::Path) -> Config {
    Config { listen: "127.0.0.1:0".parse().unwrap(), state_file: Some(path.to_path_buf()), ..Config::default() }
}

#[tokio::test]
async fn an_unparsable_state_file_stops_start_up_and_is_not_overwritten() {
    let path = temp("garbage.json");
    std::fs::write(&path, b"{ not the emulator's state").unwrap();
    let err = start(config(&path)).await.err().expect("start-up refused");
    let msg = err.to_string();
    assert!(msg.contains(path.to_str().unwrap()) && msg.contains("not an emulator state"), "{msg}");
    assert_eq!(std::fs::read(&path).unwrap(), b"{ not the emulator's state", "left alone");

    // The binary says the same and exits 1.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_acr-cmk-emulator"))
        .args(["--listen", "127.0.0.1:0", "--state", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(path.to_str().unwrap()), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), b"{ not the emulator's state", "left alone");
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn an_unreadable_state_file_stops_start_up() {
    let path = temp("a-directory.json");
    std::fs::create_dir_all(&path).unwrap();
    let err = start(config(&path)).await.err().expect("start-up refused");
    let msg = err.to_string();
    assert!(msg.contains("cannot read the state file") && msg.contains(path.to_str().unwrap()), "{msg}");
    assert!(path.is_dir(), "left alone");
    let _ = std::fs::remove_dir_all(&path);
}

#[tokio::test]
async fn the_file_ends_at_the_newest_state_after_concurrent_writes() {
    let path = temp("concurrent.json");
    let _ = std::fs::remove_file(&path);
    let e = emu_with(config(&path)).await;
    let vault = format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-demo?api-version=2025-05-01");
    let writes = (0..40).map(|i| {
        let (client, url, token) = (e.client.clone(), e.url(&vault), e.token.clone());
        tokio::spawn(async move {
            let r = client.patch(url).bearer_auth(token).json(&json!({"tags":{"n": i.to_string()}})).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 200);
        })
    });
    for w in writes.collect::<Vec<_>>() {
        w.await.unwrap();
    }
    let state = e.running.state.clone();
    assert!(tokio::task::spawn_blocking(move || state.flush_state(Duration::from_secs(10))).await.unwrap(), "flushed");
    let (_, live) = e.get("/_emulator/state").await;
    let on_disk: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk["vaults"], live["vaults"], "the file holds the last write, not an earlier one");
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|d| d.ok())
        .filter(|d| d.file_name().to_string_lossy().starts_with(&format!(".{}", path.file_name().unwrap().to_string_lossy())))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
    e.running.shutdown().await;
    let _ = std::fs::remove_file(&path);
}

/// Enables `registry`'s system identity (beside its user-assigned ones, if any); its new principal id.
async fn new_system_principal(e: &Emu, registry: &str, kind: &str) -> String {
    let (status, v) = e.patch(&e.registry_path(registry), json!({"identity": {"type": kind}})).await;
    assert!(status == 200 || status == 201 || status == 202, "{status} {v}");
    // The update is a long-running operation: its result shows once it settles.
    for _ in 0..50 {
        let (_, r) = e.get(&e.registry_path(registry)).await;
        if let Some(p) = r["identity"]["principalId"].as_str() {
            return p.to_string();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{registry}'s system identity never got a principal id");
}

#[tokio::test]
async fn two_fresh_emulators_make_the_same_ids_and_a_restarted_one_never_repeats_one() {
    // The preview-equivalence test (tests/az_preview.rs) relies on the first half.
    let (a, b) = (emu().await, emu().await);
    let first = new_system_principal(&a, "contosodev", "SystemAssigned").await;
    assert_eq!(first, new_system_principal(&b, "contosodev", "SystemAssigned").await);

    let path = temp("ids.json");
    let _ = std::fs::remove_file(&path);
    let e = emu_with(config(&path)).await;
    assert_eq!(new_system_principal(&e, "contosodev", "SystemAssigned").await, first, "a new state file starts from the scenario's seed");
    let state = e.running.state.clone();
    assert!(tokio::task::spawn_blocking(move || state.flush_state(Duration::from_secs(10))).await.unwrap(), "flushed");
    e.running.shutdown().await;

    let e = emu_with(config(&path)).await;
    let again = new_system_principal(&e, "contosoprod", "SystemAssigned, UserAssigned").await;
    assert_ne!(again, first, "the restarted emulator drew on from where it stopped");
    e.running.shutdown().await;
    let _ = std::fs::remove_file(&path);
}
