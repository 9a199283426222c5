//! ARM's cloud metadata endpoint, `GET /metadata/endpoints?api-version=…`: what
//! `az cloud register --endpoint-resource-manager <emulator>` reads to learn the
//! cloud's sign-in endpoint, token audiences and DNS suffixes. No token needed,
//! as in Azure. The emulator names itself as ARM and as the sign-in endpoint;
//! the Key Vault DNS suffix stays `vault.azure.net` (the emulator's vault proxy,
//! `--vault-proxy-listen`, reaches `{vault}.vault.azure.net` on the emulator).

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::api_versions::Provider;
use crate::errors::ArmResult;
use crate::http::{json, Req, Route};
use crate::state::AppState;

/// The cloud's name in the metadata (`az cloud register --name` may choose another).
pub const CLOUD_NAME: &str = "AzureEmulator";

pub fn routes() -> Vec<Route> {
    vec![Route { method: Method::GET, template: "/metadata/endpoints", provider: Provider::CloudMetadata, auth: None, handler: endpoints }]
}

/// One cloud's endpoints, in the shape of `api-version=2022-09-01` (and 2020-06-01).
fn cloud(base: &str) -> Value {
    json!({
        "name": CLOUD_NAME,
        "portal": base,
        "resourceManager": format!("{base}/"),
        "authentication": {
            "loginEndpoint": base,
            "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
            "tenant": "common",
            "identityProvider": "AAD",
        },
        "graph": "https://graph.windows.net/",
        "graphAudience": "https://graph.windows.net/",
        "microsoftGraphResourceId": "https://graph.microsoft.com/",
        "activeDirectoryDataLake": "https://datalake.azure.net/",
        "batch": "https://batch.core.windows.net/",
        "media": "https://rest.media.azure.net",
        "sqlManagement": "https://management.core.windows.net:8443/",
        "gallery": "https://gallery.azure.com/",
        "suffixes": {
            "acrLoginServer": "azurecr.io",
            "keyVaultDns": "vault.azure.net",
            "mhsmDns": "managedhsm.azure.net",
            "storage": "core.windows.net",
            "sqlServerHostname": "database.windows.net",
            "azureDataLakeStoreFileSystem": "azuredatalakestore.net",
            "azureDataLakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
        },
    })
}

/// `2022-09-01`/`2020-06-01`: this cloud as one object. `2019-05-01`: a list of clouds.
/// `2015-01-01`: the old flat shape (`authentication` and a `galleryEndpoint`).
fn endpoints(_state: &AppState, req: &Req) -> ArmResult<Response> {
    let base = req.base.trim_end_matches('/');
    let body = match req.api_version() {
        "2019-05-01" => json!([cloud(base)]),
        "2015-01-01" => json!({
            "galleryEndpoint": "https://gallery.azure.com/",
            "graphEndpoint": "https://graph.windows.net/",
            "portalEndpoint": base,
            "authentication": {
                "loginEndpoint": base,
                "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
            },
        }),
        _ => cloud(base),
    };
    Ok(json(StatusCode::OK, body))
}
