//! Who changed what, when: Azure Monitor's Activity Log of a registry and its key's vault.
//!
//! ARM writes two events per write it handles (`Started`, then `Succeeded` or `Failed`; a
//! long-running one `Accepted` in between), each with the operation (`Microsoft.KeyVault/vaults/accessPolicies/write`),
//! the caller (a user's UPN, or a service principal's object id), the time and the correlation id.
//! The console reads them with `GET /subscriptions/{s}/providers/Microsoft.Insights/eventtypes/management/values`
//! (api-version 2015-04-01) and a `$filter` of the restricted form Azure accepts: a time range on
//! `eventTimestamp` and one `resourceUri` (so one request per resource, each in that resource's
//! subscription). Here: the typed model (unknown fields tolerated), the request, a timeline with one
//! row per operation, and [`likely_cause`]: which change most likely broke a failing diagnosis check.

use serde::{Deserialize, Serialize};

use crate::diagnosis::{Check, CheckKind, CheckState};
use crate::requests::ArmRequest;
use crate::text::Text;

/// The Activity Log's api-version (the only stable one of `eventtypes/management/values`).
pub const API_VERSION: &str = "2015-04-01";

/// How far back the registry page looks by default. Azure keeps the Activity Log for 90 days
/// ([`RETENTION_DAYS`]), but a helpdesk asks "what changed recently": a week covers a ticket opened
/// after a weekend and keeps the answer to a page or two, where 90 days of a busy vault would be
/// many `nextLink` pages on every visit.
pub const DEFAULT_DAYS: i64 = 7;

/// How long Azure keeps Activity Log events (a start time further back is refused).
pub const RETENTION_DAYS: i64 = 90;

const DAY_MS: i64 = 86_400_000;

/// Azure's `{"value": "…", "localizedValue": "…"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalizableString {
    #[serde(default)]
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localized_value: Option<String>,
}

impl LocalizableString {
    pub fn new(value: impl Into<String>) -> LocalizableString {
        let value = value.into();
        LocalizableString { localized_value: Some(value.clone()), value }
    }
}

/// The event's `authorization`: the action ARM checked and where.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventAuthorization {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// One Activity Log event (`EventData`), the fields the console reads; the rest is ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub event_data_id: String,
    #[serde(default)]
    pub correlation_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    #[serde(default)]
    pub operation_name: LocalizableString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<LocalizableString>,
    /// A user's UPN, or a service principal's object id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    #[serde(default)]
    pub event_timestamp: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission_timestamp: Option<String>,
    #[serde(default)]
    pub status: LocalizableString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_status: Option<LocalizableString>,
    #[serde(default)]
    pub resource_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_provider_name: Option<LocalizableString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<LocalizableString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<EventAuthorization>,
}

/// One page of the list: `{"value":[…],"nextLink":"…"}`.
pub type EventPage = crate::arm::Page<Event>;

/// An event's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Started,
    Accepted,
    Succeeded,
    Failed,
    Other,
}

impl Status {
    pub fn parse(value: &str) -> Status {
        match value.to_ascii_lowercase().as_str() {
            "started" => Status::Started,
            "accepted" => Status::Accepted,
            "succeeded" => Status::Succeeded,
            "failed" => Status::Failed,
            _ => Status::Other,
        }
    }

    /// Stable name (`data-status`).
    pub fn name(self) -> &'static str {
        match self {
            Status::Started => "started",
            Status::Accepted => "accepted",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Other => "other",
        }
    }

    pub fn label(self) -> Text {
        match self {
            Status::Started => words::STARTED,
            Status::Accepted => words::ACCEPTED,
            Status::Succeeded => words::SUCCEEDED,
            Status::Failed => words::FAILED,
            Status::Other => words::OTHER_STATUS,
        }
    }
}

/// What an operation did, as far as the console tells them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    AccessPolicyWrite,
    RoleAssignmentWrite,
    RoleAssignmentDelete,
    RegistryWrite,
    RegistryDelete,
    VaultWrite,
    VaultDelete,
    KeyWrite,
    KeyDelete,
    IdentityWrite,
    IdentityDelete,
    /// Anything else: shown by its operation name.
    Other,
}

