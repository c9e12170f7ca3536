//! The API calls the app makes, each typed together with its result.
//!
//! A call is a struct implementing [`Request`]: what it is called, what it writes to the audit
//! log, what its success and its failure do to the state — one impl, in the file of the feature
//! it serves. The registry ([`for_each_call!`]) lists every call once; from it come [`Call`]
//! (what `update` asks for), [`Reply`] (the call with its typed result, as it comes back) and the
//! runtime's dispatch.

pub mod chat;
pub mod contacts;
pub mod group;
pub mod members;
pub mod messages;
pub mod requests;

use crate::onebot::Error;

use super::admin::AdminPopup;
use super::admin::audit::AuditLine;
use super::effect::Effect;
use super::state::{Popup, State};
pub use super::text::short_reason;

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

/// The registry: every API call the app makes, one row each, as `module::Struct` under
/// `src/app/call/`. It expands a given macro with the rows, so one list makes [`Call`],
/// [`Reply`], their conversions and dispatch here, and the runtime's dispatch in
/// `src/runtime/exec/`.
///
/// Adding an API call is three edits, each checked by the compiler:
/// 1. a row here;
/// 2. the call's struct and its `impl Request` (name, audit line, success, failure) in the
///    module the row names (`Request: Into<Call>` fails without the row);
/// 3. its `impl Perform` in `src/runtime/exec/` (the runtime's dispatch fails without it).
///
/// Then construct it where the feature needs it: `fx.push(Effect::call(Ban { .. }))`.
macro_rules! for_each_call {
    ($then:ident) => {
        $then! {
            // What the account knows.
            contacts::LoginInfo,
            contacts::Friends,
            contacts::FriendCategories,
            contacts::Groups,
            contacts::RecentContacts,
            contacts::MemberList,
            contacts::StrangerInfo,
            // Chats.
            chat::History,
            chat::GetMsg,
            chat::GetForward,
            chat::FileUrl,
            chat::SendMessage,
            chat::MarkRead,
            chat::MarkAllRead,
            // Administration: messages.
            messages::Recall,
            messages::SetEssence,
            messages::Essences,
            // Administration: members.
            members::Ban,
            members::Kick,
            members::KickMany,
            members::SetCard,
            members::SetTitle,
            members::SetAdmin,
            members::Profile,
            members::Poke,
            members::Like,
            // Administration: the group.
            group::MuteAll,
            group::Rename,
            group::Avatar,
            group::Notices,
            group::PostNotice,
            group::DeleteNotice,
            group::ShutList,
            group::GroupDetails,
            group::Honors,
            group::AtAllRemain,
            group::Sign,
            group::Leave,
            // Friend and group requests.
            requests::GroupRequests,
            requests::AnswerRequest,
        }
    };
}
pub(crate) use for_each_call;

/// Makes [`Call`], [`Reply`] and their dispatch from the registry's rows.
macro_rules! define_calls {
    ($($module:ident :: $name:ident),* $(,)?) => {
        $(pub use $module::$name;)*

        /// An API call the app wants made.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Call {
            $(
                #[doc = concat!("See [`", stringify!($name), "`].")]
                $name($name),
            )*
        }

        /// A finished call: the call itself (the context its handling needs) and its result.
        #[derive(Debug, Clone)]
        pub enum Reply {
            $(
                #[doc = concat!("See [`", stringify!($name), "`].")]
                $name($name, Result<<$name as Request>::Output, Error>),
            )*
        }

        $(
            impl From<$name> for Call {
                fn from(c: $name) -> Call {
                    Call::$name(c)
                }
            }
        )*

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

        /// Every registry row's name, for the test that walks them.
        #[cfg(test)]
        const NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

for_each_call!(define_calls);

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

// Where results that fill a popup find it: the one place that knows how popups nest.

fn admin_popup(state: &State) -> Option<&AdminPopup> {
    match state.popup.as_ref() {
        Some(Popup::Admin(p)) => Some(p),
        _ => None,
    }
}

fn admin_popup_mut(state: &mut State) -> Option<&mut AdminPopup> {
    match state.popup.as_mut() {
        Some(Popup::Admin(p)) => Some(p),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::onebot::{MessageChain, Peer, Role};

    use super::super::contacts::{Member, Members, MembersState};
    use super::super::effect::AuditEntry;
    use super::super::keymap::Keymap;
    use super::super::state::Settings;
    use super::*;

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
            }
            .into(),
            SendMessage {
                peer,
                chain: MessageChain::default(),
                local_id: 1,
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
            Profile { group: 1, user: 2 }.into(),
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
        for name in NAMES {
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
        ] {
            assert!(
                names.contains(&pair.0) && names.contains(&pair.1),
                "{pair:?}"
            );
        }
    }

    fn group_with_member() -> State {
        let mut s = State::new(Settings::default(), Keymap::default_map());
        s.now = 1_000;
        let m = Member {
            user_id: 2,
            nickname: "明哥".into(),
            role: Role::Member,
            ..Default::default()
        };
        s.contacts.members.insert(
            1,
            Members {
                state: MembersState::Loaded,
                by_id: [(2, m)].into_iter().collect(),
            },
        );
        s
    }

    fn mute() -> Ban {
        Ban {
            group: 1,
            user: 2,
            duration: 600,
        }
    }

    /// The audit effect of `mute()` ending with `result`.
    fn mute_audited(result: Result<(), String>) -> Effect {
        Effect::Audit(AuditEntry {
            time: 1_000,
            group: Some(1),
            action: "mute 600s".into(),
            target: "2 (明哥)".into(),
            result,
        })
    }

    #[test]
    fn a_mute_that_succeeds_is_audited_shown_and_applied_to_the_member() {
        let mut s = group_with_member();
        let mut fx = Vec::new();
        Reply::Ban(mute(), Ok(())).apply(&mut s, &mut fx);
        assert_eq!(fx, vec![mute_audited(Ok(()))]);
        assert_eq!(s.contacts.members[&1].by_id[&2].shut_up_until, 1_600);
        assert_eq!(s.status.info.as_deref(), Some("已禁言 明哥 (2) 10分钟"));
        assert_eq!(s.status.error, None);
    }

    #[test]
    fn a_mute_that_fails_is_audited_with_the_reason_and_changes_nothing() {
        let mut s = group_with_member();
        let mut fx = Vec::new();
        let e = Error::ActionFailed {
            action: "set_group_ban".into(),
            retcode: 200,
            message: "权限不足".into(),
        };
        Reply::Ban(mute(), Err(e)).apply(&mut s, &mut fx);
        assert_eq!(fx, vec![mute_audited(Err("权限不足".into()))]);
        assert_eq!(s.contacts.members[&1].by_id[&2].shut_up_until, 0);
        assert_eq!(
            s.status.error.as_deref(),
            Some("禁言 明哥 (2) 失败: 权限不足")
        );
    }
}
