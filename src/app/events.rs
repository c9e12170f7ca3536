//! What the connection reports: state changes, messages, notices, requests, reconnects.

use super::call::{FriendCategories, Friends, Groups};
use crate::onebot::notice::{JoinKind, LeaveKind};
use crate::onebot::{ClientEvent, ConnState, Event, MessageEvent, Notice, NoticeKind, Peer};

use super::chat::{EntryKind, HistoryState, MessageItem, NoticeItem, Page, Scroll, SortKey};
use super::effect::Effect;
use super::load_tracker;
use super::loads::Load;
use super::state::State;
use super::stored::StoreWrite;
use super::text::{duration_text, excerpt};
use super::{catch_up, lifecycle, local, reactions};
use crate::store::{LineKind, NoticeLine};

/// Handles one report from the connection.
pub fn on_client(state: &mut State, ev: ClientEvent, fx: &mut Vec<Effect>) {
    match ev {
        ClientEvent::State(s) => {
            let first_connect = match &s {
                ConnState::Connected { self_id, nickname } => {
                    if !state.online() {
                        // Calls made before this connection are not answered on it.
                        state.loads.new_connection();
                        // Pictures that could not be had while the server was away are asked
                        // for again when they are next on screen.
                        super::picture_loads::forget_unreachable(state);
                    }
                    if (*self_id != 0 && *self_id != state.self_id)
                        || (!nickname.is_empty() && *nickname != state.self_name)
                    {
                        // Timelines draw your name and your mentions: their layouts are stale.
                        state.contacts.touch();
                    }
                    if *self_id != 0 {
                        state.self_id = *self_id;
                    }
                    if !nickname.is_empty() {
                        state.self_name = nickname.clone();
                    }
                    !state.loaded
                }
                _ => false,
            };
            // The countdown to the next attempt is derived from `now` and this deadline.
            state.reconnect_at = match &s {
                ConnState::Reconnecting { in_secs, .. } => {
                    Some(state.now.saturating_add_unsigned(*in_secs))
                }
                _ => None,
            };
            match &s {
                ConnState::Reconnecting { reason, .. } => {
                    state.last_conn_failure = Some(reason.clone())
                }
                ConnState::Connected { .. } => state.last_conn_failure = None,
                _ => {}
            }
            state.conn = s;
            if state.self_id != 0 && state.online() {
                local::want_account(state, state.self_id, fx);
                local::keep_own_name(state, fx);
            }
            if first_connect {
                state.loaded = true;
                initial_loads(state, fx);
            }
        }
        ClientEvent::Reconnected => catch_up(state, fx),
        ClientEvent::BadFrame { total, .. } => state.bad_frames = total,
        ClientEvent::Event(e) => on_event(state, e, fx),
    }
}

/// What is fetched once the connection is up (the tracked loads through the load tracker).
fn initial_loads(state: &mut State, fx: &mut Vec<Effect>) {
    if state.self_name.is_empty() {
        // The connection's own get_login_info got no answer: ask for who we are ourselves.
        load_tracker::ask(state, Load::LoginInfo, fx);
    }
    load_tracker::ask(state, Load::Friends, fx);
    fx.push(Effect::call(FriendCategories));
    load_tracker::ask(state, Load::Groups, fx);
    load_tracker::ask(state, Load::RecentChats, fx);
    super::requests::refresh(fx);
    // A chat opened before the connection came up (or restored) loads now.
    lifecycle::on_connected(state, fx);
}

/// After a reconnect: the open chat and recent chats catch up (`catch_up`: pages until they meet
/// what was stored or loaded; merged, de-duplicated).
fn catch_up(state: &mut State, fx: &mut Vec<Effect>) {
    let page = state.settings.history_page;
    let mut peers: Vec<Peer> = super::sidebar::recent_peers(state)
        .into_iter()
        .take(10)
        .collect();
    if let Some(p) = state.open
        && !peers.contains(&p)
    {
        peers.insert(0, p);
    }
    for p in peers {
        if catch_up::start(state, p, fx) {
            // A first page the load tracker would ask again: the catch-up's page brings it.
            load_tracker::hand_over(state, Load::History(p));
            continue;
        }
        if state.loads.is_pending(Load::History(p)) {
            // Its first page went down with the old connection: the load tracker asks again.
            continue;
        }
        let chat = state.chat_mut(p);
        if chat.history == HistoryState::NotLoaded {
            continue;
        }
        if let Some(call) = chat.request_page(Page::Latest, page) {
            fx.push(Effect::Call(call));
        }
    }
    state.info("已重新连接，正在补齐消息");
    // The loads that went down with the old connection (the open chat's first page, its member
    // list) or were wanted while there was none: the load tracker asks them again. (The
    // messages written meanwhile go out too, and say so over the line above.)
    lifecycle::on_connected(state, fx);
    load_tracker::ask(state, Load::RecentChats, fx);
    // Requests made while we were away.
    super::requests::refresh(fx);
}

