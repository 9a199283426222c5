//! The header: product name, and when signed in who (name, UPN, tenant,
//! object id), the token's expiry, the ARM endpoint, the write-mode switch and
//! sign-out.

use acr_cmk_domain::token::describe_expiry;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::clock::now_unix_secs;
use crate::routes;
use crate::session::SessionStore;
use crate::write_mode::WriteModeSwitch;

/// How often the header's "expires in …" is refreshed.
const CLOCK_TICK: std::time::Duration = std::time::Duration::from_secs(20);

/// Product name, and when signed in: who, the token's expiry, the endpoint, sign out.
#[component]
pub fn Header() -> impl IntoView {
    let session = SessionStore::expect();
    let navigate = use_navigate();
    let now = RwSignal::new(now_unix_secs());
    if let Ok(handle) = set_interval_with_handle(move || now.set(now_unix_secs()), CLOCK_TICK) {
        on_cleanup(move || handle.clear());
    }
    let sign_out = move |_| {
        session.sign_out();
        navigate(routes::SIGN_IN, Default::default());
    };

    view! {
        <header class="topbar">
            <a class="brand" href=routes::HOME>
                <span class="brand-mark" aria-hidden="true"></span>
                "ACR encryption console"
            </a>
            {move || {
                session
                    .get()
                    .map(|s| {
                        let expiry = s.token.claims.exp.map(|exp| describe_expiry(exp, now.get()));
                        let expired = s.token.claims.exp.is_some_and(|exp| exp <= now.get());
                        let claims = s.token.claims.clone();
                        view! {
                            <div class="who">
                                <span class="user" data-testid="signed-in-user">{s.user()}</span>
                                {claims.upn.clone().or(claims.unique_name.clone()).map(|upn| view! { <span class="upn" data-testid="signed-in-upn">{upn}</span> })}
                                {claims.tid.clone().map(|tid| view! { <span class="tenant mono" title="Tenant id" data-testid="signed-in-tenant">{format!("tenant {tid}")}</span> })}
                                {claims.oid.clone().map(|oid| view! { <span class="oid mono" title="Object id" data-testid="signed-in-oid">{format!("object {oid}")}</span> })}
                                <span class=if expired { "expiry expired" } else { "expiry" } data-testid="token-expiry">{expiry}</span>
                                <span class="endpoint mono" title="ARM endpoint">{s.endpoint.clone()}</span>
                            </div>
                        }
                    })
            }}
            <Show when=move || session.is_signed_in()>
                <WriteModeSwitch />
            </Show>
            <Show when=move || session.is_signed_in()>
                <button type="button" class="secondary" data-testid="sign-out" on:click=sign_out.clone()>
                    "Sign out"
                </button>
            </Show>
        </header>
    }
}
