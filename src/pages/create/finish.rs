//! Finish: the registry exists; its page shows the key-access diagnosis. What the
//! run made can still be taken back (`super::removal`).

use acr_cmk_domain::arm::ResourceId;
use leptos::prelude::*;

use super::removal::RemoveCreated;
use super::wizard::Wizard;
use crate::i18n::catalogue::create as words;
use crate::i18n::{tr, Locale};
use crate::routes;

#[component]
pub fn FinishStep() -> impl IntoView {
    let wizard = Wizard::expect();
    let locale = Locale::expect();
    let sub = wizard.subscription_id().unwrap_or_default();
    let name = wizard.name.get_untracked();
    let page = ResourceId::registry(&sub, wizard.group.get_untracked().name(), &name).map(|id| routes::registry_page(&id));
    view! {
        <div class="panel create-step" data-testid="create-step-finish">
            <h2>{tr(words::STEP_FINISH)}</h2>
            <p role="status">{move || locale.fill(words::FINISHED, &[("name", &name)])}</p>
            {page.map(|href| view! {
                <Show when=move || !wizard.removed.get()>
                    <a class="button primary" href=href.clone() data-testid="create-open-registry">{tr(words::OPEN_REGISTRY)}</a>
                </Show>
            })}
            <RemoveCreated />
        </div>
    }
}
