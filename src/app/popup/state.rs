//! What every popup holds: the state the UI draws and the call results fill in. Plain data in
//! the core (`State` holds the open popup); what each popup does with its keys, its field and
//! its requests is its `impl PopupState` in `src/app/popup/<name>.rs`, a feature.

use crate::onebot::types::{EssenceMessage, GroupNotice, ShutListEntry};

use super::super::call::members::ProfileData;
use super::super::effect::Effect;

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
    pub group: i64,
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
