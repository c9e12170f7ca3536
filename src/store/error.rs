//! What can go wrong with the history store, as values the caller shows once and carries on.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::ErrorCode;

use super::query::QueryError;

/// A store failure. `Display` is one line meant for the user (status line or stderr).
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The data folder or the database cannot be written (permissions, read-only file system).
    #[error("local history is off: {} is read-only", .path.display())]
    ReadOnly { path: PathBuf },
    /// The disk (or the user's quota) is full.
    #[error("local history is off: the disk holding {} is full", .path.display())]
    Full { path: PathBuf },
    /// The database was written by a newer napterm; it is left alone.
    #[error(
        "local history is off: {} was written by a newer napterm (schema {found}, this one knows {known})",
        .path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// The file is damaged; on opening it is moved aside instead (see `MovedAside`), so this
    /// turns up only when damage is found later, or where moving aside is not wanted (the CLI).
    #[error("{} is damaged: {reason}", .path.display())]
    Corrupt { path: PathBuf, reason: String },
    /// There is no history database (the CLI asked for one that was never written).
    #[error("no local history at {}", .path.display())]
    Missing { path: PathBuf },
    /// No account has been used yet, so there is no "last account".
    #[error("no local history yet: no account has been used on this machine (pass --account QQ)")]
    NoAccount,
    /// A `/find` query that cannot be run.
    #[error("{0}")]
    Query(#[from] QueryError),
    /// The writer task is gone (the store was closed).
    #[error("local history is closed")]
    Closed,
    /// Any other file-system failure.
    #[error("local history: {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: Arc<io::Error>,
    },
    /// Any other database failure.
    #[error("local history: {}: {source}", .path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: Arc<rusqlite::Error>,
    },
}

impl StoreError {
    /// Classifies a file-system error on `path`.
    pub fn io(path: &Path, e: io::Error) -> StoreError {
        let path = path.to_path_buf();
        match e.kind() {
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                StoreError::ReadOnly { path }
            }
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => StoreError::Full { path },
            _ => StoreError::Io {
                path,
                source: Arc::new(e),
            },
        }
    }

    /// Classifies a database error on `path`.
    pub fn sqlite(path: &Path, e: rusqlite::Error) -> StoreError {
        let path = path.to_path_buf();
        match e.sqlite_error_code() {
            Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::CannotOpen) => {
                StoreError::ReadOnly { path }
            }
            Some(ErrorCode::DiskFull) => StoreError::Full { path },
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
                path,
                reason: e.to_string(),
            },
            _ => StoreError::Sqlite {
                path,
                source: Arc::new(e),
            },
        }
    }

    /// True when the store cannot go on writing (as opposed to one write that failed).
    pub fn stops_writing(&self) -> bool {
        matches!(
            self,
            StoreError::ReadOnly { .. }
                | StoreError::Full { .. }
                | StoreError::Corrupt { .. }
                | StoreError::Closed
                | StoreError::Io { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_error(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn permission_and_space_problems_get_their_own_clear_values() {
        let p = Path::new("/x/history.db");
        for kind in [
            io::ErrorKind::PermissionDenied,
            io::ErrorKind::ReadOnlyFilesystem,
        ] {
            let e = StoreError::io(p, io::Error::from(kind));
            assert!(matches!(e, StoreError::ReadOnly { .. }), "{kind:?}: {e}");
            assert!(e.to_string().contains("read-only"), "{e}");
        }
        let e = StoreError::io(p, io::Error::from(io::ErrorKind::StorageFull));
        assert!(matches!(e, StoreError::Full { .. }));
        assert!(e.to_string().contains("full"), "{e}");

        let full = StoreError::sqlite(p, sqlite_error(rusqlite::ffi::SQLITE_FULL));
        assert!(matches!(full, StoreError::Full { .. }));
        let ro = StoreError::sqlite(p, sqlite_error(rusqlite::ffi::SQLITE_READONLY));
        assert!(matches!(ro, StoreError::ReadOnly { .. }));
        let cant = StoreError::sqlite(p, sqlite_error(rusqlite::ffi::SQLITE_CANTOPEN));
        assert!(matches!(cant, StoreError::ReadOnly { .. }));
        let bad = StoreError::sqlite(p, sqlite_error(rusqlite::ffi::SQLITE_NOTADB));
        assert!(matches!(bad, StoreError::Corrupt { .. }));
        assert!(full.stops_writing() && ro.stops_writing() && bad.stops_writing());
        let busy = StoreError::sqlite(p, sqlite_error(rusqlite::ffi::SQLITE_BUSY));
        assert!(!busy.stops_writing());
    }

    #[test]
    fn messages_are_one_line() {
        let e = StoreError::TooNew {
            path: "/d/history.db".into(),
            found: 9,
            known: 2,
        };
        assert!(!e.to_string().contains('\n'));
        assert!(e.to_string().contains("newer napterm"));
    }
}
