//! Moving around a timeline: selection, pages, top/bottom, quoted messages, search, links.

use crate::onebot::Peer;

use super::chat::{HistoryState, MessageItem, Page, Seek, SortKey};
use super::effect::Effect;
use super::state::{Search, State};

/// Moves the message selection by `n` (negative: older). Past the newest, the view follows again.
pub fn move_selection(state: &mut State, n: i32, fx: &mut Vec<Effect>) {
    let Some(chat) = state.open_chat_mut() else {
        return;
    };
    if n == 0 {
        return;
    }
    let is_msg = |e: &&super::chat::Entry| e.message().is_some();
    let target = match chat.selected {
        None if n > 0 => return,
        None => {
            let steps = (-n) as usize;
            chat.timeline
                .iter()
                .rev()
                .filter(is_msg)
                .take(steps)
                .last()
                .map(|e| e.key)
        }
        Some(cur) if n < 0 => {
            let steps = (-n) as usize;
            let found = chat
                .timeline
                .before(cur)
                .filter(is_msg)
                .take(steps)
                .last()
                .map(|e| e.key);
            found.or(Some(cur))
        }
        Some(cur) => {
            let steps = n as usize;
            let after: Vec<SortKey> = chat
                .timeline
                .after(cur)
                .filter(is_msg)
                .take(steps)
                .map(|e| e.key)
                .collect();
            if after.len() < steps {
                None
            } else {
                after.last().copied()
            }
        }
    };
    match target {
        Some(_) => chat.selected = target,
        None if chat.detached => {
            // Opened at an old search hit: below it comes the store's next page, not the end.
            let peer = chat.peer;
            super::local::read_newer(state, peer, fx);
            return;
        }
        None => chat.follow_bottom(),
    }
    maybe_load_older(state, fx);
}

/// Moves by `n` pages of what the pane shows.
pub fn page(state: &mut State, n: i32, fx: &mut Vec<Effect>) {
    let per = (state.view.timeline_entries.len() as i32 - 1).max(1);
    move_selection(state, n * per, fx);
}

/// Selects the oldest loaded message (and asks for older ones).
pub fn top(state: &mut State, fx: &mut Vec<Effect>) {
    if let Some(chat) = state.open_chat_mut() {
        chat.selected = chat
            .timeline
            .iter()
            .find(|e| e.message().is_some())
            .map(|e| e.key);
    }
    maybe_load_older(state, fx);
}

/// Back to the newest message, following new ones (reloaded when a search hit far back was
/// opened).
pub fn bottom(state: &mut State, fx: &mut Vec<Effect>) {
    if let Some(chat) = state.open_chat_mut() {
        if chat.detached {
            let peer = chat.peer;
            super::local::back_to_newest(state, peer, fx);
            return;
        }
        chat.follow_bottom();
    }
}

/// Requests an older page when the selection reached the oldest loaded message.
pub fn maybe_load_older(state: &mut State, fx: &mut Vec<Effect>) {
    let count = state.settings.history_page;
    let Some(chat) = state.open_chat_mut() else {
        return;
    };
    let Some(sel) = chat.selected else {
        return;
    };
    let oldest = chat
        .timeline
        .iter()
        .find(|e| e.message().is_some())
        .map(|e| e.key);
    if oldest != Some(sel) {
        return;
    }
    let peer = chat.peer;
    // The store first; NapCat only beyond what it holds.
    if super::local::read_older(state, peer, fx) {
        return;
    }
    let Some(chat) = state.open_chat_mut() else {
        return;
    };
    if !matches!(chat.history, HistoryState::Idle | HistoryState::Failed) {
        return;
    }
    if let Some(call) = chat.request_page(Page::Older, count) {
        fx.push(Effect::Call(call));
    }
}

/// Enter on a reply: selects the quoted message, paging back through history to it when it is
/// older than what is loaded.
pub fn jump_to_quoted(state: &mut State, fx: &mut Vec<Effect>) {
    let Some((_, m)) = state.selected_message() else {
        return;
    };
    let Some(id) = m.chain.reply_to() else {
        state.error("这条消息没有引用其它消息");
        return;
    };
    let Some(chat) = state.open_chat_mut() else {
        return;
    };
    match chat.timeline.key_of(id) {
        Some(k) => chat.selected = Some(k),
        None => super::seek::start(state, Seek::Message(id), fx),
    }
}

