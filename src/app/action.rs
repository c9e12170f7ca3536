//! Named actions: what a key can do. Keymaps bind keys to these; commands reach the same code.

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
        Some(match s {
            "sidebar" => Pane::Sidebar,
            "timeline" => Pane::Timeline,
            "composer" => Pane::Composer,
            "members" => Pane::Members,
            _ => return None,
        })
    }
}

/// Everything a key binding can trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    // Anywhere.
    Quit,
    Help,
    Redraw,
    Suspend,
    FocusNext,
    FocusPrev,
    Focus(Pane),
    NextChat,
    PrevChat,
    /// The next chat that mentions you, else the next with unread messages.
    NextUnread,
    ToggleSidebar,
    ToggleMembers,
    /// Opens the `:` command line.
    CommandLine,
    /// Runs a command line as typed (e.g. `/readall`).
    Run(String),
    /// Opens the requests inbox.
    Requests,
    // Lists (sidebar, timeline, members, popups).
    /// Moves the selection by n (negative is up).
    Move(i32),
    /// Moves by n pages.
    Page(i32),
    Top,
    Bottom,
    /// Opens / activates the selected item (chat, quoted message, popup entry).
    Activate,
    /// Cycles the sidebar tab (会话 / 好友 / 群聊) by n.
    Tab(i32),
    // Messages.
    Reply,
    Copy,
    OpenLink,
    Recall,
    /// Returns to the composer, keeping the timeline selection.
    Compose,
    SearchNext,
    SearchPrev,
    /// Retries a failed send.
    Retry,
    /// Toggles essence on the selected message.
    Essence,
    // Composer.
    Send,
    Newline,
    FacePicker,
    /// Esc in the composer: close completion, else drop the reply target, else go to the timeline.
    Cancel,
    /// Accepts the highlighted completion.
    Complete,
    // Members and moderation.
    /// Marks or unmarks the selected member for a bulk action.
    Mark,
    /// Opens the mute presets for the selected member(s) / the selected message's sender.
    Mute,
    Unmute,
    Kick,
    /// Opens the profile popup of the selected member / sender.
    Profile,
    /// Puts an @mention of the selected member into the composer.
    Mention,
    Poke,
    // Popups.
    Confirm,
    Deny,
    /// Requests inbox: accepts the selected request (a friend's asks for a remark first).
    Accept,
    /// Requests inbox: rejects the selected request (a group request asks for a reason first).
    Reject,
    /// Lists: deletes the selected entry (a notice, after a confirmation; an essence).
    Delete,
    /// Does nothing (unbinds a key in a user keymap).
    Noop,
}

/// Describes an action for the help overlay and `napterm keys`.
pub struct ActionInfo {
    pub name: &'static str,
    /// Argument syntax, "" when none.
    pub args: &'static str,
    pub desc: &'static str,
}

