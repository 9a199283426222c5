//! "Remove what this run created": the deletions that take back what a run of
//! the creation flow made, and only that, newest first (the registry before the
//! grant it used, the grant before the vault, the identity after both, the group
//! last), each a [`PlannedWrite`] with its `az` equivalent.
//!
//! Built from the run's outcome: the choices, what ARM answered ([`Outputs`]),
//! and which steps this run *made* (a step whose lookup found the resource, or a
//! resource chosen as existing, is not in `created` and is never touched).
//!
//! What cannot or should not be taken back is said, not sent:
//! - a key in a vault that existed before: ARM has no `DELETE` for
//!   `Microsoft.KeyVault/vaults/keys` (only the Key Vault data plane deletes keys,
//!   and it does not answer a browser), so the key stays and the `az` command that
//!   deletes it is given; a key in a vault this run made goes with the vault;
//! - purge protection turned on for an existing vault: it cannot be turned off;
//! - an access policy added to a vault this run made: the vault's deletion takes its
//!   policies (no separate request); a role assignment is a resource of its own
//!   (`Microsoft.Authorization`), which a vault's deletion does not remove, so it is deleted;
//! - a vault is soft-deleted, and with purge protection (always on for a vault this
//!   flow makes) it stays recoverable, its name taken, for its retention days;
//! - the resource group, even when this run made it, is deleted only if nothing else
//!   is in it by then ([`RemovalStep::only_if_empty`] lists it first), since deleting a
//!   group deletes everything inside.

use serde_json::json;

use crate::arm::api_version;
use crate::requests::{ArmRequest, Method};
use crate::text::Sentence;
use crate::writes::{az, PlannedWrite};

use super::choices::{Choices, GroupChoice, IdentityChoice, KeyChoice, Refused, VaultChoice};
use super::plan::{plan, Outputs, StepKind};

pub mod words {
    crate::catalogue! {
        DELETE_REGISTRY: "Delete registry '{registry}' (a long-running operation, followed to its end)."
            => "레지스트리 '{registry}'을(를) 삭제합니다(장기 실행 작업이며 끝까지 따라갑니다).";
        REMOVE_POLICY: "Remove the access policy this run added for principal {principal} on vault '{vault}' (get, wrapKey, unwrapKey)."
            => "이 실행에서 키 자격 증명 모음 '{vault}'에 보안 주체 {principal}에 대해 추가한 액세스 정책(get, wrapKey, unwrapKey)을 제거합니다.";
        DELETE_ROLE: "Delete role assignment {assignment} (principal {principal}, vault '{vault}')."
            => "역할 할당 {assignment}을(를) 삭제합니다(보안 주체 {principal}, 키 자격 증명 모음 '{vault}').";
        /// `{days}` is the vault's soft-delete retention.
        DELETE_VAULT: "Delete key vault '{vault}' with its keys and access policies. It is soft-deleted: with purge protection on, it stays recoverable (and its name taken) for {days} days and cannot be purged before."
            => "키와 액세스 정책을 포함하여 키 자격 증명 모음 '{vault}'을(를) 삭제합니다. 일시 삭제되며, 제거 보호가 켜져 있으므로 {days}일 동안 복구할 수 있는 상태로 남고(이름도 사용 중으로 유지됨) 그 전에는 제거할 수 없습니다.";
        DELETE_IDENTITY: "Delete user-assigned identity '{identity}'." => "사용자 할당 관리 ID '{identity}'을(를) 삭제합니다.";
        DELETE_GROUP: "Delete resource group '{group}', only if nothing else is in it by then (deleting a group deletes everything inside)."
            => "리소스 그룹 '{group}'에 다른 항목이 없는 경우에만 삭제합니다(그룹을 삭제하면 안의 모든 항목이 삭제됨).";
        /// `{command}` is the `az` command that deletes the key, verbatim.
        KEY_LEFT: "Key '{key}' stays in vault '{vault}': Azure Resource Manager has no DELETE for keys (Microsoft.KeyVault/vaults/keys), and the Key Vault data plane, which has one, does not answer a browser. To delete it yourself: {command} (soft-deleted; purge protection keeps it recoverable until its retention ends)."
            => "키 '{key}'은(는) 키 자격 증명 모음 '{vault}'에 남습니다. Azure Resource Manager에는 키에 대한 DELETE가 없으며(Microsoft.KeyVault/vaults/keys), DELETE가 있는 Key Vault 데이터 평면은 브라우저에 응답하지 않습니다. 직접 삭제하려면 {command}을(를) 실행하세요(일시 삭제되며, 제거 보호로 인해 보존 기간이 끝날 때까지 복구할 수 있음).";
        KEY_WITH_VAULT: "Key '{key}' goes with vault '{vault}', which this run created." => "키 '{key}'은(는) 이 실행에서 만든 키 자격 증명 모음 '{vault}'과(와) 함께 삭제됩니다.";
        PURGE_PROTECTION_STAYS: "Purge protection stays on for vault '{vault}': it cannot be turned off."
            => "키 자격 증명 모음 '{vault}'의 제거 보호는 켜진 상태로 유지됩니다. 제거 보호는 끌 수 없습니다.";
        /// `{what}` is one of the resource kinds below.
        EXISTED: "{what} '{name}' existed before this run: it is not touched." => "{what} '{name}'은(는) 이 실행 전에 있었으므로 변경하지 않습니다.";
        KIND_GROUP: "Resource group" => "리소스 그룹";
        KIND_IDENTITY: "User-assigned identity" => "사용자 할당 관리 ID";
        KIND_VAULT: "Key vault" => "키 자격 증명 모음";
        KIND_KEY: "Key" => "키";
    }
}

