//! How the console was served: whether the page came with a
//! Content-Security-Policy header (the README's "Content-Security-Policy"; the
//! `<meta>` policy in `index.html` is only a fallback that cannot restrict
//! `connect-src` to ARM, since ARM's origin is read from `config.json`).
//!
//! A page cannot read its own response headers, so it asks again: `HEAD /`,
//! the same `index.html` every route is served from.

/// `Some(true)` when `/` is served with a `Content-Security-Policy` header,
/// `Some(false)` without one, `None` when the question got no answer.
pub async fn served_with_csp_header() -> Option<bool> {
    let response = gloo_net::http::Request::get("/").method(gloo_net::http::Method::HEAD).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    Some(response.headers().get("content-security-policy").is_some_and(|p| !p.trim().is_empty()))
}
