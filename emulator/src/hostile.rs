//! Hostile data: `POST /_emulator/hostile` puts markup and `javascript:` URLs
//! into every free-text field the emulated Azure lets a tenant's admins choose
//! (subscription display name, resource tags, a directory user's display name)
//! and an error message (a fault on one registry's reads), so a client can be
//! shown to render them as text. Resource *names* keep ARM's naming rules
//! (no `<`, `>` or `:` is allowed there), so they stay as they are.
//!
//! Every payload, if it ever ran, sets `window.__pwned` to say which field it
//! came from. The answer lists what was put where.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::errors::ArmError;
use crate::faults::{Fault, FaultKind};
use crate::state::AppState;
use crate::world::eq;

/// Markup that runs script if inserted as HTML, tagged with where it came from.
pub fn payload(field: &str) -> String {
    format!(
        "{field} <script>window.__pwned='{field}-script'</script><img src=x onerror=\"window.__pwned='{field}-img'\"> \
         <a href=\"javascript:window.__pwned='{field}-link'\">open</a>"
    )
}

/// A bare `javascript:` URL, for fields a client might turn into a link.
pub fn javascript_url(field: &str) -> String {
    format!("javascript:window.__pwned='{field}-url'")
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostileRequest {
    /// The registry whose GETs fail with a hostile ARM error (default `contosodev`).
    #[serde(default)]
    pub error_on: Option<String>,
    /// The directory user renamed (default: every user).
    #[serde(default)]
    pub user_upn: Option<String>,
}

/// What was seeded, so tests compare the page with it instead of hard-coding it.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Seeded {
    /// Subscription id → its new display name.
    pub subscription_display_names: BTreeMap<String, String>,
    /// Resource id → the tags added.
    pub tags: BTreeMap<String, BTreeMap<String, String>>,
    /// UPN → display name (the `name` claim of the tokens the user gets).
    pub user_display_names: BTreeMap<String, String>,
    /// The registry whose reads fail, and the ARM error they fail with.
    pub error_on: String,
    pub error_code: String,
    pub error_message: String,
}

pub async fn seed_route(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let req: HostileRequest = if body.is_empty() {
        HostileRequest::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(r) => r,
            Err(e) => return ArmError::invalid_body(e).into_response(),
        }
    };
    let seeded = seed(&state, &req);
    axum::Json(seeded).into_response()
}

/// Rewrites the world's free-text fields and installs the hostile error fault.
pub fn seed(state: &AppState, req: &HostileRequest) -> Seeded {
    let mut seeded = Seeded::default();
    {
        let mut world = state.world();
        for sub in &mut world.subscriptions {
            sub.display_name = payload("subscription");
            seeded.subscription_display_names.insert(sub.subscription_id.clone(), sub.display_name.clone());
        }
        let tags = |kind: &str| {
            BTreeMap::from([
                ("hostile-markup".to_string(), payload(&format!("{kind}-tag"))),
                ("hostile-link".to_string(), javascript_url(&format!("{kind}-tag"))),
            ])
        };
        for rec in &mut world.registries {
            rec.registry.tags.extend(tags("registry"));
            seeded.tags.insert(rec.registry.id.clone(), tags("registry"));
        }
        for rec in &mut world.identities {
            rec.tags.extend(tags("identity"));
            seeded.tags.insert(rec.id(), tags("identity"));
        }
        for user in &mut world.directory.users {
            if req.user_upn.as_deref().is_none_or(|upn| eq(upn, &user.user_principal_name)) {
                user.display_name = payload("user");
                seeded.user_display_names.insert(user.user_principal_name.clone(), user.display_name.clone());
            }
        }
    }
    let error_on = req.error_on.clone().unwrap_or_else(|| "contosodev".to_string());
    let fault = Fault {
        method: Some("GET".into()),
        route: None,
        path_contains: Some(format!("/registries/{error_on}")),
        kind: FaultKind::Status,
        // 400: not retried, so the message shows at once.
        status: Some(400),
        retry_after: None,
        code: Some("InvalidRequestContent".into()),
        message: Some(format!("{} {}", payload("error"), javascript_url("error"))),
        delay_ms: None,
        url: None,
        link: None,
        times: None,
        fired: 0,
    };
    seeded.error_on = error_on;
    seeded.error_code = fault.code.clone().unwrap_or_default();
    seeded.error_message = fault.message.clone().unwrap_or_default();
    state.faults().push(fault);
    seeded
}
