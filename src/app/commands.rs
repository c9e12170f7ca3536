//! Slash commands (`/open 技术群`), typed in the composer or after `:` in any other pane.

use crate::onebot::{Peer, faces};

use super::action::Pane;
use super::effect::Effect;
use super::lifecycle::{close_chat, open_chat};
use super::state::{FacePicker, Popup, State};
use super::{member_list, reply_to};

/// A command: its name, argument syntax and what it does (for /help and the help overlay).
pub struct CommandInfo {
    pub name: &'static str,
    pub usage: &'static str,
    pub desc: &'static str,
}

/// Every command.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "open",
        usage: "<名字|号码|g:群号|u:QQ号>",
        desc: "打开会话 (模糊匹配)",
    },
    CommandInfo {
        name: "close",
        usage: "",
        desc: "关闭当前会话",
    },
    CommandInfo {
        name: "search",
        usage: "<文字>",
        desc: "在当前会话中搜索 (n/N 上一个/下一个)",
    },
    CommandInfo {
        name: "reply",
        usage: "",
        desc: "回复选中的消息",
    },
    CommandInfo {
        name: "face",
        usage: "[名字|编号]",
        desc: "插入表情 (不带参数打开表情面板)",
    },
    CommandInfo {
        name: "members",
        usage: "",
        desc: "显示或隐藏群成员列表",
    },
    CommandInfo {
        name: "readall",
        usage: "",
        desc: "所有会话标为已读",
    },
    CommandInfo {
        name: "ban",
        usage: "<@名字|QQ>… [10m|2h|1d|秒数]",
        desc: "禁言 (不写时长则选择预设)",
    },
    CommandInfo {
        name: "unban",
        usage: "<@名字|QQ>…",
        desc: "解除禁言",
    },
    CommandInfo {
        name: "kick",
        usage: "<@名字|QQ>… [--block]",
        desc: "移出群聊 (--block 拒绝再次加群)",
    },
    CommandInfo {
        name: "card",
        usage: "<@名字|QQ> [名片]",
        desc: "设置群名片 (留空清除)",
    },
    CommandInfo {
        name: "title",
        usage: "<@名字|QQ> [头衔]",
        desc: "设置专属头衔 (仅群主; 留空取消)",
    },
    CommandInfo {
        name: "admin",
        usage: "<@名字|QQ> on|off",
        desc: "设置或取消管理员 (仅群主)",
    },
    CommandInfo {
        name: "profile",
        usage: "[@名字|QQ]",
        desc: "成员资料",
    },
    CommandInfo {
        name: "poke",
        usage: "[@名字|QQ]",
        desc: "戳一戳",
    },
    CommandInfo {
        name: "like",
        usage: "<@名字|QQ> [次数]",
        desc: "给资料卡点赞",
    },
    CommandInfo {
        name: "recall",
        usage: "",
        desc: "撤回选中的消息 (管理员可撤回他人消息)",
    },
    CommandInfo {
        name: "essence",
        usage: "",
        desc: "将选中的消息设为精华",
    },
    CommandInfo {
        name: "unessence",
        usage: "",
        desc: "取消选中消息的精华",
    },
    CommandInfo {
        name: "essences",
        usage: "",
        desc: "精华消息列表 (Enter 跳转)",
    },
    CommandInfo {
        name: "muteall",
        usage: "on|off",
        desc: "开启或关闭全员禁言",
    },
    CommandInfo {
        name: "rename",
        usage: "<群名>",
        desc: "修改群名",
    },
    CommandInfo {
        name: "avatar",
        usage: "<图片路径>",
        desc: "设置群头像",
    },
    CommandInfo {
        name: "notices",
        usage: "",
        desc: "群公告列表 (d 删除)",
    },
    CommandInfo {
        name: "notice",
        usage: "[--pin] [--confirm] [--image 路径] <内容>",
        desc: "发布群公告",
    },
    CommandInfo {
        name: "mutes",
        usage: "",
        desc: "禁言列表 (u 解除禁言)",
    },
    CommandInfo {
        name: "info",
        usage: "",
        desc: "群资料",
    },
    CommandInfo {
        name: "honors",
        usage: "",
        desc: "群荣誉",
    },
    CommandInfo {
        name: "atall",
        usage: "",
        desc: "今天还能 @全体成员 几次",
    },
    CommandInfo {
        name: "sign",
        usage: "",
        desc: "群签到",
    },
    CommandInfo {
        name: "leave",
        usage: "",
        desc: "退出群聊 (群主: 解散; 需输入群名确认)",
    },
    CommandInfo {
        name: "requests",
        usage: "",
        desc: "请求收件箱 (好友申请、加群申请、邀请)",
    },
    CommandInfo {
        name: "accept",
        usage: "[n] [备注]",
        desc: "同意最新 (或第 n 个) 请求",
    },
    CommandInfo {
        name: "reject",
        usage: "[n] [理由]",
        desc: "拒绝最新 (或第 n 个) 请求",
    },
    CommandInfo {
        name: "help",
        usage: "",
        desc: "显示帮助",
    },
    CommandInfo {
        name: "quit",
        usage: "",
        desc: "退出",
    },
];

