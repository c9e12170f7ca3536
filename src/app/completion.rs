//! The `@` completion: opened, updated or closed as the composer's text changes, and its keys.

use crossterm::event::{KeyCode, KeyEvent};

use crate::onebot::Peer;

use super::composer::{Completion, CompletionItem};
use super::contacts::Member;
use super::effect::Effect;
use super::fuzzy::{Candidate, rank};
use super::member_list::ensure_members;
use super::state::State;

/// Opens, updates or closes the `@` completion after the text changed.
pub fn refresh(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(Peer::Group(g)) = state.open else {
        state.composer.completion = None;
        return;
    };
    let Some((row, col, query)) = state.composer.mention_query() else {
        state.composer.completion = None;
        return;
    };
    ensure_members(state, g, fx);
    let items = mention_candidates(state, g, &query);
    let selected = state
        .composer
        .completion
        .as_ref()
        .filter(|c| c.query == query)
        .map(|c| c.selected.min(items.len().saturating_sub(1)))
        .unwrap_or(0);
    state.composer.completion = Some(Completion {
        row,
        col,
        query,
        items,
        selected,
    });
}

/// Keys of the open completion list; false when the key is not one of them.
pub fn key(state: &mut State, key: &KeyEvent) -> bool {
    let Some(c) = state.composer.completion.as_mut() else {
        return false;
    };
    let n = c.items.len();
    match key.code {
        KeyCode::Tab | KeyCode::Enter if key.modifiers.is_empty() => {
            state.composer.accept_completion();
            true
        }
        KeyCode::Up | KeyCode::BackTab if n > 0 => {
            c.selected = (c.selected + n - 1) % n;
            true
        }
        KeyCode::Down if n > 0 => {
            c.selected = (c.selected + 1) % n;
            true
        }
        KeyCode::Esc => {
            state.composer.completion = None;
            true
        }
        _ => false,
    }
}

fn mention_candidates(state: &State, group: i64, query: &str) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    let me_admin = state
        .contacts
        .member(group, state.self_id)
        .is_some_and(|m| m.role.is_admin());
    if me_admin
        && ("全体成员".contains(query)
            || "all".starts_with(&query.to_lowercase())
            || query.is_empty())
    {
        out.push(CompletionItem {
            label: "全体成员".into(),
            detail: "@all".into(),
            qq: None,
        });
    }
    let Some(members) = state.contacts.members.get(&group) else {
        return out;
    };
    let list: Vec<&Member> = members
        .ordered()
        .into_iter()
        .filter(|m| m.user_id != state.self_id)
        .collect();
    let cands: Vec<Candidate> = list
        .iter()
        .map(|m| Candidate::new(&[&m.card, &m.nickname], m.user_id))
        .collect();
    let ranked: Vec<usize> = if query.is_empty() {
        (0..list.len()).collect()
    } else {
        rank(query, cands.iter().zip(0..list.len()))
    };
    for i in ranked.into_iter().take(8) {
        let m = list[i];
        out.push(CompletionItem {
            label: m.display_name(),
            detail: m.user_id.to_string(),
            qq: Some(m.user_id),
        });
    }
    out
}
