//! The console as deployed: `dist/` served by Debian's nginx with the shipped
//! `deploy/nginx.conf` (rendered by `scripts/nginx_conf.sh` with the build's
//! loader hash and a free port), ARM being the in-process emulator.
//!
//! - `nginx_serves_the_console_with_its_headers`: `/`, a deep link and
//!   `config.json` carry the README's headers (the policy naming the loader's
//!   hash and ARM's origin); a pasted token signs in, a registry page shows its
//!   status, no "served without a Content-Security-Policy header" banner shows,
//!   the wasm comes as the build's `.gz` (`gzip_static`),
//!   and the browser refuses nothing.
//! - `without_the_csp_header_the_console_warns`: the same files and config with
//!   the policy header line removed: the console still starts (under
//!   `index.html`'s `<meta>` policy, whose loader hash the build filled in) and
//!   shows the banner.
//!
//! nginx runs as this test's child process, one process (`master_process off`),
//! with its prefix, pid file, logs and temp paths in a temporary directory: no
//! root, no service. The emulator's CORS answers only the origins it is told,
//! so each test picks nginx's port first and names that origin to the emulator.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use acr_cmk_emulator::Running;
use support::world::registry_path;
use support::{client, dist_dir, free_port, Browser, TempDir};

/// nginx serving a copy of `dist/` (with a `config.json` naming the emulator), killed on drop.
struct Nginx {
    child: Child,
    url: String,
    dir: TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Policy {
    /// `deploy/nginx.conf` as shipped.
    Shipped,
    /// The shipped config without its Content-Security-Policy line: a host that forgot it.
    NoCspHeader,
}

impl Nginx {
    /// nginx on `port` (picked before the emulator starts, which must allow its origin).
    async fn serve(emulator: &Running, policy: Policy, port: u16) -> Nginx {
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dir = TempDir::new("acr-cmk-nginx");
        let dist = dir.path.join("dist");
        copy_dir(&dist_dir(), &dist);
        let config = serde_json::json!({ "armEndpoint": emulator.arm_url, "demo": true });
        std::fs::write(dist.join("config.json"), config.to_string()).unwrap();

        let rendered = Command::new("bash")
            .arg(repo.join("scripts/nginx_conf.sh"))
            .arg(&dist)
            .arg(format!("127.0.0.1:{port}"))
            .arg(&emulator.arm_url)
            .output()
            .expect("scripts/nginx_conf.sh runs");
        assert!(rendered.status.success(), "nginx_conf.sh: {}", String::from_utf8_lossy(&rendered.stderr));
        let mut server = String::from_utf8(rendered.stdout).unwrap();
        assert!(!server.contains("__"), "a placeholder is left in the rendered config:\n{server}");
        if policy == Policy::NoCspHeader {
            server = server.lines().filter(|l| !l.contains("add_header Content-Security-Policy")).collect::<Vec<_>>().join("\n");
        }
        std::fs::write(dir.path.join("server.conf"), server).unwrap();

        let p = dir.path.display();
        let main = format!(
            "master_process off;\ndaemon off;\nerror_log {p}/error.log;\npid {p}/nginx.pid;\nevents {{ worker_connections 64; }}\n\
             http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n\
             client_body_temp_path {p}/body;\n  proxy_temp_path {p}/proxy;\n  fastcgi_temp_path {p}/fastcgi;\n\
             uwsgi_temp_path {p}/uwsgi;\n  scgi_temp_path {p}/scgi;\n  include {p}/server.conf;\n}}\n"
        );
        std::fs::write(dir.path.join("nginx.conf"), main).unwrap();
        let nginx = ["/usr/sbin/nginx", "nginx"].into_iter().find(|n| Path::new(n).is_file()).unwrap_or("nginx");
        let child = Command::new(nginx)
            .arg("-p")
            .arg(&dir.path)
            .arg("-c")
            .arg(dir.path.join("nginx.conf"))
            .arg("-e")
            .arg(dir.path.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx must be installed (scripts/setup.sh installs Debian's nginx)");
        let nginx = Nginx { child, url: format!("http://127.0.0.1:{port}"), dir };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return nginx;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let log = std::fs::read_to_string(nginx.dir.path.join("error.log")).unwrap_or_default();
        panic!("nginx did not start listening on port {port}:\n{log}");
    }

    /// `GET path`: the status and the headers (names lower-cased).
    async fn get(&self, path: &str) -> (u16, HashMap<String, String>) {
        client::headers(&format!("{}{path}", self.url)).await
    }
}

fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp").arg("-r").arg(from).arg(to).status().expect("cp");
    assert!(status.success(), "copying {} to {}", from.display(), to.display());
}

#[tokio::test]
async fn nginx_serves_the_console_with_its_headers() {
    let port = free_port();
    let (turn, emulator) = Browser::start_arm_only(&format!("http://127.0.0.1:{port}")).await;
    let nginx = Nginx::serve(&emulator, Policy::Shipped, port).await;

    for path in ["/", "/subscriptions/s/resourceGroups/g/registries/r", "/config.json"] {
        let (status, headers) = nginx.get(path).await;
        assert_eq!(status, 200, "{path}");
        let csp = headers.get("content-security-policy").unwrap_or_else(|| panic!("no CSP on {path}: {headers:?}"));
        assert!(csp.starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{path}: {csp}");
        assert!(csp.contains(&format!("connect-src 'self' {};", emulator.arm_url)), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers.get("x-frame-options").map(String::as_str), Some("DENY"), "{path}");
        assert_eq!(headers.get("referrer-policy").map(String::as_str), Some("no-referrer"), "{path}");
        assert_eq!(headers.get("x-content-type-options").map(String::as_str), Some("nosniff"), "{path}");
    }
    assert_eq!(nginx.get("/config.json").await.1.get("cache-control").map(String::as_str), Some("no-store"));
    assert_eq!(nginx.get("/").await.1.get("cache-control").map(String::as_str), Some("no-cache"));

    let token = emulator.demo_token();
    let b = Browser::open_on(turn, emulator, nginx.url.clone()).await;
    b.open(&registry_path("contosoprod")).await;
    b.type_into("token-input", &token).await;
    b.click("sign-in").await;
    b.wait_for("signed-in-user").await;
    assert_eq!(b.text_of("registry-name").await, "contosoprod");
    assert_eq!(b.text_of("encryption-status").await, "enabled");
    b.screenshot("hosting-nginx").await;
    assert!(!b.is_present("csp-missing").await, "the banner shows although nginx sent the policy");
    // gzip_static: the wasm came as the build's .gz (fewer bytes on the wire than it has).
    let wasm = b
        .js("const w = performance.getEntriesByType('resource').find(e => e.name.endsWith('.wasm')); return [w.encodedBodySize, w.decodedBodySize];")
        .await;
    assert!(wasm[0].as_u64().unwrap() < wasm[1].as_u64().unwrap() / 2, "the wasm was not sent compressed: {wasm}");
    b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn without_the_csp_header_the_console_warns() {
    let port = free_port();
    let (turn, emulator) = Browser::start_arm_only(&format!("http://127.0.0.1:{port}")).await;
    let nginx = Nginx::serve(&emulator, Policy::NoCspHeader, port).await;
    let (status, headers) = nginx.get("/").await;
    assert_eq!(status, 200);
    assert!(!headers.contains_key("content-security-policy"), "{headers:?}");

    let b = Browser::open_on(turn, emulator, nginx.url.clone()).await;
    b.open("/").await;
    let banner = b.text_of("csp-missing").await;
    assert!(banner.contains("This console was served without a Content-Security-Policy header"), "{banner}");
    // The page runs under index.html's <meta> policy alone: the loader's hash in it is right.
    b.wait_for("token-input").await;
    b.screenshot("hosting-no-csp-header").await;
    b.assert_clean_log(&[]).await;
}
