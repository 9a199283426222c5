//! Back and Next under a step.

use leptos::prelude::*;

use super::wizard::Wizard;

/// Back and Next under a step; Next stays disabled while `ready` is false.
#[component]
pub fn StepButtons(#[prop(into)] ready: Signal<bool>, #[prop(optional, into)] why_not: Option<Signal<Option<String>>>) -> impl IntoView {
    let wizard = Wizard::expect();
    let step = wizard.step.get_untracked();
    view! {
        <div class="actions create-actions">
            {step.previous().map(|p| view! {
                <button type="button" data-testid="create-back" on:click=move |_| wizard.step.set(p)>"Back"</button>
            })}
            {step.next().map(|n| view! {
                <button type="button" class="primary" data-testid="create-next" disabled=move || !ready.get() on:click=move |_| wizard.step.set(n)>
                    "Next: " {n.title()}
                </button>
            })}
            {why_not.map(|w| move || w.get().map(|t| view! { <span class="muted" data-testid="create-why-not">{t}</span> }))}
        </div>
    }
}
