//! The api-versions each provider accepts, in ONE table.
//!
//! ARM rejects an api-version a provider does not publish, so the emulator does
//! too. The list holds the spec versions the console uses, the seed article's
//! versions, and what current official SDKs send (azure-mgmt-containerregistry 15:
//! `2025-11-01`; azure-mgmt-keyvault: `2026-05-15`; azure-keyvault-keys:
//! `2025-07-01`; azure-mgmt-resource: `2025-04-01`; azure-mgmt-resource-deployments: `2026-06-01`; azure-mgmt-msi and
//! azure-mgmt-authorization: the profile defaults listed below).

use crate::errors::ArmError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// `/subscriptions`, `/subscriptions/{s}`, resource groups.
    Resources,
    ContainerRegistry,
    ManagedIdentity,
    KeyVault,
    /// The Key Vault data plane (`api-version=7.6`…).
    KeyVaultData,
    Authorization,
    /// `Microsoft.ResourceGraph/resources`.
    ResourceGraph,
    /// ARM's cloud metadata, `GET /metadata/endpoints`.
    CloudMetadata,
    /// `Microsoft.Insights/eventtypes/management/values`: the Activity Log.
    Insights,
    /// Admin routes and others that take no api-version.
    None,
}

/// (provider, accepted versions). Newest first.
pub const TABLE: &[(Provider, &[&str])] = &[
    (
        Provider::Resources,
        &[
            // azure-mgmt-resource-deployments 2 (the deployments client).
            "2026-06-01",
            "2025-04-01",
            "2025-03-01",
            "2024-11-01",
            "2024-07-01",
            "2024-03-01",
            "2023-07-01",
            "2022-12-01",
            "2022-09-01",
            "2022-01-01",
            "2021-04-01",
            "2021-01-01",
            "2020-10-01",
            "2020-08-01",
            "2020-06-01",
            "2020-01-01",
            "2019-11-01",
            "2019-10-01",
            "2019-08-01",
            "2019-07-01",
            "2019-06-01",
            "2019-05-10",
            "2019-05-01",
            "2019-03-01",
            "2018-05-01",
            "2018-02-01",
            "2017-05-10",
            "2016-09-01",
            "2016-07-01",
            "2016-06-01",
            "2016-02-01",
            "2015-11-01",
            "2015-01-01",
        ],
    ),
    (
        Provider::ContainerRegistry,
        &[
            "2026-09-01-preview",
            "2025-11-01",
            "2025-06-01-preview",
            "2025-05-01-preview",
            "2025-04-01",
            "2025-03-01-preview",
            "2024-11-01-preview",
            "2023-11-01-preview",
            "2023-08-01-preview",
            "2023-07-01",
            "2023-06-01-preview",
            "2023-01-01-preview",
            "2022-12-01",
            "2022-02-01-preview",
            "2021-12-01-preview",
            "2021-09-01",
            "2021-08-01-preview",
            "2021-06-01-preview",
            "2020-11-01-preview",
            "2019-12-01-preview",
            "2019-06-01-preview",
            "2019-05-01",
            "2017-10-01",
            "2017-06-01-preview",
            "2017-03-01",
            "2016-06-27-preview",
        ],
    ),
    (
        Provider::ManagedIdentity,
        &[
            "2026-05-31",
            "2026-04-30",
            "2025-05-31-preview",
            "2025-01-31-preview",
            "2024-11-30",
            "2023-07-31-preview",
            "2023-01-31",
            "2022-01-31-preview",
            "2021-09-30-preview",
            "2018-11-30",
            "2015-08-31-preview",
        ],
    ),
    (
        Provider::KeyVault,
        &[
            "2026-05-15",
            "2026-02-01",
            "2025-05-01",
            "2024-12-01-preview",
            "2024-11-01",
            "2024-04-01-preview",
            "2023-08-01-preview",
            "2023-07-01",
            "2023-02-01",
            "2022-11-01",
            "2022-07-01",
            "2022-02-01-preview",
            "2021-11-01-preview",
            "2021-10-01",
            "2021-06-01-preview",
            "2021-04-01-preview",
            "2020-04-01-preview",
            "2019-09-01",
            "2018-02-14",
            "2018-02-14-preview",
            "2016-10-01",
            "2015-06-01",
        ],
    ),
    (
        Provider::KeyVaultData,
        &["2025-07-01", "7.6", "7.6-preview.2", "7.5", "7.5-preview.1", "7.4", "7.3", "7.2", "7.1", "7.0", "2016-10-01"],
    ),
    (
        Provider::Authorization,
        &[
            "2022-05-01-preview",
            "2022-04-01",
            "2022-01-01-preview",
            "2021-04-01-preview",
            "2020-10-01-preview",
            "2020-08-01-preview",
            "2020-04-01-preview",
            "2020-03-01-preview",
            "2018-09-01-preview",
            "2018-01-01-preview",
            "2017-10-01-preview",
            "2015-07-01",
        ],
    ),
    // The Activity Log's list: its only stable version (monitor spec, `stable/2015-04-01`).
    (Provider::Insights, &["2015-04-01"]),
    (Provider::CloudMetadata, &["2022-09-01", "2020-06-01", "2019-05-01", "2015-01-01"]),
    (Provider::ResourceGraph, &["2024-04-01", "2022-10-01", "2021-06-01-preview", "2021-03-01", "2020-04-01-preview", "2019-04-01"]),
];

pub fn accepted(provider: Provider) -> &'static [&'static str] {
    TABLE.iter().find(|(p, _)| *p == provider).map(|(_, v)| *v).unwrap_or(&[])
}

/// Checks the `api-version` query parameter the way ARM does.
pub fn check(provider: Provider, given: Option<&str>) -> Result<(), ArmError> {
    if provider == Provider::None {
        return Ok(());
    }
    let Some(v) = given.filter(|v| !v.is_empty()) else {
        return Err(ArmError::bad_request(
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        ));
    };
    let list = accepted(provider);
    if list.iter().any(|a| a.eq_ignore_ascii_case(v)) {
        return Ok(());
    }
    if provider == Provider::KeyVaultData {
        return Err(ArmError::bad_request(
            "BadParameter",
            format!("The specified version ({v}) is not recognized. Consider using the latest supported version ({}).", list[0]),
        ));
    }
    Err(ArmError::bad_request(
        "InvalidApiVersionParameter",
        format!("The api-version '{v}' is invalid. The supported versions are '{}'.", list.join(",")),
    ))
}
