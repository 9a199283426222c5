//! Small view pieces shared by the pages.

pub mod chain_diagram;
pub mod copy_button;
pub mod diagnosis;
pub mod error_box;
pub mod firewall_sequence;
pub mod fix_action;
pub mod identities;
pub mod identity_actions;
pub mod key_value;
pub mod loading;
pub mod registry_writes;
pub mod revoke_dialog;
pub mod rotate_dialog;
pub mod write_dialog;
pub mod write_mode;
