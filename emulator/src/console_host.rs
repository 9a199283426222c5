//! Serves the built console (static files) on its own origin, with the SPA
//! fallback to `index.html`, a runtime `config.json` pointing the console at this
//! emulator, correct content types (`application/wasm`), the build's pre-compressed
//! `.br`/`.gz` copies when the browser accepts them, and the security headers:
//! a strict Content-Security-Policy (see [`content_security_policy`]), anti-framing,
//! `Referrer-Policy: no-referrer` and `nosniff`.

use std::path::{Path, PathBuf};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(dir: PathBuf, arm_url: String) -> Router {
    let index = dir.join("index.html");
    let authority = format!("{arm_url}/{}", crate::scenario::DEMO_TENANT);
    // The emulator is also the console's Entra ID: its authority and the demo SPA app's client id.
    let config = serde_json::json!({
        "armEndpoint": arm_url,
        "demo": true,
        "authority": authority,
        "clientId": crate::directory::DEMO_SPA_CLIENT_ID,
    });
    let csp = content_security_policy(&inline_script_hashes(&index), &[&arm_url, &authority]);
    let csp = HeaderValue::from_str(&csp).expect("the policy is ASCII");
    // The build writes each file's .br and .gz beside it (scripts/precompress.sh): sent as they are to a
    // browser that accepts them, the file itself otherwise.
    let serve = ServeDir::new(&dir)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(index).precompressed_br().precompressed_gzip());
    Router::new()
        .route(
            "/config.json",
            get(move || {
                let config = config.clone();
                async move { ([(header::CACHE_CONTROL, "no-store")], axum::Json(config)).into_response() }
            }),
        )
        .fallback_service(serve)
        .layer(axum::middleware::map_response(fix_content_type))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}

/// The console's policy: only its own files run (plus trunk's inline loader, by
/// hash; wasm needs `'wasm-unsafe-eval'`, never `'unsafe-eval'`), it talks only to
/// itself (the wasm, `config.json`), ARM and the sign-in authority, and nothing
/// inline or injected (styles, `<base>`, plugins, frames) is honoured.
/// `connect_to` are URLs; only their origins are named.
pub fn content_security_policy(script_hashes: &[String], connect_to: &[&str]) -> String {
    let mut connect: Vec<String> = vec!["'self'".into()];
    for url in connect_to {
        if let Some(origin) = origin_of(url) {
            if !connect.contains(&origin) {
                connect.push(origin);
            }
        }
    }
    let scripts: String = script_hashes.iter().map(|h| format!(" '{h}'")).collect();
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{scripts}; connect-src {}; style-src 'self'; \
         img-src 'self' data:; base-uri 'none'; object-src 'none'; form-action 'none'; frame-ancestors 'none'",
        connect.join(" ")
    )
}

/// `scheme://host[:port]` of an absolute http(s) URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().filter(|a| !a.is_empty())?;
    Some(format!("{scheme}://{authority}"))
}

/// `sha256-…` of every inline `<script>` in the built `index.html` (trunk's
/// module loader), read once at start-up: rebuild → restart.
fn inline_script_hashes(index: &Path) -> Vec<String> {
    std::fs::read_to_string(index).map(|html| inline_scripts(&html).iter().map(|s| sha256_source(s)).collect()).unwrap_or_default()
}

/// The text of each `<script>` without a `src` attribute, byte for byte (the hash covers it exactly).
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let open_tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script>") else { break };
        if !open_tag.contains(" src=") {
            found.push(&body[..close]);
        }
        rest = &body[close + "</script>".len()..];
    }
    found
}

/// A CSP hash source for this script text.
pub fn sha256_source(script: &str) -> String {
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes())))
}

/// `mime_guess` knows `.wasm`, but make sure: browsers refuse streaming compilation otherwise.
async fn fix_content_type(req_path: axum::extract::OriginalUri, mut resp: axum::response::Response) -> axum::response::Response {
    if resp.status() == StatusCode::OK && req_path.path().ends_with(".wasm") {
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/wasm"));
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_scripts_only() {
        let html = "<script src=\"/a.js\"></script><script type=\"module\">\nimport x;\n</script><p>";
        assert_eq!(inline_scripts(html), vec!["\nimport x;\n"]);
    }

    #[test]
    fn the_policy_names_origins_and_hashes() {
        let csp = content_security_policy(&["sha256-abc".into()], &["http://127.0.0.1:9/", "http://127.0.0.1:9/tenant"]);
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';"), "{csp}");
        assert!(csp.contains("connect-src 'self' http://127.0.0.1:9;"), "{csp}");
        assert!(!csp.contains("unsafe-inline"));
    }
}
