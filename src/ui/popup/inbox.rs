//! The requests inbox: each request with who, what, how long ago and its message; the remark or
//! reason field while one is typed.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::Action;
use crate::app::inbox::RequestWhat;
use crate::app::keymap::Context;
use crate::app::popup::{InboxView, field_hint};
use crate::app::state::State;
use crate::onebot::Peer;

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::super::wrap::width;
use super::time::ago;
use super::{
    centered, closing, entry_style, field_line, first_visible, footer, frame, list_frame, put,
};

/// Draws the inbox; the caret is in the remark or reason, while one is typed.
pub fn draw(
    state: &State,
    theme: &Theme,
    v: &InboxView,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let items = &state.inbox.items;
    let (w, h) = list_frame(area, items.len() * 2 + 5);
    let r = centered(area, w, h);
    let title = if items.is_empty() {
        "请求".to_string()
    } else {
        format!("请求 ({})", items.len())
    };
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    if inner.height < 3 {
        return None;
    }
    let iw = inner.width.saturating_sub(2);
    let mut caret = None;
    if let Some(input) = &v.input {
        let label = if input.approve {
            "备注 (可留空): "
        } else {
            "拒绝理由 (可留空): "
        };
        let y = inner.y + inner.height - 2;
        caret = Some(field_line(
            theme,
            inner.x + 1,
            y,
            iw,
            label,
            &input.text,
            buf,
        ));
        footer(theme, inner, &field_hint("确认", "取消"), buf);
    } else {
        let answer = if items.is_empty() {
            Vec::new()
        } else {
            state.keymap.hint_items(
                Context::Popup,
                &[(Action::Accept, "同意"), (Action::Reject, "拒绝")],
            )
        };
        footer(
            theme,
            inner,
            &closing(state, answer, "关闭").join(" · "),
            buf,
        );
    }
    if items.is_empty() {
        put(
            buf,
            inner.x + 1,
            inner.y,
            "没有待处理的请求",
            iw,
            theme.system,
        );
        return caret;
    }
    let rows = inner.height.saturating_sub(3) as usize;
    let start = first_visible(v.selected, rows, 2);
    let bottom = inner.y + inner.height.saturating_sub(2);
    let mut y = inner.y;
    for (i, r) in items.iter().enumerate().skip(start) {
        if y >= bottom {
            break;
        }
        let sel = i == v.selected;
        let style = entry_style(theme, sel);
        buf.set_style(Rect::new(inner.x, y, inner.width, 2.min(bottom - y)), style);
        let who = if r.nickname.is_empty() {
            r.user_id.to_string()
        } else {
            format!("{} ({})", sanitize_line(&r.nickname), r.user_id)
        };
        let group = |g: i64| {
            let name = if r.group_name.is_empty() {
                state.contacts.chat_name(Peer::Group(g))
            } else {
                r.group_name.clone()
            };
            if name == g.to_string() {
                name
            } else {
                format!("{} ({g})", sanitize_line(&name))
            }
        };
        let what = match r.what {
            RequestWhat::Friend => format!("好友申请  {who}"),
            RequestWhat::Join { group: g } => format!("加群申请  {who} → {}", group(g)),
            RequestWhat::Invite { group: g } => format!("入群邀请  {who} 邀请你加入 {}", group(g)),
        };
        let age = match (r.answering, r.time) {
            (true, _) => "处理中…".to_string(),
            (false, Some(t)) => ago(t, state.now),
            (false, None) => String::new(),
        };
        let aw = width(&age) as u16;
        let head = format!("{}. {what}", i + 1);
        put(buf, inner.x + 1, y, &head, iw.saturating_sub(aw + 2), style);
        if aw > 0 && iw > aw {
            put(buf, inner.x + 1 + iw - aw, y, &age, aw, style);
        }
        if y + 1 < bottom {
            let mut second = if r.comment.trim().is_empty() {
                "(没有附言)".to_string()
            } else {
                sanitize_line(&r.comment).into_owned()
            };
            if r.filtered {
                second = format!("[已被 QQ 过滤] {second}");
            }
            put(
                buf,
                inner.x + 4,
                y + 1,
                &second,
                iw.saturating_sub(3),
                if sel { style } else { theme.help_text },
            );
        }
        y += 2;
    }
    caret
}
