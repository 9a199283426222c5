//! "Do it for me": each step done through the typed client with the requests the console's
//! own flows send (the creation plan, the rotate PATCH, the revoke and restore plans, the
//! firewall sequence), planned by `acr_cmk_domain::writes` from fresh reads. The one
//! thing a browser cannot do against Azure, making a key version on Key Vault's data
//! plane, goes through the emulator's demo route (`ArmClient::new_key_version`).

use acr_cmk_domain::key_id::KeyId;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::text::Text;
use acr_cmk_domain::writes::access_grant::{deny_public_access, PolicyRevoke};
use acr_cmk_domain::writes::creation::{plan, Choices, GroupChoice, IdentityChoice, KeyChoice, Outputs, Rotation, VaultChoice};
use acr_cmk_domain::writes::firewall::{system_principal, FirewallStep, StepPlan};
use acr_cmk_domain::writes::key_access::restore_steps;
use acr_cmk_domain::writes::rotation::{rotate_key, KeyIdentity};
use acr_cmk_domain::writes::step::WriteStep;

use super::steps::{registry_id, StepId, GROUP, IDENTITY, KEY, LOCATION, REGISTRY, VAULT};
use crate::action_error::ActionError;
use crate::arm_client::ArmClient;
use crate::i18n::catalogue::tour as words;
use crate::pages::registry::writes::key_access::{read_key_access, registries_keyed_in_vault, Principal};
use crate::random::new_guid;
use crate::write_mode::{Revoked, WriteMode};

/// How long step 5 waits for the registry to pick up the new version by itself.
const AUTO_ROTATION_WAIT_SECS: i64 = 90;

/// What a step left to say besides "done".
pub type Said = Option<Text>;

fn invalid(why: Text) -> ActionError {
    ActionError::invalid(why)
}

/// The subscription that holds the demo scenario's resource group.
pub async fn demo_subscription(client: &ArmClient) -> Result<String, ActionError> {
    for sub in client.subscriptions().await? {
        let groups = client.resource_groups(&sub.subscription_id).await?;
        if groups.iter().any(|g| g.name.eq_ignore_ascii_case(GROUP)) {
            return Ok(sub.subscription_id);
        }
    }
    Err(invalid(words::NO_DEMO_SUBSCRIPTION))
}

/// Does step `id` in `subscription_id`; `waiting` hears how long step 5 has waited.
pub async fn perform(
    id: StepId,
    client: &ArmClient,
    mode: WriteMode,
    subscription_id: &str,
    waiting: &dyn Fn(i64),
) -> Result<Said, ActionError> {
    let registry_id = registry_id(subscription_id).to_string();
    match id {
        StepId::Create => create(client, subscription_id).await.map(|()| None),
        StepId::Status => client.registry(&registry_id).await.map(|_| None).map_err(Into::into),
        StepId::Rotate => rotate_by_hand(client, &registry_id).await.map(|()| None),
        StepId::Versionless => versionless(client, &registry_id).await.map(|()| None),
        StepId::AutoRotation => auto_rotation(client, &registry_id, waiting).await.map(Some),
        StepId::Revoke => revoke(client, mode, &registry_id).await.map(|()| None),
        StepId::Restore => restore(client, mode, &registry_id).await.map(|()| None),
        StepId::Firewall => firewall(client, &registry_id).await.map(|()| None),
    }
}

