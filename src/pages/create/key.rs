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
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::create as words;
use crate::i18n::{tr, Locale};
use crate::session::SessionStore;
use acr_cmk_domain::text::Lang;

use super::problem::ProblemBox;

/// A key in the list: name, type and size (when ARM reports it).
fn key_label(name: &str, kty: &str, size: Option<u32>, lang: Lang) -> String {
    match size {
        Some(n) => words::KEY_OPTION.fill(lang, &[("name", name), ("kty", kty), ("n", &n.to_string())]),
        None => words::KEY_OPTION_NO_SIZE.fill(lang, &[("name", name), ("kty", kty)]),
    }
}

/// A size in bits, or that ARM did not report one.
fn bits(size: Option<u32>, lang: Lang) -> String {
    match size {
        Some(n) => words::BITS.fill(lang, &[("n", &n.to_string())]),
        None => words::NOT_REPORTED.get(lang).to_string(),
    }
}

#[component]
pub fn KeyStep() -> impl IntoView {
    let wizard = Wizard::expect();
    let locale = Locale::expect();
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
    let keys = ErasedResource::new(move || {
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
            <h2>{tr(words::STEP_KEY)}</h2>
            <fieldset class="choice">
                <legend>{tr(words::KEY_THE)}</legend>
                <label class="inline">
                    <input type="radio" name="key-kind" data-testid="create-key-new" prop:checked=is_new
                        on:change=move |_| set_new_name(format!("key-{}", wizard.name.get_untracked())) />
                    {tr(words::KEY_NEW)}
                </label>
                <label class="inline">
                    <input type="radio" name="key-kind" data-testid="create-key-existing" prop:checked=move || !is_new.get()
                        disabled=move || existing_vault().is_none() on:change=move |_| wizard.key.set(None) />
                    {move || if existing_vault().is_some() { words::KEY_EXISTING_OF_VAULT } else { words::KEY_EXISTING_NONE }.get(locale.get())}
                </label>
            </fieldset>
            {move || if is_new.get() {
                let name = match wizard.key.get_untracked() { Some(KeyChoice::New { name, .. }) => name, _ => String::new() };
                view! {
                    <div class="write-form">
                        <label>
                            {tr(words::KEY_NEW_NAME)}
                            <input type="text" data-testid="create-key-name" prop:value=name on:input=move |ev| set_new_name(event_target_value(&ev)) />
                        </label>
                        <label>
                            {tr(words::KEY_SIZE)}
                            <select data-testid="create-key-size" on:change=move |ev| set_size(event_target_value(&ev).parse().unwrap_or(3072))>
                                {KEY_SIZES.iter().map(|s| {
                                    let s = *s;
                                    view! { <option value=s.to_string() selected=move || matches!(wizard.key.get(), Some(KeyChoice::New { size, .. }) if size == s)>{move || bits(Some(s), locale.get())}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    </div>
                }.into_any()
            } else {
                view! {
                    <Suspense fallback=|| view! { <Loading what=words::LOADING_KEYS /> }>
                        {move || keys.get().map(|r| match r {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(list) => {
                                let all = list.clone();
                                view! {
                                    <div class="write-form">
                                        <label>
                                            {tr(words::STEP_KEY)}
                                            <select data-testid="create-key-select" on:change=move |ev| {
                                                let name = event_target_value(&ev);
                                                if let Some(k) = all.iter().find(|k| k.name == name).cloned() {
                                                    choose_existing(k);
                                                }
                                            }>
                                                <option value="">{tr(words::CHOOSE_KEY)}</option>
                                                {list.into_iter().map(|k| {
                                                    let kty = k.properties.kty.clone().unwrap_or_default();
                                                    let (name, size) = (k.name.clone(), k.properties.key_size);
                                                    view! { <option value=k.name.clone()>{move || key_label(&name, &kty, size, locale.get())}</option> }
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
                            let newest = newest_usable(&versions, crate::clock::now_unix_secs()).map(|v| version_name(v).to_string());
                            let size = key.properties.key_size;
                            view! {
                                <dl class="kv" data-testid="create-key-facts">
                                    <div class="kv-row"><dt>{tr(words::TYPE)}</dt><dd data-testid="create-key-kty">{key.properties.kty.clone().unwrap_or_default()}</dd></div>
                                    <div class="kv-row"><dt>{tr(words::SIZE)}</dt><dd>{move || bits(size, locale.get())}</dd></div>
                                    <div class="kv-row"><dt>{tr(words::NEWEST_ENABLED)}</dt><dd class="mono">
                                        {move || newest.clone().unwrap_or_else(|| words::NONE.get(locale.get()).to_string())}
                                    </dd></div>
                                </dl>
                            }.into_any()
                        }
                        _ => ().into_any(),
                    }}
                }.into_any()
            }}
            {move || refusal().map(|r| view! { <ProblemBox problem=r testid="create-key-refusal" /> })}
            <fieldset class="choice">
                <legend>{tr(words::ROTATION)}</legend>
                <label class="inline">
                    <input type="radio" name="rotation" data-testid="create-rotation-versionless" prop:checked=move || wizard.rotation.get() == Rotation::Versionless
                        on:change=move |_| wizard.rotation.set(Rotation::Versionless) />
                    {tr(words::ROTATION_VERSIONLESS)}
                </label>
                <label class="inline">
                    <input type="radio" name="rotation" data-testid="create-rotation-pinned" prop:checked=move || wizard.rotation.get() == Rotation::Pinned
                        on:change=move |_| wizard.rotation.set(Rotation::Pinned) />
                    {tr(words::ROTATION_PINNED)}
                </label>
            </fieldset>
            <StepButtons ready />
        </div>
    }
}
