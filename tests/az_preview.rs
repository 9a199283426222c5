//! Every `az` command the console previews, run for real (issue 16): each write
//! verb is done in the console against a fresh emulator while the test keeps the
//! `az` commands its preview showed; the real Azure CLI then runs exactly those
//! commands against a second emulator in the same starting state; and the two
//! emulators' registries, vaults, keys, identities, role assignments and resource
//! groups must then be the same. A verb of several writes is compared after each.
//!
//! Ids an emulator makes up (a system identity's principal id, a key version) are
//! drawn from the scenario's seed (`emulator/src/id_mint.rs`), so a command that
//! names the principal the first emulator made names the same one on the second.
//! What is left out of the comparison, and why, is in [`comparable`].

mod support;

use std::sync::MutexGuard;
use std::time::Duration;

use acr_cmk_domain::vault::{AccessPolicyEntry, Permissions};
use acr_cmk_emulator::scenario::DEMO_SERVICE_PRINCIPAL_OBJECT;
use acr_cmk_emulator::tick::Pace;
use acr_cmk_emulator::world::World;
use acr_cmk_emulator::AppState;
use fantoccini::Locator;
use serde_json::{json, Map, Value};
use support::az::{CliWorld, CLI};
use support::world::{registry_path, vault_id, DEMO_KEY_V1, DEMO_RBAC_VAULT, DEMO_TENANT, DEMO_VAULT};
use support::{probe, Browser, WAIT};

/// The console on one emulator, the CLI on the other.
struct Twins {
    b: Browser,
    cli: MutexGuard<'static, CliWorld>,
    /// Every command sent to the CLI so far, for failure messages.
    sent: Vec<String>,
}

impl Twins {
    /// Both emulators fresh in the demo scenario, `change` made to both worlds alike
    /// (a starting condition, not a verb), then the console on `registry`'s page in write mode.
    async fn open_with(registry: &str, change: impl Fn(&mut World)) -> Twins {
        let b = Browser::start().await;
        // A test that failed while holding the CLI does not spoil the others: the world is reset below.
        let cli = CLI.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        cli.fresh();
        change(&mut b.emulator.state.world());
        change(&mut cli.state.world());
        assert_eq!(comparable(&b.emulator.state), comparable(&cli.state), "the twins start alike");
        b.demo_sign_in_at(&registry_path(registry)).await;
        assert_eq!(b.text_of("registry-name").await, registry);
        b.click("write-mode").await;
        b.wait_for("rotate-open").await;
        Twins { b, cli, sent: Vec::new() }
    }

    async fn open(registry: &str) -> Twins {
        Twins::open_with(registry, |_| {}).await
    }

    /// The `az` commands of the write the dialog shows now, one per planned step.
    async fn previews(&self) -> Vec<String> {
        self.b.wait_for("preview-az").await;
        let mut commands = Vec::new();
        for el in self.b.client.find_all(Locator::Css("[data-testid='preview-az']")).await.unwrap() {
            commands.push(el.prop("textContent").await.unwrap().unwrap_or_default().trim().to_string());
        }
        assert!(!commands.is_empty(), "the dialog previews no az command");
        commands
    }

    /// Confirms the previewed write in the console, sends the same commands to the CLI, and compares.
    async fn confirm(&mut self) -> Vec<String> {
        let commands = self.previews().await;
        self.b.click("write-confirm").await;
        self.b.wait_for("write-done").await;
        self.b.click("write-close").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.run_and_compare(&commands).await;
        commands
    }

    /// Rotates the registry to the RBAC vault's key (a verb, and the start of the RBAC tests).
    async fn rotate_to_the_rbac_vaults_key(&mut self) {
        self.b.click("rotate-open").await;
        self.b.select("rotate-vault", &vault_id(DEMO_RBAC_VAULT)).await;
        self.b.select("rotate-key", "acr-rbac-key").await;
        self.b.click("rotate-review").await;
        self.b.wait_text("preflight-headline", "would be able to reach").await;
        self.confirm().await;
    }

    /// Runs `commands` with the CLI, in order, each required to succeed; then both emulators must agree.
    async fn run_and_compare(&mut self, commands: &[String]) {
        for command in commands {
            assert!(command.starts_with("az "), "a preview that is not an az command: {command}");
            let (ok, output) = self.cli.run(command);
            self.sent.push(command.clone());
            assert!(ok, "the previewed command failed with azure-cli {}:\n{command}\n{output}", self.cli.version());
        }
        let (console, cli) = (settled(&self.b.emulator.state).await, settled(&self.cli.state).await);
        if console != cli {
            panic!(
                "the console and the previewed commands left different state.\ncommands:\n{}\n\ndifferences (console | cli):\n{}",
                self.sent.join("\n"),
                differences(&console, &cli, "").join("\n")
            );
        }
    }
}

