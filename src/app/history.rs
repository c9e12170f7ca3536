//! History pages as they arrive: their messages filed into the chat, the chat told whether older
//! pages remain, and what the open chat quotes fetched. (The page is asked for by
//! `Chat::request_page`; the open chat's first page through the load tracker, `load_tracker`,
//! and the pages of a catch-up by `catch_up`, which takes their results.)

use crate::onebot::{Error, MessageEvent, Peer};

use super::call::History;
use super::call::reply::Request;
use super::catch_up;
use super::chat::HistoryState;
use super::effect::Effect;
use super::events::on_message;
use super::load_tracker;
use super::loads::Load;
use super::state::State;
use super::text::short_reason;

impl Request for History {
    type Output = Vec<MessageEvent>;

    fn describe(&self) -> &'static str {
        "加载历史消息"
    }

    fn done(self, state: &mut State, list: Vec<MessageEvent>, fx: &mut Vec<Effect>) {
        if self.anchor.is_none() {
            load_tracker::settle(state, Load::History(self.peer), Ok(()), fx);
        }
        if catch_up::takes(state, &self) {
            let peer = self.peer;
            let step = catch_up::examine(state, &self, &list);
            file_page(state, peer, list, fx);
            catch_up::advance(state, self, step, fx);
            if state.open == Some(peer) {
                super::quotes::request(state, peer, fx);
                super::seek::step(state, fx);
            }
            return;
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
        file_page(state, peer, list, fx);
        let chat = state.chat_mut(peer);
        let added = chat.timeline.len().saturating_sub(before);
        chat.history = if anchor.is_some() && (added == 0 || got < count as usize) {
            HistoryState::Exhausted
        } else {
            HistoryState::Idle
        };
        if state.open == Some(peer) {
            super::quotes::request(state, peer, fx);
            super::seek::step(state, fx);
        }
    }

    fn failed(self, state: &mut State, e: Error, fx: &mut Vec<Effect>) {
        if self.anchor.is_none()
            && load_tracker::settle(state, Load::History(self.peer), Err(&e), fx)
        {
            // Asked again (or once connected).
            return;
        }
        if catch_up::takes(state, &self) {
            tracing::info!("catching up {} failed: {e}", self.peer);
            catch_up::failed(state, &self);
            return;
        }
        if matches!(e, Error::UnknownAction { .. }) {
            // Servers without history (other OneBot implementations): live messages only.
            state.chat_mut(self.peer).history = HistoryState::Exhausted;
            state.info("服务器不提供历史消息，只显示新消息");
        } else if e.is_no_such_message() {
            // NapCat's answer for a chat without messages (`消息undefined不存在`), or for a page
            // before the first one: there is nothing (older) to show, which is no failure.
            state.chat_mut(self.peer).history = HistoryState::Exhausted;
        } else {
            state.chat_mut(self.peer).history = HistoryState::Failed;
            let retry = super::retry::key(state);
            state.error(format!(
                "{}失败: {} (按 {retry} 重试)",
                self.describe(),
                short_reason(&e)
            ));
        }
        // A seek under way learns that the history ended, or stops with the failure.
        if state.open == Some(self.peer) {
            match state.chat_mut(self.peer).history {
                HistoryState::Failed => super::seek::on_failed(state),
                _ => super::seek::step(state, fx),
            }
        }
    }
}

/// Files a page's messages into the chat that asked (and so into the store).
fn file_page(state: &mut State, peer: Peer, list: Vec<MessageEvent>, fx: &mut Vec<Effect>) {
    for mut m in list {
        if m.peer() != peer {
            // Some servers omit group_id/target_id in history entries: file it where asked.
            match peer {
                Peer::Group(g) => m.group_id = Some(g),
                Peer::Private(u) => m.target_id = Some(u),
            }
        }
        on_message(state, m, fx, false);
    }
}
