//! `POST /providers/Microsoft.ResourceGraph/resources` (2022-10-01): Azure
//! Resource Graph, for the fleet view's cross-subscription registry query.
//!
//! Resource Graph speaks KQL; the emulator understands only a small, exactly
//! specified subset of it (see emulator/README.md, "Resource Graph"), evaluated
//! over the same world ARM serves, in ARG's row shape (lower-case `type`,
//! `resourceGroup` and `location`; `project a.b` names its column `a_b`).
//! Anything outside that subset is answered with ARG's `400 BadRequest` /
//! `InvalidQuery` error, never with a result that could be wrong.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api_versions::Provider;
use crate::errors::{ArmError, ArmResult};
use crate::http::{json, Req, Route};
use crate::registry;
use crate::state::AppState;
use crate::world::{eq, World};

pub fn routes() -> Vec<Route> {
    vec![Route::arm(Method::POST, "/providers/Microsoft.ResourceGraph/resources", Provider::ResourceGraph, resources)]
}

/// The columns of ARG's `Resources` table, in its order.
pub const COLUMNS: [&str; 16] = [
    "id",
    "name",
    "type",
    "tenantId",
    "kind",
    "location",
    "resourceGroup",
    "subscriptionId",
    "managedBy",
    "sku",
    "plan",
    "properties",
    "tags",
    "identity",
    "zones",
    "extendedLocation",
];

/// Columns ARG types as `string` in the table format (the rest are `object`).
const STRING_COLUMNS: [&str; 9] = ["id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId", "managedBy"];

const DEFAULT_TOP: usize = 100;
const MAX_TOP: usize = 1000;

// ---------- the query language subset ----------

