//! The notice list: every notice's head and first line, the selected one in full, and the
//! delete confirmation over it while one is pending.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Span;

use crate::app::Action;
use crate::app::popup::{Confirm, NoticeList};
use crate::app::state::State;
use crate::app::text::excerpt;

use super::super::theme::Theme;
use super::super::wrap::{WrapOpts, wrap_spans};
use super::time::when;
use super::{entry_style, first_visible, group_name, list_chrome, list_frame, member_label, put};

/// Draws the notice list.
pub fn draw(
    state: &State,
    theme: &Theme,
    l: &NoticeList,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let (w, _) = list_frame(area, 0);
    // Heads and first lines, the selected notice in full (estimated at the popup's width).
    let want = match l.items.ready() {
        Some(items) => {
            items
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let body = if i == l.selected {
                        wrap_spans(
                            &[Span::raw(n.text.clone())],
                            w.saturating_sub(6),
                            WrapOpts::default(),
                        )
                        .len()
                        .max(1)
                    } else {
                        1
                    };
                    1 + body
                })
                .sum::<usize>()
                + 4
        }
        None => 6,
    };
    let (_, h) = list_frame(area, want);
    let title = format!("群公告 · {}", group_name(state, l.group));
    let (inner, items) = list_chrome(
        state,
        theme,
        area,
        (w, h),
        &title,
        &[(Action::Delete, "删除")],
        &l.items,
        "本群还没有公告",
        buf,
    )?;
    let text_w = inner.width.saturating_sub(4);
    let bottom = inner.y + inner.height.saturating_sub(1);
    // Every notice shows its head and first line; the selected one its whole text.
    let start = first_visible(l.selected, inner.height.saturating_sub(8) as usize, 2);
    let mut y = inner.y;
    for (i, n) in items.iter().enumerate().skip(start) {
        if y + 1 >= bottom {
            break;
        }
        let sel = i == l.selected;
        let mut flags = String::new();
        if n.pinned {
            flags.push_str("置顶 · ");
        }
        if n.for_new_members {
            flags.push_str("发给新成员 · ");
        }
        flags.push_str(&format!("已读 {}", n.read_num));
        if n.settings.confirm_required != 0 {
            flags.push_str(" · 需确认");
        }
        if !n.images.is_empty() {
            flags.push_str(&format!(" · [图片×{}]", n.images.len()));
        }
        let head = format!(
            "{}  {}  {flags}",
            member_label(state, l.group, n.sender_id),
            when(n.publish_time, state.now)
        );
        let head_style = entry_style(theme, sel);
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), head_style);
        put(
            buf,
            inner.x + 1,
            y,
            &head,
            inner.width.saturating_sub(1),
            head_style,
        );
        y += 1;
        let body = crate::ui::sanitize::sanitize(&n.text).into_owned();
        let lines = wrap_spans(
            &[Span::styled(body, theme.popup)],
            text_w,
            WrapOpts::default(),
        );
        let take = if sel { lines.len().max(1) } else { 1 };
        for l in lines.iter().take(take) {
            if y >= bottom {
                break;
            }
            buf.set_line(inner.x + 3, y, l, text_w);
            y += 1;
        }
        if !sel && lines.len() > 1 && y <= bottom {
            // The first line stands for the rest.
            let last = y - 1;
            let end = inner.x + inner.width.saturating_sub(1);
            buf.set_string(end, last, "…", theme.help_text);
        }
    }
    // The shared confirmation dialog needs a few cells to draw into.
    if let Some(i) = l.pending
        && let Some(n) = items.get(i)
        && area.width >= 8
        && area.height >= 4
    {
        let c = Confirm {
            title: "删除群公告".into(),
            body: format!(
                "删除 {} 发布的公告「{}」？",
                crate::app::admin::target::label(state, l.group, n.sender_id),
                excerpt(&n.text)
            ),
            on_yes: Vec::new(),
        };
        super::confirm::draw(state, theme, &c, area, buf);
    }
    None
}
