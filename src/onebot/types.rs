//! Typed results of NapCat's read actions (the `data` of their replies).
//!
//! Every type reads leniently: ids and counts may arrive as numbers or numeric strings, missing
//! fields take their defaults, and a list sent as `null` (as Go servers do for empty lists) is
//! empty. Only a `data` of a different kind (an array where an object belongs, a string where a
//! list belongs) fails, and the API layer turns that into `Error::UnexpectedReply`.

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::event::{MessageEvent, Peer, Role};
use super::lenient::{bool_lenient, i64_or_zero, opt_string, string, value_i64};
use super::message::MessageChain;

/// Reads a list that may be `null` or absent (both mean empty).
fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Reads a role from NapCat's strings or QQNT's numbers (4 owner, 3 admin, 2 member).
fn role<'de, D: Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Role::default(),
        Some(v) => Role::from_wire(&v),
    })
}

/// Gender as QQ reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
    #[default]
    Unknown,
}

impl Sex {
    /// The number `set_qq_profile` takes (0 unknown, 1 male, 2 female).
    pub fn wire_number(self) -> i64 {
        match self {
            Sex::Unknown => 0,
            Sex::Male => 1,
            Sex::Female => 2,
        }
    }
}

impl<'de> Deserialize<'de> for Sex {
    /// Accepts `"male"`/`"female"`/`"unknown"` and QQ's numbers (1 male, 2 female).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            Some(Value::String(s)) => match s.as_str() {
                "male" | "1" => Sex::Male,
                "female" | "2" => Sex::Female,
                _ => Sex::Unknown,
            },
            Some(v) => match value_i64(&v) {
                Some(1) => Sex::Male,
                Some(2) => Sex::Female,
                _ => Sex::Unknown,
            },
            None => Sex::Unknown,
        })
    }
}

/// `get_login_info`: the logged-in account.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct LoginInfo {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub user_id: i64,
    #[serde(default, deserialize_with = "string")]
    pub nickname: String,
}

/// One friend (`get_friend_list`, and the buddy lists of `get_friends_with_category`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Friend {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub user_id: i64,
    #[serde(default, deserialize_with = "string")]
    pub nickname: String,
    /// The name you gave this friend ("" when none).
    #[serde(default, deserialize_with = "string")]
    pub remark: String,
    #[serde(default)]
    pub sex: Sex,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub age: i64,
    /// QQ level.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub level: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub birthday_year: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub birthday_month: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub birthday_day: i64,
    #[serde(default, deserialize_with = "string")]
    pub phone_num: String,
    #[serde(default, deserialize_with = "string")]
    pub email: String,
    /// The friend category (group of the friend list) this friend is in.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub category_id: i64,
}

impl Friend {
    /// Remark if set, else nickname, else the number.
    pub fn display_name(&self) -> String {
        crate::onebot::display_name(&[&self.remark, &self.nickname], self.user_id)
    }
}

/// One category of the friend list with its friends (`get_friends_with_category`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct FriendCategory {
    #[serde(rename = "categoryId", default, deserialize_with = "i64_or_zero")]
    pub category_id: i64,
    #[serde(rename = "categoryName", default, deserialize_with = "string")]
    pub category_name: String,
    /// How many friends the category holds, as QQ counts them.
    #[serde(rename = "categoryMbCount", default, deserialize_with = "i64_or_zero")]
    pub member_count: i64,
    #[serde(rename = "onlineCount", default, deserialize_with = "i64_or_zero")]
    pub online_count: i64,
    #[serde(rename = "buddyList", default, deserialize_with = "list")]
    pub buddy_list: Vec<Friend>,
}

/// A group (`get_group_list`, `get_group_info`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct GroupInfo {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub group_id: i64,
    #[serde(default, deserialize_with = "string")]
    pub group_name: String,
    /// Your own remark for the group ("" when none).
    #[serde(default, deserialize_with = "string")]
    pub group_remark: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub member_count: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub max_member_count: i64,
    /// Non-zero while the whole group is muted (NapCat sends 0 or -1).
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub group_all_shut: i64,
}

