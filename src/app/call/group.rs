//! Calls on a whole group: mute-all, name, avatar, notices, the mute list, information sheets,
//! @全体成员 left, sign-in, leaving.

use crate::onebot::types::{self, GroupHonorInfo, GroupInfo, GroupNotice, ShutListEntry};
use crate::onebot::{Error, Peer};

use super::super::admin::audit::{AuditLine, on_off, quoted};
use super::super::admin::sheets;
use super::super::effect::Effect;
use super::super::popup::Popup;
use super::super::popup::{Load, SheetKind};
use super::super::state::State;
use super::{Request, admin_popup, admin_popup_mut, short_reason};

/// Re-fetches the notices when their list is open.
fn refresh_notices(state: &State, group: i64, fx: &mut Vec<Effect>) {
    if let Some(Popup::Notices(l)) = admin_popup(state)
        && l.group == group
    {
        fx.push(Effect::call(Notices { group }));
    }
}

/// Fills the open sheet of this kind for this group.
fn set_sheet(state: &mut State, group: i64, kind: SheetKind, rows: Load<Vec<(String, String)>>) {
    if let Some(Popup::Sheet(s)) = admin_popup_mut(state)
        && s.group == group
        && s.kind == kind
    {
        s.rows = rows;
    }
}

/// `set_group_whole_ban`.
#[derive(Debug, Clone, PartialEq)]
pub struct MuteAll {
    pub group: i64,
    pub enable: bool,
}

impl Request for MuteAll {
    type Output = ();

    fn describe(&self) -> &'static str {
        if self.enable {
            "开启全员禁言"
        } else {
            "关闭全员禁言"
        }
    }

    fn audit(&self, _state: &State) -> Option<AuditLine> {
        Some(AuditLine::group(
            self.group,
            format!("muteall {}", on_off(self.enable)),
            "-",
        ))
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        if let Some(g) = state.contacts.groups.get_mut(&self.group) {
            g.all_shut = self.enable;
        }
        state.info(if self.enable {
            "已开启全员禁言"
        } else {
            "已关闭全员禁言"
        });
    }
}

/// `set_group_name`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rename {
    pub group: i64,
    pub name: String,
}

impl Request for Rename {
    type Output = ();

    fn describe(&self) -> &'static str {
        "修改群名"
    }

    fn audit(&self, _state: &State) -> Option<AuditLine> {
        Some(AuditLine::group(
            self.group,
            format!("rename {}", quoted(&self.name)),
            "-",
        ))
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let Rename { group, name } = self;
        if let Some(g) = state.contacts.groups.get_mut(&group) {
            g.name = name.clone();
        }
        state.contacts.touch();
        state.info(format!("群名已改为「{name}」"));
    }
}

/// `set_group_portrait`; `file` is a local path (the runtime reads it and sends base64, as
/// NapCat may run on another machine) or a URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Avatar {
    pub group: i64,
    pub file: String,
}

impl Request for Avatar {
    type Output = ();

    fn describe(&self) -> &'static str {
        "设置群头像"
    }

    fn audit(&self, _state: &State) -> Option<AuditLine> {
        Some(AuditLine::group(self.group, "avatar", self.file.clone()))
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        state.info("群头像已更新");
    }
}

/// `_get_group_notice`, for the notice list.
#[derive(Debug, Clone, PartialEq)]
pub struct Notices {
    pub group: i64,
}

impl Request for Notices {
    type Output = Vec<GroupNotice>;

    fn describe(&self) -> &'static str {
        "获取群公告"
    }

    fn done(self, state: &mut State, list: Vec<GroupNotice>, _fx: &mut Vec<Effect>) {
        if let Some(Popup::Notices(l)) = admin_popup_mut(state)
            && l.group == self.group
        {
            l.selected = l.selected.min(list.len().saturating_sub(1));
            l.items = Load::Ready(list);
        }
    }

    /// The list shows the reason.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        if let Some(Popup::Notices(l)) = admin_popup_mut(state)
            && l.group == self.group
        {
            l.items = Load::Failed(short_reason(&e));
        }
    }
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

impl Request for PostNotice {
    type Output = ();

    fn describe(&self) -> &'static str {
        "发布群公告"
    }

    fn audit(&self, _state: &State) -> Option<AuditLine> {
        Some(AuditLine::group(
            self.group,
            format!("notice {}", quoted(&self.text)),
            "-",
        ))
    }

    fn done(self, state: &mut State, _out: (), fx: &mut Vec<Effect>) {
        refresh_notices(state, self.group, fx);
        state.info("群公告已发布");
    }
}

/// `_del_group_notice`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteNotice {
    pub group: i64,
    pub notice_id: String,
}

impl Request for DeleteNotice {
    type Output = ();

