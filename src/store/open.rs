//! Opening the database file: private modes, WAL, the schema brought up to date, and a damaged or
//! foreign file moved aside (with its WAL) so a fresh one can start.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::error::StoreError;
use super::paths::{private_dir, private_file};
use super::schema::{self, Found};

/// How long a connection waits for another one's lock (another napterm, the CLI) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The first 16 bytes of every SQLite database.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// A damaged or foreign file that was moved out of the way; `Display` is the message to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedAside {
    /// Where the file was.
    pub from: PathBuf,
    /// Where it is now.
    pub to: PathBuf,
    /// What was wrong with it.
    pub reason: String,
}

impl fmt::Display for MovedAside {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "local history: {} could not be used ({}); it was moved to {} and a new one started",
            self.from.display(),
            self.reason,
            self.to.display()
        )
    }
}

/// Whether opening may create the file and move a bad one aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The app: create what is missing, move aside what is unusable.
    Create,
    /// The CLI: the file must exist and is never moved.
    Existing,
}

/// Why one attempt failed.
enum Attempt {
    /// The file is unusable and may be moved aside.
    Unusable(String),
    Failed(StoreError),
}

impl From<StoreError> for Attempt {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Corrupt { reason, .. } => Attempt::Unusable(reason),
            e => Attempt::Failed(e),
        }
    }
}

/// Opens the writing connection, creating and migrating as needed.
pub fn open_writer(
    path: &Path,
    mode: Mode,
) -> Result<(Connection, Option<MovedAside>), StoreError> {
    match mode {
        Mode::Create => {
            if let Some(dir) = path.parent() {
                private_dir(dir)?;
            }
        }
        Mode::Existing => {
            if !path.exists() {
                return Err(StoreError::Missing {
                    path: path.to_path_buf(),
                });
            }
        }
    }
    match attempt(path, mode) {
        Ok(conn) => Ok((conn, None)),
        Err(Attempt::Failed(e)) => Err(e),
        Err(Attempt::Unusable(reason)) if mode == Mode::Create => {
            let to = move_aside(path)?;
            tracing::warn!(from = %path.display(), to = %to.display(), %reason, "history database moved aside");
            let moved = MovedAside {
                from: path.to_path_buf(),
                to,
                reason,
            };
            match attempt(path, mode) {
                Ok(conn) => Ok((conn, Some(moved))),
                Err(Attempt::Failed(e)) => Err(e),
                Err(Attempt::Unusable(reason)) => Err(StoreError::Corrupt {
                    path: path.to_path_buf(),
                    reason,
                }),
            }
        }
        Err(Attempt::Unusable(reason)) => Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            reason,
        }),
    }
}

fn attempt(path: &Path, mode: Mode) -> Result<Connection, Attempt> {
    let sql = |e| StoreError::sqlite(path, e);
    if let Some(reason) = not_sqlite(path) {
        return Err(Attempt::Unusable(reason));
    }
    private_file(path).map_err(|e| StoreError::io(path, e))?;
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if mode == Mode::Create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags).map_err(sql)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
    let found = schema::inspect(&conn).map_err(sql)?;
    let version = match found {
        Found::Foreign => {
            return Err(Attempt::Unusable(
                "it is not napterm's history database".into(),
            ));
        }
        Found::Ours(v) if v > schema::VERSION => {
            return Err(Attempt::Failed(StoreError::TooNew {
                path: path.to_path_buf(),
                found: v,
                known: schema::VERSION,
            }));
        }
        Found::Ours(v) => v,
        Found::Empty => 0,
    };
    // WAL: readers never wait for the writer, and a commit is one append (no fsync with NORMAL:
    // a killed process loses nothing committed; a power cut at most the last commits).
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
        .map_err(sql)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(sql)?;
    schema::migrate(&mut conn, version).map_err(sql)?;
    // The writer's page cache and WAL: measured on a million messages, an 8 MiB cache and a
    // checkpoint every 16 MiB of WAL cost a fifth less CPU per message than the defaults (2 MiB,
    // 4 MiB), most of it copies between SQLite and the kernel. Readers keep the defaults.
    conn.execute_batch(
        "PRAGMA cache_size = -8192; PRAGMA wal_autocheckpoint = 4000;
         PRAGMA journal_size_limit = 16777216;",
    )
    .map_err(sql)?;
    if let Err(e) = merge_less(&conn) {
        // Only a matter of speed: the index stays right with FTS5's default.
        tracing::warn!("history: the full-text index keeps its merge setting: {e}");
    }
    Ok(conn)
}

