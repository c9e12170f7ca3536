//! The reaction picker: the search field, then the matching reactions (the recently used first,
//! yours on the message marked).

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::popup::ReactionPicker;
use crate::app::state::State;

use super::super::theme::Theme;
use super::{centered, entry_style, field_line, frame, put};

/// Draws the reaction picker.
pub fn draw(
    state: &State,
    theme: &Theme,
    p: &ReactionPicker,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let r = centered(area, 44, area.height.saturating_sub(4).min(20));
    let title = state
        .keymap
        .fill_keys("贴表情 (输入名字或拼音搜索, {popup:activate|enter} 选择)");
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    if inner.height < 2 {
        return None;
    }
    let caret = field_line(theme, inner.x, inner.y, inner.width, "🔍 ", &p.query, buf);
    let mine: Vec<String> = state
        .chats
        .get(&p.peer)
        .and_then(|c| c.timeline.message(p.id))
        .map(|m| {
            m.reactions
                .iter()
                .filter(|r| r.mine)
                .map(|r| r.emoji.clone())
                .collect()
        })
        .unwrap_or_default();
    let list = p.matches(state);
    let recent = state.recent_reactions.len();
    let h = (inner.height - 1) as usize;
    let sel = p.selected.min(list.len().saturating_sub(1));
    let start = if sel >= h { sel + 1 - h } else { 0 };
    for (i, c) in list.iter().enumerate().skip(start).take(h) {
        let y = inner.y + 1 + (i - start) as u16;
        let style = entry_style(theme, i == sel);
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        let key = c.key();
        let mut text = format!("{}  {}", c.label(), c.id);
        if mine.contains(&key) {
            text.push_str("  ✓ 已贴 (再选取消)");
        } else if p.query.trim().is_empty() && i < recent {
            text.push_str("  最近");
        }
        put(
            buf,
            inner.x + 1,
            y,
            &text,
            inner.width.saturating_sub(1),
            style,
        );
    }
    if list.is_empty() {
        put(
            buf,
            inner.x + 1,
            inner.y + 1,
            "没有匹配的表情",
            inner.width.saturating_sub(1),
            theme.system,
        );
    }
    Some(caret)
}
