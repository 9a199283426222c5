//! The button beside a failed diagnosis check that applies its [`Fix`] through
//! the write dialog (preview → confirm → run → read back). Shown only in write
//! mode; it finds the registry, client and refresh in the page's
//! [`RegistryContext`]. Data-plane fixes stay commands (the diagnosis shows them).

use acr_cmk_domain::diagnosis::{Fix, IdentityRef};
use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::writes::access_grant::{enable_purge_protection, grant_access};
use acr_cmk_domain::writes::identity_change::{change_identity, IdentityChange};
use acr_cmk_domain::writes::rotation::{rotate_key, KeyIdentity};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::firewall_sequence::FirewallSequence;
use super::rotate_dialog::new_guid;
use super::write_dialog::{ModalDialog, Step, WriteFlow};
use super::write_mode::WriteMode;
use crate::arm_client::ArmClient;
use crate::pages::registry::RegistryContext;

/// The write that applies `fix`, from fresh reads where it needs a vault.
async fn plan(client: &ArmClient, registry: &Registry, fix: &Fix) -> Result<Step, String> {
    let text = |e: crate::arm_client::ClientError| e.to_string();
    match fix {
        Fix::GrantAccessPolicy { vault_id, tenant_id, object_id, .. } => {
            let vault = client.vault(vault_id).await.map_err(text)?;
            Ok(Step::plain(grant_access(&vault, tenant_id, object_id, "")))
        }
        Fix::AssignRole { scope, principal_id, .. } => {
            let vault = client.vault(scope).await.map_err(text)?;
            Ok(Step::plain(grant_access(&vault, "", principal_id, &new_guid())))
        }
        Fix::AttachUserIdentity { resource_id } => change_identity(registry, None, &IdentityChange::AssignUser(resource_id.clone()))
            .map(|w| Step::registry(w, registry))
            .map_err(|r| r.message),
        Fix::EnableSystemIdentity => {
            change_identity(registry, None, &IdentityChange::EnableSystem).map(|w| Step::registry(w, registry)).map_err(|r| r.message)
        }
        Fix::EnablePurgeProtection { vault_id } => {
            let vault = client.vault(vault_id).await.map_err(text)?;
            Ok(Step::plain(enable_purge_protection(&vault)))
        }
        Fix::RotateKey { key_identifier, identity } => {
            let key = KeyId::parse(key_identifier).map_err(|e| e.to_string())?;
            let identity = match identity {
                IdentityRef::System => KeyIdentity::System,
                IdentityRef::ClientId(c) => {
                    let block = registry.identity.clone().unwrap_or_default();
                    let resource_id = block.user_identity_by_client_id(c).map(|(id, _)| id.to_string()).unwrap_or_default();
                    KeyIdentity::User { resource_id, client_id: c.clone() }
                }
            };
            Ok(Step::registry(rotate_key(registry, &key, &identity), registry))
        }
        Fix::EnableSystemIdentityAndBypass { .. } | Fix::RunCommand { .. } => Err("This fix is not a single write.".into()),
    }
}

#[component]
pub fn FixAction(fix: Fix, #[prop(into)] check: String) -> impl IntoView {
    let mode = WriteMode::expect();
    let Some(ctx) = use_context::<RegistryContext>() else { return ().into_any() };
    if matches!(fix, Fix::RunCommand { .. }) {
        return ().into_any();
    }
    if matches!(fix, Fix::EnableSystemIdentityAndBypass { .. }) {
        let registry = ctx.registry.clone();
        return view! {
            <Show when=move || mode.is_on()>
                <FirewallSequence registry=registry.clone() on_refresh=ctx.refresh />
            </Show>
        }
        .into_any();
    }
    let open = RwSignal::new(false);
    let step = RwSignal::new(None::<Step>);
    let problem = RwSignal::new(None::<String>);
    let label = fix.label();
    let apply = {
        let ctx = ctx.clone();
        move |_| {
            let (client, registry, fix) = (ctx.client.clone(), ctx.registry.clone(), fix.clone());
            problem.set(None);
            spawn_local(async move {
                match plan(&client, &registry, &fix).await {
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
    let button_text = format!("{label}…");
    view! {
        <Show when=move || mode.is_on()>
            <button type="button" class="primary" data-testid=format!("apply-fix-{check}") on:click=apply.clone()>
                {button_text.clone()}
            </button>
        </Show>
        {move || problem.get().map(|p| view! { <p class="error-box" role="alert">{p}</p> })}
        <ModalDialog open title=label testid="fix-dialog">
            {move || {
                step.get()
                    .map(|s| view! { <WriteFlow steps=vec![s] on_refresh=refresh on_close=Callback::new(move |()| open.set(false)) /> })
            }}
        </ModalDialog>
    }
    .into_any()
}
