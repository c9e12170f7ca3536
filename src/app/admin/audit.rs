//! The moderation audit log's entries (the runtime appends them to `moderation.log`). Which calls
//! are moderation, and what each records, is said by the call itself in its `Request::audit`.

use super::super::effect::AuditEntry;
use super::super::state::State;
use super::super::text::excerpt;

/// What a moderation call records, before its result is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    /// The group (None for friend requests).
    pub group: Option<i64>,
    /// What was done, with its details: `mute 600s`, `kick --block`, `card "新名片"`.
    pub action: String,
    /// Whom or what it was done to: `20002 (明哥)`, `message 123 of 20002 (明哥)`, `-`.
    pub target: String,
}

impl AuditLine {
    /// A line about `group`.
    pub fn group(group: i64, action: impl Into<String>, target: impl Into<String>) -> Self {
        AuditLine {
            group: Some(group),
            action: action.into(),
            target: target.into(),
        }
    }

    /// The entry once the result came back at `time`.
    pub fn entry(self, time: i64, result: Result<(), String>) -> AuditEntry {
        AuditEntry {
            time,
            group: self.group,
            action: self.action,
            target: self.target,
            result,
        }
    }
}

/// User text as an audit field: its first line, shortened, in double quotes.
pub fn quoted(s: &str) -> String {
    format!("\"{}\"", excerpt(s).replace('"', "'"))
}

/// `on` / `off`, as the log writes switches.
pub fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// A member as the log names them: `20002 (明哥)`.
pub fn member(state: &State, group: i64, user: i64) -> String {
    format!("{user} ({})", state.contacts.member_name(group, user))
}
