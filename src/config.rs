//! The host's settings for the console, read once at start from
//! `./config.json` next to `index.html`:
//! `{"armEndpoint":"http://127.0.0.1:PORT","demo":true}`.
//! Missing or unreadable → public Azure, no demo sign-in.

use acr_cmk_domain::endpoint::{normalize_endpoint, DEFAULT_ENDPOINT};
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Prefills the sign-in screen's endpoint field.
    pub arm_endpoint: String,
    /// Offers the emulator's "Demo sign-in".
    pub demo: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config { arm_endpoint: DEFAULT_ENDPOINT.to_string(), demo: false }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigFile {
    #[serde(default)]
    arm_endpoint: Option<String>,
    #[serde(default)]
    demo: bool,
}

impl Config {
    /// Reads `config.json`'s text; anything unreadable falls back to the defaults.
    pub fn from_json(text: &str) -> Config {
        let Ok(file) = serde_json::from_str::<ConfigFile>(text) else {
            return Config::default();
        };
        let arm_endpoint = file
            .arm_endpoint
            .and_then(|e| normalize_endpoint(&e).ok())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string());
        Config { arm_endpoint, demo: file.demo }
    }
}

/// Fetches `./config.json` (relative to the document's base URL).
pub async fn load() -> Config {
    let Ok(response) = gloo_net::http::Request::get("./config.json").send().await else {
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
