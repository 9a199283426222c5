//! Rotation health: the version in use against the newest enabled one, a
//! disabled version still in use, the expiry date and days left, and Key
//! Vault's rotation policy. The findings are `acr_cmk_domain::rotation_health`.

use acr_cmk_domain::rotation_health::RotationHealth;
use leptos::prelude::*;

use crate::components::key_value::KeyValue;

#[component]
pub fn RotationPanel(health: RotationHealth) -> impl IntoView {
    let worst = health.worst();
    let mode = if health.auto_rotation { "Auto-rotation (versionless key)" } else { "Pinned to a version" };
    let expires = health.expires.map(|e| acr_cmk_domain::encryption::format_unix_utc(e) + " UTC");
    let days_left = health.days_left.map(|d| d.to_string());
    view! {
        <section class="panel rotation" aria-labelledby="rotation-title" data-testid="rotation" data-state=worst.name()>
            <div class="panel-head">
                <h2 id="rotation-title">"Key rotation"</h2>
                <span class=format!("state-label state-{}", worst.name())>{worst.words()}</span>
            </div>
            <dl class="kv">
                <KeyValue label="Rotation" value=Some(mode.to_string()) testid="rotation-mode" />
                <KeyValue label="Version in use" value=health.version_in_use.clone() testid="rotation-in-use" mono=true />
                <KeyValue label="Newest enabled version" value=health.newest_enabled.clone() testid="rotation-newest" mono=true />
                <KeyValue label="Expires" value=expires testid="rotation-expires" />
                <KeyValue label="Days left" value=days_left testid="rotation-days-left" />
            </dl>
            <ul class="checklist rotation-findings">
                {health
                    .findings
                    .into_iter()
                    .map(|f| {
                        let state = f.state.name();
                        view! {
                            <li class=format!("check check-{state}") data-testid=format!("rotation-{}", f.name) data-state=state>
                                <span class="check-icon" aria-hidden="true">{f.state.icon()}</span>
                                <div class="check-body">
                                    <p class="check-evidence">
                                        <span class=format!("state-label state-{state}")>{f.state.words()}</span>
                                        " "
                                        {f.text}
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
