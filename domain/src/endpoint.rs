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

/// Whether `url` (say, a `nextLink`) points at the same origin as `endpoint`:
/// the bearer token is only ever sent there.
pub fn same_origin(endpoint: &str, url: &str) -> bool {
    matches!((origin(endpoint), origin(url)), (Some(a), Some(b)) if a == b)
}

fn split_scheme(url: &str) -> Option<(&'static str, &str)> {
    for scheme in ["https", "http"] {
        let prefix_len = scheme.len() + 3;
        if url.len() >= prefix_len && url[..prefix_len].eq_ignore_ascii_case(&format!("{scheme}://")) {
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
        assert!(same_origin(arm, "https://management.azure.com:443/subscriptions?api-version=1&$skipToken=x"));
        assert!(same_origin(arm, "https://MANAGEMENT.azure.com/subscriptions"));
        assert!(!same_origin(arm, "https://evil.example/subscriptions"));
        assert!(!same_origin(arm, "http://management.azure.com/subscriptions"));
        assert!(!same_origin(arm, "https://management.azure.com.evil.example/x"));
        assert!(!same_origin(arm, "https://management.azure.com@evil.example/x"));
        assert!(same_origin("http://127.0.0.1:8080", "http://127.0.0.1:8080/subscriptions?a=b"));
        assert!(!same_origin("http://127.0.0.1:8080", "http://127.0.0.1:8081/subscriptions"));
    }
}
