//! The Entra ID endpoints over real HTTP: discovery, the authorization-code
//! flow with PKCE as a SPA runs it, refresh, client credentials, and ARM
//! accepting the tokens they issue.

mod common;

use std::time::Duration;

use acr_cmk_emulator::entra::{DANA_NAME, DANA_OID, DANA_UPN, DEMO_SPA_CLIENT_ID};
use acr_cmk_emulator::routes::percent_decode;
use acr_cmk_emulator::scenario::{
    DEMO_SERVICE_PRINCIPAL_CLIENT, DEMO_SERVICE_PRINCIPAL_OBJECT, DEMO_SERVICE_PRINCIPAL_SECRET, DEMO_TENANT,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const ORIGIN: &str = "http://127.0.0.1:43210";
const REDIRECT: &str = "http://127.0.0.1:43210/auth/callback";
const ARM_SCOPE: &str = "https://management.azure.com/user_impersonation openid profile offline_access";

fn no_redirects() -> Client {
    Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(20)).build().unwrap()
}

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// The query (or fragment) parameters of a redirect's `Location`.
fn location_params(resp: &reqwest::Response) -> (String, Vec<(String, String)>) {
    assert_eq!(resp.status(), StatusCode::FOUND, "a redirect");
    let loc = resp.headers()["location"].to_str().unwrap().to_string();
    let (base, query) = loc.split_once(['?', '#']).unwrap_or((&loc, ""));
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    (base.to_string(), pairs)
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

struct Flow<'a> {
    emu: &'a Emu,
    http: Client,
    verifier: String,
}

