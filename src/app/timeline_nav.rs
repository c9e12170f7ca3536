//! Moving around a timeline: selection, pages, top/bottom, quoted messages, search, links.

use crate::onebot::{Segment, segment::Music};

use super::chat::{HistoryState, MessageItem, Scroll, SortKey};
use super::effect::{Call, Effect};
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
    chat.selected = target;
    if target.is_none() {
        chat.scroll = Scroll::Bottom;
        chat.new_below = 0;
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

/// Back to the newest message, following new ones.
pub fn bottom(state: &mut State) {
    if let Some(chat) = state.open_chat_mut() {
        chat.selected = None;
        chat.scroll = Scroll::Bottom;
        chat.new_below = 0;
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
    if !matches!(chat.history, HistoryState::Idle | HistoryState::Failed) {
        return;
    }
    let Some(anchor) = chat.timeline.oldest_message_id() else {
        return;
    };
    chat.history = HistoryState::Loading;
    fx.push(Effect::Call(Call::History {
        peer: chat.peer,
        anchor: Some(anchor),
        count,
    }));
}

/// Enter on a reply: select the quoted message if it is loaded.
pub fn jump_to_quoted(state: &mut State, _fx: &mut Vec<Effect>) {
    let Some((_, m)) = super::update::selected_message(state) else {
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
        None => state.error(
            state
                .keymap
                .fill_keys("引用的消息不在已加载的记录里 (按 {timeline:top} 加载更早的消息)"),
        ),
    }
}

/// Starts a search in the open chat and jumps to the newest match.
pub fn search_start(state: &mut State, query: &str) -> Result<(), String> {
    let Some(peer) = state.open else {
        return Err("先打开一个会话".into());
    };
    let query = query.trim();
    if query.is_empty() {
        return Err("用法: /search <文字>".into());
    }
    state.search = Some(Search {
        peer,
        query: query.to_string(),
        current: None,
    });
    if !search_step(state, -1) {
        return Err(format!("没有找到「{query}」"));
    }
    Ok(())
}

fn matches(state: &State, m: &MessageItem, q: &str, peer: crate::onebot::Peer) -> bool {
    let text = m
        .chain
        .plain_text_with(|qq| Some(state.contacts.name_in(peer, qq)))
        .to_lowercase();
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

/// The first link or attachment URL of a message.
pub fn link_of(m: &MessageItem) -> Option<String> {
    for seg in m.chain.segments() {
        match seg {
            Segment::Text { text } => {
                if let Some(u) = first_url(text) {
                    return Some(u);
                }
            }
            Segment::Json { data, .. } => {
                if let Some(u) = ark_url(data) {
                    return Some(u);
                }
            }
            Segment::Share(sh) if !sh.url.is_empty() => return Some(sh.url.clone()),
            Segment::Music(m) => {
                if let Music::Custom { url, .. } = &m.music
                    && !url.is_empty()
                {
                    return Some(url.clone());
                }
            }
            Segment::Image(i) => {
                if let Some(u) = i.url.as_ref().filter(|u| u.starts_with("http")) {
                    return Some(u.clone());
                }
            }
            Segment::Video(v) => {
                if let Some(u) = v.url.as_ref().filter(|u| u.starts_with("http")) {
                    return Some(u.clone());
                }
            }
            Segment::Record(r) => {
                if let Some(u) = r.url.as_ref().filter(|u| u.starts_with("http")) {
                    return Some(u.clone());
                }
            }
            Segment::File(f) => {
                if let Some(u) = f.url.as_ref().filter(|u| u.starts_with("http")) {
                    return Some(u.clone());
                }
            }
            _ => {}
        }
    }
    None
}

/// The id of a group file the message carries (for `get_group_file_url`).
pub fn group_file_of(m: &MessageItem) -> Option<String> {
    m.chain.segments().iter().find_map(|s| match s {
        Segment::File(f) => f.file_id.clone().filter(|id| !id.is_empty()),
        _ => None,
    })
}

/// The first http(s) URL in a text.
pub fn first_url(text: &str) -> Option<String> {
    let start = text.find("https://").or_else(|| text.find("http://"))?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || "<>\"'，。）】」".contains(c))
        .unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

fn ark_url(data: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(data).ok()?;
    fn walk(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Object(o) => {
                for k in ["jumpUrl", "qqdocurl", "url"] {
                    if let Some(s) = o.get(k).and_then(|x| x.as_str())
                        && s.starts_with("http")
                    {
                        return Some(s.to_string());
                    }
                }
                o.values().find_map(walk)
            }
            serde_json::Value::Array(a) => a.iter().find_map(walk),
            _ => None,
        }
    }
    walk(v.get("meta").unwrap_or(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_found_in_text() {
        assert_eq!(
            first_url("看这个 https://example.com/a?b=1 好").as_deref(),
            Some("https://example.com/a?b=1")
        );
        assert_eq!(first_url("没有链接"), None);
    }
}