    fn describe(&self) -> &'static str {
        "删除群公告"
    }

    fn audit(&self, _state: &State) -> Option<AuditLine> {
        Some(AuditLine::group(
            self.group,
            "delete-notice",
            self.notice_id.clone(),
        ))
    }

    fn done(self, state: &mut State, _out: (), fx: &mut Vec<Effect>) {
        refresh_notices(state, self.group, fx);
        state.info("已删除群公告");
    }
}

/// `get_group_shut_list`, for the mute list.
#[derive(Debug, Clone, PartialEq)]
pub struct ShutList {
    pub group: i64,
}

impl Request for ShutList {
    type Output = Vec<ShutListEntry>;

    fn describe(&self) -> &'static str {
        "获取禁言列表"
    }

    fn done(self, state: &mut State, mut list: Vec<ShutListEntry>, _fx: &mut Vec<Effect>) {
        let now = state.now;
        if let Some(Popup::Mutes(l)) = admin_popup_mut(state)
            && l.group == self.group
        {
            list.retain(|e| e.mute_remaining(now) > 0);
            list.sort_by_key(|e| e.shut_up_time);
            l.selected = l.selected.min(list.len().saturating_sub(1));
            l.items = Load::Ready(list);
        }
    }

    /// The list shows the reason.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        if let Some(Popup::Mutes(l)) = admin_popup_mut(state)
            && l.group == self.group
        {
            l.items = Load::Failed(short_reason(&e));
        }
    }
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

impl Request for GroupDetails {
    type Output = GroupFacts;

    fn describe(&self) -> &'static str {
        "获取群资料"
    }

    fn done(self, state: &mut State, facts: GroupFacts, _fx: &mut Vec<Effect>) {
        let rows = sheets::info(state, self.group, &facts.info, facts.extra.as_ref());
        set_sheet(state, self.group, SheetKind::Info, Load::Ready(rows));
    }

    /// The sheet shows the reason.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        set_sheet(
            state,
            self.group,
            SheetKind::Info,
            Load::Failed(short_reason(&e)),
        );
    }
}

/// `get_group_honor_info`, for the `/honors` sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Honors {
    pub group: i64,
}

impl Request for Honors {
    type Output = Box<GroupHonorInfo>;

    fn describe(&self) -> &'static str {
        "获取群荣誉"
    }

    fn done(self, state: &mut State, h: Box<GroupHonorInfo>, _fx: &mut Vec<Effect>) {
        set_sheet(
            state,
            self.group,
            SheetKind::Honors,
            Load::Ready(sheets::honors(&h)),
        );
    }

    /// The sheet shows the reason.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        set_sheet(
            state,
            self.group,
            SheetKind::Honors,
            Load::Failed(short_reason(&e)),
        );
    }
}

/// `get_group_at_all_remain`, answered in the status line.
#[derive(Debug, Clone, PartialEq)]
pub struct AtAllRemain {
    pub group: i64,
}

impl Request for AtAllRemain {
    type Output = types::AtAllRemain;

    fn describe(&self) -> &'static str {
        "查询 @全体成员 次数"
    }

    fn done(self, state: &mut State, r: types::AtAllRemain, _fx: &mut Vec<Effect>) {
        if r.can_at_all {
            state.info(format!(
                "今天还可以 @全体成员 {} 次 (本群共剩 {} 次)",
                r.remain_at_all_count_for_uin, r.remain_at_all_count_for_group
            ));
        } else {
            state.info("今天不能再 @全体成员 了");
        }
    }
}

/// `set_group_sign`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sign {
    pub group: i64,
}

impl Request for Sign {
    type Output = ();

    fn describe(&self) -> &'static str {
        "群签到"
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let name = state.contacts.chat_name(Peer::Group(self.group));
        state.info(format!("已在「{name}」签到"));
    }
}

/// `set_group_leave`; `dismiss` when the account owns the group.
#[derive(Debug, Clone, PartialEq)]
pub struct Leave {
    pub group: i64,
    pub dismiss: bool,
}

impl Request for Leave {
    type Output = ();

    fn describe(&self) -> &'static str {
        if self.dismiss {
            "解散群聊"
        } else {
            "退出群聊"
        }
    }

    fn audit(&self, _state: &State) -> Option<AuditLine> {
        let action = if self.dismiss { "dismiss" } else { "leave" };
        Some(AuditLine::group(self.group, action, "-"))
    }

    fn done(self, state: &mut State, _out: (), _fx: &mut Vec<Effect>) {
        let Leave { group, dismiss } = self;
        let name = state.contacts.chat_name(Peer::Group(group));
        if state.open == Some(Peer::Group(group)) {
            super::super::lifecycle::close_chat(state);
        }
        state.chats.remove(&Peer::Group(group));
        state.drafts.remove(Peer::Group(group));
        state.contacts.groups.remove(&group);
        state.contacts.members.remove(&group);
        state.contacts.touch();
        state.info(if dismiss {
            format!("已解散群「{name}」")
        } else {
            format!("已退出群「{name}」")
        });
    }
}
