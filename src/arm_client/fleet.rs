//! The fleet page's read: every registry, key vault and user-assigned identity
//! the user can see, joined by `acr_cmk_domain::fleet`. Three Resource Graph
//! queries (O(pages) requests for the whole tenant); where Resource Graph is
//! refused or failing, the per-subscription ARM lists the home page uses.

use std::collections::HashMap;

use acr_cmk_domain::diagnosis::Target;
use acr_cmk_domain::fleet::{join, FleetRow, IDENTITIES, REGISTRIES, STALE_AFTER_DAYS, VAULTS};
use acr_cmk_domain::identity::UserAssignedIdentity;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::requests;
use acr_cmk_domain::subscription::Subscription;
use acr_cmk_domain::vault::Vault;

use super::transport::Call;
use super::{ArmClient, ClientError};

/// The joined fleet, and where it came from.
#[derive(Clone, Debug)]
pub struct Fleet {
    pub rows: Vec<FleetRow>,
    /// The registries with a customer-managed key, as Resource Graph (or the lists) sent them,
    /// by id: what "Diagnose many" diagnoses. Those without one are not kept (nothing to diagnose).
    pub cmk_registries: HashMap<String, Registry>,
    pub source: FleetSource,
}

impl Fleet {
    fn joined(registries: Vec<Registry>, vaults: &[Vault], identities: &[UserAssignedIdentity], source: FleetSource) -> Fleet {
        let rows = join(&registries, vaults, identities, crate::clock::now_unix_secs(), STALE_AFTER_DAYS);
        let cmk_registries = registries.into_iter().filter(|r| Target::current(r).is_some()).map(|r| (r.id.clone(), r)).collect();
        Fleet { rows, cmk_registries, source }
    }
}

#[derive(Clone, Debug)]
pub enum FleetSource {
    /// Resource Graph: seconds to minutes behind ARM.
    ResourceGraph,
    /// Resource Graph failed with `refused`; read subscription by subscription instead.
    ArmLists {
        refused: ClientError,
        /// Subscriptions whose lists could not be read (their registries are missing).
        unreadable: Vec<String>,
    },
}

impl ArmClient {
    /// The whole fleet, joined, with the flags as of now.
    pub async fn fleet(&self) -> Result<Fleet, ClientError> {
        let call = Call::start(&self.endpoint);
        let graph = futures::future::try_join3(
            self.query_on::<Registry>(&call, REGISTRIES),
            self.query_on::<Vault>(&call, VAULTS),
            self.query_on::<UserAssignedIdentity>(&call, IDENTITIES),
        )
        .await;
        match graph {
            Ok((registries, vaults, identities)) => Ok(Fleet::joined(registries, &vaults, &identities, FleetSource::ResourceGraph)),
            Err(refused) if falls_back(&refused) => {
                let (registries, vaults, identities, unreadable) = self.fleet_by_subscription(&call).await?;
                Ok(Fleet::joined(registries, &vaults, &identities, FleetSource::ArmLists { refused, unreadable }))
            }
            Err(e) => Err(e),
        }
    }

    /// Every visible subscription's registries, vaults and identities: three lists at a time
    /// per subscription, [`SUBSCRIPTIONS_AT_ONCE`] subscriptions at a time (queued in the
    /// browser instead, a request's time-out would start long before it is sent). A
    /// subscription that refuses a list is named, not fatal.
    async fn fleet_by_subscription(&self, call: &Call) -> Result<ByAccount, ClientError> {
        use futures::StreamExt;

        let subscriptions: Vec<Subscription> = self.list_on(call, requests::list_subscriptions()).await?;
        let reads = subscriptions.iter().map(|s| async move {
            let id = s.subscription_id.as_str();
            let lists = futures::future::try_join3(
                self.list_on::<Registry>(call, requests::list_registries(id)),
                self.list_on::<Vault>(call, requests::list_vaults(id)),
                self.list_on::<UserAssignedIdentity>(call, requests::list_user_identities(id)),
            )
            .await;
            (id.to_string(), lists)
        });
        let mut all = ByAccount::default();
        let mut answers = futures::stream::iter(reads).buffered(SUBSCRIPTIONS_AT_ONCE);
        while let Some((id, lists)) = answers.next().await {
            match lists {
                Ok((r, v, i)) => {
                    all.0.extend(r);
                    all.1.extend(v);
                    all.2.extend(i);
                }
                Err(ClientError::Aborted) => return Err(ClientError::Aborted),
                Err(_) => all.3.push(id),
            }
        }
        Ok(all)
    }
}

/// Two subscriptions' three lists: six requests, what a browser sends at once to one host.
const SUBSCRIPTIONS_AT_ONCE: usize = 2;

/// Registries, vaults, identities, and the subscriptions that could not be listed.
type ByAccount = (Vec<Registry>, Vec<Vault>, Vec<UserAssignedIdentity>, Vec<String>);

/// Resource Graph answered, with a failure the ARM lists may not share (403, 404, throttled
/// past the retries, 5xx). Not a refused token (401: the lists would be refused too), nor no answer.
fn falls_back(error: &ClientError) -> bool {
    error.status().is_some_and(|s| s != 401)
}
