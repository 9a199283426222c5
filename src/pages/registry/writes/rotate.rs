//! Rotate key: pick the vault (the subscription's vaults) → the key (ARM's
//! list, or a new RSA key by name) → "newest version, auto-rotate
//! (versionless)" or a specific version → the identity (system or an attached
//! user-assigned one). Review runs the key-access diagnosis against that
//! *target* key and identity (the pre-flight) and offers to grant access
//! first; the plan itself is `acr_cmk_domain::writes::rotation::RotationPlan`.
//! On Confirm the registry and the target are read and planned again (same
//! choices, same new role-assignment name), so a change made meanwhile shows.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::diagnosis::{diagnose, Purpose, Target};
use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::text::Sentence;
use acr_cmk_domain::vault::Vault;
use acr_cmk_domain::writes::rotation::{new_key_version_commands, KeyChoice, KeyIdentity, RotationPlan, RotationRequest, VersionChoice};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::flow::{Replan, WriteFlow};
use crate::action_error::ActionError;
use crate::arm_client::{ArmClient, ClientError};
use crate::components::copy_button::CopyButton;
use crate::components::dialog::ModalDialog;
use crate::components::error_box::ErrorBox;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::writes as words;
use crate::i18n::{tr, Locale};
use crate::random::new_guid;
use crate::session::SessionStore;

#[component]
pub fn RotateKeyButton(registry: Registry, on_refresh: Callback<()>) -> impl IntoView {
    let open = RwSignal::new(false);
    let title = Sentence::new(words::ROTATE_TITLE).with("registry", registry.name.as_str());
    view! {
        <button type="button" class="primary" data-testid="rotate-open" on:click=move |_| open.set(true)>
            {tr(words::ROTATE_OPEN)}
        </button>
        <ModalDialog open title testid="rotate-dialog">
            <RotateForm registry=registry.clone() on_refresh on_close=Callback::new(move |()| open.set(false)) />
        </ModalDialog>
    }
}

/// What Review planned from: the choices, the target key and the new role assignment's name.
#[derive(Clone)]
struct Reviewed {
    request: RotationRequest,
    key: KeyId,
    assignment_name: String,
}

/// The rotation planned from fresh reads of the registry and the target key's access.
async fn plan_rotation(client: &ArmClient, registry: &Registry, reviewed: &Reviewed) -> RotationPlanOrError {
    let target = Target::proposed(reviewed.key.clone(), reviewed.request.identity.identity_ref());
    let snapshot = client.load_snapshot(registry, Purpose::Proposed, Some(target), Vec::new()).await;
    RotationPlan::new(registry, &reviewed.request, &diagnose(&snapshot), &reviewed.assignment_name).map_err(ActionError::invalid)
}

type RotationPlanOrError = Result<RotationPlan, ActionError>;

