//! The encryption panel: the status in words a helpdesk can read (customer- or
//! Microsoft-managed key, rotation, the encrypting identity), then
//! `properties.encryption` field by field as ARM sent it. A registry without CMK
//! gets the way out (a link to the creation flow pre-filled from it, whose chunk
//! holds the rest: the pre-fill and the image-copy script).

use acr_cmk_domain::diagnosis::{IdentityKind, ResolvedIdentity};
use acr_cmk_domain::encryption::{EncryptionSummary, Rotation};
use acr_cmk_domain::registry::Registry;
use leptos::prelude::*;

use crate::components::key_value::KeyValue;
use crate::i18n::catalogue::registry as words;
use crate::i18n::{tr, Locale};
use crate::routes;

/// The encryption status in words, then `properties.encryption` field by field as ARM sent it.
#[component]
pub fn Encryption(
    registry: Registry,
    /// The identity that reaches the key, as the diagnosis reads resolved it.
    #[prop(into)]
    encrypting: Signal<Option<ResolvedIdentity>>,
    /// The diagnosis reads are back (until then the identity rows say "Reading…").
    #[prop(into)]
    diagnosed: Signal<bool>,
) -> impl IntoView {
    let locale = Locale::expect();
    let summary = EncryptionSummary::of(&registry);
    let encryption = registry.properties.encryption.clone().unwrap_or_default();
    // ARM omits the block on registries that never had one: that is "disabled".
    let status = encryption.status.clone().unwrap_or_else(|| "disabled".to_string());
    let kv = encryption.key_vault_properties.clone().unwrap_or_default();
    let cmk = match &summary {
        EncryptionSummary::ServiceManaged => None,
        EncryptionSummary::CustomerManaged(cmk) => Some(cmk.clone()),
    };
    let rotation = {
        let cmk = cmk.clone();
        move || {
            let lang = locale.get();
            match &cmk {
                None => words::NOTHING_TO_ROTATE.get(lang).to_string(),
                Some(cmk) => match (&cmk.rotation, &cmk.version_in_use) {
                    (Rotation::Automatic, Some(v)) => {
                        words::ROTATION_WITH_VERSION.fill(lang, &[("rotation", &cmk.rotation.describe_in(lang)), ("version", v)])
                    }
                    _ => cmk.rotation.describe_in(lang),
                },
            }
        }
    };
    let identity_words = cmk.as_ref().and_then(|c| c.identity.clone()).map(|i| move || i.describe_in(locale.get()));
    let key = cmk.as_ref().and_then(|c| c.key.clone());
    let version_in_use = cmk.as_ref().and_then(|c| c.version_in_use.clone());
    let reported = cmk.as_ref().map(|c| c.last_rotation.clone());
    let last_rotation =
        Signal::derive(move || reported.clone().map(|r| r.unwrap_or_else(|| words::NEVER_ROTATED.get(locale.get()).into())));
    let is_cmk = cmk.is_some();
    let way_out = (!is_cmk).then(|| routes::create_from(&registry.id));
    // The principal id comes from the resolved identity (the diagnosis reads), or the registry's block.
    let principal = move || encrypting.get().and_then(|i| i.principal_id);
    let identity_kind = move || {
        let lang = locale.get();
        encrypting.get().map(|i| match i.kind {
            IdentityKind::System => words::SYSTEM_ASSIGNED.get(lang).to_string(),
            IdentityKind::User { name: Some(n), .. } => words::USER_ASSIGNED_NAMED.fill(lang, &[("name", &n)]),
            IdentityKind::User { name: None, .. } => words::USER_NOT_ATTACHED.get(lang).to_string(),
        })
    };

    view! {
        <section class="panel" aria-labelledby="encryption-title" data-testid="encryption">
            <div class="panel-head">
                <h2 id="encryption-title">
                    {tr(words::ENCRYPTION)}
                    " "
                    <span class=if is_cmk { "badge on" } else { "badge off" } data-testid="encryption-kind">
                        {tr(if is_cmk { words::CUSTOMER_MANAGED } else { words::MICROSOFT_MANAGED })}
                    </span>
                </h2>
            </div>
            <div class="summary">
                <p class="headline" data-testid="encryption-headline">{move || summary.headline_in(locale.get())}</p>
                <p data-testid="rotation-summary">{rotation}</p>
                {identity_words.map(|who| view! { <p data-testid="identity-summary">{who}</p> })}
                {way_out.map(|href| view! {
                    <div class="notice" data-testid="cmk-way-out">
                        <p>{tr(words::NO_CMK_WAY_OUT)}</p>
                        <a class="button" href=href data-testid="cmk-way-out-create">{tr(words::CREATE_CMK_FROM_THIS)}</a>
                    </div>
                })}
            </div>
            <dl class="kv">
                <KeyValue label=words::STATUS field="status" testid="encryption-status" value=Some(status) />
                {is_cmk
                    .then(|| {
                        view! {
                            <KeyValue label=words::KEY_VAULT testid="vault-name" value=key.as_ref().map(|k| k.vault_name().to_string()) />
                            <KeyValue label=words::KEY testid="key-name" value=key.as_ref().map(|k| k.name.clone()) />
                            <KeyValue label=words::VERSION_IN_USE testid="version-in-use" value=version_in_use.clone() copy=true mono=true />
                            <KeyValue label=words::LAST_ROTATION testid="last-rotation-words" value=last_rotation.clone() />
                            {move || {
                                view! { <KeyValue label=words::IDENTITY testid="identity-kind" value=identity_kind() reading=!diagnosed.get() /> }
                            }}
                            {move || {
                                view! {
                                    <KeyValue
                                        label=words::IDENTITY_PRINCIPAL
                                        testid="identity-principal"
                                        value=principal()
                                        copy=true
                                        mono=true
                                        reading=!diagnosed.get()
                                    />
                                }
                            }}
                        }
                    })}
                <KeyValue
                    label=words::KEY_IDENTIFIER
                    field="keyIdentifier"
                    testid="key-identifier"
                    value=kv.key_identifier.clone()
                    copy=true
                    mono=true
                />
                <KeyValue
                    label=words::VERSIONED_KEY_IDENTIFIER
                    field="versionedKeyIdentifier"
                    testid="versioned-key-identifier"
                    value=kv.versioned_key_identifier.clone()
                    copy=true
                    mono=true
                />
                <KeyValue
                    label=words::IDENTITY_CLIENT
                    field="identity"
                    testid="key-identity"
                    value=kv.identity.clone()
                    copy=true
                    mono=true
                />
                <KeyValue
                    label=words::KEY_ROTATION_ENABLED
                    field="keyRotationEnabled"
                    testid="key-rotation-enabled"
                    value=kv.key_rotation_enabled.map(|b| b.to_string())
                />
                <KeyValue
                    label=words::LAST_KEY_ROTATION
                    field="lastKeyRotationTimestamp"
                    testid="last-key-rotation"
                    value=kv.last_key_rotation_timestamp.clone()
                />
            </dl>
        </section>
    }
}
