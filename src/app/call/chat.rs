//! Calls of a chat: history pages, the messages a chat refers to, sending, marking read, a
//! group file's link — and fetching what the open chat quotes.

use crate::onebot::{Error, MessageChain, MessageEvent, Peer};

use super::super::catch_up;
use super::super::chat::{Delivery, HistoryState};
use super::super::effect::Effect;
use super::super::events::on_message;
use super::super::loads::{self, Load};
use super::super::state::{ForwardPreview, Quote, State};
use super::super::text::excerpt;
use super::{Request, short_reason, show_failure};

/// A history page: the latest when `anchor` is None, else `count` messages ending at `anchor`.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub peer: Peer,
    pub anchor: Option<i64>,
    pub count: u32,
}

impl Request for History {
    type Output = Vec<MessageEvent>;

    fn describe(&self) -> &'static str {
        "加载历史消息"
    }

    fn done(self, state: &mut State, list: Vec<MessageEvent>, fx: &mut Vec<Effect>) {
        if catch_up::takes(state, &self) {
            return catch_up::on_page(state, self, list, fx);
        }
        if self.anchor.is_none() {
            loads::settle(state, Load::History(self.peer), Ok(()), fx);
        }
        let History {
            peer,
            anchor,
            count,
        } = self;
        let before = state
            .chats
            .get(&peer)
            .map(|c| c.timeline.len())
            .unwrap_or(0);
        let got = list.len();
        for m in list {
            if m.peer() == peer || m.peer().id() == 0 {
                on_message(state, m, fx, false);
            } else {
                // Some servers omit group_id/target_id in history entries: file it where asked.
                let mut m = m;
                match peer {
                    Peer::Group(g) => m.group_id = Some(g),
                    Peer::Private(u) => m.target_id = Some(u),
                }
                on_message(state, m, fx, false);
            }
        }
        let chat = state.chat_mut(peer);
        let added = chat.timeline.len().saturating_sub(before);
        chat.history = if anchor.is_some() && (added == 0 || got < count as usize) {
            HistoryState::Exhausted
        } else {
            HistoryState::Idle
        };
        if state.open == Some(peer) {
            super::super::quotes::request(state, peer, fx);
        }
    }

    fn failed(self, state: &mut State, e: Error, fx: &mut Vec<Effect>) {
        if catch_up::takes(state, &self) {
            return catch_up::on_failed(state, self, e);
        }
        if self.anchor.is_none() && loads::settle(state, Load::History(self.peer), Err(&e), fx) {
            return;
        }
        if matches!(e, Error::UnknownAction { .. }) {
            // Servers without history (other OneBot implementations): live messages only.
            state.chat_mut(self.peer).history = HistoryState::Exhausted;
            state.info("服务器不提供历史消息，只显示新消息");
        } else {
            state.chat_mut(self.peer).history = HistoryState::Failed;
            show_failure(state, self.describe(), &e);
        }
    }
}

/// Fetch one message (e.g. a quoted one not in memory).
#[derive(Debug, Clone, PartialEq)]
pub struct GetMsg {
    pub peer: Peer,
    pub id: i64,
}

impl Request for GetMsg {
    type Output = Box<MessageEvent>;

    fn describe(&self) -> &'static str {
        "获取消息"
    }

    fn done(self, state: &mut State, m: Box<MessageEvent>, _fx: &mut Vec<Effect>) {
        let GetMsg { peer, id } = self;
        let author = if m.is_self() {
            state.self_name.clone()
        } else {
            state.contacts.name_in(peer, m.user_id)
        };
        let author = if author == m.user_id.to_string() {
            m.sender.display_name()
        } else {
            author
        };
        let text = m
            .message
            .plain_text_with(|qq| Some(state.contacts.name_in(peer, qq)));
        let quote = if m.message.is_empty() {
            Quote::Missing
        } else {
            Quote::Found {
                author,
                excerpt: excerpt(&text),
            }
        };
        super::super::quotes::set_quote(state, id, quote);
    }

    fn failed(self, state: &mut State, _e: Error, _fx: &mut Vec<Effect>) {
        super::super::quotes::set_quote(state, self.id, Quote::Missing);
    }
}

