//! "Diagnose many" on the fleet page (issue 12): the registry page's key-access verdict for
//! every CMK registry of the selection or of the fleet, a batch planned by
//! `acr_cmk_domain::diagnose_many` (CMK only, at most `IN_FLIGHT` at once, each vault list
//! and key read once for the batch) and run by [`run`]; the [`controls`] (the two buttons,
//! Cancel, the progress bar, Resource Graph's lag in one sentence) and the table's [`cell`]s
//! (the selection, the verdict, "Re-read from ARM").
//!
//! Verdicts are kept by registry id for as long as the page is open, so they survive a new
//! search, filter or sort (the table's rows come and go as it scrolls).

mod cell;
mod controls;
mod run;
mod state;

pub(super) use cell::{RereadCell, SelectCell, VerdictCell};
pub(super) use controls::DiagnoseControls;
pub(super) use state::Diagnoses;
