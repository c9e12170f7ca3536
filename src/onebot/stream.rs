//! NapCat's stream actions, typed: several reply frames under one echo (`"stream":
//! "stream-action"`), read one at a time from a [`StreamReplies`].
//!
//! Downloads (`download_file_stream`, `download_file_image_stream`,
//! `download_file_record_stream`) send a `file_info` frame, then `file_chunk` frames with base64
//! data, then a final `{type: "response", data_type: "file_complete"}`. A failure is a frame with
//! `status: "failed"` (`data: {type: "error"}`), which ends the stream as an `Err`. Uploads
//! (`upload_file_stream`) answer each call with one frame: a receipt (`chunk_received`) or, for
//! the completing call, `{type: "response", status: "file_complete", file_path, sha256}`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use serde_json::Value;
use tokio::sync::{Notify, mpsc};

use super::error::{Error, Result};

/// Stream frames handed on and not yet read, across a connection's streams: when readers fall
/// this far behind, the connection stops reading the socket until they catch up (memory stays
/// bounded however fast NapCat sends and however slow the disk is).
#[derive(Debug, Default)]
pub(crate) struct Backlog {
    queued: AtomicUsize,
    room: Notify,
}

impl Backlog {
    /// Frames (about 90 KB each at NapCat's 64 KiB chunks) queued before the socket waits.
    pub(crate) const LIMIT: usize = 32;

    /// One more frame queued (counted before it is sent, so a read never comes first).
    pub(crate) fn add(&self) {
        self.queued.fetch_add(1, Ordering::AcqRel);
    }

    /// One frame read (or dropped unread).
    pub(crate) fn take(&self) {
        let before = self.queued.fetch_sub(1, Ordering::AcqRel);
        if before <= Self::LIMIT {
            self.room.notify_one();
        }
    }

    pub(crate) fn full(&self) -> bool {
        self.queued.load(Ordering::Acquire) >= Self::LIMIT
    }

    /// Resolves when a reader took a frame.
    pub(crate) async fn room(&self) {
        self.room.notified().await
    }
}

/// The frames of one stream call, in order. `next` gives `None` once the final frame or an
/// error has been taken; dropping it abandons the call.
#[derive(Debug)]
pub struct StreamReplies {
    action: String,
    rx: mpsc::UnboundedReceiver<Result<Value>>,
    done: bool,
    /// The connection's count of frames queued (None for the mock client).
    backlog: Option<Arc<Backlog>>,
}

impl Drop for StreamReplies {
    fn drop(&mut self) {
        // Frames queued and never read no longer hold the socket back.
        self.rx.close();
        while self.rx.try_recv().is_ok() {
            if let Some(b) = &self.backlog {
                b.take();
            }
        }
    }
}

impl StreamReplies {
    pub(crate) fn new(
        action: &str,
        rx: mpsc::UnboundedReceiver<Result<Value>>,
        backlog: Option<Arc<Backlog>>,
    ) -> StreamReplies {
        StreamReplies {
            action: action.to_string(),
            rx,
            done: false,
            backlog,
        }
    }

    /// The action this stream answers.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The next frame, typed. An error (the server's failure, a timeout between frames, the
    /// connection lost, a frame of the wrong shape) ends the stream.
    pub async fn next(&mut self) -> Option<Result<StreamFrame>> {
        if self.done {
            return None;
        }
        let Some(result) = self.rx.recv().await else {
            self.done = true;
            return None;
        };
        if let Some(b) = &self.backlog {
            b.take();
        }
        let frame = result.and_then(|data| StreamFrame::read(&self.action, data));
        if matches!(frame, Err(_) | Ok(StreamFrame::Done(_))) {
            self.done = true;
        }
        Some(frame)
    }
}

/// What NapCat announces before the chunks (`data_type: "file_info"`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StreamInfo {
    pub file_name: String,
    /// The size NapCat announced (0 when it did not know).
    pub file_size: u64,
    pub chunk_size: u64,
    /// Pictures (`download_file_image_stream`).
    pub width: Option<u64>,
    pub height: Option<u64>,
    /// Voice (`download_file_record_stream`): the format the audio was converted to.
    pub out_format: Option<String>,
}

/// One chunk of a download, decoded (`data_type: "file_chunk"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamChunk {
    pub index: u64,
    pub data: Vec<u8>,
    /// Percent done as NapCat counts it.
    pub progress: Option<u64>,
}

/// The final frame (`type: "response"`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StreamDone {
    /// Downloads: how many chunks and bytes NapCat sent.
    pub total_chunks: u64,
    pub total_bytes: u64,
    /// Uploads: where the file now is on NapCat's host (pass it on as `file`), its size and
    /// SHA-256 (hex) as NapCat computed them.
    pub file_path: Option<String>,
    pub file_size: Option<u64>,
    pub sha256: Option<String>,
}

/// One frame of a stream action.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamFrame {
    Info(StreamInfo),
    Chunk(StreamChunk),
    /// An upload's receipt for a chunk (`status: "chunk_received"` or `"file_created"`).
    Received {
        received_chunks: u64,
        total_chunks: u64,
    },
    /// The final frame.
    Done(StreamDone),
    /// Any other intermediate frame (`test_download_stream`'s `data_chunk`), as sent.
    Other(Value),
}

