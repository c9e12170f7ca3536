//! Named actions: what a key can do. Keymaps bind keys to these; commands reach the same code.
//!
//! Every action is one row of the [`actions!`] table below: the variant, its name in keymaps, its
//! argument (if any) and its description. The enum, [`Action::parse`], `Display`, [`ACTIONS`] (the
//! help overlay and `napterm keys`) all follow from that one row.

use std::fmt;

/// A pane that can have focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Sidebar,
    Timeline,
    Composer,
    Members,
}

impl Pane {
    /// Every pane, in the order `focus`'s argument syntax lists them.
    pub const ALL: [Pane; 4] = [Pane::Sidebar, Pane::Timeline, Pane::Composer, Pane::Members];

    /// The pane's name in keymaps and commands.
    pub fn name(self) -> &'static str {
        match self {
            Pane::Sidebar => "sidebar",
            Pane::Timeline => "timeline",
            Pane::Composer => "composer",
            Pane::Members => "members",
        }
    }

    fn parse(s: &str) -> Option<Pane> {
        Pane::ALL.into_iter().find(|p| p.name() == s)
    }
}

/// An action's argument: how it is written in a keymap and read back.
trait ActionArg: Sized {
    /// The syntax shown in errors, the help overlay and `napterm keys`.
    const SYNTAX: &'static str;
    /// Reads the text after the action's name (already trimmed).
    fn read(text: &str) -> Option<Self>;
    /// Writes the argument so that [`ActionArg::read`] gives it back.
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// A count or offset: `move -1`, `page 2`, `tab 1`.
impl ActionArg for i32 {
    const SYNTAX: &'static str = "<n>";
    fn read(text: &str) -> Option<Self> {
        text.parse().ok()
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// A pane: `focus timeline`.
impl ActionArg for Pane {
    const SYNTAX: &'static str = "sidebar|timeline|composer|members";
    fn read(text: &str) -> Option<Self> {
        Pane::parse(text)
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A command line: `run /readall` (never empty).
impl ActionArg for String {
    const SYNTAX: &'static str = "<command line>";
    fn read(text: &str) -> Option<Self> {
        (!text.is_empty()).then(|| text.to_string())
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

/// Describes an action for the help overlay and `napterm keys`.
pub struct ActionInfo {
    pub name: &'static str,
    /// Argument syntax, "" when none.
    pub args: &'static str,
    pub desc: &'static str,
}

/// Expands the table of actions into the enum, [`ACTIONS`], parsing and display.
///
/// A row is `Variant(ArgType) = "name", "description";` (the argument is optional). The rules
/// starting with `@` write one row's piece; `arg` is handed to them from the outer expansion so
/// that the pattern binding and its use share one hygiene context.
macro_rules! actions {
    (@syntax) => { "" };
    (@syntax $arg:ty) => { <$arg as ActionArg>::SYNTAX };
    (@pattern $variant:ident $bind:ident) => { Action::$variant };
    (@pattern $variant:ident $bind:ident $arg:ty) => { Action::$variant($bind) };
    (@read $variant:ident $rest:ident) => {
        $rest.is_empty().then_some(Action::$variant)
    };
    (@read $variant:ident $rest:ident $arg:ty) => {
        <$arg as ActionArg>::read($rest).map(Action::$variant)
    };
    (@write $f:ident $bind:ident) => { Ok(()) };
    (@write $f:ident $bind:ident $arg:ty) => {{
        $f.write_str(" ")?;
        ActionArg::write($bind, $f)
    }};
    (
        $(
            $(#[$meta:meta])*
            $variant:ident $(($arg:ty))? = $name:literal, $desc:literal;
        )*
    ) => {
        /// Everything a key binding can trigger.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Action {
            $( $(#[$meta])* $variant $(($arg))?, )*
        }

        /// Every action name with its argument syntax and description.
        pub const ACTIONS: &[ActionInfo] = &[
            $( ActionInfo { name: $name, args: actions!(@syntax $($arg)?), desc: $desc }, )*
        ];

        impl Action {
            /// The action's name in keymaps (`move` for `move -1`).
            pub fn name(&self) -> &'static str {
                match self {
                    $( actions!(@pattern $variant _arg $($arg)?) => $name, )*
                }
            }

            /// What the action does, for the help overlay and `napterm keys`.
            pub fn desc(&self) -> &'static str {
                match self {
                    $( actions!(@pattern $variant _arg $($arg)?) => $desc, )*
                }
            }

            /// The action `name` with its argument text `rest`; None when the argument does not
            /// fit, or `name` is no action (the caller tells the two apart).
            fn read(name: &str, rest: &str) -> Option<Action> {
                match name {
                    $( $name => actions!(@read $variant rest $($arg)?), )*
                    _ => None,
                }
            }

            /// Writes the argument, after a space, when the action has one.
            fn write_arg(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $( actions!(@pattern $variant arg $($arg)?) => actions!(@write f arg $($arg)?), )*
                }
            }
        }
    };
}

actions! {
    // Anywhere.
    Quit = "quit", "退出 napterm";
    Help = "help", "显示或隐藏帮助";
    Redraw = "redraw", "重绘整个屏幕";
    Suspend = "suspend", "挂起到 shell (fg 恢复)";
    FocusNext = "focus_next", "焦点移到下一个窗格";
    FocusPrev = "focus_prev", "焦点移到上一个窗格";
    Focus(Pane) = "focus", "焦点移到指定窗格";
    NextChat = "next_chat", "打开列表中下一个会话";
    PrevChat = "prev_chat", "打开列表中上一个会话";
    /// In the open chat, the next message that mentions you; none there, the next chat that
    /// mentions you, else the next with unread messages.
    NextUnread = "next_unread", "本会话下一条 @我 的消息，没有则下一个 @我/未读会话";
    /// The first message that was unread when the chat was opened (paging back to it).
    JumpUnread = "jump_unread", "跳到打开会话时的第一条未读消息";
    ToggleSidebar = "toggle_sidebar", "显示或隐藏会话列表";
    ToggleMembers = "toggle_members", "显示或隐藏成员列表";
    /// Pictures drawn under their messages, or only their `[图片]` line (a slow link).
    TogglePictures = "toggle_pictures", "图片显示在消息下，或只显示 [图片] (慢速连接)";
    /// Opens the `:` command line.
    CommandLine = "command_line", "输入命令 (:)";
    /// Runs a command line as typed (e.g. `/readall`).
    Run(String) = "run", "执行命令，例如 run /readall";
    /// Opens the requests inbox.
    Requests = "requests", "打开请求收件箱";
    /// 免打扰 on or off for the chat selected in the sidebar (elsewhere: the open chat).
    ToggleQuiet = "toggle_quiet", "会话免打扰 (不响铃、不通知、未读不高亮) 或取消";
    /// Pins the chat selected in the sidebar (elsewhere: the open chat), or unpins it.
    TogglePin = "toggle_pin", "置顶会话或取消置顶";
    /// Offline: connects now. Online: loads again what failed in the open chat.
    Reload = "reload", "立即重试: 断线时马上重连，否则重新加载失败的消息和成员列表";
    // Lists (sidebar, timeline, members, popups).
    /// Moves the selection by n (negative is up).
    Move(i32) = "move", "选择移动 n 项 (负数向上)";
    /// Moves by n pages.
    Page(i32) = "page", "翻 n 页 (负数向上)";
    Top = "top", "到第一项";
    Bottom = "bottom", "到最后一项";
    /// Opens / activates the selected item (chat, quoted message, popup entry).
    Activate = "activate", "打开选中项";
    /// Cycles the sidebar tab (会话 / 好友 / 群聊) by n.
    Tab(i32) = "tab", "切换会话列表标签";
    // Messages.
    Reply = "reply", "回复选中的消息";
    Copy = "copy", "复制选中消息的文字 (OSC 52)";
    OpenLink = "open_link", "打开选中消息的链接或附件";
    /// Lists the links and attachments of the visible messages, numbered (Ctrl+O, /links).
    Links = "links", "列出屏幕上消息的链接与附件 (数字或回车打开, y 复制)";
    Recall = "recall", "撤回选中的消息";
    /// Returns to the composer, keeping the timeline selection.
    Compose = "compose", "回到输入框，保留选中";
    SearchNext = "search_next", "下一个搜索结果";
    SearchPrev = "search_prev", "上一个搜索结果";
    /// Retries a failed send.
    Retry = "retry", "重发选中的失败消息";
    /// Toggles essence on the selected message.
    Essence = "essence", "设为或取消精华";
    /// Opens the reaction picker for the selected message.
    React = "react", "给选中的消息贴表情 (再选一次同一个则取消)";
    // Composer.
    Send = "send", "发送消息";
    Newline = "newline", "换行";
    FacePicker = "face_picker", "选择表情";
    /// Edits the draft in `$VISUAL`/`$EDITOR` (Ctrl+X Ctrl+E, as in bash).
    Editor = "editor", "在外部编辑器 ($VISUAL/$EDITOR) 中编辑草稿";
    /// Esc in the composer: close completion, else drop the reply target, else go to the timeline.
    Cancel = "cancel", "关闭补全 / 取消回复 / 离开输入框";
    /// Accepts the highlighted completion; without one, moves the focus on from an empty composer.
    Complete = "complete", "接受高亮的补全 (输入框为空时切换焦点)";
    /// Deletes from the cursor to the start of its line (Ctrl+U in a shell).
    DeleteToLineStart = "delete_line_start", "删除光标前到行首的文字";
    Undo = "undo", "撤销输入框的上一次修改";
    Redo = "redo", "重做输入框撤销的修改";
    /// Empties the composer: text, mentions, faces and the reply target.
    ClearComposer = "clear_composer", "清空输入框 (连同回复目标)";
    // Members and moderation.
    /// Marks or unmarks the selected member for a bulk action, or the selected message for
    /// `/forward`.
    Mark = "mark", "标记成员 (批量操作) 或消息 (/forward 转发)";
    /// Opens the mute presets for the selected member(s) / the selected message's sender.
    Mute = "mute", "禁言成员或发送者 (可选时长)";
    Unmute = "unmute", "解除禁言";
    Kick = "kick", "将成员移出群聊";
    /// Opens the profile popup of the selected member / sender.
    Profile = "profile", "查看成员资料";
    /// Puts an @mention of the selected member into the composer.
    Mention = "mention", "在输入框中 @ 该成员";
    Poke = "poke", "戳一戳该成员";
    // Popups.
    Confirm = "confirm", "确认";
    /// Starts a search inside a popup's list (the forward viewer).
    Search = "search", "在列表中搜索 (聊天记录)";
    Deny = "deny", "取消";
    /// Requests inbox: accepts the selected request (a friend's asks for a remark first).
    Accept = "accept", "请求收件箱：同意 (好友请求可填备注)";
    /// Requests inbox: rejects the selected request (a group request asks for a reason first).
    Reject = "reject", "请求收件箱：拒绝 (加群请求可填理由)";
    /// Lists: deletes the selected entry (a notice, after a confirmation; an essence).
    Delete = "delete", "列表：删除选中的公告或精华";
    /// Does nothing (unbinds a key in a user keymap).
    Noop = "noop", "无 (用于解绑按键)";
}

/// Why an action string could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionError {
    Unknown(String),
    BadArgs {
        action: String,
        expected: &'static str,
    },
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::Unknown(a) => write!(f, "unknown action `{a}`"),
            ActionError::BadArgs { action, expected } => {
                write!(
                    f,
                    "action `{action}` expects {}",
                    if expected.is_empty() {
                        "no arguments"
                    } else {
                        expected
                    }
                )
            }
        }
    }
}

impl Action {
    /// Reads `name [args]`, e.g. `move -1`, `focus timeline`, `run /readall`.
    pub fn parse(s: &str) -> Result<Action, ActionError> {
        let s = s.trim();
        let (name, rest) = match s.split_once(char::is_whitespace) {
            Some((n, r)) => (n, r.trim()),
            None => (s, ""),
        };
        let info = ACTIONS
            .iter()
            .find(|a| a.name == name)
            .ok_or_else(|| ActionError::Unknown(name.to_string()))?;
        Action::read(name, rest).ok_or_else(|| ActionError::BadArgs {
            action: name.to_string(),
            expected: info.args,
        })
    }
}

impl fmt::Display for Action {
    /// The canonical `name [args]` form (parses back to the same action).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        self.write_arg(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_parses_and_prints_back() {
        let samples = [
            "quit",
            "focus timeline",
            "move -1",
            "page 2",
            "tab 1",
            "run /readall",
            "send",
            "mute",
        ];
        for s in samples {
            let a = Action::parse(s).unwrap();
            assert_eq!(a.to_string(), s);
        }
        for info in ACTIONS {
            let arg = match info.args {
                "" => "",
                "<n>" => " 1",
                "<command line>" => " /help",
                _ => " sidebar",
            };
            let a = Action::parse(&format!("{}{arg}", info.name)).unwrap();
            assert_eq!(Action::parse(&a.to_string()).unwrap(), a);
        }
    }

    #[test]
    fn names_are_unique_and_argument_syntax_matches_what_parses() {
        for (i, a) in ACTIONS.iter().enumerate() {
            assert!(
                ACTIONS.iter().skip(i + 1).all(|b| b.name != a.name),
                "{} twice",
                a.name
            );
        }
        let panes: Vec<&str> = Pane::ALL.iter().map(|p| p.name()).collect();
        assert_eq!(<Pane as ActionArg>::SYNTAX, panes.join("|"));
        for p in Pane::ALL {
            assert_eq!(
                Action::parse(&format!("focus {}", p.name())),
                Ok(Action::Focus(p))
            );
        }
        assert!(Action::parse("run").is_err(), "run needs a command line");
        assert_eq!(Action::Move(-3).name(), "move");
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(
            Action::parse("fly").unwrap_err().to_string(),
            "unknown action `fly`"
        );
        assert!(
            Action::parse("move up")
                .unwrap_err()
                .to_string()
                .contains("<n>")
        );
        assert!(
            Action::parse("quit now")
                .unwrap_err()
                .to_string()
                .contains("no arguments")
        );
        assert!(Action::parse("focus nowhere").is_err());
    }
}
