//! The search box: name, login server, key vault, key id, identity (name,
//! client id, principal id); a pasted resource id or login server opens that
//! registry. Each keystroke replaces the URL's `q` (no history entry per key).

use acr_cmk_domain::fleet_view::FleetView;
use leptos::prelude::*;

use super::set_view::SetView;
use crate::i18n::catalogue::fleet as words;
use crate::i18n::tr;

#[component]
pub(super) fn SearchBox(view: Memo<FleetView>, set_view: SetView) -> impl IntoView {
    view! {
        <div class="fleet-search">
            <label for="fleet-search">{tr(words::SEARCH)}</label>
            <input
                id="fleet-search"
                type="search"
                autocomplete="off"
                spellcheck="false"
                data-testid="fleet-search"
                aria-describedby="fleet-search-help"
                prop:value=move || view.with(|v| v.search.clone())
                on:input=move |ev| {
                    let search = event_target_value(&ev);
                    set_view.set(FleetView { search, ..view.get_untracked() }, true);
                }
            />
            <p id="fleet-search-help" class="help">
                {tr(words::SEARCH_HELP)}
            </p>
        </div>
    }
}
