//! A sheet of label / value rows: the group's information or honors.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::popup::{Sheet, SheetKind};
use crate::app::state::State;

use super::super::theme::Theme;
use super::{centered, closing, footer, frame, group_name, list_frame, loading_or_failed, row};

/// Draws a sheet from its scroll position.
pub fn draw(
    state: &State,
    theme: &Theme,
    s: &Sheet,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let title = match s.kind {
        SheetKind::Info => format!("群资料 · {}", group_name(state, s.group)),
        SheetKind::Honors => format!("群荣誉 · {}", group_name(state, s.group)),
    };
    let (w, h) = list_frame(area, s.rows.count() + 4);
    let r = centered(area, w, h);
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    let scroll = state.keymap.fill_keys("{popup:move -1}{popup:move 1} 滚动");
    let hint = closing(state, vec![scroll], "关闭").join(" · ");
    footer(theme, inner, &hint, buf);
    loading_or_failed(theme, &s.rows, inner, buf)?;
    let rows = s.rows.ready().map(Vec::as_slice).unwrap_or_default();
    let bottom = inner.y + inner.height.saturating_sub(2);
    let mut y = inner.y;
    for (label, value) in rows.iter().skip(s.scroll) {
        if y >= bottom {
            break;
        }
        let at = Rect::new(inner.x + 1, y, inner.width.saturating_sub(2), bottom - y);
        y += row(theme, at, label, value, theme.popup, buf);
    }
    None
}
