//! Reactions (贴表情): reacting to the selected message (`+` opens the picker, `/react <face>`),
//! taking a reaction back (the same one again), the counts under each message, and who reacted
//! with what (`/reactions`).
//!
//! NapCat pushes `group_msg_emoji_like` only for reactions on your own messages, so the counts of
//! others' messages are asked for (`get_msg`, its `emoji_likes_list`) when one is selected — once
//! per message, one question at a time — and the people behind each count (`get_emoji_likes`)
//! when the `/reactions` list opens.

use std::sync::OnceLock;

use crate::onebot::event::EmojiLikeCount;
use crate::onebot::types::EmojiLikeUser;
use crate::onebot::{Error, Peer, faces};

use super::call::reply::Request;
use super::call::{React, ReactionCounts, Reactors};
use super::chat::Reaction;
use super::effect::Effect;
use super::fuzzy::{Candidate, rank};
use super::popup::{Load, Popup, ReactionList, ReactionPicker, ReactionRow};
use super::state::State;

/// How many recently used reactions are remembered (the picker lists them first).
pub const RECENT: usize = 12;

/// Something one can react with: a QQ face or a Unicode emoji.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// What `set_msg_emoji_like` takes: the face id or the code point, in decimal.
    pub id: i64,
    /// The emoji itself, for a Unicode one.
    pub emoji: Option<&'static str>,
    pub name: &'static str,
}

impl Choice {
    /// The id as NapCat writes it.
    pub fn key(&self) -> String {
        self.id.to_string()
    }

    /// How the picker shows it: `😊 嘿嘿` or `[微笑]`.
    pub fn label(&self) -> String {
        match self.emoji {
            Some(e) => format!("{e} {}", self.name),
            None => format!("[{}]", self.name),
        }
    }
}

/// Every reaction: the QQ faces, then the Unicode emoji, with their search keys (built once).
fn table() -> &'static [(Choice, Candidate)] {
    static T: OnceLock<Vec<(Choice, Candidate)>> = OnceLock::new();
    T.get_or_init(|| {
        let faces = faces::all().iter().map(|f| Choice {
            id: f.id,
            emoji: None,
            name: f.name,
        });
        let emoji = faces::reactions().iter().map(|r| Choice {
            id: r.id,
            emoji: Some(r.emoji),
            name: r.name,
        });
        faces
            .chain(emoji)
            .map(|c| {
                let cand = match c.emoji {
                    Some(e) => Candidate::new(&[c.name, e], c.id),
                    None => Candidate::new(&[c.name], c.id),
                };
                (c, cand)
            })
            .collect()
    })
}

/// The reaction with this id, if QQ offers it.
pub fn by_id(id: i64) -> Option<Choice> {
    table().iter().map(|(c, _)| *c).find(|c| c.id == id)
}

/// Reads `/react`'s argument: a face or emoji name (`赞`, `[赞]`, `嘿嘿`), an id (`76`), or the
/// emoji itself (`😊`).
pub fn parse(arg: &str) -> Result<Choice, String> {
    let a = arg.trim().trim_matches(['[', ']']);
    if a.is_empty() {
        return Err("用法: /react <表情名|编号|emoji>".into());
    }
    if let Ok(n) = a.parse::<i64>() {
        return by_id(n).ok_or_else(|| format!("没有编号为 {n} 的表情"));
    }
    let t = table();
    if let Some((c, _)) = t
        .iter()
        .find(|(c, _)| c.name == a || c.emoji.is_some_and(|e| e == a))
    {
        return Ok(*c);
    }
    // Emoji often come with or without the variation selector.
    let bare = a.trim_end_matches('\u{fe0f}');
    if let Some((c, _)) = t.iter().find(|(c, _)| {
        c.emoji
            .is_some_and(|e| e.trim_end_matches('\u{fe0f}') == bare)
    }) {
        return Ok(*c);
    }
    Err(format!("没有叫「{a}」的表情 (按 + 打开表情面板搜索)"))
}

