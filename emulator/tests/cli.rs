//! The `acr-cmk-emulator` binary: its options, its one "listening on" line, the
//! empty scenario's service principal and `--tls --ca-out`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_acr-cmk-emulator");

/// Every option `parse_args` accepts; `--help` must document each.
const OPTIONS: [&str; 17] = [
    "--listen",
    "--tls",
    "--ca-out",
    "--scenario",
    "--state",
    "--page-size",
    "--console-dir",
    "--console-listen",
    "--rotation-interval-secs",
    "--lro-secs",
    "--max-body-bytes",
    "--token-lifetime-secs",
    "--admin-secret",
    "--cors-origin",
    "--allow-remote",
    "--vault-proxy-listen",
    "--help",
];

#[test]
fn help_documents_every_option() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for opt in OPTIONS {
        assert!(help.contains(opt), "--help does not document {opt}");
    }
    // And the source accepts no option the list above misses.
    let src = include_str!("../src/main.rs");
    for line in src.lines().filter(|l| l.trim_start().starts_with("\"--")) {
        let flag = line.trim_start().trim_start_matches('"').split('"').next().unwrap();
        assert!(OPTIONS.contains(&flag), "option {flag} is parsed but not in the test's list");
    }
}

#[test]
fn bad_options_exit_2_with_a_message() {
    for args in [
        &["--bogus"][..],
        &["--ca-out", "x.pem"],
        &["--scenario", "nope"],
        &["--listen", "nowhere"],
        &["--cors-origin", "evil.example"],
        &["--cors-origin", "http://a.example/path"],
        &["--admin-secret", ""],
        &["--vault-proxy-listen", "127.0.0.1:0"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "), "{args:?}");
    }
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary; returns it with the stdout lines printed up to and including "listening on".
fn spawn(args: &[&str]) -> (Killed, Vec<String>) {
    let mut child = Command::new(BIN).args(args).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let child = Killed(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    loop {
        let line = rx.recv_timeout(Duration::from_secs(30)).expect("the emulator prints 'listening on' within 30 s");
        let done = line.starts_with("listening on ");
        lines.push(line);
        if done {
            break;
        }
    }
    // Nothing more announces readiness afterwards.
    std::thread::sleep(Duration::from_millis(200));
    while let Ok(l) = rx.try_recv() {
        lines.push(l);
    }
    (child, lines)
}

#[tokio::test]
async fn empty_scenario_over_tls_prints_its_principal_and_one_listening_line() {
    let ca = std::env::temp_dir().join(format!("acr-cmk-cli-ca-{}.pem", std::process::id()));
    let (_child, lines) = spawn(&["--listen", "127.0.0.1:0", "--tls", "--ca-out", ca.to_str().unwrap(), "--scenario", "empty"]);
    assert_eq!(lines.iter().filter(|l| l.starts_with("listening on")).count(), 1, "{lines:?}");
    let sp = lines.iter().find(|l| l.starts_with("service principal: ")).expect("principal line");
    let words: Vec<&str> = sp.split_whitespace().collect();
    let after = |k: &str| words.iter().position(|w| *w == k).map(|i| words[i + 1]).unwrap_or_else(|| panic!("{k} in {sp}"));
    assert_eq!(uuid_len(after("tenant")), 36);
    assert_eq!(uuid_len(after("client-id")), 36);
    assert!(!after("client-secret").is_empty());

    let url = lines.last().unwrap().trim_start_matches("listening on ").to_string();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let pem = std::fs::read(&ca).unwrap();
    let client = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap();
    let token: serde_json::Value = client.post(format!("{url}/_emulator/demo-token")).send().await.unwrap().json().await.unwrap();
    let subs: serde_json::Value = client
        .get(format!("{url}/subscriptions?api-version=2022-12-01"))
        .bearer_auth(token["accessToken"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(subs["value"].as_array().map(Vec::len), Some(1), "{subs}");
    let _ = std::fs::remove_file(&ca);
}

fn uuid_len(s: &str) -> usize {
    s.chars().filter(|c| c.is_ascii_hexdigit() || *c == '-').count()
}

#[test]
fn demo_scenario_over_http_prints_its_admin_secret_then_the_listening_line() {
    let (_child, lines) = spawn(&["--listen", "127.0.0.1:0"]);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let secret = lines[0].strip_prefix("admin secret: ").unwrap_or_else(|| panic!("{lines:?}"));
    assert_eq!(secret.len(), 64, "32 random bytes, hex: {secret}");
    assert!(lines[1].starts_with("listening on http://127.0.0.1:"));
    let (_other, again) = spawn(&["--listen", "127.0.0.1:0"]);
    assert_ne!(again[0], lines[0], "a new secret per process");
}

#[tokio::test]
async fn admin_routes_want_the_secret_given_by_admin_secret() {
    let (_child, lines) = spawn(&["--listen", "127.0.0.1:0", "--admin-secret", "s3cret-for-the-test"]);
    assert_eq!(lines[0], "admin secret: s3cret-for-the-test", "{lines:?}");
    let url = lines.last().unwrap().trim_start_matches("listening on ").to_string();
    let client = reqwest::Client::new();
    let stats = |secret: Option<&'static str>| {
        let mut req = client.get(format!("{url}/_emulator/stats"));
        if let Some(s) = secret {
            req = req.header("x-emulator-admin", s);
        }
        req.send()
    };
    let missing = stats(None).await.unwrap();
    assert_eq!(missing.status().as_u16(), 401);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["error"]["code"], "EmulatorAdminSecretMissing", "{body}");
    let wrong = stats(Some("s3cret-for-the-tesT")).await.unwrap();
    assert_eq!(wrong.status().as_u16(), 403);
    let body: serde_json::Value = wrong.json().await.unwrap();
    assert_eq!(body["error"]["code"], "EmulatorAdminSecretInvalid", "{body}");
    assert_eq!(stats(Some("s3cret-for-the-test")).await.unwrap().status().as_u16(), 200);
    // The demo's sign-in stays open.
    assert_eq!(client.post(format!("{url}/_emulator/demo-token")).send().await.unwrap().status().as_u16(), 200);
}

#[test]
fn a_non_loopback_listen_needs_allow_remote() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_acr-cmk-emulator")).args(["--listen", "0.0.0.0:0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "refused as a bad option");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--listen 0.0.0.0:0 is not a loopback address") && err.contains("--allow-remote"), "{err}");
    assert!(out.stdout.is_empty(), "nothing announced");

    let config =
        |listen: &str, allow_remote: bool| acr_cmk_emulator::Config { listen: listen.parse().unwrap(), allow_remote, ..Default::default() };
    assert!(config("0.0.0.0:0", false).check().is_err());
    assert!(config("[::]:0", false).check().is_err());
    assert!(config("0.0.0.0:0", true).check().is_ok());
    assert!(config("127.0.0.1:0", false).check().is_ok());
    assert!(config("[::1]:0", false).check().is_ok());
}