/// Every action name with its argument syntax and description.
pub const ACTIONS: &[ActionInfo] = &[
    ActionInfo {
        name: "quit",
        args: "",
        desc: "退出 napterm",
    },
    ActionInfo {
        name: "help",
        args: "",
        desc: "显示或隐藏帮助",
    },
    ActionInfo {
        name: "redraw",
        args: "",
        desc: "重绘整个屏幕",
    },
    ActionInfo {
        name: "suspend",
        args: "",
        desc: "挂起到 shell (fg 恢复)",
    },
    ActionInfo {
        name: "focus_next",
        args: "",
        desc: "焦点移到下一个窗格",
    },
    ActionInfo {
        name: "focus_prev",
        args: "",
        desc: "焦点移到上一个窗格",
    },
    ActionInfo {
        name: "focus",
        args: "sidebar|timeline|composer|members",
        desc: "焦点移到指定窗格",
    },
    ActionInfo {
        name: "next_chat",
        args: "",
        desc: "打开列表中下一个会话",
    },
    ActionInfo {
        name: "prev_chat",
        args: "",
        desc: "打开列表中上一个会话",
    },
    ActionInfo {
        name: "next_unread",
        args: "",
        desc: "打开下一个 @我 的会话，没有则打开有未读的",
    },
    ActionInfo {
        name: "toggle_sidebar",
        args: "",
        desc: "显示或隐藏会话列表",
    },
    ActionInfo {
        name: "toggle_members",
        args: "",
        desc: "显示或隐藏成员列表",
    },
    ActionInfo {
        name: "command_line",
        args: "",
        desc: "输入命令 (:)",
    },
    ActionInfo {
        name: "run",
        args: "<command line>",
        desc: "执行命令，例如 run /readall",
    },
    ActionInfo {
        name: "requests",
        args: "",
        desc: "打开请求收件箱",
    },
    ActionInfo {
        name: "move",
        args: "<n>",
        desc: "选择移动 n 项 (负数向上)",
    },
    ActionInfo {
        name: "page",
        args: "<n>",
        desc: "翻 n 页 (负数向上)",
    },
    ActionInfo {
        name: "top",
        args: "",
        desc: "到第一项",
    },
    ActionInfo {
        name: "bottom",
        args: "",
        desc: "到最后一项",
    },
    ActionInfo {
        name: "activate",
        args: "",
        desc: "打开选中项",
    },
    ActionInfo {
        name: "tab",
        args: "<n>",
        desc: "切换会话列表标签",
    },
    ActionInfo {
        name: "reply",
        args: "",
        desc: "回复选中的消息",
    },
    ActionInfo {
        name: "copy",
        args: "",
        desc: "复制选中消息的文字 (OSC 52)",
    },
    ActionInfo {
        name: "open_link",
        args: "",
        desc: "打开选中消息的链接或附件",
    },
    ActionInfo {
        name: "recall",
        args: "",
        desc: "撤回选中的消息",
    },
    ActionInfo {
        name: "compose",
        args: "",
        desc: "回到输入框，保留选中",
    },
    ActionInfo {
        name: "search_next",
        args: "",
        desc: "下一个搜索结果",
    },
    ActionInfo {
        name: "search_prev",
        args: "",
        desc: "上一个搜索结果",
    },
    ActionInfo {
        name: "retry",
        args: "",
        desc: "重发选中的失败消息",
    },
    ActionInfo {
        name: "essence",
        args: "",
        desc: "设为或取消精华",
    },
    ActionInfo {
        name: "send",
        args: "",
        desc: "发送消息",
    },
    ActionInfo {
        name: "newline",
        args: "",
        desc: "换行",
    },
    ActionInfo {
        name: "face_picker",
        args: "",
        desc: "选择表情",
    },
    ActionInfo {
        name: "cancel",
        args: "",
        desc: "关闭补全 / 取消回复 / 离开输入框",
    },
    ActionInfo {
        name: "complete",
        args: "",
        desc: "接受高亮的补全",
    },
    ActionInfo {
        name: "mark",
        args: "",
        desc: "标记成员用于批量操作",
    },
    ActionInfo {
        name: "mute",
        args: "",
        desc: "禁言成员或发送者 (可选时长)",
    },
    ActionInfo {
        name: "unmute",
        args: "",
        desc: "解除禁言",
    },
    ActionInfo {
        name: "kick",
        args: "",
        desc: "将成员移出群聊",
    },
    ActionInfo {
        name: "profile",
        args: "",
        desc: "查看成员资料",
    },
    ActionInfo {
        name: "mention",
        args: "",
        desc: "在输入框中 @ 该成员",
    },
    ActionInfo {
        name: "poke",
        args: "",
        desc: "戳一戳该成员",
    },
    ActionInfo {
        name: "confirm",
        args: "",
        desc: "确认",
    },
    ActionInfo {
        name: "deny",
        args: "",
        desc: "取消",
    },
    ActionInfo {
        name: "accept",
        args: "",
        desc: "请求收件箱：同意 (好友请求可填备注)",
    },
    ActionInfo {
        name: "reject",
        args: "",
        desc: "请求收件箱：拒绝 (加群请求可填理由)",
    },
    ActionInfo {
        name: "delete",
        args: "",
        desc: "列表：删除选中的公告或精华",
    },
    ActionInfo {
        name: "noop",
        args: "",
        desc: "无 (用于解绑按键)",
    },
];

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
        let bad = || ActionError::BadArgs {
            action: name.to_string(),
            expected: info.args,
        };
        let int = || rest.parse::<i32>().map_err(|_| bad());
        let none = |a: Action| if rest.is_empty() { Ok(a) } else { Err(bad()) };
        match name {
            "quit" => none(Action::Quit),
            "help" => none(Action::Help),
            "redraw" => none(Action::Redraw),
            "suspend" => none(Action::Suspend),
            "focus_next" => none(Action::FocusNext),
            "focus_prev" => none(Action::FocusPrev),
            "focus" => Pane::parse(rest).map(Action::Focus).ok_or_else(bad),
            "next_chat" => none(Action::NextChat),
            "prev_chat" => none(Action::PrevChat),
            "next_unread" => none(Action::NextUnread),
            "toggle_sidebar" => none(Action::ToggleSidebar),
            "toggle_members" => none(Action::ToggleMembers),
            "command_line" => none(Action::CommandLine),
            "run" if !rest.is_empty() => Ok(Action::Run(rest.to_string())),
            "run" => Err(bad()),
            "requests" => none(Action::Requests),
            "move" => int().map(Action::Move),
            "page" => int().map(Action::Page),
            "top" => none(Action::Top),
            "bottom" => none(Action::Bottom),
            "activate" => none(Action::Activate),
            "tab" => int().map(Action::Tab),
            "reply" => none(Action::Reply),
            "copy" => none(Action::Copy),
            "open_link" => none(Action::OpenLink),
            "recall" => none(Action::Recall),
            "compose" => none(Action::Compose),
            "search_next" => none(Action::SearchNext),
            "search_prev" => none(Action::SearchPrev),
            "retry" => none(Action::Retry),
            "essence" => none(Action::Essence),
            "send" => none(Action::Send),
            "newline" => none(Action::Newline),
            "face_picker" => none(Action::FacePicker),
            "cancel" => none(Action::Cancel),
            "complete" => none(Action::Complete),
            "mark" => none(Action::Mark),
            "mute" => none(Action::Mute),
            "unmute" => none(Action::Unmute),
            "kick" => none(Action::Kick),
            "profile" => none(Action::Profile),
            "mention" => none(Action::Mention),
            "poke" => none(Action::Poke),
            "confirm" => none(Action::Confirm),
            "deny" => none(Action::Deny),
            "accept" => none(Action::Accept),
            "reject" => none(Action::Reject),
            "delete" => none(Action::Delete),
            "noop" => none(Action::Noop),
            _ => Err(ActionError::Unknown(name.to_string())),
        }
    }
}

