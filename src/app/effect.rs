//! What `update` asks the outside world to do, and what comes back.
//!
//! `update` never awaits: it returns `Effect`s. The runtime performs them (API calls through the
//! typed client, terminal side effects, file writes) and feeds results back as `Msg::Done`.

use crate::onebot::types::{
    AtAllRemain, EssenceMessage, GroupHonorInfo, GroupInfo, GroupMember, GroupNotice,
    GroupSystemMsg, ShutListEntry, StrangerInfo,
};
use crate::onebot::{MessageChain, MessageEvent, Peer};

use super::contacts::{FriendInfo, GroupEntry, Member};
use super::drafts::Session;

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
    /// Fetch what a merged forward holds (its `forward` segment's id), for the preview.
    GetForward {
        id: String,
    },
    /// A download link for a group file, to open it.
    FileUrl {
        group: i64,
        file_id: String,
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
    /// `delete_msg`; `author` wrote the message (for the audit log when it is someone else).
    Recall {
        peer: Peer,
        id: i64,
        author: i64,
    },
    // ----- group administration -----
    /// `set_group_ban`: mutes for `duration` seconds; 0 lifts the mute.
    Ban {
        group: i64,
        user: i64,
        duration: i64,
    },
    /// `set_group_kick`; `block` refuses the member's future join requests.
    Kick {
        group: i64,
        user: i64,
        block: bool,
    },
    /// `set_group_kick_members`: several members in one call.
    KickMany {
        group: i64,
        users: Vec<i64>,
        block: bool,
    },
    /// `set_group_card`; "" clears the card.
    SetCard {
        group: i64,
        user: i64,
        card: String,
    },
    /// `set_group_special_title`; "" removes the title.
    SetTitle {
        group: i64,
        user: i64,
        title: String,
    },
    /// `set_group_admin`.
    SetAdmin {
        group: i64,
        user: i64,
        enable: bool,
    },
    /// `get_group_member_info` and `get_stranger_info`, for the profile popup.
    Profile {
        group: i64,
        user: i64,
    },
    /// `send_poke`, in a group or (without `group`) privately.
    Poke {
        group: Option<i64>,
        user: i64,
    },
    /// `send_like`.
    Like {
        user: i64,
        times: u32,
    },
    /// `set_essence_msg` (`on`) or `delete_essence_msg`.
    SetEssence {
        group: i64,
        id: i64,
        on: bool,
    },
    /// `get_essence_msg_list`.
    Essences {
        group: i64,
    },
    /// `set_group_whole_ban`.
    MuteAll {
        group: i64,
        enable: bool,
    },
    /// `set_group_name`.
    Rename {
        group: i64,
        name: String,
    },
    /// `set_group_portrait`; `file` is a local path (the runtime reads it and sends base64, as
    /// NapCat may run on another machine) or a URL.
    Avatar {
        group: i64,
        file: String,
    },
    /// `_get_group_notice`.
    Notices {
        group: i64,
    },
    /// `_send_group_notice`; `image` as for `Avatar`.
    PostNotice {
        group: i64,
        text: String,
        image: Option<String>,
        pinned: bool,
        confirm: bool,
    },
    /// `_del_group_notice`.
    DeleteNotice {
        group: i64,
        notice_id: String,
    },
    /// `get_group_shut_list`.
    ShutList {
        group: i64,
    },
    /// `get_group_info` and `get_group_info_ex`.
    GroupDetails {
        group: i64,
    },
    /// `get_group_honor_info`.
    Honors {
        group: i64,
    },
    /// `get_group_at_all_remain`.
    AtAllRemain {
        group: i64,
    },
    /// `set_group_sign`.
    Sign {
        group: i64,
    },
    /// `set_group_leave`; `dismiss` when the account owns the group.
    Leave {
        group: i64,
        dismiss: bool,
    },
    /// `get_group_system_msg`, or `get_group_ignored_notifies` (requests QQ filtered) when
    /// `filtered`.
    GroupRequests {
        filtered: bool,
    },
    /// `set_friend_add_request` (`group` None) or `set_group_add_request`. `text` is the friend's
    /// remark when accepting a friend, the reason when rejecting a group request.
    AnswerRequest {
        flag: String,
        user: i64,
        group: Option<i64>,
        approve: bool,
        text: Option<String>,
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
            Call::GetForward { .. } => "获取聊天记录",
            Call::FileUrl { .. } => "获取文件链接",
            Call::Send { .. } => "发送",
            Call::MarkRead { .. } | Call::MarkAllRead => "标记已读",
            Call::Recall { .. } => "撤回",
            Call::Ban { duration: 0, .. } => "解除禁言",
            Call::Ban { .. } => "禁言",
            Call::Kick { .. } | Call::KickMany { .. } => "移出群聊",
            Call::SetCard { .. } => "设置群名片",
            Call::SetTitle { .. } => "设置专属头衔",
            Call::SetAdmin { enable: true, .. } => "设置管理员",
            Call::SetAdmin { .. } => "取消管理员",
            Call::Profile { .. } => "获取成员资料",
            Call::Poke { .. } => "戳一戳",
            Call::Like { .. } => "点赞",
            Call::SetEssence { on: true, .. } => "设为精华",
            Call::SetEssence { .. } => "取消精华",
            Call::Essences { .. } => "获取精华消息",
            Call::MuteAll { enable: true, .. } => "开启全员禁言",
            Call::MuteAll { .. } => "关闭全员禁言",
            Call::Rename { .. } => "修改群名",
            Call::Avatar { .. } => "设置群头像",
            Call::Notices { .. } => "获取群公告",
            Call::PostNotice { .. } => "发布群公告",
            Call::DeleteNotice { .. } => "删除群公告",
            Call::ShutList { .. } => "获取禁言列表",
            Call::GroupDetails { .. } => "获取群资料",
            Call::Honors { .. } => "获取群荣誉",
            Call::AtAllRemain { .. } => "查询 @全体成员 次数",
            Call::Sign { .. } => "群签到",
            Call::Leave { dismiss: true, .. } => "解散群聊",
            Call::Leave { .. } => "退出群聊",
            Call::GroupRequests { .. } => "获取加群请求",
            Call::AnswerRequest { approve: true, .. } => "同意请求",
            Call::AnswerRequest { .. } => "拒绝请求",
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
    /// The messages inside a merged forward.
    Forward(Vec<MessageEvent>),
    /// A URL to open.
    Url(String),
    Sent {
        message_id: i64,
    },
    /// A member's profile: either half may be missing when its call failed.
    Profile(Box<ProfileData>),
    Essences(Vec<EssenceMessage>),
    Notices(Vec<GroupNotice>),
    ShutList(Vec<ShutListEntry>),
    /// `get_group_info`, with `get_group_info_ex`'s raw object when the server has it.
    GroupDetails(Box<GroupInfo>, Option<serde_json::Value>),
    Honors(Box<GroupHonorInfo>),
    AtAll(AtAllRemain),
    GroupRequests(GroupSystemMsg),
    /// The call succeeded and returns nothing of interest.
    Ok,
}

/// What the profile popup shows: the member as the group knows them, the person as QQ does.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfileData {
    pub member: Option<GroupMember>,
    pub stranger: Option<StrangerInfo>,
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
    /// Appends a moderation action and its result to the audit log.
    Audit(AuditEntry),
    /// Persists the drafts and the open chat so they survive a restart.
    SaveSession(Session),
    /// Redraws everything from scratch.
    Redraw,
    /// Suspends to the shell.
    Suspend,
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
