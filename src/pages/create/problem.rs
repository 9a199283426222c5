//! What stopped a step of the flow: ARM's answer (shown by `ErrorBox`, as
//! everywhere), or the flow's own words — a refusal with its code, a missing
//! answer — shown the same way but in the page's language.

use acr_cmk_domain::text::{Sentence, Text};
use acr_cmk_domain::writes::creation::choices::Refused;
use leptos::prelude::*;

use crate::action_error::ActionError;
use crate::arm_client::ClientError;
use crate::components::error_box::{ErrorBox, RequestIdLine};
use crate::i18n::Locale;

#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// ARM answered with an error (or could not be reached): its words, verbatim.
    Arm(ActionError),
    /// The flow's words, with a code (a refusal's, or ARM's state) and ARM's request id when there are any.
    Said { code: Option<String>, words: Sentence, request_id: Option<String> },
}

impl Problem {
    pub fn said(words: impl Into<Sentence>) -> Problem {
        Problem::Said { code: None, words: words.into(), request_id: None }
    }
}

impl From<ActionError> for Problem {
    fn from(e: ActionError) -> Problem {
        Problem::Arm(e)
    }
}

impl From<ClientError> for Problem {
    fn from(e: ClientError) -> Problem {
        Problem::Arm(ActionError::Arm(e))
    }
}

impl From<Refused> for Problem {
    fn from(r: Refused) -> Problem {
        Problem::Said { code: Some(r.code.to_string()), words: r.reason, request_id: None }
    }
}

impl From<Text> for Problem {
    fn from(text: Text) -> Problem {
        Problem::said(text)
    }
}

/// One problem, as `ErrorBox` shows an error (the same test ids). `testid` names the box (`arm-error` unless given).
#[component]
pub fn ProblemBox(#[prop(into)] problem: Problem, #[prop(optional)] testid: Option<&'static str>) -> impl IntoView {
    let testid = testid.unwrap_or("arm-error");
    match problem {
        Problem::Arm(error) => view! { <ErrorBox error testid /> }.into_any(),
        Problem::Said { code, words, request_id } => {
            let locale = Locale::expect();
            view! {
                <div class="error-box" role="alert" data-testid=testid>
                    {code
                        .map(|c| {
                            view! {
                                <p class="error-head">
                                    <span class="error-icon" aria-hidden="true">"!"</span>
                                    <span class="error-code" data-testid="arm-error-code">{c}</span>
                                </p>
                            }
                        })}
                    <p class="error-message">{move || words.get(locale.get())}</p>
                    {request_id.map(|id| view! { <RequestIdLine id /> })}
                </div>
            }
            .into_any()
        }
    }
}
