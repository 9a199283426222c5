//! "Diagnose many" on the fleet page: the registry page's key-access diagnosis run for
//! many registries as one batch, planned here so it can be tested natively. The console
//! runs it (`src/arm_client/diagnose_many.rs`, `src/pages/fleet/diagnose/`).
//!
//! - [`plan`]: which registries (those with a customer-managed key, of the selection or of
//!   the whole fleet) and in which order (round the keys, so the registries in flight together
//!   need different reads, and the later ones find theirs already answered);
//! - [`SharedReads`]: one read per request for the whole batch. The vault list of a
//!   subscription, a key's versions, a principal's role assignments on a vault are asked for
//!   once and the answer (or the request still in flight) is handed to every registry that
//!   needs it. Keyed by [`read_key`]: method, path with query, and body (a Resource Graph
//!   query is a POST whose KQL is its body);
//! - [`Batch`]: at most [`IN_FLIGHT`] registries diagnosed at once, the count done, the
//!   remaining-time estimate from the rate so far, and Cancel (no new registry starts; those
//!   in flight finish).

use std::collections::{HashMap, HashSet, VecDeque};

use crate::diagnosis::{Verdict, VerdictState};
use crate::fleet::FleetRow;
use crate::requests::ArmRequest;

/// Registries diagnosed at once. Each sends at most three reads at a time (its first round:
/// the vault list, the system identity, the identities list), and those shared with another
/// registry are not sent again: four keep the batch near the six requests a browser sends to
/// one host at a time over HTTP/1.1, so the rest wait in the batch rather than in the browser's
/// queue, where the transport's 30 s time-out would already be running. It also keeps a
/// tenant-wide run from spending ARM's per-principal read quota in bursts (ARM answers `429`
/// when it is spent; each read waits `Retry-After` and tries again).
pub const IN_FLIGHT: usize = 4;

/// The rows a batch diagnoses, by index into `rows`: those with a customer-managed key among
/// `selected` (row ids), or among all rows when `selected` is `None`. Ordered one key at a time
/// round the keys (vault, key name; groups in the fleet's order): the first registry of every
/// key, then the second of every key, and so on. The registries in flight together then need
/// different reads, sent side by side, rather than all waiting on one key's; after the first
/// round most of what a registry needs has been read, and the rest go quickly. (Grouped the other
/// way, one key's registries in a row, the 10,000-registry scenario ran one read at a time:
/// 8,500 registries in 258 s, against the emulator's ~130 ms per read.)
pub fn plan(rows: &[FleetRow], selected: Option<&HashSet<String>>) -> Vec<usize> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: HashMap<(String, String), usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.cmk && selected.is_none_or(|s| s.contains(&r.id))) {
        let key = (r.vault.as_deref().unwrap_or("").to_ascii_lowercase(), r.key_name.as_deref().unwrap_or("").to_ascii_lowercase());
        let g = *group_of.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let longest = groups.iter().map(Vec::len).max().unwrap_or(0);
    (0..longest).flat_map(|k| groups.iter().filter_map(move |g| g.get(k).copied())).collect()
}

/// What makes two requests one read for sharing: the method, the path with its query, and
/// the body. `None` for a write (never shared or repeated). The path is kept exactly as sent:
/// a `nextLink` token is case-sensitive, and the console builds every path the same way.
pub fn read_key(request: &ArmRequest) -> Option<String> {
    if !request.is_read() {
        return None;
    }
    let body = request.body.as_ref().map(|b| b.to_string()).unwrap_or_default();
    Some(format!("{} {}\n{body}", request.method.as_str(), request.path))
}

/// One answer per read for a whole batch. `V` is what a waiting registry gets: in the console,
/// the request's shared future, so a registry asking while the read is in flight waits for the
/// same answer rather than sending it again. A failed read is kept too: the batch asks once,
/// and every registry that needed it shows that read's error ("unknown"), as the registry page would.
#[derive(Debug)]
pub struct SharedReads<V> {
    answers: HashMap<String, V>,
    sent: usize,
    shared: usize,
}

