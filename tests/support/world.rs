//! The world the tests run in: the emulator's demo scenario. Its ids come from
//! the emulator's public `scenario` constants rather than copies, so a test and
//! the seed cannot drift apart; the registry names (`contosoprod`, `contosoauto`,
//! `contosodev`, `contosolost`) stay literal in the tests, as the steps read them.

// Each test binary uses a few of these.
#[allow(unused_imports)]
pub use acr_cmk_emulator::entra::{DANA_NAME, DANA_OID, DANA_UPN};
#[allow(unused_imports)]
pub use acr_cmk_emulator::scenario::{
    DEMO_CENTRAL_VAULT, DEMO_IDENTITY_PRINCIPAL, DEMO_KEY_V1, DEMO_RBAC_VAULT, DEMO_RESOURCE_GROUP, DEMO_SECURITY_RESOURCE_GROUP,
    DEMO_SECURITY_SUBSCRIPTION, DEMO_SUBSCRIPTION, DEMO_TENANT, DEMO_VAULT,
};

/// The console's page for the demo registry `name`.
pub fn registry_path(name: &str) -> String {
    format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourceGroups/{DEMO_RESOURCE_GROUP}/registries/{name}")
}

/// ARM's id of the demo registry `name`.
pub fn registry_id(name: &str) -> String {
    format!(
        "/subscriptions/{DEMO_SUBSCRIPTION}/resourceGroups/{DEMO_RESOURCE_GROUP}/providers/Microsoft.ContainerRegistry/registries/{name}"
    )
}

/// ARM's id of the demo vault `name`.
pub fn vault_id(name: &str) -> String {
    format!("/subscriptions/{DEMO_SUBSCRIPTION}/resourceGroups/{DEMO_RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/{name}")
}
