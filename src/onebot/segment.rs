//! Message segments (`{"type": …, "data": {…}}`): every type NapCat sends or accepts, typed.
//!
//! Each known variant keeps the data keys it does not model in `extra`, so a segment read from the
//! wire serializes back to the same keys; anything of an unknown type is kept whole in `Unknown`.

use serde::de::{Deserializer, Error as _};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::event::MessageEvent;
use super::lenient::{value_i64, value_string};
use super::message::MessageChain;

/// Data keys a variant does not model, kept for a faithful round trip.
pub type Extra = Map<String, Value>;

/// Who an `at` segment mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AtTarget {
    /// `@全体成员`.
    All,
    /// One member, by QQ number.
    User(i64),
}

/// A music share: a platform song by id, or a custom card.
#[derive(Debug, Clone, PartialEq)]
pub enum Music {
    /// `type` is the platform (`qq`, `163`, `kugou`, `kuwo`, `migu`), `id` the song id.
    Platform { platform: String, id: String },
    /// `type: "custom"` with a jump URL, audio URL, title, description and cover image.
    Custom {
        url: String,
        audio: String,
        title: String,
        content: String,
        image: String,
    },
}

/// A market sticker (`mface`).
#[derive(Debug, Clone, PartialEq)]
pub struct MFaceData {
    pub emoji_package_id: i64,
    pub emoji_id: String,
    pub key: String,
    pub summary: String,
    pub extra: Extra,
}

/// A picture, sticker, or market sticker received as an image.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImageData {
    pub file: String,
    pub url: Option<String>,
    pub summary: Option<String>,
    /// 0 picture, 1 sticker / custom emoji, other values market or hot pictures.
    pub sub_type: Option<i64>,
    pub file_size: Option<u64>,
    /// Set on market stickers that arrive as images.
    pub emoji_id: Option<String>,
    pub emoji_package_id: Option<i64>,
    pub key: Option<String>,
    pub extra: Extra,
}

/// A voice message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordData {
    pub file: String,
    pub url: Option<String>,
    pub path: Option<String>,
    pub file_size: Option<u64>,
    pub extra: Extra,
}

/// A video.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VideoData {
    pub file: String,
    pub url: Option<String>,
    pub file_size: Option<u64>,
    pub thumb: Option<String>,
    pub extra: Extra,
}

/// A file message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileData {
    pub file: String,
    pub file_id: Option<String>,
    pub file_size: Option<u64>,
    pub url: Option<String>,
    pub name: Option<String>,
    pub extra: Extra,
}

/// One node of a merged forward being sent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeData {
    pub id: Option<String>,
    pub user_id: Option<i64>,
    pub nickname: Option<String>,
    pub content: Option<MessageChain>,
    pub extra: Extra,
}

/// A music share with its data keys.
#[derive(Debug, Clone, PartialEq)]
pub struct MusicData {
    pub music: Music,
    pub extra: Extra,
}

/// A location.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LocationData {
    pub lat: String,
    pub lon: String,
    pub title: Option<String>,
    pub content: Option<String>,
    pub extra: Extra,
}

/// A link share.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShareData {
    pub url: String,
    pub title: String,
    pub content: Option<String>,
    pub image: Option<String>,
    pub extra: Extra,
}

