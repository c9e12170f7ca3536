//! Pictures as timeline rows: half-block cells (`▀`/`▄` with a foreground and a background
//! colour) drawn under their message, in the message's text column.
//!
//! A picture row is an ordinary `Line`, so it scrolls, clips and diffs like text; it is told
//! apart by its alignment ([`MARK`]: text rows have none, and `Buffer::set_line` ignores it) so
//! the selection's colours are not laid over its pixels.

use ratatui::layout::Alignment;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::app::pictures::{CellBox, Cells, Half, PicKey};
use crate::config::ColorMode;

use super::theme::{Theme, fit};

/// Where a picture of the timeline is on screen this frame: the picture and the box it was
/// encoded for, and where it is placed. A terminal with a graphics protocol draws it there
/// over its half blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureAt {
    pub key: PicKey,
    pub fit: CellBox,
    pub place: Place,
}

/// Where a picture is placed: its top-left cell, its size in cells, and the rows cut off its
/// top (a picture partly scrolled out) and bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Place {
    pub x: u16,
    pub y: u16,
    pub cols: u16,
    /// The rows of the whole picture.
    pub rows: u16,
    /// Rows cut off above and below.
    pub cut_top: u16,
    pub cut_bottom: u16,
}

/// The alignment a picture row carries (and no text row does).
const MARK: Alignment = Alignment::Left;

/// Whether `line` is a row of a picture.
pub fn is_picture_row(line: &Line) -> bool {
    line.alignment == Some(MARK)
}

/// Whether the theme's colour depth can draw pictures: true colour or the 256-colour palette
/// (16 colours or none draw the placeholder).
pub fn drawable(theme: &Theme) -> bool {
    matches!(theme.mode, ColorMode::TrueColor | ColorMode::Palette256)
}

fn colour(h: (u8, u8, u8), theme: &Theme) -> Color {
    fit(Color::Rgb(h.0, h.1, h.2), theme.mode).unwrap_or(Color::Reset)
}

/// One cell as its character and style.
fn cell(up: Half, down: Half, theme: &Theme) -> (&'static str, Style) {
    match (up, down) {
        (None, None) => (" ", Style::new()),
        (Some(u), None) => ("▀", Style::new().fg(colour(u, theme))),
        (None, Some(d)) => ("▄", Style::new().fg(colour(d, theme))),
        (Some(u), Some(d)) => {
            let (cu, cd) = (colour(u, theme), colour(d, theme));
            if cu == cd {
                (" ", Style::new().bg(cd))
            } else {
                ("▀", Style::new().fg(cu).bg(cd))
            }
        }
    }
}

/// The rows of a picture, each after `indent` (the time and name columns and the bar).
pub fn rows(cells: &Cells, indent: &[Span<'static>], theme: &Theme) -> Vec<Line<'static>> {
    let cols = usize::from(cells.cols);
    let mut out = Vec::with_capacity(usize::from(cells.rows));
    if cols == 0 {
        return out;
    }
    for row in cells.cells.chunks(cols) {
        let mut spans: Vec<Span<'static>> = indent.to_vec();
        // Runs of identical cells become one span.
        let mut run: Option<(&'static str, Style, usize)> = None;
        for &(up, down) in row {
            let (ch, style) = cell(up, down, theme);
            match &mut run {
                Some((c, s, n)) if *c == ch && *s == style => *n += 1,
                _ => {
                    if let Some((c, s, n)) = run.take() {
                        spans.push(Span::styled(c.repeat(n), s));
                    }
                    run = Some((ch, style, 1));
                }
            }
        }
        if let Some((c, s, n)) = run {
            spans.push(Span::styled(c.repeat(n), s));
        }
        let mut line = Line::from(spans);
        line.alignment = Some(MARK);
        out.push(line);
    }
    out
}
