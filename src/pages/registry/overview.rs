//! The registry's essentials: resource group, location, SKU, identity type,
//! login server, provisioning state and resource id.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::registry::Registry;
use leptos::prelude::*;

use crate::components::key_value::KeyValue;
use crate::i18n::catalogue::registry as words;
use crate::i18n::{tr, Locale};

#[component]
pub fn Overview(registry: Registry) -> impl IntoView {
    let id = ResourceId::parse(&registry.id);
    let locale = Locale::expect();
    let identity_type = registry.identity.as_ref().and_then(|i| i.kind.clone());
    let identity_type =
        Signal::derive(move || Some(identity_type.clone().unwrap_or_else(|| words::IDENTITY_NONE.get(locale.get()).to_string())));
    let props = &registry.properties;
    view! {
        <section class="panel" aria-labelledby="overview-title">
            <h2 id="overview-title">{tr(words::OVERVIEW)}</h2>
            <dl class="kv">
                <KeyValue label=words::RESOURCE_GROUP value=id.as_ref().map(|i| i.resource_group.clone()) />
                <KeyValue label=words::LOCATION value=Some(registry.location.clone()) />
                <KeyValue label=words::SKU field="sku.name" testid="sku" value=Some(registry.sku.name.clone()) />
                <KeyValue label=words::IDENTITY_TYPE field="identity.type" testid="identity-type" value=identity_type />
                <KeyValue label=words::LOGIN_SERVER value=props.login_server.clone() copy=true mono=true />
                <KeyValue label=words::PROVISIONING_STATE value=props.provisioning_state.clone() />
                <KeyValue label=words::RESOURCE_ID value=Some(registry.id.clone()) copy=true mono=true />
            </dl>
        </section>
    }
}