/// Starts a search in the open chat and jumps to its newest match: from the newest message,
/// or from the message the user selected (itself included) — never from where an earlier
/// search left the selection. Nothing from the selection: from the newest after all, so every
/// loaded message can be found. `n`/`N` continue it (`search_step`).
pub fn search_start(state: &mut State, query: &str) -> Result<(), String> {
    let Some(peer) = state.open else {
        return Err("先打开一个会话".into());
    };
    let query = query.trim();
    if query.is_empty() {
        return Err("用法: /search <文字>".into());
    }
    let earlier_match = state
        .search
        .as_ref()
        .filter(|s| s.peer == peer)
        .and_then(|s| s.current);
    let users = state
        .chats
        .get(&peer)
        .and_then(|c| c.selected)
        .filter(|k| Some(*k) != earlier_match);
    let q = query.to_lowercase();
    let found = users
        .and_then(|k| newest_match(state, peer, &q, Some(k)))
        .or_else(|| newest_match(state, peer, &q, None));
    state.search = Some(Search {
        peer,
        query: query.to_string(),
        current: found,
    });
    let Some(k) = found else {
        return Err(format!("没有找到「{query}」"));
    };
    if let Some(c) = state.chats.get_mut(&peer) {
        c.selected = Some(k);
    }
    Ok(())
}

/// The newest message of `peer` matching `q` (lowercase), at or before `from` when given.
fn newest_match(state: &State, peer: Peer, q: &str, from: Option<SortKey>) -> Option<SortKey> {
    let chat = state.chats.get(&peer)?;
    chat.timeline
        .iter()
        .rev()
        .filter(|e| from.is_none_or(|k| e.key <= k))
        .filter_map(|e| e.message().map(|m| (e.key, m)))
        .find(|(_, m)| matches(state, m, q, peer))
        .map(|(k, _)| k)
}

fn matches(state: &State, m: &MessageItem, q: &str, peer: Peer) -> bool {
    let text = state.plain_text(peer, &m.chain).to_lowercase();
    text.contains(q) || m.sender_name.to_lowercase().contains(q)
}

/// Moves to the next match: `dir` −1 = older, +1 = newer. Returns whether one was found.
pub fn search_step(state: &mut State, dir: i32) -> bool {
    let Some(search) = state.search.clone() else {
        state.error("没有进行中的搜索 (/search 文字)");
        return false;
    };
    let Some(chat) = state.chats.get(&search.peer) else {
        return false;
    };
    let q = search.query.to_lowercase();
    let from = search.current.or(chat.selected);
    let found = if dir < 0 {
        let it: Box<dyn Iterator<Item = &super::chat::Entry>> = match from {
            Some(k) => Box::new(chat.timeline.before(k)),
            None => Box::new(chat.timeline.iter().rev()),
        };
        it.filter_map(|e| e.message().map(|m| (e.key, m)))
            .find(|(_, m)| matches(state, m, &q, search.peer))
            .map(|(k, _)| k)
    } else {
        match from {
            Some(k) => chat
                .timeline
                .after(k)
                .filter_map(|e| e.message().map(|m| (e.key, m)))
                .find(|(_, m)| matches(state, m, &q, search.peer))
                .map(|(k, _)| k),
            None => None,
        }
    };
    match found {
        Some(k) => {
            if let Some(s) = state.search.as_mut() {
                s.current = Some(k);
            }
            if let Some(c) = state.chats.get_mut(&search.peer) {
                c.selected = Some(k);
            }
            true
        }
        None => {
            state.info(if dir < 0 {
                "没有更早的匹配"
            } else {
                "没有更新的匹配"
            });
            false
        }
    }
}

/// The link `o` opens for a message: the first web link it carries (the rules are the wire
/// layer's, shared with drawing).
pub fn link_of(m: &MessageItem) -> Option<String> {
    m.chain.link()
}

/// The id of a group file the message carries (for `get_group_file_url`).
pub fn group_file_of(m: &MessageItem) -> Option<String> {
    m.chain.group_file_id()
}
