//! The chain registry → identity → key vault → key as a small inline SVG, each
//! link coloured by the checks that guard it, so the break is seen before it
//! is read. Every link also carries a symbol and a `<title>`, and the whole
//! diagram a `<desc>`, so nothing depends on colour alone.

use acr_cmk_domain::diagnosis::{CheckKind, CheckState, Diagnosis, IdentityKind, Snapshot};
use leptos::prelude::*;

const NODE_W: i32 = 150;
const NODE_H: i32 = 52;
const GAP: i32 = 60;
const TOP: i32 = 4;
/// Longest name drawn in a node; the full name is in the node's `<title>`.
const NAME_CHARS: usize = 20;

struct Link {
    label: &'static str,
    state: CheckState,
    evidence: String,
}

#[component]
pub fn ChainDiagram(
    diagnosis: Diagnosis,
    snapshot: Snapshot,
    /// Unique id prefix (for `aria-labelledby`).
    #[prop(into)]
    id: String,
) -> impl IntoView {
    let target = snapshot.target.clone();
    let identity = snapshot.identity();
    let identity_name = match identity.as_ref().map(|i| &i.kind) {
        Some(IdentityKind::System) => "system-assigned".to_string(),
        Some(IdentityKind::User { name: Some(n), .. }) => n.clone(),
        Some(IdentityKind::User { name: None, .. }) => {
            identity.as_ref().and_then(|i| i.client_id.clone()).unwrap_or_else(|| "unknown".into())
        }
        None => "none".to_string(),
    };
    let key = target.as_ref().and_then(|t| t.key.clone());
    let nodes = [
        ("Registry", snapshot.registry.name.clone()),
        ("Identity", identity_name),
        ("Key vault", key.as_ref().map(|k| k.vault_name().to_string()).unwrap_or_else(|| "unknown".into())),
        ("Key", key.as_ref().map(|k| k.name.clone()).unwrap_or_else(|| "unknown".into())),
    ];
    let link = |label: &'static str, kinds: &[CheckKind]| Link {
        label,
        state: diagnosis.worst(kinds).unwrap_or(CheckState::Unknown),
        evidence: diagnosis
            .checks
            .iter()
            .filter(|c| kinds.contains(&c.kind) && c.state != CheckState::Pass)
            .map(|c| c.evidence.clone())
            .collect::<Vec<_>>()
            .join(" "),
    };
    let links = [
        link("registry uses the identity", &[CheckKind::Identity]),
        link("identity may use the vault", &[CheckKind::Access, CheckKind::Firewall]),
        link("vault holds a usable key", &[CheckKind::Key, CheckKind::Version]),
    ];
    let desc = links
        .iter()
        .zip(nodes.windows(2))
        .map(|(l, pair)| format!("{} to {}: {} ({}).", pair[0].0, pair[1].0, l.state.words(), l.label))
        .collect::<Vec<_>>()
        .join(" ");
    let width = 4 * NODE_W + 3 * GAP + 2;
    let height = NODE_H + TOP * 2 + 18;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelledby = format!("{title_id} {desc_id}");

    let node_views = nodes
        .iter()
        .enumerate()
        .map(|(i, (kind, name))| {
            let x = 1 + i as i32 * (NODE_W + GAP);
            let shown = shorten(name, NAME_CHARS);
            view! {
                <g class="chain-node">
                    <title>{format!("{kind}: {name}")}</title>
                    <rect x=x y=TOP width=NODE_W height=NODE_H rx="4" />
                    <text class="chain-kind" x=x + 10 y=TOP + 20>{*kind}</text>
                    <text class="chain-name" x=x + 10 y=TOP + 40>{shown}</text>
                </g>
            }
        })
        .collect_view();
    let link_views = links
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let x1 = 1 + i as i32 * (NODE_W + GAP) + NODE_W;
            let x2 = x1 + GAP;
            let y = TOP + NODE_H / 2;
            let cx = (x1 + x2) / 2;
            let (icon, words) = (l.state.icon(), l.state.words());
            let state = l.state.name();
            let title =
                if l.evidence.is_empty() { format!("{}: {words}.", l.label) } else { format!("{}: {words}. {}", l.label, l.evidence) };
            view! {
                <g class=format!("chain-link link-{state}") data-testid=format!("chain-link-{i}") data-state=state>
                    <title>{title}</title>
                    <line x1=x1 y1=y x2=x2 y2=y />
                    <circle cx=cx cy=y r="10" />
                    <text class="chain-symbol" x=cx y=y + 4 text-anchor="middle">{icon}</text>
                    <text class="chain-words" x=cx y=TOP + NODE_H + 14 text-anchor="middle">{words}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chain"
            data-testid="chain-diagram"
            viewBox=format!("0 0 {width} {height}")
            role="img"
            aria-labelledby=labelledby
            focusable="false"
        >
            <title id=title_id>"Key chain: registry → identity → key vault → key"</title>
            <desc id=desc_id>{desc}</desc>
            {link_views}
            {node_views}
        </svg>
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}
