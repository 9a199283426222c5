//! Reading the page: elements by `data-testid`, their text and `data-state`,
//! each waiting (up to [`WAIT`]) for the console to render them.

use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::Locator;

use super::{Browser, WAIT};

impl Browser {
    /// Waits for the element with this `data-testid`; on time-out, fails with the browser log.
    pub async fn wait_for(&self, test_id: &str) -> Element {
        let css = format!("[data-testid='{test_id}']");
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.client.wait().at_most(left).for_element(Locator::Css(&css)).await {
                Ok(el) => return el,
                // ChromeDriver answers a find sent while the page navigates away (a sign-in's redirect)
                // with "aborted by navigation", which fantoccini does not read as "not yet": ask again.
                Err(e) if e.to_string().contains("aborted by navigation") && tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    let log = self.browser_log().await;
                    self.screenshot(&format!("timeout-{test_id}")).await;
                    panic!("no [data-testid='{test_id}'] within {WAIT:?}: {e}\nbrowser log:\n{log:#?}");
                }
            }
        }
    }

    /// Whether the element with this `data-testid` is on the page now (no waiting).
    pub async fn is_present(&self, test_id: &str) -> bool {
        self.client.find(Locator::Css(&format!("[data-testid='{test_id}']"))).await.is_ok()
    }

    /// The text of the element with this `data-testid`, once it has some.
    pub async fn text_of(&self, test_id: &str) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let text = self.wait_for(test_id).await.text().await.unwrap_or_default();
            if !text.trim().is_empty() || tokio::time::Instant::now() > deadline {
                return text.trim().to_string();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Texts of all elements with this `data-testid`, waiting until there are at least `n`.
    pub async fn texts_of_at_least(&self, test_id: &str, n: usize) -> Vec<String> {
        let css = format!("[data-testid='{test_id}']");
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let mut texts = Vec::new();
            for el in self.client.find_all(Locator::Css(&css)).await.unwrap_or_default() {
                texts.push(el.text().await.unwrap_or_default().trim().to_string());
            }
            if texts.len() >= n || tokio::time::Instant::now() > deadline {
                return texts;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The `data-state` of the element with this `data-testid`, once it is one of `wanted`
    /// (or whatever it is when the wait runs out).
    pub async fn state_of(&self, test_id: &str, wanted: &[&str]) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let state = self.wait_for(test_id).await.attr("data-state").await.ok().flatten().unwrap_or_default();
            if wanted.contains(&state.as_str()) || tokio::time::Instant::now() > deadline {
                return state;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The browser's path and query now.
    pub async fn path_now(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default())
    }
}
