//! The group's notices: each with its head and first line, the selected one in full; `delete`
//! asks first, then deletes.

use crossterm::event::KeyEvent;

use crate::onebot::types::GroupNotice;

use super::super::action::Action;
use super::super::admin::group;
use super::super::call::Notices;
use super::super::effect::Effect;
use super::super::state::State;
use super::protocol::{Outcome, PopupState};
use super::state::NoticeList;
use super::{Load, Popup};

/// Opens the notice list of `group` and asks for it.
pub fn open(state: &mut State, group: i64, fx: &mut Vec<Effect>) {
    state.popup = Some(Popup::Notices(NoticeList {
        group,
        items: Load::Loading,
        selected: 0,
        pending: None,
    }));
    fx.push(Effect::call(Notices { group }));
}

impl NoticeList {
    fn notice(&self, i: usize) -> Option<&GroupNotice> {
        self.items.ready().and_then(|v| v.get(i))
    }
}

impl PopupState for NoticeList {
    /// The list keys wait while a delete is asked about.
    fn list(&mut self, _state: &State) -> Option<(&mut usize, usize)> {
        let len = self.items.count();
        self.pending.is_none().then_some((&mut self.selected, len))
    }

    fn key(
        &mut self,
        state: &mut State,
        _key: &KeyEvent,
        action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        match action {
            Some(Action::Activate | Action::Confirm) => {
                if let Some(i) = self.pending.take()
                    && let Some(n) = self.notice(i)
                {
                    group::delete_notice(self.group, &n.notice_id, fx);
                }
            }
            Some(Action::Delete) if self.pending.is_none() => {
                let Some(author) = self.notice(self.selected).map(|n| n.sender_id) else {
                    return Outcome::Stay;
                };
                match group::may_delete_notice(state, self.group, author, fx) {
                    Ok(()) => self.pending = Some(self.selected),
                    Err(e) => state.error(e),
                }
            }
            _ => return Outcome::Pass,
        }
        Outcome::Stay
    }

    /// A delete waiting for its confirmation is cancelled; else the list closes.
    fn deny(&mut self, state: &mut State) -> Outcome {
        if self.pending.take().is_some() {
            state.info("已取消");
            return Outcome::Stay;
        }
        Outcome::Close
    }
}
