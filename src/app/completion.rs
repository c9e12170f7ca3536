//! The composer's completion list: `@` and a member, `/` and a command, `/open ` and a chat.
//! Opened, updated or closed as the composer's text changes, and its keys.

use crossterm::event::{KeyCode, KeyEvent};

use crate::onebot::Peer;

use super::commands::{self, COMMANDS};
use super::composer::{Completion, CompletionItem, CompletionKind, Pick};
use super::contacts::MentionIndex;
use super::effect::Effect;
use super::fuzzy::rank;
use super::member_list::ensure_members;
use super::sidebar;
use super::state::State;

/// Entries a list offers at most.
const LIMIT: usize = 8;

/// Opens, updates or closes the completion after the text changed.
pub fn refresh(state: &mut State, fx: &mut Vec<Effect>) {
    let found = mention(state, fx)
        .or_else(|| command(state))
        .or_else(|| chat(state))
        .or_else(|| path(state, fx));
    let old = state.composer.completion.take();
    state.composer.completion = found.map(|mut c| {
        // The highlight stays where it was while the query is the same.
        if let Some(o) = old.filter(|o| o.kind == c.kind && o.query == c.query) {
            c.selected = o.selected.min(c.items.len().saturating_sub(1));
        }
        c
    });
}

/// Keys of the open completion list; false when the key is not one of them (it then does what
/// it does without a list).
pub fn key(state: &mut State, key: &KeyEvent, fx: &mut Vec<Effect>) -> bool {
    let Some(c) = state.composer.completion.as_mut() else {
        return false;
    };
    let n = c.items.len();
    match key.code {
        KeyCode::Tab | KeyCode::Enter if key.modifiers.is_empty() => {
            let enter = key.code == KeyCode::Enter;
            if n == 0 {
                // Nothing to choose ("没有匹配的成员"): the list goes, the key goes on as usual.
                state.composer.completion = None;
                return !enter;
            }
            match state.composer.accept_completion().map(|i| i.pick) {
                // The line is complete: Enter goes on and runs it.
                Some(Pick::Line(_)) => !enter,
                // `/open ` goes on to the chats.
                Some(Pick::Text(_)) => {
                    refresh(state, fx);
                    true
                }
                _ => true,
            }
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

/// `@query` before the cursor in a group: its members.
fn mention(state: &mut State, fx: &mut Vec<Effect>) -> Option<Completion> {
    let Some(Peer::Group(g)) = state.open else {
        return None;
    };
    let (row, col, query) = state.composer.mention_query()?;
    ensure_members(state, g, fx);
    let self_id = state.self_id;
    if let Some(ms) = state.contacts.members.get_mut(&g)
        && ms.mention.as_ref().map(|i| i.for_self) != Some(self_id)
    {
        ms.mention = Some(MentionIndex::build(ms, self_id));
    }
    let items = mention_candidates(state, g, &query);
    Some(Completion {
        kind: CompletionKind::Mention,
        row,
        col,
        query,
        items,
        selected: 0,
    })
}

/// Whether a mention query asks for everyone: `@全体`, `@all`, `@qt` (its pinyin initials).
fn asks_for_everyone(query: &str) -> bool {
    let q = query.to_lowercase();
    (!q.is_empty() && "全体成员".starts_with(&q))
        || (q.chars().count() >= 2 && ("all".starts_with(&q) || "qtcy".starts_with(&q)))
}

/// Members first, best match first; `@全体成员` only when the query asks for it, and after
/// them, so that `@` and Enter never pings the whole group.
fn mention_candidates(state: &State, group: i64, query: &str) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    if let Some(members) = state.contacts.members.get(&group)
        && let Some(index) = &members.mention
    {
        let n = index.ids.len();
        let ranked: Vec<usize> = if query.is_empty() {
            (0..n.min(LIMIT)).collect()
        } else {
            rank(query, index.candidates.iter().zip(0..n))
        };
        let found = ranked
            .into_iter()
            .filter_map(|i| members.by_id().get(index.ids.get(i)?));
        for m in found.take(LIMIT) {
            out.push(CompletionItem {
                label: m.display_name(),
                detail: m.user_id.to_string(),
                pick: Pick::Member(m.user_id),
            });
        }
    }
    let me_admin = state
        .contacts
        .member(group, state.self_id)
        .is_some_and(|m| m.role.is_admin());
    if me_admin && asks_for_everyone(query) {
        out.push(CompletionItem {
            label: "全体成员".into(),
            detail: "@all".into(),
            pick: Pick::AtAll,
        });
    }
    out
}

/// The first line's text before the cursor, when the cursor is on the first line of a text
/// that starts a command (`/`, not the literal `//`).
fn command_line_before_cursor(state: &State) -> Option<String> {
    let ratatui_textarea::DataCursor(row, col) = state.composer.textarea.cursor();
    let line = state.composer.textarea.lines().first()?;
    if row != 0 || !line.starts_with('/') || line.starts_with("//") {
        return None;
    }
    Some(line.chars().take(col).collect())
}

/// `/name` at the start of the composer, the cursor still in the name: the commands.
fn command(state: &State) -> Option<Completion> {
    let before = command_line_before_cursor(state)?;
    let query = before.strip_prefix('/')?;
    if query.chars().any(char::is_whitespace) {
        return None;
    }
    let q = query.to_lowercase();
    let by_name = COMMANDS.iter().filter(|c| c.name.starts_with(&q));
    let by_alias = COMMANDS
        .iter()
        .filter(|c| !c.name.starts_with(&q) && c.aliases.iter().any(|a| a.starts_with(&q)));
    let items = by_name
        .chain(by_alias)
        .map(|c| {
            let name = format!("/{}", c.name);
            CompletionItem {
                label: format!("{name} {}", c.usage).trim_end().to_string(),
                detail: state.keymap.fill_keys(c.desc),
                // A command that takes nothing is complete once named.
                pick: if c.usage.is_empty() {
                    Pick::Line(name)
                } else {
                    Pick::Text(format!("{name} "))
                },
            }
        })
        .collect();
    Some(Completion {
        kind: CompletionKind::Command,
        row: 0,
        col: 0,
        query: query.to_string(),
        items,
        selected: 0,
    })
}

/// `/open query`: the chats `/open` would choose from, best first.
fn chat(state: &State) -> Option<Completion> {
    let before = command_line_before_cursor(state)?;
    let (name, rest) = before.strip_prefix('/')?.split_once(char::is_whitespace)?;
    if commands::find(name).is_none_or(|c| c.name != "open") {
        return None;
    }
    let query = rest.trim_start();
    let col = before.chars().count() - query.chars().count();
    let items = sidebar::find(state, query)
        .into_iter()
        .take(LIMIT)
        .map(|peer| {
            let (kind, address) = match peer {
                Peer::Group(g) => ("群", format!("g:{g}")),
                Peer::Private(u) if state.contacts.friends.contains_key(&u) => {
                    ("好友", format!("u:{u}"))
                }
                Peer::Private(u) => ("QQ", format!("u:{u}")),
            };
            CompletionItem {
                label: state.contacts.chat_name(peer),
                detail: format!("{kind} {}", peer.id()),
                pick: Pick::Line(address),
            }
        })
        .collect();
    Some(Completion {
        kind: CompletionKind::Chat,
        row: 0,
        col,
        query: query.to_string(),
        items,
        selected: 0,
    })
}

/// How long (seconds) a folder's entries are shown without reading the folder again; the old
/// ones stay on the list until the new ones come.
pub const LISTING_FRESH: i64 = 2;

/// Commands whose argument is a local path.
const PATH_COMMANDS: [&str; 3] = ["upload", "voice", "image"];

/// A local path after `/upload ` (and `/voice `, `/image `): the entries of the folder typed so
/// far, asked of the runtime when another folder is typed.
fn path(state: &mut State, fx: &mut Vec<Effect>) -> Option<Completion> {
    let before = command_line_before_cursor(state)?;
    let (name, rest) = before.strip_prefix('/')?.split_once(char::is_whitespace)?;
    let command = commands::find(name)?;
    if !PATH_COMMANDS.contains(&command.name) {
        return None;
    }
    let pictures_only = command.name == "image";
    let query = rest.trim_start();
    let col = before.chars().count() - query.chars().count();
    let (dir, prefix) = match query.rfind('/') {
        Some(i) => (&query[..=i], &query[i + 1..]),
        None => ("", query),
    };
    let now = state.now;
    let listing = &mut state.transfers.listing;
    // Asked again when old, not when empty: an empty folder's answer must not ask again at
    // once (that looped, listing the folder as fast as it could).
    let stale = listing
        .at
        .is_none_or(|at| now.saturating_sub(at) >= LISTING_FRESH);
    if listing.dir != dir || stale {
        if listing.asked.as_deref() != Some(dir) {
            listing.asked = Some(dir.to_string());
            fx.push(Effect::ListDir(dir.to_string()));
        }
        if listing.dir != dir {
            return None;
        }
    }
    let items: Vec<CompletionItem> = listing
        .entries
        .iter()
        .filter(|(n, _)| n.starts_with(prefix) && (prefix.starts_with('.') || !n.starts_with('.')))
        // `/image` offers folders and pictures only.
        .filter(|(n, is_dir)| !pictures_only || *is_dir || is_picture_name(n))
        .take(LIMIT * 4)
        .map(|(n, is_dir)| {
            let full = format!("{dir}{n}");
            CompletionItem {
                label: if *is_dir { format!("{n}/") } else { n.clone() },
                detail: if *is_dir {
                    "文件夹".into()
                } else if pictures_only {
                    "图片".into()
                } else {
                    String::new()
                },
                pick: if *is_dir {
                    Pick::Text(format!("{full}/"))
                } else {
                    Pick::Line(full)
                },
            }
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    Some(Completion {
        kind: CompletionKind::Path,
        row: 0,
        col,
        query: query.to_string(),
        items,
        selected: 0,
    })
}

/// Whether a file name has a picture's extension (what `/image` sends).
fn is_picture_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        matches!(
            ext.to_ascii_lowercase().as_str(),
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "bmp"
        )
    })
}

/// A folder's entries came (`Effect::ListDir`): the list shows them if still wanted.
pub fn listed(state: &mut State, dir: String, entries: Vec<(String, bool)>, fx: &mut Vec<Effect>) {
    let listing = &mut state.transfers.listing;
    if listing.asked.as_deref() != Some(dir.as_str()) {
        return;
    }
    listing.asked = None;
    listing.dir = dir;
    listing.entries = entries;
    listing.at = Some(state.now);
    refresh(state, fx);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::contacts::{Member, Members, MembersState};
    use crate::app::keymap::Keymap;
    use crate::app::msg::Msg;
    use crate::app::state::Settings;
    use crossterm::event::KeyModifiers;

    fn labels(s: &State) -> Vec<String> {
        let c = s.composer.completion.as_ref().expect("a completion list");
        c.items.iter().map(|i| i.label.clone()).collect()
    }

    fn press(s: &mut State, code: KeyCode) {
        crate::app::update::update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    #[test]
    fn the_mention_index_is_made_once_and_again_when_the_members_change() {
        let mut s = State::new(Settings::default(), Keymap::default_map());
        s.self_id = 1;
        let member = |id: i64, nick: &str| Member {
            user_id: id,
            nickname: nick.into(),
            ..Member::default()
        };
        let ms = Members::new(
            MembersState::Loaded,
            [member(1, "我"), member(2, "Alice"), member(3, "小明")],
        );
        s.contacts.members.insert(9, ms);
        s.open = Some(Peer::Group(9));
        s.focus = crate::app::Pane::Composer;
        for c in "@al".chars() {
            press(&mut s, KeyCode::Char(c));
        }
        assert_eq!(labels(&s), ["Alice"]);
        let index = |s: &State| {
            s.contacts.members[&9]
                .mention
                .as_ref()
                .map(|i| i.ids.as_ptr())
        };
        let made = index(&s);
        press(&mut s, KeyCode::Char('i'));
        assert_eq!(labels(&s), ["Alice"]);
        assert_eq!(index(&s), made, "the same list: the same index");
        // Someone joins (written straight into the list): the next keystroke sees them.
        let alina = member(4, "Alina");
        s.contacts.members.get_mut(&9).unwrap().insert(alina);
        press(&mut s, KeyCode::Backspace);
        assert_eq!(labels(&s), ["Alice", "Alina"]);
    }

    #[test]
    fn everyone_is_offered_only_when_asked_for() {
        for q in ["全", "全体", "全体成员", "all", "al", "ALL", "qt", "qtcy"] {
            assert!(asks_for_everyone(q), "{q}");
        }
        for q in ["", "a", "q", "小", "alice", "qq"] {
            assert!(!asks_for_everyone(q), "{q}");
        }
    }
}