impl Operation {
    /// From an operation name (`Microsoft.KeyVault/vaults/accessPolicies/write`), ignoring case.
    pub fn of(name: &str) -> Operation {
        match name.to_ascii_lowercase().as_str() {
            "microsoft.keyvault/vaults/accesspolicies/write" => Operation::AccessPolicyWrite,
            "microsoft.authorization/roleassignments/write" => Operation::RoleAssignmentWrite,
            "microsoft.authorization/roleassignments/delete" => Operation::RoleAssignmentDelete,
            "microsoft.containerregistry/registries/write" => Operation::RegistryWrite,
            "microsoft.containerregistry/registries/delete" => Operation::RegistryDelete,
            "microsoft.keyvault/vaults/write" => Operation::VaultWrite,
            "microsoft.keyvault/vaults/delete" => Operation::VaultDelete,
            "microsoft.keyvault/vaults/keys/write" | "microsoft.keyvault/vaults/keys/versions/write" => Operation::KeyWrite,
            "microsoft.keyvault/vaults/keys/delete" => Operation::KeyDelete,
            "microsoft.managedidentity/userassignedidentities/write" => Operation::IdentityWrite,
            "microsoft.managedidentity/userassignedidentities/delete" => Operation::IdentityDelete,
            _ => Operation::Other,
        }
    }

    /// The operation in words; `None` for [`Operation::Other`] (show the operation name).
    pub fn label(self) -> Option<Text> {
        Some(match self {
            Operation::AccessPolicyWrite => words::OP_ACCESS_POLICY_WRITE,
            Operation::RoleAssignmentWrite => words::OP_ROLE_ASSIGNMENT_WRITE,
            Operation::RoleAssignmentDelete => words::OP_ROLE_ASSIGNMENT_DELETE,
            Operation::RegistryWrite => words::OP_REGISTRY_WRITE,
            Operation::RegistryDelete => words::OP_REGISTRY_DELETE,
            Operation::VaultWrite => words::OP_VAULT_WRITE,
            Operation::VaultDelete => words::OP_VAULT_DELETE,
            Operation::KeyWrite => words::OP_KEY_WRITE,
            Operation::KeyDelete => words::OP_KEY_DELETE,
            Operation::IdentityWrite => words::OP_IDENTITY_WRITE,
            Operation::IdentityDelete => words::OP_IDENTITY_DELETE,
            Operation::Other => return None,
        })
    }
}

impl Event {
    pub fn status(&self) -> Status {
        Status::parse(&self.status.value)
    }

    pub fn operation(&self) -> Operation {
        Operation::of(&self.operation_name.value)
    }

    /// The operation in `lang`, or its name as Azure gave it.
    pub fn operation_words(&self, lang: crate::text::Lang) -> String {
        match self.operation().label() {
            Some(t) => t.get(lang).to_string(),
            None => {
                self.operation_name.localized_value.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| self.operation_name.value.clone())
            }
        }
    }

    /// `eventTimestamp` in Unix milliseconds.
    pub fn timestamp_ms(&self) -> Option<i64> {
        parse_timestamp(&self.event_timestamp)
    }

    /// The element id of this event's row in the timeline (`#activity-…` links to it).
    pub fn anchor(&self) -> String {
        let id: String = self.event_data_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        format!("activity-{id}")
    }

    /// Whether the event is about `resource` or something under it (an access policy, a key, a role
    /// assignment at its scope).
    pub fn concerns(&self, resource: &str) -> bool {
        let r = resource.trim_end_matches('/').to_ascii_lowercase();
        let id = self.resource_id.trim_end_matches('/').to_ascii_lowercase();
        !r.is_empty() && (id == r || id.starts_with(&format!("{r}/")))
    }
}

