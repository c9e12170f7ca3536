//! What `update` asks the outside world to do.
//!
//! `update` never awaits: it returns `Effect`s. The runtime performs them (API calls through the
//! typed client, terminal side effects, file writes); an API call's result comes back as
//! `Msg::Reply` (see `call`).

use crate::onebot::{MessageChain, Peer};

use super::call::Call;
use super::drafts::Session;
use super::stored::{StoreRead, StoreWrite};
use super::transfer::{SaveJob, TransferId, UploadJob};

/// Something for the runtime to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// An API call; its result comes back as `Msg::Reply`.
    Call(Call),
    /// A desktop-style notification (OSC 9 / 777) and/or bell, per configuration.
    Notify { title: String, body: String },
    /// Sets the terminal window title.
    Title(String),
    /// Puts text on the clipboard (OSC 52).
    Copy(String),
    /// Opens a URL with the system opener (or copies it when there is none).
    Open(String),
    /// Appends a moderation action and its result to the audit log.
    Audit(AuditEntry),
    /// Persists the drafts and the open chat so they survive a restart.
    SaveSession(Session),
    /// Redraws everything from scratch.
    Redraw,
    /// Suspends to the shell.
    Suspend,
    /// Suspends the interface and opens `$VISUAL`/`$EDITOR` on the draft's text; what the
    /// editor left comes back as `Msg::Edited` for the same chat.
    Edit { peer: Option<Peer>, text: String },
    /// Turns on the kitty keyboard protocol's disambiguated keys (Shift+Enter, …), which the
    /// terminal said it speaks.
    EnhanceKeyboard,
    /// Opens `account`'s local history (closing another one); the answer comes back as
    /// `Msg::Store`.
    OpenStore { account: i64 },
    /// A write to the local history (done on the store's writer thread).
    Store(StoreWrite),
    /// A read of the local history (done off the loop thread); the answer comes back as
    /// `Msg::Store`.
    StoreRead(StoreRead),
    /// Connects to NapCat now instead of waiting out the reconnect backoff.
    Reconnect,
    /// Produces a picture's half-block cells at a size (from memory, the disk cache or the
    /// network, decoded off the loop thread); the answer comes back as `Msg::Picture`.
    Picture(super::pictures::PicJob),
    /// Reads the local picture at `path` (`~` and relative paths allowed) and prepares it for
    /// `peer`; how it goes comes back as `Msg::PictureSend`.
    SendPicture { peer: Peer, path: String },
    /// Uploads the pictures of the message of `local_id` too large to go inside it
    /// (`pictures::needs_upload`); `chain` with NapCat's paths in their place comes back as
    /// `Msg::PictureSend(SendEvent::Uploaded)`, to be sent then.
    UploadPicture {
        peer: Peer,
        local_id: u64,
        chain: MessageChain,
    },
    /// Stops the upload for the message of `local_id` (it was taken back).
    CancelUpload { local_id: u64 },
    /// Picture `to` is picture `from` (your own, back from NapCat under its name): what is
    /// kept of `from` serves `to` too, so it is not fetched again, offline neither.
    AliasPicture {
        from: super::pictures::PicKey,
        to: super::pictures::PicKey,
    },
    /// Downloads an attachment (into the download folder, or to play it); progress and the end
    /// come back as `Msg::Transfer`.
    Save(SaveJob),
    /// Uploads a local file; progress and the end come back as `Msg::Transfer`.
    Upload(UploadJob),
    /// Stops a transfer; what it wrote is removed.
    CancelTransfer(TransferId),
    /// Lists a local folder (as typed, `~/` allowed) for path completion; the entries come back
    /// as `Msg::Listed`.
    ListDir(String),
    /// Opens a saved file with the system opener (over SSH its path is copied instead).
    OpenFile(String),
    /// Hands `Msg::Continue(step)` back to `update`: what a confirmation's yes goes on with
    /// when it changes more than the server (a send shows its message and empties the composer).
    Continue(Step),
}

/// A step `update` takes once a confirmation said yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Send what the composer holds; the `@全体成员` in it was confirmed.
    SendConfirmed,
    /// Send the picture whose path was just pasted (`Pictures::pasted`).
    SendPastedPicture,
}

impl Effect {
    /// Your message `sent` echoed by NapCat as `echo`: the pictures it names otherwise are the
    /// ones sent (see `pictures::renamed`).
    pub fn aliases(
        sent: &MessageChain,
        echo: &MessageChain,
    ) -> impl Iterator<Item = Effect> + use<> {
        super::pictures::renamed(sent, echo)
            .into_iter()
            .map(|(from, to)| Effect::AliasPicture { from, to })
    }

    /// The effect that makes this API call: `Effect::call(Ban { group, user, duration })`.
    pub fn call(c: impl Into<Call>) -> Effect {
        Effect::Call(c.into())
    }
}

/// One moderation action and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Unix seconds when the result came back.
    pub time: i64,
    /// The group (None for friend requests).
    pub group: Option<i64>,
    /// What was done, with its details: `mute 600s`, `kick --block`, `card "新名片"`.
    pub action: String,
    /// Whom or what it was done to: `20002 (明哥)`, `message 123 of 20002 (明哥)`, `-`.
    pub target: String,
    /// `Ok`, or NapCat's reason.
    pub result: Result<(), String>,
}