/// Fetch what a merged forward holds (its `forward` segment's id), for the preview.
#[derive(Debug, Clone, PartialEq)]
pub struct GetForward {
    pub id: String,
}

impl Request for GetForward {
    type Output = Vec<MessageEvent>;

    fn describe(&self) -> &'static str {
        "获取聊天记录"
    }

    fn done(self, state: &mut State, list: Vec<MessageEvent>, _fx: &mut Vec<Effect>) {
        let lines = list
            .iter()
            .take(super::super::quotes::FORWARD_PREVIEW_LINES)
            .map(|m| (m.sender.display_name(), excerpt(&m.message.plain_text())))
            .collect();
        let preview = if list.is_empty() {
            ForwardPreview::Missing
        } else {
            ForwardPreview::Found {
                lines,
                total: list.len(),
            }
        };
        super::super::quotes::set_forward(state, self.id, preview);
    }

    fn failed(self, state: &mut State, _e: Error, _fx: &mut Vec<Effect>) {
        super::super::quotes::set_forward(state, self.id, ForwardPreview::Missing);
    }
}

/// A download link for a group file, to open it.
#[derive(Debug, Clone, PartialEq)]
pub struct FileUrl {
    pub group: i64,
    pub file_id: String,
}

impl Request for FileUrl {
    /// The URL.
    type Output = String;

    fn describe(&self) -> &'static str {
        "获取文件链接"
    }

    fn done(self, state: &mut State, url: String, fx: &mut Vec<Effect>) {
        if crate::onebot::link::is_web_url(&url) {
            fx.push(Effect::Open(url));
        } else {
            state.error("服务器没有给出文件链接");
        }
    }
}

/// `send_msg`: `local_id` is the pending entry that shows it until the server answers.
#[derive(Debug, Clone, PartialEq)]
pub struct SendMessage {
    pub peer: Peer,
    pub chain: MessageChain,
    pub local_id: u64,
}

impl Request for SendMessage {
    /// The server's id of the sent message.
    type Output = i64;

    fn describe(&self) -> &'static str {
        "发送"
    }

    fn done(self, state: &mut State, message_id: i64, _fx: &mut Vec<Effect>) {
        let chat = state.chat_mut(self.peer);
        if let Some(key) = chat.timeline.key_of_local(self.local_id) {
            if chat.timeline.key_of(message_id).is_some_and(|k| k != key) {
                // The message_sent echo arrived first: it is the copy to keep.
                chat.timeline.remove(key);
            } else {
                chat.timeline.update_message(key, |m| {
                    m.id = Some(message_id);
                    m.delivery = Delivery::Sent;
                });
            }
        }
    }

    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        let chat = state.chat_mut(self.peer);
        if let Some(key) = chat.timeline.key_of_local(self.local_id) {
            let why = short_reason(&e);
            chat.timeline
                .update_message(key, |m| m.delivery = Delivery::Failed(why));
        }
        let retry = state.keymap.fill_keys("(选中它按 {timeline:retry} 重试)");
        state.error(format!("发送失败: {} {retry}", short_reason(&e)));
    }
}

/// `mark_group_msg_as_read` / `mark_private_msg_as_read`.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkRead {
    pub peer: Peer,
}

impl Request for MarkRead {
    type Output = ();

    fn describe(&self) -> &'static str {
        "标记已读"
    }

    fn done(self, _state: &mut State, _out: (), _fx: &mut Vec<Effect>) {}

    // An extension other servers lack: carry on without it.
    fn failed(self, _state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        tracing::info!("optional call failed: {e}");
    }
}

/// `_mark_all_as_read`.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkAllRead;

fn clear_unread(state: &mut State) {
    for c in state.chats.values_mut() {
        c.unread = 0;
        c.mentions = 0;
    }
}

impl Request for MarkAllRead {
    type Output = ();

    fn describe(&self) -> &'static str {
        "标记已读"
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        clear_unread(state);
        state.info("已全部标为已读");
    }

    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        if matches!(e, Error::UnknownAction { .. }) {
            clear_unread(state);
            state.info("已在本地标为已读 (服务器不支持)");
        } else {
            state.error(format!("标记已读失败: {e}"));
        }
    }
}
