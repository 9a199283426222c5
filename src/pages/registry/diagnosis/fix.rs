//! The button beside a failed diagnosis check that applies its [`Fix`] through
//! the write flow (preview → confirm → run → read back). Shown only in write
//! mode; it finds the registry and the refresh in the page's [`RegistryContext`].
//! On Confirm the registry and vault are read and the fix planned again.
//! Data-plane fixes stay commands (the check shows them); the firewall fix is
//! the guided sequence.

use acr_cmk_domain::diagnosis::Fix;
use acr_cmk_domain::permissions::{firewall_needs, fix_needs};
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::writes::fix::{is_irreversible, plan_fix, shape, vault_to_read, FixShape};
use acr_cmk_domain::writes::step::WriteStep;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::action_error::ActionError;
use crate::arm_client::ArmClient;
use crate::components::dialog::ModalDialog;
use crate::components::error_box::ErrorBox;
use crate::i18n::catalogue::diagnosis as words;
use crate::i18n::Locale;
use crate::pages::registry::caller_access::Permitted;
use crate::pages::registry::context::RegistryContext;
use crate::pages::registry::writes::firewall::FirewallSequence;
use crate::pages::registry::writes::flow::{Replan, WriteFlow};
use crate::random::new_guid;
use crate::session::SessionStore;
use crate::write_mode::WriteMode;

/// The write that applies `fix`, from a fresh read of the vault it names, and for an
/// irreversible one (purge protection) the name to type before Confirm.
async fn plan(
    client: &ArmClient,
    registry: &Registry,
    fix: &Fix,
    assignment_name: &str,
) -> Result<(WriteStep, Option<String>), ActionError> {
    let vault = match vault_to_read(fix) {
        Some(id) => Some(client.vault(id).await?),
        None => None,
    };
    let step = plan_fix(fix, registry, vault.as_ref(), assignment_name)?;
    let phrase = is_irreversible(fix).then(|| vault.map(|v| v.name)).flatten();
    Ok((step, phrase))
}

#[component]
pub fn FixAction(fix: Fix, #[prop(into)] check: String) -> impl IntoView {
    let mode = WriteMode::expect();
    let Some(ctx) = use_context::<RegistryContext>() else { return ().into_any() };
    match shape(&fix) {
        FixShape::Command => return ().into_any(),
        FixShape::FirewallSequence => {
            let registry = ctx.registry.clone();
            return view! {
                <Show when=move || mode.is_on()>
                    {
                        let registry = registry.clone();
                        view! {
                            <Permitted needs=firewall_needs() testid=format!("fix-{check}")>
                                <FirewallSequence registry=registry.clone() on_refresh=ctx.refresh />
                            </Permitted>
                        }
                    }
                </Show>
            }
            .into_any();
        }
        FixShape::OneWrite => {}
    }
    let needs = fix_needs(&fix);
    let session = SessionStore::expect();
    let open = RwSignal::new(false);
    let step = RwSignal::new(None::<(WriteStep, Option<String>)>);
    let problem = RwSignal::new(None::<ActionError>);
    let label = fix.label();
    // A grant's role-assignment name, kept from the preview to the re-plan on Confirm.
    let assignment_name = StoredValue::new(new_guid());
    let replan = {
        let (registry_id, fix) = (ctx.registry.id.clone(), fix.clone());
        Replan::new(move || {
            let (registry_id, fix) = (registry_id.clone(), fix.clone());
            async move {
                let client = session.client_for_write()?;
                let registry = client.registry(&registry_id).await?.registry;
                let name = assignment_name.try_get_value().unwrap_or_default();
                Ok(vec![plan(&client, &registry, &fix, &name).await?.0])
            }
        })
    };
    let apply = {
        let registry = ctx.registry.clone();
        move |_| {
            let Some(client) = session.client() else { return };
            let (registry, fix) = (registry.clone(), fix.clone());
            problem.set(None);
            assignment_name.set_value(new_guid());
            spawn_local(async move {
                let name = assignment_name.try_get_value().unwrap_or_default();
                match plan(&client, &registry, &fix, &name).await {
                    Ok(s) => {
                        step.set(Some(s));
                        open.set(true);
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        }
    };
    let refresh = ctx.refresh;
    let locale = Locale::expect();
    let button_label = label.clone();
    let button_text = move || words::FIX_BUTTON.fill(locale.get(), &[("fix", &button_label.get(locale.get()))]);
    let button_testid = format!("apply-fix-{check}");
    view! {
        <Show when=move || mode.is_on()>
            {
                let (apply, button_text, testid) = (apply.clone(), button_text.clone(), button_testid.clone());
                view! {
                    <Permitted needs=needs.clone() testid=format!("fix-{check}")>
                        <button type="button" class="primary" data-testid=testid.clone() on:click=apply.clone()>
                            {button_text.clone()}
                        </button>
                    </Permitted>
                }
            }
        </Show>
        {move || problem.get().map(|error| view! { <ErrorBox error /> })}
        <ModalDialog open title=label testid="fix-dialog">
            {move || {
                step.get()
                    .map(|(s, phrase)| {
                        let destructive = phrase.is_some();
                        view! {
                            {phrase
                                .clone()
                                .map(|p| {
                                    view! {
                                        <p class="danger-zone" role="alert" data-testid="irreversible-warning">
                                            {move || locale.fill(words::PURGE_PROTECTION_IRREVERSIBLE, &[("vault", &p)])}
                                        </p>
                                    }
                                })}
                            <WriteFlow
                                steps=vec![s]
                                confirm_phrase=phrase
                                destructive
                                replan
                                on_refresh=refresh
                                on_close=Callback::new(move |()| open.set(false))
                            />
                        }
                    })
            }}
        </ModalDialog>
    }
    .into_any()
}
