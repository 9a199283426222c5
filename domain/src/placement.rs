//! Where a new registry can go: the subscription's resource groups, the
//! locations `Microsoft.ContainerRegistry` offers there, and whether a name is
//! free (registry names are global DNS names, `{name}.azurecr.io`).

use serde::{Deserialize, Serialize};

use crate::text::Sentence;

/// A name's availability in words; `{host}` is the name in lower case.
pub mod words {
    crate::catalogue! {
        AVAILABLE: "{host}.azurecr.io is available." => "{host}.azurecr.io을(를) 사용할 수 있습니다.";
        TAKEN: "{host}.azurecr.io is already taken: registry names are global."
            => "{host}.azurecr.io은(는) 이미 사용 중입니다. 레지스트리 이름은 전역에서 고유해야 합니다.";
        UNUSABLE: "'{name}' cannot be used as a registry name." => "'{name}'은(는) 레지스트리 이름으로 사용할 수 없습니다.";
    }
}

/// `GET /subscriptions/{s}/resourcegroups` items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceGroup {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub location: String,
}

/// `GET /subscriptions/{s}/locations` items: `name` is what requests carry (`westeurope`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub name: String,
    #[serde(default)]
    pub display_name: String,
}

/// `GET /subscriptions/{s}/providers/{namespace}`: only what the flow reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderRegistration {
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub resource_types: Vec<ProviderResourceType>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderResourceType {
    pub resource_type: String,
    /// Display names (`West Europe`), as ARM lists them.
    #[serde(default)]
    pub locations: Vec<String>,
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

/// The subscription's locations where `resource_type` of the provider can be created,
/// sorted by display name. The provider names regions by display name; requests want
/// the name, so each is matched to the subscription's list (spaces and case aside).
pub fn locations_for(provider: &ProviderRegistration, resource_type: &str, subscription: &[Location]) -> Vec<Location> {
    let Some(rt) = provider.resource_types.iter().find(|t| t.resource_type.eq_ignore_ascii_case(resource_type)) else {
        return Vec::new();
    };
    let mut out: Vec<Location> = subscription
        .iter()
        .filter(|l| rt.locations.iter().any(|d| squash(d) == squash(&l.display_name) || squash(d) == squash(&l.name)))
        .cloned()
        .collect();
    out.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    out
}

/// The body of `POST …/Microsoft.ContainerRegistry/checkNameAvailability`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameAvailabilityRequest {
    pub name: String,
    #[serde(rename = "type")]
    pub resource_type: String,
}

/// Its answer: `reason` is `Invalid` or `AlreadyExists` when the name cannot be had.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NameAvailability {
    pub name_available: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl NameAvailability {
    /// The answer in a sentence for the name field (ARM's own message, when it sent one, verbatim).
    pub fn describe(&self, name: &str) -> Sentence {
        let host = name.to_ascii_lowercase();
        if self.name_available {
            return Sentence::new(words::AVAILABLE).with("host", host);
        }
        match (&self.reason, &self.message) {
            (_, Some(m)) if !m.is_empty() => Sentence::verbatim(m.as_str()),
            (Some(r), _) if r.eq_ignore_ascii_case("AlreadyExists") => Sentence::new(words::TAKEN).with("host", host),
            _ => Sentence::new(words::UNUSABLE).with("name", name),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn provider_display_names_map_to_location_names() {
        let provider: ProviderRegistration = serde_json::from_value(json!({
            "namespace": "Microsoft.ContainerRegistry",
            "resourceTypes": [
                {"resourceType": "registries", "locations": ["West Europe", "East US 2"]},
                {"resourceType": "checkNameAvailability", "locations": []}
            ]
        }))
        .unwrap();
        let subscription: Vec<Location> = serde_json::from_value(json!([
            {"name": "westeurope", "displayName": "West Europe"},
            {"name": "eastus2", "displayName": "East US 2"},
            {"name": "japaneast", "displayName": "Japan East"}
        ]))
        .unwrap();
        let names: Vec<String> = locations_for(&provider, "registries", &subscription).into_iter().map(|l| l.name).collect();
        assert_eq!(names, vec!["eastus2", "westeurope"]);
        assert!(locations_for(&provider, "vaults", &subscription).is_empty());
    }

    #[test]
    fn availability_reads_in_words() {
        let taken: NameAvailability = serde_json::from_value(json!({"nameAvailable": false, "reason": "AlreadyExists"})).unwrap();
        assert!(taken.describe("Contoso1").to_string().contains("contoso1.azurecr.io is already taken"));
        let free = NameAvailability { name_available: true, reason: None, message: None };
        assert_eq!(free.describe("contoso1").to_string(), "contoso1.azurecr.io is available.");
        assert_eq!(free.describe("contoso1").get(crate::text::Lang::Ko), "contoso1.azurecr.io을(를) 사용할 수 있습니다.");
    }
}
