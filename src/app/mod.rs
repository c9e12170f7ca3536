//! The brain: conversations, contacts, drafts, selection, what a key means, what a command does.
//! Pure: it never touches sockets, the terminal or files — it returns `Effect`s instead.
//!
//! # Core and features
//!
//! The modules here import each other as a tree, never in a cycle. The *core* is what
//! `update(&mut State, Msg) -> Vec<Effect>` is written in: `state` and `msg` and every module
//! they import, transitively — the types every feature may use, the call structs
//! (`call/<area>.rs`), the call registry (`call`) and the `Request` trait (`call/reply`) among
//! them. The core never imports a feature. A *feature* is what a key, a command, an event or a
//! call's result does; it uses the core and other features. A call's `impl Request` lives in the
//! feature that makes the call; a popup's state is core (`popup/state`, since `State` holds the
//! open popup) and what it does with its keys is its `impl PopupState` in `popup/<name>`.
//! `tests/module_graph.rs` checks the two lists below against the imports: a new module goes in
//! one of them.
//!
//! The core modules: `action`, `admin/audit`, `call`, `call/chat`, `call/contacts`,
//! `call/forwarding`, `call/group`, `call/group_files`, `call/members`, `call/messages`,
//! `call/reactions`, `call/reply`, `call/requests`, `chat`, `composer`, `contacts`, `drafts`,
//! `effect`, `fuzzy`, `inbox`, `keymap`, `loads`, `msg`, `notify`, `pictures`, `popup`,
//! `popup/state`, `state`, `store_state`, `stored`, `text`, `transfer`.
//!
//! The feature modules: `actions`, `admin`, `admin/commands`, `admin/duration`, `admin/group`,
//! `admin/members`, `admin/messages`, `admin/roles`, `admin/sheets`, `admin/target`, `catch_up`,
//! `chat_prefs`, `command_line`, `commands`, `completion`, `cursor`, `editor`, `events`, `forwarding`,
//! `history`, `input`, `keymap/hint`, `lifecycle`, `load_tracker`, `local`,
//! `member_list`, `names`,
//! `open_link`, `outbox`, `outgoing`, `picture_loads`, `picture_send`, `popup/confirm`, `popup/essences`,
//! `popup/faces`, `popup/find`, `popup/files`, `popup/forward`, `popup/help`, `popup/inbox`,
//! `popup/leave`, `popup/links`, `popup/mute`, `popup/mutes`, `popup/notices`, `popup/pictures`,
//! `popup/profile`, `popup/protocol`, `popup/reaction_list`,
//! `popup/reaction_picker`, `popup/sheet`, `quotes`, `reactions`, `read_marks`, `reply_to`,
//! `reports`,
//! `requests`, `retry`, `roster`, `saving`, `seek`, `sending`, `sidebar`, `timeline_nav`,
//! `typing`, `update`, `uploading`.

pub mod action;
pub mod actions;
pub mod admin;
pub mod call;
pub mod catch_up;
pub mod chat;
pub mod chat_prefs;
pub mod command_line;
pub mod commands;
pub mod completion;
pub mod composer;
pub mod contacts;
pub mod cursor;
pub mod drafts;
pub mod editor;
pub mod effect;
pub mod events;
pub mod forwarding;
pub mod fuzzy;
pub mod history;
pub mod inbox;
pub mod input;
pub mod keymap;
pub mod lifecycle;
pub mod load_tracker;
pub mod loads;
pub mod local;
pub mod member_list;
pub mod msg;
pub mod names;
pub mod notify;
pub mod open_link;
pub mod outbox;
pub mod outgoing;
pub mod picture_loads;
pub mod picture_send;
pub mod pictures;
pub mod popup;
pub mod quotes;
pub mod reactions;
pub mod read_marks;
pub mod reply_to;
pub mod reports;
pub mod requests;
pub mod retry;
pub mod roster;
pub mod saving;
pub mod seek;
pub mod sending;
pub mod sidebar;
pub mod state;
pub mod store_state;
pub mod stored;
pub mod text;
pub mod timeline_nav;
pub mod transfer;
pub mod typing;
pub mod update;
pub mod uploading;

pub use action::{Action, Pane};
pub use call::Call;
pub use call::reply::Reply;
pub use effect::Effect;
pub use msg::Msg;
pub use state::State;
