//! The creation plan's exports for a fixed plan, compared with the golden files
//! in tests/golden/ (reviewed by eye once). After an intended change, regenerate
//! them with `UPDATE_GOLDEN=1 cargo test -p acr-cmk-domain --test exports` and
//! read the diff.

use acr_cmk_domain::writes::creation::{
    arm_template_text, bicep, plan, terraform, Choices, GroupChoice, IdentityChoice, KeyChoice, Outputs, Rotation, VaultChoice,
};
use serde_json::Value;

fn fixed(rbac: bool) -> Choices {
    Choices {
        subscription_id: "6d6f636b-0000-4000-8000-000000000001".into(),
        tenant_id: "72f988bf-86f1-41af-91ab-2d7cd011db47".into(),
        group: GroupChoice::New { name: "rg-cmk".into() },
        location: "westeurope".into(),
        registry_name: "contosocmk".into(),
        identity: IdentityChoice::New { name: "id-cmk".into() },
        vault: VaultChoice::New { name: "kv-cmk".into(), rbac },
        key: KeyChoice::New { name: "key-cmk".into(), size: 3072 },
        rotation: Rotation::Versionless,
        assignment_name: "6d6f636b-0000-4000-8000-00000000f0f0".into(),
    }
}

fn golden(file: &str, actual: &str) {
    let path = format!("{}/tests/golden/{file}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect(&path);
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e} (regenerate with UPDATE_GOLDEN=1)"));
    assert!(want == actual, "{file} differs from the golden file; if intended, regenerate with UPDATE_GOLDEN=1.\n--- actual ---\n{actual}");
}

#[test]
fn the_exports_of_the_fixed_plan_match_their_golden_files() {
    for (rbac, suffix) in [(false, "access-policy"), (true, "rbac")] {
        let c = fixed(rbac);
        let p = plan(&c, &Outputs::default(), 0).unwrap();
        let template = arm_template_text(&c, &p).unwrap();
        let parsed: Value = serde_json::from_str(&template).expect("the template is JSON");
        assert_eq!(parsed["resources"].as_array().unwrap().len(), 5);
        golden(&format!("{suffix}.template.json"), &template);
        golden(&format!("{suffix}.bicep"), &bicep(&c, &p).unwrap());
        golden(&format!("{suffix}.tf"), &terraform(&c, &p));
    }
}

#[test]
fn the_terraform_names_the_resources_the_issue_asks_for() {
    let c = fixed(false);
    let tf = terraform(&c, &plan(&c, &Outputs::default(), 0).unwrap());
    for want in [
        "resource \"azurerm_user_assigned_identity\"",
        "resource \"azurerm_key_vault_access_policy\" \"registry_key\"",
        "resource \"azurerm_key_vault_key\"",
        "resource \"azurerm_container_registry\"",
        "identity_client_id = azurerm_user_assigned_identity.registry.client_id",
        "object_id       = azurerm_user_assigned_identity.registry.principal_id",
        "key_vault_key_id   = azurerm_key_vault_key.registry.versionless_id",
    ] {
        assert!(tf.contains(want), "missing {want}\n{tf}");
    }
    let c = fixed(true);
    let tf = terraform(&c, &plan(&c, &Outputs::default(), 0).unwrap());
    assert!(tf.contains("resource \"azurerm_role_assignment\"") && tf.contains("Key Vault Crypto Service Encryption User"), "{tf}");
}
