//! What survives a restart: drafts per chat, the chat that was open, the chats set to 免打扰, the
//! pinned ones and the messages waiting for the connection, kept in a JSON file that is written
//! off the loop thread.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::app::composer::Draft;
use crate::app::drafts::Session;
use crate::app::msg::{Failure, Msg};
use crate::onebot::Peer;

/// The saved session, as the file holds it.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Saved {
    /// The chat that was open, as `g:<id>` / `u:<id>`.
    #[serde(default)]
    pub open: Option<String>,
    /// Drafts by chat (`g:<id>` / `u:<id>`).
    #[serde(default, deserialize_with = "drafts_of_any_version")]
    pub drafts: BTreeMap<String, Draft>,
    /// `/notify` modes by chat (`g:<id>` / `u:<id>`), those that are not the chat's default.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notify: BTreeMap<String, crate::app::notify::NotifyMode>,
    /// Reactions used lately, most recent first (face ids or code points).
    #[serde(default)]
    pub reactions: Vec<String>,
    /// Chats set to 免打扰 (`g:<id>` / `u:<id>`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub muted: Vec<String>,
    /// Pinned chats, in pin order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned: Vec<String>,
    /// Messages written while not connected and not sent yet, oldest first.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "outbox_entries"
    )]
    pub outbox: Vec<SavedUnsent>,
}

/// A waiting message as the file holds it.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct SavedUnsent {
    /// `g:<id>` / `u:<id>`.
    pub chat: String,
    /// When it was written (Unix seconds).
    pub time: i64,
    /// The segments, as OneBot writes them.
    pub message: crate::onebot::MessageChain,
}

