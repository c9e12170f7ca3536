//! The requests inbox at work: filled from request events and from `get_group_system_msg` /
//! `get_group_ignored_notifies` / `get_doubt_friends_add_request` (friend requests QQ filtered
//! as risky, which can only be accepted), opened as a popup, its requests answered.

use crate::onebot::types::{DoubtFriendRequest, GroupSystemMsg, GroupSystemRequest};
use crate::onebot::{Error, RequestKind};

use super::admin::audit::{AuditLine, quoted};
use super::call::reply::{Request, show_failure};
use super::call::{AcceptDoubt, AnswerRequest, DoubtRequests, Friends, GroupRequests, Groups};

use super::effect::Effect;
use super::inbox::{PendingRequest, RequestWhat};
use super::popup::Popup;
use super::popup::{InboxInput, InboxView};
use super::state::State;
use super::text::short_reason;

/// A request event: into the inbox (once per flag), with a note in the status line — once its
/// applicant's name is known.
pub fn on_event(state: &mut State, r: crate::onebot::Request, fx: &mut Vec<Effect>) {
    let what = match r.kind {
        RequestKind::Friend => RequestWhat::Friend,
        RequestKind::GroupAdd { group_id } => RequestWhat::Join { group: group_id },
        RequestKind::GroupInvite { group_id } => RequestWhat::Invite { group: group_id },
        RequestKind::Other { .. } => return,
    };
    // Request events carry no name: a friend's, a name seen, else a nickname from any loaded
    // member list, else it is asked for.
    let mut nickname = state.contacts.user_name(r.user_id);
    if nickname == r.user_id.to_string()
        && let Some(m) = state
            .contacts
            .members
            .values()
            .find_map(|ms| ms.by_id().get(&r.user_id))
    {
        nickname = m.nickname.clone();
    }
    let group_name = what
        .group()
        .and_then(|g| state.contacts.groups.get(&g))
        .map(|e| e.name.clone())
        .unwrap_or_default();
    let unnamed = nickname.is_empty() || nickname == r.user_id.to_string();
    let flag = r.flag.clone();
    let is_new = state.inbox.add(PendingRequest {
        flag: r.flag,
        what,
        user_id: r.user_id,
        nickname: if unnamed { String::new() } else { nickname },
        group_name,
        comment: r.comment,
        time: (r.time > 0).then_some(r.time),
        filtered: false,
        answering: false,
    });
    if is_new && !(unnamed && super::names::ask(state, r.user_id, Some(flag.clone()), fx)) {
        super::names::announce_request(state, &flag);
    }
}

/// The age of a system-message request: NapCat's flags there are QQ's microsecond timestamps.
fn time_of_flag(flag: &str, now: i64) -> Option<i64> {
    if flag.len() != 16 || !flag.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = flag.get(..10)?.parse().ok()?;
    // 2010 … tomorrow: anything else is not a timestamp.
    (1_262_304_000..=now + 86_400)
        .contains(&secs)
        .then_some(secs)
}

fn from_system(r: &GroupSystemRequest, invite: bool, filtered: bool, now: i64) -> PendingRequest {
    PendingRequest {
        flag: r.flag().to_string(),
        what: if invite {
            RequestWhat::Invite { group: r.group_id }
        } else {
            RequestWhat::Join { group: r.group_id }
        },
        user_id: r.invitor_uin,
        nickname: if r.requester_nick.is_empty() {
            r.invitor_nick.clone()
        } else {
            r.requester_nick.clone()
        },
        group_name: r.group_name.clone(),
        comment: r.message.clone(),
        time: time_of_flag(r.flag(), now),
        filtered,
        answering: false,
    }
}

/// A `get_group_system_msg` / `get_group_ignored_notifies` answer: pending entries join the
/// inbox, entries someone already handled leave it.
pub fn on_system(state: &mut State, msg: GroupSystemMsg, filtered: bool) {
    let now = state.now;
    let lists = [(msg.invited_requests, true), (msg.join_requests, false)];
    for (list, invite) in lists {
        for r in list {
            if r.flag().is_empty() {
                continue;
            }
            if r.checked {
                state.inbox.remove(r.flag());
            } else {
                state.inbox.add(from_system(&r, invite, filtered, now));
            }
        }
    }
}

/// Fetches the group system messages (on connect and when the inbox opens).
pub fn refresh(fx: &mut Vec<Effect>) {
    fx.push(Effect::call(GroupRequests { filtered: false }));
    fx.push(Effect::call(GroupRequests { filtered: true }));
    fx.push(Effect::call(DoubtRequests));
}

