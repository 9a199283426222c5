//! Subscriptions, and in each its container registries with their encryption
//! state, each linking to the registry's page.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::subscription::Subscription;
use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::arm_client::ArmClient;
use crate::components::error_box::ErrorList;
use crate::components::loading::Loading;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::home;
use crate::i18n::tr;
use crate::routes;
use crate::session::SessionStore;
use crate::write_mode::WriteMode;

/// What the router shows at `/`: the list, whose code is a wasm chunk of its own (issue 14), fetched
/// while the console starts and the user signs in ([`crate::pages::preload`]); the route's `Transition`
/// shows nothing until it has come, so the page appears whole.
pub fn registries_route() -> AnyView {
    crate::lazy_route::view(registries_page())
}

#[lazy]
pub(crate) fn registries_page() -> AnyView {
    view! { <RegistriesPage /> }.into_any()
}

#[component]
pub fn RegistriesPage() -> impl IntoView {
    let Some(client) = SessionStore::expect().client() else {
        return view! { <Redirect path=routes::SIGN_IN /> }.into_any();
    };
    let subscriptions = {
        let client = client.clone();
        ErasedResource::new(move || {
            let client = client.clone();
            async move { client.subscriptions().await }
        })
    };
    let retry = Callback::new(move |()| subscriptions.refetch());
    let write_mode = WriteMode::expect();

    view! {
        <section class="page">
            <div class="page-head">
                <h1>{tr(home::TITLE)}</h1>
                {move || write_mode.is_on().then(|| view! {
                    <a class="button primary" href=routes::CREATE data-testid="new-cmk-registry">
                        {tr(home::NEW_CMK_REGISTRY)}
                    </a>
                })}
            </div>
            <Transition fallback=|| view! { <Loading what=home::SUBSCRIPTIONS /> }>
                <ErrorBoundary fallback=move |errors| view! { <ErrorList errors on_retry=retry /> }>
                    {move || {
                        let client = client.clone();
                        Suspend::new(async move {
                            subscriptions
                                .await
                                .map(|subscriptions| {
                                    if subscriptions.is_empty() {
                                        return view! {
                                            <p class="empty">{tr(home::NO_SUBSCRIPTIONS)}</p>
                                        }
                                            .into_any();
                                    }
                                    subscriptions
                                        .into_iter()
                                        .map(|subscription| {
                                            view! {
                                                <SubscriptionSection
                                                    subscription
                                                    client=client.clone()
                                                />
                                            }
                                        })
                                        .collect_view()
                                        .into_any()
                                })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
        </section>
    }
    .into_any()
}

/// One subscription and its registries; a failure here leaves the others shown.
#[component]
fn SubscriptionSection(subscription: Subscription, client: ArmClient) -> impl IntoView {
    let subscription_id = subscription.subscription_id.clone();
    let registries = ErasedResource::new(move || {
        let client = client.clone();
        let subscription_id = subscription_id.clone();
        async move { client.registries(&subscription_id).await }
    });
    let retry = Callback::new(move |()| registries.refetch());
    let heading_id = format!("sub-{}", subscription.subscription_id);
    let labelled_by = heading_id.clone();
    let table_labelled_by = heading_id.clone();
    let name = if subscription.display_name.is_empty() { subscription.subscription_id.clone() } else { subscription.display_name.clone() };

    view! {
        <section class="panel subscription" data-testid="subscription" aria-labelledby=labelled_by>
            <h2 id=heading_id>
                <span class="subscription-name">{name}</span>
                <span class="subscription-id mono">{subscription.subscription_id.clone()}</span>
                {subscription.state.clone().map(|s| view! { <span class="badge neutral">{s}</span> })}
            </h2>
            <Transition fallback=|| view! { <Loading what=home::REGISTRIES /> }>
                <ErrorBoundary fallback=move |errors| view! { <ErrorList errors on_retry=retry /> }>
                    {move || {
                        let labelled_by = table_labelled_by.clone();
                        Suspend::new(async move {
                            registries.await.map(|registries| view! { <RegistryTable registries labelled_by /> })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The table scrolls sideways in its own box on a narrow screen (the page does not); the box
/// is focusable so a keyboard can scroll it, and named after the subscription.
#[component]
fn RegistryTable(registries: Vec<Registry>, labelled_by: String) -> impl IntoView {
    if registries.is_empty() {
        return view! { <p class="empty">{tr(home::NO_REGISTRIES)}</p> }.into_any();
    }
    let rows = registries.into_iter().map(|registry| view! { <RegistryRow registry /> }).collect_view();
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-labelledby=labelled_by>
        <table class="grid">
            <thead>
                <tr>
                    <th scope="col">{tr(home::COL_NAME)}</th>
                    <th scope="col">{tr(home::COL_RESOURCE_GROUP)}</th>
                    <th scope="col">{tr(home::COL_LOCATION)}</th>
                    <th scope="col">{tr(home::COL_SKU)}</th>
                    <th scope="col">{tr(home::COL_CMK)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
    }
    .into_any()
}

#[component]
fn RegistryRow(registry: Registry) -> impl IntoView {
    let id = ResourceId::parse(&registry.id);
    let resource_group = id.as_ref().map(|id| id.resource_group.clone()).unwrap_or_default();
    let name = registry.name.clone();
    let link = match id.as_ref().and_then(|id| ResourceId::registry(&id.subscription_id, &id.resource_group, &id.name)) {
        Some(id) => view! {
            <a href=routes::registry_page(&id) data-testid="registry-link">{name}</a>
        }
        .into_any(),
        // An id the console cannot navigate by: show the name, unlinked.
        None => view! { <span>{name}</span> }.into_any(),
    };
    let enabled = registry.properties.encryption.as_ref().is_some_and(|e| e.is_enabled());
    let (badge_class, badge_text) = if enabled { ("badge on", home::CMK_ENABLED) } else { ("badge off", home::CMK_DISABLED) };
    view! {
        <tr>
            <th scope="row">{link}</th>
            <td>{resource_group}</td>
            <td>{registry.location.clone()}</td>
            <td>{registry.sku.name.clone()}</td>
            <td>
                <span class=badge_class>{tr(badge_text)}</span>
            </td>
        </tr>
    }
}