impl<V> Default for SharedReads<V> {
    fn default() -> Self {
        SharedReads { answers: HashMap::new(), sent: 0, shared: 0 }
    }
}

impl<V: Clone> SharedReads<V> {
    /// The answer for `key`: the one already started, or `start()`'s, kept for the next asker.
    pub fn get_or_start(&mut self, key: String, start: impl FnOnce() -> V) -> V {
        if let Some(v) = self.answers.get(&key) {
            self.shared += 1;
            return v.clone();
        }
        self.sent += 1;
        let v = start();
        self.answers.insert(key, v.clone());
        v
    }

    /// Reads started (sent, with their retries).
    pub fn sent(&self) -> usize {
        self.sent
    }

    /// Reads answered from another registry's.
    pub fn shared(&self) -> usize {
        self.shared
    }
}

/// Where a batch is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    Running,
    /// Cancel was pressed: nothing new starts; the `done` count stays below the total.
    Cancelled,
    Finished,
}

/// How far a batch has come, for the progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// From the rate so far (wall time per registry, with [`IN_FLIGHT`] at once), once one is done.
    pub remaining_ms: Option<u64>,
    pub state: RunState,
}

impl Progress {
    /// Per cent done, 0 to 100.
    pub fn percent(&self) -> u32 {
        if self.total == 0 {
            return 100;
        }
        (self.done * 100 / self.total) as u32
    }
}

/// A batch in progress: the queue, how many are in flight, how many are done.
#[derive(Clone, Debug)]
pub struct Batch {
    queue: VecDeque<usize>,
    limit: usize,
    in_flight: usize,
    done: usize,
    total: usize,
    cancelled: bool,
    started_ms: f64,
}

impl Batch {
    /// `order` from [`plan`]; `limit` registries at once (at least one); `now_ms` any clock in ms.
    pub fn new(order: Vec<usize>, limit: usize, now_ms: f64) -> Batch {
        let total = order.len();
        Batch { queue: order.into(), limit: limit.max(1), in_flight: 0, done: 0, total, cancelled: false, started_ms: now_ms }
    }

    /// The next registry to start, when the bound allows and Cancel was not pressed.
    pub fn start_next(&mut self) -> Option<usize> {
        if self.cancelled || self.in_flight >= self.limit {
            return None;
        }
        let next = self.queue.pop_front()?;
        self.in_flight += 1;
        Some(next)
    }

    /// A started registry's diagnosis ended (whatever its verdict).
    pub fn finish(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.done += 1;
    }

    /// No registry starts after this; those in flight may still finish.
    pub fn cancel(&mut self) {
        self.cancelled = true;
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Nothing in flight and nothing more will start.
    pub fn is_over(&self) -> bool {
        self.in_flight == 0 && (self.cancelled || self.queue.is_empty())
    }

    pub fn progress(&self, now_ms: f64) -> Progress {
        let state = match (self.is_over(), self.cancelled) {
            (false, _) => RunState::Running,
            (true, true) if self.done < self.total => RunState::Cancelled,
            (true, _) => RunState::Finished,
        };
        let left = self.total - self.done;
        let remaining_ms = (state == RunState::Running && self.done > 0).then(|| {
            let elapsed = (now_ms - self.started_ms).max(0.0);
            (elapsed / self.done as f64 * left as f64).round() as u64
        });
        Progress { done: self.done, total: self.total, remaining_ms, state }
    }
}

/// The verdicts so far, by kind: the line beside the progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub reachable: usize,
    pub broken: usize,
    pub unknown: usize,
}

impl Tally {
    pub fn of<'a>(verdicts: impl IntoIterator<Item = &'a Verdict>) -> Tally {
        let mut t = Tally::default();
        for v in verdicts {
            match state_of(v) {
                VerdictState::Ok => t.reachable += 1,
                VerdictState::Broken => t.broken += 1,
                VerdictState::Unknown => t.unknown += 1,
                VerdictState::None => {}
            }
        }
        t
    }
}

