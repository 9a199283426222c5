//! The creation plan as an ARM template (the seed's third way): parameters for
//! every name, the identity, the vault when it is new, the grant (an access
//! policy `add` or a role assignment at the vault), the key when it is new, and
//! the registry, each `dependsOn` what it needs. The identity's principal and
//! client ids are `reference()`d, so nobody copies a principal id where a client
//! id belongs (the seed's CLI mistake). Deployed at the registry's resource group.
//!
//! It uses only the template language subset the emulator deploys (see
//! `emulator/README.md`): `parameters()`, `variables()`, `resourceId()`,
//! `reference()`, `concat()`, `format()`, `subscription()`, `resourceGroup()`.

use serde_json::{json, Map, Value};

use crate::arm::{api_version, ResourceId};
use crate::role_assignment::KeyVaultRole;
use crate::text::Sentence;

use super::choices::{refuse, Choices, IdentityChoice, KeyChoice, Refused, Rotation, VaultChoice};
use super::plan::{CreationPlan, StepKind};

pub const SCHEMA: &str = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
/// Why a plan has no template form.
pub const CODE_NO_TEMPLATE: &str = "NotExpressibleAsTemplate";
/// A parameter value the deploy form cannot send.
pub const CODE_BAD_PARAMETER: &str = "InvalidTemplateParameter";

/// Why a plan has no template form, in words (the template itself is code, in English).
pub mod words {
    crate::catalogue! {
        /// `{name}`: the parameter's name; `{value}`: what was typed.
        PARAMETER_EMPTY: "Parameter '{name}' needs a value." => "매개 변수 '{name}'에 값이 필요합니다.";
        PARAMETER_NOT_INT: "Parameter '{name}' takes a whole number, not '{value}'." => "매개 변수 '{name}'에는 '{value}'이(가) 아니라 정수를 입력해야 합니다.";
        PARAMETER_NOT_BOOL: "Parameter '{name}' takes true or false, not '{value}'." => "매개 변수 '{name}'에는 '{value}'이(가) 아니라 true 또는 false를 입력해야 합니다.";
        PARAMETER_NOT_ALLOWED: "Parameter '{name}' allows {allowed}, not '{value}'." => "매개 변수 '{name}'에 허용되는 값은 {allowed}이며, '{value}'은(는) 허용되지 않습니다.";
        PURGE_PROTECTION: "Turning purge protection on for vault '{vault}' is a change to an existing vault, which a template would make by rewriting the whole vault (its access policies included). Turn it on step by step first, then export the template."
            => "키 자격 증명 모음 '{vault}'의 제거 보호를 켜는 것은 기존 키 자격 증명 모음의 변경이며, 템플릿으로는 액세스 정책을 포함한 키 자격 증명 모음 전체를 다시 써야 합니다. 먼저 단계별로 켠 다음 템플릿을 내보내세요.";
        VAULT_ELSEWHERE: "Vault '{vault}' is in resource group '{vault_group}', not in '{group}' where the registry goes. A template deployed to one resource group cannot add the grant or the key in another without a nested deployment; use the step-by-step run, the az script or Terraform."
            => "키 자격 증명 모음 '{vault}'은(는) 레지스트리가 만들어질 '{group}'이(가) 아니라 리소스 그룹 '{vault_group}'에 있습니다. 한 리소스 그룹에 배포하는 템플릿은 중첩 배포 없이 다른 리소스 그룹에 권한 부여나 키를 추가할 수 없습니다. 단계별 실행, az 스크립트 또는 Terraform을 사용하세요.";
    }
}

const IDENTITY_TYPE: &str = "Microsoft.ManagedIdentity/userAssignedIdentities";
const VAULT_TYPE: &str = "Microsoft.KeyVault/vaults";
const POLICY_TYPE: &str = "Microsoft.KeyVault/vaults/accessPolicies";
const KEY_TYPE: &str = "Microsoft.KeyVault/vaults/keys";
const ROLE_TYPE: &str = "Microsoft.Authorization/roleAssignments";
const REGISTRY_TYPE: &str = "Microsoft.ContainerRegistry/registries";

/// The expressions the exports share (Bicep names the same parameters).
pub(super) const IDENTITY_ID: &str = "[variables('identityId')]";

fn param(kind: &str, default: Value, description: &str) -> Value {
    json!({"type": kind, "defaultValue": default, "metadata": {"description": description}})
}

