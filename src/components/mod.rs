//! Widgets used by more than one page: labelled values, copy buttons, the
//! loading line, the error box, the modal dialog shell, closing a menu. Page-specific parts
//! live beside their page (e.g. `pages::registry`).

pub mod confirm_phrase;
pub mod copy_button;
pub mod dialog;
pub mod error_box;
pub mod key_value;
pub mod loading;
pub mod menu;
