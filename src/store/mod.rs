//! Local history: every message napterm sees, kept in one SQLite database per account
//! (`$XDG_DATA_HOME/napterm/<QQ>/history.db`), searchable in Chinese.
//!
//! A runtime service. The app talks to it through three handles:
//! - [`StoreWriter`] (cheap to clone, never blocks): every write goes to one writer thread that
//!   commits in batches at least every 100 ms — nothing touches the disk on the loop thread;
//! - [`Reader`] (blocking, its own connection): pages, catch-up questions, `/find`, export — run
//!   it off the loop thread;
//! - the fault callback given to [`Store::open_account`]: called on the writer thread, once, when
//!   writing starts failing (read-only, full, damaged), with a [`StoreError`] to show.
//!
//! The store receives messages, notice lines and names — never configuration, so it cannot hold
//! the access token.

mod error;
mod export;
mod highlight;
mod identity;
mod ingest;
mod open;
mod paths;
mod query;
mod reader;
mod row;
mod schema;
mod search;
mod tokenize;
mod writer;

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

pub use error::StoreError;
pub use export::{Format, local_time};
pub use highlight::{highlight, snippet};
pub use open::MovedAside;
pub use paths::{ACCOUNTS_FILE_NAME, DB_FILE_NAME, DataDir};
pub use query::{ChatRef, Has, Query, QueryError, SenderRef, day_end, day_start};
pub use reader::{Anchor, Newest, Reader, StoredChat};
pub use row::{LineKind, NoticeLine, Pos, Row, StoredMessage, StoredNotice, sent_message};
pub use schema::VERSION as SCHEMA_VERSION;
pub use search::{Hit, MAX_HITS};
pub use tokenize::{index_text, is_cjk};
pub use writer::{Faults, MAX_BATCH, StoreWriter, WINDOW};

/// An open history database with its writer thread. Dropping it commits what was sent and stops
/// the thread.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    writer: StoreWriter,
    thread: Option<JoinHandle<()>>,
}

/// A store just opened, and what happened to a previous file that could not be used.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    /// Set when a damaged or foreign file was moved aside: show it once.
    pub moved_aside: Option<MovedAside>,
}

impl Store {
    /// Opens (creating it if needed) the history of `account` under `data`, and remembers the
    /// account as the last one used. A file that cannot be used is moved aside and a new one
    /// started; a read-only or full folder is an error to show once, then run without a store.
    pub fn open_account<F: Fn(StoreError) + Send + 'static>(
        data: &DataDir,
        account: i64,
        faults: F,
    ) -> Result<Opened, StoreError> {
        let opened = Store::open_path(&data.db_path(account), faults)?;
        if let Err(e) = data.record_last_account(account, None) {
            tracing::warn!("cannot remember the last account: {e}");
        }
        Ok(opened)
    }

    /// Opens (creating it if needed) a history database at `path`.
    pub fn open_path<F: Fn(StoreError) + Send + 'static>(
        path: &Path,
        faults: F,
    ) -> Result<Opened, StoreError> {
        let (conn, moved_aside) = open::open_writer(path, open::Mode::Create)?;
        let store = Store::start(conn, path, Box::new(faults))?;
        Ok(Opened { store, moved_aside })
    }

    /// Opens a database that must exist, never moving it (the command line).
    pub fn open_existing<F: Fn(StoreError) + Send + 'static>(
        path: &Path,
        faults: F,
    ) -> Result<Store, StoreError> {
        let (conn, _) = open::open_writer(path, open::Mode::Existing)?;
        Store::start(conn, path, Box::new(faults))
    }

    fn start(conn: rusqlite::Connection, path: &Path, faults: Faults) -> Result<Store, StoreError> {
        let (writer, thread) = writer::spawn(conn, path.to_path_buf(), faults)?;
        Ok(Store {
            path: path.to_path_buf(),
            writer,
            thread: Some(thread),
        })
    }

    /// The handle to send writes with.
    pub fn writer(&self) -> StoreWriter {
        self.writer.clone()
    }

    /// A new reader with its own connection (keep one per thread that reads).
    pub fn reader(&self) -> Result<Reader, StoreError> {
        Reader::open(&self.path)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Commits everything sent so far and stops the writer thread.
    pub fn close(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.writer.shutdown();
            if thread.join().is_err() {
                tracing::error!("the history writer thread panicked");
            }
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.stop();
    }
}
