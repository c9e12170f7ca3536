//! Keeping what the account knows fresh: who it is, its friends and their categories, its
//! groups, its recent chats and the member lists of groups, as their calls come back. (They are
//! asked for by `events` once connected, and by `member_list` when a list is first needed,
//! through the load tracker, `loads`: each result is reported to it first.)

use crate::onebot::{Error, Peer, types};

use super::call::contacts::{FriendsByCategory, RecentItem};
use super::call::reply::{Request, show_failure};
use super::call::{FriendCategories, Friends, Groups, LoginInfo, MemberList, RecentContacts};
use super::contacts::{FriendInfo, GroupEntry, Member, Members, MembersState};
use super::effect::Effect;
use super::events::on_message;
use super::load_tracker;
use super::loads::Load;
use super::local;
use super::state::State;
use super::text::short_reason;

impl Request for LoginInfo {
    type Output = types::LoginInfo;

    fn describe(&self) -> &'static str {
        "获取登录信息"
    }

    fn done(self, state: &mut State, out: types::LoginInfo, fx: &mut Vec<Effect>) {
        load_tracker::settle(state, Load::LoginInfo, Ok(()), fx);
        if (state.self_id, &state.self_name) != (out.user_id, &out.nickname) {
            // Timelines draw your name and your mentions: their layouts are stale.
            state.contacts.touch();
        }
        state.self_id = out.user_id;
        state.self_name = out.nickname;
        if state.online() {
            local::want_account(state, out.user_id, fx);
        }
        local::keep_own_name(state, fx);
    }

    fn failed(self, state: &mut State, e: Error, fx: &mut Vec<Effect>) {
        if !load_tracker::settle(state, Load::LoginInfo, Err(&e), fx) {
            show_failure(state, self.describe(), &e);
        }
    }
}

impl Request for Friends {
    type Output = Vec<FriendInfo>;

    fn describe(&self) -> &'static str {
        "获取好友列表"
    }

    fn done(self, state: &mut State, list: Vec<FriendInfo>, fx: &mut Vec<Effect>) {
        load_tracker::settle(state, Load::Friends, Ok(()), fx);
        for f in &list {
            local::name_chat(state, Peer::Private(f.user_id), &f.display_name(), fx);
        }
        // Keep categories learnt from get_friends_with_category.
        let old = std::mem::take(&mut state.contacts.friends);
        for mut f in list {
            if f.category.is_none() {
                f.category = old.get(&f.user_id).and_then(|o| o.category);
            }
            state.contacts.friends.insert(f.user_id, f);
        }
        state.contacts.touch();
    }

    fn failed(self, state: &mut State, e: Error, fx: &mut Vec<Effect>) {
        if !load_tracker::settle(state, Load::Friends, Err(&e), fx) {
            show_failure(state, self.describe(), &e);
        }
    }
}

impl Request for FriendCategories {
    type Output = FriendsByCategory;

    fn describe(&self) -> &'static str {
        "获取好友列表"
    }

    fn done(self, state: &mut State, out: FriendsByCategory, _fx: &mut Vec<Effect>) {
        state.contacts.categories = out.categories;
        for f in out.friends {
            state.contacts.friends.insert(f.user_id, f);
        }
        state.contacts.touch();
    }

    // An extension other servers lack: carry on without it.
    fn failed(self, _state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        tracing::info!("optional call failed: {e}");
    }
}

impl Request for Groups {
    type Output = Vec<GroupEntry>;

    fn describe(&self) -> &'static str {
        "获取群列表"
    }

    fn done(self, state: &mut State, list: Vec<GroupEntry>, fx: &mut Vec<Effect>) {
        load_tracker::settle(state, Load::Groups, Ok(()), fx);
        for g in &list {
            local::name_chat(state, Peer::Group(g.group_id), &g.name, fx);
        }
        state.contacts.groups = list.into_iter().map(|g| (g.group_id, g)).collect();
        state.contacts.groups_loaded = true;
        state.contacts.touch();
    }

    fn failed(self, state: &mut State, e: Error, fx: &mut Vec<Effect>) {
        if !load_tracker::settle(state, Load::Groups, Err(&e), fx) {
            show_failure(state, self.describe(), &e);
        }
    }
}

impl Request for RecentContacts {
    type Output = Vec<RecentItem>;

    fn describe(&self) -> &'static str {
        "获取最近会话"
    }

    fn done(self, state: &mut State, items: Vec<RecentItem>, fx: &mut Vec<Effect>) {
        load_tracker::settle(state, Load::RecentChats, Ok(()), fx);
        for it in items {
            if !it.name.is_empty() {
                state.contacts.see_chat(it.peer, &it.name);
            }
            let chat = state.chat_mut(it.peer);
            chat.note_activity(it.time);
            if let Some(m) = it.last {
                // Newer than what is stored: the chat pages back until it meets it.
                super::catch_up::behind(state, it.peer, &m, fx);
                on_message(state, m, fx, false);
            }
        }
    }

    // An extension other servers lack: carry on without it (unless it only timed out).
    fn failed(self, state: &mut State, e: Error, fx: &mut Vec<Effect>) {
        if !load_tracker::settle(state, Load::RecentChats, Err(&e), fx) {
            tracing::info!("optional call failed: {e}");
        }
    }
}

impl Request for MemberList {
    type Output = Vec<Member>;

    fn describe(&self) -> &'static str {
        "获取群成员"
    }

    fn done(self, state: &mut State, list: Vec<Member>, fx: &mut Vec<Effect>) {
        let group = self.group;
        load_tracker::settle(state, Load::Members(group), Ok(()), fx);
        let mut ms = Members::new(MembersState::Loaded, list);
        if let Some(old) = state.contacts.members.get(&group) {
            // Members seen joining while the list loaded are kept.
            for (id, m) in old.by_id() {
                if !ms.by_id().contains_key(id) {
                    ms.insert(m.clone());
                }
            }
        }
        state.contacts.members.insert(group, ms);
        state.contacts.touch();
        if state.composer.completion.is_some() {
            super::completion::refresh(state, fx);
        }
    }

    fn failed(self, state: &mut State, e: Error, fx: &mut Vec<Effect>) {
        if load_tracker::settle(state, Load::Members(self.group), Err(&e), fx) {
            return;
        }
        state.contacts.members.entry(self.group).or_default().state = MembersState::Failed;
        let retry = super::retry::key(state);
        state.error(format!(
            "{}失败: {} (按 {retry} 重试)",
            self.describe(),
            short_reason(&e)
        ));
    }
}
