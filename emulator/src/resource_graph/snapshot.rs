//! The pages of one paged query come from the result its first page computed
//! (kept for a minute), so a `$skipToken` page neither repeats nor skips a row
//! when the world changes between pages, and a 10,000-registry fleet is
//! evaluated once per query rather than once per page.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const KEPT_MS: i64 = 60_000;
const MAX_KEPT: usize = 32;

/// A query's result, as the endpoint made it. Kept opaque here: `AppState` holds the store,
/// and the table's types would pull the providers into the state's imports.
pub type Result = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
pub struct Snapshots(Mutex<HashMap<u64, (i64, Result)>>);

impl Snapshots {
    /// The result kept for the query with fingerprint `fp`, if younger than a minute.
    pub fn get(&self, fp: u64, now_ms: i64) -> Option<Result> {
        let kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        kept.get(&fp).filter(|(at, _)| now_ms - at < KEPT_MS).map(|(_, r)| r.clone())
    }

    /// Forgets every kept result (the world was reset).
    pub fn clear(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    pub fn keep(&self, fp: u64, now_ms: i64, result: Result) {
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|_, (at, _)| now_ms - *at < KEPT_MS);
        if kept.len() >= MAX_KEPT {
            if let Some(oldest) = kept.iter().min_by_key(|(_, (at, _))| *at).map(|(k, _)| *k) {
                kept.remove(&oldest);
            }
        }
        kept.insert(fp, (now_ms, result));
    }
}
