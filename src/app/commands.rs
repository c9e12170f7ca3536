//! Slash commands (`/open 技术群`), typed in the composer or after `:` in any other pane.
//!
//! [`COMMANDS`] is the one table of them: each row names a command, its aliases, its help text
//! and its handler. Running a command is a lookup in it; /help and the help overlay list it.

use crate::onebot::{Peer, faces};

use super::action::Pane;
use super::admin::commands as admin;
use super::call::MarkAllRead;
use super::effect::Effect;
use super::lifecycle::{close_chat, open_chat};
use super::popup::{self, Confirm, FacePicker, HelpView, Popup};
use super::state::State;
use super::stored::StoreWrite;
use super::{
    chat_prefs, forwarding, member_list, outgoing, reactions, reply_to, saving, sidebar, uploading,
};

/// What a command does, given the state, its arguments (trimmed) and the effects to add to; an
/// error is a one-line explanation for the status line.
pub type Handler = fn(&mut State, &str, &mut Vec<Effect>) -> Result<(), String>;

/// A slash command: its names, its help text and what it does.
pub struct Command {
    /// The name /help shows.
    pub name: &'static str,
    /// Other names that run it (`o` for `open`).
    pub aliases: &'static [&'static str],
    /// Argument syntax, "" when none.
    pub usage: &'static str,
    /// What it does; `{context:action}` marks name keys and are filled from the live keymap
    /// (`Keymap::fill_keys`).
    pub desc: &'static str,
    /// Takes no arguments: any are refused (`/close 不需要参数`) before the handler runs.
    pub no_args: bool,
    /// Does the work.
    pub handler: Handler,
}

impl Command {
    /// Whether `name` runs this command (its name or an alias).
    pub fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.aliases.contains(&name)
    }
}

