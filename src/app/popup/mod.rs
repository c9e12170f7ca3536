//! Popups: the one list of them and the one protocol they all follow.
//!
//! A popup is its state (plain data in [`state`], which `State` can hold without importing any
//! feature), its behaviour — keys, text field, what it asks the server for when it opens —
//! as an `impl PopupState` in its own file here (a feature: it may call the administration and
//! request features), and its drawing in `src/ui/popup/<name>.rs`. While a popup is open it takes
//! every key ([`protocol::key`]) and every paste ([`protocol::paste`]), in this order:
//!
//! 1. its text field, while it has one: typing, Backspace, Enter (`PopupState::submit`) and
//!    Esc (`PopupState::deny`) — fixed keys, so that every letter can be typed;
//! 2. the popup's own `PopupState::key`, given the `popup` action the key is bound to;
//! 3. what every popup shares: the list keys (`move`, `page`, `top`, `bottom`) over
//!    `PopupState::list`, `deny` (closing by default), and the global `quit`, `redraw` and
//!    `suspend`.
//!
//! A paste goes into the field, with its line breaks made spaces, and nowhere else.
//!
//! Adding a popup is one row in [`for_each_popup!`] below (its variant and state type), its
//! state struct in [`state`], one file here with its `impl PopupState` (the compiler asks for it:
//! the protocol's match turns every row into `&mut dyn PopupState`), and one file in
//! `src/ui/popup/` with its `draw` (plus the arm the compiler then asks for in
//! `ui::popup::draw`).

pub mod confirm;
pub mod essences;
pub mod faces;
pub mod find;
pub mod forward;
pub mod help;
pub mod inbox;
pub mod leave;
pub mod links;
pub mod mute;
pub mod mutes;
pub mod notices;
pub mod pictures;
pub mod profile;
pub mod protocol;
pub mod reaction_list;
pub mod reaction_picker;
pub mod sheet;
pub mod state;

use crossterm::event::{KeyCode, KeyModifiers};

use super::keymap::Key;

pub use state::{
    Confirm, EssenceList, FacePicker, FindView, ForwardLevel, ForwardView, HelpView, InboxInput,
    InboxView, LeaveConfirm, LinkEntry, LinkPicker, LinkTarget, Load, MuteList, MutePicker,
    NoticeList, PictureViewer, ProfileCard, ReactionList, ReactionPicker, ReactionRow, Sheet,
    SheetKind, ViewerItem,
};

/// The registry: every popup, one row each (its variant and its state type). It expands a given
/// macro with the rows, so one list makes [`Popup`] here and the one match over it in
/// [`protocol`].
macro_rules! for_each_popup {
    ($then:ident) => {
        $then! {
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
            /// The links and attachments of the visible messages, numbered.
            Links(LinkPicker),
            /// `/find`: hits from the local history of every chat.
            Find(FindView),
            /// A merged forward (聊天记录), nested ones included.
            Forward(ForwardView),
            /// Picking a reaction for the selected message.
            React(ReactionPicker),
            /// Who reacted to a message with what.
            Reactions(ReactionList),
            /// A picture as large as the window allows; ←/→ step through the chat's pictures.
            Pictures(PictureViewer),
        }
    };
}
pub(crate) use for_each_popup;

/// Makes [`Popup`] from the registry's rows.
macro_rules! define_popups {
    ($($(#[$doc:meta])* $name:ident($state:ty),)*) => {
        /// A popup over everything.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Popup {
            $($(#[$doc])* $name($state),)*
        }
    };
}

for_each_popup!(define_popups);

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
