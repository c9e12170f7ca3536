//! The group's muted members with the time left; `unmute` lifts the selected member's mute.

use crossterm::event::KeyEvent;

use super::super::action::Action;
use super::super::admin::members;
use super::super::call::ShutList;
use super::super::effect::Effect;
use super::super::state::State;
use super::protocol::{Outcome, PopupState};
use super::state::MuteList;
use super::{Load, Popup};

/// Opens the mute list of `group` and asks for it.
pub fn open(state: &mut State, group: i64, fx: &mut Vec<Effect>) {
    state.popup = Some(Popup::Mutes(MuteList {
        group,
        items: Load::Loading,
        selected: 0,
    }));
    fx.push(Effect::call(ShutList { group }));
}

impl PopupState for MuteList {
    fn list(&mut self, _state: &State) -> Option<(&mut usize, usize)> {
        let len = self.items.count();
        Some((&mut self.selected, len))
    }

    fn key(
        &mut self,
        state: &mut State,
        _key: &KeyEvent,
        action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        if action != Some(&Action::Unmute) {
            return Outcome::Pass;
        }
        if let Some(e) = self.items.ready().and_then(|v| v.get(self.selected))
            && let Err(e) = members::unmute(state, self.group, &[e.uin], fx)
        {
            state.error(e);
        }
        Outcome::Stay
    }
}
