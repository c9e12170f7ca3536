//! The essence list: who said it, when and who set it, and the message's first line.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::Action;
use crate::app::popup::EssenceList;
use crate::app::quotes::sent_time;
use crate::app::state::{Quote, State};
use crate::app::text::excerpt;
use crate::onebot::Peer;

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::time::when;
use super::{entry_style, first_visible, group_name, list_chrome, list_frame, put};

/// Draws the essence list, two rows an entry.
pub fn draw(
    state: &State,
    theme: &Theme,
    l: &EssenceList,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let size = list_frame(area, l.items.count() * 2 + 4);
    let title = format!("精华消息 · {}", group_name(state, l.group));
    let keys = [
        (Action::Activate, "跳转到消息"),
        (Action::Delete, "取消精华"),
    ];
    let (inner, items) = list_chrome(
        state,
        theme,
        area,
        size,
        &title,
        &keys,
        &l.items,
        "本群还没有精华消息",
        buf,
    )?;
    let rows = inner.height.saturating_sub(2) as usize;
    let start = first_visible(l.selected, rows, 2);
    let mut y = inner.y;
    for (i, e) in items.iter().enumerate().skip(start) {
        if y + 1 >= inner.y + inner.height.saturating_sub(1) {
            break;
        }
        let sel = i == l.selected;
        let style = entry_style(theme, sel);
        buf.set_style(Rect::new(inner.x, y, inner.width, 2), style);
        let sent = match sent_time(state, Peer::Group(l.group), e.message_id) {
            Some(t) => format!("发于 {}", when(t, state.now)),
            None if state.quotes.get(&e.message_id) == Some(&Quote::Loading) => "发于 …".into(),
            None => "发送时间未知".into(),
        };
        let head = format!(
            "{}  {sent}  · {} 设于 {}",
            sanitize_line(&e.sender_nick),
            sanitize_line(&e.operator_nick),
            when(e.operator_time, state.now),
        );
        put(
            buf,
            inner.x + 1,
            y,
            &head,
            inner.width.saturating_sub(1),
            if sel {
                style
            } else {
                theme.user_color(e.sender_id)
            },
        );
        let text = excerpt(&e.content.plain_text());
        let text = if text.is_empty() {
            "[空消息]".to_string()
        } else {
            text
        };
        put(
            buf,
            inner.x + 3,
            y + 1,
            &sanitize_line(&text),
            inner.width.saturating_sub(3),
            style,
        );
        y += 2;
    }
    None
}
