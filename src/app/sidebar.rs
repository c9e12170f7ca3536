//! The sidebar's rows: recent chats, friends by category, groups — filtered as the user types.

use std::collections::BTreeSet;

use crate::onebot::Peer;

use super::fuzzy::{Candidate, rank};
use super::state::{SidebarTab, State};

/// One row of the sidebar.
#[derive(Debug, Clone, PartialEq)]
pub enum SidebarRow {
    /// A category heading (not selectable).
    Header(String),
    Chat(ChatRow),
}

/// A selectable chat row.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRow {
    pub peer: Peer,
    pub name: String,
    pub unread: u32,
    pub mentions: u32,
    /// 免打扰: the counts are drawn dim.
    pub muted: bool,
    pub pinned: bool,
}

fn chat_row(state: &State, peer: Peer) -> ChatRow {
    let chat = state.chats.get(&peer);
    ChatRow {
        peer,
        name: state.contacts.chat_name(peer),
        unread: chat.map(|c| c.unread).unwrap_or(0),
        mentions: chat.map(|c| c.mentions).unwrap_or(0),
        muted: state.muted.contains(&peer),
        pinned: state.pinned.contains(&peer),
    }
}

/// Recent chats: the pinned ones first, in pin order, then the rest by newest activity (the open
/// chat is always listed).
pub fn recent_peers(state: &State) -> Vec<Peer> {
    state
        .pinned
        .iter()
        .copied()
        .chain(recent_unpinned(state))
        .collect()
}

/// Whether `c` is among the recent chats apart from the pinned ones: it has had activity, or
/// it is the open one (what `chat::listings` follows is the first of these).
fn listed_unpinned(state: &State, c: &super::chat::Chat) -> bool {
    (c.last_activity() > 0 || Some(c.peer) == state.open) && !state.pinned.contains(&c.peer)
}

/// The chats with activity (and the open one) that are not pinned, the latest first.
fn recent_unpinned(state: &State) -> Vec<Peer> {
    let mut v: Vec<(i64, Peer)> = state
        .chats
        .values()
        .filter(|c| listed_unpinned(state, c))
        .map(|c| (c.last_activity(), c.peer))
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    v.into_iter().map(|(_, p)| p).collect()
}

/// The 会话 tab's rows: the pinned chats, then `unpinned`; under headings when some are pinned.
fn recent_rows(state: &State, unpinned: &[Peer]) -> Vec<SidebarRow> {
    let rows = state
        .pinned
        .iter()
        .chain(unpinned)
        .map(|p| SidebarRow::Chat(chat_row(state, *p)));
    if state.pinned.is_empty() {
        return rows.collect();
    }
    // Pinned chats under their own heading, the others under theirs.
    let mut out = vec![SidebarRow::Header("置顶".into())];
    let mut rest = false;
    for r in rows {
        if let SidebarRow::Chat(c) = &r
            && !c.pinned
            && !rest
        {
            rest = true;
            out.push(SidebarRow::Header("最近".into()));
        }
        out.push(r);
    }
    out
}

fn candidate(state: &State, peer: Peer) -> std::sync::Arc<Candidate> {
    let c = &state.contacts;
    let cache = &state.sidebar.candidates;
    match peer {
        Peer::Group(g) => {
            let (name, remark) = c
                .groups
                .get(&g)
                .map(|e| (e.name.as_str(), e.remark.as_str()))
                .unwrap_or_default();
            cache.get(peer, &[name, remark], g)
        }
        Peer::Private(u) => match c.friends.get(&u) {
            Some(f) => cache.get(peer, &[&f.remark, &f.nickname], u),
            None => cache.get(peer, &[&c.user_name(u), ""], u),
        },
    }
}

/// Every chat the user could open: recent ones, friends, groups (deduplicated).
fn all_peers(state: &State) -> Vec<Peer> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut groups: Vec<i64> = state.contacts.groups.keys().copied().collect();
    groups.sort_unstable();
    let mut friends: Vec<i64> = state.contacts.friends.keys().copied().collect();
    friends.sort_unstable();
    for p in recent_peers(state)
        .into_iter()
        .chain(friends.into_iter().map(Peer::Private))
        .chain(groups.into_iter().map(Peer::Group))
    {
        if seen.insert(p) {
            out.push(p);
        }
    }
    out
}

