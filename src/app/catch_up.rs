//! Catching up with NapCat: a chat pages back from its newest history until a page meets the
//! newest message napterm already had — stored or loaded — so nothing NapCat still has is
//! missing and nothing is shown twice (messages are known by id). What a chat that is not open
//! missed counts as unread, @me included.
//!
//! It starts after a reconnect (the open chat and the recent ones), when the recent-chat list
//! shows a chat whose last message is newer than what is stored, and when a chat with stored
//! history opens. The pages themselves are filed by `history` (like any page), which asks
//! [`examine`] first and [`advance`] after.

use crate::onebot::{MessageEvent, Peer};

use super::call::History;
use super::chat::HistoryState;
use super::effect::Effect;
use super::state::State;
use super::stored::{Boundary, CatchUp};

/// The most pages one chat fetches to catch up.
pub const CATCH_UP_PAGES: u32 = 20;

/// Where `peer`'s known messages end: the newer of its newest stored and newest loaded message.
pub fn known(state: &State, peer: Peer) -> Option<Boundary> {
    let stored = state.store.boundary(peer);
    let loaded = state
        .chats
        .get(&peer)
        .and_then(|c| c.timeline.newest_message())
        .map(|(message_id, time)| Boundary { message_id, time });
    match (stored, loaded) {
        (Some(s), Some(l)) => Some(if l.time > s.time { l } else { s }),
        (s, l) => s.or(l),
    }
}

/// Starts catching `peer` up (its latest page asked) when something is known to catch up
/// from; false when nothing is (then a plain latest page is what it needs). A chat already
/// catching up keeps its boundary and goes on.
pub fn start(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) -> bool {
    if !state.online() {
        return false;
    }
    let Some(k) = known(state, peer) else {
        return false;
    };
    let count = state.settings.history_page;
    let chat = state.chat_mut(peer);
    // Interrupted (another outage): the boundary is still where the first one began.
    let known = chat.catch_up.map_or(k, |c| c.known);
    chat.catch_up = Some(CatchUp {
        known,
        asked: Some(None),
        pages_left: CATCH_UP_PAGES - 1,
    });
    if chat.history == HistoryState::NotLoaded {
        chat.history = HistoryState::Loading;
    }
    fx.push(Effect::call(History {
        peer,
        anchor: None,
        count,
    }));
    true
}

/// The recent-chat list names `last` as `peer`'s last message: catch up when the store stops
/// before it. It is filed next (not live), so in a chat that is not open it is counted as
/// unread here, as the pages will not count it again.
pub fn behind(state: &mut State, peer: Peer, last: &MessageEvent, fx: &mut Vec<Effect>) {
    let Some(b) = state.store.boundary(peer) else {
        return;
    };
    let Some(chat) = state.chats.get(&peer) else {
        return;
    };
    if chat.timeline.key_of(last.message_id).is_some()
        || last.message_id == b.message_id
        || last.time < b.time
    {
        return;
    }
    if chat.catch_up.is_none_or(|u| u.asked.is_none()) {
        start(state, peer, fx);
    }
    if state.open != Some(peer) && !last.is_self() {
        let me = state.self_id;
        let chat = state.chat_mut(peer);
        if chat.unread == 0 && chat.read_marker.is_none() {
            chat.read_marker = chat.timeline.key_of(b.message_id);
        }
        chat.unread += 1;
        if last.message.mentions(me, true) {
            chat.mentions += 1;
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

/// What a catch-up page holds, looked at before it is filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Step {
    /// It reaches what was known (or NapCat has nothing older).
    pub met: bool,
    /// Its oldest message (where the next page ends).
    pub oldest: Option<i64>,
    /// Messages of others it brings that were neither known nor loaded, and those of them
    /// that mention the account.
    pub unread: u32,
    pub mentions: u32,
}

/// Looks at a page before it is filed.
pub fn examine(state: &State, call: &History, list: &[MessageEvent]) -> Step {
    let Some(cu) = state.chats.get(&call.peer).and_then(|c| c.catch_up) else {
        return Step::default();
    };
    let known = cu.known;
    let met = list.len() < call.count as usize
        || list
            .iter()
            .any(|m| m.message_id == known.message_id || m.time < known.time);
    let oldest = list
        .iter()
        .min_by_key(|m| {
            (
                m.time,
                m.real_seq.as_deref().and_then(|s| s.parse::<u64>().ok()),
            )
        })
        .map(|m| m.message_id);
    let loaded = state.chats.get(&call.peer).map(|c| &c.timeline);
    let after_known = list
        .iter()
        .position(|m| m.message_id == known.message_id)
        .map_or(0, |i| i + 1);
    let (mut unread, mut mentions) = (0, 0);
    for (i, m) in list.iter().enumerate() {
        let newer = m.time > known.time || (m.time == known.time && i >= after_known);
        let is_loaded = loaded.is_some_and(|t| t.key_of(m.message_id).is_some());
        if newer && m.message_id != known.message_id && !is_loaded && !m.is_self() {
            unread += 1;
            if m.message.mentions(state.self_id, true) {
                mentions += 1;
            }
        }
    }
    Step {
        met,
        oldest,
        unread,
        mentions,
    }
}

/// After the page was filed: what it brought counts as unread (in a chat that is not open), and
/// the next page is asked, or catching up ends.
pub fn advance(state: &mut State, call: History, step: Step, fx: &mut Vec<Effect>) {
    let History { peer, count, .. } = call;
    let is_open = state.open == Some(peer);
    let chat = state.chat_mut(peer);
    let Some(mut cu) = chat.catch_up.take() else {
        return;
    };
    cu.asked = None;
    if !is_open && step.unread > 0 {
        if chat.unread == 0 && chat.read_marker.is_none() {
            chat.read_marker = chat.timeline.key_of(cu.known.message_id);
        }
        chat.unread += step.unread;
        chat.mentions += step.mentions;
    }
    let next = match step.oldest {
        Some(anchor) if !step.met && cu.pages_left > 0 => Some(anchor),
        _ => None,
    };
    match next {
        Some(anchor) => {
            cu.pages_left -= 1;
            cu.asked = Some(Some(anchor));
            chat.catch_up = Some(cu);
            fx.push(Effect::call(History {
                peer,
                anchor: Some(anchor),
                count,
            }));
        }
        None => {
            if !step.met {
                // Stopped short: the boundary stays for the next start.
                chat.catch_up = Some(cu);
            }
            if chat.history == HistoryState::Loading {
                chat.history = HistoryState::Idle;
            }
            if !step.met {
                tracing::info!("catching up {peer}: stopped after {CATCH_UP_PAGES} pages");
            }
        }
    }
}

/// A catch-up page failed: it stops, keeping its boundary, and the next reconnect starts again
/// from there (the pages that came in between moved the newest stored message past the gap).
pub fn failed(state: &mut State, call: &History) {
    let chat = state.chat_mut(call.peer);
    if let Some(c) = chat.catch_up.as_mut() {
        c.asked = None;
    }
    if chat.history == HistoryState::Loading {
        chat.history = HistoryState::Failed;
    }
}
