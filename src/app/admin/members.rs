//! Actions on members: mark, mute, unmute, kick, card, title, admin, profile, poke, like — one
//! member or several, each checked against your role first — and what their results do: the
//! member list follows what succeeded; a failure names whom it was about.

use crate::onebot::{Error, Peer, Role};

use super::super::action::{Action, Pane};
use super::super::call::members::ProfileData;
use super::super::call::reply::Request;
use super::super::call::{
    Ban, Call, Kick, KickMany, Like, Poke, Profile, SetAdmin, SetCard, SetTitle,
};
use super::super::contacts::Member;
use super::super::effect::Effect;
use super::super::keymap::Context;
use super::super::popup::{self, Confirm, Load, MutePicker, Popup};
use super::super::state::State;
use super::super::text::{duration_text, short_reason};
use super::audit::{self, AuditLine, on_off, quoted};
use super::duration;
use super::roles::{MemberOp, may, my_role};
use super::target::{self, label, labels};

/// Checks that the account may do `op` to every one of `users`; the first refusal names who.
pub fn check_all(
    state: &mut State,
    group: i64,
    users: &[i64],
    op: MemberOp,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    let me = my_role(state, group, fx)?;
    for &u in users {
        let theirs = match state.contacts.member(group, u) {
            Some(m) => m.role,
            None if u == state.self_id => me,
            None => return Err(format!("{u} 不在本群的成员列表里")),
        };
        may(me, state.self_id, op, u, theirs).map_err(|why| {
            if users.len() > 1 {
                format!("{}: {why}", label(state, group, u))
            } else {
                why
            }
        })?;
    }
    Ok(())
}

/// The members an action key is about, or why there are none.
fn context(state: &State, marked: bool) -> Result<(i64, Vec<i64>), String> {
    target::from_context(state, marked).ok_or_else(|| {
        if matches!(state.open, Some(Peer::Group(_))) {
            "先在成员列表里选中成员，或在消息列表里选中一条消息".to_string()
        } else {
            "群管理只在群聊中可用".to_string()
        }
    })
}

/// Space in the member pane: marks or unmarks the selected member and moves to the next.
pub fn toggle_mark(state: &mut State) {
    let Some(m) = state.selected_member() else {
        return;
    };
    let u = m.user_id;
    if !state.members.marked.remove(&u) {
        state.members.marked.insert(u);
    }
    let count = state.members.marked.len();
    let total = match state.open {
        Some(Peer::Group(g)) => state
            .contacts
            .members
            .get(&g)
            .map_or(0, |m| m.by_id().len()),
        _ => 0,
    };
    state.members.selected = (state.members.selected + 1).min(total.saturating_sub(1));
    if count == 0 {
        state.info("已取消全部标记");
    } else {
        let keys = state
            .keymap
            .hint_items(
                Context::Members,
                &[(Action::Mute, "禁言"), (Action::Kick, "移出")],
            )
            .join(" · ");
        let keys = if keys.is_empty() {
            keys
        } else {
            format!(" ({keys})")
        };
        state.info(format!("已标记 {count} 人{keys}"));
    }
}

/// The mute key: opens the duration presets for the marked / selected member or the sender.
pub fn mute_key(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let (g, users) = context(state, true)?;
    open_mute_picker(state, g, users, fx)
}

/// Opens the duration presets for `users`, after checking that they may be muted.
pub fn open_mute_picker(
    state: &mut State,
    group: i64,
    users: Vec<i64>,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    check_all(state, group, &users, MemberOp::Mute, fx)?;
    state.popup = Some(Popup::Mute(MutePicker {
        group,
        targets: users,
        selected: 0,
        custom: None,
        error: None,
    }));
    Ok(())
}

/// Mutes `users` for `secs`: at once for one member and at most a day, else after a confirmation
/// that names everyone and the duration.
pub fn mute(
    state: &mut State,
    group: i64,
    users: &[i64],
    secs: i64,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    check_all(state, group, users, MemberOp::Mute, fx)?;
    let calls: Vec<Effect> = users
        .iter()
        .map(|&user| {
            Effect::call(Ban {
                group,
                user,
                duration: secs,
            })
        })
        .collect();
    let how_long = super::super::text::duration_text(secs);
    if users.len() == 1 && secs <= duration::CONFIRM_ABOVE {
        fx.extend(calls);
        return Ok(());
    }
    let body = format!(
        "禁言 {} {how_long}{}。",
        labels(state, group, users),
        if users.len() > 1 {
            format!(" (共 {} 人)", users.len())
        } else {
            String::new()
        }
    );
    state.popup = Some(Popup::Confirm(Confirm {
        title: "确认禁言".into(),
        body,
        on_yes: calls,
    }));
    Ok(())
}

