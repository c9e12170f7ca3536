//! A sheet of label / value rows (`/info`, `/honors`), scrolled by the list keys.

use super::super::call::{GroupDetails, Honors};
use super::super::effect::Effect;
use super::super::state::State;
use super::protocol::PopupState;
use super::state::{Sheet, SheetKind};
use super::{Load, Popup};

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