/// The waiting messages; an entry that does not read is skipped (the rest are kept).
fn outbox_entries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SavedUnsent>, D::Error> {
    let raw = Vec::<serde_json::Value>::deserialize(d)?;
    Ok(raw
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

/// Drafts as objects, or as JSON strings holding the object (how earlier versions wrote them:
/// their users keep their drafts); an entry that is neither is skipped.
fn drafts_of_any_version<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Draft>, D::Error> {
    let raw = BTreeMap::<String, serde_json::Value>::deserialize(d)?;
    Ok(raw
        .into_iter()
        .filter_map(|(k, v)| {
            let draft = match v {
                serde_json::Value::String(s) => serde_json::from_str(&s).ok()?,
                v => serde_json::from_value(v).ok()?,
            };
            Some((k, draft))
        })
        .collect())
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
    /// The file content for a session.
    pub fn new(session: &Session) -> Self {
        Saved {
            open: session.open.map(|p| p.to_string()),
            drafts: session
                .drafts
                .iter()
                .map(|(p, d)| (p.to_string(), d.clone()))
                .collect(),
            notify: session
                .notify
                .0
                .iter()
                .map(|(p, m)| (p.to_string(), *m))
                .collect(),
            reactions: session.reactions.clone(),
            muted: session.muted.iter().map(Peer::to_string).collect(),
            pinned: session.pinned.iter().map(Peer::to_string).collect(),
            outbox: session
                .outbox
                .iter()
                .map(|u| SavedUnsent {
                    chat: u.peer.to_string(),
                    time: u.time,
                    message: u.chain.clone(),
                })
                .collect(),
        }
    }

    /// The session the file holds (entries naming no chat are skipped).
    pub fn session(&self) -> Session {
        Session {
            drafts: self
                .drafts
                .iter()
                .filter_map(|(k, d)| Some((parse_peer(k)?, d.clone())))
                .collect(),
            open: self.open.as_deref().and_then(parse_peer),
            notify: crate::app::notify::NotifyModes(
                self.notify
                    .iter()
                    .filter_map(|(k, m)| Some((parse_peer(k)?, *m)))
                    .collect(),
            ),
            reactions: self
                .reactions
                .iter()
                .filter(|r| r.parse::<i64>().is_ok())
                .take(crate::app::reactions::RECENT)
                .cloned()
                .collect(),
            muted: self.muted.iter().filter_map(|k| parse_peer(k)).collect(),
            pinned: {
                let mut seen = std::collections::HashSet::new();
                self.pinned
                    .iter()
                    .filter_map(|k| parse_peer(k))
                    .filter(|p| seen.insert(*p))
                    .collect()
            },
            outbox: self
                .outbox
                .iter()
                .filter(|u| !u.message.is_empty())
                .filter_map(|u| {
                    Some(crate::app::drafts::Unsent {
                        peer: parse_peer(&u.chat)?,
                        time: u.time,
                        chain: u.message.clone(),
                    })
                })
                .collect(),
        }
    }
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

/// Writes the session atomically: a temp file, renamed over the old one (and removed when
/// anything fails, so no half-written file is left behind).
pub fn save(path: &Path, saved: &Saved) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    let text = serde_json::to_string_pretty(saved).map_err(std::io::Error::other)?;
    let written = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// A save waits this long for a newer one (typing goes on) before it is written…
const QUIET: Duration = Duration::from_millis(300);
/// …but never longer than this after it was asked for: a draft is on disk within a second of
/// typing, even while typing goes on.
const LATEST: Duration = Duration::from_secs(1);

/// Saves sessions in the background, newest first: saves asked for while typing goes on
/// collapse into the latest, written once typing pauses (`QUIET`, at most `LATEST` after the
/// first). A failure is reported once (as `Msg::Failed`) until a save works again.
pub struct Writer {
    tx: UnboundedSender<Saved>,
    task: tokio::task::JoinHandle<()>,
}

impl Writer {
    /// Starts the writer for `path`; failures are reported on `report`.
    pub fn spawn(path: PathBuf, report: UnboundedSender<Msg>) -> Writer {
        let (tx, mut rx) = unbounded_channel::<Saved>();
        let task = tokio::spawn(async move {
            let mut failing = false;
            while let Some(mut saved) = rx.recv().await {
                let latest = tokio::time::Instant::now() + LATEST;
                loop {
                    let quiet = (tokio::time::Instant::now() + QUIET).min(latest);
                    match tokio::time::timeout_at(quiet, rx.recv()).await {
                        Ok(Some(newer)) => saved = newer,
                        // Closed (exiting): write what is there now.
                        Ok(None) | Err(_) => break,
                    }
                }
                let p = path.clone();
                let result = tokio::task::spawn_blocking(move || save(&p, &saved))
                    .await
                    .unwrap_or_else(|e| Err(std::io::Error::other(e)));
                match result {
                    Ok(()) => failing = false,
                    Err(e) => {
                        tracing::warn!("could not save the session to {}: {e}", path.display());
                        if !failing {
                            let _ = report.send(Msg::Failed(Failure::SaveSession {
                                path: path.display().to_string(),
                                reason: e.to_string(),
                            }));
                        }
                        failing = true;
                    }
                }
            }
        });
        Writer { tx, task }
    }

    /// Queues a save.
    pub fn save(&self, saved: Saved) {
        let _ = self.tx.send(saved);
    }

    /// Waits until everything queued is written (at exit).
    pub async fn finish(self) {
        drop(self.tx);
        let _ = self.task.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::drafts::Drafts;

    fn draft(text: &str) -> Draft {
        Draft {
            text: text.into(),
            ..Default::default()
        }
    }

    fn temp_dir(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("napterm-persist-{name}-{}", std::process::id()))
    }

    #[test]
    fn round_trips_through_a_file() {
        let dir = temp_dir("round");
        let path = dir.join("session.json");
        let session = Session {
            drafts: Drafts::from_iter([(Peer::Group(5), draft("未发完的话"))]),
            open: Some(Peer::Private(7)),
            notify: crate::app::notify::NotifyModes(
                [(Peer::Group(5), crate::app::notify::NotifyMode::None)].into(),
            ),
            reactions: vec!["76".into(), "128522".into()],
            muted: [Peer::Group(5)].into_iter().collect(),
            pinned: vec![Peer::Private(7), Peer::Group(5)],
            outbox: vec![crate::app::drafts::Unsent {
                peer: Peer::Group(5),
                time: 1_795_000_000,
                chain: crate::onebot::MessageChain::new()
                    .at(10002)
                    .text(" 离线时写的"),
            }],
        };
        let saved = Saved::new(&session);
        save(&path, &saved).unwrap();
        let back = load(&path);
        assert_eq!(back, saved);
        assert_eq!(back.session(), session);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn drafts_are_json_objects_in_the_file() {
        let session = Session {
            drafts: Drafts::from_iter([(Peer::Group(5), draft("你好"))]),
            open: None,
            ..Default::default()
        };
        let text = serde_json::to_string(&Saved::new(&session)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["drafts"]["g:5"]["text"], "你好", "{text}");
    }

    #[test]
    fn drafts_written_as_strings_by_older_versions_still_load() {
        let old = r#"{"open":"g:5","drafts":{"g:5":"{\"text\":\"旧草稿\",\"tokens\":[],\"reply\":null}","u:7":{"text":"新"},"g:8":"not json","x:1":{"text":"?"}}}"#;
        let session = serde_json::from_str::<Saved>(old).unwrap().session();
        assert_eq!(session.open, Some(Peer::Group(5)));
        assert_eq!(session.drafts.get(Peer::Group(5)), Some(&draft("旧草稿")));
        assert_eq!(session.drafts.get(Peer::Private(7)), Some(&draft("新")));
        assert_eq!(session.drafts.len(), 2, "broken entries are skipped");
    }

    #[test]
    fn an_unreadable_waiting_message_is_skipped_and_the_rest_kept() {
        let text = r#"{"outbox":[{"chat":"g:5","time":1,"message":[{"type":"text","data":{"text":"好的"}}]},{"chat":"g:5"},{"chat":"x:1","time":2,"message":[]},7]}"#;
        let session = serde_json::from_str::<Saved>(text).unwrap().session();
        let kept: Vec<(Peer, String)> = session
            .outbox
            .iter()
            .map(|u| (u.peer, u.chain.plain_text()))
            .collect();
        assert_eq!(kept, [(Peer::Group(5), "好的".to_string())]);
    }

    #[test]
    fn broken_files_are_empty_sessions() {
        let dir = temp_dir("bad");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("session.json");
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(load(&path), Saved::default());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_failed_save_leaves_no_temp_file() {
        let dir = temp_dir("fail");
        // The session path is a directory: the rename over it fails.
        let path = dir.join("session.json");
        std::fs::create_dir_all(path.join("occupied")).unwrap();
        assert!(save(&path, &Saved::default()).is_err());
        assert!(!path.with_extension("json.tmp").exists());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn saves_asked_while_typing_are_written_once_typing_pauses() {
        let dir = temp_dir("typing");
        let path = dir.join("session.json");
        let (tx, _rx) = unbounded_channel();
        let w = Writer::spawn(path.clone(), tx);
        for text in ["在", "在吗", "在吗？"] {
            let session = Session {
                drafts: Drafts::from_iter([(Peer::Group(5), draft(text))]),
                open: Some(Peer::Group(5)),
                ..Default::default()
            };
            w.save(Saved::new(&session));
        }
        // No `finish`: the writer writes on its own once the saves stop coming.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let written = loop {
            let saved = load(&path);
            if !saved.drafts.is_empty() {
                break saved;
            }
            assert!(std::time::Instant::now() < deadline, "never written");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert_eq!(
            written.drafts["g:5"].text, "在吗？",
            "the newest of the burst"
        );
        w.finish().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn the_writer_reports_a_failure_once() {
        let dir = temp_dir("writer");
        let path = dir.join("session.json");
        std::fs::create_dir_all(path.join("occupied")).unwrap();
        let (tx, mut rx) = unbounded_channel();
        let w = Writer::spawn(path.clone(), tx);
        w.save(Saved::default());
        // The first failure is reported…
        let first = rx.recv().await.expect("a report");
        // …a second write that fails the same way is not.
        w.save(Saved::default());
        w.finish().await;
        let mut failures = vec![first];
        while let Ok(m) = rx.try_recv() {
            failures.push(m);
        }
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(matches!(
            &failures[0],
            Msg::Failed(Failure::SaveSession { path: p, .. }) if p.contains("session.json")
        ));
        let _ = std::fs::remove_dir_all(dir);
    }
}
