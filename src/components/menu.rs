//! Closing a disclosure menu (a button that shows a panel) the way people
//! expect: Escape closes it and puts focus back on its button, a click outside
//! closes it.

use leptos::html::{Button, Div};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// While this component lives, Escape and clicks outside `root` set `open` to false.
/// `root` holds both the button and its panel, so the button's own click is not "outside".
pub fn close_on_escape_or_outside(open: RwSignal<bool>, root: NodeRef<Div>, button: NodeRef<Button>) {
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    });
    let clicks = window_event_listener(leptos::ev::click, move |ev| {
        if !open.get_untracked() {
            return;
        }
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = root.get_untracked().is_some_and(|root| root.contains(target.as_ref()));
        if !inside {
            open.set(false);
        }
    });
    on_cleanup(move || {
        keys.remove();
        clicks.remove();
    });
}
