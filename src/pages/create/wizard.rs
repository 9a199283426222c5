//! The flow's state: what was chosen so far, what ARM answered while running,
//! and which step is shown. A context, so each step's component reads it.

use acr_cmk_domain::placement::NameAvailability;
use acr_cmk_domain::registry::Registry;
use acr_cmk_domain::subscription::Subscription;
use acr_cmk_domain::text::Text;
use acr_cmk_domain::writes::creation::{Choices, GroupChoice, IdentityChoice, KeyChoice, Outputs, Rotation, StepKind, VaultChoice};
use leptos::prelude::*;

use crate::action_error::ActionError;
use crate::i18n::catalogue::create as words;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Basics,
    Identity,
    Vault,
    Access,
    Key,
    Review,
    Run,
    Finish,
}

impl Step {
    pub const ALL: [Step; 8] = [Step::Basics, Step::Identity, Step::Vault, Step::Access, Step::Key, Step::Review, Step::Run, Step::Finish];

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn name(self) -> &'static str {
        match self {
            Step::Basics => "basics",
            Step::Identity => "identity",
            Step::Vault => "vault",
            Step::Access => "access",
            Step::Key => "key",
            Step::Review => "review",
            Step::Run => "run",
            Step::Finish => "finish",
        }
    }

    pub fn title(self) -> Text {
        match self {
            Step::Basics => words::STEP_BASICS,
            Step::Identity => words::STEP_IDENTITY,
            Step::Vault => words::STEP_VAULT,
            Step::Access => words::STEP_ACCESS,
            Step::Key => words::STEP_KEY,
            Step::Review => words::STEP_REVIEW,
            Step::Run => words::STEP_RUN,
            Step::Finish => words::STEP_FINISH,
        }
    }

    /// Back goes up to Review; once running, the run decides.
    pub fn previous(self) -> Option<Step> {
        match self {
            Step::Basics | Step::Run | Step::Finish => None,
            s => Some(Step::ALL[s.index() - 1]),
        }
    }

    /// Next through Key; Review's button is Create.
    pub fn next(self) -> Option<Step> {
        match self {
            Step::Review | Step::Run | Step::Finish => None,
            s => Some(Step::ALL[s.index() + 1]),
        }
    }
}

#[derive(Clone, Copy)]
pub struct Wizard {
    pub step: RwSignal<Step>,
    pub subscription: RwSignal<Option<Subscription>>,
    pub group: RwSignal<GroupChoice>,
    pub location: RwSignal<String>,
    pub name: RwSignal<String>,
    /// The availability answer for `name` (`None`: not asked yet, or asking).
    pub availability: RwSignal<Option<(String, NameAvailability)>>,
    pub identity: RwSignal<Option<IdentityChoice>>,
    pub vault: RwSignal<Option<VaultChoice>>,
    pub key: RwSignal<Option<KeyChoice>>,
    pub rotation: RwSignal<Rotation>,
    /// Drawn once: a retried role assignment names the same assignment.
    pub assignment_name: RwSignal<String>,
    pub outputs: RwSignal<Outputs>,
    /// Run as one ARM template deployment instead of step by step.
    pub via_template: RwSignal<bool>,
    /// The steps this run made (done, not found already there), for "Remove what this run
    /// created"; a deletion that ran takes its step out.
    pub created: RwSignal<Vec<StepKind>>,
    /// A deletion of "Remove what this run created" ran: retrying the run, or opening the
    /// registry, no longer makes sense.
    pub removed: RwSignal<bool>,
    /// The registry without CMK this flow was opened from (`/create?from=<id>`), once read.
    pub source: RwSignal<Option<Result<Registry, ActionError>>>,
}

impl Wizard {
    pub fn provide() -> Wizard {
        let wizard = Wizard {
            step: RwSignal::new(Step::Basics),
            subscription: RwSignal::new(None),
            group: RwSignal::new(GroupChoice::New { name: String::new() }),
            location: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            availability: RwSignal::new(None),
            identity: RwSignal::new(None),
            vault: RwSignal::new(None),
            key: RwSignal::new(None),
            rotation: RwSignal::new(Rotation::Versionless),
            assignment_name: RwSignal::new(crate::random::new_guid()),
            outputs: RwSignal::new(Outputs::default()),
            via_template: RwSignal::new(false),
            created: RwSignal::new(Vec::new()),
            removed: RwSignal::new(false),
            source: RwSignal::new(None),
        };
        provide_context(wizard);
        wizard
    }

    pub fn expect() -> Wizard {
        expect_context::<Wizard>()
    }

    pub fn subscription_id(&self) -> Option<String> {
        self.subscription.with(|s| s.as_ref().map(|s| s.subscription_id.clone()))
    }

    /// Whether `name` was answered available (tracked).
    pub fn name_available(&self) -> bool {
        let name = self.name.get();
        self.availability.with(|a| a.as_ref().is_some_and(|(n, answer)| *n == name && answer.name_available))
    }

    /// Everything chosen, once every step has an answer (tracked).
    pub fn choices(&self) -> Option<Choices> {
        self.choices_with(self.key.get())
    }
}

impl Wizard {
    /// [`Wizard::choices`] before a key is chosen: a placeholder new key stands in, as the
    /// Access step only shows the grant (tracked).
    pub fn choices_without_key(&self) -> Option<Choices> {
        self.choices_with(Some(self.key.get().unwrap_or(KeyChoice::New { name: "key-placeholder".into(), size: 2048 })))
    }

    fn choices_with(&self, key: Option<KeyChoice>) -> Option<Choices> {
        let subscription = self.subscription.get()?;
        Some(Choices {
            subscription_id: subscription.subscription_id.clone(),
            tenant_id: subscription.tenant_id.clone().unwrap_or_default(),
            group: self.group.get(),
            location: self.location.get(),
            registry_name: self.name.get(),
            identity: self.identity.get()?,
            vault: self.vault.get()?,
            key: key?,
            rotation: self.rotation.get(),
            assignment_name: self.assignment_name.get(),
        })
    }
}
