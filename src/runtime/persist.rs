//! What survives a restart: drafts per chat, the chat that was open, the chats set to 免打扰, the
//! pinned ones and the messages waiting for the connection, kept in a JSON file that is written
//! off the loop thread.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::app::composer::Draft;
use crate::app::drafts::Session;
use crate::app::msg::{Failure, Msg};
use crate::onebot::{MessageChain, Peer};

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
    /// The segments it shows, as OneBot writes them.
    pub message: MessageChain,
    /// The file in the session's outbox folder ([`outbox_dir`]) holding what it really sends
    /// when that is not what it shows (a picture as base64: too big for this file; written
    /// once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sends: Option<String>,
    /// That file's content: written by [`save`], read by [`load`].
    #[serde(skip)]
    pub sends_chain: Option<Arc<MessageChain>>,
}

/// The name of the file keeping what a waiting message sends: a hash of when and where it was
/// written and what it shows (a picture by its own hash), so each is written once.
fn sends_name(chat: &str, time: i64, shown: &MessageChain) -> String {
    let mut h = Sha256::new();
    h.update(format!("{chat}\n{time}\n"));
    h.update(serde_json::to_vec(shown).unwrap_or_default());
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.json")
}

/// True for a name [`sends_name`] makes: the saved file names no other path.
fn is_sends_name(name: &str) -> bool {
    name.strip_suffix(".json")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
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
                .map(|u| {
                    let chat = u.peer.to_string();
                    SavedUnsent {
                        sends: u
                            .sends
                            .as_ref()
                            .map(|_| sends_name(&chat, u.time, &u.chain)),
                        sends_chain: u.sends.clone(),
                        chat,
                        time: u.time,
                        message: u.chain.clone(),
                    }
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
            lost: self.outbox.iter().filter(|u| unreadable(u)).count(),
            outbox: self
                .outbox
                .iter()
                .filter(|u| !u.message.is_empty())
                // One whose bytes were not read back is not sent as what it shows.
                .filter(|u| !unreadable(u))
                .filter_map(|u| {
                    Some(crate::app::drafts::Unsent {
                        peer: parse_peer(&u.chat)?,
                        time: u.time,
                        chain: u.message.clone(),
                        sends: u.sends_chain.clone(),
                    })
                })
                .collect(),
        }
    }
}

/// True for a waiting message whose bytes' file did not read.
fn unreadable(u: &SavedUnsent) -> bool {
    u.sends.is_some() && u.sends_chain.is_none()
}

/// Reads the session; a missing or broken file gives an empty session (and a log line). What
/// waiting messages send is read back from [`outbox_dir`]; one whose file is gone or broken is
/// dropped (with a log line) rather than sent as what it shows.
pub fn load(path: &Path) -> Saved {
    let mut saved: Saved = match std::fs::read_to_string(path) {
        Ok(s) => serde_json::from_str(&s).unwrap_or_else(|e| {
            tracing::warn!("ignoring unreadable session file {}: {e}", path.display());
            Saved::default()
        }),
        Err(_) => Saved::default(),
    };
    let dir = outbox_dir(path);
    for u in &mut saved.outbox {
        let Some(name) = u.sends.as_deref().filter(|n| is_sends_name(n)) else {
            continue;
        };
        match std::fs::read(dir.join(name)).map(|b| serde_json::from_slice::<MessageChain>(&b)) {
            Ok(Ok(chain)) => u.sends_chain = Some(Arc::new(chain)),
            Ok(Err(e)) => tracing::warn!("a waiting message's {name} does not read: {e}"),
            Err(e) => tracing::warn!("a waiting message's {name} is gone: {e}"),
        }
    }
    saved
}

/// Beside the session file, named after it (`session.outbox/`, the demo's
/// `demo-session.outbox/`): what waiting messages send when that is too big to keep inline.
pub fn outbox_dir(session: &Path) -> PathBuf {
    session.with_extension("outbox")
}

/// Writes `bytes` to `path` atomically: a temp file renamed over it (removed when anything
/// fails, so no half-written file is left behind). Readable by the user alone: drafts and
/// waiting messages are private.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let written = open
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Writes the session atomically, after what its waiting messages send that is not on disk
/// yet; files of messages no longer waiting are removed.
pub fn save(path: &Path, saved: &Saved) -> std::io::Result<()> {
    write(path, saved, true)
}

/// The names of the files a session's waiting messages send from.
fn sends_names(saved: &Saved) -> impl Iterator<Item = &str> {
    saved.outbox.iter().filter_map(|u| u.sends.as_deref())
}

