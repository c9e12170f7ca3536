//! The composer (a rule with the reply target, then the text) and the completion list just
//! above it (`@` members, `/` commands, `/open ` chats).

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::widgets::Widget;

use crate::app::action::Pane;
use crate::app::composer::CompletionKind;
use crate::app::state::State;

use super::held::HeldRects;
use super::kept::KeptRows;
use super::memo::Memo;
use super::paint;
use super::popup::{entry_style, frame};
use super::sanitize::sanitize_line;
use super::theme::Theme;
use super::wrap::{truncate, width};

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

/// The composer's rule and its hint as painted in earlier frames (the rule alone is a hundred
/// cells measured one by one).
#[derive(Default)]
pub struct ComposerKept {
    rule: KeptRows<(String, Style)>,
    hint: KeptRows<(String, Style)>,
    /// The placeholder's keys filled in, per keymap generation and text.
    hint_text: Memo<(u64, &'static str), String>,
}

impl ComposerKept {
    /// Its rows drawn this frame (see `kept::KeptRows::shown`).
    pub fn shown(&self, out: &mut Vec<(Rect, u64)>) {
        self.rule.shown(out);
        self.hint.shown(out);
    }
}

/// Draws the composer (a rule with the reply target, then the text); returns the caret.
pub fn composer(
    state: &State,
    theme: &Theme,
    area: Rect,
    kept: &mut ComposerKept,
    (buf, held): (&mut Buffer, &mut HeldRects),
) -> Option<Position> {
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
    let label = truncate(&label, area.width.saturating_sub(2) as usize).into_owned();
    let style = if label.is_empty() {
        rule_style
    } else {
        theme.composer_hint
    };
    let rule_at = Rect::new(area.x, area.y, area.width, 1);
    kept.rule.put(
        0,
        rule_at,
        (&mut *buf, &mut *held),
        (label, style),
        |(label, style), buf| {
            let fill = (area.width as usize).saturating_sub(2 + width(label));
            let rule = format!("──{label}{}", "─".repeat(fill));
            paint::set_stringn(buf, area.x, area.y, &rule, area.width as usize, *style);
        },
    );
    let text_area = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    if state.composer.is_empty() {
        let hint = if state.open.is_none() {
            "用 /open 名字 打开会话，{global:focus_next} 切换窗格，{global:help} 帮助"
        } else if focused {
            "输入消息 · {composer:send} 发送 · {composer:newline} 换行 · /help 命令"
        } else {
            ""
        };
        let keymap = &state.keymap;
        let hint = kept
            .hint_text
            .get((keymap.generation(), hint), || keymap.fill_keys(hint))
            .clone();
        let hint_at = Rect::new(text_area.x, text_area.y, text_area.width, 1);
        kept.hint.put(
            0,
            hint_at,
            (&mut *buf, &mut *held),
            (hint, theme.help_text),
            |(hint, style), buf| {
                paint::set_stringn(
                    buf,
                    text_area.x,
                    text_area.y,
                    hint,
                    text_area.width as usize,
                    *style,
                );
            },
        );
        return focused.then_some(Position::new(text_area.x, text_area.y));
    }
    held.clear_under(buf, text_area);
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

/// Rows of entries the completion list shows at once (it scrolls with the highlight).
const COMPLETION_ROWS: usize = 8;
/// The completion list's width for mentions, and the least it takes for the others.
const COMPLETION_MIN_WIDTH: u16 = 36;

/// A completion list's title, how an entry's label is written, and what an empty list says.
fn completion_looks(kind: CompletionKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        CompletionKind::Mention => ("@ 提及", "@", "没有匹配的成员"),
        CompletionKind::Command => ("命令", "", "没有这个命令 (/help 查看全部)"),
        CompletionKind::Chat => ("打开会话", "", "没有匹配的会话"),
        CompletionKind::Path => ("本地文件", "", "没有匹配的文件"),
    }
}

/// The completion list just above the composer: `@` members, `/` commands, `/open ` chats.
pub fn completion(state: &State, theme: &Theme, composer: Rect, buf: &mut Buffer) {
    let Some(c) = &state.composer.completion else {
        return;
    };
    let (title, prefix, empty) = completion_looks(c.kind);
    let n = c.items.len().min(COMPLETION_ROWS) as u16;
    let h = n.max(1) + 2;
    if composer.y < h {
        return;
    }
    // Commands and chats carry a description or a number worth the room; mentions stay narrow.
    let wanted = match c.kind {
        CompletionKind::Mention => COMPLETION_MIN_WIDTH,
        _ => c
            .items
            .iter()
            .map(|i| width(prefix) + width(&i.label) + width(&i.detail) + 4)
            .max()
            .unwrap_or(0)
            .clamp(COMPLETION_MIN_WIDTH as usize, 72) as u16,
    };
    let w = wanted.min(composer.width);
    let area = Rect::new(composer.x, composer.y - h, w, h);
    let inner = frame(theme, title, area, buf, theme.popup_border);
    if c.items.is_empty() {
        buf.set_stringn(inner.x, inner.y, empty, inner.width as usize, theme.system);
        return;
    }
    let start = c.selected.saturating_sub(n as usize - 1);
    for (i, item) in c.items.iter().enumerate().skip(start).take(n as usize) {
        let y = inner.y + (i - start) as u16;
        let style = entry_style(theme, i == c.selected);
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        let label = format!("{prefix}{}", sanitize_line(&item.label));
        let detail = sanitize_line(&item.detail);
        // A member's number is kept whole; a command's description yields to its name.
        let detail = if c.kind == CompletionKind::Mention {
            detail.into_owned()
        } else {
            let lw = (width(&label) as u16 + 1).min(inner.width.saturating_sub(6).max(1));
            let room = inner.width.saturating_sub(lw + 1) as usize;
            truncate(&detail, room).into_owned()
        };
        let dw = width(&detail) as u16 + 1;
        buf.set_stringn(
            inner.x,
            y,
            truncate(&label, inner.width.saturating_sub(dw) as usize),
            inner.width as usize,
            style,
        );
        if inner.width > dw && !detail.is_empty() {
            buf.set_string(inner.x + inner.width - dw + 1, y, &detail, theme.help_text);
        }
    }
}
