//! The browser's clock, in the Unix seconds the domain crate works with.

/// Now, in whole Unix seconds.
pub fn now_unix_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
