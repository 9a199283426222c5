//! Rotation health: the version in use against the newest enabled one, a
//! disabled version still in use, the expiry date and days left, and Key
//! Vault's rotation policy. The findings are `acr_cmk_domain::rotation_health`.

use acr_cmk_domain::rotation_health::RotationHealth;
use leptos::prelude::*;

use crate::components::key_value::KeyValue;
use crate::i18n::catalogue::registry as words;
use crate::i18n::{tr, Locale};

#[component]
pub fn RotationPanel(health: RotationHealth) -> impl IntoView {
    let locale = Locale::expect();
    let worst = health.worst();
    let mode = if health.auto_rotation { words::AUTO_ROTATION } else { words::PINNED };
    let mode = Signal::derive(move || Some(mode.get(locale.get()).to_string()));
    // A date to the second, the same in both languages, as Key Vault's `exp` is quoted in tickets.
    let expires = health.expires.map(|e| acr_cmk_domain::encryption::format_unix_utc(e) + " UTC");
    let days_left = health.days_left.map(|d| d.to_string());
    view! {
        <section class="panel rotation" aria-labelledby="rotation-title" data-testid="rotation" data-state=worst.name()>
            <div class="panel-head">
                <h2 id="rotation-title">{tr(words::KEY_ROTATION)}</h2>
                <span class=format!("state-label state-{}", worst.name())>{tr(worst.label())}</span>
            </div>
            <dl class="kv">
                <KeyValue label=words::ROTATION value=mode testid="rotation-mode" />
                <KeyValue label=words::VERSION_IN_USE value=health.version_in_use.clone() testid="rotation-in-use" mono=true />
                <KeyValue label=words::NEWEST_ENABLED_VERSION value=health.newest_enabled.clone() testid="rotation-newest" mono=true />
                <KeyValue label=words::EXPIRES value=expires testid="rotation-expires" />
                <KeyValue label=words::DAYS_LEFT value=days_left testid="rotation-days-left" />
            </dl>
            <ul class="checklist rotation-findings">
                {health
                    .findings
                    .into_iter()
                    .map(|f| {
                        let state = f.state.name();
                        let text = f.text;
                        view! {
                            <li class=format!("check check-{state}") data-testid=format!("rotation-{}", f.name) data-state=state>
                                <span class="check-icon" aria-hidden="true">{f.state.icon()}</span>
                                <div class="check-body">
                                    <p class="check-evidence">
                                        <span class=format!("state-label state-{state}")>{tr(f.state.label())}</span>
                                        " "
                                        {move || text.get(locale.get())}
                                    </p>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
