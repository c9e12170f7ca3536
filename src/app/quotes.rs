//! What the open chat's messages refer to and memory lacks: quoted messages (get_msg) and the
//! content of merged forwards (get_forward_msg), fetched once each.

use super::call::{GetForward, GetMsg};
use crate::onebot::Peer;

use super::effect::Effect;
use super::state::{ForwardPreview, Quote, State};

/// Messages shown in a forward's preview.
pub const FORWARD_PREVIEW_LINES: usize = 3;

/// Fetches what the open chat's recent messages refer to and memory lacks: quoted messages
/// (get_msg) and the content of merged forwards (get_forward_msg).
pub fn request(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    let Some(chat) = state.chats.get(&peer) else {
        return;
    };
    let forwards: Vec<String> = chat
        .timeline
        .iter()
        .rev()
        .take(200)
        .filter_map(|e| e.message())
        .flat_map(|m| m.chain.segments())
        .filter_map(|s| match s {
            crate::onebot::Segment::Forward {
                id, content: None, ..
            } if !id.is_empty() => Some(id.clone()),
            _ => None,
        })
        .collect();
    for id in forwards {
        if !state.forwards.contains_key(&id) {
            state.forwards.insert(id.clone(), ForwardPreview::Loading);
            fx.push(Effect::call(GetForward { id }));
        }
    }
    let Some(chat) = state.chats.get(&peer) else {
        return;
    };
    let wanted: Vec<i64> = chat
        .timeline
        .iter()
        .rev()
        .take(200)
        .filter_map(|e| e.message().and_then(|m| m.chain.reply_to()))
        .filter(|id| chat.timeline.key_of(*id).is_none())
        .collect();
    for id in wanted {
        if state.quotes.contains_key(&id) {
            continue;
        }
        state.quotes.insert(id, Quote::Loading);
        fx.push(Effect::call(GetMsg { peer, id }));
    }
}