impl StreamFrame {
    /// Reads one frame's `data`. A chunk whose data is not base64, or a frame that is not an
    /// object, is `Error::UnexpectedReply`.
    pub fn read(action: &str, data: Value) -> Result<StreamFrame> {
        let unexpected = |detail: &str| Error::UnexpectedReply {
            action: action.to_string(),
            detail: detail.to_string(),
        };
        let Value::Object(map) = &data else {
            return Err(unexpected("a stream frame that is not an object"));
        };
        let text = |key: &str| map.get(key).and_then(Value::as_str).unwrap_or_default();
        let number = |key: &str| map.get(key).and_then(lenient_u64);
        let kind = text("type");
        let data_type = text("data_type");
        if kind == "response" {
            return Ok(StreamFrame::Done(StreamDone {
                total_chunks: number("total_chunks").unwrap_or(0),
                total_bytes: number("total_bytes").unwrap_or(0),
                file_path: map
                    .get("file_path")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                file_size: number("file_size"),
                sha256: map
                    .get("sha256")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }));
        }
        if kind == "error" {
            return Err(Error::ActionFailed {
                action: action.to_string(),
                retcode: 0,
                message: "the stream reported an error".into(),
            });
        }
        match data_type {
            "file_info" => Ok(StreamFrame::Info(StreamInfo {
                file_name: text("file_name").to_string(),
                file_size: number("file_size").unwrap_or(0),
                chunk_size: number("chunk_size").unwrap_or(0),
                width: number("width"),
                height: number("height"),
                out_format: map
                    .get("out_format")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })),
            "file_chunk" => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(text("data"))
                    .map_err(|_| unexpected("a chunk whose data is not base64"))?;
                if let Some(size) = number("size")
                    && size != bytes.len() as u64
                {
                    return Err(unexpected("a chunk whose size does not match its data"));
                }
                Ok(StreamFrame::Chunk(StreamChunk {
                    index: number("index").unwrap_or(0),
                    data: bytes,
                    progress: number("progress"),
                }))
            }
            _ => match text("status") {
                "chunk_received" | "file_created" => Ok(StreamFrame::Received {
                    received_chunks: number("received_chunks").unwrap_or(0),
                    total_chunks: number("total_chunks").unwrap_or(0),
                }),
                _ => Ok(StreamFrame::Other(data)),
            },
        }
    }
}

/// A count as NapCat may send it: a number or a numeric string.
fn lenient_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn download_frames_read_as_napcat_sends_them() {
        let info = json!({"type": "stream", "data_type": "file_info", "file_name": "a.txt",
            "file_size": 3, "chunk_size": 65536});
        assert_eq!(
            StreamFrame::read("download_file_stream", info).unwrap(),
            StreamFrame::Info(StreamInfo {
                file_name: "a.txt".into(),
                file_size: 3,
                chunk_size: 65536,
                ..Default::default()
            })
        );
        let chunk = json!({"type": "stream", "data_type": "file_chunk", "index": 0,
            "data": "YWJj", "size": 3, "progress": 100, "base64_size": 4});
        assert_eq!(
            StreamFrame::read("download_file_stream", chunk).unwrap(),
            StreamFrame::Chunk(StreamChunk {
                index: 0,
                data: b"abc".to_vec(),
                progress: Some(100)
            })
        );
        let done = json!({"type": "response", "data_type": "file_complete", "total_chunks": 1,
            "total_bytes": 3, "message": "Download completed"});
        assert!(matches!(
            StreamFrame::read("download_file_stream", done).unwrap(),
            StreamFrame::Done(StreamDone {
                total_chunks: 1,
                total_bytes: 3,
                ..
            })
        ));
    }

    #[test]
    fn upload_receipts_and_completion_read() {
        let r = json!({"type": "stream", "stream_id": "s", "status": "chunk_received",
            "received_chunks": 2, "total_chunks": 5});
        assert_eq!(
            StreamFrame::read("upload_file_stream", r).unwrap(),
            StreamFrame::Received {
                received_chunks: 2,
                total_chunks: 5
            }
        );
        let c = json!({"type": "response", "status": "file_complete", "file_path": "/tmp/x",
            "file_size": 9, "sha256": "ab"});
        let StreamFrame::Done(done) = StreamFrame::read("upload_file_stream", c).unwrap() else {
            panic!("not done")
        };
        assert_eq!(done.file_path.as_deref(), Some("/tmp/x"));
        assert_eq!(done.file_size, Some(9));
    }

    #[test]
    fn bad_frames_are_errors_never_panics() {
        for bad in [
            json!([1, 2]),
            json!("x"),
            json!({"type": "stream", "data_type": "file_chunk", "data": "@@@"}),
            json!({"type": "stream", "data_type": "file_chunk", "data": "YWJj", "size": 99}),
            json!({"type": "error", "data_type": "error"}),
        ] {
            assert!(StreamFrame::read("download_file_stream", bad).is_err());
        }
        // The docs' test frame is kept as it is.
        let other = json!({"type": "stream", "data": "Index-> 1", "data_type": "data_chunk"});
        assert!(matches!(
            StreamFrame::read("test_download_stream", other),
            Ok(StreamFrame::Other(_))
        ));
    }
}
