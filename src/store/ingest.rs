//! The SQL of every write, run by the writer inside its batch transaction: a message stored once
//! however often it arrives, notice lines, recalls, chat names, forwards, forgetting a chat.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};

use super::identity;

use crate::onebot::{MessageEvent, Peer};

use super::row::{
    NoticeLine, Pos, body_json, chat_key, chat_token, clamp_time, content_flags, role_code,
    searchable_text,
};
use super::schema::SECOND_BITS;
use super::tokenize::index_text;

/// What storing one message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// A new row.
    Inserted(Pos),
    /// It was already there; the newer copy's sender or segments replaced the old.
    Updated(Pos),
    /// Nothing changed.
    Unchanged(Pos),
    /// Not storable: no chat or no message id to know it by.
    Skipped,
}

/// What one batch already knows: chats whose `chats` row it made sure of (and named), and the
/// last row id it gave out in each second.
#[derive(Default)]
pub struct BatchMemo {
    ensured: HashSet<i64>,
    named: HashSet<i64>,
    last_id: HashMap<i64, i64>,
}

impl BatchMemo {
    /// Remembers a row id given out.
    fn used(&mut self, id: i64) {
        let base = Pos::first_of(Pos(id).time()).0;
        let last = self.last_id.entry(base).or_insert(id);
        *last = (*last).max(id);
    }
}

/// Stores a message, or merges it into the copy already stored: the same chat and NapCat id at
/// about the same time (see `stored_copy`). The same id long apart is another message (NapCat's
/// ids are 31-bit hashes: among 100,000 messages of one chat two or so share one).
pub fn put_message(
    conn: &Connection,
    ev: &MessageEvent,
    memo: &mut BatchMemo,
) -> rusqlite::Result<Stored> {
    let peer = ev.peer();
    if peer.id() == 0 || ev.message_id == 0 {
        return Ok(Stored::Skipped);
    }
    let chat = chat_key(peer);
    let body = body_json(&ev.message);
    let flags = content_flags(ev);
    let real_seq: Option<i64> = ev.real_seq.as_deref().and_then(|s| s.trim().parse().ok());
    let nickname = non_empty(&ev.sender.nickname);
    let card = non_empty(&ev.sender.card);
    let role = role_code(ev.sender.role);
    let user_id = if ev.user_id != 0 {
        ev.user_id
    } else {
        ev.sender.user_id
    };
    ensure_chat(conn, peer, chat_name_in(ev), memo)?;

    let Some((id, old_body, old_nick, old_card, old_role, old_seq)) = stored_copy(
        conn,
        chat,
        ev.message_id,
        Pos::first_of(ev.time).time(),
        ev.is_self(),
    )?
    else {
        let id = allocate(conn, ev.time, memo)?;
        // `stored_copy` looked where the index would refuse a second row; DO NOTHING is
        // only a guard.
        let inserted = conn
            .prepare_cached(
                "INSERT INTO messages
             (id, chat, kind, message_id, real_seq, user_id, nickname, card, role, flags, body)
             VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                id,
                chat,
                ev.message_id,
                real_seq,
                user_id,
                nickname,
                card,
                role,
                flags,
                body
            ])?;
        if inserted == 0 {
            return Ok(Stored::Skipped);
        }
        memo.used(id);
        index(conn, id, peer, ev)?;
        return Ok(Stored::Inserted(Pos(id)));
    };

    // The newest copy wins, except where it knows less: an empty chain (a history entry NapCat
    // could not parse) or a blank sender (some echoes) keeps what was stored.
    let body_changes = body != old_body && !ev.message.is_empty();
    let sender_known = nickname.is_some() || card.is_some();
    let sender_changes = (sender_known
        && (nickname != old_nick.as_deref() || card != old_card.as_deref()))
        || (role.is_some() && role != old_role);
    let seq_changes = real_seq.is_some() && real_seq != old_seq;
    if !(body_changes || sender_changes || seq_changes) {
        return Ok(Stored::Unchanged(Pos(id)));
    }
    conn.prepare_cached(
        "UPDATE messages SET
            body = CASE WHEN ?2 THEN ?3 ELSE body END,
            flags = CASE WHEN ?2 THEN (flags & ~?9) | ?4 ELSE flags END,
            nickname = CASE WHEN ?5 THEN ?6 ELSE nickname END,
            card = CASE WHEN ?5 THEN ?7 ELSE card END,
            role = coalesce(?8, role),
            real_seq = coalesce(?10, real_seq)
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        body_changes,
        body,
        flags,
        sender_known,
        nickname,
        card,
        role,
        super::row::flags::IMAGE | super::row::flags::FILE | super::row::flags::LINK,
        real_seq
    ])?;
    if body_changes {
        conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
            .execute([id])?;
        index(conn, id, peer, ev)?;
    }
    Ok(Stored::Updated(Pos(id)))
}

/// What the merge of a new copy reads of the stored one: its row id, body, nickname, card,
/// role and QQ sequence.
type Copy = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