/// The parts of a world a write can change, without what differs between two
/// emulators that made the same change:
/// - when (`created`, `updated`, `createdOn`, `creationDate`, `lastUpdatedTime`,
///   `lastKeyRotationTimestamp`, a status's `timestamp`) and ETags;
/// - a new key's RSA modulus `n` (random key material), and the order of an access
///   policy's permissions (sets, which `az keyvault set-policy` sends in its own order);
/// - a role assignment's name (a GUID its creator picks: `az role assignment create`
///   draws its own), so assignments compare by scope, role and principal;
/// - `systemData` and the sign-in directory (who made the change: the console's user
///   on one side, the CLI's service principal on the other), and operations in flight.
fn comparable(state: &AppState) -> Value {
    let world = serde_json::to_value(&*state.world()).unwrap();
    let mut out = Map::new();
    for section in ["registries", "vaults", "keys", "identities", "roleAssignments", "resourceGroups"] {
        let mut v = world[section].clone();
        strip(&mut v);
        if section == "roleAssignments" {
            let list = v.as_array_mut().unwrap();
            for a in list.iter_mut() {
                a.as_object_mut().unwrap().remove("name");
            }
            list.sort_by_key(|a| a.to_string());
        }
        out.insert(section.to_string(), v);
    }
    Value::Object(out)
}

const WHEN: [&str; 10] = [
    "etag",
    "created",
    "updated",
    "createdOn",
    "updatedOn",
    "creationDate",
    "lastUpdatedTime",
    "lastKeyRotationTimestamp",
    "timestamp",
    "n",
];

fn strip(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for k in WHEN {
                map.remove(k);
            }
            // When it was deleted differs; that it was does not.
            if let Some(d) = map.get_mut("deletedAt") {
                *d = json!(!d.is_null());
            }
            // An access policy's permissions are sets: `az keyvault set-policy` sends them in its own order.
            if let Some(Value::Object(permissions)) = map.get_mut("permissions") {
                for list in permissions.values_mut().filter_map(Value::as_array_mut) {
                    list.sort_by_key(|p| p.to_string());
                }
            }
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

/// The comparable state once no registry operation is still running. `az rest` does not
/// follow a long-running operation as the console and `az acr` do, and the emulator settles
/// one that nobody polls when its next request arrives: the time that passes here stands in
/// for that request.
async fn settled(state: &AppState) -> Value {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let pace = Pace { lro_duration: state.lro_duration(), rotation_interval: state.rotation_interval() };
        state.world().tick(acr_cmk_emulator::clock::now_millis(), pace);
        let pending = state.world().registries.iter().any(|r| r.pending_state.is_some());
        if !pending || tokio::time::Instant::now() > deadline {
            return comparable(state);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Paths where `a` and `b` differ, with both values.
fn differences(a: &Value, b: &Value, at: &str) -> Vec<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter()
                .flat_map(|k| differences(x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null), &format!("{at}.{k}")))
                .collect()
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().flat_map(|(i, (p, q))| differences(p, q, &format!("{at}[{i}]"))).collect()
        }
        _ if a == b => Vec::new(),
        _ => vec![format!("{at}: {a} | {b}")],
    }
}

fn key_identifier(world: &World, registry: &str) -> String {
    let r = world.registries.iter().find(|r| r.registry.name == registry).unwrap();
    r.registry.properties.encryption.clone().unwrap().key_vault_properties.unwrap().key_identifier.unwrap()
}