/// Runs a command line (without the leading `/`). An error is a one-line explanation.
pub fn run(state: &mut State, line: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let line = line.trim();
    let (name, args) = match line.split_once(char::is_whitespace) {
        Some((n, a)) => (n, a.trim()),
        None => (line, ""),
    };
    let no_args = |what: &str| {
        if args.is_empty() {
            Ok(())
        } else {
            Err(format!("/{what} 不需要参数"))
        }
    };
    match name {
        "open" | "o" | "query" | "j" => {
            if args.is_empty() {
                return Err("用法: /open <名字|号码|g:群号|u:QQ号>".into());
            }
            let peer = resolve_chat(state, args)?;
            open_chat(state, peer, fx);
            state.focus = Pane::Composer;
            Ok(())
        }
        "close" => {
            no_args("close")?;
            close_chat(state);
            Ok(())
        }
        "search" | "s" => super::timeline_nav::search_start(state, args),
        "reply" | "r" => {
            no_args("reply")?;
            if state.selected_message().is_none() {
                return Err("先在消息列表里选中一条消息 (Esc 然后 ↑)".into());
            }
            reply_to::start(state);
            Ok(())
        }
        "face" | "f" => {
            if args.is_empty() {
                state.popup = Some(Popup::Faces(FacePicker::default()));
                return Ok(());
            }
            let face = args
                .parse::<i64>()
                .ok()
                .and_then(faces::by_id)
                .or_else(|| faces::by_name(args.trim_matches(['[', ']'])))
                .ok_or_else(|| format!("没有叫「{args}」的表情 (/face 打开表情面板)"))?;
            state.composer.insert_face(face.id);
            state.focus = Pane::Composer;
            Ok(())
        }
        "members" | "m" => {
            no_args("members")?;
            if !matches!(state.open, Some(Peer::Group(_))) {
                return Err("成员列表只在群聊中可用".into());
            }
            member_list::toggle_pane(state, fx);
            Ok(())
        }
        "readall" => {
            no_args("readall")?;
            fx.push(Effect::call(super::call::MarkAllRead));
            Ok(())
        }
        "help" | "h" | "?" => {
            state.popup = Some(Popup::Help { scroll: 0 });
            Ok(())
        }
        "quit" | "q" | "exit" => {
            state.quit = true;
            Ok(())
        }
        "" => Err("输入命令名，例如 /open 或 /help".into()),
        other => super::admin::commands::run(state, other, args, fx).unwrap_or_else(|| {
            Err(format!(
                "未知命令 /{other} (输入 /help 查看全部命令; // 开头发送普通斜杠)"
            ))
        }),
    }
}

/// Resolves `/open`'s argument: `g:<id>`, `u:<id>`, a number, or a fuzzy name.
pub fn resolve_chat(state: &State, arg: &str) -> Result<Peer, String> {
    let arg = arg.trim();
    let num = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| format!("「{s}」不是号码"))
    };
    if let Some(g) = arg.strip_prefix("g:") {
        return Ok(Peer::Group(num(g)?));
    }
    if let Some(u) = arg.strip_prefix("u:") {
        return Ok(Peer::Private(num(u)?));
    }
    if let Ok(n) = arg.parse::<i64>() {
        if state.contacts.groups.contains_key(&n) {
            return Ok(Peer::Group(n));
        }
        if state.contacts.friends.contains_key(&n) || state.chats.contains_key(&Peer::Private(n)) {
            return Ok(Peer::Private(n));
        }
        if state.chats.contains_key(&Peer::Group(n)) {
            return Ok(Peer::Group(n));
        }
    }
    super::sidebar::find(state, arg)
        .into_iter()
        .next()
        .ok_or_else(|| format!("没有找到「{arg}」(用 g:群号 或 u:QQ号 直接打开)"))
}
