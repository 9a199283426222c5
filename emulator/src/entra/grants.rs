//! What Entra remembers between requests (the authorization codes and refresh
//! tokens it issued, and the test knobs) and the state its handlers share.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::state::AppState;

/// Authorization codes live this long (Entra: about 10 minutes).
pub(super) const CODE_LIFETIME_SECS: i64 = 600;
/// A SPA's refresh tokens end this long after sign-in, however often they are used.
pub(super) const SPA_REFRESH_LIFETIME_SECS: i64 = 24 * 3600;
/// Other clients' refresh tokens (Entra: 90 days, sliding).
pub(super) const REFRESH_LIFETIME_SECS: i64 = 90 * 24 * 3600;

/// Knobs for tests (`POST /_emulator/entra/settings`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Lifetime of access tokens from the token endpoint; default: the emulator's token lifetime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_lifetime_secs: Option<i64>,
    /// Lifetime of a SPA's refresh tokens after sign-in; default 24 h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spa_refresh_lifetime_secs: Option<i64>,
}

pub(super) struct CodeGrant {
    pub(super) client_id: String,
    pub(super) redirect_uri: String,
    /// `(method, challenge)`.
    pub(super) challenge: Option<(String, String)>,
    pub(super) scopes: Vec<String>,
    pub(super) user_oid: String,
    pub(super) nonce: Option<String>,
    pub(super) issued_at: i64,
    pub(super) redeemed: bool,
}

pub(super) struct RefreshGrant {
    pub(super) client_id: String,
    pub(super) user_oid: String,
    pub(super) spa: bool,
    pub(super) auth_time: i64,
    pub(super) expires_at: i64,
    pub(super) revoked: bool,
}

#[derive(Default)]
pub(super) struct Grants {
    pub(super) codes: HashMap<String, CodeGrant>,
    pub(super) refresh: HashMap<String, RefreshGrant>,
    pub(super) settings: Settings,
}

/// What every Entra handler gets: the emulator's state and the grant store.
#[derive(Clone)]
pub(super) struct Entra {
    pub(super) app: AppState,
    grants: Arc<Mutex<Grants>>,
}

impl Entra {
    pub(super) fn new(app: AppState) -> Entra {
        Entra { app, grants: Arc::new(Mutex::new(Grants::default())) }
    }

    pub(super) fn grants(&self) -> MutexGuard<'_, Grants> {
        self.grants.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// `bytes` random bytes, URL-safe: authorization codes, refresh tokens, token ids.
pub(super) fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf).expect("the OS random source");
    URL_SAFE_NO_PAD.encode(buf)
}