/// Every command, in the order /help lists them.
pub static COMMANDS: &[Command] = &[
    Command {
        name: "open",
        aliases: &["o", "query", "j"],
        usage: "<名字|号码|g:群号|u:QQ号>",
        desc: "打开会话 (模糊匹配)",
        no_args: false,
        handler: open,
    },
    Command {
        name: "close",
        aliases: &[],
        usage: "",
        desc: "关闭当前会话",
        no_args: true,
        handler: close,
    },
    Command {
        name: "search",
        aliases: &["s"],
        usage: "<文字>",
        desc: "在当前会话中搜索 ({timeline:search_next}/{timeline:search_prev} 上一个/下一个)",
        no_args: false,
        handler: search,
    },
    Command {
        name: "find",
        aliases: &[],
        usage: "<文字> [筛选]",
        desc: "搜索所有会话的本地记录 (可加 in: from: has: 等)",
        no_args: false,
        handler: find_cmd,
    },
    Command {
        name: "forget",
        aliases: &[],
        usage: "[会话]",
        desc: "删除一个会话的本地记录 (先确认; 默认当前会话)",
        no_args: false,
        handler: forget,
    },
    Command {
        name: "reply",
        aliases: &["r"],
        usage: "",
        desc: "回复选中的消息",
        no_args: true,
        handler: reply,
    },
    Command {
        name: "face",
        aliases: &["f"],
        usage: "[名字|编号]",
        desc: "插入表情 (不带参数打开表情面板)",
        no_args: false,
        handler: face,
    },
    Command {
        name: "editor",
        aliases: &["edit"],
        usage: "",
        desc: "在 $VISUAL/$EDITOR 中编辑草稿 ({composer:editor})",
        no_args: true,
        handler: editor,
    },
    Command {
        name: "notify",
        aliases: &[],
        usage: "[all|mentions|none]",
        desc: "本会话何时提醒: 全部/仅@我与高亮词/不提醒",
        no_args: false,
        handler: notify,
    },
    Command {
        name: "links",
        aliases: &["urls"],
        usage: "",
        desc: "屏幕上的链接与附件, 编号打开或复制 ({global:links})",
        no_args: true,
        handler: links,
    },
    Command {
        name: "save",
        aliases: &[],
        usage: "",
        desc: "保存选中消息的附件到下载目录 ({timeline:save}; 不覆盖已有文件)",
        no_args: true,
        handler: saving::command,
    },
    Command {
        name: "upload",
        aliases: &["up"],
        usage: "<本地文件>",
        desc: "上传本地文件到当前会话 (群文件或好友; Tab 补全路径)",
        no_args: false,
        handler: uploading::command,
    },
    Command {
        name: "voice",
        aliases: &[],
        usage: "<本地音频>",
        desc: "把本地音频作为语音消息发送",
        no_args: false,
        handler: uploading::voice_command,
    },
    Command {
        name: "files",
        aliases: &[],
        usage: "",
        desc: "群文件: 浏览、保存、上传、删除 (成员列表 {members:run /files})",
        no_args: true,
        handler: popup::files::command,
    },
    Command {
        name: "cancel",
        aliases: &[],
        usage: "[all]",
        desc: "取消最新的 (或全部) 下载与上传",
        no_args: false,
        handler: saving::cancel_command,
    },
    Command {
        name: "clear",
        aliases: &[],
        usage: "",
        desc: "清空输入框 (连同回复目标; {composer:clear_composer})",
        no_args: true,
        handler: clear,
    },
    Command {
        name: "members",
        aliases: &["m"],
        usage: "",
        desc: "显示或隐藏群成员列表",
        no_args: true,
        handler: members,
    },
    Command {
        name: "pin",
        aliases: &[],
        usage: "",
        desc: "置顶当前会话 ({global:toggle_pin}), 再输入取消",
        no_args: true,
        handler: chat_prefs::pin_command,
    },
    Command {
        name: "quiet",
        aliases: &["dnd"],
        usage: "",
        desc: "免打扰: 不响铃、不通知 ({global:toggle_quiet}), 再输入取消",
        no_args: true,
        handler: chat_prefs::quiet_command,
    },
    Command {
        name: "readall",
        aliases: &[],
        usage: "",
        desc: "所有会话标为已读",
        no_args: true,
        handler: readall,
    },
    Command {
        name: "ban",
        aliases: &["mute"],
        usage: "<@名字|QQ>… [10m|2h|1d|秒数]",
        desc: "禁言 (不写时长则选择预设)",
        no_args: false,
        handler: admin::ban,
    },
    Command {
        name: "unban",
        aliases: &["unmute"],
        usage: "<@名字|QQ>…",
        desc: "解除禁言",
        no_args: false,
        handler: admin::unban,
    },
    Command {
        name: "kick",
        aliases: &[],
        usage: "<@名字|QQ>… [--block]",
        desc: "移出群聊 (--block 拒绝再次加群)",
        no_args: false,
        handler: admin::kick,
    },
    Command {
        name: "card",
        aliases: &[],
        usage: "<@名字|QQ> [名片]",
        desc: "设置群名片 (留空清除)",
        no_args: false,
        handler: admin::card,
    },
    Command {
        name: "title",
        aliases: &[],
        usage: "<@名字|QQ> [头衔]",
        desc: "设置专属头衔 (仅群主; 留空取消)",
        no_args: false,
        handler: admin::title,
    },
    Command {
        name: "admin",
        aliases: &[],
        usage: "<@名字|QQ> on|off",
        desc: "设置或取消管理员 (仅群主)",
        no_args: false,
        handler: admin::admin,
    },
    Command {
        name: "profile",
        aliases: &["whois"],
        usage: "[@名字|QQ]",
        desc: "成员资料",
        no_args: false,
        handler: admin::profile,
    },
    Command {
        name: "poke",
        aliases: &[],
        usage: "[@名字|QQ]",
        desc: "戳一戳",
        no_args: false,
        handler: admin::poke,
    },
    Command {
        name: "like",
        aliases: &[],
        usage: "<@名字|QQ> [次数]",
        desc: "给资料卡点赞",
        no_args: false,
        handler: admin::like,
    },
    Command {
        name: "forward",
        aliases: &["fw"],
        usage: "[--each] <会话>",
        desc: "合并转发标记的 ({timeline:mark}) 或选中的消息 (--each 逐条)",
        no_args: false,
        handler: forwarding::command,
    },
    Command {
        name: "react",
        aliases: &[],
        usage: "[表情名|编号|emoji]",
        desc: "给选中的消息贴表情 (再贴一次取消; 不带参数打开面板)",
        no_args: false,
        handler: reactions::command,
    },
    Command {
        name: "reactions",
        aliases: &[],
        usage: "",
        desc: "选中的消息有谁贴了什么表情",
        no_args: true,
        handler: reactions::list_command,
    },
    Command {
        name: "dice",
        aliases: &[],
        usage: "",
        desc: "掷骰子",
        no_args: true,
        handler: outgoing::dice,
    },
    Command {
        name: "rps",
        aliases: &[],
        usage: "",
        desc: "猜拳 (石头剪刀布)",
        no_args: true,
        handler: outgoing::rps,
    },
    Command {
        name: "image",
        aliases: &["img", "pic"],
        usage: "<图片路径>",
        desc: "发送本地图片 (~ 和相对路径可用; 10 MB 以上分块上传)",
        no_args: false,
        handler: super::picture_send::command,
    },
    Command {
        name: "protocol",
        aliases: &[],
        usage: "",
        desc: "图片显示方式 (kitty / sixel / iterm2 / halfblocks)",
        no_args: true,
        handler: protocol,
    },
    Command {
        name: "music",
        aliases: &[],
        usage: "<平台> <id> | custom <链接> <音频> <标题>",
        desc: "分享音乐卡片 (需要音乐签名服务)",
        no_args: false,
        handler: outgoing::music,
    },
    Command {
        name: "recall",
        aliases: &[],
        usage: "",
        desc: "撤回选中的消息 (管理员可撤回他人消息)",
        no_args: true,
        handler: admin::recall,
    },
    Command {
        name: "essence",
        aliases: &[],
        usage: "",
        desc: "将选中的消息设为精华",
        no_args: true,
        handler: admin::essence,
    },
    Command {
        name: "unessence",
        aliases: &[],
        usage: "",
        desc: "取消选中消息的精华",
        no_args: true,
        handler: admin::unessence,
    },
    Command {
        name: "essences",
        aliases: &[],
        usage: "",
        desc: "精华消息列表 ({popup:activate} 跳转)",
        no_args: true,
        handler: admin::essences,
    },
    Command {
        name: "muteall",
        aliases: &[],
        usage: "on|off",
        desc: "开启或关闭全员禁言",
        no_args: false,
        handler: admin::mute_all,
    },
    Command {
        name: "rename",
        aliases: &[],
        usage: "<群名>",
        desc: "修改群名",
        no_args: false,
        handler: admin::rename,
    },
    Command {
        name: "avatar",
        aliases: &[],
        usage: "<图片路径>",
        desc: "设置群头像",
        no_args: false,
        handler: admin::avatar,
    },
    Command {
        name: "notices",
        aliases: &[],
        usage: "",
        desc: "群公告列表 ({popup:delete} 删除)",
        no_args: true,
        handler: admin::notices,
    },
    Command {
        name: "notice",
        aliases: &[],
        usage: "[--pin] [--confirm] [--image 路径] <内容>",
        desc: "发布群公告",
        no_args: false,
        handler: admin::notice,
    },
    Command {
        name: "mutes",
        aliases: &[],
        usage: "",
        desc: "禁言列表 ({popup:unmute} 解除禁言)",
        no_args: true,
        handler: admin::mutes,
    },
    Command {
        name: "info",
        aliases: &[],
        usage: "",
        desc: "群资料",
        no_args: true,
        handler: admin::info,
    },
    Command {
        name: "honors",
        aliases: &[],
        usage: "",
        desc: "群荣誉",
        no_args: true,
        handler: admin::honors,
    },
    Command {
        name: "atall",
        aliases: &[],
        usage: "",
        desc: "今天还能 @全体成员 几次",
        no_args: true,
        handler: admin::at_all,
    },
    Command {
        name: "sign",
        aliases: &[],
        usage: "",
        desc: "群签到",
        no_args: true,
        handler: admin::sign,
    },
    Command {
        name: "leave",
        aliases: &[],
        usage: "",
        desc: "退出群聊 (群主: 解散; 需输入群名确认)",
        no_args: true,
        handler: admin::leave,
    },
    Command {
        name: "requests",
        aliases: &["inbox"],
        usage: "",
        desc: "请求收件箱 (好友申请、加群申请、邀请)",
        no_args: true,
        handler: admin::requests,
    },
    Command {
        name: "accept",
        aliases: &[],
        usage: "[n] [备注]",
        desc: "同意最新 (或第 n 个) 请求",
        no_args: false,
        handler: admin::accept,
    },
    Command {
        name: "reject",
        aliases: &[],
        usage: "[n] [理由]",
        desc: "拒绝最新 (或第 n 个) 请求",
        no_args: false,
        handler: admin::reject,
    },
    Command {
        name: "reconnect",
        aliases: &[],
        usage: "",
        desc: "立即重新连接 NapCat，不等重连倒计时 ({global:reload})",
        no_args: true,
        handler: reconnect,
    },
    Command {
        name: "help",
        aliases: &["h", "?"],
        usage: "",
        desc: "显示帮助",
        no_args: false,
        handler: help,
    },
    Command {
        name: "quit",
        aliases: &["q", "exit"],
        usage: "",
        desc: "退出",
        no_args: false,
        handler: quit,
    },
];

