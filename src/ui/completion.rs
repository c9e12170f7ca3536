//! The composer's completion list, just above it: `@` members, `/` commands, `/open ` chats.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::composer::CompletionKind;
use crate::app::state::State;

use super::sanitize::sanitize_line;
use super::theme::Theme;
use super::wrap::{truncate, width};

/// Rows of entries shown at once (the list scrolls with the highlight).
const ROWS: usize = 8;
/// The list's width for mentions, and the least it takes for the others.
const MIN_WIDTH: u16 = 36;

/// The title, how an entry's label is written, and what an empty list says.
fn looks(kind: CompletionKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        CompletionKind::Mention => (" @ 提及 ", "@", "没有匹配的成员"),
        CompletionKind::Command => (" 命令 ", "", "没有这个命令 (/help 查看全部)"),
        CompletionKind::Chat => (" 打开会话 ", "", "没有匹配的会话"),
    }
}

/// Draws the open completion list above the composer at `composer`.
pub fn draw(state: &State, theme: &Theme, composer: Rect, buf: &mut Buffer) {
    let Some(c) = &state.composer.completion else {
        return;
    };
    let (title, prefix, empty) = looks(c.kind);
    let n = c.items.len().min(ROWS) as u16;
    let h = n.max(1) + 2;
    if composer.y < h {
        return;
    }
    // Commands and chats carry a description or a number worth the room; mentions stay narrow.
    let wanted = match c.kind {
        CompletionKind::Mention => MIN_WIDTH,
        _ => c
            .items
            .iter()
            .map(|i| width(prefix) + width(&i.label) + width(&i.detail) + 4)
            .max()
            .unwrap_or(0)
            .clamp(MIN_WIDTH as usize, 72) as u16,
    };
    let w = wanted.min(composer.width);
    let area = Rect::new(composer.x, composer.y - h, w, h);
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.popup_border)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    if c.items.is_empty() {
        buf.set_stringn(inner.x, inner.y, empty, inner.width as usize, theme.system);
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
        let label = format!("{prefix}{}", sanitize_line(&item.label));
        let detail = sanitize_line(&item.detail);
        // A member's number is kept whole; a command's description yields to its name.
        let detail = if c.kind == CompletionKind::Mention {
            detail
        } else {
            let lw = (width(&label) as u16 + 1).min(inner.width.saturating_sub(6).max(1));
            let room = inner.width.saturating_sub(lw + 1) as usize;
            std::borrow::Cow::Owned(truncate(&detail, room).into_owned())
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
