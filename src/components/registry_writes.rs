//! The registry page's write panel: every verb, shown only in write mode
//! (read-only is the default). Mounted by the registry page with one line.

use leptos::prelude::*;

use acr_cmk_domain::registry::Registry;

use super::firewall_sequence::FirewallSequence;
use super::identity_actions::IdentityActions;
use super::revoke_dialog::RevokeRestore;
use super::rotate_dialog::RotateKeyButton;
use super::write_mode::WriteMode;

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
            <h2 id="writes-title">"Changes"</h2>
            <Show
                when=move || mode.is_on()
                fallback=|| view! {
                    <p class="muted" data-testid="read-only-note">
                        "Read-only. Switch on write mode in the header to rotate the key, change identities or revoke access."
                    </p>
                }
            >
                {
                    let registry = registry.clone();
                    move || {
                        let registry = registry.clone();
                        view! {
                            <div class="write-verbs">
                                {cmk.then(|| view! {
                                    <div class="rotate-actions">
                                        <h3>"Key"</h3>
                                        <RotateKeyButton registry=registry.clone() on_refresh />
                                    </div>
                                })}
                                <IdentityActions registry=registry.clone() on_refresh />
                                {cmk.then(|| view! { <RevokeRestore registry=registry.clone() on_refresh /> })}
                                {cmk.then(|| view! { <FirewallSequence registry=registry.clone() on_refresh /> })}
                            </div>
                        }
                    }
                }
            </Show>
        </section>
    }
}
