//! Which pictures are loaded, and when: only those in or near the visible window of the open
//! chat, a few at a time, each at the size it is drawn. A chat's first paint never waits: its
//! pictures show as their `[图片]` line until their cells arrive, then their entries redraw.

use crate::onebot::Peer;

use super::chat::SortKey;
use super::effect::Effect;
use super::pictures::{
    IN_FLIGHT, Mode, NEAR, PicDone, PicJob, PicKey, Slot, fitted, inline_box, is_sticker,
    pictures_of,
};
use super::state::State;

/// A picture wanted on screen: which, where it is shown, and at what box.
struct Want {
    key: PicKey,
    entry: SortKey,
    job: PicJob,
}

/// The pictures of the open chat's visible entries, then of the entries near them.
fn wanted(state: &State) -> Vec<Want> {
    let Some(chat) = state.open_chat() else {
        return Vec::new();
    };
    let width = state.view.timeline_area.width;
    let (Some(first), Some(last)) = (
        state.view.timeline_entries.first(),
        state.view.timeline_entries.last(),
    ) else {
        return Vec::new();
    };
    if width == 0 || !chat.timeline.pictured_near(*first, *last, NEAR) {
        return Vec::new();
    }
    // The entries on screen are a run of the timeline: walked, not looked up one by one.
    let visible = chat.timeline.between(*first, *last);
    let above = chat.timeline.before(*first).take(NEAR);
    let below = chat.timeline.after(*last).take(NEAR);
    let mut out = Vec::new();
    for e in visible.chain(below).chain(above) {
        let Some(m) = e.message() else { continue };
        if m.recalled_by.is_some() {
            continue;
        }
        for (img, key) in pictures_of(&m.chain) {
            let fit = inline_box(width, state.pictures.max_rows, is_sticker(img));
            out.push(Want {
                key: key.clone(),
                entry: e.key,
                job: PicJob {
                    key,
                    url: img.url.clone(),
                    file: img.file.clone(),
                    peer: chat.peer,
                    message_id: m.id,
                    fit,
                },
            });
        }
    }
    out
}

/// After a frame: asks for the pictures near the window that are not in memory at the size
/// they are drawn, at most [`IN_FLIGHT`] at once.
pub fn on_frame(state: &mut State, fx: &mut Vec<Effect>) {
    // The viewer's picture, at the size the window allows now (placeholder mode or not: it
    // was asked for).
    super::popup::pictures::want_shown(state, fx);
    if state.pictures.mode == Mode::Placeholder {
        return;
    }
    let Some(peer) = state.open else { return };
    forget_far(state, peer);
    for w in wanted(state) {
        let pics = &mut state.pictures;
        let shown = pics.shown_in.entry(w.key.clone()).or_default();
        if !shown.contains(&(peer, w.entry)) {
            shown.push((peer, w.entry));
        }
        let needed = match pics.slots.get(&w.key).cloned() {
            None => true,
            Some(Slot::Ready { px }) => {
                let fit = w.job.fit;
                let have = pics.cells(&w.key, fit).is_some();
                if have {
                    pics.touch(&w.key, fit);
                }
                !have && fitted(px, fit).0 > 0
            }
            Some(Slot::Loading) | Some(Slot::Failed(_)) => false,
        };
        let asked = pics
            .pending
            .iter()
            .any(|(k, f)| *k == w.key && *f == w.job.fit);
        if !needed || asked || pics.pending.len() >= IN_FLIGHT {
            continue;
        }
        fx.push(Effect::Picture(state.pictures.ask(w.job)));
    }
}

/// A picture came back (or failed): kept, and the entries showing it redrawn.
pub fn on_done(state: &mut State, done: PicDone) {
    let pics = &mut state.pictures;
    pics.pending
        .retain(|(k, f)| !(*k == done.key && *f == done.fit));
    match done.result {
        Ok((px, cells)) => {
            pics.slots.insert(done.key.clone(), Slot::Ready { px });
            pics.keep(done.key.clone(), done.fit, cells);
        }
        Err(why) => {
            pics.slots.insert(done.key.clone(), Slot::Failed(why));
        }
    }
    redraw(state, &done.key);
}

/// Redraws the entries showing `key`.
fn redraw(state: &mut State, key: &PicKey) {
    let Some(places) = state.pictures.shown_in.get(key).cloned() else {
        return;
    };
    let mut by_chat: Vec<(Peer, Vec<SortKey>)> = Vec::new();
    for (peer, k) in places {
        match by_chat.iter_mut().find(|(p, _)| *p == peer) {
            Some((_, keys)) => keys.push(k),
            None => by_chat.push((peer, vec![k])),
        }
    }
    for (peer, keys) in by_chat {
        if let Some(c) = state.chats.get_mut(&peer) {
            c.timeline.touch_keys(&keys);
        }
    }
}

/// The picture-mode key: inline pictures on or off (for a slow link); every entry showing a
/// picture redraws.
pub fn toggle(state: &mut State, fx: &mut Vec<Effect>) {
    let pics = &mut state.pictures;
    pics.mode = match pics.mode {
        Mode::Inline => Mode::Placeholder,
        Mode::Placeholder => Mode::Inline,
    };
    let keys: Vec<PicKey> = pics.shown_in.keys().cloned().collect();
    for k in &keys {
        redraw(state, k);
    }
    match state.pictures.mode {
        Mode::Inline => {
            state.info("图片: 显示在消息下");
            on_frame(state, fx);
        }
        Mode::Placeholder => state.info("图片: 只显示 [图片]"),
    }
}

/// Forgets the pictures that failed as unreachable (a lost connection, a server that did not
/// answer): asked for again when next near the window. Pictures that were too large or not
/// pictures stay failed.
pub fn forget_unreachable(state: &mut State) {
    let gone: Vec<PicKey> = state
        .pictures
        .slots
        .iter()
        .filter(|(_, s)| matches!(s, Slot::Failed(super::pictures::PicFailure::Unreachable)))
        .map(|(k, _)| k.clone())
        .collect();
    for k in &gone {
        state.pictures.slots.remove(k);
        redraw(state, k);
    }
}

/// Keeps what is remembered of pictures bounded: over [`SLOTS_CAP`], only the open chat's
/// stay (and those asked for).
fn forget_far(state: &mut State, open: Peer) {
    let pics = &mut state.pictures;
    if pics.slots.len() <= super::pictures::SLOTS_CAP {
        return;
    }
    pics.shown_in.retain(|_, places| {
        places.retain(|(p, _)| *p == open);
        !places.is_empty()
    });
    let (shown, pending) = (&pics.shown_in, &pics.pending);
    pics.slots
        .retain(|k, _| shown.contains_key(k) || pending.iter().any(|(p, _)| p == k));
}
