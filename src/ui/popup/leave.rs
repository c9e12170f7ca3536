//! Leaving or dismissing a group: what will happen, and the field its name or number is typed
//! into.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Span;

use crate::app::popup::{LeaveConfirm, field_hint};
use crate::app::state::State;

use super::super::theme::Theme;
use super::super::wrap::{WrapOpts, wrap_spans};
use super::{centered, field_line, footer, frame, group_name, popup_width, put};

/// Draws the typed leave confirmation; the caret is in its field.
pub fn draw(
    state: &State,
    theme: &Theme,
    l: &LeaveConfirm,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let name = group_name(state, l.group);
    let (title, body) = if l.dismiss {
        (
            "解散群聊",
            format!(
                "你是群主：将解散群「{name}」({})，所有成员都会被移出，不能撤销。",
                l.group
            ),
        )
    } else {
        ("退出群聊", format!("将退出群「{name}」({})。", l.group))
    };
    let w = popup_width(area, 56);
    let lines = wrap_spans(&[Span::raw(body)], w.saturating_sub(4), WrapOpts::default());
    let h = lines.len() as u16 + 7;
    let r = centered(area, w, h);
    let inner = frame(theme, title, r, buf, theme.confirm_danger);
    let iw = inner.width.saturating_sub(2);
    let mut y = inner.y;
    for line in &lines {
        if y + 4 >= inner.bottom() {
            break;
        }
        buf.set_line(inner.x + 1, y, line, iw);
        y += 1;
    }
    y += 1;
    put(buf, inner.x + 1, y, "输入群名或群号确认:", iw, theme.popup);
    let caret = field_line(theme, inner.x + 1, y + 1, iw, "> ", &l.typed, buf);
    if let Some(e) = &l.error {
        put(buf, inner.x + 1, y + 2, e, iw, theme.status_error);
    }
    footer(theme, inner, &field_hint("确认", "取消"), buf);
    Some(caret)
}
