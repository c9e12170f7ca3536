//! One conversation: its timeline (messages and notice lines), unread state, draft and history paging.

use super::call::History;
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;

use crate::onebot::{MessageChain, MessageEvent, Peer, Role, Segment};

use super::call::Call;
use super::stored::CatchUp;

/// Orders timeline entries: by time, then QQ's own sequence, then arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortKey {
    pub time: i64,
    pub seq: u64,
    pub arrival: u64,
}

/// Where a message of ours stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Confirmed by the server (or not ours).
    Sent,
    /// Sent, waiting for the reply that carries its id.
    Pending,
    /// The send failed; the reason is shown and the text kept for a retry.
    Failed(String),
    /// Written while not connected: not sent yet, it goes out once connected (`State::outbox`).
    Waiting,
}

/// A message in a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageItem {
    /// NapCat's short id; None while a local send is pending.
    pub id: Option<i64>,
    /// Set on messages this client sent, to match the reply and the echo.
    pub local_id: Option<u64>,
    pub sender_id: i64,
    /// Card else nickname as the event carried it.
    pub sender_name: String,
    pub role: Option<Role>,
    pub own: bool,
    pub chain: MessageChain,
    pub delivery: Delivery,
    /// Set when recalled: who recalled it (the author or an admin).
    pub recalled_by: Option<i64>,
    /// Reactions by emoji id (face id or code point), in first-seen order.
    pub reactions: Vec<Reaction>,
    pub essence: bool,
    /// The time the server gave, when it could not be believed (far in the future): the
    /// message is ordered by sequence or arrival instead, and its time is shown as unknown.
    pub bad_time: Option<i64>,
}

/// One reaction (贴表情) on a message: the emoji, how many reacted with it, and whether you did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reaction {
    /// A system face id or a Unicode code point, in decimal, as NapCat writes it.
    pub emoji: String,
    pub count: i64,
    /// You are among them (as far as this client knows: your own reactions, and fetched lists).
    pub mine: bool,
}

impl Reaction {
    /// `count` reactions with `emoji`, none of them known to be yours.
    pub fn new(emoji: impl Into<String>, count: i64) -> Self {
        Reaction {
            emoji: emoji.into(),
            count,
            mine: false,
        }
    }
}

impl MessageItem {
    /// Builds an item from a message event.
    pub fn from_event(ev: &MessageEvent) -> Self {
        let mut reactions = Vec::new();
        for l in &ev.emoji_likes_list {
            if l.likes_cnt > 0 {
                reactions.push(Reaction::new(l.emoji_id.clone(), l.likes_cnt));
            }
        }
        MessageItem {
            id: Some(ev.message_id),
            local_id: None,
            sender_id: ev.user_id,
            sender_name: ev.sender.display_name(),
            role: ev.sender.role,
            own: ev.is_self(),
            chain: ev.message.clone(),
            delivery: Delivery::Sent,
            recalled_by: None,
            reactions,
            essence: false,
            bad_time: None,
        }
    }
}

/// A line in the timeline that is not a message: joins, mutes, pokes, renames, …
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeItem {
    /// Who the notice is mainly about, for colouring.
    pub actor: Option<i64>,
    /// The text, already phrased (names resolved at arrival).
    pub text: String,
}

/// What a timeline entry is.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryKind {
    Message(MessageItem),
    Notice(NoticeItem),
}

/// One timeline entry with a version that changes whenever its rows may look different: when the
/// entry changes, and when what it shows from elsewhere does (the message it quotes, the preview
/// of a forward it holds). Layout caches compare it and nothing else about the entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: SortKey,
    pub kind: EntryKind,
    pub version: u64,
}

impl Entry {
    /// The message, if this entry is one.
    pub fn message(&self) -> Option<&MessageItem> {
        match &self.kind {
            EntryKind::Message(m) => Some(m),
            EntryKind::Notice(_) => None,
        }
    }
}

/// A bounded, sorted, de-duplicated list of entries.
///
/// Entries are boxed: the B-tree's nodes are then small and dense, which matters with a hundred
/// thousand messages in memory.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    entries: BTreeMap<SortKey, Box<Entry>>,
    by_id: HashMap<i64, SortKey>,
    by_local: HashMap<u64, SortKey>,
    /// Entries that quote a message, by the quoted message's id.
    quoting: HashMap<i64, Vec<SortKey>>,
    /// Entries holding a forward whose preview is fetched, by the forward's id.
    forwarding: HashMap<String, Vec<SortKey>>,
    capacity: usize,
    next_version: u64,
    /// See [`Timeline::edits`].
    edits: u64,
    /// The entries whose message shows a picture (see [`Timeline::pictured_near`]).
    pictured: BTreeSet<SortKey>,
}

