//! Results of API calls, folded into the state.

use crate::onebot::{Error, Peer};

use super::chat::{Delivery, HistoryState};
use super::contacts::{Members, MembersState};
use super::effect::{Call, Done, Effect};
use super::events::on_message;
use super::state::{ForwardPreview, Quote, State};
use super::update::excerpt;

/// Handles a finished call.
pub fn on_done(state: &mut State, call: Call, result: Result<Done, Error>, fx: &mut Vec<Effect>) {
    if let Some(entry) = super::admin::audit::entry(state, &call, &result) {
        fx.push(Effect::Audit(entry));
    }
    if super::admin::results::handles(&call) {
        match result {
            Ok(done) => super::admin::results::on_ok(state, call, done, fx),
            Err(e) => super::admin::results::on_err(state, call, e),
        }
        return;
    }
    match result {
        Ok(done) => on_ok(state, call, done, fx),
        Err(e) => on_err(state, call, e),
    }
}

fn on_ok(state: &mut State, call: Call, done: Done, fx: &mut Vec<Effect>) {
    match (call, done) {
        (_, Done::LoginInfo { user_id, nickname }) => {
            state.self_id = user_id;
            state.self_name = nickname;
        }
        (_, Done::Friends(list)) => {
            // Keep categories learnt from get_friends_with_category.
            let old = std::mem::take(&mut state.contacts.friends);
            for mut f in list {
                if f.category.is_none() {
                    f.category = old.get(&f.user_id).and_then(|o| o.category);
                }
                state.contacts.friends.insert(f.user_id, f);
            }
            state.contacts.touch();
        }
        (
            _,
            Done::FriendCategories {
                categories,
                friends,
            },
        ) => {
            state.contacts.categories = categories;
            for f in friends {
                state.contacts.friends.insert(f.user_id, f);
            }
            state.contacts.touch();
        }
        (_, Done::Groups(list)) => {
            state.contacts.groups = list.into_iter().map(|g| (g.group_id, g)).collect();
            state.contacts.touch();
        }
        (_, Done::Recent(items)) => {
            for it in items {
                if !it.name.is_empty() {
                    match it.peer {
                        Peer::Private(u) => state.contacts.see(u, &it.name),
                        Peer::Group(g) => {
                            state.contacts.groups.entry(g).or_insert_with(|| {
                                super::contacts::GroupEntry {
                                    group_id: g,
                                    name: it.name.clone(),
                                    ..Default::default()
                                }
                            });
                        }
                    }
                }
                let chat = state.chat_mut(it.peer);
                chat.last_activity = chat.last_activity.max(it.time);
                if let Some(m) = it.last {
                    on_message(state, m, fx, false);
                }
            }
        }
        (
            Call::History {
                peer,
                anchor,
                count,
            },
            Done::Messages(list),
        ) => {
            let before = state
                .chats
                .get(&peer)
                .map(|c| c.timeline.len())
                .unwrap_or(0);
            let got = list.len();
            for m in list {
                if m.peer() == peer || m.peer().id() == 0 {
                    on_message(state, m, fx, false);
                } else {
                    // Some servers omit group_id/target_id in history entries: file it where asked.
                    let mut m = m;
                    match peer {
                        Peer::Group(g) => m.group_id = Some(g),
                        Peer::Private(u) => m.target_id = Some(u),
                    }
                    on_message(state, m, fx, false);
                }
            }
            let chat = state.chat_mut(peer);
            let added = chat.timeline.len().saturating_sub(before);
            chat.history = if anchor.is_some() && (added == 0 || got < count as usize) {
                HistoryState::Exhausted
            } else {
                HistoryState::Idle
            };
            if state.open == Some(peer) {
                request_quotes(state, peer, fx);
            }
        }
        (_, Done::Messages(_)) => {}
        (Call::Members { group }, Done::Members(list)) => {
            let mut ms = Members {
                state: MembersState::Loaded,
                by_id: list.into_iter().map(|m| (m.user_id, m)).collect(),
            };
            if let Some(old) = state.contacts.members.get(&group) {
                // Members seen joining while the list loaded are kept.
                for (id, m) in &old.by_id {
                    ms.by_id.entry(*id).or_insert_with(|| m.clone());
                }
            }
            state.contacts.members.insert(group, ms);
            state.contacts.touch();
            if state.composer.completion.is_some() {
                super::update::refresh_completion(state, fx);
            }
        }
        (_, Done::Members(_)) => {}
        (Call::FileUrl { .. }, Done::Url(url)) => {
            if url.starts_with("http") {
                fx.push(Effect::Open(url));
            } else {
                state.error("服务器没有给出文件链接");
            }
        }
        (Call::GetForward { id }, Done::Forward(list)) => {
            let lines = list
                .iter()
                .take(FORWARD_PREVIEW_LINES)
                .map(|m| (m.sender.display_name(), excerpt(&m.message.plain_text())))
                .collect();
            let preview = if list.is_empty() {
                ForwardPreview::Missing
            } else {
                ForwardPreview::Found {
                    lines,
                    total: list.len(),
                }
            };
            state.forwards.insert(id, preview);
        }
        (Call::GetMsg { peer, id }, Done::Message(m)) => {
            let author = if m.is_self() {
                state.self_name.clone()
            } else {
                state.contacts.name_in(peer, m.user_id)
            };
            let author = if author == m.user_id.to_string() {
                m.sender.display_name()
            } else {
                author
            };
            let text = m
                .message
                .plain_text_with(|qq| Some(state.contacts.name_in(peer, qq)));
            let quote = if m.message.is_empty() {
                Quote::Missing
            } else {
                Quote::Found {
                    author,
                    excerpt: excerpt(&text),
                }
            };
            state.quotes.insert(id, quote);
        }
        (Call::Send { peer, local_id, .. }, Done::Sent { message_id }) => {
            let chat = state.chat_mut(peer);
            if let Some(key) = chat.timeline.key_of_local(local_id) {
                if chat.timeline.key_of(message_id).is_some_and(|k| k != key) {
                    // The message_sent echo arrived first: it is the copy to keep.
                    chat.timeline.remove(key);
                } else {
                    chat.timeline.update_message(key, |m| {
                        m.id = Some(message_id);
                        m.delivery = Delivery::Sent;
                    });
                }
            }
        }
        (Call::Recall { peer, id, .. }, Done::Ok) => {
            let me = state.self_id;
            state
                .chat_mut(peer)
                .timeline
                .update_by_id(id, |m| m.recalled_by = Some(me));
            state.info("已撤回");
        }
        (Call::MarkAllRead, _) => {
            for c in state.chats.values_mut() {
                c.unread = 0;
                c.mentions = 0;
            }
            state.info("已全部标为已读");
        }
        _ => {}
    }
}

