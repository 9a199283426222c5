//! Read-only by default: writes need the user to switch to write mode (in the
//! header). The switch resets on every sign-in and sign-out. The same context
//! remembers, for the session only (memory, never storage), what each revoke
//! removed, so Restore can put exactly that back.

use acr_cmk_domain::writes::access_grant::RemovedAccess;
use leptos::prelude::*;

use crate::session::SessionStore;

/// One revoke's record: the registry it was for and what it removed.
#[derive(Clone, Debug, PartialEq)]
pub struct Revoked {
    pub registry_id: String,
    pub removed: Vec<RemovedAccess>,
}

#[derive(Clone, Copy)]
pub struct WriteMode {
    enabled: RwSignal<bool>,
    revoked: RwSignal<Vec<Revoked>>,
}

impl WriteMode {
    /// Creates the context (read-only) and resets it whenever the session changes.
    pub fn provide() -> WriteMode {
        let mode = WriteMode { enabled: RwSignal::new(false), revoked: RwSignal::new(Vec::new()) };
        provide_context(mode);
        let session = SessionStore::expect();
        // Signing in or out (another user, another endpoint) drops write mode and the restore records.
        Effect::watch(
            move || session.get().map(|s| (s.endpoint, s.token.secret)),
            move |_, _, _| {
                mode.enabled.set(false);
                mode.revoked.set(Vec::new());
            },
            false,
        );
        mode
    }

    pub fn expect() -> WriteMode {
        expect_context::<WriteMode>()
    }

    /// Tracked.
    pub fn is_on(&self) -> bool {
        self.enabled.get()
    }

    pub fn set(&self, on: bool) {
        self.enabled.set(on);
    }

    pub fn remember(&self, revoked: Revoked) {
        self.revoked.update(|list| {
            list.retain(|r| !acr_cmk_domain::arm::same_id(&r.registry_id, &revoked.registry_id));
            list.push(revoked);
        });
    }

    /// Tracked: what the last revoke on this registry removed.
    pub fn revoked_for(&self, registry_id: &str) -> Option<Revoked> {
        self.revoked.with(|list| list.iter().find(|r| acr_cmk_domain::arm::same_id(&r.registry_id, registry_id)).cloned())
    }

    pub fn forget(&self, registry_id: &str) {
        self.revoked.update(|list| list.retain(|r| !acr_cmk_domain::arm::same_id(&r.registry_id, registry_id)));
    }
}

/// The header's switch: a labelled checkbox styled as a toggle, visible while signed in.
#[component]
pub fn WriteModeSwitch() -> impl IntoView {
    let mode = WriteMode::expect();
    view! {
        <label class=move || if mode.is_on() { "write-mode on" } else { "write-mode" }>
            <input
                type="checkbox"
                role="switch"
                data-testid="write-mode"
                prop:checked=move || mode.is_on()
                aria-describedby="write-mode-state"
                on:change=move |ev| mode.set(event_target_checked(&ev))
            />
            <span>"Write mode"</span>
            <span id="write-mode-state" class="write-mode-state">
                {move || if mode.is_on() { "on: changes allowed" } else { "off: read-only" }}
            </span>
        </label>
    }
}
