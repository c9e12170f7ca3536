//! Calls about what the account knows: who it is, its friends and groups, recent chats, the
//! members of a group. Plain data: what each result does is in `roster`.

use crate::onebot::{MessageEvent, Peer};

use super::super::contacts::FriendInfo;

/// `get_login_info`: the account's number and nickname.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginInfo;

/// `get_friend_list` (the OneBot standard).
#[derive(Debug, Clone, PartialEq)]
pub struct Friends;

/// `get_friends_with_category` (NapCat extension; other servers may lack it).
#[derive(Debug, Clone, PartialEq)]
pub struct FriendCategories;

/// The friends, each with its category, and the categories' names in order.
#[derive(Debug, Clone, PartialEq)]
pub struct FriendsByCategory {
    pub categories: Vec<(i64, String)>,
    pub friends: Vec<FriendInfo>,
}

/// `get_group_list`.
#[derive(Debug, Clone, PartialEq)]
pub struct Groups;

/// `get_recent_contact`: the latest chats, each with its last message.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentContacts {
    pub count: u32,
}

/// One entry of the recent-contacts list.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentItem {
    pub peer: Peer,
    pub time: i64,
    pub name: String,
    pub last: Option<MessageEvent>,
}

/// `get_stranger_info` for a name napterm does not know: a newcomer's in a join notice, an
/// applicant's (request events carry no name). Its `Request` impl is in `app::names`.
#[derive(Debug, Clone, PartialEq)]
pub struct StrangerInfo {
    pub user: i64,
    /// The flag of a request that is announced once the name is known.
    pub request: Option<String>,
}

/// `get_group_member_list`.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberList {
    pub group: i64,
}
