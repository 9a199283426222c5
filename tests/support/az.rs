//! The real Azure CLI against a second emulator, for the preview-equivalence test
//! (`tests/az_preview.rs`, issue 16): one emulator over HTTPS with the Key Vault
//! `CONNECT` proxy, on a runtime of its own so it outlives each test's runtime, and
//! one CLI configuration signed in to it, set up the way `emulator/tests/cli/run.sh`
//! does (the recipe in `emulator/README.md`, "The Azure CLI"). Each test gets the
//! emulator back in the demo scenario's state first ([`CliWorld::fresh`]).
//!
//! The CLI is the pinned one `emulator/tests/cli/run.sh --install-only` puts in
//! `.tools/cli-venv` (`scripts/test.sh` installs it before the tests run), or
//! `ACR_CMK_AZ`.

use std::path::PathBuf;
use std::process::Command;
use std::sync::{LazyLock, Mutex};

use acr_cmk_emulator::scenario::{seed, DEMO_SERVICE_PRINCIPAL_CLIENT, DEMO_SERVICE_PRINCIPAL_SECRET, DEMO_SUBSCRIPTION, DEMO_TENANT};
use acr_cmk_emulator::{AppState, Config, Scenario};

use super::{TempDir, ADMIN_SECRET};

pub struct CliWorld {
    pub state: AppState,
    pub arm_url: String,
    az: PathBuf,
    env: Vec<(&'static str, String)>,
    _dir: TempDir,
}

/// Built on first use, shared by every test in the binary (they take turns; see `ONE_AT_A_TIME`).
pub static CLI: LazyLock<Mutex<CliWorld>> = LazyLock::new(|| Mutex::new(CliWorld::start()));

/// The pinned CLI: `ACR_CMK_AZ`, or the tools venv's.
pub fn az_path() -> PathBuf {
    let az = std::env::var_os("ACR_CMK_AZ")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".tools/cli-venv/bin/az"));
    assert!(
        az.is_file(),
        "no Azure CLI at {}: `bash scripts/test.sh` installs it, or run `emulator/tests/cli/run.sh --install-only`",
        az.display()
    );
    az
}

impl CliWorld {
    fn start() -> CliWorld {
        let az = az_path();
        let dir = TempDir::new("acr-cmk-az");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
            rt.block_on(async move {
                let running = acr_cmk_emulator::start(Config {
                    listen: "127.0.0.1:0".parse().unwrap(),
                    scenario: Scenario::Demo,
                    tls: true,
                    vault_proxy_listen: Some("127.0.0.1:0".parse().unwrap()),
                    admin_secret: Some(ADMIN_SECRET.clone()),
                    ..Config::default()
                })
                .await
                .expect("the CLI's emulator starts");
                tx.send((running.state.clone(), running.arm_url.clone(), running.vault_proxy_url.clone(), running.ca_pem.clone())).unwrap();
                // Serve until the test process ends.
                std::future::pending::<()>().await;
                drop(running);
            });
        });
        let (state, arm_url, proxy, ca) = rx.recv().expect("the CLI's emulator reports where it listens");
        let ca_file = dir.path.join("ca.pem");
        std::fs::write(&ca_file, ca.expect("a TLS emulator has a CA")).unwrap();
        let env = vec![
            ("AZURE_CONFIG_DIR", dir.path.join("azure").display().to_string()),
            ("REQUESTS_CA_BUNDLE", ca_file.display().to_string()),
            ("HTTPS_PROXY", proxy.expect("the vault proxy listens")),
            ("NO_PROXY", "127.0.0.1,localhost".into()),
            ("AZURE_CORE_INSTANCE_DISCOVERY", "false".into()),
            ("AZURE_CORE_COLLECT_TELEMETRY", "false".into()),
            ("AZURE_CORE_NO_COLOR", "true".into()),
            ("AZURE_CORE_ONLY_SHOW_ERRORS", "true".into()),
            // `az` in a pasted command is the pinned CLI.
            ("PATH", format!("{}:{}", az.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default())),
        ];
        let world = CliWorld { state, arm_url, az, env, _dir: dir };
        let arm = world.arm_url.clone();
        for args in [
            vec!["cloud", "register", "--name", "Emulator", "--endpoint-resource-manager", &arm, "--output", "none"],
            vec!["cloud", "set", "--name", "Emulator", "--output", "none"],
            vec![
                "login",
                "--service-principal",
                "--username",
                DEMO_SERVICE_PRINCIPAL_CLIENT,
                "--password",
                DEMO_SERVICE_PRINCIPAL_SECRET,
                "--tenant",
                DEMO_TENANT,
                "--output",
                "none",
            ],
            vec!["account", "set", "--subscription", DEMO_SUBSCRIPTION],
        ] {
            let out = Command::new(&world.az).args(&args).envs(world.env.iter().map(|(k, v)| (k, v))).output().unwrap();
            assert!(out.status.success(), "az {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
        }
        world
    }

    /// The emulator back in the demo scenario's state, as a fresh one starts (the same
    /// id seed too, so it makes the same ids the console's emulator made).
    pub fn fresh(&self) {
        *self.state.world() = seed(Scenario::Demo);
    }

    /// Runs `command` as pasted into a terminal (`bash -c`, so its quoting is the shell's);
    /// whether it succeeded, and what it printed.
    pub fn run(&self, command: &str) -> (bool, String) {
        let out = Command::new("bash").arg("-c").arg(command).envs(self.env.iter().map(|(k, v)| (k, v))).output().expect("bash runs");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), text)
    }

    /// The pinned CLI's version, for the test's output.
    pub fn version(&self) -> String {
        let (_, v) = self.run(&format!("{} version --query '\"azure-cli\"' --output tsv", self.az.display()));
        v.trim().to_string()
    }
}
