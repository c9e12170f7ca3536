//! The whole application state. `update` changes it; `ui` only reads it.

use std::collections::{BTreeSet, HashMap, HashSet};

use crossterm::event::KeyEvent;

use crate::onebot::{ConnState, MessageChain, Peer};

use super::action::Pane;
use super::chat::{Chat, MessageItem, Scroll, SortKey};
use super::composer::Composer;
use super::contacts::{Contacts, Member};
use super::drafts::{Drafts, Session, Unsent};
use super::inbox::Inbox;
use super::keymap::Keymap;
use super::loads::Loads;
use super::pictures::Pictures;
use super::popup::Popup;
use super::store_state::LocalStore;

/// UI-relevant settings (from the config file).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Entries kept per chat; older ones are dropped.
    pub timeline_capacity: usize,
    /// Messages per history page.
    pub history_page: u32,
    /// Show the sidebar at start (it hides itself on narrow terminals anyway).
    pub sidebar: bool,
    /// Sidebar width in columns on wide terminals.
    pub sidebar_width: u16,
    /// How many recent chats to ask for at start.
    pub recent_count: u32,
    /// Keep a local history (the runtime offers a store).
    pub history: bool,
    /// Recalled messages keep their text, dimmed (else only that they were recalled shows).
    pub show_recalled: bool,
    /// Tell a friend you are typing (`[privacy] send_typing`).
    pub send_typing: bool,
    /// The URL connected to, as messages show it (no query string: it may hold the token).
    pub server_url: String,
    /// `[notify] highlight`: words and regexes that count as a mention.
    pub highlights: super::notify::Highlights,
    /// `[images] mode`: pictures drawn inline or as their `[图片]` line.
    pub picture_mode: super::pictures::Mode,
    /// `[images] max_rows`: the tallest an inline picture is drawn.
    pub picture_rows: u16,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeline_capacity: 5000,
            history_page: 30,
            sidebar: true,
            sidebar_width: 26,
            recent_count: 30,
            history: false,
            show_recalled: false,
            send_typing: true,
            server_url: String::new(),
            highlights: super::notify::Highlights::default(),
            picture_mode: super::pictures::Mode::Inline,
            picture_rows: 10,
        }
    }
}

/// The sidebar's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SidebarTab {
    /// 会话: recent chats by last activity.
    #[default]
    Recent,
    /// 好友: friends by category.
    Friends,
    /// 群聊: groups.
    Groups,
}

impl SidebarTab {
    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            SidebarTab::Recent => "会话",
            SidebarTab::Friends => "好友",
            SidebarTab::Groups => "群聊",
        }
    }
    /// All tabs in order.
    pub const ALL: [SidebarTab; 3] = [SidebarTab::Recent, SidebarTab::Friends, SidebarTab::Groups];
}

/// Sidebar state.
#[derive(Debug, Clone, Default)]
pub struct Sidebar {
    pub tab: SidebarTab,
    /// Typed filter (fuzzy over name, remark, card, number, pinyin initials).
    pub filter: String,
    /// Index into the selectable rows, used when `selected_peer` is not among them.
    pub selected: usize,
    /// The chat under the cursor: the selection follows it when the list reorders (new
    /// messages move chats up the 会话 list).
    pub selected_peer: Option<Peer>,
    /// The user's choice; narrow terminals hide it regardless.
    pub visible: bool,
    /// What each chat is found by when filtering, made once per chat and its names.
    pub candidates: super::fuzzy::CandidateCache<Peer>,
}

/// Member pane state.
#[derive(Debug, Clone, Default)]
pub struct MembersPane {
    pub visible: bool,
    pub selected: usize,
    /// Members marked for a bulk action.
    pub marked: HashSet<i64>,
}

/// An in-chat search.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    pub peer: Peer,
    pub query: String,
    /// The current match.
    pub current: Option<SortKey>,
}

