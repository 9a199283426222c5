//! The fault menu: make a route misbehave on purpose, the way Azure sometimes
//! does, so clients' retry, error and timeout paths can be demonstrated and tested.
//!
//! `POST /_emulator/faults` with
//! `{"method":"GET","route":"…template…"|"pathContains":"…","kind":"status"|"delay"|"malformed"|"lroFailed"|"expiredToken"|"foreignLink",
//!   "status":429,"retryAfter":1,"code":"…","message":"…","delayMs":500,"url":"…","link":"nextLink"|"operation"|"id","times":1}`;
//! `GET /_emulator/faults` lists them, `DELETE /_emulator/faults` clears them.

use std::time::Duration;

use axum::http::{HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::errors::ArmError;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// HTTP method to match (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// Route template to match exactly, as `/_emulator/stats` names them (without the method).
    #[serde(default)]
    pub route: Option<String>,
    /// Case-insensitive substring of the request path to match.
    #[serde(default)]
    pub path_contains: Option<String>,
    pub kind: FaultKind,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// `foreignLink`: the origin (or whole URL) written into the answer.
    #[serde(default)]
    pub url: Option<String>,
    /// `foreignLink`: which link of the answer it rewrites.
    #[serde(default)]
    pub link: Option<LinkKind>,
    /// How many matching requests it applies to; absent = until cleared.
    #[serde(default)]
    pub times: Option<u32>,
    /// How many times it has fired.
    #[serde(default)]
    pub fired: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultKind {
    /// Answer with `status` (default 503) and an ARM error body; `retryAfter` adds `Retry-After`.
    Status,
    /// Wait `delayMs` before handling the request normally.
    Delay,
    /// Answer 200 with a truncated JSON body.
    Malformed,
    /// The long-running operation this request starts ends `Failed`.
    LroFailed,
    /// Answer 401 `ExpiredAuthenticationToken` as if the caller's token had expired.
    ExpiredToken,
    /// Answer as usual, then point one link of the answer at `url` (another origin, as a
    /// compromised or confused service might): a list's `nextLink`, a write's
    /// `Azure-AsyncOperation`, or the resource `id`s in the body (`url` + the id).
    ForeignLink,
}

/// The link a `foreignLink` fault rewrites.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LinkKind {
    NextLink,
    Operation,
    Id,
}

pub enum Action {
    Respond(Response),
    Delay(Duration),
    Malformed,
    LroFail,
    ForeignLink { url: String, link: LinkKind },
}

impl Fault {
    fn matches(&self, method: &Method, template: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method.as_str()))
            && self.route.as_deref().is_none_or(|r| r.eq_ignore_ascii_case(template))
            && self.path_contains.as_deref().is_none_or(|p| path.to_ascii_lowercase().contains(&p.to_ascii_lowercase()))
    }

    pub fn validate(&self) -> Result<(), ArmError> {
        if let Some(s) = self.status {
            if !(400..=599).contains(&s) {
                return Err(ArmError::bad_request("InvalidFault", "status must be between 400 and 599."));
            }
        }
        if self.kind == FaultKind::Delay && self.delay_ms.is_none() {
            return Err(ArmError::bad_request("InvalidFault", "a delay fault needs delayMs."));
        }
        if self.kind == FaultKind::ForeignLink && (self.url.is_none() || self.link.is_none()) {
            return Err(ArmError::bad_request("InvalidFault", "a foreignLink fault needs url and link (nextLink, operation or id)."));
        }
        if self.delay_ms.is_some_and(|d| d > 120_000) {
            return Err(ArmError::bad_request("InvalidFault", "delayMs is at most 120000."));
        }
        Ok(())
    }
}

/// The first live fault in `faults` matching this request, consumed once.
pub fn take(faults: &mut Vec<Fault>, method: &Method, template: &str, path: &str) -> Option<Action> {
    let idx = faults.iter().position(|f| f.matches(method, template, path) && f.times.is_none_or(|t| f.fired < t))?;
    let f = &mut faults[idx];
    f.fired += 1;
    let f = f.clone();
    if f.times.is_some_and(|t| f.fired >= t) {
        faults.remove(idx);
    }
    Some(match f.kind {
        FaultKind::Delay => Action::Delay(Duration::from_millis(f.delay_ms.unwrap_or(0))),
        FaultKind::Malformed => Action::Malformed,
        FaultKind::LroFailed => Action::LroFail,
        FaultKind::ForeignLink => {
            Action::ForeignLink { url: f.url.clone().unwrap_or_default(), link: f.link.unwrap_or(LinkKind::NextLink) }
        }
        FaultKind::ExpiredToken => Action::Respond(
            ArmError::new(
                StatusCode::UNAUTHORIZED,
                "ExpiredAuthenticationToken",
                "The access token expiry UTC time has passed (fault injected by the emulator).",
            )
            .into_response(),
        ),
        FaultKind::Status => {
            let status = StatusCode::from_u16(f.status.unwrap_or(503)).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let (code, message) = default_error(status);
            let mut err = ArmError::new(
                status,
                f.code.clone().unwrap_or_else(|| code.to_string()),
                f.message.clone().unwrap_or_else(|| message.to_string()),
            );
            if let Some(secs) = f.retry_after {
                err = err.with_header(HeaderName::from_static("retry-after"), secs.to_string());
            }
            Action::Respond(err.into_response())
        }
    })
}

/// The answer with one link pointed at `url` (see [`FaultKind::ForeignLink`]).
pub async fn point_link_at(resp: Response, url: &str, link: LinkKind) -> Response {
    let (mut parts, body) = resp.into_parts();
    if link == LinkKind::Operation {
        if let Ok(v) = axum::http::HeaderValue::from_str(url) {
            parts.headers.insert(HeaderName::from_static("azure-asyncoperation"), v);
        }
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    let origin = url.trim_end_matches('/');
    match link {
        LinkKind::NextLink => {
            if let Some(obj) = json.as_object_mut() {
                obj.insert("nextLink".into(), serde_json::Value::String(url.to_string()));
            }
        }
        LinkKind::Id => {
            let mut repoint = |v: &mut serde_json::Value| {
                if let Some(id) = v.get("id").and_then(|i| i.as_str()).map(str::to_string) {
                    v["id"] = serde_json::Value::String(format!("{origin}{id}"));
                }
            };
            match json.get_mut("value").and_then(|v| v.as_array_mut()) {
                Some(items) => items.iter_mut().for_each(&mut repoint),
                None => repoint(&mut json),
            }
        }
        LinkKind::Operation => {}
    }
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(json.to_string()))
}

fn default_error(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        429 => ("TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00. For more information, see - https://aka.ms/srpthrottlinglimits"),
        500 => ("InternalServerError", "Encountered internal server error. Diagnostic information: timestamp '', subscription id '', tracking id '', request correlation id ''."),
        502 => ("BadGateway", "The gateway did not receive a response from 'Microsoft.ContainerRegistry' within the specified time period."),
        503 => ("ServiceUnavailable", "The service is temporarily unavailable. Please try again later."),
        504 => ("GatewayTimeout", "The gateway did not receive a response from 'Microsoft.ContainerRegistry' within the specified time period."),
        _ => ("BadRequest", "Fault injected by the emulator."),
    }
}
