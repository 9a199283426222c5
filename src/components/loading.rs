//! A placeholder while something loads. Deliberately carries no test ids.

use leptos::prelude::*;

#[component]
pub fn Loading(
    /// What is loading, e.g. "subscriptions".
    #[prop(into)]
    what: String,
) -> impl IntoView {
    view! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {format!("Loading {what}…")}
        </p>
    }
}
