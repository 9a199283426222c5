//! The request as handlers see it (body read, template parameters bound), and
//! the percent and form decoding it is built with.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method};
use serde::de::DeserializeOwned;

use crate::errors::{ArmError, ArmResult};

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
    /// The caller's object id (`oid`), from its verified token.
    pub caller: Option<String>,
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
