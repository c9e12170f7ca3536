//! Transfers: what the app asks the runtime to save, upload or play, what comes back, and what
//! is in flight (the status line shows it). Core: `State`, `Effect` and `Msg` hold these.
//!
//! The app decides *what* and *from where* (the sources of a save, in the order they are
//! tried) and names the file safely ([`safe_name`]); the runtime (`runtime::transfer`) does the
//! IO: fetching or streaming into a temporary file in the download folder, renaming it to a name
//! that exists nowhere yet ([`numbered`]), uploading by `upload_file_stream`.

use std::collections::HashMap;

use crate::onebot::Peer;

/// Numbers a transfer for progress, results and `/cancel`.
pub type TransferId = u64;

/// Where the bytes of a save may come from; the runtime tries each in turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `get_group_file_url`, then HTTP.
    GroupFileUrl { group: i64, file_id: String },
    /// `get_private_file_url`, then HTTP.
    PrivateFileUrl { file_id: String },
    /// A link the segment carried. When it is QQ's expiring media link and `message_id` is
    /// known, an expired one is asked for again (`get_msg`) once, by the segment's `file`.
    Url {
        url: String,
        message_id: Option<i64>,
        file: String,
    },
    /// NapCat's stream over the WebSocket.
    Stream { kind: StreamKind, file: String },
    /// `get_record` converted to mp3 (base64 in the reply).
    Record { file: String },
}

impl Source {
    /// What the source is called in messages.
    pub fn label(&self) -> &'static str {
        match self {
            Source::GroupFileUrl { .. } => "群文件链接",
            Source::PrivateFileUrl { .. } => "私聊文件链接",
            Source::Url { .. } => "消息中的链接",
            Source::Stream { .. } => "WebSocket 流",
            Source::Record { .. } => "get_record",
        }
    }
}

/// Which of NapCat's download streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    File,
    Image,
    /// Converted to mp3.
    Record,
}

/// What a finished download is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Into the download folder, under a name of its own.
    Save,
    /// Into a private temporary file, then played with the media player.
    Play,
}

/// One download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveJob {
    pub id: TransferId,
    /// Already made safe ([`safe_name`]).
    pub name: String,
    /// What NapCat announced for the bytes as they are (not for a converted voice).
    pub size: Option<u64>,
    pub sources: Vec<Source>,
    pub purpose: Purpose,
}

/// Where an upload goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadTarget {
    /// `upload_group_file` into a folder (None: the root).
    Group { group: i64, folder: Option<String> },
    /// `upload_private_file`.
    Private { user: i64 },
    /// Only onto NapCat's host (by stream, else base64): the path comes back for a voice
    /// message (`record`) sent to this chat.
    Voice { peer: Peer },
}

/// One upload of a local file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadJob {
    pub id: TransferId,
    /// As typed (`~/` allowed).
    pub path: String,
    pub target: UploadTarget,
}

/// What the runtime reports about a transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferEvent {
    /// Bytes so far, the total when known, the speed in bytes per second.
    Progress {
        id: TransferId,
        done: u64,
        total: Option<u64>,
        speed: u64,
    },
    /// A save is complete at `path`; `via` says which source gave the bytes.
    Saved {
        id: TransferId,
        path: String,
        via: &'static str,
    },
    /// A voice is playing (the player was started).
    Playing { id: TransferId, player: String },
    /// An upload is complete: the file's id (`upload_*_file`) or NapCat's path (voice).
    Uploaded { id: TransferId, file: String },
    /// It failed (or was cancelled); the reason for the status line.
    Failed { id: TransferId, reason: String },
}

impl TransferEvent {
    pub fn id(&self) -> TransferId {
        match self {
            TransferEvent::Progress { id, .. }
            | TransferEvent::Saved { id, .. }
            | TransferEvent::Playing { id, .. }
            | TransferEvent::Uploaded { id, .. }
            | TransferEvent::Failed { id, .. } => *id,
        }
    }
}

/// Which way a transfer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Down,
    Up,
}

/// A transfer in flight, as the status line shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub id: TransferId,
    pub name: String,
    pub direction: Direction,
    pub done: u64,
    pub total: Option<u64>,
    pub speed: u64,
    /// The message it saves (so `o` on it opens the saved file afterwards).
    pub origin: Option<(Peer, i64)>,
    /// What an upload came from, to put back in the composer when it fails.
    pub command: Option<String>,
    /// What a finished upload does.
    pub target: Option<UploadTarget>,
    pub purpose: Purpose,
}

/// A local folder's entries, for completing paths (`/upload ~/Do` Tab).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// The folder as typed (`~/Documents/`, `` for the current one).
    pub dir: String,
    /// Names and whether each is a folder.
    pub entries: Vec<(String, bool)>,
    /// The folder asked for and not answered yet.
    pub asked: Option<String>,
    /// When (Unix seconds) `entries` were read (None: never): older than
    /// `completion::LISTING_FRESH` they are asked for again (a screenshot saved since must
    /// show up).
    pub at: Option<i64>,
}

