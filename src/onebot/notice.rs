//! Notice events (`post_type: "notice"`): every type and sub type NapCat emits, typed.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::gray_tip::GrayTip;
use super::lenient::{i64_or_zero, opt_bool, opt_i64, opt_string, string};

/// A notice, with the fields every event carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub time: i64,
    pub self_id: i64,
    pub kind: NoticeKind,
}

/// How a member came into a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    Approve,
    Invite,
}

/// How a member left a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveKind {
    Leave,
    Kick,
    /// The account itself was removed.
    KickMe,
    /// The group was dissolved (NapCat extension).
    Disband,
}

/// One reaction in a `group_msg_emoji_like` notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmojiLike {
    /// A face id, or a Unicode code point in decimal.
    #[serde(default, deserialize_with = "string")]
    pub emoji_id: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub count: i64,
}

/// A file announced by `group_upload`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadedFile {
    #[serde(default, deserialize_with = "string")]
    pub id: String,
    #[serde(default, deserialize_with = "string")]
    pub name: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub size: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub busid: i64,
}

/// What a notice says.
#[derive(Debug, Clone, PartialEq)]
pub enum NoticeKind {
    GroupRecall {
        group_id: i64,
        user_id: i64,
        operator_id: i64,
        message_id: i64,
    },
    FriendRecall {
        user_id: i64,
        message_id: i64,
    },
    GroupIncrease {
        how: JoinKind,
        group_id: i64,
        user_id: i64,
        operator_id: i64,
    },
    GroupDecrease {
        how: LeaveKind,
        group_id: i64,
        user_id: i64,
        operator_id: i64,
    },
    /// `user_id` 0 means the whole group; `duration` in seconds (−1 for whole-group on).
    GroupBan {
        lift: bool,
        group_id: i64,
        user_id: i64,
        operator_id: i64,
        duration: i64,
    },
    GroupAdmin {
        set: bool,
        group_id: i64,
        user_id: i64,
    },
    GroupUpload {
        group_id: i64,
        user_id: i64,
        file: UploadedFile,
    },
    GroupCard {
        group_id: i64,
        user_id: i64,
        card_new: String,
        card_old: String,
    },
    FriendAdd {
        user_id: i64,
    },
    Essence {
        removed: bool,
        group_id: i64,
        message_id: i64,
        sender_id: i64,
        operator_id: i64,
    },
    /// A reaction on a group message. Older builds omit `message_id` and `is_add`.
    GroupMsgEmojiLike {
        group_id: i64,
        user_id: i64,
        message_id: Option<i64>,
        likes: Vec<EmojiLike>,
        is_add: Option<bool>,
    },
    /// A poke: in a group `group_id` is set and `user_id` is the poker; in private `user_id` is
    /// the friend and `sender_id` the poker. `action` is the gray-tip text ("戳了戳" + suffix).
    Poke {
        group_id: Option<i64>,
        user_id: i64,
        sender_id: Option<i64>,
        target_id: i64,
        action: String,
        suffix: String,
        raw_info: Value,
    },
    /// The peer's typing state in a private chat.
    InputStatus {
        user_id: i64,
        group_id: i64,
        event_type: i64,
        status_text: String,
    },
    ProfileLike {
        operator_id: i64,
        operator_nick: String,
        times: i64,
    },
    /// A member got a special title.
    Title {
        group_id: i64,
        user_id: i64,
        title: String,
    },
    /// The group was renamed (NapCat extension); `user_id` is the operator.
    GroupName {
        group_id: i64,
        user_id: i64,
        name_new: String,
    },
    /// A JSON gray tip sent by a real user; `tip` is `content` read (the wire fields stay for
    /// the round trip).
    GrayTip {
        group_id: i64,
        user_id: i64,
        message_id: i64,
        busi_id: String,
        content: String,
        raw_info: Value,
        tip: GrayTip,
    },
    /// The account was kicked offline.
    BotOffline {
        user_id: i64,
        tag: String,
        message: String,
    },
    /// Online (peer-to-peer) file transfer state: `notice_type` and `sub_type` as sent.
    OnlineFile {
        notice_type: String,
        sub_type: String,
        peer_id: i64,
    },
    /// A notice this version does not know, kept whole.
    Unknown(Value),
}

