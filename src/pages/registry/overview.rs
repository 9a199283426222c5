//! The registry's essentials: resource group, location, SKU, identity type,
//! login server, provisioning state and resource id.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::registry::Registry;
use leptos::prelude::*;

use crate::components::key_value::KeyValue;

#[component]
pub fn Overview(registry: Registry) -> impl IntoView {
    let id = ResourceId::parse(&registry.id);
    let identity_type = Some(registry.identity.as_ref().and_then(|i| i.kind.clone()).unwrap_or_else(|| "None".into()));
    let props = &registry.properties;
    view! {
        <section class="panel" aria-labelledby="overview-title">
            <h2 id="overview-title">"Overview"</h2>
            <dl class="kv">
                <KeyValue label="Resource group" value=id.as_ref().map(|i| i.resource_group.clone()) />
                <KeyValue label="Location" value=Some(registry.location.clone()) />
                <KeyValue label="SKU" field="sku.name" testid="sku" value=Some(registry.sku.name.clone()) />
                <KeyValue label="Identity type" field="identity.type" testid="identity-type" value=identity_type />
                <KeyValue label="Login server" value=props.login_server.clone() copy=true mono=true />
                <KeyValue label="Provisioning state" value=props.provisioning_state.clone() />
                <KeyValue label="Resource id" value=Some(registry.id.clone()) copy=true mono=true />
            </dl>
        </section>
    }
}