/// The list request for `resource_id` over `[now - days, now]` (days at most [`RETENTION_DAYS`]).
/// `None` when the id is not a resource id under a subscription, or holds a character that could
/// end the filter's quoted string.
pub fn list_request(resource_id: &str, now_ms: i64, days: i64) -> Option<ArmRequest> {
    let resource_id = resource_id.trim_end_matches('/');
    let subscription = crate::arm::ResourceId::parse(resource_id)?.subscription_id;
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./()".contains(c);
    if !resource_id.chars().all(safe) {
        return None;
    }
    let days = days.clamp(1, RETENTION_DAYS);
    let filter = format!(
        "eventTimestamp ge '{}' and eventTimestamp le '{}' and resourceUri eq '{resource_id}'",
        format_timestamp(now_ms - days * DAY_MS),
        // The filter's times are whole seconds: the end is the second after `now_ms`'s, so an event of
        // this very second is inside the range even when `now_ms` is a whole second (the console's clock).
        format_timestamp(now_ms + 1000)
    );
    Some(ArmRequest::new(
        crate::requests::Method::Get,
        format!(
            "/subscriptions/{subscription}/providers/Microsoft.Insights/eventtypes/management/values?api-version={API_VERSION}&$filter={}",
            filter.replace(' ', "%20")
        ),
        None,
    ))
}

/// The timeline: one row per operation (the events sharing a correlation id and an operation name on
/// one resource), showing its latest event, newest first. Events of both lists may be passed at once;
/// duplicates (the same `eventDataId`) count once.
pub fn timeline(events: &[Event]) -> Vec<&Event> {
    let mut rows: Vec<&Event> = Vec::new();
    for e in events {
        let same_op = |r: &&Event| {
            r.correlation_id.eq_ignore_ascii_case(&e.correlation_id)
                && r.operation_name.value.eq_ignore_ascii_case(&e.operation_name.value)
                && r.resource_id.eq_ignore_ascii_case(&e.resource_id)
        };
        match rows.iter().position(same_op) {
            Some(i) if later(e, rows[i]) => rows[i] = e,
            Some(_) => {}
            None => rows.push(e),
        }
    }
    rows.sort_by_key(|e| std::cmp::Reverse(e.timestamp_ms().unwrap_or(i64::MIN)));
    rows
}

/// Whether `a` supersedes `b` in one operation's row: later in time, or at the same time further along
/// (a final status over `Started`).
fn later(a: &Event, b: &Event) -> bool {
    let rank = |e: &Event| match e.status() {
        Status::Started => 0,
        Status::Accepted => 1,
        _ => 2,
    };
    (a.timestamp_ms(), rank(a)) > (b.timestamp_ms(), rank(b))
}

/// For a failing check, the most recent succeeded event whose operation could have caused it:
/// access → an access-policy write or a role assignment deleted at the vault (or its key);
/// identity → a write of the registry (e.g. an identity removed); firewall → a write of the vault
/// (its `networkAcls`); key → a key written or deleted, or the vault deleted. `None` when the check
/// does not fail or no such event is in the list. Events of the registry and of the vault may be
/// passed together: each kind is matched on the resource type its operation names.
pub fn likely_cause<'a>(check: &Check, events: &'a [Event]) -> Option<&'a Event> {
    if check.state != CheckState::Fail {
        return None;
    }
    let on_vault = |e: &Event| e.resource_id.to_ascii_lowercase().contains("/providers/microsoft.keyvault/vaults/");
    let causes = |e: &Event| match (check.kind, e.operation()) {
        (CheckKind::Access, Operation::AccessPolicyWrite) => true,
        (CheckKind::Access, Operation::RoleAssignmentDelete) => on_vault(e),
        (CheckKind::Identity, Operation::RegistryWrite) => true,
        (CheckKind::Firewall, Operation::VaultWrite) => true,
        (CheckKind::Key, Operation::KeyWrite | Operation::KeyDelete | Operation::VaultDelete) => true,
        _ => false,
    };
    events.iter().filter(|e| e.status() == Status::Succeeded && causes(e)).max_by_key(|e| e.timestamp_ms().unwrap_or(i64::MIN))
}

