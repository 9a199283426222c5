//! The `QueryResponse` body: one page of the result (`$skipToken` paging,
//! bound to its query and scope) as objects, or in ARG's table format with
//! typed columns.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use super::table::Row;

/// Columns ARG types as `string` in the table format (the rest are `object`).
const STRING_COLUMNS: [&str; 9] = ["id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId", "managedBy"];

/// A cheap fingerprint binding a `$skipToken` to its query and scope.
pub(super) fn fingerprint(query: &str, subs: &[String]) -> u64 {
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

pub(super) fn decode_token(token: &str, fp: u64) -> Option<usize> {
    let v: Value = serde_json::from_slice(&STANDARD.decode(token).ok()?).ok()?;
    (v["query"].as_str()? == format!("{fp:016x}")).then_some(())?;
    v["offset"].as_u64().map(|o| o as usize)
}

/// The response for rows `start..start + size` of a result with `columns`.
pub(super) fn body(columns: &[String], rows: &[Row], start: usize, size: usize, fp: u64, table_format: bool) -> Value {
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
    out
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

    #[test]
    fn skip_tokens_are_bound_to_their_query() {
        let fp = fingerprint("q", &["s".into()]);
        let t = encode_token(7, fp);
        assert_eq!(decode_token(&t, fp), Some(7));
        assert_eq!(decode_token(&t, fingerprint("q2", &["s".into()])), None);
        assert_eq!(decode_token("garbage", fp), None);
    }
}
