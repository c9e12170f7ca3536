//! The wire layer: NapCat's OneBot 11 dialect — segments, events, actions and the connection.

pub mod api;
pub mod card;
pub mod client;
mod connection;
pub mod cq;
pub mod error;
pub mod event;
pub mod faces;
pub mod frame;
pub mod gray_tip;
pub mod lenient;
pub mod link;
pub mod message;
pub mod notice;
pub mod percent;
pub mod segment;
pub mod stream;
pub mod types;

pub use client::{Client, ClientEvent, ConnState, ConnectOptions, MockCall, Token};
pub use error::{Error, Result};

/// How QQ names someone or something: the first of `names` that is not blank (a remark or card
/// before a nickname), else the number.
pub fn display_name(names: &[&str], number: impl std::fmt::Display) -> String {
    names
        .iter()
        .find(|n| !n.trim().is_empty())
        .map(|n| n.to_string())
        .unwrap_or_else(|| number.to_string())
}
pub use event::{Event, MessageEvent, Meta, Peer, Request, RequestKind, Role, Sender};
pub use frame::{Frame, FrameError, Reply, parse_frame};
pub use message::MessageChain;

/// How long after sending QQ lets you recall your own message, unless you are an owner or an
/// admin of the group (then there is no such limit on it).
pub const RECALL_WINDOW_SECS: i64 = 120;
pub use notice::{Notice, NoticeKind};
pub use percent::percent_encode;
pub use segment::{AtTarget, Music, Segment};
pub use stream::{StreamChunk, StreamDone, StreamFrame, StreamInfo, StreamReplies};
