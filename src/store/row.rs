//! What one stored row is: a message (its segments kept as the OneBot JSON array, the sender as
//! the event named them) or a notice line (phrased text with a kind), and how either maps to and
//! from the database's columns.

use serde_json::Value;

use crate::onebot::event::MessageType;
use crate::onebot::{MessageChain, MessageEvent, NoticeKind, Peer, Role, Segment, Sender};

use super::schema::{MAX_TIME, SECOND_BITS};

/// Where a row sits in the store: its row id. Orders by time across every chat; within one
/// second, by when it was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos(pub i64);

impl Pos {
    /// The message's time (Unix seconds).
    pub fn time(self) -> i64 {
        self.0 >> SECOND_BITS
    }
    /// The first position of a second: everything at `time` or later is at or after it.
    pub fn first_of(time: i64) -> Pos {
        Pos(clamp_time(time) << SECOND_BITS)
    }
}

/// Times outside what a row id holds are pinned to its ends.
pub fn clamp_time(time: i64) -> i64 {
    time.clamp(0, MAX_TIME)
}

/// The database's number for a chat: the group number, or minus the QQ number.
pub fn chat_key(peer: Peer) -> i64 {
    match peer {
        Peer::Group(g) => g,
        Peer::Private(u) => -u,
    }
}

/// The chat a database number stands for.
pub fn peer_of(key: i64) -> Peer {
    if key < 0 {
        Peer::Private(-key)
    } else {
        Peer::Group(key)
    }
}

/// The chat as the search index's `chat` column spells it (`g123`, `u456`).
pub fn chat_token(peer: Peer) -> String {
    match peer {
        Peer::Group(g) => format!("g{g}"),
        Peer::Private(u) => format!("u{u}"),
    }
}

/// Bits of the `flags` column.
pub mod flags {
    /// The account itself sent it.
    pub const OWN: i64 = 1;
    /// It holds a picture (or sticker).
    pub const IMAGE: i64 = 2;
    /// It holds a file.
    pub const FILE: i64 = 4;
    /// It holds a link (a URL in its text, a shared link or a card).
    pub const LINK: i64 = 8;
}

/// What a notice line is about (stored as a small number, so the values never change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    Recall,
    Mute,
    Join,
    Leave,
    Poke,
    Essence,
    Reaction,
    Admin,
    Card,
    Title,
    Rename,
    Upload,
    Friend,
    Other,
}

impl LineKind {
    /// Every kind, in code order.
    pub const ALL: [LineKind; 14] = [
        LineKind::Recall,
        LineKind::Mute,
        LineKind::Join,
        LineKind::Leave,
        LineKind::Poke,
        LineKind::Essence,
        LineKind::Reaction,
        LineKind::Admin,
        LineKind::Card,
        LineKind::Title,
        LineKind::Rename,
        LineKind::Upload,
        LineKind::Friend,
        LineKind::Other,
    ];

    /// The `kind` column's value (never 0, which is a message).
    pub fn code(self) -> i64 {
        LineKind::ALL.iter().position(|k| *k == self).unwrap_or(13) as i64 + 1
    }

    /// The kind a `kind` column value stands for (unknown values read as `Other`).
    pub fn from_code(code: i64) -> LineKind {
        usize::try_from(code - 1)
            .ok()
            .and_then(|i| LineKind::ALL.get(i).copied())
            .unwrap_or(LineKind::Other)
    }

    /// The kind of line a notice makes.
    pub fn of(notice: &NoticeKind) -> LineKind {
        match notice {
            NoticeKind::GroupRecall { .. } | NoticeKind::FriendRecall { .. } => LineKind::Recall,
            NoticeKind::GroupBan { .. } => LineKind::Mute,
            NoticeKind::GroupIncrease { .. } => LineKind::Join,
            NoticeKind::GroupDecrease { .. } => LineKind::Leave,
            NoticeKind::Poke { .. } => LineKind::Poke,
            NoticeKind::Essence { .. } => LineKind::Essence,
            NoticeKind::GroupMsgEmojiLike { .. } => LineKind::Reaction,
            NoticeKind::GroupAdmin { .. } => LineKind::Admin,
            NoticeKind::GroupCard { .. } => LineKind::Card,
            NoticeKind::Title { .. } => LineKind::Title,
            NoticeKind::GroupName { .. } => LineKind::Rename,
            NoticeKind::GroupUpload { .. } => LineKind::Upload,
            NoticeKind::FriendAdd { .. } => LineKind::Friend,
            _ => LineKind::Other,
        }
    }

    /// A lowercase name (for exports).
    pub fn name(self) -> &'static str {
        match self {
            LineKind::Recall => "recall",
            LineKind::Mute => "mute",
            LineKind::Join => "join",
            LineKind::Leave => "leave",
            LineKind::Poke => "poke",
            LineKind::Essence => "essence",
            LineKind::Reaction => "reaction",
            LineKind::Admin => "admin",
            LineKind::Card => "card",
            LineKind::Title => "title",
            LineKind::Rename => "rename",
            LineKind::Upload => "upload",
            LineKind::Friend => "friend",
            LineKind::Other => "other",
        }
    }
}

