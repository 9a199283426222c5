//! ACR customer-managed-key console: a leptos client-side app that signs in
//! with the administrator's own ARM token and calls ARM from the browser.
//!
//! - [`app`]: configuration, session, routes; [`header`]: one row: write mode, the account menu (who, sign out).
//! - [`arm_client`]: the typed ARM client; HTTP and JSON stay there. It takes
//!   its token from a [`arm_client::TokenSource`], which the [`session`] is.
//! - [`session`]: the signed-in session, in memory only; it hands out clients.
//! - [`entra`]: Entra ID sign-in (PKCE) and token refresh.
//! - [`write_mode`]: read-only by default; the switch and the restore records.
//! - [`write_log`]: writes that outlive their dialog, and the notice of how they ended.
//! - [`action_error`]: the one error type views show (`components::error_box` renders it).
//! - [`erased_resource`]: the console's `LocalResource`, its reactive machinery compiled once for all reads.
//! - [`i18n`]: English or Korean: the language, its catalogue of every word shown, dates and numbers.
//! - [`config`]: `config.json` from the host (endpoint, demo sign-in); [`routes`]: the addresses.
//! - [`pages`]: one module per route (the registry page is a feature folder);
//!   [`components`]: widgets used by more than one page.

mod action_error;
mod app;
mod arm_client;
mod clock;
mod components;
mod config;
mod entra;
mod erased_resource;
mod header;
mod hosting;
mod i18n;
mod lazy_route;
mod pages;
mod random;
mod routes;
mod session;
/// The guided demo against the emulator (issue 15).
mod tour;
mod world_changed;
mod write_log;
mod write_mode;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
