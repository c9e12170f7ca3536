//! The link picker (Ctrl+O, /links): the links and attachments of the messages on screen,
//! numbered top to bottom. A digit (or a number, when there are more than nine) or Enter opens
//! one by the rules of `o`; `confirm` (y) copies it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::action::Action;
use super::super::effect::Effect;
use super::super::open_link::{open_target, targets_of};
use super::super::state::State;
use super::Popup;
use super::protocol::{Outcome, PopupState};
use super::state::{LinkEntry, LinkPicker};

/// The links of the messages the timeline shows, top to bottom; the selected message's first
/// link is preselected.
pub fn collect(state: &State) -> (Vec<LinkEntry>, usize) {
    let Some(chat) = state.open_chat() else {
        return (Vec::new(), 0);
    };
    let mut items = Vec::new();
    let mut selected = None;
    for key in &state.view.timeline_entries {
        let Some(m) = chat.timeline.get(*key).and_then(|e| e.message()) else {
            continue;
        };
        if chat.selected == Some(*key) && selected.is_none() {
            selected = Some(items.len());
        }
        let sender = state.contacts.name_in(chat.peer, m.sender_id);
        for target in targets_of(chat.peer, m) {
            items.push(LinkEntry {
                target,
                sender: sender.clone(),
                sender_id: m.sender_id,
            });
        }
    }
    // The selected message had no links: start at the newest one.
    let selected = selected
        .filter(|&i| i < items.len())
        .unwrap_or(items.len().saturating_sub(1));
    (items, selected)
}

/// Opens the picker over the open chat's visible messages.
pub fn open(state: &mut State) -> Result<(), String> {
    if state.open.is_none() {
        return Err("先打开一个会话".into());
    }
    let (items, selected) = collect(state);
    if items.is_empty() {
        return Err("屏幕上的消息没有链接或附件".into());
    }
    state.popup = Some(Popup::Links(LinkPicker {
        items,
        selected,
        typed: String::new(),
    }));
    Ok(())
}

impl LinkPicker {
    /// Opens (or copies) row `i`; the picker closes.
    fn take(&mut self, state: &mut State, i: usize, copy: bool, fx: &mut Vec<Effect>) -> Outcome {
        match self.items.get(i) {
            Some(e) => {
                open_target(state, e.target.clone(), copy, fx);
                Outcome::Close
            }
            None => Outcome::Stay,
        }
    }

    /// A digit typed: the number so far selects its row; it opens once no longer number fits.
    fn digit(&mut self, state: &mut State, d: char, fx: &mut Vec<Effect>) -> Outcome {
        self.typed.push(d);
        let n: usize = self.typed.parse().unwrap_or(0);
        let len = self.items.len();
        if n == 0 || n > len {
            state.error(format!("没有第 {} 个链接 (共 {len} 个)", self.typed));
            self.typed.clear();
            return Outcome::Stay;
        }
        self.selected = n - 1;
        if n.saturating_mul(10) > len {
            self.typed.clear();
            return self.take(state, n - 1, false, fx);
        }
        Outcome::Stay
    }
}

impl PopupState for LinkPicker {
    fn list(&mut self, _state: &State) -> Option<(&mut usize, usize)> {
        self.typed.clear();
        let len = self.items.len();
        Some((&mut self.selected, len))
    }

    fn key(
        &mut self,
        state: &mut State,
        key: &KeyEvent,
        action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        if let KeyCode::Char(d) = key.code
            && d.is_ascii_digit()
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return self.digit(state, d, fx);
        }
        if key.code == KeyCode::Backspace && !self.typed.is_empty() {
            self.typed.pop();
            return Outcome::Stay;
        }
        match action {
            Some(Action::Activate) => {
                // A number being typed (`1` of `12`): Enter takes it as it is.
                self.typed.clear();
                self.take(state, self.selected, false, fx)
            }
            Some(Action::Confirm) => {
                self.typed.clear();
                self.take(state, self.selected, true, fx)
            }
            _ => Outcome::Pass,
        }
    }
}
