//! The reaction picker (`+`): a search field over the QQ faces and emoji (by name, pinyin, id or
//! the emoji itself), the recently used first; Enter reacts, or takes back a reaction of yours.

use crossterm::event::KeyEvent;

use super::super::action::Action;
use super::super::effect::Effect;
use super::super::reactions::{self, Choice};
use super::super::state::State;
use super::protocol::{Outcome, PopupState};
use super::state::ReactionPicker;

impl ReactionPicker {
    /// What the query finds, the recently used first.
    pub fn matches(&self, state: &State) -> Vec<Choice> {
        reactions::matches(state, &self.query)
    }

    /// Reacts with the choice under the cursor; the picker closes either way.
    fn choose(&self, state: &mut State, fx: &mut Vec<Effect>) -> Outcome {
        if let Some(c) = self.matches(state).get(self.selected).copied() {
            reactions::toggle(state, self.peer, self.id, c, fx);
        }
        Outcome::Close
    }
}

impl PopupState for ReactionPicker {
    fn field(&mut self) -> Option<&mut String> {
        Some(&mut self.query)
    }

    fn edited(&mut self) {
        self.selected = 0;
    }

    fn list(&mut self, state: &State) -> Option<(&mut usize, usize)> {
        let len = self.matches(state).len();
        Some((&mut self.selected, len))
    }

    fn key(
        &mut self,
        state: &mut State,
        _key: &KeyEvent,
        action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        match action {
            Some(Action::Activate | Action::Confirm) => self.choose(state, fx),
            _ => Outcome::Pass,
        }
    }

    fn submit(&mut self, state: &mut State, fx: &mut Vec<Effect>) -> Outcome {
        self.choose(state, fx)
    }
}
