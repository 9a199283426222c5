//! Properties of `endpoint::resolve`, the one function that decides where a
//! request (and so the bearer token) goes. The `url` crate (WHATWG parsing, as
//! a browser does) is the independent judge of what origin an accepted URL has.

use acr_cmk_domain::endpoint::resolve;
use proptest::prelude::*;

const ARM: &str = "https://management.azure.com";
const EMULATOR: &str = "http://127.0.0.1:8080";

fn whatwg_origin(url: &str) -> url::Origin {
    url::Url::parse(url).unwrap_or_else(|e| panic!("{url} does not parse: {e}")).origin()
}

fn endpoints() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(ARM), Just(EMULATOR), Just("https://management.usgovcloudapi.net"), Just("http://localhost:9/base")]
}

/// Characters that make URL tricks: separators, escapes, case, controls, Unicode look-alikes.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("/".to_string()),
        Just("//".to_string()),
        Just("\\".to_string()),
        Just("@".to_string()),
        Just(":".to_string()),
        Just("?".to_string()),
        Just("#".to_string()),
        Just("%2F".to_string()),
        Just("%40".to_string()),
        Just("%2e".to_string()),
        Just(".".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{3000}".to_string()),
        Just("\u{FF0F}".to_string()),
        Just("https:".to_string()),
        Just("HTTPS://".to_string()),
        Just("http://".to_string()),
        Just("management.azure.com".to_string()),
        Just("MANAGEMENT.AZURE.COM".to_string()),
        Just("127.0.0.1:8080".to_string()),
        Just("evil.example".to_string()),
        Just(":443".to_string()),
        Just(":0443".to_string()),
        "[a-z0-9]{1,4}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(pieces, 0..10).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_input_never_panics(endpoint in any::<String>(), target in any::<String>()) {
        let _ = resolve(&endpoint, &target);
    }

    #[test]
    fn an_accepted_url_always_has_the_endpoints_origin(endpoint in endpoints(), target in tricky_text()) {
        if let Ok(url) = resolve(endpoint, &target) {
            prop_assert_eq!(whatwg_origin(&url), whatwg_origin(endpoint), "{:?} resolved to {}", target, url);
            let parsed = url::Url::parse(&url).unwrap();
            prop_assert!(parsed.username().is_empty() && parsed.password().is_none(), "userinfo in {}", url);
            prop_assert!(!url.chars().any(|c| c.is_control() || c == '\\'), "{:?}", url);
            // Resolving what was resolved changes nothing: the URL checked is the URL sent.
            prop_assert_eq!(resolve(endpoint, &url), Ok(url.clone()));
        }
    }

    #[test]
    fn relative_paths_round_trip(endpoint in endpoints(), path in "(/[A-Za-z0-9._~$'=&%-]{1,12}){1,6}(\\?[A-Za-z0-9=&$%'-]{0,20})?") {
        let url = resolve(endpoint, &path).unwrap();
        prop_assert_eq!(&url, &format!("{}{}", endpoint, path));
        prop_assert_eq!(resolve(endpoint, &url), Ok(url.clone()));
    }

    #[test]
    fn absolute_urls_on_the_endpoint_round_trip(path in "(/[A-Za-z0-9._~$'=&-]{1,12}){1,6}(\\?[A-Za-z0-9=&$'-]{0,20})?") {
        let link = format!("{ARM}{path}");
        prop_assert_eq!(resolve(ARM, &link), Ok(link.clone()));
        let upper = format!("HTTPS://Management.Azure.COM:443{path}");
        prop_assert_eq!(resolve(ARM, &upper), Ok(link));
    }
}

#[test]
fn tricks_are_refused() {
    for target in [
        "//evil.example/subscriptions",
        "\\\\evil.example/subscriptions",
        "/\\evil.example/subscriptions",
        "\\/evil.example/x",
        "https:evil.example/x",
        "https:/evil.example/x",
        "https:management.azure.com/x",
        "https://management.azure.com@evil.example/",
        "https://user:pass@management.azure.com/x",
        "https://management.azure.com%40evil.example/x",
        "https://management%2Eazure.com/x",
        "https://management.azure.com.evil.example/x",
        "https://management.azure.com./x",
        "https://management.azure.com:0443/x",
        "https://management.azure.com:444/x",
        "http://management.azure.com/x",
        "ht\ttps://management.azure.com/x",
        "https://management.azure.com/\nx",
        "https://evil.example\t/x",
        "\u{0}/subscriptions",
        "/sub\u{7f}scriptions",
        "javascript:alert(1)",
        "data:text/plain,x",
        "subscriptions/s",
        "",
        "   ",
        "https://",
        "https:///x",
        "https://management.azure.com\\@evil.example/",
    ] {
        assert!(resolve(ARM, target).is_err(), "{target:?} was accepted: {:?}", resolve(ARM, target));
    }
}

#[test]
fn spellings_of_the_endpoint_are_normalised() {
    assert_eq!(resolve(ARM, "/subscriptions?api-version=1").unwrap(), "https://management.azure.com/subscriptions?api-version=1");
    assert_eq!(resolve("https://management.azure.com/", "/x").unwrap(), "https://management.azure.com/x");
    assert_eq!(resolve(ARM, "HTTPS://MANAGEMENT.AZURE.COM/x?A=B").unwrap(), "https://management.azure.com/x?A=B");
    assert_eq!(resolve(ARM, "https://management.azure.com:443/x").unwrap(), "https://management.azure.com/x");
    assert_eq!(resolve(ARM, "https://management.azure.com?x=1").unwrap(), "https://management.azure.com/?x=1");
    assert_eq!(resolve(ARM, "  /x  ").unwrap(), "https://management.azure.com/x");
    assert_eq!(resolve(ARM, "/x?$filter=a eq 'b'").unwrap(), "https://management.azure.com/x?$filter=a%20eq%20'b'");
    assert_eq!(resolve(EMULATOR, "http://127.0.0.1:8080/op/1").unwrap(), "http://127.0.0.1:8080/op/1");
    assert!(resolve(EMULATOR, "http://127.0.0.1:8081/op/1").is_err());
    assert!(resolve(EMULATOR, "http://localhost:8080/op/1").is_err());
    // An endpoint the console could not vouch for sends nothing.
    assert!(resolve("https://arm@evil.example", "/x").is_err());
    assert!(resolve("management.azure.com", "/x").is_err());
}