impl GroupInfo {
    /// True while everybody but admins is muted.
    pub fn all_muted(&self) -> bool {
        self.group_all_shut != 0
    }
    /// Remark if set, else the group name, else the number.
    pub fn display_name(&self) -> String {
        crate::onebot::display_name(&[&self.group_remark, &self.group_name], self.group_id)
    }
}

/// A group member (`get_group_member_info`, `get_group_member_list`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct GroupMember {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub group_id: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub user_id: i64,
    #[serde(default, deserialize_with = "string")]
    pub nickname: String,
    /// The group card ("" when none).
    #[serde(default, deserialize_with = "string")]
    pub card: String,
    #[serde(default)]
    pub sex: Sex,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub age: i64,
    #[serde(default, deserialize_with = "string")]
    pub area: String,
    /// The member's level in this group (NapCat sends it as a string).
    #[serde(default, deserialize_with = "string")]
    pub level: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub qq_level: i64,
    /// Unix seconds.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub join_time: i64,
    /// Unix seconds of the member's last message.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub last_sent_time: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub title_expire_time: i64,
    #[serde(default, deserialize_with = "bool_lenient")]
    pub unfriendly: bool,
    #[serde(default, deserialize_with = "bool_lenient")]
    pub card_changeable: bool,
    #[serde(default, deserialize_with = "bool_lenient")]
    pub is_robot: bool,
    /// Unix seconds when the mute ends; 0 when not muted.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub shut_up_timestamp: i64,
    #[serde(default, deserialize_with = "role")]
    pub role: Role,
    /// The special title ("" when none).
    #[serde(default, deserialize_with = "string")]
    pub title: String,
}

impl GroupMember {
    /// Card if set, else nickname, else the number.
    pub fn display_name(&self) -> String {
        crate::onebot::display_name(&[&self.card, &self.nickname], self.user_id)
    }
    /// Seconds of mute left at `now` (unix seconds); 0 when not muted.
    pub fn mute_remaining(&self, now: i64) -> i64 {
        (self.shut_up_timestamp - now).max(0)
    }
}

/// `get_group_msg_history` / `get_friend_msg_history`: a page of messages.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct History {
    /// In the server's order; sort by `time` yourself (builds differ).
    #[serde(default, deserialize_with = "list")]
    pub messages: Vec<MessageEvent>,
}

/// One conversation of `get_recent_contact`, with its latest message.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct RecentContact {
    /// The latest message (NapCat spells the key `lastestMsg`); absent when QQ has none cached.
    #[serde(rename = "lastestMsg", default)]
    pub latest_msg: Option<MessageEvent>,
    /// The group or user number (a string on the wire).
    #[serde(rename = "peerUin", default, deserialize_with = "i64_or_zero")]
    pub peer_uin: i64,
    #[serde(default, deserialize_with = "string")]
    pub remark: String,
    /// Unix seconds of the latest message (a string on the wire).
    #[serde(rename = "msgTime", default, deserialize_with = "i64_or_zero")]
    pub msg_time: i64,
    /// QQNT chat type: 1 friend, 2 group, 100 temporary session from a group.
    #[serde(rename = "chatType", default, deserialize_with = "i64_or_zero")]
    pub chat_type: i64,
    /// QQNT's own message id (not a OneBot short id).
    #[serde(rename = "msgId", default, deserialize_with = "string")]
    pub msg_id: String,
    #[serde(rename = "sendNickName", default, deserialize_with = "string")]
    pub send_nick_name: String,
    #[serde(rename = "sendMemberName", default, deserialize_with = "string")]
    pub send_member_name: String,
    #[serde(rename = "peerName", default, deserialize_with = "string")]
    pub peer_name: String,
}

impl RecentContact {
    /// The conversation, when the chat type is one a client can open.
    pub fn peer(&self) -> Option<Peer> {
        if self.peer_uin == 0 {
            return None;
        }
        match self.chat_type {
            1 | 100 => Some(Peer::Private(self.peer_uin)),
            2 => Some(Peer::Group(self.peer_uin)),
            _ => None,
        }
    }
}

