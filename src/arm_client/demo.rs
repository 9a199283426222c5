//! The emulator's two demo routes, for the guided demo (`crate::tour`); neither exists in
//! Azure. They are sent without the token and without the admin secret: the emulator
//! answers them openly only when it runs the demo scenario on loopback (emulator/README.md,
//! "Emulator-only routes"), and refuses them (`401`) anywhere else.

use acr_cmk_domain::requests::{ArmRequest, Method};
use serde::Deserialize;

use super::transport::Call;
use super::{ArmClient, ClientError};

const RESET_PATH: &str = "/_emulator/reset";

#[derive(Deserialize)]
struct NewVersion {
    kid: String,
}

impl ArmClient {
    /// `POST /_emulator/reset`: the emulator's world as its scenario seeds it.
    pub async fn reset_demo(&self) -> Result<(), ClientError> {
        self.demo_post(RESET_PATH.to_string()).await.map(|_| ())
    }

    /// A new version of `key` in `vault` (what `az keyvault key rotate` does on Key Vault's data
    /// plane, which a browser cannot call); returns the new version's key id.
    pub async fn new_key_version(&self, vault: &str, key: &str) -> Result<String, ClientError> {
        let vault = String::from(js_sys::encode_uri_component(vault));
        let key = String::from(js_sys::encode_uri_component(key));
        let body = self.demo_post(format!("/_emulator/vaults/{vault}/keys/{key}/new-version")).await?;
        serde_json::from_str::<NewVersion>(&body)
            .map(|v| v.kid)
            .map_err(|e| acr_cmk_domain::response::failure(502, None, &format!("not a key version: {e}")))
    }

    async fn demo_post(&self, path: String) -> Result<String, ClientError> {
        let call = Call::start(&self.endpoint);
        let answer = call.send_once(&ArmRequest::new(Method::Post, path, None), None).await?;
        if !(200..300).contains(&answer.status) {
            return Err(acr_cmk_domain::response::failure(answer.status, answer.request_id, &answer.body));
        }
        Ok(answer.body)
    }
}