/// One message segment. Large payloads are boxed so a segment stays small (chat history holds
/// hundreds of thousands of them).
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Text {
        text: String,
    },
    At {
        target: AtTarget,
        /// Display name some servers attach; NapCat sends none.
        name: Option<String>,
        extra: Extra,
    },
    /// A QQ system face; `raw`, `resultId`, `chainCount` stay in `extra`.
    Face {
        id: i64,
        extra: Extra,
    },
    /// A market sticker as sent (NapCat delivers received ones as `image`).
    MFace(Box<MFaceData>),
    Image(Box<ImageData>),
    Record(Box<RecordData>),
    Video(Box<VideoData>),
    File(Box<FileData>),
    /// Quotes a message by its (short) id; `seq` is QQ's real sequence when given.
    Reply {
        id: String,
        seq: Option<String>,
        extra: Extra,
    },
    /// A merged forward; `content` is present when the server expanded it inline.
    Forward {
        id: String,
        content: Option<Vec<MessageEvent>>,
        extra: Extra,
    },
    /// One node of a merged forward being sent: an existing message by id, or custom content.
    Node(Box<NodeData>),
    /// An ark card; `data` is the card's JSON text.
    Json {
        data: String,
        extra: Extra,
    },
    Xml {
        data: String,
        extra: Extra,
    },
    Markdown {
        content: String,
        extra: Extra,
    },
    Music(Box<MusicData>),
    /// Dice; `result` 1–6 once rolled (empty when sending).
    Dice {
        result: Option<u8>,
        extra: Extra,
    },
    /// Rock-paper-scissors; `result` 1 石头, 2 剪刀, 3 布 (empty when sending).
    Rps {
        result: Option<u8>,
        extra: Extra,
    },
    /// Legacy poke face inside a message.
    Poke {
        kind: String,
        id: String,
        extra: Extra,
    },
    Shake {
        extra: Extra,
    },
    /// A recommended contact: `kind` is `qq` or `group`.
    Contact {
        kind: String,
        id: String,
        extra: Extra,
    },
    Location(Box<LocationData>),
    Share(Box<ShareData>),
    /// A peer-to-peer online file (NapCat extension).
    OnlineFile {
        file_name: String,
        file_size: Option<u64>,
        is_dir: bool,
        extra: Extra,
    },
    /// "QQ闪传" (NapCat extension).
    FlashTransfer {
        file_set_id: String,
        extra: Extra,
    },
    /// A type this version does not know: kept as it came.
    Unknown {
        kind: String,
        data: Value,
    },
}

impl Segment {
    /// A text segment.
    pub fn text(text: impl Into<String>) -> Self {
        Segment::Text { text: text.into() }
    }
    /// Mentions one member.
    pub fn at(qq: i64) -> Self {
        Segment::At {
            target: AtTarget::User(qq),
            name: None,
            extra: Extra::new(),
        }
    }
    /// Mentions everybody (`@全体成员`).
    pub fn at_all() -> Self {
        Segment::At {
            target: AtTarget::All,
            name: None,
            extra: Extra::new(),
        }
    }
    /// A system face by id.
    pub fn face(id: i64) -> Self {
        Segment::Face {
            id,
            extra: Extra::new(),
        }
    }
    /// Quotes the message with this id.
    pub fn reply(id: i64) -> Self {
        Segment::Reply {
            id: id.to_string(),
            seq: None,
            extra: Extra::new(),
        }
    }
    /// An image from a file URI (path on the NapCat host, `file://`, `http(s)://`, `base64://`).
    pub fn image(file: impl Into<String>) -> Self {
        Segment::Image(Box::new(ImageData {
            file: file.into(),
            ..Default::default()
        }))
    }
    /// A voice message from a file URI.
    pub fn record(file: impl Into<String>) -> Self {
        Segment::Record(Box::new(RecordData {
            file: file.into(),
            ..Default::default()
        }))
    }
    /// A video from a file URI.
    pub fn video(file: impl Into<String>) -> Self {
        Segment::Video(Box::new(VideoData {
            file: file.into(),
            ..Default::default()
        }))
    }
    /// A file message from a file URI.
    pub fn file(file: impl Into<String>) -> Self {
        Segment::File(Box::new(FileData {
            file: file.into(),
            ..Default::default()
        }))
    }
    /// An ark card from its JSON text.
    pub fn json(data: impl Into<String>) -> Self {
        Segment::Json {
            data: data.into(),
            extra: Extra::new(),
        }
    }
    /// Markdown text.
    pub fn markdown(content: impl Into<String>) -> Self {
        Segment::Markdown {
            content: content.into(),
            extra: Extra::new(),
        }
    }
    /// A music share.
    pub fn music(music: Music) -> Self {
        Segment::Music(Box::new(MusicData {
            music,
            extra: Extra::new(),
        }))
    }
    /// A dice roll (the server picks the result).
    pub fn dice() -> Self {
        Segment::Dice {
            result: None,
            extra: Extra::new(),
        }
    }
    /// Rock-paper-scissors (the server picks the result).
    pub fn rps() -> Self {
        Segment::Rps {
            result: None,
            extra: Extra::new(),
        }
    }
    /// A forward node quoting an existing message by id.
    pub fn node_id(id: i64) -> Self {
        Segment::Node(Box::new(NodeData {
            id: Some(id.to_string()),
            ..Default::default()
        }))
    }
    /// A forward node with custom sender and content.
    pub fn node_custom(user_id: i64, nickname: impl Into<String>, content: MessageChain) -> Self {
        Segment::Node(Box::new(NodeData {
            user_id: Some(user_id),
            nickname: Some(nickname.into()),
            content: Some(content),
            ..Default::default()
        }))
    }

