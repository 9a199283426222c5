//! Pure domain logic of the ACR customer-managed-key console.
//!
//! Everything here compiles for the host and for `wasm32-unknown-unknown` and
//! knows nothing about browsers or servers, so `cargo test -p acr-cmk-domain`
//! covers it natively:
//!
//! - [`activity_log`]: who changed what, when: Activity Log events, the list request, the timeline and a failing check's likely cause.
//! - [`arm`]: the ARM envelope — errors, `nextLink` pages, api-versions, resource ids.
//! - [`registry`], [`identity`], [`subscription`]: typed models mirroring ARM JSON.
//! - [`key_id`]: Key Vault key identifiers (versioned / versionless, `:443` tolerant).
//! - [`token`]: reading a pasted bearer token and checking it before anything is sent.
//! - [`requests`]: the exact requests the console sends, as data.
//! - [`entra`]: Entra ID sign-in with PKCE: challenge, authorize URL, redirect and token answers, refresh timing.
//! - [`endpoint`]: the ARM endpoint URL, and the origin check that keeps the token on it.
//! - [`response`]: ARM's answers read into typed values or one `ClientError`.
//! - [`retry`]: which reads to try again after a transient failure, and when.
//! - [`encryption`]: the encryption status in words a helpdesk can read.
//! - [`vault`], [`key`], [`role_assignment`]: Key Vault and RBAC models (ARM and data plane).
//! - [`permissions`]: what the signed-in caller may do: the permissions API, the action a request needs, built-in roles.
//! - [`placement`]: where a new registry can go: resource groups, the provider's locations, name availability.
//! - [`diagnosis`]: can a registry reach its key: ordered checks, fixes, one verdict.
//! - [`diagnose_many`]: the fleet's "Diagnose many": which registries, reads shared between them, the concurrency bound, progress, cancel.
//! - [`read_trace`]: the ids of the ARM reads an answer rests on; [`report`]: the ticket report (Markdown, JSON).
//! - [`decoder`]: an error message pasted from the portal, the CLI, docker or ARM, recognised and explained.
//! - [`rotation_health`]: the version in use against the newest, expiry, Key Vault's rotation policy.
//! - [`text`]: the console's words in English and Korean ([`text::Text`]), and the browser's language.
//! - [`fleet`], [`fleet_view`]: every registry of the tenant from Resource Graph, joined and flagged; one view of it (search, filters, sort) as its URL says.
//! - [`migration`]: the way out for a registry without CMK: a suggested name for its CMK successor, the `az acr import` script.
//! - [`writes`]: every write the console makes, as previewable requests with their `az` equivalents.

pub mod activity_log;
pub mod arm;
pub mod decoder;
pub mod diagnose_many;
pub mod diagnosis;
pub mod encryption;
pub mod endpoint;
pub mod entra;
pub mod fleet;
pub mod fleet_view;
pub mod identity;
pub mod key;
pub mod key_id;
pub mod migration;
pub mod permissions;
pub mod placement;
pub mod read_trace;
pub mod registry;
pub mod report;
pub mod requests;
pub mod resource_graph;
pub mod response;
pub mod retry;
pub mod role_assignment;
pub mod rotation_health;
pub mod subscription;
pub mod text;
pub mod token;
pub mod url_component;
pub mod vault;
pub mod vault_location;
pub mod writes;
