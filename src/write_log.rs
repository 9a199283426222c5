//! Writes outlive the dialog that started them: a write cannot be called back
//! once sent, so when its dialog goes away mid-write (Back, another page, a
//! page refresh) the write runs on, and its outcome lands here. The notice
//! under the header shows writes whose dialog is gone: still running, or how
//! they ended, until dismissed. Writes watched to the end by their dialog
//! leave no trace here.

use crate::i18n::catalogue::shell;
use crate::i18n::{tr, Locale};
use acr_cmk_domain::text::{Sentence, Text};
use leptos::prelude::*;

use crate::action_error::ActionError;
use crate::components::error_box::ErrorBox;

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Running,
    Done,
    Failed(ActionError),
}

#[derive(Clone, Debug, PartialEq)]
struct Entry {
    id: u64,
    /// What the write does (its steps' summaries).
    title: Sentence,
    outcome: Outcome,
    /// Its dialog still shows it.
    watched: bool,
}

#[derive(Clone, Copy)]
pub struct WriteLog {
    entries: RwSignal<Vec<Entry>>,
    next: StoredValue<u64>,
}

/// One write's place in the log.
#[derive(Clone, Copy, Debug)]
pub struct Ticket(u64);

impl WriteLog {
    /// Provides the (empty) log; signing out empties it, like every page's data.
    pub fn provide() -> WriteLog {
        let log = WriteLog { entries: RwSignal::new(Vec::new()), next: StoredValue::new(0) };
        provide_context(log);
        let session = crate::session::SessionStore::expect();
        Effect::new(move |_| {
            if !session.is_signed_in() {
                log.clear();
            }
        });
        log
    }

    pub fn expect() -> WriteLog {
        expect_context::<WriteLog>()
    }

    /// A write starts, watched by its dialog.
    pub fn start(&self, title: Sentence) -> Ticket {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.entries.update(|e| e.push(Entry { id, title, outcome: Outcome::Running, watched: true }));
        Ticket(id)
    }

    /// The write ended: forgotten when its dialog saw it, kept for the notice when not.
    pub fn finish(&self, ticket: Ticket, outcome: Outcome) {
        self.entries.update(|list| {
            list.retain(|e| !(e.id == ticket.0 && e.watched));
            if let Some(e) = list.iter_mut().find(|e| e.id == ticket.0) {
                e.outcome = outcome;
            }
        });
    }

    /// The dialog went away: a write still running becomes the notice's.
    pub fn unwatch(&self, ticket: Ticket) {
        self.entries.update(|list| {
            if let Some(e) = list.iter_mut().find(|e| e.id == ticket.0) {
                e.watched = false;
            }
        });
    }

    fn dismiss(&self, id: u64) {
        self.entries.update(|list| list.retain(|e| e.id != id));
    }

    fn clear(&self) {
        self.entries.set(Vec::new());
    }
}

/// Writes whose dialog is gone, under the header.
#[component]
pub fn BackgroundWrites() -> impl IntoView {
    let log = WriteLog::expect();
    let locale = Locale::expect();
    let shown = move || log.entries.with(|list| list.iter().filter(|e| !e.watched).cloned().collect::<Vec<_>>());
    move || {
        let list = shown();
        (!list.is_empty()).then(|| {
            view! {
                <section class="background-writes" aria-label=tr(shell::BACKGROUND_WRITES) data-testid="background-writes">
                    {list
                        .into_iter()
                        .map(|e| {
                            let id = e.id;
                            let (class, state, words) = look(&e.outcome);
                            let error = match e.outcome {
                                Outcome::Failed(error) => Some(view! { <ErrorBox error /> }),
                                _ => None,
                            };
                            view! {
                                <div class=class role="status" data-testid="background-write" data-state=state>
                                    <p>
                                        <strong>{tr(words)}</strong>
                                        " — "
                                        {move || e.title.get(locale.get())}
                                    </p>
                                    {error}
                                    <button type="button" class="secondary" on:click=move |_| log.dismiss(id)>
                                        {tr(shell::DISMISS)}
                                    </button>
                                </div>
                            }
                        })
                        .collect_view()}
                </section>
            }
        })
    }
}

/// An outcome's CSS class, its `data-state` for tests, and its words.
fn look(outcome: &Outcome) -> (&'static str, &'static str, Text) {
    match outcome {
        Outcome::Running => ("background-write running", "running", shell::BACKGROUND_RUNNING),
        Outcome::Done => ("background-write done", "done", shell::BACKGROUND_DONE),
        Outcome::Failed(e) if e.outcome_unknown() => ("background-write failed", "unknown", shell::BACKGROUND_UNKNOWN),
        Outcome::Failed(_) => ("background-write failed", "failed", shell::BACKGROUND_FAILED),
    }
}
