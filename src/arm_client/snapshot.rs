//! The reads behind the key-access diagnosis, gathered into a `Snapshot` in
//! two concurrent rounds and as few requests as the answers allow. The registry
//! page reads everything ([`Depth::Page`]); the fleet's "Diagnose many" reads what
//! the verdict needs ([`Depth::Verdict`]), its reads shared across the batch.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::diagnosis::{resolve_identity, Fetched, IdentityRef, Purpose, Snapshot, Target};
use acr_cmk_domain::identity::UserAssignedIdentity;
use acr_cmk_domain::key::ArmKey;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::requests;
use acr_cmk_domain::vault::Vault;
use acr_cmk_domain::vault_location::find_by_name;

use super::transport::Call;
use super::vault_lookup::Located;
use super::ArmClient;

/// How much a snapshot reads beyond what the verdict needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Depth {
    /// The registry page (what the registry uses now): also the caller's permissions on the
    /// registry and the vault (the gate on its writes) and the key itself (rotation health).
    Page,
    /// The verdict only: a rotation's pre-flight, and each registry of "Diagnose many".
    Verdict,
}

impl Depth {
    fn of(purpose: Purpose) -> Depth {
        match purpose {
            Purpose::Current => Depth::Page,
            Purpose::Proposed => Depth::Verdict,
        }
    }
}

impl ArmClient {
    /// What the diagnosis needs about the key `registry` encrypts with now.
    pub async fn load_diagnosis_snapshot(&self, registry: &Registry) -> Snapshot {
        self.load_snapshot(registry, Purpose::Current, Target::current(registry), Vec::new()).await
    }

    /// Gathers a diagnosis snapshot for `target` (current, or a rotation's proposal)
    /// in two concurrent rounds and as few reads as the answers allow:
    /// 1. the subscription's vaults (to find the key's vault by name; only when it is not
    ///    there, the rest of the tenant: `vault_lookup`), the system
    ///    identity when the registry has one (its client id), and the subscription's
    ///    identities only when the target's client id matches none attached, the attached user-assigned
    ///    identity that encrypts (whether it still exists) (for the page, also
    ///    the caller's permissions on the registry);
    /// 2. the key's versions, and the principal's role assignments on RBAC vaults (for the page,
    ///    also the key itself and the caller's permissions on the vault); a vault found elsewhere by
    ///    Resource Graph is read in this round too, since these reads need only its id (the index's
    ///    word on RBAC decides the assignments' read, the vault's own corrects it when they differ).
    ///
    /// `known_identities` are user-assigned identities the caller already has (e.g.
    /// the one a rotation proposes). Failed reads are kept in the snapshot: the
    /// diagnosis shows them as "unknown" rather than failing as a whole.
    pub async fn load_snapshot(
        &self,
        registry: &Registry,
        purpose: Purpose,
        target: Option<Target>,
        known_identities: Vec<UserAssignedIdentity>,
    ) -> Snapshot {
        let call = Call::start(&self.endpoint);
        self.load_snapshot_on(&call, registry, purpose, Depth::of(purpose), target, known_identities).await
    }

    /// [`ArmClient::load_snapshot`] within `call` (a batch's, whose reads are shared), reading to `depth`.
    pub(super) async fn load_snapshot_on(
        &self,
        call: &Call,
        registry: &Registry,
        purpose: Purpose,
        depth: Depth,
        target: Option<Target>,
        known_identities: Vec<UserAssignedIdentity>,
    ) -> Snapshot {
        let mut snapshot = Snapshot::new(purpose, registry.clone(), target.clone(), crate::clock::now_unix_secs());
        snapshot.known_identities = known_identities;
        let Some(target) = target else {
            // Nothing to diagnose, but the page's writes still want the caller's permissions on the registry.
            if depth == Depth::Page {
                snapshot.registry_permissions = Fetched::from_list(self.permissions_on(call, &registry.id).await);
                snapshot.reads = call.traces();
            }
            return snapshot;
        };
        let mut snapshot = self.gather(call, registry, target, depth, snapshot).await;
        snapshot.reads = call.traces();
        snapshot
    }

