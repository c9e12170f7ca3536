//! The local history in the app: which account's store to open, what an opened store brings
//! (the sidebar's chats, offline too), stored rows filed into a chat's timeline — its newest
//! page when it opens, older ones when scrolling back (before NapCat is asked), newer ones
//! below a search hit opened far back. Reads and writes are effects; their answers come back
//! as `Msg::Store`.

use crate::onebot::Peer;
use crate::store::{Anchor, LineKind, Row};

use super::catch_up;
use super::chat::{EntryKind, HistoryState, MessageItem, NoticeItem, Page, SortKey};
use super::effect::Effect;
use super::state::State;
use super::store_state::StoreStatus;
use super::stored::{Boundary, PageFor, ReadKind, StoreEvent, StoreRead, StoreWrite};

/// Rows read when a chat opens.
pub const OPEN_PAGE: usize = 200;
/// Rows read per page when scrolling back or down through the store.
pub const STORE_PAGE: usize = 200;

/// Opens the store of `account` unless it is open or opening already. The one place a store is
/// asked for.
pub fn want_account(state: &mut State, account: i64, fx: &mut Vec<Effect>) {
    if !state.settings.history
        || account == 0
        || state.store.account() == Some(account)
        || state.store.failed == Some(account)
    {
        return;
    }
    if let Some(old) = state.store.account() {
        // Another account's history was shown (offline start): it is not this one's.
        tracing::info!("history: switching from account {old} to {account}");
        forget_loaded(state);
    }
    state.store.status = StoreStatus::Opening(account);
    fx.push(Effect::OpenStore { account });
}

/// Keeps a chat's name in the store (for the sidebar offline and `/find in:`); written again
/// only when it changed.
pub fn name_chat(state: &mut State, peer: Peer, name: &str, fx: &mut Vec<Effect>) {
    let name = name.trim();
    if !name.is_empty() {
        let w = StoreWrite::ChatName {
            peer,
            name: name.to_string(),
        };
        state.store.write(fx, w);
    }
}

/// Your name goes into the store as the name of the chat with yourself, so that a start
/// without NapCat knows it (see [`opened`]): your messages and the mentions of you are drawn
/// with it, not with your number.
pub fn keep_own_name(state: &mut State, fx: &mut Vec<Effect>) {
    if state.self_id != 0 {
        let name = state.self_name.clone();
        name_chat(state, Peer::Private(state.self_id), &name, fx);
    }
}

/// The name napterm knows for the chat `peer` as the roster stores it (`name_chat`), or None
/// when all it knows is the number.
fn known_chat_name(state: &State, peer: Peer) -> Option<String> {
    match peer {
        Peer::Private(u) if u == state.self_id => Some(state.self_name.clone()),
        Peer::Private(u) => state.contacts.known_name_in(peer, u),
        Peer::Group(g) => state.contacts.groups.get(&g).map(|e| e.name.clone()),
    }
}

/// What the chats hold from another account's store goes.
fn forget_loaded(state: &mut State) {
    state.chats.clear();
    state.store.newest.clear();
    state.store.names.clear();
    if let Some(p) = state.open {
        state.chat_mut(p);
    }
}

