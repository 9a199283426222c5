//! Runs a parsed query over `Resources` rows, as KQL would: `where` filters
//! (case rules per operator), `project` picks and renames, `order by` sorts
//! (descending unless told), `limit` truncates. A name that does not exist at
//! that point fails even when there are no rows.

use serde_json::Value;

use super::query::{CmpOp, Cond, Op, Query, QueryError};
use super::table::{Row, COLUMNS};

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::resource_graph::parser::parse;

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
}
