//! `/find` queries: words to look for plus filters — `in:<chat>`, `from:<who>`,
//! `after:YYYY-MM-DD`, `before:YYYY-MM-DD`, `has:image|file|link`.
//!
//! Words are separated by spaces and must all occur; `"two words"` must occur together. A filter
//! key may be written with a full-width colon (`in：群`), as a Chinese input method types it.
//! Something that looks like a filter but names no known key (`http://…`, `12:30`) is a word.

use chrono::{Local, NaiveDate, TimeZone};

use crate::onebot::Peer;

/// Which chats `in:` means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatRef {
    /// `g:<group>` or `u:<QQ>`.
    Peer(Peer),
    /// A bare number: the group or the private chat of that number.
    Number(i64),
    /// Part of a chat's name.
    Name(String),
}

/// Whose messages `from:` means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SenderRef {
    /// A QQ number.
    User(i64),
    /// `from:me`: the account itself.
    Me,
    /// Part of a sender's card or nickname (as stored with the message).
    Name(String),
}

/// What `has:` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Has {
    Image,
    File,
    Link,
}

/// A parsed `/find` query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Words (or quoted phrases) that must all occur.
    pub words: Vec<String>,
    /// Any of these chats (none: every chat).
    pub chats: Vec<ChatRef>,
    /// Any of these senders (none: anyone).
    pub senders: Vec<SenderRef>,
    /// From this time on (Unix seconds, inclusive).
    pub after: Option<i64>,
    /// Before this time (Unix seconds, exclusive).
    pub before: Option<i64>,
    /// Everything of these.
    pub has: Vec<Has>,
    /// Messages recalled since are found too (their text is kept for your own records);
    /// without, a recalled message is not a hit: the chat no longer shows what it said.
    pub recalled: bool,
}

/// Why a query cannot run; `Display` says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("nothing to find: give a word or a filter (in: from: after: before: has:)")]
    Empty,
    #[error("{key}: takes a date like 2024-05-01, not `{value}`")]
    BadDate { key: String, value: String },
    #[error("has: takes image, file or link, not `{0}`")]
    BadHas(String),
    #[error("{0}: needs a value")]
    EmptyFilter(String),
    #[error("in: no stored chat is called `{0}`")]
    NoSuchChat(String),
}

impl Query {
    /// Parses what the user typed after `/find`.
    pub fn parse(input: &str) -> Result<Query, QueryError> {
        let mut q = Query::default();
        for (raw, quoted_word) in split(input) {
            if !quoted_word && let Some((key, value)) = filter_parts(&raw) {
                q.add_filter(&key, value)?;
                continue;
            }
            let word = raw.replace('"', "");
            if !word.trim().is_empty() {
                q.words.push(word);
            }
        }
        if q.is_empty() {
            return Err(QueryError::Empty);
        }
        Ok(q)
    }

    /// True when it asks for nothing at all.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && !self.has_filters()
    }

    /// True when it has any filter.
    pub fn has_filters(&self) -> bool {
        !(self.chats.is_empty()
            && self.senders.is_empty()
            && self.after.is_none()
            && self.before.is_none()
            && self.has.is_empty())
    }

    /// The same query within one chat (`/search` in the open chat, the CLI's `--chat`).
    pub fn in_chat(mut self, peer: Peer) -> Query {
        self.chats = vec![ChatRef::Peer(peer)];
        self
    }

    fn add_filter(&mut self, key: &str, value: String) -> Result<(), QueryError> {
        if value.is_empty() {
            return Err(QueryError::EmptyFilter(key.into()));
        }
        match key {
            "in" => self.chats.push(match value.parse::<Peer>() {
                Ok(p) => ChatRef::Peer(p),
                Err(_) => match value.parse::<i64>() {
                    Ok(n) if n > 0 => ChatRef::Number(n),
                    _ => ChatRef::Name(value),
                },
            }),
            "from" => self.senders.push(match value.parse::<i64>() {
                Ok(n) if n > 0 => SenderRef::User(n),
                _ if value.eq_ignore_ascii_case("me") || value == "我" => SenderRef::Me,
                _ => SenderRef::Name(value),
            }),
            "after" | "before" => {
                let t = day_start(&value).ok_or_else(|| QueryError::BadDate {
                    key: key.into(),
                    value: value.clone(),
                })?;
                if key == "after" {
                    self.after = Some(t);
                } else {
                    self.before = Some(t);
                }
            }
            _ => self.has.push(match value.to_ascii_lowercase().as_str() {
                "image" | "img" | "picture" | "图片" => Has::Image,
                "file" | "文件" => Has::File,
                "link" | "url" | "链接" => Has::Link,
                _ => return Err(QueryError::BadHas(value)),
            }),
        }
        Ok(())
    }
}

