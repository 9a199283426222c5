//! The creation flow's calls: the Basics step's reads (groups, locations, name
//! availability), the Run step's exchanges (a lookup that tells whether a
//! step already happened, a write sent once, a registry creation followed to the end)
//! and "Remove what this run created"'s deletions (the group's only once it is empty).

use acr_cmk_domain::identity::UserAssignedIdentity;
use acr_cmk_domain::key::ArmKey;
use acr_cmk_domain::placement::{locations_for, Location, NameAvailability, ProviderRegistration, ResourceGroup};
use acr_cmk_domain::requests::{self, ArmRequest};
use acr_cmk_domain::writes::creation::{RemovalStep, StepKind};
use acr_cmk_domain::writes::PlannedWrite;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::transport::Call;
use super::writes::{WriteAnswer, WriteProgress};
use super::{ArmClient, ClientError};

/// What a creation step's write answered, with its body for the values ARM assigned.
#[derive(Clone, Debug)]
pub struct CreatedAnswer {
    pub answer: WriteAnswer,
    pub body: String,
}

/// What ARM assigned that later steps need, read from a step's answer or lookup.
#[derive(Clone, Debug)]
pub enum Created {
    /// A new identity: its client and principal ids.
    Identity(UserAssignedIdentity),
    /// A new key: its first version.
    Key(ArmKey),
    Nothing,
}

/// What a removal step did.
#[derive(Clone, Debug)]
pub enum Removed {
    /// The deletion was sent and ARM accepted it (a registry's followed to its end).
    Deleted(WriteAnswer),
    /// Not sent: the group still holds these resources (names as ARM lists them).
    KeptNotEmpty(Vec<String>),
}

/// A row of ARM's generic resource list: only the name is needed, to say what keeps a group.
#[derive(Deserialize)]
struct Listed {
    name: String,
}

/// Reads `body` (a step's answer or its lookup) as what `kind` creates.
pub fn read_created(kind: StepKind, body: &str) -> Created {
    fn parse<T: DeserializeOwned>(body: &str) -> Option<T> {
        serde_json::from_str(body).ok()
    }
    match kind {
        StepKind::Identity => parse(body).map(Created::Identity).unwrap_or(Created::Nothing),
        StepKind::Key => parse(body).map(Created::Key).unwrap_or(Created::Nothing),
        _ => Created::Nothing,
    }
}

impl ArmClient {
    pub async fn resource_groups(&self, subscription_id: &str) -> Result<Vec<ResourceGroup>, ClientError> {
        self.list(requests::list_resource_groups(subscription_id)).await
    }

    /// The subscription's locations where registries can be created.
    pub async fn registry_locations(&self, subscription_id: &str) -> Result<Vec<Location>, ClientError> {
        let call = Call::start(&self.endpoint);
        let provider: ProviderRegistration = self.get(&call, &requests::get_registry_provider(subscription_id)).await?;
        let all: Vec<Location> = self.list_on(&call, requests::list_locations(subscription_id)).await?;
        Ok(locations_for(&provider, "registries", &all))
    }

    pub async fn registry_name_availability(&self, subscription_id: &str, name: &str) -> Result<NameAvailability, ClientError> {
        let call = Call::start(&self.endpoint);
        self.get(&call, &requests::check_registry_name(subscription_id, name)).await
    }

    /// A step's lookup: the resource's body when it exists, `None` on 404.
    pub async fn lookup(&self, request: &ArmRequest) -> Result<Option<String>, ClientError> {
        let call = Call::start(&self.endpoint);
        let answer = call.send(request, Some(&self.token())).await?;
        match answer.status {
            404 => Ok(None),
            200..=299 => Ok(Some(answer.body)),
            _ => Err(acr_cmk_domain::response::failure(answer.status, answer.request_id, &answer.body)),
        }
    }

    /// Sends one creation write once; a long-running one (the registry) is followed
    /// to its end, `progress` hearing each poll.
    pub async fn create_step(&self, write: &PlannedWrite, progress: &dyn Fn(WriteProgress)) -> Result<CreatedAnswer, ClientError> {
        let call = Call::start(&self.endpoint);
        progress(WriteProgress::Sending);
        let (answer, body) = self.exchange_with_body(&call, &write.request).await?;
        if write.long_running {
            progress(WriteProgress::Accepted { request_id: answer.request_id.clone() });
            if let Some(url) = answer.async_operation.clone() {
                self.wait_for_operation(&call, &url, &answer, progress).await.map_err(|cause| match cause {
                    e @ (ClientError::OperationFailed { .. } | ClientError::OperationTimedOut { .. }) => e,
                    cause => ClientError::AcceptedOutcomeUnknown { request_id: answer.request_id.clone(), cause: Box::new(cause) },
                })?;
            }
        }
        Ok(CreatedAnswer { answer, body })
    }

    /// One deletion of "Remove what this run created": its guard first (a group is
    /// deleted only when ARM lists nothing left in it), then the write sent once, a
    /// long-running one (the registry) followed to its end.
    pub async fn remove_step(&self, step: &RemovalStep, progress: &dyn Fn(WriteProgress)) -> Result<Removed, ClientError> {
        if let Some(list) = &step.only_if_empty {
            let call = Call::start(&self.endpoint);
            let left: Vec<Listed> = self.list_on(&call, list.clone()).await?;
            if !left.is_empty() {
                return Ok(Removed::KeptNotEmpty(left.into_iter().map(|r| r.name).collect()));
            }
        }
        self.create_step(&step.write, progress).await.map(|a| Removed::Deleted(a.answer))
    }
}
