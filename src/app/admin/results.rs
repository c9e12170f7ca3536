//! Results of the administration calls, folded into the state: the member list and timeline
//! follow what succeeded, popups get their data, failures show NapCat's reason.

use crate::onebot::{Error, Peer, Role};

use super::super::effect::{Call, Done, Effect};
use super::super::requests;
use super::super::state::{Popup, State};
use super::super::text::short_reason;
use super::popup::{AdminPopup, Load, SheetKind};
use super::sheets;
use super::target::{label, labels};

/// Whether the call is one of ours.
pub fn handles(call: &Call) -> bool {
    matches!(
        call,
        Call::Ban { .. }
            | Call::Kick { .. }
            | Call::KickMany { .. }
            | Call::SetCard { .. }
            | Call::SetTitle { .. }
            | Call::SetAdmin { .. }
            | Call::Profile { .. }
            | Call::Poke { .. }
            | Call::Like { .. }
            | Call::SetEssence { .. }
            | Call::Essences { .. }
            | Call::MuteAll { .. }
            | Call::Rename { .. }
            | Call::Avatar { .. }
            | Call::Notices { .. }
            | Call::PostNotice { .. }
            | Call::DeleteNotice { .. }
            | Call::ShutList { .. }
            | Call::GroupDetails { .. }
            | Call::Honors { .. }
            | Call::AtAllRemain { .. }
            | Call::Sign { .. }
            | Call::Leave { .. }
            | Call::GroupRequests { .. }
            | Call::AnswerRequest { .. }
    )
}

fn popup_mut(state: &mut State) -> Option<&mut AdminPopup> {
    match state.popup.as_mut() {
        Some(Popup::Admin(p)) => Some(p),
        _ => None,
    }
}

/// Changes a loaded member, if there is one.
fn edit_member(
    state: &mut State,
    group: i64,
    user: i64,
    f: impl FnOnce(&mut super::super::contacts::Member),
) {
    if let Some(m) = state.contacts.member_mut(group, user) {
        f(m);
        state.contacts.touch();
    }
}

/// Re-fetches the notices when their list is open.
fn refresh_notices(state: &State, group: i64, fx: &mut Vec<Effect>) {
    if let Some(Popup::Admin(AdminPopup::Notices(l, _))) = &state.popup
        && l.group == group
    {
        fx.push(Effect::Call(Call::Notices { group }));
    }
}

