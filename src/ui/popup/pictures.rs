//! The picture viewer: one picture as large as the window allows, centred in a frame whose
//! title says whose it is and which of the chat's pictures it is.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::pictures::Slot;
use crate::app::popup::PictureViewer;
use crate::app::popup::pictures::viewer_box;
use crate::app::state::State;

use super::super::picture::{drawable, rows};
use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::super::wrap::width;
use super::frame;

/// Draws the viewer over the whole of `area`.
pub fn draw(
    state: &State,
    theme: &Theme,
    v: &PictureViewer,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let item = v.items.get(v.index)?;
    let title = format!(
        "图片 {}/{} · {}",
        v.index + 1,
        v.items.len(),
        sanitize_line(&item.sender)
    );
    let r = Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    let inner = frame(theme, &title, r, buf, theme.border_focused);
    if inner.width == 0 || inner.height == 0 {
        return None;
    }
    let fit = viewer_box(state.size);
    let cells = state
        .pictures
        .cells(&item.key, fit)
        .filter(|_| drawable(theme));
    match cells {
        Some(c) => {
            let lines = rows(c, &[], theme);
            let h = (lines.len() as u16).min(inner.height);
            let y0 = inner.y + (inner.height - h) / 2;
            let x0 = inner.x + inner.width.saturating_sub(c.cols) / 2;
            for (i, l) in lines.iter().take(h as usize).enumerate() {
                buf.set_line(x0, y0 + i as u16, l, inner.width);
            }
        }
        None => {
            let text = match state.pictures.slots.get(&item.key) {
                Some(Slot::Failed(why)) => why.placeholder().to_string(),
                _ if !drawable(theme) => "[图片] (终端无颜色，无法显示)".to_string(),
                _ => "正在加载图片…".to_string(),
            };
            let x = inner.x + inner.width.saturating_sub(width(&text) as u16) / 2;
            buf.set_string(x, inner.y + inner.height / 2, &text, theme.system);
        }
    }
    None
}
