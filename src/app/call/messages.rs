//! Calls on messages: recalling one, essence messages. Plain data: what each result does is in
//! `admin::messages`.

use crate::onebot::Peer;

/// `delete_msg`; `author` wrote the message (for the audit log when it is someone else).
#[derive(Debug, Clone, PartialEq)]
pub struct Recall {
    pub peer: Peer,
    pub id: i64,
    pub author: i64,
}

/// `set_essence_msg` (`on`) or `delete_essence_msg`.
#[derive(Debug, Clone, PartialEq)]
pub struct SetEssence {
    pub group: i64,
    pub id: i64,
    pub on: bool,
}

/// `get_essence_msg_list`, for the essence list.
#[derive(Debug, Clone, PartialEq)]
pub struct Essences {
    pub group: i64,
}
