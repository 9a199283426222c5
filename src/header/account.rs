//! The signed-in user as one compact button; its menu holds who (name, UPN,
//! tenant, object id), when the token expires, the ARM endpoint, each with a
//! copy button, and sign-out. On narrow screens the header's own menu shows
//! the details directly (CSS), so they are one tap away there too.

use acr_cmk_domain::text::Text;
use leptos::html::{Button, Div};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::language::LanguageSwitch;
use crate::clock::now_unix_secs;
use crate::components::copy_button::CopyButton;
use crate::components::menu::close_on_escape_or_outside;
use crate::i18n::catalogue::shell;
use crate::i18n::{format, tr, Locale};
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
                    <span class="account-expired">{tr(shell::TOKEN_EXPIRED_BADGE)}</span>
                </Show>
                <span class="chevron" aria-hidden="true"></span>
            </button>
            <div id="account-panel" class="account-panel" data-testid="account-panel">
                {move || session.get().map(|s| view! { <AccountDetails session=s now /> })}
                <LanguageSwitch labelled=true />
                <button type="button" class="secondary sign-out" data-testid="sign-out" on:click=sign_out>
                    {tr(shell::SIGN_OUT)}
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
    let locale = Locale::expect();
    let expiry = claims.exp.map(|exp| {
        let expired = move || exp <= now.get();
        view! {
            <div class="account-row">
                <dt>{tr(shell::ACCOUNT_TOKEN)}</dt>
                <dd>
                    <span class="expiry" class:expired=expired data-testid="token-expiry">
                        {move || describe_expiry(locale, exp, now.get())}
                    </span>
                    <CopyButton text=format::iso_utc(exp) label=shell::TOKEN_EXPIRY />
                </dd>
            </div>
        }
    });
    view! {
        <dl class="account-details">
            <Detail label=shell::ACCOUNT_NAME value=Some(session.user()) />
            <Detail label=shell::ACCOUNT_UPN value=upn testid="signed-in-upn" />
            <Detail label=shell::ACCOUNT_TENANT value=claims.tid.clone() testid="signed-in-tenant" mono=true />
            <Detail label=shell::ACCOUNT_OBJECT_ID value=claims.oid.clone() testid="signed-in-oid" mono=true />
            {expiry}
            <Detail label=shell::ACCOUNT_ENDPOINT value=Some(session.endpoint.clone()) mono=true />
        </dl>
    }
}

/// One labelled, copyable value; nothing when the token does not carry it.
#[component]
fn Detail(
    label: Text,
    value: Option<String>,
    #[prop(optional)] testid: Option<&'static str>,
    #[prop(optional)] mono: bool,
) -> impl IntoView {
    value.map(|value| {
        view! {
            <div class="account-row">
                <dt>{tr(label)}</dt>
                <dd>
                    <span class:mono=mono data-testid=testid>{value.clone()}</span>
                    <CopyButton text=value label=label />
                </dd>
            </div>
        }
    })
}

/// "expires Nov 30, 2026, 10:32 AM UTC (in 42 minutes)", in the page's language.
fn describe_expiry(locale: Locale, exp: i64, now: i64) -> String {
    let lang = locale.get();
    let at = format::date_time(lang, exp);
    if exp <= now {
        return locale.fill(shell::TOKEN_EXPIRED_AT, &[("at", &at)]);
    }
    locale.fill(shell::TOKEN_EXPIRES, &[("at", &at), ("left", &format::relative(lang, exp - now))])
}

/// Up to two letters for the avatar: "Demo Administrator" → "DA".
fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().find(|c| c.is_alphanumeric())).take(2).flat_map(char::to_uppercase).collect()
}
