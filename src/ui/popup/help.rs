//! The help overlay: the lines `app::popup::help` makes, laid out in two columns (keys or a
//! command's usage, then what it does), the description wrapping under itself.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use crate::app::popup::HelpView;
use crate::app::popup::help::{HelpLine, last_scroll, lines};
use crate::app::state::{HelpExtent, State};

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::super::wrap::{WrapOpts, width, wrap_spans};
use super::{centered, frame};

/// The widest key column: wider key lists wrap their description to the next row.
const KEYS_MAX: usize = 24;
/// The widest usage column (see [`KEYS_MAX`]).
const USAGE_MAX: usize = 34;
/// Blank columns in front of a key or a usage.
const INDENT: usize = 2;

/// Draws the help overlay at its scroll position (never past the last page); returns how it
/// laid the text out, for the keys that scroll it.
pub fn draw(
    state: &State,
    theme: &Theme,
    p: &HelpView,
    area: Rect,
    buf: &mut Buffer,
) -> (Option<Position>, HelpExtent) {
    let r = centered(
        area,
        area.width.saturating_sub(4).min(90),
        area.height.saturating_sub(2),
    );
    let title = state.keymap.fill_keys(
        "帮助 ({popup:deny|esc} 关闭, {popup:move -1}{popup:move 1} 滚动, {popup:page 1} 翻页)",
    );
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    let rows = layout(theme, &lines(&state.keymap), inner.width);
    let extent = HelpExtent {
        page: inner.height,
        rows: u16::try_from(rows.len()).unwrap_or(u16::MAX),
    };
    let start = p.scroll.min(last_scroll(extent.page, extent.rows));
    for (i, l) in rows
        .iter()
        .skip(usize::from(start))
        .take(usize::from(inner.height))
        .enumerate()
    {
        buf.set_line(inner.x, inner.y + i as u16, l, inner.width);
    }
    (None, extent)
}

/// The overlay's rows at `w` columns: each column as wide as its widest entry (within a bound),
/// measured in terminal columns, so that a usage holding Chinese keeps the descriptions in line.
fn layout(theme: &Theme, help: &[HelpLine], w: u16) -> Vec<Line<'static>> {
    let col = |max: usize, f: fn(&HelpLine) -> Option<&str>| {
        help.iter()
            .filter_map(f)
            .map(|s| width(&sanitize_line(s)))
            .filter(|&n| n <= max)
            .max()
            .unwrap_or(0)
    };
    let keys_w = col(KEYS_MAX, |l| match l {
        HelpLine::Key { keys, .. } => Some(keys),
        _ => None,
    });
    let usage_w = col(USAGE_MAX, |l| match l {
        HelpLine::Command { usage, .. } => Some(usage),
        _ => None,
    });
    let mut out = Vec::new();
    for l in help {
        match l {
            HelpLine::Heading(t) => out.push(Line::from(Span::styled(
                sanitize_line(t).into_owned(),
                theme.title,
            ))),
            HelpLine::Note(t) => out.extend(wrap_spans(
                &[Span::styled(sanitize_line(t).into_owned(), theme.help_text)],
                w,
                WrapOpts::default(),
            )),
            HelpLine::Blank => out.push(Line::default()),
            HelpLine::Key { keys, desc } => two_columns(theme, keys, keys_w, desc, w, &mut out),
            HelpLine::Command { usage, desc } => {
                two_columns(theme, usage, usage_w, desc, w, &mut out)
            }
        }
    }
    out
}

/// `left` padded to `left_w` columns, then `desc` wrapping under itself. A `left` wider than its
/// column (or a screen too narrow for both) puts the description on the rows below it.
fn two_columns(
    theme: &Theme,
    left: &str,
    left_w: usize,
    desc: &str,
    w: u16,
    out: &mut Vec<Line<'static>>,
) {
    let left = sanitize_line(left).into_owned();
    let desc = sanitize_line(desc).into_owned();
    let lw = width(&left);
    let desc_x = INDENT + left_w + 2;
    let room = usize::from(w).saturating_sub(desc_x);
    let pad = |n: usize| " ".repeat(n);
    let desc_lines = |room: usize| {
        wrap_spans(
            &[Span::styled(desc.clone(), theme.help_text)],
            u16::try_from(room).unwrap_or(u16::MAX),
            WrapOpts::default(),
        )
    };
    if lw <= left_w && room >= 12 {
        for (i, d) in desc_lines(room).into_iter().enumerate() {
            let head = if i == 0 {
                format!("{}{left}{}", pad(INDENT), pad(desc_x - INDENT - lw))
            } else {
                pad(desc_x)
            };
            let style = if i == 0 {
                theme.help_key
            } else {
                theme.help_text
            };
            let mut spans = vec![Span::styled(head, style)];
            spans.extend(d.spans);
            out.push(Line::from(spans));
        }
    } else {
        out.push(Line::from(Span::styled(
            format!("{}{left}", pad(INDENT)),
            theme.help_key,
        )));
        let x = (INDENT * 2).min(usize::from(w) / 2);
        for d in desc_lines(usize::from(w).saturating_sub(x)) {
            let mut spans = vec![Span::raw(pad(x))];
            spans.extend(d.spans);
            out.push(Line::from(spans));
        }
    }
}
