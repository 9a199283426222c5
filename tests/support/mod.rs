//! The browser-test harness: starts the emulator (in-process, serving the built
//! console from `dist/` on its own origin), ChromeDriver and a headless Chromium
//! on free loopback ports, and tears all of it down when dropped — also when a
//! test panics.
//!
//! Every test ends with [`Browser::assert_clean_log`]: an uncaught error or a
//! `console.error` in the browser fails the test, so a wasm that fails to start
//! cannot pass as an empty page.
//!
//! The fixtures a test is written in, one job each:
//! - on the page: [`find`] (reading it), [`action`] (doing things on it),
//!   [`check`] (waiting for and asserting what it shows) and [`layout`] (the
//!   viewport and the page's geometry), as methods on [`Browser`];
//! - beside the page, on the emulator: [`world`] (the demo scenario's ids),
//!   [`arm`] (ARM and Key Vault requests), [`probe`] (the registry's data plane),
//!   [`faults`] (the fault menu), [`requests`] (what the emulator was sent),
//!   [`waves`] (the page's ARM requests in dependent waves, from its Resource Timing) and
//!   [`admin`] (tokens to order, Entra settings, hostile data), all over the one
//!   HTTP client in `client`;
//! - the built files: [`bundle`] (their sizes as served, for the budget and the bench);
//! - the real Azure CLI against a second emulator: [`az`] (the preview-equivalence test);
//! - inside the page: [`observer`] (tokens, fetches, CSP violations and the clipboard, as the page saw them).

#![allow(dead_code)]

pub mod action;
pub mod admin;
pub mod arm;
pub mod az;
pub mod bundle;
pub mod check;
pub mod client;
pub mod faults;
pub mod find;
pub mod layout;
pub mod observer;
pub mod probe;
pub mod requests;
pub mod waves;
pub mod world;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use acr_cmk_emulator::{Config, Running, Scenario};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

/// Browser tests share two cores: run them one at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub const WAIT: Duration = Duration::from_secs(20);

/// The admin secret every emulator this test process starts is given, so the one
/// HTTP client in `client` can send it on `/_emulator/*` without a handle on the emulator.
pub static ADMIN_SECRET: std::sync::LazyLock<String> = std::sync::LazyLock::new(acr_cmk_emulator::admin::random_secret);

/// The built console. `scripts/test.sh` builds it and sets `ACR_CMK_DIST`.
pub fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("ACR_CMK_DIST").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(
        dir.join("index.html").is_file(),
        "no built console at {}: run `bash scripts/test.sh` (it runs `trunk build --release` first)",
        dir.display()
    );
    dir
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// ChromeDriver as a child process, killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Killing only ChromeDriver would orphan Chromium (about ten processes per test, which
        // pile up until the machine swaps): end its whole process group.
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.child.id())]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Driver {
        let port = free_port();
        let child = Command::new("chromedriver")
            // Its own process group, so Chromium (its child) ends with it; see `Drop`.
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver must be installed (scripts/setup.sh installs chromium-driver)");
        let driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start listening on port {port}");
    }
}

/// One test's world: an emulator serving the console, and a browser pointed at it.
pub struct Browser {
    pub client: Client,
    pub emulator: Running,
    pub console_url: String,
    _profile: TempDir,
    _driver: Driver,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// A test's turn at the machine (see [`ONE_AT_A_TIME`]).
pub struct Turn(tokio::sync::MutexGuard<'static, ()>);

pub struct Options {
    pub page_size: usize,
    /// The world the emulator starts with (`demo` unless a test needs the `fleet`).
    pub scenario: Scenario,
    /// How long after a new key version appears a versionless registry picks it up (Azure: within an hour).
    pub rotation_interval: Duration,
}

impl Default for Options {
    fn default() -> Self {
        // Small pages make the console follow `nextLink` with the demo's few registries.
        Options { page_size: 2, scenario: Scenario::Demo, rotation_interval: Config::default().rotation_interval }
    }
}

impl Browser {
    pub async fn start() -> Browser {
        Browser::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> Browser {
        let turn = ONE_AT_A_TIME.lock().await;
        let emulator = acr_cmk_emulator::start(Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            scenario: options.scenario,
            page_size: options.page_size,
            rotation_interval: options.rotation_interval,
            console_dir: Some(dist_dir()),
            console_listen: Some("127.0.0.1:0".parse().unwrap()),
            admin_secret: Some(ADMIN_SECRET.clone()),
            ..Config::default()
        })
        .await
        .expect("emulator starts");
        let console_url = emulator.console_url.clone().expect("the emulator serves the console");
        Browser::open_on(Turn(turn), emulator, console_url).await
    }

    /// The emulator's ARM only (no console host), with this test's turn: for a test
    /// that serves the console some other way and then calls [`Browser::open_on`].
    pub async fn start_arm_only(console_origin: &str) -> (Turn, Running) {
        let turn = ONE_AT_A_TIME.lock().await;
        let emulator = acr_cmk_emulator::start(Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            scenario: Scenario::Demo,
            page_size: Options::default().page_size,
            // The console lives on another host's origin: ARM's CORS must answer it.
            cors_origins: vec![console_origin.to_string()],
            admin_secret: Some(ADMIN_SECRET.clone()),
            ..Config::default()
        })
        .await
        .expect("emulator starts");
        (Turn(turn), emulator)
    }

    /// ChromeDriver and a fresh headless Chromium for a console served at `console_url`.
    pub async fn open_on(turn: Turn, emulator: Running, console_url: String) -> Browser {
        let driver = Driver::start().await;
        let profile = TempDir::new("acr-cmk-chromium");
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path.display()),
                ]
            }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .expect("a Chromium session through ChromeDriver");
        Browser { client, emulator, console_url, _profile: profile, _driver: driver, _turn: turn.0 }
    }

    /// Saves a PNG under `target/screenshots/` for a person to look at.
    pub async fn screenshot(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }

    /// The browser's console log since the last call (ChromeDriver's log endpoint).
    pub async fn browser_log(&self) -> Vec<LogEntry> {
        let value = self.client.issue_cmd(BrowserLog).await.unwrap_or(Value::Null);
        serde_json::from_value(value).unwrap_or_default()
    }

    /// Runs `script` in the page; its `return` value.
    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect("script runs")
    }

    /// A Chrome DevTools Protocol command, through ChromeDriver.
    pub async fn cdp(&self, cmd: &'static str, params: Value) -> Value {
        self.client.issue_cmd(CdpCommand { cmd, params }).await.unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct LogEntry {
    pub level: String,
    pub message: String,
}

/// ChromeDriver's `POST /session/{id}/se/log {"type":"browser"}`.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_string()))
    }
}

/// A directory removed on drop.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir { path }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// `POST /session/{id}/goog/cdp/execute`.
#[derive(Debug)]
struct CdpCommand {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({"cmd": self.cmd, "params": self.params}).to_string()))
    }
}
