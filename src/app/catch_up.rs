//! Catching up after a reconnect: what each recent chat missed while the connection was down.
//!
//! A chat pages back from its newest history until the pages meet the newest message it had
//! before the outage — at most `CATCH_UP_PAGES` pages. A gap that is still open then gets a
//! visible line ("此处可能有遗漏的消息 — 按 g 加载", with the live key), and that key pages on
//! from there. What other chats missed counts as unread.

use crate::onebot::{Error, MessageEvent, Peer};

use super::call::History;
use super::chat::{CatchUp, EntryKind, NoticeItem, SortKey};
use super::effect::Effect;
use super::loads::Load;
use super::state::State;

/// The most history pages one chat fetches to catch up before the gap is marked.
pub const CATCH_UP_PAGES: u32 = 5;
/// How many recent chats catch up (besides the open one).
const RECENT_CHATS: usize = 10;
/// The gap line, with the key that pages on (from the live keymap).
const GAP_LINE: &str = "此处可能有遗漏的消息 — 按 {timeline:top} 加载";

/// After a reconnect: the open chat and the most recent ones each ask for their latest page.
/// A chat whose first page the load tracker is bringing again (it went down with the old
/// connection) catches up from that page: what the chat held before (a recent chat's last
/// message) is a boundary like any other.
pub fn start(state: &mut State, fx: &mut Vec<Effect>) {
    let mut peers: Vec<Peer> = super::sidebar::recent_peers(state)
        .into_iter()
        .take(RECENT_CHATS)
        .collect();
    if let Some(p) = state.open
        && !peers.contains(&p)
    {
        peers.insert(0, p);
    }
    let count = state.settings.history_page;
    for p in peers {
        let tracked = state.loads.is_pending(Load::History(p));
        let chat = state.chat_mut(p);
        let newest = chat.timeline.iter().rev().find_map(|e| {
            let id = e.message()?.id?;
            Some((id, e.key.time))
        });
        let Some((id, time)) = newest else {
            continue;
        };
        // Interrupted by another outage: the boundary is still where the first one began.
        // A gap an earlier catch-up left keeps its line, but it no longer pages on.
        let (known_id, known_time, gap) = match chat.catch_up.take() {
            Some(c) if c.asked.is_some() || c.gap.is_none() => (c.known_id, c.known_time, c.gap),
            _ => (id, time, None),
        };
        chat.catch_up = Some(CatchUp {
            known_id,
            known_time,
            asked: Some(None),
            pages_left: CATCH_UP_PAGES - 1,
            oldest: None,
            gap,
        });
        if !tracked {
            fx.push(Effect::call(History {
                peer: p,
                anchor: None,
                count,
            }));
        }
    }
}

/// Whether `call` is a page a catching-up chat asked for.
pub fn takes(state: &State, call: &History) -> bool {
    state
        .chats
        .get(&call.peer)
        .and_then(|c| c.catch_up.as_ref())
        .is_some_and(|c| c.asked == Some(call.anchor))
}

/// What a catch-up page held, noted before its messages are filed (by `history`).
#[derive(Debug, Clone, PartialEq)]
pub struct PageSeen {
    /// How many messages it held.
    len: usize,
    /// Each message's id and time.
    messages: Vec<(i64, i64)>,
    /// Its oldest message (where the next page ends).
    oldest: Option<i64>,
}

impl PageSeen {
    pub fn of(list: &[MessageEvent]) -> PageSeen {
        PageSeen {
            len: list.len(),
            messages: list.iter().map(|m| (m.message_id, m.time)).collect(),
            oldest: list
                .iter()
                .min_by_key(|m| {
                    (
                        m.time,
                        m.real_seq.as_deref().and_then(|s| s.parse::<u64>().ok()),
                    )
                })
                .map(|m| m.message_id),
        }
    }
}

