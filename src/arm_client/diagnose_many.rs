//! The fleet's "Diagnose many", on ARM's side: one registry's verdict as the registry page
//! gives it, its reads shared with the rest of the batch (`acr_cmk_domain::diagnose_many`
//! plans the batch; the fleet page runs it), and "Re-read from ARM" for one row.
//!
//! A registry of a batch reads only what the verdict needs (`Depth::Verdict`): not the
//! caller's permissions nor the key itself, which only the registry page's writes and
//! rotation panel use.

use acr_cmk_domain::diagnosis::{diagnose, Diagnosis, Purpose, Target};
use acr_cmk_domain::registry::Registry;

use super::snapshot::Depth;
use super::transport::{Call, SharedReads};
use super::{ArmClient, ClientError};

/// The reads of one batch, asked once for all its registries; aborted when the page that
/// started the batch goes away. Start one per run: a new run reads ARM afresh.
#[derive(Clone)]
pub struct BatchReads(SharedReads);

impl BatchReads {
    /// Call under the page's reactive owner (its cleanup aborts the batch's requests).
    pub fn start() -> BatchReads {
        BatchReads(SharedReads::start())
    }

    /// Reads sent for the batch so far, and reads a registry found already asked for.
    pub fn counts(&self) -> (usize, usize) {
        self.0.counts()
    }
}

impl ArmClient {
    /// What the registry page's verdict would be for `registry`, its reads shared through `reads`.
    pub async fn diagnose_in_batch(&self, registry: &Registry, reads: &BatchReads) -> Diagnosis {
        let call = Call::within(&self.endpoint, &reads.0);
        let target = Target::current(registry);
        let snapshot = self.load_snapshot_on(&call, registry, Purpose::Current, Depth::Verdict, target, Vec::new()).await;
        diagnose(&snapshot)
    }

    /// "Re-read from ARM": the registry itself through ARM (Resource Graph's copy may lag), then
    /// its diagnosis with reads of its own, so nothing comes from an earlier batch.
    pub async fn reread_and_diagnose(&self, registry_id: &str) -> Result<(Registry, Diagnosis), ClientError> {
        let read = self.registry(registry_id).await?;
        let diagnosis = self.diagnose_in_batch(&read.registry, &BatchReads::start()).await;
        Ok((read.registry, diagnosis))
    }
}
