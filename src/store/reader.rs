//! Reading the store: a chat's pages (newest before an anchor, or after one, or around a
//! message), what catch-up needs to know (is message X stored? the newest stored per chat), the
//! stored chats. A `Reader` has its own connection; it blocks, so run it off the loop thread
//! (`spawn_blocking`, or a thread that owns it).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use crate::onebot::{MessageEvent, Peer};

use super::error::StoreError;
use super::identity;
use super::open::open_reader;
use super::row::{self, COLUMNS, Pos, Row, StoredMessage, chat_key, peer_of};

/// Where a page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// A row read from the store.
    Pos(Pos),
    /// A message known by id and time (from the network, maybe not stored): its stored row when
    /// there is one, else the end of its second.
    Message { time: i64, message_id: i64 },
}

/// The newest stored message of a chat (where catch-up can stop).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Newest {
    pub pos: Pos,
    pub message_id: i64,
    pub real_seq: Option<i64>,
}

impl Newest {
    /// Its time (Unix seconds).
    pub fn time(&self) -> i64 {
        self.pos.time()
    }
}

/// A chat that has stored history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChat {
    pub peer: Peer,
    /// The last name known for it ("" when none).
    pub name: String,
    /// Its newest stored message, if any (a chat may hold only notice lines).
    pub newest: Option<Newest>,
}

/// Puts messages of the same second in QQ's order (`real_seq`) where they all have one: a
/// position orders by storage within a second, and catch-up stores newer pages first.
fn order_within_seconds(rows: &mut [Row]) {
    let mut start = 0;
    while start < rows.len() {
        let time = rows[start].time();
        let end = start
            + rows[start..]
                .iter()
                .take_while(|r| r.time() == time)
                .count();
        let slots: Vec<usize> = (start..end)
            .filter(|&i| rows[i].message().is_some())
            .collect();
        let seqs: Option<Vec<i64>> = slots
            .iter()
            .map(|&i| rows[i].message().and_then(|m| m.real_seq))
            .collect();
        if let Some(seqs) = seqs
            && slots.len() > 1
            && seqs.windows(2).any(|w| w[0] > w[1])
        {
            let mut messages: Vec<(i64, Row)> = seqs
                .into_iter()
                .zip(slots.iter().map(|&i| rows[i].clone()))
                .collect();
            messages.sort_by_key(|(seq, _)| *seq);
            for (&slot, (_, row)) in slots.iter().zip(messages) {
                rows[slot] = row;
            }
        }
        start = end;
    }
}

/// Reads one account's history.
pub struct Reader {
    pub(super) conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("path", &self.path).finish()
    }
}