/// How many segments of one size the full-text index gathers before merging them (FTS5's
/// default is 4). Each merge rewrites what it merges, so with 4 every message was rewritten
/// about twice as often as with 16: measured on 100,000 messages committed 80 at a time, 16
/// costs a quarter less CPU per insert, while a search reads a few more segments (0.09 → 0.13
/// ms for a page of hits).
pub const AUTOMERGE: i64 = 16;

/// The index's `automerge` as its config table holds it (None: FTS5's default).
fn automerge(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT v FROM search_config WHERE k = 'automerge'",
        [],
        |r| r.get(0),
    )
    .optional()
}

/// Sets [`AUTOMERGE`] (kept in the index's own config table) unless it is set already.
fn merge_less(conn: &Connection) -> rusqlite::Result<()> {
    if automerge(conn)? != Some(AUTOMERGE) {
        conn.execute(
            "INSERT INTO search(search, rank) VALUES ('automerge', ?1)",
            [AUTOMERGE],
        )?;
    }
    Ok(())
}

/// Opens a connection that only reads (its own, so reads never wait on the writer thread).
pub fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let sql = |e| StoreError::sqlite(path, e);
    // Read-write at the file level: WAL readers need the shared-memory file.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
    conn.pragma_update(None, "query_only", true).map_err(sql)?;
    match schema::inspect(&conn).map_err(sql)? {
        Found::Ours(v) if v == schema::VERSION => Ok(conn),
        Found::Ours(v) if v > schema::VERSION => Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: v,
            known: schema::VERSION,
        }),
        _ => Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            reason: "not napterm's history database at this version".into(),
        }),
    }
}

/// Why an existing, non-empty file cannot be a SQLite database, if it cannot.
fn not_sqlite(path: &Path) -> Option<String> {
    let mut f = fs::File::open(path).ok()?;
    let mut head = [0u8; 16];
    match f.read(&mut head) {
        Ok(0) => None,
        Ok(n) if n == head.len() && &head == SQLITE_MAGIC => None,
        Ok(_) => Some("it is not a SQLite database".into()),
        Err(e) => Some(format!("it cannot be read: {e}")),
    }
}

/// Renames the file and its WAL and shared-memory files to `<name>.broken-<time>[-n]`.
fn move_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "history.db".into());
    let mut to = path.with_file_name(format!("{name}.broken-{stamp}"));
    let mut n = 1;
    while to.exists() {
        n += 1;
        to = path.with_file_name(format!("{name}.broken-{stamp}-{n}"));
    }
    fs::rename(path, &to).map_err(|e| StoreError::io(path, e))?;
    for suffix in ["-wal", "-shm"] {
        let side = sibling(path, suffix);
        if side.exists() {
            // A leftover WAL must not be replayed into the fresh file.
            if fs::rename(&side, sibling(&to, suffix)).is_err() {
                fs::remove_file(&side).map_err(|e| StoreError::io(&side, e))?;
            }
        }
    }
    Ok(to)
}

/// `history.db` + `-wal` → `history.db-wal`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_merges_at_sixteen_segments_in_new_and_old_stores() {
        let dir = std::env::temp_dir().join(format!("napterm-automerge-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("history.db");
        let (conn, _) = open_writer(&path, Mode::Create).unwrap();
        assert_eq!(automerge(&conn).unwrap(), Some(AUTOMERGE));
        // A store from before the setting (FTS5's default, 4) gets it when opened.
        conn.execute(
            "INSERT INTO search(search, rank) VALUES ('automerge', 4)",
            [],
        )
        .unwrap();
        drop(conn);
        let (conn, _) = open_writer(&path, Mode::Existing).unwrap();
        assert_eq!(automerge(&conn).unwrap(), Some(AUTOMERGE));
        // Setting it is a change of the connection; once set, opening changes nothing.
        assert!(conn.total_changes() > 0);
        drop(conn);
        let (conn, _) = open_writer(&path, Mode::Existing).unwrap();
        assert_eq!(conn.total_changes(), 0);
        drop(conn);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
