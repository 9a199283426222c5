//! `/create?from=<registry id>`: the way out for a registry without a customer-managed
//! key (its page links here). The old registry is read once; the flow starts with its
//! subscription, resource group and location, and a suggested new name
//! (`acr_cmk_domain::migration::suggested_name`), which the user can change like any
//! other choice. [`CopyImages`] then shows the `az acr import` script that copies the
//! old registry's images into the new one, with Copy and Download.

use acr_cmk_domain::migration::{import_script, suggested_name, ImportSource};
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::writes::creation::GroupChoice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use super::wizard::Wizard;
use crate::action_error::ActionError;
use crate::components::copy_button::CopyButton;
use crate::components::error_box::ErrorBox;
use crate::i18n::catalogue::create as words;
use crate::i18n::{tr, Locale};
use crate::session::SessionStore;

/// Reads the registry named by the URL's `from`, if any, and fills the Basics choices from it.
pub fn from_query(wizard: Wizard) {
    let Some(id) = use_query_map().with_untracked(|q| q.get("from")) else { return };
    let Some(client) = SessionStore::expect().client() else { return };
    spawn_local(async move {
        let read = async {
            let old = client.registry(&id).await?.registry;
            let subscriptions = client.subscriptions().await?;
            Ok::<_, ActionError>((old, subscriptions))
        };
        match read.await {
            Ok((old, subscriptions)) => {
                let group = acr_cmk_domain::arm::ResourceId::parse(&old.id).map(|r| r.resource_group).unwrap_or_default();
                let sub = subscriptions.into_iter().find(|s| old.id.to_ascii_lowercase().starts_with(&s.id.to_ascii_lowercase()));
                if let Some(sub) = sub {
                    wizard.subscription.set(Some(sub));
                }
                wizard.group.set(GroupChoice::Existing { name: group });
                wizard.location.set(old.location.clone());
                wizard.name.set(suggested_name(&old.name).unwrap_or_default());
                wizard.source.set(Some(Ok(old)));
            }
            Err(e) => wizard.source.set(Some(Err(e))),
        }
    });
}

/// The old registry's login server (ARM's, or the name's default).
fn login_server(old: &Registry) -> String {
    old.properties.login_server.clone().unwrap_or_else(|| format!("{}.azurecr.io", old.name.to_ascii_lowercase()))
}

/// "Copy the images": the import script for the name chosen now, with Copy and Download.
#[component]
pub fn CopyImages() -> impl IntoView {
    let wizard = Wizard::expect();
    let locale = Locale::expect();
    move || {
        wizard.source.get().map(|read| match read {
            Err(error) => view! { <div class="panel" data-testid="create-prefill-error"><ErrorBox error /></div> }.into_any(),
            Ok(old) => {
                let server = login_server(&old);
                let script = Memo::new({
                    let (id, name, server) = (old.id.clone(), old.name.clone(), server.clone());
                    move |_| import_script(&ImportSource { id: &id, name: &name, login_server: &server }, &wizard.name.get())
                });
                let old_name = old.name.clone();
                let help = move || locale.fill(words::COPY_IMAGES_HELP, &[("old", &old_name), ("new", &wizard.name.get())]);
                let from = old.name.clone();
                let href = move || format!("data:text/x-shellscript;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&script.get())));
                let file = move || format!("import-{from}-to-{}.sh", wizard.name.get());
                view! {
                    <section class="panel create-copy-images" data-testid="create-copy-images">
                        <h2>{tr(words::COPY_IMAGES)}</h2>
                        <p data-testid="create-prefilled">{move || locale.fill(words::PREFILLED_FROM, &[("name", &old.name), ("server", &server)])}</p>
                        <p class="help">{help}</p>
                        <pre class="command script" data-testid="create-import-script" tabindex="0">{move || script.get()}</pre>
                        <div class="actions">
                            {move || view! { <CopyButton text=script.get() label=words::IMPORT_SCRIPT /> }}
                            <a class="button" href=href download=file data-testid="create-import-download">{tr(words::DOWNLOAD)}</a>
                        </div>
                    </section>
                }
                .into_any()
            }
        })
    }
}
