//! Actions on the open group: mute all, rename, avatar, notices, the mute list, information,
//! honors, the @all quota, sign-in, and leaving (or dismissing) with a typed confirmation — and
//! what their results do.

use crate::onebot::types::{self, GroupHonorInfo, GroupNotice, ShutListEntry};
use crate::onebot::{Error, Peer, Role};

use super::super::call::group::GroupFacts;
use super::super::call::reply::Request;
use super::super::call::{
    AtAllRemain, Avatar, DeleteNotice, GroupDetails, Honors, Leave, MuteAll, Notices, PostNotice,
    Rename, ShutList, Sign,
};
use super::super::effect::Effect;
use super::super::popup::{self, Confirm, LeaveConfirm, Load, Popup, SheetKind};
use super::super::state::State;
use super::super::text::short_reason;
use super::audit::{AuditLine, on_off, quoted};
use super::roles::{my_role, require_admin};
use super::sheets;

/// The open chat's group, or why there is none.
pub fn open_group(state: &State) -> Result<i64, String> {
    match state.open {
        Some(Peer::Group(g)) => Ok(g),
        _ => Err("先打开一个群聊".into()),
    }
}

fn group_name(state: &State, g: i64) -> String {
    state.contacts.chat_name(Peer::Group(g))
}

/// `/muteall on|off`, after a confirmation.
pub fn mute_all(state: &mut State, enable: bool, fx: &mut Vec<Effect>) -> Result<(), String> {
    let g = open_group(state)?;
    let me = my_role(state, g, fx)?;
    require_admin(me, "设置全员禁言")?;
    let name = group_name(state, g);
    let (title, body) = if enable {
        (
            "开启全员禁言",
            format!("开启群「{name}」的全员禁言：除群主和管理员外，所有人都不能发言。"),
        )
    } else {
        (
            "关闭全员禁言",
            format!("关闭群「{name}」的全员禁言：所有人恢复发言。"),
        )
    };
    state.popup = Some(Popup::Confirm(Confirm {
        title: title.into(),
        body,
        on_yes: vec![Effect::call(MuteAll { group: g, enable })],
    }));
    Ok(())
}

/// `/rename <name>`.
pub fn rename(state: &mut State, name: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let g = open_group(state)?;
    let name = name.trim();
    if name.is_empty() {
        return Err("用法: /rename <新群名>".into());
    }
    let me = my_role(state, g, fx)?;
    require_admin(me, "修改群名")?;
    fx.push(Effect::call(Rename {
        group: g,
        name: name.to_string(),
    }));
    Ok(())
}

/// `/avatar <path>`: the runtime reads the file.
pub fn avatar(state: &mut State, path: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let g = open_group(state)?;
    let path = path.trim();
    if path.is_empty() {
        return Err("用法: /avatar <图片路径>".into());
    }
    let me = my_role(state, g, fx)?;
    require_admin(me, "设置群头像")?;
    fx.push(Effect::call(Avatar {
        group: g,
        file: path.to_string(),
    }));
    state.info("正在上传群头像…");
    Ok(())
}

/// `/notices`: the list popup (fetched now).
pub fn notices(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let g = open_group(state)?;
    popup::notices::open(state, g, fx);
    Ok(())
}

/// `delete` on a notice: yours you may always delete, someone else's as an admin.
pub fn may_delete_notice(
    state: &mut State,
    group: i64,
    author: i64,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    if author == state.self_id {
        return Ok(());
    }
    let me = my_role(state, group, fx)?;
    require_admin(me, "删除别人的公告")
}

/// Deletes a notice (once its deletion was confirmed).
pub fn delete_notice(group: i64, notice_id: &str, fx: &mut Vec<Effect>) {
    fx.push(Effect::call(DeleteNotice {
        group,
        notice_id: notice_id.to_string(),
    }));
}

/// What `/notice` was given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NoticeArgs {
    pub text: String,
    pub image: Option<String>,
    pub pinned: bool,
    pub confirm: bool,
}

/// Reads `[--pin] [--confirm] [--image <path>] <text>` (options first, in any order).
pub fn parse_notice(args: &str) -> Result<NoticeArgs, String> {
    let mut out = NoticeArgs::default();
    let mut rest = args.trim_start();
    while rest.starts_with("--") {
        let (opt, tail) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        match opt {
            "--pin" => out.pinned = true,
            "--confirm" => out.confirm = true,
            "--image" => {
                let tail = tail.trim_start();
                let (path, after) = tail.split_once(char::is_whitespace).unwrap_or((tail, ""));
                if path.is_empty() {
                    return Err("--image 后面要写图片路径".into());
                }
                out.image = Some(path.to_string());
                rest = after.trim_start();
                continue;
            }
            "--" => {
                rest = tail.trim_start();
                break;
            }
            other => {
                return Err(format!(
                    "不认识的选项 {other} (可用 --pin、--confirm、--image <路径>)"
                ));
            }
        }
        rest = tail.trim_start();
    }
    out.text = rest.trim_end().to_string();
    if out.text.is_empty() {
        return Err("用法: /notice [--pin] [--confirm] [--image <路径>] <公告内容>".into());
    }
    Ok(out)
}

