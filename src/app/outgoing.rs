//! Messages napterm composes itself rather than from the composer's text: dice (`/dice`),
//! rock-paper-scissors (`/rps`), music cards (`/music`). Each goes out like a typed message,
//! shown pending until the server answers.

use std::sync::Arc;

use crate::onebot::Music;
use crate::onebot::{MessageChain, Peer, Segment};

use super::chat::Delivery;
use super::drafts::Unsent;
use super::effect::Effect;
use super::outbox;
use super::state::{State, Waiting};

/// Sends `chain` to `peer`: a pending entry shows it until the server answers. A temporary
/// session's message names the group it goes through. Not connected, it waits in the outbox.
pub fn send_chain(state: &mut State, peer: Peer, chain: MessageChain, fx: &mut Vec<Effect>) {
    send_chain_shown(state, peer, chain.clone(), chain, fx);
}

/// Sends `chain` while the pending entry shows `shown` (a picture goes out as `base64://`,
/// too much to keep in the timeline; its entry shows the picture from the cache).
pub fn send_chain_shown(
    state: &mut State,
    peer: Peer,
    shown: MessageChain,
    chain: MessageChain,
    fx: &mut Vec<Effect>,
) {
    // Opened at an old search hit: back to the newest, where the message goes.
    super::local::back_to_newest(state, peer, fx);
    let online = state.online();
    let delivery = if online {
        Delivery::Pending
    } else {
        Delivery::Waiting
    };
    let local_id = outbox::own_entry(state, peer, state.now, shown.clone(), delivery);
    if shown != chain {
        state.unsent.insert(local_id, Arc::new(chain.clone()));
    }
    if online {
        outbox::send(state, peer, local_id, chain, fx);
    } else {
        // Not sent: it waits for the connection (the entry says so).
        let message = Unsent {
            peer,
            time: state.now,
            chain: shown,
            sends: state.unsent.get(&local_id).cloned(),
        };
        outbox::queue(state, Waiting { local_id, message });
        // Kept at once: a crash must not lose what waits.
        fx.push(Effect::SaveSession(state.session()));
    }
}

/// Sends one segment to the open chat.
fn send_one(state: &mut State, seg: Segment, fx: &mut Vec<Effect>) -> Result<(), String> {
    let peer = state.open.ok_or("先打开一个会话 (/open 名字)")?;
    send_chain(state, peer, MessageChain(vec![seg]), fx);
    Ok(())
}

/// `/dice`.
pub fn dice(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    send_one(state, Segment::dice(), fx)
}

/// `/rps`.
pub fn rps(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    send_one(state, Segment::rps(), fx)
}

/// The platforms NapCat signs music cards for.
const PLATFORMS: &[&str] = &["qq", "163", "kugou", "kuwo", "migu"];

/// `/music <qq|163|kugou|kuwo|migu> <id>` or `/music custom <url> <audio> <title> [image]`.
pub fn music(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    const USAGE: &str = "用法: /music <qq|163|kugou|kuwo|migu> <歌曲id> 或 /music custom <链接> <音频> <标题> [封面]";
    let words: Vec<&str> = args.split_whitespace().collect();
    let music = match words.as_slice() {
        ["custom", url, audio, rest @ ..] if !rest.is_empty() => {
            // The title may have spaces; a last word that is a URL is the cover.
            let (title, image) = match rest {
                [t @ .., img] if rest.len() > 1 && img.contains("://") => (t.join(" "), *img),
                _ => (rest.join(" "), ""),
            };
            Music::Custom {
                url: url.to_string(),
                audio: audio.to_string(),
                title,
                content: String::new(),
                image: image.to_string(),
            }
        }
        [platform, id] if PLATFORMS.contains(platform) => Music::Platform {
            platform: platform.to_string(),
            id: id.to_string(),
        },
        _ => return Err(USAGE.into()),
    };
    send_one(state, Segment::music(music), fx)
}
