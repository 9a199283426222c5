//! A minimal Microsoft Entra ID (v2.0 endpoints) for one tenant: OpenID
//! discovery, the authorization endpoint with a tiny account picker, and the
//! token endpoint with the authorization-code (+PKCE), refresh-token and
//! client-credentials grants. Tokens are signed by the same [`crate::auth::Signer`]
//! as every other emulator token, so ARM and Key Vault routes accept them.
//!
//! Errors follow Entra: problems with the client or its redirect URI are shown
//! on the page (a bad redirect URI must never be followed); everything else is
//! sent back to the redirect URI as `error`/`error_description`; the token
//! endpoint answers Entra's JSON (`error`, `error_description` with an AADSTS
//! code, `error_codes`, `timestamp`, `trace_id`, `correlation_id`).
//!
//! By job: `discovery` (the OpenID document), `authorize` (the sign-in, with
//! its `sign_in_page`), `token` (checking a grant) and `minting` (the tokens
//! themselves), over the `oauth` vocabulary they share and the `grants` store;
//! `knobs` are the emulator-only test controls.

mod authorize;
mod discovery;
mod grants;
mod knobs;
mod minting;
mod oauth;
mod sign_in_page;
mod token;

use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

// The demo directory's names stay reachable here, where tests and the scenario look for them.
pub use crate::directory::{
    demo_directory, Directory, DirectoryUser, SpaApp, DANA_NAME, DANA_OID, DANA_UPN, DEMO_SPA_CLIENT_ID, DEMO_SPA_NAME,
};
pub use discovery::startup_summary;
pub use grants::Settings;

/// The identity routes; merge into the app (they carry their own grant store).
pub fn router(app: AppState) -> Router<AppState> {
    Router::new()
        .route("/{tenant}/v2.0/.well-known/openid-configuration", get(discovery::discovery))
        .route("/{tenant}/discovery/v2.0/keys", get(discovery::keys))
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize::authorize_get).post(authorize::authorize_post))
        .route("/{tenant}/oauth2/v2.0/token", post(token::token))
        .route("/_emulator/entra/settings", post(knobs::set_settings).get(knobs::get_settings))
        .route("/_emulator/entra/revoke", post(knobs::revoke))
        .with_state(grants::Entra::new(app))
}