/// `save`, looking for files no longer waiting only with `prune` (the folder is listed then).
fn write(path: &Path, saved: &Saved, prune: bool) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let dir = outbox_dir(path);
    let kept: Vec<(&str, &Arc<MessageChain>)> = saved
        .outbox
        .iter()
        .filter_map(|u| Some((u.sends.as_deref()?, u.sends_chain.as_ref()?)))
        .filter(|(name, _)| is_sends_name(name))
        .collect();
    if !kept.is_empty() {
        std::fs::create_dir_all(&dir)?;
    }
    for (name, chain) in &kept {
        let file = dir.join(name);
        if !file.exists() {
            let bytes = serde_json::to_vec(chain.as_ref()).map_err(std::io::Error::other)?;
            write_atomic(&file, &bytes)?;
        }
    }
    let text = serde_json::to_string_pretty(saved).map_err(std::io::Error::other)?;
    write_atomic(path, text.as_bytes())?;
    // Only names this module makes are removed: nothing else in the folder is touched.
    if !prune {
        return Ok(());
    }
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if is_sends_name(&name) && !kept.iter().any(|(k, _)| *k == name) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    Ok(())
}

/// A save waits this long for a newer one (typing goes on) before it is written…
const QUIET: Duration = Duration::from_millis(300);
/// …but never longer than this after it was asked for: a draft is on disk within a second of
/// typing, even while typing goes on.
const LATEST: Duration = Duration::from_secs(1);

/// True when `saved` changes which messages wait from what `on_disk` says (by chat, time and
/// what they show): such a save is not held back.
fn urgent(saved: &Saved, on_disk: &Saved) -> bool {
    fn waiting(s: &Saved) -> impl Iterator<Item = (&str, i64, &MessageChain)> {
        s.outbox
            .iter()
            .map(|u| (u.chat.as_str(), u.time, &u.message))
    }
    !waiting(saved).eq(waiting(on_disk))
}

/// Saves sessions in the background, newest first: saves asked for while typing goes on
/// collapse into the latest, written once typing pauses (`QUIET`, at most `LATEST` after the
/// first). A save that changes which messages wait is written at once: a message that went
/// out must not be sent again by a start after a crash, nor one just written be lost. A
/// failure is reported once (as `Msg::Failed`) until a save works again.
pub struct Writer {
    tx: UnboundedSender<Saved>,
    task: tokio::task::JoinHandle<()>,
}

