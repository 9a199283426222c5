//! Measuring the page's layout at a window size: the viewport set through the
//! DevTools protocol (exact CSS pixels, any width, also below a desktop
//! window's minimum), the header's height, sideways scrolling of the page, and
//! elements whose text does not fit their box.

use serde::Deserialize;
use serde_json::json;

use super::Browser;

/// What [`Browser::measure_layout`] found.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Layout {
    pub inner_width: f64,
    pub inner_height: f64,
    /// `document.documentElement.scrollWidth` and `clientWidth` (the viewport less a classic scrollbar).
    pub scroll_width: f64,
    pub client_width: f64,
    /// `header.topbar`'s rendered height, when there is a header.
    pub header_height: Option<f64>,
    /// Lines the product name takes in the header.
    pub brand_lines: usize,
    /// Elements (innermost first) whose content is wider than their box: visible overflow
    /// (text sticking out), clipped (hidden overflow) or scrolling sideways, other than data
    /// tables and code, which may scroll inside their own box.
    pub overflowing: Vec<String>,
}

impl Browser {
    /// Makes the page's viewport `width`×`height` CSS pixels (device scale 1) and waits
    /// for the resize to be laid out.
    pub async fn set_viewport(&self, width: u32, height: u32) {
        self.cdp("Emulation.setDeviceMetricsOverride", json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}))
            .await;
        // Two frames: the resize, then whatever the console lays out in answer.
        self.client
            .execute_async("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(null)));", vec![])
            .await
            .expect("frames");
    }

    /// The rectangle (`left`, `top`, `right`, `bottom`, `width`, `height`) of the element
    /// with this `data-testid`, in CSS pixels from the viewport's top left.
    pub async fn rect_of(&self, test_id: &str) -> serde_json::Value {
        self.wait_for(test_id).await;
        self.js(&format!("return document.querySelector(\"[data-testid='{test_id}']\").getBoundingClientRect().toJSON();")).await
    }

    /// The page's geometry now (see [`Layout`]).
    pub async fn measure_layout(&self) -> Layout {
        let value = self.js(MEASURE).await;
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("layout measure: {e}: {value}"))
    }
}

/// Boxes that may scroll sideways inside themselves (WCAG 1.4.10 excepts data tables and code).
const MEASURE: &str = r#"
const allowed = 'table, pre, code, .table-scroll, svg';
const describe = el => {
  const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
  const id = el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : '';
  const text = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
  const cs = getComputedStyle(el);
  return `${el.tagName.toLowerCase()}${cls}${id} (${cs.overflowX}: ${el.scrollWidth} > ${el.clientWidth}) "${text}"`;
};
const found = [];
for (const el of document.body.querySelectorAll('*')) {
  if (el.closest(allowed) || el.matches('input, textarea, select, .visually-hidden')) continue;
  if (el.clientWidth === 0 || el.getClientRects().length === 0) continue;
  if (el.scrollWidth <= el.clientWidth + 1) continue;
  found.push(el);
}
const innermost = found.filter(el => !found.some(other => other !== el && el.contains(other)));
const header = document.querySelector('header.topbar');
const root = document.documentElement;
return {
  innerWidth, innerHeight,
  scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
  headerHeight: header ? header.getBoundingClientRect().height : null,
  brandLines: new Set([...(document.querySelector('.brand-name')?.getClientRects() ?? [])].map(r => Math.round(r.top))).size,
  overflowing: innermost.map(describe),
};
"#;
