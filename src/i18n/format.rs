//! Dates, times and durations in the page's language, by the
//! browser's `Intl` (no formatting data in the wasm). Times are shown in UTC,
//! as Azure's logs and the portal's activity log show them, with the zone named.

use acr_cmk_domain::text::Lang;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

fn options(pairs: &[(&str, &str)]) -> Object {
    let options = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    options
}

fn locales(lang: Lang) -> Array {
    Array::of1(&JsValue::from_str(lang.tag()))
}

/// "Nov 30, 2026, 10:32 AM UTC" / "2026. 11. 30. 오전 10:32 UTC".
pub fn date_time(lang: Lang, unix_secs: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(unix_secs as f64 * 1000.0));
    let options = options(&[("dateStyle", "medium"), ("timeStyle", "short"), ("timeZone", "UTC")]);
    let text = String::from(date.to_locale_string(lang.tag(), &options));
    // `timeStyle` cannot be combined with `timeZoneName`, so the zone is added here.
    format!("{text} UTC")
}

/// "in 42 minutes" / "42분 후", "3 minutes ago" / "3분 전": the largest whole unit.
pub fn relative(lang: Lang, seconds_from_now: i64) -> String {
    let (value, unit) = match seconds_from_now.unsigned_abs() {
        s if s < 60 => (seconds_from_now, "second"),
        s if s < 3_600 => (seconds_from_now / 60, "minute"),
        s if s < 86_400 => (seconds_from_now / 3_600, "hour"),
        _ => (seconds_from_now / 86_400, "day"),
    };
    let format = js_sys::Intl::RelativeTimeFormat::new(&locales(lang), &options(&[("numeric", "auto")]));
    String::from(format.format(value as f64, unit))
}

/// "2026-11-30T10:32:00Z": what a copy button copies, the same in every language.
pub fn iso_utc(unix_secs: i64) -> String {
    format!("{}Z", acr_cmk_domain::encryption::format_unix_utc(unix_secs).replacen(' ', "T", 1))
}
