//! The console's language: English or Korean, chosen once per browser.
//!
//! - The first visit follows the browser (`navigator.languages`); a choice made
//!   in the header is kept in `localStorage` (a language is not a secret, and
//!   only an explicit choice is stored); other tabs of the console follow it.
//! - `<html lang>` follows the language, so screen readers and fonts do.
//! - Views show a catalogue entry with [`tr`]; the words live in
//!   [`catalogue`], both languages side by side ([`acr_cmk_domain::text::Text`]).
//! - Switching re-renders only the words: the page, an open dialog and write
//!   mode stay as they are.

pub mod catalogue;
pub mod format;

use acr_cmk_domain::text::{Lang, Sentence, Text};
use leptos::prelude::*;

/// The `localStorage` key of an explicit language choice.
const STORAGE_KEY: &str = "acr-cmk-console.lang";

/// The app-wide language signal.
#[derive(Clone, Copy, Debug)]
pub struct Locale(RwSignal<Lang>);

impl Locale {
    /// Reads the stored choice or the browser's languages, provides the
    /// language to the app, and keeps `<html lang>` in step.
    pub fn provide() -> Locale {
        let locale = Locale(RwSignal::new(stored().unwrap_or_else(from_browser)));
        provide_context(locale);
        Effect::new(move |_| set_document_lang(locale.0.get()));
        // A choice made in another tab applies here too (an open dialog, behind which
        // the header is inert, follows it without closing).
        let listener = window_event_listener(leptos::ev::storage, move |event| {
            if event.key().as_deref() == Some(STORAGE_KEY) {
                if let Some(lang) = event.new_value().as_deref().and_then(Lang::from_tag) {
                    locale.0.set(lang);
                }
            }
        });
        std::mem::forget(listener);
        locale
    }

    pub fn expect() -> Locale {
        expect_context::<Locale>()
    }

    pub fn get(self) -> Lang {
        self.0.get()
    }

    /// The user's choice: applied and remembered for the next visit.
    pub fn choose(self, lang: Lang) {
        self.0.set(lang);
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
    }

    /// `text` in the current language, following a switch.
    pub fn tr(self, text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || text.get(self.0.get())
    }

    /// `text` with its `{name}`s filled, in the current language.
    pub fn fill(self, text: Text, args: &[(&str, &str)]) -> String {
        text.fill(self.0.get(), args)
    }
}

/// `text` in the current language (the view's way to show a catalogue entry).
pub fn tr(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    Locale::expect().tr(text)
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored() -> Option<Lang> {
    Lang::from_tag(&local_storage()?.get_item(STORAGE_KEY).ok().flatten()?)
}

fn from_browser() -> Lang {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Lang::default();
    };
    let tags: Vec<String> = navigator.languages().iter().filter_map(|tag| tag.as_string()).collect();
    Lang::preferred(tags.iter().map(String::as_str))
}

fn set_document_lang(lang: Lang) {
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", lang.tag());
    }
}

/// Words a widget shows that its caller chooses: a catalogue entry (shown in
/// the page's language), or text shown as given (a resource's name, an id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Words {
    Text(Text),
    Verbatim(String),
    /// A sentence the domain made, with its values.
    Sentence(Sentence),
}

impl Words {
    pub fn get(&self, lang: Lang) -> String {
        match self {
            Words::Text(text) => text.get(lang).to_string(),
            Words::Verbatim(s) => s.clone(),
            Words::Sentence(s) => s.get(lang),
        }
    }
}

impl From<Sentence> for Words {
    fn from(sentence: Sentence) -> Words {
        Words::Sentence(sentence)
    }
}

impl From<Text> for Words {
    fn from(text: Text) -> Words {
        Words::Text(text)
    }
}

impl From<String> for Words {
    fn from(s: String) -> Words {
        Words::Verbatim(s)
    }
}

impl From<&str> for Words {
    fn from(s: &str) -> Words {
        Words::Verbatim(s.to_string())
    }
}
