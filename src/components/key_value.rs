//! A labelled value row (`<dt>`/`<dd>`), the Azure portal's "Essentials" look.

use leptos::prelude::*;

use super::copy_button::CopyButton;

/// Shown for a field ARM did not send.
pub const NOT_SET: &str = "(not set)";

#[component]
pub fn KeyValue(
    /// Human label.
    label: &'static str,
    /// The ARM JSON field name, shown beside the label.
    #[prop(optional)]
    field: Option<&'static str>,
    /// `data-testid` of the value element.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// The value as ARM sent it; `None` shows [`NOT_SET`].
    value: Option<String>,
    /// Offer a copy button for the value.
    #[prop(optional)]
    copy: bool,
    /// Render the value in a monospace font (ids, URIs).
    #[prop(optional)]
    mono: bool,
) -> impl IntoView {
    let is_set = value.is_some();
    let class = match (is_set, mono) {
        (false, _) => "value unset",
        (true, true) => "value mono",
        (true, false) => "value",
    };
    let copy_button = (copy && is_set).then(|| {
        let text = value.clone().unwrap_or_default();
        view! { <CopyButton text=text label=label.to_lowercase() /> }
    });
    view! {
        <div class="kv-row">
            <dt>
                {label}
                {field.map(|f| view! { <code class="field">{f}</code> })}
            </dt>
            <dd>
                <span class=class data-testid=testid>{value.unwrap_or_else(|| NOT_SET.to_string())}</span>
                {copy_button}
            </dd>
        </div>
    }
}
