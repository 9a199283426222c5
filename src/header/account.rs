//! The signed-in user as one compact button; its menu holds who (name, UPN,
//! tenant, object id), when the token expires, the ARM endpoint, each with a
//! copy button, and sign-out. On narrow screens the header's own menu shows
//! the details directly (CSS), so they are one tap away there too.

use acr_cmk_domain::encryption::format_unix_utc;
use acr_cmk_domain::token::describe_expiry;
use leptos::html::{Button, Div};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::clock::now_unix_secs;
use crate::components::copy_button::CopyButton;
use crate::components::menu::close_on_escape_or_outside;
use crate::routes;
use crate::session::{Session, SessionStore};

/// How often "expires in …" is refreshed.
const CLOCK_TICK: std::time::Duration = std::time::Duration::from_secs(20);

#[component]
pub fn AccountMenu() -> impl IntoView {
    let session = SessionStore::expect();
    let navigate = use_navigate();
    let now = RwSignal::new(now_unix_secs());
    if let Ok(handle) = set_interval_with_handle(move || now.set(now_unix_secs()), CLOCK_TICK) {
        on_cleanup(move || handle.clear());
    }
    let open = RwSignal::new(false);
    let root = NodeRef::<Div>::new();
    let button = NodeRef::<Button>::new();
    close_on_escape_or_outside(open, root, button);
    let user = move || session.get().map(|s| s.user()).unwrap_or_default();
    let expired = move || session.get().and_then(|s| s.token.claims.exp).is_some_and(|exp| exp <= now.get());
    let sign_out = move |_| {
        session.sign_out();
        navigate(routes::SIGN_IN, Default::default());
    };

    view! {
        <div class="account" class:open=move || open.get() node_ref=root>
            <button
                type="button"
                class="secondary account-button"
                node_ref=button
                data-testid="account-menu"
                aria-controls="account-panel"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span class="avatar" aria-hidden="true">{move || initials(&user())}</span>
                <span class="account-name" data-testid="signed-in-user">{user}</span>
                <Show when=expired>
                    <span class="account-expired">"token expired"</span>
                </Show>
                <span class="chevron" aria-hidden="true"></span>
            </button>
            <div id="account-panel" class="account-panel" data-testid="account-panel">
                {move || session.get().map(|s| view! { <AccountDetails session=s now /> })}
                <button type="button" class="secondary sign-out" data-testid="sign-out" on:click=sign_out>
                    "Sign out"
                </button>
            </div>
        </div>
    }
}

/// Who is signed in, to which endpoint, until when: one row each, copyable.
#[component]
fn AccountDetails(session: Session, now: RwSignal<i64>) -> impl IntoView {
    let claims = session.token.claims.clone();
    let upn = claims.upn.clone().or(claims.unique_name.clone());
    let expiry = claims.exp.map(|exp| {
        let expired = move || exp <= now.get();
        view! {
            <div class="account-row">
                <dt>"Token"</dt>
                <dd>
                    <span class="expiry" class:expired=expired data-testid="token-expiry">
                        {move || describe_expiry(exp, now.get())}
                    </span>
                    <CopyButton text=format!("{} UTC", format_unix_utc(exp)) label="token expiry" />
                </dd>
            </div>
        }
    });
    view! {
        <dl class="account-details">
            <Detail label="Name" value=Some(session.user()) />
            <Detail label="UPN" value=upn testid="signed-in-upn" />
            <Detail label="Tenant" value=claims.tid.clone() testid="signed-in-tenant" mono=true />
            <Detail label="Object id" value=claims.oid.clone() testid="signed-in-oid" mono=true />
            {expiry}
            <Detail label="ARM endpoint" value=Some(session.endpoint.clone()) mono=true />
        </dl>
    }
}

/// One labelled, copyable value; nothing when the token does not carry it.
#[component]
fn Detail(
    label: &'static str,
    value: Option<String>,
    #[prop(optional)] testid: Option<&'static str>,
    #[prop(optional)] mono: bool,
) -> impl IntoView {
    value.map(|value| {
        view! {
            <div class="account-row">
                <dt>{label}</dt>
                <dd>
                    <span class:mono=mono data-testid=testid>{value.clone()}</span>
                    <CopyButton text=value label=label.to_lowercase() />
                </dd>
            </div>
        }
    })
}

/// Up to two letters for the avatar: "Demo Administrator" → "DA".
fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().find(|c| c.is_alphanumeric())).take(2).flat_map(char::to_uppercase).collect()
}