/// Where every timeline's edit marks come from: one counter, so that two timelines (a chat
/// dropped and opened again) never share a mark.
static EDITS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Changes whenever a chat is made, or a chat's activity turns from none to some or back:
/// while it holds, no chat has started or stopped being listed for its activity, so the
/// sidebar's kept rows need not count every chat to know (see `sidebar::memo_holds`). One
/// counter for every state: another state's chats only make the sidebar check again.
static LISTINGS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn listings_changed() {
    LISTINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// The mark [`LISTINGS`] is at.
pub fn listings() -> u64 {
    LISTINGS.load(std::sync::atomic::Ordering::Relaxed)
}

fn next_edit() -> u64 {
    EDITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// What a message shows that lives outside it: the id it quotes (as `MessageChain::reply_to`),
/// forwards without inline content. One pass: this runs for every message stored and dropped.
fn shown_from_elsewhere(m: &MessageItem) -> (Option<i64>, Vec<&str>) {
    let mut quoted = None;
    let mut forwards = Vec::new();
    for s in m.chain.segments() {
        match s {
            Segment::Reply { .. } if quoted.is_none() => quoted = s.reply_id(),
            Segment::Forward {
                id, content: None, ..
            } if !id.is_empty() => forwards.push(id.as_str()),
            _ => {}
        }
    }
    (quoted, forwards)
}

/// Drops `key` from the list under `k`, and the list once empty.
fn unlist<K, Q>(map: &mut HashMap<K, Vec<SortKey>>, k: &Q, key: SortKey)
where
    K: Borrow<Q> + Hash + Eq,
    Q: Hash + Eq + ?Sized,
{
    if let Some(list) = map.get_mut(k) {
        list.retain(|x| *x != key);
        if list.is_empty() {
            map.remove(k);
        }
    }
}

impl Timeline {
    /// An empty timeline holding at most `capacity` entries (oldest dropped first).
    pub fn new(capacity: usize) -> Self {
        Timeline {
            capacity: capacity.max(16),
            edits: next_edit(),
            ..Default::default()
        }
    }

    /// A mark that changes whenever the timeline changes other than by entries added after its
    /// newest or its oldest leaving for room: an entry changed, was removed, or arrived before
    /// the newest. While it holds, what was laid out for the entries stands (the timeline pane
    /// then lays out only the new ones).
    pub fn edits(&self) -> u64 {
        self.edits
    }

    /// The newest entry's key (the entry itself is not read).
    pub fn last_key(&self) -> Option<SortKey> {
        self.entries.keys().next_back().copied()
    }

    /// The oldest entry's key (the entry itself is not read).
    pub fn first_key(&self) -> Option<SortKey> {
        self.entries.keys().next().copied()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Entries oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Entry> {
        self.entries.values().map(|e| &**e)
    }
    /// Entries strictly before `key`, newest first.
    pub fn before(&self, key: SortKey) -> impl Iterator<Item = &Entry> {
        self.entries.range(..key).rev().map(|(_, e)| &**e)
    }
    /// Entries strictly after `key`, oldest first.
    pub fn after(&self, key: SortKey) -> impl Iterator<Item = &Entry> {
        use std::ops::Bound::{Excluded, Unbounded};
        self.entries
            .range((Excluded(key), Unbounded))
            .map(|(_, e)| &**e)
    }
    /// Entries from `first` to `last` (both included), oldest first: one descent of the tree,
    /// then a walk (cheaper than a lookup per key for the rows on screen).
    pub fn between(&self, first: SortKey, last: SortKey) -> impl Iterator<Item = &Entry> {
        let range = (first <= last).then_some(first..=last);
        range
            .into_iter()
            .flat_map(|r| self.entries.range(r))
            .map(|(_, e)| &**e)
    }
    /// The entry at `key`.
    pub fn get(&self, key: SortKey) -> Option<&Entry> {
        self.entries.get(&key).map(|e| &**e)
    }
    /// The newest entry.
    pub fn last(&self) -> Option<&Entry> {
        self.entries.values().next_back().map(|e| &**e)
    }
    /// The oldest entry.
    pub fn first(&self) -> Option<&Entry> {
        self.entries.values().next().map(|e| &**e)
    }
    /// The key of the message with this server id.
    pub fn key_of(&self, id: i64) -> Option<SortKey> {
        self.by_id.get(&id).copied()
    }
    /// The message with this server id.
    pub fn message(&self, id: i64) -> Option<&MessageItem> {
        self.by_id
            .get(&id)
            .and_then(|k| self.entries.get(k))
            .and_then(|e| e.message())
    }
    /// True when a notice line with this text is shown at this time (a stored line read back
    /// is not shown twice).
    pub fn has_notice(&self, time: i64, text: &str) -> bool {
        let from = SortKey {
            time,
            seq: 0,
            arrival: 0,
        };
        let to = SortKey {
            time: time.saturating_add(1),
            seq: 0,
            arrival: 0,
        };
        self.entries.range(from..to).any(|(_, e)| match &e.kind {
            EntryKind::Notice(n) => n.text == text,
            EntryKind::Message(_) => false,
        })
    }
    /// The newest message with a server id, and its time.
    pub fn newest_message(&self) -> Option<(i64, i64)> {
        self.entries
            .values()
            .rev()
            .find_map(|e| Some((e.message()?.id?, e.key.time)))
    }
    /// The oldest message with a server id, and its time.
    pub fn oldest_message(&self) -> Option<(i64, i64)> {
        self.entries
            .values()
            .find_map(|e| Some((e.message()?.id?, e.key.time)))
    }
    /// Drops every entry.
    pub fn clear(&mut self) {
        // Versions keep counting: a layout cached for an old entry is never taken for a new one.
        let (capacity, version) = (self.capacity, self.next_version);
        *self = Timeline::new(capacity);
        self.next_version = version;
    }
    /// The key of the local send with this id.
    pub fn key_of_local(&self, local: u64) -> Option<SortKey> {
        self.by_local.get(&local).copied()
    }
    /// The oldest message id (the anchor for loading older history).
    pub fn oldest_message_id(&self) -> Option<i64> {
        self.entries
            .values()
            .find_map(|e| e.message().and_then(|m| m.id))
    }

    fn bump(&mut self) -> u64 {
        self.next_version += 1;
        self.next_version
    }

    /// Bumps the versions of the entries at `keys`.
    fn touch(
        entries: &mut BTreeMap<SortKey, Box<Entry>>,
        (next, edits): (&mut u64, &mut u64),
        keys: &[SortKey],
    ) {
        for k in keys {
            if let Some(e) = entries.get_mut(k) {
                *next += 1;
                e.version = *next;
                *edits = next_edit();
            }
        }
    }

    /// Marks the entries at `keys` as changed (a picture they show arrived or failed).
    pub fn touch_keys(&mut self, keys: &[SortKey]) {
        Self::touch(
            &mut self.entries,
            (&mut self.next_version, &mut self.edits),
            keys,
        );
    }

    /// Marks the entries quoting message `id` as changed: the quoted message arrived, changed,
    /// left, or its fetched copy did.
    pub fn touch_quoting(&mut self, id: i64) {
        // Most timelines quote nothing: skip hashing then (this runs per message stored).
        if self.quoting.is_empty() {
            return;
        }
        if let Some(keys) = self.quoting.get(&id) {
            Self::touch(
                &mut self.entries,
                (&mut self.next_version, &mut self.edits),
                keys,
            );
        }
    }

    /// Marks the entries holding forward `id` as changed (its preview arrived or failed).
    pub fn touch_forwarding(&mut self, id: &str) {
        if self.forwarding.is_empty() {
            return;
        }
        if let Some(keys) = self.forwarding.get(id) {
            Self::touch(
                &mut self.entries,
                (&mut self.next_version, &mut self.edits),
                keys,
            );
        }
    }

    /// True when an entry from `near` entries before `first` to `near` after `last` shows a
    /// picture: a frame asks for the pictures there only then (most windows have none).
    pub fn pictured_near(&self, first: SortKey, last: SortKey, near: usize) -> bool {
        use std::ops::Bound::{Excluded, Unbounded};
        if self.pictured.is_empty() || first > last {
            return false;
        }
        // Walked by key: the entries themselves are not read.
        let from = self.entries.range(..first).rev().take(near).last();
        let to = self
            .entries
            .range((Excluded(last), Unbounded))
            .take(near)
            .last();
        let (from, to) = (
            from.map_or(first, |(k, _)| *k),
            to.map_or(last, |(k, _)| *k),
        );
        self.pictured.range(from..=to).next().is_some()
    }

    /// Notes what a new message shows from elsewhere, and redraws the entries quoting it.
    fn index(&mut self, key: SortKey, m: &MessageItem) {
        // Every picture segment, loadable or not (`pictures::pictures_of` keeps those it can
        // name): what is asked for is among these.
        if m.chain
            .segments()
            .iter()
            .any(|s| matches!(s, Segment::Image(_)))
        {
            self.pictured.insert(key);
        }
        let (quoted, forwards) = shown_from_elsewhere(m);
        if let Some(q) = quoted {
            self.quoting.entry(q).or_default().push(key);
        }
        for f in forwards {
            self.forwarding.entry(f.to_string()).or_default().push(key);
        }
        if let Some(id) = m.id {
            self.touch_quoting(id);
        }
    }

    /// Inserts an entry; a message whose id is already present is not inserted twice.
    /// Returns true when something new was added.
    pub fn insert(&mut self, key: SortKey, kind: EntryKind) -> bool {
        if let EntryKind::Message(m) = &kind {
            if let Some(id) = m.id
                && self.by_id.contains_key(&id)
            {
                return false;
            }
            if let Some(id) = m.id {
                self.by_id.insert(id, key);
            }
            if let Some(l) = m.local_id {
                self.by_local.insert(l, key);
            }
            self.index(key, m);
        }
        let version = self.bump();
        if self.last_key().is_some_and(|last| key <= last) {
            self.edits = next_edit();
        }
        self.entries
            .insert(key, Box::new(Entry { key, kind, version }));
        while self.entries.len() > self.capacity {
            if let Some((_, e)) = self.entries.pop_first() {
                self.forget(&e);
            }
        }
        true
    }

    fn forget(&mut self, e: &Entry) {
        self.pictured.remove(&e.key);
        if let EntryKind::Message(m) = &e.kind {
            if let Some(id) = m.id {
                self.by_id.remove(&id);
                // Replies to it now show the fetched copy, or fetch one.
                self.touch_quoting(id);
            }
            if let Some(l) = m.local_id {
                self.by_local.remove(&l);
            }
            let (quoted, forwards) = shown_from_elsewhere(m);
            if let Some(q) = quoted {
                unlist(&mut self.quoting, &q, e.key);
            }
            for f in forwards {
                unlist(&mut self.forwarding, f, e.key);
            }
        }
    }

    /// Changes the message at `key` in place (bumping its version, and those of the entries
    /// quoting it). The change may not touch the message's chain.
    pub fn update_message(&mut self, key: SortKey, f: impl FnOnce(&mut MessageItem)) -> bool {
        let version = self.bump();
        let Some(e) = self.entries.get_mut(&key) else {
            return false;
        };
        let EntryKind::Message(m) = &mut e.kind else {
            return false;
        };
        let old_id = m.id;
        f(m);
        let new_id = m.id;
        e.version = version;
        self.edits = next_edit();
        if old_id != new_id {
            if let Some(o) = old_id {
                self.by_id.remove(&o);
                self.touch_quoting(o);
            }
            if let Some(n) = new_id {
                self.by_id.insert(n, key);
            }
        }
        if let Some(n) = new_id {
            self.touch_quoting(n);
        }
        true
    }

    /// Lets `f` change notice lines in place; those it reports changed get a new version.
    pub fn update_notices(&mut self, mut f: impl FnMut(&mut NoticeItem) -> bool) {
        for e in self.entries.values_mut() {
            if let EntryKind::Notice(n) = &mut e.kind
                && f(n)
            {
                self.next_version += 1;
                e.version = self.next_version;
                self.edits = next_edit();
            }
        }
    }

    /// Changes the message with server id `id` in place.
    pub fn update_by_id(&mut self, id: i64, f: impl FnOnce(&mut MessageItem)) -> bool {
        match self.key_of(id) {
            Some(k) => self.update_message(k, f),
            None => false,
        }
    }

    /// Removes the entry at `key`.
    pub fn remove(&mut self, key: SortKey) -> Option<Entry> {
        let e = self.entries.remove(&key)?;
        self.edits = next_edit();
        self.forget(&e);
        Some(*e)
    }
}

/// Where history loading stands for a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HistoryState {
    /// Nothing requested yet.
    #[default]
    NotLoaded,
    /// A page is on its way.
    Loading,
    /// Idle; older pages may exist.
    Idle,
    /// The server returned no older messages.
    Exhausted,
    /// The last request failed (shown; scrolling up retries).
    Failed,
}

/// Which history page to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The newest messages (opening a chat, catching up after a reconnect).
    Latest,
    /// The messages before the oldest one loaded.
    Older,
}

/// The scroll position of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scroll {
    /// Follow the newest entry.
    #[default]
    Bottom,
    /// The entry at `key` is the bottom one shown, `skip` of its rows hidden below the pane.
    Anchored { key: SortKey, skip: u16 },
}

