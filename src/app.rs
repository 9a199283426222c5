//! The app: configuration, session, header and routes.
//!
//! Routes other than sign-in are protected: without a session they redirect
//! to `/sign-in` (the session lives in memory, so a reload signs out).

use acr_cmk_domain::token::describe_expiry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{ProtectedRoute, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;

use crate::clock::now_unix_secs;
use crate::components::write_mode::{WriteMode, WriteModeSwitch};
use crate::config::{self, Config};
use crate::entra::{EntraAuth, SignInAgainPrompt};
use crate::pages::callback::CallbackPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::registries::RegistriesPage;
use crate::pages::registry::RegistryPage;
use crate::pages::sign_in::SignInPage;
use crate::routes;
use crate::session::SessionStore;

/// How often the header's "expires in …" is refreshed.
const CLOCK_TICK: std::time::Duration = std::time::Duration::from_secs(20);

#[component]
pub fn App() -> impl IntoView {
    EntraAuth::provide(SessionStore::provide());
    WriteMode::provide();
    // The routes wait for config.json: the sign-in screen is prefilled from it.
    let config = RwSignal::new(None::<Config>);
    spawn_local(async move {
        config.set(Some(config::load().await));
    });

    view! {
        {move || match config.get() {
            None => view! { <p class="loading" role="status">"Starting…"</p> }.into_any(),
            Some(config) => {
                provide_context(config);
                view! { <Shell /> }.into_any()
            }
        }}
    }
}

#[component]
fn Shell() -> impl IntoView {
    let session = SessionStore::expect();
    // A memo, so a token refresh (same sign-in, new token) does not re-run the
    // routes' condition and re-mount the page: an open dialog or a running
    // write would be lost. Pages send the refreshed token through ArmClient.
    let is_signed_in = Memo::new(move |_| session.is_signed_in());
    let signed_in = move || Some(is_signed_in.get());
    // Signed out on a deep link: sign in, then come back to it.
    let sign_in = || routes::sign_in_returning_to(&routes::current_path());
    view! {
        <Router>
            <Header />
            <SignInAgainPrompt />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/auth/callback") view=CallbackPage />
                    <ProtectedRoute path=path!("/") view=RegistriesPage condition=signed_in redirect_path=sign_in />
                    <ProtectedRoute
                        path=path!("/subscriptions/:sub/resourceGroups/:rg/registries/:name")
                        view=RegistryPage
                        condition=signed_in
                        redirect_path=sign_in
                    />
                </Routes>
            </main>
        </Router>
    }
}

/// Product name, and when signed in: who, the token's expiry, the endpoint, sign out.
#[component]
fn Header() -> impl IntoView {
    let session = SessionStore::expect();
    let navigate = use_navigate();
    let now = RwSignal::new(now_unix_secs());
    if let Ok(handle) = set_interval_with_handle(move || now.set(now_unix_secs()), CLOCK_TICK) {
        on_cleanup(move || handle.clear());
    }
    let sign_out = move |_| {
        session.sign_out();
        navigate(routes::SIGN_IN, Default::default());
    };

    view! {
        <header class="topbar">
            <a class="brand" href=routes::HOME>
                <span class="brand-mark" aria-hidden="true"></span>
                "ACR encryption console"
            </a>
            {move || {
                session
                    .get()
                    .map(|s| {
                        let expiry = s.token.claims.exp.map(|exp| describe_expiry(exp, now.get()));
                        let expired = s.token.claims.exp.is_some_and(|exp| exp <= now.get());
                        let claims = s.token.claims.clone();
                        view! {
                            <div class="who">
                                <span class="user" data-testid="signed-in-user">{s.user()}</span>
                                {claims.upn.clone().or(claims.unique_name.clone()).map(|upn| view! { <span class="upn" data-testid="signed-in-upn">{upn}</span> })}
                                {claims.tid.clone().map(|tid| view! { <span class="tenant mono" title="Tenant id" data-testid="signed-in-tenant">{format!("tenant {tid}")}</span> })}
                                {claims.oid.clone().map(|oid| view! { <span class="oid mono" title="Object id" data-testid="signed-in-oid">{format!("object {oid}")}</span> })}
                                <span class=if expired { "expiry expired" } else { "expiry" } data-testid="token-expiry">{expiry}</span>
                                <span class="endpoint mono" title="ARM endpoint">{s.endpoint.clone()}</span>
                            </div>
                        }
                    })
            }}
            <Show when=move || session.is_signed_in()>
                <WriteModeSwitch />
            </Show>
            <Show when=move || session.is_signed_in()>
                <button type="button" class="secondary" data-testid="sign-out" on:click=sign_out.clone()>
                    "Sign out"
                </button>
            </Show>
        </header>
    }
}
