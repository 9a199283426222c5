//! The yardstick for the console's size (issue 14): a minimal leptos CSR app with what every console
//! page stands on (the router with two routes, a JSON fetch through gloo-net into a serde model, a
//! signal), built with the console's own release profile and `--cfg erase_components`, unsplit, by
//! trunk's own pipeline. `scripts/bench.sh` builds it and `benches/page_load.rs` prints the console's
//! first load next to it, as a ratio. Not shipped, not tested: a measurement only.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Config {
    arm_endpoint: String,
}

async fn load() -> Result<Config, String> {
    let response = gloo_net::http::Request::get("/config.json").send().await.map_err(|e| e.to_string())?;
    response.json::<Config>().await.map_err(|e| e.to_string())
}

#[component]
fn Home() -> impl IntoView {
    let config = LocalResource::new(load);
    let clicks = RwSignal::new(0);
    view! {
        <h1>"Home"</h1>
        <Suspense fallback=|| "loading">
            {move || config.get().map(|c| match c {
                Ok(c) => c.arm_endpoint,
                Err(e) => e,
            })}
        </Suspense>
        <button on:click=move |_| clicks.update(|n| *n += 1)>{move || clicks.get()}</button>
        <A href="/about">"About"</A>
    }
}

#[component]
fn About() -> impl IntoView {
    view! { <h1>"About"</h1> <A href="/">"Home"</A> }
}

fn main() {
    leptos::mount::mount_to_body(|| {
        view! {
            <Router>
                <Routes fallback=|| "not found">
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/about") view=About />
                </Routes>
            </Router>
        }
    });
}
