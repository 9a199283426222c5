//! Entra's test knobs under `/_emulator/entra/` (not in Azure): token
//! lifetimes, and revoking every refresh token issued so far.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::grants::{Entra, Settings};
use crate::errors::ArmError;

pub(super) async fn set_settings(State(entra): State<Entra>, body: Bytes) -> Response {
    let settings: Settings = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return ArmError::invalid_body(e).into_response(),
    };
    entra.grants().settings = settings.clone();
    axum::Json(settings).into_response()
}

pub(super) async fn get_settings(State(entra): State<Entra>) -> Response {
    axum::Json(entra.grants().settings.clone()).into_response()
}

/// Revokes every refresh token issued so far (as a password reset would).
pub(super) async fn revoke(State(entra): State<Entra>) -> Response {
    let mut grants = entra.grants();
    let count = grants.refresh.values_mut().filter(|g| !g.revoked).map(|g| g.revoked = true).count();
    axum::Json(json!({ "revoked": count })).into_response()
}
