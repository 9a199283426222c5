//! ARM's template expressions (`"[concat(parameters('a'), '/add')]"`), the
//! subset the console's export and the seed's template use: `parameters()`,
//! `variables()`, `resourceId()`, `reference()` (api-version, `'Full'`),
//! `concat()`, `format()`, `subscription()`, `resourceGroup()`, `uniqueString()`,
//! with `.property` and `[index]` access. Function names ignore case, as ARM's do.
//! Anything else is an error naming the expression, never a guess.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// The functions this evaluator knows (lower case).
pub const FUNCTIONS: [&str; 9] =
    ["parameters", "variables", "resourceid", "reference", "concat", "format", "subscription", "resourcegroup", "uniquestring"];

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Str(String),
    Int(i64),
    Call(String, Vec<Expr>),
    Prop(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
}

/// Why an expression could not be evaluated.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// Outside the subset, malformed, or wrong at run time: ARM's `InvalidTemplate`, with the reason.
    Invalid(String),
    /// `reference()` of a resource not read yet: read `id` at `api_version`, then evaluate again.
    NeedsReference { id: String, api_version: String },
}

/// What expressions can see.
pub struct Scope<'a> {
    pub subscription: Value,
    pub resource_group: Value,
    pub deployment_name: String,
    pub parameters: &'a Map<String, Value>,
    /// The template's `variables`, unevaluated (they are evaluated when used).
    pub variables: &'a Map<String, Value>,
    /// The template's resources: (name as evaluated, id, apiVersion), for `reference('name')`
    /// and the api-version `reference()` takes when none is given.
    pub resources: &'a [(String, String, String)],
    /// Resources read so far for `reference()`: lower-cased id -> body.
    pub references: &'a std::collections::HashMap<String, Value>,
}

/// Whether `s` is an expression (`[...]`, not the `[[` escape).
pub fn is_expression(s: &str) -> bool {
    s.starts_with('[') && s.ends_with(']') && !s.starts_with("[[")
}

/// Checks an expression's syntax and that it calls only known functions, without evaluating it.
pub fn check(text: &str) -> Result<(), String> {
    let e = parse(text)?;
    fn walk(e: &Expr, text: &str) -> Result<(), String> {
        match e {
            Expr::Call(f, args) => {
                if !FUNCTIONS.contains(&f.to_ascii_lowercase().as_str()) {
                    return Err(unknown_function(f, text));
                }
                args.iter().try_for_each(|a| walk(a, text))
            }
            Expr::Prop(inner, _) => walk(inner, text),
            Expr::Index(a, b) => walk(a, text).and_then(|_| walk(b, text)),
            _ => Ok(()),
        }
    }
    walk(&e, text)
}

fn unknown_function(f: &str, text: &str) -> String {
    format!(
        "The template function '{f}' is not valid or not supported, in the language expression '{text}'. The emulator deploys templates that use only {} (see emulator/README.md). Please see https://aka.ms/arm-functions for usage details.",
        "parameters, variables, resourceId, reference, concat, format, subscription, resourceGroup and uniqueString"
    )
}

