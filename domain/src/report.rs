//! The ticket report: what helpdesk pastes into a ticket or attaches to it, in
//! Markdown ([`TicketReport::to_markdown`]) and JSON ([`TicketReport::to_json`]),
//! built from a diagnosis and the snapshot it was made from.
//!
//! It holds the registry's ids and encryption settings, the verdict, every check
//! with its state, evidence and fix (with the `az` commands that apply it), the
//! key, vault and identity ids, when it was diagnosed, the console's version and
//! the request ids of the ARM reads it rests on. It is built only from those
//! values: no header, token or secret reaches it.

use serde::Serialize;

use crate::diagnosis::{Check, Diagnosis, Fetched, Fix, IdentityKind, Snapshot};
use crate::encryption::format_unix_utc;
use crate::read_trace::ReadTrace;
use crate::registry::KeyVaultProperties;
use crate::rotation_health::{rotation_health, RotationHealth};
use crate::writes::access_grant::grant_access;
use crate::writes::firewall::{system_principal, FirewallStep, StepPlan};
use crate::writes::fix::plan_fix;
use crate::writes::key_access::KeyAccess;

/// Where a role assignment's new name goes in a command the user runs (ARM needs a fresh GUID).
const NEW_GUID: &str = "<new-guid>";

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketReport {
    pub console: String,
    pub console_version: String,
    /// `YYYY-MM-DDTHH:MM:SSZ`: when the reads were made.
    pub diagnosed_at: String,
    pub registry: RegistryPart,
    pub encryption: EncryptionPart,
    pub verdict: VerdictPart,
    pub checks: Vec<CheckPart>,
    pub key: Option<KeyPart>,
    pub vault: Option<VaultPart>,
    pub identity: Option<IdentityPart>,
    /// The version in use against the newest, expiry, the rotation policy.
    pub rotation: Option<RotationHealth>,
    /// Every ARM read, the registry first, with `x-ms-request-id` and `x-ms-correlation-request-id`.
    pub reads: Vec<ReadTrace>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryPart {
    pub id: String,
    pub name: String,
    pub login_server: Option<String>,
    pub sku: String,
    pub location: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EncryptionPart {
    /// `enabled` / `disabled`, as ARM reports it.
    pub status: String,
    /// `keyVaultProperties` as ARM reports it.
    pub key_vault_properties: Option<KeyVaultProperties>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerdictPart {
    /// `none` / `ok` / `broken` / `unknown`.
    pub state: String,
    pub headline: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckPart {
    pub name: String,
    pub title: String,
    /// `pass` / `warn` / `unknown` / `fail`.
    pub state: String,
    pub evidence: String,
    pub fix: Option<FixPart>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FixPart {
    pub label: String,
    /// The Azure CLI commands that apply it, in order (a step that depends on an earlier one says so).
    pub az: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyPart {
    /// As configured (versionless = auto-rotation).
    pub key_identifier: String,
    pub version_in_use: Option<String>,
    pub key_type: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultPart {
    pub name: String,
    /// `None` when the vault was not found or could not be read.
    pub id: Option<String>,
    pub uri: Option<String>,
    /// `rbac` / `access policies`.
    pub authorization: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityPart {
    /// `system` / `user`.
    pub kind: String,
    pub name: Option<String>,
    pub resource_id: Option<String>,
    pub client_id: Option<String>,
    pub principal_id: Option<String>,
    pub attached: bool,
}

impl TicketReport {
    /// `registry_read` is the registry's own GET (the snapshot holds the reads after it).
    pub fn build(snapshot: &Snapshot, diagnosis: &Diagnosis, registry_read: Option<ReadTrace>, console_version: &str) -> TicketReport {
        let r = &snapshot.registry;
        let enc = r.properties.encryption.as_ref();
        let target = snapshot.target.as_ref();
        let key = target.map(|t| KeyPart {
            key_identifier: t.key_identifier.clone(),
            version_in_use: t.version_in_use.clone(),
            key_type: snapshot.key_versions.found().and_then(|v| v.iter().find_map(|k| k.properties.kty.clone())),
        });
        let vault = target.and_then(|t| t.key.as_ref()).map(|k| {
            let found = snapshot.vault.found();
            VaultPart {
                name: k.vault_name().to_string(),
                id: found.map(|v| v.id.clone()),
                uri: found.and_then(|v| v.properties.vault_uri.clone()).or_else(|| Some(k.vault_base.clone())),
                authorization: found.map(|v| if v.properties.rbac() { "rbac" } else { "access policies" }.to_string()),
            }
        });
        let identity = snapshot.identity().map(|i| {
            let (kind, name, resource_id) = match &i.kind {
                IdentityKind::System => ("system", Some(r.name.clone()), None),
                IdentityKind::User { resource_id, name } => ("user", name.clone(), resource_id.clone()),
            };
            IdentityPart {
                kind: kind.to_string(),
                name,
                resource_id,
                client_id: i.client_id.clone(),
                principal_id: i.principal_id.clone(),
                attached: i.attached,
            }
        });
        TicketReport {
            console: "ACR customer-managed-key console".to_string(),
            console_version: console_version.to_string(),
            diagnosed_at: iso_utc(snapshot.now_unix),
            registry: RegistryPart {
                id: r.id.clone(),
                name: r.name.clone(),
                login_server: r.properties.login_server.clone(),
                sku: r.sku.name.clone(),
                location: r.location.clone(),
            },
            encryption: EncryptionPart {
                status: enc.and_then(|e| e.status.clone()).unwrap_or_else(|| "disabled".to_string()),
                key_vault_properties: enc.and_then(|e| e.key_vault_properties.clone()),
            },
            verdict: VerdictPart { state: diagnosis.verdict_state().name().to_string(), headline: diagnosis.headline() },
            checks: diagnosis.checks.iter().map(|c| check_part(c, snapshot)).collect(),
            key,
            vault,
            identity,
            rotation: rotation_health(snapshot),
            reads: registry_read.into_iter().chain(snapshot.reads.iter().cloned()).collect(),
        }
    }

    /// Indented JSON (the "Download report" file).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A suggested file name: `acr-cmk-report-{registry}-{time}.json`.
    pub fn file_name(&self) -> String {
        let time: String = self.diagnosed_at.chars().filter(char::is_ascii_digit).collect();
        format!("acr-cmk-report-{}-{time}.json", self.registry.name)
    }

    /// Markdown for a ticket (the "Copy report" text).
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let mut line = |s: String| {
            md.push_str(&s);
            md.push('\n');
        };
        line(format!("## Customer-managed key report: {}", self.registry.name));
        line(String::new());
        line(format!("**Verdict ({}):** {}", self.verdict.state, self.verdict.headline));
        line(String::new());
        line("| | |".into());
        line("|---|---|".into());
        line(format!("| Registry | `{}` |", self.registry.id));
        line(format!("| Login server | {} |", code_or_dash(self.registry.login_server.as_deref())));
        line(format!("| SKU, location | {}, {} |", cell(&self.registry.sku), cell(&self.registry.location)));
        line(format!("| Diagnosed at | {} |", self.diagnosed_at));
        line(format!("| Console | {} {} |", self.console, self.console_version));
        line(String::new());
        line("### Encryption".into());
        line(format!("- Status: {}", self.encryption.status));
        if let Some(kv) = &self.encryption.key_vault_properties {
            line(format!("- keyIdentifier: {}", code_or_dash(kv.key_identifier.as_deref())));
            line(format!("- versionedKeyIdentifier: {}", code_or_dash(kv.versioned_key_identifier.as_deref())));
            line(format!("- identity: {}", code_or_dash(kv.identity.as_deref())));
            line(format!("- keyRotationEnabled: {}", kv.key_rotation_enabled.map_or("-".to_string(), |b| b.to_string())));
            line(format!("- lastKeyRotationTimestamp: {}", kv.last_key_rotation_timestamp.as_deref().unwrap_or("-")));
        }
        if !self.checks.is_empty() {
            line(String::new());
            line("### Checks".into());
            for (i, c) in self.checks.iter().enumerate() {
                line(format!("{}. **{}** ({}): {}. {}", i + 1, c.state, c.name, c.title, c.evidence));
                if let Some(fix) = &c.fix {
                    line(format!("   - Fix: {}", fix.label));
                    if !fix.az.is_empty() {
                        line("     ```sh".into());
                        for cmd in &fix.az {
                            for l in cmd.lines() {
                                line(format!("     {l}"));
                            }
                        }
                        line("     ```".into());
                    }
                }
            }
        }
        line(String::new());
        line("### Resources".into());
        if let Some(k) = &self.key {
            line(format!("- Key: `{}` (version in use: {})", k.key_identifier, code_or_dash(k.version_in_use.as_deref())));
        }
        if let Some(v) = &self.vault {
            line(format!("- Vault: {} ({})", code_or_dash(v.id.as_deref()), v.authorization.as_deref().unwrap_or("not read")));
        }
        if let Some(i) = &self.identity {
            line(format!(
                "- Identity ({}{}): name {}, resource id {}, client id {}, principal id {}",
                i.kind,
                if i.attached { ", attached" } else { ", NOT attached" },
                code_or_dash(i.name.as_deref()),
                code_or_dash(i.resource_id.as_deref()),
                code_or_dash(i.client_id.as_deref()),
                code_or_dash(i.principal_id.as_deref()),
            ));
        }
        if let Some(rotation) = &self.rotation {
            line(String::new());
            line("### Key rotation".into());
            for f in &rotation.findings {
                line(format!("- **{}** ({}): {}", f.state.name(), f.name, f.text));
            }
        }
        if self.key.is_none() && self.identity.is_none() {
            line("- No customer-managed key: no key, vault or identity involved.".into());
        }
        line(String::new());
        line("### ARM reads".into());
        line("| Request | Status | x-ms-request-id | x-ms-correlation-request-id |".into());
        line("|---|---|---|---|".into());
        for r in &self.reads {
            line(format!(
                "| {} `{}` | {} | {} | {} |",
                r.method,
                r.path,
                r.status,
                r.request_id.as_deref().unwrap_or("-"),
                r.correlation_id.as_deref().unwrap_or("-")
            ));
        }
        md
    }
}

fn check_part(check: &Check, snapshot: &Snapshot) -> CheckPart {
    CheckPart {
        name: check.kind.name().to_string(),
        title: check.kind.title().to_string(),
        state: check.state.name().to_string(),
        evidence: check.evidence.to_string(),
        fix: check.fix.as_ref().map(|fix| FixPart { label: fix.label().to_string(), az: fix_commands(fix, snapshot) }),
    }
}

/// The `az` commands that apply `fix`, planned from the snapshot as the write dialog would.
fn fix_commands(fix: &Fix, snapshot: &Snapshot) -> Vec<String> {
    let registry = &snapshot.registry;
    let vault = snapshot.vault.found();
    match fix {
        Fix::RunCommand { command } => vec![command.clone()],
        Fix::EnableSystemIdentityAndBypass { .. } => {
            let principal = system_principal(registry).unwrap_or("<system identity principal id>").to_string();
            let access = vault.map(|v| KeyAccess {
                vault: v.clone(),
                principal_id: principal.clone(),
                tenant_id: v.properties.tenant_id.clone(),
                key_name: snapshot.target.as_ref().and_then(|t| t.key.as_ref()).map(|k| k.name.clone()),
                role_assignments: match &snapshot.role_assignments {
                    Fetched::Found(a) => a.clone(),
                    _ => Vec::new(),
                },
            });
            FirewallStep::ALL
                .iter()
                .map(|step| {
                    let head = format!("# {}. {}", step.number(), step.title());
                    let planned = match step.plan(registry, access.as_ref(), NEW_GUID) {
                        Ok(StepPlan::Run(w)) => w.write().az.clone(),
                        Ok(StepPlan::AlreadyDone(why)) => format!("# already done: {why}"),
                        // The grant needs the system identity's principal, known once step 1 ran.
                        Err(_) => match (step, vault) {
                            (FirewallStep::GrantSystemIdentity, Some(v)) => {
                                grant_access(v, &v.properties.tenant_id, &principal, NEW_GUID).az
                            }
                            _ => "# planned once the previous step has run".to_string(),
                        },
                    };
                    format!("{head}\n{planned}")
                })
                .collect()
        }
        _ => match plan_fix(fix, registry, vault, NEW_GUID) {
            Ok(step) => vec![step.write().az.clone()],
            Err(_) => Vec::new(),
        },
    }
}

/// `1700000000` → `2023-11-14T22:13:20Z`.
pub fn iso_utc(secs: i64) -> String {
    format!("{}Z", format_unix_utc(secs).replace(' ', "T"))
}

fn code_or_dash(v: Option<&str>) -> String {
    match v.filter(|s| !s.is_empty()) {
        Some(s) => format!("`{s}`"),
        None => "-".to_string(),
    }
}

/// Text inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::{diagnose, Purpose, Target};
    use crate::registry::Registry;
    use crate::vault::Vault;
    use serde_json::json;

    const SUB: &str = "6d6f636b-0000-4000-8000-000000000001";
    const V1: &str = "6d6f636b00004000800000000000b001";
    const PRINCIPAL: &str = "aaaaaaaa-0000-4000-8000-0000000000a1";
    const CLIENT: &str = "cccccccc-0000-4000-8000-0000000000c1";

    fn identity_id() -> String {
        format!("/subscriptions/{SUB}/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr")
    }

    fn registry(firewall_bypass_needed: bool) -> Registry {
        let _ = firewall_bypass_needed;
        serde_json::from_value(json!({
            "id": format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r1"),
            "name": "r1", "location": "westeurope", "sku": {"name": "Premium"},
            "identity": {"type": "userAssigned", "userAssignedIdentities": {identity_id(): {"principalId": PRINCIPAL, "clientId": CLIENT}}},
            "properties": {"loginServer": "r1.azurecr.io", "encryption": {"status": "enabled", "keyVaultProperties": {
              "keyIdentifier": format!("https://kv1.vault.azure.net/keys/k1/{V1}"),
              "versionedKeyIdentifier": format!("https://kv1.vault.azure.net/keys/k1/{V1}"),
              "identity": CLIENT, "keyRotationEnabled": false}}}
        }))
        .unwrap()
    }

    fn vault(policies: serde_json::Value, acls: Option<serde_json::Value>) -> Vault {
        let mut props = json!({"tenantId": "t1", "sku": {"family": "A", "name": "standard"}, "vaultUri": "https://kv1.vault.azure.net/",
            "accessPolicies": policies, "enableSoftDelete": true, "enablePurgeProtection": false});
        if let Some(a) = acls {
            props["networkAcls"] = a;
        }
        serde_json::from_value(json!({"id": format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1"),
            "name": "kv1", "properties": props}))
        .unwrap()
    }

    fn versions() -> Vec<crate::key::ArmKey> {
        vec![serde_json::from_value(json!({"id": "x/versions/v1", "name": V1,
            "properties": {"kty": "RSA", "attributes": {"enabled": true, "created": 100}}}))
        .unwrap()]
    }

    fn trace(path: &str, id: &str) -> ReadTrace {
        ReadTrace::new("GET", path, 200, Some(format!("req-{id}")), Some(format!("corr-{id}")))
    }

    /// r1 with no access policy for its identity (access fails), purge protection off (recovery warns).
    fn broken() -> (Snapshot, Diagnosis) {
        let r = registry(false);
        let mut s = Snapshot::new(Purpose::Current, r.clone(), Target::current(&r), 1_750_000_000);
        s.vault = Fetched::Found(vault(json!([]), None));
        s.key_versions = Fetched::Found(versions());
        s.reads = vec![trace("/subscriptions/s/providers/Microsoft.KeyVault/vaults?api-version=1", "v"), trace("/k/versions", "k")];
        let d = diagnose(&s);
        (s, d)
    }

    #[test]
    fn markdown_and_json_hold_every_check_the_verdict_ids_and_request_ids() {
        let (s, d) = broken();
        let report = TicketReport::build(&s, &d, Some(trace("/subscriptions/s/registries/r1?api-version=2", "r")), "0.1.0");
        let md = report.to_markdown();
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["checks"].as_array().unwrap().len(), d.checks.len());
        for c in &d.checks {
            assert!(md.contains(&c.evidence.to_string()), "markdown lacks {:?}: {md}", c.kind);
            assert!(md.contains(c.kind.title()));
        }
        assert_eq!(json["verdict"]["state"], "broken");
        assert!(md.contains(&d.headline()));
        for id in ["req-r", "corr-r", "req-v", "corr-v", "req-k", "corr-k"] {
            assert!(md.contains(id), "{id} in markdown");
        }
        assert_eq!(json["reads"][0]["requestId"], "req-r", "the registry's read comes first");
        assert_eq!(json["reads"][0]["path"], "/subscriptions/s/registries/r1");
        assert_eq!(json["registry"]["loginServer"], "r1.azurecr.io");
        assert_eq!(json["identity"]["clientId"], CLIENT);
        assert_eq!(json["identity"]["principalId"], PRINCIPAL);
        assert_eq!(json["identity"]["resourceId"], identity_id());
        assert_eq!(json["vault"]["id"], format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1"));
        assert_eq!(json["encryption"]["keyVaultProperties"]["identity"], CLIENT);
        assert_eq!(json["diagnosedAt"], "2025-06-15T15:06:40Z");
        assert_eq!(json["consoleVersion"], "0.1.0");
        assert!(md.contains("2025-06-15T15:06:40Z") && md.contains("0.1.0"));
    }

    #[test]
    fn a_fix_carries_the_az_command_that_applies_it() {
        let (s, d) = broken();
        let report = TicketReport::build(&s, &d, None, "0.1.0");
        let access = report.checks.iter().find(|c| c.name == "access").unwrap();
        let fix = access.fix.as_ref().expect("access fails with a grant fix");
        assert_eq!(fix.az.len(), 1);
        assert!(fix.az[0].starts_with("az keyvault set-policy"), "{}", fix.az[0]);
        assert!(fix.az[0].contains(PRINCIPAL), "{}", fix.az[0]);
        assert!(report.to_markdown().contains(&fix.az[0]));
        let recovery = report.checks.iter().find(|c| c.name == "recovery").unwrap();
        assert!(recovery.fix.as_ref().unwrap().az[0].contains("enable-purge-protection"), "{:?}", recovery.fix);
    }

    #[test]
    fn the_firewall_fix_lists_its_four_steps() {
        let r = registry(true);
        let mut s = Snapshot::new(Purpose::Current, r.clone(), Target::current(&r), 1_750_000_000);
        let policy = json!([{"tenantId": "t1", "objectId": PRINCIPAL, "permissions": {"keys": ["get", "wrapKey", "unwrapKey"]}}]);
        s.vault = Fetched::Found(vault(policy, Some(json!({"defaultAction": "Deny", "bypass": "None"}))));
        s.key_versions = Fetched::Found(versions());
        let d = diagnose(&s);
        let report = TicketReport::build(&s, &d, None, "0.1.0");
        let fix = report.checks.iter().find(|c| c.name == "firewall").unwrap().fix.clone().expect("firewall fix");
        assert_eq!(fix.az.len(), 4, "{:?}", fix.az);
        assert!(fix.az[0].contains("az acr identity assign"), "{}", fix.az[0]);
        assert!(fix.az[2].contains("--bypass AzureServices"), "{}", fix.az[2]);
        assert!(fix.az[3].contains("az acr encryption rotate-key"), "{}", fix.az[3]);
    }

    #[test]
    fn a_registry_without_cmk_reports_no_checks_and_says_so() {
        let mut r = registry(false);
        r.properties.encryption = None;
        let s = Snapshot::new(Purpose::Current, r.clone(), Target::current(&r), 0);
        let d = diagnose(&s);
        let report = TicketReport::build(&s, &d, None, "1.2.3");
        assert!(report.checks.is_empty());
        assert_eq!(report.verdict.state, "none");
        assert!(report.to_markdown().contains("No customer-managed key"));
        assert_eq!(report.file_name(), "acr-cmk-report-r1-19700101000000.json");
    }
}
