//! Access: the identity's right to use the key, by access policy or role
//! assignment as the vault's permission model decides; skipped when it exists.
//! On an RBAC vault the identity's role assignments are read first.

use acr_cmk_domain::writes::creation::{plan, IdentityChoice, StepKind, VaultChoice};
use leptos::prelude::*;

use super::step_buttons::StepButtons;
use super::wizard::Wizard;
use crate::action_error::ActionError;
use crate::components::error_box::ErrorBox;
use crate::pages::registry::writes::flow::WritePreview;
use crate::session::SessionStore;

#[component]
pub fn AccessStep() -> impl IntoView {
    let wizard = Wizard::expect();
    let session = SessionStore::expect();
    let endpoint = session.client().map(|c| c.endpoint().to_string());
    // An existing identity on an existing RBAC vault: its assignments decide whether a grant is needed.
    let assignments = LocalResource::new(move || {
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
        Some(plan(&choices, &wizard.outputs.get(), crate::clock::now_unix_secs()).map_err(ActionError::from))
    };
    let model = move || match wizard.vault.get() {
        Some(VaultChoice::New { rbac: true, .. }) => true,
        Some(VaultChoice::Existing { vault, .. }) => vault.properties.rbac(),
        _ => false,
    };
    let ready = Signal::derive(move || assignments.get().is_some_and(|r| r.is_ok()) && planned().is_some_and(|p| p.is_ok()));
    view! {
        <div class="panel create-step" data-testid="create-step-access">
            <h2>"Access"</h2>
            <p class="help" data-testid="create-access-model">
                {move || if model() {
                    "The vault uses Azure RBAC: the identity gets the 'Key Vault Crypto Service Encryption User' role on the vault \
                     (get, wrapKey and unwrapKey on its keys, nothing else)."
                } else {
                    "The vault uses access policies: the identity gets an access policy with the key permissions get, wrapKey and unwrapKey."
                }}
                " The grant names the identity's principal id."
            </p>
            {move || assignments.get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
            {move || planned().map(|p| match p {
                Err(e) => view! { <ErrorBox error=e testid="create-access-refusal" /> }.into_any(),
                Ok(p) => {
                    let skipped = p.skipped.clone();
                    match p.step(StepKind::Access).cloned() {
                        Some(step) => view! {
                            <div data-testid="create-access-grant">
                                <WritePreview write=step.write endpoint=endpoint.clone().unwrap_or_default() />
                            </div>
                        }.into_any(),
                        None => view! {
                            <p class="notice" data-testid="create-access-skipped">{skipped.join(" ")} " Nothing to grant."</p>
                        }.into_any(),
                    }
                }
            })}
            <StepButtons ready />
        </div>
    }
}