/// `2026-12-01T10:32:00.123Z` (any number of fractional digits, `Z` or `±hh:mm`) → Unix milliseconds.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = s.split_once(['T', 't', ' '])?;
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    if d.next().is_some() || !(0..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    // The zone: `Z`, `+hh:mm`, `-hh:mm`, or none (UTC).
    let (clock, offset_min) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let (c, z) = time.split_at(i);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let (h, mm) = z[1..].split_once(':').unwrap_or((&z[1..], "0"));
        (c, sign * (h.parse::<i64>().ok()?.clamp(0, 99) * 60 + mm.parse::<i64>().ok()?.clamp(0, 99)))
    } else {
        (time, 0)
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let mut t = hms.split(':');
    let (h, mi): (i64, i64) = (t.next()?.parse().ok()?, t.next()?.parse().ok()?);
    let sec: i64 = t.next().map(|x| x.parse().ok()).unwrap_or(Some(0))?;
    if t.next().is_some()
        || !(0..=23).contains(&h)
        || !(0..=59).contains(&mi)
        || !(0..=60).contains(&sec)
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let ms: i64 = format!("{frac:0<3}")[..3].parse().ok()?;
    let secs = days_from_civil(y, m, day) * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    Some(secs * 1000 + ms)
}

/// Unix milliseconds → `2026-12-01T10:32:00Z` (what the console puts in a filter).
pub fn format_timestamp(ms: i64) -> String {
    crate::encryption::format_unix_utc(ms.div_euclid(1000)).replace(' ', "T") + "Z"
}

/// Howard Hinnant's civil-to-days algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The Activity Log's words.
pub mod words {
    crate::catalogue! {
        STARTED: "Started" => "시작됨";
        ACCEPTED: "Accepted" => "수락됨";
        SUCCEEDED: "Succeeded" => "성공";
        FAILED: "Failed" => "실패";
        OTHER_STATUS: "Other" => "기타";
        OP_ACCESS_POLICY_WRITE: "Access policy changed" => "액세스 정책 변경";
        OP_ROLE_ASSIGNMENT_WRITE: "Role assigned" => "역할 할당";
        OP_ROLE_ASSIGNMENT_DELETE: "Role assignment removed" => "역할 할당 제거";
        OP_REGISTRY_WRITE: "Registry updated" => "레지스트리 업데이트";
        OP_REGISTRY_DELETE: "Registry deleted" => "레지스트리 삭제";
        OP_VAULT_WRITE: "Key vault updated" => "키 자격 증명 모음 업데이트";
        OP_VAULT_DELETE: "Key vault deleted" => "키 자격 증명 모음 삭제";
        OP_KEY_WRITE: "Key created or updated" => "키 만들기 또는 업데이트";
        OP_KEY_DELETE: "Key deleted" => "키 삭제";
        OP_IDENTITY_WRITE: "Managed identity updated" => "관리 ID 업데이트";
        OP_IDENTITY_DELETE: "Managed identity deleted" => "관리 ID 삭제";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Lang, Sentence};

    const KV: &str =
        "/subscriptions/6d6f636b-0000-4000-8000-000000000001/resourceGroups/rg-acr-demo/providers/Microsoft.KeyVault/vaults/kv-acr-demo";
    const REG: &str =
        "/subscriptions/6d6f636b-0000-4000-8000-000000000001/resourceGroups/rg-acr-demo/providers/Microsoft.ContainerRegistry/registries/contosoprod";

    /// An event as the list API answers it (the shape of the monitor spec's `GetActivityLogsFiltered` example).
    fn event(op: &str, status: &str, resource: &str, at: &str, corr: &str, id: &str) -> serde_json::Value {
        serde_json::json!({
            "authorization": {"action": op, "scope": resource},
            "caller": "admin@contoso-demo.example",
            "channels": "Operation",
            "claims": {"aud": "https://management.azure.com/", "name": "Demo Administrator"},
            "correlationId": corr,
            "description": "",
            "eventDataId": id,
            "eventName": {"value": if status == "Started" { "BeginRequest" } else { "EndRequest" }, "localizedValue": "End request"},
            "category": {"value": "Administrative", "localizedValue": "Administrative"},
            "httpRequest": {"clientRequestId": "27003b25-91d3-418f-8eb1-29e537dcb249", "clientIpAddress": "127.0.0.1", "method": "PUT"},
            "id": format!("{resource}/events/{id}/ticks/638684371200000000"),
            "level": "Informational",
            "resourceGroupName": "rg-acr-demo",
            "resourceProviderName": {"value": op.split('/').next().unwrap(), "localizedValue": op.split('/').next().unwrap()},
            "resourceId": resource,
            "resourceType": {"value": "Microsoft.KeyVault/vaults", "localizedValue": "Microsoft.KeyVault/vaults"},
            "operationId": corr,
            "operationName": {"value": op, "localizedValue": op},
            "properties": {"statusCode": "OK"},
            "status": {"value": status, "localizedValue": status},
            "subStatus": {"value": "", "localizedValue": ""},
            "eventTimestamp": at,
            "submissionTimestamp": at,
            "subscriptionId": "6d6f636b-0000-4000-8000-000000000001",
            "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47"
        })
    }