/// `get_forward_msg`: the messages inside a merged forward (full message objects, not nodes).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ForwardContent {
    #[serde(default, deserialize_with = "list")]
    pub messages: Vec<MessageEvent>,
}

/// One essence (pinned) message of a group (`get_essence_msg_list`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct EssenceMessage {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub msg_seq: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub msg_random: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub sender_id: i64,
    #[serde(default, deserialize_with = "string")]
    pub sender_nick: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub operator_id: i64,
    #[serde(default, deserialize_with = "string")]
    pub operator_nick: String,
    /// Short id of the message, for `get_msg` and jumping to it.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub message_id: i64,
    /// Unix seconds when it was made essence.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub operator_time: i64,
    #[serde(default)]
    pub content: MessageChain,
}

/// An image attached to a group notice.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct NoticeImage {
    #[serde(default, deserialize_with = "string")]
    pub id: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub width: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub height: i64,
}

/// How a group notice is shown to members.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct NoticeSettings {
    /// 1 when members must confirm they read it.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub confirm_required: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub is_show_edit_card: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub tip_window_type: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub remind_ts: i64,
}

/// A group notice (`_get_group_notice`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "GroupNoticeWire")]
pub struct GroupNotice {
    /// What `del_group_notice` takes.
    pub notice_id: String,
    pub sender_id: i64,
    /// Unix seconds.
    pub publish_time: i64,
    pub text: String,
    pub images: Vec<NoticeImage>,
    /// How many members have read it.
    pub read_num: i64,
    pub settings: NoticeSettings,
}

#[derive(Deserialize)]
struct GroupNoticeWire {
    #[serde(default, deserialize_with = "string")]
    notice_id: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    sender_id: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    publish_time: i64,
    #[serde(default)]
    message: Option<GroupNoticeBody>,
    #[serde(default, deserialize_with = "i64_or_zero")]
    read_num: i64,
    #[serde(default)]
    settings: Option<NoticeSettings>,
}

#[derive(Deserialize)]
struct GroupNoticeBody {
    #[serde(default, deserialize_with = "string")]
    text: String,
    /// NapCat sends the same list under both keys; older builds only `image`.
    #[serde(default, deserialize_with = "list")]
    images: Vec<NoticeImage>,
    #[serde(default, deserialize_with = "list")]
    image: Vec<NoticeImage>,
}

impl From<GroupNoticeWire> for GroupNotice {
    fn from(w: GroupNoticeWire) -> Self {
        let (text, images) = match w.message {
            Some(b) => (
                b.text,
                if b.images.is_empty() {
                    b.image
                } else {
                    b.images
                },
            ),
            None => (String::new(), Vec::new()),
        };
        GroupNotice {
            notice_id: w.notice_id,
            sender_id: w.sender_id,
            publish_time: w.publish_time,
            text: html_unescape(&text),
            images,
            read_num: w.read_num,
            settings: w.settings.unwrap_or_default(),
        }
    }
}

/// Notice text comes from QQ's web API HTML-escaped (`&#10;` for line breaks, `&nbsp;`, `&amp;`…):
/// one pass turns the entities back into characters; anything unrecognised stays as written.
fn html_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let decoded = tail.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &tail[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let code = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse().ok())
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &tail[used..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A file in a group's file space.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct GroupFile {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub group_id: i64,
    /// What `get_group_file_url` and `delete_group_file` take (e.g. `/uuid`).
    #[serde(default, deserialize_with = "string")]
    pub file_id: String,
    #[serde(default, deserialize_with = "string")]
    pub file_name: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub busid: i64,
    /// Bytes (NapCat sends both `size` and `file_size`).
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub size: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub file_size: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub upload_time: i64,
    /// Unix seconds when it expires; 0 for permanent files.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub dead_time: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub modify_time: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub download_times: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub uploader: i64,
    #[serde(default, deserialize_with = "string")]
    pub uploader_name: String,
}