/// What the history service reports.
pub fn on_event(state: &mut State, ev: StoreEvent, fx: &mut Vec<Effect>) {
    match ev {
        StoreEvent::LastAccount(Some(account)) => {
            // Started before the connection said who we are: show the last account's history.
            if state.store.status == StoreStatus::Closed && state.self_id == 0 {
                want_account(state, account, fx);
            }
        }
        StoreEvent::LastAccount(None) => {}
        StoreEvent::Opened {
            account,
            chats,
            notice,
        } => opened(state, account, chats, notice, fx),
        StoreEvent::Unavailable { account, reason } => {
            if state.store.status == StoreStatus::Opening(account) {
                state.store.failed = Some(account);
                state.store.status = StoreStatus::Off(reason.clone());
                state.error(reason);
            }
        }
        StoreEvent::Fault(reason) => {
            state.store.failed = state.store.account();
            state.store.status = StoreStatus::Off(reason.clone());
            state.error(reason);
        }
        StoreEvent::Page {
            peer,
            anchor,
            limit,
            purpose,
            rows,
        } => on_page(state, peer, anchor, limit, purpose, rows, fx),
        StoreEvent::ReadFailed { what, reason } => {
            if what == ReadKind::Find
                && let Some(super::popup::Popup::Find(v)) = state.popup.as_mut()
            {
                v.hits = super::popup::Load::Failed(reason);
                return;
            }
            if let ReadKind::Page(p) | ReadKind::Around(p) = what
                && let Some(c) = state.chats.get_mut(&p)
            {
                c.store_reading = false;
                c.store_done = true;
            }
            state.error(format!("读取本地记录失败: {reason}"));
        }
        StoreEvent::Forgotten(peer) => {
            // The copy on disk is gone; what is on screen stays until the chat is left, and
            // scrolling back asks NapCat.
            state.store.newest.remove(&peer);
            // Its stored name went with it: kept again at once (the messages still to come
            // are stored under it, `/find in:` finds it, and your own name stays known offline).
            state.store.names.remove(&peer);
            if let Some(name) = known_chat_name(state, peer) {
                name_chat(state, peer, &name, fx);
            }
            let chat = state.chat_mut(peer);
            chat.store_done = true;
            if chat.detached {
                // An old stretch read from what is gone: the newest come from NapCat.
                chat.timeline.clear();
                chat.detached = false;
                chat.follow_bottom();
                chat.history = HistoryState::NotLoaded;
                let page = state.settings.history_page;
                if state.online()
                    && let Some(call) = state.chat_mut(peer).request_page(Page::Latest, page)
                {
                    fx.push(Effect::Call(call));
                }
            }
            state.info("已删除这个会话的本地记录");
        }
        // The search's answers belong to its popup (`popup::find`).
        StoreEvent::Found { .. } | StoreEvent::Around { .. } => {}
    }
}

fn opened(
    state: &mut State,
    account: i64,
    chats: Vec<crate::store::StoredChat>,
    notice: Option<String>,
    fx: &mut Vec<Effect>,
) {
    if state.store.status != StoreStatus::Opening(account) {
        return; // superseded by another account
    }
    state.store.status = StoreStatus::Open(account);
    if state.self_id == 0 {
        state.self_id = account;
        state.contacts.touch();
    }
    for c in chats {
        let name = c.name.trim().to_string();
        if c.peer == Peer::Private(account)
            && state.self_id == account
            && state.self_name.is_empty()
        {
            // Your own name, as the chat with yourself keeps it (see `keep_own_name`).
            state.self_name = name.clone();
        }
        if !name.is_empty() {
            state.contacts.see_chat(c.peer, &name);
            state.store.names.insert(c.peer, name);
        }
        if let Some(n) = c.newest {
            let b = Boundary {
                message_id: n.message_id,
                time: n.time(),
            };
            let e = state.store.newest.entry(c.peer).or_insert(b);
            if b.time > e.time {
                *e = b;
            }
            let chat = state.chat_mut(c.peer);
            chat.note_activity(n.time());
        }
    }
    state.contacts.touch();
    if let Some(n) = notice {
        state.error(n);
    }
    if let Some(p) = state.open {
        read_open(state, p, fx);
        // Its latest page may have been asked before the store knew where it ends.
        if state.online() {
            catch_up::start(state, p, fx);
        }
    }
    if state.online() {
        // The recent chats, again (unless already on their way, when the answer will see the
        // store): those behind what the store holds catch up.
        super::load_tracker::ask(state, crate::app::loads::Load::RecentChats, fx);
    }
}

/// The open chat's newest stored rows, once per run (drawn at once, before NapCat answers).
pub fn read_open(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    if !state.store.readable() {
        return;
    }
    let chat = state.chat_mut(peer);
    if chat.from_store {
        return;
    }
    chat.from_store = true;
    chat.store_reading = true;
    state.store.read(
        fx,
        StoreRead::Page {
            peer,
            anchor: None,
            limit: OPEN_PAGE,
            purpose: PageFor::Open,
        },
    );
}

/// Scrolling back past the oldest loaded message: the store's older rows first; false when the
/// store has none left (then NapCat is asked).
pub fn read_older(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) -> bool {
    if !state.store.readable() {
        return false;
    }
    let chat = state.chat_mut(peer);
    if chat.store_done {
        return false;
    }
    if chat.store_reading {
        return true;
    }
    let anchor = chat
        .timeline
        .oldest_message()
        .map(|(message_id, time)| Anchor::Message { time, message_id });
    chat.store_reading = true;
    state.store.read(
        fx,
        StoreRead::Page {
            peer,
            anchor,
            limit: STORE_PAGE,
            purpose: PageFor::Older,
        },
    )
}

