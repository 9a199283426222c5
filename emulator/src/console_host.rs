//! Serves the built console (static files) on its own origin, with the SPA
//! fallback to `index.html`, a runtime `config.json` pointing the console at this
//! emulator, correct content types (`application/wasm`) and anti-framing headers.

use std::path::PathBuf;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(dir: PathBuf, arm_url: String) -> Router {
    let index = dir.join("index.html");
    // The emulator is also the console's Entra ID: its authority and the demo SPA app's client id.
    let config = serde_json::json!({
        "armEndpoint": arm_url,
        "demo": true,
        "authority": format!("{arm_url}/{}", crate::scenario::DEMO_TENANT),
        "clientId": crate::entra::DEMO_SPA_CLIENT_ID,
    });
    let serve = ServeDir::new(&dir).append_index_html_on_directories(true).fallback(ServeFile::new(index));
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
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}

/// `mime_guess` knows `.wasm`, but make sure: browsers refuse streaming compilation otherwise.
async fn fix_content_type(req_path: axum::extract::OriginalUri, mut resp: axum::response::Response) -> axum::response::Response {
    if resp.status() == StatusCode::OK && req_path.path().ends_with(".wasm") {
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/wasm"));
    }
    resp
}