/// Whether the plan can be one group-scoped deployment, and why not if it cannot.
pub fn check_expressible(c: &Choices, plan: &CreationPlan) -> Result<(), Refused> {
    if plan.step(StepKind::PurgeProtection).is_some() {
        return Err(refuse(CODE_NO_TEMPLATE, Sentence::new(words::PURGE_PROTECTION).with("vault", plan.vault.name.as_str())));
    }
    let vault_group = ResourceId::parse(&plan.vault.id).map(|r| r.resource_group).unwrap_or_default();
    if !vault_group.eq_ignore_ascii_case(c.group.name()) {
        let reason = Sentence::new(words::VAULT_ELSEWHERE)
            .with("vault", plan.vault.name.as_str())
            .with("vault_group", vault_group)
            .with("group", c.group.name());
        return Err(refuse(CODE_NO_TEMPLATE, reason));
    }
    Ok(())
}

/// The template for `plan` (made from `c`), or why it has none.
pub fn arm_template(c: &Choices, plan: &CreationPlan) -> Result<Value, Refused> {
    check_expressible(c, plan)?;
    let mut parameters = Map::new();
    let mut variables = Map::new();
    let mut resources = Vec::new();
    parameters
        .insert("registryName".into(), param("string", json!(c.registry_name), "5 to 50 letters and digits; becomes {name}.azurecr.io."));
    parameters
        .insert("location".into(), param("string", json!(c.location), "The region of the registry and of what this template creates."));
    parameters.insert("vaultName".into(), param("string", json!(plan.vault.name), "The key vault holding the registry's key."));
    parameters.insert("keyName".into(), param("string", json!(c.key.name()), "The RSA key that wraps the registry's data encryption key."));

    let identity_dep = match &c.identity {
        IdentityChoice::New { name } => {
            parameters
                .insert("identityName".into(), param("string", json!(name), "The user-assigned identity the registry reads its key with."));
            variables.insert("identityId".into(), json!(format!("[resourceId('{IDENTITY_TYPE}', parameters('identityName'))]")));
            resources.push(json!({
                "type": IDENTITY_TYPE,
                "apiVersion": api_version::MANAGED_IDENTITY,
                "name": "[parameters('identityName')]",
                "location": "[parameters('location')]",
            }));
            Some(IDENTITY_ID.to_string())
        }
        IdentityChoice::Existing(i) => {
            parameters.insert(
                "identityResourceId".into(),
                param("string", json!(i.id), "The resource id of the existing user-assigned identity the registry reads its key with."),
            );
            variables.insert("identityId".into(), json!("[parameters('identityResourceId')]"));
            None
        }
    };
    let reference_identity = |field: &str| format!("[reference(variables('identityId'), '{}').{field}]", api_version::MANAGED_IDENTITY);
    let vault_id = "[resourceId('Microsoft.KeyVault/vaults', parameters('vaultName'))]".to_string();

    let vault_dep = match &c.vault {
        VaultChoice::New { rbac, .. } => {
            resources.push(json!({
                "type": VAULT_TYPE,
                "apiVersion": api_version::KEY_VAULT,
                "name": "[parameters('vaultName')]",
                "location": "[parameters('location')]",
                "properties": super::plan::new_vault_properties(json!("[subscription().tenantId]"), *rbac),
            }));
            Some(vault_id.clone())
        }
        VaultChoice::Existing { .. } => None,
    };

    let grant_dep = if plan.step(StepKind::Access).is_none() {
        None
    } else if plan.vault.properties.rbac() {
        parameters.insert(
            "roleAssignmentName".into(),
            param(
                "string",
                json!(c.assignment_name),
                "A GUID naming the role assignment (fixed, so a redeployment does not add a second one).",
            ),
        );
        let role = KeyVaultRole::CryptoServiceEncryptionUser;
        resources.push(json!({
            "type": ROLE_TYPE,
            "apiVersion": api_version::AUTHORIZATION,
            "name": "[parameters('roleAssignmentName')]",
            "scope": vault_id,
            "dependsOn": deps(&[identity_dep.clone(), vault_dep.clone()]),
            "properties": {
                "roleDefinitionId": format!("[format('{{0}}/providers/Microsoft.Authorization/roleDefinitions/{{1}}', subscription().id, '{}')]", role.guid()),
                "principalId": reference_identity("principalId"),
                "principalType": "ServicePrincipal",
                "description": format!("{}: lets the registry's identity wrap and unwrap with the vault's keys.", role.name()),
            },
        }));
        Some("[parameters('roleAssignmentName')]".to_string())
    } else {
        resources.push(json!({
            "type": POLICY_TYPE,
            "apiVersion": api_version::KEY_VAULT,
            "name": "[concat(parameters('vaultName'), '/', 'add')]",
            "dependsOn": deps(&[identity_dep.clone(), vault_dep.clone()]),
            "properties": {"accessPolicies": [{
                "tenantId": "[subscription().tenantId]",
                "objectId": reference_identity("principalId"),
                "permissions": {"keys": ["get", "wrapKey", "unwrapKey"]},
            }]},
        }));
        Some("[resourceId('Microsoft.KeyVault/vaults/accessPolicies', parameters('vaultName'), 'add')]".to_string())
    };

    let key_ref = "resourceId('Microsoft.KeyVault/vaults/keys', parameters('vaultName'), parameters('keyName'))";
    let (key_dep, key_identifier) = match (&c.key, c.rotation) {
        (KeyChoice::New { size, .. }, rotation) => {
            parameters.insert("keySize".into(), json!({"type": "int", "defaultValue": size, "allowedValues": [2048, 3072, 4096]}));
            resources.push(json!({
                "type": KEY_TYPE,
                "apiVersion": api_version::KEY_VAULT,
                "name": "[concat(parameters('vaultName'), '/', parameters('keyName'))]",
                "dependsOn": deps(std::slice::from_ref(&vault_dep)),
                "properties": {"kty": "RSA", "keySize": "[parameters('keySize')]"},
            }));
            // keyUri is versionless (automatic rotation); keyUriWithVersion pins the first version.
            let field = if rotation == Rotation::Versionless { "keyUri" } else { "keyUriWithVersion" };
            (Some(format!("[{key_ref}]")), format!("[reference({key_ref}, '{}').{field}]", api_version::KEY_VAULT))
        }
        (KeyChoice::Existing { .. }, _) => {
            parameters.insert(
                "keyIdentifier".into(),
                param(
                    "string",
                    json!(plan.key_identifier),
                    "The key's URI: without a version the registry follows new versions by itself; with one it stays on it.",
                ),
            );
            (None, "[parameters('keyIdentifier')]".to_string())
        }
    };

    resources.push(json!({
        "type": REGISTRY_TYPE,
        "apiVersion": api_version::CONTAINER_REGISTRY,
        "name": "[parameters('registryName')]",
        "location": "[parameters('location')]",
        "sku": {"name": "Premium"},
        "identity": {"type": "UserAssigned", "userAssignedIdentities": {IDENTITY_ID: {}}},
        "dependsOn": deps(&[identity_dep, grant_dep, key_dep]),
        "properties": {"encryption": {"status": "enabled", "keyVaultProperties": {
            "identity": reference_identity("clientId"),
            "keyIdentifier": key_identifier,
        }}},
    }));

    Ok(json!({
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "parameters": parameters,
        "variables": variables,
        "resources": resources,
        "outputs": {
            "registryId": {"type": "string", "value": "[resourceId('Microsoft.ContainerRegistry/registries', parameters('registryName'))]"},
            "identityClientId": {"type": "string", "value": reference_identity("clientId")},
        },
    }))
}

