//! A message chain (a list of segments) with a builder and a plain-text rendering.

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::card::Card;
use super::cq;
use super::faces;
use super::segment::{AtTarget, Music, Segment};

/// The segments of one message, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct MessageChain(pub Vec<Segment>);

impl MessageChain {
    /// An empty chain.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses a CQ-code string (the `string` message format).
    pub fn from_cq(s: &str) -> Self {
        MessageChain(cq::parse(s))
    }

    /// Encodes the chain as a CQ-code string.
    pub fn to_cq(&self) -> String {
        cq::encode(&self.0)
    }

    /// Appends any segment.
    pub fn push(mut self, seg: Segment) -> Self {
        self.0.push(seg);
        self
    }
    /// Appends text, merging with a preceding text segment.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        if text.is_empty() {
            return self;
        }
        if let Some(Segment::Text { text: prev }) = self.0.last_mut() {
            prev.push_str(&text);
        } else {
            self.0.push(Segment::text(text));
        }
        self
    }
    /// Appends a mention.
    pub fn at(self, qq: i64) -> Self {
        self.push(Segment::at(qq))
    }
    /// Appends `@全体成员`.
    pub fn at_all(self) -> Self {
        self.push(Segment::at_all())
    }
    /// Appends a system face.
    pub fn face(self, id: i64) -> Self {
        self.push(Segment::face(id))
    }
    /// Puts a reply to `id` at the front (NapCat expects the reply segment first).
    pub fn reply(mut self, id: i64) -> Self {
        self.0.retain(|s| !matches!(s, Segment::Reply { .. }));
        self.0.insert(0, Segment::reply(id));
        self
    }
    /// Appends an image from a file URI.
    pub fn image(self, file: impl Into<String>) -> Self {
        self.push(Segment::image(file))
    }

    /// The segments.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }
    /// True when there are no segments.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The id of the message this one replies to.
    pub fn reply_to(&self) -> Option<i64> {
        self.0.iter().find_map(Segment::reply_id)
    }
    /// True when the chain mentions this QQ number (or everybody, when `all_counts`).
    pub fn mentions(&self, qq: i64, all_counts: bool) -> bool {
        self.0.iter().any(|s| match s {
            Segment::At { target, .. } => match target {
                AtTarget::User(n) => *n == qq,
                AtTarget::All => all_counts,
            },
            _ => false,
        })
    }

    /// Plain-text rendering for previews and notifications (`[图片]`, `[微笑]`, `@123`).
    pub fn plain_text(&self) -> String {
        self.plain_text_with(|_| None)
    }

    /// Plain-text rendering, naming mentioned members through `name_of`.
    pub fn plain_text_with(&self, name_of: impl Fn(i64) -> Option<String>) -> String {
        let mut out = String::new();
        for seg in &self.0 {
            out.push_str(&segment_text(seg, &name_of));
        }
        out
    }
}

impl From<Vec<Segment>> for MessageChain {
    fn from(v: Vec<Segment>) -> Self {
        MessageChain(v)
    }
}

