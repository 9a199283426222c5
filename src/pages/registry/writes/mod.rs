//! The registry page's writes, shown only in write mode (read-only is the
//! default): rotate the key ([`rotate`]), change identities ([`identity`]),
//! revoke or restore key access ([`revoke`]), the firewall sequence
//! ([`firewall`]). Each plans with `acr_cmk_domain::writes` and runs through
//! the one write [`flow`]; [`key_access`] reads what access writes plan from. Each sits
//! behind `caller_access::Permitted`: a write the user may not make says what is missing instead.

pub mod firewall;
pub mod flow;
mod identity;
pub(crate) mod key_access;
mod revoke;
mod rotate;

use acr_cmk_domain::permissions::{actions, firewall_needs, Need};
use acr_cmk_domain::registry::Registry;
use leptos::prelude::*;

use super::caller_access::Permitted;
use crate::i18n::catalogue::writes as words;
use crate::i18n::tr;
use crate::write_mode::WriteMode;
use firewall::FirewallSequence;
use identity::IdentityActions;
use revoke::RevokeRestore;
use rotate::RotateKeyButton;

#[component]
pub fn RegistryWrites(
    registry: Registry,
    /// Reads the registry and its diagnosis again after a write.
    on_refresh: Callback<()>,
) -> impl IntoView {
    let mode = WriteMode::expect();
    let cmk = registry.properties.encryption.as_ref().is_some_and(|e| e.is_enabled());
    view! {
        <section class="panel writes" aria-labelledby="writes-title" data-testid="writes-panel">
            <h2 id="writes-title">{tr(words::CHANGES)}</h2>
            <Show
                when=move || mode.is_on()
                fallback=|| view! {
                    <p class="muted" data-testid="read-only-note">
                        {tr(words::READ_ONLY_NOTE)}
                    </p>
                }
            >
                {
                    let registry = registry.clone();
                    // The verbs' code is a wasm chunk of its own, fetched the first time write mode is on. A
                    // Transition, not a Suspense: the dialogs' own reads (vaults, keys) must not blank the
                    // verbs, and the open dialog with them, while they load.
                    move || {
                        let verbs = write_verbs(registry.clone(), on_refresh, cmk);
                        view! { <Transition>{Suspend::new(verbs)}</Transition> }
                    }
                }
            </Show>
        </section>
    }
}

/// The write verbs (rotate, identity, key access, firewall), each behind its permission gate: most
/// registry visits are read-only (the default), so their code is a lazily loaded wasm chunk (issue 14;
/// `#[lazy]`, split out by scripts/build_split.sh). What they share with the diagnosis' fixes (the
/// write [`flow`], the [`firewall`] sequence) stays in the main module.
#[lazy]
fn write_verbs(registry: Registry, on_refresh: Callback<()>, cmk: bool) -> AnyView {
    // Each gate re-renders its write when the permissions arrive: each keeps its own copy.
    let (rotate, identity, access, firewall) = (registry.clone(), registry.clone(), registry.clone(), registry);
    view! {
        <div class="write-verbs">
            {cmk.then(|| view! {
                <div class="rotate-actions">
                    <h3>{tr(words::KEY)}</h3>
                    <Permitted needs=vec![Need::registry(actions::REGISTRY_WRITE)] testid="rotate">
                        <RotateKeyButton registry=rotate.clone() on_refresh />
                    </Permitted>
                </div>
            })}
            <Permitted needs=vec![Need::registry(actions::REGISTRY_WRITE)] testid="identity">
                <IdentityActions registry=identity.clone() on_refresh />
            </Permitted>
            {cmk.then(|| view! {
                <Permitted needs=Vec::new() key_access=true testid="key-access">
                    <RevokeRestore registry=access.clone() on_refresh />
                </Permitted>
            })}
            {cmk.then(|| view! {
                <Permitted needs=firewall_needs() testid="firewall">
                    <FirewallSequence registry=firewall.clone() on_refresh />
                </Permitted>
            })}
        </div>
    }
    .into_any()
}
