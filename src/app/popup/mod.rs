//! Popups: the one list of them and the one protocol they all follow.
//!
//! A popup is a state struct in its own file here — its keys, its text field, what it asks the
//! server for when it opens — implementing [`PopupState`], and a drawing in
//! `src/ui/popup/<name>.rs`. While a popup is open it takes every key ([`key`]) and every paste
//! ([`paste`]), in this order:
//!
//! 1. its text field, while it has one: typing, Backspace, Enter ([`PopupState::submit`]) and
//!    Esc ([`PopupState::deny`]) — fixed keys, so that every letter can be typed;
//! 2. the popup's own [`PopupState::key`], given the `popup` action the key is bound to;
//! 3. what every popup shares: the list keys (`move`, `page`, `top`, `bottom`) over
//!    [`PopupState::list`], `deny` ([`PopupState::deny`], closing by default), and the global
//!    `quit`, `redraw` and `suspend`.
//!
//! A paste goes into the field, with its line breaks made spaces, and nowhere else.
//!
//! Adding a popup is one row in `popups!` below (its variant and state type), one file here with
//! the state and its `impl PopupState`, and one file in `src/ui/popup/` with its `draw` (plus the
//! arm the compiler then asks for in `ui::popup::draw`).

pub mod confirm;
pub mod essences;
pub mod faces;
pub mod help;
pub mod inbox;
pub mod leave;
pub mod mute;
pub mod mutes;
pub mod notices;
pub mod profile;
pub mod sheet;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::actions::step;
use super::effect::Effect;
use super::input::printable;
use super::keymap::{Context, Key, Lookup};
use super::state::State;

pub use confirm::Confirm;
pub use essences::EssenceList;
pub use faces::FacePicker;
pub use help::HelpView;
pub use inbox::InboxView;
pub use leave::LeaveConfirm;
pub use mute::MutePicker;
pub use mutes::MuteList;
pub use notices::NoticeList;
pub use profile::ProfileCard;
pub use sheet::{Sheet, SheetKind};

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

/// Declares [`Popup`] from one row per popup, and the one match that has to list them.
macro_rules! popups {
    ($($(#[$doc:meta])* $name:ident($state:ty),)*) => {
        /// A popup over everything.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Popup {
            $($(#[$doc])* $name($state),)*
        }

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

popups! {
    /// Every key and command (F1).
    Help(HelpView),
    /// The face picker.
    Faces(FacePicker),
    /// A yes/no question before something that cannot be undone.
    Confirm(Confirm),
    /// Mute duration presets, or a typed duration.
    Mute(MutePicker),
    /// One member's profile; the member pane's keys work in it.
    Profile(ProfileCard),
    /// The group's essence messages.
    Essences(EssenceList),
    /// The group's notices, with a delete waiting for its confirmation.
    Notices(NoticeList),
    /// The group's muted members.
    Mutes(MuteList),
    /// Label / value rows: the group's information or honors.
    Sheet(Sheet),
    /// Friend and group requests waiting for an answer.
    Inbox(InboxView),
    /// Leaving (or dismissing) a group, confirmed by typing its name or number.
    Leave(LeaveConfirm),
}

/// Something fetched for a popup.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    /// The call failed: NapCat's reason.
    Failed(String),
}

impl<T> Load<T> {
    /// The value, once it is there.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(t) => Some(t),
            _ => None,
        }
    }
}

impl<T> Load<Vec<T>> {
    /// How many rows have come (none while loading or after a failure).
    pub fn count(&self) -> usize {
        self.ready().map_or(0, Vec::len)
    }
}

/// Enter in a text field: a fixed key, not one from the keymap, so that every letter types.
pub const SUBMIT: KeyCode = KeyCode::Enter;
/// Esc in a text field (see [`SUBMIT`]).
pub const LEAVE: KeyCode = KeyCode::Esc;

/// A text field's hint, naming its fixed keys: `Enter 确定 · Esc 返回`.
pub fn field_hint(submit: &str, leave: &str) -> String {
    let name = |code| {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
        .label()
    };
    format!("{} {submit} · {} {leave}", name(SUBMIT), name(LEAVE))
}

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
