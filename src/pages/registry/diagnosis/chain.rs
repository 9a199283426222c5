//! The chain registry → identity → key vault → key, each link coloured by the
//! checks that guard it, so the break is seen before it is read. Every link
//! also carries a symbol, words and its evidence, so nothing depends on colour
//! alone. HTML rather than SVG so it reflows instead of shrinking: a row where
//! there is room, a column in a narrow panel (a container query in
//! diagnosis.css), and names wrap rather than being cut.

use acr_cmk_domain::diagnosis::{CheckKind, CheckState, Diagnosis, IdentityKind, Snapshot};
use acr_cmk_domain::text::{Lang, Sentence, Text};
use leptos::prelude::*;

use crate::i18n::catalogue::diagnosis as words;
use crate::i18n::{tr, Locale, Words};

#[derive(Clone)]
struct Link {
    label: Text,
    state: CheckState,
    /// The evidence of the checks that did not pass.
    evidence: Vec<Sentence>,
}

impl Link {
    /// What the link means, for screen readers; with the evidence, for its tooltip.
    fn said(&self, lang: Lang, with_evidence: bool) -> String {
        let state = self.state.label().get(lang).to_lowercase();
        let said = words::LINK_SAID.fill(lang, &[("link", self.label.get(lang)), ("state", &state)]);
        let evidence: Vec<String> = self.evidence.iter().map(|e| e.get(lang)).collect();
        if with_evidence && !evidence.is_empty() {
            format!("{said} {}", evidence.join(" "))
        } else {
            said
        }
    }
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
    let identity_name: Words = match identity.as_ref().map(|i| &i.kind) {
        Some(IdentityKind::System) => words::NODE_SYSTEM_ASSIGNED.into(),
        Some(IdentityKind::User { name: Some(n), .. }) => n.clone().into(),
        Some(IdentityKind::User { name: None, .. }) => match identity.as_ref().and_then(|i| i.client_id.clone()) {
            Some(client) => client.into(),
            None => words::NODE_UNKNOWN.into(),
        },
        None => words::NODE_NONE.into(),
    };
    let key = target.as_ref().and_then(|t| t.key.clone());
    let or_unknown = |name: Option<String>| name.map_or(Words::from(words::NODE_UNKNOWN), Words::from);
    let nodes = [
        (words::NODE_REGISTRY, Words::from(snapshot.registry.name.clone())),
        (words::NODE_IDENTITY, identity_name),
        (words::NODE_VAULT, or_unknown(key.as_ref().map(|k| k.vault_name().to_string()))),
        (words::NODE_KEY, or_unknown(key.as_ref().map(|k| k.name.clone()))),
    ];
    let link = |label: Text, kinds: &[CheckKind]| Link {
        label,
        state: diagnosis.worst(kinds).unwrap_or(CheckState::Unknown),
        evidence: diagnosis
            .checks
            .iter()
            .filter(|c| kinds.contains(&c.kind) && c.state != CheckState::Pass)
            .map(|c| c.evidence.clone())
            .collect(),
    };
    let links = [
        link(words::LINK_IDENTITY, &[CheckKind::Identity]),
        link(words::LINK_ACCESS, &[CheckKind::Access, CheckKind::Firewall]),
        link(words::LINK_KEY, &[CheckKind::Key, CheckKind::Version]),
    ];
    let locale = Locale::expect();
    let title_id = format!("{id}-title");
    let labelledby = title_id.clone();
    let mut steps = Vec::new();
    for (i, (kind, name)) in nodes.into_iter().enumerate() {
        steps.push(
            view! {
                <li class="chain-node">
                    <span class="chain-kind">{tr(kind)}</span>
                    <span class="chain-name">{move || name.get(locale.get())}</span>
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
            <figcaption id=title_id class="visually-hidden">{tr(words::CHAIN_CAPTION)}</figcaption>
            <ol class="chain-steps">{steps}</ol>
        </figure>
    }
}

/// One link between two nodes: its line, symbol and state in words; what it
/// means for screen readers, and with the evidence as a tooltip (the checklist
/// below reads the evidence out anyway).
#[component]
fn ChainLink(link: Link, index: usize) -> impl IntoView {
    let locale = Locale::expect();
    let (icon, state) = (link.state.icon(), link.state.name());
    let label = link.state.label();
    let (said, title) = (link.clone(), link);
    view! {
        <li
            class=format!("chain-link link-{state}")
            data-testid=format!("chain-link-{index}")
            data-state=state
            title=move || title.said(locale.get(), true)
        >
            <span class="chain-bar" aria-hidden="true">
                <span class="chain-symbol">{icon}</span>
            </span>
            <span class="chain-words" aria-hidden="true">{tr(label)}</span>
            <span class="visually-hidden">{move || said.said(locale.get(), false)}</span>
        </li>
    }
}
