//! `upload_file_stream` as NapCat ≥ 4.8.114 answers it: base64 chunks under a client-chosen
//! `stream_id` (`total_chunks` required on the first), one ordinary reply per chunk, and the
//! completing call (`is_complete: true`) answering `{type: "response", status: "file_complete",
//! file_path, file_size, sha256}` once every chunk is there and the SHA-256 matches. The path is
//! what `upload_*_file` and media segments then take as `file`.

use std::collections::BTreeMap;

use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::World;
use super::params::{Params, Reply, failed, malformed};

/// Streams being received, and the files finished ones became (path → size).
#[derive(Debug, Clone, Default)]
pub struct Streams {
    open: BTreeMap<String, Upload>,
    done: BTreeMap<String, u64>,
}

#[derive(Debug, Clone)]
struct Upload {
    total: usize,
    chunks: BTreeMap<usize, Vec<u8>>,
    filename: String,
    expected_sha256: Option<String>,
}

impl Streams {
    /// The size of a file a finished stream left at `path`.
    pub fn file_size(&self, path: &str) -> Option<u64> {
        self.done.get(path).copied()
    }
}

impl World {
    pub(super) fn upload_file_stream(&mut self, p: &Params) -> Reply {
        p.require(&["stream_id"])?;
        let id = p.string("stream_id")?;
        if p.flag("is_complete", false) {
            return self.complete_stream(&id);
        }
        p.require(&["chunk_data", "chunk_index"])?;
        let index = usize::try_from(p.int("chunk_index", 0)?)
            .map_err(|_| malformed("chunk_index", "a chunk number from 0"))?;
        let data = base64::engine::general_purpose::STANDARD
            .decode(p.string("chunk_data")?)
            .map_err(|_| malformed("chunk_data", "base64"))?;
        if !self.streams.open.contains_key(&id) {
            p.require(&["total_chunks"])?;
            let total = usize::try_from(p.int("total_chunks", 0)?)
                .ok()
                .filter(|t| *t > 0)
                .ok_or_else(|| malformed("total_chunks", "a positive number"))?;
            let upload = Upload {
                total,
                chunks: BTreeMap::new(),
                filename: p.opt_string("filename").unwrap_or_else(|| id.clone()),
                expected_sha256: p.opt_string("expected_sha256"),
            };
            self.streams.open.insert(id.clone(), upload);
        }
        let upload = self.streams.open.get_mut(&id).expect("just inserted");
        if index >= upload.total {
            return Err(failed(format!(
                "chunk_index {index} out of range (total_chunks {})",
                upload.total
            )));
        }
        upload.chunks.insert(index, data);
        Ok(Some(json!({
            "type": "stream", "stream_id": id, "status": "chunk_received",
            "received_chunks": upload.chunks.len(), "total_chunks": upload.total,
        })))
    }

    fn complete_stream(&mut self, id: &str) -> Reply {
        let upload = self
            .streams
            .open
            .remove(id)
            .ok_or_else(|| failed(format!("Stream {id} not found")))?;
        if upload.chunks.len() != upload.total {
            let missing = upload.total - upload.chunks.len();
            self.streams.open.insert(id.to_string(), upload);
            return Err(failed(format!("Missing {missing} chunks")));
        }
        let bytes: Vec<u8> = upload.chunks.into_values().flatten().collect();
        let sha = hex(&Sha256::digest(&bytes));
        if let Some(want) = &upload.expected_sha256
            && !want.eq_ignore_ascii_case(&sha)
        {
            return Err(failed(format!(
                "SHA256 mismatch: expected {want}, got {sha}"
            )));
        }
        let path = format!("/app/.config/QQ/NapCat/temp/{id}/{}", upload.filename);
        self.streams.done.insert(path.clone(), bytes.len() as u64);
        Ok(Some(json!({
            "type": "response", "status": "file_complete", "file_path": path,
            "file_size": bytes.len(), "sha256": sha,
        })))
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
