//! The history service: a thread of its own that owns the open local history (its writer
//! handle and a reader) and does what the app asks — open an account's store, write, read —
//! answering through the loop's channel as `Msg::Store`. Nothing here runs on the loop thread:
//! the loop only sends commands. Writes go on to the store's own writer thread, which batches
//! them; reads are done here, one after another, in the order they were asked.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::app::stored::{PageFor, ReadKind, StoreEvent, StoreRead, StoreWrite};
use crate::lazy::{self, Wait};
use crate::store::{Anchor, DataDir, Reader, Store, StoreError};

/// Where the local history lives and which URL it is for (the last account used with it opens
/// before the connection says who we are).
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    pub data: DataDir,
    pub url: String,
}

/// How long a write may wait on this thread before it goes on to the store's writer (which
/// batches it again, for up to [`crate::store::WINDOW`]).
pub const WRITE_WINDOW: Duration = Duration::from_millis(50);

enum Cmd {
    LastAccount,
    Open(i64),
    Write(StoreWrite),
    Read(StoreRead),
    Flush(mpsc::SyncSender<Result<(), StoreError>>),
    Stop,
}

/// The handle the loop keeps. Dropping it commits what was written and stops the thread.
pub struct HistoryService {
    tx: lazy::Sender<Cmd>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for HistoryService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HistoryService")
    }
}

impl HistoryService {
    /// Starts the thread; it tells the app the last account used with the URL at once.
    pub fn start(opts: HistoryOptions, app: UnboundedSender<Msg>) -> std::io::Result<Self> {
        let (tx, rx) = lazy::channel();
        let thread = std::thread::Builder::new()
            .name("napterm-history-io".into())
            .spawn(move || Service::new(opts, app).run(rx))?;
        let s = HistoryService {
            tx,
            thread: Some(thread),
        };
        s.send(Cmd::LastAccount);
        Ok(s)
    }

    /// Writes wait for the thread's next look ([`WRITE_WINDOW`]); everything else is done at once.
    fn send(&self, cmd: Cmd) {
        let sent = match cmd {
            Cmd::Write(_) => self.tx.send(cmd),
            _ => self.tx.send_now(cmd),
        };
        if sent.is_err() {
            tracing::debug!("history service gone; command dropped");
        }
    }

    /// Opens `account`'s store (closing another).
    pub fn open(&self, account: i64) {
        self.send(Cmd::Open(account));
    }

    /// A write.
    pub fn write(&self, w: StoreWrite) {
        self.send(Cmd::Write(w));
    }

    /// A read; the answer comes back as `Msg::Store`.
    pub fn read(&self, r: StoreRead) {
        self.send(Cmd::Read(r));
    }

    /// Blocks until everything written so far is committed (tests; never on the loop thread
    /// while it runs).
    pub fn flush(&self) -> Result<(), StoreError> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.tx
            .send_now(Cmd::Flush(tx))
            .map_err(|_| StoreError::Closed)?;
        rx.recv().unwrap_or(Err(StoreError::Closed))
    }

    /// Commits what was written and stops the thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(t) = self.thread.take() {
            let _ = self.tx.send_now(Cmd::Stop);
            if t.join().is_err() {
                tracing::error!("the history service thread panicked");
            }
        }
    }
}

impl Drop for HistoryService {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The open store of one account.
struct Open {
    account: i64,
    store: Store,
    reader: Reader,
}

struct Service {
    opts: HistoryOptions,
    app: UnboundedSender<Msg>,
    open: Option<Open>,
}

impl Service {
    fn new(opts: HistoryOptions, app: UnboundedSender<Msg>) -> Self {
        Service {
            opts,
            app,
            open: None,
        }
    }

    fn tell(&self, ev: StoreEvent) {
        let _ = self.app.send(Msg::Store(ev));
    }

    fn run(mut self, rx: lazy::Receiver<Cmd>) {
        // After a write the thread lingers for the writes that follow it, so a flood wakes it
        // once per window rather than once per message; commands other than writes end the wait.
        let mut linger: Option<Instant> = None;
        loop {
            let cmd = match linger {
                Some(deadline) => match rx.recv_until(deadline) {
                    Ok(cmd) => cmd,
                    Err(Wait::Timeout) => {
                        linger = None;
                        continue;
                    }
                    Err(Wait::Closed) => break,
                },
                None => match rx.recv() {
                    Some(cmd) => cmd,
                    None => break,
                },
            };
            if matches!(cmd, Cmd::Write(_)) && linger.is_none() {
                linger = Some(Instant::now() + WRITE_WINDOW);
            }
            match cmd {
                Cmd::LastAccount => {
                    let last = self.opts.data.last_account_for(&self.opts.url);
                    self.tell(StoreEvent::LastAccount(last));
                }
                Cmd::Open(account) => self.open(account),
                Cmd::Write(w) => self.write(w),
                Cmd::Read(r) => self.read(r),
                Cmd::Flush(reply) => {
                    let r = match &self.open {
                        Some(o) => o.store.writer().flush(),
                        None => Ok(()),
                    };
                    let _ = reply.send(r);
                }
                Cmd::Stop => break,
            }
        }
        if let Some(o) = self.open.take() {
            o.store.close();
        }
    }

