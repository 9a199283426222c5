//! A signal that Azure changed outside the page being shown (the guided demo's "Do it
//! for me" and "Reset the demo", `crate::tour`): a page that reads ARM when it opens
//! tracks it and reads again. Provided by the app; absent (in a unit test) it never fires.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug)]
pub struct WorldChanged(RwSignal<u32>);

impl WorldChanged {
    pub fn provide() -> WorldChanged {
        let changed = WorldChanged(RwSignal::new(0));
        provide_context(changed);
        changed
    }

    /// Says that the world changed: every tracking read runs again.
    pub fn bump(self) {
        self.0.update(|n| *n = n.wrapping_add(1));
    }

    /// Tracked: call inside a resource's source to read again on each change.
    pub fn track() {
        if let Some(changed) = use_context::<WorldChanged>() {
            changed.0.track();
        }
    }
}
