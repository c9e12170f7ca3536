//! Calls about reactions (贴表情): reacting, and learning who reacted with what. Plain data:
//! what each result does is in `reactions`.

use crate::onebot::Peer;

/// `set_msg_emoji_like`: adds (`set`) or takes back your reaction `emoji` (a face id or a code
/// point, in decimal) on message `id` of `peer`.
#[derive(Debug, Clone, PartialEq)]
pub struct React {
    pub peer: Peer,
    pub id: i64,
    pub emoji: String,
    pub set: bool,
}

/// `get_msg`, for the reaction counts of message `id` of `peer` (`emoji_likes_list`: only
/// `get_msg` carries them, and NapCat pushes reactions only on your own messages).
#[derive(Debug, Clone, PartialEq)]
pub struct ReactionCounts {
    pub peer: Peer,
    pub id: i64,
}

/// `get_emoji_likes`: everybody who reacted to message `id` of `peer` with `emoji`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reactors {
    pub peer: Peer,
    pub id: i64,
    pub emoji: String,
}
