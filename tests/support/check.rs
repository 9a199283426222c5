//! Waiting for and asserting what the page shows: text that arrives, the URL it
//! lands on, a clean browser log, and accessibility (axe-core).

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use super::{Browser, LogEntry, WAIT};

impl Browser {
    /// Fails on any SEVERE browser log entry (uncaught errors, panics, console.error,
    /// failed loads) except those containing one of `expected`.
    pub async fn assert_clean_log(&self, expected: &[&str]) {
        let severe: Vec<LogEntry> = self
            .browser_log()
            .await
            .into_iter()
            .filter(|e| e.level == "SEVERE" && !expected.iter().any(|x| e.message.contains(x)))
            .collect();
        assert!(severe.is_empty(), "errors in the browser log:\n{severe:#?}");
    }

    /// Waits until the element with this `data-testid` contains `needle`; its text then.
    pub async fn wait_text(&self, test_id: &str, needle: &str) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let text = self.text_of(test_id).await;
            if text.contains(needle) {
                return text;
            }
            assert!(tokio::time::Instant::now() < deadline, "[{test_id}] never contained '{needle}'; last: {text}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until the browser is at `path` (with its query) on the console's origin.
    pub async fn wait_for_path(&self, path: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let url = self.client.current_url().await.unwrap();
            if url.as_str().starts_with(&self.console_url) && self.path_now().await == path {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                self.screenshot("entra-wrong-path").await;
                panic!("expected to be at {path}, at {url}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// axe-core's WCAG 2.1 A/AA violations (id, impact, help, nodes) within the
    /// elements matching `selector` (`document` for the whole page); `[]` when there
    /// are none.
    pub async fn axe_violations(&self, selector: &str) -> Value {
        let path = std::env::var_os("ACR_CMK_AXE")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".tools/npm/node_modules/axe-core/axe.min.js"));
        let source =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("axe-core at {}: {e} (scripts/setup.sh installs it)", path.display()));
        self.client.execute(&format!("{source}\nreturn typeof axe;"), vec![]).await.expect("inject axe-core");
        let result = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
               const sel = arguments[0];
               const context = sel === 'document' ? document : {include: [[sel]]};
               axe.run(context, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                 .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)}))))
                 .catch(e => done({error: String(e)}));"#,
                vec![json!(selector)],
            )
            .await
            .expect("axe.run");
        assert!(result.get("error").is_none(), "axe failed: {result}");
        result
    }
}
