//! `napterm export`: a chat's stored messages, oldest first, as JSON lines (one OneBot message
//! object each, plus `recalled`) or as text a person reads. Rows stream from the database, so a
//! chat of any size exports in constant memory.
//!
//! Either output is safe to print on a terminal: text goes through the UI's sanitiser, and JSON
//! writes control, bidi and invisible characters as `\u` escapes (JSON only escapes C0 itself).

use std::io::Write;

use chrono::TimeZone;
use rusqlite::params;

use crate::onebot::Peer;
use crate::ui::sanitize::{json_for_terminal, sanitize, sanitize_line};

use super::error::StoreError;
use super::reader::Reader;
use super::row::{self, COLUMNS, Pos, Row, StoredMessage, StoredNotice, export_object};

/// How `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One JSON object per message (notice lines are left out: they are not messages).
    #[default]
    Jsonl,
    /// `2024-05-01 12:30:05  小明 (10001): text`, notice lines as `* text`.
    Txt,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "json" => Ok(Format::Jsonl),
            "txt" | "text" => Ok(Format::Txt),
            _ => Err(format!("`{s}` is not a format: jsonl or txt")),
        }
    }
}

impl Reader {
    /// Writes `peer`'s stored rows with `since <= time < until`, oldest first; returns how many
    /// lines were written.
    pub fn export(
        &self,
        peer: Peer,
        format: Format,
        since: Option<i64>,
        until: Option<i64>,
        out: &mut dyn Write,
    ) -> Result<u64, StoreError> {
        let lo = since.map_or(i64::MIN, |t| Pos::first_of(t).0);
        let hi = until.map_or(i64::MAX, |t| Pos::first_of(t).0);
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM messages m WHERE m.chat = ?1 AND m.id >= ?2 AND m.id < ?3
                 ORDER BY m.id"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(params![row::chat_key(peer), lo, hi], row::from_sql)
            .map_err(|e| self.sql(e))?;
        let mut written = 0;
        for r in rows {
            let line = match (r.map_err(|e| self.sql(e))?, format) {
                (Row::Message(m), Format::Jsonl) => json_line(&m),
                (Row::Notice(_), Format::Jsonl) => continue,
                (Row::Message(m), Format::Txt) => text_line(&m),
                (Row::Notice(n), Format::Txt) => notice_line(&n),
            };
            out.write_all(line.as_bytes())
                .and_then(|_| out.write_all(b"\n"))
                // Not the store's folder: never classified as "read-only" or "full".
                .map_err(|e| StoreError::Io {
                    path: "<output>".into(),
                    source: std::sync::Arc::new(e),
                })?;
            written += 1;
        }
        Ok(written)
    }
}

/// A message as one terminal-safe JSON line.
pub fn json_line(m: &StoredMessage) -> String {
    json_for_terminal(&export_object(m, 0).to_string()).into_owned()
}

/// Local date and time of a Unix time, `2024-05-01 12:30:05`.
pub fn local_time(t: i64) -> String {
    chrono::Local
        .timestamp_opt(t, 0)
        .earliest()
        .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| t.to_string())
}

/// A message as text: time, sender, the text (continuation lines indented).
pub fn text_line(m: &StoredMessage) -> String {
    let name = sanitize_line(&m.sender.display_name()).into_owned();
    let text = sanitize(&m.message.plain_text()).replace('\n', "\n    ");
    let recalled = if m.recalled() { " [已撤回]" } else { "" };
    format!(
        "{}  {name} ({}){recalled}: {text}",
        local_time(m.time()),
        m.sender.user_id
    )
}

/// A notice line as text.
pub fn notice_line(n: &StoredNotice) -> String {
    format!(
        "{}  * {}",
        local_time(n.line.time),
        sanitize_line(&n.line.text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::sanitize::{is_bidi_control, is_invisible};

    #[test]
    fn json_output_cannot_steer_a_terminal_and_stays_json() {
        let raw =
            serde_json::json!({"t": "a\u{1b}[2Jb\u{9b}c\u{202e}d\u{200b}e\u{e0041}"}).to_string();
        let safe = json_for_terminal(&raw);
        assert!(
            safe.chars()
                .all(|c| !c.is_control() && !is_bidi_control(c) && !is_invisible(c))
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["t"], "a\u{1b}[2Jb\u{9b}c\u{202e}d\u{200b}e\u{e0041}");
    }

    #[test]
    fn formats_parse() {
        assert_eq!("jsonl".parse::<Format>(), Ok(Format::Jsonl));
        assert_eq!("TXT".parse::<Format>(), Ok(Format::Txt));
        assert!("csv".parse::<Format>().is_err());
    }
}
