//! What survives a restart: drafts per chat and the chat that was open.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::app::composer::Draft;
use crate::onebot::Peer;

/// The saved session.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Saved {
    /// The chat that was open, as `g:<id>` / `u:<id>`.
    #[serde(default)]
    pub open: Option<String>,
    /// Drafts by chat (`g:<id>` / `u:<id>`), each a JSON draft.
    #[serde(default)]
    pub drafts: BTreeMap<String, String>,
}

/// Parses `g:<id>` / `u:<id>`.
pub fn parse_peer(s: &str) -> Option<Peer> {
    let (kind, id) = s.split_once(':')?;
    let id: i64 = id.parse().ok()?;
    match kind {
        "g" => Some(Peer::Group(id)),
        "u" => Some(Peer::Private(id)),
        _ => None,
    }
}

impl Saved {
    /// Builds the file content from drafts (already JSON) and the open chat.
    pub fn new(drafts: &[(Peer, String)], open: Option<Peer>) -> Self {
        Saved {
            open: open.map(|p| p.to_string()),
            drafts: drafts
                .iter()
                .map(|(p, d)| (p.to_string(), d.clone()))
                .collect(),
        }
    }

    /// The drafts as typed values (bad entries are skipped).
    pub fn drafts(&self) -> Vec<(Peer, Draft)> {
        self.drafts
            .iter()
            .filter_map(|(k, v)| Some((parse_peer(k)?, serde_json::from_str(v).ok()?)))
            .collect()
    }

    /// The chat that was open.
    pub fn open(&self) -> Option<Peer> {
        self.open.as_deref().and_then(parse_peer)
    }
}

/// Where the session file lives: `$XDG_STATE_HOME/napterm/session.json`.
pub fn default_path() -> Option<PathBuf> {
    Some(crate::logging::log_dir().join("session.json"))
}

/// Reads the session; a missing or broken file gives an empty session (and a log line).
pub fn load(path: &Path) -> Saved {
    match std::fs::read_to_string(path) {
        Ok(s) => serde_json::from_str(&s).unwrap_or_else(|e| {
            tracing::warn!("ignoring unreadable session file {}: {e}", path.display());
            Saved::default()
        }),
        Err(_) => Saved::default(),
    }
}

/// Writes the session atomically (temp file, then rename).
pub fn save(path: &Path, saved: &Saved) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    let text = serde_json::to_string_pretty(saved).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_a_file() {
        let dir = std::env::temp_dir().join(format!("napterm-persist-{}", std::process::id()));
        let path = dir.join("session.json");
        let d = Draft {
            text: "未发完的话".into(),
            ..Default::default()
        };
        let saved = Saved::new(
            &[(Peer::Group(5), serde_json::to_string(&d).unwrap())],
            Some(Peer::Private(7)),
        );
        save(&path, &saved).unwrap();
        let back = load(&path);
        assert_eq!(back, saved);
        assert_eq!(back.open(), Some(Peer::Private(7)));
        assert_eq!(back.drafts(), vec![(Peer::Group(5), d)]);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn broken_files_are_empty_sessions() {
        let dir = std::env::temp_dir().join(format!("napterm-persist-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("session.json");
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(load(&path), Saved::default());
        let _ = std::fs::remove_dir_all(dir);
    }
}
