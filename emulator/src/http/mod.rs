//! The emulator's small HTTP framework for ARM and Key Vault routes: a route is
//! `(method, template) -> handler`, matched the way ARM matches paths (literal
//! segments ignore case, a scope may span many segments), which axum's router
//! cannot express. Providers build their routes and answer with it; it knows
//! no provider (the route table and the request pipeline are in `router`).

mod request;
mod response;
mod route;

pub use request::{parse_form, percent_decode, Req};
pub use response::{json, page};
pub use route::{find, join, Handler, Match, Route};
