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
use crate::session::SessionStore;

#[component]
pub fn BasicsStep() -> impl IntoView {
    let wizard = Wizard::expect();
    let session = SessionStore::expect();
    let subscriptions = LocalResource::new(move || async move {
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
    let groups = LocalResource::new(move || {
        let sub = wizard.subscription_id();
        async move {
            let Some(sub) = sub else { return Ok(Vec::new()) };
            session.client_for_write()?.resource_groups(&sub).await.map_err(ActionError::from)
        }
    });
    let locations = LocalResource::new(move || {
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
    let _availability = LocalResource::new(move || {
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
            return ("empty", "5 to 50 letters and digits; it becomes <name>.azurecr.io.".to_string());
        }
        if let Err(r) = check_registry_name(&name) {
            return ("invalid", r.message.to_string());
        }
        match wizard.availability.get() {
            Some((n, a)) if n == name => (if a.name_available { "available" } else { "taken" }, a.describe(&name)),
            _ => ("checking", "Checking the name…".to_string()),
        }
    };
    let new_group = Memo::new(move |_| matches!(wizard.group.get(), GroupChoice::New { .. }));
    let group_ok = move || check_group_name(wizard.group.get().name()).is_ok();
    let ready = Signal::derive(move || {
        wizard.subscription.with(Option::is_some) && group_ok() && !wizard.location.get().is_empty() && wizard.name_available()
    });

    view! {
        <div class="panel create-step" data-testid="create-step-basics">
            <h2>"Basics"</h2>
            <div class="write-form">
                <label>
                    "Subscription"
                    <Suspense fallback=|| view! { <Loading what="subscriptions" /> }>
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
                                            let label = if s.display_name.is_empty() { id.clone() } else { format!("{} ({id})", s.display_name) };
                                            view! { <option value=id selected=selected>{label}</option> }
                                        }).collect_view()}
                                    </select>
                                }.into_any()
                            }
                        })}
                    </Suspense>
                </label>
                <fieldset class="choice">
                    <legend>"Resource group"</legend>
                    <label class="inline">
                        <input type="radio" name="group-kind" data-testid="create-group-new" prop:checked=new_group
                            on:change=move |_| wizard.group.set(GroupChoice::New { name: String::new() }) />
                        "Create a new resource group"
                    </label>
                    <label class="inline">
                        <input type="radio" name="group-kind" data-testid="create-group-existing" prop:checked=move || !new_group.get()
                            on:change=move |_| wizard.group.set(GroupChoice::Existing { name: String::new() }) />
                        "Use an existing resource group"
                    </label>
                    {move || if new_group.get() {
                        view! {
                            <label>
                                "New group's name"
                                <input type="text" data-testid="create-group-name" prop:value=wizard.group.get_untracked().name().to_string()
                                    on:input=move |ev| wizard.group.set(GroupChoice::New { name: event_target_value(&ev) }) />
                            </label>
                        }.into_any()
                    } else {
                        view! {
                            <Suspense fallback=|| view! { <Loading what="resource groups" /> }>
                                {move || groups.get().map(|r| match r {
                                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                    Ok(list) => {
                                        let locations_of = list.clone();
                                        view! {
                                            <label>
                                                "Group"
                                                <select data-testid="create-group-select" on:change=move |ev| {
                                                    let name = event_target_value(&ev);
                                                    if let Some(g) = locations_of.iter().find(|g| g.name == name) {
                                                        wizard.location.set(g.location.clone());
                                                    }
                                                    wizard.group.set(GroupChoice::Existing { name });
                                                }>
                                                    <option value="" selected=move || wizard.group.get().name().is_empty()>"Choose a group"</option>
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
                        .map(|r| view! { <p class="error-text" data-testid="create-group-error">{r.message.to_string()}</p> })}
                </fieldset>
                <label>
                    "Location"
                    <Suspense fallback=|| view! { <Loading what="locations" /> }>
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
                    <span class="help">"The locations this subscription offers for Microsoft.ContainerRegistry."</span>
                </label>
                <label>
                    "Registry name"
                    <input type="text" data-testid="create-name" autocomplete="off" spellcheck="false" prop:value=move || wizard.name.get()
                        on:input=move |ev| wizard.name.set(event_target_value(&ev)) />
                    <span class="help name-status" data-testid="create-name-status" data-state=move || name_status().0 aria-live="polite">
                        {move || name_status().1}
                    </span>
                </label>
                <p class="kv-row" data-testid="create-sku">
                    <strong>"SKU: Premium. "</strong>
                    "Customer-managed keys are a Premium feature; a registry with one cannot move to Basic or Standard."
                </p>
            </div>
            <StepButtons ready />
        </div>
    }
}
