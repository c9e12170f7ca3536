//! The mute list: each muted member with the time left and when it ends.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::Action;
use crate::app::popup::MuteList;
use crate::app::state::State;
use crate::app::text::duration_text;

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::super::wrap::width;
use super::time::when;
use super::{entry_style, first_visible, group_name, list_chrome, list_frame, put};

/// Draws the mute list.
pub fn draw(
    state: &State,
    theme: &Theme,
    l: &MuteList,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let size = list_frame(area, l.items.count() + 4);
    let title = format!("禁言列表 · {}", group_name(state, l.group));
    let (inner, items) = list_chrome(
        state,
        theme,
        area,
        size,
        &title,
        &[(Action::Unmute, "解除禁言")],
        &l.items,
        "没有人被禁言",
        buf,
    )?;
    let rows = inner.height.saturating_sub(2) as usize;
    let start = first_visible(l.selected, rows, 1);
    for (i, e) in items.iter().enumerate().skip(start).take(rows) {
        let y = inner.y + (i - start) as u16;
        let style = entry_style(theme, i == l.selected);
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        let left = format!("{} ({})", sanitize_line(&e.display_name()), e.uin);
        let right = format!(
            "还剩 {} · 到 {}",
            duration_text(e.mute_remaining(state.now)),
            when(e.shut_up_time, state.now)
        );
        let rw = width(&right) as u16;
        put(
            buf,
            inner.x + 1,
            y,
            &left,
            inner.width.saturating_sub(rw + 3),
            style,
        );
        if inner.width > rw + 2 {
            put(buf, inner.x + inner.width - rw - 1, y, &right, rw, style);
        }
    }
    None
}