/// The status line's message: one model for every outcome. One message at a time, the newest
/// wins: a success said after an error replaces it. An error stays until something newer is
/// said (or the command line it answers is edited); a confirmation fades after a few seconds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    message: Option<(Tone, String)>,
    /// Unix time after which a confirmation is cleared (0: nothing to clear).
    pub until: i64,
}

/// What kind of outcome the status line says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// A failed action: stays until something newer is said.
    Error,
    /// A short confirmation ("已复制"): fades.
    Info,
}

/// How long a confirmation stays, in seconds.
const INFO_SECS: i64 = 4;

impl Status {
    /// The error shown, if the newest message is one.
    pub fn error(&self) -> Option<&str> {
        match &self.message {
            Some((Tone::Error, t)) => Some(t),
            _ => None,
        }
    }

    /// The confirmation shown, if the newest message is one.
    pub fn info(&self) -> Option<&str> {
        match &self.message {
            Some((Tone::Info, t)) => Some(t),
            _ => None,
        }
    }

    /// The message shown, with its kind.
    pub fn message(&self) -> Option<(Tone, &str)> {
        self.message.as_ref().map(|(k, t)| (*k, t.as_str()))
    }

    /// Says `text`, replacing whatever was said before.
    pub fn say(&mut self, tone: Tone, text: String, now: i64) {
        self.until = match tone {
            Tone::Error => 0,
            Tone::Info => now + INFO_SECS,
        };
        self.message = Some((tone, text));
    }

    /// Drops the error shown (what it answered is being redone).
    pub fn clear_error(&mut self) {
        if self.error().is_some() {
            self.message = None;
        }
    }

    /// Drops the confirmation shown (what it announced is over).
    pub fn clear_info(&mut self) {
        if self.info().is_some() {
            self.message = None;
            self.until = 0;
        }
    }

    /// The clock moved on: a confirmation whose time is up is cleared.
    pub fn expire(&mut self, now: i64) {
        if self.until != 0 && now >= self.until {
            self.message = None;
            self.until = 0;
        }
    }
}

/// What the last frame showed, reported back by the UI so keys and clicks can refer to it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    /// The timeline pane (inner area) and which entry each of its rows shows.
    pub timeline_area: ratatui::layout::Rect,
    pub timeline_rows: Vec<(u16, SortKey)>,
    /// Entries fully or partly visible, top to bottom.
    pub timeline_entries: Vec<SortKey>,
    /// The timeline showed its oldest loaded entry with rows to spare above it.
    pub timeline_room: bool,
    /// The sidebar list area and which selectable index each row shows.
    pub sidebar_area: ratatui::layout::Rect,
    pub sidebar_rows: Vec<(u16, usize)>,
    /// The member list area and which member index each row shows.
    pub members_area: ratatui::layout::Rect,
    pub members_rows: Vec<(u16, usize)>,
    /// Rows the sidebar list can show (for paging).
    pub sidebar_height: u16,
    /// Rows the member list can show.
    pub members_height: u16,
    /// Whether the sidebar and member pane are actually on screen (narrow terminals hide them).
    pub sidebar_shown: bool,
    pub members_shown: bool,
    /// The help overlay as laid out, while it is open.
    pub help: Option<HelpExtent>,
}

/// The help overlay's text as the frame laid it out (its lines wrap with the width).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HelpExtent {
    /// Rows it shows at once.
    pub page: u16,
    /// Rows its whole text takes.
    pub rows: u16,
}

/// What a drawn frame showed, handed back to `update` as `Msg::Frame`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrameReport {
    pub view: View,
    /// The open chat's scroll anchor as drawn (to keep the view stable next frame).
    pub scroll: Option<(Peer, Scroll)>,
}

/// A message in the outbox: what it sends (a picture as its bytes, where the entry shows it by
/// its hash), and the entry showing it (which may be gone, a stretch of the timeline cleared:
/// it is sent all the same).
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub local_id: u64,
    pub message: Unsent,
}

