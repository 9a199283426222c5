//! Finding a key's vault wherever it lives in the tenant (see
//! `acr_cmk_domain::vault_location` for the order and the outcomes). The
//! registry's own subscription is listed by the caller first, with its other
//! reads, so the common case costs nothing here.

use acr_cmk_domain::requests;
use acr_cmk_domain::subscription::Subscription;
use acr_cmk_domain::vault::Vault;
use acr_cmk_domain::vault_location::{
    find_by_name, list_deleted_vaults, search_order, subscription_of, vault_by_name_query, DeletedVault, VaultAbsence, VaultRow,
};

use super::transport::Call;
use super::{ArmClient, ClientError};

/// Where a key's vault was found outside the registry's subscription.
pub(super) enum Located {
    /// In a subscription's vault list (where Resource Graph failed): read, with its properties.
    Listed(Vault),
    /// In Resource Graph's index: its id and what the index says of it; the vault itself is still to be
    /// read (fresh, with its ETag), which the diagnosis does beside the key's reads.
    Indexed(VaultRow),
}

impl ArmClient {
    /// The vault `name`, looked for outside `registry_subscription` (already searched):
    /// Resource Graph over every readable subscription, then the vault itself (fresh, with
    /// its ETag); where Resource Graph fails, the other visible subscriptions one by one.
    /// Not found: soft-deleted in a visible subscription (also one Resource Graph still lists), or
    /// not visible to this user.
    pub async fn find_vault_elsewhere(&self, registry_subscription: &str, name: &str) -> Result<Result<Vault, VaultAbsence>, ClientError> {
        let call = Call::start(&self.endpoint);
        let row = match self.locate_vault_elsewhere_on(&call, registry_subscription, name).await? {
            Ok(Located::Listed(vault)) => return Ok(Ok(vault)),
            Ok(Located::Indexed(row)) => row,
            Err(absence) => return Ok(Err(absence)),
        };
        match self.get::<Vault>(&call, &requests::get_vault(&row.id)).await {
            Ok(vault) => Ok(Ok(vault)),
            Err(e) if e.status() == Some(404) => Ok(Err(self.deleted_since_indexed(&call, name, &row.id, e).await?)),
            Err(e) => Err(e),
        }
    }

    /// [`ArmClient::find_vault_elsewhere`] within `call`, stopping at Resource Graph's row when it has one.
    pub(super) async fn locate_vault_elsewhere_on(
        &self,
        call: &Call,
        registry_subscription: &str,
        name: &str,
    ) -> Result<Result<Located, VaultAbsence>, ClientError> {
        let visible = || async { Ok::<_, ClientError>(self.list_on::<Subscription>(call, requests::list_subscriptions()).await?) };
        if let Ok(rows) = self.query_on::<VaultRow>(call, &vault_by_name_query(name)).await {
            if let Some(row) = rows.into_iter().find(|r| r.name.eq_ignore_ascii_case(name)) {
                return Ok(Ok(Located::Indexed(row)));
            }
            let subscriptions = ids(visible().await?);
            return Ok(Err(self.deleted_or_hidden(call, name, &subscriptions, true).await));
        }
        let subscriptions = ids(visible().await?);
        for subscription in search_order(registry_subscription, &subscriptions, true) {
            // A subscription whose vaults cannot be listed is one the vault is not visible in.
            if let Ok(vaults) = self.list_on::<Vault>(call, requests::list_vaults(&subscription)).await {
                if let Some(vault) = find_by_name(vaults, name) {
                    return Ok(Ok(Located::Listed(vault)));
                }
            }
        }
        Ok(Err(self.deleted_or_hidden(call, name, &subscriptions, false).await))
    }

    /// A vault Resource Graph still lists (at `vault_id`) that ARM answered `not_found` (`404`) for: the
    /// index lags behind a change. Soft-deleted in the subscription the index placed it in: said so, with
    /// the way back; otherwise (purged, moved) ARM's `404` stands.
    pub(super) async fn deleted_since_indexed(
        &self,
        call: &Call,
        name: &str,
        vault_id: &str,
        not_found: ClientError,
    ) -> Result<VaultAbsence, ClientError> {
        let subscription = subscription_of(vault_id).unwrap_or_default();
        match self.deleted_or_hidden(call, name, &[subscription], true).await {
            deleted @ VaultAbsence::Deleted { .. } => Ok(deleted),
            VaultAbsence::NotVisible { .. } => Err(not_found),
        }
    }

    /// Soft-deleted in one of `subscriptions`, or not visible to this user.
    async fn deleted_or_hidden(&self, call: &Call, name: &str, subscriptions: &[String], resource_graph: bool) -> VaultAbsence {
        for subscription in subscriptions {
            if let Ok(deleted) = self.list_on::<DeletedVault>(call, list_deleted_vaults(subscription)).await {
                if let Some(d) = deleted.into_iter().find(|d| d.name.eq_ignore_ascii_case(name)) {
                    return d.absence();
                }
            }
        }
        VaultAbsence::NotVisible { subscriptions_searched: subscriptions.len(), resource_graph }
    }
}

fn ids(subscriptions: Vec<Subscription>) -> Vec<String> {
    subscriptions.into_iter().map(|s| s.subscription_id).collect()
}
