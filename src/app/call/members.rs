//! Calls on group members: mute, kick, card, title, admin, profile, poke, like. Plain data:
//! what each result does is in `admin::members`.

use crate::onebot::types::{GroupMember, StrangerInfo};

/// `set_group_ban`: mutes for `duration` seconds; 0 lifts the mute.
#[derive(Debug, Clone, PartialEq)]
pub struct Ban {
    pub group: i64,
    pub user: i64,
    pub duration: i64,
}

/// `set_group_kick`; `block` refuses the member's future join requests.
#[derive(Debug, Clone, PartialEq)]
pub struct Kick {
    pub group: i64,
    pub user: i64,
    pub block: bool,
}

/// `set_group_kick_members`: several members in one call.
#[derive(Debug, Clone, PartialEq)]
pub struct KickMany {
    pub group: i64,
    pub users: Vec<i64>,
    pub block: bool,
}

/// `set_group_card`; "" clears the card.
#[derive(Debug, Clone, PartialEq)]
pub struct SetCard {
    pub group: i64,
    pub user: i64,
    pub card: String,
}

/// `set_group_special_title`; "" removes the title.
#[derive(Debug, Clone, PartialEq)]
pub struct SetTitle {
    pub group: i64,
    pub user: i64,
    pub title: String,
}

/// `set_group_admin`.
#[derive(Debug, Clone, PartialEq)]
pub struct SetAdmin {
    pub group: i64,
    pub user: i64,
    pub enable: bool,
}

/// `get_group_member_info` and `get_stranger_info`, for the profile popup.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The group to read the membership from; None for anyone outside a group (a friend).
    pub group: Option<i64>,
    pub user: i64,
}

/// What the profile popup shows: the member as the group knows them, the person as QQ does.
/// Either half may be missing when its call failed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfileData {
    pub member: Option<GroupMember>,
    pub stranger: Option<StrangerInfo>,
}

/// `send_poke`, in a group or (without `group`) privately.
#[derive(Debug, Clone, PartialEq)]
pub struct Poke {
    pub group: Option<i64>,
    pub user: i64,
}

/// `send_like`.
#[derive(Debug, Clone, PartialEq)]
pub struct Like {
    pub user: i64,
    pub times: u32,
}
