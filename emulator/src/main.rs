//! `acr-cmk-emulator`: runs the ARM + Key Vault emulator (and optionally serves
//! the built console) until interrupted.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use acr_cmk_emulator::{Config, Scenario};

const HELP: &str = "\
acr-cmk-emulator: a local Azure Resource Manager + Key Vault for the ACR customer-managed-key console

USAGE:
    acr-cmk-emulator --listen 127.0.0.1:PORT [--tls --ca-out FILE] [--scenario demo|empty|fleet] [--state FILE] [OPTIONS]

OPTIONS:
    --listen ADDR                 Address for the ARM API (and the Key Vault data plane under /_vault/).
                                  Default 127.0.0.1:8080; port 0 picks a free port.
    --tls                         Serve HTTPS instead of HTTP, with a server certificate for localhost,
                                  127.0.0.1 and ::1 signed by a local CA generated at start-up.
    --ca-out FILE                 With --tls: write that CA certificate (PEM) to FILE, for clients to trust
                                  (e.g. REQUESTS_CA_BUNDLE=FILE for the Azure SDK for Python).
    --scenario demo|empty|fleet   World to start with. demo (default): the seeded Contoso story
                                  (registries contosoprod, contosoauto, contosodev, contosolost; vault
                                  kv-acr-demo...). empty: one tenant, one subscription, one service principal
                                  (its tenant, client id and secret are printed at start-up). fleet: 10,000
                                  registries in 25 subscriptions, every posture flag (see src/fleet.rs).
    --page-size N                 Items per list page before a nextLink is returned. Default 100.
    --console-dir DIR             Serve this directory (the built console) as static files...
    --console-listen ADDR         ...on this address (its own origin). Default 127.0.0.1:0.
    --rotation-interval-secs N    How long after a new key version appears a versionless CMK registry picks it
                                  up (Azure: within an hour). Default 10.
    --lro-secs N                  How long a registry create/update/delete runs if nobody polls it. Default 3.
    --state FILE                  Persist the world to FILE (loaded at start when present, written atomically
                                  after every change). Without it, state lives in memory only.
    --max-body-bytes N            Largest accepted request body. Default 1048576.
    --token-lifetime-secs N       Lifetime of tokens from /_emulator/demo-token. Default 3600.
    --cors-origin ORIGIN          Also answer CORS for ORIGIN (e.g. http://localhost:8081); repeatable. The
                                  console's own origin (--console-dir) is always allowed; nothing else is.
    --vault-proxy-listen ADDR     With --tls: also serve an HTTP CONNECT proxy on ADDR that reaches the Key Vault
                                  data plane at https://{vault}.vault.azure.net (HTTPS_PROXY=http://ADDR,
                                  NO_PROXY=127.0.0.1,localhost); any other target is refused. Prints
                                  `vault proxy on http://ADDR` before the `listening on` line.
    --allow-remote                Allow a non-loopback --listen / --console-listen (refused otherwise: the
                                  emulator hands out tokens to anyone who reaches it).
    --admin-secret S              The secret the admin routes want in the x-emulator-admin header.
                                  Default: a random one per process, printed at start-up.
    -h, --help                    Print this help.

OUTPUT (stdout):
    With --scenario empty, first `service principal: tenant T client-id C client-secret S`.
    Then `admin secret: S` (the x-emulator-admin value). Once ready, exactly one `listening on http(s)://ADDR` line (and `console on http://ADDR` when serving
    the console), then it serves until interrupted (Ctrl-C / SIGTERM). Errors go to stderr, exit code 2
    for bad options, 1 when it cannot start.