/// A friend request QQ filtered as risky, as the inbox holds it.
fn from_doubt(r: DoubtFriendRequest) -> PendingRequest {
    PendingRequest {
        flag: r.flag,
        what: RequestWhat::Friend,
        user_id: r.uin,
        nickname: r.nick,
        group_name: String::new(),
        comment: [r.msg, r.source, r.reason]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        time: (r.time > 0).then_some(r.time),
        filtered: true,
        answering: false,
    }
}

fn inbox_view(state: &mut State) -> Option<&mut InboxView> {
    match state.popup.as_mut() {
        Some(Popup::Inbox(v)) => Some(v),
        _ => None,
    }
}

fn selected_flag(state: &State, view: &InboxView) -> Result<String, String> {
    state
        .inbox
        .items
        .get(view.selected)
        .map(|r| r.flag.clone())
        .ok_or_else(|| "没有待处理的请求".to_string())
}

/// The selected request's flag, and whether it is a friend request (QQ takes a remark when
/// accepting those, and no reason when rejecting them).
fn selected_request(state: &State, view: &InboxView) -> Result<(String, bool), String> {
    let flag = selected_flag(state, view)?;
    let friend = state
        .inbox
        .items
        .iter()
        .any(|r| r.flag == flag && r.what == RequestWhat::Friend);
    Ok((flag, friend))
}

/// `a` in the inbox: a group request is accepted at once; a friend request asks for a remark
/// first (Enter with none accepts without).
pub fn accept_selected(
    state: &mut State,
    view: &mut InboxView,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    let (flag, friend) = selected_request(state, view)?;
    if friend {
        view.input = Some(InboxInput {
            flag,
            approve: true,
            text: String::new(),
        });
        return Ok(());
    }
    answer(state, &flag, true, None, fx)
}

/// `r` in the inbox: a group request asks for a reason (Enter with none rejects without); a
/// friend request is rejected at once (QQ takes no reason there).
pub fn reject_selected(
    state: &mut State,
    view: &mut InboxView,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    let (flag, friend) = selected_request(state, view)?;
    if friend {
        return answer(state, &flag, false, None, fx);
    }
    view.input = Some(InboxInput {
        flag,
        approve: false,
        text: String::new(),
    });
    Ok(())
}

/// Answers the request with this flag; `text` is the remark (accepting a friend) or the reason
/// (rejecting a group request).
pub fn answer(
    state: &mut State,
    flag: &str,
    approve: bool,
    text: Option<String>,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    let r = state
        .inbox
        .items
        .iter_mut()
        .find(|r| r.flag == flag)
        .ok_or("这个请求已经处理过了")?;
    if r.answering {
        return Err("正在处理这个请求".into());
    }
    let friend = r.what == RequestWhat::Friend;
    if friend && r.filtered {
        // QQ's filtered friend requests can only be accepted (NapCat reads no `approve`).
        if !approve {
            return Err("被过滤的好友申请只能同意，不理它即可".into());
        }
        r.answering = true;
        fx.push(Effect::call(AcceptDoubt {
            flag: flag.to_string(),
            user: r.user_id,
        }));
        return Ok(());
    }
    r.answering = true;
    fx.push(Effect::call(AnswerRequest {
        flag: flag.to_string(),
        user: r.user_id,
        group: r.what.group(),
        approve,
        // A friend has no reject reason, a group request no remark.
        text: text.filter(|_| friend == approve),
    }));
    Ok(())
}

/// `/accept [n] [remark]` and `/reject [n] [reason]`: the newest request, or the n-th.
pub fn command(
    state: &mut State,
    approve: bool,
    args: &str,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    let args = args.trim();
    let (first, rest) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    let count = state.inbox.items.len();
    let (index, text) = match first.parse::<usize>() {
        Ok(n) if (1..=count).contains(&n) => (n - 1, rest.trim()),
        Ok(n) if n > count && n < 1000 => {
            return Err(format!("收件箱里只有 {count} 个请求"));
        }
        _ => (0, args),
    };
    let r = state.inbox.items.get(index).ok_or("没有待处理的请求")?;
    let flag = r.flag.clone();
    let text = (!text.is_empty()).then(|| text.to_string());
    if text.is_some() {
        let friend = r.what == RequestWhat::Friend;
        if friend && !approve {
            return Err("拒绝好友申请不能附带理由".into());
        }
        if !friend && approve {
            return Err("同意加群请求不能附带备注".into());
        }
    }
    answer(state, &flag, approve, text, fx)
}

