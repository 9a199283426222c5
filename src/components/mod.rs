//! Small view pieces shared by the pages.

pub mod copy_button;
pub mod error_box;
pub mod key_value;
pub mod loading;
