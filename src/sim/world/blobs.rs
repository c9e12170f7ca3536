//! Bytes behind the world's files, pictures, voices and videos, and the links to them in
//! NapCat's shapes. The simulator's loopback HTTP server (`sim::http`) serves them; without one
//! (a world on its own, in unit tests) the links point at QQ's hosts as NapCat's do.
//!
//! - files: `{base}/ftn_handler/{key}/?fname={name}` (what `get_group_file_url` and
//!   `get_private_file_url` return);
//! - media: `{base}/download?appid={appid}&fileid={key}&rkey={rkey}&spec=0` (image, voice and
//!   video segments' `url`; 1406/1407 pictures, 1402 voice, 1413/1415 video). The `rkey`
//!   expires when [`World::expire_rkeys`] is called: old links then answer HTTP 400 with
//!   `{"retcode":-5503007,…}` and `get_msg` hands out links with the fresh one.

use crate::onebot::percent_encode;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::World;

/// The most bytes made up for a file without bytes of its own.
pub const GENERATED_MAX: u64 = 64 * 1024 * 1024;

/// Bytes that differ at every offset, the same for the same key.
pub fn made_bytes(key: &str, len: usize) -> Vec<u8> {
    let mut x = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    }) | 1;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// The link-making part of the world, apart from its store.
struct Links {
    base: Option<String>,
    rkey: String,
}

impl Links {
    fn media(&self, base: &str, appid: u32, token: &str) -> String {
        format!(
            "{base}/download?appid={appid}&fileid={}&rkey={}&spec=0",
            percent_encode(&blob_key(token)),
            self.rkey
        )
    }

    /// Points a media segment's link at the simulator's server.
    fn localize(&self, seg: &mut crate::onebot::Segment) {
        use crate::onebot::Segment;
        let Some(base) = &self.base else {
            return;
        };
        match seg {
            Segment::Image(i) if i.url.is_some() && !i.file.is_empty() => {
                i.url = Some(self.media(base, 1407, &i.file));
            }
            Segment::Record(r) if r.url.is_some() && !r.file.is_empty() => {
                r.url = Some(self.media(base, 1402, &r.file));
            }
            Segment::Video(v) if v.url.is_some() && !v.file.is_empty() => {
                v.url = Some(self.media(base, 1415, &v.file));
            }
            _ => {}
        }
    }
}

/// Registered bytes, keyed by [`blob_key`].
#[derive(Debug, Clone, Default)]
pub struct Blobs {
    map: BTreeMap<String, Arc<[u8]>>,
    /// Bumped by `expire_rkeys`.
    generation: u64,
    /// `http://127.0.0.1:PORT` of the simulator's HTTP server, when one runs.
    base: Option<String>,
}

/// The key bytes are filed under: a file id or token without its leading `/` and dashes (the
/// way QQ's file links spell a file id).
pub fn blob_key(id: &str) -> String {
    id.trim().trim_start_matches('/').replace('-', "")
}

impl World {
    /// Where the simulator's HTTP server listens (`http://127.0.0.1:PORT`); links made from
    /// now on point there.
    pub fn set_http_base(&mut self, base: &str) {
        self.blobs.base = Some(base.trim_end_matches('/').to_string());
        // The history was made before there was a server: its pictures move onto it (with
        // the gallery's bytes), then every other media link.
        let mut store = std::mem::take(&mut self.store);
        store.each_event_mut(|ev| {
            self.serve_pictures(&mut ev.message);
            ev.raw_message = ev.message.to_cq();
        });
        self.store = store;
        let world = self.clone_links();
        self.store.rewrite_segments(|s| world.localize(s));
    }

    /// Whether links point at the simulator's own HTTP server.
    pub fn serves_http(&self) -> bool {
        self.blobs.base.is_some()
    }

    /// What `localize` needs, apart from the store it rewrites.
    fn clone_links(&self) -> Links {
        Links {
            base: self.blobs.base.clone(),
            rkey: self.rkey(),
        }
    }

