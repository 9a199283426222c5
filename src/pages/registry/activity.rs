//! Who changed what, when: the Activity panel, a timeline of the registry's and its key vault's
//! Activity Log (one row per operation: what, by whom, when, how it ended), and a failing check's
//! likely cause linking to its row. The registry's log is read at once, beside the diagnosis; the
//! vault's once the diagnosis has found the vault. The panel loads in its own `Suspense`, so the
//! status and the diagnosis never wait for it. Which event is blamed is
//! `acr_cmk_domain::activity_log::likely_cause`.

use acr_cmk_domain::activity_log::{likely_cause, timeline, Event, Status, DEFAULT_DAYS};
use acr_cmk_domain::diagnosis::{Check, Snapshot};
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::text::Lang;
use leptos::prelude::*;

use crate::arm_client::{ArmClient, ClientError};
use crate::components::error_box::ErrorBox;
use crate::components::loading::Loading;
use crate::erased_resource::ErasedResource;
use crate::i18n::catalogue::activity as words;
use crate::i18n::format::{date_time, iso_utc};
use crate::i18n::{tr, Locale};

/// The events read, and the reads that failed (the resource's name, ARM's error).
#[derive(Clone, Debug, Default)]
pub struct ActivityRead {
    pub events: Vec<Event>,
    pub failures: Vec<(String, ClientError)>,
}

/// The page's Activity Log once read: the panel shows it, the checks find their likely cause in it.
#[derive(Clone, Copy)]
pub struct ActivitySignal(pub Signal<Option<ActivityRead>>);

/// Reads the registry's log at once and the vault's once `snapshot` names the vault.
pub fn load(client: ArmClient, registry: Registry, snapshot: ErasedResource<Snapshot>) -> ErasedResource<ActivityRead> {
    ErasedResource::new(move || {
        let (client, registry) = (client.clone(), registry.clone());
        async move {
            let now_ms = crate::clock::now_unix_secs() * 1000;
            let of_registry = client.activity_log(&registry.id, now_ms);
            let of_vault = async {
                let snapshot = snapshot.await;
                let vault = snapshot.vault.found().map(|v| (v.id.clone(), v.name.clone()));
                match vault {
                    Some((id, name)) => Some((name, client.activity_log(&id, now_ms).await)),
                    None => None,
                }
            };
            let (of_registry, of_vault) = futures::future::join(of_registry, of_vault).await;
            let mut read = ActivityRead::default();
            for (name, result) in std::iter::once((registry.name.clone(), of_registry)).chain(of_vault) {
                match result {
                    Ok(events) => read.events.extend(events),
                    Err(e) => read.failures.push((name, e)),
                }
            }
            read
        }
    })
}

#[component]
pub fn ActivityPanel(activity: ErasedResource<ActivityRead>) -> impl IntoView {
    let locale = Locale::expect();
    let days = DEFAULT_DAYS.to_string();
    view! {
        <section class="panel activity" aria-labelledby="activity-title" data-testid="activity">
            <h2 id="activity-title">{tr(words::TITLE)}</h2>
            <p class="help">{move || locale.fill(words::HELP, &[("days", &days)])}</p>
            <Suspense fallback=move || view! { <Loading what=words::THE_ACTIVITY /> }>
                {move || Suspend::new(async move { view! { <Timeline read=activity.await /> } })}
            </Suspense>
        </section>
    }
}

#[component]
fn Timeline(read: ActivityRead) -> impl IntoView {
    let locale = Locale::expect();
    let days = DEFAULT_DAYS.to_string();
    let rows: Vec<Event> = timeline(&read.events).into_iter().cloned().collect();
    let empty = rows.is_empty() && read.failures.is_empty();
    view! {
        {read
            .failures
            .into_iter()
            .map(|(resource, error)| {
                view! {
                    <p class="help">{move || locale.fill(words::READ_FAILED, &[("resource", &resource)])}</p>
                    <ErrorBox error testid="activity-error" />
                }
            })
            .collect_view()}
        {empty.then(|| view! { <p class="muted" data-testid="activity-empty">{move || locale.fill(words::EMPTY, &[("days", &days)])}</p> })}
        {(!rows.is_empty())
            .then(|| {
                view! {
                    <div class="table-scroll">
                        <table class="grid timeline" data-testid="activity-timeline">
                            <thead>
                                <tr>
                                    <th scope="col">{tr(words::TIME)}</th>
                                    <th scope="col">{tr(words::OPERATION)}</th>
                                    <th scope="col">{tr(words::RESOURCE)}</th>
                                    <th scope="col">{tr(words::CALLER)}</th>
                                    <th scope="col">{tr(words::STATUS)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows.into_iter().map(|event| view! { <EventRow event /> }).collect_view()}</tbody>
                        </table>
                    </div>
                }
            })}
    }
}