/// The reactions people reach for most, listed after one's own recent ones (before them the
/// picker would open on 惊讶, 撇嘴, 色: the faces' numeric order): 赞, 爱心, 玫瑰, OK, 鼓掌,
/// 抱拳, 比心, doge, 吃瓜, then 👍 😂 🎉.
const COMMON: [i64; 12] = [
    76, 66, 63, 124, 99, 118, 319, 179, 271, 128077, 128514, 127881,
];

/// The reactions matching `query` (name, pinyin, id or the emoji), the recently used first,
/// then the common ones.
pub fn matches(state: &State, query: &str) -> Vec<Choice> {
    let t = table();
    let mut first: Vec<usize> = state
        .recent_reactions
        .iter()
        .filter_map(|r| t.iter().position(|(c, _)| c.key() == *r))
        .collect();
    for id in COMMON {
        if let Some(i) = t.iter().position(|(c, _)| c.id == id)
            && !first.contains(&i)
        {
            first.push(i);
        }
    }
    let order = first
        .iter()
        .copied()
        .chain((0..t.len()).filter(|i| !first.contains(i)));
    let q = query.trim();
    if q.is_empty() {
        return order.map(|i| t[i].0).collect();
    }
    rank(q, order.map(|i| (&t[i].1, t[i].0)))
}

/// The selected message, for an action that needs its id.
fn target(state: &State) -> Result<(Peer, i64), String> {
    let (peer, m) = state.selected_message().ok_or_else(|| {
        state
            .keymap
            .fill_keys("先选中一条消息 ({composer:cancel} 然后 {timeline:move -1})")
    })?;
    if m.recalled_by.is_some() {
        return Err("这条消息已撤回".into());
    }
    let id = m.id.ok_or("这条消息还没有编号 (未发出)")?;
    Ok((peer, id))
}

/// `+` on the selected message: the picker.
pub fn open_picker(state: &mut State) -> Result<(), String> {
    let (peer, id) = target(state)?;
    state.popup = Some(Popup::React(ReactionPicker {
        peer,
        id,
        query: String::new(),
        selected: 0,
    }));
    Ok(())
}

/// Reacts to message `id` with `choice`, or takes the reaction back when it is already yours.
pub fn toggle(state: &mut State, peer: Peer, id: i64, choice: Choice, fx: &mut Vec<Effect>) {
    let emoji = choice.key();
    let mine = state
        .chats
        .get(&peer)
        .and_then(|c| c.timeline.message(id))
        .is_some_and(|m| m.reactions.iter().any(|r| r.emoji == emoji && r.mine));
    state.recent_reactions.retain(|r| *r != emoji);
    state.recent_reactions.insert(0, emoji.clone());
    state.recent_reactions.truncate(RECENT);
    fx.push(Effect::SaveSession(state.session()));
    fx.push(Effect::call(React {
        peer,
        id,
        emoji,
        set: !mine,
    }));
}

/// `/react [face]`: reacts to the selected message (the picker without an argument).
pub fn command(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    if args.trim().is_empty() {
        return open_picker(state);
    }
    let (peer, id) = target(state)?;
    let choice = parse(args)?;
    toggle(state, peer, id, choice, fx);
    Ok(())
}

/// `/reactions`: who reacted to the selected message with what.
pub fn list_command(state: &mut State, _args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let (peer, id) = target(state)?;
    let known: Vec<Reaction> = state
        .selected_message()
        .map(|(_, m)| m.reactions.clone())
        .unwrap_or_default();
    let rows = if known.is_empty() {
        // Counts first (the list is built from them); a message nobody reacted to says so.
        fx.push(Effect::call(ReactionCounts { peer, id }));
        state.reaction_fetch.in_flight = Some(id);
        Load::Loading
    } else {
        Load::Ready(rows_for(peer, id, &known, fx))
    };
    state.popup = Some(Popup::Reactions(ReactionList {
        peer,
        id,
        rows,
        scroll: 0,
    }));
    Ok(())
}

