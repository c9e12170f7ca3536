//! Everything that can happen, as one message type on one channel.

use crossterm::event::{KeyEvent, MouseEvent};

use crate::onebot::ClientEvent;

use super::call::Reply;

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
    /// A timer: time-based display (status expiry, reconnect countdown) may have changed.
    Tick,
    /// SIGTSTP from outside (not the Ctrl+Z key): suspend like the key would.
    SuspendSignal,
}
