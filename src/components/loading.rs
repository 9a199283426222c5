//! A placeholder while something loads. Deliberately carries no test ids.

use leptos::prelude::*;

use crate::i18n::catalogue::shell;
use crate::i18n::{Locale, Words};

#[component]
pub fn Loading(
    /// What is loading, e.g. "subscriptions".
    #[prop(into)]
    what: Words,
) -> impl IntoView {
    let locale = Locale::expect();
    view! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {move || locale.fill(shell::LOADING_WHAT, &[("what", &what.get(locale.get()))])}
        </p>
    }
}
