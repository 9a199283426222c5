//! A registry's managed identities: the system-assigned one (on or off, its
//! principal id, and its client id from `identities/default`) and the
//! user-assigned ones (name, client id, principal id), marking the one that
//! reaches the key, one whose resource was deleted, and an encrypting identity
//! the registry no longer has attached. A legend says which id which API names
//! (the registry's encryption setting: client id; access policies and role
//! assignments: principal id), the mix-up the seeds themselves make.

use acr_cmk_domain::diagnosis::{IdentityKind, ResolvedIdentity};
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::text::Text;
use leptos::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::i18n::catalogue::{registry as words, shell};
use crate::i18n::{tr, Locale};

/// The registry's identities; `system_client_id` and `encrypting` arrive with the
/// diagnosis reads (`None` until then).
#[component]
pub fn IdentitiesPanel(
    registry: Registry,
    #[prop(into)] system_client_id: Signal<Option<String>>,
    #[prop(into)] encrypting: Signal<Option<ResolvedIdentity>>,
    /// The encrypting user-assigned identity's resource was not found (deleted, still attached).
    #[prop(into)]
    encrypting_deleted: Signal<bool>,
    /// The diagnosis reads are back (until then the system identity's client id says "Reading…").
    #[prop(into)]
    diagnosed: Signal<bool>,
) -> impl IntoView {
    let locale = Locale::expect();
    let block = registry.identity.clone().unwrap_or_default();
    let kinds = block.kinds();
    let system_on = kinds.system;
    let system_principal = block.principal_id.clone().filter(|_| system_on);
    let users: Vec<(String, String, Option<String>, Option<String>)> = block
        .user_assigned_identities
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|(id, p)| {
            let name = id.rsplit('/').next().unwrap_or(&id).to_string();
            (id, name, p.client_id, p.principal_id)
        })
        .collect();
    let system_encrypts = move || encrypting.get().is_some_and(|i| i.kind == IdentityKind::System);
    let user_encrypts = move |id: &str| {
        encrypting
            .get()
            .is_some_and(|i| matches!(&i.kind, IdentityKind::User { resource_id: Some(r), .. } if r.eq_ignore_ascii_case(id)) && i.attached)
    };
    // The encrypting identity when it is a user-assigned one the registry does not have attached (found
    // among the subscription's identities, or known only by its client id).
    let detached = move || encrypting.get().filter(|i| !i.attached && !i.is_system());

    view! {
        <section class="panel identities" aria-labelledby="identities-title" data-testid="identities">
            <div class="panel-head">
                <h2 id="identities-title">{tr(words::IDENTITIES)}</h2>
            </div>
            <p class="help" data-testid="identity-ids-legend">{tr(words::IDS_LEGEND)}</p>
            <h3>{tr(words::SYSTEM_ASSIGNED)}</h3>
            <div class="system-identity" data-testid="system-identity" data-state=if system_on { "on" } else { "off" }>
                <p>
                    <span class=if system_on { "badge on" } else { "badge off" } data-testid="system-identity-state">
                        {tr(if system_on { words::ON } else { words::OFF })}
                    </span>
                    {move || system_encrypts().then(|| view! { <span class="badge key-badge">{tr(words::ENCRYPTING_IDENTITY)}</span> })}
                </p>
                {if system_on {
                    view! {
                        <dl class="kv compact">
                            <IdRow label=words::PRINCIPAL_OBJECT_ID testid="system-identity-principal" value=system_principal.clone() />
                            {move || {
                                view! {
                                    <IdRow
                                        label=words::CLIENT_APPLICATION_ID
                                        testid="system-identity-client"
                                        value=system_client_id.get()
                                        reading=!diagnosed.get()
                                    />
                                }
                            }}
                        </dl>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="help">
                            {tr(words::SYSTEM_OFF_HELP)}
                        </p>
                    }
                        .into_any()
                }}
            </div>
            <h3>{tr(words::USER_ASSIGNED)}</h3>
            {if users.is_empty() {
                view! { <p class="empty" data-testid="no-user-identities">{tr(words::NO_USER_IDENTITIES)}</p> }
                    .into_any()
            } else {
                view! {
                    <ul class="identity-list-read" aria-label=tr(words::USER_IDENTITIES_LIST)>
                        {users
                            .into_iter()
                            .map(|(id, name, client, principal)| {
                                let (id_for_badge, id_for_deleted) = (id.clone(), id.clone());
                                view! {
                                    <li class="identity-item" data-testid="user-identity">
                                        <p class="identity-name">
                                            <span class="mono" data-testid="user-identity-name" title=id.clone()>{name.clone()}</span>
                                            {move || {
                                                user_encrypts(&id_for_badge)
                                                    .then(|| view! { <span class="badge key-badge">{tr(words::ENCRYPTING_IDENTITY)}</span> })
                                            }}
                                            {move || {
                                                (user_encrypts(&id_for_deleted) && encrypting_deleted.get())
                                                    .then(|| view! { <span class="badge bad" data-testid="user-identity-deleted">{tr(words::IDENTITY_DELETED)}</span> })
                                            }}
                                            <CopyButton text=id.clone() label=locale.fill(words::RESOURCE_ID_OF, &[("name", &name)]) />
                                        </p>
                                        <dl class="kv compact">
                                            <div class="kv-row">
                                                <dt>{tr(words::CLIENT_ID)}</dt>
                                                <dd><IdText value=client label=locale.fill(words::CLIENT_ID_OF, &[("name", &name)]) testid="user-identity-client" /></dd>
                                            </div>
                                            <div class="kv-row">
                                                <dt>{tr(words::PRINCIPAL_ID)}</dt>
                                                <dd><IdText value=principal label=locale.fill(words::PRINCIPAL_ID_OF, &[("name", &name)]) testid="user-identity-principal" /></dd>
                                            </div>
                                        </dl>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {move || detached().map(|identity| view! { <DetachedIdentity identity /> })}
        </section>
    }
}

/// The identity the encryption setting names but the registry does not have attached: what it is, so the
/// user can attach it again (the diagnosis offers that) or knows it is gone.
#[component]
fn DetachedIdentity(identity: ResolvedIdentity) -> impl IntoView {
    let (resource_id, name) = match identity.kind {
        IdentityKind::User { resource_id, name } => (resource_id, name),
        IdentityKind::System => (None, None),
    };
    let known = resource_id.is_some();
    view! {
        <h3>{tr(words::DETACHED_TITLE)}</h3>
        <div class="identity-item detached" data-testid="detached-identity">
            <p class="help">{tr(if known { words::DETACHED_FOUND } else { words::DETACHED_UNKNOWN })}</p>
            <dl class="kv compact">
                <IdRow label=words::NAME testid="detached-identity-name" value=name />
                <IdRow label=words::RESOURCE_ID testid="detached-identity-id" value=resource_id />
                <IdRow label=words::CLIENT_ID testid="detached-identity-client" value=identity.client_id />
                <IdRow label=words::PRINCIPAL_ID testid="detached-identity-principal" value=identity.principal_id />
            </dl>
        </div>
    }
}

#[component]
fn IdRow(
    label: Text,
    testid: &'static str,
    value: Option<String>,
    /// The value comes from a read still under way.
    #[prop(optional)]
    reading: bool,
) -> impl IntoView {
    view! {
        <div class="kv-row">
            <dt>{tr(label)}</dt>
            <dd><IdText value label testid reading /></dd>
        </div>
    }
}

/// An id in monospace with its copy button, or "(not set)" ("Reading…" while `reading`).
#[component]
fn IdText(
    value: Option<String>,
    #[prop(into)] label: crate::i18n::Words,
    testid: &'static str,
    #[prop(optional)] reading: bool,
) -> impl IntoView {
    match value {
        Some(v) => view! {
            <span class="value mono" data-testid=testid>{v.clone()}</span>
            <CopyButton text=v label />
        }
        .into_any(),
        None => {
            let blank = if reading { shell::READING } else { shell::NOT_SET };
            view! { <span class="value unset" data-testid=testid>{tr(blank)}</span> }.into_any()
        }
    }
}
