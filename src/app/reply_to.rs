//! Replying: the selected message, quoted in the composer.

use crate::onebot::Peer;

use super::action::Pane;
use super::chat::MessageItem;
use super::composer::ReplyTarget;
use super::state::{Quote, State};
use super::text::excerpt;

/// Quotes the selected message in the composer (or says why it cannot be replied to).
pub fn start(state: &mut State) {
    let Some((peer, m)) = state.selected_message() else {
        state.error(
            state
                .keymap
                .fill_keys("先在消息列表里选中一条消息 ({composer:cancel}, {timeline:move -1})"),
        );
        return;
    };
    let Some(id) = m.id else {
        state.error("这条消息还没有发送成功，不能回复");
        return;
    };
    state.composer.reply = Some(quoting(state, peer, id, m));
    state.focus = Pane::Composer;
}

/// The reply target for message `id` of `peer`, described from the timeline or a fetched quote
/// (without author and excerpt when neither has it).
pub fn target(state: &State, peer: Peer, id: i64) -> ReplyTarget {
    let shown = state
        .chats
        .get(&peer)
        .and_then(|c| c.timeline.get(c.timeline.key_of(id)?)?.message());
    if let Some(m) = shown {
        return quoting(state, peer, id, m);
    }
    let (author, excerpt) = match state.quotes.get(&id) {
        Some(Quote::Found {
            author, excerpt, ..
        }) => (author.clone(), excerpt.clone()),
        _ => (String::new(), String::new()),
    };
    ReplyTarget {
        message_id: id,
        author,
        excerpt,
    }
}

fn quoting(state: &State, peer: Peer, id: i64, m: &MessageItem) -> ReplyTarget {
    let author = if m.own {
        state.self_name.clone()
    } else {
        state.contacts.name_in(peer, m.sender_id)
    };
    ReplyTarget {
        message_id: id,
        author,
        excerpt: excerpt(&state.plain_text(peer, &m.chain)),
    }
}
