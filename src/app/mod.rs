//! The brain: conversations, contacts, drafts, selection, what a key means, what a command does.
//! Pure: it never touches sockets, the terminal or files — it returns `Effect`s instead.

pub mod action;
pub mod admin;
pub mod call;
pub mod chat;
pub mod commands;
pub mod composer;
pub mod contacts;
pub mod effect;
pub mod events;
pub mod fuzzy;
pub mod keymap;
pub mod msg;
pub mod requests;
pub mod sidebar;
pub mod state;
pub mod timeline_nav;
pub mod update;

pub use action::{Action, Pane};
pub use call::{Call, Reply};
pub use effect::Effect;
pub use msg::Msg;
pub use state::State;
