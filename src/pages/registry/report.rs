//! The ticket report's buttons: "Copy report" puts the Markdown on the
//! clipboard, "Download report" saves the JSON. What goes in it is
//! `acr_cmk_domain::report` (built from the diagnosis and its reads' ids, never
//! from a token); this only renders it.

use acr_cmk_domain::report::TicketReport;
use acr_cmk_domain::text::Text;
use leptos::prelude::*;

use crate::i18n::catalogue::report as words;
use crate::i18n::tr;

/// How long "Copied" stays.
const CONFIRM_MS: u32 = 2000;

#[component]
pub fn ReportActions(report: TicketReport) -> impl IntoView {
    let markdown = report.to_markdown();
    let json = report.to_json();
    let file_name = report.file_name();
    let download = format!("data:application/json;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&json)));
    let status = RwSignal::new(None::<Text>);
    let text = markdown.clone();
    let copy = move |_| {
        let Some(window) = web_sys::window() else { return };
        let promise = window.navigator().clipboard().write_text(&text);
        leptos::task::spawn_local(async move {
            let said = match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => words::COPIED,
                Err(_) => words::CLIPBOARD_REFUSED,
            };
            let _ = status.try_set(Some(said));
            gloo_timers::callback::Timeout::new(CONFIRM_MS, move || {
                let _ = status.try_set(None);
            })
            .forget();
        });
    };
    view! {
        <section class="panel report" aria-labelledby="report-title" data-testid="report">
            <div class="panel-head">
                <h2 id="report-title">{tr(words::TITLE)}</h2>
                <div class="panel-actions">
                    <button type="button" data-testid="report-copy" on:click=copy>
                        {tr(words::COPY)}
                    </button>
                    <a class="button-link" href=download download=file_name data-testid="report-download">
                        {tr(words::DOWNLOAD)}
                    </a>
                </div>
            </div>
            <p class="help">{tr(words::HELP)}</p>
            <p class="report-status" role="status" data-testid="report-status">
                {move || status.get().map(|said| tr(said)())}
            </p>
            <details>
                <summary>{tr(words::SHOW)}</summary>
                <pre data-testid="report-markdown" tabindex="0" aria-label=tr(words::AS_MARKDOWN)>{markdown}</pre>
            </details>
        </section>
    }
}
