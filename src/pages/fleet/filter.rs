//! One filter of the fleet view: CMK on/off or a posture flag. The filter chips
//! and the summary chart's bars are two faces of the same filters.

use acr_cmk_domain::fleet::Flag;
use acr_cmk_domain::fleet_view::FleetView;
use acr_cmk_domain::text::Text;

use crate::i18n::catalogue::fleet as words;

#[derive(Clone, Copy)]
pub(super) enum Filter {
    Cmk(bool),
    Flag(Flag),
}

impl Filter {
    pub(super) fn label(self) -> Text {
        match self {
            Filter::Cmk(true) => words::CMK_ON,
            Filter::Cmk(false) => words::CMK_OFF,
            Filter::Flag(f) => f.words(),
        }
    }

    /// `cmk-on` / `cmk-off` / `flag-<key>`: the end of the chip's and the bar's test ids.
    pub(super) fn key(self) -> String {
        match self {
            Filter::Cmk(on) => format!("cmk-{}", if on { "on" } else { "off" }),
            Filter::Flag(f) => format!("flag-{}", f.key()),
        }
    }

    pub(super) fn active(self, v: &FleetView) -> bool {
        match self {
            Filter::Cmk(on) => v.cmk == Some(on),
            Filter::Flag(f) => v.flag == Some(f),
        }
    }

    /// The view with this filter toggled.
    pub(super) fn toggle(self, v: FleetView) -> FleetView {
        match self {
            Filter::Cmk(on) => FleetView { cmk: (v.cmk != Some(on)).then_some(on), ..v },
            Filter::Flag(f) => FleetView { flag: (v.flag != Some(f)).then_some(f), ..v },
        }
    }
}
