//! Trying again now: connecting at once instead of waiting out the backoff, and loading again
//! what failed to load in the open chat (its history, a group's member list).

use crate::onebot::{ConnState, Peer};

use super::action::Action;
use super::chat::{HistoryState, Page};
use super::contacts::MembersState;
use super::effect::Effect;
use super::keymap::Context;
use super::member_list::ensure_members;
use super::state::State;

/// The retry key as the focused pane knows it (`F5`), for the messages that offer it; the
/// action's name when a keymap left it unbound.
pub fn key(state: &State) -> String {
    state
        .keymap
        .key_label(Context::of_pane(state.focus), &Action::Reload, None)
        .unwrap_or_else(|| Action::Reload.to_string())
}

/// Connects now when the connection is down (the key and `/reconnect`); says so when it is up.
pub fn reconnect(state: &mut State, fx: &mut Vec<Effect>) {
    match &state.conn {
        ConnState::Connected { .. } => state.info("已连接"),
        ConnState::Connecting { .. } => state.info("正在连接…"),
        ConnState::Reconnecting { .. } | ConnState::AuthFailed { .. } | ConnState::Stopped => {
            fx.push(Effect::Reconnect);
            state.info("正在重新连接…");
        }
    }
}

/// The retry key: offline, connect now; online, load again what failed in the open chat.
pub fn retry_now(state: &mut State, fx: &mut Vec<Effect>) {
    if !state.online() {
        reconnect(state, fx);
        return;
    }
    let Some(peer) = state.open else {
        state.info("没有需要重试的加载");
        return;
    };
    let page = state.settings.history_page;
    let mut retried = false;
    let chat = state.chat_mut(peer);
    if chat.history == HistoryState::Failed {
        // A chat with messages failed on an older page; an empty one on its first.
        let which = if chat.timeline.oldest_message_id().is_some() {
            Page::Older
        } else {
            Page::Latest
        };
        if let Some(call) = chat.request_page(which, page) {
            fx.push(Effect::Call(call));
            retried = true;
        }
    }
    if let Peer::Group(g) = peer
        && state
            .contacts
            .members
            .get(&g)
            .is_some_and(|m| m.state == MembersState::Failed)
    {
        ensure_members(state, g, fx);
        retried = true;
    }
    if retried {
        state.info("正在重新加载…");
    } else {
        state.info("没有需要重试的加载");
    }
}
