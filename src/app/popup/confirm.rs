//! A confirmation: says exactly what will happen; yes does it, no cancels.

use crossterm::event::KeyEvent;

use super::super::action::Action;
use super::super::effect::Effect;
use super::super::state::State;
use super::protocol::{Outcome, PopupState};
use super::state::Confirm;

impl PopupState for Confirm {
    fn key(
        &mut self,
        _state: &mut State,
        _key: &KeyEvent,
        action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        match action {
            Some(Action::Confirm | Action::Activate) => {
                fx.append(&mut self.on_yes);
                Outcome::Close
            }
            _ => Outcome::Pass,
        }
    }

    fn deny(&mut self, state: &mut State) -> Outcome {
        state.info("已取消");
        Outcome::Close
    }
}
