//! Azure Monitor's Activity Log of ARM writes: the request pipeline (`router`) records every
//! write it handles (PUT, PATCH, DELETE and POST actions under `/subscriptions/…` with an ARM
//! token; not reads, not `checkNameAvailability`, not the Key Vault data plane, whose operations
//! Azure logs in the vault's own diagnostic logs) as ARM does: a `Started` event when the request
//! arrives and a `Succeeded` or `Failed` one when it is answered (a long-running write `Accepted`
//! there, and `Succeeded`/`Failed` when its operation settles, `tick`). They are served by
//! `GET /subscriptions/{s}/providers/Microsoft.Insights/eventtypes/management/values` with the
//! `$filter` subset below; events are kept 90 days, as Azure keeps them, at most [`MAX_EVENTS`].

use acr_cmk_domain::activity_log::{parse_timestamp, RETENTION_DAYS};
use acr_cmk_domain::permissions::{self, RequiredAction};
use acr_cmk_domain::requests::Method as DomainMethod;
use acr_cmk_domain::url_component;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::api_versions::Provider;
use crate::auth::Claims;
use crate::clock;
use crate::errors::{ArmError, ArmResult};
use crate::http::{json as json_response, Req, Route};
use crate::state::AppState;
use crate::world::{Begun, World};

/// The most events kept (the oldest go first), so a long soak cannot grow the state without bound.
pub const MAX_EVENTS: usize = 20_000;
const DAY_MS: i64 = 86_400_000;

pub fn routes() -> Vec<Route> {
    vec![Route::arm(
        Method::GET,
        "/subscriptions/{subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values",
        Provider::Insights,
        list,
    )]
}

/// The write `method path` by `claims` is logged: its `Started` event is recorded now. `None` for
/// reads and routes outside a subscription.
pub fn begin(
    world: &mut World,
    method: &Method,
    path: &str,
    claims: &Claims,
    correlation_id: &str,
    client_request_id: Option<&str>,
) -> Option<Begun> {
    let m = match *method {
        Method::PUT => DomainMethod::Put,
        Method::PATCH => DomainMethod::Patch,
        Method::DELETE => DomainMethod::Delete,
        Method::POST => DomainMethod::Post,
        _ => return None,
    };
    let RequiredAction { action, scope } = permissions::required_action(m, path)?;
    if action.ends_with("/read") {
        return None;
    }
    let begun = Begun {
        action,
        scope,
        resource_id: path.trim_end_matches('/').to_string(),
        // A user's UPN; a service principal's object id (Azure's `caller` for an application).
        caller: claims.upn.clone().unwrap_or_else(|| claims.oid.clone()),
        correlation_id: correlation_id.to_string(),
        operation_id: uuid::Uuid::new_v4().to_string(),
        method: method.as_str().to_string(),
        client_request_id: client_request_id.map(str::to_string),
    };
    let tenant = world.tenant_id.clone();
    record(world, &begun, "Started", None, &tenant);
    Some(begun)
}

/// The answer to a logged write: `Succeeded` (2xx), `Accepted` (a long-running write's `201`/`202`,
/// finished by [`settle`]) or `Failed`.
pub fn finish(world: &mut World, begun: &Begun, status: StatusCode, long_running: bool) {
    let value = match (status.is_success(), long_running) {
        (true, true) => "Accepted",
        (true, false) => "Succeeded",
        (false, _) => "Failed",
    };
    let tenant = world.tenant_id.clone();
    record(world, begun, value, Some(status), &tenant);
}

/// A long-running write's operation settled.
pub fn settle(world: &mut World, begun: &Begun, succeeded: bool) {
    let (value, status) = if succeeded { ("Succeeded", StatusCode::OK) } else { ("Failed", StatusCode::INTERNAL_SERVER_ERROR) };
    let tenant = world.tenant_id.clone();
    record(world, begun, value, Some(status), &tenant);
}

