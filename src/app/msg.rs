//! Everything that can happen, as one message type on one channel.

use crossterm::event::{KeyEvent, MouseEvent};

use crate::onebot::ClientEvent;

use super::call::reply::Reply;
use super::drafts::Session;
use super::state::FrameReport;
use super::stored::StoreEvent;

/// One thing that happened.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    /// A bracketed paste (never sends by itself).
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The terminal window gained (true) or lost (false) focus.
    FocusChanged(bool),
    /// Something from the connection: state, event, reconnect, bad frame.
    Client(ClientEvent),
    /// A call finished: the call with its typed result.
    Reply(Reply),
    /// The time (Unix seconds) changed: status expiry and countdowns follow it.
    Clock(i64),
    /// What the frame just drawn showed.
    Frame(FrameReport),
    /// The session saved by the last run: its drafts, and the chat to open again.
    Restore(Session),
    /// Something the runtime was asked to do failed.
    Failed(Failure),
    /// What the local history service did or read.
    Store(StoreEvent),
    /// SIGTSTP from outside (not the Ctrl+Z key): suspend like the key would.
    SuspendSignal,
    /// The external editor (`Effect::Edit`) exited: the text it left for the chat's draft, or
    /// why there is none (the draft is then kept as it was).
    Edited {
        peer: Option<crate::onebot::Peer>,
        result: Result<String, String>,
    },
    /// The terminal answered whether it speaks the kitty keyboard protocol (asked once at
    /// start, while the first frames are drawn).
    KeyboardProtocol(bool),
    /// How pictures are drawn on this terminal (chosen once at start): `kitty`, `sixel`,
    /// `iterm2`, `halfblocks`, with ` (tmux passthrough)` when it goes through tmux.
    PictureProtocol(&'static str),
    /// A confirmed step to take (see `Effect::Continue`).
    Continue(super::effect::Step),
    /// A picture asked for with `Effect::Picture`: its cells, or why there are none.
    Picture(super::pictures::PicDone),
    /// How sending a local picture goes (see `Effect::SendPicture`).
    PictureSend(super::pictures::SendEvent),
    /// A transfer's progress or end (the runtime's `Effect::Save` / `Effect::Upload`).
    Transfer(super::transfer::TransferEvent),
    /// A local folder's entries (`Effect::ListDir`): names and whether each is a folder.
    Listed {
        dir: String,
        entries: Vec<(String, bool)>,
    },
    /// Something about how napterm was started that the user should read (`--token` is
    /// visible in `ps`).
    Warning(String),
}

/// An effect the runtime could not perform, with its reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No URL opener could run (the reason says what was done instead).
    Open(String),
    /// The moderation audit log could not be written.
    Audit { path: String, reason: String },
    /// Suspending to the shell failed.
    Suspend(String),
    /// The session file could not be written.
    SaveSession { path: String, reason: String },
}
