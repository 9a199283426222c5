//! The chain registry → identity → key vault → key, each link coloured by the
//! checks that guard it, so the break is seen before it is read. Every link
//! also carries a symbol, words and its evidence, so nothing depends on colour
//! alone. HTML rather than SVG so it reflows instead of shrinking: a row where
//! there is room, a column in a narrow panel (a container query in
//! diagnosis.css), and names wrap rather than being cut.

use acr_cmk_domain::diagnosis::{CheckKind, CheckState, Diagnosis, IdentityKind, Snapshot};
use leptos::prelude::*;

#[derive(Clone)]
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
    let title_id = format!("{id}-title");
    let labelledby = title_id.clone();
    let mut steps = Vec::new();
    for (i, (kind, name)) in nodes.into_iter().enumerate() {
        steps.push(
            view! {
                <li class="chain-node">
                    <span class="chain-kind">{kind}</span>
                    <span class="chain-name">{name}</span>
                </li>
            }
            .into_any(),
        );
        if let Some(l) = links.get(i) {
            steps.push(view! { <ChainLink link=l.clone() index=i /> }.into_any());
        }
    }
    view! {
        <figure class="chain" data-testid="chain-diagram" aria-labelledby=labelledby>
            <figcaption id=title_id class="visually-hidden">"Key chain: registry → identity → key vault → key"</figcaption>
            <ol class="chain-steps">{steps}</ol>
        </figure>
    }
}

/// One link between two nodes: its line, symbol and state in words; what it
/// means for screen readers, and with the evidence as a tooltip (the checklist
/// below reads the evidence out anyway).
#[component]
fn ChainLink(link: Link, index: usize) -> impl IntoView {
    let (icon, words, state) = (link.state.icon(), link.state.words(), link.state.name());
    let said = format!("{}: {}.", link.label, words.to_lowercase());
    let title = if link.evidence.is_empty() { said.clone() } else { format!("{said} {}", link.evidence) };
    view! {
        <li class=format!("chain-link link-{state}") data-testid=format!("chain-link-{index}") data-state=state title=title>
            <span class="chain-bar" aria-hidden="true">
                <span class="chain-symbol">{icon}</span>
            </span>
            <span class="chain-words" aria-hidden="true">{words}</span>
            <span class="visually-hidden">{said}</span>
        </li>
    }
}
