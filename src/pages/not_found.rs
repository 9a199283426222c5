use leptos::prelude::*;

use crate::i18n::catalogue::home;
use crate::i18n::tr;
use crate::routes;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>{tr(home::NOT_FOUND)}</h1>
            <p>
                {tr(home::NOT_FOUND_TEXT)}
                " "
                <a href=routes::HOME>{tr(home::GO_HOME)}</a>
            </p>
        </section>
    }
}
