//! Key: an existing RSA or RSA-HSM key (EC refused with the reason; type and
//! size shown) or a new RSA key created through ARM; versionless (automatic
//! rotation, the default) or pinned to a version (manual rotation).

use acr_cmk_domain::diagnosis::{newest_usable, version_name};
use acr_cmk_domain::key::ArmKey;
use acr_cmk_domain::writes::creation::choices::{check_key, KEY_SIZES};
use acr_cmk_domain::writes::creation::{KeyChoice, Rotation, VaultChoice};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::step_buttons::StepButtons;
use super::wizard::Wizard;
use crate::action_error::ActionError;
use crate::components::error_box::ErrorBox;
use crate::components::loading::Loading;
use crate::session::SessionStore;

#[component]
pub fn KeyStep() -> impl IntoView {
    let wizard = Wizard::expect();
    let session = SessionStore::expect();
    let existing_vault = move || match wizard.vault.get() {
        Some(VaultChoice::Existing { vault, .. }) => Some(vault),
        _ => None,
    };
    if wizard.key.with_untracked(Option::is_none)
        || (existing_vault().is_none() && matches!(wizard.key.get_untracked(), Some(KeyChoice::Existing { .. })))
    {
        wizard.key.set(Some(KeyChoice::New { name: format!("key-{}", wizard.name.get_untracked()), size: 3072 }));
    }
    let keys = LocalResource::new(move || {
        let vault = existing_vault();
        async move {
            let Some(vault) = vault else { return Ok(Vec::new()) };
            session.client_for_write()?.keys(&vault.id).await.map_err(ActionError::from)
        }
    });
    let read_error = RwSignal::new(None::<ActionError>);
    let choose_existing = move |key: ArmKey| {
        let Some(vault) = existing_vault() else { return };
        spawn_local(async move {
            let versions = match session.client_for_write() {
                Ok(client) => client.key_versions(&vault.id, &key.name).await.map_err(ActionError::from),
                Err(e) => Err(e),
            };
            match versions {
                Ok(v) => {
                    read_error.set(None);
                    wizard.key.set(Some(KeyChoice::Existing { key, versions: v.unwrap_or_default() }));
                }
                Err(e) => read_error.set(Some(e)),
            }
        });
    };
    let is_new = Memo::new(move |_| matches!(wizard.key.get(), Some(KeyChoice::New { .. })));
    let refusal = move || match wizard.key.get() {
        Some(KeyChoice::Existing { key, versions }) => check_key(&key, &versions, crate::clock::now_unix_secs()).err(),
        _ => None,
    };
    let ready = Signal::derive(move || match wizard.key.get() {
        Some(KeyChoice::New { name, .. }) => !name.trim().is_empty(),
        Some(KeyChoice::Existing { .. }) => refusal().is_none(),
        None => false,
    });
    let set_new_name = move |name: String| {
        let size = match wizard.key.get_untracked() {
            Some(KeyChoice::New { size, .. }) => size,
            _ => 3072,
        };
        wizard.key.set(Some(KeyChoice::New { name, size }));
    };
    let set_size = move |size: u32| {
        let name = match wizard.key.get_untracked() {
            Some(KeyChoice::New { name, .. }) => name,
            _ => String::new(),
        };
        wizard.key.set(Some(KeyChoice::New { name, size }));
    };
    view! {
        <div class="panel create-step" data-testid="create-step-key">
            <h2>"Key"</h2>
            <fieldset class="choice">
                <legend>"The key"</legend>
                <label class="inline">
                    <input type="radio" name="key-kind" data-testid="create-key-new" prop:checked=is_new
                        on:change=move |_| set_new_name(format!("key-{}", wizard.name.get_untracked())) />
                    "Create a new RSA key (through ARM)"
                </label>
                <label class="inline">
                    <input type="radio" name="key-kind" data-testid="create-key-existing" prop:checked=move || !is_new.get()
                        disabled=move || existing_vault().is_none() on:change=move |_| wizard.key.set(None) />
                    {move || if existing_vault().is_some() { "Use an existing key of the vault" } else { "Use an existing key (a new vault has none)" }}
                </label>
            </fieldset>
            {move || if is_new.get() {
                let name = match wizard.key.get_untracked() { Some(KeyChoice::New { name, .. }) => name, _ => String::new() };
                view! {
                    <div class="write-form">
                        <label>
                            "New key's name"
                            <input type="text" data-testid="create-key-name" prop:value=name on:input=move |ev| set_new_name(event_target_value(&ev)) />
                        </label>
                        <label>
                            "RSA key size"
                            <select data-testid="create-key-size" on:change=move |ev| set_size(event_target_value(&ev).parse().unwrap_or(3072))>
                                {KEY_SIZES.iter().map(|s| {
                                    let s = *s;
                                    view! { <option value=s.to_string() selected=move || matches!(wizard.key.get(), Some(KeyChoice::New { size, .. }) if size == s)>{format!("{s} bits")}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    </div>
                }.into_any()
            } else {
                view! {
                    <Suspense fallback=|| view! { <Loading what="keys" /> }>
                        {move || keys.get().map(|r| match r {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(list) => {
                                let all = list.clone();
                                view! {
                                    <div class="write-form">
                                        <label>
                                            "Key"
                                            <select data-testid="create-key-select" on:change=move |ev| {
                                                let name = event_target_value(&ev);
                                                if let Some(k) = all.iter().find(|k| k.name == name).cloned() {
                                                    choose_existing(k);
                                                }
                                            }>
                                                <option value="">"Choose a key"</option>
                                                {list.into_iter().map(|k| {
                                                    let kty = k.properties.kty.clone().unwrap_or_default();
                                                    let size = k.properties.key_size.map(|s| format!(", {s} bits")).unwrap_or_default();
                                                    view! { <option value=k.name.clone()>{format!("{} ({kty}{size})", k.name)}</option> }
                                                }).collect_view()}
                                            </select>
                                        </label>
                                    </div>
                                }.into_any()
                            }
                        })}
                    </Suspense>
                    {move || read_error.get().map(|e| view! { <ErrorBox error=e /> })}
                    {move || match wizard.key.get() {
                        Some(KeyChoice::Existing { key, versions }) => {
                            let newest = newest_usable(&versions, crate::clock::now_unix_secs()).map(|v| version_name(v).to_string()).unwrap_or_else(|| "none".into());
                            view! {
                                <dl class="kv" data-testid="create-key-facts">
                                    <div class="kv-row"><dt>"Type"</dt><dd data-testid="create-key-kty">{key.properties.kty.clone().unwrap_or_default()}</dd></div>
                                    <div class="kv-row"><dt>"Size"</dt><dd>{key.properties.key_size.map(|s| format!("{s} bits")).unwrap_or_else(|| "not reported".into())}</dd></div>
                                    <div class="kv-row"><dt>"Newest enabled version"</dt><dd class="mono">{newest}</dd></div>
                                </dl>
                            }.into_any()
                        }
                        _ => ().into_any(),
                    }}
                }.into_any()
            }}
            {move || refusal().map(|r| view! { <ErrorBox error=ActionError::Refused(r) testid="create-key-refusal" /> })}
            <fieldset class="choice">
                <legend>"Rotation"</legend>
                <label class="inline">
                    <input type="radio" name="rotation" data-testid="create-rotation-versionless" prop:checked=move || wizard.rotation.get() == Rotation::Versionless
                        on:change=move |_| wizard.rotation.set(Rotation::Versionless) />
                    "Versionless key id (recommended): the registry picks up a new key version by itself, within an hour."
                </label>
                <label class="inline">
                    <input type="radio" name="rotation" data-testid="create-rotation-pinned" prop:checked=move || wizard.rotation.get() == Rotation::Pinned
                        on:change=move |_| wizard.rotation.set(Rotation::Pinned) />
                    "Pinned version: the registry keeps using this version until you rotate by hand (az acr encryption rotate-key)."
                </label>
            </fieldset>
            <StepButtons ready />
        </div>
    }
}
