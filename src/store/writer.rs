//! The one writer: a thread of its own that owns the writing connection, takes writes from a
//! channel and commits them in batches, so nothing touches the disk on the loop thread.
//!
//! A batch closes after [`WINDOW`] or [`MAX_BATCH`] writes, whichever comes first, so a write is
//! committed (and survives `kill -9`) at most about a tenth of a second after it reached this
//! thread; under a flood (the last batch held [`FLOOD_BATCH`] writes or more) after
//! [`FLOOD_WINDOW`], as a commit costs more than the writes it takes. Writes do not wake the thread while it gathers a batch ([`crate::lazy`]); a flush
//! and the shutdown do. A failure that stops writing (read-only, full, damaged) is reported once through the fault
//! callback, and again only after writing had recovered in between; every failure is logged.

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::lazy::{self, Wait};
use crate::onebot::{MessageEvent, Peer};

use super::error::StoreError;
use super::ingest::{self, BatchMemo};
use super::row::NoticeLine;

/// The longest a write waits for others to share its commit.
pub const WINDOW: Duration = Duration::from_millis(100);

/// How long a batch gathers after one of [`FLOOD_BATCH`] writes or more (see [`window_after`]).
pub const FLOOD_WINDOW: Duration = Duration::from_secs(1);

/// A batch this big says a flood is on.
pub const FLOOD_BATCH: usize = 4;

/// How long the next batch gathers, given how many writes the last one held.
pub fn window_after(last_writes: usize) -> Duration {
    if last_writes >= FLOOD_BATCH {
        FLOOD_WINDOW
    } else {
        WINDOW
    }
}

/// The most writes one commit takes.
pub const MAX_BATCH: usize = 16_384;

/// Called on the writer thread when writing starts failing (once per failure streak).
pub type Faults = Box<dyn Fn(StoreError) + Send + 'static>;

/// One write.
enum Op {
    Message(Box<MessageEvent>),
    Notice(Box<NoticeLine>),
    Recall {
        peer: Peer,
        message_id: i64,
        by: i64,
    },
    ChatName {
        peer: Peer,
        name: String,
    },
    Forward {
        id: String,
        messages: Vec<MessageEvent>,
    },
    Forget(Peer),
    Flush(mpsc::SyncSender<Result<(), StoreError>>),
    Shutdown,
}

/// Sends writes to the writer thread. Cheap to clone; sending never blocks and never fails
/// visibly (a write after the store closed is logged and dropped).
#[derive(Clone)]
pub struct StoreWriter {
    tx: lazy::Sender<Op>,
}

impl std::fmt::Debug for StoreWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreWriter")
    }
}

impl StoreWriter {
    /// A write: it waits for the batch it falls into, so a flood does not wake the thread per
    /// write (see [`crate::lazy`]).
    fn send(&self, op: Op) {
        if self.tx.send(op).is_err() {
            tracing::debug!("history write after the store closed; not stored");
        }
    }

    /// Stores a message from any source (live, `message_sent`, a history page, `get_msg`, an own
    /// send built with [`super::sent_message`]); a message already stored is merged, not doubled.
    pub fn message(&self, ev: MessageEvent) {
        self.send(Op::Message(Box::new(ev)));
    }

    /// Stores many messages (a history page).
    pub fn messages(&self, evs: impl IntoIterator<Item = MessageEvent>) {
        for ev in evs {
            self.message(ev);
        }
    }

    /// Stores a notice line.
    pub fn notice(&self, line: NoticeLine) {
        self.send(Op::Notice(Box::new(line)));
    }

    /// Marks a stored message recalled, by `by` (0 when unknown).
    pub fn recall(&self, peer: Peer, message_id: i64, by: i64) {
        self.send(Op::Recall {
            peer,
            message_id,
            by,
        });
    }

    /// Names a chat (a group's name, a friend's remark), for offline starts and `in:` filters.
    pub fn chat_name(&self, peer: Peer, name: impl Into<String>) {
        self.send(Op::ChatName {
            peer,
            name: name.into(),
        });
    }

