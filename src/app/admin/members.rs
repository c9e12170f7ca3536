//! Actions on members: mark, mute, unmute, kick, card, title, admin, profile, poke, like — one
//! member or several, each checked against your role first.

use crate::onebot::{Peer, Role};

use super::super::action::{Action, Pane};
use super::super::call::{Ban, Call, Kick, KickMany, Like, Poke, SetAdmin, SetCard, SetTitle};
use super::super::effect::Effect;
use super::super::keymap::Context;
use super::super::popup::{self, Confirm, MutePicker, Popup};
use super::super::state::State;
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
        Some(Peer::Group(g)) => state.contacts.members.get(&g).map_or(0, |m| m.by_id.len()),
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
    let (g, users) = context(state, false)?;
    let user = users.first().copied().ok_or("没有选中成员")?;
    popup::profile::open(state, g, user, fx);
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