impl GroupFile {
    /// The size in bytes, from whichever key the server filled.
    pub fn bytes(&self) -> i64 {
        self.file_size.max(self.size)
    }
}

/// A folder in a group's file space.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct GroupFolder {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub group_id: i64,
    /// What `get_group_files_by_folder` and `delete_group_folder` take.
    #[serde(default, deserialize_with = "string")]
    pub folder_id: String,
    #[serde(default, deserialize_with = "string")]
    pub folder: String,
    #[serde(default, deserialize_with = "string")]
    pub folder_name: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub create_time: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub creator: i64,
    #[serde(default, deserialize_with = "string")]
    pub creator_name: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub total_file_count: i64,
}

/// A listing of a group's files (`get_group_root_files`, `get_group_files_by_folder`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct GroupFiles {
    #[serde(default, deserialize_with = "list")]
    pub files: Vec<GroupFile>,
    /// Only the root listing has folders (sub-folders are not listed inside a folder).
    #[serde(default, deserialize_with = "list")]
    pub folders: Vec<GroupFolder>,
}

/// Space and count limits of a group's files (`get_group_file_system_info`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct FileSystemInfo {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub file_count: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub limit_count: i64,
    /// Bytes.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub used_space: i64,
    /// Bytes.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub total_space: i64,
}

/// One join request or invitation in `get_group_system_msg`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct GroupSystemRequest {
    /// The request's flag for `set_group_add_request` (a number on the wire).
    #[serde(default, deserialize_with = "string")]
    pub request_id: String,
    /// For a join request: the applicant. For an invitation: who invited the account.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub invitor_uin: i64,
    #[serde(default, deserialize_with = "string")]
    pub invitor_nick: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub group_id: i64,
    #[serde(default, deserialize_with = "string")]
    pub group_name: String,
    /// The request text (question and answer for groups that ask one).
    #[serde(default, deserialize_with = "string")]
    pub message: String,
    /// True once somebody handled it.
    #[serde(default, deserialize_with = "bool_lenient")]
    pub checked: bool,
    /// Who handled it (0 while pending).
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub actor: i64,
    #[serde(default, deserialize_with = "string")]
    pub requester_nick: String,
}

impl GroupSystemRequest {
    /// The flag to pass to `set_group_add_request`.
    pub fn flag(&self) -> &str {
        &self.request_id
    }
}

/// Pending group notifications (`get_group_system_msg`, `get_group_ignored_notifies`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "GroupSystemMsgWire")]
pub struct GroupSystemMsg {
    /// Invitations of the account into groups.
    pub invited_requests: Vec<GroupSystemRequest>,
    /// Requests to join groups the account administers.
    pub join_requests: Vec<GroupSystemRequest>,
}

#[derive(Deserialize)]
struct GroupSystemMsgWire {
    #[serde(default, deserialize_with = "list")]
    invited_requests: Vec<GroupSystemRequest>,
    /// The same list under NapCat's older key.
    #[serde(rename = "InvitedRequest", default, deserialize_with = "list")]
    invited_request_legacy: Vec<GroupSystemRequest>,
    #[serde(default, deserialize_with = "list")]
    join_requests: Vec<GroupSystemRequest>,
}

impl From<GroupSystemMsgWire> for GroupSystemMsg {
    fn from(w: GroupSystemMsgWire) -> Self {
        GroupSystemMsg {
            invited_requests: if w.invited_requests.is_empty() {
                w.invited_request_legacy
            } else {
                w.invited_requests
            },
            join_requests: w.join_requests,
        }
    }
}

/// A member named in a group honor list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct HonorMember {
    /// A string on the wire.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub user_id: i64,
    #[serde(default, deserialize_with = "string")]
    pub nickname: String,
    #[serde(default, deserialize_with = "string")]
    pub avatar: String,
    #[serde(default, deserialize_with = "string")]
    pub description: String,
}

