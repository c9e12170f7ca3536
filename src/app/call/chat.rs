//! Calls of a chat: history pages, the messages a chat refers to, sending, marking read, a
//! group file's link, typing. Plain data: what each result does is said where the call is made
//! (`history`, `quotes`, `open_link`, `sending`, `lifecycle`, `typing`).

use crate::onebot::{MessageChain, Peer};

/// `get_group_msg_history` / `get_friend_msg_history`: a history page, the latest when `anchor`
/// is None, else `count` messages ending at `anchor`.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub peer: Peer,
    pub anchor: Option<i64>,
    pub count: u32,
}

/// `get_msg`: one message (e.g. a quoted one not in memory).
#[derive(Debug, Clone, PartialEq)]
pub struct GetMsg {
    pub peer: Peer,
    pub id: i64,
}

/// `get_forward_msg`: what a merged forward holds (its `forward` segment's id), for the preview.
#[derive(Debug, Clone, PartialEq)]
pub struct GetForward {
    pub id: String,
}

/// `get_group_file_url`: a download link for a group file, to open it (or, from the link
/// picker, to copy it).
#[derive(Debug, Clone, PartialEq)]
pub struct FileUrl {
    pub group: i64,
    pub file_id: String,
    /// Copy the link instead of opening it.
    pub copy: bool,
}

/// `send_msg`: `local_id` is the pending entry that shows it until the server answers. `group`
/// is the group a temporary session goes through (`send_private_msg` with `group_id`).
#[derive(Debug, Clone, PartialEq)]
pub struct SendMessage {
    pub peer: Peer,
    pub chain: MessageChain,
    pub local_id: u64,
    pub group: Option<i64>,
}

/// `set_input_status` (event type 1): tells a friend you are typing.
#[derive(Debug, Clone, PartialEq)]
pub struct Typing {
    pub user: i64,
}

/// `mark_group_msg_as_read` / `mark_private_msg_as_read`.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkRead {
    pub peer: Peer,
}

/// `_mark_all_as_read`.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkAllRead;
