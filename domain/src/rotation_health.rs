//! Rotation health: is the registry on the key version it should be on, and
//! will it stay reachable? Compares the version in use with the newest enabled
//! one (with auto-rotation, a newer version not picked up an hour after it
//! appeared breaks the seed's promise), flags a version in use that was
//! disabled, gives the expiry date and days left, and says whether Key Vault
//! rotates the key by itself (a rotation policy with a `Rotate` action).
//!
//! Pure: built from the diagnosis [`Snapshot`] (key versions, the key with its
//! `rotationPolicy`, the clock).

use serde::Serialize;

use crate::diagnosis::{newest_usable, usable, version_name, CheckState, Fetched, Snapshot};
use crate::encryption::format_unix_utc;
use crate::key::{duration, ArmKey};
use crate::text::Sentence;

/// The seed: "the registry … updates the customer-managed key within one hour".
pub const AUTO_ROTATION_PROMISE_SECS: i64 = 3600;
/// An expiry closer than this warns.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RotationHealth {
    /// Versionless key id: ACR picks up new versions by itself.
    pub auto_rotation: bool,
    pub version_in_use: Option<String>,
    pub newest_enabled: Option<String>,
    /// Unix seconds of the in-use version's `exp`, when it has one.
    pub expires: Option<i64>,
    pub days_left: Option<i64>,
    pub findings: Vec<Finding>,
}

/// One line of the panel, with a state like a diagnosis check.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable name (`data-testid="rotation-<name>"`): `version`, `in-use-disabled`, `expiry`, `policy`.
    pub name: &'static str,
    #[serde(serialize_with = "state_name")]
    pub state: CheckState,
    pub text: Sentence,
}

fn state_name<S: serde::Serializer>(state: &CheckState, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(state.name())
}

impl Finding {
    fn new(name: &'static str, state: CheckState, text: impl Into<Sentence>) -> Finding {
        Finding { name, state, text: text.into() }
    }
}

impl RotationHealth {
    /// The worst state among the findings.
    pub fn worst(&self) -> CheckState {
        self.findings.iter().map(|f| f.state).max().unwrap_or(CheckState::Pass)
    }

    pub fn finding(&self, name: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.name == name)
    }
}

/// `None` without a customer-managed key or when the key's versions were not read.
pub fn rotation_health(snapshot: &Snapshot) -> Option<RotationHealth> {
    let target = snapshot.target.as_ref()?;
    let key = target.key.as_ref()?;
    let versions = snapshot.key_versions.found()?;
    let now = snapshot.now_unix;
    let auto = key.is_versionless();
    let in_use_name = target.version_in_use.clone();
    let in_use = in_use_name.as_deref().and_then(|n| versions.iter().find(|v| version_name(v).eq_ignore_ascii_case(n)));
    let newest = newest_usable(versions, now);
    let newest_name = newest.map(|v| version_name(v).to_string());
    let mut findings = Vec::new();

    findings.push(version_finding(auto, in_use_name.as_deref(), newest, now));
    if let (Some(name), Some(v)) = (in_use_name.as_deref(), in_use) {
        if !usable(v, now) {
            findings.push(Finding::new(
                "in-use-disabled",
                CheckState::Fail,
                Sentence::new(words::IN_USE_DISABLED).with("version", name).with(
                    "command",
                    format!(
                        "az keyvault key set-attributes --vault-name {} --name {} --version {name} --enabled true",
                        key.vault_name(),
                        key.name
                    ),
                ),
            ));
        }
    }

    let expires = in_use.or(newest).and_then(|v| v.properties.attributes.as_ref()?.exp);
    let days_left = expires.map(|exp| (exp - now).div_euclid(86_400));
    findings.push(match (expires, days_left) {
        (Some(exp), Some(_)) if exp <= now => {
            Finding::new("expiry", CheckState::Fail, Sentence::new(words::EXPIRED).with("at", format_unix_utc(exp)))
        }
        (Some(exp), Some(days)) if days < EXPIRY_WARNING_DAYS => Finding::new(
            "expiry",
            CheckState::Warn,
            Sentence::new(if days == 1 { words::EXPIRES_SOON_ONE } else { words::EXPIRES_SOON })
                .with("at", format_unix_utc(exp))
                .with("days", days.to_string()),
        ),
        (Some(exp), Some(days)) => {
            let text = Sentence::new(words::EXPIRES).with("at", format_unix_utc(exp)).with("days", days.to_string());
            Finding::new("expiry", CheckState::Pass, text)
        }
        _ => Finding::new("expiry", CheckState::Pass, words::NO_EXPIRY),
    });

    findings.push(policy_finding(&snapshot.key, auto));
    Some(RotationHealth { auto_rotation: auto, version_in_use: in_use_name, newest_enabled: newest_name, expires, days_left, findings })
}