#[component]
fn RotateForm(registry: Registry, on_refresh: Callback<()>, on_close: Callback<()>) -> impl IntoView {
    let session = SessionStore::expect();
    let locale = Locale::expect();
    let Some(client) = session.client() else { return ().into_any() };
    let subscription = ResourceId::parse(&registry.id).map(|r| r.subscription_id).unwrap_or_default();
    let current = registry.key_vault_properties().and_then(|k| k.key_identifier.as_deref()).and_then(|k| KeyId::parse(k).ok());

    // The selects' values, as the form holds them; read into typed choices at Review.
    let vault_id = RwSignal::new(String::new());
    let key_name = RwSignal::new(current.as_ref().map(|k| k.name.clone()).unwrap_or_default());
    let new_key_name = RwSignal::new(String::new());
    let version = RwSignal::new(VersionChoice::Newest);
    let identities = KeyIdentity::choices(&registry);
    let identity = RwSignal::new(KeyIdentity::current(&registry, &identities));
    let creating = move || key_name.get() == KeyChoice::NEW_OPTION;

    let vaults = {
        let client = client.clone();
        let current = current.clone();
        ErasedResource::new(move || {
            let client = client.clone();
            let subscription = subscription.clone();
            let current = current.clone();
            async move {
                let mut list = client.vaults(&subscription).await?;
                // A key kept in another subscription's vault: that vault is offered too (the registry uses it now).
                if let Some(k) = current.as_ref().filter(|k| !list.iter().any(|v| v.name.eq_ignore_ascii_case(k.vault_name()))) {
                    if let Ok(found) = client.find_vault_elsewhere(&subscription, k.vault_name()).await? {
                        list.insert(0, found);
                    }
                }
                // Start on the vault the registry uses now.
                let pick = current
                    .as_ref()
                    .and_then(|k| list.iter().find(|v| v.name.eq_ignore_ascii_case(k.vault_name())))
                    .or(list.first())
                    .map(|v| v.id.clone())
                    .unwrap_or_default();
                if vault_id.get_untracked().is_empty() {
                    vault_id.set(pick);
                }
                Ok::<_, ClientError>(list)
            }
        })
    };
    let selected_vault = move || -> Option<Vault> {
        let id = vault_id.get();
        vaults.get().and_then(|r| r.ok()).and_then(|l| l.into_iter().find(|v| v.id == id))
    };
    let keys = {
        let client = client.clone();
        ErasedResource::new(move || {
            let client = client.clone();
            let id = vault_id.get();
            async move {
                if id.is_empty() {
                    return Ok(Vec::new());
                }
                client.keys(&id).await
            }
        })
    };
    let versions = {
        let client = client.clone();
        ErasedResource::new(move || {
            let client = client.clone();
            let id = vault_id.get();
            let name = key_name.get();
            async move {
                if id.is_empty() || name.is_empty() || name == KeyChoice::NEW_OPTION {
                    return Ok::<_, ClientError>(Vec::new());
                }
                Ok(client.key_versions(&id, &name).await?.unwrap_or_default())
            }
        })
    };

    let plan = RwSignal::new(None::<RotationPlan>);
    let review_error = RwSignal::new(None::<ActionError>);
    let reviewing = RwSignal::new(false);
    let grant_first = RwSignal::new(true);

    let reviewed = StoredValue::new_local(None::<Reviewed>);
    let replan = {
        let registry_id = registry.id.clone();
        Replan::new(move || {
            let registry_id = registry_id.clone();
            async move {
                let client = session.client_for_write()?;
                let r = reviewed.try_get_value().flatten().ok_or_else(|| ActionError::invalid(words::REVIEW_AGAIN))?;
                let registry = client.registry(&registry_id).await?.registry;
                let fresh = plan_rotation(&client, &registry, &r).await?;
                let grant = grant_first.try_get_untracked().unwrap_or(true);
                if let Some(why) = fresh.blocked(grant) {
                    return Err(ActionError::invalid(why));
                }
                Ok(fresh.steps(grant))
            }
        })
    };
    let review_registry = registry.clone();
    let review = move |_| {
        review_error.set(None);
        let request = (|| {
            let vault = selected_vault().ok_or(Sentence::from(words::PICK_VAULT))?;
            let key = KeyChoice::from_option_value(&key_name.get_untracked(), &new_key_name.get_untracked())
                .ok_or(Sentence::from(words::PICK_KEY))?;
            let identity = identity.get_untracked().ok_or(Sentence::from(words::NO_IDENTITY))?;
            Ok::<_, Sentence>(RotationRequest { vault, key, version: version.get_untracked(), identity })
        })();
        let request = match request.and_then(|r| r.key_id().map(|k| (r, k))) {
            Ok(r) => r,
            Err(e) => {
                review_error.set(Some(ActionError::invalid(e)));
                return;
            }
        };
        let (request, key) = request;
        let registry = review_registry.clone();
        let client = client.clone();
        let r = Reviewed { request, key, assignment_name: new_guid() };
        reviewed.set_value(Some(r.clone()));
        reviewing.set(true);
        spawn_local(async move {
            match plan_rotation(&client, &registry, &r).await {
                Ok(p) => plan.set(Some(p)),
                Err(e) => review_error.set(Some(e)),
            }
            reviewing.set(false);
        });
    };

    let vault_options = move || {
        vaults.get().map(|r| match r {
            Ok(list) => list
                .into_iter()
                .map(|v| {
                    let id = v.id.clone();
                    let selected = id == vault_id.get_untracked();
                    view! { <option value=id selected=selected>{v.name.clone()}</option> }
                })
                .collect_view()
                .into_any(),
            Err(e) => {
                review_error.set(Some(e.into()));
                ().into_any()
            }
        })
    };
    let key_options = move || {
        let list = keys.get().and_then(|r| r.ok()).unwrap_or_default();
        let chosen = key_name.get_untracked();
        list.into_iter()
            .map(|k| {
                let kty = k.properties.kty.clone().unwrap_or_default();
                let label = format!("{} ({kty})", k.name);
                let selected = k.name == chosen;
                view! { <option value=k.name.clone() selected=selected>{label}</option> }
            })
            .collect_view()
    };
    let version_options = move || {
        let list = versions.get().and_then(|r| r.ok()).unwrap_or_default();
        list.into_iter()
            .rev()
            .map(|v| {
                let name = acr_cmk_domain::diagnosis::version_name(&v).to_string();
                let enabled = v.properties.attributes.as_ref().and_then(|a| a.enabled).unwrap_or(true);
                let label = {
                    let name = name.clone();
                    move || if enabled { name.clone() } else { locale.fill(words::VERSION_DISABLED, &[("version", &name)]) }
                };
                view! { <option value=name>{label}</option> }
            })
            .collect_view()
    };
    let new_version_help = move || {
        let vault = selected_vault()?;
        let name = key_name.get();
        (!name.is_empty() && name != KeyChoice::NEW_OPTION).then(|| {
            let [rotate, _] = new_key_version_commands(&vault.name, &name);
            view! {
                <p class="hint">
                    {tr(words::NEW_VERSION_BEFORE)}
                    <code>{rotate.clone()}</code>
                    <CopyButton text=rotate label=words::AZ_ROTATE_COMMAND />
                    {tr(words::NEW_VERSION_AFTER)}
                </p>
            }
        })
    };
    let identity_options = {
        let chosen = identity.get_untracked();
        identities
            .iter()
            .map(|choice| {
                let label = match choice {
                    KeyIdentity::System => Sentence::from(words::SYSTEM_IDENTITY_OPTION),
                    KeyIdentity::User { resource_id, client_id } => Sentence::new(words::USER_IDENTITY_OPTION)
                        .with("name", resource_id.rsplit('/').next().unwrap_or(resource_id))
                        .with("client_id", client_id.as_str()),
                };
                let label = move || label.get(locale.get());
                let selected = chosen.as_ref() == Some(choice);
                view! { <option value=choice.option_value().to_string() selected=selected>{label}</option> }
            })
            .collect_view()
    };

    let form = view! {
        <form class="write-form" on:submit=|ev| ev.prevent_default()>
            <label>
                {tr(words::KEY_VAULT)}
                <select data-testid="rotate-vault" on:change=move |ev| {
                    vault_id.set(event_target_value(&ev));
                    key_name.set(String::new());
                    version.set(VersionChoice::Newest);
                }>
                    <Transition fallback=|| view! { <option>{tr(words::LOADING)}</option> }>{vault_options}</Transition>
                </select>
            </label>
            <label>
                {tr(words::KEY)}
                <select data-testid="rotate-key" on:change=move |ev| {
                    key_name.set(event_target_value(&ev));
                    version.set(VersionChoice::Newest);
                }>
                    <option value="" disabled=true selected=move || key_name.get().is_empty()>
                        {tr(words::CHOOSE_KEY)}
                    </option>
                    <Transition fallback=|| ()>{key_options}</Transition>
                    <option value=KeyChoice::NEW_OPTION>{tr(words::CREATE_NEW_KEY)}</option>
                </select>
            </label>
            <Show when=creating>
                <label>
                    {tr(words::NEW_KEY_NAME)}
                    <input
                        type="text"
                        data-testid="rotate-new-key-name"
                        autocomplete="off"
                        prop:value=move || new_key_name.get()
                        on:input=move |ev| new_key_name.set(event_target_value(&ev))
                    />
                </label>
            </Show>
            <label>
                {tr(words::VERSION)}
                <select
                    data-testid="rotate-version"
                    on:change=move |ev| version.set(VersionChoice::from_option_value(&event_target_value(&ev)))
                >
                    <option value=VersionChoice::Newest.option_value().to_string() selected=true>
                        {tr(words::NEWEST_VERSION_OPTION)}
                    </option>
                    <Show when=move || !creating()>
                        <Transition fallback=|| ()>{version_options}</Transition>
                    </Show>
                </select>
            </label>
            {new_version_help}
            <label>
                {tr(words::IDENTITY)}
                <select
                    data-testid="rotate-identity"
                    on:change={
                        let identities = identities.clone();
                        move |ev| identity.set(KeyIdentity::from_option_value(&event_target_value(&ev), &identities))
                    }
                >
                    {identity_options}
                </select>
            </label>
            {move || review_error.get().map(|error| view! { <ErrorBox error /> })}
            <footer class="dialog-actions">
                <button
                    type="button"
                    class="primary"
                    data-testid="rotate-review"
                    disabled=move || reviewing.get()
                    on:click=review
                >
                    {move || tr(if reviewing.get() { words::CHECKING_ACCESS } else { words::REVIEW })()}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_close.run(())>
                    {tr(words::CANCEL)}
                </button>
            </footer>
        </form>
    };

    view! {
        <div hidden=move || plan.with(Option::is_some)>{form}</div>
        {move || {
            plan.get()
                .map(|p| {
                    let steps = p.steps(grant_first.get());
                    let blocked = p.blocked(grant_first.get());
                    view! {
                        <Preflight plan=p grant_first />
                        <WriteFlow steps confirm_label=words::ROTATE_CONFIRM blocked replan on_refresh on_close />
                    }
                })
        }}
    }
    .into_any()
}

/// The pre-flight's verdict on the target key, its problems, and the offer to grant access first.
#[component]
fn Preflight(plan: RotationPlan, grant_first: RwSignal<bool>) -> impl IntoView {
    let locale = Locale::expect();
    let class = if plan.blocking { "preflight broken" } else { "preflight ok" };
    let headline = plan.headline.clone();
    view! {
        <section class=class data-testid="rotate-preflight" aria-live="polite">
            <h3>{tr(words::PREFLIGHT_TITLE)}</h3>
            <p data-testid="preflight-headline">{move || headline.get(locale.get())}</p>
            <ul>
                {plan
                    .problems
                    .iter()
                    .map(|t| {
                        let t = t.clone();
                        view! { <li>{move || t.get(locale.get())}</li> }
                    })
                    .collect_view()}
            </ul>
            {plan
                .grant
                .is_some()
                .then(|| {
                    view! {
                        <label class="inline">
                            <input
                                type="checkbox"
                                data-testid="grant-first"
                                prop:checked=grant_first.get_untracked()
                                on:change=move |ev| grant_first.set(event_target_checked(&ev))
                            />
                            {tr(words::GRANT_FIRST)}
                        </label>
                    }
                })}
        </section>
    }
}
