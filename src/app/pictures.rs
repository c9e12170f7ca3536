//! Pictures in the timeline: what the app knows of each picture a message shows (its slot),
//! the encoded cells near the screen, and the sizes pictures are drawn at.
//!
//! A picture is known by its identity ([`PicKey`]: the segment's file token, or a market
//! sticker's id), never by its URL, whose rkey expires. Its slot goes `Loading` → `Ready` (its
//! pixel size) or `Failed` (the reason its placeholder says). The pixels themselves stay in the
//! runtime (decoded off the loop thread); the state holds only the half-block cells of pictures
//! near the screen, at the sizes they are drawn, bounded by [`ENCODED_CAP`].

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use crate::onebot::segment::ImageData;
use crate::onebot::{MessageChain, Peer, Segment};

use super::chat::SortKey;

/// Encoded pictures kept in memory (inline and viewer sizes together); the oldest not asked
/// for again go first.
pub const ENCODED_CAP: usize = 64;
/// Loads asked of the runtime at once (the fetcher bounds its own connections too).
pub const IN_FLIGHT: usize = 4;
/// Entries above the first and below the last visible one whose pictures are loaded too.
pub const NEAR: usize = 6;
/// Pictures whose slot and places are remembered; past this, those of other chats than the
/// open one are forgotten (asked for again if they come back on screen).
pub const SLOTS_CAP: usize = 20_000;

/// How pictures show in the timeline (`[images] mode`, toggled by a key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Drawn under their message.
    #[default]
    Inline,
    /// Only their `[图片]` line (for a slow link).
    Placeholder,
}

/// A picture's identity: the same picture has the same key whatever URL it came with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PicKey(pub String);

impl PicKey {
    /// The identity of a received picture: a market sticker by its package and emoji id, else
    /// the segment's `file_unique` or `file` (NapCat's name for it, an md5 with an extension),
    /// else its URL's path (without the query, which holds the expiring rkey).
    pub fn of(img: &ImageData) -> Option<PicKey> {
        if let Some(e) = img.emoji_id.as_deref().filter(|e| !e.is_empty()) {
            return Some(PicKey(format!(
                "mface:{}:{e}",
                img.emoji_package_id.unwrap_or(0)
            )));
        }
        let unique = img
            .extra
            .get("file_unique")
            .and_then(|v| v.as_str())
            .filter(|s| !s.trim().is_empty());
        if let Some(u) = unique {
            return Some(PicKey(format!("u:{u}")));
        }
        if !img.file.trim().is_empty() && !img.file.contains("://") {
            return Some(PicKey(format!("f:{}", img.file)));
        }
        let url = img.url.as_deref().filter(|u| !u.is_empty())?;
        let path = url.split(['?', '#']).next().unwrap_or(url);
        Some(PicKey(format!("p:{path}")))
    }
}

/// Why a picture shows as its placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PicFailure {
    /// Over 20 MB, over 10,000 px a side or over 50 Mpx decoded.
    TooLarge,
    /// Truncated, or not a picture.
    Undecodable,
    /// The server never answered, or answered with an error every way asked.
    Unreachable,
    /// A URL that is not `http://` or `https://` (never fetched), or none.
    NoUrl,
}

impl PicFailure {
    /// The placeholder text: `[图片: 无法解码]`.
    pub fn placeholder(self) -> &'static str {
        match self {
            PicFailure::TooLarge => "[图片: 过大]",
            PicFailure::Undecodable => "[图片: 无法解码]",
            PicFailure::Unreachable => "[图片: 无法获取]",
            PicFailure::NoUrl => "[图片: 无地址]",
        }
    }
}

/// Where a picture is in the app's eyes.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// Asked of the runtime; its placeholder shows meanwhile.
    Loading,
    /// Decoded: its size in pixels, and whether it is a sticker (drawn smaller).
    Ready { px: (u32, u32) },
    /// Its placeholder says why.
    Failed(PicFailure),
}

/// One terminal cell of a half-block picture: the colour of its upper and lower half
/// (`None`: transparent there, the terminal's background shows).
pub type Half = Option<(u8, u8, u8)>;

/// A picture encoded as half blocks: `rows` rows of `cols` cells, each two pixels tall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cells {
    pub cols: u16,
    pub rows: u16,
    /// Row by row: (upper, lower).
    pub cells: Vec<(Half, Half)>,
}

/// The box a picture is fitted into, in cells.
pub type CellBox = (u16, u16);

/// A picture the runtime should produce at `fit` (from its memory, the disk cache, or the
/// network).
#[derive(Debug, Clone, PartialEq)]
pub struct PicJob {
    pub key: PicKey,
    /// The segment's URL as the message carried it (only http/https is ever fetched).
    pub url: Option<String>,
    /// The segment's file token, for `get_image` and the stream download.
    pub file: String,
    /// The message it came in, for `get_msg` when its URL expired.
    pub peer: Peer,
    pub message_id: Option<i64>,
    /// The box to fit the cells in.
    pub fit: CellBox,
}