/// A successful administration call.
pub fn on_ok(state: &mut State, call: Call, done: Done, fx: &mut Vec<Effect>) {
    let now = state.now;
    match (call, done) {
        (
            Call::Ban {
                group,
                user,
                duration,
            },
            _,
        ) => {
            let until = if duration == 0 { 0 } else { now + duration };
            edit_member(state, group, user, |m| m.shut_up_until = until);
            state.members.marked.remove(&user);
            if let Some(p) = popup_mut(state) {
                match p {
                    AdminPopup::Mutes(l) if l.group == group && duration == 0 => {
                        if let Load::Ready(items) = &mut l.items {
                            items.retain(|e| e.uin != user);
                            l.selected = l.selected.min(items.len().saturating_sub(1));
                        }
                    }
                    AdminPopup::Profile(c) if c.group == group && c.user == user => {
                        if let Some(m) = c.data.as_mut().and_then(|d| d.member.as_mut()) {
                            m.shut_up_timestamp = until;
                        }
                    }
                    _ => {}
                }
            }
            let who = label(state, group, user);
            state.info(if duration == 0 {
                format!("已解除 {who} 的禁言")
            } else {
                format!(
                    "已禁言 {who} {}",
                    super::super::text::duration_text(duration)
                )
            });
        }
        (Call::Kick { group, user, .. }, _) => {
            let who = label(state, group, user);
            remove_members(state, group, &[user]);
            state.info(format!("已将 {who} 移出群聊"));
        }
        (Call::KickMany { group, users, .. }, _) => {
            let who = labels(state, group, &users);
            remove_members(state, group, &users);
            state.info(format!("已将 {} 人移出群聊: {who}", users.len()));
        }
        (Call::SetCard { group, user, card }, _) => {
            edit_member(state, group, user, |m| m.card = card.clone());
            let who = label(state, group, user);
            state.info(if card.is_empty() {
                format!("已清除 {who} 的群名片")
            } else {
                format!("已将 {user} 的群名片改为「{card}」")
            });
        }
        (Call::SetTitle { group, user, title }, _) => {
            edit_member(state, group, user, |m| m.title = title.clone());
            let who = label(state, group, user);
            state.info(if title.is_empty() {
                format!("已取消 {who} 的专属头衔")
            } else {
                format!("已给 {who} 设置头衔「{title}」")
            });
        }
        (
            Call::SetAdmin {
                group,
                user,
                enable,
            },
            _,
        ) => {
            let role = if enable { Role::Admin } else { Role::Member };
            edit_member(state, group, user, |m| m.role = role);
            let who = label(state, group, user);
            state.info(if enable {
                format!("已设置 {who} 为管理员")
            } else {
                format!("已取消 {who} 的管理员")
            });
        }
        (Call::Profile { group, user }, Done::Profile(data)) => {
            // The profile is fresher than the member list: bring the list up to date.
            if let Some(m) = &data.member {
                edit_member(state, group, user, |old| {
                    old.nickname = m.nickname.clone();
                    old.card = m.card.clone();
                    old.role = m.role;
                    old.title = m.title.clone();
                    old.level = m.level.clone();
                    old.last_sent_time = m.last_sent_time.max(old.last_sent_time);
                    old.shut_up_until = m.shut_up_timestamp;
                });
            }
            if let Some(AdminPopup::Profile(c)) = popup_mut(state)
                && c.group == group
                && c.user == user
            {
                c.data = Some(data);
                c.error = None;
            }
        }
        (Call::Poke { group, user }, _) => {
            let who = match group {
                Some(g) => label(state, g, user),
                None => state.contacts.user_name(user),
            };
            state.info(format!("已戳了戳 {who}"));
        }
        (Call::Like { user, times }, _) => {
            let who = state.contacts.user_name(user);
            state.info(format!("已给 {who} 点赞 {times} 次"));
        }
        (Call::SetEssence { group, id, on }, _) => {
            state
                .chat_mut(Peer::Group(group))
                .timeline
                .update_by_id(id, |m| m.essence = on);
            if let Some(AdminPopup::Essences(l)) = popup_mut(state)
                && l.group == group
            {
                fx.push(Effect::Call(Call::Essences { group }));
            }
            state.info(if on {
                "已设为精华消息"
            } else {
                "已取消精华消息"
            });
        }
        (Call::Essences { group }, Done::Essences(list)) => {
            if let Some(AdminPopup::Essences(l)) = popup_mut(state)
                && l.group == group
            {
                l.selected = l.selected.min(list.len().saturating_sub(1));
                l.items = Load::Ready(list);
            }
        }
        (Call::MuteAll { group, enable }, _) => {
            if let Some(g) = state.contacts.groups.get_mut(&group) {
                g.all_shut = enable;
            }
            state.info(if enable {
                "已开启全员禁言"
            } else {
                "已关闭全员禁言"
            });
        }
        (Call::Rename { group, name }, _) => {
            if let Some(g) = state.contacts.groups.get_mut(&group) {
                g.name = name.clone();
            }
            state.contacts.touch();
            state.info(format!("群名已改为「{name}」"));
        }
        (Call::Avatar { .. }, _) => state.info("群头像已更新"),
        (Call::Notices { group }, Done::Notices(list)) => {
            if let Some(AdminPopup::Notices(l, _)) = popup_mut(state)
                && l.group == group
            {
                l.selected = l.selected.min(list.len().saturating_sub(1));
                l.items = Load::Ready(list);
            }
        }
        (Call::PostNotice { group, .. }, _) => {
            refresh_notices(state, group, fx);
            state.info("群公告已发布");
        }
        (Call::DeleteNotice { group, .. }, _) => {
            refresh_notices(state, group, fx);
            state.info("已删除群公告");
        }
        (Call::ShutList { group }, Done::ShutList(list)) => {
            if let Some(AdminPopup::Mutes(l)) = popup_mut(state)
                && l.group == group
            {
                let mut list = list;
                list.retain(|e| e.mute_remaining(now) > 0);
                list.sort_by_key(|e| e.shut_up_time);
                l.selected = l.selected.min(list.len().saturating_sub(1));
                l.items = Load::Ready(list);
            }
        }
        (Call::GroupDetails { group }, Done::GroupDetails(info, ex)) => {
            let rows = sheets::info(state, group, &info, ex.as_ref());
            set_sheet(state, group, SheetKind::Info, Load::Ready(rows));
        }
        (Call::Honors { group }, Done::Honors(h)) => {
            set_sheet(
                state,
                group,
                SheetKind::Honors,
                Load::Ready(sheets::honors(&h)),
            );
        }
        (Call::AtAllRemain { .. }, Done::AtAll(r)) => {
            if r.can_at_all {
                state.info(format!(
                    "今天还可以 @全体成员 {} 次 (本群共剩 {} 次)",
                    r.remain_at_all_count_for_uin, r.remain_at_all_count_for_group
                ));
            } else {
                state.info("今天不能再 @全体成员 了");
            }
        }
        (Call::Sign { group }, _) => {
            let name = state.contacts.chat_name(Peer::Group(group));
            state.info(format!("已在「{name}」签到"));
        }
        (Call::Leave { group, dismiss }, _) => {
            let name = state.contacts.chat_name(Peer::Group(group));
            if state.open == Some(Peer::Group(group)) {
                super::super::lifecycle::close_chat(state);
            }
            state.chats.remove(&Peer::Group(group));
            state.drafts.remove(Peer::Group(group));
            state.contacts.groups.remove(&group);
            state.contacts.members.remove(&group);
            state.contacts.touch();
            state.info(if dismiss {
                format!("已解散群「{name}」")
            } else {
                format!("已退出群「{name}」")
            });
        }
        (Call::GroupRequests { filtered }, Done::GroupRequests(msg)) => {
            requests::on_system(state, msg, filtered);
        }
        (
            Call::AnswerRequest {
                flag,
                group,
                approve,
                ..
            },
            _,
        ) => {
            requests::on_answered(state, &flag, approve, Ok(()));
            if approve && group.is_some() {
                // An accepted invitation adds a group.
                fx.push(Effect::Call(Call::Groups));
            }
        }
        _ => {}
    }
}

