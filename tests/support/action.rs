//! Doing things on the page: navigating, clicking, typing, choosing, signing in.

use fantoccini::Locator;
use serde_json::json;

use super::world::DANA_UPN;
use super::{Browser, WAIT};

impl Browser {
    /// Loads `path` on the console's origin (a full page load: the in-memory session is gone).
    pub async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{}", self.console_url, path)).await.expect("navigate");
    }

    pub async fn click(&self, test_id: &str) {
        let el = self.wait_for(test_id).await;
        match el.clone().click().await {
            // Half under a scrolled dialog's edge: a person scrolls to it, and so does the test, once.
            Err(fantoccini::error::CmdError::Standard(e)) if e.error == fantoccini::error::ErrorStatus::ElementClickIntercepted => {
                let arg = serde_json::to_value(&el).expect("element as a script argument");
                self.client.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]).await.expect("scroll");
                el.click().await.expect("click after scrolling it into view");
            }
            other => other.expect("click"),
        }
    }

    pub async fn type_into(&self, test_id: &str, text: &str) {
        let el = self.wait_for(test_id).await;
        el.clear().await.expect("clear");
        el.send_keys(text).await.expect("type");
    }

    /// Chooses `value` in the `<select>` with this test id once that option has loaded.
    pub async fn select(&self, test_id: &str, value: &str) {
        let css = format!("[data-testid='{test_id}'] option[value='{value}']");
        let option = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&css))
            .await
            .unwrap_or_else(|e| panic!("no option {value} in {test_id}: {e}"));
        option.click().await.expect("choose option");
    }

    /// Clicks the listed registry named `name`, once the list shows it.
    pub async fn open_listed_registry(&self, name: &str) {
        // The list may still be loading (it follows nextLink page by page): look again until WAIT.
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let links = self.client.find_all(Locator::Css("[data-testid='registry-link']")).await.expect("find links");
            for link in links {
                // A link re-rendered meanwhile has no text to read: it is not the one.
                if link.text().await.unwrap_or_default() == name {
                    link.click().await.expect("click");
                    return;
                }
            }
            assert!(tokio::time::Instant::now() < deadline, "{name} is not listed");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// Back to the registry list through the header's home link (in-app navigation keeps
    /// the in-memory session); the names listed, once at least three of the demo's show.
    pub async fn home(&self) -> Vec<String> {
        self.client.find(Locator::Css("a.brand")).await.expect("the header's home link").click().await.expect("click");
        self.texts_of_at_least("registry-link", 3).await
    }

    /// The registry page of `name`, reached from the list as a user would.
    pub async fn open_from_list(&self, name: &str) {
        self.home().await;
        self.open_listed_registry(name).await;
    }

    /// Signs in through the console's demo button and waits for the registry list.
    pub async fn demo_sign_in(&self) {
        self.demo_sign_in_at("/").await;
    }

    /// Opens a deep link while signed out: the console asks for sign-in first and
    /// then returns to that page. (The session lives in memory only, so every
    /// full page load starts signed out.)
    pub async fn demo_sign_in_at(&self, path: &str) {
        self.open(path).await;
        self.click("demo-sign-in").await;
        self.wait_for("signed-in-user").await;
    }

    /// Picks `upn` on the emulator's Entra account picker (its buttons, not the console's).
    pub async fn pick_user(&self, upn: &str) {
        self.click(&format!("entra-user-{upn}")).await;
    }

    /// "Sign in with Microsoft" from `path` (signed out) as Dana; back on `path`, signed in.
    pub async fn entra_sign_in_at(&self, path: &str) {
        self.open(path).await;
        self.click("entra-sign-in").await;
        self.wait_for(&format!("entra-user-{DANA_UPN}")).await;
        self.pick_user(DANA_UPN).await;
        self.wait_for("signed-in-user").await;
    }

    /// Opens the account menu (name, UPN, tenant, object id, token expiry, endpoint, Sign out):
    /// the account button from 768 px up, the header's menu below (which shows the details at once).
    pub async fn open_account_menu(&self) {
        for toggle in ["header-menu", "account-menu"] {
            let el = self.wait_for(toggle).await;
            let shown = el.is_displayed().await.unwrap_or(false);
            if shown && el.attr("aria-expanded").await.ok().flatten().as_deref() != Some("true") {
                el.click().await.expect("open the menu");
            }
        }
    }

    /// Signs out through the account menu.
    pub async fn sign_out(&self) {
        self.open_account_menu().await;
        self.click("sign-out").await;
    }

    /// Emulates `prefers-color-scheme` (`light` or `dark`).
    pub async fn emulate_color_scheme(&self, scheme: &str) {
        self.cdp("Emulation.setEmulatedMedia", json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]})).await;
    }
}