/// `/notice …`: posts a notice.
pub fn post_notice(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let g = open_group(state)?;
    let n = parse_notice(args)?;
    let me = my_role(state, g, fx)?;
    require_admin(me, "发布群公告")?;
    fx.push(Effect::call(PostNotice {
        group: g,
        text: n.text,
        image: n.image,
        pinned: n.pinned,
        confirm: n.confirm,
    }));
    state.info("正在发布群公告…");
    Ok(())
}

/// `/mutes`: the muted members with their remaining time.
pub fn mutes(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let g = open_group(state)?;
    popup::mutes::open(state, g, fx);
    Ok(())
}

/// `/info` and `/honors`: a sheet popup filled when the answer comes.
pub fn sheet(state: &mut State, kind: SheetKind, fx: &mut Vec<Effect>) -> Result<(), String> {
    let g = open_group(state)?;
    popup::sheet::open(state, g, kind, fx);
    Ok(())
}

/// `/atall`: how many @全体成员 are left today (answered in the status line).
pub fn at_all(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let g = open_group(state)?;
    fx.push(Effect::call(AtAllRemain { group: g }));
    Ok(())
}

/// `/sign`: the daily group sign-in.
pub fn sign(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let g = open_group(state)?;
    fx.push(Effect::call(Sign { group: g }));
    Ok(())
}

/// `/leave`: asks to type the group's name or number; the owner dismisses the group instead.
pub fn leave(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let g = open_group(state)?;
    let me = my_role(state, g, fx)?;
    let name = state
        .contacts
        .groups
        .get(&g)
        .map(|e| e.name.clone())
        .unwrap_or_default();
    state.popup = Some(Popup::Leave(LeaveConfirm {
        group: g,
        name,
        dismiss: me == Role::Owner,
        typed: String::new(),
        error: None,
    }));
    Ok(())
}

// What the calls' results do (see `call::reply::Request`).

/// Re-fetches the notices when their list is open.
fn refresh_notices(state: &State, group: i64, fx: &mut Vec<Effect>) {
    if let Some(Popup::Notices(l)) = state.popup.as_ref()
        && l.group == group
    {
        fx.push(Effect::call(Notices { group }));
    }
}

/// Fills the open sheet of this kind for this group.
fn set_sheet(state: &mut State, group: i64, kind: SheetKind, rows: Load<Vec<(String, String)>>) {
    if let Some(Popup::Sheet(s)) = state.popup.as_mut()
        && s.group == group
        && s.kind == kind
    {
        s.rows = rows;
    }
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

impl Request for Notices {
    type Output = Vec<GroupNotice>;

    fn describe(&self) -> &'static str {
        "获取群公告"
    }

    fn done(self, state: &mut State, list: Vec<GroupNotice>, _fx: &mut Vec<Effect>) {
        if let Some(Popup::Notices(l)) = state.popup.as_mut()
            && l.group == self.group
        {
            l.selected = l.selected.min(list.len().saturating_sub(1));
            l.items = Load::Ready(list);
        }
    }

    /// The list shows the reason.
    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        if let Some(Popup::Notices(l)) = state.popup.as_mut()
            && l.group == self.group
        {
            l.items = Load::Failed(short_reason(&e));
        }
    }
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

impl Request for ShutList {
    type Output = Vec<ShutListEntry>;

    fn describe(&self) -> &'static str {
        "获取禁言列表"
    }

    fn done(self, state: &mut State, mut list: Vec<ShutListEntry>, _fx: &mut Vec<Effect>) {
        let now = state.now;
        if let Some(Popup::Mutes(l)) = state.popup.as_mut()
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
        if let Some(Popup::Mutes(l)) = state.popup.as_mut()
            && l.group == self.group
        {
            l.items = Load::Failed(short_reason(&e));
        }
    }
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

/// Leaves (or, as the owner, dismisses) the group, once its name or number was typed.
pub fn leave_now(state: &mut State, group: i64, dismiss: bool, fx: &mut Vec<Effect>) {
    fx.push(Effect::call(Leave { group, dismiss }));
    state.info(if dismiss {
        "正在解散群聊…"
    } else {
        "正在退出群聊…"
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_options_come_before_the_text() {
        let n = parse_notice("--pin --image ~/a.png  周六 10 点  团建").unwrap();
        assert!(n.pinned && !n.confirm);
        assert_eq!(n.image.as_deref(), Some("~/a.png"));
        assert_eq!(n.text, "周六 10 点  团建");
        let n = parse_notice("--confirm -- --pin 是正文").unwrap();
        assert!(n.confirm && !n.pinned);
        assert_eq!(n.text, "--pin 是正文");
        assert!(parse_notice("--pin").is_err());
        assert!(parse_notice("--loud 你好").unwrap_err().contains("--loud"));
        assert!(parse_notice("--image").is_err());
    }
}
