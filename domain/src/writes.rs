//! The writes the console can make, as data: for each one the exact ARM request
//! (method, URL, JSON body) shown before it runs, and the equivalent `az`
//! command, so the preview can be copied and the write reproduced by hand.
//!
//! - [`rotation`]: the minimal registry PATCH that rotates the key (and the
//!   `az` commands for a new key version, which a browser cannot create).
//! - [`identity_change`]: the minimal registry PATCH of `identity`, refusing
//!   changes the service would refuse (the encrypting identity stays attached).
//! - [`access_grant`]: access policies and role assignments on the vault, the
//!   firewall's trusted-services bypass, ARM key creation, and the record of
//!   what a revoke removed so it can be put back exactly.
//! - [`key_access`]: what a grant, revoke or restore reads first (vault, principal, role assignments).
//! - [`firewall`]: the seed's firewall scenario as four typed steps, each planned from fresh reads.
//! - [`fix`]: a diagnosis fix as one write.
//! - [`creation`]: a new registry with a customer-managed key, the seed's whole setup as one plan.
//! - [`step`]: one step of a write sequence as the dialog runs it.
//! - [`operation`]: long-running operation status and polling intervals.
//! - [`changes`]: what a write changed, field by field.
//!
//! Nothing here sends anything; nothing is retried here either: writes are not
//! idempotent in general and the client never retries them blindly.

pub mod access_grant;
pub mod changes;
pub mod creation;
pub mod firewall;
pub mod fix;
pub mod identity_change;
pub mod key_access;
pub mod operation;
pub mod rotation;
pub mod step;

use serde_json::Value;

use crate::requests::{ArmRequest, Method};
use crate::text::{Sentence, Text};

/// One write as the console previews it.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedWrite {
    /// What the write does, in a sentence (names, ids and values verbatim).
    pub summary: Sentence,
    pub request: ArmRequest,
    /// The same change through the Azure CLI.
    pub az: String,
    /// A registry PATCH: answered `201`/`200` with an `Azure-AsyncOperation` to poll.
    pub long_running: bool,
}

impl PlannedWrite {
    fn new(summary: Sentence, method: Method, path: String, body: Option<Value>, az: String) -> PlannedWrite {
        PlannedWrite { summary, request: ArmRequest::new(method, path, body), az, long_running: false }
    }

    /// Sends `If-Match: etag` (when the resource has one): ARM refuses the write
    /// if the resource changed after the read this write was planned from.
    pub fn if_match(mut self, etag: Option<&str>) -> PlannedWrite {
        self.request.if_match = etag.map(str::to_string);
        self
    }

    /// The body as the preview shows it (indented), or `None` for a bodiless request.
    pub fn body_text(&self) -> Option<String> {
        self.request.body.as_ref().map(|b| serde_json::to_string_pretty(b).unwrap_or_default())
    }
}

/// A change the console will not send because the service would refuse it (or
/// it would break the registry), with the reason in the service's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    /// The reason, in either language (`Display` is English); the service's own words stay verbatim.
    pub message: Sentence,
}

impl Refusal {
    pub fn new(code: &'static str, message: impl Into<Sentence>) -> Refusal {
        Refusal { code, message: message.into() }
    }
}

/// `items` one after another, `pair` (`{a}` and `{b}`, e.g. [`words::COMMA`]) between each two.
pub fn joined(items: impl IntoIterator<Item = Sentence>, pair: Text) -> Sentence {
    items.into_iter().reduce(|a, b| Sentence::new(pair).with_words("a", a).with_words("b", b)).unwrap_or_else(Sentence::empty)
}

/// Words the writes share, in both languages.
pub mod words {
    crate::catalogue! {
        /// A list's separator: the same in both languages.
        COMMA: "{a}, {b}" => "{a}, {b}", same;
        SEMICOLON: "{a}; {b}" => "{a}; {b}", same;
        /// Sentences one after another.
        SPACE: "{a} {b}" => "{a} {b}", same;
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Refusal {}

/// Quotes one shell word for the `az` preview: ids and names pass as they are;
/// anything else (spaces, globs like `[system]`, quotes) is single-quoted.
pub fn shell_word(word: &str) -> String {
    let plain =
        !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '@'));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// `az` plus its arguments, each quoted as needed.
fn az(args: &[&str]) -> String {
    let mut out = String::from("az");
    for a in args {
        out.push(' ');
        if a.starts_with("--") || a.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
            out.push_str(a);
        } else {
            out.push_str(&shell_word(a));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_quote_globs_spaces_and_quotes() {
        assert_eq!(shell_word("/subscriptions/s/resourceGroups/g"), "/subscriptions/s/resourceGroups/g");
        assert_eq!(shell_word("https://v.vault.azure.net/keys/k"), "https://v.vault.azure.net/keys/k");
        assert_eq!(shell_word("[system]"), "'[system]'");
        assert_eq!(shell_word("Key Vault Crypto Service Encryption User"), "'Key Vault Crypto Service Encryption User'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn az_keeps_subcommands_and_flags_bare() {
        assert_eq!(
            az(&["acr", "identity", "assign", "-n", "reg1", "--identities", "[system]"]),
            "az acr identity assign -n reg1 --identities '[system]'"
        );
    }
}