    /// The wire name of this segment's type.
    pub fn kind(&self) -> &str {
        match self {
            Segment::Text { .. } => "text",
            Segment::At { .. } => "at",
            Segment::Face { .. } => "face",
            Segment::MFace(_) => "mface",
            Segment::Image(_) => "image",
            Segment::Record(_) => "record",
            Segment::Video(_) => "video",
            Segment::File(_) => "file",
            Segment::Reply { .. } => "reply",
            Segment::Forward { .. } => "forward",
            Segment::Node(_) => "node",
            Segment::Json { .. } => "json",
            Segment::Xml { .. } => "xml",
            Segment::Markdown { .. } => "markdown",
            Segment::Music(_) => "music",
            Segment::Dice { .. } => "dice",
            Segment::Rps { .. } => "rps",
            Segment::Poke { .. } => "poke",
            Segment::Shake { .. } => "shake",
            Segment::Contact { .. } => "contact",
            Segment::Location(_) => "location",
            Segment::Share(_) => "share",
            Segment::OnlineFile { .. } => "onlinefile",
            Segment::FlashTransfer { .. } => "flashtransfer",
            Segment::Unknown { kind, .. } => kind,
        }
    }

    /// The id of the quoted message when this is a reply.
    pub fn reply_id(&self) -> Option<i64> {
        match self {
            Segment::Reply { id, .. } => id.trim().parse().ok(),
            _ => None,
        }
    }

