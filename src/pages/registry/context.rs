//! What the registry page provides to the parts deep inside it (a check's fix
//! button, say): the registry as last read, and how to read it again.

use acr_cmk_domain::registry::Registry;
use leptos::prelude::*;

#[derive(Clone)]
pub struct RegistryContext {
    /// The registry as last read.
    pub registry: Registry,
    /// Re-reads the registry, which re-runs the diagnosis (call after a write).
    pub refresh: Callback<()>,
}