/// The open chat's read marks: when one was last sent, and a chat read since that waits for
/// the next clock tick (`read_marks` sends them).
#[derive(Debug, Clone, Default)]
pub struct ReadMarks {
    /// When (Unix seconds) the last mark was sent.
    pub sent_at: Option<i64>,
    /// A chat read since, not told yet.
    pub due: Option<Peer>,
}

/// Everything the app knows.
#[derive(Debug)]
pub struct State {
    /// Current Unix time in seconds (from `Msg::Clock`).
    pub now: i64,
    pub settings: Settings,
    pub keymap: Keymap,
    pub conn: ConnState,
    /// While reconnecting: the Unix time of the next attempt (the countdown derives from `now`).
    pub reconnect_at: Option<i64>,
    /// Why the last connection attempt failed, until one succeeds.
    pub last_conn_failure: Option<String>,
    /// The chat the last run had open, opened once connected (before that its name is unknown
    /// and it could not load anything).
    pub restore_open: Option<Peer>,
    pub self_id: i64,
    pub self_name: String,
    pub contacts: Contacts,
    /// Keyed by FxHash: the sidebar and the frame look chats up per row, per frame.
    pub chats: rustc_hash::FxHashMap<Peer, Chat>,
    /// The open chat.
    pub open: Option<Peer>,
    pub focus: Pane,
    pub sidebar: Sidebar,
    pub members: MembersPane,
    pub composer: Composer,
    /// Drafts by chat; the open chat's follows the composer.
    pub drafts: Drafts,
    /// Chats set to 免打扰: no bell, no notification, a dim unread count (kept across restarts).
    pub muted: BTreeSet<Peer>,
    /// Chats pinned to the top of 会话, in the order they were pinned (kept across restarts).
    pub pinned: Vec<Peer>,
    pub popup: Option<Popup>,
    /// The `:` command line, when open.
    pub command_line: Option<String>,
    pub search: Option<Search>,
    pub status: Status,
    /// Keys typed so far of a multi-key chord.
    pub pending_keys: Vec<KeyEvent>,
    /// Frames the connection could not use.
    pub bad_frames: u64,
    /// The terminal window has focus (notifications only when it does not, or for other chats).
    pub terminal_focused: bool,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// What pending messages really send when their entry shows something else (a picture
    /// sent as base64 is shown by its hash), by local id: kept until the server takes the
    /// message, so `R` on a failed one sends the bytes again.
    pub unsent: HashMap<u64, std::sync::Arc<MessageChain>>,
    /// Messages written while not connected, by chat and local id, oldest first: they go out
    /// when the connection comes (`outbox::flush`). One sent while connected whose
    /// connection dropped under it fails instead: it may have gone out.
    pub outbox: Vec<Waiting>,
    /// Messages whose pictures are being uploaded (`Effect::UploadPicture`), oldest first: not
    /// sent yet, so kept with the waiting ones in the session (a quit during a long upload
    /// loses nothing; the next start has them waiting).
    pub uploading: Vec<Waiting>,
    /// Counters for local ids and arrival order.
    pub next_local_id: u64,
    pub next_arrival: u64,
    /// Set when the app should exit.
    pub quit: bool,
    /// What the last frame showed.
    pub view: View,
    /// Each chat's `/notify` mode (saved with the session).
    pub notify_modes: super::notify::NotifyModes,
    /// Quoted messages fetched with get_msg (by id), for replies to messages not in memory.
    pub quotes: HashMap<i64, Quote>,
    /// The open chat's read marks told to the server (see `read_marks`).
    pub read_marks: ReadMarks,
    /// Merged forwards fetched with get_forward_msg (by forward id), for their previews.
    pub forwards: HashMap<String, ForwardPreview>,
    /// The unread total last put in the window title.
    pub title_unread: Option<u32>,
    /// Contacts and recent chats have been requested since the connection came up.
    pub loaded: bool,
    /// Private peers currently typing, with the status text and until when.
    pub typing: HashMap<i64, (String, i64)>,
    /// Whom we last told we are typing, and when (Unix seconds): the rate limit.
    pub typing_sent: Option<(i64, i64)>,
    /// Reactions you used, most recent first (the picker lists them first).
    pub recent_reactions: Vec<String>,
    /// Reactions fetched for others' messages (NapCat pushes only those on yours).
    pub reaction_fetch: ReactionFetch,
    /// Saves, uploads and voices in flight, and where saved messages went.
    pub transfers: super::transfer::Transfers,
    /// Friend and group requests waiting for an answer.
    pub inbox: Inbox,
    /// The start-up loads not in yet (asked again after a timeout or a lost connection).
    pub loads: Loads,
    /// The local history: which store is open, the newest stored message per chat.
    pub store: LocalStore,
    /// The pictures messages show: their slots, and the encoded ones near the screen.
    pub pictures: Pictures,
}

