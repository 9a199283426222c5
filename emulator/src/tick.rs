//! What happens to the world as time passes, in one place: long-running
//! operations settle once they have run for `lro_duration`, and versionless
//! CMK registries pick up a new key version once it has existed for
//! `rotation_interval`. Nothing runs in the background: the request pipeline
//! calls [`World::tick`] once before handling each request.

use std::time::Duration;

use acr_cmk_domain::key_id::KeyId;

use crate::world::{OpKind, World};
use crate::{clock, key_access};

/// How fast the emulated service moves.
#[derive(Clone, Copy, Debug)]
pub struct Pace {
    /// How long a registry create/update/delete runs before it settles even if nobody polls.
    pub lro_duration: Duration,
    /// How long after a new key version exists a versionless CMK registry picks it up.
    pub rotation_interval: Duration,
}

impl World {
    /// Makes every change that is due at `now_ms`.
    pub fn tick(&mut self, now_ms: i64, pace: Pace) {
        self.settle_due_operations(now_ms, pace.lro_duration.as_millis() as i64);
        self.rotate_versionless_keys(now_ms, pace.rotation_interval.as_millis() as i64);
    }

    /// Settles operation `i`: applies its target (or deletes), or records its
    /// failure. Time does this, and so does a second status poll (`lro`).
    pub fn settle_operation(&mut self, i: usize, now_ms: i64) {
        let op = self.operations[i].clone();
        let idx = self.registry_index(&op.subscription_id, &op.resource_group, &op.registry_name);
        match (&op.failure, op.kind, idx) {
            (Some(_), OpKind::Create, Some(r)) => {
                self.registries.remove(r);
            }
            (Some(_), _, Some(r)) => self.registries[r].pending_state = None,
            (None, OpKind::Delete, Some(r)) => {
                self.registries.remove(r);
            }
            (None, _, Some(r)) => {
                if let Some(t) = op.target.clone() {
                    self.registries[r].registry = t;
                }
                self.registries[r].system_client_id = op.target_system_client_id.clone();
                self.registries[r].pending_state = None;
            }
            (_, _, None) => {}
        }
        let o = &mut self.operations[i];
        o.status = if op.failure.is_some() { "Failed".into() } else { "Succeeded".into() };
        o.ended_ms = Some(now_ms);
        if let Some(begun) = o.activity.take() {
            crate::activity_log::settle(self, &begun, op.failure.is_none());
        }
    }

    /// Settles operations that have run for `duration_ms`.
    fn settle_due_operations(&mut self, now_ms: i64, duration_ms: i64) {
        for i in 0..self.operations.len() {
            if self.operations[i].status == "InProgress" && now_ms - self.operations[i].started_ms >= duration_ms {
                self.settle_operation(i, now_ms);
            }
        }
    }

    /// Versionless CMK registries pick up the newest enabled key version once it
    /// has existed for `interval_ms` (Azure: within an hour).
    fn rotate_versionless_keys(&mut self, now_ms: i64, interval_ms: i64) {
        let mut updates = Vec::new();
        for (i, rec) in self.registries.iter().enumerate() {
            if rec.pending_state.is_some() {
                continue;
            }
            let Some(enc) = rec.registry.properties.encryption.as_ref().filter(|e| e.is_enabled()) else { continue };
            let Some(kv) = enc.key_vault_properties.as_ref() else { continue };
            if kv.key_rotation_enabled != Some(true) {
                continue;
            }
            let Some(kid) = kv.key_identifier.as_deref().and_then(|k| KeyId::parse(k).ok()) else { continue };
            if !kid.is_versionless() {
                continue;
            }
            let Some(key) = self.key(kid.vault_name(), &kid.name) else { continue };
            let Some(newest) = key.newest_usable(now_ms / 1000) else { continue };
            let current = kv.versioned_key_identifier.as_deref().and_then(|v| KeyId::parse(v).ok());
            if current.as_ref().and_then(|c| c.version.as_deref()).is_some_and(|v| v.eq_ignore_ascii_case(&newest.version)) {
                continue;
            }
            let due_ms = newest.created * 1000 + interval_ms;
            if due_ms > now_ms {
                continue;
            }
            // The registry must still reach the key to rotate to it.
            let identity = kv.identity.clone().unwrap_or_default();
            if let Ok(versioned) = key_access::evaluate(self, &rec.registry, kid.to_string().as_str(), &identity, now_ms / 1000) {
                updates.push((i, versioned, clock::rfc3339_millis(due_ms.max(newest.created * 1000))));
            }
        }
        for (i, versioned, when) in updates {
            if let Some(kv) = self.registries[i].registry.properties.encryption.as_mut().and_then(|e| e.key_vault_properties.as_mut()) {
                kv.versioned_key_identifier = Some(versioned);
                kv.last_key_rotation_timestamp = Some(when);
            }
        }
    }
}
