//! What the open chat's messages refer to and memory lacks: quoted messages (get_msg) and the
//! content of merged forwards (get_forward_msg), fetched once each, and filled in when they come.

use crate::onebot::{Error, MessageEvent, Peer};

use super::call::reply::Request;
use super::call::{GetForward, GetMsg};
use super::chat::{MessageItem, Timeline};
use super::effect::Effect;
use super::popup::forward;
use super::state::{ForwardPreview, Quote, State};
use super::stored::StoreWrite;
use super::text::{excerpt, short_reason};

/// Messages shown in a forward's preview.
pub const FORWARD_PREVIEW_LINES: usize = 3;

/// How many of the newest messages have their quotes and forwards fetched.
const RECENT: usize = 200;

/// Fetches what the open chat's recent messages refer to and memory lacks: quoted messages
/// (get_msg) and the content of merged forwards (get_forward_msg).
pub fn request(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    let Some(chat) = state.chats.get(&peer) else {
        return;
    };
    // What the newest messages refer to: older ones are fetched when scrolled to.
    let recent = chat
        .timeline
        .iter()
        .rev()
        .take(RECENT)
        .filter_map(|e| e.message())
        .collect::<Vec<_>>();
    let (forwards, quoted) = wanted(&chat.timeline, &recent);
    fetch(state, peer, forwards, quoted, fx);
}

/// The same for one message that just came into the open chat (the others were asked for when
/// they came, or when it opened).
pub fn request_for(state: &mut State, peer: Peer, message: &MessageItem, fx: &mut Vec<Effect>) {
    let Some(chat) = state.chats.get(&peer) else {
        return;
    };
    let (forwards, quoted) = wanted(&chat.timeline, &[message]);
    fetch(state, peer, forwards, quoted, fx);
}

/// The forwards without content and the quoted messages not in `timeline` of `messages`.
fn wanted(timeline: &Timeline, messages: &[&MessageItem]) -> (Vec<String>, Vec<i64>) {
    let forwards = messages
        .iter()
        .flat_map(|m| m.chain.segments())
        .filter_map(|s| match s {
            crate::onebot::Segment::Forward {
                id, content: None, ..
            } if !id.is_empty() => Some(id.clone()),
            _ => None,
        })
        .collect();
    let quoted = messages
        .iter()
        .filter_map(|m| m.chain.reply_to())
        .filter(|id| timeline.key_of(*id).is_none())
        .collect();
    (forwards, quoted)
}

fn fetch(
    state: &mut State,
    peer: Peer,
    forwards: Vec<String>,
    quoted: Vec<i64>,
    fx: &mut Vec<Effect>,
) {
    for id in forwards {
        if !state.forwards.contains_key(&id) {
            set_forward(state, id.clone(), ForwardPreview::Loading);
            fx.push(Effect::call(GetForward { id }));
        }
    }
    for id in quoted {
        if !state.quotes.contains_key(&id) {
            set_quote(state, id, Quote::Loading);
            fx.push(Effect::call(GetMsg { peer, id }));
        }
    }
}

/// When message `id` of `peer` was sent, as far as napterm knows: from the timeline, else from
/// a fetched quote.
pub fn sent_time(state: &State, peer: Peer, id: i64) -> Option<i64> {
    let in_timeline = state
        .chats
        .get(&peer)
        .and_then(|c| c.timeline.key_of(id))
        .map(|k| k.time);
    in_timeline.or(match state.quotes.get(&id) {
        Some(Quote::Found { time, .. }) if *time > 0 => Some(*time),
        _ => None,
    })
}

/// Fetches messages of `peer` whose send time napterm does not know (get_msg, once each).
pub fn request_times(state: &mut State, peer: Peer, ids: &[i64], fx: &mut Vec<Effect>) {
    for &id in ids {
        if sent_time(state, peer, id).is_none() && !state.quotes.contains_key(&id) {
            set_quote(state, id, Quote::Loading);
            fx.push(Effect::call(GetMsg { peer, id }));
        }
    }
}

/// Records what is known of quoted message `id`; the replies showing it are redrawn. The one
/// writer of `state.quotes`.
pub fn set_quote(state: &mut State, id: i64, quote: Quote) {
    state.quotes.insert(id, quote);
    for chat in state.chats.values_mut() {
        chat.timeline.touch_quoting(id);
    }
}

/// Records the preview of forward `id`; the messages holding it are redrawn. The one writer of
/// `state.forwards`.
pub fn set_forward(state: &mut State, id: String, preview: ForwardPreview) {
    for chat in state.chats.values_mut() {
        chat.timeline.touch_forwarding(&id);
    }
    state.forwards.insert(id, preview);
}

// What the calls' results do (see `call::reply::Request`).

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
        let text = state.plain_text(peer, &m.message);
        let quote = if m.message.is_empty() {
            Quote::Missing
        } else {
            Quote::Found {
                author,
                excerpt: excerpt(&text),
                time: m.time,
            }
        };
        set_quote(state, id, quote);
    }

    fn failed(self, state: &mut State, _e: Error, _fx: &mut Vec<Effect>) {
        set_quote(state, self.id, Quote::Missing);
    }
}

