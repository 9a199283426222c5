use leptos::prelude::*;

use crate::routes;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>
                "This console has no page at this address. "
                <a href=routes::HOME>"Go to the registries"</a>
            </p>
        </section>
    }
}
