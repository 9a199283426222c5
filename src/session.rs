//! The signed-in session: the ARM endpoint and the accepted token.
//!
//! Held in a context signal, **in memory only**: never written to
//! localStorage, sessionStorage or cookies. Reloading the page signs out.
//!
//! The session owns sign-in state and hands out [`ArmClient`]s
//! ([`SessionStore::client`], the one way pages and components get one); a
//! client only knows the session as a [`TokenSource`].

use std::sync::Arc;

use acr_cmk_domain::token::AccessToken;
use leptos::prelude::*;

use crate::arm_client::{ArmClient, TokenSource};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Normalized, e.g. `https://management.azure.com`.
    pub endpoint: String,
    pub token: AccessToken,
}

impl Session {
    /// Who is signed in, from the token's claims.
    pub fn user(&self) -> String {
        self.token.claims.display_name()
    }
}

/// The app-wide session signal (`None` when signed out), and whether ARM
/// refused the token (401) so the header should offer to sign in again.
#[derive(Clone, Copy, Debug)]
pub struct SessionStore(RwSignal<Option<Session>>, RwSignal<bool>);

impl SessionStore {
    /// Creates the (empty) session and provides it to the app.
    pub fn provide() -> SessionStore {
        let store = SessionStore(RwSignal::new(None), RwSignal::new(false));
        provide_context(store);
        store
    }

    /// The session provided by [`SessionStore::provide`].
    pub fn expect() -> SessionStore {
        expect_context::<SessionStore>()
    }

    /// Tracked: re-runs the caller when the user signs in or out.
    pub fn get(&self) -> Option<Session> {
        self.0.get()
    }

    pub fn is_signed_in(&self) -> bool {
        self.0.with(Option::is_some)
    }

    /// A client for the current session (`None` when signed out), read once (not tracked).
    /// It sends the session's token as refreshed, for as long as the session is for its endpoint.
    /// A client for a write about to be sent (a re-plan's fresh reads): signed out, nothing is sent.
    pub fn client_for_write(&self) -> Result<ArmClient, crate::action_error::ActionError> {
        self.client().ok_or_else(|| crate::action_error::ActionError::Invalid("Signed out: nothing was sent.".into()))
    }

    pub fn client(&self) -> Option<ArmClient> {
        self.0.with_untracked(|s| {
            s.as_ref().map(|s| {
                let credential = SessionCredential { store: *self, endpoint: s.endpoint.clone(), issued: s.token.clone() };
                ArmClient::new(s.endpoint.clone(), Arc::new(credential))
            })
        })
    }

    /// The current token when the session is (still) for `endpoint`; `None`
    /// after sign-out or once the owner of the signal is gone.
    fn current_token_for(&self, endpoint: &str) -> Option<AccessToken> {
        self.0.try_with_untracked(|s| s.as_ref().filter(|s| s.endpoint == endpoint).map(|s| s.token.clone())).flatten()
    }

    pub fn sign_in(&self, session: Session) {
        self.0.set(Some(session));
        self.1.set(false);
    }

    pub fn sign_out(&self) {
        self.0.set(None);
        self.1.set(false);
    }

    /// The session, read once (not tracked).
    pub fn with_untracked<R>(&self, f: impl FnOnce(Option<&Session>) -> R) -> R {
        self.0.with_untracked(|s| f(s.as_ref()))
    }

    /// A refreshed token for the same sign-in.
    pub fn replace(&self, session: Session) {
        self.sign_in(session);
    }

    /// ARM answered 401 (or the refresh token ran out): ask to sign in again, keeping the page.
    pub fn ask_to_sign_in_again(&self) {
        if self.0.with_untracked(Option::is_some) {
            self.1.set(true);
        }
    }

    /// Tracked: whether to show the "sign in again" prompt.
    pub fn sign_in_again_asked(&self) -> bool {
        self.1.get()
    }

    pub fn dismiss_sign_in_again(&self) {
        self.1.set(false);
    }
}

/// The session as a client's token source.
struct SessionCredential {
    store: SessionStore,
    endpoint: String,
    /// Sent when the session no longer signs in to `endpoint` (signed out, or
    /// another endpoint): such a client's requests fail as its token would.
    issued: AccessToken,
}

impl TokenSource for SessionCredential {
    fn token(&self) -> AccessToken {
        self.store.current_token_for(&self.endpoint).unwrap_or_else(|| self.issued.clone())
    }
}
