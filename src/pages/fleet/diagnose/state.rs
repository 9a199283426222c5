//! The page's diagnoses as one `Copy` value: the verdicts by registry id, the selection,
//! the running batch's figures, Cancel, and what a batch needs (the registries, the client,
//! the page's owner). [`super::run`] adds the batch and the re-read to it.

use std::collections::{HashMap, HashSet};

use acr_cmk_domain::diagnose_many::Progress;
use acr_cmk_domain::diagnosis::Verdict;
use acr_cmk_domain::registry::Registry;
use leptos::prelude::*;

use crate::arm_client::{ArmClient, ClientError};

/// What a row's verdict cell shows.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RowVerdict {
    /// Being diagnosed (in a batch, or re-read).
    Running,
    Done {
        verdict: Verdict,
        /// From "Re-read from ARM", not from Resource Graph's copy.
        from_arm: bool,
    },
    /// "Re-read from ARM" could not read the registry.
    ReadFailed(ClientError),
}

/// A batch's progress and its shared reads, for the progress bar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Figures {
    pub(super) progress: Progress,
    /// Reads sent for the batch, and reads a registry found already asked for.
    pub(super) sent: usize,
    pub(super) shared: usize,
}

/// The fleet page's diagnoses: one value, copied into the controls and every row.
#[derive(Clone, Copy)]
pub(crate) struct Diagnoses {
    pub(super) verdicts: RwSignal<HashMap<String, RowVerdict>>,
    pub(super) selected: RwSignal<HashSet<String>>,
    pub(super) figures: RwSignal<Option<Figures>>,
    /// The table shows only the registries that cannot reach their key (or could not be re-read).
    pub(super) only_unreachable: RwSignal<bool>,
    /// Cancel was pressed: the running batch starts nothing more.
    pub(super) cancelled: RwSignal<bool>,
    /// The CMK registries to diagnose, by id: Resource Graph's copy, replaced by ARM's after a re-read.
    pub(super) registries: StoredValue<HashMap<String, Registry>>,
    pub(super) client: StoredValue<Option<ArmClient>, LocalStorage>,
    /// The page's owner: batches run under it, so leaving the page ends them and aborts their requests.
    pub(super) owner: StoredValue<Owner>,
}

impl Diagnoses {
    /// Call in the page's component (its owner runs the batches).
    pub(crate) fn new(registries: HashMap<String, Registry>, client: Option<ArmClient>) -> Diagnoses {
        Diagnoses {
            verdicts: RwSignal::new(HashMap::new()),
            selected: RwSignal::new(HashSet::new()),
            figures: RwSignal::new(None),
            only_unreachable: RwSignal::new(false),
            cancelled: RwSignal::new(false),
            registries: StoredValue::new(registries),
            client: StoredValue::new_local(client),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        }
    }

    /// `order` (indices into `rows`) as the table shows it: all of it, or with "only those that
    /// cannot reach their key" on, those whose verdict says so (live, as a batch finds them).
    pub(crate) fn filter(self, rows: &[acr_cmk_domain::fleet::FleetRow], order: Vec<usize>) -> Vec<usize> {
        if !self.only_unreachable.get() {
            return order;
        }
        self.verdicts.with(|v| {
            order
                .into_iter()
                .filter(|&i| match v.get(&rows[i].id) {
                    Some(RowVerdict::Done { verdict, .. }) => matches!(verdict, Verdict::Inaccessible { .. }),
                    Some(RowVerdict::ReadFailed(_)) => true,
                    _ => false,
                })
                .collect()
        })
    }

    /// A batch is running.
    pub(super) fn running(self) -> bool {
        self.figures.with(|f| f.is_some_and(|f| f.progress.state == acr_cmk_domain::diagnose_many::RunState::Running))
    }
}
