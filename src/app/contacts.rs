//! Who is who: friends (with categories), groups, group members, and names seen in passing.

use std::collections::HashMap;

use crate::onebot::{Peer, Role};

use super::fuzzy::Candidate;

/// A friend.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FriendInfo {
    pub user_id: i64,
    pub nickname: String,
    pub remark: String,
    /// Category id when the server reports categories.
    pub category: Option<i64>,
}

impl FriendInfo {
    /// Remark if set, else nickname, else the number.
    pub fn display_name(&self) -> String {
        crate::onebot::display_name(&[&self.remark, &self.nickname], self.user_id)
    }
}

/// A group the account is in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupEntry {
    pub group_id: i64,
    pub name: String,
    pub remark: String,
    pub member_count: i64,
    pub max_member_count: i64,
    /// Whole-group mute is on.
    pub all_shut: bool,
}

impl GroupEntry {
    /// Remark if set, else the group name, else the number.
    pub fn display_name(&self) -> String {
        crate::onebot::display_name(&[&self.remark, &self.name], self.group_id)
    }
}

/// A member of a group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Member {
    pub user_id: i64,
    pub nickname: String,
    pub card: String,
    pub role: Role,
    pub title: String,
    /// Group level as the server reports it.
    pub level: String,
    pub join_time: i64,
    pub last_sent_time: i64,
    /// Muted until this Unix time (0 = not muted).
    pub shut_up_until: i64,
}

impl Member {
    /// Card if set, else nickname, else the number.
    pub fn display_name(&self) -> String {
        crate::onebot::display_name(&[&self.card, &self.nickname], self.user_id)
    }
    /// True when muted at `now`.
    pub fn is_muted(&self, now: i64) -> bool {
        self.shut_up_until > now
    }
}

/// Whether a group's member list has been fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MembersState {
    #[default]
    NotLoaded,
    Loading,
    Loaded,
    Failed,
}

/// The members of one group, as far as known. Changed only through its methods, so the pane
/// order is sorted once per change, not per frame (3,000 names in a big group).
#[derive(Debug, Clone, Default)]
pub struct Members {
    pub state: MembersState,
    by_id: HashMap<i64, Member>,
    /// The `@` completion's index of this list: made at the first `@`, dropped by any change
    /// to the list (made again at the next `@`).
    pub mention: Option<MentionIndex>,
    /// The members' numbers in pane order, made at the first ask after a change.
    order: std::cell::OnceCell<Vec<i64>>,
}

/// The members others may mention, in pane order, each with its match keys (names, their
/// pinyin) made once: a keystroke in `@query` only ranks them.
#[derive(Debug, Clone, Default)]
pub struct MentionIndex {
    /// The account it was made for (who is left out of it).
    pub for_self: i64,
    pub ids: Vec<i64>,
    pub candidates: Vec<Candidate>,
}

impl MentionIndex {
    /// The index of `ms` for the account `self_id` (who is not offered).
    pub fn build(ms: &Members, self_id: i64) -> MentionIndex {
        let list: Vec<&Member> = ms
            .ordered()
            .into_iter()
            .filter(|m| m.user_id != self_id)
            .collect();
        MentionIndex {
            for_self: self_id,
            ids: list.iter().map(|m| m.user_id).collect(),
            candidates: list
                .iter()
                .map(|m| Candidate::new(&[&m.card, &m.nickname], m.user_id))
                .collect(),
        }
    }
}

impl Members {
    /// A list in `state` holding `list`.
    pub fn new(state: MembersState, list: impl IntoIterator<Item = Member>) -> Members {
        Members {
            state,
            by_id: list.into_iter().map(|m| (m.user_id, m)).collect(),
            ..Default::default()
        }
    }

    /// The members by number.
    pub fn by_id(&self) -> &HashMap<i64, Member> {
        &self.by_id
    }

    /// Adds or replaces a member; the one replaced.
    pub fn insert(&mut self, m: Member) -> Option<Member> {
        self.changed();
        self.by_id.insert(m.user_id, m)
    }

    /// Takes a member out.
    pub fn remove(&mut self, user: i64) -> Option<Member> {
        self.changed();
        self.by_id.remove(&user)
    }