impl<'de> Deserialize<'de> for MessageChain {
    /// Accepts a segment array, a single segment object, or a CQ-code string (no buffering).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = MessageChain;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a segment array, a segment object or a CQ string")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<MessageChain, A::Error> {
                let mut v = Vec::with_capacity(a.size_hint().unwrap_or(2).min(64));
                while let Some(seg) = a.next_element::<Segment>()? {
                    v.push(seg);
                }
                Ok(MessageChain(v))
            }
            fn visit_str<E>(self, s: &str) -> Result<MessageChain, E> {
                Ok(MessageChain::from_cq(s))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                a: A,
            ) -> Result<MessageChain, A::Error> {
                let seg = Segment::deserialize(serde::de::value::MapAccessDeserializer::new(a))?;
                Ok(MessageChain(vec![seg]))
            }
            fn visit_unit<E>(self) -> Result<MessageChain, E> {
                Ok(MessageChain::default())
            }
            fn visit_none<E>(self) -> Result<MessageChain, E> {
                Ok(MessageChain::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// How a face shows in text: `[微笑]`, else the face's own text, else `[表情N]`.
pub fn face_label(id: i64, extra: &serde_json::Map<String, Value>) -> String {
    if let Some(n) = faces::name(id) {
        return format!("[{n}]");
    }
    let own = extra
        .get("raw")
        .and_then(|r| r.get("faceText"))
        .and_then(Value::as_str)
        .map(|t| t.trim_start_matches('/'))
        .filter(|t| !t.is_empty());
    match own {
        Some(t) => format!("[{t}]"),
        None => format!("[表情{id}]"),
    }
}

/// The name of an rps result.
pub fn rps_name(r: u8) -> &'static str {
    match r {
        1 => "石头",
        2 => "剪刀",
        3 => "布",
        _ => "?",
    }
}

/// Human-readable size: `3 B`, `1.5 KB`, `49.1 MB`.
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn segment_text(seg: &Segment, name_of: &impl Fn(i64) -> Option<String>) -> String {
    match seg {
        Segment::Text { text } => text.clone(),
        Segment::At { target, name, .. } => match target {
            AtTarget::All => "@全体成员".into(),
            AtTarget::User(qq) => {
                let n = name_of(*qq)
                    .or_else(|| name.clone().filter(|n| !n.is_empty()))
                    .unwrap_or_else(|| qq.to_string());
                format!("@{n}")
            }
        },
        Segment::Face { id, extra } => face_label(*id, extra),
        Segment::MFace(m) => {
            if m.summary.is_empty() {
                "[商城表情]".into()
            } else {
                m.summary.clone()
            }
        }
        Segment::Image(i) => match i.summary.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => s.to_string(),
            None if i.sub_type == Some(1) => "[动画表情]".into(),
            None => "[图片]".into(),
        },
        Segment::Record(_) => "[语音]".into(),
        Segment::Video(_) => "[视频]".into(),
        Segment::File(f) => {
            format!("[文件] {}", f.name.as_deref().unwrap_or(&f.file))
        }
        Segment::Reply { .. } => String::new(),
        Segment::Forward { .. } | Segment::Node(_) => "[聊天记录]".into(),
        Segment::Json { data, .. } => Card::parse(data).summary(),
        Segment::Xml { .. } => "[XML卡片]".into(),
        Segment::Markdown { content, .. } => content.clone(),
        Segment::Music(m) => match &m.music {
            Music::Custom { title, .. } if !title.is_empty() => format!("[音乐] {title}"),
            _ => "[音乐]".into(),
        },
        Segment::Dice { result, .. } => match result {
            Some(r) => format!("[骰子] {r}"),
            None => "[骰子]".into(),
        },
        Segment::Rps { result, .. } => match result {
            Some(r) => format!("[猜拳] {}", rps_name(*r)),
            None => "[猜拳]".into(),
        },
        Segment::Poke { .. } => "[戳一戳]".into(),
        Segment::Shake { .. } => "[窗口抖动]".into(),
        Segment::Contact { kind, .. } => {
            if kind == "group" {
                "[推荐群聊]".into()
            } else {
                "[推荐联系人]".into()
            }
        }
        Segment::Location(l) => match &l.title {
            Some(t) if !t.is_empty() => format!("[位置] {t}"),
            _ => "[位置]".into(),
        },
        Segment::Share(sh) => format!("[分享] {}", sh.title),
        Segment::OnlineFile { file_name, .. } => format!("[在线文件] {file_name}"),
        Segment::FlashTransfer { .. } => "[闪传]".into(),
        Segment::Unknown { kind, .. } => format!("[{kind}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builder_puts_reply_first_and_merges_text() {
        let c = MessageChain::new().text("a").text("b").at(5).reply(9);
        assert_eq!(
            c.0,
            vec![Segment::reply(9), Segment::text("ab"), Segment::at(5)]
        );
        assert_eq!(c.reply_to(), Some(9));
        assert!(c.mentions(5, false));
    }

    #[test]
    fn plain_text_rendering() {
        let c = MessageChain::new()
            .at(10001)
            .text(" 早")
            .face(14)
            .image("x.png")
            .push(Segment::dice())
            .at_all();
        assert_eq!(c.plain_text(), "@10001 早[微笑][图片][骰子]@全体成员");
        let named = c.plain_text_with(|q| (q == 10001).then(|| "小明".to_string()));
        assert!(named.starts_with("@小明 早"));
    }

    #[test]
    fn accepts_every_message_form() {
        let a: MessageChain =
            serde_json::from_value(json!([{"type":"text","data":{"text":"x"}}])).unwrap();
        let b: MessageChain = serde_json::from_value(json!("x")).unwrap();
        let c: MessageChain =
            serde_json::from_value(json!({"type":"text","data":{"text":"x"}})).unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(3), "3 B");
        assert_eq!(human_size(51441991), "49.1 MB");
    }
}
