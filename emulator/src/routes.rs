//! Request dispatch. ARM compares path segments case-insensitively and lets a
//! scope be any resource id (role assignments), which axum's router cannot
//! express; so every ARM and Key Vault request goes through this small table of
//! `(method, template)` routes. The matched template also names the route in
//! the request statistics and the fault menu.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::api_versions::{self, Provider};
use crate::auth::Audience;
use crate::errors::{ArmError, ArmResult};
use crate::{faults, lro, persistence, registry, AppState};

pub type Handler = fn(&AppState, &Req) -> ArmResult<Response>;

pub struct Route {
    pub method: Method,
    pub template: &'static str,
    pub provider: Provider,
    pub auth: Option<Audience>,
    pub handler: Handler,
}

impl Route {
    pub fn arm(method: Method, template: &'static str, provider: Provider, handler: Handler) -> Route {
        Route { method, template, provider, auth: Some(Audience::Arm), handler }
    }
}

/// A request as handlers see it: its body read, its template's parameters bound.
pub struct Req {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// `http://host:port` of this request, for `nextLink` and operation URLs.
    pub base: String,
    pub template: &'static str,
    pub params: Vec<(String, String)>,
    /// The fault menu asked for the long-running operation this request starts to end `Failed`.
    pub lro_fail: bool,
}

impl Req {
    pub fn param(&self, name: &str) -> &str {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn api_version(&self) -> &str {
        self.query("api-version").unwrap_or("")
    }

    /// The JSON body as `T`; malformed JSON and wrong types become ARM-shaped 400s.
    pub fn json<T: DeserializeOwned>(&self) -> ArmResult<T> {
        if self.body.is_empty() {
            return Err(ArmError::bad_request(
                "InvalidRequestContent",
                "The request content was invalid and could not be deserialized: 'The request body is empty.'.",
            ));
        }
        serde_json::from_slice(&self.body).map_err(ArmError::invalid_body)
    }

    /// The body as untyped JSON (for checks the typed models would lose).
    pub fn json_value(&self) -> ArmResult<serde_json::Value> {
        self.json()
    }
}

pub fn table() -> Vec<Route> {
    let mut routes = Vec::new();
    routes.extend(crate::subscription::routes());
    routes.extend(crate::registry::routes());
    routes.extend(crate::identity::routes());
    routes.extend(crate::vault::routes());
    routes.extend(crate::key::routes());
    routes.extend(crate::role_assignment::routes());
    routes.extend(crate::lro::routes());
    routes.extend(crate::resource_graph::routes());
    routes
}

fn split(path: &str) -> Vec<String> {
    path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect()
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() && s.is_char_boundary(i + 1) && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `application/x-www-form-urlencoded` pairs: a query string, or a form body (Entra's token endpoint).
pub fn parse_form(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(&k.replace('+', " ")), percent_decode(&v.replace('+', " ")))
        })
        .collect()
}

/// Matches `segs` against `template`; literals ignore case, `{x}` binds one
/// segment, `{*x}` binds one or more (as a `/`-joined path with a leading `/`).
pub fn match_template(template: &str, segs: &[String]) -> Option<Vec<(String, String)>> {
    let tpl: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    let mut params = Vec::new();
    if match_from(&tpl, segs, &mut params) {
        Some(params)
    } else {
        None
    }
}

fn match_from(tpl: &[&str], segs: &[String], params: &mut Vec<(String, String)>) -> bool {
    match tpl.first() {
        None => segs.is_empty(),
        Some(t) if t.starts_with("{*") => {
            let name = t.trim_start_matches("{*").trim_end_matches('}').to_string();
            for take in (1..=segs.len()).rev() {
                let mark = params.len();
                params.push((name.clone(), format!("/{}", segs[..take].join("/"))));
                if match_from(&tpl[1..], &segs[take..], params) {
                    return true;
                }
                params.truncate(mark);
            }
            false
        }
        Some(t) if t.starts_with('{') => {
            let Some(seg) = segs.first() else { return false };
            params.push((t.trim_start_matches('{').trim_end_matches('}').to_string(), seg.clone()));
            if match_from(&tpl[1..], &segs[1..], params) {
                true
            } else {
                params.pop();
                false
            }
        }
        Some(t) => match segs.first() {
            Some(seg) if seg.eq_ignore_ascii_case(t) => match_from(&tpl[1..], &segs[1..], params),
            _ => false,
        },
    }
}

