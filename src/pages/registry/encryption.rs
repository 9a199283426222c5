//! The encryption panel: the status in words a helpdesk can read (customer- or
//! Microsoft-managed key, rotation, the encrypting identity), then
//! `properties.encryption` field by field as ARM sent it.

use acr_cmk_domain::diagnosis::{IdentityKind, ResolvedIdentity};
use acr_cmk_domain::encryption::{EncryptionSummary, Rotation};
use acr_cmk_domain::registry::Registry;
use leptos::prelude::*;

use crate::components::key_value::KeyValue;

/// The encryption status in words, then `properties.encryption` field by field as ARM sent it.
#[component]
pub fn Encryption(registry: Registry, #[prop(into)] encrypting: Signal<Option<ResolvedIdentity>>) -> impl IntoView {
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
