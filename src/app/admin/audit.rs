//! The moderation audit log's entries: which calls are moderation, and how each is recorded
//! once its result is known (the runtime appends them to `moderation.log`).

use crate::onebot::{Error, Peer};

use super::super::effect::{AuditEntry, Call, Done};
use super::super::state::State;
use super::super::text::{excerpt, short_reason};

fn quoted(s: &str) -> String {
    format!("\"{}\"", excerpt(s).replace('"', "'"))
}

/// The audit entry for a finished call, when it was a moderation action.
pub fn entry(state: &State, call: &Call, result: &Result<Done, Error>) -> Option<AuditEntry> {
    let who = |g: i64, u: i64| format!("{u} ({})", state.contacts.member_name(g, u));
    let (group, action, target) = match call {
        Call::Recall {
            peer: Peer::Group(g),
            id,
            author,
        } if *author != state.self_id => (
            Some(*g),
            "recall".to_string(),
            format!("message {id} of {}", who(*g, *author)),
        ),
        Call::Ban {
            group,
            user,
            duration,
        } => (
            Some(*group),
            if *duration == 0 {
                "unmute".to_string()
            } else {
                format!("mute {duration}s")
            },
            who(*group, *user),
        ),
        Call::Kick { group, user, block } => (
            Some(*group),
            if *block { "kick --block" } else { "kick" }.to_string(),
            who(*group, *user),
        ),
        Call::KickMany {
            group,
            users,
            block,
        } => (
            Some(*group),
            if *block { "kick --block" } else { "kick" }.to_string(),
            users
                .iter()
                .map(|u| who(*group, *u))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Call::SetCard { group, user, card } if *user != state.self_id => (
            Some(*group),
            format!("card {}", quoted(card)),
            who(*group, *user),
        ),
        Call::SetTitle { group, user, title } => (
            Some(*group),
            format!("title {}", quoted(title)),
            who(*group, *user),
        ),
        Call::SetAdmin {
            group,
            user,
            enable,
        } => (
            Some(*group),
            format!("admin {}", if *enable { "on" } else { "off" }),
            who(*group, *user),
        ),
        Call::SetEssence { group, id, on } => (
            Some(*group),
            format!("essence {}", if *on { "on" } else { "off" }),
            format!("message {id}"),
        ),
        Call::MuteAll { group, enable } => (
            Some(*group),
            format!("muteall {}", if *enable { "on" } else { "off" }),
            "-".to_string(),
        ),
        Call::Rename { group, name } => (
            Some(*group),
            format!("rename {}", quoted(name)),
            "-".to_string(),
        ),
        Call::Avatar { group, file } => (Some(*group), "avatar".to_string(), file.clone()),
        Call::PostNotice { group, text, .. } => (
            Some(*group),
            format!("notice {}", quoted(text)),
            "-".to_string(),
        ),
        Call::DeleteNotice { group, notice_id } => {
            (Some(*group), "delete-notice".to_string(), notice_id.clone())
        }
        Call::Leave { group, dismiss } => (
            Some(*group),
            if *dismiss { "dismiss" } else { "leave" }.to_string(),
            "-".to_string(),
        ),
        Call::AnswerRequest {
            user,
            group,
            approve,
            text,
            ..
        } => {
            let verb = if *approve { "accept" } else { "reject" };
            let action = match (text, approve) {
                (Some(t), true) => format!("{verb} remark={}", quoted(t)),
                (Some(t), false) => format!("{verb} reason={}", quoted(t)),
                (None, _) => verb.to_string(),
            };
            let kind = if group.is_some() { "group" } else { "friend" };
            (
                *group,
                format!("{action} ({kind} request)"),
                format!("{user} ({})", state.contacts.user_name(*user)),
            )
        }
        _ => return None,
    };
    Some(AuditEntry {
        time: state.now,
        group,
        action,
        target,
        result: match result {
            Ok(_) => Ok(()),
            Err(e) => Err(short_reason(e)),
        },
    })
}
