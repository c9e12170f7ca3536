//! Events NapCat pushes: messages (incoming and own), notices, requests and meta events.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient::{bool_lenient, i64_or_zero, opt_i64, opt_string, string};
use super::message::MessageChain;
use super::notice::Notice;

/// A conversation: a group, or a private chat with one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Peer {
    Group(i64),
    Private(i64),
}

impl Peer {
    /// The group or user number.
    pub fn id(self) -> i64 {
        match self {
            Peer::Group(g) | Peer::Private(g) => g,
        }
    }
    /// True for a group.
    pub fn is_group(self) -> bool {
        matches!(self, Peer::Group(_))
    }
}

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Peer::Group(g) => write!(f, "g:{g}"),
            Peer::Private(u) => write!(f, "u:{u}"),
        }
    }
}

impl std::str::FromStr for Peer {
    type Err = String;
    /// Parses what `Display` writes: `g:<group>` or `u:<user>`.
    fn from_str(s: &str) -> Result<Peer, String> {
        let bad = || format!("`{s}` is not a chat: write g:<group number> or u:<QQ number>");
        let (kind, id) = s.trim().split_once(':').ok_or_else(bad)?;
        let id: i64 = id.trim().parse().map_err(|_| bad())?;
        if id <= 0 {
            return Err(bad());
        }
        match kind {
            "g" => Ok(Peer::Group(id)),
            "u" => Ok(Peer::Private(id)),
            _ => Err(bad()),
        }
    }
}

/// A member's role in a group.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    #[default]
    Member,
    /// Any value this version does not know.
    #[serde(other)]
    Unknown,
}

impl Role {
    /// Reads NapCat's role strings, and QQNT's numeric roles (4 owner, 3 admin, 2 member).
    pub fn from_wire(v: &Value) -> Role {
        match v {
            Value::String(s) => match s.as_str() {
                "owner" => Role::Owner,
                "admin" => Role::Admin,
                "member" => Role::Member,
                _ => Role::Unknown,
            },
            Value::Number(n) => match n.as_i64() {
                Some(4) => Role::Owner,
                Some(3) => Role::Admin,
                Some(2) => Role::Member,
                _ => Role::Unknown,
            },
            _ => Role::Unknown,
        }
    }
    /// True for owner and admin.
    pub fn is_admin(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }
}

/// `message_type`: private or group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MessageType {
    #[default]
    Private,
    Group,
    #[serde(other)]
    Unknown,
}

/// Who sent a message, as far as the event says.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sender {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub user_id: i64,
    #[serde(default, deserialize_with = "string")]
    pub nickname: String,
    #[serde(default, deserialize_with = "string")]
    pub card: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Some servers (not NapCat) fill the special title here.
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub title: Option<String>,
}

impl Sender {
    /// The name to show: card if set, else nickname, else the number.
    pub fn display_name(&self) -> String {
        crate::onebot::display_name(&[&self.card, &self.nickname], self.user_id)
    }
}

/// One reaction count in `get_msg`'s `emoji_likes_list`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmojiLikeCount {
    #[serde(default, deserialize_with = "string")]
    pub emoji_id: String,
    #[serde(default, deserialize_with = "string")]
    pub emoji_type: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub likes_cnt: i64,
}

/// A message event (`post_type` `message` or `message_sent`), also the shape of history entries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageEvent {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub time: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub self_id: i64,
    /// `message` or `message_sent`.
    #[serde(default = "default_post_type", deserialize_with = "string")]
    pub post_type: String,
    /// NapCat's short id: what `get_msg`, `delete_msg`, `reply` and history anchors take.
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub message_id: i64,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub message_seq: Option<i64>,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub real_id: Option<i64>,
    /// QQ's own per-conversation sequence (a string).
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub real_seq: Option<String>,
    #[serde(default)]
    pub message_type: MessageType,
    #[serde(default, deserialize_with = "string")]
    pub sub_type: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub user_id: i64,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_id: Option<i64>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_name: Option<String>,
    /// The private peer (both directions) or, for own group messages, the group.
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
    pub temp_source: Option<i64>,
    #[serde(default)]
    pub sender: Sender,
    #[serde(default)]
    pub message: MessageChain,
    #[serde(default, deserialize_with = "string")]
    pub raw_message: String,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub message_format: Option<String>,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub font: i64,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub message_sent_type: Option<String>,
    /// Reaction counts (only in `get_msg` results).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emoji_likes_list: Vec<EmojiLikeCount>,
}

fn default_post_type() -> String {
    "message".into()
}

impl MessageEvent {
    /// True when the account itself sent it (from this client or another device).
    pub fn is_self(&self) -> bool {
        self.post_type == "message_sent"
            || self.message_sent_type.is_some()
            || (self.self_id != 0 && self.user_id == self.self_id)
    }

    /// The conversation it belongs to.
    pub fn peer(&self) -> Peer {
        match self.message_type {
            MessageType::Group => Peer::Group(
                self.group_id
                    .or(if self.is_self() { self.target_id } else { None })
                    .unwrap_or(0),
            ),
            _ => {
                if self.is_self() {
                    Peer::Private(self.target_id.filter(|t| *t != 0).unwrap_or(self.user_id))
                } else {
                    Peer::Private(self.user_id)
                }
            }
        }
    }
}

