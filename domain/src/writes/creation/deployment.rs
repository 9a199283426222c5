//! The creation plan sent as one ARM deployment (the seed's third way): the
//! requests (validate, `PUT`, the deployment and its operations) and the typed
//! answers, `Microsoft.Resources/deployments` at the registry's resource group.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::arm::ErrorDetail;
use crate::requests::{ArmRequest, Method};
use crate::text::Sentence;

/// An operation's words where ARM named no resource (a resource's type and name are verbatim).
pub mod words {
    crate::catalogue! {
        /// `{id}` is ARM's operation id.
        OPERATION: "operation {id}" => "작업 {id}";
    }
}

pub const API_VERSION: &str = "2024-03-01";

/// The deployment's name for a registry (ARM keeps one deployment per name and group).
pub fn deployment_name(registry_name: &str) -> String {
    format!("acr-cmk-{registry_name}")
}

fn path(subscription_id: &str, group: &str, name: &str, rest: &str) -> String {
    format!("/subscriptions/{subscription_id}/resourceGroups/{group}/providers/Microsoft.Resources/deployments/{name}{rest}?api-version={API_VERSION}")
}

fn body(template: &Value, parameters: &Value) -> Value {
    json!({"properties": {"mode": "Incremental", "template": template, "parameters": parameters}})
}

pub fn validate(subscription_id: &str, group: &str, name: &str, template: &Value, parameters: &Value) -> ArmRequest {
    ArmRequest::new(Method::Post, path(subscription_id, group, name, "/validate"), Some(body(template, parameters)))
}

pub fn create(subscription_id: &str, group: &str, name: &str, template: &Value, parameters: &Value) -> ArmRequest {
    ArmRequest::new(Method::Put, path(subscription_id, group, name, ""), Some(body(template, parameters)))
}

pub fn get(subscription_id: &str, group: &str, name: &str) -> ArmRequest {
    ArmRequest::new(Method::Get, path(subscription_id, group, name, ""), None)
}

pub fn operations(subscription_id: &str, group: &str, name: &str) -> ArmRequest {
    ArmRequest::new(Method::Get, path(subscription_id, group, name, "/operations"), None)
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub properties: DeploymentProperties,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentProperties {
    #[serde(default)]
    pub provisioning_state: String,
    /// `DeploymentFailed` with each failed resource's error in `details`.
    #[serde(default)]
    pub error: Option<ErrorDetail>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentOperation {
    #[serde(default)]
    pub operation_id: String,
    #[serde(default)]
    pub properties: OperationProperties,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationProperties {
    #[serde(default)]
    pub provisioning_state: String,
    #[serde(default)]
    pub status_code: Option<String>,
    #[serde(default)]
    pub status_message: Option<StatusMessage>,
    #[serde(default)]
    pub target_resource: Option<TargetResource>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusMessage {
    #[serde(default)]
    pub error: Option<ErrorDetail>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetResource {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub resource_type: String,
    #[serde(default)]
    pub resource_name: String,
}

impl DeploymentOperation {
    /// `type 'name'`, or the operation id when ARM named no target.
    pub fn target(&self) -> Sentence {
        match &self.properties.target_resource {
            Some(t) => Sentence::verbatim(format!("{} '{}'", t.resource_type, t.resource_name)),
            None => Sentence::new(words::OPERATION).with("id", self.operation_id.as_str()),
        }
    }

    pub fn error(&self) -> Option<&ErrorDetail> {
        self.properties.status_message.as_ref().and_then(|m| m.error.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_operation_reads_with_its_error() {
        let op: DeploymentOperation = serde_json::from_value(json!({"operationId": "AB", "properties": {
            "provisioningState": "Failed", "statusCode": "BadRequest",
            "statusMessage": {"status": "Failed", "error": {"code": "KeyVaultAccessFailed", "message": "no access"}},
            "targetResource": {"id": "/x", "resourceType": "Microsoft.ContainerRegistry/registries", "resourceName": "r1"},
            "unknown": 1}}))
        .unwrap();
        assert_eq!(op.target().to_string(), "Microsoft.ContainerRegistry/registries 'r1'");
        assert_eq!(op.error().unwrap().code, "KeyVaultAccessFailed");
        let r = create("s", "g", &deployment_name("r1"), &json!({}), &json!({}));
        assert_eq!(r.path, "/subscriptions/s/resourceGroups/g/providers/Microsoft.Resources/deployments/acr-cmk-r1?api-version=2024-03-01");
        assert_eq!(r.body.unwrap()["properties"]["mode"], "Incremental");
    }
}
