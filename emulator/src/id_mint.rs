//! The ids the emulator makes up for new things: principal and client ids of new
//! identities, and key versions. They look like Azure's (a version-4 GUID, 32 hex
//! digits) but are drawn from a counter over a seed kept in the world, so two
//! emulators seeded from the same scenario and sent the same writes make the same
//! ids, in the same order. The preview-equivalence test (`tests/az_preview.rs` at the
//! repository root) relies on it: the console's `az` preview names the principal id the
//! first emulator made, and the Azure CLI sends that command to a second emulator. A
//! demo rehearsed twice shows the same ids too.
//!
//! ETags and operation ids stay random: nobody types them into a command.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Serialize, Deserialize)]
pub struct IdMint {
    seed: String,
    /// How many ids were drawn; persisted, so a restarted emulator never repeats one.
    drawn: AtomicU64,
}

impl IdMint {
    /// Ids that follow from `seed` alone (a scenario's name).
    pub fn seeded(seed: &str) -> IdMint {
        IdMint { seed: seed.to_string(), drawn: AtomicU64::new(0) }
    }

    /// A new principal or client id: a version-4, RFC 4122 variant GUID.
    pub fn guid(&self) -> String {
        let mut b = self.draw();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        uuid::Uuid::from_bytes(b).to_string()
    }

    /// A new key version: 32 lower-case hex digits, as Key Vault writes them.
    pub fn key_version(&self) -> String {
        uuid::Uuid::from_bytes(self.draw()).simple().to_string()
    }

    // Shared access (`&self`): ids are drawn where the world is only read (e.g. while a
    // registry's identity is worked out), under the world's lock either way.
    fn draw(&self) -> [u8; 16] {
        let n = self.drawn.fetch_add(1, Ordering::Relaxed);
        let digest = Sha256::new().chain_update(self.seed.as_bytes()).chain_update(b":").chain_update(n.to_be_bytes()).finalize();
        digest[..16].try_into().expect("a SHA-256 digest has 32 bytes")
    }
}

impl Clone for IdMint {
    fn clone(&self) -> IdMint {
        IdMint { seed: self.seed.clone(), drawn: AtomicU64::new(self.drawn.load(Ordering::Relaxed)) }
    }
}

/// A world made without a scenario (or read from a state file written before the
/// mint existed) gets a random seed: its ids never repeat another world's.
impl Default for IdMint {
    fn default() -> IdMint {
        IdMint::seeded(&uuid::Uuid::new_v4().simple().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_ids_and_a_clone_goes_on_from_where_it_was() {
        let (a, b) = (IdMint::seeded("demo"), IdMint::seeded("demo"));
        let first = a.guid();
        assert_eq!(first, b.guid());
        assert_eq!(a.key_version(), b.key_version());
        assert_ne!(first, a.guid(), "every draw is new");
        let c = a.clone();
        assert_eq!(a.guid(), c.guid());
        assert_ne!(IdMint::seeded("demo").guid(), IdMint::seeded("empty").guid());
    }

    #[test]
    fn ids_have_azures_shapes_and_survive_a_state_file() {
        let m = IdMint::seeded("demo");
        let g = uuid::Uuid::parse_str(&m.guid()).unwrap();
        assert_eq!((g.get_version_num(), g.get_variant()), (4, uuid::Variant::RFC4122));
        let v = m.key_version();
        assert!(v.len() == 32 && v.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{v}");
        let saved: IdMint = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(saved.guid(), m.guid());
    }
}
