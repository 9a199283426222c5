//! The host's settings for the console, read once at start from
//! `./config.json` next to `index.html`:
//! `{"armEndpoint":"http://127.0.0.1:PORT","demo":true,"authority":"…/{tenant}","clientId":"…","redirectUri":"…"}`
//! (the Entra ID fields are optional; the sign-in page can override them).
//! Missing or unreadable → public Azure, no demo sign-in.

use acr_cmk_domain::endpoint::{normalize_endpoint, DEFAULT_ENDPOINT};
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Prefills the sign-in screen's endpoint field.
    pub arm_endpoint: String,
    /// Offers the emulator's "Demo sign-in".
    pub demo: bool,
    /// Entra ID: `https://login.microsoftonline.com/{tenant}` (prefills "Sign in with Microsoft").
    pub authority: Option<String>,
    /// Entra ID: the SPA app registration's client id.
    pub client_id: Option<String>,
    /// Entra ID: the redirect URI; default `{this origin}/auth/callback`.
    pub redirect_uri: Option<String>,
}

impl Default for Config {
    fn default() -> Config {
        Config { arm_endpoint: DEFAULT_ENDPOINT.to_string(), demo: false, authority: None, client_id: None, redirect_uri: None }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigFile {
    #[serde(default)]
    arm_endpoint: Option<String>,
    #[serde(default)]
    demo: bool,
    #[serde(default)]
    authority: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    redirect_uri: Option<String>,
}

impl Config {
    /// Reads `config.json`'s text; anything unreadable falls back to the defaults.
    pub fn from_json(text: &str) -> Config {
        let Ok(file) = serde_json::from_str::<ConfigFile>(text) else {
            return Config::default();
        };
        let arm_endpoint = file.arm_endpoint.and_then(|e| normalize_endpoint(&e).ok()).unwrap_or_else(|| DEFAULT_ENDPOINT.to_string());
        Config {
            arm_endpoint,
            demo: file.demo,
            authority: file.authority.filter(|a| !a.trim().is_empty()),
            client_id: file.client_id.filter(|c| !c.trim().is_empty()),
            redirect_uri: file.redirect_uri.filter(|r| !r.trim().is_empty()),
        }
    }
}

/// Fetches `/config.json`: the console is served at its origin's root, and an
/// absolute path needs no `<base>` (which the CSP's `base-uri 'none'` forbids)
/// to work from deep links.
pub async fn load() -> Config {
    let Ok(response) = gloo_net::http::Request::get("/config.json").send().await else {
        return Config::default();
    };
    if !response.ok() {
        return Config::default();
    }
    match response.text().await {
        Ok(text) => Config::from_json(&text),
        Err(_) => Config::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entra_settings_come_from_config_json() {
        let c = Config::from_json(
            r#"{"armEndpoint":"http://127.0.0.1:8080/","demo":true,"authority":"http://127.0.0.1:8080/t","clientId":"c","redirectUri":""}"#,
        );
        assert_eq!(c.arm_endpoint, "http://127.0.0.1:8080");
        assert_eq!(c.authority.as_deref(), Some("http://127.0.0.1:8080/t"));
        assert_eq!(c.client_id.as_deref(), Some("c"));
        assert_eq!(c.redirect_uri, None, "empty means the default");
        let public = Config::from_json("{}");
        assert_eq!((public.authority, public.client_id, public.demo), (None, None, false));
    }
}
