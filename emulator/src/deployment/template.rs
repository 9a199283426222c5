//! A template read before anything is deployed, as ARM's validation does:
//! every expression parsed and its functions known, parameters bound (type,
//! `allowedValues`, missing values), each resource's type, name and id
//! evaluated, `dependsOn` resolved to resources of the template, no cycles.
//! What the emulator does not deploy (`copy`, `condition`, nested resources,
//! nested deployments, `templateLink`) is refused, never skipped.

use serde_json::{json, Map, Value};

use super::expression::{self, Failure, Scope};

/// A resource as the run sends it.
#[derive(Clone, Debug)]
pub struct Planned {
    pub resource_type: String,
    pub name: String,
    pub api_version: String,
    /// The id the `PUT` goes to (an extension resource's under its `scope`).
    pub id: String,
    /// Indexes of the resources it waits for.
    pub depends_on: Vec<usize>,
    /// The resource as written (its body's expressions are evaluated when it is sent).
    pub raw: Value,
}

#[derive(Clone, Debug)]
pub struct Prepared {
    pub parameters: Map<String, Value>,
    /// Parameters in the deployment's answer shape (`{name: {type, value}}`).
    pub parameters_shown: Map<String, Value>,
    pub variables: Map<String, Value>,
    pub resources: Vec<Planned>,
    pub outputs: Map<String, Value>,
}

/// ARM's wording around a validation failure (the code is `InvalidTemplate`).
pub fn validation_failed(why: &str) -> String {
    format!("Deployment template validation failed: '{why}'.")
}

/// Keys of a resource that are not part of the body sent to its provider.
pub const META: [&str; 7] = ["type", "apiVersion", "name", "dependsOn", "scope", "comments", "metadata"];
const UNSUPPORTED: [&str; 4] = ["copy", "condition", "resources", "properties.template"];

fn check_strings(v: &Value, at: &str) -> Result<(), String> {
    match v {
        Value::String(s) if expression::is_expression(s) => expression::check(s).map_err(|why| format!("{why} (at {at})")),
        Value::Array(items) => items.iter().enumerate().try_for_each(|(i, x)| check_strings(x, &format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().try_for_each(|(k, x)| {
            if expression::is_expression(k) {
                expression::check(k).map_err(|why| format!("{why} (at {at})"))?;
            }
            check_strings(x, &format!("{at}.{k}"))
        }),
        _ => Ok(()),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(n) if n.is_i64() => "int",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        _ => "other",
    }
}

fn scope<'a>(
    ctx: &'a Context,
    parameters: &'a Map<String, Value>,
    variables: &'a Map<String, Value>,
    resources: &'a [(String, String, String)],
    references: &'a std::collections::HashMap<String, Value>,
) -> Scope<'a> {
    Scope {
        subscription: ctx.subscription.clone(),
        resource_group: ctx.resource_group.clone(),
        deployment_name: ctx.deployment_name.clone(),
        parameters,
        variables,
        resources,
        references,
    }
}

/// What `subscription()`, `resourceGroup()` and the deployment's name are.
#[derive(Clone, Debug)]
pub struct Context {
    pub subscription: Value,
    pub resource_group: Value,
    pub deployment_name: String,
}

fn static_string(v: &Value, what: &str, sc: &Scope) -> Result<String, String> {
    match expression::evaluate_value(v, sc) {
        Ok(Value::String(s)) => Ok(s),
        Ok(other) => Err(format!("The resource {what} must be a string, got {other}.")),
        Err(Failure::Invalid(why)) => Err(why),
        Err(Failure::NeedsReference { .. }) => Err(format!(
            "The template function 'reference' is not expected at the resource {what} ({v}): it is known only once resources exist."
        )),
    }
}

