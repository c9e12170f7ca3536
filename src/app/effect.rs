//! What `update` asks the outside world to do.
//!
//! `update` never awaits: it returns `Effect`s. The runtime performs them (API calls through the
//! typed client, terminal side effects, file writes); an API call's result comes back as
//! `Msg::Reply` (see `call`).

use crate::onebot::Peer;

use super::admin::audit::AuditEntry;
use super::call::Call;

/// Something for the runtime to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// An API call; its result comes back as `Msg::Reply`.
    Call(Call),
    /// A desktop-style notification (OSC 9 / 777) and/or bell, per configuration.
    Notify {
        title: String,
        body: String,
    },
    /// Sets the terminal window title.
    Title(String),
    /// Puts text on the clipboard (OSC 52).
    Copy(String),
    /// Opens a URL with the system opener (or copies it when there is none).
    Open(String),
    /// Appends a moderation action and its result to the audit log.
    Audit(AuditEntry),
    /// Persists drafts (per chat) so they survive a restart.
    SaveDrafts(Vec<(Peer, String)>),
    /// Redraws everything from scratch.
    Redraw,
    /// Suspends to the shell.
    Suspend,
    Quit,
}

impl Effect {
    /// The effect that makes this API call: `Effect::call(Ban { group, user, duration })`.
    pub fn call(c: impl Into<Call>) -> Effect {
        Effect::Call(c.into())
    }
}