/// A verdict's kind (as `Diagnosis::verdict_state`).
pub fn state_of(v: &Verdict) -> VerdictState {
    match v {
        Verdict::NotApplicable => VerdictState::None,
        Verdict::Reachable { .. } => VerdictState::Ok,
        Verdict::Inaccessible { .. } => VerdictState::Broken,
        Verdict::Unknown { .. } => VerdictState::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests;

    const SUB: &str = "00000000-0000-0000-0000-000000000001";
    const VAULT_ID: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv";

    fn row(name: &str, cmk: bool, vault: &str, key: &str) -> FleetRow {
        FleetRow {
            id: format!("/subscriptions/{SUB}/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/{name}"),
            name: name.into(),
            login_server: format!("{name}.azurecr.io"),
            subscription_id: SUB.into(),
            resource_group: "g".into(),
            location: "westeurope".into(),
            sku: "Premium".into(),
            cmk,
            vault: cmk.then(|| vault.to_string()),
            key_id: None,
            key_name: cmk.then(|| key.to_string()),
            versionless: None,
            encrypting: None,
            principal_id: None,
            status: None,
            last_rotation: None,
            flags: Vec::new(),
            sharing: 0,
            search_text: String::new(),
        }
    }

    #[test]
    fn the_plan_takes_cmk_registries_only_round_the_keys() {
        let rows = vec![
            row("a", true, "kv2", "k"),
            row("b", false, "", ""),
            row("c", true, "kv1", "k"),
            row("d", true, "KV2", "K"),
            row("e", true, "kv1", "k"),
        ];
        assert_eq!(
            plan(&rows, None),
            [0, 2, 3, 4],
            "no b (no CMK); kv2's first, kv1's first, then kv2's second (case-blind), kv1's second"
        );
        let many: Vec<FleetRow> = (0..9).map(|i| row(&format!("r{i}"), true, &format!("kv{}", i / 3), "k")).collect();
        assert_eq!(plan(&many, None), [0, 3, 6, 1, 4, 7, 2, 5, 8], "three keys of three registries: round the keys");
        let selected: HashSet<String> = [rows[1].id.clone(), rows[3].id.clone()].into();
        assert_eq!(plan(&rows, Some(&selected)), [3], "the selection, CMK only");
        assert!(plan(&rows, Some(&HashSet::new())).is_empty());
    }

    /// The reads a registry's verdict-only snapshot sends (`src/arm_client/snapshot.rs`,
    /// `Depth::Verdict`): its subscription's vault list, its system identity, the key's versions.
    fn reads_of(registry: &str) -> Vec<ArmRequest> {
        let id = format!("/subscriptions/{SUB}/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/{registry}");
        vec![requests::list_vaults(SUB), requests::get_system_identity(&id), requests::list_key_versions(VAULT_ID, "acr-cmk-key")]
    }

    #[test]
    fn registries_on_one_vault_and_key_share_its_vault_list_and_key_versions() {
        let mut shared = SharedReads::default();
        let mut sent: Vec<String> = Vec::new();
        for n in 0..10 {
            for request in reads_of(&format!("r{n}")) {
                let key = read_key(&request).unwrap();
                shared.get_or_start(key, || {
                    sent.push(request.path.clone());
                    request.path.clone()
                });
            }
        }
        let count = |needle: &str| sent.iter().filter(|p| p.contains(needle)).count();
        assert_eq!(count("Microsoft.KeyVault/vaults?"), 1, "one vault list for the subscription: {sent:#?}");
        assert_eq!(count("/versions"), 1, "one key-versions read for the key");
        assert_eq!(count("identities/default"), 10, "each registry's own system identity");
        assert_eq!((shared.sent(), shared.shared()), (12, 18));
    }

    #[test]
    fn a_read_is_its_method_path_and_body_and_writes_are_never_shared() {
        let a = crate::resource_graph::query_request("Resources | where name =~ 'kv1'", None);
        let b = crate::resource_graph::query_request("Resources | where name =~ 'kv2'", None);
        assert!(read_key(&a).is_some());
        assert_ne!(read_key(&a), read_key(&b), "two Resource Graph queries: one path, two bodies");
        assert_eq!(read_key(&requests::list_vaults(SUB)), read_key(&requests::list_vaults(SUB)));
        let write = ArmRequest::new(requests::Method::Patch, "/subscriptions/s/x".into(), None);
        assert_eq!(read_key(&write), None);
    }

    #[test]
    fn at_most_the_bound_is_in_flight_and_every_registry_runs_once() {
        // Registries taking 1, 2, 3… ticks; whatever finishes first frees a place.
        let mut batch = Batch::new((0..10).collect(), IN_FLIGHT, 0.0);
        let mut running: Vec<(usize, u32)> = Vec::new(); // (registry, ticks left)
        let mut started = Vec::new();
        let mut most = 0;
        for _tick in 0..100 {
            while let Some(i) = batch.start_next() {
                started.push(i);
                running.push((i, 1 + (i as u32 * 7) % 4));
            }
            most = most.max(running.len());
            assert_eq!(batch.in_flight(), running.len());
            for r in &mut running {
                r.1 -= 1;
            }
            let before = running.len();
            running.retain(|r| r.1 > 0);
            for _ in running.len()..before {
                batch.finish();
            }
            if batch.is_over() {
                break;
            }
        }
        assert_eq!(most, IN_FLIGHT, "the bound is reached and never passed");
        assert_eq!(started, (0..10).collect::<Vec<_>>());
        assert_eq!(batch.progress(1.0).state, RunState::Finished);
    }

    #[test]
    fn progress_counts_and_estimates_the_time_left_from_the_rate_so_far() {
        let mut batch = Batch::new((0..10).collect(), 4, 1_000.0);
        let p = batch.progress(1_000.0);
        assert_eq!((p.done, p.total, p.remaining_ms, p.state, p.percent()), (0, 10, None, RunState::Running, 0), "no rate yet");
        for _ in 0..4 {
            batch.start_next();
        }
        batch.finish();
        batch.finish();
        // Two done in 3 s: 1.5 s each, eight left.
        let p = batch.progress(4_000.0);
        assert_eq!((p.done, p.remaining_ms, p.percent()), (2, Some(12_000), 20));
        assert_eq!(
            Batch::new(Vec::new(), 4, 0.0).progress(0.0),
            Progress { done: 0, total: 0, remaining_ms: None, state: RunState::Finished }
        );
    }

    #[test]
    fn cancel_starts_nothing_new_and_lets_those_in_flight_finish() {
        let mut batch = Batch::new((0..10).collect(), 4, 0.0);
        let first: Vec<usize> = std::iter::from_fn(|| batch.start_next()).collect();
        assert_eq!(first, [0, 1, 2, 3]);
        batch.finish();
        batch.cancel();
        assert_eq!(batch.start_next(), None, "a free place, but cancelled");
        assert!(!batch.is_over(), "three still in flight");
        assert_eq!(batch.progress(10.0).state, RunState::Running);
        for _ in 0..3 {
            batch.finish();
        }
        let p = batch.progress(20.0);
        assert!(batch.is_over());
        assert_eq!((p.done, p.total, p.state, p.remaining_ms), (4, 10, RunState::Cancelled, None), "stopped below the total");
    }

    #[test]
    fn the_tally_counts_verdicts_by_kind() {
        use crate::text::Sentence;
        let reason = || vec![Sentence::new(crate::diagnosis::words::REACHABLE)];
        let verdicts = [
            Verdict::Reachable { warnings: 0 },
            Verdict::Reachable { warnings: 2 },
            Verdict::Inaccessible { reasons: reason() },
            Verdict::Unknown { reasons: reason() },
            Verdict::NotApplicable,
        ];
        assert_eq!(Tally::of(&verdicts), Tally { reachable: 2, broken: 1, unknown: 1 });
    }
}
