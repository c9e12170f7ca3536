//! Leaving (or, for the owner, dismissing) a group: its name or number must be typed.

use super::super::admin::group;
use super::super::effect::Effect;
use super::super::state::State;
use super::protocol::{Outcome, PopupState};
use super::state::LeaveConfirm;

impl PopupState for LeaveConfirm {
    fn field(&mut self) -> Option<&mut String> {
        Some(&mut self.typed)
    }

    fn submit(&mut self, state: &mut State, fx: &mut Vec<Effect>) -> Outcome {
        let typed = self.typed.trim();
        let matches =
            typed == self.group.to_string() || (!self.name.is_empty() && typed == self.name);
        if !matches {
            self.error = Some("输入的不是群名或群号".into());
            return Outcome::Stay;
        }
        group::leave_now(state, self.group, self.dismiss, fx);
        Outcome::Close
    }

    fn deny(&mut self, state: &mut State) -> Outcome {
        state.info("已取消");
        Outcome::Close
    }
}
