//! The guided demo: the seed's story in eight steps, offered when the console runs against
//! the emulator (`config.json`'s `demo`). One file per concern: the steps as data
//! ([`steps`]), what "Do it for me" sends ([`actions`]), the side panel ([`panel`]) and
//! the outline on the element to use ([`highlight`]).
//!
//! The tour's state is a context provided by the app, so it survives navigation; its
//! step (and whether it is running or minimised) is kept in this tab's `sessionStorage`,
//! so a reload keeps it. Nothing else is stored: no token, no id.

pub mod actions;
mod highlight;
pub mod panel;
pub mod steps;

use acr_cmk_domain::text::Text;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::action_error::ActionError;

/// The `sessionStorage` key of the tour's place.
const STORAGE_KEY: &str = "acr-cmk.tour";

/// What the tour keeps across a reload.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Place {
    step: usize,
    minimised: bool,
}

/// What the last action of the panel came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    Working,
    /// Step 5: seconds waited for the registry to rotate by itself.
    Waiting(i64),
    Done(Option<Text>),
    /// The step's scene is set (`StepDef::scene`): what it did; the step itself is still to do.
    SceneSet(Text),
    Failed(ActionError),
    Resetting,
    ResetDone,
}

#[derive(Clone, Copy)]
pub struct Tour {
    /// `None`: not running.
    place: RwSignal<Option<Place>>,
    pub status: RwSignal<Status>,
    /// The subscription holding the demo's resource group, once found.
    pub subscription: RwSignal<Option<String>>,
}

impl Tour {
    /// Creates the context from what this tab kept, and keeps it in step with `sessionStorage`.
    pub fn provide() -> Tour {
        let tour = Tour { place: RwSignal::new(load()), status: RwSignal::new(Status::Idle), subscription: RwSignal::new(None) };
        provide_context(tour);
        Effect::watch(move || tour.place.get(), |place, _, _| store(*place), false);
        tour
    }

    pub fn expect() -> Tour {
        expect_context::<Tour>()
    }

    /// Tracked: the step shown (0-based), when the tour runs.
    pub fn step(self) -> Option<usize> {
        self.place.get().map(|p| p.step)
    }

    /// Tracked.
    pub fn is_open(self) -> bool {
        self.place.get().is_some_and(|p| !p.minimised)
    }

    pub fn go_to(self, step: usize) {
        let step = step.min(steps::STEPS.len() - 1);
        self.place.set(Some(Place { step, minimised: false }));
        self.status.set(Status::Idle);
    }

    /// Opens the panel where it was (step 1 when it never ran).
    pub fn open(self) {
        let step = self.place.get_untracked().map_or(0, |p| p.step);
        self.place.set(Some(Place { step, minimised: false }));
    }

    pub fn minimise(self) {
        self.place.update(|p| {
            if let Some(p) = p {
                p.minimised = true;
            }
        });
    }

    pub fn end(self) {
        self.place.set(None);
        self.status.set(Status::Idle);
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn load() -> Option<Place> {
    let place: Place = serde_json::from_str(&storage()?.get_item(STORAGE_KEY).ok()??).ok()?;
    Some(Place { step: place.step.min(steps::STEPS.len() - 1), ..place })
}

fn store(place: Option<Place>) {
    let Some(storage) = storage() else { return };
    match place.and_then(|p| serde_json::to_string(&p).ok()) {
        Some(json) => {
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
        None => {
            let _ = storage.remove_item(STORAGE_KEY);
        }
    }
}