#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub ops: Vec<Op>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Where(Vec<Cond>),
    /// (output column, source path)
    Project(Vec<(String, Vec<String>)>),
    /// (path, ascending)
    Order(Vec<(Vec<String>, bool)>),
    Limit(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cond {
    pub path: Vec<String>,
    pub op: CmpOp,
    pub values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==` (case-sensitive)
    Eq,
    /// `!=`
    Ne,
    /// `=~` (case-insensitive)
    EqCi,
    /// `!~`
    NeCi,
    /// `in (…)`
    In,
    /// `in~ (…)`
    InCi,
    /// `contains` (case-insensitive substring)
    Contains,
    /// `!contains`
    NotContains,
    /// `startswith` (case-insensitive)
    StartsWith,
}

/// Why a query is refused; becomes ARG's `InvalidQuery` error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError(pub String);

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(u64),
    Pipe,
    Comma,
    Dot,
    LParen,
    RParen,
    Assign,
    Cmp(&'static str),
}

fn tokenize(src: &str) -> Result<Vec<Tok>, QueryError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '|' {
            out.push(Tok::Pipe);
            i += 1;
        } else if c == ',' {
            out.push(Tok::Comma);
            i += 1;
        } else if c == '.' {
            out.push(Tok::Dot);
            i += 1;
        } else if c == '(' {
            out.push(Tok::LParen);
            i += 1;
        } else if c == ')' {
            out.push(Tok::RParen);
            i += 1;
        } else if c == '\'' || c == '"' {
            let quote = c;
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(QueryError("a string literal is not terminated".into())),
                    Some('\\') => {
                        let e = chars.get(i + 1).ok_or_else(|| QueryError("a string literal is not terminated".into()))?;
                        s.push(match e {
                            'n' => '\n',
                            't' => '\t',
                            other => *other,
                        });
                        i += 2;
                    }
                    Some(ch) if *ch == quote => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        s.push(*ch);
                        i += 1;
                    }
                }
            }
            out.push(Tok::Str(s));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(Tok::Num(text.parse().map_err(|_| QueryError(format!("the number {text} is too large")))?));
        } else if c == '=' || c == '!' {
            let next = chars.get(i + 1).copied();
            match (c, next) {
                ('=', Some('~')) => out.push(Tok::Cmp("=~")),
                ('=', Some('=')) => out.push(Tok::Cmp("==")),
                ('!', Some('~')) => out.push(Tok::Cmp("!~")),
                ('!', Some('=')) => out.push(Tok::Cmp("!=")),
                ('=', _) => {
                    out.push(Tok::Assign);
                    i += 1;
                    continue;
                }
                ('!', Some(n)) if n.is_ascii_alphabetic() => {
                    // `!contains` and friends: the bang is part of the operator's name.
                    let start = i;
                    i += 1;
                    while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                        i += 1;
                    }
                    out.push(Tok::Ident(chars[start..i].iter().collect()));
                    continue;
                }
                _ => return Err(QueryError(format!("unexpected character '{c}'"))),
            }
            i += 2;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            // `in~`: the tilde belongs to the operator.
            if chars.get(i) == Some(&'~') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else {
            return Err(QueryError(format!("unexpected character '{c}'")));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn ident(&mut self, what: &str) -> Result<String, QueryError> {
        match self.next() {
            Some(Tok::Ident(s)) => Ok(s),
            other => Err(QueryError(format!("expected {what}, found {}", show(other.as_ref())))),
        }
    }

    fn keyword(&mut self, kw: &str) -> Result<(), QueryError> {
        match self.next() {
            Some(Tok::Ident(s)) if s == kw => Ok(()),
            other => Err(QueryError(format!("expected '{kw}', found {}", show(other.as_ref())))),
        }
    }

    fn is_keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(s)) if s == kw)
    }

    fn path(&mut self) -> Result<Vec<String>, QueryError> {
        let mut p = vec![self.ident("a column name")?];
        while self.peek() == Some(&Tok::Dot) {
            self.pos += 1;
            p.push(self.ident("a property name after '.'")?);
        }
        Ok(p)
    }

    fn string(&mut self) -> Result<String, QueryError> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(s),
            other => Err(QueryError(format!("expected a string literal, found {}", show(other.as_ref())))),
        }
    }
}

fn show(t: Option<&Tok>) -> String {
    match t {
        None => "the end of the query".into(),
        Some(Tok::Ident(s)) => format!("'{s}'"),
        Some(Tok::Str(s)) => format!("the string '{s}'"),
        Some(Tok::Num(n)) => format!("the number {n}"),
        Some(Tok::Pipe) => "'|'".into(),
        Some(Tok::Comma) => "','".into(),
        Some(Tok::Dot) => "'.'".into(),
        Some(Tok::LParen) => "'('".into(),
        Some(Tok::RParen) => "')'".into(),
        Some(Tok::Assign) => "'='".into(),
        Some(Tok::Cmp(c)) => format!("'{c}'"),
    }
}

/// Parses the supported subset; see the README for the grammar.
pub fn parse(src: &str) -> Result<Query, QueryError> {
    let mut p = Parser { toks: tokenize(src)?, pos: 0 };
    if p.peek().is_none() {
        return Err(QueryError("the query is empty".into()));
    }
    // `Resources` is ARG's default table and may be left out.
    match p.peek() {
        Some(Tok::Ident(t)) if t == "Resources" || t == "resources" => {
            p.pos += 1;
            if p.peek().is_some() && p.peek() != Some(&Tok::Pipe) {
                return Err(QueryError(format!("expected '|' after the table name, found {}", show(p.peek()))));
            }
        }
        Some(Tok::Ident(t)) if ["where", "project", "order", "sort", "limit", "take"].contains(&t.as_str()) => {
            p.toks.insert(0, Tok::Pipe);
        }
        Some(Tok::Ident(t)) => {
            return Err(QueryError(format!("the table '{t}' is not supported by the emulator (only Resources)")));
        }
        other => return Err(QueryError(format!("expected a table name, found {}", show(other)))),
    }
    let mut ops = Vec::new();
    while let Some(t) = p.next() {
        if t != Tok::Pipe {
            return Err(QueryError(format!("expected '|', found {}", show(Some(&t)))));
        }
        let op = p.ident("an operator after '|'")?;
        ops.push(match op.as_str() {
            "where" => {
                let mut conds = vec![cond(&mut p)?];
                while p.is_keyword("and") {
                    p.pos += 1;
                    conds.push(cond(&mut p)?);
                }
                Op::Where(conds)
            }
            "project" => {
                let mut items = Vec::new();
                loop {
                    let first = p.path()?;
                    let item = if p.peek() == Some(&Tok::Assign) {
                        if first.len() != 1 {
                            return Err(QueryError(format!("'{}' cannot be a column name", first.join("."))));
                        }
                        p.pos += 1;
                        (first[0].clone(), p.path()?)
                    } else {
                        (first.join("_"), first)
                    };
                    if items.iter().any(|(n, _): &(String, Vec<String>)| n == &item.0) {
                        return Err(QueryError(format!("the column '{}' is projected twice", item.0)));
                    }
                    items.push(item);
                    if p.peek() == Some(&Tok::Comma) {
                        p.pos += 1;
                    } else {
                        break;
                    }
                }
                Op::Project(items)
            }
            "order" | "sort" => {
                p.keyword("by")?;
                let mut keys = Vec::new();
                loop {
                    let path = p.path()?;
                    // KQL sorts descending unless told otherwise.
                    let asc = if p.is_keyword("asc") {
                        p.pos += 1;
                        true
                    } else {
                        if p.is_keyword("desc") {
                            p.pos += 1;
                        }
                        false
                    };
                    keys.push((path, asc));
                    if p.peek() == Some(&Tok::Comma) {
                        p.pos += 1;
                    } else {
                        break;
                    }
                }
                Op::Order(keys)
            }
            "limit" | "take" => match p.next() {
                Some(Tok::Num(n)) => Op::Limit(n as usize),
                other => return Err(QueryError(format!("expected a number after '{op}', found {}", show(other.as_ref())))),
            },
            other => return Err(QueryError(format!("the operator '{other}' is not supported by the emulator"))),
        });
        if let Some(t) = p.peek() {
            if t != &Tok::Pipe {
                return Err(QueryError(format!(
                    "unexpected {} (only 'and' joins conditions; 'or' and parentheses are not supported)",
                    show(Some(t))
                )));
            }
        }
    }
    Ok(Query { ops })
}

fn cond(p: &mut Parser) -> Result<Cond, QueryError> {
    let path = p.path()?;
    let op = match p.next() {
        Some(Tok::Cmp("==")) => CmpOp::Eq,
        Some(Tok::Cmp("!=")) => CmpOp::Ne,
        Some(Tok::Cmp("=~")) => CmpOp::EqCi,
        Some(Tok::Cmp("!~")) => CmpOp::NeCi,
        Some(Tok::Ident(s)) if s == "in" => CmpOp::In,
        Some(Tok::Ident(s)) if s == "in~" => CmpOp::InCi,
        Some(Tok::Ident(s)) if s == "contains" => CmpOp::Contains,
        Some(Tok::Ident(s)) if s == "!contains" => CmpOp::NotContains,
        Some(Tok::Ident(s)) if s == "startswith" => CmpOp::StartsWith,
        other => return Err(QueryError(format!("the comparison {} is not supported by the emulator", show(other.as_ref())))),
    };
    let values = if matches!(op, CmpOp::In | CmpOp::InCi) {
        if p.next() != Some(Tok::LParen) {
            return Err(QueryError("expected '(' after 'in'".into()));
        }
        let mut v = vec![p.string()?];
        while p.peek() == Some(&Tok::Comma) {
            p.pos += 1;
            v.push(p.string()?);
        }
        if p.next() != Some(Tok::RParen) {
            return Err(QueryError("expected ')' to close the 'in' list".into()));
        }
        v
    } else {
        vec![p.string()?]
    };
    Ok(Cond { path, op, values })
}

// ---------- evaluation ----------

/// A result row: columns in order (ARG keeps the projection's order).
#[derive(Clone, Debug, PartialEq)]
pub struct Row(pub Vec<(String, Value)>);

impl Row {
    fn get(&self, col: &str) -> Option<&Value> {
        self.0.iter().find(|(c, _)| c == col).map(|(_, v)| v)
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

fn lookup(row: &Row, path: &[String], columns: &[String]) -> Result<Value, QueryError> {
    if !columns.iter().any(|c| c == &path[0]) {
        return Err(QueryError(format!("Failed to resolve scalar expression named '{}'", path[0])));
    }
    let mut v = row.get(&path[0]).cloned().unwrap_or(Value::Null);
    for seg in &path[1..] {
        v = v.get(seg).cloned().unwrap_or(Value::Null);
    }
    Ok(v)
}

/// KQL's `tostring()` of a dynamic value (null is the empty string).
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(v.to_string()),
        other => Some(other.to_string()),
    }
}

fn test(cond: &Cond, v: &Value) -> bool {
    let scalar = matches!(v, Value::String(_) | Value::Bool(_) | Value::Number(_));
    let t = as_text(v).unwrap_or_default();
    let first = &cond.values[0];
    match cond.op {
        CmpOp::Eq => scalar && t == *first,
        CmpOp::Ne => !(scalar && t == *first),
        CmpOp::EqCi => scalar && t.to_lowercase() == first.to_lowercase(),
        CmpOp::NeCi => !(scalar && t.to_lowercase() == first.to_lowercase()),
        CmpOp::In => scalar && cond.values.contains(&t),
        CmpOp::InCi => scalar && cond.values.iter().any(|x| x.to_lowercase() == t.to_lowercase()),
        CmpOp::Contains => t.to_lowercase().contains(&first.to_lowercase()),
        CmpOp::NotContains => !t.to_lowercase().contains(&first.to_lowercase()),
        CmpOp::StartsWith => t.to_lowercase().starts_with(&first.to_lowercase()),
    }
}

fn rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(std::cmp::Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ if rank(a) != rank(b) => rank(a).cmp(&rank(b)),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

/// Runs `query` over `rows` (the `Resources` table, already scoped).
pub fn run(query: &Query, mut rows: Vec<Row>) -> Result<(Vec<String>, Vec<Row>), QueryError> {
    let mut columns: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    for op in &query.ops {
        match op {
            Op::Where(conds) => {
                let mut kept = Vec::with_capacity(rows.len());
                for c in conds {
                    // Resolve names even when there are no rows: a wrong query stays wrong on an empty fleet.
                    lookup(&Row(Vec::new()), &c.path, &columns)?;
                }
                for row in rows {
                    let mut ok = true;
                    for c in conds {
                        if !test(c, &lookup(&row, &c.path, &columns)?) {
                            ok = false;
                            break;
                        }
                    }
                    if ok {
                        kept.push(row);
                    }
                }
                rows = kept;
            }
            Op::Project(items) => {
                for (_, path) in items {
                    lookup(&Row(Vec::new()), path, &columns)?;
                }
                rows = rows
                    .iter()
                    .map(|row| {
                        Ok(Row(items
                            .iter()
                            .map(|(name, path)| Ok((name.clone(), lookup(row, path, &columns)?)))
                            .collect::<Result<_, QueryError>>()?))
                    })
                    .collect::<Result<_, QueryError>>()?;
                columns = items.iter().map(|(n, _)| n.clone()).collect();
            }
            Op::Order(keys) => {
                for (path, _) in keys {
                    lookup(&Row(Vec::new()), path, &columns)?;
                }
                let cols = columns.clone();
                rows.sort_by(|a, b| {
                    for (path, asc) in keys {
                        let (x, y) = (lookup(a, path, &cols).unwrap_or(Value::Null), lookup(b, path, &cols).unwrap_or(Value::Null));
                        let o = compare(&x, &y);
                        let o = if *asc { o } else { o.reverse() };
                        if o != std::cmp::Ordering::Equal {
                            return o;
                        }
                    }
                    std::cmp::Ordering::Equal
                });
            }
            Op::Limit(n) => rows.truncate(*n),
        }
    }
    Ok((columns, rows))
}

/// One `Resources` row from an ARM resource body, as ARG shapes it.
fn row(resource: &Value, tenant: &str, sub: &str, rg: &str) -> Row {
    let s = |k: &str| resource.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let or_null = |k: &str| resource.get(k).cloned().unwrap_or(Value::Null);
    let tags = match resource.get("tags") {
        Some(Value::Object(m)) => Value::Object(m.clone()),
        _ => json!({}),
    };
    let kind = s("kind");
    Row(vec![
        ("id".into(), json!(s("id"))),
        ("name".into(), json!(s("name"))),
        ("type".into(), json!(s("type").to_lowercase())),
        ("tenantId".into(), json!(tenant)),
        ("kind".into(), json!(kind)),
        ("location".into(), json!(s("location").to_lowercase())),
        ("resourceGroup".into(), json!(rg.to_lowercase())),
        ("subscriptionId".into(), json!(sub.to_lowercase())),
        ("managedBy".into(), json!("")),
        ("sku".into(), or_null("sku")),
        ("plan".into(), Value::Null),
        ("properties".into(), resource.get("properties").cloned().unwrap_or_else(|| json!({}))),
        ("tags".into(), tags),
        ("identity".into(), or_null("identity")),
        ("zones".into(), Value::Null),
        ("extendedLocation".into(), Value::Null),
    ])
}

/// The `Resources` table for these subscriptions: registries, vaults and user-assigned identities.
pub fn table(world: &World, subscriptions: &[String]) -> Vec<Row> {
    let in_scope = |s: &str| subscriptions.iter().any(|x| eq(x, s));
    let tenant = world.tenant_id.as_str();
    let mut rows = Vec::new();
    for r in world.registries.iter().filter(|r| in_scope(&r.subscription_id)) {
        rows.push(row(&registry::view(world, r), tenant, &r.subscription_id, &r.resource_group));
    }
    for v in world.vaults.iter().filter(|v| v.deleted_at.is_none() && in_scope(&v.subscription_id)) {
        rows.push(row(&serde_json::to_value(&v.vault).unwrap_or(Value::Null), tenant, &v.subscription_id, &v.resource_group));
    }
    for i in world.identities.iter().filter(|i| in_scope(&i.subscription_id)) {
        rows.push(row(&crate::identity::identity_json(i, tenant), tenant, &i.subscription_id, &i.resource_group));
    }
    // A stable order, so `$skipToken` pages neither repeat nor skip rows.
    rows.sort_by_key(|r| r.get("id").and_then(Value::as_str).unwrap_or("").to_lowercase());
    rows
}

// ---------- the HTTP request ----------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueryRequest {
    #[serde(default)]
    subscriptions: Option<Vec<String>>,
    #[serde(default)]
    management_groups: Option<Vec<String>>,
    query: Option<String>,
    #[serde(default)]
    options: Option<QueryRequestOptions>,
    #[serde(default)]
    facets: Option<Vec<Value>>,
}

#[derive(Deserialize, Default)]
struct QueryRequestOptions {
    #[serde(rename = "$skipToken", default)]
    skip_token: Option<String>,
    #[serde(rename = "$top", default)]
    top: Option<i64>,
    #[serde(rename = "$skip", default)]
    skip: Option<i64>,
    #[serde(rename = "resultFormat", default)]
    result_format: Option<String>,
}

const INVALID_QUERY: &str =
    "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.";

/// ARG's error for a query it (here: the emulator) cannot run.
fn invalid_query(e: QueryError) -> ArmError {
    ArmError::bad_request(
        "BadRequest",
        format!("{INVALID_QUERY} The emulator supports only the query forms listed in emulator/README.md (Resource Graph): {}.", e.0),
    )
    .with_detail("InvalidQuery", INVALID_QUERY)
    .with_detail("ParserFailure", e.0)
}

fn bad(detail_code: &str, message: String) -> ArmError {
    ArmError::bad_request("BadRequest", message.clone()).with_detail(detail_code, message)
}

/// A cheap fingerprint binding a `$skipToken` to its query and scope.
fn fingerprint(query: &str, subs: &[String]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in query.bytes().chain(subs.join(",").to_lowercase().bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn encode_token(offset: usize, fp: u64) -> String {
    STANDARD.encode(json!({"offset": offset, "query": format!("{fp:016x}")}).to_string())
}

fn decode_token(token: &str, fp: u64) -> Option<usize> {
    let v: Value = serde_json::from_slice(&STANDARD.decode(token).ok()?).ok()?;
    (v["query"].as_str()? == format!("{fp:016x}")).then_some(())?;
    v["offset"].as_u64().map(|o| o as usize)
}

fn resources(state: &AppState, req: &Req) -> ArmResult<Response> {
    let body: QueryRequest = req.json()?;
    let text = body.query.filter(|q| !q.trim().is_empty()).ok_or_else(|| bad("InvalidQuery", "The query is required.".into()))?;
    if body.management_groups.as_ref().is_some_and(|m| !m.is_empty()) {
        return Err(bad("UnsupportedScope", "The emulator has no management groups; scope the query with 'subscriptions'.".into()));
    }
    if body.facets.as_ref().is_some_and(|f| !f.is_empty()) {
        return Err(bad("UnsupportedFacets", "The emulator does not compute facets; send the query without 'facets'.".into()));
    }
    let options = body.options.unwrap_or_default();
    let top = match options.top {
        None => DEFAULT_TOP,
        Some(t) if (1..=MAX_TOP as i64).contains(&t) => t as usize,
        Some(t) => return Err(bad("InvalidTop", format!("The value of '$top' ({t}) must be between 1 and {MAX_TOP}."))),
    };
    let skip = match options.skip {
        None => 0,
        Some(s) if s >= 0 => s as usize,
        Some(s) => return Err(bad("InvalidSkip", format!("The value of '$skip' ({s}) must not be negative."))),
    };
    // Table was the default before 2021-03-01, objectArray since.
    let table_format = match options.result_format.as_deref() {
        Some(f) if f.eq_ignore_ascii_case("table") => true,
        Some(f) if f.eq_ignore_ascii_case("objectArray") => false,
        Some(f) => {
            return Err(bad(
                "InvalidResultFormat",
                format!("The result format '{f}' is invalid. Allowed values are 'table' and 'objectArray'."),
            ))
        }
        None => req.api_version() < "2021-03-01",
    };
    let query = parse(&text).map_err(invalid_query)?;

    let world = state.world();
    let subs: Vec<String> = match body.subscriptions {
        Some(s) if !s.is_empty() => s,
        _ => world.subscriptions.iter().map(|s| s.subscription_id.clone()).collect(),
    };
    let (columns, rows) = run(&query, table(&world, &subs)).map_err(invalid_query)?;
    drop(world);

    let fp = fingerprint(&text, &subs);
    let start = match &options.skip_token {
        Some(t) => {
            decode_token(t, fp).ok_or_else(|| bad("InvalidSkipToken", "The '$skipToken' is invalid or belongs to another query.".into()))?
        }
        None => skip,
    };
    // `--page-size` caps Resource Graph pages too, so small fleets can exercise paging.
    let size = top.min(state.page_size().max(1));
    let total = rows.len();
    let end = start.saturating_add(size).min(total);
    let page: Vec<Row> = if start < total { rows[start..end].to_vec() } else { Vec::new() };
    // ARG pages only results that carry `id`; otherwise it truncates.
    let pageable = columns.iter().any(|c| c == "id");
    let more = end < total;
    let data = if table_format {
        json!({
            "columns": columns.iter().map(|c| json!({"name": c, "type": column_type(c, &page)})).collect::<Vec<_>>(),
            "rows": page.iter().map(|r| r.0.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>()).collect::<Vec<_>>(),
        })
    } else {
        serde_json::to_value(&page).unwrap_or_default()
    };
    let mut out = json!({
        "totalRecords": total,
        "count": page.len(),
        "resultTruncated": if more && !pageable { "true" } else { "false" },
        "data": data,
        "facets": [],
    });
    if more && pageable {
        out["$skipToken"] = json!(encode_token(end, fp));
    }
    Ok(json(StatusCode::OK, out))
}

fn column_type(column: &str, rows: &[Row]) -> &'static str {
    if STRING_COLUMNS.contains(&column) {
        return "string";
    }
    match rows.iter().find_map(|r| r.get(column).filter(|v| !v.is_null())) {
        Some(Value::String(_)) => "string",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => "integer",
        Some(Value::Number(_)) => "number",
        _ => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(path: &str) -> Vec<String> {
        path.split('.').map(String::from).collect()
    }

    #[test]
    fn parses_the_fleet_query() {
        let q = parse(
            "Resources\n| where type =~ 'microsoft.containerregistry/registries'\n| project id, name, resourceGroup, subscriptionId, sku, identity, properties.encryption",
        )
        .unwrap();
        assert_eq!(q.ops.len(), 2);
        assert_eq!(
            q.ops[0],
            Op::Where(vec![Cond { path: p("type"), op: CmpOp::EqCi, values: vec!["microsoft.containerregistry/registries".into()] }])
        );
        let Op::Project(items) = &q.ops[1] else { panic!() };
        assert_eq!(items.last().unwrap(), &("properties_encryption".to_string(), p("properties.encryption")));
    }

    #[test]
    fn parses_aliases_in_lists_order_and_limit() {
        let q = parse("resources | where type in~ ('A', \"b\") and name !contains 'x' | project enc = properties.encryption, id | order by name asc, id | take 5").unwrap();
        let Op::Where(c) = &q.ops[0] else { panic!() };
        assert_eq!(c[0].op, CmpOp::InCi);
        assert_eq!(c[0].values, vec!["A".to_string(), "b".to_string()]);
        assert_eq!(c[1].op, CmpOp::NotContains);
        assert_eq!(q.ops[1], Op::Project(vec![("enc".into(), p("properties.encryption")), ("id".into(), p("id"))]));
        assert_eq!(q.ops[2], Op::Order(vec![(p("name"), true), (p("id"), false)]));
        assert_eq!(q.ops[3], Op::Limit(5));
    }

    #[test]
    fn refuses_what_it_cannot_evaluate() {
        for q in [
            "",
            "Resources | summarize count() by type",
            "Resources | where type =~ 'x' or name == 'y'",
            "Resources | where (type =~ 'x')",
            "ResourceContainers | where type =~ 'x'",
            "Resources | where type has 'x'",
            "Resources | extend a = 1",
            "Resources | where name == 'unterminated",
            "Resources | where type =~ 'x' | join (Resources) on id",
            "Resources | project a.b = id",
        ] {
            assert!(parse(q).is_err(), "{q:?} should be refused");
        }
    }

    #[test]
    fn evaluation_is_kql_like() {
        let row = |id: &str, name: &str, t: &str, status: &str| {
            let mut r = Row(COLUMNS.iter().map(|c| (c.to_string(), Value::Null)).collect());
            for (k, v) in
                [("id", json!(id)), ("name", json!(name)), ("type", json!(t)), ("properties", json!({"encryption": {"status": status}}))]
            {
                r.0.iter_mut().find(|(c, _)| c == k).unwrap().1 = v;
            }
            r
        };
        let rows = vec![
            row("/a", "Alpha", "microsoft.containerregistry/registries", "enabled"),
            row("/b", "beta", "microsoft.containerregistry/registries", "disabled"),
            row("/c", "gamma", "microsoft.keyvault/vaults", ""),
        ];
        // `==` is case-sensitive; ARG's type column is lower case.
        let (_, got) = run(&parse("Resources | where type == 'Microsoft.ContainerRegistry/registries'").unwrap(), rows.clone()).unwrap();
        assert!(got.is_empty());
        let (cols, got) = run(
            &parse("Resources | where type =~ 'Microsoft.ContainerRegistry/registries' and properties.encryption.status =~ 'ENABLED' | project name, properties.encryption.status").unwrap(),
            rows.clone(),
        )
        .unwrap();
        assert_eq!(cols, vec!["name", "properties_encryption_status"]);
        assert_eq!(got, vec![Row(vec![("name".into(), json!("Alpha")), ("properties_encryption_status".into(), json!("enabled"))])]);
        // `order by` without a direction is descending; strings compare ordinally.
        let (_, got) = run(&parse("Resources | order by name | project name").unwrap(), rows.clone()).unwrap();
        let names: Vec<_> = got.iter().map(|r| r.0[0].1.clone()).collect();
        assert_eq!(names, vec![json!("gamma"), json!("beta"), json!("Alpha")]);
        // After `project`, only projected columns exist.
        let err = run(&parse("Resources | project name | where type =~ 'x'").unwrap(), rows.clone()).unwrap_err();
        assert!(err.0.contains("'type'"), "{err:?}");
        // Unknown columns fail even with no rows.
        assert!(run(&parse("Resources | where nmae == 'x'").unwrap(), Vec::new()).is_err());
    }

    #[test]
    fn skip_tokens_are_bound_to_their_query() {
        let fp = fingerprint("q", &["s".into()]);
        let t = encode_token(7, fp);
        assert_eq!(decode_token(&t, fp), Some(7));
        assert_eq!(decode_token(&t, fingerprint("q2", &["s".into()])), None);
        assert_eq!(decode_token("garbage", fp), None);
    }
}
