//! A button copying an id or URI to the clipboard.

use leptos::prelude::*;

use crate::i18n::catalogue::shell;
use crate::i18n::{Locale, Words};

/// How long the button says "Copied".
const CONFIRM_MS: u32 = 1500;

#[component]
pub fn CopyButton(
    /// The text copied.
    #[prop(into)]
    text: String,
    /// What is copied, for the accessible name ("Copy key identifier").
    #[prop(into)]
    label: Words,
) -> impl IntoView {
    let locale = Locale::expect();
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        let Some(window) = web_sys::window() else { return };
        let _promise = window.navigator().clipboard().write_text(&text);
        copied.set(true);
        gloo_timers::callback::Timeout::new(CONFIRM_MS, move || {
            // The button may be gone by then.
            let _ = copied.try_set(false);
        })
        .forget();
    };
    let name = Memo::new(move |_| locale.fill(shell::COPY_WHAT, &[("what", &label.get(locale.get()))]));
    view! {
        <button type="button" class="copy" aria-label=name title=name on:click=on_click>
            {move || if copied.get() { shell::COPIED.get(locale.get()) } else { shell::COPY.get(locale.get()) }}
        </button>
    }
}