fn on_event(state: &mut State, e: Event, fx: &mut Vec<Effect>) {
    match e {
        Event::Message(m) => on_message(state, *m, fx, true),
        Event::Notice(n) => on_notice(state, n, fx),
        Event::Request(r) => super::requests::on_event(state, r, fx),
        Event::Meta(crate::onebot::Meta::Lifecycle { self_id, .. })
        | Event::Meta(crate::onebot::Meta::Heartbeat { self_id, .. }) => {
            if state.self_id == 0 && self_id != 0 {
                state.self_id = self_id;
                state.contacts.touch();
            }
        }
        Event::Unknown(_) => {}
    }
}

/// A server time further ahead of the clock than this (seconds) is not believed.
pub const TIME_AHEAD_LIMIT: i64 = 300;

/// Whether a server time can be believed: not ahead of the clock by more than a few minutes.
pub fn plausible_time(now: i64, time: i64) -> bool {
    now == 0 || time <= now.saturating_add(TIME_AHEAD_LIMIT)
}

/// The timeline key of a message event. A message whose time is implausible (a bogus time far
/// in the future) would sit below everything newer for good: it is ordered by QQ's sequence
/// when the server gives one (the time of the message before it in sequence), else by arrival
/// (now).
pub fn key_of(state: &mut State, ev: &MessageEvent) -> SortKey {
    let seq: u64 = ev
        .real_seq
        .as_deref()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let time = if plausible_time(state.now, ev.time) {
        ev.time
    } else {
        stand_in_time(state, ev.peer(), seq)
    };
    SortKey {
        time,
        seq,
        arrival: state.arrival(),
    }
}

/// The time an implausibly timed message is filed under: that of the latest message before
/// it in QQ's sequence, or now.
fn stand_in_time(state: &State, peer: Peer, seq: u64) -> i64 {
    let before = (seq != 0)
        .then(|| state.chats.get(&peer))
        .flatten()
        .and_then(|c| {
            c.timeline
                .iter()
                .filter(|e| e.message().is_some() && e.key.seq != 0 && e.key.seq <= seq)
                .max_by_key(|e| e.key.seq)
                .map(|e| e.key.time)
        });
    before.unwrap_or(state.now)
}

/// Adds a message to its chat; `live` messages count as unread and may notify.
/// The id NapCat puts in `group_id` of a temporary session when it does not know the group.
const UNKNOWN_TEMP_GROUP: i64 = 284_840_486;

/// For a message of a temporary session (临时会话, `sub_type: "group"`): the group it comes
/// through, which replies must name (`group_id`; older builds put it in `temp_source`).
fn temp_session_group(ev: &MessageEvent) -> Option<i64> {
    if ev.peer().is_group() || ev.sub_type != "group" {
        return None;
    }
    [ev.group_id, ev.temp_source]
        .into_iter()
        .flatten()
        .find(|g| *g > 0 && *g != UNKNOWN_TEMP_GROUP)
}

