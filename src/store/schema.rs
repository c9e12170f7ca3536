//! The database layout and its migrations: `PRAGMA user_version` counts the migrations applied,
//! `PRAGMA application_id` marks the file as napterm's.
//!
//! A message's row id is its position: `(time << 20) | n`, `n` counting messages stored for the
//! same second. Row ids therefore sort by time across every chat, which is what lets the search
//! index return the newest hits first and stop after a page (`ORDER BY rowid DESC LIMIT n` walks
//! the full-text index backwards) and lets `after:`/`before:` become row id ranges.

use rusqlite::Connection;

/// `PRAGMA application_id` of napterm's history ("NAPT").
pub const APPLICATION_ID: i64 = 0x4E41_5054;

/// How many low bits of a row id count messages within one second.
pub const SECOND_BITS: u32 = 20;

/// The latest times that fit into a row id (well past the year 100000).
pub const MAX_TIME: i64 = (1 << (62 - SECOND_BITS)) - 1;

/// Version 1: messages and notice lines, chat names, the full-text index.
const V1: &str = "
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,             -- (time << 20) | n; the time is id >> 20
    chat INTEGER NOT NULL,              -- the group number, or minus the QQ number of a private chat
    kind INTEGER NOT NULL DEFAULT 0,    -- 0 a message, else the kind of a notice line
    message_id INTEGER,                 -- NapCat's id; NULL for notice lines
    real_seq INTEGER,                   -- QQ's own sequence, when known
    user_id INTEGER NOT NULL DEFAULT 0, -- the sender, or who a notice line is about
    nickname TEXT,
    card TEXT,
    role INTEGER,                       -- 1 owner, 2 admin, 3 member
    flags INTEGER NOT NULL DEFAULT 0,   -- own, has image, file, link
    recalled_by INTEGER,                -- set once recalled (0: by whom is unknown)
    body TEXT NOT NULL                  -- OneBot segment array (JSON), or a notice line's text
);
CREATE UNIQUE INDEX messages_identity ON messages(chat, message_id);
CREATE INDEX messages_by_chat ON messages(chat, id);
CREATE TABLE chats (
    chat INTEGER PRIMARY KEY,
    name TEXT NOT NULL DEFAULT ''
);
-- Contentless: the text lives in `messages`; the index holds only tokens (see tokenize.rs).
CREATE VIRTUAL TABLE search USING fts5(
    chat, text,
    content = '', contentless_delete = 1, prefix = '1',
    tokenize = 'unicode61 remove_diacritics 2'
);
";

/// Version 2: the contents of merged forwards, by forward id.
const V2: &str = "
CREATE TABLE forwards (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL                  -- the forwarded messages: an array of OneBot messages
) WITHOUT ROWID;
";

/// Version 3: a message's identity is its chat, its second and NapCat's id, so that the newest
/// messages of a chat sit together in the index as they do in the table. Keyed by chat and id
/// alone, NapCat's ids (hashes cut to 31 bits) scattered every new message over the whole
/// index: a commit of 200 into a chat of 100,000 rewrote ~170 of its pages, and the index grew
/// costlier with the history. Copies of one message (live, history page, echo) carry the same
/// time; the writer looks for one in the seconds around it (see `ingest::put_message`). The
/// `20` is `SECOND_BITS` (a test checks they agree).
const V3: &str = "
DROP INDEX messages_identity;
CREATE UNIQUE INDEX messages_identity ON messages(chat, id >> 20, message_id);
";

/// Every migration, oldest first; the schema version is how many of them ran.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3];

/// The schema version this napterm writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// What an existing file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// No tables at all: a new file.
    Empty,
    /// napterm's history at this schema version.
    Ours(i64),
    /// Some other program's database.
    Foreign,
}

/// Looks at the file's markers without changing anything.
pub fn inspect(conn: &Connection) -> rusqlite::Result<Found> {
    let app: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok(match (app, tables) {
        (APPLICATION_ID, _) => Found::Ours(version),
        (0, 0) => Found::Empty,
        _ => Found::Foreign,
    })
}

/// Brings the schema from version `from` to [`VERSION`] in one transaction.
pub fn migrate(conn: &mut Connection, from: i64) -> rusqlite::Result<()> {
    if from >= VERSION {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for sql in &MIGRATIONS[from.max(0) as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_gets_every_migration_and_the_markers() {
        let mut c = Connection::open_in_memory().unwrap();
        assert_eq!(inspect(&c).unwrap(), Found::Empty);
        migrate(&mut c, 0).unwrap();
        assert_eq!(inspect(&c).unwrap(), Found::Ours(VERSION));
        for table in ["messages", "chats", "search", "forwards"] {
            let n: i64 = c
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "{table}");
        }
    }

    #[test]
    fn someone_elses_database_is_recognised() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE notes(x)").unwrap();
        assert_eq!(inspect(&c).unwrap(), Found::Foreign);
    }

    #[test]
    fn the_bundled_sqlite_is_the_one_linked() {
        // contentless_delete needs 3.43; Debian 12's system library is 3.40.
        assert!(
            rusqlite::version_number() >= 3_043_000,
            "{}",
            rusqlite::version()
        );
    }

    #[test]
    fn the_identity_index_cuts_row_ids_at_their_second() {
        assert!(V3.contains(&format!("id >> {SECOND_BITS}")));
    }

    #[test]
    fn a_version_2_file_moves_its_messages_to_the_new_identity() {
        let mut c = Connection::open_in_memory().unwrap();
        let tx = c.transaction().unwrap();
        for sql in &MIGRATIONS[..2] {
            tx.execute_batch(sql).unwrap();
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        tx.pragma_update(None, "user_version", 2).unwrap();
        tx.commit().unwrap();
        // The same NapCat id in two chats and, long apart, twice in one chat is impossible in
        // version 2 (chat and id were unique); what it held survives.
        c.execute_batch(
            "INSERT INTO messages (id, chat, message_id, body) VALUES (1048576, 1, 7, '[]');
             INSERT INTO messages (id, chat, message_id, body) VALUES (2097152, 2, 7, '[]');",
        )
        .unwrap();
        assert_eq!(inspect(&c).unwrap(), Found::Ours(2));
        migrate(&mut c, 2).unwrap();
        assert_eq!(inspect(&c).unwrap(), Found::Ours(VERSION));
        let n: i64 = c
            .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        // Now the same id may come again in another second (a different message).
        c.execute(
            "INSERT INTO messages (id, chat, message_id, body) VALUES (3145728, 1, 7, '[]')",
            [],
        )
        .unwrap();
        let dup = c.execute(
            "INSERT INTO messages (id, chat, message_id, body) VALUES (3145729, 1, 7, '[]')",
            [],
        );
        assert!(dup.is_err(), "one second holds an id once");
    }

    #[test]
    fn row_ids_hold_any_realistic_time() {
        const { assert!(MAX_TIME > 4_102_444_800) }; // 2100-01-01
        const { assert!((MAX_TIME << SECOND_BITS) + ((1 << SECOND_BITS) - 1) < i64::MAX) };
    }
}