/// The unmute key.
pub fn unmute_key(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let (g, users) = context(state, true)?;
    unmute(state, g, &users, fx)
}

/// Lifts the mute of `users`: at once for one, after a confirmation for several.
pub fn unmute(
    state: &mut State,
    group: i64,
    users: &[i64],
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    check_all(state, group, users, MemberOp::Unmute, fx)?;
    let calls: Vec<Effect> = users
        .iter()
        .map(|&user| {
            Effect::call(Ban {
                group,
                user,
                duration: 0,
            })
        })
        .collect();
    if users.len() == 1 {
        fx.extend(calls);
        return Ok(());
    }
    state.popup = Some(Popup::Confirm(Confirm {
        title: "确认解除禁言".into(),
        body: format!(
            "解除 {} 的禁言 (共 {} 人)。",
            labels(state, group, users),
            users.len()
        ),
        on_yes: calls,
    }));
    Ok(())
}

/// The kick key (never blocks: `/kick … --block` does).
pub fn kick_key(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let (g, users) = context(state, true)?;
    kick(state, g, &users, false, fx)
}

/// Asks to remove `users` (one call for several: `set_group_kick_members`).
pub fn kick(
    state: &mut State,
    group: i64,
    users: &[i64],
    block: bool,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    check_all(state, group, users, MemberOp::Kick, fx)?;
    let call: Call = match users {
        [user] => Kick {
            group,
            user: *user,
            block,
        }
        .into(),
        _ => KickMany {
            group,
            users: users.to_vec(),
            block,
        }
        .into(),
    };
    let group_name = state.contacts.chat_name(Peer::Group(group));
    let count = if users.len() > 1 {
        format!(" (共 {} 人)", users.len())
    } else {
        String::new()
    };
    let block_text = if block {
        "，并拒绝其再次申请加群"
    } else {
        ""
    };
    state.popup = Some(Popup::Confirm(Confirm {
        title: "确认移出群聊".into(),
        body: format!(
            "将 {}{count} 移出群「{group_name}」{block_text}。",
            labels(state, group, users)
        ),
        on_yes: vec![Effect::Call(call)],
    }));
    Ok(())
}

/// Sets (or with "" clears) a member's card.
pub fn set_card(
    state: &mut State,
    group: i64,
    user: i64,
    card: &str,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    check_all(state, group, &[user], MemberOp::Card, fx)?;
    fx.push(Effect::call(SetCard {
        group,
        user,
        card: card.to_string(),
    }));
    Ok(())
}

/// Gives (or with "" removes) a special title; owner only.
pub fn set_title(
    state: &mut State,
    group: i64,
    user: i64,
    title: &str,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    check_all(state, group, &[user], MemberOp::Title, fx)?;
    fx.push(Effect::call(SetTitle {
        group,
        user,
        title: title.to_string(),
    }));
    Ok(())
}

/// Makes a member admin or not; owner only.
pub fn set_admin(
    state: &mut State,
    group: i64,
    user: i64,
    enable: bool,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    check_all(state, group, &[user], MemberOp::Admin, fx)?;
    let role = state.contacts.member(group, user).map(|m| m.role);
    match (enable, role) {
        (true, Some(Role::Admin)) => {
            return Err(format!("{} 已经是管理员", label(state, group, user)));
        }
        (false, Some(Role::Member)) => {
            return Err(format!("{} 不是管理员", label(state, group, user)));
        }
        _ => {}
    }
    fx.push(Effect::call(SetAdmin {
        group,
        user,
        enable,
    }));
    Ok(())
}

/// The profile key: the selected member or the sender.
pub fn profile_key(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    // A private chat: the friend's.
    if let Some(Peer::Private(u)) = state.open {
        popup::profile::open(state, None, u, fx);
        return Ok(());
    }
    let (g, users) = context(state, false)?;
    let user = users.first().copied().ok_or("没有选中成员")?;
    popup::profile::open(state, Some(g), user, fx);
    Ok(())
}

/// The poke key.
pub fn poke_key(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let (g, users) = context(state, false)?;
    let user = users.first().copied().ok_or("没有选中成员")?;
    fx.push(Effect::call(Poke {
        group: Some(g),
        user,
    }));
    Ok(())
}

