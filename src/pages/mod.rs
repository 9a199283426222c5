//! One module per route. Every page but sign-in and "not found" is a wasm chunk
//! of its own (issue 14: `#[lazy]`, split out by scripts/build_split.sh); [`preload`] fetches the one
//! a page load will need while the console starts.

use crate::routes::LazyPage;

pub mod callback;
pub mod create;
pub mod decode;
pub mod fleet;
pub mod not_found;
pub mod registries;
pub mod registry;
pub mod sign_in;

/// Starts fetching the chunk of `page`, so that it is there (or on its way) by the time sign-in is done
/// and the router shows the page, instead of being asked for only then.
pub fn preload(page: LazyPage) {
    leptos::task::spawn_local(async move {
        match page {
            LazyPage::Callback => callback::__preload_callback_page().await,
            LazyPage::Registries => registries::__preload_registries_page().await,
            LazyPage::Registry => registry::__preload_registry_page().await,
            LazyPage::Fleet => fleet::__preload_fleet_page().await,
            LazyPage::Decode => decode::__preload_decode_page().await,
            LazyPage::Create => create::__preload_create_page().await,
        }
    });
}
