//! The console's addresses. A registry page's path mirrors its ARM id, so the
//! id is rebuilt from the route's parameters.

use acr_cmk_domain::arm::ResourceId;

pub const SIGN_IN: &str = "/sign-in";
/// Subscriptions and their registries.
pub const HOME: &str = "/";
/// A new registry with a customer-managed key (write mode).
pub const CREATE: &str = "/create";
/// Every registry of the tenant (Resource Graph), with its view in the query.
pub const FLEET: &str = "/fleet";
/// The error decoder.
pub const DECODE: &str = "/decode";

/// `/subscriptions/{s}/resourceGroups/{g}/registries/{name}`.
pub fn registry_page(id: &ResourceId) -> String {
    format!("/subscriptions/{}/resourceGroups/{}/registries/{}", id.subscription_id, id.resource_group, id.name)
}

/// The creation flow pre-filled from a registry without CMK (`/create?from=<id>`).
pub fn create_from(registry_id: &str) -> String {
    format!("{CREATE}?from={}", String::from(js_sys::encode_uri_component(registry_id)))
}

/// The sign-in page, returning to the page being opened (`?next=`) afterwards.
pub fn sign_in_returning_to(path: &str) -> String {
    match local_path(path) {
        Some(path) if path != HOME && !path.starts_with(SIGN_IN) => {
            format!("{SIGN_IN}?next={}", String::from(js_sys::encode_uri_component(path)))
        }
        _ => SIGN_IN.to_string(),
    }
}

/// Where the sign-in page sends the user: `next` when it is a path of this
/// console (never another site: `//host`, `/\host` or `scheme:` are refused).
pub fn after_sign_in(next: Option<String>) -> String {
    next.as_deref().and_then(local_path).map(str::to_string).unwrap_or_else(|| HOME.to_string())
}

fn local_path(path: &str) -> Option<&str> {
    let local = path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") && !path.contains(|c: char| c.is_control());
    local.then_some(path)
}

/// The browser's current path and query.
pub fn current_path() -> String {
    web_sys::window()
        .and_then(|w| Some(format!("{}{}", w.location().pathname().ok()?, w.location().search().ok()?)))
        .unwrap_or_else(|| HOME.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        let page = "/subscriptions/s/resourceGroups/g/registries/r";
        assert_eq!(after_sign_in(Some(page.into())), page);
        assert_eq!(after_sign_in(None), HOME);
        assert_eq!(after_sign_in(Some("https://evil.example/".into())), HOME);
        assert_eq!(after_sign_in(Some("//evil.example/x".into())), HOME);
        assert_eq!(after_sign_in(Some("/\\evil.example".into())), HOME);
        assert_eq!(after_sign_in(Some("javascript:alert(1)".into())), HOME);
    }
}
