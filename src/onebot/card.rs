//! Ark cards (the `json` segment): shared links, QQ mini-programs, music, contact and group
//! recommendations, the merged-forward card of one's own echo. Read here, once and leniently,
//! into one typed value that drawing, opening (`o`) and copying (`y`) all use.
//!
//! The card's JSON comes from other people's clients: any field may be missing, of another type,
//! huge or malicious. Reading never fails (a card that cannot be read is [`CardKind::Broken`]),
//! URLs are kept only when they are plain web URLs ([`is_web_url`]), and texts are kept as sent —
//! the UI sanitises them when it draws them.

use serde_json::{Map, Value};

use super::lenient::value_string;
use super::link::is_web_url;
use super::segment::Segment;

/// What a card is, from its `app` name and the shape of its `meta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    /// A shared page or article (`com.tencent.tuwen.lua`, `com.tencent.structmsg`, `meta.news`).
    Link,
    /// A QQ mini-program (`com.tencent.miniapp*`, `meta.detail_1`).
    MiniApp,
    /// A shared song (`com.tencent.music.lua`, `meta.music`).
    Music,
    /// A recommended friend or group (`com.tencent.contact.lua`, `com.tencent.troopsharecard`).
    Contact,
    /// A merged forward as its sender sees it (`com.tencent.multimsg`).
    Forward,
    /// A well-formed card of another kind.
    Other,
    /// The segment's text is not a JSON object.
    Broken,
}

/// An ark card read from a `json` segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub kind: CardKind,
    /// QQ's one-line summary, e.g. `[分享]哔哩哔哩` (what chat lists and notifications show).
    pub prompt: Option<String>,
    pub title: Option<String>,
    pub desc: Option<String>,
    /// Where it comes from: the card's `tag` (哔哩哔哩, QQ音乐, 推荐群聊) or `source`.
    pub source: Option<String>,
    /// The page it opens: its `jumpUrl`, `qqdocurl` or `url`, the first that is a web URL.
    pub url: Option<String>,
    /// Its picture, when that is a web URL.
    pub preview: Option<String>,
}

/// Keys naming the page a card opens, most specific first.
const URL_KEYS: [&str; 3] = ["jumpUrl", "qqdocurl", "url"];

impl Card {
    /// The card of a `json` segment; None for other segments.
    pub fn of(seg: &Segment) -> Option<Card> {
        match seg {
            Segment::Json { data, .. } => Some(Card::parse(data)),
            _ => None,
        }
    }

    /// Reads a card from its JSON text (what the `json` segment's `data` holds).
    pub fn parse(data: &str) -> Card {
        let Ok(mut v) = serde_json::from_str::<Value>(data) else {
            return Card::broken();
        };
        // Some senders encode the card twice: a JSON string holding the JSON text.
        if let Value::String(inner) = &v {
            match serde_json::from_str::<Value>(inner) {
                Ok(x) => v = x,
                Err(_) => return Card::broken(),
            }
        }
        let Value::Object(top) = v else {
            return Card::broken();
        };
        // The card's fields sit in the objects under `meta` (`news`, `detail_1`, `music`, …).
        let meta: Vec<&Map<String, Value>> = top
            .get("meta")
            .and_then(Value::as_object)
            .map(|m| m.values().filter_map(Value::as_object).collect())
            .unwrap_or_default();
        let pick = |key: &str| meta.iter().find_map(|o| text(o.get(key)));
        let pick_url = |key: &str| {
            meta.iter()
                .find_map(|o| o.get(key).and_then(Value::as_str).filter(|u| is_web_url(u)))
                .map(str::to_string)
        };
        Card {
            kind: kind_of(&top),
            prompt: text(top.get("prompt")),
            title: pick("title"),
            desc: pick("desc"),
            source: pick("tag").or_else(|| pick("source")),
            url: URL_KEYS.iter().find_map(|k| pick_url(k)),
            preview: pick_url("preview"),
        }
    }

    /// The card of a segment that could not be read.
    fn broken() -> Card {
        Card {
            kind: CardKind::Broken,
            prompt: None,
            title: None,
            desc: None,
            source: None,
            url: None,
            preview: None,
        }
    }

    /// The heading the timeline draws: the title, else the prompt, else a placeholder.
    pub fn heading(&self) -> &str {
        self.title
            .as_deref()
            .or(self.prompt.as_deref())
            .unwrap_or("卡片消息")
    }

    /// The card as one line of plain text (previews, notifications, search, copying): QQ's
    /// prompt, else the title, marked as a card unless the prompt already says what it is.
    pub fn summary(&self) -> String {
        match self.prompt.as_deref().or(self.title.as_deref()) {
            Some(p) if p.starts_with('[') => p.to_string(),
            Some(p) => format!("[卡片] {p}"),
            None => "[卡片]".into(),
        }
    }
}

/// A non-empty text field (numbers are printed, as some cards send them).
fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(value_string).filter(|s| !s.trim().is_empty())
}

