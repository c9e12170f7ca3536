//! `napterm export`, `napterm find` and `napterm forget`: the local history from the shell, no
//! NapCat needed. They read `$XDG_DATA_HOME/napterm/<QQ>/history.db` of the last account used,
//! or of `--account`.
//!
//! Whatever reaches the terminal from stored (server-supplied) text goes through the UI's
//! sanitiser, or is escaped in JSON.

use std::io::{self, BufRead, IsTerminal, Write};
use std::ops::Range;

use clap::Args;
use serde_json::json;

use super::{EXIT_CALL_FAILED, EXIT_USAGE, Failure};
use crate::onebot::Peer;
use crate::store::{
    DataDir, Format, Hit, Query, Reader, Store, StoreError, day_end, day_start, local_time,
};
use crate::ui::sanitize::{json_for_terminal, sanitize_line};

/// Which account's history (`--account`).
#[derive(Debug, Clone, Default, Args)]
pub struct AccountArg {
    /// The QQ account whose history to read (default: the last account used)
    #[arg(long, value_name = "QQ", value_parser = clap::value_parser!(i64).range(1..))]
    pub account: Option<i64>,
}

/// `napterm export` options.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The chat: g:<group number> or u:<QQ number>
    #[arg(long, value_name = "g:<id>|u:<id>")]
    pub chat: Peer,
    /// jsonl (one OneBot message object per line) or txt (for reading)
    #[arg(long, value_name = "jsonl|txt", default_value = "jsonl")]
    pub format: Format,
    /// From this day on (YYYY-MM-DD, local time)
    #[arg(long, value_name = "DATE", value_parser = since_date)]
    pub since: Option<i64>,
    /// Up to and including this day (YYYY-MM-DD, local time)
    #[arg(long, value_name = "DATE", value_parser = until_date)]
    pub until: Option<i64>,
    #[command(flatten)]
    pub account: AccountArg,
}

/// `napterm find` options.
#[derive(Debug, Clone, Args)]
pub struct FindArgs {
    /// What to find: words, "a phrase", and filters in: from: after: before: has:
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
    /// Only in this chat: g:<group number> or u:<QQ number>
    #[arg(long, value_name = "g:<id>|u:<id>")]
    pub chat: Option<Peer>,
    /// One JSON object per hit instead of text
    #[arg(long)]
    pub json: bool,
    /// At most this many hits, newest first
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
    #[command(flatten)]
    pub account: AccountArg,
}

/// `napterm forget` options.
#[derive(Debug, Clone, Args)]
pub struct ForgetArgs {
    /// The chat whose local history to delete: g:<group number> or u:<QQ number>
    #[arg(long, value_name = "g:<id>|u:<id>")]
    pub chat: Peer,
    /// Do not ask for confirmation
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub account: AccountArg,
}

fn since_date(s: &str) -> Result<i64, String> {
    day_start(s).ok_or_else(|| format!("`{s}` is not a date like 2024-05-01"))
}

fn until_date(s: &str) -> Result<i64, String> {
    day_end(s).ok_or_else(|| format!("`{s}` is not a date like 2024-05-01"))
}

/// The exit status and line for a store error.
fn failure(e: StoreError) -> Failure {
    let code = match e {
        StoreError::NoAccount | StoreError::Query(_) => EXIT_USAGE,
        _ => EXIT_CALL_FAILED,
    };
    Failure::new(code, e.to_string())
}

/// Opens the account's existing history (bringing an older schema up to date).
fn open(account: &AccountArg) -> Result<Store, Failure> {
    let data = DataDir::standard();
    let account = account
        .account
        .or_else(|| data.last_account())
        .ok_or_else(|| failure(StoreError::NoAccount))?;
    Store::open_existing(&data.db_path(account), |e| {
        tracing::warn!("history: {e}");
    })
    .map_err(failure)
}

fn reader(store: &Store) -> Result<Reader, Failure> {
    store.reader().map_err(failure)
}

fn output_failed(e: io::Error) -> Failure {
    Failure::new(EXIT_CALL_FAILED, format!("cannot write the output: {e}"))
}

