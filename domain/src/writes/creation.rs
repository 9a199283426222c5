//! Creating a registry with a customer-managed key: the seed's whole setup
//! (resource group, user-assigned identity, key vault with purge protection,
//! the identity's access to the key, an RSA key, the Premium registry naming
//! the key and the identity's **client** id) as one ordered plan.
//!
//! - [`choices`]: what the user picked, and what the service would refuse, with the reason.
//! - [`plan`]: the ordered ARM requests, each with the read that tells whether it already happened.
//! - [`removal`]: "Remove what this run created": the deletions that take a run back, newest first.
//! - [`review`]: the planned chain through the same key-access diagnosis as the registry page.
//! - [`script`]: the same setup as an `az` script (today's flags, runnable as it is).
//! - [`template`], [`bicep`], [`terraform`]: the same setup as an ARM template, Bicep and Terraform.
//! - [`deployment`]: the template sent as one ARM deployment, and its answers.

pub mod bicep;
pub mod choices;
pub mod deployment;
pub mod plan;
pub mod removal;
pub mod review;
pub mod script;
pub mod template;
pub mod terraform;

pub use bicep::bicep;
pub use choices::{Choices, GroupChoice, IdentityChoice, KeyChoice, Rotation, VaultChoice};
pub use plan::{plan, CreationPlan, CreationStep, Outputs, StepKind};
pub use removal::{removal_plan, RemovalPlan, RemovalStep};
pub use review::{ready, review};
pub use script::az_script;
pub use template::{arm_template, arm_template_text, deployment_parameters, parameters_from_form, template_parameters, TemplateParameter};
pub use terraform::terraform;
