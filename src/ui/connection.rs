//! What the message pane says while there is no connection: where napterm is connecting to,
//! why it failed — the whole reason, wrapped, never cut — and what to do about it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

use crate::app::Action;
use crate::app::keymap::Context;
use crate::app::state::State;
use crate::onebot::ConnState;

use super::sanitize::sanitize_line;
use super::wrap::{WrapOpts, width, wrap_spans};

/// The notice's paragraphs, or None while connected.
pub fn notice(state: &State) -> Option<Vec<String>> {
    let url = if state.settings.server_url.is_empty() {
        "NapCat".to_string()
    } else {
        sanitize_line(&state.settings.server_url).into_owned()
    };
    let retry = state
        .keymap
        .key_label(Context::of_pane(state.focus), &Action::Reload, None)
        .map(|k| format!("按 {k} 或输入 /reconnect 立即重试"))
        .unwrap_or_else(|| "输入 /reconnect 立即重试".to_string());
    let reason = state
        .last_conn_failure
        .as_deref()
        .map(|r| sanitize_line(r).into_owned());
    let mut out = Vec::new();
    match &state.conn {
        ConnState::Connected { .. } => return None,
        ConnState::Connecting { attempt } if *attempt <= 1 => {
            out.push(format!("正在连接 {url} …"));
        }
        ConnState::Connecting { attempt } => {
            out.push(format!("正在连接 {url} … (第 {attempt} 次)"));
            if let Some(r) = reason {
                out.push(format!("上次失败: {r}"));
            }
        }
        ConnState::Reconnecting { in_secs, reason } => {
            let left = state.reconnect_in().unwrap_or(*in_secs);
            out.push(format!("连不上 {url}: {}", sanitize_line(reason)));
            out.push(format!("{left} 秒后再试 · {retry}"));
        }
        ConnState::AuthFailed { message } => {
            out.push(format!("{url} 拒绝了连接:"));
            out.push(sanitize_line(message).into_owned());
            out.push(format!("改好 token 后{retry}"));
        }
        ConnState::Stopped => out.push("已断开".to_string()),
    }
    // Nothing answered and never has: perhaps there is no NapCat at all.
    let unreachable = match state.conn {
        ConnState::Reconnecting { .. } => true,
        ConnState::Connecting { attempt } => attempt > 1,
        _ => false,
    };
    if unreachable && !state.loaded {
        out.push(
            "没有 NapCat? 运行 napterm demo 试用内置的模拟服务器; 其它地址用 napterm --url ws://主机:端口"
                .to_string(),
        );
    }
    Some(out)
}

/// The rows `paragraphs` take wrapped to `w` columns, blank lines between them.
pub fn wrapped(paragraphs: &[String], w: u16) -> Vec<String> {
    let mut rows = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            rows.push(String::new());
        }
        for line in wrap_spans(&[Span::raw(p.as_str())], w, WrapOpts::default()) {
            rows.push(line.spans.iter().map(|s| s.content.as_ref()).collect());
        }
    }
    rows
}

/// Draws `rows` centred in `area`, each row centred too, from `top` when given.
pub fn draw_rows(rows: &[String], area: Rect, top: Option<u16>, style: Style, buf: &mut Buffer) {
    let top = top.unwrap_or(area.y + area.height.saturating_sub(rows.len() as u16) / 2);
    for (i, r) in rows.iter().enumerate() {
        let y = top + i as u16;
        if y >= area.y + area.height {
            break;
        }
        let x = area.x + area.width.saturating_sub(width(r) as u16) / 2;
        buf.set_stringn(x, y, r, area.width as usize, style);
    }
}