/// The fallback handler behind every ARM / Key Vault route.
pub async fn dispatch(State(state): State<AppState>, request: Request<Body>) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    let query = parse_form(parts.uri.query().unwrap_or(""));
    let segs = split(&path);
    let mut found = None;
    let mut path_matched = false;
    for route in state.routes().iter() {
        if let Some(params) = match_template(route.template, &segs) {
            path_matched = true;
            if route.method == parts.method {
                found = Some((route, params));
                break;
            }
        }
    }
    let Some((route, params)) = found else {
        let key = format!("{} {}", parts.method, if path_matched { "(method not allowed)" } else { "(no route)" });
        state.count(&key);
        return if path_matched {
            ArmError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "HttpMethodNotSupported",
                format!("The HTTP method '{}' is not supported at '{path}'.", parts.method),
            )
            .into_response()
        } else {
            ArmError::not_found(
                "NoRouteFound",
                format!("The emulator serves no API at '{path}'. See emulator/README.md for the supported routes."),
            )
            .into_response()
        };
    };
    let route_name = format!("{} {}", route.method, route.template);
    state.count(&route_name);

    // The fault menu goes first: a fault stands in for anything the real service may do.
    let mut lro_fail = false;
    match faults::take(&state, &parts.method, route.template, &path) {
        Some(faults::Action::Respond(resp)) => return resp,
        Some(faults::Action::Delay(d)) => tokio::time::sleep(d).await,
        Some(faults::Action::LroFail) => lro_fail = true,
        Some(faults::Action::Malformed) => {
            return (StatusCode::OK, [("content-type", "application/json; charset=utf-8")], "{\"value\": [{\"id\": ").into_response()
        }
        None => {}
    }

    if let Some(aud) = route.auth {
        let tenant = state.tenant_id();
        if let Err(e) = state.signer().verify(&parts.headers, aud, &tenant) {
            return e.into_response();
        }
    }
    let api_version = query.iter().find(|(k, _)| k.eq_ignore_ascii_case("api-version")).map(|(_, v)| v.as_str());
    if let Err(e) = api_versions::check(route.provider, api_version) {
        return e.into_response();
    }
    let body = match axum::body::to_bytes(body, state.max_body()).await {
        Ok(b) => b,
        Err(_) => {
            return ArmError::bad_request(
                "InvalidRequestContent",
                format!("The request content is larger than the maximum of {} bytes.", state.max_body()),
            )
            .into_response()
        }
    };
    let host = parts.headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1").to_string();
    let base = state.public_base().unwrap_or_else(|| format!("{}://{host}", state.scheme()));
    let req =
        Req { method: parts.method.clone(), path, query, headers: parts.headers, body, base, template: route.template, params, lro_fail };
    {
        // Time-driven changes (operations finishing, auto-rotation) happen lazily, before each request.
        let mut world = state.world();
        lro::advance(&state, &mut world);
        registry::auto_rotate(&state, &mut world);
    }
    let result = (route.handler)(&state, &req);
    if req.method != Method::GET {
        persistence::save(&state);
    }
    match result {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

/// A JSON response with a status.
pub fn json(status: StatusCode, value: impl serde::Serialize) -> Response {
    (status, axum::Json(value)).into_response()
}

/// One page of `items` following ARM's `nextLink` convention (`$skipToken` = offset).
pub fn page(state: &AppState, req: &Req, items: Vec<serde_json::Value>) -> Response {
    let size = state.page_size().max(1);
    let start: usize = req.query("$skipToken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let end = start.saturating_add(size).min(items.len());
    let value: Vec<_> = if start < items.len() { items[start..end].to_vec() } else { Vec::new() };
    let mut body = serde_json::json!({ "value": value });
    if end < items.len() {
        body["nextLink"] =
            serde_json::Value::String(format!("{}{}?api-version={}&$skipToken={}", req.base, req.path, req.api_version(), end));
    }
    json(StatusCode::OK, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(p: &str) -> Vec<String> {
        split(p)
    }

    #[test]
    fn literals_match_case_insensitively() {
        let p = match_template("/subscriptions/{s}/resourceGroups/{g}", &segs("/SUBSCRIPTIONS/x/resourcegroups/G")).unwrap();
        assert_eq!(p, vec![("s".into(), "x".into()), ("g".into(), "G".into())]);
        assert!(match_template("/subscriptions/{s}", &segs("/subscriptions/x/y")).is_none());
    }

    #[test]
    fn scope_captures_many_segments() {
        let p = match_template(
            "/{*scope}/providers/Microsoft.Authorization/roleAssignments/{name}",
            &segs("/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v/providers/Microsoft.Authorization/roleAssignments/n"),
        )
        .unwrap();
        assert_eq!(p[0].1, "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v");
        assert_eq!(p[1].1, "n");
    }
}
