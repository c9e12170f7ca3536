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
        desc: "Quit napterm",
    },
    ActionInfo {
        name: "help",
        args: "",
        desc: "Show or hide the help overlay",
    },
    ActionInfo {
        name: "redraw",
        args: "",
        desc: "Redraw the whole screen",
    },
    ActionInfo {
        name: "suspend",
        args: "",
        desc: "Suspend to the shell (fg resumes)",
    },
    ActionInfo {
        name: "focus_next",
        args: "",
        desc: "Focus the next pane",
    },
    ActionInfo {
        name: "focus_prev",
        args: "",
        desc: "Focus the previous pane",
    },
    ActionInfo {
        name: "focus",
        args: "sidebar|timeline|composer|members",
        desc: "Focus a pane",
    },
    ActionInfo {
        name: "next_chat",
        args: "",
        desc: "Open the next chat in the list",
    },
    ActionInfo {
        name: "prev_chat",
        args: "",
        desc: "Open the previous chat in the list",
    },
    ActionInfo {
        name: "next_unread",
        args: "",
        desc: "Open the next chat with @me, else with unread messages",
    },
    ActionInfo {
        name: "toggle_sidebar",
        args: "",
        desc: "Show or hide the sidebar",
    },
    ActionInfo {
        name: "toggle_members",
        args: "",
        desc: "Show or hide the member pane",
    },
    ActionInfo {
        name: "command_line",
        args: "",
        desc: "Type a command (:)",
    },
    ActionInfo {
        name: "run",
        args: "<command line>",
        desc: "Run a command, e.g. run /readall",
    },
    ActionInfo {
        name: "requests",
        args: "",
        desc: "Open the requests inbox",
    },
    ActionInfo {
        name: "move",
        args: "<n>",
        desc: "Move the selection by n (negative: up)",
    },
    ActionInfo {
        name: "page",
        args: "<n>",
        desc: "Move by n pages (negative: up)",
    },
    ActionInfo {
        name: "top",
        args: "",
        desc: "Go to the first item",
    },
    ActionInfo {
        name: "bottom",
        args: "",
        desc: "Go to the last item",
    },
    ActionInfo {
        name: "activate",
        args: "",
        desc: "Open the selected item",
    },
    ActionInfo {
        name: "tab",
        args: "<n>",
        desc: "Switch the sidebar tab by n",
    },
    ActionInfo {
        name: "reply",
        args: "",
        desc: "Reply to the selected message",
    },
    ActionInfo {
        name: "copy",
        args: "",
        desc: "Copy the selected message's text (OSC 52)",
    },
    ActionInfo {
        name: "open_link",
        args: "",
        desc: "Open the selected message's link or attachment",
    },
    ActionInfo {
        name: "recall",
        args: "",
        desc: "Recall the selected message",
    },
    ActionInfo {
        name: "compose",
        args: "",
        desc: "Back to the composer, keeping the selection",
    },
    ActionInfo {
        name: "search_next",
        args: "",
        desc: "Next search match",
    },
    ActionInfo {
        name: "search_prev",
        args: "",
        desc: "Previous search match",
    },
    ActionInfo {
        name: "retry",
        args: "",
        desc: "Retry the selected failed message",
    },
    ActionInfo {
        name: "essence",
        args: "",
        desc: "Set or remove essence on the selected message",
    },
    ActionInfo {
        name: "send",
        args: "",
        desc: "Send the message",
    },
    ActionInfo {
        name: "newline",
        args: "",
        desc: "Insert a line break",
    },
    ActionInfo {
        name: "face_picker",
        args: "",
        desc: "Pick a face",
    },
    ActionInfo {
        name: "cancel",
        args: "",
        desc: "Close completion / drop the reply / leave the composer",
    },
    ActionInfo {
        name: "complete",
        args: "",
        desc: "Accept the highlighted completion",
    },
    ActionInfo {
        name: "mark",
        args: "",
        desc: "Mark the member for a bulk action",
    },
    ActionInfo {
        name: "mute",
        args: "",
        desc: "Mute the member(s) or the sender, with presets",
    },
    ActionInfo {
        name: "unmute",
        args: "",
        desc: "Lift the mute",
    },
    ActionInfo {
        name: "kick",
        args: "",
        desc: "Remove the member(s) from the group",
    },
    ActionInfo {
        name: "profile",
        args: "",
        desc: "Show the member's profile",
    },
    ActionInfo {
        name: "mention",
        args: "",
        desc: "Mention the member in the composer",
    },
    ActionInfo {
        name: "poke",
        args: "",
        desc: "Poke the member",
    },
    ActionInfo {
        name: "confirm",
        args: "",
        desc: "Confirm",
    },
    ActionInfo {
        name: "deny",
        args: "",
        desc: "Cancel",
    },
    ActionInfo {
        name: "accept",
        args: "",
        desc: "Requests inbox: accept (a friend asks for a remark)",
    },
    ActionInfo {
        name: "reject",
        args: "",
        desc: "Requests inbox: reject (a group request asks for a reason)",
    },
    ActionInfo {
        name: "delete",
        args: "",
        desc: "Lists: delete the selected notice or essence",
    },
    ActionInfo {
        name: "noop",
        args: "",
        desc: "Nothing (unbinds a key)",
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