    /// Stores the fetched contents of a merged forward.
    pub fn forward(&self, id: impl Into<String>, messages: Vec<MessageEvent>) {
        self.send(Op::Forward {
            id: id.into(),
            messages,
        });
    }

    /// Deletes a chat's whole local history (after everything sent before it is stored).
    pub fn forget(&self, peer: Peer) {
        self.send(Op::Forget(peer));
    }

    /// Blocks until everything sent before is committed; the last error since the previous
    /// flush when a commit failed.
    /// For shutdown, tests and the CLI — never call it on the loop thread.
    pub fn flush(&self) -> Result<(), StoreError> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.tx
            .send_now(Op::Flush(tx))
            .map_err(|_| StoreError::Closed)?;
        rx.recv().unwrap_or(Err(StoreError::Closed))
    }

    /// Asks the thread to commit what it has and stop.
    pub(super) fn shutdown(&self) {
        let _ = self.tx.send_now(Op::Shutdown);
    }
}

/// Starts the writer thread on an open, migrated connection.
pub(super) fn spawn(
    conn: Connection,
    path: PathBuf,
    faults: Faults,
) -> Result<(StoreWriter, JoinHandle<()>), StoreError> {
    let (tx, rx) = lazy::channel();
    let handle = std::thread::Builder::new()
        .name("napterm-history".into())
        .spawn(move || Writer::new(conn, path, faults).run(rx))
        .map_err(|e| StoreError::Io {
            path: PathBuf::from("napterm-history thread"),
            source: std::sync::Arc::new(e),
        })?;
    Ok((StoreWriter { tx }, handle))
}

/// The thread's state.
struct Writer {
    conn: Connection,
    path: PathBuf,
    faults: Faults,
    /// Writing is failing (reported already).
    failing: bool,
    /// The last failure since a flush was last answered (a flush reports it).
    unflushed: Option<StoreError>,
}

impl Writer {
    fn new(conn: Connection, path: PathBuf, faults: Faults) -> Writer {
        Writer {
            conn,
            path,
            faults,
            failing: false,
            unflushed: None,
        }
    }

    fn run(mut self, rx: lazy::Receiver<Op>) {
        let mut last = 0;
        loop {
            let Some(first) = rx.recv() else {
                return; // every sender is gone: nothing more can come
            };
            let mut batch = vec![first];
            let deadline = Instant::now() + window_after(last);
            let mut disconnected = false;
            while batch.len() < MAX_BATCH
                && !matches!(batch.last(), Some(Op::Flush(_) | Op::Shutdown))
            {
                match rx.recv_until(deadline) {
                    Ok(op) => batch.push(op),
                    Err(Wait::Timeout) => break,
                    Err(Wait::Closed) => {
                        disconnected = true;
                        break;
                    }
                }
            }
            last = batch.len();
            let stop = self.commit(batch);
            if stop || disconnected {
                let _ = self.conn.execute_batch("PRAGMA optimize");
                return;
            }
        }
    }

    /// Applies and commits one batch, answers its flushes; true when asked to stop.
    fn commit(&mut self, batch: Vec<Op>) -> bool {
        let mut flushes = Vec::new();
        let mut stop = false;
        let writes = batch
            .iter()
            .filter(|op| !matches!(op, Op::Flush(_) | Op::Shutdown))
            .count();
        let result = if writes == 0 {
            Ok(())
        } else {
            self.apply(&batch)
        };
        for op in batch {
            match op {
                Op::Flush(reply) => flushes.push(reply),
                Op::Shutdown => stop = true,
                _ => {}
            }
        }
        if let Err(e) = &result {
            self.unflushed = Some(e.clone());
        }
        match &result {
            Ok(()) => {
                if self.failing && writes > 0 {
                    tracing::info!("history writes work again");
                    self.failing = false;
                }
            }
            Err(e) => {
                tracing::error!(lost = writes, "history: {e}");
                if !self.failing {
                    self.failing = true;
                    (self.faults)(e.clone());
                }
            }
        }
        if !flushes.is_empty() {
            let answer = match self.unflushed.take() {
                Some(e) => Err(e),
                None => Ok(()),
            };
            for reply in flushes {
                let _ = reply.send(answer.clone());
            }
        }
        stop
    }