/// The texts a chat is found by: a group's name and remark, a friend's remark and nickname, a
/// name seen in passing.
fn texts(state: &State, peer: Peer) -> Vec<String> {
    let c = &state.contacts;
    match peer {
        Peer::Group(g) => c
            .groups
            .get(&g)
            .map(|e| vec![e.name.clone(), e.remark.clone()])
            .unwrap_or_default(),
        Peer::Private(u) => match c.friends.get(&u) {
            Some(f) => vec![f.remark.clone(), f.nickname.clone()],
            None => vec![c.user_name(u)],
        },
    }
}

/// Whether `needle` (lower case) stands in `text` as a whole word: where it begins or ends with
/// a Latin letter or digit, no other one touches it there (`rust` in "Rust 中文社区" and in
/// "rust群", not in "Rustacean"). Chinese has no spaces between words, so a Chinese edge is
/// always whole.
fn whole_word(text: &str, needle: &str) -> bool {
    let text = text.to_lowercase();
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let (first, last) = (needle.chars().next(), needle.chars().last());
    text.match_indices(needle).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        let touches_before = alnum(first) && alnum(before);
        let touches_after = alnum(last) && alnum(after);
        !(touches_before || touches_after)
    })
}

/// Finds chats by a typed name or number (fuzzy), best first. The tiers: the whole name, then
/// names containing the query (at the start or further in: in Chinese names the start says
/// little), then fuzzy matches. Within a tier: the query as a whole word, then groups before
/// people — a person's remark often names the group they came from ("羽毛球-张", "rust群-老K"),
/// so `/open 羽毛球` means the group — then a name holding the query with its exact case
/// (smart case), then friends over people seen in passing, then the closer match, then the most
/// recent.
pub fn find(state: &State, query: &str) -> Vec<Peer> {
    use super::fuzzy::{Matcher, Query};
    let peers = all_peers(state);
    let q = Query::new(query);
    let needle = query.trim();
    let lower = needle.to_lowercase();
    let mut m = Matcher::new();
    let mut scored: Vec<(u32, bool, bool, bool, bool, usize, Peer)> = peers
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let known = match p {
                Peer::Group(g) => state.contacts.groups.contains_key(g),
                Peer::Private(u) => state.contacts.friends.contains_key(u),
            };
            let texts = texts(state, *p);
            let word = texts.iter().any(|t| whole_word(t, &lower));
            let exact_case = state.contacts.chat_name(*p).contains(needle);
            m.score(&q, &candidate(state, *p))
                .map(|s| (s, word, p.is_group(), exact_case, known, i, *p))
        })
        .collect();
    // Score tiers are 100,000 apart (see `fuzzy`): exact 4, prefix 3, substring 2, fuzzy 1.
    let tier = |s: u32| match s / 100_000 {
        3 => 2,
        t => t,
    };
    scored.sort_by(|a, b| {
        tier(b.0)
            .cmp(&tier(a.0))
            .then(b.1.cmp(&a.1))
            .then(b.2.cmp(&a.2))
            .then(b.3.cmp(&a.3))
            .then(b.4.cmp(&a.4))
            .then(b.0.cmp(&a.0))
            .then(a.5.cmp(&b.5))
    });
    scored.into_iter().map(|(.., p)| p).collect()
}

/// What `RowsMemo`'s rows were built from besides the chats: the tab, the names' version,
/// `chat::listings`, the open chat, the pinned and muted chats.
type BuiltFrom = (
    SidebarTab,
    u64,
    u64,
    Option<Peer>,
    Vec<Peer>,
    BTreeSet<Peer>,
);

/// A tab's rows as last built (unfiltered), to hand out again while they are still what
/// `rows` would build (a flood into the open chat leaves them so): the UI keeps one and asks
/// `rows_kept` each frame instead of `rows`, which names every chat anew (and on the 好友 tab
/// sorts 2,000 friends by name).
#[derive(Debug, Default)]
pub struct RowsMemo {
    from: Option<BuiltFrom>,
    /// On the 会话 tab, the recent chats in the order shown (pinned ones apart).
    order: Vec<Peer>,
    rows: Vec<SidebarRow>,
}

