//! Puts frames on the terminal: a cell diff against the previous frame, plus a scroll shortcut.
//!
//! When the timeline moved by k rows (a new message arrived), the terminal can move those rows
//! itself (DECSTBM + SU) for a few bytes, after which only the new rows differ. The shortcut is
//! taken only when it makes the diff smaller: it scrolls whole rows, so a busy sidebar in the
//! same rows has to be repainted, and sometimes a plain diff is cheaper.

use std::io;

use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect};

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

/// A terminal screen with its previous frame.
pub struct Screen<B: Backend> {
    backend: B,
    prev: Buffer,
    cur: Buffer,
    prev_lines: Vec<LineId>,
    prev_timeline: Rect,
    /// Repaint everything on the next frame (after a resize, a suspend or Ctrl+L).
    force: bool,
    /// Bytes are not known here; frames drawn, for diagnostics.
    pub frames: u64,
}

impl<B: Backend> Screen<B>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    /// A screen on `backend`, sized to it.
    pub fn new(backend: B) -> io::Result<Self> {
        let size = backend.size().map_err(io::Error::other)?;
        let area = Rect::new(0, 0, size.width, size.height);
        Ok(Screen {
            backend,
            prev: Buffer::empty(area),
            cur: Buffer::empty(area),
            prev_lines: Vec::new(),
            prev_timeline: Rect::default(),
            force: true,
            frames: 0,
        })
    }

    /// The backend (tests read a `TestBackend`'s buffer through this).
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The backend, mutably (for terminal commands between frames).
    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }

    /// The current size.
    pub fn area(&self) -> Rect {
        self.cur.area
    }

    /// Forces a full repaint on the next frame.
    pub fn invalidate(&mut self) {
        self.force = true;
    }

    /// Re-reads the terminal size; returns true when it changed.
    pub fn autoresize(&mut self) -> io::Result<bool> {
        let size = self.backend.size().map_err(io::Error::other)?;
        let area = Rect::new(0, 0, size.width, size.height);
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
            self.backend.clear().map_err(io::Error::other)?;
            self.prev = Buffer::empty(self.cur.area);
            self.force = false;
        } else if let Some(k) = self.scroll_amount(&painted) {
            let region = painted.timeline.y..painted.timeline.y + painted.timeline.height;
            let mut shifted = self.prev.clone();
            shift_rows_up(&mut shifted, region.clone(), k);
            if changed_cells(&shifted, &self.cur) < changed_cells(&self.prev, &self.cur) {
                self.backend
                    .scroll_region_up(region, k)
                    .map_err(io::Error::other)?;
                self.prev = shifted;
            }
        }
        let updates = self.prev.diff(&self.cur);
        if !updates.is_empty() {
            self.backend
                .draw(updates.into_iter())
                .map_err(io::Error::other)?;
        }
        match painted.cursor {
            Some(p) => {
                self.backend
                    .set_cursor_position(p)
                    .map_err(io::Error::other)?;
                self.backend.show_cursor().map_err(io::Error::other)?;
            }
            None => self.backend.hide_cursor().map_err(io::Error::other)?,
        }
        self.backend.flush().map_err(io::Error::other)?;
        std::mem::swap(&mut self.prev, &mut self.cur);
        self.prev_lines = painted.lines;
        self.prev_timeline = painted.timeline;
        self.frames += 1;
        Ok(())
    }

    /// How many rows the timeline content moved up since the last frame, if it simply scrolled.
    fn scroll_amount(&self, p: &Painted) -> Option<u16> {
        if p.timeline != self.prev_timeline || p.timeline.height < 2 {
            return None;
        }
        let old: std::collections::HashMap<(crate::app::chat::SortKey, u16), u16> = self
            .prev_lines
            .iter()
            .map(|(y, k, i)| ((*k, *i), *y))
            .collect();
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

fn changed_cells(a: &Buffer, b: &Buffer) -> usize {
    a.content
        .iter()
        .zip(b.content.iter())
        .filter(|(x, y)| x != y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;

    #[test]
    fn shifting_matches_the_terminal() {
        let mut buf = Buffer::with_lines(["aaaa", "bbbb", "cccc", "dddd"]);
        shift_rows_up(&mut buf, 1..4, 1);
        assert_eq!(buf, Buffer::with_lines(["aaaa", "cccc", "dddd", "    "]));
    }

    #[test]
    fn unchanged_frames_write_nothing_and_diffs_are_exact() {
        let mut s = Screen::new(TestBackend::new(10, 3)).unwrap();
        let paint = |text: &'static str| {
            move |b: &mut Buffer| {
                b.set_string(0, 0, text, ratatui::style::Style::new());
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
        assert_eq!(s.backend().buffer(), &expected);
    }
}