/// One row per reaction, each asking who is behind it.
fn rows_for(peer: Peer, id: i64, known: &[Reaction], fx: &mut Vec<Effect>) -> Vec<ReactionRow> {
    known
        .iter()
        .map(|r| {
            fx.push(Effect::call(Reactors {
                peer,
                id,
                emoji: r.emoji.clone(),
            }));
            ReactionRow {
                emoji: r.emoji.clone(),
                count: r.count,
                who: Load::Loading,
            }
        })
        .collect()
}

/// After every message: the counts of a newly selected group message are asked for, one message
/// at a time, each once.
pub fn follow_selection(state: &mut State, fx: &mut Vec<Effect>) {
    let Some((peer @ Peer::Group(_), m)) = state.selected_message() else {
        return;
    };
    let Some(id) = m.id else {
        return;
    };
    if m.recalled_by.is_some() || state.reaction_fetch.done.contains(&id) {
        return;
    }
    let f = &mut state.reaction_fetch;
    match f.in_flight {
        Some(busy) if busy == id => {}
        Some(_) => f.next = Some((peer, id)),
        None => {
            f.in_flight = Some(id);
            fx.push(Effect::call(ReactionCounts { peer, id }));
        }
    }
}

/// The question about `id` is answered: the one waiting goes next.
fn next_fetch(state: &mut State, id: i64, fx: &mut Vec<Effect>) {
    let f = &mut state.reaction_fetch;
    f.done.insert(id);
    if f.in_flight == Some(id) {
        f.in_flight = None;
    }
    if let Some((peer, next)) = f.next.take()
        && !f.done.contains(&next)
    {
        f.in_flight = Some(next);
        fx.push(Effect::call(ReactionCounts { peer, id: next }));
    }
}

/// Lays fetched counts over a message's reactions, keeping which are yours.
fn set_counts(state: &mut State, peer: Peer, id: i64, counts: &[EmojiLikeCount]) {
    let Some(chat) = state.chats.get_mut(&peer) else {
        return;
    };
    chat.timeline.update_by_id(id, |m| {
        let old = std::mem::take(&mut m.reactions);
        m.reactions = counts
            .iter()
            .filter(|c| c.likes_cnt > 0)
            .map(|c| Reaction {
                emoji: c.emoji_id.clone(),
                count: c.likes_cnt,
                mine: old.iter().any(|o| o.emoji == c.emoji_id && o.mine),
            })
            .collect();
    });
}

/// Records whether your reaction `emoji` is on message `id`; with `adjust` the count moves with
/// it (it did not count you yet), else the count already does.
pub fn set_mine(state: &mut State, peer: Peer, id: i64, emoji: &str, mine: bool, adjust: bool) {
    let Some(chat) = state.chats.get_mut(&peer) else {
        return;
    };
    chat.timeline.update_by_id(id, |m| {
        match m.reactions.iter_mut().find(|r| r.emoji == emoji) {
            Some(r) if r.mine != mine => {
                r.mine = mine;
                if adjust {
                    r.count = (r.count + if mine { 1 } else { -1 }).max(0);
                }
            }
            Some(_) => {}
            None if mine => m.reactions.push(Reaction {
                emoji: emoji.to_string(),
                count: 1,
                mine: true,
            }),
            None => {}
        }
        m.reactions.retain(|r| r.count > 0);
    });
}

