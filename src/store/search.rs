//! `/find`: the query's words become one FTS5 expression over the contentless index (the `chat`
//! column carries `in:`), walked newest first and cut at the limit; `from:` and `has:` check the
//! message row; the match is highlighted in Rust.

use std::ops::Range;

use rusqlite::types::Value as SqlValue;

use crate::onebot::{MessageChain, Peer, Sender};

use super::error::StoreError;
use super::highlight::{highlight, snippet};
use super::query::{ChatRef, Has, Query, QueryError, SenderRef};
use super::reader::Reader;
use super::row::{self, COLUMNS, Pos, Row, chat_key, chat_token, flags};
use super::tokenize::phrase;

/// The most hits one search returns.
pub const MAX_HITS: usize = 10_000;

/// One message found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub pos: Pos,
    pub peer: Peer,
    /// The chat's stored name ("" when none is known).
    pub chat_name: String,
    pub message_id: i64,
    pub sender: Sender,
    pub own: bool,
    pub recalled: bool,
    pub message: MessageChain,
    /// The message as plain text (what the highlights index into).
    pub text: String,
    /// Byte ranges of `text` that match the query's words, sorted, not overlapping.
    pub highlights: Vec<Range<usize>>,
}

impl Hit {
    /// Its time (Unix seconds).
    pub fn time(&self) -> i64 {
        self.pos.time()
    }

    /// At most `max_chars` characters around the first match, on one line, with the highlights
    /// moved to match.
    pub fn snippet(&self, max_chars: usize) -> (String, Vec<Range<usize>>) {
        snippet(&self.text, &self.highlights, max_chars)
    }
}

impl Reader {
    /// The newest `limit` messages matching `query`, newest first.
    pub fn search(&self, query: &Query, limit: usize) -> Result<Vec<Hit>, StoreError> {
        self.search_before(query, None, limit)
    }

    /// The newest `limit` matches older than `before` (the next page of results).
    pub fn search_before(
        &self,
        query: &Query,
        before: Option<Pos>,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        if query.is_empty() {
            return Err(QueryError::Empty.into());
        }
        let chats = self.resolve_chats(&query.chats)?;
        let phrases: Vec<String> = query.words.iter().filter_map(|w| phrase(w)).collect();
        if phrases.is_empty() && !query.has_filters() {
            // Only punctuation or emoji: nothing the index can find.
            return Ok(Vec::new());
        }
        let mut args: Vec<SqlValue> = Vec::new();
        let (mut sql, id) = if phrases.is_empty() {
            let mut sql = format!(
                "SELECT {COLUMNS}, c.name FROM messages m LEFT JOIN chats c ON c.chat = m.chat
                 WHERE m.kind = 0"
            );
            if !chats.is_empty() {
                let list: Vec<String> = chats
                    .iter()
                    .map(|p| arg(chat_key(*p).into(), &mut args))
                    .collect();
                sql.push_str(&format!(" AND m.chat IN ({})", list.join(", ")));
            }
            (sql, "m.id")
        } else {
            let mut expr = String::new();
            if !chats.is_empty() {
                let tokens: Vec<String> = chats
                    .iter()
                    .map(|p| format!("\"{}\"", chat_token(*p)))
                    .collect();
                expr.push_str(&format!("chat : ({}) AND ", tokens.join(" OR ")));
            }
            expr.push_str(&format!("text : ({})", phrases.join(" AND ")));
            let m = arg(expr.into(), &mut args);
            (
                format!(
                    "SELECT {COLUMNS}, c.name FROM search
                     JOIN messages m ON m.id = search.rowid
                     LEFT JOIN chats c ON c.chat = m.chat
                     WHERE search MATCH {m}"
                ),
                "search.rowid",
            )
        };
        if let Some(t) = query.after {
            let a = arg(Pos::first_of(t).0.into(), &mut args);
            sql.push_str(&format!(" AND {id} >= {a}"));
        }
        let upper = [
            query.before.map(|t| Pos::first_of(t).0),
            before.map(|p| p.0),
        ]
        .into_iter()
        .flatten()
        .min();
        if let Some(u) = upper {
            let a = arg(u.into(), &mut args);
            sql.push_str(&format!(" AND {id} < {a}"));
        }
        if !query.recalled {
            sql.push_str(" AND m.recalled_by IS NULL");
        }
        if !query.senders.is_empty() {
            let mut any = Vec::new();
            for s in &query.senders {
                any.push(match s {
                    SenderRef::User(u) => format!("m.user_id = {}", arg((*u).into(), &mut args)),
                    SenderRef::Me => format!("m.flags & {} != 0", flags::OWN),
                    SenderRef::Name(n) => {
                        let a = arg(like_pattern(n).into(), &mut args);
                        format!("(m.card LIKE {a} ESCAPE '\\' OR m.nickname LIKE {a} ESCAPE '\\')")
                    }
                });
            }
            sql.push_str(&format!(" AND ({})", any.join(" OR ")));
        }
        let mut need = 0;
        for h in &query.has {
            need |= match h {
                Has::Image => flags::IMAGE,
                Has::File => flags::FILE,
                Has::Link => flags::LINK,
            };
        }
        if need != 0 {
            sql.push_str(&format!(" AND m.flags & {need} = {need}"));
        }
        let l = arg((limit.min(MAX_HITS) as i64).into(), &mut args);
        sql.push_str(&format!(" ORDER BY {id} DESC LIMIT {l}"));

        let found: Vec<(Row, Option<String>)> = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_map(rusqlite::params_from_iter(args), |r| {
                    Ok((row::from_sql(r)?, r.get(12)?))
                })?
                .collect()
            })
            .map_err(|e| self.sql(e))?;
        Ok(found
            .into_iter()
            .filter_map(|(r, name)| match r {
                Row::Message(m) => {
                    let text = m.message.plain_text();
                    let highlights = highlight(&text, &query.words);
                    Some(Hit {
                        pos: m.pos,
                        peer: m.peer,
                        chat_name: name.unwrap_or_default(),
                        message_id: m.message_id,
                        own: m.own,
                        recalled: m.recalled(),
                        sender: m.sender,
                        message: m.message,
                        text,
                        highlights,
                    })
                }
                Row::Notice(_) => None,
            })
            .collect())
    }

    /// The chats `in:` names; an error when a name matches no stored chat.
    fn resolve_chats(&self, refs: &[ChatRef]) -> Result<Vec<Peer>, StoreError> {
        let mut out = Vec::new();
        for r in refs {
            match r {
                ChatRef::Peer(p) => out.push(*p),
                ChatRef::Number(n) => out.extend([Peer::Group(*n), Peer::Private(*n)]),
                ChatRef::Name(name) => {
                    let found: Vec<i64> = self
                        .conn
                        .prepare_cached("SELECT chat FROM chats WHERE name LIKE ?1 ESCAPE '\\'")
                        .and_then(|mut s| {
                            s.query_map([like_pattern(name)], |r| r.get(0))?
                                .collect::<rusqlite::Result<_>>()
                        })
                        .map_err(|e| self.sql(e))?;
                    if found.is_empty() {
                        return Err(QueryError::NoSuchChat(name.clone()).into());
                    }
                    out.extend(found.into_iter().map(row::peer_of));
                }
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

/// Adds a parameter; returns its placeholder.
fn arg(v: SqlValue, args: &mut Vec<SqlValue>) -> String {
    args.push(v);
    format!("?{}", args.len())
}

/// `%text%` for LIKE, with LIKE's own characters escaped.
fn like_pattern(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for c in s.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}
