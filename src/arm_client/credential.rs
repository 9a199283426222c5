//! Where the client's bearer token comes from. The client depends on this
//! trait only (as azure_core's bearer-token policy depends on a credential),
//! so it knows nothing of sign-in: the session implements it, and a fixed
//! token does too.

use acr_cmk_domain::token::AccessToken;

/// Yields the token to send with the next request.
pub trait TokenSource: Send + Sync {
    /// Asked before every request, so a source that refreshes (the session)
    /// is followed by clients made before the refresh.
    fn token(&self) -> AccessToken;
}

/// A token that never changes (the client it was made for sends it until it expires).
impl TokenSource for AccessToken {
    fn token(&self) -> AccessToken {
        self.clone()
    }
}