fn record(world: &mut World, b: &Begun, status: &str, http: Option<StatusCode>, tenant: &str) {
    let now = clock::now_millis();
    let at = clock::rfc3339_millis(now);
    let id = uuid::Uuid::new_v4().to_string();
    let segs: Vec<&str> = b.resource_id.trim_start_matches('/').split('/').collect();
    let subscription = segs.get(1).copied().unwrap_or("");
    let group = (segs.get(2).is_some_and(|s| s.eq_ignore_ascii_case("resourcegroups"))).then(|| segs.get(3).copied().unwrap_or(""));
    let namespace = b.action.split('/').next().unwrap_or("");
    let resource_type = b.action.rsplit_once('/').map(|(t, _)| t).unwrap_or(&b.action);
    let mut event = json!({
        "authorization": {"action": b.action, "scope": b.scope},
        "caller": b.caller,
        "channels": "Operation",
        "correlationId": b.correlation_id,
        "description": "",
        "eventDataId": id,
        "eventName": if status == "Started" {
            json!({"value": "BeginRequest", "localizedValue": "Begin request"})
        } else {
            json!({"value": "EndRequest", "localizedValue": "End request"})
        },
        "category": {"value": "Administrative", "localizedValue": "Administrative"},
        "httpRequest": {"clientRequestId": b.client_request_id.clone().unwrap_or_default(), "clientIpAddress": "127.0.0.1", "method": b.method},
        "id": format!("{}/events/{id}/ticks/{}", b.resource_id, now * 10_000 + 621_355_968_000_000_000),
        "level": if status == "Failed" { "Error" } else { "Informational" },
        "resourceGroupName": group,
        "resourceProviderName": {"value": namespace, "localizedValue": namespace},
        "resourceId": b.resource_id,
        "resourceType": {"value": resource_type, "localizedValue": resource_type},
        "operationId": b.operation_id,
        "operationName": {"value": b.action, "localizedValue": b.action},
        "properties": {},
        "status": {"value": status, "localizedValue": status},
        "subStatus": {"value": "", "localizedValue": ""},
        "eventTimestamp": at,
        "submissionTimestamp": at,
        "subscriptionId": subscription,
        "tenantId": tenant,
    });
    if group.is_none() {
        event.as_object_mut().map(|o| o.remove("resourceGroupName"));
    }
    if let Some(code) = http {
        let reason = code.canonical_reason().unwrap_or("").replace(' ', "");
        event["properties"] = json!({"statusCode": reason});
        event["subStatus"] = json!({"value": reason, "localizedValue": format!("{} (HTTP Status Code: {})", code.canonical_reason().unwrap_or(""), code.as_u16())});
    }
    let oldest_kept = now - RETENTION_DAYS * DAY_MS;
    world.activity_log.retain(|e| e["eventTimestamp"].as_str().and_then(parse_timestamp).is_some_and(|t| t >= oldest_kept));
    world.activity_log.push(event);
    if world.activity_log.len() > MAX_EVENTS {
        let extra = world.activity_log.len() - MAX_EVENTS;
        world.activity_log.drain(..extra);
    }
}

/// One condition of the `$filter`.
#[derive(Debug, PartialEq)]
enum Cond {
    From(i64),
    To(i64),
    ResourceUri(String),
    ResourceGroup(String),
    Correlation(String),
    Provider(String),
    Levels(Vec<String>),
    /// `eventChannels eq '…'`: every event here is an `Operation` event.
    Channels,
}

/// Azure's words for a `$filter` it cannot use (as reported for the list API by its users).
fn invalid_filter() -> ArmError {
    ArmError::bad_request("BadRequest", "$filter searching parameters invalid.")
}

/// `field op 'value'` joined by `and`; `''` is a quote inside a value.
fn parse_filter(filter: &str) -> Result<Vec<Cond>, ArmError> {
    let mut conds = Vec::new();
    let mut rest = filter.trim();
    loop {
        let (field, after) = rest.split_once(char::is_whitespace).ok_or_else(invalid_filter)?;
        let after = after.trim_start();
        let (op, after) = after.split_once(char::is_whitespace).ok_or_else(invalid_filter)?;
        let after = after.trim_start();
        let body = after.strip_prefix('\'').ok_or_else(invalid_filter)?;
        let mut value = String::new();
        let mut chars = body.char_indices().peekable();
        let end = loop {
            let (i, c) = chars.next().ok_or_else(invalid_filter)?;
            if c == '\'' {
                if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                    value.push('\'');
                    continue;
                }
                break i + 1;
            }
            value.push(c);
        };
        let time = |v: &str| parse_timestamp(v).ok_or_else(invalid_filter);
        let cond = match (field.to_ascii_lowercase().as_str(), op.to_ascii_lowercase().as_str()) {
            ("eventtimestamp", "ge") => Cond::From(time(&value)?),
            ("eventtimestamp", "le") => Cond::To(time(&value)?),
            ("resourceuri", "eq") => Cond::ResourceUri(value),
            ("resourcegroupname", "eq") => Cond::ResourceGroup(value),
            ("correlationid", "eq") => Cond::Correlation(value),
            ("resourceprovider", "eq") => Cond::Provider(value),
            ("levels", "eq") => Cond::Levels(value.split(',').map(|l| l.trim().to_string()).collect()),
            ("eventchannels", "eq") => Cond::Channels,
            _ => return Err(invalid_filter()),
        };
        conds.push(cond);
        rest = body[end..].trim_start();
        if rest.is_empty() {
            return Ok(conds);
        }
        let (and, next) = rest.split_once(char::is_whitespace).ok_or_else(invalid_filter)?;
        if !and.eq_ignore_ascii_case("and") {
            return Err(invalid_filter());
        }
        rest = next.trim_start();
    }
}