impl<'a> Flow<'a> {
    fn new(emu: &'a Emu) -> Flow<'a> {
        Flow { emu, http: no_redirects(), verifier: format!("verifier-{}-0123456789abcdefghijklmnopqrstuvwxyz", uuid_like()) }
    }

    fn authorize_params(&self, state: &str) -> Vec<(&'static str, String)> {
        vec![
            ("client_id", DEMO_SPA_CLIENT_ID.to_string()),
            ("response_type", "code".into()),
            ("redirect_uri", REDIRECT.into()),
            ("scope", ARM_SCOPE.into()),
            ("state", state.into()),
            ("code_challenge", challenge(&self.verifier)),
            ("code_challenge_method", "S256".into()),
        ]
    }

    fn authorize_url(&self) -> String {
        self.emu.url(&format!("/{DEMO_TENANT}/oauth2/v2.0/authorize"))
    }

    /// The account picker, then a click on `oid`'s button: returns the redirect's parameters.
    async fn pick(&self, state: &str, oid: &str) -> Vec<(String, String)> {
        let page = self.http.get(self.authorize_url()).query(&self.authorize_params(state)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains(&format!("value=\"{oid}\"")), "a button for the user: {html}");
        let mut form = self.authorize_params(state);
        form.push(("emulator_user", oid.to_string()));
        let resp = self.http.post(self.authorize_url()).form(&form).send().await.unwrap();
        let (base, pairs) = location_params(&resp);
        assert_eq!(base, REDIRECT);
        pairs
    }

    async fn code(&self, state: &str) -> String {
        let pairs = self.pick(state, DANA_OID).await;
        param(&pairs, "code").expect("a code").to_string()
    }

    async fn redeem(&self, code: &str, verifier: &str, origin: Option<&str>) -> (StatusCode, Value) {
        let mut req = self.http.post(self.token_url()).form(&[
            ("client_id", DEMO_SPA_CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
            ("scope", ARM_SCOPE),
        ]);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        read(req.send().await.unwrap()).await
    }

    async fn refresh(&self, refresh_token: &str, origin: Option<&str>) -> (StatusCode, Value) {
        let mut req = self.http.post(self.token_url()).form(&[
            ("client_id", DEMO_SPA_CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("scope", ARM_SCOPE),
        ]);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        read(req.send().await.unwrap()).await
    }

    fn token_url(&self) -> String {
        self.emu.url(&format!("/{DEMO_TENANT}/oauth2/v2.0/token"))
    }
}

fn uuid_like() -> String {
    format!("{:x}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos())
}

/// Entra's error JSON with this error and AADSTS code.
fn assert_oauth_error(got: &(StatusCode, Value), status: u16, error: &str, code: u64) {
    assert_eq!(got.0.as_u16(), status, "status; body: {}", got.1);
    assert_eq!(got.1["error"], error, "error; body: {}", got.1);
    assert_eq!(got.1["error_codes"], json!([code]), "error_codes; body: {}", got.1);
    let description = got.1["error_description"].as_str().unwrap_or("");
    assert!(description.starts_with(&format!("AADSTS{code}: ")), "description: {description}");
    for field in ["timestamp", "trace_id", "correlation_id"] {
        assert!(got.1[field].as_str().is_some_and(|v| !v.is_empty()), "{field}; body: {}", got.1);
    }
}

/// `GET /subscriptions` with this bearer token.
async fn subscriptions_with(emu: &Emu, token: &str) -> (StatusCode, Value) {
    let resp = emu.client.get(emu.url("/subscriptions?api-version=2022-12-01")).bearer_auth(token).send().await.unwrap();
    read(resp).await
}

#[tokio::test]
async fn discovery_points_at_this_emulator() {
    let emu = emu().await;
    let (status, doc) = emu.get(&format!("/{DEMO_TENANT}/v2.0/.well-known/openid-configuration")).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    let base = &emu.running.arm_url;
    assert_eq!(doc["issuer"], format!("{base}/{DEMO_TENANT}/v2.0"));
    assert_eq!(doc["authorization_endpoint"], format!("{base}/{DEMO_TENANT}/oauth2/v2.0/authorize"));
    assert_eq!(doc["token_endpoint"], format!("{base}/{DEMO_TENANT}/oauth2/v2.0/token"));
    let jwks = doc["jwks_uri"].as_str().unwrap();
    assert!(jwks.starts_with(base.as_str()));
    assert!(doc["code_challenge_methods_supported"].as_array().unwrap().contains(&json!("S256")));
    let (status, keys) = emu.get(&jwks[base.len()..]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(keys["keys"].is_array());

    let unknown = emu.get("/00000000-1111-2222-3333-444444444444/v2.0/.well-known/openid-configuration").await;
    assert_oauth_error(&unknown, 400, "invalid_tenant", 90002);
}

#[tokio::test]
async fn pkce_sign_in_gives_tokens_arm_accepts() {
    let emu = emu().await;
    let flow = Flow::new(&emu);
    let pairs = flow.pick("s-1", DANA_OID).await;
    assert_eq!(param(&pairs, "state"), Some("s-1"));
    assert!(param(&pairs, "error").is_none(), "{pairs:?}");
    let code = param(&pairs, "code").unwrap().to_string();

    let (status, body) = flow.redeem(&code, &flow.verifier, Some(ORIGIN)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    let access = body["access_token"].as_str().unwrap();
    let c = claims(access);
    assert_eq!(c["aud"], "https://management.azure.com/");
    assert_eq!(c["tid"], DEMO_TENANT);
    assert_eq!(c["oid"], DANA_OID);
    assert_eq!(c["name"], DANA_NAME);
    assert_eq!(c["upn"], DANA_UPN);
    assert_eq!(c["scp"], "user_impersonation");
    assert_eq!(c["appid"], DEMO_SPA_CLIENT_ID);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let exp = c["exp"].as_i64().unwrap();
    assert!(exp > now && exp <= now + 3700, "exp {exp} now {now}");
    assert!(c["nbf"].as_i64().unwrap() <= now && c["iat"].as_i64().unwrap() <= now);
    assert_eq!(body["expires_in"].as_i64().unwrap(), exp - c["iat"].as_i64().unwrap() - 60);
    let id = claims(body["id_token"].as_str().unwrap());
    assert_eq!(id["aud"], DEMO_SPA_CLIENT_ID);
    assert_eq!(id["preferred_username"], DANA_UPN);
    assert!(body["refresh_token"].as_str().is_some_and(|t| !t.is_empty()));
    let rt_left = body["refresh_token_expires_in"].as_i64().unwrap();
    assert!(rt_left > 23 * 3600 && rt_left <= 24 * 3600, "SPA refresh tokens last 24 h: {rt_left}");

    let (status, subs) = subscriptions_with(&emu, access).await;
    assert_eq!(status, StatusCode::OK, "{subs}");
    assert_eq!(subs["value"][0]["subscriptionId"], SUB);
}

#[tokio::test]
async fn a_known_login_hint_skips_the_page_and_the_state_comes_back_verbatim() {
    let emu = emu().await;
    let flow = Flow::new(&emu);
    let state = "a b&c=d/é?#%+;<x>";
    let mut q = flow.authorize_params(state);
    q.push(("login_hint", DANA_UPN.to_uppercase()));
    let resp = flow.http.get(flow.authorize_url()).query(&q).send().await.unwrap();
    let (base, pairs) = location_params(&resp);
    assert_eq!(base, REDIRECT);
    assert_eq!(param(&pairs, "state"), Some(state));
    assert!(param(&pairs, "code").is_some());

    // response_mode=fragment puts the answer after '#'.
    q.push(("response_mode", "fragment".into()));
    let resp = flow.http.get(flow.authorize_url()).query(&q).send().await.unwrap();
    let loc = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(loc.starts_with(&format!("{REDIRECT}#code=")), "{loc}");

    // prompt=none without a hint: nobody is signed in, said to the app.
    let mut silent = flow.authorize_params("quiet");
    silent.push(("prompt", "none".into()));
    let resp = flow.http.get(flow.authorize_url()).query(&silent).send().await.unwrap();
    let (_, pairs) = location_params(&resp);
    assert_eq!(param(&pairs, "error"), Some("login_required"));
    assert_eq!(param(&pairs, "state"), Some("quiet"));
}

#[tokio::test]
async fn a_wrong_verifier_is_refused_and_burns_the_code() {
    let emu = emu().await;
    let flow = Flow::new(&emu);
    let code = flow.code("s").await;
    let wrong = format!("{}x", flow.verifier);
    let got = flow.redeem(&code, &wrong, Some(ORIGIN)).await;
    assert_oauth_error(&got, 400, "invalid_grant", 501481);
    let again = flow.redeem(&code, &flow.verifier, Some(ORIGIN)).await;
    assert_oauth_error(&again, 400, "invalid_grant", 54005);
}

#[tokio::test]
async fn a_code_is_single_use_and_needs_the_spa_origin() {
    let emu = emu().await;
    let flow = Flow::new(&emu);
    let code = flow.code("s").await;
    // Redeemed without Origin (a server, not the SPA): refused, code kept.
    let got = flow.redeem(&code, &flow.verifier, None).await;
    assert_oauth_error(&got, 400, "invalid_request", 9002327);
    let first = flow.redeem(&code, &flow.verifier, Some(ORIGIN)).await;
    assert_eq!(first.0, StatusCode::OK, "{}", first.1);
    let second = flow.redeem(&code, &flow.verifier, Some(ORIGIN)).await;
    assert_oauth_error(&second, 400, "invalid_grant", 54005);
    let unknown = flow.redeem("1.emu.not-a-code", &flow.verifier, Some(ORIGIN)).await;
    assert_oauth_error(&unknown, 400, "invalid_grant", 9002313);
}

#[tokio::test]
async fn a_bad_redirect_uri_is_shown_on_the_page_never_followed() {
    let emu = emu().await;
    let flow = Flow::new(&emu);
    let evil = "https://evil.example/<script>alert(1)</script>";
    let mut q = flow.authorize_params("s");
    q.retain(|(k, _)| *k != "redirect_uri");
    q.push(("redirect_uri", evil.into()));
    let resp = flow.http.get(flow.authorize_url()).query(&q).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.headers().get("location").is_none());
    assert!(resp.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    let html = resp.text().await.unwrap();
    assert!(html.contains("AADSTS50011"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped: {html}");
    assert!(!html.contains("<script>"), "{html}");

    // So is an unknown client id.
    let mut q = flow.authorize_params("s");
    q[0].1 = "00000000-0000-0000-0000-00000000dead".into();
    let resp = flow.http.get(flow.authorize_url()).query(&q).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.headers().get("location").is_none());
    assert!(resp.text().await.unwrap().contains("AADSTS700016"));

    // With a good redirect URI, request errors go back to the app.
    let mut q = flow.authorize_params("s2");
    q[1].1 = "token".into();
    let resp = flow.http.get(flow.authorize_url()).query(&q).send().await.unwrap();
    let (base, pairs) = location_params(&resp);
    assert_eq!(base, REDIRECT);
    assert_eq!(param(&pairs, "error"), Some("unsupported_response_type"));
    assert_eq!(param(&pairs, "state"), Some("s2"));
    assert!(param(&pairs, "error_description").unwrap().starts_with("AADSTS700054"));
}

#[tokio::test]
async fn declining_on_the_page_sends_access_denied() {
    let emu = emu().await;
    let flow = Flow::new(&emu);
    let mut form = flow.authorize_params("s-deny");
    form.push(("emulator_consent", "deny".into()));
    let resp = flow.http.post(flow.authorize_url()).form(&form).send().await.unwrap();
    let (_, pairs) = location_params(&resp);
    assert_eq!(param(&pairs, "error"), Some("access_denied"));
    assert_eq!(param(&pairs, "state"), Some("s-deny"));
    assert!(param(&pairs, "code").is_none());
}

#[tokio::test]
async fn refresh_rotates_and_ends_with_the_spa_lifetime_or_a_revocation() {
    let emu = emu().await;
    let flow = Flow::new(&emu);
    let code = flow.code("s").await;
    let (status, first) = flow.redeem(&code, &flow.verifier, Some(ORIGIN)).await;
    assert_eq!(status, StatusCode::OK);
    let rt1 = first["refresh_token"].as_str().unwrap().to_string();

    let (status, second) = flow.refresh(&rt1, Some(ORIGIN)).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let rt2 = second["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rt1, rt2, "a new refresh token each time");
    let access = second["access_token"].as_str().unwrap();
    assert_ne!(access, first["access_token"].as_str().unwrap());
    assert_eq!(claims(access)["oid"], DANA_OID);
    // The SPA's 24 h count from sign-in, not from this refresh.
    assert!(second["refresh_token_expires_in"].as_i64().unwrap() <= first["refresh_token_expires_in"].as_i64().unwrap());
    assert_eq!(subscriptions_with(&emu, access).await.0, StatusCode::OK);

    // A SPA's refresh token is only redeemed cross-origin.
    let got = flow.refresh(&rt2, None).await;
    assert_oauth_error(&got, 400, "invalid_request", 9002327);

    // Past the SPA lifetime: sign in again.
    let (status, _) =
        read(emu.client.post(emu.url("/_emulator/entra/settings")).json(&json!({"spaRefreshLifetimeSecs": 0})).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let flow2 = Flow::new(&emu);
    let code = flow2.code("s").await;
    let (_, short) = flow2.redeem(&code, &flow2.verifier, Some(ORIGIN)).await;
    let got = flow2.refresh(short["refresh_token"].as_str().unwrap(), Some(ORIGIN)).await;
    assert_oauth_error(&got, 400, "invalid_grant", 700084);

    // Revoked (as after a password reset).
    let (status, revoked) = read(emu.client.post(emu.url("/_emulator/entra/revoke")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(revoked["revoked"].as_u64().unwrap() >= 1);
    let got = flow.refresh(&rt2, Some(ORIGIN)).await;
    assert_oauth_error(&got, 400, "invalid_grant", 50173);
}

async fn client_credentials(emu: &Emu, client_id: &str, secret: &str, scope: &str) -> (StatusCode, Value) {
    let resp = no_redirects()
        .post(emu.url(&format!("/{DEMO_TENANT}/oauth2/v2.0/token")))
        .form(&[("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", secret), ("scope", scope)])
        .send()
        .await
        .unwrap();
    read(resp).await
}

#[tokio::test]
async fn client_credentials_for_arm_and_key_vault() {
    let emu = emu_with(empty()).await;
    let (status, body) =
        client_credentials(&emu, DEMO_SERVICE_PRINCIPAL_CLIENT, DEMO_SERVICE_PRINCIPAL_SECRET, "https://management.azure.com/.default")
            .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("refresh_token").is_none());
    let arm = body["access_token"].as_str().unwrap();
    let c = claims(arm);
    assert_eq!(c["aud"], "https://management.azure.com/");
    assert_eq!(c["appid"], DEMO_SERVICE_PRINCIPAL_CLIENT);
    assert_eq!(c["oid"], DEMO_SERVICE_PRINCIPAL_OBJECT);
    assert_eq!(c["idtyp"], "app");
    let (status, subs) = subscriptions_with(&emu, arm).await;
    assert_eq!(status, StatusCode::OK, "{subs}");
    assert_eq!(subs["value"].as_array().unwrap().len(), 1);

    let (status, body) =
        client_credentials(&emu, DEMO_SERVICE_PRINCIPAL_CLIENT, DEMO_SERVICE_PRINCIPAL_SECRET, "https://vault.azure.net/.default").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let vault = body["access_token"].as_str().unwrap();
    assert_eq!(claims(vault)["aud"], "https://vault.azure.net");
    // ARM checks the audience.
    let (status, err) = subscriptions_with(&emu, vault).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(err["error"]["code"], "InvalidAuthenticationTokenAudience");

    // client_secret_basic works too.
    let resp = no_redirects()
        .post(emu.url(&format!("/{DEMO_TENANT}/oauth2/v2.0/token")))
        .basic_auth(DEMO_SERVICE_PRINCIPAL_CLIENT, Some(DEMO_SERVICE_PRINCIPAL_SECRET))
        .form(&[("grant_type", "client_credentials"), ("scope", "https://management.azure.com/.default")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn client_credentials_refuse_bad_secrets_clients_and_scopes() {
    let emu = emu().await;
    let arm = "https://management.azure.com/.default";
    let got = client_credentials(&emu, DEMO_SERVICE_PRINCIPAL_CLIENT, "wrong", arm).await;
    assert_oauth_error(&got, 401, "invalid_client", 7000215);
    let got = client_credentials(&emu, "00000000-0000-0000-0000-00000000dead", "x", arm).await;
    assert_oauth_error(&got, 400, "unauthorized_client", 700016);
    let got = client_credentials(
        &emu,
        DEMO_SERVICE_PRINCIPAL_CLIENT,
        DEMO_SERVICE_PRINCIPAL_SECRET,
        "https://management.azure.com/user_impersonation",
    )
    .await;
    assert_oauth_error(&got, 400, "invalid_scope", 1002012);
    let got = client_credentials(&emu, DEMO_SERVICE_PRINCIPAL_CLIENT, DEMO_SERVICE_PRINCIPAL_SECRET, "https://example.org/.default").await;
    assert_oauth_error(&got, 400, "invalid_resource", 500011);
    let resp = no_redirects()
        .post(emu.url(&format!("/{DEMO_TENANT}/oauth2/v2.0/token")))
        .form(&[("grant_type", "password"), ("client_id", DEMO_SPA_CLIENT_ID)])
        .send()
        .await
        .unwrap();
    assert_oauth_error(&read(resp).await, 400, "unsupported_grant_type", 70003);
}

#[tokio::test]
async fn expired_entra_tokens_are_refused_by_arm() {
    let emu = emu().await;
    let (status, _) =
        read(emu.client.post(emu.url("/_emulator/entra/settings")).json(&json!({"accessTokenLifetimeSecs": -5})).send().await.unwrap())
            .await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) =
        client_credentials(&emu, DEMO_SERVICE_PRINCIPAL_CLIENT, DEMO_SERVICE_PRINCIPAL_SECRET, "https://management.azure.com/.default")
            .await;
    let (status, err) = subscriptions_with(&emu, body["access_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(err["error"]["code"], "ExpiredAuthenticationToken");
}
