//! The browser-test harness: starts the emulator (in-process, serving the built
//! console from `dist/` on its own origin), ChromeDriver and a headless Chromium
//! on free loopback ports, and tears all of it down when dropped — also when a
//! test panics.
//!
//! Every test ends with [`Browser::assert_clean_log`]: an uncaught error or a
//! `console.error` in the browser fails the test, so a wasm that fails to start
//! cannot pass as an empty page.
//!
//! Beside the page, on the emulator: [`world`] (the demo scenario's ids),
//! [`arm`] (ARM and Key Vault requests), [`probe`] (the registry's data plane),
//! [`faults`] (the fault menu), [`requests`] (what the emulator was sent) and
//! [`admin`] (tokens to order, Entra settings, hostile data), all over the one
//! HTTP client in `client`.

#![allow(dead_code)]

pub mod admin;
pub mod arm;
mod client;
pub mod faults;
pub mod probe;
pub mod requests;
pub mod world;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use acr_cmk_emulator::{Config, Running, Scenario};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// Browser tests share two cores: run them one at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub const WAIT: Duration = Duration::from_secs(20);

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

pub struct Options {
    pub page_size: usize,
}

impl Default for Options {
    fn default() -> Self {
        // Small pages make the console follow `nextLink` with the demo's few registries.
        Options { page_size: 2 }
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
            scenario: Scenario::Demo,
            page_size: options.page_size,
            console_dir: Some(dist_dir()),
            console_listen: Some("127.0.0.1:0".parse().unwrap()),
            ..Config::default()
        })
        .await
        .expect("emulator starts");
        let console_url = emulator.console_url.clone().expect("the emulator serves the console");
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
        Browser { client, emulator, console_url, _profile: profile, _driver: driver, _turn: turn }
    }

    pub async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{}", self.console_url, path)).await.expect("navigate");
    }

    /// Waits for the element with this `data-testid`; on time-out, fails with the browser log.
    pub async fn wait_for(&self, test_id: &str) -> fantoccini::elements::Element {
        let css = format!("[data-testid='{test_id}']");
        match self.client.wait().at_most(WAIT).for_element(Locator::Css(&css)).await {
            Ok(el) => el,
            Err(e) => {
                let log = self.browser_log().await;
                self.screenshot(&format!("timeout-{test_id}")).await;
                panic!("no [data-testid='{test_id}'] within {WAIT:?}: {e}\nbrowser log:\n{log:#?}");
            }
        }
    }

    /// The text of the element with this `data-testid`, once it has some.
    pub async fn text_of(&self, test_id: &str) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let text = self.wait_for(test_id).await.text().await.unwrap_or_default();
            if !text.trim().is_empty() || tokio::time::Instant::now() > deadline {
                return text.trim().to_string();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Texts of all elements with this `data-testid`, waiting until there are at least `n`.
    pub async fn texts_of_at_least(&self, test_id: &str, n: usize) -> Vec<String> {
        let css = format!("[data-testid='{test_id}']");
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let mut texts = Vec::new();
            for el in self.client.find_all(Locator::Css(&css)).await.unwrap_or_default() {
                texts.push(el.text().await.unwrap_or_default().trim().to_string());
            }
            if texts.len() >= n || tokio::time::Instant::now() > deadline {
                return texts;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, test_id: &str) {
        self.wait_for(test_id).await.click().await.expect("click");
    }

    /// Clicks the listed registry named `name` (the list must be showing).
    pub async fn open_listed_registry(&self, name: &str) {
        let links = self.client.find_all(fantoccini::Locator::Css("[data-testid='registry-link']")).await.expect("find links");
        for link in links {
            if link.text().await.expect("link text") == name {
                link.click().await.expect("click");
                return;
            }
        }
        panic!("{name} is not listed");
    }

    pub async fn type_into(&self, test_id: &str, text: &str) {
        let el = self.wait_for(test_id).await;
        el.clear().await.expect("clear");
        el.send_keys(text).await.expect("type");
    }

    /// Signs in through the console's demo button and waits for the registry list.
    pub async fn demo_sign_in(&self) {
        self.demo_sign_in_at("/").await;
    }

    /// Opens a deep link while signed out: the console asks for sign-in first and
    /// then returns to that page. (The session lives in memory only, so every
    /// full page load starts signed out.)
    pub async fn demo_sign_in_at(&self, path: &str) {
        self.open(path).await;
        self.click("demo-sign-in").await;
        self.wait_for("signed-in-user").await;
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

    /// Fails on any SEVERE browser log entry (uncaught errors, panics, console.error,
    /// failed loads) except those containing one of `expected`.
    pub async fn assert_clean_log(&self, expected: &[&str]) {
        let severe: Vec<LogEntry> = self
            .browser_log()
            .await
            .into_iter()
            .filter(|e| e.level == "SEVERE" && !expected.iter().any(|x| e.message.contains(x)))
            .collect();
        assert!(severe.is_empty(), "errors in the browser log:\n{severe:#?}");
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

pub async fn http_json(method: &str, url: &str, body: Option<Value>) -> Value {
    http(method, url, None, body).await.1
}

// Until each test file moves to the fixtures above.
pub async fn http(method: &str, url: &str, bearer: Option<&str>, body: Option<Value>) -> (u16, Value) {
    client::send(http::Method::from_bytes(method.as_bytes()).expect("an HTTP method"), url, bearer, body).await
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

/// axe-core's WCAG 2.1 A/AA violations (id, impact, help, nodes) within the
/// elements matching `selector` (`document` for the whole page); `[]` when there
/// are none.
pub async fn axe_violations(b: &Browser, selector: &str) -> Value {
    let path = std::env::var_os("ACR_CMK_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".tools/npm/node_modules/axe-core/axe.min.js"));
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("axe-core at {}: {e} (scripts/setup.sh installs it)", path.display()));
    b.client.execute(&format!("{source}\nreturn typeof axe;"), vec![]).await.expect("inject axe-core");
    let result = b
        .client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               const sel = arguments[0];
               const context = sel === 'document' ? document : {include: [[sel]]};
               axe.run(context, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                 .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)}))))
                 .catch(e => done({error: String(e)}));"#,
            vec![json!(selector)],
        )
        .await
        .expect("axe.run");
    assert!(result.get("error").is_none(), "axe failed: {result}");
    result
}

/// Emulates `prefers-color-scheme` (`light` or `dark`) through ChromeDriver's CDP endpoint.
pub async fn emulate_color_scheme(b: &Browser, scheme: &str) {
    b.client
        .issue_cmd(CdpCommand {
            cmd: "Emulation.setEmulatedMedia",
            params: json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        })
        .await
        .expect("Emulation.setEmulatedMedia");
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