    /// [`ArmClient::load_snapshot`]'s two rounds, within `call` (which keeps the reads' ids).
    async fn gather(&self, call: &Call, registry: &Registry, target: Target, depth: Depth, mut snapshot: Snapshot) -> Snapshot {
        use futures::future::{join5, OptionFuture};

        let subscription = ResourceId::parse(&registry.id).map(|r| r.subscription_id).unwrap_or_default();

        let block = registry.identity.clone().unwrap_or_default();
        let has_system = block.kinds().system;
        let needs_identities = match &target.identity {
            IdentityRef::System => false,
            IdentityRef::ClientId(c) => {
                block.user_identity_by_client_id(c).is_none()
                    && !snapshot.known_identities.iter().any(|k| k.properties.client_id.eq_ignore_ascii_case(c))
            }
        };
        // The attached user-assigned identity that encrypts: does it still exist? (Deleting one leaves it in
        // the registry's block.) Beside the first round, so no wave is added.
        let attached_user = match &target.identity {
            IdentityRef::ClientId(c) => block.user_identity_by_client_id(c).map(|(id, _)| id.to_string()),
            IdentityRef::System => None,
        };
        let attached_request = attached_user.as_deref().map(requests::get_user_identity);
        let encrypting: OptionFuture<_> = attached_request.as_ref().map(|r| self.get_optional::<UserAssignedIdentity>(call, r)).into();
        let vaults = async {
            match &target.key {
                Some(_) => Some(self.list_on::<Vault>(call, requests::list_vaults(&subscription)).await),
                None => None,
            }
        };
        let system_request = requests::get_system_identity(&registry.id);
        let system: OptionFuture<_> = has_system.then(|| self.get_optional::<UserAssignedIdentity>(call, &system_request)).into();
        let identities: OptionFuture<_> =
            needs_identities.then(|| self.list_on::<UserAssignedIdentity>(call, requests::list_user_identities(&subscription))).into();
        // What the caller may do on the registry, for the page's writes: beside the first round, not after it.
        let registry_permissions: OptionFuture<_> = (depth == Depth::Page).then(|| self.permissions_on(call, &registry.id)).into();
        let (vaults, system, identities, registry_permissions, encrypting) =
            join5(vaults, system, identities, registry_permissions, encrypting).await;
        if let Some(read) = encrypting {
            snapshot.encrypting_identity = Fetched::from_read(read);
        }
        if let Some(read) = registry_permissions {
            snapshot.registry_permissions = Fetched::from_list(read);
        }

        if let Some(system) = system {
            snapshot.system_identity = Fetched::from_read(system);
        }
        if let Some(Ok(found)) = identities {
            snapshot.known_identities.extend(found);
        }
        let key = target.key.clone();
        let located = match (vaults, &key) {
            (Some(Ok(vaults)), Some(key)) => match find_by_name(vaults, key.vault_name()) {
                Some(v) => Located::Listed(v),
                // Not in the registry's subscription: anywhere else in the tenant (one more wave, only then).
                None => match self.locate_vault_elsewhere_on(call, &subscription, key.vault_name()).await {
                    Ok(Ok(located)) => located,
                    Ok(Err(absence)) => {
                        snapshot.vault_absence = Some(absence);
                        snapshot.vault = Fetched::NotFound;
                        return snapshot;
                    }
                    Err(e) => {
                        snapshot.vault = Fetched::Failed(e);
                        return snapshot;
                    }
                },
            },
            (Some(Err(e)), _) => {
                snapshot.vault = Fetched::Failed(e);
                return snapshot;
            }
            _ => {
                snapshot.vault = Fetched::NotNeeded;
                return snapshot;
            }
        };
        let key = key.expect("a vault is only looked up for a parsed key id");
        let (vault_id, rbac_expected) = match &located {
            Located::Listed(v) => (v.id.clone(), v.properties.rbac()),
            Located::Indexed(row) => (row.id.clone(), row.rbac()),
        };

        let principal =
            resolve_identity(registry, &target.identity, snapshot.system_identity.found(), &snapshot.known_identities).principal_id;
        // A vault Resource Graph found is read beside the key's reads, which need only its id: no wave of its own.
        let vault_request = requests::get_vault(&vault_id);
        let vault_read = async {
            match located {
                Located::Listed(v) => Ok(v),
                Located::Indexed(_) => self.get::<Vault>(call, &vault_request).await,
            }
        };
        let versions = self.list_optional::<ArmKey>(call, requests::list_key_versions(&vault_id, &key.name));
        let assignments: OptionFuture<_> = principal
            .clone()
            .filter(|_| rbac_expected)
            .map(|p| {
                let vault_id = &vault_id;
                async move { self.role_assignments_on(call, vault_id, &p).await }
            })
            .into();
        // The key itself only for what the registry uses now: its rotation policy (rotation health).
        let key_request = requests::get_key(&vault_id, &key.name);
        let key_read: OptionFuture<_> = (depth == Depth::Page).then(|| self.get_optional::<ArmKey>(call, &key_request)).into();
        // What the caller may do on the vault, for the page's writes: read beside the key, not after it.
        let vault_permissions: OptionFuture<_> = (depth == Depth::Page).then(|| self.permissions_on(call, &vault_id)).into();
        let (vault, versions, key_read, assignments, vault_permissions) =
            join5(vault_read, versions, key_read, assignments, vault_permissions).await;
        let vault = match vault {
            Ok(vault) => vault,
            // Resource Graph still lists it, ARM has it no more: deleted since the index was taken?
            Err(e) if e.status() == Some(404) => {
                match self.deleted_since_indexed(call, key.vault_name(), &vault_id, e).await {
                    Ok(absence) => {
                        snapshot.vault_absence = Some(absence);
                        snapshot.vault = Fetched::NotFound;
                    }
                    Err(e) => snapshot.vault = Fetched::Failed(e),
                }
                return snapshot;
            }
            Err(e) => {
                snapshot.vault = Fetched::Failed(e);
                return snapshot;
            }
        };
        // The vault's own word on its permission model counts, not the index's (which can lag behind a change).
        let assignments = match (vault.properties.rbac(), assignments, principal) {
            (false, _, _) | (true, None, None) => None,
            (true, Some(read), _) => Some(read),
            (true, None, Some(p)) => Some(self.role_assignments_on(call, &vault.id, &p).await),
        };
        snapshot.vault = Fetched::Found(vault);
        if let Some(read) = vault_permissions {
            snapshot.vault_permissions = Fetched::from_list(read);
        }
        snapshot.key_versions = Fetched::from_read(versions);
        if let Some(read) = key_read {
            snapshot.key = Fetched::from_read(read);
        }
        if let Some(assignments) = assignments {
            snapshot.role_assignments = match assignments {
                Ok(a) => Fetched::Found(a),
                Err(e) => Fetched::Failed(e),
            };
        }
        snapshot
    }
}
