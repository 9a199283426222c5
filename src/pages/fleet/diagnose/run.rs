//! Running a batch and a re-read. The batch's plan and its bookkeeping are the domain's
//! (`acr_cmk_domain::diagnose_many`); here it meets the client and the page's signals.

use std::sync::Arc;

use acr_cmk_domain::diagnose_many::{plan, Batch, IN_FLIGHT};
use acr_cmk_domain::diagnosis::{Target, Verdict};
use acr_cmk_domain::fleet::FleetRow;
use futures::stream::{FuturesUnordered, StreamExt};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use super::state::{Diagnoses, Figures, RowVerdict};
use crate::arm_client::diagnose_many::BatchReads;

impl Diagnoses {
    /// Diagnoses the CMK registries of `selected` (all rows' when `None`), [`IN_FLIGHT`] at a time.
    pub(super) fn run(self, rows: Arc<Vec<FleetRow>>, selected: bool) {
        let Some(client) = self.client.get_value() else { return };
        let chosen = selected.then(|| self.selected.get_untracked());
        let ids: Vec<String> = plan(&rows, chosen.as_ref()).into_iter().map(|i| rows[i].id.clone()).collect();
        self.cancelled.set(false);
        self.owner.get_value().with(|| {
            spawn_local_scoped_with_cancellation(async move {
                // Under the page's owner: leaving the page aborts the batch's requests.
                let reads = BatchReads::start();
                let mut batch = Batch::new((0..ids.len()).collect(), IN_FLIGHT, js_sys::Date::now());
                let mut in_flight = FuturesUnordered::new();
                loop {
                    if self.cancelled.get_untracked() {
                        batch.cancel();
                    }
                    while let Some(i) = batch.start_next() {
                        let id = ids[i].clone();
                        let registry = self.registries.with_value(|r| r.get(&id).cloned());
                        self.verdicts.update(|v| {
                            v.insert(id.clone(), RowVerdict::Running);
                        });
                        let (client, reads) = (client.clone(), reads.clone());
                        in_flight.push(async move {
                            let verdict = match registry {
                                Some(r) => client.diagnose_in_batch(&r, &reads).await.verdict,
                                None => Verdict::NotApplicable,
                            };
                            (id, verdict)
                        });
                    }
                    self.show(&batch, &reads);
                    let Some((id, verdict)) = in_flight.next().await else { break };
                    batch.finish();
                    self.verdicts.update(|v| {
                        v.insert(id, RowVerdict::Done { verdict, from_arm: false });
                    });
                }
            })
        });
    }

    fn show(self, batch: &Batch, reads: &BatchReads) {
        let (sent, shared) = reads.counts();
        self.figures.set(Some(Figures { progress: batch.progress(js_sys::Date::now()), sent, shared }));
    }

    /// "Re-read from ARM": the registry itself, diagnosed with reads of its own; its row shows the
    /// new verdict, and later batches use this copy instead of Resource Graph's.
    pub(super) fn reread(self, id: String) {
        let Some(client) = self.client.get_value() else { return };
        self.verdicts.update(|v| {
            v.insert(id.clone(), RowVerdict::Running);
        });
        self.owner.get_value().with(|| {
            spawn_local_scoped_with_cancellation(async move {
                let shown = match client.reread_and_diagnose(&id).await {
                    Ok((registry, diagnosis)) => {
                        self.registries.update_value(|r| {
                            if Target::current(&registry).is_some() {
                                r.insert(id.clone(), registry);
                            } else {
                                r.remove(&id);
                            }
                        });
                        RowVerdict::Done { verdict: diagnosis.verdict, from_arm: true }
                    }
                    Err(e) => RowVerdict::ReadFailed(e),
                };
                self.verdicts.update(|v| {
                    v.insert(id, shown);
                });
            })
        });
    }
}
