//! Export of the current view (search, filters and sort as shown): CSV through
//! the domain's `csv()` (RFC 4180, formula cells neutralised) or JSON, offered
//! as a download link to a Blob URL made on request (10,000 rows are not
//! serialised on every keystroke). The previous URL is revoked when a new one is
//! made and when the page goes.

use std::sync::Arc;

use acr_cmk_domain::fleet::{csv, FleetRow};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::i18n::catalogue::fleet as words;
use crate::i18n::{tr, Locale};

/// A file ready to download.
#[derive(Clone, PartialEq)]
struct Prepared {
    url: String,
    file: &'static str,
    rows: usize,
}

#[component]
pub(super) fn Export(rows: Arc<Vec<FleetRow>>, order: Memo<Arc<Vec<usize>>>) -> impl IntoView {
    let locale = Locale::expect();
    let prepared = RwSignal::new(None::<Prepared>);
    let failed = RwSignal::new(None::<String>);
    let make = Callback::new(move |json: bool| {
        let picked: Vec<FleetRow> = order.with_untracked(|o| o.iter().map(|&i| rows[i].clone()).collect());
        let (text, mime, file) = if json {
            (serde_json::to_string_pretty(&picked).unwrap_or_default(), "application/json", "fleet.json")
        } else {
            (csv(&picked), "text/csv;charset=utf-8", "fleet.csv")
        };
        match blob_url(&text, mime) {
            Ok(url) => {
                if let Some(old) = prepared.get_untracked() {
                    let _ = web_sys::Url::revoke_object_url(&old.url);
                }
                failed.set(None);
                prepared.set(Some(Prepared { url, file, rows: picked.len() }));
            }
            Err(e) => failed.set(Some(format!("{e:?}"))),
        }
    });
    on_cleanup(move || {
        if let Some(old) = prepared.try_get_untracked().flatten() {
            let _ = web_sys::Url::revoke_object_url(&old.url);
        }
    });
    // A new view makes a prepared file stale: it no longer matches what is shown.
    Effect::watch(move || order.track(), move |_, _, _| prepared.set(None), false);

    view! {
        <div class="fleet-export">
            <button type="button" class="secondary" data-testid="export-csv" on:click=move |_| make.run(false)>
                {tr(words::EXPORT_CSV)}
            </button>
            <button type="button" class="secondary" data-testid="export-json" on:click=move |_| make.run(true)>
                {tr(words::EXPORT_JSON)}
            </button>
            {move || prepared.get().map(|p| view! {
                <a class="button-link" href=p.url download=p.file data-testid="export-download" data-file=p.file>
                    {let rows = p.rows.to_string(); move || locale.fill(words::DOWNLOAD, &[("file", p.file), ("rows", &rows)])}
                </a>
            })}
            {move || {
                failed
                    .get()
                    .map(|error| {
                        view! {
                            <p class="error-text" role="alert">
                                {locale.fill(words::FILE_FAILED, &[("error", &error)])}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

fn blob_url(text: &str, mime: &str) -> Result<String, JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    web_sys::Url::create_object_url_with_blob(&blob)
}