/// A notice line to store: already phrased by the app (names resolved when it happened).
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeLine {
    pub peer: Peer,
    pub time: i64,
    pub kind: LineKind,
    /// Who the line is mainly about.
    pub actor: Option<i64>,
    pub text: String,
}

/// A message read back from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredMessage {
    pub pos: Pos,
    pub peer: Peer,
    pub message_id: i64,
    pub real_seq: Option<i64>,
    /// The sender as the newest stored copy named them (card and nick at the time).
    pub sender: Sender,
    pub message: MessageChain,
    /// Sent by the account itself.
    pub own: bool,
    /// Set once recalled: who recalled it (0 when unknown).
    pub recalled_by: Option<i64>,
}

impl StoredMessage {
    /// Its time (Unix seconds).
    pub fn time(&self) -> i64 {
        self.pos.time()
    }

    /// True once recalled.
    pub fn recalled(&self) -> bool {
        self.recalled_by.is_some()
    }

    /// The message as a OneBot message event (what the app builds timeline items from).
    pub fn to_event(&self, self_id: i64) -> MessageEvent {
        let (message_type, group_id, target_id) = match self.peer {
            Peer::Group(g) => (MessageType::Group, Some(g), None),
            Peer::Private(u) => (MessageType::Private, None, Some(u)),
        };
        MessageEvent {
            time: self.time(),
            self_id,
            post_type: if self.own { "message_sent" } else { "message" }.into(),
            message_id: self.message_id,
            real_seq: self.real_seq.map(|s| s.to_string()),
            message_type,
            sub_type: if self.peer.is_group() {
                "normal"
            } else {
                "friend"
            }
            .into(),
            user_id: self.sender.user_id,
            group_id,
            target_id,
            sender: self.sender.clone(),
            message: self.message.clone(),
            message_format: Some("array".into()),
            ..Default::default()
        }
    }
}

/// A notice line read back from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredNotice {
    pub pos: Pos,
    pub line: NoticeLine,
}

/// One row of a chat's stored timeline.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Message(StoredMessage),
    Notice(StoredNotice),
}

impl Row {
    /// Where it sits.
    pub fn pos(&self) -> Pos {
        match self {
            Row::Message(m) => m.pos,
            Row::Notice(n) => n.pos,
        }
    }
    /// Its time.
    pub fn time(&self) -> i64 {
        self.pos().time()
    }
    /// The message, when it is one.
    pub fn message(&self) -> Option<&StoredMessage> {
        match self {
            Row::Message(m) => Some(m),
            Row::Notice(_) => None,
        }
    }
}

/// The `role` column's value.
pub fn role_code(role: Option<Role>) -> Option<i64> {
    match role? {
        Role::Owner => Some(1),
        Role::Admin => Some(2),
        Role::Member => Some(3),
        Role::Unknown => None,
    }
}

/// The role a `role` column value stands for.
pub fn role_of(code: Option<i64>) -> Option<Role> {
    match code? {
        1 => Some(Role::Owner),
        2 => Some(Role::Admin),
        3 => Some(Role::Member),
        _ => None,
    }
}

/// The columns `SELECT`ed to read a row, in [`from_sql`]'s order (table alias `m`).
pub const COLUMNS: &str = "m.id, m.chat, m.kind, m.message_id, m.real_seq, m.user_id, m.nickname, m.card, m.role, \
     m.flags, m.recalled_by, m.body";

/// Reads a row selected with [`COLUMNS`]. A body that no longer parses reads as its text, so a
/// damaged row still shows.
pub fn from_sql(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let pos = Pos(r.get(0)?);
    let peer = peer_of(r.get(1)?);
    let kind: i64 = r.get(2)?;
    let user_id: i64 = r.get(5)?;
    let body: String = r.get(11)?;
    if kind != 0 {
        return Ok(Row::Notice(StoredNotice {
            pos,
            line: NoticeLine {
                peer,
                time: pos.time(),
                kind: LineKind::from_code(kind),
                actor: (user_id != 0).then_some(user_id),
                text: body,
            },
        }));
    }
    let message = serde_json::from_str::<MessageChain>(&body)
        .unwrap_or_else(|_| MessageChain(vec![Segment::text(body)]));
    let flags: i64 = r.get(9)?;
    Ok(Row::Message(StoredMessage {
        pos,
        peer,
        message_id: r.get::<_, Option<i64>>(3)?.unwrap_or(0),
        real_seq: r.get(4)?,
        sender: Sender {
            user_id,
            nickname: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
            card: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
            role: role_of(r.get(8)?),
            title: None,
        },
        message,
        own: flags & flags::OWN != 0,
        recalled_by: r.get(10)?,
    }))
}

