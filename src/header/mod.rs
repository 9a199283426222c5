//! The header: one row from 768 px up (product name, write-mode switch, the
//! [`account`] button, whose menu holds the [`language`] menu; signed out, the language menu alone); below 768 px the switch and the account fold behind a
//! menu button, and a strip says when write mode is on, since the switch is
//! then out of sight.

mod account;
pub mod language;

use leptos::html::{Button, Div};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::menu::close_on_escape_or_outside;
use crate::i18n::catalogue::shell;
use crate::i18n::tr;
use crate::routes;
use crate::session::SessionStore;
use crate::write_mode::{WriteMode, WriteModeSwitch};
use account::AccountMenu;
use language::LanguageSwitch;

/// Product name, and when signed in: write mode and the account.
#[component]
pub fn Header() -> impl IntoView {
    let session = SessionStore::expect();
    view! {
        <header class="topbar">
            <a class="brand" href=routes::HOME>
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">{tr(shell::BRAND)}</span>
            </a>
            <Show when=move || session.is_signed_in()>
                <SignedInTools />
            </Show>
            <Show when=move || !session.is_signed_in()>
                <LanguageSwitch />
            </Show>
        </header>
    }
}

/// The write-mode switch and the account, behind a menu button that only narrow screens show (CSS).
#[component]
fn SignedInTools() -> impl IntoView {
    let mode = WriteMode::expect();
    let open = RwSignal::new(false);
    let root = NodeRef::<Div>::new();
    let button = NodeRef::<Button>::new();
    close_on_escape_or_outside(open, root, button);
    // Following a link in the menu (or anywhere) closes it.
    let location = use_location();
    Effect::watch(move || location.pathname.get(), move |_, _, _| open.set(false), false);

    view! {
        <div class="topbar-end" node_ref=root>
            <button
                type="button"
                class="secondary menu-toggle"
                node_ref=button
                data-testid="header-menu"
                aria-controls="topbar-tools"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span class="menu-icon" aria-hidden="true"></span>
                {tr(shell::MENU)}
            </button>
            <div id="topbar-tools" class="topbar-tools" class:open=move || open.get()>
                <a class="topbar-link" href=routes::FLEET data-testid="nav-fleet">
                    {tr(shell::NAV_FLEET)}
                </a>
                <a class="topbar-link" href=routes::DECODE data-testid="nav-decode">
                    {tr(shell::NAV_DECODE)}
                </a>
                <WriteModeSwitch />
                <AccountMenu />
            </div>
        </div>
        <Show when=move || mode.is_on()>
            <p class="write-flag" data-testid="write-flag">
                {tr(shell::WRITE_FLAG)}
            </p>
        </Show>
    }
}
