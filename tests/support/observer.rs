//! What the page does, seen from inside it: a script installed on every new document
//! before its own scripts run records each bearer token the page sends or a sign-in
//! answers (`window.__secrets`), every fetch with its method, status and abort
//! (`window.__fetches`), CSP violations (`window.__cspViolations`) and what the page
//! writes to the clipboard (`window.__copied`). `token_safety.rs` and `helpdesk.rs`
//! search those for tokens.

use serde_json::json;

use super::Browser;

const OBSERVER: &str = r#"(() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    {directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, at: e.sourceFile + ':' + e.lineNumber}));
  window.__fetches = [];
  window.__secrets = [];
  const remember = s => { if (typeof s === 'string' && s.length > 20 && !window.__secrets.includes(s)) window.__secrets.push(s); };
  const realFetch = window.fetch;
  window.fetch = function (input, init) {
    const req = input instanceof Request ? input : null;
    const url = req ? req.url : String(input);
    const headers = new Headers((init && init.headers) || (req ? req.headers : undefined));
    const auth = headers.get('authorization') || '';
    if (auth.startsWith('Bearer ')) remember(auth.slice(7));
    const signal = (init && init.signal) || (req ? req.signal : null);
    const rec = {url, method: (init && init.method) || (req ? req.method : 'GET'), aborted: false, settled: false};
    window.__fetches.push(rec);
    if (signal) signal.addEventListener('abort', () => { rec.aborted = true; });
    const answer = realFetch.apply(this, arguments);
    answer.then(resp => {
      rec.settled = true; rec.status = resp.status;
      if (url.includes('/oauth2/v2.0/token') || url.includes('/_emulator/demo-token')) {
        resp.clone().json().then(j => ['access_token', 'refresh_token', 'id_token', 'accessToken'].forEach(k => remember(j[k]))).catch(() => {});
      }
    }, () => { rec.settled = true; rec.failed = true; });
    return answer;
  };
  window.__copied = [];
  if (navigator.clipboard) {
    Object.defineProperty(navigator.clipboard, 'writeText',
      {configurable: true, value: text => { window.__copied.push(String(text)); return Promise.resolve(); }});
  }
})();"#;

impl Browser {
    /// A browser whose every page is observed from its first script on.
    pub async fn start_observed() -> Browser {
        let b = Browser::start().await;
        b.cdp("Page.addScriptToEvaluateOnNewDocument", json!({"source": OBSERVER})).await;
        b
    }
}