fn created(v: &ArmKey) -> Option<i64> {
    v.properties.attributes.as_ref()?.created
}

fn version_finding(auto: bool, in_use: Option<&str>, newest: Option<&ArmKey>, now: i64) -> Finding {
    let Some(newest) = newest else {
        return Finding::new("version", CheckState::Fail, words::NO_ENABLED_VERSION);
    };
    let newest_name = version_name(newest);
    let Some(in_use) = in_use else {
        return Finding::new("version", CheckState::Unknown, words::IN_USE_UNREPORTED);
    };
    if in_use.eq_ignore_ascii_case(newest_name) {
        let how = if auto { words::HOW_AUTO } else { words::HOW_PINNED };
        return Finding::new(
            "version",
            CheckState::Pass,
            Sentence::new(words::NEWEST_IN_USE).with("version", in_use).with_words("how", how),
        );
    }
    if !auto {
        return Finding::new(
            "version",
            CheckState::Warn,
            Sentence::new(words::PINNED_BEHIND).with("version", in_use).with("newest", newest_name),
        );
    }
    match created(newest) {
        Some(at) if now - at >= AUTO_ROTATION_PROMISE_SECS => Finding::new(
            "version",
            CheckState::Warn,
            Sentence::new(words::AUTO_BEHIND)
                .with("newest", newest_name)
                .with_words("ago", ago(now - at))
                .with("at", format_unix_utc(at))
                .with("version", in_use),
        ),
        Some(at) => Finding::new(
            "version",
            CheckState::Pass,
            Sentence::new(words::AUTO_PENDING).with("newest", newest_name).with_words("ago", ago(now - at)).with("version", in_use),
        ),
        None => Finding::new("version", CheckState::Warn, Sentence::new(words::NEWER).with("newest", newest_name).with("version", in_use)),
    }
}

fn policy_finding(key: &Fetched<ArmKey>, auto: bool) -> Finding {
    let policy = match key {
        Fetched::Found(k) => k.properties.rotation_policy.as_ref(),
        Fetched::Failed(e) => {
            return Finding::new("policy", CheckState::Unknown, Sentence::new(words::KEY_UNREADABLE).with("error", e.to_string()))
        }
        Fetched::NotFound => return Finding::new("policy", CheckState::Unknown, words::KEY_NOT_FOUND),
        Fetched::NotNeeded => return Finding::new("policy", CheckState::Unknown, words::KEY_NOT_READ),
    };
    let rotate = policy.and_then(|p| p.lifetime_actions.iter().find(|a| a.is_rotate()));
    let expiry = policy.and_then(|p| p.attributes.as_ref()?.expiry_time.clone());
    match (rotate, expiry) {
        (Some(action), Some(e)) => Finding::new(
            "policy",
            CheckState::Pass,
            Sentence::new(words::POLICY_ROTATES_EXPIRING).with_words("trigger", action.trigger()).with_words("expiry", duration(&e)),
        ),
        (Some(action), None) => {
            Finding::new("policy", CheckState::Pass, Sentence::new(words::POLICY_ROTATES).with_words("trigger", action.trigger()))
        }
        (None, _) if auto => Finding::new("policy", CheckState::Warn, words::NO_POLICY_AUTO),
        (None, _) => Finding::new("policy", CheckState::Pass, words::NO_POLICY_PINNED),
    }
}

fn ago(secs: i64) -> Sentence {
    match secs {
        s if s < 3600 => Sentence::new(words::MINUTES).with("min", (s.max(0) / 60).to_string()),
        s if s < 2 * 86_400 => Sentence::new(words::HOURS).with("h", (s / 3600).to_string()).with("min", ((s % 3600) / 60).to_string()),
        s => Sentence::new(words::AGO_DAYS).with("days", (s / 86_400).to_string()),
    }
}