/// A catch-up page came and its messages are filed: what other chats missed is counted as
/// unread, and then the next page asked, or the gap closed, or marked.
pub fn on_page(state: &mut State, call: History, page: PageSeen, fx: &mut Vec<Effect>) {
    let History { peer, count, .. } = call;
    let Some(mut cu) = state.chat_mut(peer).catch_up.take() else {
        return;
    };
    cu.asked = None;
    let met = page.len < count as usize
        || page
            .messages
            .iter()
            .any(|&(id, time)| id == cu.known_id || time < cu.known_time);
    let oldest = page.oldest;
    if state.open != Some(peer) {
        recount_unread(state, peer, cu.known_id);
    }
    cu.oldest = oldest.or(cu.oldest);
    if met {
        if let Some(gap) = cu.gap.take() {
            state.chat_mut(peer).timeline.remove(gap);
        }
        return;
    }
    match cu.oldest {
        Some(anchor) if cu.pages_left > 0 => {
            cu.pages_left -= 1;
            cu.asked = Some(Some(anchor));
            fx.push(Effect::call(History {
                peer,
                anchor: Some(anchor),
                count,
            }));
        }
        _ => mark_gap(state, peer, &mut cu),
    }
    state.chat_mut(peer).catch_up = Some(cu);
}

/// A catch-up page failed. Lost with the connection: the next reconnect starts over from the
/// same boundary. Refused: the gap stays marked.
pub fn on_failed(state: &mut State, call: History, e: Error) {
    let peer = call.peer;
    let Some(mut cu) = state.chat_mut(peer).catch_up.take() else {
        return;
    };
    cu.asked = None;
    tracing::info!("catching up {peer} failed: {e}");
    if !matches!(e, Error::Transport(_)) {
        mark_gap(state, peer, &mut cu);
    }
    state.chat_mut(peer).catch_up = Some(cu);
}

/// `g` on a chat with a gap: selects the message above it and asks for the pages before it.
/// Returns false when there is no gap to fill (then `g` goes to the top as usual).
pub fn fill_gap(state: &mut State, fx: &mut Vec<Effect>) -> bool {
    let count = state.settings.history_page;
    let Some(chat) = state.open_chat_mut() else {
        return false;
    };
    let peer = chat.peer;
    let Some(cu) = chat.catch_up.as_mut() else {
        return false;
    };
    let (Some(gap), Some(anchor), None) = (cu.gap, cu.oldest, cu.asked) else {
        return false;
    };
    cu.asked = Some(Some(anchor));
    cu.pages_left = CATCH_UP_PAGES - 1;
    chat.selected = chat
        .timeline
        .after(gap)
        .find(|e| e.message().is_some())
        .map(|e| e.key);
    fx.push(Effect::call(History {
        peer,
        anchor: Some(anchor),
        count,
    }));
    state.info("正在加载遗漏的消息…");
    true
}

/// Puts the gap line just before the oldest message the pages brought (or after the last one
/// known, when no page came), replacing an earlier one.
fn mark_gap(state: &mut State, peer: Peer, cu: &mut CatchUp) {
    let text = state.keymap.fill_keys(GAP_LINE);
    let chat = state.chat_mut(peer);
    if let Some(old) = cu.gap.take() {
        chat.timeline.remove(old);
    }
    let below = cu.oldest.and_then(|id| chat.timeline.key_of(id));
    let key = match below {
        Some(k) => SortKey { arrival: 0, ..k },
        None => match chat.timeline.key_of(cu.known_id) {
            Some(k) => SortKey {
                arrival: u64::MAX,
                ..k
            },
            None => return,
        },
    };
    chat.timeline
        .insert(key, EntryKind::Notice(NoticeItem { actor: None, text }));
    cu.gap = Some(key);
}

/// A chat that is not open: its unread count and mentions are what came after its read marker
/// (the last message known before the outage, when nothing was unread), counted again so the
/// messages the pages brought are in it once and live ones are not counted twice.
fn recount_unread(state: &mut State, peer: Peer, known_id: i64) {
    let me = state.self_id;
    let chat = state.chat_mut(peer);
    let Some(marker) = chat.read_marker.or_else(|| chat.timeline.key_of(known_id)) else {
        return;
    };
    let (mut unread, mut mentions) = (0u32, 0u32);
    for e in chat.timeline.after(marker) {
        if let Some(m) = e.message()
            && !m.own
        {
            unread += 1;
            if m.chain.mentions(me, true) {
                mentions += 1;
            }
        }
    }
    if unread > chat.unread {
        chat.read_marker = Some(marker);
        chat.unread = unread;
        chat.mentions = chat.mentions.max(mentions);
    }
}
