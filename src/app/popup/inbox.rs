//! The requests inbox popup: the pending friend and group requests, answered with `accept` and
//! `reject`, with a remark or a reason typed where QQ takes one.

use crossterm::event::KeyEvent;

use super::super::action::Action;
use super::super::effect::Effect;
use super::super::keymap::Context;
use super::super::requests;
use super::super::state::State;
use super::Popup;
use super::protocol::{Outcome, PopupState};
use super::state::InboxView;

/// Opens the inbox and asks for the group requests again.
pub fn open(state: &mut State, fx: &mut Vec<Effect>) {
    state.popup = Some(Popup::Inbox(InboxView::default()));
    requests::refresh(fx);
}

impl PopupState for InboxView {
    fn field(&mut self) -> Option<&mut String> {
        self.input.as_mut().map(|i| &mut i.text)
    }

    fn list(&mut self, state: &State) -> Option<(&mut usize, usize)> {
        let len = state.inbox.items.len();
        self.input.is_none().then_some((&mut self.selected, len))
    }

    fn key(
        &mut self,
        state: &mut State,
        _key: &KeyEvent,
        action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        let result = match action {
            Some(Action::Accept) => requests::accept_selected(state, self, fx),
            Some(Action::Reject) => requests::reject_selected(state, self, fx),
            Some(Action::Activate | Action::Confirm) => {
                let keys = state.keymap.hint_items(
                    Context::Popup,
                    &[(Action::Accept, "同意"), (Action::Reject, "拒绝")],
                );
                state.info(keys.join(" · "));
                Ok(())
            }
            _ => return Outcome::Pass,
        };
        if let Err(e) = result {
            state.error(e);
        }
        Outcome::Stay
    }

    /// Enter in the remark or reason: the answer goes out, with the text when there is some.
    fn submit(&mut self, state: &mut State, fx: &mut Vec<Effect>) -> Outcome {
        if let Some(i) = self.input.take() {
            let text = i.text.trim();
            let text = (!text.is_empty()).then(|| text.to_string());
            if let Err(e) = requests::answer(state, &i.flag, i.approve, text, fx) {
                state.error(e);
            }
        }
        Outcome::Stay
    }

    /// Out of the remark or reason back to the list; from the list, closed.
    fn deny(&mut self, _state: &mut State) -> Outcome {
        if self.input.take().is_some() {
            return Outcome::Stay;
        }
        Outcome::Close
    }
}
