//! Puts frames on the terminal: a cell diff against the previous frame, plus a scroll shortcut.
//!
//! When the timeline moved by k rows (a new message arrived), the terminal can move those rows
//! itself (DECSTBM + SU) for a few bytes, after which only the new rows differ. The shortcut is
//! taken only when it makes the diff smaller: it scrolls whole rows, so a busy sidebar in the
//! same rows has to be repainted, and sometimes a plain diff is cheaper.

use std::io::{self, Write};

use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect};

use super::encode::Encoder;

/// One row of the timeline as drawn: screen row, entry, and row index within that entry's block.
pub type LineId = (u16, crate::app::chat::SortKey, u16);

/// What a draw reports to the screen.
pub struct Painted {
    /// Where the terminal cursor goes (the composer's caret), if shown.
    pub cursor: Option<Position>,
    /// The timeline area and its rows, for scroll detection.
    pub timeline: Rect,
    pub lines: Vec<LineId>,
}

/// Where frames go: a real terminal (through `Encoder`) or a ratatui backend.
pub trait Surface {
    /// Columns and rows.
    fn size(&mut self) -> io::Result<(u16, u16)>;
    /// Clears everything (the next frame is drawn in full).
    fn clear(&mut self) -> io::Result<()>;
    /// Scrolls rows `top..bottom` up by `n`, blank rows entering at the bottom.
    fn scroll_up(&mut self, top: u16, bottom: u16, n: u16) -> io::Result<()>;
    /// Draws what differs between `prev` (on screen) and `cur`.
    fn draw_diff(&mut self, prev: &Buffer, cur: &Buffer) -> io::Result<()>;
    /// Shows the caret at a position, or hides it.
    fn cursor(&mut self, p: Option<Position>, cur: &Buffer) -> io::Result<()>;
    /// Sends everything out.
    fn flush(&mut self) -> io::Result<()>;
}

impl<T: Surface + ?Sized> Surface for Box<T> {
    fn size(&mut self) -> io::Result<(u16, u16)> {
        (**self).size()
    }
    fn clear(&mut self) -> io::Result<()> {
        (**self).clear()
    }
    fn scroll_up(&mut self, top: u16, bottom: u16, n: u16) -> io::Result<()> {
        (**self).scroll_up(top, bottom, n)
    }
    fn draw_diff(&mut self, prev: &Buffer, cur: &Buffer) -> io::Result<()> {
        (**self).draw_diff(prev, cur)
    }
    fn cursor(&mut self, p: Option<Position>, cur: &Buffer) -> io::Result<()> {
        (**self).cursor(p, cur)
    }
    fn flush(&mut self) -> io::Result<()> {
        (**self).flush()
    }
}

/// A terminal: escape sequences written to `W`, sized by `size`.
pub struct Terminal<W: Write> {
    pub encoder: Encoder<W>,
    size: Box<dyn FnMut() -> io::Result<(u16, u16)> + Send>,
}

impl<W: Write> Terminal<W> {
    /// A terminal writing to `out`, asking `size` for its dimensions.
    pub fn new(
        out: W,
        mut size: impl FnMut() -> io::Result<(u16, u16)> + Send + 'static,
    ) -> io::Result<Self> {
        let (w, _) = size()?;
        Ok(Terminal {
            encoder: Encoder::new(out, w),
            size: Box::new(size),
        })
    }
}

impl<W: Write> Surface for Terminal<W> {
    fn size(&mut self) -> io::Result<(u16, u16)> {
        (self.size)()
    }
    fn clear(&mut self) -> io::Result<()> {
        let (w, _) = (self.size)()?;
        self.encoder.set_width(w);
        self.encoder.clear();
        Ok(())
    }
    fn scroll_up(&mut self, top: u16, bottom: u16, n: u16) -> io::Result<()> {
        self.encoder.scroll_up(top, bottom, n);
        Ok(())
    }
    fn draw_diff(&mut self, prev: &Buffer, cur: &Buffer) -> io::Result<()> {
        self.encoder.draw_diff(prev, cur);
        Ok(())
    }
    fn cursor(&mut self, p: Option<Position>, cur: &Buffer) -> io::Result<()> {
        self.encoder.cursor(p, cur);
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.encoder.flush()
    }
}

/// Any ratatui backend (tests draw into `TestBackend` through this).
pub struct BackendSurface<B: Backend>(pub B);

fn io_err<E: std::error::Error + Send + Sync + 'static>(e: E) -> io::Error {
    io::Error::other(e)
}

