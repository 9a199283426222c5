//! The HTML Entra shows in the browser: "Pick an account" and the error page,
//! served so that they are never cached or framed. Everything from the request
//! or the directory is escaped.

use acr_cmk_domain::url_component;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::oauth::{timestamp, OAuthError};
use crate::clock;
use crate::directory::DirectoryUser;

const STYLE: &str = "<style>body{font-family:system-ui,sans-serif;background:#f2f2f2;margin:0}main{max-width:28rem;margin:4rem auto;background:#fff;padding:2rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}button{display:block;width:100%;text-align:left;margin:.5rem 0;padding:.75rem;font:inherit;background:#fff;border:1px solid #8a8886;cursor:pointer}button.cancel{text-align:center;background:#e6e6e6}small{display:block;color:#605e5c}.scopes{font-family:monospace;font-size:.9em}</style>";

/// A page as Entra serves it: never cached, never framed.
pub(super) fn page_response(status: StatusCode, html: String) -> Response {
    let mut resp = (status, Html(html)).into_response();
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"),
    );
    resp
}

/// The page for problems Entra never redirects (tenant, client, redirect URI).
pub(super) fn error_page(tenant: &str, e: &OAuthError) -> String {
    let now = clock::now_secs();
    let trace = uuid::Uuid::new_v4().to_string();
    let correlation = uuid::Uuid::new_v4().to_string();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in to your account</title>{STYLE}</head><body><main>\
         <h1>Sorry, but we’re having trouble signing you in.</h1>\
         <p id=\"error\" data-testid=\"entra-error\">AADSTS{}: {}</p>\
         <dl><dt>Request Id</dt><dd>{trace}</dd><dt>Correlation Id</dt><dd>{correlation}</dd><dt>Timestamp</dt><dd>{}</dd><dt>Tenant</dt><dd>{}</dd></dl>\
         </main></body></html>",
        e.code,
        html_escape(&e.description),
        timestamp(now),
        html_escape(tenant),
    )
}

/// "Pick an account" for `app_name`: one button per user; every original
/// parameter of the request rides along hidden.
pub(super) fn account_picker(app_name: &str, scope: &str, tenant: &str, params: &[(String, String)], users: &[DirectoryUser]) -> String {
    let hidden: String = params
        .iter()
        .filter(|(k, _)| !k.starts_with("emulator_"))
        .map(|(k, v)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", html_escape(k), html_escape(v)))
        .collect();
    let buttons: String = users
        .iter()
        .map(|u| {
            format!(
                "<button type=\"submit\" name=\"emulator_user\" value=\"{}\" data-testid=\"entra-user-{}\">{}<small>{}</small></button>",
                html_escape(&u.object_id),
                html_escape(&u.user_principal_name),
                html_escape(&u.display_name),
                html_escape(&u.user_principal_name)
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in to your account</title>{STYLE}</head><body><main>\
         <p><strong>Microsoft Entra ID emulator</strong></p>\
         <h1>Pick an account</h1>\
         <p>to continue to <strong data-testid=\"entra-app\">{}</strong>, which asks for <span class=\"scopes\">{}</span></p>\
         <form method=\"post\" action=\"/{}/oauth2/v2.0/authorize\">{hidden}{buttons}\
         <button type=\"submit\" class=\"cancel\" name=\"emulator_consent\" value=\"deny\" data-testid=\"entra-cancel\">Cancel</button>\
         </form></main></body></html>",
        html_escape(app_name),
        html_escape(scope),
        url_component::encode(tenant),
    )
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