/// Scrolling down below the newest loaded message of a chat opened at an old search hit.
pub fn read_newer(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    let chat = state.chat_mut(peer);
    if chat.store_reading || !chat.detached {
        return;
    }
    let Some((message_id, time)) = chat.timeline.newest_message() else {
        chat.detached = false;
        return;
    };
    chat.store_reading = true;
    state.store.read(
        fx,
        StoreRead::Page {
            peer,
            anchor: Some(Anchor::Message { time, message_id }),
            limit: STORE_PAGE,
            purpose: PageFor::Newer,
        },
    );
}

/// Back to the newest messages from a chat opened at an old search hit: what was loaded goes,
/// the newest stored page comes.
pub fn back_to_newest(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    let chat = state.chat_mut(peer);
    if !chat.detached {
        return;
    }
    chat.timeline.clear();
    chat.detached = false;
    chat.from_store = false;
    chat.store_done = false;
    chat.store_reading = false;
    chat.follow_bottom();
    read_open(state, peer, fx);
    if state.online() && !catch_up::start(state, peer, fx) {
        let page = state.settings.history_page;
        if let Some(call) = state.chat_mut(peer).request_page(Page::Latest, page) {
            fx.push(Effect::Call(call));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn on_page(
    state: &mut State,
    peer: Peer,
    _anchor: Option<Anchor>,
    limit: usize,
    purpose: PageFor,
    rows: Vec<Row>,
    fx: &mut Vec<Effect>,
) {
    let got = rows.len();
    file_rows(state, peer, rows);
    let online = state.online();
    let page = state.settings.history_page;
    let chat = state.chat_mut(peer);
    chat.store_reading = false;
    match purpose {
        PageFor::Open | PageFor::Older => {
            if got < limit {
                chat.store_done = true;
            }
            if purpose == PageFor::Older && got == 0 {
                // Nothing older stored: NapCat is asked from here on.
                if online
                    && matches!(chat.history, HistoryState::Idle | HistoryState::Failed)
                    && let Some(call) = chat.request_page(Page::Older, page)
                {
                    fx.push(Effect::Call(call));
                }
            }
        }
        PageFor::Newer => {
            if got < limit {
                // The newest stored row is loaded: the chat is whole again.
                chat.detached = false;
                if online {
                    catch_up::start(state, peer, fx);
                }
            }
        }
    }
}

/// Files stored rows into `peer`'s timeline (a message already there, or a notice line already
/// shown, is not added again); returns how many were added.
pub fn file_rows(state: &mut State, peer: Peer, rows: Vec<Row>) -> usize {
    let me = state.self_id;
    // Their senders' names, as a live message's are: offline, with no member list, a mention
    // of someone who spoke in the chat shows their name rather than their number.
    for row in &rows {
        if let Row::Message(m) = row
            && !m.own
        {
            state.contacts.see(m.sender.user_id, &m.sender.nickname);
        }
    }
    let mut added = 0;
    for row in rows {
        let arrival = state.arrival();
        let chat = state.chat_mut(peer);
        match row {
            Row::Message(m) => {
                let ev = m.to_event(me);
                let mut item = MessageItem::from_event(&ev);
                item.recalled_by = m.recalled_by;
                let key = SortKey {
                    time: m.time(),
                    seq: m.real_seq.and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
                    arrival,
                };
                if chat.timeline.insert(key, EntryKind::Message(item)) {
                    added += 1;
                    chat.note_activity(m.time());
                }
            }
            // Reactions show as counts on their message, not as lines.
            Row::Notice(n) if n.line.kind == LineKind::Reaction => {}
            Row::Notice(n) => {
                let time = n.line.time;
                if chat.timeline.has_notice(time, &n.line.text) {
                    continue;
                }
                let key = SortKey {
                    time,
                    seq: u64::MAX,
                    arrival,
                };
                chat.timeline.insert(
                    key,
                    EntryKind::Notice(NoticeItem {
                        actor: n.line.actor,
                        text: n.line.text,
                    }),
                );
                added += 1;
            }
        }
    }
    added
}
