//! The Review step: the chain the plan will build, run through the same
//! key-access diagnosis the registry page uses, as a rotation's pre-flight is
//! (`Purpose::Proposed`). Create stays disabled until [`ready`] says so.

use std::collections::BTreeMap;

use crate::diagnosis::{diagnose, CheckState, Diagnosis, Fetched, IdentityRef, Purpose, Snapshot, Target, Verdict};
use crate::identity::{IdentityProperties, UserAssignedIdentity, UserAssignedIdentityProperties, UserIdentityProperties};
use crate::key::{ArmKey, ArmKeyAttributes, ArmKeyProperties};
use crate::key_id::KeyId;
use crate::registry::{EncryptionProperty, KeyVaultProperties, Registry, RegistryProperties, Sku};
use crate::role_assignment::{KeyVaultRole, RoleAssignment, RoleAssignmentProperties};
use crate::text::Sentence;

use super::choices::{Choices, IdentityChoice, KeyChoice, VaultChoice};
use super::plan::{CreationPlan, Outputs};

/// What the review says in its own words (the checks' sentences are the diagnosis's).
pub mod words {
    crate::catalogue! {
        /// Stands for a new key's version in the checks' sentences: it has no id before ARM makes it.
        FIRST_VERSION: "the first version the run creates" => "실행 시 만들어지는 첫 번째 버전";
    }
}

/// The new key's first version as the review imagines it before ARM made it: RSA, enabled, created now.
fn imagined_key(c: &Choices, now_unix: i64) -> Vec<ArmKey> {
    let KeyChoice::New { size, .. } = &c.key else { return Vec::new() };
    vec![ArmKey {
        id: String::new(),
        // What the checks name as its version: it has no id before ARM makes it.
        name: words::FIRST_VERSION.en.into(),
        resource_type: String::new(),
        location: None,
        tags: Default::default(),
        properties: ArmKeyProperties {
            attributes: Some(ArmKeyAttributes { enabled: Some(true), created: Some(now_unix), ..Default::default() }),
            kty: Some("RSA".into()),
            key_size: Some(*size),
            ..Default::default()
        },
    }]
}

/// The registry as the plan's `PUT` describes it.
fn planned_registry(c: &Choices, p: &CreationPlan) -> Registry {
    let mut users = BTreeMap::new();
    users.insert(
        p.identity_id.clone(),
        UserIdentityProperties { principal_id: Some(p.principal_id.clone()), client_id: Some(p.client_id.clone()) },
    );
    Registry {
        id: p.registry_id.clone(),
        name: c.registry_name.clone(),
        resource_type: "Microsoft.ContainerRegistry/registries".into(),
        location: c.location.clone(),
        tags: Default::default(),
        sku: Sku { name: "Premium".into(), tier: Some("Premium".into()) },
        identity: Some(IdentityProperties {
            principal_id: None,
            tenant_id: None,
            kind: Some("userAssigned".into()),
            user_assigned_identities: Some(users),
        }),
        properties: RegistryProperties {
            encryption: Some(EncryptionProperty {
                status: Some("enabled".into()),
                key_vault_properties: Some(KeyVaultProperties {
                    key_identifier: Some(p.key_identifier.clone()),
                    identity: Some(p.client_id.clone()),
                    ..Default::default()
                }),
            }),
            ..Default::default()
        },
    }
}