fn str_of<'a>(e: &'a Value, field: &str) -> &'a str {
    match &e[field] {
        Value::String(s) => s,
        v => v["value"].as_str().unwrap_or(""),
    }
}

fn matches(e: &Value, cond: &Cond) -> bool {
    let t = || e["eventTimestamp"].as_str().and_then(parse_timestamp).unwrap_or(i64::MIN);
    match cond {
        Cond::From(from) => t() >= *from,
        Cond::To(to) => t() <= *to,
        // The resource and what hangs off it (its access policies, keys, role assignments at its scope).
        Cond::ResourceUri(uri) => {
            let uri = uri.trim_end_matches('/').to_ascii_lowercase();
            let id = str_of(e, "resourceId").to_ascii_lowercase();
            id == uri || id.starts_with(&format!("{uri}/"))
        }
        Cond::ResourceGroup(g) => str_of(e, "resourceGroupName").eq_ignore_ascii_case(g),
        Cond::Correlation(c) => str_of(e, "correlationId").eq_ignore_ascii_case(c),
        Cond::Provider(p) => str_of(e, "resourceProviderName").eq_ignore_ascii_case(p),
        Cond::Levels(levels) => levels.iter().any(|l| l.eq_ignore_ascii_case(str_of(e, "level"))),
        Cond::Channels => true,
    }
}

/// `GET …/eventtypes/management/values?api-version=2015-04-01&$filter=…[&$select=…]`: newest first,
/// in pages with a `nextLink` that keeps the filter.
fn list(state: &AppState, req: &Req) -> ArmResult<Response> {
    let sub = req.param("subscriptionId").to_string();
    let filter = req.query("$filter").unwrap_or("").to_string();
    let conds = if filter.trim().is_empty() { Err(invalid_filter()) } else { parse_filter(&filter) }?;
    let now = clock::now_millis();
    // Azure wants a start time, no further back than it keeps events; the end defaults to now.
    let from = conds.iter().find_map(|c| if let Cond::From(t) = c { Some(*t) } else { None }).ok_or_else(invalid_filter)?;
    let to = conds.iter().find_map(|c| if let Cond::To(t) = c { Some(*t) } else { None }).unwrap_or(now);
    if from > to || from < now - RETENTION_DAYS * DAY_MS - DAY_MS {
        return Err(invalid_filter());
    }
    let select: Option<Vec<String>> =
        req.query("$select").map(|s| s.split(',').map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect());
    let world = state.world();
    let mut items: Vec<Value> = world
        .activity_log
        .iter()
        .filter(|e| str_of(e, "subscriptionId").eq_ignore_ascii_case(&sub))
        .filter(|e| conds.iter().all(|c| matches(e, c)))
        .cloned()
        .collect();
    drop(world);
    items.reverse();
    if let Some(fields) = &select {
        for item in &mut items {
            if let Some(obj) = item.as_object_mut() {
                obj.retain(|k, _| fields.iter().any(|f| f.eq_ignore_ascii_case(k)));
            }
        }
    }
    let size = state.page_size().max(1);
    let start: usize = req.query("$skipToken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let end = start.saturating_add(size).min(items.len());
    let value: Vec<Value> = items.get(start..end).map(<[Value]>::to_vec).unwrap_or_default();
    let mut body = json!({ "value": value });
    if end < items.len() {
        let mut next = format!("api-version={}&$filter={}", url_component::encode(req.api_version()), url_component::encode(&filter));
        if let Some(s) = req.query("$select") {
            next.push_str(&format!("&$select={}", url_component::encode(s)));
        }
        body["nextLink"] = Value::String(format!("{}{}?{next}&$skipToken={end}", req.base, req.path));
    }
    Ok(json_response(StatusCode::OK, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_grammar() {
        let f =
            "eventTimestamp ge '2026-12-01T00:00:00Z' and eventTimestamp le '2026-12-02T00:00:00Z' and resourceUri eq '/subscriptions/s/x'";
        let conds = parse_filter(f).unwrap();
        assert_eq!(conds.len(), 3);
        assert_eq!(conds[2], Cond::ResourceUri("/subscriptions/s/x".into()));
        assert_eq!(parse_filter("correlationId eq 'a''b'").unwrap(), vec![Cond::Correlation("a'b".into())]);
        assert!(parse_filter("eventTimestamp ge '2026-12-01T00:00:00Z' or resourceUri eq 'x'").is_err());
        assert!(parse_filter("caller eq 'x'").is_err());
        assert!(parse_filter("eventTimestamp ge 'soon'").is_err());
        assert!(parse_filter("resourceUri eq 'x").is_err());
    }
}