/// The command `name` runs (by its name or an alias).
pub fn find(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.answers_to(name))
}

/// Whether a command answers to `name` (for the keymap's `run = "run /name"`).
pub fn known(name: &str) -> bool {
    find(name).is_some()
}

/// Runs a command line (without the leading `/`). An error is a one-line explanation.
pub fn run(state: &mut State, line: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let line = line.trim();
    let (name, args) = match line.split_once(char::is_whitespace) {
        Some((n, a)) => (n, a.trim()),
        None => (line, ""),
    };
    if name.is_empty() {
        return Err("输入命令名，例如 /open 或 /help".into());
    }
    let command = find(name).ok_or_else(|| {
        format!("未知命令 /{name} (输入 /help 查看全部命令; // 开头发送普通斜杠)")
    })?;
    if command.no_args && !args.is_empty() {
        return Err(format!("/{} 不需要参数", command.name));
    }
    (command.handler)(state, args, fx)
}

/// `/open <chat>`: opens it and puts the caret in the composer.
fn open(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    if args.is_empty() {
        return Err("用法: /open <名字|号码|g:群号|u:QQ号>".into());
    }
    let peer = sidebar::resolve_chat(state, args)?;
    open_chat(state, peer, fx);
    state.focus = Pane::Composer;
    Ok(())
}

