//! The API calls the app makes, each typed together with its result.
//!
//! A call is a struct (plain data, in `call/<area>.rs`, its doc naming the OneBot action)
//! implementing [`Request`](reply::Request): what it is called, what it writes to the audit log,
//! what its success and its failure do to the state — one impl, in the feature module that makes
//! the call. The registry ([`for_each_call!`]) lists every call once; from it come [`Call`] (what
//! `update` asks for, here), [`Reply`](reply::Reply) (the call with its typed result, as it comes
//! back) and the runtime's dispatch.
//!
//! All of `call/` is core (see `app`'s doc): it names no feature, so every feature can make any
//! call and the impls find their structs through the trait. The trait and `Reply` sit apart in
//! `reply.rs` because they read and write `State`, and `State` holds `Call`s (in the effects a
//! confirmation runs): with both in one file the core would be a cycle.

pub mod chat;
pub mod contacts;
pub mod forwarding;
pub mod group;
pub mod group_files;
pub mod members;
pub mod messages;
pub mod reactions;
pub mod reply;
pub mod requests;

/// The registry: every API call the app makes, one row each, as `module::Struct` under
/// `src/app/call/`. It expands a given macro with the rows, so one list makes [`Call`] and its
/// conversions here, [`Reply`](reply::Reply) and its folding into the state in `reply.rs`, and
/// the runtime's dispatch in `src/runtime/exec/`.
///
/// Adding an API call is three edits, each checked by the compiler:
/// 1. a row here, and the call's struct (plain data, its doc naming the OneBot action) with its
///    output type, if new, in the `call/<area>.rs` the row names — core files, which import
///    only core modules;
/// 2. its `impl Request` (name, audit line, success, failure; the trait is in `reply.rs`) in
///    the feature module that makes the call and knows what its result means, e.g.
///    `admin/members.rs` for `Ban` (`Reply` fails without it, and `Request: Into<Call>` fails
///    without the row);
/// 3. its `impl Perform` in `src/runtime/exec/<area>.rs` (the runtime's dispatch fails without
///    it).
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
            chat::Typing,
            // Passing messages on.
            forwarding::ForwardMerged,
            forwarding::ForwardEach,
            // Reactions.
            reactions::React,
            reactions::ReactionCounts,
            reactions::Reactors,
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
            // The group file browser.
            group_files::GroupFileList,
            group_files::GroupFileSpace,
            group_files::DeleteGroupFile,
            group_files::DeleteGroupFolder,
            group_files::CreateGroupFolder,
            // Friend and group requests.
            requests::GroupRequests,
            requests::AnswerRequest,
            requests::DoubtRequests,
            requests::AcceptDoubt,
        }
    };
}
pub(crate) use for_each_call;

/// Makes [`Call`] and its conversions from the registry's rows.
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

        $(
            impl From<$name> for Call {
                fn from(c: $name) -> Call {
                    Call::$name(c)
                }
            }
        )*

        /// Every registry row's name, for the test that walks them.
        #[cfg(test)]
        const NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

for_each_call!(define_calls);

pub use forwarding::ForwardedEach;