#[component]
fn EventRow(event: Event) -> impl IntoView {
    let locale = Locale::expect();
    let status = event.status();
    let secs = event.timestamp_ms().map(|ms| ms.div_euclid(1000));
    let iso = secs.map(iso_utc);
    let on_vault = event.resource_id.to_ascii_lowercase().contains("/providers/microsoft.keyvault/vaults/");
    let resource = if on_vault { words::ON_VAULT } else { words::ON_REGISTRY };
    let operation_name = event.operation_name.value.clone();
    let title = operation_name.clone();
    let said = event.clone();
    // Colour follows the diagnosis's states; the word beside it says the status.
    let state = match status {
        Status::Succeeded => "pass",
        Status::Failed => "fail",
        _ => "unknown",
    };
    view! {
        <tr id=event.anchor() tabindex="-1" data-testid="activity-event" data-operation=operation_name data-status=status.name()>
            <td>
                <time datetime=iso.clone()>{move || secs.map(|s| date_time(locale.get(), s))}</time>
            </td>
            <td>
                <span title=title>{move || said.operation_words(locale.get())}</span>
            </td>
            <td>{tr(resource)}</td>
            <td class="mono" data-testid="activity-caller">{caller(&event)}</td>
            <td>
                <span class=format!("state-label state-{state}")>{tr(status.label())}</span>
            </td>
        </tr>
    }
}

/// The caller as Azure recorded it, or "(not recorded)".
fn caller(event: &Event) -> impl Fn() -> String + Send + Sync + 'static {
    let locale = Locale::expect();
    let recorded = event.caller.clone().filter(|c| !c.is_empty());
    move || recorded.clone().unwrap_or_else(|| words::UNKNOWN_CALLER.get(locale.get()).to_string())
}

/// Under a failing check: the change that most likely caused it, linking to its row in the timeline.
/// Nothing while the log loads, when it has no such change, or on a page without the panel.
#[component]
pub fn LikelyCause(check: Check) -> impl IntoView {
    let locale = Locale::expect();
    let activity = use_context::<ActivitySignal>();
    let kind = check.kind.name();
    let cause =
        move || activity.and_then(|ActivitySignal(read)| read.with(|r| r.as_ref().and_then(|r| likely_cause(&check, &r.events).cloned())));
    move || {
        cause().map(|event| {
            let row = event.anchor();
            let href = format!("#{row}");
            let text = move || sentence(&event, locale.get());
            view! {
                <p class="likely-cause" data-testid=format!("likely-cause-{kind}")>
                    <a href=href title=tr(words::SEE_EVENT) on:click=move |ev| go_to_row(ev, &row)>
                        {text}
                    </a>
                </p>
            }
        })
    }
}

/// Follows a likely cause's link in the page: the router would take `#…` for a navigation, so the row
/// is scrolled to and focused here (focus is what the highlight and a screen reader follow).
fn go_to_row(ev: leptos::ev::MouseEvent, row: &str) {
    use wasm_bindgen::JsCast;
    let Some(element) = document().get_element_by_id(row) else { return };
    ev.prevent_default();
    element.scroll_into_view();
    if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
        let _ = element.focus();
    }
}

/// "Likely cause: Access policy changed by admin@… at Dec 1, 2026, 10:32 AM UTC".
fn sentence(event: &Event, lang: Lang) -> String {
    let time = event.timestamp_ms().map(|ms| date_time(lang, ms.div_euclid(1000))).unwrap_or_else(|| event.event_timestamp.clone());
    let who = event.caller.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| words::UNKNOWN_CALLER.get(lang).to_string());
    words::LIKELY_CAUSE.fill(lang, &[("operation", &event.operation_words(lang)), ("caller", &who), ("time", &time)])
}
