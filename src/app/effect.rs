//! What `update` asks the outside world to do, and what comes back.
//!
//! `update` never awaits: it returns `Effect`s. The runtime performs them (API calls through the
//! typed client, terminal side effects, file writes) and feeds results back as `Msg::Done`.

use crate::onebot::{MessageChain, MessageEvent, Peer};

use super::contacts::{FriendInfo, GroupEntry, Member};

/// An API call the app wants made. Echoed back with its result, so handlers know the context.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    LoginInfo,
    /// `get_friend_list` (the OneBot standard).
    Friends,
    /// `get_friends_with_category` (NapCat extension; other servers may lack it).
    FriendCategories,
    Groups,
    RecentContacts {
        count: u32,
    },
    /// A history page: the latest when `anchor` is None, else `count` messages ending at `anchor`.
    History {
        peer: Peer,
        anchor: Option<i64>,
        count: u32,
    },
    Members {
        group: i64,
    },
    /// Fetch one message (e.g. a quoted one not in memory).
    GetMsg {
        peer: Peer,
        id: i64,
    },
    Send {
        peer: Peer,
        chain: MessageChain,
        local_id: u64,
    },
    MarkRead {
        peer: Peer,
    },
    MarkAllRead,
    Recall {
        peer: Peer,
        id: i64,
    },
}

impl Call {
    /// A short human name for status-line errors.
    pub fn describe(&self) -> &'static str {
        match self {
            Call::LoginInfo => "获取登录信息",
            Call::Friends | Call::FriendCategories => "获取好友列表",
            Call::Groups => "获取群列表",
            Call::RecentContacts { .. } => "获取最近会话",
            Call::History { .. } => "加载历史消息",
            Call::Members { .. } => "获取群成员",
            Call::GetMsg { .. } => "获取消息",
            Call::Send { .. } => "发送",
            Call::MarkRead { .. } | Call::MarkAllRead => "标记已读",
            Call::Recall { .. } => "撤回",
        }
    }
}

/// One entry of the recent-contacts list.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentItem {
    pub peer: Peer,
    pub time: i64,
    pub name: String,
    pub last: Option<MessageEvent>,
}

/// A successful call's typed result.
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    LoginInfo {
        user_id: i64,
        nickname: String,
    },
    Friends(Vec<FriendInfo>),
    FriendCategories {
        categories: Vec<(i64, String)>,
        friends: Vec<FriendInfo>,
    },
    Groups(Vec<GroupEntry>),
    Recent(Vec<RecentItem>),
    Messages(Vec<MessageEvent>),
    Members(Vec<Member>),
    Message(Box<MessageEvent>),
    Sent {
        message_id: i64,
    },
    /// The call succeeded and returns nothing of interest.
    Ok,
}

/// Something for the runtime to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
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
    /// Persists drafts (per chat) so they survive a restart.
    SaveDrafts(Vec<(Peer, String)>),
    /// Redraws everything from scratch.
    Redraw,
    /// Suspends to the shell.
    Suspend,
    Quit,
}
