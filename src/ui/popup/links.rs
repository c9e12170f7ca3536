//! The link picker: one numbered row a link — the number, the link shortened with its host
//! kept (a group file: its name), and who sent it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::Action;
use crate::app::keymap::Context;
use crate::app::popup::{LinkPicker, LinkTarget};
use crate::app::state::State;
use crate::onebot::link::shorten;

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::super::wrap::{truncate, width};
use super::{centered, closing, entry_style, first_visible, footer, frame, list_frame, put};

/// Draws the link picker.
pub fn draw(
    state: &State,
    theme: &Theme,
    l: &LinkPicker,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let (w, h) = list_frame(area, l.items.len() + 3);
    let r = centered(area, w, h);
    let title = if l.typed.is_empty() {
        format!("链接 ({})", l.items.len())
    } else {
        format!("链接 ({}) · 第 {} 个…", l.items.len(), l.typed)
    };
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    let keys = [(Action::Activate, "打开"), (Action::Confirm, "复制")];
    let mut hint = vec![match l.items.len() {
        1 => "1 打开".to_string(),
        n => format!("1-{n} 打开"),
    }];
    hint.extend(state.keymap.hint_items(Context::Popup, &keys));
    let hint = closing(state, hint, "关闭").join(" · ");
    footer(theme, inner, &hint, buf);
    let rows = inner.height.saturating_sub(1) as usize;
    let start = first_visible(l.selected, rows, 1);
    let digits = l.items.len().to_string().len();
    for (i, e) in l.items.iter().enumerate().skip(start).take(rows) {
        let y = inner.y + (i - start) as u16;
        let sel = i == l.selected;
        let style = entry_style(theme, sel);
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        let num = format!("{:>digits$} ", i + 1);
        let mut x = inner.x + 1;
        x += put(
            buf,
            x,
            y,
            &num,
            inner.width.saturating_sub(1),
            if sel { style } else { theme.help_key },
        );
        let sender = truncate(&sanitize_line(&e.sender), 12).into_owned();
        let right = inner.x + inner.width;
        let room = right.saturating_sub(x + width(&sender) as u16 + 3) as usize;
        let (text, link_style) = match &e.target {
            LinkTarget::Url(u) => (shorten(u, room.max(8)), theme.link),
            LinkTarget::GroupFile { name, .. } => {
                (format!("[文件] {}", sanitize_line(name)), theme.system)
            }
        };
        let used = put(
            buf,
            x,
            y,
            &text,
            room as u16,
            if sel { style } else { link_style },
        );
        let sx = x + used + 2;
        put(
            buf,
            sx,
            y,
            &sender,
            right.saturating_sub(sx),
            if sel {
                style
            } else {
                theme.user_color(e.sender_id)
            },
        );
    }
    None
}