    /// Points a new message's media links at the simulator's HTTP server (when one runs).
    pub(super) fn localize_chain(&self, chain: &mut crate::onebot::MessageChain) {
        let links = self.clone_links();
        chain.0.iter_mut().for_each(|s| links.localize(s));
    }

    /// Files `bytes` under `id` (a file id such as `/uuid`, or a media token); replaces what
    /// was there.
    pub fn put_blob(&mut self, id: &str, bytes: impl Into<Arc<[u8]>>) {
        self.blobs.map.insert(blob_key(id), bytes.into());
    }

    /// The bytes filed under `id` with `put_blob`, and no made-up ones.
    pub fn filed_blob(&self, id: &str) -> Option<Arc<[u8]>> {
        self.blobs.map.get(&blob_key(id)).cloned()
    }

    /// The bytes filed under `id` (either spelling of a file id). A file or media token of
    /// the world without bytes of its own gets bytes made from its key, as many as announced
    /// (at most [`GENERATED_MAX`]).
    pub fn blob(&self, id: &str) -> Option<Arc<[u8]>> {
        let key = blob_key(id);
        if let Some(bytes) = self.blobs.map.get(&key) {
            return Some(bytes.clone());
        }
        let size = self
            .store
            .media_entries()
            .find(|(token, _)| blob_key(token) == key)
            .map(|(_, m)| m.size)
            .or_else(|| {
                self.groups
                    .iter()
                    .flat_map(|g| g.files.iter())
                    .find(|f| blob_key(&f.file_id) == key)
                    .map(|f| f.size.max(0) as u64)
            })?;
        let size = if size == 0 { 4096 } else { size };
        (size <= GENERATED_MAX).then(|| made_bytes(&key, size as usize).into())
    }

    /// The current rkey of media links.
    pub fn rkey(&self) -> String {
        format!("CAQSKAB6JWENi5LMsim{:04}", self.blobs.generation)
    }

    /// Expires every media link handed out so far (their `rkey`), as QQ does after a while.
    pub fn expire_rkeys(&mut self) {
        self.blobs.generation += 1;
    }

    /// A file's download link, as `get_group_file_url` / `get_private_file_url` answer.
    pub fn file_url(&self, id: &str, name: &str) -> String {
        let base = self
            .blobs
            .base
            .clone()
            .unwrap_or_else(|| "https://njc-download.ftn.qq.com".into());
        format!(
            "{base}/ftn_handler/{}/?fname={}",
            percent_encode(&blob_key(id)),
            percent_encode(name)
        )
    }

    /// A media segment's link with the current rkey.
    pub fn media_url(&self, appid: u32, id: &str) -> String {
        let base = self
            .blobs
            .base
            .clone()
            .unwrap_or_else(|| "https://multimedia.nt.qq.com.cn".into());
        format!(
            "{base}/download?appid={appid}&fileid={}&rkey={}&spec=0",
            percent_encode(&blob_key(id)),
            self.rkey()
        )
    }

    /// The same link with the current rkey, for a link of [`World::media_url`]'s shape on this
    /// world's server; any other link as it is.
    pub fn refresh_media_url(&self, url: &str) -> String {
        let Some(base) = &self.blobs.base else {
            return url.to_string();
        };
        if !url.starts_with(&format!("{base}/download?")) {
            return url.to_string();
        }
        let rkey = self.rkey();
        let (head, query) = url.split_once('?').unwrap_or((url, ""));
        let query: Vec<String> = query
            .split('&')
            .map(|pair| {
                if pair.starts_with("rkey=") {
                    format!("rkey={rkey}")
                } else {
                    pair.to_string()
                }
            })
            .collect();
        format!("{head}?{}", query.join("&"))
    }

    /// Whether a media link's rkey is the current one.
    pub fn rkey_is_current(&self, rkey: &str) -> bool {
        rkey == self.rkey()
    }
}
