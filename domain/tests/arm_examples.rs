//! The typed models read the official ARM example bodies (tests/fixtures/SOURCES.md),
//! tolerate fields they do not know, and keep unknown registry properties.

use acr_cmk_domain::arm::Page;
use acr_cmk_domain::encryption::{EncryptingIdentity, EncryptionSummary, Rotation};
use acr_cmk_domain::identity::{IdentityProperties, UserAssignedIdentity};
use acr_cmk_domain::registry::{Registry, RegistryUpdateParameters};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect("valid JSON")
}

fn response(name: &str, status: &str) -> Value {
    fixture(name)["responses"][status]["body"].clone()
}

#[test]
fn registry_get_examples_read_with_service_managed_encryption() {
    for file in ["containerregistry-2025-04-01-RegistryGet.json", "containerregistry-2023-07-01-RegistryGet.json"] {
        let registry: Registry = serde_json::from_value(response(file, "200")).expect(file);
        assert_eq!(registry.name, "myRegistry");
        assert_eq!(registry.sku.name, "Standard");
        assert_eq!(registry.properties.encryption.as_ref().unwrap().status.as_deref(), Some("disabled"));
        assert_eq!(EncryptionSummary::of(&registry), EncryptionSummary::ServiceManaged);
        // `status: null` in the example reads as no status.
        assert!(registry.properties.status.is_none());
        // Properties the model does not name are kept, not dropped.
        assert!(registry.properties.other.contains_key("networkRuleSet"), "{file}");
    }
}

#[test]
fn registry_list_examples_read_as_pages() {
    for file in ["containerregistry-2025-04-01-RegistryList.json", "containerregistry-2025-04-01-RegistryListByResourceGroup.json"] {
        let page: Page<Registry> = serde_json::from_value(response(file, "200")).expect(file);
        assert!(!page.value.is_empty(), "{file}");
        assert!(page.next_link.is_none());
    }
}

#[test]
fn registry_update_example_request_reads_as_update_parameters() {
    let body = fixture("containerregistry-2025-04-01-RegistryUpdate.json")["parameters"]["registryUpdateParameters"].clone();
    let update: RegistryUpdateParameters = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(update.properties.as_ref().unwrap().admin_user_enabled, Some(true));
    // Written back, only what was there is sent.
    assert_eq!(serde_json::to_value(&update).unwrap(), body);
    for status in ["200", "201"] {
        let _: Registry = serde_json::from_value(response("containerregistry-2025-04-01-RegistryUpdate.json", status)).unwrap();
    }
}

#[test]
fn acr_identity_block_reads() {
    let body = response("containerregistry-2023-07-01-CredentialSetCreate.json", "200");
    let identity: IdentityProperties = serde_json::from_value(body["identity"].clone()).unwrap();
    assert!(identity.kinds().system);
    assert!(identity.principal_id.is_some());
}

#[test]
fn user_assigned_identity_example_reads() {
    let identity: UserAssignedIdentity = serde_json::from_value(response("msi-2024-11-30-IdentityGet.json", "200")).unwrap();
    assert!(!identity.properties.client_id.is_empty());
    assert!(!identity.properties.principal_id.is_empty());
}

#[test]
fn a_cmk_registry_reads_into_a_helpdesk_summary() {
    let registry: Registry = serde_json::from_value(fixture("cmk-registry.json")).unwrap();
    let EncryptionSummary::CustomerManaged(cmk) = EncryptionSummary::of(&registry) else {
        panic!("CMK registry read as service-managed");
    };
    assert_eq!(cmk.rotation, Rotation::Automatic);
    assert_eq!(cmk.version_in_use.as_deref(), Some("0123456789abcdef0123456789abcdef"));
    assert_eq!(cmk.key.as_ref().unwrap().vault_name(), "myvault");
    match cmk.identity {
        Some(EncryptingIdentity::User { name, principal_id, .. }) => {
            assert_eq!(name, "myIdentity");
            assert_eq!(principal_id.as_deref(), Some("22222222-2222-2222-2222-222222222222"));
        }
        other => panic!("expected the user identity, got {other:?}"),
    }
    // A newer api-version's unknown property survives a read and write.
    let written = serde_json::to_value(&registry).unwrap();
    assert_eq!(written["properties"]["someFutureProperty"]["nested"][2], 3);
}

#[test]
fn a_pinned_key_and_an_unattached_identity_are_told_apart() {
    let mut registry: Registry = serde_json::from_value(fixture("cmk-registry.json")).unwrap();
    let kv = registry.properties.encryption.as_mut().unwrap().key_vault_properties.as_mut().unwrap();
    kv.key_identifier = kv.versioned_key_identifier.clone();
    kv.key_rotation_enabled = Some(false);
    kv.identity = Some("44444444-4444-4444-4444-444444444444".into());
    let EncryptionSummary::CustomerManaged(cmk) = EncryptionSummary::of(&registry) else { panic!() };
    assert_eq!(cmk.rotation, Rotation::Pinned { version: "0123456789abcdef0123456789abcdef".into() });
    assert_eq!(cmk.identity, Some(EncryptingIdentity::NotAttached { client_id: "44444444-4444-4444-4444-444444444444".into() }));
}