/// What a message looks like to the search: the text a person wrote or would look for (text,
/// file names, link and card titles), not the placeholders for pictures or faces.
pub fn searchable_text(chain: &MessageChain) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut owned: Vec<String> = Vec::new();
    for seg in chain.segments() {
        match seg {
            Segment::Text { text } => parts.push(text),
            Segment::File(f) => parts.push(f.name.as_deref().unwrap_or(&f.file)),
            Segment::Share(s) => {
                parts.push(&s.title);
                if let Some(c) = &s.content {
                    parts.push(c);
                }
            }
            Segment::Json { data, .. } => {
                owned.push(crate::onebot::card::Card::parse(data).summary())
            }
            Segment::Markdown { content, .. } => parts.push(content),
            Segment::Location(l) => {
                parts.extend(l.title.as_deref());
                parts.extend(l.content.as_deref());
            }
            Segment::OnlineFile { file_name, .. } => parts.push(file_name),
            Segment::Music(m) => {
                if let crate::onebot::Music::Custom { title, .. } = &m.music {
                    parts.push(title);
                }
            }
            _ => {}
        }
    }
    let mut out = parts.join("\n");
    for p in owned {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&p);
    }
    out
}

/// The `flags` a message gets from what it holds.
pub fn content_flags(ev: &MessageEvent) -> i64 {
    let mut f = 0;
    if ev.is_self() {
        f |= flags::OWN;
    }
    for seg in ev.message.segments() {
        f |= match seg {
            Segment::Image(_) | Segment::MFace(_) => flags::IMAGE,
            Segment::File(_) | Segment::OnlineFile { .. } => flags::FILE,
            Segment::Share(_) | Segment::Json { .. } => flags::LINK,
            Segment::Text { text } if has_url(text) => flags::LINK,
            _ => 0,
        };
    }
    f
}

fn has_url(text: &str) -> bool {
    text.contains("http://") || text.contains("https://") || text.contains("www.")
}

/// A message event for a message the account sent from this client, once the server's reply
/// gave its id (so it is stored like any other and an echo later merges with it).
pub fn sent_message(
    peer: Peer,
    self_id: i64,
    message_id: i64,
    time: i64,
    message: MessageChain,
) -> MessageEvent {
    let (message_type, group_id) = match peer {
        Peer::Group(g) => (MessageType::Group, Some(g)),
        Peer::Private(_) => (MessageType::Private, None),
    };
    MessageEvent {
        time,
        self_id,
        post_type: "message_sent".into(),
        message_id,
        message_type,
        user_id: self_id,
        group_id,
        target_id: Some(peer.id()),
        sender: Sender {
            user_id: self_id,
            ..Default::default()
        },
        message,
        ..Default::default()
    }
}

/// The segments as they are stored: the OneBot array.
pub fn body_json(chain: &MessageChain) -> String {
    serde_json::to_string(chain).unwrap_or_else(|_| "[]".into())
}

/// A stored message as one export object: the OneBot message fields plus `recalled`.
pub fn export_object(m: &StoredMessage, self_id: i64) -> Value {
    let mut v = serde_json::to_value(m.to_event(self_id)).unwrap_or(Value::Null);
    if let Value::Object(o) = &mut v {
        for noise in ["raw_message", "font", "message_format", "self_id"] {
            o.remove(noise);
        }
        o.insert("recalled".into(), m.recalled().into());
        if let Some(by) = m.recalled_by.filter(|b| *b != 0) {
            o.insert("recalled_by".into(), by.into());
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chats_round_trip_through_their_numbers() {
        for p in [Peer::Group(123), Peer::Private(456)] {
            assert_eq!(peer_of(chat_key(p)), p);
        }
        assert_eq!(chat_token(Peer::Group(1)), "g1");
        assert_eq!(chat_token(Peer::Private(2)), "u2");
    }

    #[test]
    fn line_kinds_keep_their_codes() {
        for k in LineKind::ALL {
            assert_eq!(LineKind::from_code(k.code()), k);
            assert_ne!(k.code(), 0);
        }
        assert_eq!(LineKind::Recall.code(), 1);
        assert_eq!(LineKind::Other.code(), 14);
        assert_eq!(LineKind::from_code(99), LineKind::Other);
    }

    #[test]
    fn positions_carry_the_time() {
        let p = Pos::first_of(1_700_000_000);
        assert_eq!(p.time(), 1_700_000_000);
        assert_eq!(Pos(p.0 + 5).time(), 1_700_000_000);
        assert_eq!(Pos::first_of(-5).time(), 0);
    }

    #[test]
    fn searchable_text_skips_placeholders() {
        let chain = MessageChain::new()
            .text("看这个")
            .image("a.png")
            .face(14)
            .push(Segment::file("报告.pdf"));
        assert_eq!(searchable_text(&chain), "看这个\n报告.pdf");
    }
}
