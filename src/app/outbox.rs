//! The outbox: messages written while not connected wait there, shown as waiting, and go out
//! when the connection comes, in the order they were written; they are kept across a restart
//! with the drafts (`Session::outbox`). A send the connection refused without sending it (`Error::NotConnected`:
//! it went down before the client heard) waits the same way. A message whose connection
//! dropped under it fails instead (it may have gone out): `R` sends it again, or queues it when
//! not connected.

use crate::onebot::Peer;

use super::call::SendMessage;
use super::chat::Delivery;
use super::drafts::Unsent;
use super::effect::Effect;
use super::outgoing::own_entry;
use super::state::State;

/// Sends the message of `local_id` in `peer` again (its entry goes back to pending): what it
/// really sends (`State::unsent`), else what its entry shows.
pub fn resend(state: &mut State, peer: Peer, local_id: u64, fx: &mut Vec<Effect>) {
    let Some(chat) = state.chats.get_mut(&peer) else {
        return;
    };
    let Some(key) = chat.timeline.key_of_local(local_id) else {
        return;
    };
    let Some(m) = chat.timeline.get(key).and_then(|e| e.message()) else {
        return;
    };
    let chain = state
        .unsent
        .get(&local_id)
        .cloned()
        .unwrap_or_else(|| m.chain.clone());
    chat.timeline
        .update_message(key, |m| m.delivery = Delivery::Pending);
    let group = chat.temp_group;
    fx.push(Effect::call(SendMessage {
        peer,
        chain,
        local_id,
        group,
    }));
}

/// Puts the message of `local_id` in `peer` (one that did not go out) in the outbox, in the
/// order it was written, and marks it waiting.
pub fn wait(state: &mut State, peer: Peer, local_id: u64, fx: &mut Vec<Effect>) {
    let Some(chat) = state.chats.get_mut(&peer) else {
        return;
    };
    let Some(key) = chat.timeline.key_of_local(local_id) else {
        return;
    };
    chat.timeline
        .update_message(key, |m| m.delivery = Delivery::Waiting);
    if !state.outbox.contains(&(peer, local_id)) {
        // Local ids count up as messages are written.
        let at = state.outbox.partition_point(|(_, l)| *l < local_id);
        state.outbox.insert(at, (peer, local_id));
    }
    state.info("未连接：连上后自动发送");
    fx.push(Effect::SaveSession(state.session()));
}

/// Whether the message of `local_id` in `peer` still waits for the connection.
fn waits(state: &State, peer: Peer, local_id: u64) -> bool {
    state.waiting_message(peer, local_id).is_some()
}

/// The last run's waiting messages (`Session::outbox`): back in their chats, waiting again.
pub fn restore(state: &mut State, outbox: Vec<Unsent>, fx: &mut Vec<Effect>) {
    for u in outbox {
        let local_id = own_entry(state, u.peer, u.time, u.chain, Delivery::Waiting);
        state.outbox.push((u.peer, local_id));
    }
    if state.online() {
        flush(state, fx);
    }
}

/// The connection came: what was written meanwhile goes out, in the order it was written.
pub fn flush(state: &mut State, fx: &mut Vec<Effect>) {
    let waiting = std::mem::take(&mut state.outbox);
    let mut n = 0;
    for (peer, local_id) in waiting {
        if waits(state, peer, local_id) {
            resend(state, peer, local_id, fx);
            n += 1;
        }
    }
    if n > 0 {
        state.info(format!("已连接，发出离线时写的 {n} 条消息"));
        // Out of the saved outbox at once: a restart must not send them again.
        fx.push(Effect::SaveSession(state.session()));
    }
}
