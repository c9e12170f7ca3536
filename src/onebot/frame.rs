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