/// Every field any notice carries, flat, as on the wire.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct NoticeWire {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub time: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub self_id: i64,
    #[serde(default)]
    pub post_type: String,
    #[serde(default, deserialize_with = "string")]
    pub notice_type: String,
    #[serde(
        default,
        deserialize_with = "string",
        skip_serializing_if = "String::is_empty"
    )]
    pub sub_type: String,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_id: Option<i64>,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_id: Option<i64>,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_id: Option<i64>,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub message_id: Option<i64>,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub target_id: Option<i64>,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_id: Option<i64>,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<UploadedFile>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub card_new: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub card_old: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likes: Option<Vec<EmojiLike>>,
    #[serde(
        default,
        deserialize_with = "opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_add: Option<bool>,
    /// Lagrange-style reactions carry the emoji id here.
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_info: Option<Value>,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_type: Option<i64>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_text: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_nick: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub times: Option<i64>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub title: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name_new: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub busi_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub content: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub tag: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub peer_id: Option<i64>,
}

impl NoticeWire {
    /// Turns the flat wire form into a typed notice; `raw` is used for unknown kinds.
    pub fn into_notice(self, raw: impl FnOnce() -> Value) -> Notice {
        let g = self.group_id.unwrap_or(0);
        let u = self.user_id.unwrap_or(0);
        let op = self.operator_id.unwrap_or(0);
        let kind = match (self.notice_type.as_str(), self.sub_type.as_str()) {
            ("group_recall", _) => NoticeKind::GroupRecall {
                group_id: g,
                user_id: u,
                operator_id: op,
                message_id: self.message_id.unwrap_or(0),
            },
            ("friend_recall", _) => NoticeKind::FriendRecall {
                user_id: u,
                message_id: self.message_id.unwrap_or(0),
            },
            ("group_increase", s) => NoticeKind::GroupIncrease {
                how: if s == "invite" {
                    JoinKind::Invite
                } else {
                    JoinKind::Approve
                },
                group_id: g,
                user_id: u,
                operator_id: op,
            },
            ("group_decrease", s) => NoticeKind::GroupDecrease {
                how: match s {
                    "kick" => LeaveKind::Kick,
                    "kick_me" => LeaveKind::KickMe,
                    "disband" => LeaveKind::Disband,
                    _ => LeaveKind::Leave,
                },
                group_id: g,
                user_id: u,
                operator_id: op,
            },
            ("group_ban", s) => NoticeKind::GroupBan {
                lift: s == "lift_ban",
                group_id: g,
                user_id: u,
                operator_id: op,
                duration: self.duration.unwrap_or(0),
            },
            ("group_admin", s) => NoticeKind::GroupAdmin {
                set: s != "unset",
                group_id: g,
                user_id: u,
            },
            ("group_upload", _) if self.file.is_some() => NoticeKind::GroupUpload {
                group_id: g,
                user_id: u,
                file: self.file.unwrap_or(UploadedFile {
                    id: String::new(),
                    name: String::new(),
                    size: 0,
                    busid: 0,
                }),
            },
            ("group_card", _) => NoticeKind::GroupCard {
                group_id: g,
                user_id: u,
                card_new: self.card_new.unwrap_or_default(),
                card_old: self.card_old.unwrap_or_default(),
            },
            ("friend_add", _) => NoticeKind::FriendAdd { user_id: u },
            ("essence", s) => NoticeKind::Essence {
                removed: s == "delete",
                group_id: g,
                message_id: self.message_id.unwrap_or(0),
                sender_id: self.sender_id.or(self.user_id).unwrap_or(0),
                operator_id: op,
            },
            ("group_msg_emoji_like", _) => {
                let likes = match (self.likes, self.code) {
                    (Some(l), _) => l,
                    (None, Some(code)) => vec![EmojiLike {
                        emoji_id: code,
                        count: self.count.unwrap_or(1),
                    }],
                    (None, None) => Vec::new(),
                };
                NoticeKind::GroupMsgEmojiLike {
                    group_id: g,
                    user_id: self.user_id.or(self.operator_id).unwrap_or(0),
                    message_id: self.message_id,
                    likes,
                    is_add: self.is_add,
                }
            }
            ("notify", "poke") => {
                let raw_info = self.raw_info.unwrap_or(Value::Null);
                let (action, suffix) = GrayTip::from_value(&raw_info).poke_action();
                NoticeKind::Poke {
                    group_id: self.group_id.filter(|g| *g != 0),
                    user_id: u,
                    sender_id: self.sender_id,
                    target_id: self.target_id.unwrap_or(0),
                    action,
                    suffix,
                    raw_info,
                }
            }
            ("notify", "input_status") => NoticeKind::InputStatus {
                user_id: u,
                group_id: g,
                event_type: self.event_type.unwrap_or(0),
                status_text: self.status_text.unwrap_or_default(),
            },
            ("notify", "profile_like") => NoticeKind::ProfileLike {
                operator_id: op,
                operator_nick: self.operator_nick.unwrap_or_default(),
                times: self.times.unwrap_or(1),
            },
            ("notify", "title") => NoticeKind::Title {
                group_id: g,
                user_id: u,
                title: self.title.unwrap_or_default(),
            },
            ("notify", "group_name") => NoticeKind::GroupName {
                group_id: g,
                user_id: u,
                name_new: self.name_new.unwrap_or_default(),
            },
            ("notify", "gray_tip") => {
                let content = self.content.unwrap_or_default();
                let raw_info = self.raw_info.unwrap_or(Value::Null);
                NoticeKind::GrayTip {
                    group_id: g,
                    user_id: u,
                    message_id: self.message_id.unwrap_or(0),
                    busi_id: self.busi_id.unwrap_or_default(),
                    tip: GrayTip::from_notice(&content, &raw_info),
                    content,
                    raw_info,
                }
            }
            ("bot_offline", _) => NoticeKind::BotOffline {
                user_id: u,
                tag: self.tag.unwrap_or_default(),
                message: self.message.unwrap_or_default(),
            },
            (t @ ("online_file_receive" | "online_file_send"), s) => NoticeKind::OnlineFile {
                notice_type: t.to_string(),
                sub_type: s.to_string(),
                peer_id: self.peer_id.unwrap_or(0),
            },
            _ => NoticeKind::Unknown(raw()),
        };
        Notice {
            time: self.time,
            self_id: self.self_id,
            kind,
        }
    }
}

