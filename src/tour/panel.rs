//! The tour's side panel: a `complementary` region named "Guided demo" beside the page with the
//! step counter, the step's title (focused on every step change, so keyboard and
//! screen-reader users land on it) and narration, "Do it for me", "Back"/"Next",
//! "Reset the demo", "Minimise" and "End tour"; Escape minimises it to its launcher.
//! Step changes and outcomes are announced through polite live regions. Shown only
//! when the console runs against the emulator and someone is signed in.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::actions::{demo_subscription, perform, set_scene};
use super::steps::{page_path, registry_id, STEPS};
use super::{highlight, Status, Tour};
use crate::action_error::ActionError;
use crate::arm_client::ArmClient;
use crate::components::error_box::ErrorBox;
use crate::config::Config;
use crate::i18n::catalogue::tour as words;
use crate::i18n::{tr, Locale};
use crate::session::SessionStore;
use crate::world_changed::WorldChanged;
use crate::write_mode::WriteMode;

/// The test id of the header's write-mode switch, outlined when a step needs write mode first.
const WRITE_MODE_SWITCH: &str = "write-mode";

/// Moves focus to the panel's heading once the view has rendered it: on opening, that waits for the
/// panel's chunk, so it looks again on each animation frame, for about two seconds at most.
fn focus_heading_soon(heading: NodeRef<leptos::html::H2>) {
    focus_when_rendered(heading, 120);
}

fn focus_when_rendered(heading: NodeRef<leptos::html::H2>, frames_left: u32) {
    request_animation_frame(move || match heading.get_untracked() {
        Some(h) => {
            let _ = h.focus();
        }
        None if frames_left > 0 => focus_when_rendered(heading, frames_left - 1),
        None => {}
    });
}

/// Moves focus to the launcher once the view has rendered it.
fn focus_launcher_soon(launcher: NodeRef<leptos::html::Button>) {
    request_animation_frame(move || {
        if let Some(b) = launcher.get_untracked() {
            let _ = b.focus();
        }
    });
}

/// The demo subscription: remembered, else looked for once.
async fn subscription(tour: Tour, client: &ArmClient) -> Result<String, ActionError> {
    if let Some(sub) = tour.subscription.get_untracked() {
        return Ok(sub);
    }
    let sub = demo_subscription(client).await?;
    tour.subscription.set(Some(sub.clone()));
    Ok(sub)
}

#[component]
pub fn TourPanel() -> impl IntoView {
    let demo = use_context::<Config>().is_some_and(|c| c.demo);
    let session = SessionStore::expect();
    // Only the emulator's demo shows the tour, so its code is a wasm chunk of its own (issue 14; `#[lazy]`,
    // scripts/build_split.sh), fetched after sign-in; a Transition, so the panel appears whole.
    move || (demo && session.is_signed_in()).then(|| view! { <Transition>{Suspend::new(tour_frame())}</Transition> })
}

#[lazy]
fn tour_frame() -> AnyView {
    view! { <TourFrame /> }.into_any()
}

#[component]
fn TourFrame() -> impl IntoView {
    let tour = Tour::expect();
    let mode = WriteMode::expect();
    let locale = Locale::expect();
    let heading = NodeRef::<leptos::html::H2>::new();
    let launcher = NodeRef::<leptos::html::Button>::new();
    let total = STEPS.len().to_string();
    let numbers = move |step: usize| (step + 1).to_string();

    // The element to use: the step's, or the write-mode switch while a writing step waits for it.
    // Once "Do it for me" is done, where the result is read.
    let target = Signal::derive(move || {
        let def = STEPS[tour.step().filter(|_| tour.is_open())?];
        Some(match tour.status.get() {
            Status::Done(_) => def.shows,
            _ if def.writes && !mode.is_on() => WRITE_MODE_SWITCH,
            _ => def.target,
        })
    });
    highlight::follow(target);
    // The body makes room for the panel while it is open (style/tour.css).
    Effect::new(move |_| {
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let _ = if tour.is_open() { body.class_list().add_1("tour-open") } else { body.class_list().remove_1("tour-open") };
        }
    });
    on_cleanup(|| {
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let _ = body.class_list().remove_1("tour-open");
        }
    });

    let (total_a, total_b) = (total.clone(), total.clone());
    let launcher_words = move || match tour.step() {
        Some(step) => locale.fill(words::RESUME, &[("n", &numbers(step)), ("total", &total_a)]),
        None => tr(words::START)().to_string(),
    };
    let open = move |_| {
        tour.open();
        focus_heading_soon(heading);
    };
    // Only opening and minimising re-render the frame: a step change keeps the panel (and its running task).
    let is_open = Memo::new(move |_| tour.is_open());
    view! {
        {move || {
            if !is_open.get() {
                return view! {
                    <button type="button" class="tour-launcher" data-testid="tour-start" node_ref=launcher on:click=open>
                        {launcher_words.clone()}
                    </button>
                }
                .into_any();
            }
            // The open panel ("Do it for me" and the writes it runs) is a chunk of its own, fetched when
            // the tour opens: on a page load only the launcher's code comes (issue 14).
            let total = total_b.clone();
            view! { <Transition>{Suspend::new(tour_aside(heading, launcher, total))}</Transition> }.into_any()
        }}
    }
}