    fn page(events: Vec<serde_json::Value>) -> Vec<Event> {
        let body = serde_json::json!({"value": events, "nextLink": null});
        serde_json::from_value::<EventPage>(body).expect("an Activity Log page").value
    }

    fn failing(kind: CheckKind) -> Check {
        Check { kind, state: CheckState::Fail, evidence: Sentence::verbatim("x"), fix: None }
    }

    fn world() -> Vec<Event> {
        let policy = format!("{KV}/accessPolicies/remove");
        let ra = format!("{KV}/providers/Microsoft.Authorization/roleAssignments/0b5b2a8e-0000-4000-8000-000000000001");
        page(vec![
            event("Microsoft.KeyVault/vaults/accessPolicies/write", "Started", &policy, "2026-12-01T09:00:00.1000000Z", "c1", "e1"),
            event("Microsoft.KeyVault/vaults/accessPolicies/write", "Succeeded", &policy, "2026-12-01T09:00:00.2000000Z", "c1", "e2"),
            event("Microsoft.KeyVault/vaults/accessPolicies/write", "Started", &policy, "2026-12-01T10:32:00.1000000Z", "c2", "e3"),
            event("Microsoft.KeyVault/vaults/accessPolicies/write", "Succeeded", &policy, "2026-12-01T10:32:00.3000000Z", "c2", "e4"),
            event("Microsoft.KeyVault/vaults/accessPolicies/write", "Failed", &policy, "2026-12-01T11:00:00Z", "c3", "e5"),
            event("Microsoft.Authorization/roleAssignments/delete", "Succeeded", &ra, "2026-12-01T08:00:00Z", "c4", "e6"),
            event("Microsoft.ContainerRegistry/registries/write", "Started", REG, "2026-12-01T07:00:00Z", "c5", "e7"),
            event("Microsoft.ContainerRegistry/registries/write", "Accepted", REG, "2026-12-01T07:00:00.5Z", "c5", "e8"),
            event("Microsoft.ContainerRegistry/registries/write", "Succeeded", REG, "2026-12-01T07:00:03Z", "c5", "e9"),
            event("Microsoft.KeyVault/vaults/write", "Succeeded", KV, "2026-12-01T06:00:00Z", "c6", "e10"),
        ])
    }

    #[test]
    fn reads_azures_shape_and_tolerates_unknown_fields() {
        let events = world();
        assert_eq!(events.len(), 10);
        let e = &events[3];
        assert_eq!(e.operation(), Operation::AccessPolicyWrite);
        assert_eq!(e.status(), Status::Succeeded);
        assert_eq!(e.caller.as_deref(), Some("admin@contoso-demo.example"));
        assert_eq!(e.category.as_ref().unwrap().value, "Administrative");
        assert_eq!(e.timestamp_ms(), parse_timestamp("2026-12-01T10:32:00.300Z"));
        assert_eq!(e.anchor(), "activity-e4");
        assert_eq!(e.operation_words(Lang::En), "Access policy changed");
        assert_eq!(e.operation_words(Lang::Ko), "액세스 정책 변경");
        assert!(e.concerns(KV) && !e.concerns(REG));
        // A field missing is no failure; an unknown operation keeps its name.
        let bare: Event = serde_json::from_value(serde_json::json!({"operationName": {"value": "Microsoft.Foo/bars/write"}})).unwrap();
        assert_eq!(bare.operation_words(Lang::En), "Microsoft.Foo/bars/write");
        assert_eq!(bare.status(), Status::Other);
    }

