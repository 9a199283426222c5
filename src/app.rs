//! The app: configuration, session, the header ([`crate::header`]) and routes.
//!
//! Routes other than sign-in are protected: without a session they redirect
//! to `/sign-in` (the session lives in memory, so a reload signs out).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{ProtectedRoute, Route, Router, Routes};
use leptos_router::path;

use crate::config::{self, Config};
use crate::entra::{EntraAuth, SignInAgainPrompt};
use crate::header::Header;
use crate::i18n::catalogue::shell;
use crate::i18n::{tr, Locale};
use crate::lazy_route::RouteView;
use crate::pages::callback::callback_route;
use crate::pages::create::create_route;
use crate::pages::decode::decode_route;
use crate::pages::fleet::fleet_route;
use crate::pages::not_found::NotFoundPage;
use crate::pages::registries::registries_route;
use crate::pages::registry::registry_route;
use crate::pages::sign_in::SignInPage;
use crate::routes;
use crate::session::SessionStore;
use crate::tour::panel::TourPanel;
use crate::tour::Tour;
use crate::world_changed::WorldChanged;
use crate::write_log::{BackgroundWrites, WriteLog};
use crate::write_mode::WriteMode;

#[component]
pub fn App() -> impl IntoView {
    Locale::provide();
    EntraAuth::provide(SessionStore::provide());
    WriteMode::provide();
    WriteLog::provide();
    WorldChanged::provide();
    Tour::provide();
    // The routes wait for config.json: the sign-in screen is prefilled from it.
    let config = RwSignal::new(None::<Config>);
    let page = routes::page_after_load(&routes::current_path());
    spawn_local(async move {
        config.set(Some(config::load().await));
        // The page this load ends on is a chunk of its own (with the shared chunks it needs): fetch it
        // while sign-in shows, once config.json is in, which would otherwise queue behind those
        // downloads and hold the sign-in page back.
        if let Some(page) = page {
            crate::pages::preload(page);
        }
    });

    view! {
        <CspMissingBanner />
        {move || match config.get() {
            None => view! { <p class="loading" role="status">{tr(shell::STARTING)}</p> }.into_any(),
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
            <BackgroundWrites />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/auth/callback") view={callback_route as RouteView} />
                    <ProtectedRoute path=path!("/") view={registries_route as RouteView} condition=signed_in redirect_path=sign_in />
                    <ProtectedRoute path=path!("/create") view={create_route as RouteView} condition=signed_in redirect_path=sign_in />
                    <ProtectedRoute path=path!("/fleet") view={fleet_route as RouteView} condition=signed_in redirect_path=sign_in />
                    <ProtectedRoute path=path!("/decode") view={decode_route as RouteView} condition=signed_in redirect_path=sign_in />
                    <ProtectedRoute
                        path=path!("/subscriptions/:sub/resourceGroups/:rg/registries/:name")
                        view={registry_route as RouteView}
                        condition=signed_in
                        redirect_path=sign_in
                    />
                </Routes>
            </main>
            // Beside <main>: a complementary landmark belongs at the top level.
            <TourPanel />
        </Router>
    }
}

/// Warns when the page came without a Content-Security-Policy header: then only
/// `index.html`'s `<meta>` policy applies, which cannot keep requests (and the
/// token) to ARM's origin. Hosting it right is in the README's "Hosting".
#[component]
fn CspMissingBanner() -> impl IntoView {
    let missing = RwSignal::new(false);
    spawn_local(async move {
        missing.set(crate::hosting::served_with_csp_header().await == Some(false));
    });
    move || {
        missing.get().then(|| {
            view! {
                <p class="notice" role="alert" data-testid="csp-missing">
                    {tr(shell::CSP_MISSING)}
                </p>
            }
        })
    }
}
