//! Calls about friend and group requests: fetching the group system messages, answering one.

use crate::onebot::Error;
use crate::onebot::types::GroupSystemMsg;

use super::super::admin::AdminPopup;
use super::super::admin::audit::{AuditLine, quoted};
use super::super::effect::Effect;
use super::super::requests;
use super::super::state::State;
use super::contacts::Groups;
use super::{Request, admin_popup, show_failure};

/// `get_group_system_msg`, or `get_group_ignored_notifies` (requests QQ filtered) when
/// `filtered`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRequests {
    pub filtered: bool,
}

impl Request for GroupRequests {
    type Output = GroupSystemMsg;

    fn describe(&self) -> &'static str {
        "获取加群请求"
    }

    fn done(self, state: &mut State, msg: GroupSystemMsg, _fx: &mut Vec<Effect>) {
        requests::on_system(state, msg, self.filtered);
    }

    /// Shown only while the inbox is open, and not when the server lacks the call.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        // Other OneBot servers lack these: the inbox then has only what events bring.
        let inbox_open = matches!(admin_popup(state), Some(AdminPopup::Inbox(_)));
        if inbox_open && !matches!(e, Error::UnknownAction { .. }) {
            show_failure(state, self.describe(), &e);
        } else {
            tracing::info!("group requests unavailable: {}", super::short_reason(&e));
        }
    }
}

/// `set_friend_add_request` (`group` None) or `set_group_add_request`. `text` is the friend's
/// remark when accepting a friend, the reason when rejecting a group request.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRequest {
    pub flag: String,
    pub user: i64,
    pub group: Option<i64>,
    pub approve: bool,
    pub text: Option<String>,
}

impl Request for AnswerRequest {
    type Output = ();

    fn describe(&self) -> &'static str {
        if self.approve {
            "同意请求"
        } else {
            "拒绝请求"
        }
    }

    fn audit(&self, state: &State) -> Option<AuditLine> {
        let verb = if self.approve { "accept" } else { "reject" };
        let action = match (&self.text, self.approve) {
            (Some(t), true) => format!("{verb} remark={}", quoted(t)),
            (Some(t), false) => format!("{verb} reason={}", quoted(t)),
            (None, _) => verb.to_string(),
        };
        let kind = if self.group.is_some() {
            "group"
        } else {
            "friend"
        };
        // The name the inbox showed: the request's own, else whatever napterm knows.
        let name = state
            .inbox
            .items
            .iter()
            .find(|r| r.flag == self.flag && !r.nickname.is_empty())
            .map(|r| r.nickname.clone())
            .unwrap_or_else(|| state.contacts.user_name(self.user));
        Some(AuditLine {
            group: self.group,
            action: format!("{action} ({kind} request)"),
            target: format!("{} ({name})", self.user),
        })
    }

    fn done(self, state: &mut State, _out: (), fx: &mut Vec<Effect>) {
        requests::on_answered(state, &self.flag, self.approve, Ok(()));
        if self.approve && self.group.is_some() {
            // An accepted invitation adds a group.
            fx.push(Effect::call(Groups));
        }
    }

    /// The request stays in the inbox, answerable again.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        requests::on_answered(state, &self.flag, false, Err(&e));
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::inbox::{PendingRequest, RequestWhat};
    use super::super::super::keymap::Keymap;
    use super::super::super::state::{Popup, Settings};
    use super::*;

    fn state() -> State {
        State::new(Settings::default(), Keymap::default_map())
    }

    #[test]
    fn servers_without_group_system_messages_are_not_an_error() {
        let mut s = state();
        let mut fx = Vec::new();
        s.popup = Some(Popup::Admin(AdminPopup::Inbox(Default::default())));
        let missing = Error::UnknownAction {
            action: "get_group_system_msg".into(),
        };
        GroupRequests { filtered: false }.failed(&mut s, missing, &mut fx);
        assert_eq!(s.status.error, None);
        // Any other failure while the inbox is open is shown.
        let down = Error::Transport("closed".into());
        GroupRequests { filtered: false }.failed(&mut s, down, &mut fx);
        assert!(
            s.status
                .error
                .as_deref()
                .is_some_and(|e| e.contains("未连接"))
        );
    }

    #[test]
    fn a_failed_answer_keeps_the_request_and_says_why() {
        let mut s = state();
        let mut fx = Vec::new();
        s.inbox.add(PendingRequest {
            flag: "f".into(),
            what: RequestWhat::Friend,
            user_id: 5,
            nickname: String::new(),
            group_name: String::new(),
            comment: String::new(),
            time: None,
            filtered: false,
            answering: true,
        });
        let call = AnswerRequest {
            flag: "f".into(),
            user: 5,
            group: None,
            approve: true,
            text: None,
        };
        let e = Error::ActionFailed {
            action: "set_friend_add_request".into(),
            retcode: 200,
            message: "No such request".into(),
        };
        call.failed(&mut s, e, &mut fx);
        assert_eq!(s.inbox.items.len(), 1);
        assert!(!s.inbox.items[0].answering, "it can be answered again");
        assert!(
            s.status
                .error
                .as_deref()
                .is_some_and(|e| e.contains("No such request"))
        );
    }
}
