//! What the world keeps of a deployment: its state, parameters, outputs, error
//! and per-resource operations, and their JSON in ARM's shape.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::clock;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentRec {
    pub subscription_id: String,
    pub resource_group: String,
    pub name: String,
    /// Names the operation-status URL of the run that made this record.
    pub operation_id: String,
    pub correlation_id: String,
    /// `Running`, `Succeeded` or `Failed`.
    pub provisioning_state: String,
    pub started_ms: i64,
    pub ended_ms: Option<i64>,
    pub parameters: Value,
    pub outputs: Value,
    pub output_resources: Vec<String>,
    /// `{code, message, details}` once failed.
    pub error: Option<Value>,
    pub operations: Vec<OperationRec>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationRec {
    pub operation_id: String,
    pub resource_id: String,
    pub resource_type: String,
    pub resource_name: String,
    pub api_version: String,
    /// `Running`, `Succeeded` or `Failed`.
    pub provisioning_state: String,
    /// The provider's answer, as ARM names it (`OK`, `Created`, `BadRequest`…).
    pub status_code: String,
    /// The provider's `{code, message}` when it failed.
    pub error: Option<Value>,
    pub request_id: Option<String>,
    pub started_ms: i64,
    pub ended_ms: Option<i64>,
}

fn duration(start: i64, end: Option<i64>) -> String {
    let ms = end.unwrap_or_else(clock::now_millis) - start;
    format!("PT{}.{:03}S", ms / 1000, ms % 1000)
}

impl DeploymentRec {
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Resources/deployments/{}",
            self.subscription_id, self.resource_group, self.name
        )
    }

    pub fn json(&self) -> Value {
        let mut props = json!({
            "templateHash": "0",
            "parameters": self.parameters,
            "mode": "Incremental",
            "provisioningState": self.provisioning_state,
            "timestamp": clock::rfc3339_millis(self.ended_ms.unwrap_or(self.started_ms)),
            "duration": duration(self.started_ms, self.ended_ms),
            "correlationId": self.correlation_id,
            "providers": [],
            "dependencies": [],
            "outputResources": self.output_resources.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
        });
        if self.provisioning_state == "Succeeded" {
            props["outputs"] = self.outputs.clone();
        }
        if let Some(e) = &self.error {
            props["error"] = e.clone();
        }
        json!({"id": self.id(), "name": self.name, "type": "Microsoft.Resources/deployments", "properties": props})
    }

    pub fn operations_json(&self) -> Vec<Value> {
        self.operations
            .iter()
            .map(|o| {
                let mut props = json!({
                    "provisioningOperation": "Create",
                    "provisioningState": o.provisioning_state,
                    "timestamp": clock::rfc3339_millis(o.ended_ms.unwrap_or(o.started_ms)),
                    "duration": duration(o.started_ms, o.ended_ms),
                    "trackingId": o.request_id.clone().unwrap_or_default(),
                    "statusCode": o.status_code,
                    "targetResource": {"id": o.resource_id, "resourceType": o.resource_type, "resourceName": o.resource_name, "apiVersion": o.api_version},
                });
                if let Some(e) = &o.error {
                    props["statusMessage"] = json!({"status": "Failed", "error": e});
                }
                json!({"id": format!("{}/operations/{}", self.id(), o.operation_id), "operationId": o.operation_id, "properties": props})
            })
            .collect()
    }
}

/// ARM's status name for an HTTP status.
pub fn status_name(status: u16) -> String {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        503 => "ServiceUnavailable",
        _ => return status.to_string(),
    }
    .to_string()
}
