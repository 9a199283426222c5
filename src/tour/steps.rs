//! The tour's steps as data: what each is called, what it narrates, where it happens
//! and which element (`data-testid`) it points at. What "Do it for me" sends is
//! [`super::actions`]; the words are in `crate::i18n::catalogue::tour`.

use acr_cmk_domain::arm::ResourceId;
use acr_cmk_domain::text::Text;

use crate::i18n::catalogue::tour as words;

/// The registry the tour creates and then works on, beside the demo scenario's.
pub const REGISTRY: &str = "contosotour";
/// The demo scenario's resource group, identity, vault and key (emulator/README.md, "Scenarios").
pub const GROUP: &str = "rg-acr-demo";
pub const LOCATION: &str = "westeurope";
pub const IDENTITY: &str = "id-acr-cmk";
pub const VAULT: &str = "kv-acr-demo";
pub const KEY: &str = "acr-cmk-key";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepId {
    Create,
    Status,
    Rotate,
    Versionless,
    AutoRotation,
    Revoke,
    Restore,
    Firewall,
}

/// Where a step happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Create,
    Registry,
}

#[derive(Clone, Copy, Debug)]
pub struct StepDef {
    pub id: StepId,
    pub title: Text,
    pub narration: Text,
    pub page: Page,
    /// The `data-testid` of the element to use, outlined while the step is shown.
    pub target: &'static str,
    /// The step changes Azure: its element exists only in write mode.
    pub writes: bool,
    /// The `data-testid` of where its result is read, outlined once "Do it for me" is done.
    pub shows: &'static str,
    /// A button that first sets the scene the step answers (the firewall step closes the vault's
    /// firewall, so the audience sees the registry lose its key before the fix): its label.
    pub scene: Option<Text>,
}

pub const STEPS: [StepDef; 8] = [
    StepDef {
        id: StepId::Create,
        title: words::STEP_CREATE,
        narration: words::NARRATE_CREATE,
        page: Page::Create,
        target: "create-step-basics",
        shows: "verdict",
        writes: true,
        scene: None,
    },
    StepDef {
        id: StepId::Status,
        title: words::STEP_STATUS,
        narration: words::NARRATE_STATUS,
        page: Page::Registry,
        target: "verdict",
        shows: "verdict",
        writes: false,
        scene: None,
    },
    StepDef {
        id: StepId::Rotate,
        title: words::STEP_ROTATE,
        narration: words::NARRATE_ROTATE,
        page: Page::Registry,
        target: "rotate-open",
        shows: "encryption",
        writes: true,
        scene: None,
    },
    StepDef {
        id: StepId::Versionless,
        title: words::STEP_VERSIONLESS,
        narration: words::NARRATE_VERSIONLESS,
        page: Page::Registry,
        target: "rotate-open",
        shows: "encryption",
        writes: true,
        scene: None,
    },
    StepDef {
        id: StepId::AutoRotation,
        title: words::STEP_AUTO,
        narration: words::NARRATE_AUTO,
        page: Page::Registry,
        target: "rotation",
        shows: "rotation",
        writes: false,
        scene: None,
    },
    StepDef {
        id: StepId::Revoke,
        title: words::STEP_REVOKE,
        narration: words::NARRATE_REVOKE,
        page: Page::Registry,
        target: "revoke-open",
        shows: "verdict",
        writes: true,
        scene: None,
    },
    StepDef {
        id: StepId::Restore,
        title: words::STEP_RESTORE,
        narration: words::NARRATE_RESTORE,
        page: Page::Registry,
        target: "restore-access",
        shows: "verdict",
        writes: true,
        scene: None,
    },
    StepDef {
        id: StepId::Firewall,
        title: words::STEP_FIREWALL,
        narration: words::NARRATE_FIREWALL,
        page: Page::Registry,
        target: "firewall-open",
        shows: "verdict",
        writes: true,
        scene: Some(words::SCENE_FIREWALL),
    },
];

/// The tour registry's id in `subscription_id`.
pub fn registry_id(subscription_id: &str) -> ResourceId {
    ResourceId::registry(subscription_id, GROUP, REGISTRY).expect("the tour's names make a registry id")
}

/// Where step `def` happens, once the demo subscription is known.
pub fn page_path(def: &StepDef, subscription_id: &str) -> String {
    match def.page {
        Page::Create => crate::routes::CREATE.to_string(),
        Page::Registry => crate::routes::registry_page(&registry_id(subscription_id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use acr_cmk_domain::text::Lang;

    #[test]
    fn eight_steps_each_with_its_own_words_and_an_element_to_outline() {
        assert_eq!(STEPS.len(), 8);
        for lang in Lang::ALL {
            let titles: std::collections::HashSet<&str> = STEPS.iter().map(|s| s.title.get(lang)).collect();
            assert_eq!(titles.len(), STEPS.len(), "every step has its own title in {lang:?}");
        }
        assert!(STEPS.iter().all(|s| !s.target.is_empty() && !s.shows.is_empty()));
        assert_eq!(STEPS[0].id, StepId::Create);
        assert_eq!(STEPS[7].id, StepId::Firewall);
    }

    #[test]
    fn the_steps_happen_on_the_create_page_then_on_the_tour_registrys_page() {
        let sub = "6d6f636b-0000-4000-8000-000000000001";
        assert_eq!(page_path(&STEPS[0], sub), "/create");
        for step in &STEPS[1..] {
            assert_eq!(page_path(step, sub), format!("/subscriptions/{sub}/resourceGroups/rg-acr-demo/registries/contosotour"));
        }
        assert!(registry_id(sub).to_string().ends_with("/providers/Microsoft.ContainerRegistry/registries/contosotour"));
    }
}