/// `rows(state)`, from `memo` when it still holds them.
pub fn rows_kept<'a>(state: &State, memo: &'a mut RowsMemo) -> std::borrow::Cow<'a, [SidebarRow]> {
    if !state.sidebar.filter.trim().is_empty() {
        memo.from = None;
        return std::borrow::Cow::Owned(rows(state));
    }
    if !memo_holds(state, memo) {
        let tab = state.sidebar.tab;
        memo.from = Some((
            tab,
            state.contacts.version,
            super::chat::listings(),
            state.open,
            state.pinned.clone(),
            state.muted.clone(),
        ));
        if tab == SidebarTab::Recent {
            memo.order = recent_unpinned(state);
            memo.rows = recent_rows(state, &memo.order);
        } else {
            memo.order.clear();
            memo.rows = rows(state);
        }
    }
    std::borrow::Cow::Borrowed(&memo.rows)
}

/// Whether `memo`'s rows are what `rows(state)` builds unfiltered: the same tab, names, open,
/// pinned and muted chats; on the 会话 tab the same recent chats, still in the order they were
/// sorted in; the same counts.
fn memo_holds(state: &State, memo: &RowsMemo) -> bool {
    let Some((tab, names, listings, open, pinned, muted)) = &memo.from else {
        return false;
    };
    // No chat made and none started or stopped having activity: the chats listed are the
    // ones listed then (so the rows need not count them all, 2,500 in a big account). The
    // friends and groups listed change only with the names' version.
    if *tab != state.sidebar.tab
        || *names != state.contacts.version
        || *listings != super::chat::listings()
        || *open != state.open
        || *pinned != state.pinned
        || *muted != state.muted
    {
        return false;
    }
    if *tab == SidebarTab::Recent && !recent_order_holds(state, &memo.order) {
        return false;
    }
    memo.rows.iter().all(|r| match r {
        SidebarRow::Header(_) => true,
        SidebarRow::Chat(row) => {
            let chat = state.chats.get(&row.peer);
            row.unread == chat.map(|c| c.unread).unwrap_or(0)
                && row.mentions == chat.map(|c| c.mentions).unwrap_or(0)
        }
    })
}

/// Whether `order` is still the recent chats (each still listed, none twice: the order has no
/// repeats; no other chat listed, by `listings`), sorted as `recent_peers` sorts them.
fn recent_order_holds(state: &State, order: &[Peer]) -> bool {
    let mut last: Option<(i64, Peer)> = None;
    for p in order {
        let Some(c) = state.chats.get(p).filter(|c| listed_unpinned(state, c)) else {
            return false;
        };
        let now = (c.last_activity(), *p);
        if let Some(l) = last
            && l.0.cmp(&now.0).reverse().then(l.1.cmp(&now.1)) == std::cmp::Ordering::Greater
        {
            return false;
        }
        last = Some(now);
    }
    true
}

/// The rows of the current tab, filtered.
pub fn rows(state: &State) -> Vec<SidebarRow> {
    let filter = state.sidebar.filter.trim();
    if !filter.is_empty() {
        // Filtering searches the tab's own population; on 会话 it searches everything.
        let peers: Vec<Peer> = match state.sidebar.tab {
            SidebarTab::Recent => all_peers(state),
            SidebarTab::Friends => {
                let mut f: Vec<i64> = state.contacts.friends.keys().copied().collect();
                f.sort_unstable();
                f.into_iter().map(Peer::Private).collect()
            }
            SidebarTab::Groups => {
                let mut g: Vec<i64> = state.contacts.groups.keys().copied().collect();
                g.sort_unstable();
                g.into_iter().map(Peer::Group).collect()
            }
        };
        let cands: Vec<std::sync::Arc<Candidate>> =
            peers.iter().map(|p| candidate(state, *p)).collect();
        return rank(
            filter,
            cands.iter().map(|c| &**c).zip(peers.iter().copied()),
        )
        .into_iter()
        .map(|p| SidebarRow::Chat(chat_row(state, p)))
        .collect();
    }
    match state.sidebar.tab {
        SidebarTab::Recent => recent_rows(state, &recent_unpinned(state)),
        SidebarTab::Friends => friend_rows(state),
        SidebarTab::Groups => {
            let mut g: Vec<(String, i64)> = state
                .contacts
                .groups
                .values()
                .map(|e| (e.display_name(), e.group_id))
                .collect();
            g.sort();
            g.into_iter()
                .map(|(_, id)| SidebarRow::Chat(chat_row(state, Peer::Group(id))))
                .collect()
        }
    }
}

