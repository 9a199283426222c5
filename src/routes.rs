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

/// The pages whose code is a wasm chunk of its own (issue 14), named for what they show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LazyPage {
    /// Entra ID's redirect back (`/auth/callback`).
    Callback,
    Registries,
    Registry,
    Fleet,
    Decode,
    Create,
}

/// The lazily loaded page a page load at `path_and_query` ends on: that page itself, or, on the sign-in
/// page, the one its `next` returns to (a deep link opened signed out goes through sign-in first). Its
/// chunk can then be fetched while the console starts and the user signs in, not after.
pub fn page_after_load(path_and_query: &str) -> Option<LazyPage> {
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    if path == SIGN_IN {
        let next = query.split('&').find_map(|pair| pair.strip_prefix("next=")).map(acr_cmk_domain::url_component::decode);
        let next = after_sign_in(next);
        return page_after_load(next.split('?').next().unwrap_or(HOME)).filter(|_| !next.starts_with(SIGN_IN));
    }
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    match segments.as_slice() {
        [] | [""] => Some(LazyPage::Registries),
        ["create"] => Some(LazyPage::Create),
        ["fleet"] => Some(LazyPage::Fleet),
        ["decode"] => Some(LazyPage::Decode),
        ["auth", "callback"] => Some(LazyPage::Callback),
        ["subscriptions", _, "resourceGroups", _, "registries", _] => Some(LazyPage::Registry),
        _ => None,
    }
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
    fn a_page_load_names_the_page_whose_chunk_it_will_need() {
        let registry = "/subscriptions/s/resourceGroups/g/registries/r";
        assert_eq!(page_after_load(registry), Some(LazyPage::Registry));
        assert_eq!(page_after_load("/"), Some(LazyPage::Registries));
        assert_eq!(page_after_load("/fleet?q=prod&cmk=yes"), Some(LazyPage::Fleet));
        assert_eq!(page_after_load("/create?from=x"), Some(LazyPage::Create));
        assert_eq!(page_after_load("/decode"), Some(LazyPage::Decode));
        // Signed out on a deep link: the sign-in page, then the page it returns to.
        // (as `sign_in_returning_to` writes them: encodeURIComponent)
        let signed_out = "/sign-in?next=%2Fsubscriptions%2Fs%2FresourceGroups%2Fg%2Fregistries%2Fr";
        assert_eq!(page_after_load(signed_out), Some(LazyPage::Registry));
        assert_eq!(page_after_load("/sign-in?next=%2Ffleet%3Fq%3Da"), Some(LazyPage::Fleet));
        assert_eq!(page_after_load(SIGN_IN), Some(LazyPage::Registries));
        assert_eq!(page_after_load("/sign-in?next=https%3A%2F%2Fevil.example%2F"), Some(LazyPage::Registries));
        assert_eq!(page_after_load("/auth/callback?code=c&state=s"), Some(LazyPage::Callback));
        // Not a page with a chunk: an unknown path, a registry path cut short.
        assert_eq!(page_after_load("/nothing"), None);
        assert_eq!(page_after_load("/subscriptions/s/resourceGroups/g"), None);
    }

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
