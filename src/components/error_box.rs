//! Errors from ARM (or from failing to reach it), shown as code, message and
//! request id, with a way to try again: the page stays usable.

use leptos::prelude::*;

use super::copy_button::CopyButton;
use crate::arm_client::ClientError;

/// One [`ClientError`].
#[component]
pub fn ArmErrorBox(error: ClientError) -> impl IntoView {
    let status = error.status().map(|s| format!("HTTP {s}"));
    let request_id = error.request_id().map(str::to_string);
    if error.is_authentication_failure() {
        // ARM refused the token: the header offers to sign in again, keeping this page.
        if let Some(session) = use_context::<crate::session::SessionStore>() {
            Effect::new(move |_| session.ask_to_sign_in_again());
        }
    }
    let hint = error
        .is_authentication_failure()
        .then_some("ARM refused the token: it may have expired or been revoked. Sign out and sign in with a fresh token.");
    view! {
        <div class="error-box" role="alert" data-testid="arm-error">
            <p class="error-head">
                <span class="error-icon" aria-hidden="true">"!"</span>
                <span class="error-code" data-testid="arm-error-code">{error.code()}</span>
                {status.map(|s| view! { <span class="error-status">{s}</span> })}
            </p>
            <p class="error-message">{error.message()}</p>
            {hint.map(|h| view! { <p class="error-hint">{h}</p> })}
            {request_id
                .map(|id| {
                    view! {
                        <p class="error-request">
                            "Request id "
                            <code>{id.clone()}</code>
                            <CopyButton text=id label="request id" />
                        </p>
                    }
                })}
        </div>
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
            .map(|(_, error)| match (**error).downcast_ref::<ClientError>() {
                Some(client_error) => view! { <ArmErrorBox error=client_error.clone() /> }.into_any(),
                None => view! { <p class="error-box" role="alert">{error.to_string()}</p> }.into_any(),
            })
            .collect_view()
    };
    view! {
        <div class="error-list">
            {list}
            <button type="button" class="secondary" on:click=move |_| on_retry.run(())>
                "Try again"
            </button>
        </div>
    }
}
