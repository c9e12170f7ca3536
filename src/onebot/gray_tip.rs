//! Gray tips (灰字): the small system lines QQ draws between messages. A poke's `raw_info` is a
//! list of tip items; a `notify`/`gray_tip` notice carries its tip as JSON text in `content` (and
//! a copy under `raw_info.json`). Read here into typed items, leniently: a tip that cannot be read
//! is empty, never an error.

use serde_json::Value;

use super::lenient::value_string;

/// What one item of a gray tip is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TipItemKind {
    /// Plain words (`type: "nor"`).
    Plain,
    /// A person (`type: "qq"`): their uid and the name the tip shows (often empty).
    User { uid: String, name: String },
    /// A picture (`type: "img"`), e.g. a poke's animation.
    Image,
    /// Any other type, or none.
    Other,
}

/// One item of a gray tip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipItem {
    pub kind: TipItemKind,
    /// The item's words (`txt`).
    pub text: Option<String>,
}

/// A gray tip: its items in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GrayTip {
    pub items: Vec<TipItem>,
}

impl GrayTip {
    /// Reads a tip from an item array (a poke's `raw_info`), an object with `items`, or JSON text
    /// holding either.
    pub fn from_value(v: &Value) -> GrayTip {
        let items = match v {
            Value::Array(a) => a,
            Value::Object(o) => match o.get("items") {
                Some(Value::Array(a)) => a,
                _ => return GrayTip::default(),
            },
            Value::String(s) => {
                return match serde_json::from_str::<Value>(s) {
                    // Text holding text again is not a tip: do not unwrap without end.
                    Ok(inner) if !inner.is_string() => GrayTip::from_value(&inner),
                    _ => GrayTip::default(),
                };
            }
            _ => return GrayTip::default(),
        };
        GrayTip {
            items: items.iter().filter_map(item).collect(),
        }
    }

    /// The tip of a `gray_tip` notice: its `content`, else the copy in `raw_info.json`.
    pub fn from_notice(content: &str, raw_info: &Value) -> GrayTip {
        let tip = GrayTip::from_value(&Value::String(content.to_string()));
        if !tip.items.is_empty() {
            return tip;
        }
        raw_info
            .get("json")
            .map(GrayTip::from_value)
            .unwrap_or_default()
    }

    /// What the tip says: the words of its items, joined.
    pub fn text(&self) -> String {
        self.items
            .iter()
            .filter_map(|i| i.text.as_deref())
            .collect()
    }

    /// A poke's action and suffix: its first two plain texts (e.g. 戳了戳, 的脸); 戳了戳 when
    /// the tip names no action.
    pub fn poke_action(&self) -> (String, String) {
        let mut plain = self
            .items
            .iter()
            .filter(|i| i.kind == TipItemKind::Plain)
            .filter_map(|i| i.text.as_deref());
        let action = plain.next().unwrap_or("");
        let suffix = plain.next().unwrap_or("");
        let action = if action.is_empty() {
            "戳了戳"
        } else {
            action
        };
        (action.to_string(), suffix.to_string())
    }
}

/// One item, when it is an object.
fn item(v: &Value) -> Option<TipItem> {
    let o = v.as_object()?;
    let field = |k: &str| o.get(k).and_then(value_string).unwrap_or_default();
    let kind = match o.get("type").and_then(Value::as_str) {
        Some("nor") => TipItemKind::Plain,
        Some("qq") => TipItemKind::User {
            uid: field("uid"),
            name: field("nm"),
        },
        Some("img") => TipItemKind::Image,
        _ => TipItemKind::Other,
    };
    Some(TipItem {
        kind,
        text: o.get("txt").and_then(Value::as_str).map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_poke_names_its_action_and_suffix() {
        let raw = json!([
            {"col": "1", "nm": "", "type": "qq", "uid": "u_1"},
            {"type": "img", "src": "http://x/expression.jpg"},
            {"txt": "拍了拍", "type": "nor"},
            {"type": "qq", "uid": "u_2"},
            {"txt": "的脸", "type": "nor"},
        ]);
        let tip = GrayTip::from_value(&raw);
        assert_eq!(tip.poke_action(), ("拍了拍".into(), "的脸".into()));
        assert_eq!(
            tip.items[0].kind,
            TipItemKind::User {
                uid: "u_1".into(),
                name: String::new()
            }
        );
        assert_eq!(
            GrayTip::from_value(&Value::Null).poke_action(),
            ("戳了戳".into(), String::new())
        );
    }

    #[test]
    fn a_json_tip_reads_from_content_or_raw_info() {
        let content = r#"{"align":"center","items":[{"txt":"欢迎 ","type":"nor"},{"txt":"新人","type":"url"}]}"#;
        assert_eq!(
            GrayTip::from_notice(content, &Value::Null).text(),
            "欢迎 新人"
        );
        let raw = json!({"json": {"items": [{"txt": "备用", "type": "nor"}]}});
        assert_eq!(GrayTip::from_notice("", &raw).text(), "备用");
        assert_eq!(GrayTip::from_notice("{oops", &raw).text(), "备用");
    }

    #[test]
    fn broken_tips_are_empty() {
        for v in [
            json!("not json"),
            json!("\"\\\"nested\\\"\""),
            json!({"items": 3}),
            json!([1, "x", null]),
            json!(42),
        ] {
            assert_eq!(GrayTip::from_value(&v).text(), "", "{v}");
        }
    }
}
