//! What a finished call does: the [`Request`] trait each call implements in the feature that
//! makes it, and [`Reply`] — the call with its typed result, as it comes back — folded into the
//! state: its audit entry first, then what success or failure does.

use crate::onebot::Error;

use super::super::admin::audit::AuditLine;
use super::super::effect::Effect;
use super::super::state::State;
use super::super::text::short_reason;
use super::{Call, for_each_call};

/// One API call: its name, its audit line, and what its result does to the state.
pub trait Request: Into<Call> + Sized {
    /// What a success returns.
    type Output;

    /// A short human name for status-line messages: `禁言`, `获取群成员`.
    fn describe(&self) -> &'static str;

    /// The audit log's line, for a moderation call. Asked before the result is folded in, so a
    /// kicked member still has a name.
    fn audit(&self, _state: &State) -> Option<AuditLine> {
        None
    }

    /// Folds a success into the state.
    fn done(self, state: &mut State, out: Self::Output, fx: &mut Vec<Effect>);

    /// Whom the call is about, named when it fails: `禁言 明哥 (20002) 失败: …`.
    fn subject(&self, _state: &State) -> Option<String> {
        None
    }

    /// Folds a failure into the state: by default `<describe> [<subject>] 失败: <reason>` in the
    /// status line.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        let what = match self.subject(state) {
            Some(whom) => format!("{} {whom} ", self.describe()),
            None => self.describe().to_string(),
        };
        show_failure(state, &what, &e);
    }
}

/// Makes [`Reply`], its folding and [`Call::describe`] from the registry's rows.
macro_rules! define_replies {
    ($($module:ident :: $name:ident),* $(,)?) => {
        /// A finished call: the call itself (the context its handling needs) and its result.
        #[derive(Debug, Clone)]
        pub enum Reply {
            $(
                #[doc = concat!("See [`super::", stringify!($name), "`].")]
                $name(super::$name, Result<<super::$name as Request>::Output, Error>),
            )*
        }

        impl Call {
            /// A short human name for status-line messages.
            pub fn describe(&self) -> &'static str {
                match self {
                    $(Call::$name(c) => c.describe(),)*
                }
            }
        }

        impl Reply {
            /// Folds the result into the state: the audit entry first (for a moderation call),
            /// then what success or failure does.
            pub fn apply(self, state: &mut State, fx: &mut Vec<Effect>) {
                match self {
                    $(Reply::$name(c, result) => settle(c, result, state, fx),)*
                }
            }
        }
    };
}

for_each_call!(define_replies);

fn settle<R: Request>(
    call: R,
    result: Result<R::Output, Error>,
    state: &mut State,
    fx: &mut Vec<Effect>,
) {
    if let Some(line) = call.audit(state) {
        let outcome = match &result {
            Ok(_) => Ok(()),
            Err(e) => Err(short_reason(e)),
        };
        fx.push(Effect::Audit(line.entry(state.now, outcome)));
    }
    match result {
        Ok(out) => call.done(state, out, fx),
        Err(e) => call.failed(state, e, fx),
    }
}

/// The status line's `<what>失败: <reason>`.
pub fn show_failure(state: &mut State, what: &str, e: &Error) {
    state.error(format!("{what}失败: {}", short_reason(e)));
}

#[cfg(test)]
mod tests {
    use crate::onebot::{MessageChain, Peer};

    use super::super::*;

