//! Per-chat preferences: 免打扰 (no bell, no notification, a dim unread count) and pinning to the
//! top of 会话. Both are kept in the session, so they survive a restart.

use crate::onebot::Peer;

use super::action::Pane;
use super::effect::Effect;
use super::sidebar;
use super::state::State;

/// The chat a key means: the one selected in the sidebar while it has the focus, else the open
/// one.
pub fn target(state: &State) -> Option<Peer> {
    if state.focus == Pane::Sidebar {
        let rows = sidebar::rows(state);
        let peers = sidebar::selectable(&rows);
        if let Some(p) = peers.get(sidebar::selected_index(state, &peers)) {
            return Some(*p);
        }
    }
    state.open
}

/// Turns 免打扰 on or off for `peer`.
pub fn toggle_mute(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    let name = state.contacts.chat_name(peer);
    if state.muted.remove(&peer) {
        state.info(format!("已关闭「{name}」的免打扰"));
    } else {
        state.muted.insert(peer);
        state.info(format!("「{name}」已设为免打扰: 不响铃、不通知"));
    }
    fx.push(Effect::SaveSession(state.session()));
}

/// Pins `peer` to the top of 会话, or unpins it.
pub fn toggle_pin(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    let name = state.contacts.chat_name(peer);
    if let Some(i) = state.pinned.iter().position(|p| *p == peer) {
        state.pinned.remove(i);
        state.info(format!("已取消置顶「{name}」"));
    } else {
        state.pinned.push(peer);
        state.info(format!("已置顶「{name}」"));
    }
    // The sidebar's rows moved: keep the selection on the same chat.
    state.sidebar.selected_peer = Some(peer);
    fx.push(Effect::SaveSession(state.session()));
}

/// `/quiet`: 免打扰 for the open chat.
pub fn quiet_command(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let peer = state.open.ok_or("没有打开的会话")?;
    toggle_mute(state, peer, fx);
    Ok(())
}

/// `/pin`: pins the open chat.
pub fn pin_command(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let peer = state.open.ok_or("没有打开的会话")?;
    toggle_pin(state, peer, fx);
    Ok(())
}
