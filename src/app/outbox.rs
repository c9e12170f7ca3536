//! Your messages on their way out: each gets its entry on the timeline (`own_entry`) and is
//! sent (`send`) or, not connected, waits in the outbox (`queue`). Waiting messages are shown
//! so and go out when the connection comes, in the order they were written; they are kept
//! across a restart with the drafts (`Session::outbox`). A send the connection refused without
//! sending it (`Error::NotConnected`: it went down before the client heard) waits the same way.
//! A message whose connection dropped under it fails instead (it may have gone out): `R` sends
//! it again, or queues it when not connected.

use crate::onebot::{MessageChain, Peer};

use super::call::SendMessage;
use super::chat::{Delivery, EntryKind, MessageItem, SortKey};
use super::composer::{Composer, Draft};
use super::drafts::Unsent;
use super::effect::Effect;
use super::pictures::needs_upload;
use super::reply_to;
use super::state::{State, Waiting};

/// What the status line says of a message that waits.
pub const WAITS: &str = "未连接：连上后自动发送";

/// Sends `chain` as the message of `local_id` in `peer` (its entry, if still there, goes
/// back to pending).
pub fn send(
    state: &mut State,
    peer: Peer,
    local_id: u64,
    chain: MessageChain,
    fx: &mut Vec<Effect>,
) {
    let chat = state.chat_mut(peer);
    if let Some(key) = chat.timeline.key_of_local(local_id) {
        chat.timeline
            .update_message(key, |m| m.delivery = Delivery::Pending);
    }
    if needs_upload(&chain) {
        // Too large to go inside the message: uploaded first, then sent (`sent_uploaded`).
        if let Some(message) = unsent_of(state, peer, local_id)
            && !uploading(state, local_id)
        {
            state.uploading.push(Waiting { local_id, message });
        }
        fx.push(Effect::UploadPicture {
            peer,
            local_id,
            chain,
        });
        return;
    }
    send_message(state, peer, local_id, chain, fx);
}

/// The call that sends `chain` as the message of `local_id` (a temporary session's names the
/// group it goes through).
fn send_message(
    state: &mut State,
    peer: Peer,
    local_id: u64,
    chain: MessageChain,
    fx: &mut Vec<Effect>,
) {
    let group = state.chat_mut(peer).temp_group;
    fx.push(Effect::call(SendMessage {
        peer,
        chain,
        local_id,
        group,
    }));
}

/// The large pictures of the message of `local_id` are uploaded: `chain` (with NapCat's paths
/// of them) goes out.
pub fn sent_uploaded(
    state: &mut State,
    peer: Peer,
    local_id: u64,
    chain: MessageChain,
    fx: &mut Vec<Effect>,
) {
    uploaded(state, local_id);
    // Out of the saved outbox at once: a start after a crash must not send it again.
    fx.push(Effect::SaveSession(state.session()));
    send_message(state, peer, local_id, chain, fx);
}

/// True while the pictures of the message of `local_id` are being uploaded.
pub fn uploading(state: &State, local_id: u64) -> bool {
    state.uploading.iter().any(|w| w.local_id == local_id)
}

/// The upload for the message of `local_id` is over (done, or it failed).
pub fn uploaded(state: &mut State, local_id: u64) {
    state.uploading.retain(|w| w.local_id != local_id);
}

/// The message of `local_id` did not go out, for `why`: its entry says so, and the status
/// line how to send it again.
pub fn failed(state: &mut State, peer: Peer, local_id: u64, why: &str, hint: &str) {
    let chat = state.chat_mut(peer);
    if let Some(key) = chat.timeline.key_of_local(local_id) {
        let why = why.to_string();
        chat.timeline
            .update_message(key, |m| m.delivery = Delivery::Failed(why));
    }
    let retry = state.keymap.fill_keys("(选中它按 {timeline:retry} 重试)");
    state.error(format!("发送失败: {why}{hint} {retry}"));
}

/// The message of `local_id` in `peer` as it did not go out: what its entry shows, what it
/// sends (`State::unsent`'s bytes when they differ), when it was written.
pub fn unsent_of(state: &State, peer: Peer, local_id: u64) -> Option<Unsent> {
    let chat = state.chats.get(&peer)?;
    let key = chat.timeline.key_of_local(local_id)?;
    let m = chat.timeline.get(key)?.message()?;
    Some(Unsent {
        peer,
        time: key.time,
        chain: m.chain.clone(),
        sends: state.unsent.get(&local_id).cloned(),
    })
}

/// Sends the message of `local_id` in `peer` again (see `unsent_of`).
pub fn resend(state: &mut State, peer: Peer, local_id: u64, fx: &mut Vec<Effect>) {
    if let Some(u) = unsent_of(state, peer, local_id) {
        send(state, peer, local_id, u.outgoing(), fx);
    }
}

/// Puts a message that did not go out in the outbox, in the order it was written, and marks
/// its entry waiting.
pub fn wait(state: &mut State, peer: Peer, local_id: u64, fx: &mut Vec<Effect>) {
    let Some(message) = unsent_of(state, peer, local_id) else {
        return;
    };
    queue(state, Waiting { local_id, message });
    state.info(WAITS);
    fx.push(Effect::SaveSession(state.session()));
}