/// A `group_msg_emoji_like` notice: counts move by the notice's; yours is marked as such.
pub fn on_notice(
    state: &mut State,
    group: i64,
    id: i64,
    user: i64,
    likes: &[(String, i64)],
    add: bool,
) {
    let own = user == state.self_id;
    for (emoji, count) in likes {
        if own {
            // Your own reaction: `set_mine` keeps the count right however often it is told.
            set_mine(state, Peer::Group(group), id, emoji, add, true);
            continue;
        }
        let delta = (*count).max(1) * if add { 1 } else { -1 };
        state
            .chat_mut(Peer::Group(group))
            .timeline
            .update_by_id(id, |m| {
                match m.reactions.iter_mut().find(|r| r.emoji == *emoji) {
                    Some(r) => r.count = (r.count + delta).max(0),
                    None if delta > 0 => m.reactions.push(Reaction::new(emoji.clone(), delta)),
                    None => {}
                }
                m.reactions.retain(|r| r.count > 0);
            });
    }
}

/// The open `/reactions` list of message `id`, if that is what is open.
fn list_of(state: &mut State, id: i64) -> Option<&mut ReactionList> {
    match state.popup.as_mut() {
        Some(Popup::Reactions(l)) if l.id == id => Some(l),
        _ => None,
    }
}

// What the calls' results do (see `call::reply::Request`).

impl Request for React {
    type Output = ();

    fn describe(&self) -> &'static str {
        if self.set {
            "贴表情"
        } else {
            "取消贴表情"
        }
    }

    fn subject(&self, _state: &State) -> Option<String> {
        Some(faces::reaction_label(&self.emoji))
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        set_mine(state, self.peer, self.id, &self.emoji, self.set, true);
        let label = faces::reaction_label(&self.emoji);
        if self.set {
            state.info(format!("已贴表情 {label} (再选一次取消)"));
        } else {
            state.info(format!("已取消表情 {label}"));
        }
    }
}

impl Request for ReactionCounts {
    type Output = Vec<EmojiLikeCount>;

    fn describe(&self) -> &'static str {
        "获取表情回应"
    }

    fn done(self, state: &mut State, counts: Vec<EmojiLikeCount>, fx: &mut Vec<Effect>) {
        set_counts(state, self.peer, self.id, &counts);
        next_fetch(state, self.id, fx);
        let known: Option<Vec<Reaction>> = state
            .chats
            .get(&self.peer)
            .and_then(|c| c.timeline.message(self.id))
            .map(|m| m.reactions.clone());
        let (peer, id) = (self.peer, self.id);
        if let Some(list) = list_of(state, id)
            && list.rows == Load::Loading
        {
            let known = known.unwrap_or_else(|| {
                counts
                    .iter()
                    .filter(|c| c.likes_cnt > 0)
                    .map(|c| Reaction::new(c.emoji_id.clone(), c.likes_cnt))
                    .collect()
            });
            list.rows = Load::Ready(rows_for(peer, id, &known, fx));
        }
    }

    /// Quietly: the counts shown stay as they were. An open list says why.
    fn failed(self, state: &mut State, e: Error, fx: &mut Vec<Effect>) {
        next_fetch(state, self.id, fx);
        if let Some(list) = list_of(state, self.id)
            && list.rows == Load::Loading
        {
            list.rows = Load::Failed(super::text::short_reason(&e));
        }
    }
}

impl Request for Reactors {
    type Output = Vec<EmojiLikeUser>;

    fn describe(&self) -> &'static str {
        "获取表情回应的人"
    }

    fn done(self, state: &mut State, who: Vec<EmojiLikeUser>, _fx: &mut Vec<Effect>) {
        let me = state.self_id;
        if who.iter().any(|u| u.user_id == me) {
            set_mine(state, self.peer, self.id, &self.emoji, true, false);
        }
        if let Some(list) = list_of(state, self.id)
            && let Load::Ready(rows) = &mut list.rows
            && let Some(row) = rows.iter_mut().find(|r| r.emoji == self.emoji)
        {
            row.who = Load::Ready(who);
        }
    }

    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        if let Some(list) = list_of(state, self.id)
            && let Load::Ready(rows) = &mut list.rows
            && let Some(row) = rows.iter_mut().find(|r| r.emoji == self.emoji)
        {
            row.who = Load::Failed(super::text::short_reason(&e));
        }
    }
}