    fn open(&mut self, account: i64) {
        if let Some(o) = &self.open
            && o.account == account
        {
            let chats = o.reader.chats().unwrap_or_default();
            self.tell(StoreEvent::Opened {
                account,
                chats,
                notice: None,
            });
            return;
        }
        if let Some(o) = self.open.take() {
            o.store.close();
        }
        let app = self.app.clone();
        let faults = move |e: StoreError| {
            let _ = app.send(Msg::Store(StoreEvent::Fault(e.to_string())));
        };
        // Opened by path, and the account remembered after the app was told: remembering
        // syncs a file, which may take a while on a busy disk.
        let path = self.opts.data.db_path(account);
        let started = std::time::Instant::now();
        let opened = Store::open_path(&path, faults).and_then(|o| {
            let reader = o.store.reader()?;
            let chats = reader.chats()?;
            Ok((o, reader, chats))
        });
        match opened {
            Ok((o, reader, chats)) => {
                let notice = o.moved_aside.map(|m| m.to_string());
                tracing::info!(
                    account,
                    path = %o.store.path().display(),
                    ms = started.elapsed().as_millis() as u64,
                    "history open"
                );
                self.open = Some(Open {
                    account,
                    store: o.store,
                    reader,
                });
                self.tell(StoreEvent::Opened {
                    account,
                    chats,
                    notice,
                });
                if let Err(e) = self
                    .opts
                    .data
                    .record_last_account(account, Some(&self.opts.url))
                {
                    tracing::warn!("cannot remember the last account: {e}");
                }
            }
            Err(e) => {
                tracing::warn!("history: {e}");
                self.tell(StoreEvent::Unavailable {
                    account,
                    reason: e.to_string(),
                });
            }
        }
    }

    fn write(&self, w: StoreWrite) {
        let Some(o) = &self.open else {
            tracing::debug!("history write without a store; not stored");
            return;
        };
        let writer = o.store.writer();
        match w {
            StoreWrite::Message(ev) => writer.message(*ev),
            StoreWrite::Notice(line) => writer.notice(line),
            StoreWrite::Recall {
                peer,
                message_id,
                by,
            } => writer.recall(peer, message_id, by),
            StoreWrite::ChatName { peer, name } => writer.chat_name(peer, name),
            StoreWrite::Forward { id, messages } => writer.forward(id, messages),
            StoreWrite::Forget(peer) => {
                writer.forget(peer);
                self.tell(StoreEvent::Forgotten(peer));
            }
        }
    }

    fn read(&self, r: StoreRead) {
        let Some(o) = &self.open else {
            let what = match &r {
                StoreRead::Page { peer, .. } => ReadKind::Page(*peer),
                StoreRead::Around { peer, .. } => ReadKind::Around(*peer),
                StoreRead::Find { .. } => ReadKind::Find,
            };
            self.tell(StoreEvent::ReadFailed {
                what,
                reason: "本地记录没有打开".into(),
            });
            return;
        };
        let reader = &o.reader;
        let ev = match r {
            StoreRead::Page {
                peer,
                anchor,
                limit,
                purpose,
            } => {
                let rows = match (purpose, anchor) {
                    (PageFor::Newer, Some(a)) => reader.page_after(peer, a, limit),
                    (PageFor::Newer, None) => {
                        reader.page_after(peer, Anchor::Pos(crate::store::Pos(-1)), limit)
                    }
                    _ => reader.page_before(peer, anchor, limit),
                };
                match rows {
                    Ok(rows) => StoreEvent::Page {
                        peer,
                        anchor,
                        limit,
                        purpose,
                        rows,
                    },
                    Err(e) => StoreEvent::ReadFailed {
                        what: ReadKind::Page(peer),
                        reason: e.to_string(),
                    },
                }
            }
            StoreRead::Around {
                peer,
                message_id,
                before,
                after,
            } => match reader.around(peer, message_id, before, after) {
                Ok(rows) => StoreEvent::Around {
                    peer,
                    message_id,
                    rows,
                },
                Err(e) => StoreEvent::ReadFailed {
                    what: ReadKind::Around(peer),
                    reason: e.to_string(),
                },
            },
            StoreRead::Find { text, query, limit } => match reader.search(&query, limit) {
                Ok(hits) => StoreEvent::Found { text, hits },
                Err(e) => StoreEvent::ReadFailed {
                    what: ReadKind::Find,
                    reason: e.to_string(),
                },
            },
        };
        self.tell(ev);
    }
}