impl<B: Backend> Surface for BackendSurface<B>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    fn size(&mut self) -> io::Result<(u16, u16)> {
        let s = self.0.size().map_err(io_err)?;
        Ok((s.width, s.height))
    }
    fn clear(&mut self) -> io::Result<()> {
        self.0.clear().map_err(io_err)
    }
    fn scroll_up(&mut self, top: u16, bottom: u16, n: u16) -> io::Result<()> {
        self.0.scroll_region_up(top..bottom, n).map_err(io_err)
    }
    fn draw_diff(&mut self, prev: &Buffer, cur: &Buffer) -> io::Result<()> {
        let updates = prev.diff(cur);
        if updates.is_empty() {
            return Ok(());
        }
        self.0.draw(updates.into_iter()).map_err(io_err)
    }
    fn cursor(&mut self, p: Option<Position>, _cur: &Buffer) -> io::Result<()> {
        match p {
            Some(p) => {
                self.0.set_cursor_position(p).map_err(io_err)?;
                self.0.show_cursor().map_err(io_err)
            }
            None => self.0.hide_cursor().map_err(io_err),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(io_err)
    }
}

/// A surface with its previous frame.
pub struct Screen<S: Surface> {
    surface: S,
    prev: Buffer,
    cur: Buffer,
    prev_lines: Vec<LineId>,
    /// Where each of the last frame's timeline rows was (reused between frames).
    old_rows: std::collections::HashMap<(crate::app::chat::SortKey, u16), u16>,
    prev_timeline: Rect,
    /// Repaint everything on the next frame (after a resize, a suspend or Ctrl+L).
    force: bool,
    /// Frames drawn (diagnostics).
    pub frames: u64,
}

impl<S: Surface> Screen<S> {
    /// A screen on `surface`, sized to it.
    pub fn new(mut surface: S) -> io::Result<Self> {
        let (w, h) = surface.size()?;
        let area = Rect::new(0, 0, w, h);
        Ok(Screen {
            surface,
            prev: Buffer::empty(area),
            cur: Buffer::empty(area),
            prev_lines: Vec::new(),
            old_rows: std::collections::HashMap::new(),
            prev_timeline: Rect::default(),
            force: true,
            frames: 0,
        })
    }

    /// The surface (tests read what it shows through this).
    pub fn surface(&self) -> &S {
        &self.surface
    }

    /// The current size.
    pub fn area(&self) -> Rect {
        self.cur.area
    }

    /// Forces a full repaint on the next frame.
    pub fn invalidate(&mut self) {
        self.force = true;
    }

    /// Re-reads the size; returns true when it changed.
    pub fn autoresize(&mut self) -> io::Result<bool> {
        let (w, h) = self.surface.size()?;
        let area = Rect::new(0, 0, w, h);
        if area != self.cur.area {
            self.cur = Buffer::empty(area);
            self.prev = Buffer::empty(area);
            self.force = true;
            return Ok(true);
        }
        Ok(false)
    }

    /// Draws one frame: `paint` fills the buffer; only what changed reaches the terminal.
    pub fn draw(&mut self, paint: impl FnOnce(&mut Buffer) -> Painted) -> io::Result<()> {
        self.autoresize()?;
        self.cur.reset();
        let painted = paint(&mut self.cur);
        if self.force {
            self.surface.clear()?;
            self.prev = Buffer::empty(self.cur.area);
            self.force = false;
        } else if let Some(k) = self.scroll_amount(&painted) {
            let t = painted.timeline;
            let (top, bottom) = (t.y, t.y + t.height);
            // Only the region's rows differ between the two ways; the rest costs the same.
            let scrolled = scroll_cost(&self.prev, &self.cur, top, bottom, k);
            if scrolled < region_cost(&self.prev, &self.cur, top, bottom, scrolled) {
                self.surface.scroll_up(top, bottom, k)?;
                shift_rows_up(&mut self.prev, top..bottom, k);
            }
        }
        self.surface.draw_diff(&self.prev, &self.cur)?;
        self.surface.cursor(painted.cursor, &self.cur)?;
        self.surface.flush()?;
        std::mem::swap(&mut self.prev, &mut self.cur);
        self.prev_lines = painted.lines;
        self.prev_timeline = painted.timeline;
        self.frames += 1;
        Ok(())
    }

    /// How many rows the timeline content moved up since the last frame, if it simply scrolled.
    fn scroll_amount(&mut self, p: &Painted) -> Option<u16> {
        if p.timeline != self.prev_timeline || p.timeline.height < 2 {
            return None;
        }
        let old = &mut self.old_rows;
        old.clear();
        old.extend(self.prev_lines.iter().map(|(y, k, i)| ((*k, *i), *y)));
        let mut shift: Option<u16> = None;
        for (y, k, i) in &p.lines {
            if let Some(oy) = old.get(&(*k, *i)) {
                if oy < y {
                    return None;
                }
                let d = oy - y;
                match shift {
                    None => shift = Some(d),
                    Some(s) if s != d => return None,
                    _ => {}
                }
            }
        }
        shift.filter(|s| *s > 0 && *s < p.timeline.height)
    }
}