/// Every transfer in flight, and where finished saves went.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transfers {
    pub active: Vec<Transfer>,
    /// The last local folder listed for path completion.
    pub listing: Listing,
    next_id: TransferId,
    /// The file a saved message went to: `o` then opens it.
    pub saved: HashMap<(Peer, i64), String>,
}

impl Transfers {
    /// A fresh id.
    pub fn next_id(&mut self) -> TransferId {
        self.next_id += 1;
        self.next_id
    }

    pub fn get_mut(&mut self, id: TransferId) -> Option<&mut Transfer> {
        self.active.iter_mut().find(|t| t.id == id)
    }

    /// Takes a transfer out (it ended).
    pub fn finish(&mut self, id: TransferId) -> Option<Transfer> {
        let at = self.active.iter().position(|t| t.id == id)?;
        Some(self.active.remove(at))
    }
}

/// The most bytes a file name may have (Linux, macOS).
pub const NAME_MAX: usize = 255;

/// An attachment's own name made safe to create in the download folder: its last path
/// component only (no `/` or `\`), no control or bidi characters, no leading dots (no hidden
/// file), no `.`/`..`, at most [`NAME_MAX`] bytes cut at a character boundary with the
/// extension kept; `file` when nothing is left.
pub fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_bidi(*c))
        .collect();
    let trimmed = cleaned
        .trim()
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' ']);
    let name = if trimmed.is_empty() { "file" } else { trimmed };
    fit(name, NAME_MAX)
}

/// Bidi controls, which make a name read differently than it is (`exe.txt` shown as `txt.exe`).
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `name` cut to `max` bytes at a character boundary, keeping a short extension.
fn fit(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let (stem, ext) = split_ext(name);
    let ext = if ext.len() + 1 < max / 2 { ext } else { "" };
    let room = max - if ext.is_empty() { 0 } else { ext.len() + 1 };
    let mut cut = room.min(stem.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    if ext.is_empty() {
        stem[..cut].to_string()
    } else {
        format!("{}.{ext}", &stem[..cut])
    }
}

/// `("report", "pdf")` for `report.pdf`; a name without a dot (or only a leading one) has no
/// extension.
fn split_ext(name: &str) -> (&str, &str) {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() => (stem, ext),
        _ => (name, ""),
    }
}

/// The `n`th alternative to a taken name: `name (n).ext` (within [`NAME_MAX`]).
pub fn numbered(name: &str, n: u32) -> String {
    if n == 0 {
        return name.to_string();
    }
    let (stem, ext) = split_ext(name);
    let suffix = if ext.is_empty() {
        format!(" ({n})")
    } else {
        format!(" ({n}).{ext}")
    };
    let stem = fit(stem, NAME_MAX.saturating_sub(suffix.len()).max(1));
    format!("{stem}{suffix}")
}

/// A size for people: `512 B`, `3.4 KB`, `12.0 MB`, `1.2 GB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_plain_names_in_the_folder() {
        assert_eq!(safe_name("../../.bashrc"), "bashrc");
        assert_eq!(safe_name("/etc/passwd"), "passwd");
        assert_eq!(safe_name("..\\..\\win.ini"), "win.ini");
        assert_eq!(safe_name("."), "file");
        assert_eq!(safe_name(".."), "file");
        assert_eq!(safe_name(""), "file");
        assert_eq!(safe_name("a/"), "file");
        assert_eq!(safe_name("...hidden"), "hidden");
        assert_eq!(safe_name("evil\u{1b}[2J\nname.txt"), "evil[2Jname.txt");
        assert_eq!(safe_name("photo\u{202E}gpj.exe"), "photogpj.exe");
        assert_eq!(safe_name("报告 (终稿).pdf"), "报告 (终稿).pdf");
        assert_eq!(safe_name("trailing. . "), "trailing");
    }

    #[test]
    fn long_names_are_cut_at_a_character_boundary_keeping_the_extension() {
        let long = format!("{}.tar.gz", "文".repeat(2000));
        let safe = safe_name(&long);
        assert!(safe.len() <= NAME_MAX, "{}", safe.len());
        assert!(safe.ends_with(".gz"));
        assert!(safe.starts_with("文文"));
        let ascii = "x".repeat(4096);
        assert_eq!(safe_name(&ascii).len(), NAME_MAX);
    }

    #[test]
    fn taken_names_are_numbered_before_the_extension() {
        assert_eq!(numbered("a.txt", 0), "a.txt");
        assert_eq!(numbered("a.txt", 1), "a (1).txt");
        assert_eq!(numbered("archive.tar.gz", 2), "archive.tar (2).gz");
        assert_eq!(numbered("README", 3), "README (3)");
        let long = numbered(&"y".repeat(255), 12);
        assert!(long.len() <= NAME_MAX && long.ends_with(" (12)"), "{long}");
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_size(3), "3 B");
        assert_eq!(human_size(2048), "2.0 KB");
        assert_eq!(human_size(5 * 1024 * 1024 + 1), "5.0 MB");
    }
}