/// Likes someone's profile `times` times (QQ allows 10 a day per person, 20 for VIPs).
pub fn like(state: &mut State, user: i64, times: u32, fx: &mut Vec<Effect>) -> Result<(), String> {
    if user == state.self_id {
        return Err("不能给自己点赞".into());
    }
    if !(1..=20).contains(&times) {
        return Err("点赞次数是 1 到 20".into());
    }
    fx.push(Effect::call(Like { user, times }));
    Ok(())
}

/// Puts an @mention of `user` into the composer.
pub fn mention(state: &mut State, group: i64, user: i64) {
    let name = state.contacts.member_name(group, user);
    state
        .composer
        .insert_token(format!("@{name}"), crate::onebot::Segment::at(user));
    state.focus = Pane::Composer;
}

// What the calls' results do (see `call::reply::Request`).

/// Changes a loaded member, if there is one.
fn edit_member(state: &mut State, group: i64, user: i64, f: impl FnOnce(&mut Member)) {
    if let Some(m) = state.contacts.member_mut(group, user) {
        f(m);
        state.contacts.touch();
    }
}

/// Sets one of a member's texts (card, title) and returns the name they had before it.
fn set_text(
    state: &mut State,
    group: i64,
    user: i64,
    text: String,
    field: impl FnOnce(&mut Member) -> &mut String,
) -> String {
    let who = label(state, group, user);
    edit_member(state, group, user, |m| *field(m) = text);
    who
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
        .map_or(0, |m| m.by_id().len());
    state.members.selected = state.members.selected.min(count.saturating_sub(1));
}

fn kick_action(block: bool) -> &'static str {
    if block { "kick --block" } else { "kick" }
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
        if let Some(p) = state.popup.as_mut() {
            match p {
                Popup::Mutes(l) if l.group == group && duration == 0 => {
                    if let Load::Ready(items) = &mut l.items {
                        items.retain(|e| e.uin != user);
                        l.selected = l.selected.min(items.len().saturating_sub(1));
                    }
                }
                Popup::Profile(c) if c.group == Some(group) && c.user == user => {
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
        let who = set_text(state, group, user, card.clone(), |m| &mut m.card);
        state.info(if card.is_empty() {
            format!("已清除 {who} 的群名片")
        } else {
            format!("已将 {who} 的群名片改为「{card}」")
        });
    }

    fn subject(&self, state: &State) -> Option<String> {
        Some(label(state, self.group, self.user))
    }
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
        let who = set_text(state, group, user, title.clone(), |m| &mut m.title);
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

impl Request for Profile {
    type Output = Box<ProfileData>;

    fn describe(&self) -> &'static str {
        "获取成员资料"
    }

    fn done(self, state: &mut State, data: Box<ProfileData>, _fx: &mut Vec<Effect>) {
        let Profile { group, user } = self;
        // The profile is fresher than the member list: bring the list up to date.
        if let (Some(m), Some(group)) = (&data.member, group) {
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
        if let Some(Popup::Profile(c)) = state.popup.as_mut()
            && c.group == group
            && c.user == user
        {
            c.data = Some(data);
            c.error = None;
        }
    }

    /// The popup shows the reason.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        if let Some(Popup::Profile(c)) = state.popup.as_mut()
            && c.group == self.group
            && c.user == self.user
        {
            c.error = Some(short_reason(&e));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::super::super::call::reply::Reply;
    use super::super::super::contacts::{Members, MembersState};
    use super::super::super::effect::AuditEntry;
    use super::super::super::keymap::Keymap;
    use super::super::super::state::Settings;
    use super::*;

    fn group_with_member() -> State {
        let mut s = State::new(Settings::default(), Keymap::default_map());
        s.now = 1_000;
        let m = Member {
            user_id: 2,
            nickname: "明哥".into(),
            role: Role::Member,
            ..Default::default()
        };
        s.contacts
            .members
            .insert(1, Members::new(MembersState::Loaded, [m]));
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
        assert_eq!(s.contacts.members[&1].by_id()[&2].shut_up_until, 1_600);
        assert_eq!(s.status.info(), Some("已禁言 明哥 (2) 10分钟"));
        assert_eq!(s.status.error(), None);
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
        assert_eq!(s.contacts.members[&1].by_id()[&2].shut_up_until, 0);
        assert_eq!(s.status.error(), Some("禁言 明哥 (2) 失败: 权限不足"));
    }
}
