//! The error decoder page: paste a message from a ticket, read what it means,
//! the fix in the seed's terms, and open the diagnosis of the registry it names.
//! Recognising and reading ids is `acr_cmk_domain::decoder`; a registry named
//! only by name or login server is looked up in the subscriptions the user can read.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::decoder::{decode, Decoded, RegistryRef};
use acr_cmk_domain::text::Text;
use leptos::prelude::*;

use crate::arm_client::ArmClient;
use crate::components::copy_button::CopyButton;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::decode as words;
use crate::i18n::{tr, Locale};
use crate::routes;
use crate::session::SessionStore;

/// What the router shows at `/decode`: the page, whose code is a wasm chunk of its own, fetched on the
/// first visit (issue 14: a first visit to a registry does not need it). `#[lazy]` marks the split point; scripts/build_split.sh splits it out. The
/// route's `Transition` shows nothing until the chunk has come and the page is built, so it appears whole.
pub fn decode_route() -> AnyView {
    crate::lazy_route::view(decode_page())
}

#[lazy]
pub(crate) fn decode_page() -> AnyView {
    view! { <DecodePage /> }.into_any()
}

#[component]
pub fn DecodePage() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let decoded = Memo::new(move |_| text.with(|t| (!t.trim().is_empty()).then(|| decode(t))));
    view! {
        <section class="page decode">
            <h1>{tr(words::TITLE)}</h1>
            <p class="help">
                {tr(words::HELP)}
            </p>
            <label for="decode-input">{tr(words::ERROR_MESSAGE)}</label>
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
            <h2>{tr(k.title())}</h2>
            <h3>{tr(words::CAUSE)}</h3>
            <p data-testid="decode-cause">{tr(k.cause())}</p>
            <h3>{tr(words::FIX)}</h3>
            <p data-testid="decode-fix">{tr(k.fix())}</p>
        }
        .into_any(),
        None => view! {
            <h2>{tr(words::UNKNOWN_TITLE)}</h2>
            <p data-testid="decode-cause">{tr(words::UNKNOWN_TEXT)}</p>
        }
        .into_any(),
    };
    let found = decoded.found;
    let registries = found.registries.clone();
    let rows: Vec<(Text, Vec<String>)> = vec![
        (words::LOGIN_SERVERS, found.login_servers),
        (words::KEY_IDS, found.key_ids),
        (words::KEY_VAULTS, found.vaults),
        (words::USER_IDENTITIES, found.identity_ids),
        (words::OTHER_IDS, found.guids),
    ];
    let has_ids = !registries.is_empty() || rows.iter().any(|(_, v)| !v.is_empty());
    view! {
        <section class="panel decoded" aria-live="polite" data-testid="decode-result" data-kind=kind>
            {explanation}
            <h3>{tr(words::REGISTRIES_NAMED)}</h3>
            {if registries.is_empty() {
                view! { <p class="muted" data-testid="decode-no-registry">{tr(words::NO_REGISTRY)}</p> }.into_any()
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
                                        <dt>{tr(label)}</dt>
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
            None => view! { <span>{move || Locale::expect().fill(words::SIGN_IN_TO_LOOK_UP, &[("name", &name)])}</span> }.into_any(),
        },
    }
}

#[component]
fn DiagnosisLink(id: ResourceId) -> impl IntoView {
    let href = format!("{}#diagnosis-title", routes::registry_page(&id));
    let locale = Locale::expect();
    let name = id.name.clone();
    let (group, subscription) = (id.resource_group.clone(), id.subscription_id.clone());
    view! {
        <a href=href data-testid="decode-registry-link">
            {move || locale.fill(words::OPEN_DIAGNOSIS, &[("name", &name)])}
        </a>
        <span class="muted">{move || locale.fill(words::WHERE, &[("group", &group), ("subscription", &subscription)])}</span>
    }
}

/// A registry named only by name: every subscription the user can read is searched for it.
#[component]
fn LookedUp(name: String, client: ArmClient) -> impl IntoView {
    let wanted = name.clone();
    let locale = Locale::expect();
    let found = ErasedResource::new(move || {
        let (client, wanted) = (client.clone(), wanted.clone());
        async move { find_registry(&client, &wanted).await }
    });
    view! {
        <Suspense fallback=move || view! { <span role="status">{locale.fill(words::LOOKING_FOR, &[("name", &name)])}</span> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(ids) if !ids.is_empty() => ids.into_iter().map(|id| view! { <DiagnosisLink id /> }).collect_view().into_any(),
                    Ok(_) => view! {
                        <span data-testid="decode-registry-missing">
                            {tr(words::NOT_IN_ANY)}
                        </span>
                    }
                    .into_any(),
                    Err(e) => view! { <span class="error-text">{locale.fill(words::LOOKUP_FAILED, &[("error", &e.to_string())])}</span> }.into_any(),
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
