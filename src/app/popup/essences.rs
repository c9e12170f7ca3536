//! The group's essence messages: Enter jumps to the message, `delete` takes its essence away.

use crossterm::event::KeyEvent;

use super::super::action::Action;
use super::super::admin::messages;
use super::super::call::Essences;
use super::super::effect::Effect;
use super::super::state::State;
use super::protocol::{Outcome, PopupState};
use super::state::EssenceList;
use super::{Load, Popup};

/// Opens the essence list of `group` and asks for it.
pub fn open(state: &mut State, group: i64, fx: &mut Vec<Effect>) {
    state.popup = Some(Popup::Essences(EssenceList {
        group,
        items: Load::Loading,
        selected: 0,
    }));
    fx.push(Effect::call(Essences { group }));
}

impl EssenceList {
    /// The message id under the cursor.
    fn selected_id(&self) -> Option<i64> {
        self.items
            .ready()
            .and_then(|v| v.get(self.selected))
            .map(|e| e.message_id)
    }
}

impl PopupState for EssenceList {
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
        let todo = match action {
            Some(Action::Activate | Action::Confirm) => self
                .selected_id()
                .map(|id| messages::jump_to(state, self.group, id).map(|()| Outcome::Close)),
            Some(Action::Delete) => self.selected_id().map(|id| {
                messages::remove_essence(state, self.group, id, fx).map(|()| Outcome::Stay)
            }),
            _ => return Outcome::Pass,
        };
        match todo {
            Some(Ok(outcome)) => outcome,
            Some(Err(e)) => {
                state.error(e);
                Outcome::Stay
            }
            None => Outcome::Stay,
        }
    }
}
