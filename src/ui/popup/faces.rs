//! The face picker: the search field, then the matching faces.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::popup::FacePicker;
use crate::app::state::State;

use super::super::theme::Theme;
use super::{centered, entry_style, frame};

/// Draws the face picker.
pub fn draw(
    state: &State,
    theme: &Theme,
    p: &FacePicker,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let r = centered(area, 40, area.height.saturating_sub(4).min(20));
    let title = state
        .keymap
        .fill_keys("表情 (输入以搜索, {popup:activate|enter} 插入)");
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    if inner.height < 2 {
        return None;
    }
    buf.set_stringn(
        inner.x,
        inner.y,
        format!("🔍 {}", p.query),
        inner.width as usize,
        theme.composer,
    );
    let list = p.matches();
    let h = (inner.height - 1) as usize;
    let sel = p.selected.min(list.len().saturating_sub(1));
    let start = if sel >= h { sel + 1 - h } else { 0 };
    for (i, f) in list.iter().enumerate().skip(start).take(h) {
        let y = inner.y + 1 + (i - start) as u16;
        let style = entry_style(theme, i == sel);
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        buf.set_stringn(
            inner.x,
            y,
            format!("[{}]  {}", f.name, f.id),
            inner.width as usize,
            style,
        );
    }
    if list.is_empty() {
        buf.set_stringn(
            inner.x,
            inner.y + 1,
            "没有匹配的表情",
            inner.width as usize,
            theme.system,
        );
    }
    None
}