fn remove_members(state: &mut State, group: i64, users: &[i64]) {
    if let Some(ms) = state.contacts.members.get_mut(&group) {
        for u in users {
            ms.by_id.remove(u);
        }
    }
    for u in users {
        state.members.marked.remove(u);
    }
    state.contacts.touch();
    let count = state
        .contacts
        .members
        .get(&group)
        .map_or(0, |m| m.by_id.len());
    state.members.selected = state.members.selected.min(count.saturating_sub(1));
}

fn set_sheet(state: &mut State, group: i64, kind: SheetKind, rows: Load<Vec<(String, String)>>) {
    if let Some(AdminPopup::Sheet(s)) = popup_mut(state)
        && s.group == group
        && s.kind == kind
    {
        s.rows = rows;
    }
}

/// A failed administration call: popups show the reason, everything else the status line.
pub fn on_err(state: &mut State, call: Call, e: Error) {
    let reason = short_reason(&e);
    match call {
        Call::Profile { group, user } => {
            if let Some(AdminPopup::Profile(c)) = popup_mut(state)
                && c.group == group
                && c.user == user
            {
                c.error = Some(reason);
            }
        }
        Call::Essences { group } => {
            if let Some(AdminPopup::Essences(l)) = popup_mut(state)
                && l.group == group
            {
                l.items = Load::Failed(reason);
            }
        }
        Call::Notices { group } => {
            if let Some(AdminPopup::Notices(l, _)) = popup_mut(state)
                && l.group == group
            {
                l.items = Load::Failed(reason);
            }
        }
        Call::ShutList { group } => {
            if let Some(AdminPopup::Mutes(l)) = popup_mut(state)
                && l.group == group
            {
                l.items = Load::Failed(reason);
            }
        }
        Call::GroupDetails { group } => {
            set_sheet(state, group, SheetKind::Info, Load::Failed(reason))
        }
        Call::Honors { group } => set_sheet(state, group, SheetKind::Honors, Load::Failed(reason)),
        Call::GroupRequests { .. } => {
            // Other OneBot servers lack these: the inbox then has only what events bring.
            let inbox_open = matches!(popup_mut(state), Some(AdminPopup::Inbox(_)));
            if inbox_open && !matches!(e, Error::UnknownAction { .. }) {
                state.error(format!("获取加群请求失败: {reason}"));
            } else {
                tracing::info!("group requests unavailable: {reason}");
            }
        }
        Call::AnswerRequest { flag, .. } => requests::on_answered(state, &flag, false, Err(&e)),
        other => {
            let subject = match &other {
                Call::Ban { group, user, .. }
                | Call::Kick { group, user, .. }
                | Call::SetCard { group, user, .. }
                | Call::SetTitle { group, user, .. }
                | Call::SetAdmin { group, user, .. } => {
                    format!(" {} ", label(state, *group, *user))
                }
                Call::KickMany { group, users, .. } => {
                    format!(" {} ", labels(state, *group, users))
                }
                _ => String::new(),
            };
            state.error(format!("{}{subject}失败: {reason}", other.describe()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::keymap::Keymap;
    use super::super::super::state::Settings;
    use super::*;

    fn state() -> State {
        State::new(Settings::default(), Keymap::default_map())
    }

    #[test]
    fn servers_without_group_system_messages_are_not_an_error() {
        let mut s = state();
        s.popup = Some(Popup::Admin(AdminPopup::Inbox(Default::default())));
        let missing = Error::UnknownAction {
            action: "get_group_system_msg".into(),
        };
        on_err(&mut s, Call::GroupRequests { filtered: false }, missing);
        assert_eq!(s.status.error, None);
        // Any other failure while the inbox is open is shown.
        let down = Error::Transport("closed".into());
        on_err(&mut s, Call::GroupRequests { filtered: false }, down);
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
        s.inbox.add(super::super::super::inbox::PendingRequest {
            flag: "f".into(),
            what: super::super::super::inbox::RequestWhat::Friend,
            user_id: 5,
            nickname: String::new(),
            group_name: String::new(),
            comment: String::new(),
            time: None,
            filtered: false,
            answering: true,
        });
        let call = Call::AnswerRequest {
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
        on_err(&mut s, call, e);
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
