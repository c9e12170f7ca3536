//! The moderation audit log: one tab-separated line per action, appended when its result is
//! known — `time  group  action  target  result`.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;

use crate::app::effect::AuditEntry;

/// The log's file name inside the state directory (`$XDG_STATE_HOME/napterm/`).
pub const FILE_NAME: &str = "moderation.log";

/// Makes a field safe for a one-line, tab-separated record: no tabs, newlines or other controls.
fn field(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        "-".to_string()
    } else {
        clean.to_string()
    }
}

/// The record of one entry (without the newline): local time in RFC 3339, the group number
/// (`-` for friend requests), the action, the target, then `ok` or `failed: <reason>`.
pub fn line(e: &AuditEntry) -> String {
    use chrono::{Local, TimeZone};
    let time = Local
        .timestamp_opt(e.time, 0)
        .single()
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .unwrap_or_else(|| e.time.to_string());
    let group = e.group.map_or_else(|| "-".to_string(), |g| g.to_string());
    let result = match &e.result {
        Ok(()) => "ok".to_string(),
        Err(why) => format!("failed: {}", field(why)),
    };
    [time, group, field(&e.action), field(&e.target), result].join("\t")
}

/// Appends an entry to the log at `path`, creating the file and its directory if needed.
pub fn append(path: &Path, e: &AuditEntry) -> io::Result<()> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    writeln!(f, "{}", line(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_with_every_field_and_nothing_that_breaks_it() {
        let e = AuditEntry {
            time: 0,
            group: Some(726354120),
            action: "card \"a\tb\"".into(),
            target: "20002 (明哥\n)".into(),
            result: Err("权限不足\r\n(1200)".into()),
        };
        let l = line(&e);
        let cols: Vec<&str> = l.split('\t').collect();
        assert_eq!(cols.len(), 5, "{l}");
        assert_eq!(cols[1], "726354120");
        assert_eq!(cols[2], "card \"a b\"");
        assert_eq!(cols[3], "20002 (明哥 )");
        assert_eq!(cols[4], "failed: 权限不足  (1200)");
        let ok = AuditEntry {
            group: None,
            result: Ok(()),
            ..e
        };
        let l = line(&ok);
        assert!(l.ends_with("\tok"), "{l}");
        assert_eq!(l.split('\t').nth(1), Some("-"));
    }
}