/// Diagnoses the chain `plan` builds from `choices`: the planned registry, its identity,
/// the vault with the planned grant, and the key (its versions, or the new key's first).
pub fn review(c: &Choices, p: &CreationPlan, outputs: &Outputs, now_unix: i64) -> Diagnosis {
    let registry = planned_registry(c, p);
    let client = IdentityRef::ClientId(p.client_id.clone());
    // A pinned new key's version is not known before the key exists: its first version
    // will be the one, so the chain is reviewed with the key as a whole.
    let key = KeyId::parse(&p.key_identifier).ok().or_else(|| {
        let (versionless, _) = p.key_identifier.rsplit_once('/')?;
        KeyId::parse(versionless).ok()
    });
    let target = match key {
        Some(k) => Target::proposed(k, client),
        None => Target { key_identifier: p.key_identifier.clone(), key: None, version_in_use: None, identity: client },
    };
    let mut snapshot = Snapshot::new(Purpose::Proposed, registry, Some(target), now_unix);
    let identity = match &c.identity {
        IdentityChoice::Existing(i) => i.clone(),
        IdentityChoice::New { name } => UserAssignedIdentity {
            id: p.identity_id.clone(),
            name: name.clone(),
            resource_type: "Microsoft.ManagedIdentity/userAssignedIdentities".into(),
            location: c.location.clone(),
            tags: Default::default(),
            properties: UserAssignedIdentityProperties {
                tenant_id: c.tenant_id.clone(),
                principal_id: p.principal_id.clone(),
                client_id: p.client_id.clone(),
            },
        },
    };
    snapshot.known_identities = vec![identity];
    snapshot.vault = Fetched::Found(p.vault.clone());
    if p.vault.properties.rbac() {
        let mut assignments = match &c.vault {
            VaultChoice::Existing { role_assignments, .. } => role_assignments.clone(),
            VaultChoice::New { .. } => Vec::new(),
        };
        if p.step(super::plan::StepKind::Access).is_some() {
            assignments.push(RoleAssignment {
                id: String::new(),
                name: c.assignment_name.clone(),
                resource_type: String::new(),
                properties: RoleAssignmentProperties {
                    scope: Some(p.vault.id.clone()),
                    role_definition_id: KeyVaultRole::CryptoServiceEncryptionUser.definition_id(&c.subscription_id),
                    principal_id: p.principal_id.clone(),
                    principal_type: Some("ServicePrincipal".into()),
                    other: Default::default(),
                },
            });
        }
        snapshot.role_assignments = Fetched::Found(assignments);
    }
    snapshot.key_versions = Fetched::Found(match (&c.key, &outputs.key) {
        (KeyChoice::Existing { versions, .. }, _) => versions.clone(),
        (KeyChoice::New { .. }, Some(made)) => vec![made.clone()],
        (KeyChoice::New { .. }, None) => imagined_key(c, now_unix),
    });
    let mut d = diagnose(&snapshot);
    // The made-up version's name reads in the page's language too.
    let first = Sentence::new(words::FIRST_VERSION);
    let said = |s: &Sentence| s.clone().replacing(words::FIRST_VERSION.en, &first);
    for check in &mut d.checks {
        check.evidence = said(&check.evidence);
    }
    if let Verdict::Inaccessible { reasons } | Verdict::Unknown { reasons } = &mut d.verdict {
        *reasons = reasons.iter().map(said).collect();
    }
    d
}

/// Create is enabled only when every check passes (a warning, e.g. a pinned version
/// older than the newest, is shown and does not block).
pub fn ready(d: &Diagnosis) -> bool {
    !d.checks.is_empty() && d.checks.iter().all(|c| matches!(c.state, CheckState::Pass | CheckState::Warn))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::CheckKind;
    use crate::writes::creation::choices::Rotation;
    use crate::writes::creation::plan::tests::{all_new, made_identity, made_key};
    use crate::writes::creation::plan::{plan, Outputs};

    #[test]
    fn the_all_new_chain_passes_every_check_before_anything_exists() {
        for rbac in [false, true] {
            let c = all_new(rbac);
            let p = plan(&c, &Outputs::default(), 100).unwrap();
            let d = review(&c, &p, &Outputs::default(), 100);
            assert!(ready(&d), "rbac={rbac}: {:#?}", d.checks);
            assert_eq!(d.checks.len(), 6);
            assert!(d.checks.iter().all(|k| k.state == CheckState::Pass), "rbac={rbac}: {:#?}", d.checks);
            let version = d.check(CheckKind::Version).unwrap().evidence.to_string();
            assert!(version.contains("the first version the run creates"), "no made-up version id: {version}");
            let korean = d.check(CheckKind::Version).unwrap().evidence.get(crate::text::Lang::Ko);
            assert!(korean.contains("첫 번째 버전") && !korean.contains("the first version"), "{korean}");
        }
    }

    #[test]
    fn a_pinned_new_key_reviews_the_same_before_and_after_its_version_is_known() {
        let mut c = all_new(false);
        c.rotation = Rotation::Pinned;
        let outputs = Outputs { identity: Some(made_identity()), key: None };
        let before = plan(&c, &outputs, 100).unwrap();
        assert!(ready(&review(&c, &before, &outputs, 100)), "{:#?}", review(&c, &before, &outputs, 100).checks);
        let outputs = Outputs { identity: Some(made_identity()), key: Some(made_key()) };
        let after = plan(&c, &outputs, 100).unwrap();
        let d = review(&c, &after, &outputs, 100);
        assert_eq!(d.check(CheckKind::Key).unwrap().state, CheckState::Pass, "{:#?}", d.checks);
        assert!(d.check(CheckKind::Key).unwrap().evidence.to_string().contains("6d6f636b00004000800000000000b001"));
    }

    #[test]
    fn an_existing_identity_without_a_grant_on_an_rbac_vault_gets_one_planned_and_passes() {
        let mut c = all_new(true);
        c.identity = IdentityChoice::Existing(made_identity());
        let p = plan(&c, &Outputs::default(), 100).unwrap();
        let d = review(&c, &p, &Outputs::default(), 100);
        assert_eq!(d.check(CheckKind::Access).unwrap().state, CheckState::Pass, "{:#?}", d.checks);
        assert!(d.check(CheckKind::Access).unwrap().evidence.to_string().contains("Key Vault Crypto Service Encryption User"));
    }
}