#[lazy]
fn tour_aside(heading: NodeRef<leptos::html::H2>, launcher: NodeRef<leptos::html::Button>, total: String) -> AnyView {
    view! { <TourAside heading launcher total /> }.into_any()
}

#[component]
fn TourAside(heading: NodeRef<leptos::html::H2>, launcher: NodeRef<leptos::html::Button>, total: String) -> impl IntoView {
    let tour = Tour::expect();
    let mode = WriteMode::expect();
    let session = SessionStore::expect();
    let locale = Locale::expect();
    let world = use_context::<WorldChanged>();
    let navigate = use_navigate();
    let step = move || tour.step().unwrap_or(0);
    let def = move || STEPS[step()];
    let count = STEPS.len();
    let busy = move || matches!(tour.status.get(), Status::Working | Status::Waiting(_) | Status::Resetting);

    let show = {
        let navigate = navigate.clone();
        move |path: String| navigate(&path, NavigateOptions::default())
    };
    let go = {
        let show = show.clone();
        move |to: usize| {
            tour.go_to(to);
            if let Some(sub) = tour.subscription.get_untracked() {
                show(page_path(&STEPS[to], &sub));
            }
            focus_heading_soon(heading);
        }
    };
    let (go_back, go_next) = (go.clone(), go);
    // "Do it for me" (`scene` false) and the step's scene-setting button (`scene` true): the same
    // status, then the tour registry's page read again.
    let act = {
        let show = show.clone();
        move |scene: bool| {
            let Some(client) = session.client() else { return };
            let def = STEPS[step()];
            if def.writes {
                mode.set(true);
            }
            tour.status.set(Status::Working);
            let show = show.clone();
            spawn_local(async move {
                let outcome = async {
                    let sub = subscription(tour, &client).await?;
                    let waiting = move |secs: i64| {
                        let _ = tour.status.try_set(Status::Waiting(secs));
                    };
                    let said = if scene {
                        set_scene(def.id, &client, &sub).await?
                    } else {
                        perform(def.id, &client, mode, &sub, &waiting).await?
                    };
                    Ok::<_, ActionError>((said, sub))
                }
                .await;
                match outcome {
                    Ok((said, sub)) => {
                        tour.status.set(match (scene, said) {
                            (true, Some(text)) => Status::SceneSet(text),
                            (_, said) => Status::Done(said),
                        });
                        // Every step's result is the tour registry's page, read again.
                        show(crate::routes::registry_page(&registry_id(&sub)));
                        if let Some(w) = world {
                            w.bump();
                        }
                    }
                    Err(e) => tour.status.set(Status::Failed(e)),
                }
            });
        }
    };
    let (act_scene, act_do) = (act.clone(), act);
    let reset = move |_| {
        let Some(client) = session.client() else { return };
        tour.status.set(Status::Resetting);
        let show = show.clone();
        spawn_local(async move {
            match client.reset_demo().await {
                Ok(()) => {
                    if let Some(sub) = tour.subscription.get_untracked() {
                        mode.forget(&registry_id(&sub).to_string());
                    }
                    tour.go_to(0);
                    tour.status.set(Status::ResetDone);
                    // Step 1's page; not a re-read of the page shown, which may be the tour registry's,
                    // gone now (the navigation takes it away).
                    show(crate::routes::CREATE.to_string());
                    focus_heading_soon(heading);
                }
                Err(e) => tour.status.set(Status::Failed(e.into())),
            }
        });
    };
    let minimise = move || {
        tour.minimise();
        focus_launcher_soon(launcher);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            minimise();
        }
    };

    let total_for_counter = total.clone();
    let counter = move || locale.fill(words::COUNTER, &[("n", &(step() + 1).to_string()), ("total", &total_for_counter)]);
    let announce = move || {
        let title = def().title.get(locale.get());
        locale.fill(words::ANNOUNCE, &[("n", &(step() + 1).to_string()), ("total", &total), ("title", title)])
    };
    let hint = move || if def().writes && !mode.is_on() { tr(words::NEEDS_WRITE_MODE)() } else { tr(words::HIGHLIGHT_HINT)() };
    let status = move || match tour.status.get() {
        Status::Idle => None,
        Status::Working => Some(view! { <p>{tr(words::DOING)}</p> }.into_any()),
        Status::Waiting(secs) => {
            Some(view! { <p>{locale.fill(words::WAITING_ROTATION, &[("seconds", &secs.to_string())])}</p> }.into_any())
        }
        Status::Done(said) => {
            let finished = (step() + 1 == count).then(|| view! { <p data-testid="tour-finished">{tr(words::FINISHED)}</p> });
            Some(
                view! {
                    <p data-testid="tour-done">{tr(words::DONE)}</p>
                    {said.map(|text| view! { <p data-testid="tour-said">{tr(text)}</p> })}
                    {finished}
                }
                .into_any(),
            )
        }
        Status::SceneSet(text) => Some(
            view! {
                <p data-testid="tour-done">{tr(words::DONE)}</p>
                <p data-testid="tour-said">{tr(text)}</p>
            }
            .into_any(),
        ),
        Status::Failed(error) => Some(view! { <p>{tr(words::FAILED)}</p> <ErrorBox error testid="tour-error" /> }.into_any()),
        Status::Resetting => Some(view! { <p>{tr(words::RESETTING)}</p> }.into_any()),
        Status::ResetDone => Some(view! { <p data-testid="tour-reset-done">{tr(words::RESET_DONE)}</p> }.into_any()),
    };

    view! {
        <aside
            class="tour-panel"
            aria-label=tr(words::TOUR)
            data-testid="tour-panel"
            data-step=move || (step() + 1).to_string()
            on:keydown=on_key
        >
            <p class="tour-kicker">
                <span>{tr(words::TOUR)}</span>
                " · "
                <span data-testid="tour-counter">{counter}</span>
            </p>
            <h2 id="tour-heading" tabindex="-1" node_ref=heading data-testid="tour-heading">{move || tr(def().title)()}</h2>
            <p class="visually-hidden" aria-live="polite" data-testid="tour-announce">{announce}</p>
            <p data-testid="tour-narration">{move || tr(def().narration)()}</p>
            <p class="muted tour-hint">{hint}</p>
            <div class="tour-status" role="status" data-testid="tour-status">{status}</div>
            <div class="tour-actions">
                {move || {
                    let act = act_scene.clone();
                    def().scene.map(|label| view! {
                        <button type="button" data-testid="tour-scene" disabled=busy on:click=move |_| act(true)>{tr(label)}</button>
                    })
                }}
                <button type="button" class="primary" data-testid="tour-do" disabled=busy on:click=move |_| act_do(false)>{tr(words::DO_IT)}</button>
                <button type="button" data-testid="tour-back" disabled=move || busy() || step() == 0 on:click=move |_| go_back(step() - 1)>
                    {tr(words::BACK)}
                </button>
                <button type="button" data-testid="tour-next" disabled=move || busy() || step() + 1 == count on:click=move |_| go_next(step() + 1)>
                    {tr(words::NEXT)}
                </button>
            </div>
            <div class="tour-actions tour-secondary">
                <button type="button" data-testid="tour-reset" disabled=busy on:click=reset>{tr(words::RESET)}</button>
                <button type="button" data-testid="tour-minimise" on:click=move |_| minimise()>{tr(words::MINIMISE)}</button>
                <button type="button" data-testid="tour-end" on:click=move |_| tour.end()>{tr(words::END)}</button>
            </div>
        </aside>
    }
}
