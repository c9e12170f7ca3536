//! Replying: the selected message, quoted in the composer.

use super::action::Pane;
use super::composer::ReplyTarget;
use super::state::State;
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
    let author = state.contacts.name_in(peer, m.sender_id);
    let author = if m.own {
        state.self_name.clone()
    } else {
        author
    };
    let excerpt = excerpt(&state.plain_text(peer, &m.chain));
    state.composer.reply = Some(ReplyTarget {
        message_id: id,
        author,
        excerpt,
    });
    state.focus = Pane::Composer;
}
