//! Dependent waves of the ARM requests a page sent, from its Resource Timing: a
//! request is in wave n+1 when it started after a request of wave n had answered
//! (it may have waited for that answer); requests that went out before any of
//! them answered share a wave. Issue 14's goal counts these: the key-access
//! diagnosis complete at most two dependent waves after the registry read.
//! `benches/page_load.rs` prints them for a cold deep link; `tests/diagnosis.rs`
//! checks them with every ARM read held back long enough that the page's own
//! work between an answer and the next request cannot blur the order.

use serde_json::Value;

use super::Browser;

/// One ARM request as the page timed it (ms from navigation start).
#[derive(Clone, Debug)]
pub struct Timed {
    pub start: f64,
    pub end: f64,
    /// The path, without the query.
    pub path: String,
}

/// Each request with its wave (1 = sent before any of them answered), in the order they started.
pub fn of(requests: &[Timed]) -> Vec<(usize, Timed)> {
    let mut sorted = requests.to_vec();
    sorted.sort_by(|a, b| a.start.total_cmp(&b.start));
    let mut out: Vec<(usize, Timed)> = Vec::with_capacity(sorted.len());
    for r in sorted {
        let wave = out.iter().filter(|(_, before)| before.end <= r.start).map(|(w, _)| *w).max().unwrap_or(0) + 1;
        out.push((wave, r));
    }
    out
}

/// The Activity Log's pages: the registry page reads them beside the diagnosis, not for it.
pub fn is_activity_log(path: &str) -> bool {
    path.to_ascii_lowercase().contains("/providers/microsoft.insights/eventtypes/management/values")
}

/// How many dependent waves the key-access diagnosis took after the registry read, among `requests`:
/// the Activity Log left out, the last wave less the registry's. `None` when the registry read is not
/// among them.
pub fn diagnosis_after_registry(requests: &[Timed], registry_path: &str) -> Option<usize> {
    let diagnosis: Vec<Timed> = requests.iter().filter(|r| !is_activity_log(&r.path)).cloned().collect();
    let waves = of(&diagnosis);
    let registry = waves.iter().find(|(_, r)| r.path.eq_ignore_ascii_case(registry_path))?.0;
    Some(waves.iter().map(|(w, _)| *w).max().unwrap_or(registry) - registry)
}

impl Browser {
    /// The ARM requests the page has timed so far (Resource Timing), not the emulator's own
    /// routes (`/_emulator/…`: the demo token, stats, faults).
    pub async fn arm_timings(&self) -> Vec<Timed> {
        let entries = self
            .js("return performance.getEntriesByType('resource').map(e => ({ name: e.name, start: e.startTime, end: e.responseEnd }));")
            .await;
        arm_requests(&entries, &self.emulator.arm_url)
    }
}

/// The ARM requests among Resource Timing entries (`name`, `start`, `end`) to `arm_url`.
pub fn arm_requests(entries: &Value, arm_url: &str) -> Vec<Timed> {
    let mut out = Vec::new();
    for e in entries.as_array().into_iter().flatten() {
        let Some(path) = e["name"].as_str().and_then(|n| n.strip_prefix(arm_url)) else { continue };
        if path.contains("/_emulator/") {
            continue;
        }
        let path = path.split('?').next().unwrap_or(path).to_string();
        out.push(Timed { start: e["start"].as_f64().unwrap_or(0.0), end: e["end"].as_f64().unwrap_or(0.0), path });
    }
    out
}