pub fn on_message(state: &mut State, ev: MessageEvent, fx: &mut Vec<Effect>, live: bool) {
    let peer = ev.peer();
    if peer.id() == 0 {
        return;
    }
    if state.store.writing() {
        state
            .store
            .write(fx, StoreWrite::Message(Box::new(ev.clone())));
        if state.chats.get(&peer).is_some_and(|c| c.detached) {
            // The chat shows an old stretch read from the store: the message is stored and
            // comes with the newest rows when scrolling down, not into the middle.
            return;
        }
    }
    if state.self_id == 0 && ev.self_id != 0 {
        state.self_id = ev.self_id;
        state.contacts.touch();
    }
    let mut item = MessageItem::from_event(&ev);
    if !item.own {
        match peer {
            Peer::Group(g) => {
                if let Some(m) = state.contacts.member_mut(g, ev.user_id) {
                    m.last_sent_time = ev.time;
                } else {
                    let name = ev.sender.nickname.clone();
                    state.contacts.see(ev.user_id, &name);
                }
            }
            Peer::Private(_) => {
                let name = ev.sender.nickname.clone();
                state.contacts.see(ev.user_id, &name);
            }
        }
        if let Some(name) = &ev.group_name
            && let Some(g) = state.contacts.groups.get_mut(&peer.id())
            && g.name.is_empty()
        {
            g.name = name.clone();
            state.contacts.touch();
        }
    }
    // A highlight word counts as a mention: the `@` marker, the bell and the notification.
    // Only live messages alert or count: pages and catch-up skip the text scan.
    let mentions_me = live
        && !item.own
        && (item.chain.mentions(state.self_id, true)
            || state.settings.highlights.in_chain(&item.chain));
    let temp_group = temp_session_group(&ev);
    let key = key_of(state, &ev);
    if key.time != ev.time {
        item.bad_time = Some(ev.time);
    }
    let is_open = state.open == Some(peer);
    let watching = is_open && state.terminal_focused;
    let now = state.now;
    let chat = state.chat_mut(peer);
    if temp_group.is_some() {
        chat.temp_group = temp_group;
    }
    // Our own message coming back: the local echo already holds it once the reply gave its id
    // (its pictures, cached by the names they were sent with, serve NapCat's names too).
    if item.own
        && let Some(sent) = item.id.and_then(|id| chat.timeline.message(id))
        && sent.local_id.is_some()
    {
        fx.extend(Effect::aliases(&sent.chain, &item.chain));
    }
    if !chat.timeline.insert(key, EntryKind::Message(item.clone())) {
        return;
    }
    chat.note_activity(ev.time.max(if live { now } else { 0 }));
    if !live {
        return;
    }
    if item.own {
        // Your own words are not news, wherever you are scrolled.
        chat.read_marker = Some(key);
        return;
    }
    if is_open && chat.scroll != Scroll::Bottom {
        chat.new_below += 1;
    }
    if is_open && let Some(u) = chat.unread_at_open.as_mut() {
        // Newer than what was unread when the chat was opened.
        u.seen_live += 1;
    }
    if !is_open {
        if chat.unread == 0 && chat.read_marker.is_none() {
            chat.read_marker = Some(SortKey {
                arrival: key.arrival.saturating_sub(1),
                ..key
            });
        }
        chat.unread += 1;
        if mentions_me {
            chat.mentions += 1;
        }
    }
    // 免打扰: the message counts as unread, and that is all; otherwise the chat's /notify mode.
    if !watching && !state.muted.contains(&peer) && state.notify_modes.alerts(peer, mentions_me) {
        let title = match peer {
            Peer::Group(_) => format!(
                "{} @了你 · {}",
                item.sender_name,
                state.contacts.chat_name(peer)
            ),
            Peer::Private(u) => state.contacts.user_name(u),
        };
        let body = excerpt(&state.plain_text(peer, &item.chain));
        fx.push(Effect::Notify { title, body });
    }
    if is_open {
        super::quotes::request_for(state, peer, &item, fx);
        if state.terminal_focused {
            super::read_marks::seen(state, peer, fx);
        }
    }
}

/// Adds a notice line to its chat's timeline, and to the store.
fn add_line(
    state: &mut State,
    fx: &mut Vec<Effect>,
    kind: LineKind,
    peer: Peer,
    time: i64,
    actor: Option<i64>,
    text: String,
) {
    state.store.write(
        fx,
        StoreWrite::Notice(NoticeLine {
            peer,
            time,
            kind,
            actor,
            text: text.clone(),
        }),
    );
    let arrival = state.arrival();
    let key = SortKey {
        time,
        seq: u64::MAX,
        arrival,
    };
    let chat = state.chat_mut(peer);
    chat.timeline
        .insert(key, EntryKind::Notice(NoticeItem { actor, text }));
    if state.open == Some(peer)
        && let Some(c) = state.chats.get_mut(&peer)
        && c.scroll != Scroll::Bottom
    {
        c.new_below += 1;
    }
}

fn you_or(state: &State, g: i64, user: i64) -> String {
    if user == state.self_id && user != 0 {
        "你".to_string()
    } else {
        state.contacts.member_name(g, user)
    }
}

