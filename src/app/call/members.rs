//! Calls on group members: mute, kick, card, title, admin, profile, poke, like. The member list
//! follows what succeeded; a failure names whom it was about.

use crate::onebot::types::{GroupMember, StrangerInfo};
use crate::onebot::{Error, Role};

use super::super::admin::AdminPopup;
use super::super::admin::audit::{self, AuditLine, on_off, quoted};
use super::super::admin::popup::Load;
use super::super::admin::target::{label, labels};
use super::super::contacts::Member;
use super::super::effect::Effect;
use super::super::state::State;
use super::super::text::duration_text;
use super::{Request, admin_popup_mut, short_reason};

/// Changes a loaded member, if there is one.
fn edit_member(state: &mut State, group: i64, user: i64, f: impl FnOnce(&mut Member)) {
    if let Some(m) = state.contacts.member_mut(group, user) {
        f(m);
        state.contacts.touch();
    }
}

/// Takes kicked members out of the list, the marks and the selection's range.
fn remove_members(state: &mut State, group: i64, users: &[i64]) {
    for u in users {
        state.contacts.remove_member(group, *u);
    }
    for u in users {
        state.members.marked.remove(u);
    }
    state.contacts.touch();
    let count = state
        .contacts
        .members
        .get(&group)
        .map_or(0, |m| m.by_id.len());
    state.members.selected = state.members.selected.min(count.saturating_sub(1));
}

fn kick_action(block: bool) -> &'static str {
    if block { "kick --block" } else { "kick" }
}

/// `set_group_ban`: mutes for `duration` seconds; 0 lifts the mute.
#[derive(Debug, Clone, PartialEq)]
pub struct Ban {
    pub group: i64,
    pub user: i64,
    pub duration: i64,
}

impl Request for Ban {
    type Output = ();

    fn describe(&self) -> &'static str {
        if self.duration == 0 {
            "解除禁言"
        } else {
            "禁言"
        }
    }

    fn audit(&self, state: &State) -> Option<AuditLine> {
        let action = if self.duration == 0 {
            "unmute".to_string()
        } else {
            format!("mute {}s", self.duration)
        };
        Some(AuditLine::group(
            self.group,
            action,
            audit::member(state, self.group, self.user),
        ))
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let Ban {
            group,
            user,
            duration,
        } = self;
        let until = if duration == 0 {
            0
        } else {
            state.now + duration
        };
        edit_member(state, group, user, |m| m.shut_up_until = until);
        state.members.marked.remove(&user);
        if let Some(p) = admin_popup_mut(state) {
            match p {
                AdminPopup::Mutes(l) if l.group == group && duration == 0 => {
                    if let Load::Ready(items) = &mut l.items {
                        items.retain(|e| e.uin != user);
                        l.selected = l.selected.min(items.len().saturating_sub(1));
                    }
                }
                AdminPopup::Profile(c) if c.group == group && c.user == user => {
                    if let Some(m) = c.data.as_mut().and_then(|d| d.member.as_mut()) {
                        m.shut_up_timestamp = until;
                    }
                }
                _ => {}
            }
        }
        let who = label(state, group, user);
        state.info(if duration == 0 {
            format!("已解除 {who} 的禁言")
        } else {
            format!("已禁言 {who} {}", duration_text(duration))
        });
    }

    fn subject(&self, state: &State) -> Option<String> {
        Some(label(state, self.group, self.user))
    }
}

/// `set_group_kick`; `block` refuses the member's future join requests.
#[derive(Debug, Clone, PartialEq)]
pub struct Kick {
    pub group: i64,
    pub user: i64,
    pub block: bool,
}

impl Request for Kick {
    type Output = ();

    fn describe(&self) -> &'static str {
        "移出群聊"
    }

    fn audit(&self, state: &State) -> Option<AuditLine> {
        Some(AuditLine::group(
            self.group,
            kick_action(self.block),
            audit::member(state, self.group, self.user),
        ))
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let who = label(state, self.group, self.user);
        remove_members(state, self.group, &[self.user]);
        state.info(format!("已将 {who} 移出群聊"));
    }

    fn subject(&self, state: &State) -> Option<String> {
        Some(label(state, self.group, self.user))
    }
}

/// `set_group_kick_members`: several members in one call.
#[derive(Debug, Clone, PartialEq)]
pub struct KickMany {
    pub group: i64,
    pub users: Vec<i64>,
    pub block: bool,
}

impl Request for KickMany {
    type Output = ();

    fn describe(&self) -> &'static str {
        "移出群聊"
    }

    fn audit(&self, state: &State) -> Option<AuditLine> {
        let targets = self
            .users
            .iter()
            .map(|u| audit::member(state, self.group, *u))
            .collect::<Vec<_>>()
            .join(", ");
        Some(AuditLine::group(
            self.group,
            kick_action(self.block),
            targets,
        ))
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let who = labels(state, self.group, &self.users);
        remove_members(state, self.group, &self.users);
        state.info(format!("已将 {} 人移出群聊: {who}", self.users.len()));
    }

    fn subject(&self, state: &State) -> Option<String> {
        Some(labels(state, self.group, &self.users))
    }
}

/// `set_group_card`; "" clears the card.
#[derive(Debug, Clone, PartialEq)]
pub struct SetCard {
    pub group: i64,
    pub user: i64,
    pub card: String,
}

