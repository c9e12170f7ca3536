//! Overlays: the composer, `@` completion, the face picker, help, confirmations.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::action::{ACTIONS, Action, Pane};
use crate::app::commands::COMMANDS;
use crate::app::keymap::Context;
use crate::app::state::{Confirm, FacePicker, State};

use super::sanitize::sanitize_line;
use super::theme::Theme;
use super::wrap::{WrapOpts, truncate, width, wrap_spans};

/// Rows the composer's text needs at `w` columns (1–5).
pub fn composer_height(state: &State, w: u16) -> u16 {
    let w = w.max(1) as usize;
    let rows: usize = state
        .composer
        .textarea
        .lines()
        .iter()
        .map(|l| (width(l) / w) + 1)
        .sum();
    rows.clamp(1, 5) as u16
}

/// Draws the composer (a rule with the reply target, then the text); returns the caret.
pub fn composer(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) -> Option<Position> {
    if area.height < 2 || area.width < 2 {
        return None;
    }
    let focused =
        state.focus == Pane::Composer && state.popup.is_none() && state.command_line.is_none();
    let rule_style = if focused {
        theme.border_focused
    } else {
        theme.border
    };
    let label = match &state.composer.reply {
        Some(r) => format!(
            " 回复 {}: {} {} ",
            sanitize_line(&r.author),
            sanitize_line(&r.excerpt),
            state.keymap.fill_keys("({composer:cancel|esc} 取消)")
        ),
        None => String::new(),
    };
    let label = truncate(&label, area.width.saturating_sub(2) as usize);
    let fill = (area.width as usize).saturating_sub(2 + width(&label));
    let rule = format!("──{label}{}", "─".repeat(fill));
    let style = if label.is_empty() {
        rule_style
    } else {
        theme.composer_hint
    };
    buf.set_stringn(area.x, area.y, &rule, area.width as usize, style);
    let text_area = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    if state.composer.is_empty() {
        let hint = if state.open.is_none() {
            "用 /open 名字 打开会话，{global:focus_next} 切换窗格，{global:help} 帮助"
        } else if focused {
            "输入消息 · {composer:send} 发送 · {composer:newline} 换行 · /help 命令"
        } else {
            ""
        };
        let hint = state.keymap.fill_keys(hint);
        buf.set_stringn(
            text_area.x,
            text_area.y,
            &hint,
            text_area.width as usize,
            theme.help_text,
        );
        return focused.then_some(Position::new(text_area.x, text_area.y));
    }
    let mut ta = state.composer.textarea.clone();
    ta.set_style(theme.composer);
    ta.set_cursor_line_style(Style::new());
    ta.set_cursor_style(if focused {
        Style::new()
    } else {
        theme.composer
    });
    (&ta).render(text_area, buf);
    if !focused {
        return None;
    }
    let sc = ta.screen_cursor();
    let (top, _) = ta.scroll_offset();
    let row = sc.row.saturating_sub(top as usize) as u16;
    let col = (sc.col as u16).min(text_area.width.saturating_sub(1));
    Some(Position::new(
        text_area.x + col,
        text_area.y + row.min(text_area.height - 1),
    ))
}

