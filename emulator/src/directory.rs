//! The emulated tenant's directory: its users and its SPA app registrations,
//! which Entra signs in against (service principals with secrets are in
//! `World::service_principals`), and the demo scenario's directory.

use serde::{Deserialize, Serialize};

use crate::auth;

/// The demo scenario's public SPA app registration (the console).
pub const DEMO_SPA_CLIENT_ID: &str = "6d6f636b-0000-4000-8000-0000000000b1";
pub const DEMO_SPA_NAME: &str = "ACR encryption console (emulator)";
/// A second demo user, besides [`auth::DEMO_USER_OID`].
pub const DANA_OID: &str = "6d6f636b-0000-4000-8000-0000000000f2";
pub const DANA_NAME: &str = "Dana Admin";
pub const DANA_UPN: &str = "dana@contoso.example";

/// Users and app registrations of the emulated tenant (service principals with
/// secrets live in [`crate::world::World::service_principals`]).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Directory {
    #[serde(default)]
    pub users: Vec<DirectoryUser>,
    #[serde(default)]
    pub spa_apps: Vec<SpaApp>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryUser {
    pub object_id: String,
    pub display_name: String,
    pub user_principal_name: String,
}

/// A public client registered with the `Single-page application` platform.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpaApp {
    pub display_name: String,
    pub client_id: String,
    pub redirect_uris: Vec<String>,
    /// Accept any `http://127.0.0.1:*` / `http://localhost:*` redirect URI (any
    /// port, any path): the console's port is picked at start. Not in Azure.
    #[serde(default)]
    pub any_loopback_redirect: bool,
}

impl SpaApp {
    /// May a sign-in for this app be sent back to `redirect_uri`?
    pub fn allows(&self, redirect_uri: &str) -> bool {
        if self.redirect_uris.iter().any(|r| r == redirect_uri) {
            return true;
        }
        self.any_loopback_redirect && is_loopback_http(redirect_uri)
    }
}

fn is_loopback_http(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("http://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return false,
        None => authority,
    };
    !uri.contains('#') && (host == "127.0.0.1" || host.eq_ignore_ascii_case("localhost"))
}

/// The demo scenario's directory: three users (two administrators, one helpdesk Reader) and the console's SPA registration.
pub fn demo_directory() -> Directory {
    Directory {
        users: vec![
            DirectoryUser {
                object_id: auth::DEMO_USER_OID.into(),
                display_name: auth::DEMO_USER_NAME.into(),
                user_principal_name: auth::DEMO_USER_UPN.into(),
            },
            DirectoryUser { object_id: DANA_OID.into(), display_name: DANA_NAME.into(), user_principal_name: DANA_UPN.into() },
            DirectoryUser {
                object_id: auth::HELPDESK_USER_OID.into(),
                display_name: auth::HELPDESK_USER_NAME.into(),
                user_principal_name: auth::HELPDESK_USER_UPN.into(),
            },
        ],
        spa_apps: vec![SpaApp {
            display_name: DEMO_SPA_NAME.into(),
            client_id: DEMO_SPA_CLIENT_ID.into(),
            redirect_uris: vec!["http://localhost/auth/callback".into(), "http://127.0.0.1/auth/callback".into()],
            any_loopback_redirect: true,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_redirects_ignore_port_and_path() {
        assert!(is_loopback_http("http://127.0.0.1:4321/auth/callback"));
        assert!(is_loopback_http("http://localhost/x"));
        assert!(!is_loopback_http("https://127.0.0.1:4321/"));
        assert!(!is_loopback_http("http://127.0.0.1.evil.example/"));
        assert!(!is_loopback_http("http://127.0.0.1:80@evil.example/"));
        assert!(!is_loopback_http("http://localhost:1/#frag"));
    }
}