impl Request for SetCard {
    type Output = ();

    fn describe(&self) -> &'static str {
        "设置群名片"
    }

    /// Changing one's own card is not moderation.
    fn audit(&self, state: &State) -> Option<AuditLine> {
        (self.user != state.self_id).then(|| {
            AuditLine::group(
                self.group,
                format!("card {}", quoted(&self.card)),
                audit::member(state, self.group, self.user),
            )
        })
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let SetCard { group, user, card } = self;
        edit_member(state, group, user, |m| m.card = card.clone());
        let who = label(state, group, user);
        state.info(if card.is_empty() {
            format!("已清除 {who} 的群名片")
        } else {
            format!("已将 {user} 的群名片改为「{card}」")
        });
    }

    fn subject(&self, state: &State) -> Option<String> {
        Some(label(state, self.group, self.user))
    }
}

/// `set_group_special_title`; "" removes the title.
#[derive(Debug, Clone, PartialEq)]
pub struct SetTitle {
    pub group: i64,
    pub user: i64,
    pub title: String,
}

impl Request for SetTitle {
    type Output = ();

    fn describe(&self) -> &'static str {
        "设置专属头衔"
    }

    fn audit(&self, state: &State) -> Option<AuditLine> {
        Some(AuditLine::group(
            self.group,
            format!("title {}", quoted(&self.title)),
            audit::member(state, self.group, self.user),
        ))
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let SetTitle { group, user, title } = self;
        edit_member(state, group, user, |m| m.title = title.clone());
        let who = label(state, group, user);
        state.info(if title.is_empty() {
            format!("已取消 {who} 的专属头衔")
        } else {
            format!("已给 {who} 设置头衔「{title}」")
        });
    }

    fn subject(&self, state: &State) -> Option<String> {
        Some(label(state, self.group, self.user))
    }
}

/// `set_group_admin`.
#[derive(Debug, Clone, PartialEq)]
pub struct SetAdmin {
    pub group: i64,
    pub user: i64,
    pub enable: bool,
}

impl Request for SetAdmin {
    type Output = ();

    fn describe(&self) -> &'static str {
        if self.enable {
            "设置管理员"
        } else {
            "取消管理员"
        }
    }

    fn audit(&self, state: &State) -> Option<AuditLine> {
        Some(AuditLine::group(
            self.group,
            format!("admin {}", on_off(self.enable)),
            audit::member(state, self.group, self.user),
        ))
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let SetAdmin {
            group,
            user,
            enable,
        } = self;
        let role = if enable { Role::Admin } else { Role::Member };
        edit_member(state, group, user, |m| m.role = role);
        let who = label(state, group, user);
        state.info(if enable {
            format!("已设置 {who} 为管理员")
        } else {
            format!("已取消 {who} 的管理员")
        });
    }

    fn subject(&self, state: &State) -> Option<String> {
        Some(label(state, self.group, self.user))
    }
}

/// `get_group_member_info` and `get_stranger_info`, for the profile popup.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub group: i64,
    pub user: i64,
}

/// What the profile popup shows: the member as the group knows them, the person as QQ does.
/// Either half may be missing when its call failed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfileData {
    pub member: Option<GroupMember>,
    pub stranger: Option<StrangerInfo>,
}

impl Request for Profile {
    type Output = Box<ProfileData>;

    fn describe(&self) -> &'static str {
        "获取成员资料"
    }

    fn done(self, state: &mut State, data: Box<ProfileData>, _fx: &mut Vec<Effect>) {
        let Profile { group, user } = self;
        // The profile is fresher than the member list: bring the list up to date.
        if let Some(m) = &data.member {
            edit_member(state, group, user, |old| {
                old.nickname = m.nickname.clone();
                old.card = m.card.clone();
                old.role = m.role;
                old.title = m.title.clone();
                old.level = m.level.clone();
                old.last_sent_time = m.last_sent_time.max(old.last_sent_time);
                old.shut_up_until = m.shut_up_timestamp;
            });
        }
        if let Some(AdminPopup::Profile(c)) = admin_popup_mut(state)
            && c.group == group
            && c.user == user
        {
            c.data = Some(data);
            c.error = None;
        }
    }

    /// The popup shows the reason.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        if let Some(AdminPopup::Profile(c)) = admin_popup_mut(state)
            && c.group == self.group
            && c.user == self.user
        {
            c.error = Some(short_reason(&e));
        }
    }
}

/// `send_poke`, in a group or (without `group`) privately.
#[derive(Debug, Clone, PartialEq)]
pub struct Poke {
    pub group: Option<i64>,
    pub user: i64,
}

impl Request for Poke {
    type Output = ();

    fn describe(&self) -> &'static str {
        "戳一戳"
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let who = match self.group {
            Some(g) => label(state, g, self.user),
            None => state.contacts.user_name(self.user),
        };
        state.info(format!("已戳了戳 {who}"));
    }
}

/// `send_like`.
#[derive(Debug, Clone, PartialEq)]
pub struct Like {
    pub user: i64,
    pub times: u32,
}

impl Request for Like {
    type Output = ();

    fn describe(&self) -> &'static str {
        "点赞"
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let who = state.contacts.user_name(self.user);
        state.info(format!("已给 {who} 点赞 {} 次", self.times));
    }
}
