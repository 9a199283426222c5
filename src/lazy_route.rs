//! A lazily loaded page's route view (issue 14). Every page whose code is a wasm chunk of its own
//! (`#[lazy]`) is shown the same way and has the same type, so the router's route machinery and
//! leptos' `Suspend` are compiled once rather than once per page. Apart from `pages`, whose pages
//! use it and whose routes `app` lists with it.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

/// A route's view: every lazily loaded page has this one type, so the router's route machinery
/// (`ProtectedRoute`'s Transition, redirect and nested route) is compiled once per path shape rather
/// than once per page.
pub type RouteView = fn() -> AnyView;

/// What the router shows for a lazily loaded page: `page` (its `#[lazy]` function's future) in a
/// `Suspend`, so the route's `Transition` shows nothing until the chunk has come and the page is built.
/// The future is boxed so that every page shares one `Suspend` type and its rendering code.
pub fn view(page: impl Future<Output = AnyView> + Send + 'static) -> AnyView {
    let page: Pin<Box<dyn Future<Output = AnyView> + Send>> = Box::pin(page);
    Suspend::new(page).into_any()
}
