//! NapCat's stream actions: downloads over the WebSocket (several frames per call, read from a
//! `StreamReplies`) and `upload_file_stream` (one frame per chunk call).

use base64::Engine;
use serde_json::json;

use super::super::client::Client;
use super::super::error::Result;
use super::super::stream::{StreamDone, StreamFrame, StreamReplies};
use super::{RecordFormat, put_opt, unexpected};

/// NapCat's default chunk size for downloads (64 KiB).
pub const DOWNLOAD_CHUNK: u32 = 64 * 1024;

/// The fixed parts of one upload by `upload_file_stream`, sent with every chunk (NapCat reads
/// `total_chunks`, `file_size`, `expected_sha256`, `filename` and `file_retention` when the
/// stream opens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamUpload {
    /// Chosen by the client, unique per upload.
    pub stream_id: String,
    pub total_chunks: u64,
    pub file_size: u64,
    /// Lower-case hex; NapCat refuses to complete a stream whose bytes do not match it.
    pub expected_sha256: String,
    pub filename: String,
    /// How long NapCat keeps the finished file, in ms (0 keeps it; NapCat's default is 300000).
    pub file_retention_ms: u64,
}

impl Client {
    /// Streams a file NapCat can resolve (a segment's `file` token, a group file id or a file
    /// name — not a URL or a path) over the WebSocket (`download_file_stream`).
    pub fn download_file_stream(&self, file: &str, chunk_size: u32) -> StreamReplies {
        let p = json!({ "file": file, "chunk_size": chunk_size.max(1) });
        self.call_stream("download_file_stream", p, self.media_timeout)
    }

    /// Like `download_file_stream` for a picture; its `file_info` carries width and height
    /// (`download_file_image_stream`, NapCat ≥ 4.8.120).
    pub fn download_file_image_stream(&self, file: &str, chunk_size: u32) -> StreamReplies {
        let p = json!({ "file": file, "chunk_size": chunk_size.max(1) });
        self.call_stream("download_file_image_stream", p, self.media_timeout)
    }

    /// Streams a voice message converted to `out_format` (`download_file_record_stream`).
    pub fn download_file_record_stream(
        &self,
        file: &str,
        out_format: Option<RecordFormat>,
        chunk_size: u32,
    ) -> StreamReplies {
        let mut p = json!({ "file": file, "chunk_size": chunk_size.max(1) });
        put_opt(&mut p, "out_format", out_format.map(RecordFormat::as_str));
        self.call_stream("download_file_record_stream", p, self.media_timeout)
    }

    /// Sends chunk `index` of an upload (`upload_file_stream`); returns how many chunks NapCat
    /// holds now.
    pub async fn upload_file_stream_chunk(
        &self,
        upload: &StreamUpload,
        index: u64,
        bytes: &[u8],
    ) -> Result<u64> {
        const A: &str = "upload_file_stream";
        let p = json!({
            "stream_id": upload.stream_id,
            "chunk_data": base64::engine::general_purpose::STANDARD.encode(bytes),
            "chunk_index": index,
            "total_chunks": upload.total_chunks,
            "file_size": upload.file_size,
            "expected_sha256": upload.expected_sha256,
            "filename": upload.filename,
            "file_retention": upload.file_retention_ms,
        });
        let data = self.call_first_frame(A, p, self.media_timeout).await?;
        match StreamFrame::read(A, data)? {
            StreamFrame::Received {
                received_chunks, ..
            } => Ok(received_chunks),
            other => Err(unexpected(A, format!("not a chunk receipt: {other:?}"))),
        }
    }

    /// Completes an upload (`upload_file_stream` with `is_complete`): NapCat joins the chunks,
    /// checks the SHA-256 and answers with the file's path on its host.
    pub async fn upload_file_stream_complete(&self, upload: &StreamUpload) -> Result<StreamDone> {
        const A: &str = "upload_file_stream";
        let p = json!({
            "stream_id": upload.stream_id,
            "is_complete": true,
            "total_chunks": upload.total_chunks,
            "file_size": upload.file_size,
            "expected_sha256": upload.expected_sha256,
            "filename": upload.filename,
            "file_retention": upload.file_retention_ms,
        });
        let data = self.call_first_frame(A, p, self.media_timeout).await?;
        match StreamFrame::read(A, data)? {
            StreamFrame::Done(done) if done.file_path.as_deref().is_some_and(|p| !p.is_empty()) => {
                Ok(done)
            }
            other => Err(unexpected(A, format!("no file_path in {other:?}"))),
        }
    }
}