#[tokio::test]
async fn rotating_to_a_pinned_version() {
    let mut t = Twins::open("contosoprod").await;
    t.b.click("rotate-open").await;
    t.b.select("rotate-version", DEMO_KEY_V1).await;
    t.b.click("rotate-review").await;
    t.b.wait_text("preflight-headline", "would be able to reach").await;
    let sent = t.confirm().await;
    assert!(sent[0].starts_with("az acr encryption rotate-key -n contosoprod"), "{sent:?}");
    assert!(key_identifier(&t.cli.state.world(), "contosoprod").ends_with(DEMO_KEY_V1), "the CLI's emulator changed too");
    t.b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn rotating_to_the_versionless_key() {
    let mut t = Twins::open("contosoprod").await;
    t.b.click("rotate-open").await;
    t.b.click("rotate-review").await;
    t.confirm().await;
    assert!(key_identifier(&t.cli.state.world(), "contosoprod").ends_with("/keys/acr-cmk-key"));
    t.b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn rotating_to_a_key_in_another_vault_and_to_a_new_key() {
    // `az keyvault key create` is a data-plane call: whoever runs the previewed command needs key
    // permissions in the vault, as in Azure. The CLI signs in as the automation principal, so both
    // worlds start with its access policy in the demo vault (the console's user has one already).
    let mut t = Twins::open_with("contosoprod", |w| {
        let vault = w.vaults.iter_mut().find(|v| v.vault.name == DEMO_VAULT).expect("the demo vault");
        vault.vault.properties.access_policies.push(AccessPolicyEntry {
            tenant_id: DEMO_TENANT.into(),
            object_id: DEMO_SERVICE_PRINCIPAL_OBJECT.into(),
            application_id: None,
            permissions: Permissions { keys: Some(vec!["get".into(), "create".into()]), ..Permissions::default() },
        });
    })
    .await;
    t.rotate_to_the_rbac_vaults_key().await;
    assert!(key_identifier(&t.cli.state.world(), "contosoprod").contains("kv-acr-rbac"));

    // A new key: `az keyvault key create` first (a version drawn from the seed on both sides), then the rotation.
    t.b.wait_text("key-identifier", "kv-acr-rbac").await;
    t.b.click("rotate-open").await;
    t.b.select("rotate-vault", &vault_id(DEMO_VAULT)).await;
    t.b.select("rotate-key", "__new__").await;
    t.b.type_into("rotate-new-key-name", "acr-cmk-key-2027").await;
    t.b.click("rotate-review").await;
    t.b.wait_for("rotate-preflight").await;
    let sent = t.confirm().await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].starts_with("az keyvault key create"), "{sent:?}");
    assert!(key_identifier(&t.cli.state.world(), "contosoprod").ends_with("/keys/acr-cmk-key-2027"));
    // The pre-flight looked for the new key's versions before it existed: ARM's 404.
    t.b.assert_clean_log(&["acr-cmk-key-2027/versions"]).await;
}

