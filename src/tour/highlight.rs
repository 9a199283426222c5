//! The outline on the element a step uses: the attribute `data-tour-target` on the
//! element with the step's `data-testid` (styled in `style/tour.css` with `outline`, which
//! takes no room, so the page's layout does not move). Pages render when their reads
//! answer, so the element is looked for twice a second; the first time it appears it is
//! scrolled into view.

use leptos::prelude::*;

const ATTRIBUTE: &str = "data-tour-target";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Moves the outline to the element `test_id` names (none: no outline); returns whether it is on one.
fn mark(test_id: Option<&str>) -> bool {
    let Some(doc) = document() else { return false };
    // The attribute holds the test id it was set for: a label outlined for its control keeps it.
    let others = match test_id {
        Some(id) => format!("[{ATTRIBUTE}]:not([{ATTRIBUTE}=\"{id}\"])"),
        None => format!("[{ATTRIBUTE}]"),
    };
    while let Some(el) = doc.query_selector(&others).ok().flatten() {
        let _ = el.remove_attribute(ATTRIBUTE);
    }
    let Some(id) = test_id else { return false };
    // A control inside a label (the header's write-mode switch) is outlined with its label.
    let found = doc.query_selector(&format!("[data-testid=\"{id}\"]")).ok().flatten();
    match found.map(|el| el.closest("label").ok().flatten().unwrap_or(el)) {
        Some(el) => {
            if !el.has_attribute(ATTRIBUTE) {
                let _ = el.set_attribute(ATTRIBUTE, id);
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Center);
                el.scroll_into_view_with_scroll_into_view_options(&options);
            }
            true
        }
        None => false,
    }
}

/// Keeps the outline on `target`'s element while this runs (the panel's lifetime).
pub fn follow(target: Signal<Option<&'static str>>) {
    let handle = set_interval_with_handle(
        move || {
            mark(target.get_untracked());
        },
        std::time::Duration::from_millis(500),
    );
    Effect::new(move |_| {
        mark(target.get());
    });
    on_cleanup(move || {
        if let Ok(h) = handle {
            h.clear();
        }
        mark(None);
    });
}