    /// Builds a segment from its type and data object (the wire form).
    pub fn from_parts(kind: &str, data: Map<String, Value>) -> Self {
        let mut d = data;
        match kind {
            "text" => Segment::Text {
                text: take_string(&mut d, "text").unwrap_or_default(),
            },
            "at" => {
                let target = match d.get("qq").and_then(value_string) {
                    Some(q) if q.trim() == "all" => AtTarget::All,
                    Some(q) => match q.trim().parse() {
                        Ok(n) => AtTarget::User(n),
                        Err(_) => return unknown(kind, d),
                    },
                    None => return unknown(kind, d),
                };
                d.remove("qq");
                Segment::At {
                    target,
                    name: take_string(&mut d, "name"),
                    extra: d,
                }
            }
            "face" => match d.get("id").and_then(value_i64) {
                Some(id) => {
                    d.remove("id");
                    Segment::Face { id, extra: d }
                }
                None => unknown(kind, d),
            },
            "mface" => Segment::MFace(Box::new(MFaceData {
                emoji_package_id: take_i64(&mut d, "emoji_package_id").unwrap_or(0),
                emoji_id: take_string(&mut d, "emoji_id").unwrap_or_default(),
                key: take_string(&mut d, "key").unwrap_or_default(),
                summary: take_string(&mut d, "summary").unwrap_or_default(),
                extra: d,
            })),
            "image" => Segment::Image(Box::new(ImageData {
                file: take_string(&mut d, "file").unwrap_or_default(),
                url: take_string(&mut d, "url"),
                summary: take_string(&mut d, "summary"),
                sub_type: take_i64(&mut d, "sub_type"),
                file_size: take_u64(&mut d, "file_size"),
                emoji_id: take_string(&mut d, "emoji_id"),
                emoji_package_id: take_i64(&mut d, "emoji_package_id"),
                key: take_string(&mut d, "key"),
                extra: d,
            })),
            "record" => Segment::Record(Box::new(RecordData {
                file: take_string(&mut d, "file").unwrap_or_default(),
                url: take_string(&mut d, "url"),
                path: take_string(&mut d, "path"),
                file_size: take_u64(&mut d, "file_size"),
                extra: d,
            })),
            "video" => Segment::Video(Box::new(VideoData {
                file: take_string(&mut d, "file").unwrap_or_default(),
                url: take_string(&mut d, "url"),
                file_size: take_u64(&mut d, "file_size"),
                thumb: take_string(&mut d, "thumb"),
                extra: d,
            })),
            "file" => Segment::File(Box::new(FileData {
                file: take_string(&mut d, "file").unwrap_or_default(),
                file_id: take_string(&mut d, "file_id"),
                file_size: take_u64(&mut d, "file_size"),
                url: take_string(&mut d, "url"),
                name: take_string(&mut d, "name"),
                extra: d,
            })),
            "reply" => Segment::Reply {
                id: take_string(&mut d, "id").unwrap_or_default(),
                seq: take_string(&mut d, "seq"),
                extra: d,
            },
            "forward" => {
                // Inline content is parsed when it is well formed; otherwise it stays in `extra`.
                let content = match d.get("content") {
                    Some(Value::Array(items)) => items
                        .iter()
                        .map(MessageEvent::deserialize)
                        .collect::<Result<Vec<_>, _>>()
                        .ok(),
                    _ => None,
                };
                if content.is_some() {
                    d.remove("content");
                }
                Segment::Forward {
                    id: take_string(&mut d, "id").unwrap_or_default(),
                    content,
                    extra: d,
                }
            }
            "node" => {
                let content = match d.get("content") {
                    None | Some(Value::Null) => None,
                    Some(v) => MessageChain::deserialize(v).ok(),
                };
                if content.is_some() {
                    d.remove("content");
                }
                let user_id = take_i64(&mut d, "user_id").or_else(|| take_i64(&mut d, "uin"));
                let nickname =
                    take_string(&mut d, "nickname").or_else(|| take_string(&mut d, "name"));
                Segment::Node(Box::new(NodeData {
                    id: take_string(&mut d, "id"),
                    user_id,
                    nickname,
                    content,
                    extra: d,
                }))
            }
            "json" => {
                let data = match d.remove("data") {
                    Some(Value::String(s)) => s,
                    Some(Value::Null) | None => String::new(),
                    Some(v) => v.to_string(),
                };
                Segment::Json { data, extra: d }
            }
            "xml" => Segment::Xml {
                data: take_string(&mut d, "data").unwrap_or_default(),
                extra: d,
            },
            "markdown" => Segment::Markdown {
                content: take_string(&mut d, "content").unwrap_or_default(),
                extra: d,
            },
            "music" => {
                let platform = take_string(&mut d, "type").unwrap_or_default();
                let music = if platform == "custom" {
                    Music::Custom {
                        url: take_string(&mut d, "url").unwrap_or_default(),
                        audio: take_string(&mut d, "audio").unwrap_or_default(),
                        title: take_string(&mut d, "title").unwrap_or_default(),
                        content: take_string(&mut d, "content").unwrap_or_default(),
                        image: take_string(&mut d, "image").unwrap_or_default(),
                    }
                } else {
                    Music::Platform {
                        platform,
                        id: take_string(&mut d, "id").unwrap_or_default(),
                    }
                };
                Segment::Music(Box::new(MusicData { music, extra: d }))
            }
            "dice" => Segment::Dice {
                result: take_small(&mut d, "result"),
                extra: d,
            },
            "rps" => Segment::Rps {
                result: take_small(&mut d, "result"),
                extra: d,
            },
            "poke" => Segment::Poke {
                kind: take_string(&mut d, "type").unwrap_or_default(),
                id: take_string(&mut d, "id").unwrap_or_default(),
                extra: d,
            },
            "shake" => Segment::Shake { extra: d },
            "contact" => Segment::Contact {
                kind: take_string(&mut d, "type").unwrap_or_default(),
                id: take_string(&mut d, "id").unwrap_or_default(),
                extra: d,
            },
            "location" => Segment::Location(Box::new(LocationData {
                lat: take_string(&mut d, "lat").unwrap_or_default(),
                lon: take_string(&mut d, "lon").unwrap_or_default(),
                title: take_string(&mut d, "title"),
                content: take_string(&mut d, "content"),
                extra: d,
            })),
            "share" => Segment::Share(Box::new(ShareData {
                url: take_string(&mut d, "url").unwrap_or_default(),
                title: take_string(&mut d, "title").unwrap_or_default(),
                content: take_string(&mut d, "content"),
                image: take_string(&mut d, "image"),
                extra: d,
            })),
            "onlinefile" => Segment::OnlineFile {
                file_name: take_string(&mut d, "fileName").unwrap_or_default(),
                file_size: take_u64(&mut d, "fileSize"),
                is_dir: d
                    .remove("isDir")
                    .map(|v| v.as_bool().unwrap_or_else(|| value_i64(&v) == Some(1)))
                    .unwrap_or(false),
                extra: d,
            },
            "flashtransfer" => Segment::FlashTransfer {
                file_set_id: take_string(&mut d, "fileSetId").unwrap_or_default(),
                extra: d,
            },
            _ => unknown(kind, d),
        }
    }

