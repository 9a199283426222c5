//! Key Vault keys in the two shapes they travel in: through ARM
//! (`Microsoft.KeyVault/vaults/keys`, camelCase, key URIs with `:443`) and
//! through the Key Vault data plane (the `KeyBundle`, snake_case JWK).

use crate::text::Sentence;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `Microsoft.KeyVault/vaults/keys` and `…/keys/versions` through ARM.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmKey {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default)]
    pub resource_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub properties: ArmKeyProperties,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmKeyProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ArmKeyAttributes>,
    /// `RSA`, `RSA-HSM`, `EC`, `EC-HSM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kty: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_ops: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curve_name: Option<String>,
    /// `https://{vault}.vault.azure.net:443/keys/{name}` (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_uri: Option<String>,
    /// `https://{vault}.vault.azure.net:443/keys/{name}/{version}` (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_uri_with_version: Option<String>,
    /// Key Vault's automatic rotation, on the key (not on its versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_policy: Option<RotationPolicy>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `rotationPolicy`: when Key Vault creates a new version by itself, and when versions expire.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RotationPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<RotationPolicyAttributes>,
    #[serde(default)]
    pub lifetime_actions: Vec<LifetimeAction>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RotationPolicyAttributes {
    /// ISO 8601 duration, e.g. `P1Y`: how long each new version lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_time: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifetimeAction {
    #[serde(default)]
    pub trigger: LifetimeTrigger,
    #[serde(default)]
    pub action: LifetimeActionType,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifetimeTrigger {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_after_create: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_before_expiry: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifetimeActionType {
    /// `Rotate` or `Notify` (any case).
    #[serde(rename = "type", default)]
    pub kind: String,
}

impl LifetimeAction {
    pub fn is_rotate(&self) -> bool {
        self.action.kind.eq_ignore_ascii_case("rotate")
    }

    /// "90 days after creation" / "30 days before expiry" (English).
    pub fn trigger_text(&self) -> String {
        self.trigger().to_string()
    }

    /// When the action runs, in either language.
    pub fn trigger(&self) -> Sentence {
        match (&self.trigger.time_after_create, &self.trigger.time_before_expiry) {
            (Some(after), _) => Sentence::new(words::AFTER_CREATION).with_words("duration", duration(after)),
            (None, Some(before)) => Sentence::new(words::BEFORE_EXPIRY).with_words("duration", duration(before)),
            (None, None) => words::NO_TRIGGER.into(),
        }
    }
}

/// The words of rotation policies, in both languages.
pub mod words {
    crate::catalogue! {
        AFTER_CREATION: "{duration} after creation" => "생성 후 {duration}";
        BEFORE_EXPIRY: "{duration} before expiry" => "만료 {duration} 전";
        NO_TRIGGER: "no trigger" => "트리거 없음";
        DAY: "1 day" => "1일";
        DAYS: "{n} days" => "{n}일";
        MONTH: "1 month" => "1개월";
        MONTHS: "{n} months" => "{n}개월";
        YEAR: "1 year" => "1년";
        YEARS: "{n} years" => "{n}년";
        /// A duration the console does not read, as Key Vault wrote it.
        AS_WRITTEN: "{iso}" => "{iso}", same;
    }
}

/// `P90D` → `90 days`, `P18M` → `18 months`, `P1Y` → `1 year`; anything else as written (English).
pub fn duration_words(iso: &str) -> String {
    duration(iso).to_string()
}

/// An ISO 8601 period of days, months or years, in either language.
pub fn duration(iso: &str) -> Sentence {
    let as_written = || Sentence::new(words::AS_WRITTEN).with("iso", iso);
    let body = iso.trim().strip_prefix('P').or_else(|| iso.trim().strip_prefix('p')).unwrap_or("");
    let (number, unit) = body.split_at(body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len()));
    let (one, many) = match unit {
        "D" | "d" => (words::DAY, words::DAYS),
        "M" | "m" => (words::MONTH, words::MONTHS),
        "Y" | "y" => (words::YEAR, words::YEARS),
        _ => return as_written(),
    };
    match number.parse::<u32>() {
        Ok(1) => one.into(),
        Ok(n) => Sentence::new(many).with("n", n.to_string()),
        Err(_) => as_written(),
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmKeyAttributes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exportable: Option<bool>,
}

/// The data plane's `KeyBundle` (`GET https://{vault}.vault.azure.net/keys/{name}/{version}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyBundle {
    pub key: JsonWebKey,
    #[serde(default)]
    pub attributes: KeyAttributes,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonWebKey {
    #[serde(default)]
    pub kid: String,
    #[serde(default)]
    pub kty: String,
    #[serde(default)]
    pub key_ops: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

/// Data-plane key attributes; times are Unix seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyAttributes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recoverable_days: Option<u32>,
}

/// Key types ACR accepts for customer-managed keys.
pub fn is_cmk_key_type(kty: &str) -> bool {
    kty.eq_ignore_ascii_case("RSA") || kty.eq_ignore_ascii_case("RSA-HSM")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_words() {
        assert_eq!(duration_words("P90D"), "90 days");
        assert_eq!(duration_words("P1Y"), "1 year");
        assert_eq!(duration_words("P18M"), "18 months");
        assert_eq!(duration_words("PT1H"), "PT1H");
    }

    #[test]
    fn only_rsa_keys_are_cmk_keys() {
        assert!(is_cmk_key_type("RSA"));
        assert!(is_cmk_key_type("RSA-HSM"));
        assert!(!is_cmk_key_type("EC"));
    }
}
