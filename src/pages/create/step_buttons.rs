//! Back and Next under a step.

use leptos::prelude::*;

use super::wizard::Wizard;
use crate::i18n::catalogue::create as words;
use crate::i18n::{tr, Locale};

/// Back and Next under a step; Next stays disabled while `ready` is false.
#[component]
pub fn StepButtons(#[prop(into)] ready: Signal<bool>) -> impl IntoView {
    let wizard = Wizard::expect();
    let locale = Locale::expect();
    let step = wizard.step.get_untracked();
    view! {
        <div class="actions create-actions">
            {step.previous().map(|p| view! {
                <button type="button" data-testid="create-back" on:click=move |_| wizard.step.set(p)>{tr(words::BACK)}</button>
            })}
            {step.next().map(|n| view! {
                <button type="button" class="primary" data-testid="create-next" disabled=move || !ready.get() on:click=move |_| wizard.step.set(n)>
                    {move || locale.fill(words::NEXT, &[("step", n.title().get(locale.get()))])}
                </button>
            })}
        </div>
    }
}