/// Whose message `actor` did something to, as it reads after the verb: `自己的` when it was the
/// actor's own, `你的` when yours, ` 明哥 的` otherwise (a name stands apart, as everywhere in these
/// lines), nothing when unknown.
fn whose(state: &State, g: i64, owner: i64, actor: i64) -> String {
    if owner == 0 {
        String::new()
    } else if owner == actor {
        "自己的".into()
    } else if owner == state.self_id {
        "你的".into()
    } else {
        format!(" {} 的", state.contacts.member_name(g, owner))
    }
}

fn on_notice(state: &mut State, n: Notice, fx: &mut Vec<Effect>) {
    let t = if n.time > 0 { n.time } else { state.now };
    let kind = LineKind::of(&n.kind);
    match n.kind {
        NoticeKind::GroupRecall {
            group_id,
            user_id,
            operator_id,
            message_id,
        } => {
            let peer = Peer::Group(group_id);
            let op = if operator_id == 0 {
                user_id
            } else {
                operator_id
            };
            state.store.write(
                fx,
                StoreWrite::Recall {
                    peer,
                    message_id,
                    by: op,
                },
            );
            let found = state
                .chat_mut(peer)
                .timeline
                .update_by_id(message_id, |m| m.recalled_by = Some(op));
            if !found {
                let who = you_or(state, group_id, op);
                let text = if op == user_id {
                    format!("{who} 撤回了一条消息")
                } else {
                    format!(
                        "{who} 撤回了{}一条消息",
                        whose(state, group_id, user_id, op)
                    )
                };
                add_line(state, fx, kind, peer, t, Some(op), text);
            }
        }
        NoticeKind::FriendRecall {
            user_id,
            message_id,
        } => {
            let peer = Peer::Private(user_id);
            state.store.write(
                fx,
                StoreWrite::Recall {
                    peer,
                    message_id,
                    by: user_id,
                },
            );
            let found = state
                .chat_mut(peer)
                .timeline
                .update_by_id(message_id, |m| m.recalled_by = Some(user_id));
            if !found {
                let who = state.contacts.user_name(user_id);
                add_line(
                    state,
                    fx,
                    kind,
                    peer,
                    t,
                    Some(user_id),
                    format!("{who} 撤回了一条消息"),
                );
            }
        }
        NoticeKind::GroupIncrease {
            how,
            group_id,
            user_id,
            operator_id,
        } => {
            let who = you_or(state, group_id, user_id);
            if who == user_id.to_string() {
                // A newcomer is not on the member list yet: their name is asked for, and put
                // in this line when it comes.
                super::names::ask(state, user_id, None, fx);
            }
            let text = match how {
                JoinKind::Invite if operator_id != 0 => format!(
                    "{} 邀请 {who} 加入了群聊",
                    you_or(state, group_id, operator_id)
                ),
                _ => format!("{who} 加入了群聊"),
            };
            if let Some(g) = state.contacts.groups.get_mut(&group_id) {
                g.member_count += 1;
            }
            if let Some(ms) = state.contacts.members.get_mut(&group_id)
                && ms.state == super::contacts::MembersState::Loaded
                && !ms.by_id().contains_key(&user_id)
            {
                ms.insert(super::contacts::Member {
                    user_id,
                    join_time: t,
                    ..Default::default()
                });
            }
            state.contacts.touch();
            add_line(
                state,
                fx,
                kind,
                Peer::Group(group_id),
                t,
                Some(user_id),
                text,
            );
            if user_id == state.self_id {
                fx.push(Effect::call(Groups));
            }
        }
        NoticeKind::GroupDecrease {
            how,
            group_id,
            user_id,
            operator_id,
        } => {
            let who = you_or(state, group_id, user_id);
            let text = match how {
                LeaveKind::Leave => format!("{who} 退出了群聊"),
                LeaveKind::Kick => format!(
                    "{who} 被 {} 移出了群聊",
                    you_or(state, group_id, operator_id)
                ),
                LeaveKind::KickMe => {
                    format!("你被 {} 移出了群聊", you_or(state, group_id, operator_id))
                }
                LeaveKind::Disband => "群聊已解散".to_string(),
            };
            state.contacts.remove_member(group_id, user_id);
            if let Some(g) = state.contacts.groups.get_mut(&group_id) {
                g.member_count = (g.member_count - 1).max(0);
            }
            if matches!(how, LeaveKind::KickMe | LeaveKind::Disband) || user_id == state.self_id {
                state.contacts.groups.remove(&group_id);
            }
            state.contacts.touch();
            add_line(
                state,
                fx,
                kind,
                Peer::Group(group_id),
                t,
                Some(user_id),
                text,
            );
        }
        NoticeKind::GroupBan {
            lift,
            group_id,
            user_id,
            operator_id,
            duration,
        } => {
            let op = you_or(state, group_id, operator_id);
            let text = if user_id == 0 {
                if let Some(g) = state.contacts.groups.get_mut(&group_id) {
                    g.all_shut = !lift;
                }
                if lift {
                    format!("{op} 关闭了全员禁言")
                } else {
                    format!("{op} 开启了全员禁言")
                }
            } else {
                let who = you_or(state, group_id, user_id);
                let until = if lift { 0 } else { t + duration };
                if let Some(m) = state.contacts.member_mut(group_id, user_id) {
                    m.shut_up_until = until;
                }
                if lift {
                    format!("{who} 被 {op} 解除禁言")
                } else {
                    format!("{who} 被 {op} 禁言 {}", duration_text(duration))
                }
            };
            state.contacts.touch();
            add_line(
                state,
                fx,
                kind,
                Peer::Group(group_id),
                t,
                Some(user_id),
                text,
            );
        }
        NoticeKind::GroupAdmin {
            set,
            group_id,
            user_id,
        } => {
            if let Some(m) = state.contacts.member_mut(group_id, user_id) {
                m.role = if set {
                    crate::onebot::Role::Admin
                } else {
                    crate::onebot::Role::Member
                };
            }
            state.contacts.touch();
            let who = you_or(state, group_id, user_id);
            let text = if set {
                format!("{who} 成为了管理员")
            } else {
                format!("{who} 被取消了管理员")
            };
            add_line(
                state,
                fx,
                kind,
                Peer::Group(group_id),
                t,
                Some(user_id),
                text,
            );
        }
        NoticeKind::GroupCard {
            group_id,
            user_id,
            card_new,
            card_old,
        } => {
            if let Some(m) = state.contacts.member_mut(group_id, user_id) {
                m.card = card_new.clone();
            }
            state.contacts.touch();
            let old = if card_old.is_empty() {
                state.contacts.user_name(user_id)
            } else {
                card_old
            };
            let text = if card_new.is_empty() {
                format!("{old} 清除了群名片")
            } else {
                format!("{old} 的群名片改为 {card_new}")
            };
            add_line(
                state,
                fx,
                kind,
                Peer::Group(group_id),
                t,
                Some(user_id),
                text,
            );
        }
        NoticeKind::FriendAdd { user_id } => {
            fx.push(Effect::call(Friends));
            add_line(
                state,
                fx,
                kind,
                Peer::Private(user_id),
                t,
                Some(user_id),
                "你们已经是好友了，开始聊天吧".into(),
            );
        }
        NoticeKind::Essence {
            removed,
            group_id,
            message_id,
            sender_id,
            operator_id,
        } => {
            state
                .chat_mut(Peer::Group(group_id))
                .timeline
                .update_by_id(message_id, |m| m.essence = !removed);
            let op = you_or(state, group_id, operator_id);
            let who = whose(state, group_id, sender_id, operator_id);
            let text = if removed {
                format!("{op} 移除了{who}一条精华消息")
            } else {
                format!("{op} 将{who}一条消息设为精华")
            };
            add_line(
                state,
                fx,
                kind,
                Peer::Group(group_id),
                t,
                Some(operator_id),
                text,
            );
        }
        NoticeKind::GroupMsgEmojiLike {
            group_id,
            user_id,
            message_id: Some(message_id),
            likes,
            is_add,
        } => {
            let add = is_add != Some(false);
            // Kept in the store as a line (for the record and exports); the timeline shows
            // reactions as counts on their message, not as lines.
            if state.store.writing() && !likes.is_empty() {
                let who = you_or(state, group_id, user_id);
                let labels: String = likes
                    .iter()
                    .map(|l| crate::onebot::faces::reaction_label(&l.emoji_id))
                    .collect();
                let text = if add {
                    format!("{who} 回应了一条消息 {labels}")
                } else {
                    format!("{who} 取消了对一条消息的回应 {labels}")
                };
                state.store.write(
                    fx,
                    StoreWrite::Notice(NoticeLine {
                        peer: Peer::Group(group_id),
                        time: t,
                        kind,
                        actor: (user_id != 0).then_some(user_id),
                        text,
                    }),
                );
            }
            let likes: Vec<(String, i64)> =
                likes.into_iter().map(|l| (l.emoji_id, l.count)).collect();
            reactions::on_notice(state, group_id, message_id, user_id, &likes, add);
        }
        NoticeKind::GroupMsgEmojiLike { .. } => {}
        NoticeKind::Poke {
            group_id,
            user_id,
            sender_id,
            target_id,
            action,
            suffix,
            ..
        } => {
            let (peer, poker) = match group_id {
                Some(g) => (Peer::Group(g), user_id),
                None => (Peer::Private(user_id), sender_id.unwrap_or(user_id)),
            };
            let name = |state: &State, u: i64| match peer {
                Peer::Group(g) => you_or(state, g, u),
                Peer::Private(_) if u == state.self_id => "你".to_string(),
                Peer::Private(_) => state.contacts.user_name(u),
            };
            let text = format!(
                "{} {action} {}{suffix}",
                name(state, poker),
                name(state, target_id)
            );
            add_line(state, fx, kind, peer, t, Some(poker), text);
            if target_id == state.self_id && state.open != Some(peer) {
                let c = state.chat_mut(peer);
                c.note_activity(t);
            }
        }
        NoticeKind::InputStatus {
            user_id,
            status_text,
            event_type,
            ..
        } => {
            // QQ's code 1 is typing; the others (and an empty text) end it.
            if event_type == 1 || !status_text.trim().is_empty() {
                state
                    .typing
                    .insert(user_id, ("正在输入…".into(), state.now + 10));
            } else {
                state.typing.remove(&user_id);
            }
        }
        NoticeKind::ProfileLike {
            operator_nick,
            operator_id,
            times,
        } => {
            let who = if operator_nick.is_empty() {
                state.contacts.user_name(operator_id)
            } else {
                operator_nick
            };
            state.info(format!("{who} 赞了你 {times} 次"));
        }
        NoticeKind::Title {
            group_id,
            user_id,
            title,
        } => {
            if let Some(m) = state.contacts.member_mut(group_id, user_id) {
                m.title = title.clone();
            }
            state.contacts.touch();
            let who = you_or(state, group_id, user_id);
            add_line(
                state,
                fx,
                kind,
                Peer::Group(group_id),
                t,
                Some(user_id),
                format!("{who} 获得了头衔「{title}」"),
            );
        }
        NoticeKind::GroupName {
            group_id,
            user_id,
            name_new,
        } => {
            if let Some(g) = state.contacts.groups.get_mut(&group_id) {
                g.name = name_new.clone();
            }
            state.contacts.touch();
            let who = you_or(state, group_id, user_id);
            add_line(
                state,
                fx,
                kind,
                Peer::Group(group_id),
                t,
                Some(user_id),
                format!("{who} 将群名修改为「{name_new}」"),
            );
        }
        NoticeKind::GrayTip {
            group_id,
            user_id,
            tip,
            ..
        } => {
            let text = tip.text();
            if !text.is_empty() {
                add_line(
                    state,
                    fx,
                    kind,
                    Peer::Group(group_id),
                    t,
                    Some(user_id),
                    text,
                );
            }
        }
        NoticeKind::BotOffline { message, tag, .. } => {
            let why = if message.is_empty() { tag } else { message };
            state.error(format!("账号已下线: {why}"));
        }
        NoticeKind::OnlineFile {
            notice_type,
            sub_type,
            peer_id,
        } => {
            let text = match (notice_type.as_str(), sub_type.as_str()) {
                ("online_file_receive", "cancel") => "对方取消了在线文件",
                ("online_file_send", "receive") => "对方接收了在线文件",
                ("online_file_send", "refuse") => "对方拒绝了在线文件",
                _ => "在线文件状态已更新",
            };
            add_line(
                state,
                fx,
                kind,
                Peer::Private(peer_id),
                t,
                Some(peer_id),
                text.to_string(),
            );
        }
        NoticeKind::GroupUpload { .. } | NoticeKind::Unknown(_) => {}
    }
}