    /// One of each row, with both readings where `describe` depends on the fields.
    fn samples() -> Vec<Call> {
        let peer = Peer::Group(1);
        vec![
            LoginInfo.into(),
            Friends.into(),
            FriendCategories.into(),
            Groups.into(),
            RecentContacts { count: 30 }.into(),
            MemberList { group: 1 }.into(),
            StrangerInfo {
                user: 2,
                request: None,
            }
            .into(),
            History {
                peer,
                anchor: None,
                count: 30,
            }
            .into(),
            GetMsg { peer, id: 1 }.into(),
            GetForward { id: "f".into() }.into(),
            FileUrl {
                group: 1,
                file_id: "x".into(),
                copy: false,
            }
            .into(),
            SendMessage {
                peer,
                chain: MessageChain::default(),
                local_id: 1,
                group: None,
            }
            .into(),
            Typing { user: 2 }.into(),
            ForwardMerged {
                target: peer,
                ids: vec![1, 2],
            }
            .into(),
            ForwardEach {
                target: peer,
                ids: vec![1],
            }
            .into(),
            React {
                peer,
                id: 1,
                emoji: "76".into(),
                set: true,
            }
            .into(),
            React {
                peer,
                id: 1,
                emoji: "76".into(),
                set: false,
            }
            .into(),
            ReactionCounts { peer, id: 1 }.into(),
            Reactors {
                peer,
                id: 1,
                emoji: "76".into(),
            }
            .into(),
            MarkRead { peer }.into(),
            MarkAllRead.into(),
            Recall {
                peer,
                id: 1,
                author: 2,
            }
            .into(),
            SetEssence {
                group: 1,
                id: 1,
                on: true,
            }
            .into(),
            SetEssence {
                group: 1,
                id: 1,
                on: false,
            }
            .into(),
            Essences { group: 1 }.into(),
            Ban {
                group: 1,
                user: 2,
                duration: 60,
            }
            .into(),
            Ban {
                group: 1,
                user: 2,
                duration: 0,
            }
            .into(),
            Kick {
                group: 1,
                user: 2,
                block: false,
            }
            .into(),
            KickMany {
                group: 1,
                users: vec![2, 3],
                block: true,
            }
            .into(),
            SetCard {
                group: 1,
                user: 2,
                card: "c".into(),
            }
            .into(),
            SetTitle {
                group: 1,
                user: 2,
                title: "t".into(),
            }
            .into(),
            SetAdmin {
                group: 1,
                user: 2,
                enable: true,
            }
            .into(),
            SetAdmin {
                group: 1,
                user: 2,
                enable: false,
            }
            .into(),
            Profile {
                group: Some(1),
                user: 2,
            }
            .into(),
            Poke {
                group: None,
                user: 2,
            }
            .into(),
            Like { user: 2, times: 1 }.into(),
            MuteAll {
                group: 1,
                enable: true,
            }
            .into(),
            MuteAll {
                group: 1,
                enable: false,
            }
            .into(),
            Rename {
                group: 1,
                name: "n".into(),
            }
            .into(),
            Avatar {
                group: 1,
                file: "a.png".into(),
            }
            .into(),
            Notices { group: 1 }.into(),
            PostNotice {
                group: 1,
                text: "t".into(),
                image: None,
                pinned: false,
                confirm: false,
            }
            .into(),
            DeleteNotice {
                group: 1,
                notice_id: "n".into(),
            }
            .into(),
            ShutList { group: 1 }.into(),
            GroupDetails { group: 1 }.into(),
            Honors { group: 1 }.into(),
            AtAllRemain { group: 1 }.into(),
            Sign { group: 1 }.into(),
            Leave {
                group: 1,
                dismiss: false,
            }
            .into(),
            Leave {
                group: 1,
                dismiss: true,
            }
            .into(),
            GroupRequests { filtered: false }.into(),
            GroupFileList {
                group: 1,
                folder: None,
            }
            .into(),
            GroupFileSpace { group: 1 }.into(),
            DeleteGroupFile {
                group: 1,
                file_id: "/f".into(),
                name: "a".into(),
            }
            .into(),
            DeleteGroupFolder {
                group: 1,
                folder_id: "/d".into(),
                name: "d".into(),
            }
            .into(),
            CreateGroupFolder {
                group: 1,
                name: "d".into(),
            }
            .into(),
            DoubtRequests.into(),
            AcceptDoubt {
                flag: "u_x".into(),
                user: 2,
            }
            .into(),
            AnswerRequest {
                flag: "f".into(),
                user: 2,
                group: None,
                approve: true,
                text: None,
            }
            .into(),
            AnswerRequest {
                flag: "f".into(),
                user: 2,
                group: Some(1),
                approve: false,
                text: None,
            }
            .into(),
        ]
    }

    #[test]
    fn every_registered_call_has_a_name_for_the_status_line() {
        let samples = samples();
        for name in super::super::NAMES {
            let prefix = format!("{name}(");
            let of_row: Vec<&Call> = samples
                .iter()
                .filter(|c| format!("{c:?}").starts_with(&prefix))
                .collect();
            assert!(!of_row.is_empty(), "no sample of the registry row {name}");
            for c in of_row {
                assert!(!c.describe().trim().is_empty(), "{c:?} has no name");
            }
        }
        // Where the fields change the name, the two readings differ.
        let names: Vec<&str> = samples.iter().map(Call::describe).collect();
        for pair in [
            ("禁言", "解除禁言"),
            ("设为精华", "取消精华"),
            ("退出群聊", "解散群聊"),
            ("贴表情", "取消贴表情"),
        ] {
            assert!(
                names.contains(&pair.0) && names.contains(&pair.1),
                "{pair:?}"
            );
        }
    }
}
