//! The language menu: a native `<select>`, so keyboards and screen readers get
//! the platform's own control. Each language is named in itself ("한국어"), as
//! someone who cannot read the current language still finds theirs.

use acr_cmk_domain::text::Lang;
use leptos::prelude::*;

use crate::i18n::catalogue::shell;
use crate::i18n::{tr, Locale};

/// `labelled`: the label shows (in the account menu); otherwise it is for screen readers only.
#[component]
pub fn LanguageSwitch(#[prop(optional)] labelled: bool) -> impl IntoView {
    let locale = Locale::expect();
    let on_change = move |ev| {
        if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
            locale.choose(lang);
        }
    };
    let options = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <option value=lang.tag() lang=lang.tag() selected=move || locale.get() == lang>
                    {lang.native_name()}
                </option>
            }
        })
        .collect_view();
    view! {
        <label class="language" class:labelled=labelled>
            <span class:visually-hidden=!labelled>{tr(shell::LANGUAGE)}</span>
            <select data-testid="language" on:change=on_change prop:value=move || locale.get().tag()>
                {options}
            </select>
        </label>
    }
}