fn on_err(state: &mut State, call: Call, e: Error) {
    let reason = e.to_string();
    match call {
        // Extensions other servers lack: carry on without them.
        Call::FriendCategories | Call::MarkRead { .. } | Call::RecentContacts { .. } => {
            tracing::info!("optional call failed: {reason}");
        }
        Call::MarkAllRead => {
            if matches!(e, Error::UnknownAction { .. }) {
                for c in state.chats.values_mut() {
                    c.unread = 0;
                    c.mentions = 0;
                }
                state.info("已在本地标为已读 (服务器不支持)");
            } else {
                state.error(format!("标记已读失败: {reason}"));
            }
        }
        Call::Send { peer, local_id, .. } => {
            let chat = state.chat_mut(peer);
            if let Some(key) = chat.timeline.key_of_local(local_id) {
                let why = short_reason(&e);
                chat.timeline
                    .update_message(key, |m| m.delivery = Delivery::Failed(why));
            }
            let retry = state.keymap.fill_keys("(选中它按 {timeline:retry} 重试)");
            state.error(format!("发送失败: {} {retry}", short_reason(&e)));
        }
        // Servers without history (other OneBot implementations): live messages only.
        Call::History { peer, .. } if matches!(e, Error::UnknownAction { .. }) => {
            state.chat_mut(peer).history = HistoryState::Exhausted;
            state.info("服务器不提供历史消息，只显示新消息");
        }
        Call::History { peer, .. } => {
            state.chat_mut(peer).history = HistoryState::Failed;
            state.error(format!("加载历史消息失败: {}", short_reason(&e)));
        }
        Call::Members { group } => {
            state.contacts.members.entry(group).or_default().state = MembersState::Failed;
            state.error(format!("获取群成员失败: {}", short_reason(&e)));
        }
        Call::GetForward { id } => {
            state.forwards.insert(id, ForwardPreview::Missing);
        }
        Call::GetMsg { id, .. } => {
            state.quotes.insert(id, Quote::Missing);
        }
        other => state.error(format!("{}失败: {}", other.describe(), short_reason(&e))),
    }
}

/// The server's own words where there are some.
pub fn short_reason(e: &Error) -> String {
    match e {
        Error::ActionFailed { message, .. } | Error::BadParams { message, .. } => message.clone(),
        Error::Timeout { secs, .. } => format!("{secs} 秒无响应"),
        Error::Transport(m) => format!("未连接 ({m})"),
        Error::UnknownAction { action } => format!("服务器不支持 {action}"),
        Error::AuthRejected(_) => "token 被拒绝".into(),
        Error::UnexpectedReply { detail, .. } => format!("回复格式不对 ({detail})"),
    }
}

/// Messages shown in a forward's preview.
pub const FORWARD_PREVIEW_LINES: usize = 3;

/// Fetches what the open chat's recent messages refer to and memory lacks: quoted messages
/// (get_msg) and the content of merged forwards (get_forward_msg).
pub fn request_quotes(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    let Some(chat) = state.chats.get(&peer) else {
        return;
    };
    let forwards: Vec<String> = chat
        .timeline
        .iter()
        .rev()
        .take(200)
        .filter_map(|e| e.message())
        .flat_map(|m| m.chain.segments())
        .filter_map(|s| match s {
            crate::onebot::Segment::Forward {
                id, content: None, ..
            } if !id.is_empty() => Some(id.clone()),
            _ => None,
        })
        .collect();
    for id in forwards {
        if !state.forwards.contains_key(&id) {
            state.forwards.insert(id.clone(), ForwardPreview::Loading);
            fx.push(Effect::Call(Call::GetForward { id }));
        }
    }
    let Some(chat) = state.chats.get(&peer) else {
        return;
    };
    let wanted: Vec<i64> = chat
        .timeline
        .iter()
        .rev()
        .take(200)
        .filter_map(|e| e.message().and_then(|m| m.chain.reply_to()))
        .filter(|id| chat.timeline.key_of(*id).is_none())
        .collect();
    for id in wanted {
        if state.quotes.contains_key(&id) {
            continue;
        }
        state.quotes.insert(id, Quote::Loading);
        fx.push(Effect::Call(Call::GetMsg { peer, id }));
    }
}
