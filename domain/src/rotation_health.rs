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
use crate::key::ArmKey;

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
    pub text: String,
}

fn state_name<S: serde::Serializer>(state: &CheckState, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(state.name())
}

impl Finding {
    fn new(name: &'static str, state: CheckState, text: impl Into<String>) -> Finding {
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
                format!(
                    "Version {name}, which the registry uses, is disabled or outside its validity period: the registry cannot reach its data until it is enabled again (az keyvault key set-attributes --vault-name {} --name {} --version {name} --enabled true) or the registry is rotated to an enabled version.",
                    key.vault_name(),
                    key.name
                ),
            ));
        }
    }

    let expires = in_use.or(newest).and_then(|v| v.properties.attributes.as_ref()?.exp);
    let days_left = expires.map(|exp| (exp - now).div_euclid(86_400));
    findings.push(match (expires, days_left) {
        (Some(exp), Some(_)) if exp <= now => Finding::new(
            "expiry",
            CheckState::Fail,
            format!("The key version expired on {} UTC: Key Vault refuses to wrap and unwrap with it.", format_unix_utc(exp)),
        ),
        (Some(exp), Some(days)) if days < EXPIRY_WARNING_DAYS => Finding::new(
            "expiry",
            CheckState::Warn,
            format!(
                "The key version expires on {} UTC: {days} day{} left. Create a new version (az keyvault key rotate) before then.",
                format_unix_utc(exp),
                if days == 1 { "" } else { "s" }
            ),
        ),
        (Some(exp), Some(days)) => {
            Finding::new("expiry", CheckState::Pass, format!("The key version expires on {} UTC: {days} days left.", format_unix_utc(exp)))
        }
        _ => Finding::new("expiry", CheckState::Pass, "The key version has no expiry date."),
    });

    findings.push(policy_finding(&snapshot.key, auto));
    Some(RotationHealth { auto_rotation: auto, version_in_use: in_use_name, newest_enabled: newest_name, expires, days_left, findings })
}

fn created(v: &ArmKey) -> Option<i64> {
    v.properties.attributes.as_ref()?.created
}

fn version_finding(auto: bool, in_use: Option<&str>, newest: Option<&ArmKey>, now: i64) -> Finding {
    let Some(newest) = newest else {
        return Finding::new("version", CheckState::Fail, "The key has no enabled version.");
    };
    let newest_name = version_name(newest);
    let Some(in_use) = in_use else {
        return Finding::new("version", CheckState::Unknown, "The registry does not report the version it uses.");
    };
    if in_use.eq_ignore_ascii_case(newest_name) {
        let how = if auto { "auto-rotation" } else { "pinned" };
        return Finding::new("version", CheckState::Pass, format!("Version {in_use} in use is the newest enabled version ({how})."));
    }
    if !auto {
        return Finding::new(
            "version",
            CheckState::Warn,
            format!(
                "Pinned to version {in_use}; the newer version {newest_name} is used only after a rotation (az acr encryption rotate-key)."
            ),
        );
    }
    match created(newest) {
        Some(at) if now - at >= AUTO_ROTATION_PROMISE_SECS => Finding::new(
            "version",
            CheckState::Warn,
            format!(
                "Auto-rotation is behind: version {newest_name} appeared {} ago ({} UTC) and the registry still uses {in_use}. ACR picks up new versions within an hour; check the identity's access to the new version, or rotate by hand (az acr encryption rotate-key).",
                ago(now - at),
                format_unix_utc(at)
            ),
        ),
        Some(at) => Finding::new(
            "version",
            CheckState::Pass,
            format!("Version {newest_name} appeared {} ago; ACR picks it up within an hour of its creation (the registry uses {in_use} until then).", ago(now - at)),
        ),
        None => Finding::new("version", CheckState::Warn, format!("Version {newest_name} is newer than {in_use}, which is in use.")),
    }
}

