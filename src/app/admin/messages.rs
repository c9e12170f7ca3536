//! Actions on messages: recall (anyone's, when you are admin), essence on and off, and the
//! group's essence list.

use crate::onebot::Peer;

use super::super::action::Pane;
use super::super::call::{Recall, SetEssence};
use super::super::effect::Effect;
use super::super::popup::{self, Confirm, Popup};
use super::super::state::State;
use super::super::text::excerpt;
use super::roles::{MemberOp, may, my_role, require_admin};

/// The selected message: chat, id, author, whether it is ours, its excerpt and essence state.
struct Selected {
    peer: Peer,
    id: i64,
    author: i64,
    own: bool,
    text: String,
    essence: bool,
}

fn selected(state: &State) -> Result<Selected, String> {
    let (peer, m) = state.selected_message().ok_or_else(|| {
        state
            .keymap
            .fill_keys("先在消息列表里选中一条消息 ({composer:cancel}, {timeline:move -1})")
    })?;
    let id = m.id.ok_or("这条消息还没有发送成功")?;
    if m.recalled_by.is_some() {
        return Err("这条消息已经撤回了".into());
    }
    let text = excerpt(
        &m.chain
            .plain_text_with(|qq| Some(state.contacts.name_in(peer, qq))),
    );
    Ok(Selected {
        peer,
        id,
        author: m.sender_id,
        own: m.own,
        text,
        essence: m.essence,
    })
}

/// Recalls the selected message after a confirmation: your own anywhere, someone else's in a
/// group where your role allows it.
pub fn recall(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let s = selected(state)?;
    let body = if s.own {
        format!("撤回你的消息「{}」？", s.text)
    } else {
        let Peer::Group(g) = s.peer else {
            return Err("只能撤回自己的消息".into());
        };
        let me = my_role(state, g, fx)?;
        let theirs = state
            .contacts
            .member(g, s.author)
            .map(|m| m.role)
            // Not in the loaded list (left since?): the role the message carried.
            .or_else(|| state.selected_message().and_then(|(_, m)| m.role))
            .unwrap_or(crate::onebot::Role::Member);
        may(me, state.self_id, MemberOp::Recall, s.author, theirs)?;
        format!(
            "撤回 {} 的消息「{}」？",
            super::target::label(state, g, s.author),
            s.text
        )
    };
    state.popup = Some(Popup::Confirm(Confirm {
        title: "撤回消息".into(),
        body,
        on_yes: vec![Effect::call(Recall {
            peer: s.peer,
            id: s.id,
            author: s.author,
        })],
    }));
    Ok(())
}

/// Sets (`Some(true)`), removes (`Some(false)`) or toggles (`None`) essence on the selected
/// message.
pub fn essence(state: &mut State, on: Option<bool>, fx: &mut Vec<Effect>) -> Result<(), String> {
    let s = selected(state)?;
    let Peer::Group(g) = s.peer else {
        return Err("只有群消息可以设为精华".into());
    };
    let on = on.unwrap_or(!s.essence);
    let me = my_role(state, g, fx)?;
    require_admin(
        me,
        if on {
            "设置精华消息"
        } else {
            "取消精华消息"
        },
    )?;
    match (on, s.essence) {
        (true, true) => return Err("这条消息已经是精华消息了".into()),
        (false, false) => return Err("这条消息不是精华消息".into()),
        _ => {}
    }
    fx.push(Effect::call(SetEssence {
        group: g,
        id: s.id,
        on,
    }));
    Ok(())
}

/// Opens the open group's essence list (fetched now).
pub fn open_essences(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let g = super::group::open_group(state)?;
    popup::essences::open(state, g, fx);
    Ok(())
}

/// Takes essence away from message `id` of `group` (`delete` in the essence list).
pub fn remove_essence(
    state: &mut State,
    group: i64,
    id: i64,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    let me = my_role(state, group, fx)?;
    require_admin(me, "取消精华消息")?;
    fx.push(Effect::call(SetEssence {
        group,
        id,
        on: false,
    }));
    Ok(())
}

/// Selects message `id` in the open chat if it is loaded (Enter in the essence list).
pub fn jump_to(state: &mut State, group: i64, id: i64) -> Result<(), String> {
    if state.open != Some(Peer::Group(group)) {
        return Err("先打开这个群聊".into());
    }
    let not_loaded = state
        .keymap
        .fill_keys("这条消息不在已加载的记录里 (在消息列表按 {timeline:top} 加载更早的消息)");
    let chat = state.open_chat_mut().ok_or("先打开这个群聊")?;
    let key = chat.timeline.key_of(id).ok_or(not_loaded)?;
    chat.selected = Some(key);
    state.focus = Pane::Timeline;
    Ok(())
}
