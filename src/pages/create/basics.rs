//! Basics: subscription, resource group (existing or new), location (from the
//! provider's registration), name (checked live), SKU fixed to Premium.

use acr_cmk_domain::writes::creation::choices::{check_group_name, check_registry_name};
use acr_cmk_domain::writes::creation::GroupChoice;
use leptos::prelude::*;

use super::step_buttons::StepButtons;
use super::wizard::Wizard;
use crate::action_error::ActionError;
use crate::components::error_box::ErrorBox;
use crate::components::loading::Loading;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::create as words;
use crate::i18n::{tr, Locale};
use crate::session::SessionStore;
use acr_cmk_domain::text::Sentence;

/// A subscription as the list shows it: its display name and id, or the id alone.
fn subscription_label(display_name: &str, id: &str) -> Sentence {
    if display_name.is_empty() {
        Sentence::verbatim(id)
    } else {
        Sentence::new(words::SUBSCRIPTION_OPTION).with("name", display_name).with("id", id)
    }
}

#[component]
pub fn BasicsStep() -> impl IntoView {
    let wizard = Wizard::expect();
    let locale = Locale::expect();
    let session = SessionStore::expect();
    let subscriptions = ErasedResource::new(move || async move {
        let client = session.client_for_write()?;
        client.subscriptions().await.map_err(ActionError::from)
    });
    // The first subscription is chosen until the user picks one.
    Effect::new(move |_| {
        if wizard.subscription.with_untracked(Option::is_none) {
            if let Some(Ok(list)) = subscriptions.get() {
                wizard.subscription.set(list.first().cloned());
            }
        }
    });
    let groups = ErasedResource::new(move || {
        let sub = wizard.subscription_id();
        async move {
            let Some(sub) = sub else { return Ok(Vec::new()) };
            session.client_for_write()?.resource_groups(&sub).await.map_err(ActionError::from)
        }
    });
    let locations = ErasedResource::new(move || {
        let sub = wizard.subscription_id();
        async move {
            let Some(sub) = sub else { return Ok(Vec::new()) };
            session.client_for_write()?.registry_locations(&sub).await.map_err(ActionError::from)
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(list)) = locations.get() {
            let current = wizard.location.get_untracked();
            if !list.iter().any(|l| l.name == current) {
                let pick = list.iter().find(|l| l.name == "westeurope").or(list.first());
                wizard.location.set(pick.map(|l| l.name.clone()).unwrap_or_default());
            }
        }
    });
    // Asked on every change of the name (once it is well-formed); the last answer wins.
    let _availability = ErasedResource::new(move || {
        let (sub, name) = (wizard.subscription_id(), wizard.name.get());
        async move {
            let Some(sub) = sub else { return };
            if check_registry_name(&name).is_err() {
                return;
            }
            let Ok(client) = session.client_for_write() else { return };
            if let Ok(answer) = client.registry_name_availability(&sub, &name).await {
                if wizard.name.get_untracked() == name {
                    wizard.availability.set(Some((name, answer)));
                }
            }
        }
    });
    let name_status = move || {
        let name = wizard.name.get();
        if name.is_empty() {
            return ("empty", Sentence::new(words::NAME_HINT));
        }
        if let Err(r) = check_registry_name(&name) {
            return ("invalid", r.reason);
        }
        match wizard.availability.get() {
            Some((n, a)) if n == name => (if a.name_available { "available" } else { "taken" }, a.describe(&name)),
            _ => ("checking", Sentence::new(words::CHECKING_NAME)),
        }
    };
    let new_group = Memo::new(move |_| matches!(wizard.group.get(), GroupChoice::New { .. }));
    let group_ok = move || check_group_name(wizard.group.get().name()).is_ok();
    let ready = Signal::derive(move || {
        wizard.subscription.with(Option::is_some) && group_ok() && !wizard.location.get().is_empty() && wizard.name_available()
    });

    view! {
        <div class="panel create-step" data-testid="create-step-basics">
            <h2>{tr(words::STEP_BASICS)}</h2>
            <div class="write-form">
                <label>
                    {tr(words::SUBSCRIPTION)}
                    <Suspense fallback=|| view! { <Loading what=words::LOADING_SUBSCRIPTIONS /> }>
                        {move || subscriptions.get().map(|r| match r {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(list) => {
                                let options = list.clone();
                                view! {
                                    <select data-testid="create-subscription" on:change=move |ev| {
                                        let id = event_target_value(&ev);
                                        wizard.subscription.set(options.iter().find(|s| s.subscription_id == id).cloned());
                                        wizard.group.set(GroupChoice::New { name: String::new() });
                                    }>
                                        {list.into_iter().map(|s| {
                                            let id = s.subscription_id.clone();
                                            let selected = wizard.subscription_id().as_deref() == Some(id.as_str());
                                            let label = subscription_label(&s.display_name, &id);
                                            view! { <option value=id selected=selected>{move || label.get(locale.get())}</option> }
                                        }).collect_view()}
                                    </select>
                                }.into_any()
                            }
                        })}
                    </Suspense>
                </label>
                <fieldset class="choice">
                    <legend>{tr(words::RESOURCE_GROUP)}</legend>
                    <label class="inline">
                        <input type="radio" name="group-kind" data-testid="create-group-new" prop:checked=new_group
                            on:change=move |_| wizard.group.set(GroupChoice::New { name: String::new() }) />
                        {tr(words::GROUP_NEW)}
                    </label>
                    <label class="inline">
                        <input type="radio" name="group-kind" data-testid="create-group-existing" prop:checked=move || !new_group.get()
                            on:change=move |_| wizard.group.set(GroupChoice::Existing { name: String::new() }) />
                        {tr(words::GROUP_EXISTING)}
                    </label>
                    {move || if new_group.get() {
                        view! {
                            <label>
                                {tr(words::GROUP_NEW_NAME)}
                                <input type="text" data-testid="create-group-name" prop:value=wizard.group.get_untracked().name().to_string()
                                    on:input=move |ev| wizard.group.set(GroupChoice::New { name: event_target_value(&ev) }) />
                            </label>
                        }.into_any()
                    } else {
                        view! {
                            <Suspense fallback=|| view! { <Loading what=words::LOADING_GROUPS /> }>
                                {move || groups.get().map(|r| match r {
                                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                    Ok(list) => {
                                        let locations_of = list.clone();
                                        view! {
                                            <label>
                                                {tr(words::GROUP)}
                                                <select data-testid="create-group-select" on:change=move |ev| {
                                                    let name = event_target_value(&ev);
                                                    if let Some(g) = locations_of.iter().find(|g| g.name == name) {
                                                        wizard.location.set(g.location.clone());
                                                    }
                                                    wizard.group.set(GroupChoice::Existing { name });
                                                }>
                                                    <option value="" selected=move || wizard.group.get().name().is_empty()>{tr(words::CHOOSE_GROUP)}</option>
                                                    {list.into_iter().map(|g| {
                                                        let name = g.name.clone();
                                                        let selected = move || wizard.group.get().name() == name;
                                                        view! { <option value=g.name.clone() selected=selected>{format!("{} ({})", g.name, g.location)}</option> }
                                                    }).collect_view()}
                                                </select>
                                            </label>
                                        }.into_any()
                                    }
                                })}
                            </Suspense>
                        }.into_any()
                    }}
                    {move || (!wizard.group.get().name().is_empty()).then(|| check_group_name(wizard.group.get().name()).err()).flatten()
                        .map(|r| view! { <p class="error-text" data-testid="create-group-error">{move || r.reason.get(locale.get())}</p> })}
                </fieldset>
                <label>
                    {tr(words::LOCATION)}
                    <Suspense fallback=|| view! { <Loading what=words::LOADING_LOCATIONS /> }>
                        {move || locations.get().map(|r| match r {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(list) => view! {
                                <select data-testid="create-location" on:change=move |ev| wizard.location.set(event_target_value(&ev))>
                                    {list.into_iter().map(|l| {
                                        let name = l.name.clone();
                                        let selected = move || wizard.location.get() == name;
                                        view! { <option value=l.name.clone() selected=selected>{format!("{} ({})", l.display_name, l.name)}</option> }
                                    }).collect_view()}
                                </select>
                            }.into_any(),
                        })}
                    </Suspense>
                    <span class="help">{tr(words::LOCATION_HELP)}</span>
                </label>
                <label>
                    {tr(words::REGISTRY_NAME)}
                    <input type="text" data-testid="create-name" autocomplete="off" spellcheck="false" prop:value=move || wizard.name.get()
                        on:input=move |ev| wizard.name.set(event_target_value(&ev)) />
                    <span class="help name-status" data-testid="create-name-status" data-state=move || name_status().0 aria-live="polite">
                        {move || name_status().1.get(locale.get())}
                    </span>
                </label>
                <p class="kv-row" data-testid="create-sku">
                    <strong>{tr(words::SKU)}</strong>
                    {tr(words::SKU_WHY)}
                </p>
            </div>
            <StepButtons ready />
        </div>
    }
}
