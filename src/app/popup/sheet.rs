//! A sheet of label / value rows (`/info`, `/honors`), scrolled by the list keys.

use super::super::call::{GroupDetails, Honors};
use super::super::effect::Effect;
use super::super::state::State;
use super::{Load, Popup, PopupState};

/// Which sheet of facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    /// `/info`: get_group_info + get_group_info_ex.
    Info,
    /// `/honors`: get_group_honor_info.
    Honors,
}

/// A popup of label / value rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub group: i64,
    pub kind: SheetKind,
    pub rows: Load<Vec<(String, String)>>,
    /// The first row shown.
    pub scroll: usize,
}

/// Opens the sheet of this kind for `group` and asks for its rows.
pub fn open(state: &mut State, group: i64, kind: SheetKind, fx: &mut Vec<Effect>) {
    state.popup = Some(Popup::Sheet(Sheet {
        group,
        kind,
        rows: Load::Loading,
        scroll: 0,
    }));
    fx.push(Effect::Call(match kind {
        SheetKind::Info => GroupDetails { group }.into(),
        SheetKind::Honors => Honors { group }.into(),
    }));
}

impl PopupState for Sheet {
    fn list(&mut self, _state: &State) -> Option<(&mut usize, usize)> {
        let len = self.rows.count();
        Some((&mut self.scroll, len))
    }
}