/// The creation flow's plan for the demo's identity, vault and key, pinned to the newest
/// version, run step by step as the Run page does (existence checked first).
async fn create(client: &ArmClient, subscription_id: &str) -> Result<(), ActionError> {
    let subscription = client.subscriptions().await?.into_iter().find(|s| s.subscription_id == subscription_id);
    let identity = client
        .user_identities(subscription_id)
        .await?
        .into_iter()
        .find(|i| i.name.eq_ignore_ascii_case(IDENTITY))
        .ok_or_else(|| invalid(words::MISSING_IDENTITY))?;
    let vault = client
        .vaults(subscription_id)
        .await?
        .into_iter()
        .find(|v| v.name.eq_ignore_ascii_case(VAULT))
        .ok_or_else(|| invalid(words::MISSING_VAULT))?;
    let key =
        client.keys(&vault.id).await?.into_iter().find(|k| k.name.eq_ignore_ascii_case(KEY)).ok_or_else(|| invalid(words::MISSING_KEY))?;
    let versions = client.key_versions(&vault.id, KEY).await?.unwrap_or_default();
    let tenant_id = subscription.and_then(|s| s.tenant_id).unwrap_or_else(|| vault.properties.tenant_id.clone());
    let choices = Choices {
        subscription_id: subscription_id.to_string(),
        tenant_id,
        group: GroupChoice::Existing { name: GROUP.to_string() },
        location: LOCATION.to_string(),
        registry_name: REGISTRY.to_string(),
        identity: IdentityChoice::Existing(identity),
        vault: VaultChoice::Existing { vault, role_assignments: Vec::new(), enable_purge_protection: false },
        key: KeyChoice::Existing { key, versions },
        rotation: Rotation::Pinned,
        assignment_name: new_guid(),
    };
    let p = plan(&choices, &Outputs::default(), crate::clock::now_unix_secs()).map_err(|r| ActionError::Refused(r.into()))?;
    for step in &p.steps {
        if let Some(lookup) = &step.lookup {
            if client.lookup(lookup).await?.is_some() {
                continue;
            }
        }
        client.create_step(&step.write, &|_| {}).await?;
    }
    Ok(())
}

async fn read(client: &ArmClient, registry_id: &str) -> Result<Registry, ActionError> {
    Ok(client.registry(registry_id).await?.registry)
}

fn key_of(registry: &Registry) -> Result<KeyId, ActionError> {
    registry
        .key_vault_properties()
        .and_then(|k| k.key_identifier.as_deref())
        .and_then(|k| KeyId::parse(k).ok())
        .ok_or_else(|| invalid(words::NO_CMK))
}

/// The identity the registry encrypts with now (the rotate form's default).
fn current_identity(registry: &Registry) -> Result<KeyIdentity, ActionError> {
    KeyIdentity::current(registry, &KeyIdentity::choices(registry)).ok_or_else(|| invalid(words::NO_KEY_IDENTITY))
}

async fn run(client: &ArmClient, step: &WriteStep) -> Result<(), ActionError> {
    match step {
        WriteStep::Registry { write, before } => client.write_registry(write, before, &|_| {}).await.map(|_| ())?,
        WriteStep::Plain(write) => client.send_write(write).await.map(|_| ())?,
    }
    Ok(())
}

/// A new version in the vault, then the rotate PATCH pinning it.
async fn rotate_by_hand(client: &ArmClient, registry_id: &str) -> Result<(), ActionError> {
    let registry = read(client, registry_id).await?;
    let key = key_of(&registry)?;
    let kid = client.new_key_version(key.vault_name(), &key.name).await?;
    let new = KeyId::parse(&kid).map_err(|e| ActionError::invalid(e.sentence()))?;
    let write = rotate_key(&registry, &new, &current_identity(&registry)?);
    run(client, &WriteStep::registry(write, &registry)).await
}

/// The rotate PATCH with the key's versionless identifier.
async fn versionless(client: &ArmClient, registry_id: &str) -> Result<(), ActionError> {
    let registry = read(client, registry_id).await?;
    let key = KeyId { version: None, ..key_of(&registry)? };
    let write = rotate_key(&registry, &key, &current_identity(&registry)?);
    run(client, &WriteStep::registry(write, &registry)).await
}

