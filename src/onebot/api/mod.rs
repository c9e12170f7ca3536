//! The typed API: an async method on `Client` for every method of NcatBot's API (the seed list),
//! under NcatBot's names, sending NapCat's action names and parameters.
//!
//! Where NcatBot puts something else on the wire than NapCat reads (`eventType`, an inverted
//! `cache`, group forwards sent to the private action, a user id used as a request flag, …) these
//! methods send what NapCat reads. Ids are `i64` and go out as JSON numbers. Arguments NapCat
//! ignores are left out of the signatures; each method says so where that happens.
//!
//! Results are typed (`super::types`); `serde_json::Value` is returned only for raw QQNT objects
//! whose shape changes between QQ builds. A `data` that does not fit the type becomes
//! `Error::UnexpectedReply`, and methods with nothing to return accept any `data`, absent included.
//! Calls that upload or download media use the long media timeout (`Client::call_media`).

mod group_files;
mod groups;
mod messages;
mod sending;
mod streams;
mod system;
mod users;

pub use groups::NoticeOptions;
pub use messages::RecordFormat;
pub use sending::{PostFile, PostOptions};
pub use streams::{DOWNLOAD_CHUNK, StreamUpload};
pub use system::{DownloadSource, QuickOperation};
pub use users::OnlineStatus;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{Error, Result};
use super::message::MessageChain;
use super::segment::Segment;

fn unexpected(action: &str, detail: impl std::fmt::Display) -> Error {
    Error::UnexpectedReply {
        action: action.to_string(),
        detail: detail.to_string(),
    }
}

/// Reads an object reply as `T`; anything else (serde would also take an array for a struct)
/// is `UnexpectedReply`, never a panic.
fn decode<T: DeserializeOwned>(action: &str, data: Value) -> Result<T> {
    if !data.is_object() {
        return Err(unexpected(
            action,
            format!("expected an object, got {}", kind(&data)),
        ));
    }
    serde_json::from_value(data).map_err(|e| unexpected(action, e))
}

/// Reads a list reply; `null` counts as empty (Go servers send nil slices that way).
fn decode_list<T: DeserializeOwned>(action: &str, data: Value) -> Result<Vec<T>> {
    match data {
        Value::Null => Ok(Vec::new()),
        Value::Array(_) => serde_json::from_value(data).map_err(|e| unexpected(action, e)),
        other => Err(unexpected(
            action,
            format!("expected a list, got {}", kind(&other)),
        )),
    }
}

/// Reads a reply whose `data` is a bare string.
fn decode_string(action: &str, data: Value) -> Result<String> {
    match data {
        Value::String(s) => Ok(s),
        other => Err(unexpected(
            action,
            format!("expected a string, got {}", kind(&other)),
        )),
    }
}

/// The JSON kind of a value, for error details (never the value: it may hold cookies).
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The wire form of a chain (a segment array).
fn chain_json(action: &str, chain: &MessageChain) -> Result<Value> {
    serde_json::to_value(chain).map_err(|e| Error::BadParams {
        action: action.to_string(),
        message: format!("message cannot be encoded: {e}"),
    })
}

/// True when sending these segments makes NapCat upload something (long timeout).
fn has_media(segments: &[Segment]) -> bool {
    segments.iter().any(|s| match s {
        Segment::Image(_) | Segment::Record(_) | Segment::Video(_) | Segment::File(_) => true,
        Segment::Node(n) => n.content.as_ref().is_some_and(|c| has_media(c.segments())),
        _ => false,
    })
}

/// Puts `key: value` into a params object when the value is present.
fn put_opt(params: &mut Value, key: &str, value: Option<impl Into<Value>>) {
    if let (Value::Object(map), Some(v)) = (params, value) {
        map.insert(key.to_string(), v.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mismatched_data_is_an_error_value() {
        let r: Result<super::super::types::LoginInfo> = decode("get_login_info", json!([1, 2]));
        assert!(
            matches!(r, Err(Error::UnexpectedReply { action, .. }) if action == "get_login_info")
        );
        let empty: Vec<super::super::types::Friend> = decode_list("x", Value::Null).unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn media_is_found_inside_forward_nodes() {
        let inner = MessageChain::new().image("base64://AA==");
        assert!(has_media(&[Segment::node_custom(1, "n", inner)]));
        assert!(!has_media(&[Segment::text("x"), Segment::face(14)]));
    }
}
