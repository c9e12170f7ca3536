//! The help overlay: every key per context and every command, scrolled by the list keys.
//!
//! Its lines are made here, from the keymap and the command table, and laid out by the drawing,
//! which reports how many rows they took and how many it could show; the scroll stops where the
//! last row is in view.

use crossterm::event::KeyEvent;

use super::super::action::{ACTIONS, Action};
use super::super::commands::COMMANDS;
use super::super::effect::Effect;
use super::super::keymap::{Context, Keymap};
use super::super::state::State;
use super::protocol::{Outcome, PopupState};
use super::state::HelpView;

/// One line of the help overlay, before it is laid out.
#[derive(Debug, Clone, PartialEq)]
pub enum HelpLine {
    /// A section's title: a context, or the commands.
    Heading(String),
    /// The keys of one action, and what it does.
    Key {
        keys: String,
        desc: String,
    },
    /// A command with its arguments, and what it does.
    Command {
        usage: String,
        desc: String,
    },
    /// A closing remark.
    Note(String),
    Blank,
}

/// The contexts the overlay lists, with their titles.
const SECTIONS: [(Context, &str); 6] = [
    (Context::Global, "全局"),
    (Context::Composer, "输入框"),
    (Context::Timeline, "消息列表"),
    (Context::Sidebar, "会话列表"),
    (Context::Members, "成员列表"),
    (Context::Popup, "弹窗"),
];

/// Every line of the overlay, top to bottom.
pub fn lines(keymap: &Keymap) -> Vec<HelpLine> {
    let mut out = Vec::new();
    for (ctx, title) in SECTIONS {
        out.push(HelpLine::Heading(title.to_string()));
        out.extend(
            keymap
                .help_rows(ctx)
                .into_iter()
                .map(|(keys, desc)| HelpLine::Key { keys, desc }),
        );
        out.push(HelpLine::Blank);
    }
    out.push(HelpLine::Heading(keymap.fill_keys(
        "命令 (在输入框输入 / 开头, 或在其它窗格按 {timeline:command_line}: 输入框里的草稿不受影响)",
    )));
    out.extend(COMMANDS.iter().map(|c| HelpLine::Command {
        usage: format!("/{} {}", c.name, c.usage).trim_end().to_string(),
        desc: keymap.fill_keys(c.desc),
    }));
    out.push(HelpLine::Blank);
    out.push(HelpLine::Note(format!(
        "键位可在 keymap.toml 中修改; 共 {} 个动作, 见 napterm keys",
        ACTIONS.len()
    )));
    out
}

/// Rows the overlay shows and rows its text takes: what the last frame reported, else (before
/// the first frame with the overlay) an estimate from the screen, one row per line.
fn extent(state: &State) -> (u16, u16) {
    match state.view.help {
        Some(e) => (e.page, e.rows),
        None => (
            state.size.1.saturating_sub(4).max(1),
            u16::try_from(lines(&state.keymap).len()).unwrap_or(u16::MAX),
        ),
    }
}

/// The first row of the last page: where the end is in view.
pub fn last_scroll(page: u16, rows: u16) -> u16 {
    rows.saturating_sub(page)
}

impl PopupState for HelpView {
    fn key(
        &mut self,
        state: &mut State,
        _key: &KeyEvent,
        action: Option<&Action>,
        _fx: &mut Vec<Effect>,
    ) -> Outcome {
        let (page, rows) = extent(state);
        let last = last_scroll(page, rows);
        let cur = i32::from(self.scroll);
        let by = |n: i32| cur.saturating_add(n).clamp(0, i32::from(last)) as u16;
        self.scroll = match action {
            // The key that opened it closes it.
            Some(Action::Help) => return Outcome::Close,
            Some(Action::Move(n)) => by(*n),
            Some(Action::Page(n)) => by(n.saturating_mul(i32::from(page.max(1)))),
            Some(Action::Top) => 0,
            Some(Action::Bottom) => last,
            // Redraw, quit, suspend, close: what every popup does.
            _ => return Outcome::Pass,
        };
        Outcome::Stay
    }
}
