//! The help overlay: every key per context and every command, scrolled by the list keys.

use crossterm::event::KeyEvent;

use super::super::action::Action;
use super::super::effect::Effect;
use super::super::state::State;
use super::protocol::{Outcome, PopupState};
use super::state::HelpView;

impl HelpView {
    fn scroll_by(&mut self, n: i32) {
        self.scroll = (self.scroll as i32)
            .saturating_add(n)
            .clamp(0, u16::MAX as i32) as u16;
    }
}

impl PopupState for HelpView {
    fn key(
        &mut self,
        state: &mut State,
        _key: &KeyEvent,
        action: Option<&Action>,
        _fx: &mut Vec<Effect>,
    ) -> Outcome {
        match action {
            // The key that opened it closes it.
            Some(Action::Help) => Outcome::Close,
            Some(Action::Move(n)) => {
                self.scroll_by(*n);
                Outcome::Stay
            }
            Some(Action::Page(n)) => {
                let page = state.size.1.saturating_sub(6) as i32;
                self.scroll_by(n.saturating_mul(page));
                Outcome::Stay
            }
            _ => Outcome::Pass,
        }
    }
}