fn friend_rows(state: &State) -> Vec<SidebarRow> {
    let c = &state.contacts;
    let mut sorted: Vec<&super::contacts::FriendInfo> = c.friends.values().collect();
    // Each name made once, not at every comparison (2,000 friends: 40,000-odd strings).
    sorted.sort_by_cached_key(|f| (f.display_name(), f.user_id));
    if c.categories.is_empty() {
        return sorted
            .into_iter()
            .map(|f| SidebarRow::Chat(chat_row(state, Peer::Private(f.user_id))))
            .collect();
    }
    let mut out = Vec::new();
    let known: std::collections::HashSet<i64> = c.categories.iter().map(|(id, _)| *id).collect();
    for (id, name) in &c.categories {
        let members: Vec<_> = sorted.iter().filter(|f| f.category == Some(*id)).collect();
        if members.is_empty() {
            continue;
        }
        out.push(SidebarRow::Header(format!("{name} ({})", members.len())));
        out.extend(
            members
                .into_iter()
                .map(|f| SidebarRow::Chat(chat_row(state, Peer::Private(f.user_id)))),
        );
    }
    let rest: Vec<_> = sorted
        .iter()
        .filter(|f| f.category.is_none_or(|c| !known.contains(&c)))
        .collect();
    if !rest.is_empty() {
        out.push(SidebarRow::Header(format!("其他 ({})", rest.len())));
        out.extend(
            rest.into_iter()
                .map(|f| SidebarRow::Chat(chat_row(state, Peer::Private(f.user_id)))),
        );
    }
    out
}

/// Where the selection is among `peers` (the selectable rows): the selected chat if listed,
/// else the remembered index, clamped.
pub fn selected_index(state: &State, peers: &[Peer]) -> usize {
    index_in(state, peers.iter().copied())
}

/// [`selected_index`] straight from the rows, for the frame (no list of peers built).
pub fn selected_row_index(state: &State, rows: &[SidebarRow]) -> usize {
    index_in(state, rows.iter().filter_map(chat_peer))
}

fn index_in(state: &State, peers: impl Iterator<Item = Peer> + Clone) -> usize {
    state
        .sidebar
        .selected_peer
        .and_then(|p| peers.clone().position(|x| x == p))
        .unwrap_or(state.sidebar.selected)
        .min(peers.count().saturating_sub(1))
}

/// The chat a row stands for (none for a header).
fn chat_peer(row: &SidebarRow) -> Option<Peer> {
    match row {
        SidebarRow::Chat(c) => Some(c.peer),
        SidebarRow::Header(_) => None,
    }
}

/// Puts the selection on row `i` of `peers`.
pub fn select(state: &mut State, peers: &[Peer], i: usize) {
    state.sidebar.selected = i;
    state.sidebar.selected_peer = peers.get(i).copied();
}

/// The selectable chats of the current rows, in order.
pub fn selectable(rows: &[SidebarRow]) -> Vec<Peer> {
    rows.iter().filter_map(chat_peer).collect()
}

