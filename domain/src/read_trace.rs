//! Which ARM reads an answer rests on, with the ids support asks for
//! (`x-ms-request-id`, `x-ms-correlation-request-id`): the ticket report lists them.
//!
//! Only the method, the path without its query, the status and the two ids are
//! kept: never a header that carries a credential.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadTrace {
    pub method: String,
    /// The path without its query (`nextLink` skip tokens stay out of reports).
    pub path: String,
    pub status: u16,
    pub request_id: Option<String>,
    pub correlation_id: Option<String>,
}

impl ReadTrace {
    /// `path_and_query` as sent (relative or an absolute `nextLink`); the query is dropped.
    pub fn new(method: &str, path_and_query: &str, status: u16, request_id: Option<String>, correlation_id: Option<String>) -> ReadTrace {
        let path = path_and_query.split(['?', '#']).next().unwrap_or_default();
        // An absolute nextLink: keep only its path, the host is the endpoint's.
        let path = match path.split_once("://") {
            Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
            None => path,
        };
        ReadTrace { method: method.to_string(), path: path.to_string(), status, request_id, correlation_id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_and_the_host_of_a_next_link_are_dropped() {
        let t = ReadTrace::new("GET", "/subscriptions/s/providers/Microsoft.KeyVault/vaults?api-version=2025-05-01", 200, None, None);
        assert_eq!(t.path, "/subscriptions/s/providers/Microsoft.KeyVault/vaults");
        let t = ReadTrace::new("GET", "https://management.azure.com/subscriptions/s/x?api-version=1&$skiptoken=abc", 200, None, None);
        assert_eq!(t.path, "/subscriptions/s/x");
    }
}
