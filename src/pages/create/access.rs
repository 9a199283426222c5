//! Access: the identity's right to use the key, by access policy or role
//! assignment as the vault's permission model decides; skipped when it exists.
//! On an RBAC vault the identity's role assignments are read first.

use acr_cmk_domain::writes::creation::{plan, IdentityChoice, StepKind, VaultChoice};
use leptos::prelude::*;

use super::step_buttons::StepButtons;
use super::wizard::Wizard;
use crate::action_error::ActionError;
use crate::components::error_box::ErrorBox;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::create as words;
use crate::i18n::{tr, Locale};
use crate::pages::registry::writes::flow::WritePreview;
use crate::session::SessionStore;

use super::problem::{Problem, ProblemBox};

#[component]
pub fn AccessStep() -> impl IntoView {
    let wizard = Wizard::expect();
    let locale = Locale::expect();
    let session = SessionStore::expect();
    let endpoint = session.client().map(|c| c.endpoint().to_string());
    // An existing identity on an existing RBAC vault: its assignments decide whether a grant is needed.
    let assignments = ErasedResource::new(move || {
        let (vault, identity) = (wizard.vault.get_untracked(), wizard.identity.get_untracked());
        async move {
            let (Some(VaultChoice::Existing { vault, enable_purge_protection, .. }), Some(IdentityChoice::Existing(identity))) =
                (vault, identity)
            else {
                return Ok(());
            };
            if !vault.properties.rbac() {
                return Ok(());
            }
            let found = session.client_for_write()?.role_assignments_for_principal(&vault.id, &identity.properties.principal_id).await?;
            wizard.vault.set(Some(VaultChoice::Existing { vault, role_assignments: found, enable_purge_protection }));
            Ok::<(), ActionError>(())
        }
    });
    let planned = move || {
        let choices = wizard.choices_without_key()?;
        Some(plan(&choices, &wizard.outputs.get(), crate::clock::now_unix_secs()).map_err(Problem::from))
    };
    let model = move || match wizard.vault.get() {
        Some(VaultChoice::New { rbac: true, .. }) => true,
        Some(VaultChoice::Existing { vault, .. }) => vault.properties.rbac(),
        _ => false,
    };
    let ready = Signal::derive(move || assignments.get().is_some_and(|r| r.is_ok()) && planned().is_some_and(|p| p.is_ok()));
    view! {
        <div class="panel create-step" data-testid="create-step-access">
            <h2>{tr(words::STEP_ACCESS)}</h2>
            <p class="help" data-testid="create-access-model">
                {move || if model() { words::ACCESS_RBAC } else { words::ACCESS_POLICY }.get(locale.get())}
                {tr(words::GRANT_NAMES_PRINCIPAL)}
            </p>
            {move || assignments.get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
            {move || planned().map(|p| match p {
                Err(e) => view! { <ProblemBox problem=e testid="create-access-refusal" /> }.into_any(),
                Ok(p) => {
                    let skipped = p.skipped.clone();
                    match p.step(StepKind::Access).cloned() {
                        Some(step) => view! {
                            <div data-testid="create-access-grant">
                                <WritePreview write=step.write endpoint=endpoint.clone().unwrap_or_default() />
                            </div>
                        }.into_any(),
                        None => view! {
                            <p class="notice" data-testid="create-access-skipped">
                                {move || skipped.iter().map(|s| s.get(locale.get())).collect::<Vec<_>>().join(" ")}
                                {tr(words::NOTHING_TO_GRANT)}
                            </p>
                        }.into_any(),
                    }
                }
            })}
            <StepButtons ready />
        </div>
    }
}