/// A group's honors (`get_group_honor_info`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct GroupHonorInfo {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub group_id: i64,
    /// The current 龙王 (most talkative member), if any.
    #[serde(default)]
    pub current_talkative: Option<HonorMember>,
    #[serde(default, deserialize_with = "list")]
    pub talkative_list: Vec<HonorMember>,
    #[serde(default, deserialize_with = "list")]
    pub performer_list: Vec<HonorMember>,
    #[serde(default, deserialize_with = "list")]
    pub legend_list: Vec<HonorMember>,
    #[serde(default, deserialize_with = "list")]
    pub emotion_list: Vec<HonorMember>,
    #[serde(default, deserialize_with = "list")]
    pub strong_newbie_list: Vec<HonorMember>,
}

/// How many `@全体成员` are left today (`get_group_at_all_remain`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct AtAllRemain {
    #[serde(default, deserialize_with = "bool_lenient")]
    pub can_at_all: bool,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub remain_at_all_count_for_group: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub remain_at_all_count_for_uin: i64,
}

/// A user's public profile (`get_stranger_info`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct StrangerInfo {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub user_id: i64,
    /// QQNT's internal uid (`u_…`).
    #[serde(default, deserialize_with = "string")]
    pub uid: String,
    #[serde(default, deserialize_with = "string")]
    pub nickname: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub age: i64,
    #[serde(default, deserialize_with = "string")]
    pub qid: String,
    #[serde(rename = "qqLevel", default, deserialize_with = "i64_or_zero")]
    pub qq_level: i64,
    #[serde(default)]
    pub sex: Sex,
    /// The personal signature.
    #[serde(default, deserialize_with = "string")]
    pub long_nick: String,
    /// Unix seconds of registration.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub reg_time: i64,
    #[serde(default, deserialize_with = "bool_lenient")]
    pub is_vip: bool,
    #[serde(default, deserialize_with = "bool_lenient")]
    pub is_years_vip: bool,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub vip_level: i64,
    #[serde(default, deserialize_with = "string")]
    pub remark: String,
    /// QQ's online status code (10 online, …).
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub status: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub login_days: i64,
}

/// `get_status`: whether the QQ session is up.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Status {
    #[serde(default, deserialize_with = "bool_lenient")]
    pub online: bool,
    #[serde(default, deserialize_with = "bool_lenient")]
    pub good: bool,
    /// Statistics; NapCat sends an empty object.
    #[serde(default)]
    pub stat: Value,
}

/// `get_version_info`: which server and version answers.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct VersionInfo {
    #[serde(default, deserialize_with = "string")]
    pub app_name: String,
    #[serde(default, deserialize_with = "string")]
    pub protocol_version: String,
    #[serde(default, deserialize_with = "string")]
    pub app_version: String,
}

/// A muted member as `get_group_shut_list` returns it (QQNT's raw member object).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ShutListEntry {
    #[serde(default, deserialize_with = "string")]
    pub uid: String,
    #[serde(default, deserialize_with = "string")]
    pub qid: String,
    /// The QQ number (a string on the wire).
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub uin: i64,
    #[serde(default, deserialize_with = "string")]
    pub nick: String,
    #[serde(default, deserialize_with = "string")]
    pub remark: String,
    #[serde(rename = "cardType", default, deserialize_with = "i64_or_zero")]
    pub card_type: i64,
    /// The group card ("" when none).
    #[serde(rename = "cardName", default, deserialize_with = "string")]
    pub card_name: String,
    /// QQNT's numeric role (4 owner, 3 admin, 2 member), read into a `Role`.
    #[serde(default, deserialize_with = "role")]
    pub role: Role,
    /// Unix seconds when the mute ends.
    #[serde(rename = "shutUpTime", default, deserialize_with = "i64_or_zero")]
    pub shut_up_time: i64,
    #[serde(rename = "isDelete", default, deserialize_with = "bool_lenient")]
    pub is_delete: bool,
}