/// Resolves `/open`'s argument: `g:<id>`, `u:<id>`, a number, or a fuzzy name.
pub fn resolve_chat(state: &State, arg: &str) -> Result<Peer, String> {
    let arg = arg.trim();
    let num = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| format!("「{s}」不是号码"))
    };
    if let Some(g) = arg.strip_prefix("g:") {
        let g = num(g)?;
        // Once the group list is known, a number not on it is a group you cannot write to.
        if state.contacts.groups_loaded && !state.contacts.groups.contains_key(&g) {
            return Err(format!("你不在群 {g} 中 (群聊列表里没有它)"));
        }
        return Ok(Peer::Group(g));
    }
    if let Some(u) = arg.strip_prefix("u:") {
        return Ok(Peer::Private(num(u)?));
    }
    if let Ok(n) = arg.parse::<i64>() {
        if state.contacts.groups.contains_key(&n) {
            return Ok(Peer::Group(n));
        }
        if state.contacts.friends.contains_key(&n) || state.chats.contains_key(&Peer::Private(n)) {
            return Ok(Peer::Private(n));
        }
        if state.chats.contains_key(&Peer::Group(n)) {
            return Ok(Peer::Group(n));
        }
    }
    find(state, arg)
        .into_iter()
        .next()
        .ok_or_else(|| format!("没有找到「{arg}」(用 g:群号 或 u:QQ号 直接打开)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::contacts::{FriendInfo, GroupEntry};
    use crate::app::keymap::Keymap;
    use crate::app::state::Settings;

    fn state() -> State {
        let mut s = State::new(Settings::default(), Keymap::default_map());
        s.contacts.groups.insert(
            30001,
            GroupEntry {
                group_id: 30001,
                name: "Rust 中文社区".into(),
                ..Default::default()
            },
        );
        s.contacts.friends.insert(
            20002,
            FriendInfo {
                user_id: 20002,
                nickname: "小明".into(),
                ..Default::default()
            },
        );
        // Someone seen in passing, with a recent private chat.
        s.contacts.see(20099, "rust群-老K");
        s.chat_mut(Peer::Private(20099)).set_last_activity(100);
        s
    }

    #[test]
    fn exact_case_wins_among_prefix_matches() {
        let mut s = state();
        s.contacts.friends.insert(
            20098,
            FriendInfo {
                user_id: 20098,
                nickname: "Rustacean🦀".into(),
                remark: "rust群-老K".into(),
                category: None,
            },
        );
        assert_eq!(find(&s, "Rust").first(), Some(&Peer::Group(30001)));
        assert_eq!(find(&s, "rust群").first(), Some(&Peer::Private(20098)));
    }

    #[test]
    fn whole_words_are_bounded_by_latin_letters_only() {
        assert!(whole_word("Rust 中文社区", "rust"));
        assert!(whole_word("rust群-老K", "rust"));
        assert!(!whole_word("Rustacean🦀", "rust"));
        assert!(!whole_word("trust me", "rust"));
        assert!(whole_word("周末羽毛球约起", "羽毛球"));
    }

    #[test]
    fn known_contacts_win_ties_over_strangers() {
        let s = state();
        assert_eq!(find(&s, "Rust").first(), Some(&Peer::Group(30001)));
        assert_eq!(find(&s, "老K").first(), Some(&Peer::Private(20099)));
        assert_eq!(find(&s, "xm").first(), Some(&Peer::Private(20002)));
        assert!(find(&s, "zzzz").is_empty());
    }

    #[test]
    fn the_selection_follows_its_chat_when_the_list_reorders() {
        let mut s = state();
        s.chat_mut(Peer::Group(30001)).set_last_activity(50);
        let peers = selectable(&rows(&s));
        assert_eq!(peers, vec![Peer::Private(20099), Peer::Group(30001)]);
        select(&mut s, &peers, 1);
        // A new message moves the group to the top: the selection goes with it.
        s.chat_mut(Peer::Group(30001)).set_last_activity(300);
        let peers = selectable(&rows(&s));
        assert_eq!(peers[selected_index(&s, &peers)], Peer::Group(30001));
        // The frame finds it from the rows alike.
        assert_eq!(
            selected_row_index(&s, &rows(&s)),
            selected_index(&s, &peers)
        );
    }

    #[test]
    fn recent_rows_sort_by_activity() {
        let mut s = state();
        s.chat_mut(Peer::Group(30001)).set_last_activity(200);
        let peers = selectable(&rows(&s));
        assert_eq!(peers, vec![Peer::Group(30001), Peer::Private(20099)]);
    }

    #[test]
    fn kept_rows_are_what_rows_builds_whatever_changes() {
        let mut s = state();
        let mut memo = RowsMemo::default();
        let mut check = |s: &State, what: &str| {
            let kept = rows_kept(s, &mut memo).into_owned();
            assert_eq!(kept, rows(s), "after {what}");
        };
        check(&s, "the start");
        type Step = (&'static str, Box<dyn Fn(&mut State)>);
        let steps: Vec<Step> = vec![
            ("nothing", Box::new(|_| {})),
            (
                "activity keeping the order",
                Box::new(|s| {
                    s.chat_mut(Peer::Private(20099)).set_last_activity(150);
                }),
            ),
            (
                "a chat's first activity",
                Box::new(|s| {
                    s.chat_mut(Peer::Group(30001)).set_last_activity(120);
                }),
            ),
            (
                "activity reordering",
                Box::new(|s| {
                    s.chat_mut(Peer::Group(30001)).set_last_activity(400);
                }),
            ),
            (
                "a tie broken by the number",
                Box::new(|s| {
                    s.chat_mut(Peer::Private(20099)).set_last_activity(400);
                }),
            ),
            (
                "an unread count",
                Box::new(|s| s.chat_mut(Peer::Group(30001)).unread = 3),
            ),
            (
                "a mention",
                Box::new(|s| s.chat_mut(Peer::Group(30001)).mentions = 1),
            ),
            (
                "a chat opened without activity",
                Box::new(|s| {
                    s.chat_mut(Peer::Private(20002));
                    s.open = Some(Peer::Private(20002));
                }),
            ),
            ("the open chat closed", Box::new(|s| s.open = None)),
            (
                "a chat opened before it exists",
                Box::new(|s| s.open = Some(Peer::Private(20003))),
            ),
            (
                "the open chat made",
                Box::new(|s| {
                    s.chat_mut(Peer::Private(20003));
                }),
            ),
            (
                "a new chat with activity",
                Box::new(|s| {
                    s.chat_mut(Peer::Private(20004)).set_last_activity(90);
                }),
            ),
            (
                "a chat made without activity",
                Box::new(|s| {
                    s.chat_mut(Peer::Private(20005));
                }),
            ),
            (
                "that chat's first activity",
                Box::new(|s| {
                    s.chat_mut(Peer::Private(20005)).note_activity(95);
                }),
            ),
            (
                "a chat's activity taken away",
                Box::new(|s| {
                    s.chat_mut(Peer::Private(20004)).set_last_activity(0);
                }),
            ),
            ("closed again", Box::new(|s| s.open = None)),
            ("a pin", Box::new(|s| s.pinned.push(Peer::Group(30001)))),
            (
                "muted",
                Box::new(|s| {
                    s.muted.insert(Peer::Private(20099));
                }),
            ),
            (
                "a rename",
                Box::new(|s| {
                    if let Some(g) = s.contacts.groups.get_mut(&30001) {
                        g.name = "Rust 社区".into();
                    }
                    s.contacts.touch();
                }),
            ),
            ("unpinned", Box::new(|s| s.pinned.clear())),
            (
                "a chat gone",
                Box::new(|s| {
                    s.chats.remove(&Peer::Private(20099));
                }),
            ),
            ("a filter", Box::new(|s| s.sidebar.filter = "rust".into())),
            ("no filter", Box::new(|s| s.sidebar.filter.clear())),
            (
                "another tab",
                Box::new(|s| s.sidebar.tab = SidebarTab::Groups),
            ),
            ("back", Box::new(|s| s.sidebar.tab = SidebarTab::Recent)),
            // The 好友 and 群聊 tabs are kept too.
            (
                "the friends tab",
                Box::new(|s| s.sidebar.tab = SidebarTab::Friends),
            ),
            (
                "a friend's unread message",
                Box::new(|s| s.chat_mut(Peer::Private(20002)).unread = 2),
            ),
            (
                "a friend muted",
                Box::new(|s| {
                    s.muted.insert(Peer::Private(20002));
                }),
            ),
            (
                "a new friend list",
                Box::new(|s| {
                    s.contacts.friends.insert(
                        20006,
                        FriendInfo {
                            user_id: 20006,
                            nickname: "阿杰".into(),
                            ..Default::default()
                        },
                    );
                    s.contacts.touch();
                }),
            ),
            (
                "categories",
                Box::new(|s| {
                    s.contacts.categories = vec![(1, "同学".into())];
                    if let Some(f) = s.contacts.friends.get_mut(&20006) {
                        f.category = Some(1);
                    }
                    s.contacts.touch();
                }),
            ),
            (
                "a filter there",
                Box::new(|s| s.sidebar.filter = "阿".into()),
            ),
            ("no filter there", Box::new(|s| s.sidebar.filter.clear())),
            (
                "the groups tab",
                Box::new(|s| s.sidebar.tab = SidebarTab::Groups),
            ),
            (
                "a group's mention",
                Box::new(|s| s.chat_mut(Peer::Group(30001)).mentions = 2),
            ),
            (
                "a group left",
                Box::new(|s| {
                    s.contacts.groups.remove(&30001);
                    s.contacts.touch();
                }),
            ),
            (
                "back to recent",
                Box::new(|s| s.sidebar.tab = SidebarTab::Recent),
            ),
        ];
        for (what, change) in steps {
            change(&mut s);
            check(&s, what);
        }
    }
}