fn kind_of(top: &Map<String, Value>) -> CardKind {
    let app = top.get("app").and_then(Value::as_str).unwrap_or("");
    match app {
        "com.tencent.multimsg" => return CardKind::Forward,
        "com.tencent.music.lua" => return CardKind::Music,
        "com.tencent.contact.lua" | "com.tencent.troopsharecard" => return CardKind::Contact,
        a if a.starts_with("com.tencent.miniapp") => return CardKind::MiniApp,
        _ => {}
    }
    let meta = top.get("meta").and_then(Value::as_object);
    let has = |k: &str| meta.is_some_and(|m| m.contains_key(k));
    if has("music") {
        CardKind::Music
    } else if has("detail_1") {
        CardKind::MiniApp
    } else if has("contact") {
        CardKind::Contact
    } else if has("news") {
        CardKind::Link
    } else {
        CardKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_link_card_gives_its_page() {
        let c = Card::parse(
            r#"{"app":"com.tencent.structmsg","prompt":"[分享]哔哩哔哩","meta":{"news":{"title":"哔哩哔哩","desc":"原创 · 科技区","jumpUrl":"https://b23.tv/a1B2c3D","tag":"哔哩哔哩","preview":"https://i0.hdslb.com/x.jpg"}}}"#,
        );
        assert_eq!(c.kind, CardKind::Link);
        assert_eq!(c.heading(), "哔哩哔哩");
        assert_eq!(c.desc.as_deref(), Some("原创 · 科技区"));
        assert_eq!(c.url.as_deref(), Some("https://b23.tv/a1B2c3D"));
        assert_eq!(c.source.as_deref(), Some("哔哩哔哩"));
        assert_eq!(c.preview.as_deref(), Some("https://i0.hdslb.com/x.jpg"));
        assert_eq!(c.summary(), "[分享]哔哩哔哩");
    }

    #[test]
    fn a_mini_program_opens_its_web_page_not_its_app_path() {
        let c = Card::parse(
            &json!({"app": "com.tencent.miniapp_01", "prompt": "[QQ小程序]哔哩哔哩",
                    "meta": {"detail_1": {"title": "哔哩哔哩", "desc": "视频",
                                          "url": "m.q.qq.com/a/s/0123", "qqdocurl": "https://b23.tv/x",
                                          "preview": "pubminishare-30161.picsz.qpic.cn/x.jpg"}}})
            .to_string(),
        );
        assert_eq!(c.kind, CardKind::MiniApp);
        assert_eq!(c.url.as_deref(), Some("https://b23.tv/x"));
        assert_eq!(c.preview, None, "no scheme, no picture");
    }

    #[test]
    fn schemes_other_than_the_web_are_not_links() {
        let c = Card::parse(
            &json!({"prompt": "[链接]邀请你加入群聊",
                    "meta": {"news": {"title": "邀请你加入群聊",
                                      "jumpUrl": "mqqapi://group/invite_join?groupcode=1"}}})
            .to_string(),
        );
        assert_eq!(c.url, None);
        let c = Card::parse(
            &json!({"meta": {"a": {"jumpUrl": "file:///etc/passwd"},
                             "b": {"url": "https://example.com/ok"}}})
            .to_string(),
        );
        assert_eq!(c.url.as_deref(), Some("https://example.com/ok"));
    }

    #[test]
    fn hostile_or_broken_cards_read_as_placeholders() {
        for data in [
            "",
            "not json",
            "[1,2,3]",
            "null",
            "\"also not json\"",
            "{\"meta\": 5}",
            "{\"meta\": {\"news\": [1]}, \"prompt\": {}}",
            "{\"meta\": {\"news\": {\"title\": 42, \"jumpUrl\": 7}}}",
        ] {
            let c = Card::parse(data);
            assert_eq!(c.url, None, "{data:?}");
            assert!(!c.heading().is_empty(), "{data:?}");
            assert!(c.summary().starts_with("[卡片]"), "{data:?}");
        }
        assert_eq!(Card::parse("not json").kind, CardKind::Broken);
        assert_eq!(Card::parse("not json").heading(), "卡片消息");
        assert_eq!(
            Card::parse("{\"meta\": {\"news\": {\"title\": 42}}}").heading(),
            "42"
        );
    }

    #[test]
    fn a_card_encoded_twice_is_read() {
        let inner =
            json!({"prompt": "[分享]x", "meta": {"news": {"jumpUrl": "https://x.example"}}});
        let c = Card::parse(&Value::String(inner.to_string()).to_string());
        assert_eq!(c.url.as_deref(), Some("https://x.example"));
        assert_eq!(c.summary(), "[分享]x");
    }

    #[test]
    fn kinds_follow_the_app() {
        let kind = |v: Value| Card::parse(&v.to_string()).kind;
        assert_eq!(
            kind(json!({"app": "com.tencent.multimsg"})),
            CardKind::Forward
        );
        assert_eq!(
            kind(json!({"app": "com.tencent.troopsharecard"})),
            CardKind::Contact
        );
        assert_eq!(
            kind(json!({"app": "com.tencent.structmsg", "meta": {"music": {}}})),
            CardKind::Music
        );
        assert_eq!(kind(json!({"app": "x"})), CardKind::Other);
    }
}