/// The result of an answer: a handled request leaves the inbox; a failed one stays.
pub fn on_answered(state: &mut State, flag: &str, approve: bool, result: Result<(), &Error>) {
    match result {
        Ok(()) => {
            let gone = state.inbox.remove(flag);
            let who = gone
                .as_ref()
                .map(|r| {
                    if r.nickname.is_empty() {
                        r.user_id.to_string()
                    } else {
                        r.nickname.clone()
                    }
                })
                .unwrap_or_default();
            let verb = if approve { "已同意" } else { "已拒绝" };
            let what = match gone.map(|r| r.what) {
                Some(RequestWhat::Friend) => "的好友申请",
                Some(RequestWhat::Join { .. }) => "的加群申请",
                Some(RequestWhat::Invite { .. }) => "的入群邀请",
                None => "的请求",
            };
            state.info(format!("{verb} {who} {what}"));
            let len = state.inbox.items.len();
            if let Some(v) = inbox_view(state) {
                v.selected = v.selected.min(len.saturating_sub(1));
            }
        }
        Err(e) => {
            if let Some(r) = state.inbox.items.iter_mut().find(|r| r.flag == flag) {
                r.answering = false;
            }
            state.error(format!("处理请求失败: {}", super::text::short_reason(e)));
        }
    }
}

impl Request for GroupRequests {
    type Output = GroupSystemMsg;

    fn describe(&self) -> &'static str {
        "获取加群请求"
    }

    fn done(self, state: &mut State, msg: GroupSystemMsg, _fx: &mut Vec<Effect>) {
        on_system(state, msg, self.filtered);
    }

    /// Shown only while the inbox is open, and not when the server lacks the call.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        // Other OneBot servers lack these: the inbox then has only what events bring.
        let inbox_open = matches!(state.popup.as_ref(), Some(Popup::Inbox(_)));
        if inbox_open && !matches!(e, Error::UnknownAction { .. }) {
            show_failure(state, self.describe(), &e);
        } else {
            tracing::info!("group requests unavailable: {}", short_reason(&e));
        }
    }
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
        on_answered(state, &self.flag, self.approve, Ok(()));
        if self.approve && self.group.is_some() {
            // An accepted invitation adds a group.
            fx.push(Effect::call(Groups));
        }
    }

    /// The request stays in the inbox, answerable again.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        on_answered(state, &self.flag, false, Err(&e));
    }
}

impl Request for DoubtRequests {
    type Output = Vec<DoubtFriendRequest>;

    fn describe(&self) -> &'static str {
        "获取被过滤的好友申请"
    }

    fn done(self, state: &mut State, list: Vec<DoubtFriendRequest>, _fx: &mut Vec<Effect>) {
        for r in list {
            if !r.flag.is_empty() {
                state.inbox.add(from_doubt(r));
            }
        }
    }

    /// Quietly, as for the group lists: older servers lack the call.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        let inbox_open = matches!(state.popup.as_ref(), Some(Popup::Inbox(_)));
        if inbox_open && !matches!(e, Error::UnknownAction { .. }) {
            show_failure(state, self.describe(), &e);
        } else {
            tracing::info!("filtered friend requests unavailable: {}", short_reason(&e));
        }
    }
}

impl Request for AcceptDoubt {
    type Output = ();

    fn describe(&self) -> &'static str {
        "同意被过滤的好友申请"
    }

    fn audit(&self, state: &State) -> Option<AuditLine> {
        Some(AuditLine {
            group: None,
            action: "accept (filtered friend request)".into(),
            target: format!("{} ({})", self.user, state.contacts.user_name(self.user)),
        })
    }

    fn done(self, state: &mut State, _out: (), fx: &mut Vec<Effect>) {
        on_answered(state, &self.flag, true, Ok(()));
        fx.push(Effect::call(Friends));
    }

    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        on_answered(state, &self.flag, true, Err(&e));
    }
}

#[cfg(test)]
mod tests {
    use super::super::keymap::Keymap;
    use super::super::state::Settings;
    use super::*;

    #[test]
    fn system_flags_carry_their_time() {
        let now = 1_800_000_000;
        assert_eq!(time_of_flag("1749736849151114", now), Some(1_749_736_849));
        assert_eq!(time_of_flag("12345", now), None);
        assert_eq!(time_of_flag("9999999999151114", now), None);
        assert_eq!(time_of_flag("u_abcdefghijklmn", now), None);
    }

    fn state() -> State {
        State::new(Settings::default(), Keymap::default_map())
    }

    #[test]
    fn servers_without_group_system_messages_are_not_an_error() {
        let mut s = state();
        let mut fx = Vec::new();
        s.popup = Some(Popup::Inbox(Default::default()));
        let missing = Error::UnknownAction {
            action: "get_group_system_msg".into(),
        };
        GroupRequests { filtered: false }.failed(&mut s, missing, &mut fx);
        assert_eq!(s.status.error(), None);
        // Any other failure while the inbox is open is shown.
        let down = Error::Transport("closed".into());
        GroupRequests { filtered: false }.failed(&mut s, down, &mut fx);
        assert!(s.status.error().is_some_and(|e| e.contains("连接中断")));
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
                .error()
                .is_some_and(|e| e.contains("No such request"))
        );
    }
}