impl ShutListEntry {
    /// Card if set, else nickname, else the number.
    pub fn display_name(&self) -> String {
        crate::onebot::display_name(&[&self.card_name, &self.nick], self.uin)
    }
    /// Seconds of mute left at `now` (unix seconds).
    pub fn mute_remaining(&self, now: i64) -> i64 {
        (self.shut_up_time - now).max(0)
    }
}

/// The reply to a sent message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct SentMessage {
    /// Short id of the new message.
    #[serde(deserialize_with = "i64_or_zero")]
    pub message_id: i64,
}

/// The reply to a sent merged forward.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ForwardSent {
    /// Short id of the forward message in the chat.
    #[serde(deserialize_with = "i64_or_zero")]
    pub message_id: i64,
    /// The forward's resource id (only with NapCat's packet backend).
    #[serde(default, deserialize_with = "opt_string")]
    pub res_id: Option<String>,
    /// The id `get_forward_msg` takes.
    #[serde(default, deserialize_with = "opt_string")]
    pub forward_id: Option<String>,
}

/// A media file NapCat fetched for you (`get_image`, `get_record`, `get_file`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MediaFile {
    /// Path on the NapCat host (useless to a remote client; use `url` or `base64`).
    #[serde(default, deserialize_with = "string")]
    pub file: String,
    #[serde(default, deserialize_with = "opt_string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub file_size: i64,
    #[serde(default, deserialize_with = "string")]
    pub file_name: String,
    /// The content, when the server includes it.
    #[serde(default, deserialize_with = "opt_string")]
    pub base64: Option<String>,
}

/// A download URL (`get_group_file_url`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct FileUrl {
    #[serde(default, deserialize_with = "string")]
    pub url: String,
}

/// Cookies for a QQ web domain (`get_cookies`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Cookies {
    /// `k=v; k2=v2`.
    #[serde(default, deserialize_with = "string")]
    pub cookies: String,
    #[serde(default, deserialize_with = "string")]
    pub bkn: String,
}

/// The CSRF token of QQ's web APIs (`get_csrf_token`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct CsrfToken {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub token: i64,
}

/// Cookies and CSRF token together (`get_credentials`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Credentials {
    #[serde(default, deserialize_with = "string")]
    pub cookies: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub token: i64,
}

/// The id of an uploaded file (`upload_group_file`, `upload_private_file`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct UploadedFileId {
    /// `None` when the server did not report one.
    #[serde(default, deserialize_with = "opt_string")]
    pub file_id: Option<String>,
}

/// A QQNT operation result (`{"result":0,"errMsg":""}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct OpResult {
    /// 0 on success.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub result: i64,
    #[serde(rename = "errMsg", default, deserialize_with = "string")]
    pub err_msg: String,
}

/// A contact-recommendation card (`get_user_card`, `get_group_card`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "ContactArkWire")]
pub struct ContactArk {
    /// 0 on success.
    pub err_code: i64,
    pub err_msg: String,
    /// The ark card's JSON text, ready to send as a `json` segment.
    pub ark_json: String,
}

#[derive(Deserialize)]
struct ContactArkWire {
    #[serde(rename = "errCode", default, deserialize_with = "i64_or_zero")]
    err_code: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    result: i64,
    #[serde(rename = "errMsg", default, deserialize_with = "string")]
    err_msg: String,
    /// Group cards carry the ark here …
    #[serde(rename = "arkJson", default, deserialize_with = "string")]
    ark_json: String,
    /// … user cards here.
    #[serde(rename = "arkMsg", default, deserialize_with = "string")]
    ark_msg: String,
}

impl From<ContactArkWire> for ContactArk {
    fn from(w: ContactArkWire) -> Self {
        ContactArk {
            err_code: if w.err_code != 0 {
                w.err_code
            } else {
                w.result
            },
            err_msg: w.err_msg,
            ark_json: if w.ark_json.is_empty() {
                w.ark_msg
            } else {
                w.ark_json
            },
        }
    }
}