    /// The wire form: type name and data object.
    pub fn to_parts(&self) -> (&str, Map<String, Value>) {
        let mut m = Map::new();
        let base = |extra: &Extra| extra.clone();
        match self {
            Segment::Text { text } => {
                m.insert("text".into(), text.clone().into());
            }
            Segment::At {
                target,
                name,
                extra,
            } => {
                m = base(extra);
                let qq = match target {
                    AtTarget::All => "all".to_string(),
                    AtTarget::User(n) => n.to_string(),
                };
                m.insert("qq".into(), qq.into());
                put_opt(&mut m, "name", name);
            }
            Segment::Face { id, extra } => {
                m = base(extra);
                m.insert("id".into(), id.to_string().into());
            }
            Segment::MFace(b) => {
                let MFaceData {
                    emoji_package_id,
                    emoji_id,
                    key,
                    summary,
                    extra,
                } = &**b;
                m = base(extra);
                m.insert("emoji_package_id".into(), (*emoji_package_id).into());
                m.insert("emoji_id".into(), emoji_id.clone().into());
                m.insert("key".into(), key.clone().into());
                m.insert("summary".into(), summary.clone().into());
            }
            Segment::Image(b) => {
                let ImageData {
                    file,
                    url,
                    summary,
                    sub_type,
                    file_size,
                    emoji_id,
                    emoji_package_id,
                    key,
                    extra,
                } = &**b;
                m = base(extra);
                m.insert("file".into(), file.clone().into());
                put_opt(&mut m, "url", url);
                put_opt(&mut m, "summary", summary);
                if let Some(s) = sub_type {
                    m.insert("sub_type".into(), (*s).into());
                }
                put_size(&mut m, "file_size", file_size);
                put_opt(&mut m, "emoji_id", emoji_id);
                if let Some(p) = emoji_package_id {
                    m.insert("emoji_package_id".into(), (*p).into());
                }
                put_opt(&mut m, "key", key);
            }
            Segment::Record(b) => {
                let RecordData {
                    file,
                    url,
                    path,
                    file_size,
                    extra,
                } = &**b;
                m = base(extra);
                m.insert("file".into(), file.clone().into());
                put_opt(&mut m, "url", url);
                put_opt(&mut m, "path", path);
                put_size(&mut m, "file_size", file_size);
            }
            Segment::Video(b) => {
                let VideoData {
                    file,
                    url,
                    file_size,
                    thumb,
                    extra,
                } = &**b;
                m = base(extra);
                m.insert("file".into(), file.clone().into());
                put_opt(&mut m, "url", url);
                put_size(&mut m, "file_size", file_size);
                put_opt(&mut m, "thumb", thumb);
            }
            Segment::File(b) => {
                let FileData {
                    file,
                    file_id,
                    file_size,
                    url,
                    name,
                    extra,
                } = &**b;
                m = base(extra);
                m.insert("file".into(), file.clone().into());
                put_opt(&mut m, "file_id", file_id);
                put_size(&mut m, "file_size", file_size);
                put_opt(&mut m, "url", url);
                put_opt(&mut m, "name", name);
            }
            Segment::Reply { id, seq, extra } => {
                m = base(extra);
                m.insert("id".into(), id.clone().into());
                put_opt(&mut m, "seq", seq);
            }
            Segment::Forward { id, content, extra } => {
                m = base(extra);
                m.insert("id".into(), id.clone().into());
                if let Some(list) = content {
                    let arr = list
                        .iter()
                        .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
                        .collect();
                    m.insert("content".into(), Value::Array(arr));
                }
            }
            Segment::Node(b) => {
                let NodeData {
                    id,
                    user_id,
                    nickname,
                    content,
                    extra,
                } = &**b;
                m = base(extra);
                put_opt(&mut m, "id", id);
                if let Some(u) = user_id {
                    m.insert("user_id".into(), u.to_string().into());
                }
                put_opt(&mut m, "nickname", nickname);
                if let Some(c) = content {
                    m.insert(
                        "content".into(),
                        serde_json::to_value(c).unwrap_or(Value::Null),
                    );
                }
            }
            Segment::Json { data, extra } => {
                m = base(extra);
                m.insert("data".into(), data.clone().into());
            }
            Segment::Xml { data, extra } => {
                m = base(extra);
                m.insert("data".into(), data.clone().into());
            }
            Segment::Markdown { content, extra } => {
                m = base(extra);
                m.insert("content".into(), content.clone().into());
            }
            Segment::Music(b) => {
                let MusicData { music, extra } = &**b;
                m = base(extra);
                match music {
                    Music::Platform { platform, id } => {
                        m.insert("type".into(), platform.clone().into());
                        m.insert("id".into(), id.clone().into());
                    }
                    Music::Custom {
                        url,
                        audio,
                        title,
                        content,
                        image,
                    } => {
                        m.insert("type".into(), "custom".into());
                        m.insert("url".into(), url.clone().into());
                        m.insert("audio".into(), audio.clone().into());
                        m.insert("title".into(), title.clone().into());
                        m.insert("content".into(), content.clone().into());
                        m.insert("image".into(), image.clone().into());
                    }
                }
            }
            Segment::Dice { result, extra } | Segment::Rps { result, extra } => {
                m = base(extra);
                if let Some(r) = result {
                    m.insert("result".into(), r.to_string().into());
                }
            }
            Segment::Poke { kind, id, extra } => {
                m = base(extra);
                m.insert("type".into(), kind.clone().into());
                m.insert("id".into(), id.clone().into());
            }
            Segment::Shake { extra } => m = base(extra),
            Segment::Contact { kind, id, extra } => {
                m = base(extra);
                m.insert("type".into(), kind.clone().into());
                m.insert("id".into(), id.clone().into());
            }
            Segment::Location(b) => {
                let LocationData {
                    lat,
                    lon,
                    title,
                    content,
                    extra,
                } = &**b;
                m = base(extra);
                m.insert("lat".into(), lat.clone().into());
                m.insert("lon".into(), lon.clone().into());
                put_opt(&mut m, "title", title);
                put_opt(&mut m, "content", content);
            }
            Segment::Share(b) => {
                let ShareData {
                    url,
                    title,
                    content,
                    image,
                    extra,
                } = &**b;
                m = base(extra);
                m.insert("url".into(), url.clone().into());
                m.insert("title".into(), title.clone().into());
                put_opt(&mut m, "content", content);
                put_opt(&mut m, "image", image);
            }
            Segment::OnlineFile {
                file_name,
                file_size,
                is_dir,
                extra,
            } => {
                m = base(extra);
                m.insert("fileName".into(), file_name.clone().into());
                put_size(&mut m, "fileSize", file_size);
                m.insert("isDir".into(), (*is_dir).into());
            }
            Segment::FlashTransfer { file_set_id, extra } => {
                m = base(extra);
                m.insert("fileSetId".into(), file_set_id.clone().into());
            }
            Segment::Unknown { data, .. } => {
                return (
                    self.kind(),
                    match data {
                        Value::Object(o) => o.clone(),
                        Value::Null => Map::new(),
                        other => {
                            let mut w = Map::new();
                            w.insert("value".into(), other.clone());
                            w
                        }
                    },
                );
            }
        }
        (self.kind(), m)
    }
}

