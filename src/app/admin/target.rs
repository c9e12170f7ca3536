//! Who an action is about: a `<@name|number>` typed in a command, or what the user is looking
//! at (the profile popup's member, the selected or marked members, the selected message's sender).

use crate::onebot::Peer;

use super::super::action::Pane;
use super::super::contacts::Member;
use super::super::fuzzy::{Candidate, rank};
use super::super::popup::Popup;
use super::super::state::State;

/// Resolves `<@name|number>` against the group's (loaded) members: a QQ number, else a card or
/// nickname matched exactly, then as a substring, then fuzzily. More than one match is an error
/// that names them.
pub fn resolve(state: &State, group: i64, who: &str) -> Result<i64, String> {
    let text = who.trim().trim_start_matches('@').trim();
    if text.is_empty() {
        return Err("缺少成员 (写 @名片、@昵称 或 QQ 号)".into());
    }
    let members = state
        .contacts
        .members
        .get(&group)
        .map(|m| m.ordered())
        .unwrap_or_default();
    if let Ok(n) = text.parse::<i64>()
        && members.iter().any(|m| m.user_id == n)
    {
        return Ok(n);
    }
    let lower = text.to_lowercase();
    let named = |m: &&Member, f: &dyn Fn(&str) -> bool| {
        [&m.card, &m.nickname]
            .iter()
            .any(|s| !s.trim().is_empty() && f(&s.to_lowercase()))
    };
    let exact: Vec<&Member> = members
        .iter()
        .copied()
        .filter(|m| named(m, &|s| s == lower))
        .collect();
    let picked = if !exact.is_empty() {
        exact
    } else {
        let within: Vec<&Member> = members
            .iter()
            .copied()
            .filter(|m| named(m, &|s| s.contains(&lower)))
            .collect();
        if !within.is_empty() {
            within
        } else {
            let cands: Vec<Candidate> = members
                .iter()
                .map(|m| Candidate::new(&[&m.card, &m.nickname], m.user_id))
                .collect();
            rank(text, cands.iter().zip(members.iter().copied()))
        }
    };
    match picked.as_slice() {
        [one] => Ok(one.user_id),
        [] if text.parse::<i64>().is_ok() => Err(format!("群里没有 QQ 号为 {text} 的成员")),
        [] => Err(format!("群里没有叫「{text}」的成员")),
        many => {
            let names: Vec<String> = many
                .iter()
                .take(3)
                .map(|m| format!("{} ({})", m.display_name(), m.user_id))
                .collect();
            let more = if many.len() > 3 { "…" } else { "" };
            Err(format!(
                "「{text}」对应 {} 人: {}{more}，请用 QQ 号",
                many.len(),
                names.join("、")
            ))
        }
    }
}

/// The members an action without a typed target is about, and their group: the profile popup's
/// member; in the member pane the marked members (when `marked` allows and some are marked) or the
/// selected one; otherwise the sender of the selected message.
pub fn from_context(state: &State, marked: bool) -> Option<(i64, Vec<i64>)> {
    if let Some(Popup::Profile(p)) = &state.popup {
        // A friend's profile has no group: the private chat's rules follow.
        return p.group.map(|g| (g, vec![p.user]));
    }
    let Some(Peer::Group(g)) = state.open else {
        return None;
    };
    if state.focus == Pane::Members {
        if marked && !state.members.marked.is_empty() {
            let order = state.contacts.members.get(&g)?.order();
            let list: Vec<i64> = order
                .iter()
                .copied()
                .filter(|u| state.members.marked.contains(u))
                .collect();
            if !list.is_empty() {
                return Some((g, list));
            }
        }
        if let Some(m) = state.selected_member() {
            return Some((g, vec![m.user_id]));
        }
    }
    let (_, m) = state.selected_message()?;
    Some((g, vec![m.sender_id]))
}

/// A member as confirmations and messages name them: `明哥 (20002)`.
pub fn label(state: &State, group: i64, user: i64) -> String {
    if user == state.self_id && user != 0 {
        return format!("你 ({user})");
    }
    format!("{} ({user})", state.contacts.member_name(group, user))
}

/// Several members named, joined with `、`.
pub fn labels(state: &State, group: i64, users: &[i64]) -> String {
    users
        .iter()
        .map(|u| label(state, group, *u))
        .collect::<Vec<_>>()
        .join("、")
}
