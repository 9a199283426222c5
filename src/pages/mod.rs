//! One module per route. Every page but sign-in and "not found" is a wasm chunk
//! of its own (issue 14: `#[lazy]`, split out by scripts/build_split.sh); [`preload`] fetches the one
//! a page load will need while the console starts.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

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

/// A route's view: every lazily loaded page has this one type, so the router's route machinery
/// (`ProtectedRoute`'s Transition, redirect and nested route) is compiled once per path shape rather
/// than once per page (issue 14).
pub type RouteView = fn() -> AnyView;

/// What the router shows for a lazily loaded page: `page` (its `#[lazy]` function's future) in a
/// `Suspend`, so the route's `Transition` shows nothing until the chunk has come and the page is built.
/// The future is boxed so that every page shares one `Suspend` type and its rendering code.
pub fn lazy_route(page: impl Future<Output = AnyView> + Send + 'static) -> AnyView {
    let page: Pin<Box<dyn Future<Output = AnyView> + Send>> = Box::pin(page);
    Suspend::new(page).into_any()
}
