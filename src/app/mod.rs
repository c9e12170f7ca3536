//! The brain: conversations, contacts, drafts, selection, what a key means, what a command does.
//! Pure: it never touches sockets, the terminal or files — it returns `Effect`s instead.

pub mod action;
pub mod actions;
pub mod admin;
pub mod call;
pub mod catch_up;
pub mod chat;
pub mod command_line;
pub mod commands;
pub mod completion;
pub mod composer;
pub mod contacts;
pub mod drafts;
pub mod effect;
pub mod events;
pub mod fuzzy;
pub mod inbox;
pub mod input;
pub mod keymap;
pub mod lifecycle;
pub mod loads;
pub mod member_list;
pub mod msg;
pub mod popup_keys;
pub mod quotes;
pub mod reply_to;
pub mod reports;
pub mod requests;
pub mod sending;
pub mod sidebar;
pub mod state;
pub mod text;
pub mod timeline_nav;
pub mod update;

pub use action::{Action, Pane};
pub use call::{Call, Reply};
pub use effect::Effect;
pub use msg::Msg;
pub use state::State;
