//! What the simulated account knows: people, friends, groups, members, files, notices, requests.

use serde_json::{Value, json};

use crate::onebot::{RequestKind, Role};

/// Anyone the account has met: profile data shared by friend lists, member lists and stranger info.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub user_id: i64,
    pub nickname: String,
    /// `male`, `female` or `unknown`.
    pub sex: &'static str,
    pub age: i64,
    pub qq_level: i64,
    pub long_nick: String,
    pub reg_time: i64,
    /// QQ online status code (10 online, 30 away, 50 busy, 60 Q我吧, 70 do not disturb, 20 offline).
    pub status: i64,
    pub is_vip: bool,
}

/// A friend entry as `get_friend_list` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Friend {
    pub user_id: i64,
    pub nickname: String,
    pub remark: String,
    pub category_id: i64,
    pub sex: &'static str,
    pub age: i64,
    pub level: i64,
    pub birthday: (i64, i64, i64),
}

impl Friend {
    /// The `get_friend_list` entry.
    pub fn to_json(&self) -> Value {
        json!({
            "birthday_year": self.birthday.0, "birthday_month": self.birthday.1,
            "birthday_day": self.birthday.2, "user_id": self.user_id, "age": self.age,
            "phone_num": "", "email": "", "category_id": self.category_id,
            "nickname": self.nickname, "remark": self.remark, "sex": self.sex, "level": self.level,
        })
    }
}

/// A friend category (分组).
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub id: i64,
    pub name: &'static str,
}

/// What a group's history talks about, so generated chatter fits the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Badminton,
    Class,
    Work,
    Rust,
    Family,
    Game,
    Neighbours,
    Exam,
    Reading,
    Bench,
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub user_id: i64,
    pub nickname: String,
    /// Group card (群名片); empty when unset.
    pub card: String,
    pub sex: &'static str,
    pub age: i64,
    /// Group activity level (shown as a string on the wire).
    pub level: i64,
    pub qq_level: i64,
    pub join_time: i64,
    pub last_sent_time: i64,
    pub role: Role,
    /// Special title (专属头衔); empty when none.
    pub title: String,
    /// Unix seconds until which the member is muted; 0 (or past) when not muted.
    pub shut_up_timestamp: i64,
    pub is_robot: bool,
}

impl Member {
    /// The name QQ shows in the group: card, else nickname.
    pub fn display_name(&self) -> &str {
        if self.card.is_empty() {
            &self.nickname
        } else {
            &self.card
        }
    }

    /// The `get_group_member_info` object.
    pub fn to_json(&self, group_id: i64) -> Value {
        json!({
            "group_id": group_id, "user_id": self.user_id, "nickname": self.nickname,
            "card": self.card, "sex": self.sex, "age": self.age, "area": "",
            "level": self.level.to_string(), "qq_level": self.qq_level,
            "join_time": self.join_time, "last_sent_time": self.last_sent_time,
            "title_expire_time": 0, "unfriendly": false, "card_changeable": true,
            "is_robot": self.is_robot, "shut_up_timestamp": self.shut_up_timestamp,
            "role": role_name(self.role), "title": self.title,
        })
    }
}

/// The wire name of a role.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Owner => "owner",
        Role::Admin => "admin",
        _ => "member",
    }
}

/// QQNT's numeric role (4 owner, 3 admin, 2 member), as raw member objects carry it.
pub fn role_number(role: Role) -> i64 {
    match role {
        Role::Owner => 4,
        Role::Admin => 3,
        _ => 2,
    }
}

/// A file in a group's file area.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFile {
    pub file_id: String,
    pub name: String,
    pub size: i64,
    pub busid: i64,
    pub upload_time: i64,
    pub download_times: i64,
    pub uploader: i64,
    pub uploader_name: String,
    /// The folder holding it; `None` for the root.
    pub folder_id: Option<String>,
}

impl GroupFile {
    /// The file object of `get_group_root_files` / `get_group_files_by_folder`.
    pub fn to_json(&self, group_id: i64) -> Value {
        json!({
            "group_id": group_id, "file_id": self.file_id, "file_name": self.name,
            "busid": self.busid, "size": self.size, "file_size": self.size,
            "upload_time": self.upload_time, "dead_time": 0, "modify_time": self.upload_time,
            "download_times": self.download_times, "uploader": self.uploader,
            "uploader_name": self.uploader_name,
        })
    }
}

