//! Finding a stored message by NapCat's id: every lookup of the identity index
//! (`messages_identity` on `(chat, id >> 20, message_id)`, see `schema.rs`) is here, written
//! as the index is, so that the writer's merges and the reader's anchors ask alike.
//!
//! NapCat's ids are 31-bit hashes: within one chat they repeat now and then, so an id names a
//! message only together with about when it was sent.

use rusqlite::{Connection, OptionalExtension, params};

use super::row::flags;

/// How far apart in time two copies of one message sent from here may be stored: the copy
/// stored when NapCat confirmed a send carries this machine's clock, the echo and history
/// pages QQ's.
pub const OWN_COPY_SECONDS: i64 = 600;

const NEAR: &str = "SELECT id FROM messages
    WHERE chat = ?1 AND (id >> 20) IN (?2, ?2 - 1, ?2 + 1) AND message_id = ?3";

const OWN_NEAR: &str = "SELECT id FROM messages
    WHERE chat = ?1 AND (id >> 20) BETWEEN ?2 - ?4 AND ?2 + ?4 AND message_id = ?3
    AND flags & ?5 != 0";

const NEWEST: &str = "SELECT id FROM messages INDEXED BY messages_identity
    WHERE chat = ?1 AND message_id = ?2 ORDER BY (id >> 20) DESC LIMIT 1";

/// The row of message `message_id` of `chat` at `second` or one second either side (a copy
/// that came through another path): three seeks, not a walk over the chat.
pub fn near(
    conn: &Connection,
    chat: i64,
    second: i64,
    message_id: i64,
) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(NEAR)?
        .query_row(params![chat, second, message_id], |r| r.get(0))
        .optional()
}

/// The row of one of the account's own messages within `OWN_COPY_SECONDS` of `second`: a walk
/// over those minutes' entries of the chat, for the few messages sent from here.
pub fn own_near(
    conn: &Connection,
    chat: i64,
    second: i64,
    message_id: i64,
) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(OWN_NEAR)?
        .query_row(
            params![chat, second, message_id, OWN_COPY_SECONDS, flags::OWN],
            |r| r.get(0),
        )
        .optional()
}

/// The newest row of `chat` with `message_id`, its time unknown: the chat's identity entries
/// walked from the newest back — a recent message is found at once, one not stored costs a
/// pass over the chat's (some 40 ns an entry).
pub fn newest(conn: &Connection, chat: i64, message_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(NEWEST)?
        .query_row(params![chat, message_id], |r| r.get(0))
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(conn: &Connection, sql: &str, args: usize) -> Vec<String> {
        let mut s = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let args: Vec<i64> = (1..=args as i64).collect();
        s.query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// Each lookup uses the identity index as its doc says, on the bundled SQLite.
    #[test]
    fn every_lookup_goes_through_the_identity_index() {
        let mut c = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut c, 0).unwrap();
        let near = plan(&c, NEAR, 3);
        assert!(
            near.iter()
                .any(|p| p.contains("messages_identity (chat=? AND <expr>=? AND message_id=?)")),
            "{near:?}"
        );
        let own = plan(&c, OWN_NEAR, 5);
        assert!(
            own.iter()
                .any(|p| p.contains("messages_identity (chat=? AND <expr>>? AND <expr><?)")),
            "{own:?}"
        );
        let newest = plan(&c, NEWEST, 2);
        assert!(
            newest
                .iter()
                .any(|p| p.contains("COVERING INDEX messages_identity")),
            "{newest:?}"
        );
        assert!(
            !newest.iter().any(|p| p.contains("TEMP B-TREE")),
            "{newest:?}"
        );
    }

    #[test]
    fn a_copy_is_found_by_its_second_the_newest_by_its_id() {
        let mut c = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut c, 0).unwrap();
        let at = |t: i64, n: i64| (t << 20) | n;
        for (id, msg, own) in [(at(100, 0), 7, 0), (at(5_000, 0), 7, 0), (at(200, 0), 8, 1)] {
            c.execute(
                "INSERT INTO messages (id, chat, message_id, flags, body) VALUES (?1, 1, ?2, ?3, '[]')",
                params![id, msg, own * flags::OWN],
            )
            .unwrap();
        }
        assert_eq!(near(&c, 1, 101, 7).unwrap(), Some(at(100, 0)));
        assert_eq!(near(&c, 1, 102, 7).unwrap(), None);
        assert_eq!(near(&c, 2, 100, 7).unwrap(), None, "another chat");
        assert_eq!(own_near(&c, 1, 700, 8).unwrap(), Some(at(200, 0)));
        assert_eq!(own_near(&c, 1, 700, 7).unwrap(), None, "not own");
        assert_eq!(newest(&c, 1, 7).unwrap(), Some(at(5_000, 0)));
        assert_eq!(newest(&c, 1, 9).unwrap(), None);
    }
}