/// What was unread when the chat was opened: what "the first unread message" means there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UnreadAtOpen {
    /// Messages from others that had not been read.
    pub count: u32,
    /// How many of them mention you.
    pub mentions: u32,
    /// Messages from others that came in while the chat was open: newer than the unread ones.
    pub seen_live: u32,
    /// The jump to the first unread was taken: its banner goes.
    pub jumped: bool,
}

/// A message the timeline pages back through history to reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seek {
    /// The oldest of the messages unread when the chat was opened.
    FirstUnread,
    /// The oldest of those that mention you.
    FirstMention,
    /// The message with this server id (a quoted one).
    Message(i64),
}

/// A seek under way: what, and how many older pages it has asked for so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeking {
    pub target: Seek,
    pub pages: u32,
}

/// Where a sought message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Loaded, at this entry.
    At(SortKey),
    /// Older than what is loaded; older pages may hold it.
    NotLoaded,
    /// Not there at all (nothing unread, or the history ended without it).
    Nowhere,
}

/// One conversation.
#[derive(Debug, Clone)]
pub struct Chat {
    pub peer: Peer,
    pub timeline: Timeline,
    pub unread: u32,
    /// Unread messages that mention you (or @all).
    pub mentions: u32,
    /// Time of the last activity (for sorting recent chats; 0: none, not listed). Set through
    /// `note_activity`/`set_last_activity`, which keep [`listings`] right.
    last_activity: i64,
    /// The newest entry you have seen; the "new messages" line is drawn after it.
    pub read_marker: Option<SortKey>,
    pub history: HistoryState,
    pub scroll: Scroll,
    /// Entries that arrived while scrolled up ("N new ↓").
    pub new_below: u32,
    /// The selected entry in the timeline (message actions act on it).
    pub selected: Option<SortKey>,
    /// Its newest stored rows have been asked for (once per run).
    pub from_store: bool,
    /// The store has nothing older than the oldest loaded message: older pages come from
    /// NapCat.
    pub store_done: bool,
    /// A page of the store is on its way.
    pub store_reading: bool,
    /// The loaded messages end before the newest (a search hit opened far back): scrolling
    /// down reads on from the store.
    pub detached: bool,
    /// Catching up with NapCat's history (pages on their way).
    pub catch_up: Option<CatchUp>,
    /// Messages marked for forwarding (Space in the timeline), oldest first.
    pub marked: BTreeSet<SortKey>,
    /// For a temporary session (临时会话, a private chat with someone who is not a friend): the
    /// group it comes through, which replies must name.
    pub temp_group: Option<i64>,
    /// While open: what was unread when it was opened (None when nothing was).
    pub unread_at_open: Option<UnreadAtOpen>,
    /// A message being paged back to.
    pub seeking: Option<Seeking>,
}

