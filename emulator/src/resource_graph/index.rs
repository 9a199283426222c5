//! Resource Graph's index and how far it lags behind ARM.
//!
//! Azure Resource Graph answers from an index that ARM's change notifications
//! update, seconds to minutes after a write. By default the emulator's index is
//! the live world (no lag). `POST /_emulator/resource-graph/lag` with
//! `{"lagMs": N}` makes it a copy of the world taken then and taken again once
//! it is `N` ms old, so a client's handling of a stale row (a vault whose
//! permission model changed, a registry whose key was rotated) can be shown and
//! tested. `DELETE` makes it live again; so does `POST /_emulator/reset`.

use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::world::World;

#[derive(Default)]
pub struct Index(Mutex<Option<Lagging>>);

struct Lagging {
    lag_ms: i64,
    indexed_at_ms: i64,
    world: Arc<World>,
}

/// What `GET /_emulator/resource-graph/lag` reports.
#[derive(Serialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LagStatus {
    /// 0: Resource Graph reads the live world.
    pub lag_ms: i64,
    /// When the copy Resource Graph answers from was taken (RFC 3339); absent when live.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indexed_at: Option<String>,
}

impl Index {
    /// Lag by `lag_ms` from now on, with `world` (the world now) as the first copy; 0 is live.
    pub fn set_lag(&self, lag_ms: i64, now_ms: i64, world: impl FnOnce() -> World) {
        *self.lock() = (lag_ms > 0).then(|| Lagging { lag_ms, indexed_at_ms: now_ms, world: Arc::new(world()) });
    }

    /// Live again: Resource Graph reads the world as it is.
    pub fn clear(&self) {
        *self.lock() = None;
    }

    /// The world Resource Graph answers from at `now_ms`: `None` for the live one, else the
    /// copy, taken again from `world` once it is `lag_ms` old.
    pub fn lagging_world(&self, now_ms: i64, world: impl FnOnce() -> World) -> Option<Arc<World>> {
        let mut lagging = self.lock();
        let l = lagging.as_mut()?;
        if now_ms - l.indexed_at_ms >= l.lag_ms {
            l.world = Arc::new(world());
            l.indexed_at_ms = now_ms;
        }
        Some(l.world.clone())
    }

    pub fn status(&self) -> LagStatus {
        match &*self.lock() {
            None => LagStatus { lag_ms: 0, indexed_at: None },
            Some(l) => LagStatus { lag_ms: l.lag_ms, indexed_at: Some(crate::clock::rfc3339_millis(l.indexed_at_ms)) },
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Lagging>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(tenant: &str) -> World {
        World { tenant_id: tenant.into(), ..World::default() }
    }

    #[test]
    fn live_until_a_lag_is_set_then_a_copy_renewed_once_it_is_that_old() {
        let index = Index::default();
        assert!(index.lagging_world(0, || world("live")).is_none());
        index.set_lag(1_000, 10_000, || world("at 10 s"));
        assert_eq!(index.lagging_world(10_999, || world("at 11 s")).unwrap().tenant_id, "at 10 s");
        assert_eq!(index.lagging_world(11_000, || world("at 11 s")).unwrap().tenant_id, "at 11 s");
        assert_eq!(index.status().lag_ms, 1_000);
        index.set_lag(0, 12_000, || world("unused"));
        assert!(index.lagging_world(12_000, || world("live")).is_none());
        assert_eq!(index.status(), LagStatus { lag_ms: 0, indexed_at: None });
        index.set_lag(1_000, 13_000, || world("at 13 s"));
        index.clear();
        assert!(index.lagging_world(13_000, || world("live")).is_none());
    }
}
