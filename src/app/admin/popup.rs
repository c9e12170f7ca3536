//! The administration popups' state: mute presets, profile, essence / notice / mute lists,
//! information sheets, the requests inbox, the typed leave confirmation.

use crate::onebot::types::{EssenceMessage, GroupNotice, ShutListEntry};

use super::super::call::members::ProfileData;
use super::super::inbox::InboxView;

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
    pub scroll: u16,
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

/// A popup of the administration features.
#[derive(Debug, Clone, PartialEq)]
pub enum AdminPopup {
    Mute(MutePicker),
    Profile(ProfileCard),
    Essences(EssenceList),
    /// The list, and the index of a notice waiting for its delete confirmation.
    Notices(NoticeList, Option<usize>),
    Mutes(MuteList),
    Sheet(Sheet),
    Inbox(InboxView),
    Leave(LeaveConfirm),
}
