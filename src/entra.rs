//! Entra ID sign-in in the browser: the parts of the PKCE flow that need the
//! browser (randomness, the redirect, `fetch`, timers). The decisions are in
//! `acr_cmk_domain::entra`.
//!
//! Where secrets live:
//! - `state` and the PKCE verifier: `sessionStorage`, only between leaving for
//!   the sign-in page and coming back; read and deleted first thing on return.
//! - access and refresh tokens: this tab's memory only (the session signal and
//!   [`EntraAuth`]); never `localStorage`, cookies, URLs or logs.

use crate::i18n::catalogue::shell;
use crate::i18n::tr;
use acr_cmk_domain::entra::{
    can_refresh_at, read_redirect, read_token_response, refresh_delay_secs, state_from_random, EntraSettings, Pkce, SignInError,
};
use acr_cmk_domain::token::read_token;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::clock::now_unix_secs;
use crate::random::random_bytes;
use crate::session::{Session, SessionStore};

/// The `sessionStorage` key of a sign-in in progress.
const PENDING_KEY: &str = "acr-cmk.entra-sign-in";
/// The console's redirect route.
pub const CALLBACK_PATH: &str = "/auth/callback";

/// What survives the trip to the sign-in page and back.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pending {
    state: String,
    verifier: String,
    settings: EntraSettings,
    /// The ARM endpoint to use once signed in.
    endpoint: String,
    /// Where to go afterwards (a local path).
    return_to: String,
}

/// The refresh token and what it needs, in memory only.
#[derive(Clone)]
pub struct RefreshGrant {
    settings: EntraSettings,
    refresh_token: String,
    /// SPA refresh tokens end 24 h after sign-in, whatever happens.
    expires_at: Option<i64>,
    /// For `login_hint` when signing in again.
    login_hint: Option<String>,
}

/// The Entra part of the session: the refresh grant and the refresh timer's generation.
#[derive(Clone, Copy)]
pub struct EntraAuth {
    grant: StoredValue<Option<RefreshGrant>>,
    generation: StoredValue<u64>,
}

/// This tab's default redirect URI: `{origin}/auth/callback`.
pub fn default_redirect_uri() -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}{CALLBACK_PATH}")
}

fn session_storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .ok_or_else(|| "this browser does not allow sessionStorage, which the sign-in needs for the redirect".to_string())
}

/// Starts a sign-in: remembers `state` and the verifier for the redirect, then
/// leaves for the authorization endpoint. Returns only on failure. Its code (PKCE,
/// the authorize URL, the pending sign-in's JSON) is a wasm chunk of its own, fetched
/// on the click (issue 14: most page loads never start an Entra sign-in).
#[lazy]
pub async fn begin(settings: EntraSettings, endpoint: String, return_to: String, login_hint: Option<String>) -> Result<(), String> {
    begin_now(&settings, &endpoint, &return_to, login_hint.as_deref())
}

fn begin_now(settings: &EntraSettings, endpoint: &str, return_to: &str, login_hint: Option<&str>) -> Result<(), String> {
    let pkce = Pkce::from_random(&random_bytes::<32>()?);
    let state = state_from_random(&random_bytes::<16>()?);
    let url = settings.authorize_url(&pkce, &state, login_hint);
    let pending = Pending {
        state,
        verifier: pkce.verifier,
        settings: settings.clone(),
        endpoint: endpoint.to_string(),
        return_to: crate::routes::after_sign_in(Some(return_to.to_string())),
    };
    let json = serde_json::to_string(&pending).map_err(|e| e.to_string())?;
    session_storage()?.set_item(PENDING_KEY, &json).map_err(|_| "sessionStorage is full or disabled".to_string())?;
    web_sys::window().ok_or("no window")?.location().assign(&url).map_err(|_| "the browser refused to open the sign-in page".to_string())
}

/// Deletes a sign-in in progress without reading it (an abandoned one).
fn forget_pending() {
    if let Ok(storage) = session_storage() {
        let _ = storage.remove_item(PENDING_KEY);
    }
}