/// One AI voice character (`get_ai_characters`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct AiCharacter {
    /// What `get_ai_record` / `send_group_ai_record` take as `character`.
    #[serde(default, deserialize_with = "string")]
    pub character_id: String,
    #[serde(default, deserialize_with = "string")]
    pub character_name: String,
    #[serde(default, deserialize_with = "string")]
    pub preview_url: String,
}

/// A category of AI voice characters (`get_ai_characters`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct AiCharacters {
    /// The category name.
    #[serde(rename = "type", default, deserialize_with = "string")]
    pub kind: String,
    #[serde(default, deserialize_with = "list")]
    pub characters: Vec<AiCharacter>,
}

/// Somebody who reacted with an emoji (`fetch_emoji_like`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct EmojiLiker {
    #[serde(rename = "tinyId", default, deserialize_with = "string")]
    pub tiny_id: String,
    #[serde(rename = "nickName", default, deserialize_with = "string")]
    pub nick_name: String,
    #[serde(rename = "headUrl", default, deserialize_with = "string")]
    pub head_url: String,
}

/// A page of who reacted to a message with one emoji (`fetch_emoji_like`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct EmojiLikers {
    #[serde(rename = "emojiLikesList", default, deserialize_with = "list")]
    pub likers: Vec<EmojiLiker>,
    /// Pass back to get the next page.
    #[serde(default, deserialize_with = "string")]
    pub cookie: String,
    #[serde(rename = "isLastPage", default, deserialize_with = "bool_lenient")]
    pub is_last_page: bool,
    #[serde(rename = "isFirstPage", default, deserialize_with = "bool_lenient")]
    pub is_first_page: bool,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub result: i64,
    #[serde(rename = "errMsg", default, deserialize_with = "string")]
    pub err_msg: String,
}

/// Somebody who reacted with an emoji (`get_emoji_likes`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct EmojiLikeUser {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub user_id: i64,
    #[serde(default, deserialize_with = "string")]
    pub nick_name: String,
}

/// Everybody who reacted to a message with one emoji (`get_emoji_likes`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct EmojiLikeList {
    #[serde(default, deserialize_with = "list")]
    pub emoji_like_list: Vec<EmojiLikeUser>,
}

/// A friend request QQ filtered as risky (`get_doubt_friends_add_request`); every field arrives
/// as a string.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DoubtFriendRequest {
    /// What `set_doubt_friends_add_request` takes (the applicant's uid).
    #[serde(default, deserialize_with = "string")]
    pub flag: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub uin: i64,
    #[serde(default, deserialize_with = "string")]
    pub nick: String,
    /// Where they found you (`QQ号查找`, a group, …).
    #[serde(default, deserialize_with = "string")]
    pub source: String,
    /// Why QQ filtered it.
    #[serde(default, deserialize_with = "string")]
    pub reason: String,
    /// The applicant's message.
    #[serde(default, deserialize_with = "string")]
    pub msg: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub group_code: i64,
    /// Unix seconds.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub time: i64,
}

/// Likes of the account's profile card received as favourites.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct FavoriteLikes {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub total_count: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub last_time: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub today_count: i64,
    /// Raw QQNT records of who liked (shape varies between QQ builds).
    #[serde(rename = "userInfos", default, deserialize_with = "list")]
    pub user_infos: Vec<Value>,
}

/// Profile-card votes ("赞").
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct VoteLikes {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub total_count: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub new_count: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub new_nearby_count: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub last_visit_time: i64,
    /// Raw QQNT records of who voted (NapCat adds `uin`).
    #[serde(rename = "userInfos", default, deserialize_with = "list")]
    pub user_infos: Vec<Value>,
}

/// `get_profile_like`: who liked the profile card.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ProfileLike {
    #[serde(default, deserialize_with = "string")]
    pub uid: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub time: i64,
    #[serde(rename = "favoriteInfo", default)]
    pub favorite: FavoriteLikes,
    #[serde(rename = "voteInfo", default)]
    pub vote: VoteLikes,
}

