//! Calls on messages: recalling one, essence messages.

use crate::onebot::types::EssenceMessage;
use crate::onebot::{Error, Peer};

use super::super::admin::audit::{self, AuditLine, on_off};
use super::super::effect::Effect;
use super::super::popup::Load;
use super::super::popup::Popup;
use super::super::state::State;
use super::{Request, admin_popup_mut};

/// `delete_msg`; `author` wrote the message (for the audit log when it is someone else).
#[derive(Debug, Clone, PartialEq)]
pub struct Recall {
    pub peer: Peer,
    pub id: i64,
    pub author: i64,
}

impl Request for Recall {
    type Output = ();

    fn describe(&self) -> &'static str {
        "撤回"
    }

    /// Recalling someone else's message in a group is moderation; one's own is not.
    fn audit(&self, state: &State) -> Option<AuditLine> {
        match self.peer {
            Peer::Group(g) if self.author != state.self_id => Some(AuditLine::group(
                g,
                "recall",
                format!(
                    "message {} of {}",
                    self.id,
                    audit::member(state, g, self.author)
                ),
            )),
            _ => None,
        }
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let me = state.self_id;
        state
            .chat_mut(self.peer)
            .timeline
            .update_by_id(self.id, |m| m.recalled_by = Some(me));
        state.info("已撤回");
    }
}

/// `set_essence_msg` (`on`) or `delete_essence_msg`.
#[derive(Debug, Clone, PartialEq)]
pub struct SetEssence {
    pub group: i64,
    pub id: i64,
    pub on: bool,
}

impl Request for SetEssence {
    type Output = ();

    fn describe(&self) -> &'static str {
        if self.on {
            "设为精华"
        } else {
            "取消精华"
        }
    }

    fn audit(&self, _state: &State) -> Option<AuditLine> {
        Some(AuditLine::group(
            self.group,
            format!("essence {}", on_off(self.on)),
            format!("message {}", self.id),
        ))
    }

    fn done(self, state: &mut State, _out: (), fx: &mut Vec<Effect>) {
        let SetEssence { group, id, on } = self;
        state
            .chat_mut(Peer::Group(group))
            .timeline
            .update_by_id(id, |m| m.essence = on);
        if let Some(Popup::Essences(l)) = admin_popup_mut(state)
            && l.group == group
        {
            fx.push(Effect::call(Essences { group }));
        }
        state.info(if on {
            "已设为精华消息"
        } else {
            "已取消精华消息"
        });
    }
}

/// `get_essence_msg_list`, for the essence list.
#[derive(Debug, Clone, PartialEq)]
pub struct Essences {
    pub group: i64,
}

impl Request for Essences {
    type Output = Vec<EssenceMessage>;

    fn describe(&self) -> &'static str {
        "获取精华消息"
    }

    fn done(self, state: &mut State, list: Vec<EssenceMessage>, _fx: &mut Vec<Effect>) {
        if let Some(Popup::Essences(l)) = admin_popup_mut(state)
            && l.group == self.group
        {
            l.selected = l.selected.min(list.len().saturating_sub(1));
            l.items = Load::Ready(list);
        }
    }

    /// The list shows the reason.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        if let Some(Popup::Essences(l)) = admin_popup_mut(state)
            && l.group == self.group
        {
            l.items = Load::Failed(super::short_reason(&e));
        }
    }
}
