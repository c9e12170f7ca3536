//! What every popup holds: the state the UI draws and the call results fill in. Plain data in
//! the core (`State` holds the open popup); what each popup does with its keys, its field and
//! its requests is its `impl PopupState` in `src/app/popup/<name>.rs`, a feature.

use crate::onebot::types::{EmojiLikeUser, EssenceMessage, GroupNotice, ShutListEntry};
use crate::onebot::{MessageEvent, Peer};

use super::super::call::members::ProfileData;
use super::super::effect::Effect;
use crate::store::Hit;

/// The help overlay and how far it is scrolled (the drawing knows how long it is, and stops).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HelpView {
    pub scroll: u16,
}

/// The face picker: what is typed, and the face under the cursor.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FacePicker {
    pub query: String,
    pub selected: usize,
}

/// A confirmation dialog: what will happen, and what to do on yes.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    /// Exactly what will happen.
    pub body: String,
    pub on_yes: Vec<Effect>,
}

/// The mute duration picker.
#[derive(Debug, Clone, PartialEq)]
pub struct MutePicker {
    pub group: i64,
    pub targets: Vec<i64>,
    /// Index into the presets; one past them is "自定义…".
    pub selected: usize,
    /// The custom duration being typed, once "自定义…" was chosen.
    pub custom: Option<String>,
    /// Why the typed duration was not accepted.
    pub error: Option<String>,
}

/// The profile popup of one member.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileCard {
    /// The group whose member this is; None for a friend's profile (a private chat).
    pub group: Option<i64>,
    pub user: i64,
    /// Fetched details (the popup shows the loaded member list's entry meanwhile).
    pub data: Option<Box<ProfileData>>,
    pub error: Option<String>,
}

/// The group's essence messages.
#[derive(Debug, Clone, PartialEq)]
pub struct EssenceList {
    pub group: i64,
    pub items: Load<Vec<EssenceMessage>>,
    pub selected: usize,
}

/// The group's notices.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeList {
    pub group: i64,
    pub items: Load<Vec<GroupNotice>>,
    pub selected: usize,
    /// The index of a notice waiting for its delete confirmation.
    pub pending: Option<usize>,
}

/// The group's muted members.
#[derive(Debug, Clone, PartialEq)]
pub struct MuteList {
    pub group: i64,
    pub items: Load<Vec<ShutListEntry>>,
    pub selected: usize,
}

/// Which sheet of facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    /// `/info`: get_group_info + get_group_info_ex.
    Info,
    /// `/honors`: get_group_honor_info.
    Honors,
}

/// A popup of label / value rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub group: i64,
    pub kind: SheetKind,
    pub rows: Load<Vec<(String, String)>>,
    /// The first row shown.
    pub scroll: usize,
}

/// The inbox popup: the selection, and the reason or remark being typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InboxView {
    pub selected: usize,
    pub input: Option<InboxInput>,
}

/// A reason (rejecting) or remark (accepting a friend) being typed for one request.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxInput {
    pub flag: String,
    pub approve: bool,
    pub text: String,
}

/// Leaving (or, for the owner, dismissing) a group: the name or number must be typed.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaveConfirm {
    pub group: i64,
    pub name: String,
    pub dismiss: bool,
    pub typed: String,
    pub error: Option<String>,
}

/// Where a link in the link picker leads.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// A web URL, opened or copied as it is.
    Url(String),
    /// A group file that came without a URL: its link is asked of the server first.
    GroupFile {
        group: i64,
        file_id: String,
        name: String,
    },
}

/// One numbered row of the link picker.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkEntry {
    pub target: LinkTarget,
    /// Who sent the message it came from (raw; the UI sanitises it).
    pub sender: String,
    pub sender_id: i64,
}

/// The link picker (Ctrl+O, /links): the links and attachments of the visible messages,
/// numbered from 1, top to bottom.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinkPicker {
    pub items: Vec<LinkEntry>,
    pub selected: usize,
    /// Digits typed so far, while a longer number could still follow (more than 9 links).
    pub typed: String,
}

/// `/find`: the query being typed, and the hits of the one last run (grouped by chat, the chat
/// with the newest hit first, newest first within a chat).
#[derive(Debug, Clone, PartialEq)]
pub struct FindView {
    pub query: String,
    /// `/search` in a chat: only that chat.
    pub scope: Option<Peer>,
    /// The query whose hits are shown (or on their way).
    pub asked: String,
    pub hits: Load<Vec<Hit>>,
    pub selected: usize,
}

/// The merged-forward viewer (聊天记录): the forwards opened, outermost first; the last one is
/// shown, the others are the breadcrumb Esc goes back along.
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardView {
    pub levels: Vec<ForwardLevel>,
    /// The search being typed after `/`, while its field is open.
    pub search: Option<String>,
    /// The last search, for the next match.
    pub query: String,
    /// A short word for the footer: no match, copied.
    pub note: Option<String>,
}

/// One opened forward in the viewer.
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardLevel {
    /// The `forward` segment's id (what `get_forward_msg` takes).
    pub id: String,
    /// The breadcrumb's label: who sent the message holding it.
    pub label: String,
    /// Its messages (nodes): inline, fetched, or why they could not be had.
    pub nodes: Load<Vec<MessageEvent>>,
    /// The node under the cursor.
    pub selected: usize,
}

/// The reaction picker (`+`): what is typed, the choice under the cursor, and the message.
#[derive(Debug, Clone, PartialEq)]
pub struct ReactionPicker {
    pub peer: Peer,
    pub id: i64,
    pub query: String,
    pub selected: usize,
}

/// Who reacted to a message with what (`/reactions`).
#[derive(Debug, Clone, PartialEq)]
pub struct ReactionList {
    pub peer: Peer,
    pub id: i64,
    /// One row per emoji, in the message's order.
    pub rows: Load<Vec<ReactionRow>>,
    /// The first line shown.
    pub scroll: usize,
}

/// One emoji of a [`ReactionList`] and everybody who reacted with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReactionRow {
    pub emoji: String,
    pub count: i64,
    pub who: Load<Vec<EmojiLikeUser>>,
}

/// Something fetched for a popup.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    /// The call failed: NapCat's reason.
    Failed(String),
}

impl<T> Load<T> {
    /// The value, once it is there.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(t) => Some(t),
            _ => None,
        }
    }
}

impl<T> Load<Vec<T>> {
    /// How many rows have come (none while loading or after a failure).
    pub fn count(&self) -> usize {
        self.ready().map_or(0, Vec::len)
    }
}

/// The picture viewer: the pictures of the open chat, oldest first, and the one shown.
#[derive(Debug, Clone, PartialEq)]
pub struct PictureViewer {
    pub items: Vec<ViewerItem>,
    pub index: usize,
}

/// One picture the viewer steps through.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewerItem {
    pub key: crate::app::pictures::PicKey,
    pub url: Option<String>,
    pub file: String,
    pub message_id: Option<i64>,
    /// Who sent it, for the title.
    pub sender: String,
}