    #[test]
    fn the_request_is_azures_restricted_filter_over_the_last_week() {
        let now = parse_timestamp("2026-12-01T11:59:59.400Z").unwrap();
        let r = list_request(KV, now, DEFAULT_DAYS).unwrap();
        assert_eq!(
            r.path,
            format!(
                "/subscriptions/6d6f636b-0000-4000-8000-000000000001/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=eventTimestamp%20ge%20'2026-11-24T11:59:59Z'%20and%20eventTimestamp%20le%20'2026-12-01T12:00:00Z'%20and%20resourceUri%20eq%20'{KV}'"
            )
        );
        // A whole-second now (the console's clock) still takes in the events of its second.
        let whole = parse_timestamp("2026-12-01T11:59:59Z").unwrap();
        assert!(list_request(KV, whole, DEFAULT_DAYS).unwrap().path.contains("le%20'2026-12-01T12:00:00Z'"));
        // Never further back than Azure keeps.
        assert!(list_request(KV, now, 400).unwrap().path.contains("ge%20'2026-09-02T11:59:59Z'"));
        assert!(list_request("/subscriptions/s/resourceGroups/g/providers/P/t/n'x", now, 7).is_none());
        assert!(list_request("not an id", now, 7).is_none());
    }

    #[test]
    fn the_timeline_has_one_row_per_operation_with_its_final_status_newest_first() {
        let events = world();
        let rows = timeline(&events);
        let ids: Vec<&str> = rows.iter().map(|e| e.event_data_id.as_str()).collect();
        assert_eq!(ids, ["e5", "e4", "e2", "e6", "e9", "e10"]);
        // The same events passed twice (both lists) still make one row each.
        let twice: Vec<Event> = events.iter().chain(events.iter()).cloned().collect();
        assert_eq!(timeline(&twice).len(), 6);
    }

    #[test]
    fn a_failing_access_check_is_blamed_on_the_latest_succeeded_policy_change() {
        let events = world();
        assert_eq!(likely_cause(&failing(CheckKind::Access), &events).map(|e| e.event_data_id.as_str()), Some("e4"));
        // Not a failed write, not a passing check.
        let passing = Check { state: CheckState::Pass, ..failing(CheckKind::Access) };
        assert!(likely_cause(&passing, &events).is_none());
        // Without policy changes, a role assignment removed at the vault.
        let rbac: Vec<Event> = events.iter().filter(|e| e.operation() != Operation::AccessPolicyWrite).cloned().collect();
        assert_eq!(likely_cause(&failing(CheckKind::Access), &rbac).map(|e| e.event_data_id.as_str()), Some("e6"));
    }

    #[test]
    fn other_checks_look_at_the_resource_they_depend_on() {
        let events = world();
        assert_eq!(likely_cause(&failing(CheckKind::Identity), &events).map(|e| e.event_data_id.as_str()), Some("e9"));
        assert_eq!(likely_cause(&failing(CheckKind::Firewall), &events).map(|e| e.event_data_id.as_str()), Some("e10"));
        assert!(likely_cause(&failing(CheckKind::Key), &events).is_none());
        assert!(likely_cause(&failing(CheckKind::Recovery), &events).is_none());
        let key = page(vec![event(
            "Microsoft.KeyVault/vaults/keys/write",
            "Succeeded",
            &format!("{KV}/keys/acr-cmk-key"),
            "2026-12-01T05:00:00Z",
            "c7",
            "k1",
        )]);
        assert_eq!(likely_cause(&failing(CheckKind::Key), &key).map(|e| e.event_data_id.as_str()), Some("k1"));
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_timestamp("2023-11-14T22:13:20.1230000Z"), Some(1_700_000_000_123));
        assert_eq!(parse_timestamp("2023-11-14T23:13:20.123+01:00"), Some(1_700_000_000_123));
        assert_eq!(parse_timestamp("2023-11-14T22:13:20"), Some(1_700_000_000_000));
        assert_eq!(parse_timestamp("2023-13-14T22:13:20Z"), None);
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(format_timestamp(1_700_000_000_123), "2023-11-14T22:13:20Z");
    }
}
