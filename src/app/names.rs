//! Names learned after the fact: a newcomer in a join notice, someone asking to be a friend or
//! to join — known by number only when the notice or request arrives. Their nickname is asked
//! for (`get_stranger_info`) and filled in wherever the number stood.

use crate::onebot::{Error, types};

use super::action::Action;
use super::call::StrangerInfo;
use super::call::reply::Request;
use super::effect::Effect;
use super::inbox::RequestWhat;
use super::keymap::Context;
use super::state::State;

/// Asks for `user`'s nickname when nothing napterm knows names them; `request` is the flag of
/// a request to announce once it is known. Returns whether it asked.
pub fn ask(state: &State, user: i64, request: Option<String>, fx: &mut Vec<Effect>) -> bool {
    if user == 0 || user == state.self_id || state.contacts.user_name(user) != user.to_string() {
        return false;
    }
    fx.push(Effect::call(StrangerInfo { user, request }));
    true
}

/// `text` with `number` as a whole number (not inside a longer one) replaced by `name`.
fn replace_number(text: &str, number: &str, name: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(number) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + number.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(|c| c.is_ascii_digit()) || after.is_some_and(|c| c.is_ascii_digit()) {
            out.push_str(number);
        } else {
            out.push_str(name);
        }
        rest = &rest[at + number.len()..];
    }
    out.push_str(rest);
    out
}

/// `user` is called `nickname`: remembered, and put where only their number was — the member
/// list, the requests inbox, the notice lines about them.
pub fn learn(state: &mut State, user: i64, nickname: &str) {
    let nickname = nickname.trim();
    if nickname.is_empty() {
        return;
    }
    state.contacts.see(user, nickname);
    for ms in state.contacts.members.values_mut() {
        if ms.by_id().get(&user).is_some_and(|m| m.nickname.is_empty())
            && let Some(m) = ms.get_mut(user)
        {
            m.nickname = nickname.to_string();
        }
    }
    for r in state.inbox.items.iter_mut() {
        if r.user_id == user && r.nickname.is_empty() {
            r.nickname = nickname.to_string();
        }
    }
    let number = user.to_string();
    for chat in state.chats.values_mut() {
        chat.timeline.update_notices(|n| {
            if n.actor == Some(user) && n.text.contains(&number) {
                n.text = replace_number(&n.text, &number, nickname);
                true
            } else {
                false
            }
        });
    }
    state.contacts.touch();
}

/// Says in the status line that the request with this flag came in, naming the applicant as
/// well as napterm knows them (the note waits for `get_stranger_info` when nothing did).
pub fn announce_request(state: &mut State, flag: &str) {
    let Some(r) = state.inbox.items.iter().find(|r| r.flag == flag) else {
        return;
    };
    let who = if r.nickname.is_empty() {
        r.user_id.to_string()
    } else {
        format!("{} ({})", r.nickname, r.user_id)
    };
    let kind = match r.what {
        RequestWhat::Friend => "好友申请",
        RequestWhat::Join { .. } => "加群申请",
        RequestWhat::Invite { .. } => "入群邀请",
    };
    let key = state
        .keymap
        .hint(Context::Global, &Action::Requests)
        .map(|k| format!(" ({k} 查看)"))
        .unwrap_or_default();
    state.info(format!("收到{kind}: {who}{key}"));
}

impl Request for StrangerInfo {
    type Output = types::StrangerInfo;

    fn describe(&self) -> &'static str {
        "获取用户资料"
    }

    fn done(self, state: &mut State, info: types::StrangerInfo, _fx: &mut Vec<Effect>) {
        learn(state, self.user, &info.nickname);
        if let Some(flag) = self.request {
            announce_request(state, &flag);
        }
    }

    /// The number stays; a waiting request is announced with it.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        tracing::info!("no name for {}: {e}", self.user);
        if let Some(flag) = self.request {
            announce_request(state, &flag);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_whole_number_is_replaced() {
        assert_eq!(
            replace_number("1234 加入了群聊", "1234", "小明"),
            "小明 加入了群聊"
        );
        assert_eq!(
            replace_number("91234 邀请 1234 加入了群聊", "1234", "小明"),
            "91234 邀请 小明 加入了群聊"
        );
    }
}
