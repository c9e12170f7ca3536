//! The protocol every popup follows, and the handling they all share: the text field, the list
//! keys, closing, pastes and the global keys. Above the state in the core (it works on `State`),
//! while the popups' data sits below it (`State` holds the open one).

use crossterm::event::{KeyCode, KeyEvent};

use super::super::action::Action;
use super::super::cursor::step;
use super::super::effect::Effect;
use super::super::input::printable;
use super::super::keymap::{Context, Key, Lookup};
use super::super::state::State;
use super::{LEAVE, Popup, SUBMIT, for_each_popup};

/// What a popup made of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done; the popup stays open (unless the key opened another one in its place).
    Stay,
    /// Done; the popup closes (a popup the key opened stays).
    Close,
    /// Not this popup's key: what every popup shares decides.
    Pass,
}

/// The protocol every popup follows. Each method has the usual answer as its default, so a popup
/// writes only what it does differently.
pub trait PopupState {
    /// The text field typing and pastes go into, while the popup has one.
    fn field(&mut self) -> Option<&mut String> {
        None
    }

    /// The field changed (typed into, erased, pasted into).
    fn edited(&mut self) {}

    /// The list the list keys move through, as (the cursor, the number of rows), while there is
    /// one.
    fn list(&mut self, _state: &State) -> Option<(&mut usize, usize)> {
        None
    }

    /// A key, with the `popup` action it is bound to (or, for the few global keys a popup lets
    /// through, the global one).
    fn key(
        &mut self,
        _state: &mut State,
        _key: &KeyEvent,
        _action: Option<&Action>,
        _fx: &mut Vec<Effect>,
    ) -> Outcome {
        Outcome::Pass
    }

    /// Enter in the text field.
    fn submit(&mut self, _state: &mut State, _fx: &mut Vec<Effect>) -> Outcome {
        Outcome::Stay
    }

    /// The `deny` key, or Esc in the text field: steps back (out of the field, out of a pending
    /// question) or closes.
    fn deny(&mut self, _state: &mut State) -> Outcome {
        Outcome::Close
    }
}

/// Makes the one match over the registry's popups: the open popup as the protocol it follows.
macro_rules! define_protocol {
    ($($(#[$doc:meta])* $name:ident($state:ty),)*) => {
        impl Popup {
            /// The open popup as the protocol it follows.
            fn protocol(&mut self) -> &mut dyn PopupState {
                match self {
                    $(Popup::$name(p) => p,)*
                }
            }
        }
    };
}

for_each_popup!(define_protocol);

/// Rows a page key moves in a popup's list.
const PAGE: i32 = 8;

/// Handles a key while a popup is open.
///
/// The popup is out of `state` while its key runs, so that it can change itself and the rest of
/// the state at once; it goes back unless it closed or the key opened another popup.
pub fn key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    let Some(mut popup) = state.popup.take() else {
        return;
    };
    let action = action_of(state, &key);
    let outcome = handle(popup.protocol(), state, &key, action, fx);
    if outcome != Outcome::Close && state.popup.is_none() {
        state.popup = Some(popup);
    }
}

/// The `popup` action of a key, else the global one when it is one a popup lets through.
fn action_of(state: &State, key: &KeyEvent) -> Option<Action> {
    let k = [Key::from_event(key)];
    match state.keymap.lookup(Context::Popup, &k) {
        Lookup::Action(a) => Some(a),
        _ => match state.keymap.lookup(Context::Global, &k) {
            Lookup::Action(
                a @ (Action::Quit | Action::Help | Action::Redraw | Action::Suspend),
            ) => Some(a),
            _ => None,
        },
    }
}

fn handle(
    p: &mut dyn PopupState,
    state: &mut State,
    key: &KeyEvent,
    action: Option<Action>,
    fx: &mut Vec<Effect>,
) -> Outcome {
    if let Some(field) = p.field() {
        if let Some(c) = printable(key) {
            field.push(c);
            p.edited();
            return Outcome::Stay;
        }
        match key.code {
            KeyCode::Backspace => {
                field.pop();
                p.edited();
                return Outcome::Stay;
            }
            SUBMIT => return p.submit(state, fx),
            LEAVE => return p.deny(state),
            _ => {}
        }
    }
    match p.key(state, key, action.as_ref(), fx) {
        Outcome::Pass => {}
        done => return done,
    }
    let Some(action) = action else {
        return Outcome::Stay;
    };
    match action {
        Action::Quit => state.quit = true,
        Action::Redraw => fx.push(Effect::Redraw),
        Action::Suspend => fx.push(Effect::Suspend),
        Action::Move(n) => move_by(p, state, n),
        Action::Page(n) => move_by(p, state, n.saturating_mul(PAGE)),
        Action::Top => move_by(p, state, -(i32::MAX / 2)),
        Action::Bottom => move_by(p, state, i32::MAX / 2),
        Action::Deny => return p.deny(state),
        _ => {}
    }
    Outcome::Stay
}

fn move_by(p: &mut dyn PopupState, state: &State, n: i32) {
    if let Some((cursor, len)) = p.list(state) {
        *cursor = step(*cursor, n, len);
    }
}

/// A paste while a popup is open: into its text field, if it has one, as one line. True when a
/// popup is open (the paste then goes nowhere else).
pub fn paste(state: &mut State, text: &str) -> bool {
    let Some(popup) = state.popup.as_mut() else {
        return false;
    };
    let p = popup.protocol();
    if let Some(field) = p.field() {
        field.push_str(&text.trim_matches(['\n', '\r']).replace(['\n', '\r'], " "));
        p.edited();
    }
    true
}