/// A new version, then the registry read every two seconds until it uses it.
async fn auto_rotation(client: &ArmClient, registry_id: &str, waiting: &dyn Fn(i64)) -> Result<Text, ActionError> {
    let registry = read(client, registry_id).await?;
    let key = key_of(&registry)?;
    let kid = client.new_key_version(key.vault_name(), &key.name).await?;
    let version = KeyId::parse(&kid).ok().and_then(|k| k.version).unwrap_or_default();
    let started = crate::clock::now_unix_secs();
    loop {
        let now = read(client, registry_id).await?;
        let in_use = now.key_vault_properties().and_then(|k| k.versioned_key_identifier.as_deref()).and_then(|k| KeyId::parse(k).ok());
        if in_use.and_then(|k| k.version).is_some_and(|v| v.eq_ignore_ascii_case(&version)) {
            return Ok(words::ROTATION_SEEN);
        }
        let waited = crate::clock::now_unix_secs() - started;
        if waited > AUTO_ROTATION_WAIT_SECS {
            return Ok(words::ROTATION_NOT_SEEN);
        }
        waiting(waited);
        gloo_timers::future::TimeoutFuture::new(2_000).await;
    }
}

/// The revoke dialog's plan (get, wrapKey, unwrapKey only), remembered for Restore as the dialog does.
async fn revoke(client: &ArmClient, mode: WriteMode, registry_id: &str) -> Result<(), ActionError> {
    let registry = read(client, registry_id).await?;
    let access = read_key_access(client, &registry, Principal::Encrypting).await?;
    let (registries, _) = registries_keyed_in_vault(client, &registry, &access.vault.name).await?;
    let plan = access.revoke(PolicyRevoke::KeyPermissions, &registry.id, &registries)?;
    let steps = plan.write_steps();
    let mut ran = 0;
    let mut outcome = Ok(());
    for step in &steps {
        if let Err(e) = run(client, step).await {
            outcome = Err(e);
            break;
        }
        ran += 1;
    }
    if ran > 0 {
        mode.remember(Revoked::new(registry.id.clone(), &plan.removed_by(ran)));
    }
    outcome
}

/// Puts back what the revoke removed (or grants afresh when this tab has no record), as Restore does.
async fn restore(client: &ArmClient, mode: WriteMode, registry_id: &str) -> Result<(), ActionError> {
    let registry = read(client, registry_id).await?;
    let steps = match mode.revoked_for(&registry.id).and_then(|r| r.removed()) {
        Some(removed) => restore_steps(&removed),
        None => vec![WriteStep::Plain(read_key_access(client, &registry, Principal::Encrypting).await?.grant(&new_guid()))],
    };
    for step in &steps {
        run(client, step).await?;
    }
    mode.forget(&registry.id);
    Ok(())
}

/// Sets the scene step `id` answers, when it has one (`StepDef::scene`): for the firewall step, the
/// vault's firewall closed to public access with no exception, which cuts off the tour registry (it
/// reaches its key through its user-assigned identity, which trusted-services bypass never lets through).
pub async fn set_scene(id: StepId, client: &ArmClient, subscription_id: &str) -> Result<Said, ActionError> {
    match id {
        StepId::Firewall => {
            let registry = read(client, &registry_id(subscription_id).to_string()).await?;
            let access = read_key_access(client, &registry, Principal::Encrypting).await?;
            run(client, &WriteStep::Plain(deny_public_access(&access.vault))).await?;
            Ok(Some(words::SCENE_FIREWALL_SET))
        }
        _ => Ok(None),
    }
}

/// The firewall sequence's four steps, each planned from a fresh read; one already in place is skipped.
async fn firewall(client: &ArmClient, registry_id: &str) -> Result<(), ActionError> {
    for step in FirewallStep::ALL {
        let registry = read(client, registry_id).await?;
        let access = match (step.reads_vault(), system_principal(&registry)) {
            (true, Some(principal)) => Some(read_key_access(client, &registry, Principal::Id(principal)).await?),
            _ => None,
        };
        match step.plan(&registry, access.as_ref(), &new_guid())? {
            StepPlan::Run(write) => run(client, &write).await?,
            StepPlan::AlreadyDone(_) => {}
        }
    }
    Ok(())
}
