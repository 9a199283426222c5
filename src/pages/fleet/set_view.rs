//! How the fleet page's parts change the view: through the URL, so the
//! address bar always reproduces what is shown.

use acr_cmk_domain::fleet_view::FleetView;
use leptos::prelude::*;

/// Sets the view: the URL changes, and everything below follows it.
#[derive(Clone, Copy)]
pub(super) struct SetView(pub(super) Callback<(FleetView, bool)>);

impl SetView {
    /// A new view; `replace`: instead of a new history entry (a keystroke in the search).
    pub(super) fn set(&self, view: FleetView, replace: bool) {
        self.0.run((view, replace));
    }
}