/// Reads and deletes the sign-in in progress: it is good for one return only.
fn take_pending() -> Option<Pending> {
    let storage = session_storage().ok()?;
    let json = storage.get_item(PENDING_KEY).ok().flatten();
    let _ = storage.remove_item(PENDING_KEY);
    serde_json::from_str(&json?).ok()
}

/// A finished sign-in.
pub struct SignedIn {
    pub session: Session,
    pub grant: Option<RefreshGrant>,
    pub return_to: String,
}

/// Finishes the sign-in the redirect's `query` answers. The error carries where
/// to send the user back to.
pub async fn complete(query: &str) -> Result<SignedIn, (SignInError, String)> {
    let Some(pending) = take_pending() else {
        return Err((SignInError::NoPendingSignIn, crate::routes::HOME.to_string()));
    };
    let return_to = pending.return_to.clone();
    let fail = |e: SignInError| (e, return_to.clone());
    let code = read_redirect(query, &pending.state).map_err(fail)?;
    let body = pending.settings.code_redemption_body(&code, &pending.verifier);
    let (session, grant) = redeem(&pending.settings, &pending.endpoint, body).await.map_err(fail)?;
    Ok(SignedIn { session, grant, return_to })
}

/// The refresh timer's token request. [`redeem`] is otherwise the callback page's, a chunk of its own,
/// so this is a split point too and the token code stays out of the first load (issue 14).
#[lazy]
async fn refresh(settings: EntraSettings, endpoint: String, body: String) -> Result<(Session, Option<RefreshGrant>), SignInError> {
    redeem(&settings, &endpoint, body).await
}

/// Posts a token request and turns the answer into a session (+ refresh grant).
async fn redeem(settings: &EntraSettings, endpoint: &str, body: String) -> Result<(Session, Option<RefreshGrant>), SignInError> {
    let response = gloo_net::http::Request::post(&settings.token_url())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .map_err(|e| SignInError::Transport(e.to_string()))?
        .send()
        .await
        .map_err(|_| {
            SignInError::Transport(format!("no answer from {} (is it reachable and does it allow this origin?)", settings.token_url()))
        })?;
    let status = response.status();
    let text = response.text().await.map_err(|e| SignInError::Transport(e.to_string()))?;
    let tokens = read_token_response(status, &text)?;
    let now = now_unix_secs();
    let token = read_token(&tokens.access_token, now).map_err(|e| SignInError::UnusableToken(e.to_string()))?;
    let login_hint = token.claims.upn.clone().or_else(|| token.claims.unique_name.clone());
    let grant = tokens.refresh_token.map(|refresh_token| RefreshGrant {
        settings: settings.clone(),
        refresh_token,
        expires_at: tokens.refresh_token_expires_in.map(|s| now + s),
        login_hint,
    });
    Ok((Session { endpoint: endpoint.to_string(), token }, grant))
}

impl EntraAuth {
    /// Provides the (empty) Entra state; wipes it whenever the session ends.
    pub fn provide(session: SessionStore) -> EntraAuth {
        let auth = EntraAuth { grant: StoredValue::new(None), generation: StoredValue::new(0) };
        provide_context(auth);
        // A sign-in abandoned on the way (back button, closed sign-in page) leaves nothing behind.
        let on_callback = web_sys::window().and_then(|w| w.location().pathname().ok()).is_some_and(|p| p == CALLBACK_PATH);
        if !on_callback {
            forget_pending();
            // Back from the sign-in page may restore this page from the back-forward cache, without a start.
            let handle = window_event_listener(leptos::ev::pageshow, |_| forget_pending());
            on_cleanup(move || handle.remove());
        }
        Effect::new(move |_| {
            if !session.is_signed_in() {
                auth.clear();
            }
        });
        auth
    }

    pub fn expect() -> EntraAuth {
        expect_context::<EntraAuth>()
    }

    /// Forgets the refresh token and stops the refresh timer.
    pub fn clear(&self) {
        self.grant.set_value(None);
        self.generation.update_value(|g| *g += 1);
    }

    /// Whether the current session came from Entra (and can sign in again there).
    pub fn has_grant(&self) -> bool {
        self.grant.with_value(Option::is_some)
    }

