//! Sign-in: "Sign in with Microsoft" (Entra ID, authorization code + PKCE; see
//! `crate::entra`), or paste an ARM token (raw JWT or `az account
//! get-access-token` JSON) and the endpoint. A token that cannot work (not a
//! JWT, expired, wrong audience) is refused here and nothing is sent.

use acr_cmk_domain::endpoint::normalize_endpoint;
use acr_cmk_domain::entra::{EntraSettings, DEFAULT_AUTHORITY_HOST};
use acr_cmk_domain::text::Text;
use acr_cmk_domain::token::{read_token, AccessToken};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::arm_client;
use crate::clock::now_unix_secs;
use crate::config::Config;
use crate::entra;
use crate::i18n::catalogue::sign_in as words;
use crate::i18n::{tr, Locale};
use crate::routes;
use crate::session::{Session, SessionStore};

#[component]
pub fn SignInPage() -> impl IntoView {
    let config = expect_context::<Config>();
    let session = SessionStore::expect();
    let navigate = use_navigate();
    let locale = Locale::expect();
    // The page the user was opening when asked to sign in.
    let next = routes::after_sign_in(use_query_map().with_untracked(|q| q.get("next")));

    let token_text = RwSignal::new(String::new());
    let endpoint = RwSignal::new(config.arm_endpoint.clone());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Entra ID: prefilled from config.json, editable for a real tenant.
    let authority = RwSignal::new(config.authority.clone().unwrap_or_else(|| format!("{DEFAULT_AUTHORITY_HOST}/organizations")));
    let client_id = RwSignal::new(config.client_id.clone().unwrap_or_default());
    let redirect_uri = RwSignal::new(config.redirect_uri.clone().unwrap_or_else(entra::default_redirect_uri));
    let entra_next = next.clone();
    let on_entra = move |_| {
        let checked = EntraSettings::new(&authority.get_untracked(), &client_id.get_untracked(), &redirect_uri.get_untracked())
            .map_err(|e| e.to_string())
            .and_then(|settings| Ok((settings, normalize_endpoint(&endpoint.get_untracked()).map_err(|e| e.to_string())?)));
        match checked {
            Ok((settings, endpoint)) => {
                error.set(None);
                let next = entra_next.clone();
                // Returns only when the browser could not leave for Entra.
                spawn_local(async move {
                    let _ = error.try_set(entra::begin(settings, endpoint, next, None).await.err());
                });
            }
            Err(e) => error.set(Some(e)),
        }
    };

    // The chunks a sign-in click runs, fetched while the page shows: a click never waits for them.
    spawn_local(__preload_checked_token());
    if config.demo {
        spawn_local(__preload_demo_token());
    }

    // Checks everything locally; only a token that can work is kept.
    let sign_in_with = move |raw: String| {
        let navigate = navigate.clone();
        let next = next.clone();
        let endpoint = endpoint.get_untracked();
        async move {
            let token = checked_token(raw, now_unix_secs()).await?;
            let endpoint = normalize_endpoint(&endpoint).map_err(|e| e.to_string())?;
            session.sign_in(Session { endpoint, token });
            let _ = token_text.try_set(String::new());
            navigate(&next, Default::default());
            Ok::<(), String>(())
        }
    };

    let sign_in = sign_in_with.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let signing_in = sign_in(token_text.get_untracked());
        spawn_local(async move {
            let _ = error.try_set(signing_in.await.err());
        });
    };

    let on_demo = move |_| {
        let sign_in = sign_in_with.clone();
        let endpoint = match normalize_endpoint(&endpoint.get_untracked()) {
            Ok(e) => e,
            Err(e) => return error.set(Some(e.to_string())),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let outcome = match demo_token(endpoint).await {
                Ok(json) => sign_in(json).await,
                Err(e) => Err(locale.fill(words::DEMO_FAILED, &[("error", &e)])),
            };
            // The page is gone after a successful sign-in.
            let _ = busy.try_set(false);
            let _ = error.try_set(outcome.err());
        });
    };

    view! {
        <section class="sign-in">
            <form class="card" on:submit=on_submit novalidate=true aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">{tr(words::TITLE)}</h1>
                <div class="entra-sign-in">
                    <button type="button" class="primary" data-testid="entra-sign-in" on:click=on_entra>
                        {tr(words::WITH_MICROSOFT)}
                    </button>
                    <details data-testid="entra-settings">
                        <summary>{tr(words::ENTRA_SETTINGS)}</summary>
                        <SettingInput id="entra-authority" label=words::AUTHORITY value=authority />
                        <SettingInput id="entra-client-id" label=words::CLIENT_ID value=client_id />
                        <SettingInput
                            id="entra-redirect-uri"
                            label=words::REDIRECT_URI
                            value=redirect_uri
                        />
                    </details>
                    <p class="help">{tr(words::OR_PASTE)}</p>
                </div>
                <p class="lead">
                    {tr(words::LEAD)}
                </p>
                <label for="token-input">{tr(words::ACCESS_TOKEN)}</label>
                <textarea
                    id="token-input"
                    data-testid="token-input"
                    rows="6"
                    spellcheck="false"
                    autocomplete="off"
                    aria-describedby="token-help"
                    prop:value=move || token_text.get()
                    on:input=move |ev| token_text.set(event_target_value(&ev))
                ></textarea>
                <p id="token-help" class="help">
                    {tr(words::TOKEN_HELP_BEFORE)}
                    " "
                    <code>"az account get-access-token"</code>
                </p>
                <label for="endpoint-input">{tr(words::ENDPOINT)}</label>
                <input
                    id="endpoint-input"
                    data-testid="endpoint-input"
                    type="text"
                    inputmode="url"
                    spellcheck="false"
                    autocomplete="url"
                    aria-describedby="endpoint-help"
                    prop:value=move || endpoint.get()
                    on:input=move |ev| endpoint.set(event_target_value(&ev))
                />
                <p id="endpoint-help" class="help">{tr(words::ENDPOINT_HELP)}</p>
                {move || {
                    error
                        .get()
                        .map(|message| {
                            view! {
                                <p class="error-text" role="alert" data-testid="sign-in-error">
                                    {message}
                                </p>
                            }
                        })
                }}
                <div class="actions">
                    <button type="submit" class="primary" data-testid="sign-in" disabled=move || busy.get()>
                        {tr(words::SIGN_IN)}
                    </button>
                    {config
                        .demo
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    data-testid="demo-sign-in"
                                    disabled=move || busy.get()
                                    on:click=on_demo
                                >
                                    {tr(words::DEMO_SIGN_IN)}
                                </button>
                            }
                        })}
                </div>
            </form>
        </section>
    }
}

/// One labelled Entra setting; its id doubles as the test id.
#[component]
fn SettingInput(id: &'static str, label: Text, value: RwSignal<String>) -> impl IntoView {
    view! {
        <label for=id>{tr(label)}</label>
        <input
            id=id
            data-testid=id
            type="text"
            spellcheck="false"
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        />
    }
}

/// The token's local check (`read_token`: its shape, audience and expiry), a wasm chunk of its own
/// (issue 14): it runs on a sign-in click, not to show the page, so it is not in the first load.
#[lazy]
async fn checked_token(raw: String, now: i64) -> Result<AccessToken, String> {
    read_token(&raw, now).map_err(|e| e.to_string())
}

/// The emulator's demo token (the Demo button), a chunk of its own: it is the sign-in page's only ARM
/// call, so with it the ARM transport (the call, ARM's error body) leaves the first load for the
/// pages' chunks, which all use it.
#[lazy]
async fn demo_token(endpoint: String) -> Result<String, String> {
    arm_client::demo_token(&endpoint).await.map_err(|e| e.to_string())
}