    /// Runs every write of the batch in one transaction. A write that fails on its own (bad
    /// data) is logged and skipped; one that stops writing (full, read-only) loses the batch.
    fn apply(&mut self, batch: &[Op]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |e| StoreError::sqlite(&path, e);
        // IMMEDIATE: take the write lock up front, so waiting for another writer (the CLI's
        // forget) happens once per batch, not once per write.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let mut memo = BatchMemo::default();
        for op in batch {
            let done = match op {
                Op::Message(ev) => ingest::put_message(&tx, ev, &mut memo).map(|s| {
                    if s == ingest::Stored::Skipped {
                        tracing::debug!(
                            message_id = ev.message_id,
                            "history: message without chat or id not stored"
                        );
                    }
                }),
                Op::Notice(line) => ingest::put_notice(&tx, line, &mut memo).map(drop),
                Op::Recall {
                    peer,
                    message_id,
                    by,
                } => ingest::put_recall(&tx, *peer, *message_id, *by).map(drop),
                Op::ChatName { peer, name } => ingest::put_chat_name(&tx, *peer, name),
                Op::Forward { id, messages } => ingest::put_forward(&tx, id, messages),
                Op::Forget(peer) => ingest::forget(&tx, *peer).map(drop),
                Op::Flush(_) | Op::Shutdown => Ok(()),
            };
            if let Err(e) = done {
                let e = sql(e);
                if e.stops_writing() || tx.is_autocommit() {
                    return Err(e);
                }
                tracing::warn!("history: a write was not stored: {e}");
            }
        }
        tx.commit().map_err(sql)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onebot::MessageChain;
    use crate::onebot::event::MessageType;
    use std::sync::{Arc, Mutex};

    fn message(id: i64, text: &str) -> MessageEvent {
        MessageEvent {
            time: 1_700_000_000,
            message_id: id,
            message_type: MessageType::Group,
            group_id: Some(42),
            user_id: 7,
            message: MessageChain::new().text(text),
            ..Default::default()
        }
    }

    fn open(dir: &std::path::Path) -> (Connection, PathBuf) {
        let path = dir.join("history.db");
        let (conn, _) =
            super::super::open::open_writer(&path, super::super::open::Mode::Create).expect("open");
        (conn, path)
    }

    #[test]
    fn a_flood_gathers_longer_batches() {
        assert_eq!(window_after(0), WINDOW);
        assert_eq!(window_after(FLOOD_BATCH - 1), WINDOW);
        assert_eq!(window_after(FLOOD_BATCH), FLOOD_WINDOW);
        assert!(FLOOD_WINDOW > WINDOW);
    }

    #[test]
    fn a_full_disk_is_reported_once_and_writing_goes_on_afterwards() {
        let dir = std::env::temp_dir().join(format!("napterm-writer-full-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (conn, path) = open(&dir);
        // The database may not grow: every insert now fails as on a full disk.
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "max_page_count", pages).unwrap();
        let reported = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&reported);
        let (writer, handle) = spawn(
            conn,
            path.clone(),
            Box::new(move |e| sink.lock().unwrap().push(e.to_string())),
        )
        .unwrap();
        for round in 0..3 {
            writer.messages((0..200).map(|i| message(round * 1000 + i + 1, &"长文本".repeat(50))));
            let r = writer.flush();
            assert!(matches!(r, Err(StoreError::Full { .. })), "{r:?}");
        }
        let got = reported.lock().unwrap().clone();
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("full"), "{got:?}");
        writer.shutdown();
        handle.join().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn flush_waits_for_the_commit() {
        let dir = std::env::temp_dir().join(format!("napterm-writer-flush-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (conn, path) = open(&dir);
        let (writer, handle) = spawn(conn, path.clone(), Box::new(|_| {})).unwrap();
        writer.messages((1..=10).map(|i| message(i, "你好")));
        writer.message(message(3, "你好"));
        writer.flush().unwrap();
        let other = Connection::open(&path).unwrap();
        let n: i64 = other
            .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 10);
        writer.shutdown();
        handle.join().unwrap();
        assert!(matches!(writer.flush(), Err(StoreError::Closed)));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
