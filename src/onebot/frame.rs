//! Incoming WebSocket frames: routed to an event or an action reply, or rejected as bad input.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::event::{Event, MessageEvent, Meta, MetaWire, RequestWire};
use super::lenient::{i64_or_zero, string};
use super::notice::NoticeWire;

/// A reply to an action (`{"status","retcode","data","message","wording","echo","stream"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    #[serde(default, deserialize_with = "string")]
    pub status: String,
    #[serde(default, deserialize_with = "i64_or_zero")]
    pub retcode: i64,
    /// Absent and `null` mean the same: NapCat drops the key when a handler returns nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    #[serde(default, deserialize_with = "string")]
    pub message: String,
    #[serde(default, deserialize_with = "string")]
    pub wording: String,
    /// Echo as sent; `""` or `null` when the request carried none or failed before dispatch.
    #[serde(default)]
    pub echo: Value,
    /// `normal-action` or `stream-action` (absent before NapCat 4.8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
}

impl Reply {
    /// True when this frame ends the call (not an intermediate chunk of a stream action).
    pub fn is_final(&self) -> bool {
        match self.stream.as_deref() {
            Some("stream-action") => !matches!(
                self.data
                    .as_ref()
                    .and_then(|d| d.get("type"))
                    .and_then(Value::as_str),
                Some("stream")
            ),
            _ => true,
        }
    }
    /// The echo as a string key, if it is one.
    pub fn echo_key(&self) -> Option<&str> {
        self.echo.as_str().filter(|s| !s.is_empty())
    }
}

/// One incoming frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    Event(Event),
    Reply(Reply),
}

/// Why a frame could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrameError {
    #[error("frame is not JSON: {0}")]
    NotJson(String),
    #[error("frame is JSON but neither an event nor a reply")]
    UnknownShape,
    #[error("{kind} event has the wrong shape: {detail}")]
    BadEvent { kind: &'static str, detail: String },
}

/// Routing keys, read without building the rest of the frame.
#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(borrow, default)]
    post_type: Option<std::borrow::Cow<'a, str>>,
    #[serde(default)]
    retcode: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    echo: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    status: Option<Value>,
}

/// Parses one text frame. Never panics; bad input is an error value.
pub fn parse_frame(text: &str) -> Result<Frame, FrameError> {
    // Messages, most of the frames, parsed once; anything else, or a message frame the typed
    // parse refuses, goes the probing way (which gives the same answer, and the error).
    if let Some("message" | "message_sent") = plain_post_type(text)
        && let Ok(m) = serde_json::from_str::<MessageEvent>(text)
    {
        return Ok(Frame::Event(Event::Message(Box::new(m))));
    }
    probed(text)
}

/// Parses one text frame by its routing keys first (see `Probe`).
fn probed(text: &str) -> Result<Frame, FrameError> {
    let probe: Probe = serde_json::from_str(text).map_err(|e| classify(text, e))?;
    let bad = |kind: &'static str| {
        move |e: serde_json::Error| FrameError::BadEvent {
            kind,
            detail: e.to_string(),
        }
    };
    match probe.post_type.as_deref() {
        Some("message") | Some("message_sent") => {
            let m: MessageEvent = serde_json::from_str(text).map_err(bad("message"))?;
            Ok(Frame::Event(Event::Message(Box::new(m))))
        }
        Some("notice") => {
            let w: NoticeWire = serde_json::from_str(text).map_err(bad("notice"))?;
            let n = w.into_notice(|| serde_json::from_str(text).unwrap_or(Value::Null));
            Ok(Frame::Event(Event::Notice(n)))
        }
        Some("request") => {
            let w: RequestWire = serde_json::from_str(text).map_err(bad("request"))?;
            Ok(Frame::Event(Event::Request(w.into())))
        }
        Some("meta_event") => {
            let w: MetaWire = serde_json::from_str(text).map_err(bad("meta"))?;
            match w.meta_event_type.as_str() {
                "lifecycle" => Ok(Frame::Event(Event::Meta(Meta::Lifecycle {
                    self_id: w.self_id,
                    sub_type: w.sub_type,
                }))),
                "heartbeat" => {
                    let st = w.status.unwrap_or_default();
                    Ok(Frame::Event(Event::Meta(Meta::Heartbeat {
                        self_id: w.self_id,
                        online: st.online,
                        good: st.good,
                        interval_ms: w.interval,
                    })))
                }
                _ => Ok(Frame::Event(Event::Unknown(
                    serde_json::from_str(text).unwrap_or(Value::Null),
                ))),
            }
        }
        Some(_) => Ok(Frame::Event(Event::Unknown(
            serde_json::from_str(text).unwrap_or(Value::Null),
        ))),
        None => {
            // Replies: `retcode` or `echo`, and a string status (a heartbeat's status is an object).
            let status_ok = matches!(probe.status, None | Some(Value::String(_)));
            if (probe.retcode.is_some() || probe.echo.is_some()) && status_ok {
                let r: Reply = serde_json::from_str(text).map_err(|e| FrameError::BadEvent {
                    kind: "reply",
                    detail: e.to_string(),
                })?;
                Ok(Frame::Reply(r))
            } else {
                Err(FrameError::UnknownShape)
            }
        }
    }
}

