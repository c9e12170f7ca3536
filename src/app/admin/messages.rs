//! Actions on messages: recall (anyone's, when you are admin), essence on and off, and the
//! group's essence list — and what their results do.

use super::super::chat::Delivery;
use crate::onebot::types::EssenceMessage;
use crate::onebot::{Error, Peer, RECALL_WINDOW_SECS};

use super::super::action::Pane;
use super::super::call::reply::Request;
use super::super::call::{Essences, Recall, SetEssence};
use super::super::effect::Effect;
use super::super::popup::{self, Confirm, Load, Popup};
use super::super::state::State;
use super::super::text::{excerpt, short_reason};
use super::audit::{self, AuditLine, on_off};
use super::roles::{MemberOp, may, my_role, require_admin};

/// The selected message: chat, id, author, whether it is ours, its excerpt and essence state.
struct Selected {
    peer: Peer,
    id: i64,
    author: i64,
    own: bool,
    text: String,
    essence: bool,
    /// When it was sent.
    time: i64,
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
    let text = excerpt(&state.plain_text(peer, &m.chain));
    let time = state
        .open_chat()
        .and_then(|c| c.selected)
        .map_or(0, |k| k.time);
    Ok(Selected {
        peer,
        id,
        author: m.sender_id,
        own: m.own,
        text,
        essence: m.essence,
        time,
    })
}

/// Recalls the selected message after a confirmation: your own anywhere, someone else's in a
/// group where your role allows it.
pub fn recall(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    if let Some((peer, m)) = state.selected_message()
        && m.id.is_none()
        && let Some(local_id) = m.local_id
        && (matches!(m.delivery, Delivery::Waiting | Delivery::Failed(_))
            || super::super::outbox::uploading(state, local_id))
    {
        // Never sent (or its picture still uploading): taken back here, nothing to ask the
        // server.
        super::super::outbox::cancel(state, peer, local_id, fx);
        return Ok(());
    }
    let s = selected(state)?;
    let body = if s.own {
        // QQ's window for your own message; managing the group lifts it.
        if s.time > 0 && state.now - s.time > RECALL_WINDOW_SECS {
            let manages = match s.peer {
                Peer::Group(g) => my_role(state, g, fx)? != crate::onebot::Role::Member,
                Peer::Private(_) => false,
            };
            if !manages {
                return Err(format!(
                    "发出已超过 {} 分钟的消息不能撤回 (QQ 的限制; 群主和管理员不限)",
                    RECALL_WINDOW_SECS / 60
                ));
            }
        }
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

// What the calls' results do (see `call::reply::Request`).

impl Request for Recall {
    type Output = ();

    fn describe(&self) -> &'static str {
        "撤回"
    }

    /// Recalling someone else's message in a group is moderation; one's own is not.
    fn audit(&self, state: &State) -> Option<AuditLine> {
        match self.peer {
            Peer::Group(g) if self.author != state.self_id => Some(AuditLine::group(
                g,
                "recall",
                format!(
                    "message {} of {}",
                    self.id,
                    audit::member(state, g, self.author)
                ),
            )),
            _ => None,
        }
    }

    fn done(self, state: &mut State, _out: (), fx: &mut Vec<Effect>) {
        let me = state.self_id;
        state.store.write(
            fx,
            super::super::stored::StoreWrite::Recall {
                peer: self.peer,
                message_id: self.id,
                by: me,
            },
        );
        state
            .chat_mut(self.peer)
            .timeline
            .update_by_id(self.id, |m| m.recalled_by = Some(me));
        state.info("已撤回");
    }
}

impl Request for SetEssence {
    type Output = ();

    fn describe(&self) -> &'static str {
        if self.on {
            "设为精华"
        } else {
            "取消精华"
        }
    }

    fn audit(&self, _state: &State) -> Option<AuditLine> {
        Some(AuditLine::group(
            self.group,
            format!("essence {}", on_off(self.on)),
            format!("message {}", self.id),
        ))
    }

    fn done(self, state: &mut State, _out: (), fx: &mut Vec<Effect>) {
        let SetEssence { group, id, on } = self;
        state
            .chat_mut(Peer::Group(group))
            .timeline
            .update_by_id(id, |m| m.essence = on);
        if let Some(Popup::Essences(l)) = state.popup.as_mut()
            && l.group == group
        {
            fx.push(Effect::call(Essences { group }));
        }
        state.info(if on {
            "已设为精华消息"
        } else {
            "已取消精华消息"
        });
    }
}

impl Request for Essences {
    type Output = Vec<EssenceMessage>;

    fn describe(&self) -> &'static str {
        "获取精华消息"
    }

    fn done(self, state: &mut State, list: Vec<EssenceMessage>, fx: &mut Vec<Effect>) {
        if let Some(Popup::Essences(l)) = state.popup.as_mut()
            && l.group == self.group
        {
            // The list says when each message was sent: the server gives only when it was set.
            let ids: Vec<i64> = list.iter().map(|e| e.message_id).collect();
            l.selected = l.selected.min(list.len().saturating_sub(1));
            l.items = Load::Ready(list);
            super::super::quotes::request_times(state, Peer::Group(self.group), &ids, fx);
        }
    }

    /// The list shows the reason.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        if let Some(Popup::Essences(l)) = state.popup.as_mut()
            && l.group == self.group
        {
            l.items = Load::Failed(short_reason(&e));
        }
    }
}