/// Moves the rows of `region` up by `k` (full width), blank rows entering at the bottom.
pub fn shift_rows_up(buf: &mut Buffer, region: std::ops::Range<u16>, k: u16) {
    let w = buf.area.width as usize;
    let top = region.start.min(buf.area.height) as usize * w;
    let bottom = region.end.min(buf.area.height) as usize * w;
    let len = bottom.saturating_sub(top);
    let n = (k as usize * w).min(len);
    let slice = &mut buf.content[top..bottom];
    slice.rotate_left(n);
    for c in &mut slice[len - n..] {
        *c = Cell::default();
    }
}

/// Roughly the bytes a terminal needs to turn the cells `was` into `now` (one row): the
/// changed symbols, a cursor move per run of changes, an attribute change where the style
/// changes. Used only to weigh a scroll against a repaint, never to draw.
fn row_cost(was: &[Cell], now: &[Cell]) -> usize {
    let mut bytes = 0;
    // Unchanged cells since the last change (a short gap is filled, a long one is a move).
    let mut gap = usize::MAX;
    let mut style = None;
    for (a, b) in was.iter().zip(now) {
        if a == b {
            gap = gap.saturating_add(1);
            continue;
        }
        bytes += if gap > 4 { 8 } else { gap };
        gap = 0;
        let s = (b.fg, b.bg, b.modifier);
        if style != Some(s) {
            bytes += 10;
            style = Some(s);
        }
        bytes += b.symbol().len();
    }
    bytes
}

fn row(buf: &Buffer, y: u16) -> &[Cell] {
    let w = buf.area.width as usize;
    let start = (y as usize * w).min(buf.content.len());
    let end = (start + w).min(buf.content.len());
    &buf.content[start..end]
}

/// What repainting rows `top..bottom` from `prev` to `cur` costs (see `row_cost`), counted
/// until it is known to exceed `limit`.
fn region_cost(prev: &Buffer, cur: &Buffer, top: u16, bottom: u16, limit: usize) -> usize {
    let mut total = 0;
    for y in top..bottom {
        total += row_cost(row(prev, y), row(cur, y));
        if total > limit {
            break;
        }
    }
    total
}

/// The same after scrolling `top..bottom` up by `k` rows (blank rows entering below), the
/// scroll's own escape sequences included.
fn scroll_cost(prev: &Buffer, cur: &Buffer, top: u16, bottom: u16, k: u16) -> usize {
    let blank = vec![Cell::default(); prev.area.width as usize];
    let rows: usize = (top..bottom)
        .map(|y| {
            let was = if y + k < bottom {
                row(prev, y + k)
            } else {
                &blank
            };
            row_cost(was, row(cur, y))
        })
        .sum();
    rows + 16
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::style::Style;

    #[test]
    fn shifting_matches_the_terminal() {
        let mut buf = Buffer::with_lines(["aaaa", "bbbb", "cccc", "dddd"]);
        shift_rows_up(&mut buf, 1..4, 1);
        assert_eq!(buf, Buffer::with_lines(["aaaa", "cccc", "dddd", "    "]));
    }

    #[test]
    fn unchanged_frames_write_nothing_and_diffs_are_exact() {
        let mut s = Screen::new(BackendSurface(TestBackend::new(10, 3))).unwrap();
        let paint = |text: &'static str| {
            move |b: &mut Buffer| {
                b.set_string(0, 0, text, Style::new());
                Painted {
                    cursor: None,
                    timeline: Rect::default(),
                    lines: vec![],
                }
            }
        };
        s.draw(paint("hello")).unwrap();
        s.draw(paint("help")).unwrap();
        let expected = Buffer::with_lines(["help      ", "          ", "          "]);
        assert_eq!(s.surface().0.buffer(), &expected);
    }

    #[test]
    fn an_idle_frame_costs_no_bytes() {
        let term = Terminal::new(Vec::new(), || Ok((20, 4))).unwrap();
        let mut s = Screen::new(term).unwrap();
        let paint = |b: &mut Buffer| {
            b.set_string(0, 0, "你好", Style::new());
            Painted {
                cursor: None,
                timeline: Rect::default(),
                lines: vec![],
            }
        };
        s.draw(paint).unwrap();
        let after_first = s.surface().encoder.written;
        s.draw(paint).unwrap();
        assert_eq!(s.surface().encoder.written, after_first);
    }
}
