//! Key Vault key identifiers: `https://{vault}.vault.azure.net/keys/{name}[/{version}]`.
//!
//! ARM's keys API writes them with `:443` (`https://v.vault.azure.net:443/keys/k/…`);
//! the data plane and ACR without. [`KeyId`] drops the default port so both compare equal.

use std::fmt;

use crate::text::Sentence;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyId {
    /// `https://host[:port]` without a trailing slash and without `:443`.
    pub vault_base: String,
    pub name: String,
    pub version: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyIdError {
    Empty,
    NotHttps,
    NoHost,
    NotAKeyPath,
    BadName(String),
    BadVersion(String),
}

impl KeyIdError {
    /// What is wrong, in either language (the rotate dialog shows it).
    pub fn sentence(&self) -> Sentence {
        match self {
            KeyIdError::Empty => words::EMPTY.into(),
            KeyIdError::NotHttps => words::NOT_HTTPS.into(),
            KeyIdError::NoHost => words::NO_HOST.into(),
            KeyIdError::NotAKeyPath => words::NOT_A_KEY_PATH.into(),
            KeyIdError::BadName(n) => Sentence::new(words::BAD_NAME).with("name", n.as_str()),
            KeyIdError::BadVersion(v) => Sentence::new(words::BAD_VERSION).with("version", v.as_str()),
        }
    }
}

impl fmt::Display for KeyIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence().to_string())
    }
}

/// What can be wrong with a key identifier, in both languages.
pub mod words {
    crate::catalogue! {
        EMPTY: "the key identifier is empty" => "키 ID가 비어 있습니다";
        NOT_HTTPS: "a key identifier starts with https://" => "키 ID는 https://로 시작합니다";
        NO_HOST: "the key identifier has no vault host" => "키 ID에 키 자격 증명 모음 호스트가 없습니다";
        NOT_A_KEY_PATH: "a key identifier looks like https://<vault>.vault.azure.net/keys/<name>[/<version>]"
            => "키 ID의 형식은 https://<vault>.vault.azure.net/keys/<name>[/<version>]입니다";
        BAD_NAME: "'{name}' is not a valid key name (1-127 letters, digits and dashes)"
            => "'{name}'은(는) 올바른 키 이름이 아닙니다(문자, 숫자, 대시 1~127자)";
        BAD_VERSION: "'{version}' is not a key version (32 hexadecimal characters)"
            => "'{version}'은(는) 키 버전이 아닙니다(16진수 32자)";
    }
}

impl std::error::Error for KeyIdError {}

impl KeyId {
    pub fn parse(input: &str) -> Result<KeyId, KeyIdError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(KeyIdError::Empty);
        }
        let rest = strip_prefix_ignore_case(input, "https://").ok_or(KeyIdError::NotHttps)?;
        let (authority, path) = rest.split_once('/').ok_or(KeyIdError::NotAKeyPath)?;
        let host = authority.strip_suffix(":443").unwrap_or(authority).to_ascii_lowercase();
        if host.is_empty() || host.starts_with(':') {
            return Err(KeyIdError::NoHost);
        }
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let (name, version) = match segments.as_slice() {
            [keys, name] if keys.eq_ignore_ascii_case("keys") => (*name, None),
            [keys, name, version] if keys.eq_ignore_ascii_case("keys") => (*name, Some(*version)),
            _ => return Err(KeyIdError::NotAKeyPath),
        };
        if name.is_empty() || name.len() > 127 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(KeyIdError::BadName(name.to_string()));
        }
        if let Some(v) = version {
            if v.len() != 32 || !v.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(KeyIdError::BadVersion(v.to_string()));
            }
        }
        Ok(KeyId { vault_base: format!("https://{host}"), name: name.to_string(), version: version.map(str::to_string) })
    }

    /// The vault's name: the first label of its host.
    pub fn vault_name(&self) -> &str {
        let host = self.vault_base.trim_start_matches("https://");
        host.split(['.', ':']).next().unwrap_or(host)
    }

    pub fn is_versionless(&self) -> bool {
        self.version.is_none()
    }

    /// The same key without its version.
    pub fn versionless(&self) -> KeyId {
        KeyId { version: None, ..self.clone() }
    }

    /// Same vault and key name (and version when both have one), ignoring case and `:443`.
    pub fn same_key(&self, other: &KeyId) -> bool {
        self.vault_base.eq_ignore_ascii_case(&other.vault_base) && self.name.eq_ignore_ascii_case(&other.name)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/keys/{}", self.vault_base, self.name)?;
        if let Some(v) = &self.version {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)).then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn versioned_and_versionless_ids_parse() {
        let k = KeyId::parse(&format!("https://myvault.vault.azure.net/keys/mykey/{V}")).unwrap();
        assert_eq!(k.vault_name(), "myvault");
        assert_eq!(k.name, "mykey");
        assert_eq!(k.version.as_deref(), Some(V));
        let k = KeyId::parse("https://myvault.vault.azure.net/keys/mykey").unwrap();
        assert!(k.is_versionless());
    }

    #[test]
    fn arm_port_443_compares_equal_to_the_plain_form() {
        let arm = KeyId::parse(&format!("https://MyVault.vault.azure.net:443/keys/mykey/{V}")).unwrap();
        let plain = KeyId::parse(&format!("https://myvault.vault.azure.net/keys/mykey/{V}")).unwrap();
        assert_eq!(arm, plain);
        assert_eq!(arm.to_string(), format!("https://myvault.vault.azure.net/keys/mykey/{V}"));
    }

    #[test]
    fn malformed_ids_say_what_is_wrong() {
        assert_eq!(KeyId::parse("  "), Err(KeyIdError::Empty));
        assert_eq!(KeyId::parse("http://v.vault.azure.net/keys/k"), Err(KeyIdError::NotHttps));
        assert_eq!(KeyId::parse("https://v.vault.azure.net/secrets/k"), Err(KeyIdError::NotAKeyPath));
        assert_eq!(KeyId::parse("https://v.vault.azure.net/keys/bad_name"), Err(KeyIdError::BadName("bad_name".into())));
        assert_eq!(KeyId::parse("https://v.vault.azure.net/keys/k/xyz"), Err(KeyIdError::BadVersion("xyz".into())));
    }
}