    /// Signs in and keeps the session fresh until sign-out or the refresh token's end.
    pub fn start(&self, session: SessionStore, signed_in: Session, grant: Option<RefreshGrant>) {
        self.clear();
        session.sign_in(signed_in);
        if let Some(grant) = grant {
            self.grant.set_value(Some(grant));
            self.schedule(session);
        }
    }

    /// Leaves for the sign-in page again, as the same user, returning to `return_to`.
    pub async fn sign_in_again(self, endpoint: String, return_to: String) -> Result<(), String> {
        let Some(grant) = self.grant.get_value() else {
            return Err("not signed in with Entra ID".into());
        };
        begin(grant.settings, endpoint, return_to, grant.login_hint).await
    }

    fn schedule(&self, session: SessionStore) {
        let auth = *self;
        let generation = self.generation.get_value();
        spawn_local(async move {
            loop {
                let Some(exp) = session.with_untracked(|s| s.and_then(|s| s.token.claims.exp)) else { return };
                let delay = refresh_delay_secs(exp, now_unix_secs());
                gloo_timers::future::sleep(std::time::Duration::from_secs(delay as u64)).await;
                // Signed out, or signed in anew, meanwhile: this timer is done.
                if auth.generation.try_get_value() != Some(generation) {
                    return;
                }
                let Some(grant) = auth.grant.get_value() else { return };
                if !can_refresh_at(now_unix_secs(), grant.expires_at) {
                    session.ask_to_sign_in_again();
                    return;
                }
                let Some(endpoint) = session.with_untracked(|s| s.map(|s| s.endpoint.clone())) else { return };
                let body = grant.settings.refresh_body(&grant.refresh_token);
                match refresh(grant.settings.clone(), endpoint, body).await {
                    Ok((fresh, next)) if auth.generation.try_get_value() == Some(generation) => {
                        // Entra rotates refresh tokens; a SPA's keeps its end from sign-in.
                        let next = next.map(|n| RefreshGrant { expires_at: grant.expires_at.or(n.expires_at), ..n });
                        auth.grant.set_value(next.or(Some(grant)));
                        session.replace(fresh);
                    }
                    Ok(_) => return,
                    Err(_) => {
                        // The refresh token is no good (revoked, expired): ask, keep the page.
                        session.ask_to_sign_in_again();
                        return;
                    }
                }
            }
        });
    }
}

/// Shown when ARM answered 401 or the refresh token ran out: sign in again and
/// come back to this page (Entra: as the same user; a pasted token: via the
/// sign-in page with `?next=`).
#[component]
pub fn SignInAgainPrompt() -> impl IntoView {
    let session = SessionStore::expect();
    let auth = EntraAuth::expect();
    let navigate = leptos_router::hooks::use_navigate();
    let error = RwSignal::new(None::<String>);
    let sign_in_again = move || {
        let here = crate::routes::current_path();
        if auth.has_grant() {
            let endpoint = session.with_untracked(|s| s.map(|s| s.endpoint.clone())).unwrap_or_default();
            spawn_local(async move {
                let _ = error.try_set(auth.sign_in_again(endpoint, here).await.err());
            });
        } else {
            session.dismiss_sign_in_again();
            navigate(&crate::routes::sign_in_returning_to(&here), Default::default());
        }
    };
    move || {
        let sign_in_again = sign_in_again.clone();
        session.sign_in_again_asked().then(|| {
            view! {
                <div class="reauth" role="alert" data-testid="reauth-prompt">
                    <p>
                        {tr(shell::REAUTH)}
                    </p>
                    {move || error.get().map(|e| view! { <p class="error-text" data-testid="reauth-error">{e}</p> })}
                    <div class="actions">
                        <button type="button" class="primary" data-testid="reauth-sign-in" on:click=move |_| sign_in_again()>
                            {tr(shell::SIGN_IN_AGAIN)}
                        </button>
                        <button
                            type="button"
                            class="secondary"
                            data-testid="reauth-dismiss"
                            on:click=move |_| session.dismiss_sign_in_again()
                        >
                            {tr(shell::NOT_NOW)}
                        </button>
                    </div>
                </div>
            }
        })
    }
}