impl Chat {
    /// A new, empty chat.
    pub fn new(peer: Peer, capacity: usize) -> Self {
        // A new chat may be listed at once (the open one is, with no activity).
        listings_changed();
        Chat {
            peer,
            timeline: Timeline::new(capacity),
            unread: 0,
            mentions: 0,
            last_activity: 0,
            read_marker: None,
            history: HistoryState::NotLoaded,
            scroll: Scroll::Bottom,
            new_below: 0,
            selected: None,
            from_store: false,
            store_done: false,
            store_reading: false,
            detached: false,
            catch_up: None,
            marked: BTreeSet::new(),
            temp_group: None,
            unread_at_open: None,
            seeking: None,
        }
    }

    /// Time of the last activity (0: none).
    pub fn last_activity(&self) -> i64 {
        self.last_activity
    }

    /// Activity at `t`: the last activity becomes `t` if that is later.
    pub fn note_activity(&mut self, t: i64) {
        self.set_last_activity(self.last_activity.max(t));
    }

    /// Sets the last activity (0: none).
    pub fn set_last_activity(&mut self, t: i64) {
        if (self.last_activity > 0) != (t > 0) {
            listings_changed();
        }
        self.last_activity = t;
    }

    /// Whether older history pages may still hold messages.
    fn may_have_older(&self) -> bool {
        self.history != HistoryState::Exhausted
    }