    /// A member to change (name, role, title, mute): the order and the `@` index are made
    /// again at the next ask.
    pub fn get_mut(&mut self, user: i64) -> Option<&mut Member> {
        self.changed();
        self.by_id.get_mut(&user)
    }

    /// Drops what is made from the list.
    fn changed(&mut self) {
        self.order.take();
        self.mention = None;
    }

    /// The members' numbers in pane order: owner, admins, then members, each by name.
    pub fn order(&self) -> &[i64] {
        self.order.get_or_init(|| {
            let mut v: Vec<&Member> = self.by_id.values().collect();
            // Each name is made once, not twice per comparison.
            v.sort_by_cached_key(|m| (rank(m.role), m.display_name(), m.user_id));
            v.into_iter().map(|m| m.user_id).collect()
        })
    }

    /// Members in pane order (see [`Members::order`]).
    pub fn ordered(&self) -> Vec<&Member> {
        self.order()
            .iter()
            .filter_map(|id| self.by_id.get(id))
            .collect()
    }

    /// The member at place `i` of the pane order.
    pub fn nth(&self, i: usize) -> Option<&Member> {
        self.order().get(i).and_then(|id| self.by_id.get(id))
    }
}

fn rank(r: Role) -> u8 {
    match r {
        Role::Owner => 0,
        Role::Admin => 1,
        Role::Member => 2,
        Role::Unknown => 3,
    }
}

/// Everything known about people and groups.
#[derive(Debug, Clone, Default)]
pub struct Contacts {
    pub friends: HashMap<i64, FriendInfo>,
    /// Friend categories in server order: (id, name).
    pub categories: Vec<(i64, String)>,
    pub groups: HashMap<i64, GroupEntry>,
    /// The server's group list has arrived: `groups` is then every group the account is in.
    pub groups_loaded: bool,
    pub members: HashMap<i64, Members>,
    /// Names seen on messages from people who are neither friends nor loaded members.
    pub seen: HashMap<i64, String>,
    /// The names members had in a group when they left it (by group, user): a result or a
    /// line about them that comes after the member list changed still names them.
    pub departed: HashMap<(i64, i64), String>,
    /// Bumped whenever a name may have changed (layout caches key on it).
    pub version: u64,
}

impl Contacts {
    /// Marks names as changed.
    pub fn touch(&mut self) {
        self.version += 1;
    }

    /// The name of a chat as the sidebar and header show it.
    pub fn chat_name(&self, peer: Peer) -> String {
        match peer {
            Peer::Group(g) => self
                .groups
                .get(&g)
                .map(GroupEntry::display_name)
                .unwrap_or_else(|| g.to_string()),
            Peer::Private(u) => self.user_name(u),
        }
    }

    /// A user's name outside any group: friend remark/nickname, else a name seen, else the number.
    pub fn user_name(&self, user: i64) -> String {
        if let Some(f) = self.friends.get(&user) {
            return f.display_name();
        }
        self.seen
            .get(&user)
            .filter(|s| !s.trim().is_empty())
            .cloned()
            .unwrap_or_else(|| user.to_string())
    }

    /// A member's name in a group: card, nickname, the name they had when they left, then as
    /// `user_name`.
    pub fn member_name(&self, group: i64, user: i64) -> String {
        if let Some(m) = self.members.get(&group).and_then(|ms| ms.by_id.get(&user)) {
            return m.display_name();
        }
        if let Some(name) = self.departed.get(&(group, user)) {
            return name.clone();
        }
        self.user_name(user)
    }

    /// A name napterm knows for `user` in the chat `peer` (the member's card or nickname, a
    /// friend's remark or nickname, a name seen), or None when all it knows is the number.
    pub fn known_name_in(&self, peer: Peer, user: i64) -> Option<String> {
        if let Peer::Group(g) = peer
            && let Some(m) = self.member(g, user)
        {
            return Some(m.display_name());
        }
        if let Some(f) = self.friends.get(&user) {
            return Some(f.display_name());
        }
        self.seen
            .get(&user)
            .filter(|s| !s.trim().is_empty())
            .cloned()
    }

