//! Actions on the open group: mute all, rename, avatar, notices, the mute list, information,
//! honors, the @all quota, sign-in, and leaving (or dismissing) with a typed confirmation.

use crate::onebot::{Peer, Role};

use super::super::call::{
    AtAllRemain, Avatar, DeleteNotice, Leave, MuteAll, PostNotice, Rename, Sign,
};
use super::super::effect::Effect;
use super::super::popup::{self, Confirm, LeaveConfirm, Popup, SheetKind};
use super::super::state::State;
use super::roles::{my_role, require_admin};

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
