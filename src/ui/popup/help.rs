//! The help overlay: keys per context from the keymap, then the commands.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use crate::app::action::ACTIONS;
use crate::app::commands::COMMANDS;
use crate::app::keymap::Context;
use crate::app::popup::HelpView;
use crate::app::state::State;

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::{centered, frame};

/// Draws the help overlay, scrolled as far as `p` says and the text allows.
pub fn draw(
    state: &State,
    theme: &Theme,
    p: &HelpView,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let r = centered(
        area,
        area.width.saturating_sub(4).min(90),
        area.height.saturating_sub(2),
    );
    let title = state
        .keymap
        .fill_keys("帮助 ({popup:deny|esc} 关闭, {popup:move -1}{popup:move 1} 滚动)");
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let sections = [
        (Context::Global, "全局"),
        (Context::Composer, "输入框"),
        (Context::Timeline, "消息列表"),
        (Context::Sidebar, "会话列表"),
        (Context::Members, "成员列表"),
        (Context::Popup, "弹窗"),
    ];
    let kw = 18usize;
    for (ctx, title) in sections {
        lines.push(Line::from(Span::styled(title.to_string(), theme.title)));
        for (keys, desc) in state.keymap.help_rows(ctx) {
            let k = format!("  {keys:<kw$}");
            lines.push(Line::from(vec![
                Span::styled(k, theme.help_key),
                Span::styled(sanitize_line(&desc).into_owned(), theme.help_text),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(
        state
            .keymap
            .fill_keys("命令 (在输入框输入 / 开头, 或在其它窗格按 {timeline:command_line}: 输入框里的草稿不受影响)"),
        theme.title,
    )));
    for c in COMMANDS {
        let usage = format!("  /{} {}", c.name, c.usage);
        lines.push(Line::from(vec![
            Span::styled(format!("{usage:<30}"), theme.help_key),
            Span::styled(state.keymap.fill_keys(c.desc), theme.help_text),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        format!(
            "键位可在 keymap.toml 中修改; 共 {} 个动作, 见 napterm keys",
            ACTIONS.len()
        ),
        theme.help_text,
    )));
    let start = (p.scroll as usize).min(lines.len().saturating_sub(1));
    for (i, l) in lines
        .iter()
        .skip(start)
        .take(inner.height as usize)
        .enumerate()
    {
        buf.set_line(inner.x, inner.y + i as u16, l, inner.width);
    }
    None
}