/// The `@` completion list just above the composer.
pub fn completion(state: &State, theme: &Theme, composer: Rect, buf: &mut Buffer) {
    let Some(c) = &state.composer.completion else {
        return;
    };
    let n = c.items.len().min(8) as u16;
    let h = n.max(1) + 2;
    if composer.y < h {
        return;
    }
    let w = 36.min(composer.width);
    let area = Rect::new(composer.x, composer.y - h, w, h);
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.popup_border)
        .title(Span::styled(" @ 提及 ", theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    if c.items.is_empty() {
        buf.set_stringn(
            inner.x,
            inner.y,
            "没有匹配的成员",
            inner.width as usize,
            theme.system,
        );
        return;
    }
    let start = c.selected.saturating_sub(n as usize - 1);
    for (i, item) in c.items.iter().enumerate().skip(start).take(n as usize) {
        let y = inner.y + (i - start) as u16;
        let style = if i == c.selected {
            theme.popup_selected
        } else {
            theme.popup
        };
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        let label = format!("@{}", sanitize_line(&item.label));
        let dw = width(&item.detail) as u16 + 1;
        buf.set_stringn(
            inner.x,
            y,
            truncate(&label, inner.width.saturating_sub(dw) as usize),
            inner.width as usize,
            style,
        );
        if inner.width > dw {
            buf.set_string(
                inner.x + inner.width - dw + 1,
                y,
                &item.detail,
                theme.help_text,
            );
        }
    }
}

/// A `w`×`h` rectangle centred in `area` (clipped to it).
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears `area`, draws a titled border, returns the inside.
pub(crate) fn frame(
    theme: &Theme,
    title: &str,
    area: Rect,
    buf: &mut Buffer,
    style: Style,
) -> Rect {
    Clear.render(area, buf);
    let title = truncate(title, area.width.saturating_sub(4) as usize).into_owned();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// The face picker.
pub fn faces(state: &State, theme: &Theme, p: &FacePicker, area: Rect, buf: &mut Buffer) {
    let r = centered(area, 40, area.height.saturating_sub(4).min(20));
    let title = state
        .keymap
        .fill_keys("表情 (输入以搜索, {popup:activate|enter} 插入)");
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    if inner.height < 2 {
        return;
    }
    buf.set_stringn(
        inner.x,
        inner.y,
        format!("🔍 {}", p.query),
        inner.width as usize,
        theme.composer,
    );
    let list = p.matches();
    let h = (inner.height - 1) as usize;
    let sel = p.selected.min(list.len().saturating_sub(1));
    let start = if sel >= h { sel + 1 - h } else { 0 };
    for (i, f) in list.iter().enumerate().skip(start).take(h) {
        let y = inner.y + 1 + (i - start) as u16;
        let style = if i == sel {
            theme.popup_selected
        } else {
            theme.popup
        };
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        buf.set_stringn(
            inner.x,
            y,
            format!("[{}]  {}", f.name, f.id),
            inner.width as usize,
            style,
        );
    }
    if list.is_empty() {
        buf.set_stringn(
            inner.x,
            inner.y + 1,
            "没有匹配的表情",
            inner.width as usize,
            theme.system,
        );
    }
}

/// The help overlay: keys per context from the keymap, then the commands.
pub fn help(state: &State, theme: &Theme, scroll: u16, area: Rect, buf: &mut Buffer) {
    let r = centered(
        area,
        area.width.saturating_sub(4).min(90),
        area.height.saturating_sub(2),
    );
    let title = state
        .keymap
        .fill_keys("帮助 ({popup:deny|esc} 关闭, {popup:move -1}{popup:move 1} 滚动)");
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let sections = [
        (Context::Global, "全局"),
        (Context::Composer, "输入框"),
        (Context::Timeline, "消息列表"),
        (Context::Sidebar, "会话列表"),
        (Context::Members, "成员列表"),
        (Context::Popup, "弹窗"),
    ];
    let kw = 18usize;
    for (ctx, title) in sections {
        lines.push(Line::from(Span::styled(title.to_string(), theme.title)));
        for (keys, desc) in state.keymap.help_rows(ctx) {
            let k = format!("  {keys:<kw$}");
            lines.push(Line::from(vec![
                Span::styled(k, theme.help_key),
                Span::styled(sanitize_line(&desc).into_owned(), theme.help_text),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(
        state
            .keymap
            .fill_keys("命令 (在输入框输入 / 开头, 或在其它窗格按 {timeline:command_line})"),
        theme.title,
    )));
    for c in COMMANDS {
        let usage = format!("  /{} {}", c.name, c.usage);
        lines.push(Line::from(vec![
            Span::styled(format!("{usage:<30}"), theme.help_key),
            Span::styled(state.keymap.fill_keys(c.desc), theme.help_text),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        format!(
            "键位可在 keymap.toml 中修改; 共 {} 个动作, 见 napterm keys",
            ACTIONS.len()
        ),
        theme.help_text,
    )));
    let start = (scroll as usize).min(lines.len().saturating_sub(1));
    for (i, l) in lines
        .iter()
        .skip(start)
        .take(inner.height as usize)
        .enumerate()
    {
        buf.set_line(inner.x, inner.y + i as u16, l, inner.width);
    }
}

/// A confirmation dialog that says exactly what will happen.
pub fn confirm(state: &State, theme: &Theme, c: &Confirm, area: Rect, buf: &mut Buffer) {
    let w = 56.min(area.width.saturating_sub(2));
    let body = [Span::raw(sanitize_line(&c.body).into_owned())];
    let lines = wrap_spans(&body, w.saturating_sub(4), WrapOpts::default());
    let h = (lines.len() as u16 + 4).min(area.height);
    let r = centered(area, w, h);
    let inner = frame(theme, &c.title, r, buf, theme.confirm_danger);
    for (i, l) in lines
        .iter()
        .enumerate()
        .take(inner.height.saturating_sub(2) as usize)
    {
        buf.set_line(
            inner.x + 1,
            inner.y + i as u16,
            l,
            inner.width.saturating_sub(1),
        );
    }
    // Each answer names its first key and the usual one (`y / Enter`, `n / Esc`).
    let p = Context::Popup;
    let yes = [
        (p, Action::Confirm, None),
        (p, Action::Activate, Some("enter")),
    ];
    let no = [(p, Action::Deny, None), (p, Action::Deny, Some("esc"))];
    let hint = [(yes, "确认"), (no, "取消")]
        .iter()
        .map(|(keys, label)| (state.keymap.key_labels(keys), label))
        .filter(|(keys, _)| !keys.is_empty())
        .map(|(keys, label)| format!("{} {label}", keys.join(" / ")))
        .collect::<Vec<_>>()
        .join("    ");
    let y = inner.y + inner.height.saturating_sub(1);
    let x = inner.x + inner.width.saturating_sub(width(&hint) as u16) / 2;
    buf.set_string(x, y, &hint, theme.confirm_danger);
}