ADMIN ROUTES (emulator only; all but demo-token need the header x-emulator-admin: <admin secret>):
    POST /_emulator/demo-token    a demo ARM token, in the JSON shape of `az account get-access-token` (open)
    POST /_emulator/token         {\"expiresInSecs\":N,\"aud\":\"...\"} any token signed by this emulator
    GET  /_emulator/stats         request counts per route;  POST /_emulator/stats/reset
    POST|GET|DELETE /_emulator/faults   the fault menu
    POST|GET|DELETE /_emulator/resource-graph/lag   {\"lagMs\":N}: Resource Graph answers up to N ms behind ARM
    GET  /_emulator/registries/{name}/v2/   registry data-plane probe (200, or 403 when the key is unreachable)
    GET  /_emulator/state         the whole world as JSON
    POST /_emulator/reset         the world as --scenario seeds it (open in the demo scenario on loopback)
    POST /_emulator/vaults/{vault}/keys/{key}/new-version   a new key version (open like reset)
See emulator/README.md for every route and every known difference from Azure.
";

fn parse_args() -> Result<Config, String> {
    let mut config = Config::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                std::process::exit(0);
            }
            "--listen" => config.listen = parse_addr(&value("--listen")?)?,
            "--scenario" => config.scenario = value("--scenario")?.parse::<Scenario>()?,
            "--page-size" => config.page_size = parse_num(&value("--page-size")?, "--page-size")?.max(1) as usize,
            "--console-dir" => config.console_dir = Some(PathBuf::from(value("--console-dir")?)),
            "--console-listen" => config.console_listen = Some(parse_addr(&value("--console-listen")?)?),
            "--rotation-interval-secs" => {
                config.rotation_interval = Duration::from_secs(parse_num(&value("--rotation-interval-secs")?, "--rotation-interval-secs")?)
            }
            "--lro-secs" => config.lro_duration = Duration::from_secs(parse_num(&value("--lro-secs")?, "--lro-secs")?),
            "--state" => config.state_file = Some(PathBuf::from(value("--state")?)),
            "--tls" if inline.is_none() => config.tls = true,
            "--allow-remote" if inline.is_none() => config.allow_remote = true,
            "--vault-proxy-listen" => config.vault_proxy_listen = Some(parse_addr(&value("--vault-proxy-listen")?)?),
            "--ca-out" => config.ca_out = Some(PathBuf::from(value("--ca-out")?)),
            "--token-lifetime-secs" => {
                config.token_lifetime_secs = parse_num(&value("--token-lifetime-secs")?, "--token-lifetime-secs")?.max(1) as i64
            }
            "--cors-origin" => {
                let origin = value("--cors-origin")?;
                let ok = (origin.starts_with("http://") || origin.starts_with("https://"))
                    && !origin.trim_end_matches('/').split_once("://").is_some_and(|(_, rest)| rest.is_empty() || rest.contains('/'));
                if !ok {
                    return Err(format!("--cors-origin: '{origin}' is not an origin like http://localhost:8081"));
                }
                config.cors_origins.push(origin);
            }
            "--admin-secret" => {
                let secret = value("--admin-secret")?;
                if secret.is_empty() || !secret.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err("--admin-secret must be non-empty printable ASCII without spaces".into());
                }
                config.admin_secret = Some(secret);
            }
            "--max-body-bytes" => config.max_body_bytes = parse_num(&value("--max-body-bytes")?, "--max-body-bytes")? as usize,
            other => return Err(format!("unknown option '{other}' (see --help)")),
        }
    }
    if config.ca_out.is_some() && !config.tls {
        return Err("--ca-out needs --tls".into());
    }
    if config.vault_proxy_listen.is_some() && !config.tls {
        return Err("--vault-proxy-listen needs --tls".into());
    }
    if config.console_listen.is_some() && config.console_dir.is_none() {
        return Err("--console-listen needs --console-dir".into());
    }
    config.check()?;
    Ok(config)
}

fn parse_addr(s: &str) -> Result<SocketAddr, String> {
    s.parse().map_err(|_| format!("'{s}' is not an address like 127.0.0.1:8080"))
}

fn parse_num(s: &str, name: &str) -> Result<u64, String> {
    s.parse().map_err(|_| format!("{name}: '{s}' is not a non-negative number"))
}

#[tokio::main]
async fn main() {
    let config = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let scenario = config.scenario;
    let running = match acr_cmk_emulator::start(config).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            std::process::exit(1);
        }
    };
    {
        let mut out = std::io::stdout().lock();
        if scenario == Scenario::Empty {
            let world = running.state.world();
            for sp in &world.service_principals {
                let _ = writeln!(
                    out,
                    "service principal: tenant {} client-id {} client-secret {}",
                    world.tenant_id, sp.client_id, sp.client_secret
                );
            }
        }
        let _ = writeln!(out, "admin secret: {}", running.admin_secret());
        if let Some(p) = &running.vault_proxy_url {
            let _ = writeln!(out, "vault proxy on {p}");
        }
        let _ = writeln!(out, "listening on {}", running.arm_url);
        if let Some(c) = &running.console_url {
            let _ = writeln!(out, "console on {c}");
        }
        let _ = out.flush();
    }
    wait_for_signal().await;
    running.shutdown().await;
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("signal handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