fn policy_finding(key: &Fetched<ArmKey>, auto: bool) -> Finding {
    let policy = match key {
        Fetched::Found(k) => k.properties.rotation_policy.as_ref(),
        Fetched::Failed(e) => {
            return Finding::new(
                "policy",
                CheckState::Unknown,
                format!("The key could not be read, so its rotation policy is unknown ({e})."),
            )
        }
        Fetched::NotFound => return Finding::new("policy", CheckState::Unknown, "The key was not found."),
        Fetched::NotNeeded => return Finding::new("policy", CheckState::Unknown, "The key was not read."),
    };
    let rotate = policy.and_then(|p| p.lifetime_actions.iter().find(|a| a.is_rotate()));
    let expiry = policy.and_then(|p| p.attributes.as_ref()?.expiry_time.clone());
    let expiry_text = expiry.map(|e| format!("; new versions expire after {e}")).unwrap_or_default();
    match rotate {
        Some(action) => Finding::new(
            "policy",
            CheckState::Pass,
            format!("Key Vault rotates the key by itself ({}{expiry_text}).", action.trigger_text()),
        ),
        None if auto => Finding::new(
            "policy",
            CheckState::Warn,
            "The key has no rotation policy that rotates it: auto-rotation picks up new versions, but none is created unless someone runs az keyvault key rotate (or sets a policy: az keyvault key rotation-policy update).",
        ),
        None => Finding::new("policy", CheckState::Pass, "The key has no rotation policy; the registry is pinned to a version and rotates by hand."),
    }
}

fn ago(secs: i64) -> String {
    match secs {
        s if s < 3600 => format!("{} min", s.max(0) / 60),
        s if s < 2 * 86_400 => format!("{} h {} min", s / 3600, (s % 3600) / 60),
        s => format!("{} days", s / 86_400),
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
        assert!(f.text.contains("Auto-rotation is behind") && f.text.contains("2 h 0 min"), "{}", f.text);
        assert_eq!(h.newest_enabled.as_deref(), Some(V2));

        let fresh = vec![version(V1, true, 100, None), version(V2, true, NOW - 600, None)];
        let h = rotation_health(&snapshot(true, V1, fresh, Fetched::Found(key(rotating_policy())))).unwrap();
        let f = h.finding("version").unwrap();
        assert_eq!(f.state, CheckState::Pass, "{f:?}");
        assert!(f.text.contains("10 min ago"), "{}", f.text);
    }

    #[test]
    fn a_disabled_version_still_in_use_is_flagged() {
        let versions = vec![version(V1, false, 100, None), version(V2, true, 200, None)];
        let h = rotation_health(&snapshot(false, V1, versions, Fetched::Found(key(json!(null))))).unwrap();
        assert_eq!(h.finding("in-use-disabled").unwrap().state, CheckState::Fail);
        assert!(h.finding("in-use-disabled").unwrap().text.contains("--version 6d6f636b00004000800000000000b001 --enabled true"));
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
        assert!(f.text.contains("90 days left") && f.text.contains(&format_unix_utc(NOW + 90 * 86_400 + 10)), "{}", f.text);

        let close = vec![version(V1, true, 100, Some(NOW + 5 * 86_400 + 1))];
        let h = rotation_health(&snapshot(false, V1, close, Fetched::Found(key(json!(null))))).unwrap();
        assert_eq!(h.finding("expiry").unwrap().state, CheckState::Warn);
        assert_eq!(h.days_left, Some(5));

        let none = vec![version(V1, true, 100, None)];
        let h = rotation_health(&snapshot(false, V1, none, Fetched::Found(key(json!(null))))).unwrap();
        assert_eq!(h.expires, None);
        assert!(h.finding("expiry").unwrap().text.contains("no expiry"));
    }

    #[test]
    fn the_rotation_policy_is_named_or_its_absence_warns_with_auto_rotation() {
        let versions = || vec![version(V1, true, 100, None)];
        let h = rotation_health(&snapshot(true, V1, versions(), Fetched::Found(key(rotating_policy())))).unwrap();
        let f = h.finding("policy").unwrap();
        assert_eq!(f.state, CheckState::Pass);
        assert!(f.text.contains("90 days after creation") && f.text.contains("P1Y"), "{}", f.text);

        let h = rotation_health(&snapshot(true, V1, versions(), Fetched::Found(key(json!(null))))).unwrap();
        assert_eq!(h.finding("policy").unwrap().state, CheckState::Warn);
        let h = rotation_health(&snapshot(true, V1, versions(), Fetched::NotNeeded)).unwrap();
        assert_eq!(h.finding("policy").unwrap().state, CheckState::Unknown);
    }
}