/// Puts `w` in the outbox (once, in the order written: local ids count up) and marks its
/// entry waiting.
pub fn queue(state: &mut State, w: Waiting) {
    let chat = state.chat_mut(w.message.peer);
    if let Some(key) = chat.timeline.key_of_local(w.local_id) {
        chat.timeline
            .update_message(key, |m| m.delivery = Delivery::Waiting);
    }
    if !state.outbox.iter().any(|o| o.local_id == w.local_id) {
        let at = state.outbox.partition_point(|o| o.local_id < w.local_id);
        state.outbox.insert(at, w);
    }
}

/// Takes back a message that did not go out (waiting, or failed): out of the outbox and off
/// the timeline. What it says goes back where it was written, so nothing typed is lost: into
/// the composer after what it holds (the open chat's), else into the chat's draft. A picture
/// or a file (still on disk) is only taken back.
pub fn cancel(state: &mut State, peer: Peer, local_id: u64, fx: &mut Vec<Effect>) {
    let back = unsent_of(state, peer, local_id).and_then(|u| {
        Draft::of_chain(
            &u.chain,
            |qq, carried| state.mention_name(peer, qq, carried),
            |id| reply_to::target(state, peer, id),
        )
    });
    state.outbox.retain(|w| w.local_id != local_id);
    if uploading(state, local_id) {
        uploaded(state, local_id);
        fx.push(Effect::CancelUpload { local_id });
    }
    state.unsent.remove(&local_id);
    let chat = state.chat_mut(peer);
    if let Some(key) = chat.timeline.key_of_local(local_id) {
        chat.timeline.remove(key);
        chat.selected = None;
    }
    match back {
        Some(back) if state.open == Some(peer) && !state.composer.draft().is_command() => {
            state.composer.append(back);
            state.focus = super::action::Pane::Composer;
            state.info("已取消发送，消息放回了输入框");
        }
        Some(back) => {
            let mut draft =
                Composer::from_draft(state.drafts.get(peer).cloned().unwrap_or_default());
            draft.append(back);
            state.drafts.set(peer, draft.draft());
            let name = state.contacts.chat_name(peer);
            state.info(format!("已取消发送，消息放回了「{name}」的草稿"));
        }
        None => state.info("已取消，这条消息不会发出"),
    }
    fx.push(Effect::SaveSession(state.session()));
}

/// Puts one of your messages into `peer`'s timeline at `time`, showing `shown`, as `delivery`
/// says: the newest entry, followed. Returns its local id.
pub fn own_entry(
    state: &mut State,
    peer: Peer,
    time: i64,
    shown: MessageChain,
    delivery: Delivery,
) -> u64 {
    let local_id = state.next_local_id;
    state.next_local_id += 1;
    let arrival = state.arrival();
    let key = SortKey {
        time,
        seq: u64::MAX,
        arrival,
    };
    let item = MessageItem {
        id: None,
        local_id: Some(local_id),
        sender_id: state.self_id,
        sender_name: state.self_name.clone(),
        role: None,
        own: true,
        chain: shown,
        delivery,
        recalled_by: None,
        reactions: Vec::new(),
        essence: false,
        bad_time: None,
    };
    let now = state.now;
    let chat = state.chat_mut(peer);
    chat.timeline.insert(key, EntryKind::Message(item));
    chat.note_activity(now);
    chat.follow_bottom();
    chat.read_marker = Some(key);
    local_id
}

/// The last run's waiting messages (`Session::outbox`): back in their chats, waiting again.
pub fn restore(state: &mut State, outbox: Vec<Unsent>, fx: &mut Vec<Effect>) {
    for message in outbox {
        let (peer, time, shown) = (message.peer, message.time, message.chain.clone());
        let local_id = own_entry(state, peer, time, shown, Delivery::Waiting);
        if let Some(s) = &message.sends {
            state.unsent.insert(local_id, s.clone());
        }
        queue(state, Waiting { local_id, message });
    }
    if state.online() {
        flush(state, fx);
    }
}

/// A second went by: connected with messages still waiting — one refused as not connected
/// whose answer came after the news that the connection was back (the two travel apart) — they
/// go out now rather than at the next reconnect.
pub fn on_clock(state: &mut State, fx: &mut Vec<Effect>) {
    if state.online() && !state.outbox.is_empty() {
        flush(state, fx);
    }
}

/// The connection came: what was written meanwhile goes out, in the order it was written
/// (whether or not its entry is still on the timeline).
pub fn flush(state: &mut State, fx: &mut Vec<Effect>) {
    let waiting = std::mem::take(&mut state.outbox);
    let n = waiting.len();
    for w in waiting {
        send(state, w.message.peer, w.local_id, w.message.outgoing(), fx);
    }
    if n > 0 {
        state.info(format!("已连接，发出离线时写的 {n} 条消息"));
        // Out of the saved outbox at once: a restart must not send them again.
        fx.push(Effect::SaveSession(state.session()));
    }
}
