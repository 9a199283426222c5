//! The error decoder page: paste a message from a ticket, read what it means,
//! the fix in the seed's terms, and open the diagnosis of the registry it names.
//! Recognising and reading ids is `acr_cmk_domain::decoder`; a registry named
//! only by name or login server is looked up in the subscriptions the user can read.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::decoder::{decode, Decoded, RegistryRef};
use leptos::prelude::*;

use crate::arm_client::ArmClient;
use crate::components::copy_button::CopyButton;
use crate::routes;
use crate::session::SessionStore;

#[component]
pub fn DecodePage() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let decoded = Memo::new(move |_| text.with(|t| (!t.trim().is_empty()).then(|| decode(t))));
    view! {
        <section class="page decode">
            <h1>"Decode an error message"</h1>
            <p class="help">
                "Paste a message from a ticket (the portal, the Azure CLI, docker pull or push, an ARM response). The console says what it means, how to fix it, and opens the diagnosis of the registry it names."
            </p>
            <label for="decode-input">"Error message"</label>
            <textarea
                id="decode-input"
                data-testid="decode-input"
                rows="7"
                spellcheck="false"
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            {move || decoded.get().map(|decoded| view! { <DecodedView decoded /> })}
        </section>
    }
}

#[component]
fn DecodedView(decoded: Decoded) -> impl IntoView {
    let kind = decoded.kind.map_or("unknown", |k| k.name());
    let explanation = match decoded.kind {
        Some(k) => view! {
            <h2>{k.title()}</h2>
            <h3>"Cause"</h3>
            <p data-testid="decode-cause">{k.cause()}</p>
            <h3>"Fix"</h3>
            <p data-testid="decode-fix">{k.fix()}</p>
        }
        .into_any(),
        None => view! {
            <h2>"Not a message the console knows"</h2>
            <p data-testid="decode-cause">
                "It matches none of the customer-managed key errors the console recognises. The ids it contains are below: open the registry's diagnosis to see whether it can reach its key."
            </p>
        }
        .into_any(),
    };
    let found = decoded.found;
    let registries = found.registries.clone();
    let rows: Vec<(&'static str, Vec<String>)> = vec![
        ("Login servers", found.login_servers),
        ("Key identifiers", found.key_ids),
        ("Key vaults", found.vaults),
        ("User-assigned identities", found.identity_ids),
        ("Other ids (client or principal ids)", found.guids),
    ];
    let has_ids = !registries.is_empty() || rows.iter().any(|(_, v)| !v.is_empty());
    view! {
        <section class="panel decoded" aria-live="polite" data-testid="decode-result" data-kind=kind>
            {explanation}
            <h3>"Registries named"</h3>
            {if registries.is_empty() {
                view! { <p class="muted" data-testid="decode-no-registry">"The message names no registry."</p> }.into_any()
            } else {
                view! {
                    <ul class="decode-registries">
                        {registries.into_iter().map(|r| view! { <li><RegistryLink registry=r /></li> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {has_ids
                .then(|| {
                    view! {
                        <dl class="decode-ids" data-testid="decode-ids">
                            {rows
                                .into_iter()
                                .filter(|(_, v)| !v.is_empty())
                                .map(|(label, values)| {
                                    view! {
                                        <dt>{label}</dt>
                                        {values
                                            .into_iter()
                                            .map(|v| view! { <dd class="mono">{v.clone()} <CopyButton text=v label=label /></dd> })
                                            .collect_view()}
                                    }
                                })
                                .collect_view()}
                        </dl>
                    }
                })}
        </section>
    }
}

/// A link to the registry's diagnosis: at once for a full id, after a lookup for a bare name.
#[component]
fn RegistryLink(registry: RegistryRef) -> impl IntoView {
    match registry {
        RegistryRef::Id(id) => view! { <DiagnosisLink id /> }.into_any(),
        RegistryRef::Name(name) => match SessionStore::expect().client() {
            Some(client) => view! { <LookedUp name client /> }.into_any(),
            None => view! { <span>{format!("Registry '{name}' (sign in to look it up)")}</span> }.into_any(),
        },
    }
}

#[component]
fn DiagnosisLink(id: ResourceId) -> impl IntoView {
    let href = format!("{}#diagnosis-title", routes::registry_page(&id));
    view! {
        <a href=href data-testid="decode-registry-link">
            {format!("Open the diagnosis of {}", id.name)}
        </a>
        <span class="muted">{format!(" (resource group {}, subscription {})", id.resource_group, id.subscription_id)}</span>
    }
}

/// A registry named only by name: every subscription the user can read is searched for it.
#[component]
fn LookedUp(name: String, client: ArmClient) -> impl IntoView {
    let wanted = name.clone();
    let found = LocalResource::new(move || {
        let (client, wanted) = (client.clone(), wanted.clone());
        async move { find_registry(&client, &wanted).await }
    });
    view! {
        <Suspense fallback=move || view! { <span role="status">{format!("Looking for registry '{name}'…")}</span> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(ids) if !ids.is_empty() => ids.into_iter().map(|id| view! { <DiagnosisLink id /> }).collect_view().into_any(),
                    Ok(_) => view! {
                        <span data-testid="decode-registry-missing">
                            "A registry by that name is in none of the subscriptions you can read."
                        </span>
                    }
                    .into_any(),
                    Err(e) => view! { <span class="error-text">{format!("Could not look the registry up: {e}")}</span> }.into_any(),
                }
            })}
        </Suspense>
    }
}

async fn find_registry(client: &ArmClient, name: &str) -> Result<Vec<ResourceId>, crate::arm_client::ClientError> {
    let mut out = Vec::new();
    for subscription in client.subscriptions().await? {
        // A subscription whose registries cannot be listed is skipped: the others may still hold it.
        let Ok(registries) = client.registries(&subscription.subscription_id).await else { continue };
        out.extend(registries.iter().filter(|r| r.name.eq_ignore_ascii_case(name)).filter_map(|r| ResourceId::parse(&r.id)));
    }
    Ok(out)
}
