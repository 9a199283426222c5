//! ACR customer-managed-key console: a leptos client-side app that signs in
//! with the administrator's own ARM token and calls ARM from the browser.
//!
//! - [`app`]: configuration, session, header and routes.
//! - [`arm_client`]: the typed ARM client; HTTP and JSON stay there.
//! - [`session`]: the signed-in session, in memory only.
//! - [`config`]: `config.json` from the host (endpoint, demo sign-in).
//! - [`pages`]: one module per route; [`components`]: small shared pieces.

mod app;
mod arm_client;
mod clock;
mod components;
mod config;
mod entra;
mod pages;
mod routes;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
