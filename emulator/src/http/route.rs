//! A route and its matcher. ARM compares path segments case-insensitively and
//! lets a scope be any resource id (role assignments), so templates are matched
//! segment by segment here; the matched template also names the route in the
//! request statistics and the fault menu.

use axum::http::Method;
use axum::response::Response;

use super::request::{percent_decode, Req};
use crate::api_versions::Provider;
use crate::auth::Audience;
use crate::errors::ArmResult;
use crate::state::AppState;

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

/// A template built from two parts. Route tables are built once at start-up,
/// so leaking these short strings is fine.
pub fn join(a: &str, b: &str) -> &'static str {
    Box::leak(format!("{a}{b}").into_boxed_str())
}

/// What a table says about a request.
pub enum Match<'a> {
    /// The first route whose template and method match, with the template's parameters.
    Found(&'a Route, Vec<(String, String)>),
    /// Some template matches the path, none with this method.
    MethodNotAllowed,
    NoRoute,
}

/// The first route in `table` for `method` and `path`: order is precedence.
pub fn find<'a>(table: &'a [Route], method: &Method, path: &str) -> Match<'a> {
    let segs = split(path);
    let mut path_matched = false;
    for route in table {
        if let Some(params) = match_template(route.template, &segs) {
            path_matched = true;
            if route.method == *method {
                return Match::Found(route, params);
            }
        }
    }
    if path_matched {
        Match::MethodNotAllowed
    } else {
        Match::NoRoute
    }
}

fn split(path: &str) -> Vec<String> {
    path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect()
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