impl fmt::Display for Action {
    /// The canonical `name [args]` form (parses back to the same action).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s: String = match self {
            Action::Quit => "quit".into(),
            Action::Help => "help".into(),
            Action::Redraw => "redraw".into(),
            Action::Suspend => "suspend".into(),
            Action::FocusNext => "focus_next".into(),
            Action::FocusPrev => "focus_prev".into(),
            Action::Focus(p) => format!("focus {}", p.name()),
            Action::NextChat => "next_chat".into(),
            Action::PrevChat => "prev_chat".into(),
            Action::NextUnread => "next_unread".into(),
            Action::ToggleSidebar => "toggle_sidebar".into(),
            Action::ToggleMembers => "toggle_members".into(),
            Action::CommandLine => "command_line".into(),
            Action::Run(c) => format!("run {c}"),
            Action::Requests => "requests".into(),
            Action::Move(n) => format!("move {n}"),
            Action::Page(n) => format!("page {n}"),
            Action::Top => "top".into(),
            Action::Bottom => "bottom".into(),
            Action::Activate => "activate".into(),
            Action::Tab(n) => format!("tab {n}"),
            Action::Reply => "reply".into(),
            Action::Copy => "copy".into(),
            Action::OpenLink => "open_link".into(),
            Action::Recall => "recall".into(),
            Action::Compose => "compose".into(),
            Action::SearchNext => "search_next".into(),
            Action::SearchPrev => "search_prev".into(),
            Action::Retry => "retry".into(),
            Action::Essence => "essence".into(),
            Action::Send => "send".into(),
            Action::Newline => "newline".into(),
            Action::FacePicker => "face_picker".into(),
            Action::Cancel => "cancel".into(),
            Action::Complete => "complete".into(),
            Action::Mark => "mark".into(),
            Action::Mute => "mute".into(),
            Action::Unmute => "unmute".into(),
            Action::Kick => "kick".into(),
            Action::Profile => "profile".into(),
            Action::Mention => "mention".into(),
            Action::Poke => "poke".into(),
            Action::Confirm => "confirm".into(),
            Action::Deny => "deny".into(),
            Action::Accept => "accept".into(),
            Action::Reject => "reject".into(),
            Action::Delete => "delete".into(),
            Action::Noop => "noop".into(),
        };
        f.write_str(&s)
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