    /// The keys of messages from others (not `me`, not own), newest first, each with whether
    /// it counts among the unread at open: those `seen_live` newest came in while the chat was
    /// open and do not.
    fn others_newest_first(
        &self,
        me: i64,
        seen_live: u32,
    ) -> impl Iterator<Item = (SortKey, bool)> {
        self.timeline
            .iter()
            .rev()
            .filter(move |e| e.message().is_some_and(|m| !m.own && m.sender_id != me))
            .enumerate()
            .map(move |(i, e)| (e.key, i >= seen_live as usize))
    }

    /// The oldest of the messages from others that were unread when the chat was opened; `me`
    /// is the account (whose own messages are never unread).
    pub fn first_unread(&self, me: i64) -> Found {
        let Some(u) = self.unread_at_open.filter(|u| u.count > 0) else {
            return Found::Nowhere;
        };
        let unread = self
            .others_newest_first(me, u.seen_live)
            .filter(|(_, counted)| *counted)
            .take(u.count as usize);
        let (mut n, mut oldest) = (0, None);
        for (key, _) in unread {
            n += 1;
            oldest = Some(key);
        }
        match oldest {
            Some(k) if n == u.count => Found::At(k),
            _ if self.may_have_older() => Found::NotLoaded,
            // The history ended first (a count the server no longer backs): its oldest message.
            Some(k) => Found::At(k),
            None => Found::Nowhere,
        }
    }

