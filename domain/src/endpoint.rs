//! The ARM endpoint the console talks to, as the user typed it or the host
//! configured it, and the origin checks that keep the bearer token on it.

use std::fmt;

/// Public Azure's Resource Manager.
pub const DEFAULT_ENDPOINT: &str = "https://management.azure.com";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointError {
    Empty,
    NotHttp(String),
    NoHost(String),
    HasQuery(String),
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::Empty => write!(f, "Enter the ARM endpoint, e.g. {DEFAULT_ENDPOINT}."),
            EndpointError::NotHttp(e) => {
                write!(f, "'{e}' is not an endpoint URL: it must start with https:// (or http:// for a local emulator).")
            }
            EndpointError::NoHost(e) => write!(f, "'{e}' has no host name."),
            EndpointError::HasQuery(e) => {
                write!(f, "'{e}' must be a plain endpoint without query or fragment, e.g. {DEFAULT_ENDPOINT}.")
            }
        }
    }
}

impl std::error::Error for EndpointError {}

/// Checks an endpoint URL and returns it without trailing slashes.
///
/// `https://management.azure.com/` → `https://management.azure.com`.
/// Plain `http://` is accepted for local emulators.
pub fn normalize_endpoint(input: &str) -> Result<String, EndpointError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(EndpointError::Empty);
    }
    let Some((scheme, rest)) = split_scheme(input) else {
        return Err(EndpointError::NotHttp(input.to_string()));
    };
    if rest.contains(['?', '#']) {
        return Err(EndpointError::HasQuery(input.to_string()));
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') || host.contains(char::is_whitespace) || host.contains('@') {
        return Err(EndpointError::NoHost(input.to_string()));
    }
    Ok(format!("{scheme}://{}", rest.trim_end_matches('/')))
}

/// `https://Host:443/path?q` → `https://host`; `http://h:8080/x` → `http://h:8080`.
/// The default port of the scheme is dropped, so both spellings compare equal.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = split_scheme(url.trim())?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let authority = authority.to_ascii_lowercase();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    Some(format!("{scheme}://{authority}"))
}

/// A request URL the console refuses to send the bearer token to: not on the
/// endpoint's origin, or not a URL the console can be sure about (userinfo,
/// protocol-relative, backslashes, control characters, a scheme without `//`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignUrl {
    pub endpoint: String,
    pub target: String,
}

impl fmt::Display for ForeignUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not on {}; the console does not send your token there.", self.target, self.endpoint)
    }
}

impl std::error::Error for ForeignUrl {}

/// The one place that decides where a request (and so the bearer token) goes.
///
/// - A relative ARM path (`/subscriptions?…`) is appended to `endpoint`.
/// - An absolute `http(s)://` URL (a `nextLink`, an `Azure-AsyncOperation`) is
///   accepted only on the endpoint's origin: scheme and host compared
///   case-insensitively, default ports dropped; it is rebuilt from the
///   endpoint's own origin and the target's path, so the string returned is
///   the string sent.
/// - Refused: userinfo (`https://arm@evil/`), protocol-relative `//host` and
///   `\\host`, any backslash, `https:host` (browsers read it as
///   `https://host`), other schemes, paths not starting with `/`, and control
///   characters (browsers strip tabs and newlines anywhere in a URL).
///   Surrounding spaces are trimmed and inner spaces sent as `%20`, as a
///   browser would.
pub fn resolve(endpoint: &str, target: &str) -> Result<String, ForeignUrl> {
    let foreign = || ForeignUrl { endpoint: endpoint.to_string(), target: target.to_string() };
    let (base_origin, base_path) = split_endpoint(endpoint).ok_or_else(foreign)?;
    let t = target.trim_matches(' ');
    if t.chars().any(|c| c.is_control() || c == '\\' || (c.is_whitespace() && c != ' ')) {
        return Err(foreign());
    }
    let t = t.replace(' ', "%20");
    if t.starts_with('/') {
        if t.starts_with("//") {
            return Err(foreign());
        }
        return Ok(format!("{base_origin}{base_path}{t}"));
    }
    let (scheme, rest) = split_scheme(&t).ok_or_else(foreign)?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let target_origin = origin_of(scheme, authority).ok_or_else(foreign)?;
    if target_origin != base_origin {
        return Err(foreign());
    }
    let tail = if tail.starts_with('/') { tail.to_string() } else { format!("/{tail}") };
    Ok(format!("{base_origin}{tail}"))
}

/// `https://Host:443/base/` → (`https://host`, `/base`); `None` for what
/// [`resolve`] could not vouch for.
fn split_endpoint(endpoint: &str) -> Option<(String, String)> {
    let e = endpoint.trim();
    if e.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
        return None;
    }
    let (scheme, rest) = split_scheme(e)?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if path.contains(['?', '#']) {
        return None;
    }
    Some((origin_of(scheme, authority)?, path.trim_end_matches('/').to_string()))
}

/// The origin for an authority: lower-cased, default port dropped; `None` for
/// an empty host, userinfo or characters no host name has.
fn origin_of(scheme: &str, authority: &str) -> Option<String> {
    let authority = authority.to_ascii_lowercase();
    let host_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']');
    if authority.is_empty() || authority.starts_with(':') || !authority.chars().all(host_ok) {
        return None;
    }
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    Some(format!("{scheme}://{authority}"))
}

fn split_scheme(url: &str) -> Option<(&'static str, &str)> {
    for scheme in ["https", "http"] {
        let prefix_len = scheme.len() + 3;
        // `get`, not `[..]`: the cut may fall inside a multi-byte character.
        if url.get(..prefix_len).is_some_and(|p| p.eq_ignore_ascii_case(&format!("{scheme}://"))) {
            return Some((scheme, &url[prefix_len..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_normalized() {
        assert_eq!(normalize_endpoint(" https://management.azure.com/ ").unwrap(), DEFAULT_ENDPOINT);
        assert_eq!(normalize_endpoint("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(normalize_endpoint("HTTPS://management.azure.com").unwrap(), DEFAULT_ENDPOINT);
    }

    #[test]
    fn bad_endpoints_say_why() {
        assert_eq!(normalize_endpoint(""), Err(EndpointError::Empty));
        assert!(matches!(normalize_endpoint("management.azure.com"), Err(EndpointError::NotHttp(_))));
        assert!(matches!(normalize_endpoint("ftp://x"), Err(EndpointError::NotHttp(_))));
        assert!(matches!(normalize_endpoint("https://"), Err(EndpointError::NoHost(_))));
        assert!(matches!(normalize_endpoint("https://user@evil"), Err(EndpointError::NoHost(_))));
        assert!(matches!(normalize_endpoint("https://m.azure.com/?x=1"), Err(EndpointError::HasQuery(_))));
    }

    #[test]
    fn next_links_must_stay_on_the_endpoint() {
        let arm = "https://management.azure.com";
        let ok = |url: &str| resolve(arm, url).is_ok();
        assert!(ok("https://management.azure.com:443/subscriptions?api-version=1&$skipToken=x"));
        assert!(ok("https://MANAGEMENT.azure.com/subscriptions"));
        assert!(!ok("https://evil.example/subscriptions"));
        assert!(!ok("http://management.azure.com/subscriptions"));
        assert!(!ok("https://management.azure.com.evil.example/x"));
        assert!(!ok("https://management.azure.com@evil.example/x"));
        assert!(resolve("http://127.0.0.1:8080", "http://127.0.0.1:8080/subscriptions?a=b").is_ok());
        assert!(resolve("http://127.0.0.1:8080", "http://127.0.0.1:8081/subscriptions").is_err());
    }
}
