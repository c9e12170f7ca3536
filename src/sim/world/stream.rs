//! `upload_file_stream` as NapCat ≥ 4.8.114 answers it: base64 chunks under a client-chosen
//! `stream_id` (`total_chunks` required on the first), one ordinary reply per chunk, and the
//! completing call (`is_complete: true`) answering `{type: "response", status: "file_complete",
//! file_path, file_size, sha256}` once every chunk is there and the SHA-256 matches. The path is
//! what `upload_*_file` and media segments then take as `file`.
//!
//! And the downloads (`download_file_stream`, `download_file_image_stream`,
//! `download_file_record_stream`): [`World::stream_download`] resolves what is asked for as
//! NapCat does (a media token, a group file id, a file name) to its bytes; the server sends them
//! as NapCat's frames (`file_info`, `file_chunk`…, `file_complete`).

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::World;
use super::blobs::blob_key;
use super::params::{Params, Reply, failed, malformed};

/// What a download stream sends: the `file_info` and the bytes.
#[derive(Debug, Clone)]
pub struct Download {
    pub file_name: String,
    /// What NapCat announces (the file's recorded size, which may differ from the bytes).
    pub file_size: u64,
    pub bytes: Arc<[u8]>,
    /// Pictures: from a PNG's header.
    pub width: Option<u64>,
    pub height: Option<u64>,
    pub out_format: Option<String>,
}

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
        let size = bytes.len();
        self.put_blob(&path, bytes);
        Ok(Some(json!({
            "type": "response", "status": "file_complete", "file_path": path,
            "file_size": size, "sha256": sha,
        })))
    }

    /// Resolves a download stream's `file` (or `file_id`) as NapCat does — a media token, a
    /// group file id, else a file name — to its bytes. NapCat's failure text otherwise.
    pub fn stream_download(&self, action: &str, params: &Value) -> Result<Download, String> {
        let p = Params::new(params);
        let file = p
            .opt_string("file")
            .filter(|f| !f.is_empty())
            .or_else(|| p.opt_string("file_id"))
            .unwrap_or_default();
        let not_found = || "Download failed: file not found".to_string();
        if file.trim().is_empty() {
            return Err(not_found());
        }
        let files = || self.groups.iter().flat_map(|g| g.files.iter());
        let (name, size, key) = if let Some(m) = self.store.media(&file) {
            (m.name.clone(), m.size, file.clone())
        } else if let Some(f) = files().find(|f| blob_key(&f.file_id) == blob_key(&file)) {
            (f.name.clone(), f.size.max(0) as u64, f.file_id.clone())
        } else if let Some(f) = files().find(|f| f.name == file) {
            (f.name.clone(), f.size.max(0) as u64, f.file_id.clone())
        } else if self.streams.file_size(&file).is_some() {
            let name = file.rsplit('/').next().unwrap_or_default().to_string();
            (
                name,
                self.streams.file_size(&file).unwrap_or(0),
                file.clone(),
            )
        } else {
            return Err(not_found());
        };
        let bytes = self.blob(&key).ok_or_else(not_found)?;
        let (width, height) = match png_size(&bytes) {
            Some((w, h)) if action == "download_file_image_stream" => (Some(w), Some(h)),
            _ => (None, None),
        };
        let out_format = (action == "download_file_record_stream")
            .then(|| p.opt_string("out_format").unwrap_or_else(|| "mp3".into()));
        Ok(Download {
            file_name: name,
            file_size: if size == 0 { bytes.len() as u64 } else { size },
            bytes,
            width,
            height,
            out_format,
        })
    }
}

/// A PNG's width and height, from its header.
fn png_size(bytes: &[u8]) -> Option<(u64, u64)> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.get(12..16) != Some(b"IHDR") {
        return None;
    }
    let word = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as u64)
    };
    Some((word(16)?, word(20)?))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