/// The stored copy of message `message_id` of `chat` at `second` (see `identity::near`; the
/// account's own also `identity::own_near`).
fn stored_copy(
    conn: &Connection,
    chat: i64,
    message_id: i64,
    second: i64,
    own: bool,
) -> rusqlite::Result<Option<Copy>> {
    let mut id = identity::near(conn, chat, second, message_id)?;
    if id.is_none() && own {
        id = identity::own_near(conn, chat, second, message_id)?;
    }
    let Some(id) = id else {
        return Ok(None);
    };
    conn.prepare_cached(
        "SELECT id, body, nickname, card, role, real_seq FROM messages WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .optional()
}

/// Adds the message's searchable text to the full-text index under its row id.
fn index(conn: &Connection, id: i64, peer: Peer, ev: &MessageEvent) -> rusqlite::Result<()> {
    let text = searchable_text(&ev.message);
    if text.trim().is_empty() {
        return Ok(());
    }
    conn.prepare_cached("INSERT INTO search (rowid, chat, text) VALUES (?1, ?2, ?3)")?
        .execute(params![id, chat_token(peer), index_text(&text)])?;
    Ok(())
}

/// A free row id for a message at `time`: one past the last one stored for that second. Within
/// a batch (which holds the write lock) the last id of each second is remembered.
fn allocate(conn: &Connection, time: i64, memo: &BatchMemo) -> rusqlite::Result<i64> {
    let span = 1i64 << SECOND_BITS;
    let mut base = Pos::first_of(time).0;
    if let Some(&last) = memo.last_id.get(&base)
        && last + 1 < base + span
    {
        return Ok(last + 1);
    }
    loop {
        let last: Option<i64> = conn
            .prepare_cached("SELECT max(id) FROM messages WHERE id >= ?1 AND id < ?2")?
            .query_row(params![base, base + span], |r| r.get(0))?;
        match last {
            None => return Ok(base),
            Some(l) if l + 1 < base + span => return Ok(l + 1),
            // A million rows in one second: borrow the next second.
            Some(_) => base += span,
        }
    }
}

/// The chat's name as a message event carries it.
fn chat_name_in(ev: &MessageEvent) -> Option<&str> {
    match ev.peer() {
        Peer::Group(_) => ev.group_name.as_deref(),
        Peer::Private(_) if !ev.is_self() => Some(ev.sender.nickname.as_str()),
        Peer::Private(_) => None,
    }
    .and_then(non_empty)
}

/// Makes sure the chat has a `chats` row, naming it when it has no name yet.
fn ensure_chat(
    conn: &Connection,
    peer: Peer,
    name: Option<&str>,
    memo: &mut BatchMemo,
) -> rusqlite::Result<()> {
    let chat = chat_key(peer);
    if memo.ensured.contains(&chat) && (name.is_none() || memo.named.contains(&chat)) {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO chats (chat, name) VALUES (?1, ?2)
         ON CONFLICT (chat) DO UPDATE SET name = excluded.name
         WHERE chats.name = '' AND excluded.name != ''",
    )?
    .execute(params![chat, name.unwrap_or("")])?;
    memo.ensured.insert(chat);
    if name.is_some() {
        memo.named.insert(chat);
    }
    Ok(())
}

/// Names a chat (the app knows group names and friends' remarks), replacing any older name.
pub fn put_chat_name(conn: &Connection, peer: Peer, name: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO chats (chat, name) VALUES (?1, ?2)
         ON CONFLICT (chat) DO UPDATE SET name = excluded.name",
    )?
    .execute(params![chat_key(peer), name.trim()])?;
    Ok(())
}

/// Stores a notice line.
pub fn put_notice(
    conn: &Connection,
    line: &NoticeLine,
    memo: &mut BatchMemo,
) -> rusqlite::Result<Pos> {
    ensure_chat(conn, line.peer, None, memo)?;
    let id = allocate(conn, clamp_time(line.time), memo)?;
    conn.prepare_cached(
        "INSERT INTO messages (id, chat, kind, user_id, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        id,
        chat_key(line.peer),
        line.kind.code(),
        line.actor.unwrap_or(0),
        line.text
    ])?;
    memo.used(id);
    Ok(Pos(id))
}

/// Marks a message recalled (by `by`, 0 when unknown); false when it is not stored.
pub fn put_recall(
    conn: &Connection,
    peer: Peer,
    message_id: i64,
    by: i64,
) -> rusqlite::Result<bool> {
    let Some(id) = identity::newest(conn, chat_key(peer), message_id)? else {
        return Ok(false);
    };
    conn.prepare_cached("UPDATE messages SET recalled_by = ?2 WHERE id = ?1")?
        .execute(params![id, by])?;
    Ok(true)
}

/// Stores the contents of a merged forward (replacing an older copy).
pub fn put_forward(conn: &Connection, id: &str, messages: &[MessageEvent]) -> rusqlite::Result<()> {
    let body = serde_json::to_string(messages).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached("INSERT OR REPLACE INTO forwards (id, body) VALUES (?1, ?2)")?
        .execute(params![id, body])?;
    Ok(())
}

/// Deletes a chat's whole history; returns how many rows went.
pub fn forget(conn: &Connection, peer: Peer) -> rusqlite::Result<usize> {
    let chat = chat_key(peer);
    conn.prepare_cached(
        "DELETE FROM search WHERE rowid IN (SELECT id FROM messages WHERE chat = ?1)",
    )?
    .execute([chat])?;
    let n = conn
        .prepare_cached("DELETE FROM messages WHERE chat = ?1")?
        .execute([chat])?;
    conn.prepare_cached("DELETE FROM chats WHERE chat = ?1")?
        .execute([chat])?;
    Ok(n)
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.trim().is_empty()).then_some(s)
}
