//! The typed confirmation of a destructive or irreversible action: the user types a name (the
//! registry's, the vault's) before the button that acts is enabled. The caller owns `typed` and compares.

use leptos::prelude::*;

/// `prompt` says what to type (already filled in the page's language); `disabled` once the action runs.
#[component]
pub fn ConfirmPhrase(#[prop(into)] prompt: Signal<String>, typed: RwSignal<String>, #[prop(into)] disabled: Signal<bool>) -> impl IntoView {
    view! {
        <label class="confirm-phrase">
            {prompt}
            <input
                type="text"
                data-testid="confirm-phrase"
                autocomplete="off"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
                disabled=disabled
            />
        </label>
    }
}
