//! `/find`: the query field, then the hits grouped by chat — a heading per chat, and per hit its
//! time, sender and the text around the match with the match highlighted.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;

use crate::app::Action;
use crate::app::keymap::Context;
use crate::app::popup::{FindView, Load};
use crate::app::state::State;

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::time::when;
use super::{centered, entry_style, field_line, first_visible, footer, frame, put};

/// One drawn row: a chat heading, or a hit (its index).
enum Line {
    Heading(String),
    Hit(usize),
}

/// Draws the search popup.
pub fn draw(
    state: &State,
    theme: &Theme,
    v: &FindView,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let w = area.width.saturating_sub(4).clamp(20.min(area.width), 100);
    let h = area.height.saturating_sub(2).max(6);
    let r = centered(area, w, h);
    let title = match v.scope {
        Some(p) => format!("在「{}」的本地记录中搜索", state.contacts.chat_name(p)),
        None => "在所有会话的本地记录中搜索".to_string(),
    };
    let inner = frame(theme, &sanitize_line(&title), r, buf, theme.popup_border);
    if inner.height < 3 {
        return None;
    }
    let caret = field_line(
        theme,
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        "🔍 ",
        &v.query,
        buf,
    );
    let mut hint = vec![crate::app::popup::field_hint(
        "搜索 / 打开选中的消息",
        "关闭",
    )];
    hint.extend(
        state
            .keymap
            .hint_items(Context::Popup, &[(Action::Move(1), "选择")]),
    );
    footer(theme, inner, &hint.join(" · "), buf);
    let top = inner.y + 1;
    let rows = inner.height.saturating_sub(2) as usize;
    let x = inner.x + 1;
    let tw = inner.width.saturating_sub(2);
    let hits = match &v.hits {
        Load::Loading => {
            put(buf, x, top, "搜索中…", tw, theme.system);
            return Some(caret);
        }
        Load::Failed(why) => {
            put(buf, x, top, &sanitize_line(why), tw, theme.status_error);
            return Some(caret);
        }
        Load::Ready(h) => h,
    };
    if hits.is_empty() {
        let text = if v.asked.is_empty() {
            "输入要找的文字 (可加 in: from: after: before: has:)，回车搜索"
        } else {
            "没有找到"
        };
        put(buf, x, top, text, tw, theme.system);
        return Some(caret);
    }
    let mut lines = Vec::new();
    let mut last = None;
    for (i, h) in hits.iter().enumerate() {
        if last != Some(h.peer) {
            let name = if h.chat_name.trim().is_empty() {
                state.contacts.chat_name(h.peer)
            } else {
                h.chat_name.clone()
            };
            lines.push(Line::Heading(name));
            last = Some(h.peer);
        }
        lines.push(Line::Hit(i));
    }
    let sel_line = lines
        .iter()
        .position(|l| matches!(l, Line::Hit(i) if *i == v.selected))
        .unwrap_or(0);
    let start = first_visible(sel_line, rows, 1);
    for (n, line) in lines.iter().enumerate().skip(start).take(rows) {
        let y = top + (n - start) as u16;
        match line {
            Line::Heading(name) => {
                put(
                    buf,
                    x,
                    y,
                    &format!("── {} ──", sanitize_line(name)),
                    tw,
                    theme.title,
                );
            }
            Line::Hit(i) => {
                let hit = &hits[*i];
                let sel = *i == v.selected;
                let style = entry_style(theme, sel);
                buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
                let who = if hit.own {
                    "我".to_string()
                } else {
                    hit.sender.display_name()
                };
                let head = format!(
                    "  {} {}: ",
                    when(hit.time(), state.now),
                    sanitize_line(&who)
                );
                let used = put(buf, x, y, &head, tw, style);
                let room = tw.saturating_sub(used);
                let (text, marks) = hit.snippet(room as usize);
                let mut cx = x + used;
                let end = x + tw;
                // Each piece sanitised on its own, so the highlight ranges stay where they were.
                let mut at = 0;
                let mut pieces: Vec<(&str, bool)> = Vec::new();
                for m in &marks {
                    if m.start > at && text.is_char_boundary(m.start) {
                        pieces.push((&text[at..m.start], false));
                    }
                    if text.is_char_boundary(m.start) && text.is_char_boundary(m.end) {
                        pieces.push((&text[m.start..m.end], true));
                        at = m.end;
                    }
                }
                if at < text.len() {
                    pieces.push((&text[at..], false));
                }
                for (piece, marked) in pieces {
                    if cx >= end {
                        break;
                    }
                    let s = sanitize_line(piece);
                    let st = if marked {
                        theme.mention_all.add_modifier(Modifier::BOLD)
                    } else if hit.recalled {
                        theme.recalled
                    } else {
                        style
                    };
                    let n = put(buf, cx, y, &s, end - cx, st);
                    if n == 0 && !s.is_empty() {
                        break;
                    }
                    cx += n;
                }
            }
        }
    }
    Some(caret)
}