impl Request for GetForward {
    type Output = Vec<MessageEvent>;

    fn describe(&self) -> &'static str {
        "获取聊天记录"
    }

    fn done(self, state: &mut State, list: Vec<MessageEvent>, fx: &mut Vec<Effect>) {
        forward::on_content(state, &self.id, Ok(list.clone()));
        if !list.is_empty() {
            state.store.write(
                fx,
                StoreWrite::Forward {
                    id: self.id.clone(),
                    messages: list.clone(),
                },
            );
        }
        let lines = list
            .iter()
            .take(FORWARD_PREVIEW_LINES)
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
        set_forward(state, self.id, preview);
    }

    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        forward::on_content(state, &self.id, Err(short_reason(&e)));
        set_forward(state, self.id, ForwardPreview::Missing);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::app::call::reply::Reply;
    use crate::app::call::{GetForward, GetMsg, LoginInfo};
    use crate::app::chat::{EntryKind, MessageItem, SortKey};
    use crate::app::keymap::Keymap;
    use crate::app::msg::Msg;
    use crate::app::state::Settings;
    use crate::app::update::update;
    use crate::onebot::{Error, MessageChain, MessageEvent, Segment};

    const GROUP: Peer = Peer::Group(30001);

    fn event(id: i64, chain: serde_json::Value) -> MessageEvent {
        serde_json::from_value(json!({
            "time": 1_795_000_000 + id, "self_id": 10001, "post_type": "message",
            "message_type": "group", "group_id": 30001, "user_id": 20002, "message_id": id,
            "sender": {"user_id": 20002, "nickname": "小明"}, "message": chain,
        }))
        .expect("event")
    }

    fn key(n: u64) -> SortKey {
        SortKey {
            time: 1_795_000_000 + n as i64,
            seq: 0,
            arrival: n,
        }
    }

    /// A group chat with a reply to message 999 (not loaded), a forward whose preview is not
    /// fetched, and a plain message.
    fn state() -> State {
        let mut s = State::new(Settings::default(), Keymap::default_map());
        s.self_id = 10001;
        let chains = [
            MessageChain::new().reply(999).text("同意"),
            MessageChain(vec![Segment::Forward {
                id: "fw1".into(),
                content: None,
                extra: Default::default(),
            }]),
            MessageChain::new().text("无关"),
        ];
        let chat = s.chat_mut(GROUP);
        for (i, chain) in chains.into_iter().enumerate() {
            let mut m = MessageItem::from_event(&event(10 + i as i64, json!([])));
            m.chain = chain;
            chat.timeline
                .insert(key(i as u64 + 1), EntryKind::Message(m));
        }
        s
    }

    fn versions(s: &State) -> [u64; 3] {
        let t = &s.chats[&GROUP].timeline;
        [1, 2, 3].map(|n| t.get(key(n)).map(|e| e.version).unwrap_or(0))
    }

    #[test]
    fn a_quote_arriving_bumps_the_replying_entry() {
        let mut s = state();
        let [reply, fwd, plain] = versions(&s);
        let quoted = event(
            999,
            json!([{"type": "text", "data": {"text": "周末爬山？"}}]),
        );
        update(
            &mut s,
            Msg::Reply(Reply::GetMsg(
                GetMsg {
                    peer: GROUP,
                    id: 999,
                },
                Ok(Box::new(quoted)),
            )),
        );
        let [reply2, fwd2, plain2] = versions(&s);
        assert!(reply2 > reply, "the reply shows the quote now");
        assert_eq!((fwd2, plain2), (fwd, plain), "the others keep their layout");
        // A quote the server cannot give bumps it again: the reply says so.
        update(
            &mut s,
            Msg::Reply(Reply::GetMsg(
                GetMsg {
                    peer: GROUP,
                    id: 999,
                },
                Err(Error::Timeout {
                    action: "get_msg".into(),
                    secs: 5,
                }),
            )),
        );
        assert!(versions(&s)[0] > reply2);
    }

    #[test]
    fn a_forward_preview_arriving_bumps_the_entry_holding_it() {
        let mut s = state();
        let [reply, fwd, plain] = versions(&s);
        update(
            &mut s,
            Msg::Reply(Reply::GetForward(
                GetForward { id: "fw1".into() },
                Ok(vec![event(
                    1,
                    json!([{"type": "text", "data": {"text": "第一条"}}]),
                )]),
            )),
        );
        let [reply2, fwd2, plain2] = versions(&s);
        assert!(fwd2 > fwd);
        assert_eq!((reply2, plain2), (reply, plain));
    }

    #[test]
    fn a_new_own_name_bumps_the_names_version() {
        let mut s = state();
        let before = s.contacts.version;
        let login = |name: &str| {
            Msg::Reply(Reply::LoginInfo(
                LoginInfo,
                Ok(crate::onebot::types::LoginInfo {
                    user_id: 10001,
                    nickname: name.into(),
                }),
            ))
        };
        update(&mut s, login("夜航船"));
        let after = s.contacts.version;
        assert!(after > before, "your name is drawn on your messages");
        update(&mut s, login("夜航船"));
        assert_eq!(s.contacts.version, after, "the same name changes nothing");
    }
}
