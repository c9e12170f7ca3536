//! Passing messages on (转发): Space marks messages in the timeline, `/forward <chat>` sends the
//! marked ones — or the selected one — to another chat as one merged forward (one `{id}` node
//! per message), `/forward --each <chat>` sends them one by one as they are. Esc clears the marks.

use crate::onebot::{Error, Peer};

use super::call::reply::Request;
use super::call::{ForwardEach, ForwardMerged, ForwardedEach};
use super::effect::Effect;
use super::sidebar::resolve_chat;
use super::state::State;
use super::text::short_reason;

/// Space in the timeline: marks or unmarks the selected message.
pub fn toggle_mark(state: &mut State) {
    let Some(chat) = state.open_chat_mut() else {
        return;
    };
    let Some(key) = chat.selected else {
        state.error(
            state
                .keymap
                .fill_keys("先选中一条消息 ({timeline:move -1} / {timeline:move 1})"),
        );
        return;
    };
    let was = chat.marked.contains(&key);
    let now = chat.toggle_mark(key);
    let n = chat.marked.len();
    if !was && !now {
        state.error("这条消息还没有编号 (未发出或已撤回)，不能转发");
    } else if n > 0 {
        state.info(format!("已标记 {n} 条消息 (/forward <会话> 转发)"));
    } else {
        state.info("已取消全部标记");
    }
}

/// Esc in the timeline: clears the open chat's marks; false when there were none.
pub fn clear_marks(state: &mut State) -> bool {
    let cleared = state.open_chat_mut().is_some_and(|c| c.clear_marks());
    if cleared {
        state.info("已取消全部标记");
    }
    cleared
}

/// The ids `/forward` sends from the open chat: the marked messages oldest first, else the
/// selected one.
fn chosen(state: &State) -> Result<(Peer, Vec<i64>), String> {
    let chat = state.open_chat().ok_or("先打开一个会话")?;
    let ids: Vec<i64> = if chat.marked.is_empty() {
        let m = state.selected_message().map(|(_, m)| m).ok_or_else(|| {
            state
                .keymap
                .fill_keys("先选中一条消息，或用 {timeline:mark} 标记几条")
        })?;
        if m.recalled_by.is_some() {
            return Err("这条消息已撤回".into());
        }
        vec![m.id.ok_or("这条消息还没有编号 (未发出)，不能转发")?]
    } else {
        chat.marked
            .iter()
            .filter_map(|k| chat.timeline.get(*k)?.message()?.id)
            .collect()
    };
    if ids.is_empty() {
        return Err("标记的消息都已不在记录里".into());
    }
    Ok((chat.peer, ids))
}

/// `/forward [--each] <chat>`.
pub fn command(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    const USAGE: &str = "用法: /forward [--each] <名字|号码|g:群号|u:QQ号>";
    let (each, target) = match args.strip_prefix("--each") {
        Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => {
            (true, rest.trim())
        }
        _ => (false, args.trim()),
    };
    if target.is_empty() {
        return Err(USAGE.into());
    }
    let target = resolve_chat(state, target)?;
    let (_, ids) = chosen(state)?;
    let n = ids.len();
    let name = state.contacts.chat_name(target);
    if each {
        fx.push(Effect::call(ForwardEach { target, ids }));
    } else {
        fx.push(Effect::call(ForwardMerged { target, ids }));
    }
    state.info(format!("正在转发 {n} 条消息到 {name}…"));
    Ok(())
}

/// The marks of the chat the forwarded messages came from go once they went.
fn after_sent(state: &mut State, ids: &[i64]) {
    for chat in state.chats.values_mut() {
        let keys: Vec<_> = ids
            .iter()
            .filter_map(|id| chat.timeline.key_of(*id))
            .collect();
        if keys.iter().any(|k| chat.marked.contains(k)) {
            chat.clear_marks();
        }
    }
}

// What the calls' results do (see `call::reply::Request`).

impl Request for ForwardMerged {
    /// The id of the merged forward sent.
    type Output = i64;

    fn describe(&self) -> &'static str {
        "合并转发"
    }

    fn subject(&self, state: &State) -> Option<String> {
        Some(format!("到 {}", state.contacts.chat_name(self.target)))
    }

    fn done(self, state: &mut State, _id: i64, _fx: &mut Vec<Effect>) {
        after_sent(state, &self.ids);
        let name = state.contacts.chat_name(self.target);
        state.info(format!("已将 {} 条消息合并转发到 {name}", self.ids.len()));
    }
}

impl Request for ForwardEach {
    type Output = ForwardedEach;

    fn describe(&self) -> &'static str {
        "逐条转发"
    }

    fn subject(&self, state: &State) -> Option<String> {
        Some(format!("到 {}", state.contacts.chat_name(self.target)))
    }

    fn done(self, state: &mut State, out: ForwardedEach, _fx: &mut Vec<Effect>) {
        let name = state.contacts.chat_name(self.target);
        let total = self.ids.len();
        match out.error {
            None => {
                after_sent(state, &self.ids);
                state.info(format!("已将 {total} 条消息逐条转发到 {name}"));
            }
            Some(why) => state.error(format!(
                "逐条转发到 {name}: 发出 {}/{total} 条后失败: {why} (标记保留)",
                out.sent
            )),
        }
    }

    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        let name = state.contacts.chat_name(self.target);
        state.error(format!("逐条转发到 {name} 失败: {}", short_reason(&e)));
    }
}