/// A friend or group request (`post_type: "request"`).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub time: i64,
    pub self_id: i64,
    pub kind: RequestKind,
    /// Pass unchanged to `set_friend_add_request` / `set_group_add_request`.
    pub flag: String,
    pub user_id: i64,
    pub comment: String,
}

/// What a request asks.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestKind {
    /// Somebody wants to be your friend.
    Friend,
    /// Somebody wants to join a group you administer (`user_id` is the applicant).
    GroupAdd { group_id: i64 },
    /// You were invited into a group (`user_id` is the inviter).
    GroupInvite { group_id: i64 },
    /// A request type this version does not know.
    Other {
        request_type: String,
        sub_type: String,
        group_id: Option<i64>,
    },
}

/// Meta events: connection lifecycle and heartbeats.
#[derive(Debug, Clone, PartialEq)]
pub enum Meta {
    /// Sent first on every new connection (`sub_type` is `connect`).
    Lifecycle { self_id: i64, sub_type: String },
    /// Liveness beat; `interval_ms` is the period, `online` the QQ login state.
    Heartbeat {
        self_id: i64,
        online: bool,
        good: bool,
        interval_ms: i64,
    },
}

/// Anything NapCat pushes.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Message(Box<MessageEvent>),
    Notice(Notice),
    Request(Request),
    Meta(Meta),
    /// An event of a kind this version does not know, kept whole.
    Unknown(Value),
}

/// Flat wire form of request events.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct RequestWire {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub time: i64,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub self_id: i64,
    #[serde(default)]
    pub post_type: String,
    #[serde(default, deserialize_with = "string")]
    pub request_type: String,
    #[serde(
        default,
        deserialize_with = "string",
        skip_serializing_if = "String::is_empty"
    )]
    pub sub_type: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub user_id: i64,
    #[serde(
        default,
        deserialize_with = "opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_id: Option<i64>,
    #[serde(default, deserialize_with = "string")]
    pub comment: String,
    #[serde(default, deserialize_with = "string")]
    pub flag: String,
}

impl From<RequestWire> for Request {
    fn from(w: RequestWire) -> Self {
        let kind = match (w.request_type.as_str(), w.sub_type.as_str(), w.group_id) {
            ("friend", _, _) => RequestKind::Friend,
            ("group", "add", Some(g)) => RequestKind::GroupAdd { group_id: g },
            ("group", "invite", Some(g)) => RequestKind::GroupInvite { group_id: g },
            _ => RequestKind::Other {
                request_type: w.request_type,
                sub_type: w.sub_type,
                group_id: w.group_id,
            },
        };
        Request {
            time: w.time,
            self_id: w.self_id,
            kind,
            flag: w.flag,
            user_id: w.user_id,
            comment: w.comment,
        }
    }
}

impl From<&Request> for RequestWire {
    fn from(r: &Request) -> Self {
        let (request_type, sub_type, group_id) = match &r.kind {
            RequestKind::Friend => ("friend".to_string(), String::new(), None),
            RequestKind::GroupAdd { group_id } => ("group".into(), "add".into(), Some(*group_id)),
            RequestKind::GroupInvite { group_id } => {
                ("group".into(), "invite".into(), Some(*group_id))
            }
            RequestKind::Other {
                request_type,
                sub_type,
                group_id,
            } => (request_type.clone(), sub_type.clone(), *group_id),
        };
        RequestWire {
            time: r.time,
            self_id: r.self_id,
            post_type: "request".into(),
            request_type,
            sub_type,
            user_id: r.user_id,
            group_id,
            comment: r.comment.clone(),
            flag: r.flag.clone(),
        }
    }
}

/// Flat wire form of meta events.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct MetaWire {
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub self_id: i64,
    #[serde(default, deserialize_with = "string")]
    pub meta_event_type: String,
    #[serde(default, deserialize_with = "string")]
    pub sub_type: String,
    #[serde(default)]
    pub status: Option<HeartbeatStatus>,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub interval: i64,
}

/// The `status` object of a heartbeat.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct HeartbeatStatus {
    #[serde(default, deserialize_with = "bool_lenient")]
    pub online: bool,
    #[serde(default, deserialize_with = "bool_lenient")]
    pub good: bool,
}

impl Event {
    /// The event as NapCat puts it on the wire.
    pub fn to_json(&self) -> Value {
        match self {
            Event::Message(m) => serde_json::to_value(m).unwrap_or(Value::Null),
            Event::Notice(n) => n.to_json(),
            Event::Request(r) => {
                let mut v = serde_json::to_value(RequestWire::from(r)).unwrap_or(Value::Null);
                if let Value::Object(o) = &mut v
                    && matches!(r.kind, RequestKind::Friend)
                {
                    o.remove("group_id");
                }
                v
            }
            Event::Meta(Meta::Lifecycle { self_id, sub_type }) => serde_json::json!({
                "time": now_secs(), "self_id": self_id, "post_type": "meta_event",
                "meta_event_type": "lifecycle", "sub_type": sub_type,
            }),
            Event::Meta(Meta::Heartbeat {
                self_id,
                online,
                good,
                interval_ms,
            }) => serde_json::json!({
                "time": now_secs(), "self_id": self_id, "post_type": "meta_event",
                "meta_event_type": "heartbeat", "status": {"online": online, "good": good},
                "interval": interval_ms,
            }),
            Event::Unknown(v) => v.clone(),
        }
    }
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
