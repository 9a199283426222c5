//! One module per route.

pub mod callback;
pub mod create;
pub mod decode;
pub mod fleet;
pub mod not_found;
pub mod registries;
pub mod registry;
pub mod sign_in;