impl Reader {
    /// A reader of the database at `path` (which must exist, at this schema version).
    pub fn open(path: &Path) -> Result<Reader, StoreError> {
        Ok(Reader {
            conn: open_reader(path)?,
            path: path.to_path_buf(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn sql(&self, e: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.path, e)
    }

    /// The row id bound an anchor stands for in `peer`.
    fn bound(&self, peer: Peer, anchor: Anchor, after: bool) -> Result<i64, StoreError> {
        Ok(match anchor {
            Anchor::Pos(p) => p.0,
            Anchor::Message { time, message_id } => match self.pos_near(peer, message_id, time)? {
                Some(p) => p.0,
                // Not stored: everything of its second counts as around it (the app drops what
                // it already holds by message id).
                None if after => Pos::first_of(time).0 - 1,
                None => Pos::first_of(time.saturating_add(1)).0,
            },
        })
    }

    /// The newest `limit` rows of `peer` before `anchor` (or the newest of all), oldest first.
    pub fn page_before(
        &self,
        peer: Peer,
        anchor: Option<Anchor>,
        limit: usize,
    ) -> Result<Vec<Row>, StoreError> {
        let bound = match anchor {
            Some(a) => self.bound(peer, a, false)?,
            None => i64::MAX,
        };
        let mut rows = self.rows(
            &format!(
                "SELECT {COLUMNS} FROM messages m WHERE m.chat = ?1 AND m.id < ?2
                 ORDER BY m.id DESC LIMIT ?3"
            ),
            params![chat_key(peer), bound, limit as i64],
        )?;
        rows.reverse();
        order_within_seconds(&mut rows);
        Ok(rows)
    }

    /// The oldest `limit` rows of `peer` after `anchor`, oldest first (scrolling down from a
    /// search hit).
    pub fn page_after(
        &self,
        peer: Peer,
        anchor: Anchor,
        limit: usize,
    ) -> Result<Vec<Row>, StoreError> {
        let bound = self.bound(peer, anchor, true)?;
        let mut rows = self.rows(
            &format!(
                "SELECT {COLUMNS} FROM messages m WHERE m.chat = ?1 AND m.id > ?2
                 ORDER BY m.id ASC LIMIT ?3"
            ),
            params![chat_key(peer), bound, limit as i64],
        )?;
        order_within_seconds(&mut rows);
        Ok(rows)
    }

    /// A stored message with up to `before` rows before and `after` rows after it, oldest first
    /// (opening a chat at a search hit); `None` when it is not stored.
    pub fn around(
        &self,
        peer: Peer,
        message_id: i64,
        before: usize,
        after: usize,
    ) -> Result<Option<Vec<Row>>, StoreError> {
        let Some(pos) = self.pos_of(peer, message_id)? else {
            return Ok(None);
        };
        let mut rows = self.page_before(peer, Some(Anchor::Pos(pos)), before)?;
        rows.extend(self.page_after(peer, Anchor::Pos(Pos(pos.0 - 1)), after + 1)?);
        Ok(Some(rows))
    }

    /// One stored message (a quoted message while offline).
    pub fn message(
        &self,
        peer: Peer,
        message_id: i64,
    ) -> Result<Option<StoredMessage>, StoreError> {
        let Some(pos) = self.pos_of(peer, message_id)? else {
            return Ok(None);
        };
        let rows = self.rows(
            &format!("SELECT {COLUMNS} FROM messages m WHERE m.id = ?1"),
            params![pos.0],
        )?;
        Ok(rows.into_iter().find_map(|r| match r {
            Row::Message(m) => Some(m),
            Row::Notice(_) => None,
        }))
    }

    /// Where a stored message sits, its time unknown (the newest, should two share the id;
    /// see `identity::newest`).
    pub fn pos_of(&self, peer: Peer, message_id: i64) -> Result<Option<Pos>, StoreError> {
        identity::newest(&self.conn, chat_key(peer), message_id)
            .map(|id| id.map(Pos))
            .map_err(|e| self.sql(e))
    }

    /// Where a stored message of about `time` sits: a seek (`identity::near`), else as
    /// `pos_of` (a copy stored with another clock's time).
    pub fn pos_near(
        &self,
        peer: Peer,
        message_id: i64,
        time: i64,
    ) -> Result<Option<Pos>, StoreError> {
        let second = Pos::first_of(time).time();
        match identity::near(&self.conn, chat_key(peer), second, message_id) {
            Ok(Some(id)) => Ok(Some(Pos(id))),
            Ok(None) => self.pos_of(peer, message_id),
            Err(e) => Err(self.sql(e)),
        }
    }

    /// True when the message is stored (catch-up stops at the first page that reaches one).
    pub fn has_message(&self, peer: Peer, message_id: i64) -> Result<bool, StoreError> {
        Ok(self.pos_of(peer, message_id)?.is_some())
    }

    /// Which of `ids` are stored in `peer` (one question for a whole history page).
    pub fn stored_ids(&self, peer: Peer, ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
        let mut out = HashSet::new();
        for &id in ids {
            if self.pos_of(peer, id)?.is_some() {
                out.insert(id);
            }
        }
        Ok(out)
    }

    /// The newest stored message of `peer` (within its last second, the highest `real_seq`).
    pub fn newest(&self, peer: Peer) -> Result<Option<Newest>, StoreError> {
        let last: Option<i64> = self
            .conn
            .prepare_cached("SELECT max(id) FROM messages WHERE chat = ?1 AND kind = 0")
            .and_then(|mut s| s.query_row([chat_key(peer)], |r| r.get(0)))
            .map_err(|e| self.sql(e))?;
        let Some(last) = last else {
            return Ok(None);
        };
        let second: Vec<Newest> = self
            .conn
            .prepare_cached(
                "SELECT id, message_id, real_seq FROM messages
                 WHERE chat = ?1 AND kind = 0 AND id >= ?2 ORDER BY id",
            )
            .and_then(|mut s| {
                s.query_map(
                    params![chat_key(peer), Pos::first_of(Pos(last).time()).0],
                    |r| {
                        let pos = Pos(r.get(0)?);
                        Ok(Newest {
                            pos,
                            message_id: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                            real_seq: r.get(2)?,
                        })
                    },
                )?
                .collect::<rusqlite::Result<_>>()
            })
            .map_err(|e| self.sql(e))?;
        let by_seq = second
            .iter()
            .all(|n| n.real_seq.is_some())
            .then(|| second.iter().max_by_key(|n| n.real_seq))
            .flatten();
        Ok(by_seq.or(second.last()).copied())
    }

    /// Every chat with stored history, the most recently active first (the sidebar offline).
    pub fn chats(&self) -> Result<Vec<StoredChat>, StoreError> {
        let list: Vec<(i64, String)> = self
            .conn
            .prepare("SELECT chat, name FROM chats")
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()
            })
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::with_capacity(list.len());
        for (chat, name) in list {
            let peer = peer_of(chat);
            out.push(StoredChat {
                peer,
                name,
                newest: self.newest(peer)?,
            });
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.newest.map(|n| n.pos)));
        Ok(out)
    }

    /// How many rows (messages and notice lines) `peer` has stored.
    pub fn count(&self, peer: Peer) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM messages WHERE chat = ?1",
                [chat_key(peer)],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.sql(e))
    }

    /// The stored contents of a merged forward.
    pub fn forward(&self, id: &str) -> Result<Option<Vec<MessageEvent>>, StoreError> {
        let body: Option<String> = self
            .conn
            .query_row("SELECT body FROM forwards WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sql(e))?;
        Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
    }

    /// Runs a query whose columns are [`COLUMNS`].
    pub(super) fn rows(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<Row>, StoreError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_map(params, row::from_sql)?
                    .collect::<rusqlite::Result<Vec<Row>>>()
            })
            .map_err(|e| self.sql(e))
    }
}
