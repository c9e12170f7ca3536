//! A confirmation dialog that says exactly what will happen, with its answers' keys.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Span;

use crate::app::Action;
use crate::app::keymap::Context;
use crate::app::popup::Confirm;
use crate::app::state::State;

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::super::wrap::{WrapOpts, width, wrap_spans};
use super::{centered, frame};

/// Draws a confirmation.
pub fn draw(
    state: &State,
    theme: &Theme,
    c: &Confirm,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let w = 56.min(area.width.saturating_sub(2));
    let body = [Span::raw(sanitize_line(&c.body).into_owned())];
    let lines = wrap_spans(&body, w.saturating_sub(4), WrapOpts::default());
    let h = (lines.len() as u16 + 4).min(area.height);
    let r = centered(area, w, h);
    let inner = frame(theme, &c.title, r, buf, theme.confirm_danger);
    for (i, l) in lines
        .iter()
        .enumerate()
        .take(inner.height.saturating_sub(2) as usize)
    {
        buf.set_line(
            inner.x + 1,
            inner.y + i as u16,
            l,
            inner.width.saturating_sub(1),
        );
    }
    // Each answer names its first key and the usual one (`y / Enter`, `n / Esc`).
    let p = Context::Popup;
    let yes = [
        (p, Action::Confirm, None),
        (p, Action::Activate, Some("enter")),
    ];
    let no = [(p, Action::Deny, None), (p, Action::Deny, Some("esc"))];
    let hint = [(yes, "确认"), (no, "取消")]
        .iter()
        .map(|(keys, label)| (state.keymap.key_labels(keys), label))
        .filter(|(keys, _)| !keys.is_empty())
        .map(|(keys, label)| format!("{} {label}", keys.join(" / ")))
        .collect::<Vec<_>>()
        .join("    ");
    let y = inner.y + inner.height.saturating_sub(1);
    let x = inner.x + inner.width.saturating_sub(width(&hint) as u16) / 2;
    buf.set_string(x, y, &hint, theme.confirm_danger);
    None
}