    /// Whether the first unread message (see [`Chat::first_unread`]) lies above `top`, the
    /// pane's top entry, or is not loaded yet: what the "↑ N 条新消息" banner asks each frame.
    /// It walks back only to `top` where it can: the entries from there on are older, so
    /// once older history may still come (or a counted message is below `top`) the answer is
    /// known, however many messages came in while the chat was open.
    pub fn unread_above(&self, me: i64, top: Option<SortKey>) -> bool {
        let Some(u) = self.unread_at_open.filter(|u| u.count > 0) else {
            return false;
        };
        let Some(top) = top else {
            return self.first_unread(me) == Found::NotLoaded;
        };
        let mut n = 0;
        for (key, counted) in self.others_newest_first(me, u.seen_live) {
            // Everything from here on is older than the pane's top: found below it, or not
            // loaded, either way above.
            if key < top && (counted || self.may_have_older()) {
                return true;
            }
            if counted {
                n += 1;
                if n == u.count {
                    return key < top;
                }
            }
        }
        // Not all found, none below the top: above only if older history may hold them.
        self.may_have_older()
    }

    /// The first message from the first unread on that mentions `me` (or everyone).
    pub fn first_unread_mention(&self, me: i64) -> Found {
        match self.first_unread(me) {
            Found::At(k) => self.mention_from(me, k, true),
            other => other,
        }
    }

    /// The first message after `from` (or at it, when `inclusive`) that mentions `me`.
    pub fn mention_from(&self, me: i64, from: SortKey, inclusive: bool) -> Found {
        let at = self.timeline.get(from).filter(|_| inclusive);
        at.into_iter()
            .chain(self.timeline.after(from))
            .find(|e| {
                e.message()
                    .is_some_and(|m| !m.own && m.chain.mentions(me, true))
            })
            .map_or(Found::Nowhere, |e| Found::At(e.key))
    }

    /// Where the message with server id `id` is.
    pub fn find_message(&self, id: i64) -> Found {
        match self.timeline.key_of(id) {
            Some(k) => Found::At(k),
            None if self.may_have_older() => Found::NotLoaded,
            None => Found::Nowhere,
        }
    }

    /// Where what `seek` looks for is.
    pub fn locate(&self, seek: Seek, me: i64) -> Found {
        match seek {
            Seek::FirstUnread => self.first_unread(me),
            Seek::FirstMention => self.first_unread_mention(me),
            Seek::Message(id) => self.find_message(id),
        }
    }

    /// Back to following the newest entry: nothing selected, scrolled to the bottom, nothing
    /// new below.
    pub fn follow_bottom(&mut self) {
        self.selected = None;
        self.scroll = Scroll::Bottom;
        self.new_below = 0;
    }

    /// Marks or unmarks the message at `key` for forwarding (its rows show the mark); true when
    /// it is marked now. Only messages the server has given an id can be marked.
    pub fn toggle_mark(&mut self, key: SortKey) -> bool {
        let sendable = self
            .timeline
            .get(key)
            .and_then(Entry::message)
            .is_some_and(|m| m.id.is_some() && m.recalled_by.is_none());
        let marked = if self.marked.remove(&key) {
            false
        } else if sendable {
            self.marked.insert(key)
        } else {
            return false;
        };
        // Bump the entry: its rows show the mark.
        self.timeline.update_message(key, |_| {});
        marked
    }

    /// Unmarks every marked message; true when there were some.
    pub fn clear_marks(&mut self) -> bool {
        let keys = std::mem::take(&mut self.marked);
        for k in &keys {
            self.timeline.update_message(*k, |_| {});
        }
        !keys.is_empty()
    }

