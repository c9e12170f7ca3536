//! Calls that pass messages on to another chat: several as one merged forward, or each as it is.
//! Plain data: what each result does is in `forwarding`.

use crate::onebot::Peer;

/// `send_group_forward_msg` / `send_private_forward_msg`: the messages with these short ids,
/// oldest first, as one merged forward (one `{id}` node each) to `target`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardMerged {
    pub target: Peer,
    pub ids: Vec<i64>,
}

/// `forward_group_single_msg` / `forward_friend_single_msg`, once per message in order, each sent
/// only after the one before it went through: the messages as they are, one by one, to `target`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardEach {
    pub target: Peer,
    pub ids: Vec<i64>,
}

/// How far a [`ForwardEach`] got: how many went, and why the next one did not.
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardedEach {
    pub sent: usize,
    /// The first failure (the rest were not tried), as NapCat worded it.
    pub error: Option<String>,
}
