//! The creation plan sent as one ARM template deployment: validate, `PUT` the
//! deployment once, follow its `Azure-AsyncOperation` (listing the per-resource
//! operations at each poll, so the page shows them as they happen), then read
//! the deployment (its `DeploymentFailed` details) and its operations.

use acr_cmk_domain::endpoint::resolve;
use acr_cmk_domain::requests;
use acr_cmk_domain::writes::creation::deployment::{self, Deployment, DeploymentOperation};
use acr_cmk_domain::writes::operation::{poll_interval_ms, OperationState, OperationStatus, OPERATION_TIMEOUT_SECS};
use serde_json::Value;

use super::transport::Call;
use super::{ArmClient, ClientError};

/// Where the deployment is in ARM: its resource group, name, template and parameters.
pub struct DeploymentTarget<'a> {
    pub subscription_id: &'a str,
    pub group: &'a str,
    pub name: &'a str,
    pub template: &'a Value,
    pub parameters: &'a Value,
}

/// How the deployment ended, with the request id of its `PUT`.
#[derive(Clone, Debug)]
pub struct DeploymentOutcome {
    pub deployment: Deployment,
    pub operations: Vec<DeploymentOperation>,
    pub request_id: Option<String>,
}

impl ArmClient {
    /// ARM's validation of the template (`InvalidTemplate` comes back as the error).
    pub async fn validate_deployment(&self, t: &DeploymentTarget<'_>) -> Result<(), ClientError> {
        let call = Call::start(&self.endpoint);
        self.exchange_with_body(&call, &deployment::validate(t.subscription_id, t.group, t.name, t.template, t.parameters)).await?;
        Ok(())
    }

    pub async fn deployment_operations(&self, t: &DeploymentTarget<'_>) -> Result<Vec<DeploymentOperation>, ClientError> {
        self.list(deployment::operations(t.subscription_id, t.group, t.name)).await
    }

    /// Sends the deployment once and follows it to its end; `progress` hears each poll's status and operations.
    pub async fn deploy(
        &self,
        t: &DeploymentTarget<'_>,
        progress: &dyn Fn(&str, &[DeploymentOperation]),
    ) -> Result<DeploymentOutcome, ClientError> {
        let call = Call::start(&self.endpoint);
        let (answer, _) =
            self.exchange_with_body(&call, &deployment::create(t.subscription_id, t.group, t.name, t.template, t.parameters)).await?;
        progress("Accepted", &[]);
        if let Some(url) = answer.async_operation.as_deref() {
            let url = resolve(&self.endpoint, url).map_err(super::transport::foreign_link)?;
            let started = crate::clock::now_unix_secs();
            let mut wait_ms = poll_interval_ms(None).min(1_000);
            loop {
                gloo_timers::future::TimeoutFuture::new(wait_ms).await;
                let poll = call.send(&requests::next_page(&url), Some(&self.token())).await?;
                let status: OperationStatus = poll.decode()?;
                let operations = self.deployment_operations(t).await.unwrap_or_default();
                progress(&status.status, &operations);
                if status.state() != OperationState::InProgress {
                    break;
                }
                if crate::clock::now_unix_secs() - started > i64::from(OPERATION_TIMEOUT_SECS) {
                    return Err(ClientError::OperationTimedOut {
                        url: url.to_string(),
                        after_secs: OPERATION_TIMEOUT_SECS,
                        request_id: answer.request_id.clone(),
                    });
                }
                wait_ms = poll_interval_ms(poll.retry_after.as_deref());
            }
        }
        let deployment: Deployment = self.get(&call, &deployment::get(t.subscription_id, t.group, t.name)).await?;
        let operations = self.deployment_operations(t).await?;
        Ok(DeploymentOutcome { deployment, operations, request_id: answer.request_id })
    }
}