/// `napterm export`.
pub fn export(args: &ExportArgs) -> Result<(), Failure> {
    let store = open(&args.account)?;
    let reader = reader(&store)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match reader.export(args.chat, args.format, args.since, args.until, &mut out) {
        Ok(_) => out.flush().map_err(output_failed),
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(StoreError::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(failure(e)),
    }
}

/// `napterm find`.
pub fn find(args: &FindArgs) -> Result<(), Failure> {
    let mut query = Query::parse(&args.text.join(" ")).map_err(|e| failure(e.into()))?;
    if let Some(peer) = args.chat {
        query = query.in_chat(peer);
    }
    // Your own records: recalled messages too, marked so.
    query.recalled = true;
    let store = open(&args.account)?;
    let hits = reader(&store)?
        .search(&query, args.limit)
        .map_err(failure)?;
    let stdout = io::stdout();
    let bold = stdout.is_terminal();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = (|| -> io::Result<()> {
        for h in &hits {
            let line = if args.json {
                hit_json(h)
            } else {
                hit_text(h, bold)
            };
            writeln!(out, "{line}")?;
        }
        if hits.is_empty() && !args.json {
            writeln!(out, "nothing found")?;
        }
        out.flush()
    })();
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(output_failed(e)),
        _ => Ok(()),
    }
}

/// A hit as one line: chat, time, sender, the text around the match (highlighted in bold).
fn hit_text(h: &Hit, bold: bool) -> String {
    let (snippet, ranges) = h.snippet(120);
    let chat = if h.chat_name.is_empty() {
        h.peer.to_string()
    } else {
        format!("{} {}", h.peer, sanitize_line(&h.chat_name))
    };
    let recalled = if h.recalled { " [已撤回]" } else { "" };
    format!(
        "{chat}  {}  {}{recalled}: {}",
        local_time(h.time()),
        sanitize_line(&h.sender.display_name()),
        marked(&snippet, &ranges, bold)
    )
}

/// The text with its ranges in bold, each piece sanitised on its own (so ranges stay right).
fn marked(text: &str, ranges: &[Range<usize>], bold: bool) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() {
            continue;
        }
        out.push_str(&sanitize_line(&text[at..r.start]));
        if bold {
            out.push_str("\x1b[1m");
        }
        out.push_str(&sanitize_line(&text[r.clone()]));
        if bold {
            out.push_str("\x1b[22m");
        }
        at = r.end;
    }
    out.push_str(&sanitize_line(&text[at..]));
    out
}

/// A hit as one JSON object; `highlights` are character (not byte) offsets into `text`.
fn hit_json(h: &Hit) -> String {
    let char_at = |b: usize| h.text[..b].chars().count();
    let highlights: Vec<[usize; 2]> = h
        .highlights
        .iter()
        .map(|r| [char_at(r.start), char_at(r.end)])
        .collect();
    let v = json!({
        "chat": h.peer.to_string(),
        "chat_name": h.chat_name,
        "message_id": h.message_id,
        "time": h.time(),
        "user_id": h.sender.user_id,
        "sender": h.sender,
        "text": h.text,
        "highlights": highlights,
        "recalled": h.recalled,
        "message": h.message,
    });
    json_for_terminal(&v.to_string()).into_owned()
}

/// `napterm forget`.
pub fn forget(args: &ForgetArgs) -> Result<(), Failure> {
    let store = open(&args.account)?;
    let reader = reader(&store)?;
    let count = reader.count(args.chat).map_err(failure)?;
    if count == 0 {
        println!("nothing stored for {}", args.chat);
        return Ok(());
    }
    if !args.yes {
        if !io::stdin().is_terminal() {
            return Err(Failure::new(
                EXIT_USAGE,
                "forget deletes history for good: confirm on a terminal or pass --yes",
            ));
        }
        let name = reader
            .chats()
            .ok()
            .and_then(|c| c.into_iter().find(|c| c.peer == args.chat))
            .map(|c| sanitize_line(&c.name).into_owned())
            .filter(|n| !n.is_empty())
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        eprint!(
            "Delete the {count} stored entries (messages and notice lines) of {}{name} from {}? This cannot be undone. [y/N] ",
            args.chat,
            store.path().display()
        );
        let _ = io::stderr().flush();
        let mut answer = String::new();
        io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| Failure::new(EXIT_USAGE, format!("cannot read the answer: {e}")))?;
        if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            return Err(Failure::new(EXIT_USAGE, "nothing deleted"));
        }
    }
    let writer = store.writer();
    writer.forget(args.chat);
    writer.flush().map_err(failure)?;
    println!("forgot {count} stored entries of {}", args.chat);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_text_is_sanitised_piece_by_piece() {
        let text = "a\u{1b}[2Jb天气c";
        let start = text.find('天').unwrap();
        let word = crate::store::highlight(text, &["天气".to_string()]);
        assert_eq!(word.first().map(|r| r.start), Some(start));
        let out = marked(text, &word, true);
        assert_eq!(out, "a␛[2Jb\x1b[1m天气\x1b[22mc");
        assert_eq!(marked(text, &word, false), "a␛[2Jb天气c");
    }
}
