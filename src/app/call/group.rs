//! Calls on a whole group: mute-all, name, avatar, notices, the mute list, information sheets,
//! @全体成员 left, sign-in, leaving. Plain data: what each result does is in `admin::group`.

use crate::onebot::types::GroupInfo;

/// `set_group_whole_ban`.
#[derive(Debug, Clone, PartialEq)]
pub struct MuteAll {
    pub group: i64,
    pub enable: bool,
}

/// `set_group_name`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rename {
    pub group: i64,
    pub name: String,
}

/// `set_group_portrait`; `file` is a local path (the runtime reads it and sends base64, as
/// NapCat may run on another machine) or a URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Avatar {
    pub group: i64,
    pub file: String,
}

/// `_get_group_notice`, for the notice list.
#[derive(Debug, Clone, PartialEq)]
pub struct Notices {
    pub group: i64,
}

/// `_send_group_notice`; `image` as for [`Avatar`].
#[derive(Debug, Clone, PartialEq)]
pub struct PostNotice {
    pub group: i64,
    pub text: String,
    pub image: Option<String>,
    pub pinned: bool,
    pub confirm: bool,
}

/// `_del_group_notice`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteNotice {
    pub group: i64,
    pub notice_id: String,
}

/// `get_group_shut_list`, for the mute list.
#[derive(Debug, Clone, PartialEq)]
pub struct ShutList {
    pub group: i64,
}

/// `get_group_info` and `get_group_info_ex`, for the `/info` sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupDetails {
    pub group: i64,
}

/// `get_group_info`, with `get_group_info_ex`'s raw object when the server has it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFacts {
    pub info: Box<GroupInfo>,
    pub extra: Option<serde_json::Value>,
}

/// `get_group_honor_info`, for the `/honors` sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Honors {
    pub group: i64,
}

/// `get_group_at_all_remain`, answered in the status line.
#[derive(Debug, Clone, PartialEq)]
pub struct AtAllRemain {
    pub group: i64,
}

/// `set_group_sign`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sign {
    pub group: i64,
}

/// `set_group_leave`; `dismiss` when the account owns the group.
#[derive(Debug, Clone, PartialEq)]
pub struct Leave {
    pub group: i64,
    pub dismiss: bool,
}