/// What the runtime made of a job.
#[derive(Debug, Clone, PartialEq)]
pub struct PicDone {
    pub key: PicKey,
    pub fit: CellBox,
    /// The pixel size and the cells, or why not.
    pub result: Result<((u32, u32), Arc<Cells>), PicFailure>,
}

/// How sending a local picture goes (`Effect::SendPicture`), as the runtime reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum SendEvent {
    /// Bytes of the message of `local_id` uploaded so far by `upload_file_stream` (pictures
    /// over [`INLINE_MAX`]).
    Progress {
        local_id: u64,
        done: u64,
        total: u64,
    },
    /// Ready: the segment the pending message shows (its picture already in the caches), and
    /// the `file` NapCat is sent (`base64://…`; over [`INLINE_MAX`] uploaded first when the
    /// message goes out, see [`needs_upload`]).
    Ready {
        peer: Peer,
        shown: Box<ImageData>,
        file: String,
    },
    /// Why it cannot be sent (no such file, not a picture, too large).
    Failed(String),
    /// The message of `local_id`'s large pictures are uploaded: `chain` sends NapCat's paths
    /// of them instead of their bytes.
    Uploaded {
        peer: Peer,
        local_id: u64,
        chain: MessageChain,
    },
    /// The upload for the message of `local_id` failed: `offline` when the connection was
    /// not there or went (the message did not go out and can wait for it), else why.
    UploadFailed {
        peer: Peer,
        local_id: u64,
        offline: bool,
        why: String,
    },
}

