//! The administration commands' handlers (`/ban`, `/kick`, `/card`, `/notices`, `/accept`, …),
//! the rows of `commands::COMMANDS` point here: arguments read here, the work done by the member,
//! message and group modules.
//!
//! A command that acts on a member takes `<@name|number>`; without it, it acts on what is
//! selected (like its key). Commands that also need text (`/card`, `/title`, `/admin`, `/like`)
//! open the `:` command line prefilled with the command and the selected member instead.

use crate::onebot::{Peer, Role};

use super::super::call::Poke;
use super::super::effect::Effect;
use super::super::popup::{self, SheetKind};
use super::super::requests;
use super::super::state::State;
use super::roles::{MemberOp, members_loaded};
use super::{duration, group, members, messages, target};

// The handlers below are the rows of `commands::COMMANDS`; rows marked `no_args` have had any
// arguments refused already, so their handlers ignore them.

/// `/recall`.
pub fn recall(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    messages::recall(state, fx)
}

/// `/essence`.
pub fn essence(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    messages::essence(state, Some(true), fx)
}

/// `/unessence`.
pub fn unessence(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    messages::essence(state, Some(false), fx)
}

/// `/essences`: the essence list.
pub fn essences(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    messages::open_essences(state, fx)
}

/// `/muteall on|off`.
pub fn mute_all(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    match args {
        "on" => group::mute_all(state, true, fx),
        "off" => group::mute_all(state, false, fx),
        _ => Err("用法: /muteall on|off".into()),
    }
}

/// `/rename <name>`.
pub fn rename(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    group::rename(state, args, fx)
}

/// `/avatar <path>`.
pub fn avatar(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    group::avatar(state, args, fx)
}

/// `/notices`: the notice list.
pub fn notices(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    group::notices(state, fx)
}

/// `/notice [--pin] [--confirm] [--image path] <text>`.
pub fn notice(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    group::post_notice(state, args, fx)
}

/// `/mutes`: who is muted.
pub fn mutes(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    group::mutes(state, fx)
}

/// `/info`: the group's information sheet.
pub fn info(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    group::sheet(state, SheetKind::Info, fx)
}

/// `/honors`: the group's honors sheet.
pub fn honors(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    group::sheet(state, SheetKind::Honors, fx)
}

/// `/atall`: how many @全体成员 are left today.
pub fn at_all(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    group::at_all(state, fx)
}

/// `/sign`.
pub fn sign(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    group::sign(state, fx)
}

/// `/leave`.
pub fn leave(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    group::leave(state, fx)
}

/// `/requests`: the inbox.
pub fn requests(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    popup::inbox::open(state, fx);
    Ok(())
}

/// `/accept [n] [remark]`.
pub fn accept(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    requests::command(state, true, args, fx)
}

/// `/reject [n] [reason]`.
pub fn reject(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    requests::command(state, false, args, fx)
}

/// `/card <who> [text]`.
pub fn card(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    card_or_title(state, "card", args, fx)
}

/// `/title <who> [text]`.
pub fn title(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    card_or_title(state, "title", args, fx)
}

/// The open group with its members loaded, and `who` resolved in it.
fn member(state: &mut State, who: &str, fx: &mut Vec<Effect>) -> Result<(i64, i64), String> {
    let g = group::open_group(state)?;
    members_loaded(state, g, fx)?;
    Ok((g, target::resolve(state, g, who)?))
}

/// Several `<@name|number>` in the open group.
fn members_of(
    state: &mut State,
    who: &[&str],
    fx: &mut Vec<Effect>,
) -> Result<(i64, Vec<i64>), String> {
    let g = group::open_group(state)?;
    members_loaded(state, g, fx)?;
    let mut out = Vec::new();
    for w in who {
        let u = target::resolve(state, g, w)?;
        if !out.contains(&u) {
            out.push(u);
        }
    }
    Ok((g, out))
}

/// Opens the `:` command line with `line` typed (closing any popup, which would take the keys).
fn prefill(state: &mut State, line: String) {
    state.popup = None;
    state.command_line = Some(line);
}

/// `/ban [<who>…] [duration]`: without a duration, the presets.
pub fn ban(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let Some((last, who)) = words.split_last() else {
        return members::mute_key(state, fx);
    };
    if who.is_empty() {
        let (g, u) = member(state, last, fx)?;
        return members::open_mute_picker(state, g, vec![u], fx);
    }
    let (g, users) = members_of(state, who, fx)?;
    let secs = match duration::parse(last) {
        Ok(secs) => secs,
        // `/ban @a @b`: no duration, several members: the presets for all of them.
        Err(e) => {
            return match target::resolve(state, g, last) {
                Ok(u) => {
                    let mut all = users;
                    all.push(u);
                    members::open_mute_picker(state, g, all, fx)
                }
                Err(_) => Err(e),
            };
        }
    };
    // A bare number could be seconds or a member's QQ: make the user say which.
    if last.bytes().all(|b| b.is_ascii_digit())
        && state
            .contacts
            .member(g, last.parse().unwrap_or(0))
            .is_some()
    {
        return Err(format!(
            "「{last}」也是群成员的 QQ 号: 时长请写成 {last}s，成员请写在时长前面"
        ));
    }
    members::mute(state, g, &users, secs, fx)
}