/// Reaction lookups for the messages you select: at most one at a time, each message once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReactionFetch {
    /// Messages whose reactions were asked for already.
    pub done: HashSet<i64>,
    /// The message being asked about.
    pub in_flight: Option<i64>,
    /// The message selected meanwhile, asked about once the answer is in.
    pub next: Option<(Peer, i64)>,
}

/// A merged forward's content looked up for its preview.
#[derive(Debug, Clone, PartialEq)]
pub enum ForwardPreview {
    Loading,
    /// The first few messages as (sender, text), and how many there are in all.
    Found {
        lines: Vec<(String, String)>,
        total: usize,
    },
    /// The server could not give it (expired, or not supported).
    Missing,
}

/// A quoted message looked up by id.
#[derive(Debug, Clone, PartialEq)]
pub enum Quote {
    Loading,
    Found {
        author: String,
        excerpt: String,
        /// When it was sent (Unix seconds).
        time: i64,
    },
    /// The server does not have it (recalled or expired from NapCat's cache).
    Missing,
}

impl State {
    /// A fresh state: nothing loaded, composer focused.
    pub fn new(settings: Settings, keymap: Keymap) -> Self {
        let (settings_mode, settings_rows) = (settings.picture_mode, settings.picture_rows);
        State {
            now: 0,
            sidebar: Sidebar {
                visible: settings.sidebar,
                ..Default::default()
            },
            settings,
            keymap,
            conn: ConnState::Connecting { attempt: 1 },
            reconnect_at: None,
            last_conn_failure: None,
            restore_open: None,
            self_id: 0,
            self_name: String::new(),
            contacts: Contacts::default(),
            chats: Default::default(),
            open: None,
            focus: Pane::Composer,
            members: MembersPane::default(),
            composer: Composer::default(),
            drafts: Drafts::default(),
            notify_modes: Default::default(),
            muted: BTreeSet::new(),
            pinned: Vec::new(),
            popup: None,
            command_line: None,
            search: None,
            status: Status::default(),
            pending_keys: Vec::new(),
            bad_frames: 0,
            terminal_focused: true,
            size: (80, 24),
            unsent: HashMap::new(),
            outbox: Vec::new(),
            uploading: Vec::new(),
            next_local_id: 1,
            next_arrival: 1,
            quit: false,
            view: View::default(),
            quotes: HashMap::new(),
            read_marks: Default::default(),
            forwards: HashMap::new(),
            title_unread: None,
            loaded: false,
            typing: HashMap::new(),
            typing_sent: None,
            recent_reactions: Vec::new(),
            reaction_fetch: ReactionFetch::default(),
            transfers: Default::default(),
            inbox: Inbox::default(),
            loads: Loads::default(),
            store: LocalStore::default(),
            pictures: Pictures::new(settings_mode, settings_rows),
        }
    }

    /// The open chat.
    pub fn open_chat(&self) -> Option<&Chat> {
        self.open.and_then(|p| self.chats.get(&p))
    }

    /// The open chat, mutably.
    pub fn open_chat_mut(&mut self) -> Option<&mut Chat> {
        let p = self.open?;
        self.chats.get_mut(&p)
    }

