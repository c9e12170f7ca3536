//! CQ codes: the string `message_format` (`text[CQ:face,id=14]text`), parsed into segments and back.
//!
//! Escaping: in text `&`→`&amp;`, `[`→`&#91;`, `]`→`&#93;`; inside parameter values also `,`→`&#44;`.
//! A `[CQ:` that is not a well-formed code stays literal text: nothing the peer typed is lost.

use serde_json::{Map, Value};

use super::segment::Segment;

/// Parses a CQ string into segments. Never fails: malformed codes are kept as text.
pub fn parse(input: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = input;
    while let Some(pos) = rest.find("[CQ:") {
        let (before, tail) = rest.split_at(pos);
        text.push_str(&unescape(before, false));
        match parse_code(tail) {
            Some((seg, used)) => {
                if !text.is_empty() {
                    out.push(Segment::text(std::mem::take(&mut text)));
                }
                out.push(seg);
                rest = &tail[used..];
            }
            None => {
                // Not a code: keep "[CQ:" literally and carry on after it.
                text.push_str("[CQ:");
                rest = &tail[4..];
            }
        }
    }
    text.push_str(&unescape(rest, false));
    if !text.is_empty() {
        out.push(Segment::text(text));
    }
    out
}

/// Parses one `[CQ:type,k=v,…]` at the start of `s`; returns the segment and the bytes used.
fn parse_code(s: &str) -> Option<(Segment, usize)> {
    let body_start = 4;
    let end = s.find(']')?;
    let body = &s[body_start..end];
    // A nested '[' means this is not a well-formed code (values escape brackets).
    if body.contains('[') {
        return None;
    }
    let mut parts = body.split(',');
    let kind = parts.next()?.trim();
    if kind.is_empty()
        || !kind
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        return None;
    }
    let mut data = Map::new();
    for p in parts {
        if p.is_empty() {
            continue;
        }
        let (k, v) = p.split_once('=')?;
        if k.is_empty() {
            return None;
        }
        data.insert(k.to_string(), Value::String(unescape(v, true)));
    }
    Some((Segment::from_parts(kind, data), end + 1))
}

fn unescape(s: &str, in_value: bool) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = s.replace("&#91;", "[").replace("&#93;", "]");
    if in_value {
        out = out.replace("&#44;", ",");
    }
    out.replace("&amp;", "&")
}

/// Escapes text outside codes.
pub fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('[', "&#91;")
        .replace(']', "&#93;")
}

/// Escapes a parameter value inside a code.
pub fn escape_value(s: &str) -> String {
    escape_text(s).replace(',', "&#44;")
}

/// Encodes segments as a CQ string (the form of `raw_message`).
pub fn encode(segments: &[Segment]) -> String {
    let mut out = String::new();
    for seg in segments {
        if let Segment::Text { text } = seg {
            out.push_str(&escape_text(text));
            continue;
        }
        let (kind, data) = seg.to_parts();
        out.push_str("[CQ:");
        out.push_str(kind);
        for (k, v) in &data {
            out.push(',');
            out.push_str(k);
            out.push('=');
            let s = match v {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            out.push_str(&escape_value(&s));
        }
        out.push(']');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onebot::segment::AtTarget;

    #[test]
    fn parses_text_and_codes() {
        let segs = parse("你好[CQ:face,id=14]世界[CQ:at,qq=all]");
        assert_eq!(
            segs,
            vec![
                Segment::text("你好"),
                Segment::face(14),
                Segment::text("世界"),
                Segment::at_all()
            ]
        );
    }

    #[test]
    fn unescapes_text_and_values() {
        let segs = parse("a&#91;b&#93;&amp;c[CQ:json,data={\"a\":1&#44;\"b\":\"&#91;x&#93;\"}]");
        assert_eq!(segs[0], Segment::text("a[b]&c"));
        assert_eq!(segs[1], Segment::json("{\"a\":1,\"b\":\"[x]\"}"));
    }

    #[test]
    fn malformed_codes_stay_text() {
        for s in [
            "[CQ:",
            "[CQ:face,id=14",
            "[CQ:]",
            "x [CQ:,a=b] y",
            "[CQ:face,novalue]",
            "[CQ:a b]",
            "[CQ:[CQ:face,id=1]",
        ] {
            let segs = parse(s);
            let text: String = segs
                .iter()
                .map(|seg| match seg {
                    Segment::Text { text } => text.clone(),
                    other => format!("<{}>", other.kind()),
                })
                .collect();
            assert!(
                text.contains("[CQ:"),
                "{s:?} lost its literal text: {segs:?}"
            );
        }
        // The well-formed code after a broken one is still recognised.
        let segs = parse("[CQ:[CQ:face,id=1]");
        assert_eq!(segs.last(), Some(&Segment::face(1)));
    }

    #[test]
    fn encode_round_trips() {
        let segs = vec![
            Segment::text("[hi], & bye"),
            Segment::at(10001),
            Segment::json("{\"a\":[1,2]}"),
            Segment::reply(5),
        ];
        let s = encode(&segs);
        assert_eq!(parse(&s), segs);
        assert!(s.starts_with("&#91;hi&#93;, &amp; bye[CQ:at,qq=10001]"));
    }

    #[test]
    fn at_numbers_from_cq_strings() {
        match &parse("[CQ:at,qq=123]")[0] {
            Segment::At { target, .. } => assert_eq!(*target, AtTarget::User(123)),
            other => panic!("{other:?}"),
        }
    }
}