    /// The call for a history page of `count` messages, with the chat marked as loading; None
    /// for an older page when no loaded message has an id to page back from.
    pub fn request_page(&mut self, page: Page, count: u32) -> Option<Call> {
        let anchor = match page {
            Page::Latest => None,
            Page::Older => Some(self.timeline.oldest_message_id()?),
        };
        self.history = HistoryState::Loading;
        Some(
            History {
                peer: self.peer,
                anchor,
                count,
            }
            .into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: i64) -> EntryKind {
        EntryKind::Message(MessageItem {
            id: Some(id),
            local_id: None,
            sender_id: 1,
            sender_name: "a".into(),
            role: None,
            own: false,
            chain: MessageChain::new().text("x"),
            delivery: Delivery::Sent,
            recalled_by: None,
            reactions: vec![],
            essence: false,
            bad_time: None,
        })
    }

    fn key(time: i64, arrival: u64) -> SortKey {
        SortKey {
            time,
            seq: 0,
            arrival,
        }
    }

    /// `unread_above` answers what the banner asked `first_unread` for, over timelines of
    /// others' and own messages, with any number seen live, history exhausted or not, and the
    /// pane's top anywhere.
    #[test]
    fn unread_above_agrees_with_first_unread_wherever_the_pane_is() {
        const ME: i64 = 7;
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut answers = [0; 2];
        for case in 0..400 {
            let mut chat = Chat::new(Peer::Group(1), 256);
            let len = 1 + next(40) as i64;
            let mut keys = Vec::new();
            for i in 0..len {
                let mut kind = msg(i + 1);
                if let EntryKind::Message(m) = &mut kind {
                    match next(4) {
                        0 => m.own = true,
                        1 => m.sender_id = ME,
                        _ => {}
                    }
                }
                chat.timeline.insert(key(i, i as u64), kind);
                keys.push(key(i, i as u64));
            }
            chat.history = if next(2) == 0 {
                HistoryState::Exhausted
            } else {
                HistoryState::Idle
            };
            chat.unread_at_open = Some(UnreadAtOpen {
                count: next(12) as u32,
                seen_live: next(30) as u32,
                ..Default::default()
            });
            let top = match next(len as u64 + 1) as usize {
                i if i < keys.len() => Some(keys[i]),
                _ => None,
            };
            let expected = match chat.first_unread(ME) {
                Found::At(k) => top.is_some_and(|t| k < t),
                Found::NotLoaded => true,
                Found::Nowhere => false,
            };
            assert_eq!(
                chat.unread_above(ME, top),
                expected,
                "case {case}: {:?}, top {top:?}, {:?}",
                chat.unread_at_open,
                chat.history
            );
            answers[usize::from(expected)] += 1;
        }
        // Both answers came up often, so both ways through were taken.
        assert!(answers.iter().all(|n| *n > 50), "{answers:?}");
    }

    #[test]
    fn pictures_are_found_near_a_window_until_their_entry_leaves() {
        let mut t = Timeline::new(16);
        for i in 1..=10 {
            t.insert(key(i, i as u64), msg(i));
        }
        let mut pic = msg(11);
        if let EntryKind::Message(m) = &mut pic {
            m.chain = MessageChain::new().image("8A2F0C.png");
        }
        // A picture in entry 4, between the texts.
        t.remove(key(4, 4));
        t.insert(key(4, 4), pic);
        assert!(t.pictured_near(key(4, 4), key(4, 4), 0));
        assert!(
            t.pictured_near(key(6, 6), key(8, 8), 2),
            "two entries before"
        );
        assert!(
            !t.pictured_near(key(6, 6), key(8, 8), 1),
            "one entry before"
        );
        assert!(
            t.pictured_near(key(1, 1), key(2, 2), 2),
            "two entries after"
        );
        assert!(!t.pictured_near(key(1, 1), key(2, 2), 1));
        t.remove(key(4, 4));
        assert!(!t.pictured_near(key(1, 1), key(10, 10), 10));
    }

    #[test]
    fn dedupes_by_id_and_sorts_by_time() {
        let mut t = Timeline::new(100);
        assert!(t.insert(key(20, 1), msg(2)));
        assert!(t.insert(key(10, 2), msg(1)));
        assert!(!t.insert(key(30, 3), msg(2)), "same id twice");
        let ids: Vec<i64> = t.iter().filter_map(|e| e.message()?.id).collect();
        assert_eq!(ids, vec![1, 2]);
        assert_eq!(t.oldest_message_id(), Some(1));
    }

    #[test]
    fn between_walks_a_run_of_entries_both_ends_included() {
        let mut t = Timeline::new(100);
        for i in 1..=5 {
            t.insert(key(i * 10, i as u64), msg(i));
        }
        let ids = |it: &mut dyn Iterator<Item = &Entry>| -> Vec<i64> {
            it.filter_map(|e| e.message()?.id).collect()
        };
        assert_eq!(ids(&mut t.between(key(20, 2), key(40, 4))), vec![2, 3, 4]);
        assert_eq!(ids(&mut t.between(key(30, 3), key(30, 3))), vec![3]);
        // Ends turned round: nothing (no panic).
        assert!(ids(&mut t.between(key(40, 4), key(20, 2))).is_empty());
    }

    #[test]
    fn bounded_drops_oldest_and_forgets_their_ids() {
        let mut t = Timeline::new(16);
        for i in 0..20 {
            t.insert(key(i, i as u64), msg(i));
        }
        assert_eq!(t.len(), 16);
        assert!(t.message(0).is_none());
        assert!(t.message(19).is_some());
        // A dropped id may come back (e.g. from history) and is accepted again.
        assert!(t.insert(key(0, 99), msg(0)));
    }

    #[test]
    fn an_older_page_is_asked_from_the_oldest_message() {
        let mut c = Chat::new(Peer::Group(9), 100);
        assert_eq!(
            c.request_page(Page::Older, 30),
            None,
            "nothing to page back from"
        );
        assert_eq!(c.history, HistoryState::NotLoaded);
        c.timeline.insert(key(20, 1), msg(7));
        c.timeline.insert(key(10, 2), msg(3));
        let call = c.request_page(Page::Older, 30);
        assert_eq!(
            call,
            Some(
                History {
                    peer: Peer::Group(9),
                    anchor: Some(3),
                    count: 30
                }
                .into()
            )
        );
        assert_eq!(c.history, HistoryState::Loading);
        let latest = c.request_page(Page::Latest, 30);
        assert!(matches!(
            latest,
            Some(Call::History(History { anchor: None, .. }))
        ));
    }

    #[test]
    fn update_bumps_version_and_reindexes() {
        let mut t = Timeline::new(16);
        t.insert(key(1, 1), msg(5));
        let v0 = t.get(key(1, 1)).unwrap().version;
        t.update_message(key(1, 1), |m| m.id = Some(6));
        assert!(t.get(key(1, 1)).unwrap().version > v0);
        assert!(t.message(5).is_none());
        assert!(t.message(6).is_some());
    }

    fn reply(id: i64, to: i64) -> EntryKind {
        let EntryKind::Message(mut m) = msg(id) else {
            unreachable!()
        };
        m.chain = MessageChain::new().reply(to).text("回复");
        EntryKind::Message(m)
    }

    #[test]
    fn the_quoted_message_arriving_changing_or_leaving_bumps_its_replies() {
        let mut t = Timeline::new(16);
        t.insert(key(5, 1), reply(2, 1));
        t.insert(key(6, 2), msg(3));
        let version = |t: &Timeline, k| t.get(k).map(|e| e.version);
        let (r0, other0) = (version(&t, key(5, 1)), version(&t, key(6, 2)));
        // The quoted message comes in with older history.
        t.insert(key(1, 3), msg(1));
        let r1 = version(&t, key(5, 1));
        assert!(r1 > r0, "arrival");
        // It is recalled.
        t.update_by_id(1, |m| m.recalled_by = Some(9));
        let r2 = version(&t, key(5, 1));
        assert!(r2 > r1, "recall");
        // It leaves the timeline.
        t.remove(key(1, 3));
        assert!(version(&t, key(5, 1)) > r2, "removal");
        assert_eq!(
            version(&t, key(6, 2)),
            other0,
            "unrelated entries keep theirs"
        );
    }

    #[test]
    fn forwards_and_quotes_are_touched_by_id_and_forgotten_with_their_entry() {
        let mut t = Timeline::new(16);
        let EntryKind::Message(mut m) = msg(1) else {
            unreachable!()
        };
        m.chain = MessageChain(vec![Segment::Forward {
            id: "fw".into(),
            content: None,
            extra: Default::default(),
        }]);
        t.insert(key(1, 1), EntryKind::Message(m));
        t.insert(key(2, 2), reply(2, 77));
        let v = |t: &Timeline, k| t.get(k).map(|e| e.version).unwrap_or(0);
        let (f0, r0) = (v(&t, key(1, 1)), v(&t, key(2, 2)));
        t.touch_forwarding("fw");
        t.touch_quoting(77);
        assert!(v(&t, key(1, 1)) > f0 && v(&t, key(2, 2)) > r0);
        t.remove(key(1, 1));
        t.remove(key(2, 2));
        assert!(t.forwarding.is_empty() && t.quoting.is_empty());
    }
}