/// `/close`.
/// Says how pictures are drawn on this terminal (`[images] protocol` or what was detected).
fn protocol(state: &mut State, _: &str, _: &mut Vec<Effect>) -> Result<(), String> {
    let name = state.pictures.protocol;
    state.info(format!("图片显示方式: {name}"));
    Ok(())
}

fn close(state: &mut State, _: &str, _: &mut Vec<Effect>) -> Result<(), String> {
    close_chat(state);
    Ok(())
}

/// `/search <text>`: in the open chat — with a local history, in all of its stored messages
/// (the `/find` popup for this chat), else in what is loaded.
fn search(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    if state.store.readable()
        && let Some(peer) = state.open
        && !args.trim().is_empty()
    {
        return super::popup::find::open(state, args, Some(peer), fx);
    }
    super::timeline_nav::search_start(state, args)
}

/// `/find <text>`: the local history of every chat.
fn find_cmd(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    super::popup::find::open(state, args, None, fx)
}

/// `/forget [chat]`: asks, then deletes the chat's local history.
fn forget(state: &mut State, args: &str, _: &mut Vec<Effect>) -> Result<(), String> {
    if !state.store.writing() {
        return Err("本地记录不可用".into());
    }
    let peer = if args.is_empty() {
        state
            .open
            .ok_or("用法: /forget [会话] (不给会话时删除当前会话的记录)")?
    } else {
        sidebar::resolve_chat(state, args)?
    };
    let name = state.contacts.chat_name(peer);
    state.popup = Some(Popup::Confirm(Confirm {
        title: "删除本地记录".into(),
        body: format!(
            "删除「{name}」在本机保存的全部聊天记录？QQ 服务器上的记录不受影响。此操作不能撤销。"
        ),
        on_yes: vec![Effect::Store(StoreWrite::Forget(peer))],
    }));
    Ok(())
}

