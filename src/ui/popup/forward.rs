//! The merged-forward viewer: the breadcrumb of opened forwards in the title, every node with its
//! sender, time and content (drawn as the timeline draws a message), the selected node
//! highlighted and kept in view, the search field and a note above the key hints.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use crate::app::Action;
use crate::app::chat::MessageItem;
use crate::app::keymap::Context;
use crate::app::popup::{ForwardView, Load};
use crate::app::state::State;
use crate::onebot::{MessageEvent, Peer};

use super::super::message::{LayoutCtx, content_spans};
use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::super::wrap::{WrapOpts, truncate, wrap_spans};
use super::time::when;
use super::{centered, closing, entry_style, field_line, footer, frame, pack, put};

/// The breadcrumb: `聊天记录 · 小明 › 小红 (2/3)`, its head cut to fit.
fn title(v: &ForwardView, w: u16) -> String {
    let crumbs: Vec<String> = v
        .levels
        .iter()
        .map(|l| sanitize_line(&l.label).into_owned())
        .collect();
    let depth = v.levels.len();
    let pos = v
        .top()
        .and_then(|l| l.nodes.ready().map(|n| (l.selected, n.len())))
        .filter(|(_, n)| *n > 0)
        .map(|(i, n)| format!(" ({}/{n})", i + 1))
        .unwrap_or_default();
    let level = if depth > 1 {
        format!(" · 第 {depth} 层")
    } else {
        String::new()
    };
    let full = format!("聊天记录 · {}{level}{pos}", crumbs.join(" › "));
    let room = w.saturating_sub(6) as usize;
    if super::super::wrap::width(&full) <= room {
        return full;
    }
    // Too long: the innermost crumbs matter most.
    let tail = format!(
        "聊天记录 · … › {}{level}{pos}",
        crumbs.last().cloned().unwrap_or_default()
    );
    truncate(&tail, room).into_owned()
}

/// The rows of one node: `名字  时间`, the message it quotes (found among `all`, the nodes of
/// its level, when it is one of them), then its content, wrapped to `w`.
fn node_rows(
    state: &State,
    theme: &Theme,
    peer: Peer,
    m: &MessageEvent,
    all: &[MessageEvent],
    w: u16,
) -> Vec<Line<'static>> {
    let item = MessageItem::from_event(m);
    let ctx = LayoutCtx { state, theme, peer };
    let name = m.sender.display_name();
    let name = if name.is_empty() {
        m.user_id.to_string()
    } else {
        name
    };
    let head = Line::from(vec![
        Span::styled(
            sanitize_line(&name).into_owned(),
            theme.user_color(m.user_id).add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("  {}", when(m.time, state.now)), theme.time),
    ]);
    let mut body = Vec::new();
    if let Some(id) = m.message.reply_to() {
        let quote = match all.iter().find(|n| n.message_id == id) {
            Some(q) => format!(
                "┆ {}: {}",
                q.sender.display_name(),
                crate::app::text::excerpt(&q.message.plain_text())
            ),
            None => "┆ (回复了一条消息)".to_string(),
        };
        body.push(Span::styled(
            sanitize_line(&quote).into_owned(),
            theme.quote,
        ));
        body.push(Span::raw("\n"));
    }
    body.extend(content_spans(&ctx, &item));
    let mut rows = vec![head];
    for l in wrap_spans(&body, w.saturating_sub(2).max(4), WrapOpts::default()) {
        let mut spans = vec![Span::raw("  ")];
        spans.extend(l.spans);
        rows.push(Line::from(spans));
    }
    rows
}

/// Draws the viewer over most of the screen.
pub fn draw(
    state: &State,
    theme: &Theme,
    v: &ForwardView,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let w = area.width.saturating_sub(4).clamp(20.min(area.width), 110);
    let h = area.height.saturating_sub(2).max(6.min(area.height));
    let r = centered(area, w, h);
    let inner = frame(theme, &title(v, w), r, buf, theme.popup_border);
    if inner.height < 3 || inner.width < 8 {
        return None;
    }
    let keys = [
        (Action::Activate, "打开嵌套的记录"),
        (Action::Search, "搜索"),
        (Action::Confirm, "复制"),
    ];
    let back = if v.levels.len() > 1 {
        "返回上一层"
    } else {
        "关闭"
    };
    let hints = closing(state, state.keymap.hint_items(Context::Popup, &keys), back);
    let hint_lines = pack(&hints, inner.width.saturating_sub(1));
    let hint = hint_lines.first().cloned().unwrap_or_default();
    footer(theme, inner, &hint, buf);
    // The line above the hints: the search field, else the note.
    let mut caret = None;
    let mut bottom = inner.y + inner.height - 1;
    if let Some(q) = &v.search {
        bottom -= 1;
        caret = Some(field_line(
            theme,
            inner.x + 1,
            bottom,
            inner.width.saturating_sub(1),
            "搜索: ",
            q,
            buf,
        ));
    } else if let Some(n) = &v.note {
        bottom -= 1;
        put(
            buf,
            inner.x + 1,
            bottom,
            &sanitize_line(n),
            inner.width.saturating_sub(1),
            theme.status_info,
        );
    }
    let body = Rect::new(inner.x, inner.y, inner.width, bottom - inner.y);
    let Some(level) = v.top() else {
        return caret;
    };
    let nodes = match &level.nodes {
        Load::Loading => {
            put(
                buf,
                body.x + 1,
                body.y,
                "正在获取聊天记录…",
                body.width,
                theme.system,
            );
            return caret;
        }
        Load::Failed(why) => {
            let text = format!("无法打开这条聊天记录: {}", sanitize_line(why));
            let lines = wrap_spans(
                &[Span::styled(text, theme.status_error)],
                body.width.saturating_sub(2),
                WrapOpts::default(),
            );
            for (i, l) in lines.iter().take(body.height as usize).enumerate() {
                buf.set_line(
                    body.x + 1,
                    body.y + i as u16,
                    l,
                    body.width.saturating_sub(1),
                );
            }
            return caret;
        }
        Load::Ready(n) => n,
    };
    if nodes.is_empty() {
        put(
            buf,
            body.x + 1,
            body.y,
            "这条聊天记录是空的",
            body.width,
            theme.system,
        );
        return caret;
    }
    let peer = state.open.unwrap_or(Peer::Private(0));
    let cw = body.width.saturating_sub(1);
    let sel = level.selected.min(nodes.len() - 1);
    // From the selected node back, as many as fit above it, so that it shows whole when it can.
    // Each node is laid out once per frame: the rows measured to fit are the rows drawn.
    let make = |i: usize| node_rows(state, theme, peer, &nodes[i], nodes, cw);
    let mut laid: Vec<Option<Vec<_>>> = vec![None; nodes.len()];
    let mut start = sel;
    let mut used = laid[sel].insert(make(sel)).len();
    while start > 0 {
        let n = laid[start - 1].insert(make(start - 1)).len();
        if used + n > body.height as usize {
            break;
        }
        used += n;
        start -= 1;
    }
    let mut y = body.y;
    for (i, _) in nodes.iter().enumerate().skip(start) {
        if y >= body.bottom() {
            break;
        }
        let selected = i == sel;
        for line in laid[i].take().unwrap_or_else(|| make(i)) {
            if y >= body.bottom() {
                break;
            }
            if selected {
                buf.set_style(
                    Rect::new(body.x, y, body.width, 1),
                    entry_style(theme, true),
                );
                put(buf, body.x, y, "▌", 1, theme.help_key);
            }
            buf.set_line(body.x + 1, y, &line, cw);
            y += 1;
        }
    }
    caret
}