/// One deletion.
#[derive(Clone, Debug, PartialEq)]
pub struct RemovalStep {
    /// The creation step it takes back (`data-testid="removal-step-<name>"`).
    pub kind: StepKind,
    /// Its `summary` says what it does, in words.
    pub write: PlannedWrite,
    /// Read first (the group's resources): when anything is listed, the write is not sent.
    pub only_if_empty: Option<ArmRequest>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RemovalPlan {
    /// Newest first.
    pub steps: Vec<RemovalStep>,
    /// What stays, and why (the key, purge protection, what existed before).
    pub left: Vec<Sentence>,
}

fn delete(summary: Sentence, path: String, command: String) -> PlannedWrite {
    PlannedWrite::new(summary, Method::Delete, path, None, command)
}

fn without_query(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

/// The deletions that take back what a run made. `created` lists the steps this run made
/// (done, not found already there); the order given does not matter.
pub fn removal_plan(c: &Choices, outputs: &Outputs, created: &[StepKind], now_unix: i64) -> Result<RemovalPlan, Refused> {
    let p = plan(c, outputs, now_unix)?;
    let made = |k: StepKind| created.contains(&k);
    let group = c.group.name();
    let vault = &p.vault;
    let mut steps = Vec::new();
    let mut left = Vec::new();

    if made(StepKind::Registry) {
        let mut write = delete(
            Sentence::new(words::DELETE_REGISTRY).with("registry", c.registry_name.as_str()),
            format!("{}?api-version={}", p.registry_id, api_version::CONTAINER_REGISTRY),
            az(&["acr", "delete", "--name", &c.registry_name, "--resource-group", group, "--yes"]),
        );
        write.long_running = true;
        steps.push(RemovalStep { kind: StepKind::Registry, write, only_if_empty: None });
    }

    if made(StepKind::Key) {
        let key = c.key.name();
        left.push(if made(StepKind::Vault) {
            Sentence::new(words::KEY_WITH_VAULT).with("key", key).with("vault", vault.name.as_str())
        } else {
            let command = az(&["keyvault", "key", "delete", "--vault-name", &vault.name, "--name", key]);
            Sentence::new(words::KEY_LEFT).with("key", key).with("vault", vault.name.as_str()).with("command", command)
        });
    }

    // The grant exactly as the run sent it: the same entry removed, or the same assignment deleted.
    if let Some(grant) = p.step(StepKind::Access).filter(|_| made(StepKind::Access)) {
        let request = &grant.write.request;
        if request.path.contains("/roleAssignments/") {
            let id = without_query(&request.path).to_string();
            let name = id.rsplit('/').next().unwrap_or_default().to_string();
            let summary = Sentence::new(words::DELETE_ROLE)
                .with("assignment", name)
                .with("principal", p.principal_id.as_str())
                .with("vault", vault.name.as_str());
            let write = delete(
                summary,
                format!("{id}?api-version={}", api_version::AUTHORIZATION),
                az(&["role", "assignment", "delete", "--ids", &id]),
            );
            steps.push(RemovalStep { kind: StepKind::Access, write, only_if_empty: None });
        } else if !made(StepKind::Vault) {
            let entry = request.body.as_ref().map(|b| b["properties"]["accessPolicies"][0].clone()).unwrap_or_default();
            let body = json!({"properties": {"accessPolicies": [entry]}});
            let path = without_query(&request.path).replace("/accessPolicies/add", "/accessPolicies/remove");
            let path = format!("{path}?api-version={}", api_version::KEY_VAULT);
            // Only the three permissions the run added: `az keyvault delete-policy` would take the whole entry.
            let command = az(&["rest", "--method", "put", "--url", &path, "--body", &body.to_string()]);
            let summary = Sentence::new(words::REMOVE_POLICY).with("principal", p.principal_id.as_str()).with("vault", vault.name.as_str());
            let write = PlannedWrite::new(summary, Method::Put, path, Some(body), command);
            steps.push(RemovalStep { kind: StepKind::Access, write, only_if_empty: None });
        }
    }

    if made(StepKind::PurgeProtection) {
        left.push(Sentence::new(words::PURGE_PROTECTION_STAYS).with("vault", vault.name.as_str()));
    }

    if made(StepKind::Vault) {
        let days = vault.properties.soft_delete_retention_in_days.unwrap_or(90).to_string();
        let write = delete(
            Sentence::new(words::DELETE_VAULT).with("vault", vault.name.as_str()).with("days", days),
            format!("{}?api-version={}", vault.id, api_version::KEY_VAULT),
            az(&["keyvault", "delete", "--name", &vault.name, "--resource-group", group]),
        );
        steps.push(RemovalStep { kind: StepKind::Vault, write, only_if_empty: None });
    }

    if let (true, IdentityChoice::New { name }) = (made(StepKind::Identity), &c.identity) {
        let write = delete(
            Sentence::new(words::DELETE_IDENTITY).with("identity", name.as_str()),
            format!("{}?api-version={}", p.identity_id, api_version::MANAGED_IDENTITY),
            az(&["identity", "delete", "--name", name, "--resource-group", group]),
        );
        steps.push(RemovalStep { kind: StepKind::Identity, write, only_if_empty: None });
    }

    let group_id = format!("/subscriptions/{}/resourcegroups/{group}", c.subscription_id);
    if made(StepKind::Group) {
        let write = delete(
            Sentence::new(words::DELETE_GROUP).with("group", group),
            format!("{group_id}?api-version={}", api_version::SUBSCRIPTIONS),
            az(&["group", "delete", "--name", group, "--yes"]),
        );
        let list = ArmRequest::new(Method::Get, format!("{group_id}/resources?api-version={}", api_version::SUBSCRIPTIONS), None);
        steps.push(RemovalStep { kind: StepKind::Group, write, only_if_empty: Some(list) });
    }

    // What the user chose as existing, named so the confirmation says it stays. (A new resource
    // that a retry found already there is not this run's either: it gets no deletion, and no sentence.)
    let existed = |what, name: &str| Sentence::new(words::EXISTED).with_words("what", Sentence::new(what)).with("name", name);
    if let GroupChoice::Existing { name } = &c.group {
        left.push(existed(words::KIND_GROUP, name));
    }
    if let IdentityChoice::Existing(i) = &c.identity {
        left.push(existed(words::KIND_IDENTITY, &i.name));
    }
    if let VaultChoice::Existing { vault, .. } = &c.vault {
        left.push(existed(words::KIND_VAULT, &vault.name));
    }
    if let KeyChoice::Existing { key, .. } = &c.key {
        left.push(existed(words::KIND_KEY, &key.name));
    }
    Ok(RemovalPlan { steps, left })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::text::Lang;
    use crate::vault::Vault;
    use crate::writes::creation::plan::tests::{all_new, made_identity, made_key, PRINCIPAL, SUB, TENANT};

    fn kinds(p: &RemovalPlan) -> Vec<StepKind> {
        p.steps.iter().map(|s| s.kind).collect()
    }

    fn requests(p: &RemovalPlan) -> Vec<String> {
        p.steps.iter().map(|s| format!("{} {}", s.write.request.method.as_str(), s.write.request.path)).collect()
    }

    fn outputs() -> Outputs {
        Outputs { identity: Some(made_identity()), key: Some(made_key()) }
    }

    const ALL: [StepKind; 6] = [StepKind::Group, StepKind::Identity, StepKind::Vault, StepKind::Access, StepKind::Key, StepKind::Registry];

    #[test]
    fn everything_new_is_removed_newest_first_and_the_group_only_if_empty() {
        let p = removal_plan(&all_new(false), &outputs(), &ALL, 0).unwrap();
        let g = format!("/subscriptions/{SUB}/resourceGroups/rg-cmk");
        assert_eq!(
            requests(&p),
            vec![
                format!("DELETE {g}/providers/Microsoft.ContainerRegistry/registries/contosocmk?api-version=2025-04-01"),
                // No access-policy request: the vault's deletion takes its policies.
                format!("DELETE {g}/providers/Microsoft.KeyVault/vaults/kv-cmk?api-version=2025-05-01"),
                format!("DELETE {g}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-cmk?api-version=2024-11-30"),
                format!("DELETE /subscriptions/{SUB}/resourcegroups/rg-cmk?api-version=2022-12-01"),
            ]
        );
        assert!(p.steps[0].write.long_running, "the registry's deletion is followed as an operation");
        assert_eq!(
            p.steps[3].only_if_empty.as_ref().map(|r| r.path.clone()),
            Some(format!("/subscriptions/{SUB}/resourcegroups/rg-cmk/resources?api-version=2022-12-01"))
        );
        assert!(p.steps.iter().take(3).all(|s| s.only_if_empty.is_none()));
        let az: Vec<&str> = p.steps.iter().map(|s| s.write.az.as_str()).collect();
        assert_eq!(
            az,
            vec![
                "az acr delete --name contosocmk --resource-group rg-cmk --yes",
                "az keyvault delete --name kv-cmk --resource-group rg-cmk",
                "az identity delete --name id-cmk --resource-group rg-cmk",
                "az group delete --name rg-cmk --yes",
            ]
        );
        let vault = p.steps[1].write.summary.to_string();
        assert!(vault.contains("soft-deleted") && vault.contains("purge protection") && vault.contains("90 days"), "{vault}");
        // The key goes with the vault; nothing existed before.
        assert_eq!(p.left.len(), 1, "{:?}", p.left);
        assert_eq!(p.left[0].to_string(), "Key 'key-cmk' goes with vault 'kv-cmk', which this run created.");
    }

    fn existing_vault(rbac: bool) -> Vault {
        serde_json::from_value(json!({
            "id": format!("/subscriptions/{SUB}/resourceGroups/rg-acr-demo/providers/Microsoft.KeyVault/vaults/kv-acr-demo"),
            "name": "kv-acr-demo",
            "properties": {"tenantId": TENANT, "vaultUri": "https://kv-acr-demo.vault.azure.net/", "enableSoftDelete": true,
                "enablePurgeProtection": true, "enableRbacAuthorization": rbac,
                "accessPolicies": [{"tenantId": TENANT, "objectId": "someone-else", "permissions": {"keys": ["all"]}}]},
        }))
        .unwrap()
    }

    /// An existing group and vault, a new identity, grant, key and registry.
    fn in_existing_vault(rbac: bool) -> Choices {
        let mut c = all_new(rbac);
        c.group = GroupChoice::Existing { name: "rg-acr-demo".into() };
        c.vault = VaultChoice::Existing { vault: existing_vault(rbac), role_assignments: vec![], enable_purge_protection: false };
        c
    }

    #[test]
    fn in_an_existing_vault_the_policy_entry_is_removed_and_the_key_left_with_the_reason() {
        let created = [StepKind::Identity, StepKind::Access, StepKind::Key, StepKind::Registry];
        let p = removal_plan(&in_existing_vault(false), &outputs(), &created, 0).unwrap();
        assert_eq!(kinds(&p), vec![StepKind::Registry, StepKind::Access, StepKind::Identity]);
        let remove = &p.steps[1].write;
        assert_eq!(remove.request.method, Method::Put);
        assert!(
            remove.request.path.ends_with("/vaults/kv-acr-demo/accessPolicies/remove?api-version=2025-05-01"),
            "{}",
            remove.request.path
        );
        // Exactly the entry the run added: the same tenant, principal and three key permissions; no If-Match.
        assert_eq!(
            remove.request.body,
            Some(json!({"properties": {"accessPolicies": [{"tenantId": TENANT, "objectId": PRINCIPAL,
                "permissions": {"keys": ["get", "wrapKey", "unwrapKey"]}}]}}))
        );
        assert_eq!(remove.request.if_match, None);
        assert!(remove.az.starts_with("az rest --method put --url '/subscriptions/"), "{}", remove.az);
        assert!(remove.az.contains("/accessPolicies/remove?api-version=2025-05-01' --body '{\"properties\""), "{}", remove.az);
        // The vault, the group and the other principal's entry are not touched.
        assert!(!requests(&p).iter().any(|r| r.contains("DELETE") && (r.contains("/vaults/kv-acr-demo?") || r.contains("resourcegroups"))));
        let left: Vec<String> = p.left.iter().map(|s| s.to_string()).collect();
        assert!(
            left[0].starts_with("Key 'key-cmk' stays in vault 'kv-acr-demo': Azure Resource Manager has no DELETE for keys"),
            "{left:?}"
        );
        assert!(left[0].contains("az keyvault key delete --vault-name kv-acr-demo --name key-cmk"), "{left:?}");
        assert!(left.contains(&"Resource group 'rg-acr-demo' existed before this run: it is not touched.".to_string()), "{left:?}");
        assert!(left.contains(&"Key vault 'kv-acr-demo' existed before this run: it is not touched.".to_string()), "{left:?}");
        assert!(p.left.iter().all(|s| !s.get(Lang::Ko).is_empty()));
    }

    #[test]
    fn on_an_rbac_vault_the_role_assignment_is_deleted_even_with_the_vault() {
        let p = removal_plan(&in_existing_vault(true), &outputs(), &[StepKind::Access], 0).unwrap();
        assert_eq!(
            requests(&p),
            vec![format!(
                "DELETE /subscriptions/{SUB}/resourceGroups/rg-acr-demo/providers/Microsoft.KeyVault/vaults/kv-acr-demo/providers/Microsoft.Authorization/roleAssignments/6d6f636b-0000-4000-8000-00000000f0f0?api-version=2022-04-01"
            )]
        );
        assert!(p.steps[0].write.az.starts_with("az role assignment delete --ids /subscriptions/"));
        // A vault this run made is deleted too, but the assignment is a resource of its own: deleted first.
        let q = removal_plan(&all_new(true), &outputs(), &ALL, 0).unwrap();
        assert_eq!(kinds(&q), vec![StepKind::Registry, StepKind::Access, StepKind::Vault, StepKind::Identity, StepKind::Group]);
    }

    #[test]
    fn what_the_run_found_already_there_is_not_removed() {
        // A retry found the identity and the vault already there (someone else's): only the rest is this run's.
        let created = [StepKind::Group, StepKind::Access, StepKind::Key];
        let p = removal_plan(&all_new(false), &outputs(), &created, 0).unwrap();
        assert_eq!(kinds(&p), vec![StepKind::Access, StepKind::Group], "no registry, vault or identity deletion");
        let left: Vec<String> = p.left.iter().map(|s| s.to_string()).collect();
        assert!(left.iter().any(|l| l.starts_with("Key 'key-cmk' stays in vault 'kv-cmk'")), "{left:?}");
        assert!(!left.iter().any(|l| l.contains("existed before")), "new resources are not said to have existed: {left:?}");
        // Nothing made, nothing sent.
        assert!(removal_plan(&all_new(false), &outputs(), &[], 0).unwrap().steps.is_empty());
    }

    #[test]
    fn purge_protection_turned_on_is_said_to_stay() {
        let mut c = in_existing_vault(false);
        c.identity = IdentityChoice::Existing(made_identity());
        if let VaultChoice::Existing { enable_purge_protection, vault, .. } = &mut c.vault {
            *enable_purge_protection = true;
            vault.properties.enable_purge_protection = Some(false);
        }
        c.key = KeyChoice::New { name: "key-cmk".into(), size: 2048 };
        let p = removal_plan(&c, &outputs(), &[StepKind::PurgeProtection], 0).unwrap();
        assert!(p.steps.is_empty());
        assert!(p.left.iter().any(|s| s.to_string() == "Purge protection stays on for vault 'kv-acr-demo': it cannot be turned off."));
        assert!(p.left.iter().any(|s| s.get(Lang::Ko).contains("제거 보호")));
    }
}
