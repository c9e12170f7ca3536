//! Slash commands (`/open 技术群`), typed in the composer or after `:` in any other pane.

use crate::onebot::{Peer, faces};

use super::action::{Action, Pane};
use super::effect::{Call, Effect};
use super::state::{FacePicker, Popup, State};
use super::update::{close_chat, open_chat, run_action};

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
            if super::update::selected_message(state).is_none() {
                return Err("先在消息列表里选中一条消息 (Esc 然后 ↑)".into());
            }
            run_action(state, Action::Reply, fx);
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
            run_action(state, Action::ToggleMembers, fx);
            Ok(())
        }
        "readall" => {
            no_args("readall")?;
            fx.push(Effect::Call(Call::MarkAllRead));
            Ok(())
        }
        "help" | "h" | "?" => {
            state.popup = Some(Popup::Help { scroll: 0 });
            Ok(())
        }
        "quit" | "q" | "exit" => {
            state.quit = true;
            fx.push(Effect::Quit);
            Ok(())
        }
        "" => Err("输入命令名，例如 /open 或 /help".into()),
        other => Err(format!(
            "未知命令 /{other} (输入 /help 查看全部命令; // 开头发送普通斜杠)"
        )),
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
