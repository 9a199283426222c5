//! How every failure is shown: [`ErrorBox`] renders one [`ActionError`] as
//! code, HTTP status, message and request id (with a copy button), and
//! [`ErrorList`] is an `ErrorBoundary`'s fallback with "Try again". The page
//! stays usable either way.

use leptos::prelude::*;

use super::copy_button::CopyButton;
use crate::action_error::ActionError;
use crate::arm_client::ClientError;
use crate::i18n::catalogue::shell;
use crate::i18n::{tr, Locale};

/// One error. `testid` names the box for tests (`arm-error` unless given).
#[component]
pub fn ErrorBox(#[prop(into)] error: ActionError, #[prop(optional)] testid: Option<&'static str>) -> impl IntoView {
    let status = error.status().map(|s| format!("HTTP {s}"));
    let request_id = error.request_id();
    let code = error.code();
    if error.is_authentication_failure() {
        // ARM refused the token: the header offers to sign in again, keeping this page.
        if let Some(session) = use_context::<crate::session::SessionStore>() {
            Effect::new(move |_| session.ask_to_sign_in_again());
        }
    }
    let hint = error.is_authentication_failure().then(|| tr(shell::TOKEN_REFUSED_HINT));
    let has_head = code.is_some() || status.is_some();
    let locale = Locale::expect();
    let message = {
        let error = error.clone();
        move || error.message_in(locale.get())
    };
    view! {
        <div class="error-box" role="alert" data-testid=testid.unwrap_or("arm-error")>
            {has_head
                .then(|| {
                    view! {
                        <p class="error-head">
                            <span class="error-icon" aria-hidden="true">"!"</span>
                            {code.map(|c| view! { <span class="error-code" data-testid="arm-error-code">{c}</span> })}
                            {status.map(|s| view! { <span class="error-status">{s}</span> })}
                        </p>
                    }
                })}
            <p class="error-message">{message}</p>
            {hint.map(|h| view! { <p class="error-hint">{h}</p> })}
            {request_id.map(|id| view! { <RequestIdLine id /> })}
        </div>
    }
}

/// ARM's request id under an error, with Copy: support asks for it.
#[component]
pub fn RequestIdLine(id: String) -> impl IntoView {
    view! {
        <p class="error-request">
            {tr(shell::REQUEST_ID)}
            " "
            <code>{id.clone()}</code>
            <CopyButton text=id label=shell::REQUEST_ID_LOWER />
        </p>
    }
}

/// The fallback of an `ErrorBoundary`: every error it caught, and "Try again".
#[component]
pub fn ErrorList(
    errors: ArcRwSignal<Errors>,
    /// Re-runs what failed (a resource's `refetch`).
    on_retry: Callback<()>,
) -> impl IntoView {
    let list = move || {
        errors
            .get()
            .into_iter()
            // `**error`: through leptos' `Error` and its `Arc` to the error itself;
            // one `*` less downcasts the `Arc` and never matches.
            .map(|(_, error)| {
                let shown = match ((**error).downcast_ref::<ClientError>(), (**error).downcast_ref::<ActionError>()) {
                    (Some(e), _) => ActionError::Arm(e.clone()),
                    (_, Some(e)) => e.clone(),
                    _ => ActionError::invalid(error.to_string()),
                };
                view! { <ErrorBox error=shown /> }
            })
            .collect_view()
    };
    view! {
        <div class="error-list">
            {list}
            <button type="button" class="secondary" on:click=move |_| on_retry.run(())>
                {tr(shell::TRY_AGAIN)}
            </button>
        </div>
    }
}