#[tokio::test]
async fn the_system_identity_on_and_off_and_a_user_identity_attached_and_removed() {
    let mut t = Twins::open("contosoprod").await;
    t.b.click("identity-system-toggle").await;
    let sent = t.confirm().await;
    assert_eq!(sent, ["az acr identity assign -n contosoprod -g rg-acr-demo --identities '[system]'"]);
    t.b.wait_text("identity-system-toggle", "Turn off").await;
    t.b.click("identity-system-toggle").await;
    t.confirm().await;

    let nokey = format!(
        "/subscriptions/{}/resourcegroups/{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-nokey",
        support::world::DEMO_SUBSCRIPTION,
        support::world::DEMO_RESOURCE_GROUP
    );
    t.b.wait_text("identity-system-toggle", "Turn on").await;
    t.b.select("identity-assign-select", &nokey).await;
    t.b.click("identity-assign").await;
    t.confirm().await;
    t.b.texts_of_at_least("identity-remove", 2).await;
    t.b.client.find(Locator::Css("[aria-label='Remove identity id-acr-nokey']")).await.unwrap().click().await.unwrap();
    t.confirm().await;
    let users = t.cli.state.world().registries.iter().find(|r| r.registry.name == "contosoprod").unwrap().registry.identity.clone();
    assert_eq!(users.unwrap().user_assigned_identities.unwrap().len(), 1);
    t.b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn revoking_the_key_permissions_then_the_whole_entry_and_restoring() {
    let mut t = Twins::open("contosoprod").await;
    // The default revoke: only get, wrapKey and unwrapKey, as `az rest` (the CLI has no command for a partial removal).
    t.b.click("revoke-open").await;
    t.b.type_into("confirm-phrase", "contosoprod +1").await;
    let sent = t.confirm().await;
    assert!(sent[0].starts_with("az rest --method put"), "{sent:?}");
    assert_eq!(probe::status(&t.b, "contosoprod").await, 403);
    t.b.wait_text("restore-access", "Restore").await;
    t.b.click("restore-access").await;
    t.confirm().await;

    // The seed's way: the whole access-policy entry with `az keyvault delete-policy`, then restored.
    t.b.wait_for("revoke-open").await;
    t.b.click("revoke-open").await;
    t.b.click("revoke-scope-entry").await;
    t.b.wait_text("preview-az", "az keyvault delete-policy").await;
    t.b.type_into("confirm-phrase", "contosoprod +1").await;
    t.confirm().await;
    t.b.wait_text("restore-access", "Restore").await;
    t.b.click("restore-access").await;
    let sent = t.confirm().await;
    assert!(sent[0].starts_with("az keyvault set-policy") || sent[0].starts_with("az rest"), "{sent:?}");
    assert_eq!(probe::status(&t.b, "contosoprod").await, 200);
    t.b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn on_an_rbac_vault_revoking_and_restoring_the_role_assignment() {
    let mut t = Twins::open("contosoprod").await;
    t.rotate_to_the_rbac_vaults_key().await;
    t.b.wait_text("key-identifier", "kv-acr-rbac").await;
    t.b.click("revoke-open").await;
    t.b.type_into("confirm-phrase", "contosoprod").await;
    let sent = t.confirm().await;
    assert!(sent[0].starts_with("az role assignment delete --ids"), "{sent:?}");
    t.b.wait_text("restore-access", "Restore").await;
    t.b.click("restore-access").await;
    t.confirm().await;
    assert_eq!(probe::status(&t.b, "contosoprod").await, 200);
    t.b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn the_firewall_sequence_step_by_step() {
    // The vault's firewall closes on both sides: the registry loses its key.
    let mut t = Twins::open_with("contosoprod", |w| {
        let v = w.vaults.iter_mut().find(|v| v.vault.name == DEMO_VAULT).unwrap();
        v.vault.properties.network_acls = Some(
            serde_json::from_value(json!({"defaultAction": "Deny", "bypass": "None", "ipRules": [], "virtualNetworkRules": []})).unwrap(),
        );
    })
    .await;
    t.b.click("firewall-open").await;
    let mut all = Vec::new();
    for step in 1..=4 {
        t.b.wait_text("firewall-current", &format!("Step {step} of 4")).await;
        let commands = t.previews().await;
        t.b.click("write-confirm").await;
        // The step is done when the next one is planned (or the sequence completes).
        if step < 4 {
            t.b.wait_text("firewall-current", &format!("Step {} of 4", step + 1)).await;
        } else {
            t.b.wait_for("firewall-complete").await;
        }
        t.run_and_compare(&commands).await;
        all.extend(commands);
    }
    assert!(all.iter().any(|c| c.contains("--identities '[system]'")), "{all:?}");
    assert!(all.iter().any(|c| c.contains("--bypass AzureServices")), "{all:?}");
    assert_eq!(probe::status(&t.b, "contosoprod").await, 200);
    t.b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_failed_check_fixed_from_the_diagnosis() {
    let mut t = Twins::open("contosolost").await;
    t.b.click("apply-fix-access").await;
    let sent = t.confirm().await;
    assert!(sent[0].starts_with("az keyvault set-policy"), "{sent:?}");
    assert_eq!(probe::status(&t.b, "contosolost").await, 200);
    t.b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn purge_protection_turned_on_from_the_diagnosis() {
    // A vault without purge protection (as an older vault may be) on both sides.
    let mut t = Twins::open_with("contosoprod", |w| {
        let v = w.vaults.iter_mut().find(|v| v.vault.name == DEMO_VAULT).unwrap();
        v.vault.properties.enable_purge_protection = Some(false);
    })
    .await;
    t.b.click("apply-fix-recovery").await;
    // Irreversible: the vault's name confirms it.
    t.b.type_into("confirm-phrase", DEMO_VAULT).await;
    let sent = t.confirm().await;
    assert!(sent[0].starts_with("az keyvault update") && sent[0].contains("--enable-purge-protection true"), "{sent:?}");
    let world = t.cli.state.world();
    let v = world.vaults.iter().find(|v| v.vault.name == DEMO_VAULT).unwrap();
    assert_eq!(v.vault.properties.enable_purge_protection, Some(true));
    drop(world);
    t.b.assert_clean_log(&[]).await;
}

#[tokio::test]
async fn a_soft_deleted_vault_recovered_from_the_diagnosis() {
    // contosoprod's vault deleted (soft) on both sides: its key check fails, and the fix recovers it through ARM.
    let mut t = Twins::open_with("contosoprod", |w| {
        let v = w.vaults.iter_mut().find(|v| v.vault.name == DEMO_VAULT).unwrap();
        v.deleted_at = Some(acr_cmk_emulator::clock::now_secs());
    })
    .await;
    assert_eq!(probe::status(&t.b, "contosoprod").await, 403);
    t.b.click("apply-fix-key").await;
    let sent = t.confirm().await;
    assert_eq!(sent, [format!("az keyvault recover --name {DEMO_VAULT}")]);
    assert_eq!(probe::status(&t.b, "contosoprod").await, 200);
    t.b.assert_clean_log(&[]).await;
}