/// `/unban [<who>…]`.
pub fn unban(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    if words.is_empty() {
        return members::unmute_key(state, fx);
    }
    let (g, users) = members_of(state, &words, fx)?;
    members::unmute(state, g, &users, fx)
}

/// `/kick [<who>…] [--block]`.
pub fn kick(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let block = words.contains(&"--block");
    let who: Vec<&str> = words.iter().copied().filter(|w| *w != "--block").collect();
    if who.is_empty() {
        if block {
            let (g, users) =
                target::from_context(state, true).ok_or("用法: /kick <@名字|QQ号>… [--block]")?;
            return members::kick(state, g, &users, true, fx);
        }
        return members::kick_key(state, fx);
    }
    let (g, users) = members_of(state, &who, fx)?;
    members::kick(state, g, &users, block, fx)
}

/// `/card <who> [text]` and `/title <who> [text]`; empty text clears. Without any argument the
/// command line opens with the selected member filled in.
fn card_or_title(
    state: &mut State,
    cmd: &str,
    args: &str,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    let op = if cmd == "card" {
        MemberOp::Card
    } else {
        MemberOp::Title
    };
    if args.is_empty() {
        let (g, users) = target::from_context(state, false)
            .ok_or_else(|| format!("用法: /{cmd} <@名字|QQ号> [文字] (文字留空则清除)"))?;
        let u = users.first().copied().unwrap_or_default();
        // Refused now rather than after the text is typed.
        members::check_all(state, g, &[u], op, fx)?;
        prefill(state, format!("/{cmd} {u} "));
        return Ok(());
    }
    let (who, text) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    let (g, u) = member(state, who, fx)?;
    let text = text.trim();
    if cmd == "card" {
        members::set_card(state, g, u, text, fx)
    } else {
        members::set_title(state, g, u, text, fx)
    }
}

/// `/admin <who> on|off`; without `on|off` the command line suggests the change.
pub fn admin(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let (g, u) = match words.as_slice() {
        [] => {
            let (g, users) =
                target::from_context(state, false).ok_or("用法: /admin <@名字|QQ号> on|off")?;
            (g, users.first().copied().unwrap_or_default())
        }
        [who, ..] => member(state, who, fx)?,
    };
    let enable = match words.get(1).copied() {
        Some("on") => true,
        Some("off") => false,
        Some(_) => return Err("用法: /admin <@名字|QQ号> on|off".into()),
        None => {
            members::check_all(state, g, &[u], MemberOp::Admin, fx)?;
            let is_admin = state
                .contacts
                .member(g, u)
                .is_some_and(|m| m.role == Role::Admin);
            let suggest = if is_admin { "off" } else { "on" };
            prefill(state, format!("/admin {u} {suggest}"));
            return Ok(());
        }
    };
    if words.len() > 2 {
        return Err("用法: /admin <@名字|QQ号> on|off".into());
    }
    members::set_admin(state, g, u, enable, fx)
}

/// `/profile [<who>]`.
pub fn profile(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    if args.is_empty() {
        return members::profile_key(state, fx);
    }
    let (g, u) = member(state, args, fx)?;
    popup::profile::open(state, Some(g), u, fx);
    Ok(())
}

/// `/poke [<who>]`: in a private chat, the friend.
pub fn poke(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    if let Some(Peer::Private(u)) = state.open
        && args.is_empty()
    {
        fx.push(Effect::call(Poke {
            group: None,
            user: u,
        }));
        return Ok(());
    }
    if args.is_empty() {
        return members::poke_key(state, fx);
    }
    let (g, u) = member(state, args, fx)?;
    fx.push(Effect::call(Poke {
        group: Some(g),
        user: u,
    }));
    Ok(())
}

/// `/like <who> [times]`: a QQ number anywhere, a name in a group; without arguments the
/// command line opens with the selected member. In a private chat `/like` and `/like <times>`
/// like the friend.
pub fn like(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    if let Some(Peer::Private(friend)) = state.open
        && target::from_context(state, false).is_none()
    {
        // A count is small; a QQ number never is.
        let times = match words[..] {
            [] => Some(1),
            [n] => n.parse::<u32>().ok().filter(|n| *n <= 20),
            _ => None,
        };
        if let Some(times) = times {
            return members::like(state, friend, times, fx);
        }
    }
    let Some(who) = words.first() else {
        let u = match (state.open, target::from_context(state, false)) {
            (_, Some((_, users))) => users.first().copied(),
            (Some(Peer::Private(u)), None) => Some(u),
            _ => None,
        }
        .ok_or("用法: /like <@名字|QQ号> [次数]")?;
        prefill(state, format!("/like {u} "));
        return Ok(());
    };
    let times = match words.get(1) {
        Some(t) => t
            .parse::<u32>()
            .map_err(|_| format!("「{t}」不是次数 (1 到 20)"))?,
        None => 1,
    };
    if words.len() > 2 {
        return Err("用法: /like <@名字|QQ号> [次数]".into());
    }
    // A number is anyone's; a name is looked up in the open group.
    let user = match (who.trim_start_matches('@').parse::<i64>(), state.open) {
        (Ok(n), _) => n,
        (Err(_), Some(Peer::Group(_))) => member(state, who, fx)?.1,
        (Err(_), _) => return Err("在私聊里请用 QQ 号".into()),
    };
    members::like(state, user, times, fx)
}
