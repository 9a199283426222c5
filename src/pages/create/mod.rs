//! "New registry with a customer-managed key": the seed's whole setup as a
//! guided flow. One file per step; [`wizard::Wizard`] holds the choices, the
//! plan and the run are `acr_cmk_domain::writes::creation`'s.

mod access;
mod basics;
mod deploy;
mod exports;
mod finish;
mod identity;
mod key;
mod prefill;
mod problem;
mod removal;
mod review;
mod run;
mod step_buttons;
mod vault;
mod wizard;

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::i18n::catalogue::create as words;
use crate::i18n::tr;
use crate::routes;
use crate::session::SessionStore;
use crate::write_mode::WriteMode;

use wizard::{Step, Wizard};

/// What the router shows at `/create`: the page, whose code is a wasm chunk of its own, fetched on the
/// first visit (issue 14: a first visit to a registry does not need it). `#[lazy]` marks the split point; scripts/build_split.sh splits it out. The
/// route's `Transition` shows nothing until the chunk has come and the page is built, so it appears whole.
pub fn create_route() -> AnyView {
    crate::lazy_route::view(create_page())
}

#[lazy]
pub(crate) fn create_page() -> AnyView {
    view! { <CreatePage /> }.into_any()
}

#[component]
pub fn CreatePage() -> impl IntoView {
    if SessionStore::expect().client().is_none() {
        return view! { <Redirect path=routes::SIGN_IN /> }.into_any();
    }
    let wizard = Wizard::provide();
    prefill::from_query(wizard);
    let write_mode = WriteMode::expect();
    // Writes need write mode; a run already under way goes on (and is not re-mounted) if it is switched off.
    let shown = Memo::new(move |_| {
        let step = wizard.step.get();
        (step, matches!(step, Step::Run | Step::Finish) || write_mode.is_on())
    });
    view! {
        <section class="page create">
            <h1>{tr(words::TITLE)}</h1>
            <p class="lead">{tr(words::LEAD)}</p>
            <StepList wizard />
            {move || {
                let (step, allowed) = shown.get();
                if !allowed {
                    return view! {
                        <p class="notice" data-testid="create-read-only">{tr(words::READ_ONLY)}</p>
                    }
                        .into_any();
                }
                match step {
                    Step::Basics => view! { <basics::BasicsStep /> }.into_any(),
                    Step::Identity => view! { <identity::IdentityStep /> }.into_any(),
                    Step::Vault => view! { <vault::VaultStep /> }.into_any(),
                    Step::Access => view! { <access::AccessStep /> }.into_any(),
                    Step::Key => view! { <key::KeyStep /> }.into_any(),
                    Step::Review => view! { <review::ReviewStep /> }.into_any(),
                    Step::Run => view! { <run::RunStep /> }.into_any(),
                    Step::Finish => view! { <finish::FinishStep /> }.into_any(),
                }
            }}
            // Opened from a registry without CMK: its images' way across, where the flow starts and ends.
            <Show when=move || matches!(wizard.step.get(), Step::Basics | Step::Finish)>
                <prefill::CopyImages />
            </Show>
        </section>
    }
    .into_any()
}

/// Where the user is in the flow (the list is not a navigation: steps unlock in order).
#[component]
fn StepList(wizard: Wizard) -> impl IntoView {
    view! {
        <ol class="create-steps" aria-label=tr(words::STEPS)>
            {Step::ALL
                .iter()
                .map(|&s| {
                    let class = move || step_class(wizard.step.get(), s);
                    view! {
                        <li
                            class=class
                            aria-current=move || (wizard.step.get() == s).then_some("step")
                            data-testid=format!("create-nav-{}", s.name())
                        >
                            {tr(s.title())}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// A step's class in the list while the flow is at `at`: `current`, `done` or none.
fn step_class(at: Step, step: Step) -> &'static str {
    match at.index().cmp(&step.index()) {
        std::cmp::Ordering::Equal => "current",
        std::cmp::Ordering::Greater => "done",
        std::cmp::Ordering::Less => "",
    }
}
