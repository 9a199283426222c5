//! Resource Graph's per-user quota, as its response headers report it: 15 queries
//! in every 5-second window (`x-ms-user-quota-remaining`, and
//! `x-ms-user-quota-resets-after` as `hh:mm:ss`). The emulator reports it but does
//! not enforce it; a `429` comes from the fault menu, so a test decides when.

use std::collections::HashMap;
use std::sync::Mutex;

pub const QUERIES_PER_WINDOW: u32 = 15;
pub const WINDOW_MS: i64 = 5_000;

/// Each caller's current window: (start in ms, queries in it).
#[derive(Default)]
pub struct QuotaMeter(Mutex<HashMap<String, (i64, u32)>>);

impl QuotaMeter {
    /// Counts a query by `caller` at `now_ms`; the two headers' values.
    pub fn count(&self, caller: &str, now_ms: i64) -> (u32, String) {
        let mut windows = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let w = windows.entry(caller.to_string()).or_insert((now_ms, 0));
        if now_ms - w.0 >= WINDOW_MS {
            *w = (now_ms, 0);
        }
        w.1 += 1;
        let remaining = QUERIES_PER_WINDOW.saturating_sub(w.1);
        let secs = ((w.0 + WINDOW_MS - now_ms).max(0) + 999) / 1000;
        (remaining, format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_counts_down_per_caller_and_starts_again_after_five_seconds() {
        let m = QuotaMeter::default();
        assert_eq!(m.count("a", 0), (14, "00:00:05".to_string()));
        assert_eq!(m.count("a", 1_500), (13, "00:00:04".to_string()));
        assert_eq!(m.count("b", 1_500), (14, "00:00:05".to_string()));
        for t in 0..20 {
            m.count("a", 2_000 + t);
        }
        assert_eq!(m.count("a", 4_999).0, 0, "never below zero");
        assert_eq!(m.count("a", 5_000), (14, "00:00:05".to_string()));
    }
}
