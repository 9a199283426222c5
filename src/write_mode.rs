//! Read-only by default: writes need the user to switch to write mode (in the
//! header). The same context keeps, per registry, what each revoke removed, so
//! Restore can put exactly that back.
//!
//! Both belong to the **sign-in**, not to the token: a silent refresh (a new
//! token for the same user) changes neither; signing out, or another user
//! (tenant + object id) or endpoint signing in, resets them. The restore
//! records are also kept in this tab's `sessionStorage` (ids and permissions,
//! no secret), so they survive a reload and the Entra sign-in-again redirect;
//! they are dropped when someone else signs in, and on sign-out.

use crate::i18n::catalogue::shell;
use crate::i18n::tr;
use acr_cmk_domain::writes::access_grant::RemovedAccess;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::session::{Session, SessionStore};

/// The `sessionStorage` key of the restore records.
const RECORDS_KEY: &str = "acr-cmk.restore-records";

/// One revoke's record: the registry it was for and what it removed. What it removed is kept as
/// the JSON it was stored as (a `Vec<RemovedAccess>`): only Restore reads it, in the write verbs'
/// chunk and the tour's, so the vault's and the role assignment's serde code is not in the first
/// load, which reads and writes these records on every sign-in (issue 14).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Revoked {
    pub registry_id: String,
    removed: Box<RawValue>,
}

impl Revoked {
    pub fn new(registry_id: String, removed: &[RemovedAccess]) -> Revoked {
        let json = serde_json::to_string(removed).expect("the removed access serializes");
        Revoked { registry_id, removed: RawValue::from_string(json).expect("serde_json wrote JSON") }
    }

    /// What the revoke removed; `None` for a record this version cannot read (one left in the tab by
    /// an older console), which Restore then treats as no record: it grants afresh.
    pub fn removed(&self) -> Option<Vec<RemovedAccess>> {
        serde_json::from_str(self.removed.get()).ok()
    }
}

impl PartialEq for Revoked {
    fn eq(&self, other: &Revoked) -> bool {
        self.registry_id == other.registry_id && self.removed.get() == other.removed.get()
    }
}

/// Who is signed in, as far as write mode and restore records care.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedInAs {
    endpoint: String,
    tenant_id: Option<String>,
    object_id: Option<String>,
}

impl SignedInAs {
    fn of(session: &Session) -> SignedInAs {
        let claims = &session.token.claims;
        SignedInAs { endpoint: session.endpoint.clone(), tenant_id: claims.tid.clone(), object_id: claims.oid.clone() }
    }
}

/// What `sessionStorage` holds: whose records they are, and the records.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    owner: SignedInAs,
    records: Vec<Revoked>,
}

#[derive(Clone, Copy)]
pub struct WriteMode {
    enabled: RwSignal<bool>,
    revoked: RwSignal<Vec<Revoked>>,
}

impl WriteMode {
    /// Creates the context (read-only) and follows the sign-in (not the token).
    pub fn provide() -> WriteMode {
        let mode = WriteMode { enabled: RwSignal::new(false), revoked: RwSignal::new(Vec::new()) };
        provide_context(mode);
        let session = SessionStore::expect();
        // A memo: a refreshed token for the same user is equal here, so nothing below re-runs.
        let who = Memo::new(move |_| session.get().as_ref().map(SignedInAs::of));
        Effect::watch(
            move || who.get(),
            move |now, _, _| {
                mode.enabled.set(false);
                match now {
                    // Signed out (the Sign out button; a reload starts signed out without running this).
                    None => {
                        mode.revoked.set(Vec::new());
                        store(None);
                    }
                    // Someone signed in: their own records from before a reload or redirect, if any.
                    Some(owner) => {
                        let records = load().filter(|s| s.owner == *owner).map(|s| s.records).unwrap_or_default();
                        mode.revoked.set(records.clone());
                        store(Some(Stored { owner: owner.clone(), records }));
                    }
                }
            },
            false,
        );
        // Every change of the records goes to storage, for the signed-in owner.
        Effect::watch(
            move || mode.revoked.get(),
            move |records, _, _| {
                if let Some(owner) = who.get_untracked() {
                    store(Some(Stored { owner, records: records.clone() }));
                }
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

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn load() -> Option<Stored> {
    serde_json::from_str(&storage()?.get_item(RECORDS_KEY).ok()??).ok()
}

/// Writes the records (or removes them); nothing is kept for nobody, and an empty list is no entry.
fn store(stored: Option<Stored>) {
    let Some(storage) = storage() else { return };
    match stored.filter(|s| !s.records.is_empty()) {
        Some(s) => {
            if let Ok(json) = serde_json::to_string(&s) {
                let _ = storage.set_item(RECORDS_KEY, &json);
            }
        }
        None => {
            let _ = storage.remove_item(RECORDS_KEY);
        }
    }
}

/// The header's switch: a labelled checkbox styled as a toggle, visible while signed in.
#[component]
pub fn WriteModeSwitch() -> impl IntoView {
    let mode = WriteMode::expect();
    let (on, off) = (tr(shell::WRITE_MODE_ON), tr(shell::WRITE_MODE_OFF));
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
            <span>{tr(shell::WRITE_MODE)}</span>
            <span id="write-mode-state" class="write-mode-state">
                {move || if mode.is_on() { on() } else { off() }}
            </span>
        </label>
    }
}