/// A folder in a group's file area (QQ allows one level).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFolder {
    pub folder_id: String,
    pub name: String,
    pub create_time: i64,
    pub creator: i64,
    pub creator_name: String,
}

/// A group announcement (群公告).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupNotice {
    pub notice_id: String,
    pub sender_id: i64,
    pub publish_time: i64,
    pub text: String,
    /// Image ids with their height and width.
    pub images: Vec<(String, i64, i64)>,
    pub pinned: bool,
    pub confirm_required: bool,
    pub show_edit_card: bool,
    pub tip_window_type: i64,
    pub read_num: i64,
}

impl GroupNotice {
    /// The `_get_group_notice` entry.
    pub fn to_json(&self) -> Value {
        let images: Vec<Value> = self
            .images
            .iter()
            .map(|(id, h, w)| json!({"id": id, "height": h.to_string(), "width": w.to_string()}))
            .collect();
        let mut v = json!({
            "notice_id": self.notice_id, "sender_id": self.sender_id,
            "publish_time": self.publish_time,
            "message": {"text": self.text, "image": images, "images": images},
            "settings": {
                "is_show_edit_card": i64::from(self.show_edit_card), "remind_ts": 0,
                "tip_window_type": self.tip_window_type,
                "confirm_required": i64::from(self.confirm_required),
            },
            "read_num": self.read_num,
        });
        // Newer NapCat builds say whether a notice is pinned; older ones never do.
        if self.pinned {
            v["pinned"] = json!(true);
        }
        v
    }
}

/// A message set as essence (精华消息).
#[derive(Debug, Clone, PartialEq)]
pub struct Essence {
    pub message_id: i64,
    pub sender_id: i64,
    pub operator_id: i64,
    pub operator_time: i64,
    pub msg_seq: i64,
    pub msg_random: i64,
}

/// A group the account is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub group_id: i64,
    pub name: String,
    /// The account's private remark for the group.
    pub remark: String,
    pub max_member_count: i64,
    /// Whole-group mute (全员禁言).
    pub all_shut: bool,
    pub create_time: i64,
    pub theme: Theme,
    pub members: Vec<Member>,
    pub notices: Vec<GroupNotice>,
    pub essence: Vec<Essence>,
    pub files: Vec<GroupFile>,
    pub folders: Vec<GroupFolder>,
    /// `@全体成员` uses left today for the group.
    pub at_all_remain: i64,
    pub intro: String,
}

impl Group {
    /// The member with this number.
    pub fn member(&self, user_id: i64) -> Option<&Member> {
        self.members.iter().find(|m| m.user_id == user_id)
    }

    /// The member with this number, for changing.
    pub fn member_mut(&mut self, user_id: i64) -> Option<&mut Member> {
        self.members.iter_mut().find(|m| m.user_id == user_id)
    }

    /// The owner's number.
    pub fn owner(&self) -> Option<i64> {
        self.members
            .iter()
            .find(|m| m.role == Role::Owner)
            .map(|m| m.user_id)
    }

    /// The `get_group_list` / `get_group_info` object.
    pub fn to_json(&self) -> Value {
        json!({
            "group_all_shut": if self.all_shut { -1 } else { 0 },
            "group_remark": self.remark, "group_id": self.group_id, "group_name": self.name,
            "member_count": self.members.len(), "max_member_count": self.max_member_count,
        })
    }
}

/// A friend or group request waiting for an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingRequest {
    /// What `set_friend_add_request` / `set_group_add_request` take.
    pub flag: String,
    pub kind: RequestKind,
    /// The applicant (friend, join) or the inviter (invite).
    pub user_id: i64,
    pub nickname: String,
    pub comment: String,
    pub time: i64,
    /// QQ filtered it as risky (shown by the "doubt"/"ignored" lists, not pushed).
    pub doubt: bool,
}

/// A group the account has been invited to but not joined yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub flag: String,
    pub group: Group,
}

/// A deterministic QQNT-style uid (`u_` + 22 characters) for a QQ number.
pub fn uid_of(uin: i64) -> String {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut x = (uin as u64) ^ 0x5DEE_CE66_D1CE_4E5B;
    let mut out = String::from("u_");
    for _ in 0..22 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push(ALPHA[(x % 64) as usize] as char);
    }
    out
}