/// The top-level `post_type` of an object frame, found by a scan of its bytes that builds
/// nothing, when the answer is plain: the value a plain string, `post_type` there once, and no
/// `retcode`, `echo` or `status` beside it (replies and anything unusual: `None`, and the
/// frame goes the probing way). Probing with serde walked every field of a message frame
/// before the typed parse walked them again (a sixth of a message's instructions, callgrind).
fn plain_post_type(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    // A string's contents from its opening quote at `i`: (contents, index after it, escaped).
    let string = |i: usize| -> Option<(&str, usize, bool)> {
        let mut j = i + 1;
        let mut escaped = false;
        while *b.get(j)? != b'"' {
            if b[j] == b'\\' {
                escaped = true;
                j += 1;
            }
            j += 1;
        }
        // Both ends are ASCII quotes: char boundaries.
        Some((&text[i + 1..j], j + 1, escaped))
    };
    let skip_ws = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut i = skip_ws(0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let mut depth = 1usize;
    let mut key_next = true;
    let mut found = None;
    while depth > 0 {
        match *b.get(i)? {
            b'"' => {
                let (s, next, escaped) = string(i)?;
                i = next;
                if depth == 1 && key_next {
                    key_next = false;
                    if escaped {
                        return None;
                    }
                    match s {
                        "post_type" => {
                            i = skip_ws(i);
                            if b.get(i) != Some(&b':') {
                                return None;
                            }
                            i = skip_ws(i + 1);
                            if b.get(i) != Some(&b'"') || found.is_some() {
                                return None;
                            }
                            let (v, next, escaped) = string(i)?;
                            if escaped {
                                return None;
                            }
                            found = Some(v);
                            i = next;
                        }
                        "retcode" | "echo" | "status" => return None,
                        _ => {}
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth -= 1;
                i += 1;
            }
            b',' => {
                key_next = depth == 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    if skip_ws(i) != b.len() {
        return None;
    }
    found
}

fn classify(text: &str, e: serde_json::Error) -> FrameError {
    match e.classify() {
        serde_json::error::Category::Data => {
            // Valid JSON of another shape (an array, a number, …).
            if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
                FrameError::UnknownShape
            } else {
                FrameError::NotJson(e.to_string())
            }
        }
        _ => FrameError::NotJson(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The real payloads: message frames take the one-parse way, and every frame parses as
    /// the probing way parses it.
    #[test]
    fn fixtures_parse_as_probed() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut messages = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(parse_frame(&text), probed(&text), "{}", path.display());
            if matches!(plain_post_type(&text), Some("message" | "message_sent")) {
                messages += 1;
            }
        }
        assert!(
            messages >= 5,
            "only {messages} message fixtures took the short way"
        );
    }

    #[test]
    fn the_scan_reads_only_the_top_level_plain_post_type() {
        let cases: &[(&str, Option<&str>)] = &[
            (r#"{"post_type":"message","x":1}"#, Some("message")),
            (
                r#" { "a" : [1,{"post_type":"notice"}], "post_type" : "message_sent" } "#,
                Some("message_sent"),
            ),
            (r#"{"a":{"post_type":"message"}}"#, None),
            (r#"{"a":"post_type","b":"message"}"#, None),
            (r#"{"post_type":"message","post_type":"message"}"#, None),
            (r#"{"post_type":"message","status":"ok"}"#, None),
            (r#"{"echo":1,"post_type":"message"}"#, None),
            (r#"{"post\u005ftype":"message"}"#, None),
            (r#"{"post_type":"mess\u0061ge"}"#, None),
            (
                r#"{"s":"a\"b,\"post_type\":\"x","post_type":"message"}"#,
                Some("message"),
            ),
            (r#"{"post_type":1}"#, None),
            (r#"{"post_type":"message"} x"#, None),
            (r#"["post_type","message"]"#, None),
            (r#"{"post_type":"message""#, None),
            (r#"{"post_type":"#, None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(plain_post_type(text), *want, "{text}");
        }
    }

    /// Object frames written out by hand, so keys repeat, escapes and nesting appear, and
    /// values are of any kind.
    fn frame_text() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "post_type",
            "message_type",
            "sub_type",
            "message_id",
            "user_id",
            "group_id",
            "self_id",
            "time",
            "message",
            "raw_message",
            "sender",
            "font",
            "retcode",
            "echo",
            "status",
            "data",
            "notice_type",
            r"post\u005ftype",
        ]);
        let value = prop::sample::select(vec![
            r#""message""#,
            r#""message_sent""#,
            r#""notice""#,
            r#""group""#,
            r#""private""#,
            r#""normal""#,
            r#""ok""#,
            r#""mess\u0061ge""#,
            r#""\"post_type\":\"message\"""#,
            "10001",
            "1750000000",
            "-3",
            "null",
            "true",
            "[]",
            r#"[{"type":"text","data":{"text":"你好"}}]"#,
            r#"[{"type":"at","data":{"qq":"10001"}},{"type":"text","data":{"text":" hi"}}]"#,
            r#"{"user_id":10002,"nickname":"甲","card":"","role":"member"}"#,
            r#"{"post_type":"message"}"#,
            "\"[CQ:face,id=1]\"",
            "{",
        ]);
        // Half of them start from a whole message, so the one-parse way is taken often.
        let whole: Vec<(&str, &str)> = vec![
            ("post_type", r#""message""#),
            ("message_type", r#""group""#),
            ("sub_type", r#""normal""#),
            ("time", "1750000000"),
            ("self_id", "10001"),
            ("user_id", "10002"),
            ("group_id", "30001"),
            ("message_id", "7"),
            ("message", r#"[{"type":"text","data":{"text":"你好"}}]"#),
            ("raw_message", r#""你好""#),
            (
                "sender",
                r#"{"user_id":10002,"nickname":"甲","card":"","role":"member"}"#,
            ),
        ];
        let base = prop::bool::ANY.prop_map(move |b| if b { whole.clone() } else { Vec::new() });
        let extra = prop::collection::vec((key, value), 0..6);
        (base, extra, prop::bool::ANY)
            .prop_flat_map(|(mut fields, extra, spaced)| {
                fields.extend(extra);
                Just(fields).prop_shuffle().prop_map(move |f| (f, spaced))
            })
            .prop_map(|(fields, spaced)| {
                let body: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| {
                        if spaced {
                            format!(" \"{k}\" :\n {v} ")
                        } else {
                            format!("\"{k}\":{v}")
                        }
                    })
                    .collect();
                format!("{{{}}}", body.join(","))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn any_frame_parses_as_probed(text in frame_text()) {
            prop_assert_eq!(parse_frame(&text), probed(&text));
        }

        #[test]
        fn a_cut_frame_parses_as_probed(text in frame_text(), cut in 0usize..400) {
            let end = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let text = &text[..end];
            prop_assert_eq!(parse_frame(text), probed(text));
        }
    }
}
