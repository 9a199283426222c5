//! The way out for a registry without a customer-managed key. CMK can only be
//! chosen when a registry is created, so the service's advice is a new registry
//! with CMK and the images copied into it: the creation flow pre-filled from
//! the old registry ([`suggested_name`]), and an `az acr import` script
//! ([`import_script`]) that copies every tag of every repository.
//!
//! The script uses only `az acr` flags that exist (Azure CLI's
//! `acr/_params.py`): `az acr repository list --name`, `az acr repository
//! show-tags --name --repository`, `az acr import --name --registry --source
//! --image --force`. The source is named by its resource id (`--registry`), the
//! way for a registry in the same tenant: no credentials, and `--source` is then
//! the image within it (`repo:tag`, no login server). Only tagged images are
//! copied; a manifest without a tag is not listed by `show-tags`.

use crate::writes::creation::choices::check_registry_name;

/// Appended to the old name for the new registry's suggested name.
const SUFFIX: &str = "cmk";

/// A name for the new registry: the old one (lowercase, letters and digits only, cut to
/// leave room) followed by `cmk`, so it passes ACR's 5–50 alphanumerics; `None` when even
/// that cannot make a valid name (the user then types one).
pub fn suggested_name(old: &str) -> Option<String> {
    let stem: String = old.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).take(50 - SUFFIX.len()).collect();
    let name = format!("{stem}{SUFFIX}");
    check_registry_name(&name).is_ok().then_some(name)
}

/// `text` without control characters (none is valid in an Azure name or id): a newline
/// would otherwise end a comment line early.
fn clean(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// One shell word in single quotes (a `'` inside closed, escaped and reopened): nothing in
/// it is expanded by the shell.
fn quoted(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// What the script copies from and to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSource<'a> {
    /// The old registry's resource id (`--registry`).
    pub id: &'a str,
    pub name: &'a str,
    /// `{name}.azurecr.io`, for the script's comments and progress lines.
    pub login_server: &'a str,
}

/// A bash script that imports every tag of every repository of `source` into the registry
/// `target` (which must exist: run it after the creation flow). Values are single-quoted
/// into variables once; everything after uses them double-quoted.
pub fn import_script(source: &ImportSource<'_>, target: &str) -> String {
    format!(
        r#"#!/usr/bin/env bash
# Copies every tagged image of registry {name} ({login_server}) into registry {target},
# which has a customer-managed key. az acr import copies inside Azure (nothing is pulled
# to this machine); the source is named by its resource id, as for a registry in the
# same tenant. Run it signed in with az login, able to read {name} and write to {target}.
# Untagged manifests are not copied.
set -euo pipefail

source_id={q_id}
source_name={q_name}
source_login_server={q_login}
target_name={q_target}

az acr repository list --name "$source_name" --output tsv | while IFS= read -r repo; do
  az acr repository show-tags --name "$source_name" --repository "$repo" --output tsv | while IFS= read -r tag; do
    echo "Importing $source_login_server/$repo:$tag into $target_name"
    # --force: running the script again overwrites what an earlier run imported.
    az acr import --name "$target_name" --registry "$source_id" --source "$repo:$tag" --image "$repo:$tag" --force
  done
done
"#,
        name = clean(source.name),
        login_server = clean(source.login_server),
        target = clean(target),
        q_id = quoted(&clean(source.id)),
        q_name = quoted(&clean(source.name)),
        q_login = quoted(&clean(source.login_server)),
        q_target = quoted(&clean(target)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "/subscriptions/6d6f636b-0000-4000-8000-000000000001/resourceGroups/rg-acr-demo/providers/Microsoft.ContainerRegistry/registries/contosodev";

    fn dev() -> ImportSource<'static> {
        ImportSource { id: ID, name: "contosodev", login_server: "contosodev.azurecr.io" }
    }

    #[test]
    fn the_suggested_name_is_the_old_one_with_cmk_within_acrs_rule() {
        assert_eq!(suggested_name("contosodev").as_deref(), Some("contosodevcmk"));
        assert_eq!(suggested_name("ContosoDev").as_deref(), Some("contosodevcmk"), "lowercase, as ACR keeps names");
        let long = "a".repeat(50);
        let cut = suggested_name(&long).unwrap();
        assert_eq!(cut.len(), 50);
        assert!(cut.ends_with("cmk") && check_registry_name(&cut).is_ok());
        assert_eq!(suggested_name("ab").as_deref(), Some("abcmk"), "five characters is enough");
        assert_eq!(suggested_name("a"), None, "too short even with the suffix");
    }

    #[test]
    fn the_script_lists_repositories_then_tags_and_imports_each_by_the_sources_id() {
        let s = import_script(&dev(), "contosodevcmk");
        assert!(s.starts_with("#!/usr/bin/env bash\n"));
        assert!(s.contains("\nset -euo pipefail\n"));
        for line in [
            format!("source_id='{ID}'"),
            "source_name='contosodev'".to_string(),
            "source_login_server='contosodev.azurecr.io'".to_string(),
            "target_name='contosodevcmk'".to_string(),
            r#"az acr repository list --name "$source_name" --output tsv | while IFS= read -r repo; do"#.to_string(),
            r#"  az acr repository show-tags --name "$source_name" --repository "$repo" --output tsv | while IFS= read -r tag; do"#
                .to_string(),
            r#"    az acr import --name "$target_name" --registry "$source_id" --source "$repo:$tag" --image "$repo:$tag" --force"#
                .to_string(),
        ] {
            assert!(s.lines().any(|l| l == line), "missing line {line}\n{s}");
        }
        assert!(s.contains("# Copies every tagged image of registry contosodev (contosodev.azurecr.io) into registry contosodevcmk,"));
        // Every az command uses flags the Azure CLI has (acr/_params.py).
        let flags: Vec<&str> = s
            .lines()
            .filter(|l| l.trim_start().starts_with("az "))
            .flat_map(|l| l.split_whitespace())
            .filter(|w| w.starts_with("--"))
            .collect();
        for f in &flags {
            assert!(["--name", "--output", "--repository", "--registry", "--source", "--image", "--force"].contains(f), "{f}");
        }
        assert!(!s.contains("--all-tags"), "az acr import has no --all-tags");
    }

    #[test]
    fn values_are_single_quoted_so_the_shell_expands_nothing_in_them() {
        let hostile = ImportSource {
            id: "/subscriptions/s/resourceGroups/it's $(rm -rf ~)/providers/Microsoft.ContainerRegistry/registries/r",
            name: "r`x`",
            login_server: "r.azurecr.io\necho pwned",
        };
        let s = import_script(&hostile, "new$HOME");
        assert!(
            s.contains(
                r"source_id='/subscriptions/s/resourceGroups/it'\''s $(rm -rf ~)/providers/Microsoft.ContainerRegistry/registries/r'"
            ),
            "{s}"
        );
        assert!(s.contains("source_name='r`x`'"), "{s}");
        assert!(s.contains("target_name='new$HOME'"), "{s}");
        // A newline cannot end a comment line early and start a command.
        assert!(!s.lines().any(|l| l.trim_start().starts_with("echo pwned")), "{s}");
        assert_eq!(quoted(""), "''");
    }
}