/// Reads `template` with the deployment's `given` parameters (`{name: {value}}`).
pub fn prepare(template: &Value, given: &Value, ctx: &Context) -> Result<Prepared, String> {
    let Some(t) = template.as_object() else { return Err("The template must be a JSON object.".into()) };
    check_strings(template, "template")?;
    let no_refs = std::collections::HashMap::new();
    let variables = t.get("variables").and_then(Value::as_object).cloned().unwrap_or_default();

    // Parameters: given values first, then defaults (which may use earlier parameters).
    let declared = t.get("parameters").and_then(Value::as_object).cloned().unwrap_or_default();
    let given = given.as_object().cloned().unwrap_or_default();
    if let Some(extra) = given.keys().find(|k| !declared.keys().any(|d| d.eq_ignore_ascii_case(k))) {
        return Err(format!(
            "The template parameters '{extra}' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time. The only supported parameters for this template are '{}'.",
            declared.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    let mut parameters = Map::new();
    let mut shown = Map::new();
    for (name, decl) in &declared {
        let kind = decl.get("type").and_then(Value::as_str).unwrap_or("string").to_ascii_lowercase();
        let given_value =
            given.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.get("value").cloned().unwrap_or(Value::Null));
        let value = match given_value {
            Some(v) => v,
            None => match decl.get("defaultValue") {
                Some(d) => {
                    let sc = scope(ctx, &parameters, &variables, &[], &no_refs);
                    match expression::evaluate_value(d, &sc) {
                        Ok(v) => v,
                        Err(Failure::Invalid(why)) => return Err(why),
                        Err(Failure::NeedsReference { .. }) => return Err(format!("The default value of parameter '{name}' cannot use reference().")),
                    }
                }
                None => return Err(format!("The value for the template parameter '{name}' at line '1' and column '1' is not provided. Please see https://aka.ms/arm-create-parameter-file for usage details.")),
            },
        };
        let expected = match kind.as_str() {
            "securestring" => "string",
            "secureobject" => "object",
            k => k,
        };
        if type_name(&value) != expected {
            return Err(format!(
                "Template parameter '{name}' was provided an invalid value: expected a value of type '{kind}', got '{}'.",
                type_name(&value)
            ));
        }
        if let Some(allowed) = decl.get("allowedValues").and_then(Value::as_array) {
            if !allowed.contains(&value) {
                return Err(format!(
                    "The provided value '{}' for the template parameter '{name}' is not valid. The parameter value is not part of the allowed value(s): '{}'.",
                    expression_text(&value),
                    allowed.iter().map(expression_text).collect::<Vec<_>>().join(",")
                ));
            }
        }
        shown.insert(name.clone(), json!({"type": decl.get("type").cloned().unwrap_or(json!("String")), "value": value}));
        parameters.insert(name.clone(), value);
    }

    let raw_resources = t.get("resources").and_then(Value::as_array).ok_or("The template has no 'resources' array.")?;
    let group_id = ctx.resource_group["id"].as_str().unwrap_or_default().to_string();
    let mut resources: Vec<Planned> = Vec::new();
    for (i, r) in raw_resources.iter().enumerate() {
        let at = format!("resources[{i}]");
        let Some(obj) = r.as_object() else { return Err(format!("The template resource at {at} is not an object.")) };
        for key in UNSUPPORTED {
            let present = match key.split_once('.') {
                Some((a, b)) => obj.get(a).and_then(|v| v.get(b)).is_some(),
                None => obj.contains_key(key),
            };
            if present {
                return Err(format!(
                    "The template resource at {at} uses '{key}', which the emulator does not deploy (see emulator/README.md)."
                ));
            }
        }
        let sc = scope(ctx, &parameters, &variables, &[], &no_refs);
        let resource_type = static_string(obj.get("type").unwrap_or(&Value::Null), "type", &sc)?;
        let api_version = static_string(obj.get("apiVersion").unwrap_or(&Value::Null), "apiVersion", &sc)?;
        let name = static_string(obj.get("name").unwrap_or(&Value::Null), "name", &sc)?;
        if resource_type.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
            return Err(format!(
                "The template resource '{name}' is a nested deployment, which the emulator does not deploy (see emulator/README.md)."
            ));
        }
        let mut type_parts = resource_type.split('/');
        let namespace = type_parts.next().unwrap_or_default();
        let types: Vec<&str> = type_parts.collect();
        let names: Vec<&str> = name.split('/').collect();
        if types.is_empty() || types.len() != names.len() {
            return Err(format!(
                "The template resource '{name}' for type '{resource_type}' has incorrect segment lengths. A nested resource type must have identical number of segments as its resource name. A root resource type must have segment length one greater than its resource name."
            ));
        }
        let mut tail = format!("providers/{namespace}");
        for (t, n) in types.iter().zip(&names) {
            tail.push_str(&format!("/{t}/{n}"));
        }
        let id = match obj.get("scope") {
            Some(s) => {
                let s = static_string(s, "scope", &sc)?;
                let base = if s.starts_with('/') { s } else { format!("{group_id}/providers/{s}") };
                format!("{}/{tail}", base.trim_end_matches('/'))
            }
            None => format!("{group_id}/{tail}"),
        };
        resources.push(Planned { resource_type, name, api_version, id, depends_on: Vec::new(), raw: r.clone() });
    }

    // dependsOn: a resource id or a resource name of this template.
    for i in 0..resources.len() {
        let sc = scope(ctx, &parameters, &variables, &[], &no_refs);
        let deps = resources[i].raw.get("dependsOn").cloned().unwrap_or(json!([]));
        let Some(deps) = deps.as_array() else {
            return Err(format!("The dependsOn of resource '{}' must be an array.", resources[i].name));
        };
        for d in deps {
            let d = static_string(d, "dependsOn", &sc)?;
            let found = resources.iter().position(|r| {
                r.id.eq_ignore_ascii_case(&d)
                    || r.name.eq_ignore_ascii_case(&d)
                    || r.id.to_ascii_lowercase().ends_with(&format!("/{}", d.to_ascii_lowercase()))
            });
            match found {
                Some(j) if j == i => return Err(format!("Circular dependency detected on resource: '{}'.", resources[i].id)),
                Some(j) => resources[i].depends_on.push(j),
                None => return Err(format!("The resource '{d}' is not defined in the template.")),
            }
        }
    }
    if let Some(at) = cycle(&resources) {
        return Err(format!("Circular dependency detected on resource: '{}'.", resources[at].id));
    }
    let outputs = t.get("outputs").and_then(Value::as_object).cloned().unwrap_or_default();
    Ok(Prepared { parameters, parameters_shown: shown, variables, resources, outputs })
}

fn expression_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A resource on a dependency cycle, if there is one.
fn cycle(resources: &[Planned]) -> Option<usize> {
    let mut done = vec![false; resources.len()];
    loop {
        let mut progressed = false;
        for i in 0..resources.len() {
            if !done[i] && resources[i].depends_on.iter().all(|&d| done[d]) {
                done[i] = true;
                progressed = true;
            }
        }
        if !progressed {
            return done.iter().position(|d| !d);
        }
    }
}

/// The scope the run evaluates bodies in.
pub fn run_scope<'a>(
    ctx: &'a Context,
    p: &'a Prepared,
    resources: &'a [(String, String, String)],
    references: &'a std::collections::HashMap<String, Value>,
) -> Scope<'a> {
    scope(ctx, &p.parameters, &p.variables, resources, references)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context {
            subscription: json!({"id": "/subscriptions/s", "subscriptionId": "s", "tenantId": "t"}),
            resource_group: json!({"id": "/subscriptions/s/resourceGroups/g", "name": "g", "location": "westeurope"}),
            deployment_name: "d".into(),
        }
    }

    #[test]
    fn depends_on_resolves_and_cycles_are_refused() {
        let t = json!({"resources": [
            {"type": "Microsoft.KeyVault/vaults/keys", "apiVersion": "2025-05-01", "name": "[concat(parameters('v'), '/k')]",
             "dependsOn": ["[resourceId('Microsoft.KeyVault/vaults', parameters('v'))]"]},
            {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2025-05-01", "name": "[parameters('v')]"},
        ], "parameters": {"v": {"type": "string", "defaultValue": "kv1"}}});
        let p = prepare(&t, &json!({}), &ctx()).unwrap();
        assert_eq!(p.resources[0].depends_on, vec![1]);
        assert_eq!(p.resources[0].id, "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv1/keys/k");
        let mut looped = t.clone();
        looped["resources"][1]["dependsOn"] = json!(["[resourceId('Microsoft.KeyVault/vaults/keys', 'kv1', 'k')]"]);
        assert!(prepare(&looped, &json!({}), &ctx()).unwrap_err().contains("Circular dependency"));
        let mut missing = t.clone();
        missing["resources"][0]["dependsOn"] = json!(["nothere"]);
        assert!(prepare(&missing, &json!({}), &ctx()).unwrap_err().contains("'nothere' is not defined"));
    }

    #[test]
    fn parameters_are_bound_and_checked() {
        let t = json!({"resources": [], "parameters": {"size": {"type": "int", "allowedValues": [2048, 3072]}}});
        assert!(prepare(&t, &json!({}), &ctx()).unwrap_err().contains("'size' at line '1' and column '1' is not provided"));
        assert!(prepare(&t, &json!({"size": {"value": 1024}}), &ctx()).unwrap_err().contains("not part of the allowed value(s)"));
        assert!(prepare(&t, &json!({"size": {"value": "x"}}), &ctx()).unwrap_err().contains("expected a value of type 'int'"));
        assert!(prepare(&t, &json!({"size": {"value": 2048}, "other": {"value": 1}}), &ctx()).unwrap_err().contains("'other'"));
        assert_eq!(prepare(&t, &json!({"size": {"value": 2048}}), &ctx()).unwrap().parameters["size"], 2048);
    }

    #[test]
    fn what_the_emulator_does_not_deploy_is_refused() {
        let t = json!({"resources": [{"type": "Microsoft.KeyVault/vaults", "apiVersion": "x", "name": "v", "copy": {"name": "c", "count": 2}}]});
        assert!(prepare(&t, &json!({}), &ctx()).unwrap_err().contains("'copy'"));
        let t = json!({"resources": [{"type": "Microsoft.KeyVault/vaults", "apiVersion": "x", "name": "[guid('a')]"}]});
        assert!(prepare(&t, &json!({}), &ctx()).unwrap_err().contains("'guid'"));
    }
}