fn unknown(kind: &str, data: Map<String, Value>) -> Segment {
    Segment::Unknown {
        kind: kind.to_string(),
        data: Value::Object(data),
    }
}

fn take_string(d: &mut Map<String, Value>, key: &str) -> Option<String> {
    match d.get(key) {
        Some(v) => {
            let s = value_string(v)?;
            d.remove(key);
            Some(s)
        }
        None => None,
    }
}

fn take_i64(d: &mut Map<String, Value>, key: &str) -> Option<i64> {
    let v = value_i64(d.get(key)?)?;
    d.remove(key);
    Some(v)
}

fn take_u64(d: &mut Map<String, Value>, key: &str) -> Option<u64> {
    let v = take_i64(d, key)?;
    u64::try_from(v).ok()
}

fn take_small(d: &mut Map<String, Value>, key: &str) -> Option<u8> {
    let v = value_i64(d.get(key)?)?;
    let v = u8::try_from(v).ok()?;
    d.remove(key);
    Some(v)
}

fn put_opt(m: &mut Map<String, Value>, key: &str, v: &Option<String>) {
    if let Some(s) = v {
        m.insert(key.into(), s.clone().into());
    }
}

fn put_size(m: &mut Map<String, Value>, key: &str, v: &Option<u64>) {
    if let Some(n) = v {
        m.insert(key.into(), n.to_string().into());
    }
}

