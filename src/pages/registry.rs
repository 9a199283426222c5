//! One registry: its encryption in words a helpdesk can read, the key-access
//! diagnosis (verdict, chain diagram, ordered checks), its identities, the
//! overview, and the raw ARM JSON one click away.
//!
//! The registry is read first and shown at once; the diagnosis reads (vault,
//! key versions, identity, role assignments) follow and fill in their panels.
//! Write dialogs find what they need in [`RegistryContext`] and mount their
//! buttons in the `data-slot` containers of each panel.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::diagnosis::{diagnose, IdentityKind, ResolvedIdentity, Snapshot};
use acr_cmk_domain::encryption::{EncryptionSummary, Rotation};
use acr_cmk_domain::registry::Registry;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use crate::arm_client::{ArmClient, RegistryRead};
use crate::components::diagnosis::DiagnosisPanel;
use crate::components::error_box::ErrorList;
use crate::components::identities::IdentitiesPanel;
use crate::components::key_value::KeyValue;
use crate::components::loading::Loading;
use crate::components::registry_writes::RegistryWrites;
use crate::routes;
use crate::session::SessionStore;

#[component]
pub fn RegistryPage() -> impl IntoView {
    let Some(client) = SessionStore::expect().client() else {
        return view! { <Redirect path=routes::SIGN_IN /> }.into_any();
    };
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| ResourceId::registry(&p.get("sub")?, &p.get("rg")?, &p.get("name")?)));
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
    let client_for_view = client.clone();
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
                    {move || {
                        let client = client_for_view.clone();
                        Suspend::new(async move {
                        registry
                            .await
                            .map(|read| view! { <RegistryView read client on_refresh=retry /> })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// What the registry page knows, for the write dialogs mounted on it.
#[derive(Clone)]
pub struct RegistryContext {
    pub client: ArmClient,
    /// The registry as last read.
    pub registry: Registry,
    /// Re-reads the registry, which re-runs the diagnosis (call after a write).
    pub refresh: Callback<()>,
    /// The diagnosis snapshot of the current key, once its reads are done.
    #[allow(dead_code)] // For dialogs that need the vault or key versions already read.
    pub snapshot: Signal<Option<Snapshot>>,
}

#[component]
fn RegistryView(read: RegistryRead, client: ArmClient, on_refresh: Callback<()>) -> impl IntoView {
    let RegistryRead { registry, raw_json, attempts } = read;
    let snapshot = {
        let (client, registry) = (client.clone(), registry.clone());
        LocalResource::new(move || {
            let (client, registry) = (client.clone(), registry.clone());
            async move { client.load_diagnosis_snapshot(&registry).await }
        })
    };
    let loaded = Signal::derive(move || snapshot.get());
    provide_context(RegistryContext { client, registry: registry.clone(), refresh: on_refresh, snapshot: loaded });
    let encrypting = Signal::derive(move || loaded.with(|s| s.as_ref().and_then(Snapshot::identity)));
    let system_client_id = Signal::derive(move || {
        loaded
            .with(|s| s.as_ref().and_then(|s| s.system_identity.found().map(|i| i.properties.client_id.clone())).filter(|c| !c.is_empty()))
    });
    let retried = (attempts > 1).then(|| {
        let times = attempts - 1;
        view! {
            <p class="notice" role="status" data-testid="read-retried">
                {format!(
                    "ARM was busy or failed {times} time{}; the console retried and this is its answer.",
                    if times == 1 { "" } else { "s" },
                )}
            </p>
        }
    });

    view! {
        <header class="page-head">
            <h1 data-testid="registry-name">{registry.name.clone()}</h1>
            <span class="muted">"Container registry"</span>
            <div class="page-actions" data-slot="page-actions"></div>
            <button type="button" class="secondary refresh" data-testid="refresh" on:click=move |_| on_refresh.run(())>
                "Refresh"
            </button>
        </header>
        {retried}
        <Transition fallback=move || view! { <Loading what="the key-access diagnosis" /> }>
            {move || Suspend::new(async move {
                let snapshot = snapshot.await;
                let diagnosis = diagnose(&snapshot);
                view! { <DiagnosisPanel diagnosis snapshot id="diagnosis" /> }
            })}
        </Transition>
        <div class="columns">
            <Encryption registry=registry.clone() encrypting />
            <IdentitiesPanel registry=registry.clone() system_client_id encrypting />
        </div>
        <RegistryWrites registry=registry.clone() on_refresh />
        <Overview registry=registry.clone() />
        <details class="panel raw">
            <summary>"Raw ARM JSON"</summary>
            <pre data-testid="raw-json" tabindex="0" aria-label="The registry as ARM returned it">{raw_json}</pre>
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

/// The encryption status in words, then `properties.encryption` field by field as ARM sent it.
#[component]
fn Encryption(registry: Registry, #[prop(into)] encrypting: Signal<Option<ResolvedIdentity>>) -> impl IntoView {
    let summary = EncryptionSummary::of(&registry);
    let encryption = registry.properties.encryption.clone().unwrap_or_default();
    // ARM omits the block on registries that never had one: that is "disabled".
    let status = encryption.status.clone().unwrap_or_else(|| "disabled".to_string());
    let kv = encryption.key_vault_properties.clone().unwrap_or_default();
    let cmk = match &summary {
        EncryptionSummary::ServiceManaged => None,
        EncryptionSummary::CustomerManaged(cmk) => Some(cmk.clone()),
    };
    let rotation = match &cmk {
        None => "No customer-managed key: nothing to rotate.".to_string(),
        Some(cmk) => match (&cmk.rotation, &cmk.version_in_use) {
            (Rotation::Automatic, Some(v)) => format!("{}; version in use: {v}", cmk.rotation.describe()),
            _ => cmk.rotation.describe(),
        },
    };
    let identity_words = cmk.as_ref().and_then(|c| c.identity.as_ref()).map(|i| i.describe());
    let key = cmk.as_ref().and_then(|c| c.key.clone());
    let version_in_use = cmk.as_ref().and_then(|c| c.version_in_use.clone());
    let last_rotation = cmk
        .as_ref()
        .map(|c| c.last_rotation.clone().unwrap_or_else(|| "Never rotated since encryption was enabled (not reported).".into()));
    let is_cmk = cmk.is_some();
    // The principal id comes from the resolved identity (the diagnosis reads), or the registry's block.
    let principal = move || encrypting.get().and_then(|i| i.principal_id);
    let identity_kind = move || {
        encrypting.get().map(|i| match i.kind {
            IdentityKind::System => "System-assigned".to_string(),
            IdentityKind::User { name: Some(n), .. } => format!("User-assigned: {n}"),
            IdentityKind::User { name: None, .. } => "User-assigned (not attached to the registry)".to_string(),
        })
    };

    view! {
        <section class="panel" aria-labelledby="encryption-title" data-testid="encryption">
            <div class="panel-head">
                <h2 id="encryption-title">
                    "Encryption "
                    <span class=if is_cmk { "badge on" } else { "badge off" } data-testid="encryption-kind">
                        {if is_cmk { "Customer-managed key" } else { "Microsoft-managed key" }}
                    </span>
                </h2>
                <div class="panel-actions" data-slot="encryption-actions"></div>
            </div>
            <div class="summary">
                <p class="headline" data-testid="encryption-headline">{summary.headline()}</p>
                <p data-testid="rotation-summary">{rotation}</p>
                {identity_words.map(|who| view! { <p data-testid="identity-summary">{who}</p> })}
            </div>
            <dl class="kv">
                <KeyValue label="Status" field="status" testid="encryption-status" value=Some(status) />
                {is_cmk
                    .then(|| {
                        view! {
                            <KeyValue label="Key vault" testid="vault-name" value=key.as_ref().map(|k| k.vault_name().to_string()) />
                            <KeyValue label="Key" testid="key-name" value=key.as_ref().map(|k| k.name.clone()) />
                            <KeyValue label="Version in use" testid="version-in-use" value=version_in_use.clone() copy=true mono=true />
                            <KeyValue label="Last rotation" testid="last-rotation-words" value=last_rotation.clone() />
                            {move || view! { <KeyValue label="Identity" testid="identity-kind" value=identity_kind() /> }}
                            {move || {
                                view! {
                                    <KeyValue
                                        label="Identity principal id"
                                        testid="identity-principal"
                                        value=principal()
                                        copy=true
                                        mono=true
                                    />
                                }
                            }}
                        }
                    })}
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