/// Evaluates `value`: every expression string in it (object keys too), recursively.
pub fn evaluate_value(value: &Value, scope: &Scope) -> Result<Value, Failure> {
    Ok(match value {
        Value::String(s) => evaluate_string(s, scope)?,
        Value::Array(items) => Value::Array(items.iter().map(|v| evaluate_value(v, scope)).collect::<Result<_, _>>()?),
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match evaluate_string(k, scope)? {
                    Value::String(s) => s,
                    other => {
                        return Err(Failure::Invalid(format!("The property name expression '{k}' evaluated to {other}, not a string.")))
                    }
                };
                out.insert(key, evaluate_value(v, scope)?);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

/// A string as ARM reads it: an expression is evaluated, `[[` loses one bracket, the rest is literal.
pub fn evaluate_string(s: &str, scope: &Scope) -> Result<Value, Failure> {
    if is_expression(s) {
        let e = parse(s).map_err(Failure::Invalid)?;
        eval(&e, scope, s, 0)
    } else if let Some(rest) = s.strip_prefix("[[") {
        Ok(Value::String(format!("[{rest}")))
    } else {
        Ok(Value::String(s.to_string()))
    }
}

// ---- parsing ----

fn parse(text: &str) -> Result<Expr, String> {
    let inner = &text[1..text.len() - 1];
    let mut p = Parser { s: inner.as_bytes(), i: 0, text };
    let e = p.expr()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.error("unexpected text after the expression"));
    }
    Ok(e)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        format!("The language expression '{}' is not valid: {what} at position {}.", self.text, self.i + 1)
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ident(&mut self) -> String {
        let start = self.i;
        while self.i < self.s.len() && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_') {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.ws();
        let mut e = match self.peek() {
            Some(b'\'') => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    match self.peek() {
                        None => return Err(self.error("a string is not closed")),
                        Some(b'\'') if self.s.get(self.i + 1) == Some(&b'\'') => {
                            out.push(b'\'');
                            self.i += 2;
                        }
                        Some(b'\'') => {
                            self.i += 1;
                            break;
                        }
                        Some(c) => {
                            out.push(c);
                            self.i += 1;
                        }
                    }
                }
                Expr::Str(String::from_utf8_lossy(&out).into_owned())
            }
            Some(c) if c.is_ascii_digit() || c == b'-' => {
                let start = self.i;
                self.i += 1;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.i += 1;
                }
                let n =
                    std::str::from_utf8(&self.s[start..self.i]).unwrap_or("").parse().map_err(|_| self.error("a number is not valid"))?;
                Expr::Int(n)
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let name = self.ident();
                self.ws();
                if self.peek() != Some(b'(') {
                    return Err(self.error(&format!("'{name}' is not a function call")));
                }
                self.i += 1;
                let mut args = Vec::new();
                self.ws();
                if self.peek() == Some(b')') {
                    self.i += 1;
                } else {
                    loop {
                        args.push(self.expr()?);
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.i += 1,
                            Some(b')') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.error("expected ',' or ')'")),
                        }
                    }
                }
                Expr::Call(name, args)
            }
            _ => return Err(self.error("expected a string, a number or a function call")),
        };
        loop {
            self.ws();
            match self.peek() {
                Some(b'.') => {
                    self.i += 1;
                    let name = self.ident();
                    if name.is_empty() {
                        return Err(self.error("expected a property name after '.'"));
                    }
                    e = Expr::Prop(Box::new(e), name);
                }
                Some(b'[') => {
                    self.i += 1;
                    let index = self.expr()?;
                    self.ws();
                    if self.peek() != Some(b']') {
                        return Err(self.error("expected ']'"));
                    }
                    self.i += 1;
                    e = Expr::Index(Box::new(e), Box::new(index));
                }
                _ => return Ok(e),
            }
        }
    }
}

// ---- evaluation ----

fn invalid(text: &str, what: String) -> Failure {
    Failure::Invalid(format!("Unable to evaluate the template language expression '{text}': {what}"))
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn string_arg(args: &[Value], i: usize, f: &str, text: &str) -> Result<String, Failure> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(invalid(text, format!("argument {} of '{f}' must be a string, got {other}.", i + 1))),
        None => Err(invalid(text, format!("'{f}' needs at least {} argument(s).", i + 1))),
    }
}

fn get_ignoring_case<'v>(map: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    map.get(name).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

