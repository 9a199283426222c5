//! One registry: overview, its encryption block exactly as ARM returns it, the
//! same in plain words, and the raw ARM JSON.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::encryption::EncryptionSummary;
use acr_cmk_domain::registry::Registry;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use crate::arm_client::{ArmClient, RegistryRead};
use crate::components::error_box::ErrorList;
use crate::components::key_value::KeyValue;
use crate::components::loading::Loading;
use crate::routes;
use crate::session::SessionStore;

#[component]
pub fn RegistryPage() -> impl IntoView {
    let Some(client) = SessionStore::expect().client() else {
        return view! { <Redirect path=routes::SIGN_IN /> }.into_any();
    };
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| ResourceId::registry(&p.get("sub")?, &p.get("rg")?, &p.get("name")?))
    });
    view! {
        {move || match id.get() {
            Some(id) => view! { <RegistryDetails id client=client.clone() /> }.into_any(),
            None => view! {
                <section class="page">
                    <h1>"Not a registry address"</h1>
                    <p>
                        "The address does not name a registry. "
                        <a href=routes::HOME>"Go to the registries"</a>
                    </p>
                </section>
            }
            .into_any(),
        }}
    }
    .into_any()
}

#[component]
fn RegistryDetails(id: ResourceId, client: ArmClient) -> impl IntoView {
    let arm_id = id.to_string();
    let registry = LocalResource::new(move || {
        let client = client.clone();
        let arm_id = arm_id.clone();
        async move { client.registry(&arm_id).await }
    });
    let retry = Callback::new(move |()| registry.refetch());

    view! {
        <section class="page">
            <nav class="breadcrumb" aria-label="Breadcrumb">
                <a href=routes::HOME>"Registries"</a>
                <span aria-hidden="true">" › "</span>
                <span>{id.resource_group.clone()}</span>
                <span aria-hidden="true">" › "</span>
                <span aria-current="page">{id.name.clone()}</span>
            </nav>
            <Transition fallback=move || view! { <Loading what="the registry" /> }>
                <ErrorBoundary fallback=move |errors| view! { <ErrorList errors on_retry=retry /> }>
                    {move || Suspend::new(async move {
                        registry.await.map(|read| view! { <RegistryView read on_refresh=retry /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn RegistryView(read: RegistryRead, on_refresh: Callback<()>) -> impl IntoView {
    let RegistryRead { registry, raw_json } = read;
    view! {
        <header class="page-head">
            <h1 data-testid="registry-name">{registry.name.clone()}</h1>
            <span class="muted">"Container registry"</span>
            <button type="button" class="secondary refresh" on:click=move |_| on_refresh.run(())>
                "Refresh"
            </button>
        </header>
        <Overview registry=registry.clone() />
        <Encryption registry />
        <details class="panel raw">
            <summary>"Raw ARM JSON"</summary>
            <pre data-testid="raw-json" tabindex="0">{raw_json}</pre>
        </details>
    }
}

#[component]
fn Overview(registry: Registry) -> impl IntoView {
    let id = ResourceId::parse(&registry.id);
    let identity_type = Some(registry.identity.as_ref().and_then(|i| i.kind.clone()).unwrap_or_else(|| "None".into()));
    let props = &registry.properties;
    view! {
        <section class="panel" aria-labelledby="overview-title">
            <h2 id="overview-title">"Overview"</h2>
            <dl class="kv">
                <KeyValue label="Resource group" value=id.as_ref().map(|i| i.resource_group.clone()) />
                <KeyValue label="Location" value=Some(registry.location.clone()) />
                <KeyValue label="SKU" field="sku.name" testid="sku" value=Some(registry.sku.name.clone()) />
                <KeyValue label="Identity type" field="identity.type" testid="identity-type" value=identity_type />
                <KeyValue label="Login server" value=props.login_server.clone() copy=true mono=true />
                <KeyValue label="Provisioning state" value=props.provisioning_state.clone() />
                <KeyValue label="Resource id" value=Some(registry.id.clone()) copy=true mono=true />
            </dl>
        </section>
    }
}

/// `properties.encryption` field by field as ARM sent it, then in words.
#[component]
fn Encryption(registry: Registry) -> impl IntoView {
    let summary = EncryptionSummary::of(&registry);
    let encryption = registry.properties.encryption.clone().unwrap_or_default();
    // ARM omits the block on registries that never had one: that is "disabled".
    let status = encryption.status.clone().unwrap_or_else(|| "disabled".to_string());
    let kv = encryption.key_vault_properties.clone().unwrap_or_default();
    let (badge_class, rotation, identity) = match &summary {
        EncryptionSummary::ServiceManaged => (
            "badge off",
            "No customer-managed key: nothing to rotate.".to_string(),
            None,
        ),
        EncryptionSummary::CustomerManaged(cmk) => {
            let rotation = match (&cmk.rotation, &cmk.version_in_use) {
                (acr_cmk_domain::encryption::Rotation::Automatic, Some(v)) => {
                    format!("{}; version in use: {v}", cmk.rotation.describe())
                }
                _ => cmk.rotation.describe(),
            };
            ("badge on", rotation, cmk.identity.as_ref().map(|i| i.describe()))
        }
    };
    view! {
        <section class="panel" aria-labelledby="encryption-title">
            <h2 id="encryption-title">
                "Encryption "
                <span class=badge_class>{if summary == EncryptionSummary::ServiceManaged { "Microsoft-managed key" } else { "Customer-managed key" }}</span>
            </h2>
            <div class="summary">
                <p class="headline">{summary.headline()}</p>
                <p data-testid="rotation-summary">{rotation}</p>
                {identity.map(|who| view! { <p data-testid="identity-summary">{who}</p> })}
            </div>
            <dl class="kv">
                <KeyValue label="Status" field="status" testid="encryption-status" value=Some(status) />
                <KeyValue
                    label="Key identifier"
                    field="keyIdentifier"
                    testid="key-identifier"
                    value=kv.key_identifier.clone()
                    copy=true
                    mono=true
                />
                <KeyValue
                    label="Versioned key identifier"
                    field="versionedKeyIdentifier"
                    testid="versioned-key-identifier"
                    value=kv.versioned_key_identifier.clone()
                    copy=true
                    mono=true
                />
                <KeyValue
                    label="Identity (client id)"
                    field="identity"
                    testid="key-identity"
                    value=kv.identity.clone()
                    copy=true
                    mono=true
                />
                <KeyValue
                    label="Key rotation enabled"
                    field="keyRotationEnabled"
                    testid="key-rotation-enabled"
                    value=kv.key_rotation_enabled.map(|b| b.to_string())
                />
                <KeyValue
                    label="Last key rotation"
                    field="lastKeyRotationTimestamp"
                    testid="last-key-rotation"
                    value=kv.last_key_rotation_timestamp.clone()
                />
            </dl>
        </section>
    }
}