/// A range of QQ numbers reserved for official bots (`get_robot_uin_range`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct RobotUinRange {
    #[serde(rename = "minUin", default, deserialize_with = "i64_or_zero")]
    pub min_uin: i64,
    #[serde(rename = "maxUin", default, deserialize_with = "i64_or_zero")]
    pub max_uin: i64,
}

impl RobotUinRange {
    /// True when `uin` lies in the range.
    pub fn contains(&self, uin: i64) -> bool {
        (self.min_uin..=self.max_uin).contains(&uin)
    }
}

/// A user's online status (`nc_get_user_status`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct UserStatus {
    /// 10 online, 30 away, 40 invisible, 50 busy, 60 Q我吧, 70 do not disturb.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub status: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub ext_status: i64,
}

/// A file NapCat downloaded onto its host (`download_file`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct DownloadedFile {
    /// Path on the NapCat host, usable as a file URI in later calls.
    #[serde(default, deserialize_with = "string")]
    pub file: String,
}

/// A media download key (`nc_get_rkey`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Rkey {
    #[serde(default, deserialize_with = "string")]
    pub rkey: String,
    /// Unix seconds when it was issued.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub time: i64,
    /// Which downloads it unlocks (private or group images).
    #[serde(rename = "type", default, deserialize_with = "i64_or_zero")]
    pub kind: i64,
    /// Seconds it stays valid.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub ttl: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn notice_text_is_unescaped() {
        let n: GroupNotice = serde_json::from_value(json!({
            "notice_id": "x",
            "message": {"text": "群规：&#10;1. 不发广告&nbsp;&amp; 刷屏&#10;2. &lt;友善&gt; &#x1F600; &bogus; & 5"}
        }))
        .unwrap();
        assert_eq!(
            n.text,
            "群规：\n1. 不发广告 & 刷屏\n2. <友善> 😀 &bogus; & 5"
        );
    }

    #[test]
    fn sex_reads_words_and_numbers() {
        let s: Vec<Sex> = serde_json::from_value(json!(["male", 2, "unknown", null, 255])).unwrap();
        assert_eq!(
            s,
            vec![
                Sex::Male,
                Sex::Female,
                Sex::Unknown,
                Sex::Unknown,
                Sex::Unknown
            ]
        );
        assert_eq!(Sex::Female.wire_number(), 2);
    }

    #[test]
    fn recent_contact_peer_follows_chat_type() {
        let c = |t: i64| RecentContact {
            peer_uin: 5,
            chat_type: t,
            ..Default::default()
        };
        assert_eq!(c(1).peer(), Some(Peer::Private(5)));
        assert_eq!(c(2).peer(), Some(Peer::Group(5)));
        assert_eq!(c(100).peer(), Some(Peer::Private(5)));
        assert_eq!(c(9).peer(), None);
    }

    #[test]
    fn null_lists_are_empty() {
        let f: GroupFiles = serde_json::from_value(json!({"files": null})).unwrap();
        assert!(f.files.is_empty() && f.folders.is_empty());
    }

    #[test]
    fn notice_falls_back_to_the_old_image_key() {
        let n: GroupNotice = serde_json::from_value(json!({
            "notice_id": "x", "message": {"text": "t", "image": [{"id": "p", "width": "3", "height": 4}]}
        }))
        .unwrap();
        assert_eq!((n.text.as_str(), n.images.len()), ("t", 1));
        assert_eq!((n.images[0].width, n.images[0].height), (3, 4));
    }

    #[test]
    fn contact_ark_reads_both_shapes() {
        let g: ContactArk =
            serde_json::from_value(json!({"errCode": 0, "errMsg": "", "arkJson": "{}"})).unwrap();
        let u: ContactArk =
            serde_json::from_value(json!({"result": 0, "errMsg": "", "arkMsg": "{\"a\":1}"}))
                .unwrap();
        assert_eq!(
            (g.ark_json.as_str(), u.ark_json.as_str()),
            ("{}", "{\"a\":1}")
        );
    }
}