/// `/reply`: the reply key, with a reason when nothing is selected.
fn reply(state: &mut State, _: &str, _: &mut Vec<Effect>) -> Result<(), String> {
    if state.selected_message().is_none() {
        return Err(state
            .keymap
            .fill_keys("先在消息列表里选中一条消息 ({composer:cancel} 然后 {timeline:move -1})"));
    }
    reply_to::start(state);
    Ok(())
}

/// `/face [name|id]`: inserts the face, or opens the picker.
fn face(state: &mut State, args: &str, _: &mut Vec<Effect>) -> Result<(), String> {
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

/// `/clear`: empties the composer.
fn clear(state: &mut State, _: &str, _: &mut Vec<Effect>) -> Result<(), String> {
    state.composer.clear();
    Ok(())
}

/// `/members`: the member pane of the open group.
fn members(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    if !matches!(state.open, Some(Peer::Group(_))) {
        return Err("成员列表只在群聊中可用".into());
    }
    member_list::toggle_pane(state, fx);
    Ok(())
}

/// `/editor`.
fn editor(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    super::editor::start(state, fx);
    Ok(())
}

/// `/notify [all|mentions|none]`: the open chat's notify mode, saved with the session.
fn notify(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    use super::notify::NotifyMode;
    let Some(peer) = state.open else {
        return Err("先打开一个会话".into());
    };
    if args.is_empty() {
        let mode = state.notify_modes.get(peer);
        state.info(format!(
            "本会话: {} (/notify {})",
            mode.label(),
            mode.name()
        ));
        return Ok(());
    }
    let mode = NotifyMode::parse(args)
        .ok_or_else(|| format!("用法: /notify all|mentions|none (不认识「{args}」)"))?;
    state.notify_modes.set(peer, mode);
    state.info(format!("本会话: {}", mode.label()));
    fx.push(Effect::SaveSession(state.session()));
    Ok(())
}

/// `/links`.
fn links(state: &mut State, _: &str, _: &mut Vec<Effect>) -> Result<(), String> {
    super::popup::links::open(state)
}

/// `/readall`.
fn readall(_: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    fx.push(Effect::call(MarkAllRead));
    Ok(())
}

/// `/reconnect`: connects now.
fn reconnect(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    super::retry::reconnect(state, fx);
    Ok(())
}

/// `/help`: the help overlay.
fn help(state: &mut State, _: &str, _: &mut Vec<Effect>) -> Result<(), String> {
    state.popup = Some(Popup::Help(HelpView::default()));
    Ok(())
}

/// `/quit`.
fn quit(state: &mut State, _: &str, _: &mut Vec<Effect>) -> Result<(), String> {
    state.quit = true;
    Ok(())
}
