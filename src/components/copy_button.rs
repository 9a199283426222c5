//! A button copying an id or URI to the clipboard.

use leptos::prelude::*;

/// How long the button says "Copied".
const CONFIRM_MS: u32 = 1500;

#[component]
pub fn CopyButton(
    /// The text copied.
    #[prop(into)]
    text: String,
    /// What is copied, for the accessible name ("Copy key identifier").
    #[prop(into)]
    label: String,
) -> impl IntoView {
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
    view! {
        <button type="button" class="copy" aria-label=format!("Copy {label}") title=format!("Copy {label}") on:click=on_click>
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}