impl Notice {
    /// The notice as NapCat puts it on the wire.
    pub fn to_json(&self) -> Value {
        let mut w = NoticeWire {
            time: self.time,
            self_id: self.self_id,
            post_type: "notice".into(),
            ..Default::default()
        };
        let set = |w: &mut NoticeWire, t: &str, s: &str| {
            w.notice_type = t.into();
            w.sub_type = s.into();
        };
        match &self.kind {
            NoticeKind::GroupRecall {
                group_id,
                user_id,
                operator_id,
                message_id,
            } => {
                set(&mut w, "group_recall", "");
                w.group_id = Some(*group_id);
                w.user_id = Some(*user_id);
                w.operator_id = Some(*operator_id);
                w.message_id = Some(*message_id);
            }
            NoticeKind::FriendRecall {
                user_id,
                message_id,
            } => {
                set(&mut w, "friend_recall", "");
                w.user_id = Some(*user_id);
                w.message_id = Some(*message_id);
            }
            NoticeKind::GroupIncrease {
                how,
                group_id,
                user_id,
                operator_id,
            } => {
                let s = match how {
                    JoinKind::Approve => "approve",
                    JoinKind::Invite => "invite",
                };
                set(&mut w, "group_increase", s);
                w.group_id = Some(*group_id);
                w.user_id = Some(*user_id);
                w.operator_id = Some(*operator_id);
            }
            NoticeKind::GroupDecrease {
                how,
                group_id,
                user_id,
                operator_id,
            } => {
                let s = match how {
                    LeaveKind::Leave => "leave",
                    LeaveKind::Kick => "kick",
                    LeaveKind::KickMe => "kick_me",
                    LeaveKind::Disband => "disband",
                };
                set(&mut w, "group_decrease", s);
                w.group_id = Some(*group_id);
                w.user_id = Some(*user_id);
                w.operator_id = Some(*operator_id);
            }
            NoticeKind::GroupBan {
                lift,
                group_id,
                user_id,
                operator_id,
                duration,
            } => {
                set(&mut w, "group_ban", if *lift { "lift_ban" } else { "ban" });
                w.group_id = Some(*group_id);
                w.user_id = Some(*user_id);
                w.operator_id = Some(*operator_id);
                w.duration = Some(*duration);
            }
            NoticeKind::GroupAdmin {
                set: on,
                group_id,
                user_id,
            } => {
                set(&mut w, "group_admin", if *on { "set" } else { "unset" });
                w.group_id = Some(*group_id);
                w.user_id = Some(*user_id);
            }
            NoticeKind::GroupUpload {
                group_id,
                user_id,
                file,
            } => {
                set(&mut w, "group_upload", "");
                w.group_id = Some(*group_id);
                w.user_id = Some(*user_id);
                w.file = Some(file.clone());
            }
            NoticeKind::GroupCard {
                group_id,
                user_id,
                card_new,
                card_old,
            } => {
                set(&mut w, "group_card", "");
                w.group_id = Some(*group_id);
                w.user_id = Some(*user_id);
                w.card_new = Some(card_new.clone());
                w.card_old = Some(card_old.clone());
            }
            NoticeKind::FriendAdd { user_id } => {
                set(&mut w, "friend_add", "");
                w.user_id = Some(*user_id);
            }
            NoticeKind::Essence {
                removed,
                group_id,
                message_id,
                sender_id,
                operator_id,
            } => {
                set(&mut w, "essence", if *removed { "delete" } else { "add" });
                w.group_id = Some(*group_id);
                w.user_id = Some(*sender_id);
                w.sender_id = Some(*sender_id);
                w.message_id = Some(*message_id);
                w.operator_id = Some(*operator_id);
            }
            NoticeKind::GroupMsgEmojiLike {
                group_id,
                user_id,
                message_id,
                likes,
                is_add,
            } => {
                set(&mut w, "group_msg_emoji_like", "");
                w.group_id = Some(*group_id);
                w.user_id = Some(*user_id);
                w.message_id = *message_id;
                w.likes = Some(likes.clone());
                w.is_add = *is_add;
            }
            NoticeKind::Poke {
                group_id,
                user_id,
                sender_id,
                target_id,
                raw_info,
                ..
            } => {
                set(&mut w, "notify", "poke");
                w.group_id = *group_id;
                w.user_id = Some(*user_id);
                w.sender_id = *sender_id;
                w.target_id = Some(*target_id);
                w.raw_info = Some(raw_info.clone());
            }
            NoticeKind::InputStatus {
                user_id,
                group_id,
                event_type,
                status_text,
            } => {
                set(&mut w, "notify", "input_status");
                w.user_id = Some(*user_id);
                w.group_id = Some(*group_id);
                w.event_type = Some(*event_type);
                w.status_text = Some(status_text.clone());
            }
            NoticeKind::ProfileLike {
                operator_id,
                operator_nick,
                times,
            } => {
                set(&mut w, "notify", "profile_like");
                w.operator_id = Some(*operator_id);
                w.operator_nick = Some(operator_nick.clone());
                w.times = Some(*times);
            }
            NoticeKind::Title {
                group_id,
                user_id,
                title,
            } => {
                set(&mut w, "notify", "title");
                w.group_id = Some(*group_id);
                w.user_id = Some(*user_id);
                w.title = Some(title.clone());
            }
            NoticeKind::GroupName {
                group_id,
                user_id,
                name_new,
            } => {
                set(&mut w, "notify", "group_name");
                w.group_id = Some(*group_id);
                w.user_id = Some(*user_id);
                w.name_new = Some(name_new.clone());
            }
            NoticeKind::GrayTip {
                group_id,
                user_id,
                message_id,
                busi_id,
                content,
                raw_info,
                ..
            } => {
                set(&mut w, "notify", "gray_tip");
                w.group_id = Some(*group_id);
                w.user_id = Some(*user_id);
                w.message_id = Some(*message_id);
                w.busi_id = Some(busi_id.clone());
                w.content = Some(content.clone());
                w.raw_info = Some(raw_info.clone());
            }
            NoticeKind::BotOffline {
                user_id,
                tag,
                message,
            } => {
                set(&mut w, "bot_offline", "");
                w.user_id = Some(*user_id);
                w.tag = Some(tag.clone());
                w.message = Some(message.clone());
            }
            NoticeKind::OnlineFile {
                notice_type,
                sub_type,
                peer_id,
            } => {
                set(&mut w, notice_type, sub_type);
                w.peer_id = Some(*peer_id);
            }
            NoticeKind::Unknown(v) => return v.clone(),
        }
        serde_json::to_value(w).unwrap_or_else(|_| Value::Object(Map::new()))
    }
}