impl Writer {
    /// Starts the writer for `path`, which holds `on_disk` (as `load` read it at start);
    /// failures are reported on `report`.
    pub fn spawn(path: PathBuf, mut on_disk: Saved, report: UnboundedSender<Msg>) -> Writer {
        let (tx, mut rx) = unbounded_channel::<Saved>();
        let task = tokio::spawn(async move {
            let mut failing = false;
            // The folder is looked through on the first save (files a crash may have left)
            // and then only when the files waiting messages send from change.
            let mut pruned = false;
            while let Some(mut saved) = rx.recv().await {
                // Saves asked for together (one update's) are one write: the newest.
                while let Ok(newer) = rx.try_recv() {
                    saved = newer;
                }
                let latest = tokio::time::Instant::now() + LATEST;
                while !urgent(&saved, &on_disk) {
                    let quiet = (tokio::time::Instant::now() + QUIET).min(latest);
                    match tokio::time::timeout_at(quiet, rx.recv()).await {
                        Ok(Some(newer)) => saved = newer,
                        // Closed (exiting): write what is there now.
                        Ok(None) | Err(_) => break,
                    }
                }
                let p = path.clone();
                let prune = !pruned || !sends_names(&saved).eq(sends_names(&on_disk));
                let result =
                    tokio::task::spawn_blocking(move || write(&p, &saved, prune).map(|()| saved))
                        .await
                        .unwrap_or_else(|e| Err(std::io::Error::other(e)))
                        .map(|saved| on_disk = saved);
                match result {
                    Ok(()) => {
                        failing = false;
                        pruned = true;
                    }
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
                sends: None,
            }],
            lost: 0,
        };
        let saved = Saved::new(&session);
        save(&path, &saved).unwrap();
        let back = load(&path);
        assert_eq!(back, saved);
        assert_eq!(back.session(), session);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A waiting picture: the session file names it by the picture's hash, its base64 goes to
    /// a file of its own beside it (written once), read back at the next start; once it is no
    /// longer waiting, that file goes.
    #[test]
    fn a_waiting_picture_is_kept_beside_the_session_file() {
        let dir = temp_dir("picture");
        let path = dir.join("session.json");
        let shown = MessageChain(vec![crate::onebot::Segment::image("0123abcd.png")]);
        let sends = MessageChain(vec![crate::onebot::Segment::image("base64://iVBORw0KGgo=")]);
        let session = Session {
            outbox: vec![crate::app::drafts::Unsent {
                peer: Peer::Group(5),
                time: 1_795_000_000,
                chain: shown.clone(),
                sends: Some(Arc::new(sends.clone())),
            }],
            ..Default::default()
        };
        save(&path, &Saved::new(&session)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("base64"),
            "the bytes are not in the session: {text}"
        );
        let files: Vec<_> = std::fs::read_dir(outbox_dir(&path))
            .unwrap()
            .flatten()
            .collect();
        assert_eq!(files.len(), 1);
        #[cfg(unix)]
        for f in [files[0].path(), path.clone()] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&f).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{} is private: {mode:o}", f.display());
        }
        let back = load(&path).session();
        assert_eq!(back, session);
        assert_eq!(back.outbox[0].outgoing(), sends);
        // Sent: the next save has no outbox, and the file is removed.
        save(&path, &Saved::new(&Session::default())).unwrap();
        assert_eq!(std::fs::read_dir(outbox_dir(&path)).unwrap().count(), 0);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// The bytes' file gone (or a session file naming another path): the message is dropped,
    /// never sent as what it shows, and nothing outside the folder is read.
    #[test]
    fn a_waiting_picture_without_its_bytes_is_dropped() {
        let dir = temp_dir("lost");
        let path = dir.join("session.json");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("secret.json"),
            r#"[{"type":"text","data":{"text":"x"}}]"#,
        )
        .unwrap();
        let text = serde_json::json!({
            "outbox": [
                {"chat": "g:5", "time": 1, "message": [{"type": "image", "data": {"file": "a.png"}}],
                 "sends": format!("{}.json", "ab".repeat(32))},
                {"chat": "g:5", "time": 2, "message": [{"type": "image", "data": {"file": "b.png"}}],
                 "sends": "../secret.json"},
                {"chat": "g:5", "time": 3, "message": [{"type": "text", "data": {"text": "在"}}]}
            ]
        });
        std::fs::write(&path, text.to_string()).unwrap();
        let back = load(&path).session();
        assert_eq!(back.outbox.len(), 1, "{:?}", back.outbox);
        assert_eq!(back.outbox[0].chain.plain_text(), "在");
        assert_eq!(back.lost, 2, "and the restart says so");
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
        let w = Writer::spawn(path.clone(), Saved::default(), tx);
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

    /// A message that starts or stops waiting is written at once; a draft typed waits for
    /// typing to pause.
    #[test]
    fn a_change_to_what_waits_is_urgent() {
        let unsent = |text: &str| crate::app::drafts::Unsent {
            peer: Peer::Group(5),
            time: 1_795_000_000,
            chain: MessageChain::new().text(text),
            sends: None,
        };
        let with = |outbox: Vec<crate::app::drafts::Unsent>, typed: &str| {
            Saved::new(&Session {
                drafts: Drafts::from_iter([(Peer::Group(5), draft(typed))]),
                outbox,
                ..Default::default()
            })
        };
        let one = with(vec![unsent("离线写的")], "");
        assert!(!urgent(&with(vec![unsent("离线写的")], "又打了字"), &one));
        assert!(urgent(&with(vec![], ""), &one), "sent: at once");
        assert!(urgent(
            &with(vec![unsent("离线写的"), unsent("又一条")], ""),
            &one
        ));
        assert!(!urgent(&Saved::default(), &Saved::default()));
    }

    /// The writer looks through the outbox folder at its first save (a file a crash left is
    /// removed) and again only when the files waiting messages send from change.
    #[tokio::test]
    async fn the_writer_removes_files_no_longer_waiting() {
        let dir = temp_dir("prune");
        let path = dir.join("session.json");
        let folder = outbox_dir(&path);
        std::fs::create_dir_all(&folder).unwrap();
        let stale = |n: char| folder.join(format!("{}.json", n.to_string().repeat(64)));
        std::fs::write(stale('a'), b"{}").unwrap();
        let picture = |typed: &str| {
            Saved::new(&Session {
                drafts: Drafts::from_iter([(Peer::Group(5), draft(typed))]),
                outbox: vec![crate::app::drafts::Unsent {
                    peer: Peer::Group(5),
                    time: 1_795_000_000,
                    chain: MessageChain(vec![crate::onebot::Segment::image("0123abcd.png")]),
                    sends: Some(Arc::new(MessageChain(vec![crate::onebot::Segment::image(
                        "base64://iVBORw0KGgo=",
                    )]))),
                }],
                ..Default::default()
            })
        };
        let written = |typed: &'static str| {
            let path = path.clone();
            async move {
                let deadline = std::time::Instant::now() + Duration::from_secs(20);
                while load(&path).drafts.get("g:5").map(|d| d.text.as_str()) != Some(typed) {
                    assert!(std::time::Instant::now() < deadline, "never written");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        };
        let names = || -> Vec<String> {
            let mut n: Vec<String> = std::fs::read_dir(&folder)
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            n.sort();
            n
        };
        let (tx, _rx) = unbounded_channel();
        let w = Writer::spawn(path.clone(), Saved::default(), tx);
        let first = picture("一");
        let sends = first.outbox[0].sends.clone().unwrap();
        w.save(first);
        written("一").await;
        assert_eq!(names(), [sends], "the crash's file is gone");
        // The same picture waits: the folder is not looked through again.
        std::fs::write(stale('b'), b"{}").unwrap();
        w.save(picture("二"));
        written("二").await;
        assert_eq!(names().len(), 2);
        // Sent: its file goes, with anything else of ours in the folder.
        w.save(Saved::default());
        w.finish().await;
        assert!(names().is_empty(), "{:?}", names());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn the_writer_reports_a_failure_once() {
        let dir = temp_dir("writer");
        let path = dir.join("session.json");
        std::fs::create_dir_all(path.join("occupied")).unwrap();
        let (tx, mut rx) = unbounded_channel();
        let w = Writer::spawn(path.clone(), Saved::default(), tx);
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