fn eval(e: &Expr, scope: &Scope, text: &str, depth: usize) -> Result<Value, Failure> {
    if depth > 32 {
        return Err(invalid(text, "variables refer to each other in a cycle.".into()));
    }
    match e {
        Expr::Str(s) => Ok(Value::String(s.clone())),
        Expr::Int(n) => Ok(json!(n)),
        Expr::Prop(inner, name) => {
            let v = eval(inner, scope, text, depth)?;
            let Value::Object(map) = &v else {
                return Err(invalid(text, format!("the property '{name}' cannot be read from {}.", kind(&v))));
            };
            get_ignoring_case(map, name).cloned().ok_or_else(|| {
                let available: Vec<&str> = map.keys().map(String::as_str).collect();
                invalid(
                    text,
                    format!(
                        "the language expression property '{name}' doesn't exist, available properties are '{}'.",
                        available.join(", ")
                    ),
                )
            })
        }
        Expr::Index(inner, index) => {
            let v = eval(inner, scope, text, depth)?;
            let i = eval(index, scope, text, depth)?;
            match (&v, &i) {
                (Value::Array(items), Value::Number(n)) => n
                    .as_u64()
                    .and_then(|n| items.get(n as usize))
                    .cloned()
                    .ok_or_else(|| invalid(text, format!("index {n} is out of range."))),
                (Value::Object(map), Value::String(k)) => {
                    get_ignoring_case(map, k).cloned().ok_or_else(|| invalid(text, format!("the property '{k}' doesn't exist.")))
                }
                _ => Err(invalid(text, format!("{} cannot be indexed with {i}.", kind(&v)))),
            }
        }
        Expr::Call(f, args) => {
            let lower = f.to_ascii_lowercase();
            if !FUNCTIONS.contains(&lower.as_str()) {
                return Err(Failure::Invalid(unknown_function(f, text)));
            }
            let args: Vec<Value> = args.iter().map(|a| eval(a, scope, text, depth)).collect::<Result<_, _>>()?;
            call(&lower, f, &args, scope, text, depth)
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn call(f: &str, name: &str, args: &[Value], scope: &Scope, text: &str, depth: usize) -> Result<Value, Failure> {
    match f {
        "parameters" => {
            let p = string_arg(args, 0, name, text)?;
            get_ignoring_case(scope.parameters, &p)
                .cloned()
                .ok_or_else(|| invalid(text, format!("the template parameter '{p}' is not found.")))
        }
        "variables" => {
            let v = string_arg(args, 0, name, text)?;
            let raw = get_ignoring_case(scope.variables, &v)
                .ok_or_else(|| invalid(text, format!("the template variable '{v}' is not found.")))?;
            match raw {
                Value::String(s) if is_expression(s) => {
                    let e = parse(s).map_err(Failure::Invalid)?;
                    eval(&e, scope, s, depth + 1)
                }
                other => evaluate_value(other, scope),
            }
        }
        "concat" => {
            if !args.is_empty() && args.iter().all(Value::is_array) {
                return Ok(Value::Array(args.iter().flat_map(|a| a.as_array().cloned().unwrap_or_default()).collect()));
            }
            if let Some(bad) = args.iter().find(|a| a.is_array() || a.is_object()) {
                return Err(invalid(text, format!("concat takes all strings or all arrays, got {}.", kind(bad))));
            }
            Ok(Value::String(args.iter().map(as_text).collect()))
        }
        "format" => {
            let pattern = string_arg(args, 0, name, text)?;
            format(&pattern, &args[1..]).map(Value::String).map_err(|w| invalid(text, w))
        }
        "subscription" => Ok(scope.subscription.clone()),
        "resourcegroup" => Ok(scope.resource_group.clone()),
        "uniquestring" => {
            if args.is_empty() {
                return Err(invalid(text, "uniqueString needs at least one argument.".into()));
            }
            let parts: Vec<String> = args.iter().map(as_text).collect();
            Ok(Value::String(unique_string(&parts)))
        }
        "resourceid" => resource_id(args, scope, text).map(Value::String),
        "reference" => {
            let target = string_arg(args, 0, name, text)?;
            let (id, template_version) = if target.starts_with('/') {
                let in_template = scope.resources.iter().find(|(_, id, _)| id.eq_ignore_ascii_case(&target));
                (target.clone(), in_template.map(|(_, _, v)| v.clone()))
            } else {
                let (_, id, v) = scope
                    .resources
                    .iter()
                    .find(|(n, _, _)| n.eq_ignore_ascii_case(&target))
                    .ok_or_else(|| invalid(text, format!("the resource '{target}' is not defined in the template.")))?;
                (id.clone(), Some(v.clone()))
            };
            let api_version = match args.get(1) {
                Some(v) => as_text(v),
                None => template_version.ok_or_else(|| {
                    invalid(text, format!("reference('{target}') names a resource outside the template, so it needs an api-version."))
                })?,
            };
            let full = match args.get(2) {
                None => false,
                Some(Value::String(s)) if s.eq_ignore_ascii_case("full") => true,
                Some(other) => return Err(invalid(text, format!("the third argument of reference() must be 'Full', got {other}."))),
            };
            let body = scope
                .references
                .get(&id.to_ascii_lowercase())
                .ok_or(Failure::NeedsReference { id: id.clone(), api_version: api_version.clone() })?;
            if full {
                Ok(body.clone())
            } else {
                Ok(body.get("properties").cloned().unwrap_or_else(|| json!({})))
            }
        }
        _ => Err(Failure::Invalid(unknown_function(name, text))),
    }
}

/// .NET-style `{0}` placeholders (`{{` and `}}` for braces); no format specifiers.
fn format(pattern: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut digits = String::new();
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                    digits.push(d);
                }
                let i: usize = digits.parse().map_err(|_| format!("the format item '{{{digits}}}' is not supported (only {{N}})."))?;
                out.push_str(&as_text(args.get(i).ok_or_else(|| format!("the format item {{{i}}} has no argument."))?));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// A 13-character deterministic hash of the arguments (ARM's is a different hash of the same shape).
pub fn unique_string(parts: &[String]) -> String {
    let digest = Sha256::digest(parts.join("-").as_bytes());
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    digest.iter().take(13).map(|b| ALPHABET[(*b as usize) % 32] as char).collect()
}

/// `resourceId([subscriptionId], [resourceGroupName], type, name1, name2...)`.
fn resource_id(args: &[Value], scope: &Scope, text: &str) -> Result<String, Failure> {
    let strings: Vec<String> = args.iter().map(as_text).collect();
    let type_at = strings
        .iter()
        .position(|s| s.contains('/') && s.split('/').next().is_some_and(|ns| ns.contains('.')))
        .ok_or_else(|| invalid(text, "resourceId needs a resource type such as 'Microsoft.KeyVault/vaults'.".into()))?;
    let sub = scope.subscription["subscriptionId"].as_str().unwrap_or_default().to_string();
    let rg = scope.resource_group["name"].as_str().unwrap_or_default().to_string();
    let (sub, rg) = match type_at {
        0 => (sub, rg),
        1 => (sub, strings[0].clone()),
        2 => (strings[0].clone(), strings[1].clone()),
        _ => return Err(invalid(text, "resourceId takes at most a subscription and a resource group before the type.".into())),
    };
    let mut type_parts = strings[type_at].split('/');
    let namespace = type_parts.next().unwrap_or_default();
    let types: Vec<&str> = type_parts.collect();
    let names = &strings[type_at + 1..];
    if types.len() != names.len() {
        return Err(invalid(
            text,
            format!("the resource type '{}' has {} segment(s) but {} name(s) were given.", strings[type_at], types.len(), names.len()),
        ));
    }
    let mut id = format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}");
    for (t, n) in types.iter().zip(names) {
        id.push_str(&format!("/{t}/{n}"));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn with<T>(f: impl FnOnce(&Scope) -> T) -> T {
        let params: Map<String, Value> = json!({"vaultName": "kv1", "n": 3}).as_object().unwrap().clone();
        let vars: Map<String, Value> =
            json!({"id": "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id1')]"}).as_object().unwrap().clone();
        let mut refs = HashMap::new();
        refs.insert(
            "/subscriptions/s/resourcegroups/g/providers/microsoft.managedidentity/userassignedidentities/id1".to_string(),
            json!({"id": "x", "properties": {"clientId": "c1", "principalId": "p1"}}),
        );
        let scope = Scope {
            subscription: json!({"id": "/subscriptions/s", "subscriptionId": "s", "tenantId": "t"}),
            resource_group: json!({"id": "/subscriptions/s/resourceGroups/g", "name": "g", "location": "westeurope"}),
            deployment_name: "d".into(),
            parameters: &params,
            variables: &vars,
            resources: &[],
            references: &refs,
        };
        f(&scope)
    }

    fn ev(s: &str) -> Result<Value, Failure> {
        with(|scope| evaluate_string(s, scope))
    }

    #[test]
    fn the_subset_evaluates() {
        assert_eq!(ev("[concat(parameters('vaultName'), '/', 'add')]").unwrap(), "kv1/add");
        assert_eq!(ev("[format('{0}/keys/{1}', parameters('VAULTNAME'), 'k')]").unwrap(), "kv1/keys/k");
        assert_eq!(
            ev("[resourceID('Microsoft.KeyVault/vaults/keys', parameters('vaultName'), 'k')]").unwrap(),
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv1/keys/k"
        );
        assert_eq!(ev("[reference(variables('id'), '2018-11-30').clientId]").unwrap(), "c1");
        assert_eq!(ev("[reference(variables('id'), '2018-11-30', 'Full').properties.principalId]").unwrap(), "p1");
        assert_eq!(ev("[subscription().tenantId]").unwrap(), "t");
        assert_eq!(ev("[resourceGroup().location]").unwrap(), "westeurope");
        assert_eq!(ev("[parameters('n')]").unwrap(), 3);
        assert_eq!(ev("[[not an expression]").unwrap(), "[not an expression]");
        assert_eq!(ev("[concat('it''s', '')]").unwrap(), "it's");
        let u = ev("[uniqueString(resourceGroup().id)]").unwrap();
        assert_eq!(u.as_str().unwrap().len(), 13);
        assert_eq!(u, ev("[uniqueString(resourceGroup().id)]").unwrap(), "deterministic");
    }

    #[test]
    fn an_unread_reference_asks_for_it() {
        let got = ev("[reference(resourceId('Microsoft.KeyVault/vaults', 'kv1'), '2025-05-01').vaultUri]").unwrap_err();
        assert_eq!(
            got,
            Failure::NeedsReference {
                id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv1".into(),
                api_version: "2025-05-01".into()
            }
        );
    }

    #[test]
    fn outside_the_subset_is_refused_naming_the_expression() {
        let text = "[guid(resourceGroup().id)]";
        let Err(Failure::Invalid(why)) = ev(text) else { panic!() };
        assert!(why.contains("'guid'") && why.contains(text), "{why}");
        assert!(check(text).unwrap_err().contains("'guid'"));
        assert!(check("[concat(parameters('a')]").is_err(), "unclosed call");
        assert!(check("[concat(parameters('a'), '/add')]").is_ok());
        let Err(Failure::Invalid(why)) = ev("[format('{0:D}', 1)]") else { panic!() };
        assert!(why.contains("not supported"), "{why}");
    }
}
