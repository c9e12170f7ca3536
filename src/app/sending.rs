//! Sending: what the composer holds goes out as a message (or runs as a command), and a failed
//! message goes out again.

use crate::onebot::{Error, MessageChain, Peer, Segment};

use super::call::SendMessage;
use super::call::reply::Request;
use super::chat::Delivery;
use super::composer::{Composer, Submission};
use super::effect::{Effect, Step};
use super::popup::{Confirm, Popup};
use super::state::State;
use super::stored::StoreWrite;
use super::text::short_reason;
use super::{commands, outbox, outgoing};

/// Sends the composer's message, or runs its `/command`. A message for the whole group asks
/// first.
pub fn send(state: &mut State, fx: &mut Vec<Effect>) {
    send_checked(state, false, fx);
}

/// A confirmed step: the `@全体成员` message goes out.
pub fn on_step(state: &mut State, step: Step, fx: &mut Vec<Effect>) {
    match step {
        Step::SendConfirmed => send_checked(state, true, fx),
        Step::SendPastedPicture => super::picture_send::send_pasted(state, fx),
    }
}

/// `@全体成员` notifies everyone: asked once more before it goes out.
fn ask_before_everyone(state: &mut State, peer: Peer, chain: &MessageChain) -> bool {
    let everyone = Segment::at_all();
    if !chain.segments().contains(&everyone) {
        return false;
    }
    let members = match peer {
        Peer::Group(g) => state
            .contacts
            .groups
            .get(&g)
            .map(|e| e.member_count)
            .filter(|n| *n > 0)
            .map(|n| format!(" ({n} 人)"))
            .unwrap_or_default(),
        Peer::Private(_) => String::new(),
    };
    state.popup = Some(Popup::Confirm(Confirm {
        title: "@全体成员".into(),
        body: format!(
            "这条消息会通知 {} 的每一个成员{members}，也会用掉今天的一次 @全体成员。发送吗？",
            state.contacts.chat_name(peer)
        ),
        on_yes: vec![Effect::Continue(Step::SendConfirmed)],
    }));
    true
}

fn send_checked(state: &mut State, confirmed: bool, fx: &mut Vec<Effect>) {
    match state.composer.submission() {
        Submission::Empty => {}
        Submission::Command(line) => {
            if line.is_empty() {
                return;
            }
            // The command line is not part of the draft (`lifecycle::keep_draft`): the composer
            // goes back to the chat's draft, what it held before the command was typed, before
            // the command runs — so what the command puts there (a face, a reply target) joins
            // it. A command that fails gives its text back, to be corrected.
            let typed = std::mem::take(&mut state.composer);
            let draft = state.open.and_then(|p| state.drafts.get(p)).cloned();
            state.composer = Composer::from_draft(draft.unwrap_or_default());
            if typed.reply.is_some() {
                state.composer.reply = typed.reply.clone();
            }
            if let Err(e) = commands::run(state, &line, fx) {
                state.composer = typed;
                state.error(e);
            }
        }
        Submission::Message(chain) => {
            let Some(peer) = state.open else {
                state.error("先打开一个会话 (/open 名字)");
                return;
            };
            if !confirmed && ask_before_everyone(state, peer, &chain) {
                return;
            }
            outgoing::send_chain(state, peer, chain, fx);
            state.composer.clear();
            state.drafts.remove(peer);
            fx.push(Effect::SaveSession(state.session()));
        }
    }
}

/// Sends the selected failed message again.
pub fn retry_selected(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(chat) = state.open_chat() else {
        return;
    };
    let peer = chat.peer;
    let Some(key) = chat.selected else {
        state.error("先选中发送失败的消息");
        return;
    };
    let Some(m) = chat.timeline.get(key).and_then(|e| e.message()) else {
        return;
    };
    let local_id = m.local_id.unwrap_or(0);
    match m.delivery {
        Delivery::Failed(_) if state.online() => outbox::resend(state, peer, local_id, fx),
        Delivery::Failed(_) => outbox::wait(state, peer, local_id, fx),
        Delivery::Waiting => state.info(outbox::WAITS),
        _ => state.error("只能重发发送失败的消息"),
    }
}

// What the call's result does (see `call::reply::Request`).

impl Request for SendMessage {
    /// The server's id of the sent message.
    type Output = i64;

    fn describe(&self) -> &'static str {
        "发送"
    }

    fn done(self, state: &mut State, message_id: i64, fx: &mut Vec<Effect>) {
        state.unsent.remove(&self.local_id);
        let me = state.self_id;
        let chat = state.chat_mut(self.peer);
        let time = chat
            .timeline
            .key_of_local(self.local_id)
            .map(|k| k.time)
            .unwrap_or(0);
        // What the entry shows is what is stored: a picture went out as base64, too much to
        // keep (its entry names it by its hash instead).
        let shown = chat
            .timeline
            .key_of_local(self.local_id)
            .and_then(|k| chat.timeline.get(k))
            .and_then(|e| e.message())
            .map(|m| m.chain.clone());
        if let Some(key) = chat.timeline.key_of_local(self.local_id) {
            if let Some(echo) = chat.timeline.key_of(message_id).filter(|k| *k != key) {
                // The message_sent echo arrived first: it is the copy to keep (its pictures
                // are the ones sent, cached by the names they were sent with).
                if let (Some(ours), Some(theirs)) = (
                    shown.as_ref(),
                    chat.timeline.get(echo).and_then(|e| e.message()),
                ) {
                    fx.extend(Effect::aliases(ours, &theirs.chain));
                }
                chat.timeline.remove(key);
            } else {
                chat.timeline.update_message(key, |m| {
                    m.id = Some(message_id);
                    m.delivery = Delivery::Sent;
                });
            }
        }
        if message_id != 0 && me != 0 {
            // Confirmed: stored like any message (its echo, if one comes, merges with it).
            let time = if time > 0 { time } else { state.now };
            let chain = shown.unwrap_or(self.chain);
            let ev = crate::store::sent_message(self.peer, me, message_id, time, chain);
            state.store.write(fx, StoreWrite::Message(Box::new(ev)));
        }
    }

    fn failed(self, state: &mut State, e: Error, fx: &mut Vec<Effect>) {
        if let Error::NotConnected(_) = e {
            // It never left (the connection went down before the client saw it): it waits
            // for the connection like one written offline.
            outbox::wait(state, self.peer, self.local_id, fx);
            return;
        }
        let why = match e {
            // Lost in flight: retrying may send it twice, which is for the user to judge.
            Error::Transport(_) => "连接中断，可能已发出".to_string(),
            _ => short_reason(&e),
        };
        let music = self
            .chain
            .segments()
            .iter()
            .any(|s| matches!(s, Segment::Music(_)));
        let hint = if music {
            " (音乐卡片要 NapCat 配置了音乐签名服务 musicSignUrl 才能发出)"
        } else {
            ""
        };
        outbox::failed(state, self.peer, self.local_id, &why, hint);
    }
}