/// The panel's sentences, in both languages; commands and ids stay as typed.
pub mod words {
    crate::catalogue! {
        IN_USE_DISABLED: "Version {version}, which the registry uses, is disabled or outside its validity period: the registry cannot reach its data until it is enabled again ({command}) or the registry is rotated to an enabled version."
            => "레지스트리가 사용하는 버전 {version}이(가) 사용 안 함 상태이거나 유효 기간을 벗어났습니다. 다시 사용하도록 설정하거나({command}) 레지스트리를 사용 가능한 버전으로 회전할 때까지 레지스트리는 데이터에 접근할 수 없습니다.";
        EXPIRED: "The key version expired on {at} UTC: Key Vault refuses to wrap and unwrap with it."
            => "키 버전이 {at} UTC에 만료되었습니다. Key Vault가 이 버전으로 래핑과 래핑 해제를 거부합니다.";
        EXPIRES_SOON_ONE: "The key version expires on {at} UTC: {days} day left. Create a new version (az keyvault key rotate) before then."
            => "키 버전이 {at} UTC에 만료됩니다. {days}일 남았습니다. 그 전에 새 버전을 만드세요(az keyvault key rotate).";
        EXPIRES_SOON: "The key version expires on {at} UTC: {days} days left. Create a new version (az keyvault key rotate) before then."
            => "키 버전이 {at} UTC에 만료됩니다. {days}일 남았습니다. 그 전에 새 버전을 만드세요(az keyvault key rotate).";
        EXPIRES: "The key version expires on {at} UTC: {days} days left." => "키 버전이 {at} UTC에 만료됩니다. {days}일 남았습니다.";
        NO_EXPIRY: "The key version has no expiry date." => "키 버전에 만료 날짜가 없습니다.";
        NO_ENABLED_VERSION: "The key has no enabled version." => "키에 사용하도록 설정된 버전이 없습니다.";
        IN_USE_UNREPORTED: "The registry does not report the version it uses." => "레지스트리가 사용 중인 버전을 보고하지 않습니다.";
        HOW_AUTO: "auto-rotation" => "자동 회전";
        HOW_PINNED: "pinned" => "버전 고정";
        NEWEST_IN_USE: "Version {version} in use is the newest enabled version ({how})." => "사용 중인 버전 {version}이(가) 사용하도록 설정된 최신 버전입니다({how}).";
        PINNED_BEHIND: "Pinned to version {version}; the newer version {newest} is used only after a rotation (az acr encryption rotate-key)."
            => "버전 {version}에 고정되어 있습니다. 더 새로운 버전 {newest}은(는) 회전한 뒤에만 사용됩니다(az acr encryption rotate-key).";
        AUTO_BEHIND: "Auto-rotation is behind: version {newest} appeared {ago} ago ({at} UTC) and the registry still uses {version}. ACR picks up new versions within an hour; check the identity's access to the new version, or rotate by hand (az acr encryption rotate-key)."
            => "자동 회전이 늦어지고 있습니다. 버전 {newest}이(가) {ago} 전({at} UTC)에 나타났지만 레지스트리는 아직 {version}을(를) 사용합니다. ACR은 한 시간 안에 새 버전을 가져옵니다. 새 버전에 대한 ID의 액세스를 확인하거나 직접 회전하세요(az acr encryption rotate-key).";
        AUTO_PENDING: "Version {newest} appeared {ago} ago; ACR picks it up within an hour of its creation (the registry uses {version} until then)."
            => "버전 {newest}이(가) {ago} 전에 나타났습니다. ACR은 만들어진 뒤 한 시간 안에 이 버전을 가져옵니다(그때까지 레지스트리는 {version}을(를) 사용합니다).";
        NEWER: "Version {newest} is newer than {version}, which is in use." => "버전 {newest}이(가) 사용 중인 {version}보다 새롭습니다.";
        KEY_UNREADABLE: "The key could not be read, so its rotation policy is unknown ({error})." => "키를 읽을 수 없어 회전 정책을 알 수 없습니다({error}).";
        KEY_NOT_FOUND: "The key was not found." => "키를 찾을 수 없습니다.";
        KEY_NOT_READ: "The key was not read." => "키를 읽지 않았습니다.";
        POLICY_ROTATES: "Key Vault rotates the key by itself ({trigger})." => "Key Vault가 키를 직접 회전합니다({trigger}).";
        POLICY_ROTATES_EXPIRING: "Key Vault rotates the key by itself ({trigger}; new versions expire after {expiry})."
            => "Key Vault가 키를 직접 회전합니다({trigger}, 새 버전은 {expiry} 후 만료).";
        NO_POLICY_AUTO: "The key has no rotation policy that rotates it: auto-rotation picks up new versions, but none is created unless someone runs az keyvault key rotate (or sets a policy: az keyvault key rotation-policy update)."
            => "키를 회전하는 회전 정책이 없습니다. 자동 회전은 새 버전을 가져오지만, 누군가 az keyvault key rotate를 실행하거나 정책을 설정하지(az keyvault key rotation-policy update) 않으면 새 버전이 만들어지지 않습니다.";
        NO_POLICY_PINNED: "The key has no rotation policy; the registry is pinned to a version and rotates by hand."
            => "키에 회전 정책이 없습니다. 레지스트리가 한 버전에 고정되어 있으며 직접 회전합니다.";
        MINUTES: "{min} min" => "{min}분";
        HOURS: "{h} h {min} min" => "{h}시간 {min}분";
        AGO_DAYS: "{days} days" => "{days}일";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::{Purpose, Target};
    use crate::registry::Registry;
    use serde_json::json;

    const V1: &str = "6d6f636b00004000800000000000b001";
    const V2: &str = "6d6f636b00004000800000000000b002";
    const NOW: i64 = 1_750_000_000;

    fn registry(key: &str, in_use: &str) -> Registry {
        serde_json::from_value(json!({
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r1", "name": "r1", "sku": {"name": "Premium"},
            "properties": {"encryption": {"status": "enabled", "keyVaultProperties": {
              "keyIdentifier": key, "versionedKeyIdentifier": format!("https://kv1.vault.azure.net/keys/k1/{in_use}"), "identity": "system"}}}
        }))
        .unwrap()
    }

    fn version(v: &str, enabled: bool, created: i64, exp: Option<i64>) -> ArmKey {
        serde_json::from_value(json!({"id": format!("/x/keys/k1/versions/{v}"), "name": v,
            "properties": {"kty": "RSA", "attributes": {"enabled": enabled, "created": created, "exp": exp}}}))
        .unwrap()
    }

    fn key(policy: serde_json::Value) -> ArmKey {
        serde_json::from_value(json!({"id": "/x/keys/k1", "name": "k1", "properties": {"kty": "RSA", "rotationPolicy": policy}})).unwrap()
    }

    fn snapshot(versionless: bool, in_use: &str, versions: Vec<ArmKey>, key: Fetched<ArmKey>) -> Snapshot {
        let id = if versionless {
            "https://kv1.vault.azure.net/keys/k1".to_string()
        } else {
            format!("https://kv1.vault.azure.net/keys/k1/{in_use}")
        };
        let r = registry(&id, in_use);
        let mut s = Snapshot::new(Purpose::Current, r.clone(), Target::current(&r), NOW);
        s.key_versions = Fetched::Found(versions);
        s.key = key;
        s
    }

    fn rotating_policy() -> serde_json::Value {
        json!({"attributes": {"expiryTime": "P1Y"}, "lifetimeActions": [
            {"trigger": {"timeAfterCreate": "P90D"}, "action": {"type": "Rotate"}},
            {"trigger": {"timeBeforeExpiry": "P30D"}, "action": {"type": "Notify"}}]})
    }

    #[test]
    fn auto_rotation_behind_by_more_than_an_hour_is_flagged_and_within_the_hour_is_not() {
        let late = vec![version(V1, true, 100, None), version(V2, true, NOW - 2 * 3600, None)];
        let h = rotation_health(&snapshot(true, V1, late, Fetched::Found(key(rotating_policy())))).unwrap();
        let f = h.finding("version").unwrap();
        assert_eq!(f.state, CheckState::Warn, "{f:?}");
        assert!(f.text.to_string().contains("Auto-rotation is behind") && f.text.to_string().contains("2 h 0 min"), "{}", f.text);
        assert_eq!(h.newest_enabled.as_deref(), Some(V2));

        let fresh = vec![version(V1, true, 100, None), version(V2, true, NOW - 600, None)];
        let h = rotation_health(&snapshot(true, V1, fresh, Fetched::Found(key(rotating_policy())))).unwrap();
        let f = h.finding("version").unwrap();
        assert_eq!(f.state, CheckState::Pass, "{f:?}");
        assert!(f.text.to_string().contains("10 min ago"), "{}", f.text);
    }

    #[test]
    fn a_disabled_version_still_in_use_is_flagged() {
        let versions = vec![version(V1, false, 100, None), version(V2, true, 200, None)];
        let h = rotation_health(&snapshot(false, V1, versions, Fetched::Found(key(json!(null))))).unwrap();
        assert_eq!(h.finding("in-use-disabled").unwrap().state, CheckState::Fail);
        assert!(h
            .finding("in-use-disabled")
            .unwrap()
            .text
            .to_string()
            .contains("--version 6d6f636b00004000800000000000b001 --enabled true"));
        assert_eq!(h.finding("version").unwrap().state, CheckState::Warn, "pinned behind a newer version");
        assert_eq!(h.worst(), CheckState::Fail);
    }

    #[test]
    fn expiry_gives_the_date_and_days_left_and_warns_close_to_it() {
        let far = vec![version(V1, true, 100, Some(NOW + 90 * 86_400 + 10))];
        let h = rotation_health(&snapshot(false, V1, far, Fetched::Found(key(json!(null))))).unwrap();
        assert_eq!(h.days_left, Some(90));
        let f = h.finding("expiry").unwrap();
        assert_eq!(f.state, CheckState::Pass);
        assert!(
            f.text.to_string().contains("90 days left") && f.text.to_string().contains(&format_unix_utc(NOW + 90 * 86_400 + 10)),
            "{}",
            f.text
        );

        let close = vec![version(V1, true, 100, Some(NOW + 5 * 86_400 + 1))];
        let h = rotation_health(&snapshot(false, V1, close, Fetched::Found(key(json!(null))))).unwrap();
        assert_eq!(h.finding("expiry").unwrap().state, CheckState::Warn);
        assert_eq!(h.days_left, Some(5));

        let none = vec![version(V1, true, 100, None)];
        let h = rotation_health(&snapshot(false, V1, none, Fetched::Found(key(json!(null))))).unwrap();
        assert_eq!(h.expires, None);
        assert!(h.finding("expiry").unwrap().text.to_string().contains("no expiry"));
    }

    #[test]
    fn the_rotation_policy_is_named_or_its_absence_warns_with_auto_rotation() {
        let versions = || vec![version(V1, true, 100, None)];
        let h = rotation_health(&snapshot(true, V1, versions(), Fetched::Found(key(rotating_policy())))).unwrap();
        let f = h.finding("policy").unwrap();
        assert_eq!(f.state, CheckState::Pass);
        assert!(f.text.to_string().contains("90 days after creation") && f.text.to_string().contains("expire after 1 year"), "{}", f.text);

        let h = rotation_health(&snapshot(true, V1, versions(), Fetched::Found(key(json!(null))))).unwrap();
        assert_eq!(h.finding("policy").unwrap().state, CheckState::Warn);
        let h = rotation_health(&snapshot(true, V1, versions(), Fetched::NotNeeded)).unwrap();
        assert_eq!(h.finding("policy").unwrap().state, CheckState::Unknown);
    }

    #[test]
    fn a_pending_version_reads_in_korean() {
        let pending = Sentence::new(words::AUTO_PENDING).with("newest", "b2").with_words("ago", ago(600)).with("version", "b1");
        assert_eq!(pending.get(crate::text::Lang::Ko), "버전 b2이(가) 10분 전에 나타났습니다. ACR은 만들어진 뒤 한 시간 안에 이 버전을 가져옵니다(그때까지 레지스트리는 b1을(를) 사용합니다).");
    }
}
