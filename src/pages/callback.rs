//! `/auth/callback`: where Entra ID sends the browser back with `code` and
//! `state` (or `error`). The code leaves the address bar at once; then the
//! state is checked, the code redeemed, and the user returned to the page
//! they started from.

use crate::i18n::catalogue::sign_in;
use crate::i18n::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::entra::{self, EntraAuth, CALLBACK_PATH};
use crate::routes;
use crate::session::SessionStore;

/// What the router shows at `/auth/callback`: the page, whose code (the state check, the code's
/// redemption) is a wasm chunk of its own (issue 14), fetched from the start of the page load
/// ([`crate::pages::preload`]); the route's `Transition` shows nothing until it has come.
pub fn callback_route() -> AnyView {
    crate::lazy_route::view(callback_page())
}

#[lazy]
pub(crate) fn callback_page() -> AnyView {
    view! { <CallbackPage /> }.into_any()
}

#[component]
pub fn CallbackPage() -> impl IntoView {
    let session = SessionStore::expect();
    let auth = EntraAuth::expect();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let retry_to = RwSignal::new(routes::SIGN_IN.to_string());

    let window = web_sys::window();
    let query = window.as_ref().and_then(|w| w.location().search().ok()).unwrap_or_default();
    // The code must not stay in the address bar or the history.
    if let Some(history) = window.as_ref().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(CALLBACK_PATH));
    }

    spawn_local(async move {
        match entra::complete(&query).await {
            Ok(done) => {
                auth.start(session, done.session, done.grant);
                navigate(&done.return_to, NavigateOptions { replace: true, ..Default::default() });
            }
            Err((e, return_to)) => {
                let _ = retry_to.try_set(routes::sign_in_returning_to(&return_to));
                let _ = error.try_set(Some(e.to_string()));
            }
        }
    });

    view! {
        <section class="sign-in">
            <div class="card">
                <h1>{tr(sign_in::SIGNING_IN)}</h1>
                {move || match error.get() {
                    None => view! { <p class="loading" role="status">{tr(sign_in::FINISHING)}</p> }.into_any(),
                    Some(message) => {
                        view! {
                            <p class="error-text" role="alert" data-testid="sign-in-error">
                                {message}
                            </p>
                            <p>
                                <a href=move || retry_to.get() data-testid="back-to-sign-in">
                                    {tr(sign_in::BACK_TO_SIGN_IN)}
                                </a>
                            </p>
                        }
                            .into_any()
                    }
                }}
            </div>
        </section>
    }
}