    /// The chat for `peer`, created on first use.
    pub fn chat_mut(&mut self, peer: Peer) -> &mut Chat {
        let cap = self.settings.timeline_capacity;
        self.chats
            .entry(peer)
            .or_insert_with(|| Chat::new(peer, cap))
    }

    /// A fresh arrival number (orders entries that share a time and sequence).
    pub fn arrival(&mut self) -> u64 {
        self.next_arrival += 1;
        self.next_arrival
    }

    /// Shows an error in the status line until something newer is said (`Status`).
    pub fn error(&mut self, msg: impl Into<String>) {
        self.status.say(Tone::Error, msg.into(), self.now);
    }

    /// Shows a short confirmation in the status line, replacing an older error; it fades.
    pub fn info(&mut self, msg: impl Into<String>) {
        self.status.say(Tone::Info, msg.into(), self.now);
    }

    /// Total unread messages (for the window title), leaving out chats set to 免打扰.
    pub fn total_unread(&self) -> u32 {
        self.chats
            .values()
            .filter(|c| !self.muted.contains(&c.peer))
            .map(|c| c.unread)
            .sum()
    }

    /// True when calls can reach the server; loads wanted meanwhile are made on connecting.
    pub fn online(&self) -> bool {
        matches!(self.conn, ConnState::Connected { .. })
    }

    /// Seconds until the next connection attempt, while reconnecting.
    pub fn reconnect_in(&self) -> Option<u64> {
        match self.conn {
            ConnState::Reconnecting { .. } => {
                self.reconnect_at.map(|at| (at - self.now).max(0) as u64)
            }
            _ => None,
        }
    }

    /// The selected message in the open chat.
    pub fn selected_message(&self) -> Option<(Peer, &MessageItem)> {
        let chat = self.open_chat()?;
        let key = chat.selected?;
        chat.timeline.get(key)?.message().map(|m| (chat.peer, m))
    }

    /// The selected member in the member pane.
    pub fn selected_member(&self) -> Option<&Member> {
        let Some(Peer::Group(g)) = self.open else {
            return None;
        };
        self.contacts.members.get(&g)?.nth(self.members.selected)
    }

    /// The name of a user mentioned in `peer`: what the contacts know, your own name for you,
    /// else the name the mention carried (`at` segments may hold one), else the number. Every
    /// place that names a mention — the timeline, notifications, quotes, copies — asks here.
    pub fn mention_name(&self, peer: Peer, user: i64, carried: Option<&str>) -> String {
        self.known_name(peer, user)
            .or_else(|| carried.filter(|n| !n.trim().is_empty()).map(str::to_string))
            .unwrap_or_else(|| user.to_string())
    }

    /// A name known for `user` in `peer` (see [`Contacts::known_name_in`]), yours included.
    pub fn known_name(&self, peer: Peer, user: i64) -> Option<String> {
        self.contacts.known_name_in(peer, user).or_else(|| {
            (user == self.self_id && !self.self_name.trim().is_empty())
                .then(|| self.self_name.clone())
        })
    }

    /// A message as plain text in `peer`, its mentions named (see [`State::mention_name`]).
    pub fn plain_text(&self, peer: Peer, chain: &crate::onebot::MessageChain) -> String {
        chain.plain_text_with(|qq| self.known_name(peer, qq))
    }

    /// What to keep for the next run: the drafts, the open chat, the recent reactions, muted and
    /// pinned chats.
    pub fn session(&self) -> Session {
        Session {
            drafts: self.drafts.clone(),
            // The last run's chat, not opened yet (no connection), is still the one to open.
            open: self.open.or(self.restore_open),
            notify: self.notify_modes.clone(),
            reactions: self.recent_reactions.clone(),
            muted: self.muted.clone(),
            pinned: self.pinned.clone(),
            outbox: {
                let mut all: Vec<&Waiting> = self.outbox.iter().chain(&self.uploading).collect();
                all.sort_by_key(|w| w.local_id);
                all.into_iter().map(|w| w.message.clone()).collect()
            },
            lost: 0,
        }
    }
}
