//! What keys do in the help overlay, the face picker and confirmations (administration popups
//! have their own keys in `admin::popup_keys`).

use crossterm::event::{KeyCode, KeyEvent};

use super::action::{Action, Pane};
use super::actions::step;
use super::effect::Effect;
use super::input::printable;
use super::keymap::{Context, Key, Lookup};
use super::state::{Popup, State};

/// Handles a key while a popup is open.
pub fn key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    if matches!(state.popup, Some(Popup::Admin(_))) {
        super::admin::popup_keys::key(state, key, fx);
        return;
    }
    // The face picker types into its search field; other popups use the popup bindings.
    if let Some(Popup::Faces(p)) = state.popup.as_mut() {
        if let Some(c) = printable(&key) {
            p.query.push(c);
            p.selected = 0;
            return;
        }
        if key.code == KeyCode::Backspace {
            p.query.pop();
            p.selected = 0;
            return;
        }
    }
    let k = Key::from_event(&key);
    let action = match state.keymap.lookup(Context::Popup, &[k]) {
        Lookup::Action(a) => a,
        _ => match state.keymap.lookup(Context::Global, &[k]) {
            Lookup::Action(
                a @ (Action::Quit | Action::Help | Action::Redraw | Action::Suspend),
            ) => a,
            _ => return,
        },
    };
    let popup = state.popup.take();
    match (popup, action) {
        (_, Action::Quit) => state.quit = true,
        (_, Action::Redraw) => fx.push(Effect::Redraw),
        (p, Action::Suspend) => {
            state.popup = p;
            fx.push(Effect::Suspend);
        }
        (Some(Popup::Help { .. }), Action::Help | Action::Deny) => {}
        (Some(Popup::Help { scroll }), Action::Move(n)) => {
            state.popup = Some(Popup::Help {
                scroll: (scroll as i32 + n).max(0) as u16,
            });
        }
        (Some(Popup::Help { scroll }), Action::Page(n)) => {
            let page = state.size.1.saturating_sub(6) as i32;
            state.popup = Some(Popup::Help {
                scroll: (scroll as i32 + n * page).max(0) as u16,
            });
        }
        (Some(Popup::Faces(mut p)), Action::Move(n)) => {
            let count = p.matches().len();
            p.selected = step(p.selected, n, count);
            state.popup = Some(Popup::Faces(p));
        }
        (Some(Popup::Faces(mut p)), Action::Page(n)) => {
            let count = p.matches().len();
            p.selected = step(p.selected, n * 8, count);
            state.popup = Some(Popup::Faces(p));
        }
        (Some(Popup::Faces(p)), Action::Activate | Action::Confirm) => {
            if let Some(f) = p.matches().get(p.selected) {
                state.composer.insert_face(f.id);
                state.focus = Pane::Composer;
            }
        }
        (Some(Popup::Faces(_)), Action::Deny) => {}
        (Some(Popup::Confirm(c)), Action::Confirm | Action::Activate) => {
            fx.extend(c.on_yes);
        }
        (Some(Popup::Confirm(_)), Action::Deny) => state.info("已取消"),
        (p, _) => state.popup = p,
    }
}
