//! Wall-clock time in the formats ARM and Key Vault use (RFC 3339 with seven
//! fractional digits, Unix seconds), kept in one place so tests can reason about it.

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_millis() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

pub fn now_secs() -> i64 {
    now_millis() / 1000
}

/// `2021-06-15T21:38:26.1530000Z` (ARM's timestamp style).
pub fn rfc3339_millis(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let frac = ms.rem_euclid(1000);
    let (date, time) = date_time(secs);
    format!("{date}T{time}.{frac:03}0000Z")
}

/// `2024-01-01 12:00:00.000000` (the local-time style `az account get-access-token` prints; here UTC).
pub fn az_cli_time(secs: i64) -> String {
    let (date, time) = date_time(secs);
    format!("{date} {time}.000000")
}

fn date_time(secs: i64) -> (String, String) {
    let full = acr_cmk_domain::encryption::format_unix_utc(secs);
    let (d, t) = full.split_once(' ').unwrap_or((&full, "00:00:00"));
    (d.to_string(), t.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats() {
        assert_eq!(super::rfc3339_millis(1_700_000_000_123), "2023-11-14T22:13:20.1230000Z");
        assert_eq!(super::az_cli_time(1_700_000_000), "2023-11-14 22:13:20.000000");
    }
}