    /// Takes a member out of a group's list, keeping the name they had there.
    pub fn remove_member(&mut self, group: i64, user: i64) {
        if let Some(m) = self.members.get_mut(&group).and_then(|ms| ms.remove(user))
            && (!m.card.trim().is_empty() || !m.nickname.trim().is_empty())
        {
            self.departed.insert((group, user), m.display_name());
        }
    }

    /// The name to use for `user` in the chat `peer`.
    pub fn name_in(&self, peer: Peer, user: i64) -> String {
        match peer {
            Peer::Group(g) => self.member_name(g, user),
            Peer::Private(_) => self.user_name(user),
        }
    }

    /// A member, if loaded.
    pub fn member(&self, group: i64, user: i64) -> Option<&Member> {
        self.members.get(&group).and_then(|m| m.by_id.get(&user))
    }

    /// A member, mutably, if loaded.
    pub fn member_mut(&mut self, group: i64, user: i64) -> Option<&mut Member> {
        self.members.get_mut(&group).and_then(|m| m.get_mut(user))
    }

    /// Remembers a name seen on a message (does not override better knowledge).
    pub fn see(&mut self, user: i64, name: &str) {
        if name.trim().is_empty() || self.friends.contains_key(&user) {
            return;
        }
        if self.seen.get(&user).map(String::as_str) != Some(name) {
            self.seen.insert(user, name.to_string());
            self.touch();
        }
    }

    /// A chat's name learnt in passing (the recent-chat list, the local store): a person is
    /// [`see`](Self::see)n, a group not in the list yet is added under that name.
    pub fn see_chat(&mut self, peer: Peer, name: &str) {
        match peer {
            Peer::Private(u) => self.see(u, name),
            Peer::Group(g) => {
                self.groups.entry(g).or_insert_with(|| GroupEntry {
                    group_id: g,
                    name: name.to_string(),
                    ..Default::default()
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_prefer_card_then_nickname_then_remark() {
        let mut c = Contacts::default();
        c.friends.insert(
            2,
            FriendInfo {
                user_id: 2,
                nickname: "nick".into(),
                remark: "备注".into(),
                category: None,
            },
        );
        assert_eq!(c.user_name(2), "备注");
        assert_eq!(c.member_name(9, 2), "备注");
        let mut ms = Members::default();
        ms.insert(Member {
            user_id: 2,
            nickname: "nick".into(),
            card: "群名片".into(),
            ..Default::default()
        });
        c.members.insert(9, ms);
        assert_eq!(c.member_name(9, 2), "群名片");
        assert_eq!(c.user_name(3), "3");
        c.see(3, "路人");
        assert_eq!(c.user_name(3), "路人");
    }

    /// The pane order is kept between asks and made again after every kind of change.
    #[test]
    fn the_kept_order_follows_every_change_to_the_list() {
        let member = |id: i64, name: &str| Member {
            user_id: id,
            nickname: name.into(),
            ..Default::default()
        };
        let mut ms = Members::new(MembersState::Loaded, [member(1, "b"), member(2, "c")]);
        assert_eq!(ms.order(), [1, 2]);
        ms.insert(member(3, "a"));
        assert_eq!(ms.order(), [3, 1, 2], "a member joined");
        ms.get_mut(2).unwrap().role = Role::Admin;
        assert_eq!(ms.order(), [2, 3, 1], "made an admin");
        ms.get_mut(1).unwrap().card = "0 first".into();
        assert_eq!(ms.order(), [2, 1, 3], "a new card");
        ms.remove(2);
        assert_eq!(ms.order(), [1, 3], "one left");
        assert_eq!(ms.nth(1).map(|m| m.user_id), Some(3));
        assert_eq!(ms.ordered().len(), 2);
    }

    #[test]
    fn members_order_owner_admins_members() {
        let mut ms = Members::default();
        for (id, role, name) in [
            (1, Role::Member, "b"),
            (2, Role::Admin, "z"),
            (3, Role::Owner, "y"),
            (4, Role::Member, "a"),
        ] {
            ms.insert(Member {
                user_id: id,
                nickname: name.into(),
                role,
                ..Default::default()
            });
        }
        let order: Vec<i64> = ms.ordered().iter().map(|m| m.user_id).collect();
        assert_eq!(order, vec![3, 2, 4, 1]);
    }
}
