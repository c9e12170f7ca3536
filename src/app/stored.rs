//! The local history as the app sees it: what it asks the store to write and to read (effects
//! the runtime's history service performs off the loop thread), what comes back (`Msg::Store`),
//! and where a chat's stored messages end (where catch-up stops). What the app knows of the
//! store is `store_state`.

use crate::onebot::{MessageEvent, Peer};
use crate::store::{Anchor, Hit, NoticeLine, Query, Row, StoredChat};

/// One write to the store (the runtime hands it to the store's writer thread).
#[derive(Debug, Clone, PartialEq)]
pub enum StoreWrite {
    /// A message from any source (live, `message_sent`, a history page, an own send).
    Message(Box<MessageEvent>),
    /// A notice line, phrased as the timeline shows it.
    Notice(NoticeLine),
    /// A message was recalled (by `by`).
    Recall {
        peer: Peer,
        message_id: i64,
        by: i64,
    },
    /// A chat's name (a group's name, a friend's remark or nickname).
    ChatName { peer: Peer, name: String },
    /// The fetched contents of a merged forward.
    Forward {
        id: String,
        messages: Vec<MessageEvent>,
    },
    /// Deletes a chat's local history.
    Forget(Peer),
}

/// Why a page is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFor {
    /// The chat was opened: its newest stored rows.
    Open,
    /// Scrolling back past the oldest loaded message.
    Older,
    /// Scrolling down from a search hit, towards the newest.
    Newer,
}

/// One read of the store; the answer comes back as `Msg::Store`.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreRead {
    /// Up to `limit` rows of `peer` before `anchor` (the newest when `None`), or after it for
    /// [`PageFor::Newer`].
    Page {
        peer: Peer,
        anchor: Option<Anchor>,
        limit: usize,
        purpose: PageFor,
    },
    /// A message with its surroundings (a `/find` hit opened).
    Around {
        peer: Peer,
        message_id: i64,
        before: usize,
        after: usize,
    },
    /// `/find` (or `/search` in one chat): the newest `limit` hits.
    Find {
        text: String,
        query: Query,
        limit: usize,
    },
}

/// What the history service reports.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreEvent {
    /// The last account used with this URL, if any (sent once at start).
    LastAccount(Option<i64>),
    /// `account`'s store is open; its chats with their newest stored messages. `notice` is
    /// something to tell the user once (a damaged file moved aside).
    Opened {
        account: i64,
        chats: Vec<StoredChat>,
        notice: Option<String>,
    },
    /// The store could not be opened: napterm runs on without one.
    Unavailable { account: i64, reason: String },
    /// Writing started failing (read-only, full, damaged): said once.
    Fault(String),
    /// A page read for `peer`.
    Page {
        peer: Peer,
        anchor: Option<Anchor>,
        limit: usize,
        purpose: PageFor,
        rows: Vec<Row>,
    },
    /// A message with its surroundings; `None` when it is not stored.
    Around {
        peer: Peer,
        message_id: i64,
        rows: Option<Vec<Row>>,
    },
    /// The hits of a search.
    Found { text: String, hits: Vec<Hit> },
    /// A chat's local history was deleted (`/forget`).
    Forgotten(Peer),
    /// A read failed (its reason is shown).
    ReadFailed { what: ReadKind, reason: String },
}

/// Which kind of read failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadKind {
    Page(Peer),
    Around(Peer),
    Find,
}

/// The newest stored message of a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boundary {
    pub message_id: i64,
    pub time: i64,
}

/// A chat catching up with what NapCat has that it lacks: pages back from the newest until a
/// page meets the newest message it had (`known`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatchUp {
    /// The newest message known (stored or loaded) when catching up began.
    pub known: Boundary,
    /// The anchor of the page on its way (`None` inside: the latest page).
    pub asked: Option<Option<i64>>,
    /// Pages still allowed.
    pub pages_left: u32,
}
