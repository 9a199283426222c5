//! Small view pieces shared by the pages.

pub mod chain_diagram;
pub mod copy_button;
pub mod diagnosis;
pub mod error_box;
pub mod identities;
pub mod key_value;
pub mod loading;
pub mod fix_action;