impl Serialize for Segment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (kind, data) = self.to_parts();
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("type", kind)?;
        map.serialize_entry("data", &data)?;
        map.end()
    }
}

#[derive(Deserialize)]
struct RawSegment {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    data: Option<Value>,
}

impl<'de> Deserialize<'de> for Segment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawSegment::deserialize(d)?;
        match raw.data {
            Some(Value::Object(map)) => Ok(Segment::from_parts(&raw.kind, map)),
            None | Some(Value::Null) => Ok(Segment::from_parts(&raw.kind, Map::new())),
            Some(other) => {
                if raw.kind.is_empty() {
                    return Err(D::Error::custom("segment without a type"));
                }
                Ok(Segment::Unknown {
                    kind: raw.kind,
                    data: other,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Segment {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn ids_arrive_as_numbers_or_strings() {
        assert_eq!(
            parse(json!({"type":"at","data":{"qq":"10001"}})),
            Segment::at(10001)
        );
        assert_eq!(
            parse(json!({"type":"at","data":{"qq":10001}})),
            Segment::at(10001)
        );
        assert_eq!(
            parse(json!({"type":"at","data":{"qq":"all"}})),
            Segment::at_all()
        );
        assert_eq!(
            parse(json!({"type":"face","data":{"id":14}})),
            Segment::face(14)
        );
        assert_eq!(
            parse(json!({"type":"face","data":{"id":"14"}})),
            Segment::face(14)
        );
        assert_eq!(
            parse(json!({"type":"reply","data":{"id":657}})).reply_id(),
            Some(657)
        );
    }

    #[test]
    fn unknown_types_round_trip_unchanged() {
        let v = json!({"type":"future_thing","data":{"a":[1,2],"b":{"c":"d"}}});
        let s = parse(v.clone());
        assert!(matches!(&s, Segment::Unknown { kind, .. } if kind == "future_thing"));
        assert_eq!(serde_json::to_value(&s).unwrap(), v);
    }

    #[test]
    fn extra_keys_are_kept() {
        let v = json!({"type":"face","data":{"id":"14","raw":{"faceText":"/微笑"},"chainCount":0}});
        let s = parse(v.clone());
        assert_eq!(serde_json::to_value(&s).unwrap(), v);
    }

    #[test]
    fn malformed_known_types_become_unknown_not_errors() {
        let s = parse(json!({"type":"at","data":{"qq":"nobody"}}));
        assert!(matches!(s, Segment::Unknown { .. }));
        let s = parse(json!({"type":"face","data":{}}));
        assert!(matches!(s, Segment::Unknown { .. }));
        let s = parse(json!({"type":"text","data":"oops"}));
        assert!(matches!(s, Segment::Unknown { .. }));
    }

    #[test]
    fn sending_forms_match_napcat() {
        assert_eq!(
            serde_json::to_value(Segment::dice()).unwrap(),
            json!({"type":"dice","data":{}})
        );
        assert_eq!(
            serde_json::to_value(Segment::reply(42)).unwrap(),
            json!({"type":"reply","data":{"id":"42"}})
        );
        assert_eq!(
            serde_json::to_value(Segment::at_all()).unwrap(),
            json!({"type":"at","data":{"qq":"all"}})
        );
    }
}