/// The filter keys.
const KEYS: [&str; 5] = ["in", "from", "after", "before", "has"];

/// `key:value` when `token` is a filter.
fn filter_parts(token: &str) -> Option<(String, String)> {
    let (key, value) = token.split_once(':').or_else(|| token.split_once('：'))?;
    let key = key.to_ascii_lowercase();
    KEYS.contains(&key.as_str())
        .then(|| (key, value.trim_matches('"').trim().to_string()))
}

/// Splits on spaces outside double quotes, keeping the quotes; yields each token with whether it
/// began with a quote (a quoted word is never a filter, so `"in:x"` finds the text `in:x`).
fn split(input: &str) -> Vec<(String, bool)> {
    let input = input.replace(['“', '”'], "\"");
    let mut tokens = Vec::new();
    let mut cur = String::new();
    let mut quoting = false;
    for c in input.chars() {
        if c == '"' {
            quoting = !quoting;
        }
        if c.is_whitespace() && !quoting {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens
        .into_iter()
        .map(|t| {
            let quoted = t.starts_with('"');
            if quoted {
                (t.replace('"', ""), true)
            } else {
                (t, false)
            }
        })
        .collect()
}

/// The first second of a local calendar day written `YYYY-MM-DD` (or with `/` or `.`).
pub fn day_start(s: &str) -> Option<i64> {
    let date = parse_date(s)?;
    local_midnight(date)
}

/// The first second of the local day after a `YYYY-MM-DD` day (an inclusive "until").
pub fn day_end(s: &str) -> Option<i64> {
    let date = parse_date(s)?.succ_opt()?;
    local_midnight(date)
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().replace(['/', '.'], "-");
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()
}

fn local_midnight(date: NaiveDate) -> Option<i64> {
    let naive = date.and_hms_opt(0, 0, 0)?;
    // Where midnight does not exist (a DST jump), the day starts at the first moment it has.
    Local
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            Local
                .from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_every_filter() {
        let q = Query::parse(
            "天气 in:g:123 from:10001 after:2024-05-01 before:2024/06/01 has:image hello",
        )
        .unwrap();
        assert_eq!(q.words, ["天气", "hello"]);
        assert_eq!(q.chats, [ChatRef::Peer(Peer::Group(123))]);
        assert_eq!(q.senders, [SenderRef::User(10001)]);
        assert_eq!(q.after, day_start("2024-05-01"));
        assert_eq!(q.before, day_start("2024-06-01"));
        assert_eq!(q.has, [Has::Image]);
    }

    #[test]
    fn names_numbers_and_quotes() {
        let q =
            Query::parse("in:\"技术 交流\" from:小明 in：456 \"in:x\" \"hello world\"").unwrap();
        assert_eq!(
            q.chats,
            [ChatRef::Name("技术 交流".into()), ChatRef::Number(456)]
        );
        assert_eq!(q.senders, [SenderRef::Name("小明".into())]);
        assert_eq!(q.words, ["in:x", "hello world"]);
        assert_eq!(Query::parse("from:me").unwrap().senders, [SenderRef::Me]);
    }

    #[test]
    fn things_that_only_look_like_filters_are_words() {
        let q = Query::parse("https://example.com 12:30").unwrap();
        assert_eq!(q.words, ["https://example.com", "12:30"]);
    }

    #[test]
    fn bad_filters_say_what_they_take() {
        assert_eq!(Query::parse("   "), Err(QueryError::Empty));
        assert!(matches!(
            Query::parse("after:yesterday"),
            Err(QueryError::BadDate { .. })
        ));
        assert_eq!(
            Query::parse("has:video"),
            Err(QueryError::BadHas("video".into()))
        );
        assert_eq!(
            Query::parse("in:"),
            Err(QueryError::EmptyFilter("in".into()))
        );
        assert!(
            Query::parse("has:video")
                .unwrap_err()
                .to_string()
                .contains("image, file or link")
        );
    }

    #[test]
    fn days_are_local_and_until_includes_its_day() {
        let start = day_start("2024-05-01").unwrap();
        let end = day_end("2024-05-01").unwrap();
        assert!(end - start >= 23 * 3600 && end - start <= 25 * 3600);
        assert_eq!(day_start("2024-05-02"), Some(end));
        assert_eq!(day_start("2024-13-01"), None);
    }
}