/// Your message `sent` as NapCat echoes it (`echo`): each of its pictures that comes back under
/// another name, with that name (sent, echoed), in the same order.
pub fn renamed(sent: &MessageChain, echo: &MessageChain) -> Vec<(PicKey, PicKey)> {
    let images = |c: &MessageChain| -> Vec<PicKey> {
        c.segments()
            .iter()
            .filter_map(|s| match s {
                Segment::Image(i) => Some(PicKey::of(i)),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default()
    };
    let (ours, theirs) = (images(sent), images(echo));
    if ours.len() != theirs.len() {
        return Vec::new();
    }
    ours.into_iter()
        .zip(theirs)
        .filter(|(a, b)| a != b)
        .collect()
}

/// Pictures up to this size go inside the message as `base64://`; larger ones are uploaded in
/// `upload_file_stream` chunks first (`Effect::UploadPicture`): NapCat's WebSocket takes at
/// most 50 MB a frame, and may be on another machine, where a local path means nothing.
pub const INLINE_MAX: usize = 10 * 1024 * 1024;

/// True when `chain` holds a picture too large to go inside the message.
pub fn needs_upload(chain: &MessageChain) -> bool {
    chain
        .segments()
        .iter()
        .any(|s| matches!(s, Segment::Image(i) if too_large_inline(&i.file)))
}

/// True for a picture's `file` that is `base64://` bytes over [`INLINE_MAX`].
pub fn too_large_inline(file: &str) -> bool {
    file.strip_prefix("base64://")
        .is_some_and(|b| b.len() / 4 * 3 > INLINE_MAX)
}

/// Everything the app knows of pictures.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    pub mode: Mode,
    /// How the terminal draws them (`[images] protocol`, or what was detected at start).
    pub protocol: &'static str,
    /// `[images] max_rows`: the tallest an inline picture is drawn.
    pub max_rows: u16,
    pub slots: HashMap<PicKey, Slot>,
    /// Encoded cells by (picture, box), oldest first in `order`.
    encoded: HashMap<(PicKey, CellBox), Arc<Cells>>,
    order: VecDeque<(PicKey, CellBox)>,
    /// (picture, box) asked of the runtime and not answered yet.
    pub pending: Vec<(PicKey, CellBox)>,
    /// Which timeline entries show each picture (redrawn when it changes).
    pub shown_in: HashMap<PicKey, Vec<(Peer, SortKey)>>,
    /// A pasted picture path waiting for its question's answer: the chat, the path, and the
    /// text the paste put into the composer.
    pub pasted: Option<(Peer, String, String)>,
}

impl Pictures {
    /// Fresh, with the configured mode and height.
    pub fn new(mode: Mode, max_rows: u16) -> Self {
        Pictures {
            mode,
            max_rows: max_rows.max(1),
            protocol: "halfblocks",
            ..Default::default()
        }
    }

    /// The encoded cells of `key` at `fit`, if they are in memory.
    pub fn cells(&self, key: &PicKey, fit: CellBox) -> Option<&Arc<Cells>> {
        self.encoded.get(&(key.clone(), fit))
    }

    /// Keeps `cells`, dropping the oldest when over the cap.
    pub fn keep(&mut self, key: PicKey, fit: CellBox, cells: Arc<Cells>) {
        let k = (key, fit);
        if self.encoded.insert(k.clone(), cells).is_none() {
            self.order.push_back(k);
        }
        while self.order.len() > ENCODED_CAP {
            if let Some(old) = self.order.pop_front() {
                self.encoded.remove(&old);
            }
        }
    }

    /// Marks `(key, fit)` as used (it moves to the back of the eviction order).
    pub fn touch(&mut self, key: &PicKey, fit: CellBox) {
        if let Some(i) = self.order.iter().position(|(k, f)| k == key && *f == fit)
            && let Some(k) = self.order.remove(i)
        {
            self.order.push_back(k);
        }
    }

    /// Notes `job` as asked for, and hands it back for `Effect::Picture`.
    pub fn ask(&mut self, job: PicJob) -> PicJob {
        self.pending.push((job.key.clone(), job.fit));
        self.slots.entry(job.key.clone()).or_insert(Slot::Loading);
        job
    }

    /// Encoded pictures held.
    pub fn encoded_len(&self) -> usize {
        self.encoded.len()
    }
}

/// Whether a segment is a sticker (drawn smaller): a market sticker, `sub_type` 1, or
/// NapCat's `[动画表情]` summary.
pub fn is_sticker(img: &ImageData) -> bool {
    img.emoji_id.is_some()
        || img.sub_type == Some(1)
        || img.summary.as_deref() == Some("[动画表情]")
}

/// The columns a message's text (and so its pictures) gets in a timeline `total` wide: the
/// time, name column and bar come first (as `ui::message` lays them out).
pub fn content_cols(total: u16) -> u16 {
    let name = (total / 6).clamp(4, 14);
    total.saturating_sub(6 + name + 3)
}

/// The box an inline picture is fitted into in a timeline `total` columns wide: the message's
/// text width, `max_rows` tall; a sticker at most half of each (it is a reaction, not a photo).
pub fn inline_box(total: u16, max_rows: u16, sticker: bool) -> CellBox {
    let cols = content_cols(total).max(1);
    let rows = max_rows.max(1);
    if sticker {
        ((cols / 2).clamp(1, 24), (rows / 2).max(3).min(rows))
    } else {
        (cols, rows)
    }
}

/// The cells a `px` picture takes fitted into `fit`, aspect kept: a half-block cell shows one
/// pixel column and two pixel rows (cells are about twice as tall as wide). Never larger than
/// the picture itself, never smaller than one cell.
pub fn fitted(px: (u32, u32), fit: CellBox) -> CellBox {
    let (w, h) = (px.0.max(1) as f64, px.1.max(1) as f64);
    let (bc, br) = (fit.0.max(1) as f64, fit.1.max(1) as f64 * 2.0);
    let scale = (bc / w).min(br / h).min(1.0);
    let cols = (w * scale).round().clamp(1.0, bc);
    let rows = ((h * scale) / 2.0).ceil().clamp(1.0, fit.1.max(1) as f64);
    (cols as u16, rows as u16)
}

/// The pictures of a chain with their keys, in order.
pub fn pictures_of(
    chain: &crate::onebot::MessageChain,
) -> impl Iterator<Item = (&ImageData, PicKey)> {
    chain.segments().iter().filter_map(|s| match s {
        crate::onebot::Segment::Image(i) => PicKey::of(i).map(|k| (i.as_ref(), k)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_keeps_the_aspect_and_the_box() {
        // A wide photo in a 60x10 box: as wide as the box, height by aspect.
        assert_eq!(fitted((1200, 600), (60, 10)), (40, 10));
        assert_eq!(fitted((1200, 300), (60, 10)), (60, 8));
        // A tall one: as tall as the box.
        assert_eq!(fitted((300, 1200), (60, 10)), (5, 10));
        // Small pictures are not blown up.
        assert_eq!(fitted((16, 16), (60, 10)), (16, 8));
        // Degenerate sizes still give one cell.
        assert_eq!(fitted((0, 0), (60, 10)), (1, 1));
        assert_eq!(fitted((100_000, 1), (60, 10)), (60, 1));
    }

    #[test]
    fn keys_are_identities_not_urls() {
        let a = ImageData {
            file: "ABC.jpg".into(),
            url: Some("https://x/download?rkey=1".into()),
            ..Default::default()
        };
        let b = ImageData {
            url: Some("https://x/download?rkey=2".into()),
            ..a.clone()
        };
        assert_eq!(PicKey::of(&a), PicKey::of(&b));
        let bare = ImageData {
            url: Some("https://x/p/1.png?rkey=9".into()),
            ..Default::default()
        };
        assert_eq!(
            PicKey::of(&bare),
            Some(PicKey("p:https://x/p/1.png".into()))
        );
    }

    #[test]
    fn the_encoded_cache_is_bounded() {
        let mut p = Pictures::new(Mode::Inline, 10);
        let cells = Arc::new(Cells {
            cols: 1,
            rows: 1,
            cells: vec![(None, None)],
        });
        for i in 0..(ENCODED_CAP + 10) {
            p.keep(PicKey(i.to_string()), (1, 1), cells.clone());
        }
        assert_eq!(p.encoded_len(), ENCODED_CAP);
        assert!(p.cells(&PicKey("0".into()), (1, 1)).is_none());
        assert!(
            p.cells(&PicKey((ENCODED_CAP + 9).to_string()), (1, 1))
                .is_some()
        );
    }
}
