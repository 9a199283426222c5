//! The one error type the views show for anything a user asked for that did
//! not happen: ARM's answer (or no answer), a change the console refuses to
//! send, or input it cannot use. `components::error_box::ErrorBox` is its one
//! renderer, so every failure reads the same way: code, message, HTTP status
//! and request id when there are any.

use acr_cmk_domain::text::Lang;
use acr_cmk_domain::writes::Refusal;

use crate::arm_client::ClientError;
use crate::i18n::Words;

#[derive(Clone, Debug, PartialEq)]
pub enum ActionError {
    /// ARM answered with an error, or could not be reached.
    Arm(ClientError),
    /// Not sent: the service would refuse it, or it would break the registry (the service's words).
    Refused(Refusal),
    /// What was entered or chosen cannot be used, or something the action needs is not there
    /// (a catalogue entry or a domain sentence, shown in the page's language).
    Invalid(Words),
}

impl ActionError {
    /// ARM's or the refusal's code; input problems have none.
    pub fn code(&self) -> Option<String> {
        match self {
            ActionError::Arm(e) => Some(e.code()),
            ActionError::Refused(r) => Some(r.code.to_string()),
            ActionError::Invalid(_) => None,
        }
    }

    /// The message in English (logs, `Display`).
    pub fn message(&self) -> String {
        self.message_in(Lang::En)
    }

    /// The message in `lang`: ARM's own words stay as ARM sent them.
    pub fn message_in(&self, lang: Lang) -> String {
        match self {
            ActionError::Arm(e) => e.message_in(lang),
            ActionError::Refused(r) => r.message.get(lang),
            ActionError::Invalid(m) => m.get(lang),
        }
    }

    /// Something the action needs is not there, in the catalogue's or the domain's words.
    pub fn invalid(words: impl Into<Words>) -> ActionError {
        ActionError::Invalid(words.into())
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ActionError::Arm(e) => e.status(),
            _ => None,
        }
    }

    pub fn request_id(&self) -> Option<String> {
        match self {
            ActionError::Arm(e) => e.request_id().map(str::to_string),
            _ => None,
        }
    }

    /// ARM refused the token: signing in again helps.
    pub fn is_authentication_failure(&self) -> bool {
        matches!(self, ActionError::Arm(e) if e.is_authentication_failure())
    }

    /// A write that failed this way may still have happened (no answer, a 5xx, or a failure after ARM accepted it).
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, ActionError::Arm(e) if e.write_outcome_unknown())
    }
}

impl From<ClientError> for ActionError {
    fn from(e: ClientError) -> ActionError {
        ActionError::Arm(e)
    }
}

impl From<Refusal> for ActionError {
    fn from(r: Refusal) -> ActionError {
        ActionError::Refused(r)
    }
}

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.code() {
            Some(code) => write!(f, "{code}: {}", self.message()),
            None => f.write_str(&self.message()),
        }
    }
}

impl std::error::Error for ActionError {}