fn deps(all: &[Option<String>]) -> Vec<String> {
    all.iter().flatten().cloned().collect()
}

/// A template parameter as the deploy form shows it: its value as text (the default to start with).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateParameter {
    pub name: String,
    /// ARM's type: `string`, `int` or `bool` (what this template uses).
    pub kind: String,
    pub value: String,
    /// `allowedValues`, as text (empty: any).
    pub allowed: Vec<String>,
}

/// The template's parameters, in its order, each with its default as text.
pub fn template_parameters(template: &Value) -> Vec<TemplateParameter> {
    let Some(params) = template["parameters"].as_object() else { return Vec::new() };
    params
        .iter()
        .map(|(name, p)| TemplateParameter {
            name: name.clone(),
            kind: p["type"].as_str().unwrap_or("string").to_ascii_lowercase(),
            value: p.get("defaultValue").map(as_text).unwrap_or_default(),
            allowed: p["allowedValues"].as_array().map(|a| a.iter().map(as_text).collect()).unwrap_or_default(),
        })
        .collect()
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The deployment's `parameters` from the form's values (`(name, text)`), checked as ARM would check them
/// (the type, `allowedValues`, a value for every parameter), so an edit is refused before anything is sent.
pub fn parameters_from_form(template: &Value, values: &[(String, String)]) -> Result<Value, Refused> {
    let mut out = Map::new();
    for p in template_parameters(template) {
        let text = values.iter().find(|(n, _)| *n == p.name).map(|(_, v)| v.trim().to_string()).unwrap_or(p.value.clone());
        let bad = |words: crate::text::Text| {
            refuse(CODE_BAD_PARAMETER, Sentence::new(words).with("name", p.name.as_str()).with("value", text.as_str()))
        };
        if text.is_empty() {
            return Err(bad(words::PARAMETER_EMPTY));
        }
        let value = match p.kind.as_str() {
            "int" => json!(text.parse::<i64>().map_err(|_| bad(words::PARAMETER_NOT_INT))?),
            "bool" => json!(text.parse::<bool>().map_err(|_| bad(words::PARAMETER_NOT_BOOL))?),
            _ => json!(text),
        };
        if !p.allowed.is_empty() && !p.allowed.contains(&text) {
            return Err(refuse(
                CODE_BAD_PARAMETER,
                Sentence::new(words::PARAMETER_NOT_ALLOWED)
                    .with("name", p.name.as_str())
                    .with("value", text.as_str())
                    .with("allowed", p.allowed.join(", ")),
            ));
        }
        out.insert(p.name.clone(), json!({"value": value}));
    }
    Ok(Value::Object(out))
}

/// The template as a file: two-space indented JSON.
pub fn arm_template_text(c: &Choices, plan: &CreationPlan) -> Result<String, Refused> {
    let t = arm_template(c, plan)?;
    Ok(serde_json::to_string_pretty(&t).unwrap_or_default() + "\n")
}

/// The parameters file the template deploys with (its defaults, as values).
pub fn deployment_parameters(template: &Value) -> Value {
    let mut out = Map::new();
    if let Some(params) = template["parameters"].as_object() {
        for (name, p) in params {
            if let Some(v) = p.get("defaultValue") {
                out.insert(name.clone(), json!({"value": v}));
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writes::creation::plan::tests::{all_new, made_identity};
    use crate::writes::creation::plan::{plan, Outputs};

    /// `resourceId(...)` for a resource's type and name expression: a name
    /// `[concat(a, '/', b)]` is the segments `a, b`.
    fn id_expression(resource: &Value) -> String {
        let name = resource["name"].as_str().unwrap().trim_start_matches('[').trim_end_matches(']');
        let segments = match name.strip_prefix("concat(").and_then(|n| n.strip_suffix(')')) {
            Some(args) => args.split(", ").filter(|a| *a != "'/'").collect::<Vec<_>>().join(", "),
            None => name.to_string(),
        };
        format!("[resourceId('{}', {segments})]", resource["type"].as_str().unwrap())
    }

    fn check_dependencies(t: &Value) {
        let resources = t["resources"].as_array().unwrap();
        let mut named: Vec<String> = resources.iter().map(id_expression).collect();
        named.extend(resources.iter().map(|r| r["name"].as_str().unwrap().to_string()));
        named.push(IDENTITY_ID.into());
        assert!(
            t["variables"]["identityId"].as_str().unwrap().contains(IDENTITY_TYPE) || !resources.iter().any(|r| r["type"] == IDENTITY_TYPE)
        );
        for r in resources {
            for d in r["dependsOn"].as_array().into_iter().flatten() {
                let d = d.as_str().unwrap();
                let own = id_expression(r);
                assert_ne!(d, own, "a resource cannot depend on itself");
                let hit = resources.iter().any(|o| id_expression(o) == d || o["name"] == d)
                    || (d == IDENTITY_ID && resources.iter().any(|o| o["type"] == IDENTITY_TYPE));
                assert!(hit, "{} depends on {d}, which is not in the template", r["type"]);
            }
        }
    }

    #[test]
    fn the_deploy_forms_values_are_checked_and_typed_as_arm_would() {
        let c = all_new(false);
        let p = plan(&c, &Outputs::default(), 1).unwrap();
        let t = arm_template(&c, &p).unwrap();
        let shown = template_parameters(&t);
        let size = shown.iter().find(|p| p.name == "keySize").expect("a new key has a size parameter");
        assert_eq!((size.kind.as_str(), size.allowed.len()), ("int", 3));
        let registry = shown.iter().find(|p| p.name == "registryName").unwrap();
        assert_eq!(registry.value, c.registry_name);
        // Untouched, the form gives the defaults: what deployment_parameters sends.
        assert_eq!(parameters_from_form(&t, &[]).unwrap(), deployment_parameters(&t));
        let edited = parameters_from_form(&t, &[("keySize".into(), " 4096 ".into()), ("registryName".into(), "acrother".into())]).unwrap();
        assert_eq!(edited["keySize"]["value"], json!(4096));
        assert_eq!(edited["registryName"]["value"], json!("acrother"));
        for (value, expected) in [("abc", "takes a whole number"), ("1024", "allows 2048, 3072, 4096"), ("", "needs a value")] {
            let e = parameters_from_form(&t, &[("keySize".into(), value.into())]).unwrap_err();
            assert_eq!(e.code, CODE_BAD_PARAMETER);
            assert!(e.reason.get(crate::text::Lang::En).contains(expected), "{value}: {}", e.reason.get(crate::text::Lang::En));
        }
    }

    #[test]
    fn the_all_new_template_parses_and_depends_only_on_its_own_resources() {
        for rbac in [false, true] {
            let c = all_new(rbac);
            let p = plan(&c, &Outputs::default(), 0).unwrap();
            let text = arm_template_text(&c, &p).unwrap();
            let t: Value = serde_json::from_str(&text).expect("valid JSON");
            check_dependencies(&t);
            let types: Vec<&str> = t["resources"].as_array().unwrap().iter().map(|r| r["type"].as_str().unwrap()).collect();
            let grant = if rbac { ROLE_TYPE } else { POLICY_TYPE };
            assert_eq!(types, vec![IDENTITY_TYPE, VAULT_TYPE, grant, KEY_TYPE, REGISTRY_TYPE]);
            let registry = t["resources"].as_array().unwrap().last().unwrap();
            assert_eq!(registry["dependsOn"].as_array().unwrap().len(), 3, "identity, grant and key");
            let kv = &registry["properties"]["encryption"]["keyVaultProperties"];
            assert!(kv["identity"].as_str().unwrap().ends_with(".clientId]"), "the registry names the client id");
            assert!(kv["keyIdentifier"].as_str().unwrap().ends_with(".keyUri]"), "versionless by default");
            assert!(!text.contains(crate::writes::creation::plan::tests::CLIENT), "no id is copied in: {text}");
        }
    }

    #[test]
    fn the_grant_names_the_principal_id_by_reference() {
        let c = all_new(false);
        let t = arm_template(&c, &plan(&c, &Outputs::default(), 0).unwrap()).unwrap();
        let policy = &t["resources"][2];
        assert_eq!(policy["properties"]["accessPolicies"][0]["objectId"], "[reference(variables('identityId'), '2024-11-30').principalId]");
        assert_eq!(policy["properties"]["accessPolicies"][0]["permissions"]["keys"], json!(["get", "wrapKey", "unwrapKey"]));
    }

    #[test]
    fn an_existing_identity_and_pinned_key_become_parameters() {
        let mut c = all_new(false);
        c.identity = IdentityChoice::Existing(made_identity());
        c.rotation = Rotation::Pinned;
        let t = arm_template(&c, &plan(&c, &Outputs::default(), 0).unwrap()).unwrap();
        check_dependencies(&t);
        assert_eq!(t["parameters"]["identityResourceId"]["defaultValue"], made_identity().id);
        assert!(t["resources"].as_array().unwrap().iter().all(|r| r["type"] != IDENTITY_TYPE));
        let registry = t["resources"].as_array().unwrap().last().unwrap();
        assert!(registry["properties"]["encryption"]["keyVaultProperties"]["keyIdentifier"]
            .as_str()
            .unwrap()
            .ends_with(".keyUriWithVersion]"));
        assert_eq!(deployment_parameters(&t)["identityResourceId"]["value"], made_identity().id);
    }

    #[test]
    fn a_vault_in_another_group_has_no_template_and_says_why() {
        let mut c = all_new(false);
        c.group = crate::writes::creation::GroupChoice::Existing { name: "rg-other".into() };
        let p = plan(&all_new(false), &Outputs::default(), 0).unwrap();
        let refusal = arm_template(&c, &p).unwrap_err();
        assert_eq!(refusal.code, CODE_NO_TEMPLATE);
        assert!(refusal.reason.to_string().contains("rg-cmk"), "{refusal}");
    }
}
