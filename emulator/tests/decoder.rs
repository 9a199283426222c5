//! The console's error decoder (`acr_cmk_domain::decoder`) on the emulator's own
//! refusals and failures: each write the seed says ACR refuses is sent, and the
//! message it answers with is decoded to the right kind, naming the registry.
//! If the emulator's wording drifts from what the decoder knows, this fails.

mod common;

use std::time::Duration;

use acr_cmk_domain::decoder::{decode, ErrorKind, RegistryRef};
use acr_cmk_emulator::Config;
use common::*;
use serde_json::{json, Value};

const V2: &str = "6d6f636b00004000800000000000b002";
const CMK_CLIENT: &str = "6d6f636b-0000-4000-8000-0000000000c1";
const NOKEY_CLIENT: &str = "6d6f636b-0000-4000-8000-0000000000c2";

fn key() -> String {
    format!("https://kv-acr-demo.vault.azure.net/keys/acr-cmk-key/{V2}")
}

fn identity_id(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}")
}

fn message(got: &(reqwest::StatusCode, Value)) -> String {
    got.1["error"]["message"].as_str().unwrap_or_else(|| panic!("an ARM error: {got:?}")).to_string()
}

#[tokio::test]
async fn each_refusal_the_emulator_answers_is_decoded_and_names_its_registry() {
    let e = emu_with(Config { lro_duration: Duration::from_secs(600), ..Config::default() }).await;
    let prod = e.registry_path("contosoprod");
    let cmk_body = |sku: &str| {
        json!({"location": "westeurope", "sku": {"name": sku},
            "identity": {"type": "UserAssigned", "userAssignedIdentities": {identity_id("id-acr-cmk"): {}}},
            "properties": {"encryption": {"status": "enabled", "keyVaultProperties": {"keyIdentifier": key(), "identity": CMK_CLIENT}}}})
    };
    let cases: Vec<(ErrorKind, Option<&str>, (reqwest::StatusCode, Value))> = vec![
        (
            ErrorKind::IdentityNotAttached,
            Some("contosoprod"),
            e.patch(&prod, json!({"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier": key(), "identity": NOKEY_CLIENT}}}})).await,
        ),
        (ErrorKind::IdentityNotAttached, Some("contosoprod"), e.patch(&prod, json!({"identity":{"type":"None"}})).await),
        (ErrorKind::PremiumOnly, None, e.put(&e.registry_path("contosostd"), cmk_body("Standard")).await),
        (ErrorKind::PremiumOnly, Some("contosoprod"), e.patch(&prod, json!({"sku":{"name":"Standard"}})).await),
        (
            ErrorKind::OnlyAtCreation,
            Some("contosodev"),
            e.patch(&e.registry_path("contosodev"), json!({"properties":{"encryption":{"status":"enabled","keyVaultProperties":{"keyIdentifier": key(), "identity": CMK_CLIENT}}}})).await,
        ),
        (ErrorKind::CannotDisable, Some("contosoprod"), e.patch(&prod, json!({"properties":{"encryption":{"status":"disabled"}}})).await),
        (
            ErrorKind::ContentTrust,
            Some("contosoprod"),
            e.patch(&prod, json!({"properties":{"policies":{"trustPolicy":{"type":"Notary","status":"enabled"}}}})).await,
        ),
    ];
    for (kind, registry, got) in &cases {
        let text = message(got);
        let decoded = decode(&text);
        assert_eq!(decoded.kind, Some(*kind), "{text}");
        if let Some(name) = registry {
            assert!(decoded.found.registries.iter().any(|r| r.name() == *name), "{name} read out of: {text}");
        }
    }
    // The identity refusal carries the registry's full id: the decoder can link its diagnosis directly.
    let decoded = decode(&message(&cases[0].2));
    assert!(matches!(&decoded.found.registries[0], RegistryRef::Id(id) if id.resource_group == RG && id.subscription_id == SUB));
    assert!(decoded.found.guids.contains(&NOKEY_CLIENT.to_string()), "{:?}", decoded.found);

    // An EC key: the RSA-only refusal names the key and its vault.
    let (s, _) = e
        .put(
            &format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.KeyVault/vaults/kv-acr-demo/keys/ec-key?api-version=2025-05-01"),
            json!({"properties":{"kty":"EC","curveName":"P-256"}}),
        )
        .await;
    assert_eq!(s, 200);
    let got = e
        .patch(&prod, json!({"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier":"https://kv-acr-demo.vault.azure.net/keys/ec-key","identity":CMK_CLIENT}}}}))
        .await;
    let decoded = decode(&message(&got));
    assert_eq!(decoded.kind, Some(ErrorKind::RsaOnly), "{got:?}");
    assert_eq!(decoded.found.vaults, vec!["kv-acr-demo".to_string()]);

    // contosolost's identity was never granted the key: rotating fails with "Failed to access KeyId",
    // and its data plane (docker pull) answers 403, which the decoder tells from the ARM failure it quotes.
    let got = e
        .patch(
            &e.registry_path("contosolost"),
            json!({"properties":{"encryption":{"keyVaultProperties":{"keyIdentifier": key(), "identity": NOKEY_CLIENT}}}}),
        )
        .await;
    let text = message(&got);
    assert_eq!(decode(&text).kind, Some(ErrorKind::KeyAccessFailed), "{text}");
    let r = e.client.get(e.url("/_emulator/registries/contosolost/v2/")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    let text = format!("Error response from daemon: denied: {}", body["errors"][0]["message"].as_str().unwrap());
    assert_eq!(decode(&text).kind, Some(ErrorKind::DataPlaneDenied), "{text}");
}
