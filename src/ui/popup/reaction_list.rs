//! Who reacted with what: a heading per reaction with its count, then everybody behind it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;

use crate::app::popup::{Load, ReactionList};
use crate::app::state::State;
use crate::onebot::faces;

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::{list_chrome, list_frame, put};

/// One line of the list: its text, its style, its indent.
type Row = (String, ratatui::style::Style, u16);

/// Draws the list, scrolled to `l.scroll`.
pub fn draw(
    state: &State,
    theme: &Theme,
    l: &ReactionList,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let size = list_frame(area, l.line_count() + 3);
    let (inner, rows) = list_chrome(
        state,
        theme,
        area,
        size,
        "表情回应",
        &[],
        &l.rows,
        "还没有人贴表情",
        buf,
    )?;
    let mut lines: Vec<Row> = Vec::new();
    for r in rows {
        let head = format!("{} × {}", faces::reaction_label(&r.emoji), r.count);
        lines.push((head, theme.help_key.add_modifier(Modifier::BOLD), 1));
        match &r.who {
            Load::Loading => lines.push(("加载中…".into(), theme.system, 3)),
            Load::Failed(why) => lines.push((format!("获取失败: {why}"), theme.status_error, 3)),
            Load::Ready(who) if who.is_empty() => {
                lines.push(("(服务器没有给出名单)".into(), theme.system, 3))
            }
            Load::Ready(who) => {
                for u in who {
                    let you = if u.user_id == state.self_id {
                        " (你)"
                    } else {
                        ""
                    };
                    let name = if u.nick_name.is_empty() {
                        state.contacts.name_in(l.peer, u.user_id)
                    } else {
                        u.nick_name.clone()
                    };
                    let style = if you.is_empty() {
                        theme.user_color(u.user_id)
                    } else {
                        theme.own_name
                    };
                    lines.push((format!("{name} ({}){you}", u.user_id), style, 3));
                }
            }
        }
    }
    let h = inner.height.saturating_sub(1) as usize;
    let start = l.scroll.min(lines.len().saturating_sub(h));
    for (i, (text, style, indent)) in lines.iter().skip(start).take(h).enumerate() {
        put(
            buf,
            inner.x + indent,
            inner.y + i as u16,
            &sanitize_line(text),
            inner.width.saturating_sub(*indent),
            *style,
        );
    }
    None
}
