//! The picture viewer (Enter or `o` on a message with pictures): one picture as large as the
//! window allows, `←`/`→` through the pictures of the chat, `y` copies its URL, `Esc`/`q`
//! closes it.

use crossterm::event::{KeyCode, KeyEvent};

use super::super::action::Action;
use super::super::effect::Effect;
use super::super::pictures::{CellBox, PicJob, pictures_of};
use super::super::state::State;
use super::Popup;
use super::protocol::{Outcome, PopupState};
use super::state::{PictureViewer, ViewerItem};

/// The box the viewer draws a picture in on a `size` screen (inside its frame, a title row
/// and a caption row spared).
pub fn viewer_box(size: (u16, u16)) -> CellBox {
    (
        size.0.saturating_sub(6).max(1),
        size.1.saturating_sub(6).max(1),
    )
}

/// Opens the viewer on the selected message's first picture; false when it has none.
pub fn open_selected(state: &mut State, fx: &mut Vec<Effect>) -> bool {
    let Some(chat) = state.open_chat() else {
        return false;
    };
    let Some(sel) = chat.selected else {
        return false;
    };
    let mut items = Vec::new();
    let mut index = None;
    for e in chat.timeline.iter() {
        let Some(m) = e.message() else { continue };
        if m.recalled_by.is_some() {
            continue;
        }
        for (img, key) in pictures_of(&m.chain) {
            if e.key == sel && index.is_none() {
                index = Some(items.len());
            }
            items.push(ViewerItem {
                key,
                url: img.url.clone(),
                file: img.file.clone(),
                message_id: m.id,
                sender: sender_name(state, chat.peer, m),
            });
        }
    }
    let Some(index) = index else {
        return false;
    };
    state.popup = Some(Popup::Pictures(PictureViewer { items, index }));
    want_shown(state, fx);
    true
}

/// A sender's name as the timeline shows it: the contacts' name, else the one the message
/// carried.
fn sender_name(
    state: &State,
    peer: crate::onebot::Peer,
    m: &super::super::chat::MessageItem,
) -> String {
    if m.own && !state.self_name.is_empty() {
        return state.self_name.clone();
    }
    let n = state.contacts.name_in(peer, m.sender_id);
    if n == m.sender_id.to_string() && !m.sender_name.is_empty() {
        m.sender_name.clone()
    } else {
        n
    }
}

/// Asks for the shown picture at the viewer's size, unless it is in memory, asked for, or
/// failed.
pub fn want_shown(state: &mut State, fx: &mut Vec<Effect>) {
    if let Some(Popup::Pictures(v)) = &state.popup {
        let v = v.clone();
        want(state, &v, fx);
    }
}

/// Asks for `v`'s shown picture at the viewer's size (see [`want_shown`]).
fn want(state: &mut State, v: &PictureViewer, fx: &mut Vec<Effect>) {
    let (Some(item), Some(peer)) = (v.items.get(v.index), state.open) else {
        return;
    };
    let fit = viewer_box(state.size);
    let pics = &state.pictures;
    let failed = matches!(
        pics.slots.get(&item.key),
        Some(super::super::pictures::Slot::Failed(_))
    );
    let asked = pics
        .pending
        .iter()
        .any(|(k, f)| *k == item.key && *f == fit);
    if failed || asked || pics.cells(&item.key, fit).is_some() {
        return;
    }
    let job = PicJob {
        key: item.key.clone(),
        url: item.url.clone(),
        file: item.file.clone(),
        peer,
        message_id: item.message_id,
        fit,
    };
    fx.push(Effect::Picture(state.pictures.ask(job)));
}

impl PopupState for PictureViewer {
    fn key(
        &mut self,
        state: &mut State,
        key: &KeyEvent,
        action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        let step = match (key.code, action) {
            (KeyCode::Left, _) | (_, Some(Action::Move(-1))) => -1,
            (KeyCode::Right, _) | (_, Some(Action::Move(1))) => 1,
            (_, Some(Action::Confirm)) => {
                match self.items.get(self.index).and_then(|i| i.url.clone()) {
                    Some(url) => {
                        fx.push(Effect::Copy(url));
                        state.info("已复制图片链接");
                    }
                    None => state.error("这张图片没有链接"),
                }
                return Outcome::Stay;
            }
            _ => return Outcome::Pass,
        };
        let next = self.index as i64 + step;
        if next < 0 || next >= self.items.len() as i64 {
            return Outcome::Stay;
        }
        self.index = next as usize;
        want(state, self, fx);
        Outcome::Stay
    }
}
