//! A labelled value row (`<dt>`/`<dd>`), the Azure portal's "Essentials" look.

use leptos::prelude::*;

use super::copy_button::CopyButton;
use crate::i18n::catalogue::shell;
use crate::i18n::{Locale, Words};

#[component]
pub fn KeyValue(
    /// Human label: a catalogue entry (or verbatim words).
    #[prop(into)]
    label: Words,
    /// The ARM JSON field name, shown beside the label.
    #[prop(optional)]
    field: Option<&'static str>,
    /// `data-testid` of the value element.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// The value as ARM sent it; `None` shows "(not set)" (or "Reading…", see `reading`).
    #[prop(into)]
    value: Signal<Option<String>>,
    /// Offer a copy button for the value.
    #[prop(optional)]
    copy: bool,
    /// Render the value in a monospace font (ids, URIs).
    #[prop(optional)]
    mono: bool,
    /// The value comes from a read still under way: say "Reading…", not "(not set)".
    #[prop(optional)]
    reading: bool,
) -> impl IntoView {
    let locale = Locale::expect();
    let is_set = value.with_untracked(Option::is_some);
    let class = match (is_set, mono) {
        (false, _) => "value unset",
        (true, true) => "value mono",
        (true, false) => "value",
    };
    let blank = if reading { shell::READING } else { shell::NOT_SET };
    let copy_button = (copy && is_set).then(|| {
        let text = value.get_untracked().unwrap_or_default();
        view! { <CopyButton text=text label=label.clone() /> }
    });
    view! {
        <div class="kv-row">
            <dt>
                {move || label.get(locale.get())}
                {field.map(|f| view! { <code class="field">{f}</code> })}
            </dt>
            <dd>
                <span class=class data-testid=testid>{move || value.get().unwrap_or_else(|| blank.get(locale.get()).to_string())}</span>
                {copy_button}
            </dd>
        </div>
    }
}
