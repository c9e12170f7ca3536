//! A chat's life on screen: opening it (its draft into the composer, history and members
//! loaded, unread cleared, the server told), closing it, and a saved session opened again after
//! a restart.

use crate::onebot::{Error, Peer};

use super::call::reply::Request;
use super::call::{MarkAllRead, MarkRead};
use super::chat::{HistoryState, UnreadAtOpen};
use super::composer::Composer;
use super::drafts::Session;
use super::effect::Effect;
use super::load_tracker;
use super::loads::Load;
use super::state::State;
use super::{catch_up, local, member_list, quotes};

/// Opens a chat: keeps the old draft, loads the new one, fetches history and members, marks read.
pub fn open_chat(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    if state.open == Some(peer) {
        return;
    }
    keep_draft(state);
    leave_open(state);
    let draft = state.drafts.get(peer).cloned().unwrap_or_default();
    state.composer = Composer::from_draft(draft);
    state.open = Some(peer);
    state.search = None;
    state.members.selected = 0;
    state.members.marked.clear();
    let chat = state.chat_mut(peer);
    chat.follow_bottom();
    chat.seeking = None;
    chat.unread_at_open = (chat.unread > 0).then_some(UnreadAtOpen {
        count: chat.unread,
        mentions: chat.mentions,
        ..UnreadAtOpen::default()
    });
    // Its stored past is drawn at once; NapCat fills in what is newer.
    local::read_open(state, peer, fx);
    load_open(state, fx);
    mark_open_read(state, peer, fx);
    quotes::request(state, peer, fx);
    fx.push(Effect::SaveSession(state.session()));
}

/// Closes the open chat (its draft is kept).
pub fn close_chat(state: &mut State) {
    keep_draft(state);
    leave_open(state);
    if state.open.take().is_some() {
        state.composer = Composer::default();
    }
}

/// The composer's text becomes the open chat's draft (an empty one is dropped); a `/command`
/// being typed is not a draft, so the chat keeps the one it had. The one place the open chat's
/// draft is written; returns whether it changed.
pub fn keep_draft(state: &mut State) -> bool {
    let Some(p) = state.open else {
        return false;
    };
    let draft = state.composer.draft();
    !draft.is_command() && state.drafts.set(p, draft)
}

/// The open chat, as it is left: everything up to its last entry counts as seen, and it
/// follows the bottom when it is opened again.
fn leave_open(state: &mut State) {
    if let Some(c) = state.open.and_then(|p| state.chats.get_mut(&p)) {
        c.read_marker = c.timeline.last().map(|e| e.key);
        c.follow_bottom();
        c.unread_at_open = None;
        c.seeking = None;
    }
}

/// Asks for what the open chat still lacks — its latest history page, a group's member list —
/// once the connection is up; while offline nothing is asked and connecting asks again.
pub fn load_open(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(peer) = state.open else {
        return;
    };
    if !state.online() {
        return;
    }
    // With stored (or loaded) messages it catches up until it meets them; else its latest
    // page comes through the load tracker (asked again when it does not come).
    if state.chat_mut(peer).history == HistoryState::NotLoaded && !catch_up::start(state, peer, fx)
    {
        load_tracker::ask(state, Load::History(peer), fx);
    }
    // Whatever is known of the list: one that is not in (never asked, or dropped while the chat
    // was left) is asked; one loaded or on its way is left alone.
    if let Peer::Group(g) = peer {
        member_list::ensure_members(state, g, fx);
    }
}

/// The connection came up (or back): the chat the last run had open opens, every load that
/// waited for it or went down with the old connection is asked again (the load tracker knows
/// them), and the open chat asks for what it still lacks.
pub fn on_connected(state: &mut State, fx: &mut Vec<Effect>) {
    load_tracker::on_connected(state, fx);
    super::outbox::flush(state, fx);
    // (A member list the server refused last time is asked again too: a new connection may do
    // better.)
    load_open(state, fx);
    // The last run's chat, unless the user has opened a chat or started typing in the meantime.
    if let Some(p) = state.restore_open.take()
        && state.open.is_none()
        && state.composer.is_empty()
    {
        open_chat(state, p, fx);
    }
}

/// Clears unread counts of the open chat and tells the server.
pub fn mark_open_read(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    let chat = state.chat_mut(peer);
    if chat.unread > 0 || chat.mentions > 0 || chat.history == HistoryState::Loading {
        chat.unread = 0;
        chat.mentions = 0;
        fx.push(Effect::call(MarkRead { peer }));
    }
}

/// The session of the last run: its drafts come back and its chat opens again — once
/// connected, or while not once the local history has its messages to show
/// (`reopen_stored`): before that it would be a bare number saying 正在加载消息… for as long
/// as there is no NapCat, where the connection's trouble is what needs saying.
pub fn restore(state: &mut State, session: Session, fx: &mut Vec<Effect>) {
    // Earlier versions kept a half-typed command as a draft: it is not one.
    for (peer, draft) in session.drafts.iter().filter(|(_, d)| !d.is_command()) {
        state.drafts.set(peer, draft.clone());
    }
    for (peer, mode) in &session.notify.0 {
        state.notify_modes.set(*peer, *mode);
    }
    if state.recent_reactions.is_empty() {
        state.recent_reactions = session.reactions;
    }
    state.muted = session.muted;
    state.pinned = session.pinned;
    super::outbox::restore(state, session.outbox, fx);
    if session.lost > 0 {
        state.error(format!(
            "上次离线时发的 {} 张图片没能保留 (数据文件不见了)，没有发出",
            session.lost
        ));
    }
    if let Some(p) = session.open {
        if state.online() {
            open_chat(state, p, fx);
        } else {
            state.restore_open = Some(p);
            reopen_stored(state, fx);
        }
    }
}

/// Not connected, the last run's chat opens as soon as the local history holds its messages
/// (read there until NapCat is back), unless a chat was opened or typing began meanwhile.
pub fn reopen_stored(state: &mut State, fx: &mut Vec<Effect>) {
    if let Some(p) = state.restore_open
        && !state.online()
        && state.open.is_none()
        && state.composer.is_empty()
        && state.store.readable()
        && state.store.newest.contains_key(&p)
    {
        state.restore_open = None;
        open_chat(state, p, fx);
    }
}

// What the calls' results do (see `call::reply::Request`).

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
            state.error(format!("标记已读失败: {}", super::text::short_reason(&e)));
        }
    }
}
