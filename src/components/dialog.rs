//! The modal dialog shell: a native `<dialog>` opened with `showModal()`, so
//! the browser traps focus in it, Escape closes it, and focus returns to the
//! button that opened it. While something inside marks itself
//! `data-running="true"` (a write in flight), Escape and × wait.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::i18n::catalogue::shell;
use crate::i18n::{tr, Locale, Words};

/// A modal `<dialog>`, shown while `open` is true.
#[component]
pub fn ModalDialog(
    open: RwSignal<bool>,
    /// The heading; also the dialog's accessible name.
    #[prop(into)]
    title: Words,
    #[prop(into)] testid: String,
    children: ChildrenFn,
) -> impl IntoView {
    let locale = Locale::expect();
    let dialog = NodeRef::<Dialog>::new();
    let title_id = format!("{testid}-title");
    let labelled_by = title_id.clone();
    Effect::new(move |_| {
        let Some(el) = dialog.get() else { return };
        if open.get() {
            if !el.open() {
                let _ = el.show_modal();
            }
        } else if el.open() {
            el.close();
        }
    });
    view! {
        <dialog
            node_ref=dialog
            class="write-dialog"
            data-testid=testid
            aria-labelledby=labelled_by
            on:close=move |_| open.set(false)
            on:cancel=move |ev: web_sys::Event| {
                if busy(dialog) {
                    ev.prevent_default();
                }
            }
        >
            <header class="dialog-head">
                <h2 id=title_id>{move || title.get(locale.get())}</h2>
                <button
                    type="button"
                    class="secondary close"
                    aria-label=tr(shell::CLOSE)
                    on:click=move |_| {
                        if !busy(dialog) {
                            open.set(false);
                        }
                    }
                >
                    "×"
                </button>
            </header>
            // Rendered only while open: every opening starts from a fresh form.
            {move || open.get().then(|| children())}
        </dialog>
    }
}

/// Something inside `dialog` is running: closing now would hide its outcome
/// (a write cannot be called back), so Escape and × wait.
fn busy(dialog: NodeRef<Dialog>) -> bool {
    dialog.get_untracked().and_then(|d| d.query_selector("[data-running='true']").ok().flatten()).is_some()
}
