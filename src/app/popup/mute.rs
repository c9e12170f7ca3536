//! The mute duration picker: the presets by number or by the list keys, or "自定义…" and a typed
//! duration.

use crossterm::event::KeyEvent;

use super::super::action::Action;
use super::super::admin::{duration, members};
use super::super::effect::Effect;
use super::super::input::printable;
use super::super::state::State;
use super::protocol::{Outcome, PopupState};
use super::state::MutePicker;

impl MutePicker {
    /// The choices: the presets and "自定义…".
    pub fn choices() -> usize {
        duration::PRESETS.len() + 1
    }

    /// Takes the choice under the cursor: a preset mutes (or asks first), "自定义…" starts
    /// typing.
    fn choose(&mut self, state: &mut State, fx: &mut Vec<Effect>) -> Outcome {
        match duration::PRESETS.get(self.selected) {
            Some(&(_, secs)) => {
                if let Err(e) = members::mute(state, self.group, &self.targets, secs, fx) {
                    state.error(e);
                }
                Outcome::Close
            }
            None => {
                self.custom = Some(String::new());
                self.error = None;
                Outcome::Stay
            }
        }
    }
}

impl PopupState for MutePicker {
    fn field(&mut self) -> Option<&mut String> {
        self.custom.as_mut()
    }

    fn list(&mut self, _state: &State) -> Option<(&mut usize, usize)> {
        self.custom
            .is_none()
            .then_some((&mut self.selected, Self::choices()))
    }

    fn key(
        &mut self,
        state: &mut State,
        key: &KeyEvent,
        action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        // Digits pick a choice directly.
        if let Some(d) = printable(key).and_then(|c| c.to_digit(10)) {
            let i = d as usize;
            if (1..=Self::choices()).contains(&i) {
                self.selected = i - 1;
                return self.choose(state, fx);
            }
            return Outcome::Stay;
        }
        match action {
            Some(Action::Activate | Action::Confirm) => self.choose(state, fx),
            _ => Outcome::Pass,
        }
    }

    fn submit(&mut self, state: &mut State, fx: &mut Vec<Effect>) -> Outcome {
        let text = self.custom.as_deref().unwrap_or_default();
        match duration::parse(text) {
            Ok(secs) => {
                if let Err(e) = members::mute(state, self.group, &self.targets, secs, fx) {
                    state.error(e);
                }
                Outcome::Close
            }
            Err(e) => {
                self.error = Some(e);
                Outcome::Stay
            }
        }
    }

    /// Out of the typed duration back to the presets; from the presets, closed.
    fn deny(&mut self, state: &mut State) -> Outcome {
        if self.custom.is_some() {
            self.custom = None;
            self.error = None;
            return Outcome::Stay;
        }
        state.info("已取消");
        Outcome::Close
    }
}
