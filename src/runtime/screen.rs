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

use super::diff::{Known, diff, know};
use super::encode::Encoder;
use super::graphics::{Layer, Place, Shown};
use crate::app::pictures::{CellBox, PicKey};
use crate::ui::timeline::BLANK_ROW;

/// A picture at one size, as the graphics layer knows it.
pub type PicAt = (PicKey, CellBox);

/// One row of the timeline as drawn: screen row, entry, and row index within that entry's block.
pub type LineId = (u16, crate::app::chat::SortKey, u16);

/// What a draw reports to the screen.
pub struct Painted {
    /// Where the terminal cursor goes (the composer's caret), if shown.
    pub cursor: Option<Position>,
    /// The timeline area and its rows, for scroll detection.
    pub timeline: Rect,
    pub lines: Vec<LineId>,
    /// What the timeline's rows hold, by screen row (`ui::timeline::TimelineOut::stamps`): a
    /// row whose stamp the same row had before (after the scroll) is not compared again in
    /// the timeline's columns.
    pub stamps: Vec<(u16, u64)>,
    /// The side panes' kept rows and places and their stamps (`ui::Frame::kept`): a place
    /// whose stamp the terminal already shows there is not compared again, and the next
    /// frame's buffer holds them (see `draw_held`).
    pub kept: Vec<(Rect, u64)>,
    /// The pictures on screen and where (drawn as graphics when the terminal has a protocol).
    pub pictures: Vec<Shown<PicAt>>,
}

/// What the screen needs of a frame the UI drew (taken out of it; the report stays).
pub fn painted(f: &mut crate::ui::Frame) -> Painted {
    Painted {
        cursor: f.cursor,
        timeline: f.timeline,
        lines: std::mem::take(&mut f.lines),
        stamps: std::mem::take(&mut f.stamps),
        kept: std::mem::take(&mut f.kept),
        pictures: f
            .pictures
            .drain(..)
            .map(|p| ((p.key, p.fit), p.place))
            .collect(),
    }
}

/// Where frames go: a real terminal (through `Encoder`) or a ratatui backend.
pub trait Surface {
    /// Columns and rows.
    fn size(&mut self) -> io::Result<(u16, u16)>;
    /// Clears everything (the next frame is drawn in full).
    fn clear(&mut self) -> io::Result<()>;
    /// Scrolls rows `top..bottom` up by `by` when positive (blank rows entering at the
    /// bottom), down when negative (blank rows entering at the top).
    fn scroll(&mut self, top: u16, bottom: u16, by: i32) -> io::Result<()>;
    /// Draws what differs between `prev` (on screen) and `cur`, not looking at the cells
    /// `known` to be equal.
    fn draw_diff(&mut self, prev: &Buffer, cur: &Buffer, known: Known<'_>) -> io::Result<()>;
    /// Shows the caret at a position, or hides it.
    fn cursor(&mut self, p: Option<Position>, cur: &Buffer) -> io::Result<()>;
    /// Writes graphics sequences after the frame's cells (nothing where there are none).
    fn graphics(&mut self, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }
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
    fn scroll(&mut self, top: u16, bottom: u16, by: i32) -> io::Result<()> {
        (**self).scroll(top, bottom, by)
    }
    fn draw_diff(&mut self, prev: &Buffer, cur: &Buffer, known: Known<'_>) -> io::Result<()> {
        (**self).draw_diff(prev, cur, known)
    }
    fn cursor(&mut self, p: Option<Position>, cur: &Buffer) -> io::Result<()> {
        (**self).cursor(p, cur)
    }
    fn graphics(&mut self, bytes: &[u8]) -> io::Result<()> {
        (**self).graphics(bytes)
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

impl Terminal<Vec<u8>> {
    /// What was written so far (tests).
    pub fn encoder_out(&self) -> &[u8] {
        self.encoder.out()
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
    fn scroll(&mut self, top: u16, bottom: u16, by: i32) -> io::Result<()> {
        self.encoder.scroll(top, bottom, by);
        Ok(())
    }
    fn draw_diff(&mut self, prev: &Buffer, cur: &Buffer, known: Known<'_>) -> io::Result<()> {
        self.encoder.draw_diff(prev, cur, known);
        Ok(())
    }
    fn cursor(&mut self, p: Option<Position>, cur: &Buffer) -> io::Result<()> {
        self.encoder.cursor(p, cur);
        Ok(())
    }
    fn graphics(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.encoder.raw(bytes);
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
    fn scroll(&mut self, top: u16, bottom: u16, by: i32) -> io::Result<()> {
        let n = by.unsigned_abs() as u16;
        if by > 0 {
            self.0.scroll_region_up(top..bottom, n).map_err(io_err)
        } else {
            self.0.scroll_region_down(top..bottom, n).map_err(io_err)
        }
    }
    fn draw_diff(&mut self, prev: &Buffer, cur: &Buffer, known: Known<'_>) -> io::Result<()> {
        let mut updates = Vec::new();
        diff(prev, cur, known, |x, y, c| updates.push((x, y, c)));
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
    /// The stamp of each row of the timeline the terminal shows (0: not known), by screen row.
    prev_stamps: Vec<u64>,
    /// The rows of this frame found equal to the terminal's in the timeline's columns (reused).
    same: Vec<bool>,
    /// The side panes' kept rows the terminal shows, by place (see `Painted::kept`).
    prev_kept: rustc_hash::FxHashMap<Rect, u64>,
    /// The cells of this frame known to be what the terminal shows, by row (reused).
    known: Vec<Vec<std::ops::Range<u16>>>,
    /// Where each of the last frame's timeline rows was (reused between frames).
    old_rows: rustc_hash::FxHashMap<(crate::app::chat::SortKey, u16), u16>,
    prev_timeline: Rect,
    /// `cur` holds the last frame's timeline rows (`prev_stamps` in `prev_timeline`'s
    /// columns); the rest of it is reset before the next frame but for `held_kept`.
    holds: bool,
    /// The side panes' kept rows `cur` holds from the last frame (`Painted::kept`).
    held_kept: Vec<(Rect, u64)>,
    /// `reset_except`'s spans to leave alone, by row (reused).
    spans: Vec<(u16, u16, u16)>,
    /// Repaint everything on the next frame (after a resize, a suspend or Ctrl+L).
    force: bool,
    /// Frames drawn (diagnostics).
    pub frames: u64,
    /// Pictures as terminal graphics (None: half blocks only, as the cells have them).
    pub layer: Option<Layer<PicAt>>,
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
            prev_stamps: Vec::new(),
            same: Vec::new(),
            known: Vec::new(),
            prev_kept: Default::default(),
            old_rows: Default::default(),
            prev_timeline: Rect::default(),
            holds: false,
            held_kept: Vec::new(),
            spans: Vec::new(),
            force: true,
            frames: 0,
            layer: None,
        })
    }

    /// The surface (tests read what it shows through this).
    pub fn surface(&self) -> &S {
        &self.surface
    }

    /// The last frame as it was drawn: what the terminal shows now.
    pub fn shown(&self) -> &Buffer {
        &self.prev
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
            self.holds = false;
            self.held_kept.clear();
            self.force = true;
            return Ok(true);
        }
        Ok(false)
    }

    /// Draws one frame: `paint` fills a reset buffer; only what changed reaches the terminal.
    pub fn draw(&mut self, paint: impl FnOnce(&mut Buffer) -> Painted) -> io::Result<()> {
        self.autoresize()?;
        self.cur.reset();
        self.holds = false;
        self.held_kept.clear();
        let painted = paint(&mut self.cur);
        self.finish(painted, false)
    }

    /// Draws one frame on the last frame's buffer: the timeline's rows and the side panes'
    /// kept rows keep their cells and `paint` is told which (`HeldRows`; the UI takes them
    /// with `Ui::hold`), everything else is reset. Only what changed reaches the terminal.
    pub fn draw_held(
        &mut self,
        paint: impl FnOnce(&mut Buffer, HeldRows<'_>) -> Painted,
    ) -> io::Result<()> {
        self.autoresize()?;
        let held = HeldRows {
            rect: if self.holds {
                self.prev_timeline
            } else {
                Rect::default()
            },
            stamps: if self.holds { &self.prev_stamps } else { &[] },
            kept: &self.held_kept,
        };
        reset_except(&mut self.cur, &held, &mut self.spans);
        let painted = paint(&mut self.cur, held);
        self.finish(painted, true)
    }

    /// Diffs and writes the painted frame; with `hold`, the next frame's buffer keeps this
    /// one's timeline rows (see `draw_held`).
    fn finish(&mut self, painted: Painted, hold: bool) -> io::Result<()> {
        let chosen = match &self.layer {
            Some(l) => l.chosen(&painted.pictures),
            None => Vec::new(),
        };
        // The cells under a graphic stay blank, so the diff leaves the graphic alone.
        for ((_, p), _) in &chosen {
            fill(&mut self.cur, p, &Cell::default());
        }
        let t = painted.timeline;
        let rows = self.cur.area.height as usize;
        if self.prev_stamps.len() != rows || t != self.prev_timeline {
            // Stamps say what the timeline's columns hold: with other columns, nothing.
            self.prev_stamps.clear();
            self.prev_stamps.resize(rows, 0);
        }
        let mut gfx = Vec::new();
        let blocked = self.layer.as_ref().is_some_and(Layer::blocks_scroll);
        if self.force {
            self.surface.clear()?;
            self.prev = Buffer::empty(self.cur.area);
            self.prev_stamps.fill(BLANK_ROW);
            self.prev_kept.clear();
            self.force = false;
            if let Some(l) = &mut self.layer {
                l.cleared(&mut gfx);
            }
        } else if let Some(l) = &self.layer
            && blocked
        {
            // Sixel and iTerm2 pixels stay until written over: repaint where one was.
            let mut mark = Cell::default();
            mark.set_symbol("\u{fffd}");
            for p in l.stale(&chosen) {
                fill(&mut self.prev, &p, &mark);
                let rows = p.y..p.y.saturating_add(p.rows);
                self.prev_kept.retain(|r, _| !overlaps(r, &rows));
                for y in p.y..p.y.saturating_add(p.rows) {
                    if let Some(s) = self.prev_stamps.get_mut(y as usize) {
                        *s = 0;
                    }
                }
            }
        } else if let Some(k) = self.scroll_amount(&painted) {
            let (top, bottom) = (t.y, t.y + t.height);
            // Only the region's rows differ between the two ways; the rest costs the same.
            same_rows(
                &mut self.same,
                &self.prev_stamps,
                &painted.stamps,
                rows,
                (top, bottom),
                k,
            );
            let scrolled = scroll_cost(&self.prev, &self.cur, t, k, &self.same);
            if scrolled < region_cost(&self.prev, &self.cur, top, bottom, scrolled) {
                self.surface.scroll(top, bottom, k)?;
                shift_rows(&mut self.prev, top..bottom, k);
                let region = &mut self.prev_stamps[top as usize..bottom as usize];
                let len = region.len();
                let m = (k.unsigned_abs() as usize).min(len);
                let entered = if k > 0 {
                    region.rotate_left(m);
                    len - m..len
                } else {
                    region.rotate_right(m);
                    0..m
                };
                region[entered].fill(BLANK_ROW);
                self.prev_kept.retain(|r, _| !overlaps(r, &(top..bottom)));
            }
        }
        // Rows whose stamp the terminal's row already has are equal in the timeline's columns:
        // the diff skips those cells rather than comparing them.
        same_rows(
            &mut self.same,
            &self.prev_stamps,
            &painted.stamps,
            rows,
            (0, 0),
            0,
        );
        for row in &mut self.known {
            row.clear();
        }
        for (y, _) in self.same.iter().enumerate().filter(|(_, s)| **s) {
            know(&mut self.known, y as u16, t.x..t.x + t.width);
        }
        for (r, stamp) in &painted.kept {
            if self.prev_kept.get(r) == Some(stamp) {
                for y in r.y..r.y + r.height {
                    know(&mut self.known, y, r.x..r.x + r.width);
                }
            }
        }
        let known = Known { rows: &self.known };
        self.surface.draw_diff(&self.prev, &self.cur, known)?;
        if let Some(l) = &mut self.layer {
            l.frame(&chosen, &mut gfx);
        }
        self.surface.graphics(&gfx)?;
        self.surface.cursor(painted.cursor, &self.cur)?;
        self.surface.flush()?;
        // The terminal now shows `cur`.
        std::mem::swap(&mut self.prev, &mut self.cur);
        self.prev_stamps.fill(0);
        for (y, stamp) in &painted.stamps {
            if let Some(s) = self.prev_stamps.get_mut(*y as usize) {
                *s = *stamp;
            }
        }
        // The next frame's buffer is what the terminal showed before this one: its timeline
        // rows found the same already hold this frame's cells; the others are copied over.
        let (x0, x1) = (t.x as usize, (t.x + t.width) as usize);
        let w = self.cur.area.width as usize;
        self.holds = hold && x1 <= w;
        if self.holds {
            for (y, stamp) in &painted.stamps {
                let y = *y as usize;
                if *stamp != 0 && y < rows && !self.same.get(y).copied().unwrap_or(false) {
                    copy_cells(&mut self.cur, &self.prev, y, x0..x1);
                }
            }
        }
        // Its kept rows too: those the terminal showed already are there.
        self.held_kept.clear();
        if hold {
            for (kept, stamp) in &painted.kept {
                let r = kept.intersection(self.cur.area);
                if r.is_empty() {
                    continue;
                }
                if self.prev_kept.get(kept) != Some(stamp) {
                    for y in r.top()..r.bottom() {
                        copy_cells(
                            &mut self.cur,
                            &self.prev,
                            y as usize,
                            r.x as usize..r.right() as usize,
                        );
                    }
                }
                self.held_kept.push((r, *stamp));
            }
            // In screen order, as `reset_except` walks them.
            self.held_kept.sort_unstable_by_key(|(r, _)| (r.y, r.x));
        }
        self.prev_kept.clear();
        self.prev_kept.extend(painted.kept.iter().copied());
        self.prev_lines = painted.lines;
        self.prev_timeline = painted.timeline;
        self.frames += 1;
        Ok(())
    }

    /// How many rows the timeline content moved since the last frame, if it simply scrolled:
    /// up (a new message, paging down) when positive, down (paging up into older messages)
    /// when negative.
    fn scroll_amount(&mut self, p: &Painted) -> Option<i32> {
        if p.timeline != self.prev_timeline || p.timeline.height < 2 {
            return None;
        }
        let old = &mut self.old_rows;
        old.clear();
        old.extend(self.prev_lines.iter().map(|(y, k, i)| ((*k, *i), *y)));
        let mut shift: Option<i32> = None;
        for (y, k, i) in &p.lines {
            if let Some(oy) = old.get(&(*k, *i)) {
                let d = i32::from(*oy) - i32::from(*y);
                match shift {
                    None => shift = Some(d),
                    Some(s) if s != d => return None,
                    _ => {}
                }
            }
        }
        shift.filter(|s| *s != 0 && s.unsigned_abs() < u32::from(p.timeline.height))
    }
}

/// Copies columns `cols` of row `y` from `from` into `to` (buffers of one size).
fn copy_cells(to: &mut Buffer, from: &Buffer, y: usize, cols: std::ops::Range<usize>) {
    let at = y * to.area.width as usize;
    let span = at + cols.start..at + cols.end;
    to.content[span.clone()].clone_from_slice(&from.content[span]);
}

/// Whether `r` has a row in `rows`.
fn overlaps(r: &Rect, rows: &std::ops::Range<u16>) -> bool {
    r.y < rows.end && rows.start < r.y.saturating_add(r.height)
}

/// What a frame's buffer starts with (see `Screen::draw_held`): the timeline's rows, by screen
/// row the stamp of the cells each holds in the columns of `rect` (0: none), and the side
/// panes' kept rows by place and stamp.
#[derive(Debug, Clone, Copy)]
pub struct HeldRows<'a> {
    pub rect: Rect,
    pub stamps: &'a [u64],
    pub kept: &'a [(Rect, u64)],
}

/// Resets `buf` but for the cells `held` says it holds (`spans` is scratch space).
fn reset_except(buf: &mut Buffer, held: &HeldRows<'_>, spans: &mut Vec<(u16, u16, u16)>) {
    let w = buf.area.width as usize;
    let r = held.rect.intersection(buf.area);
    // (row, from, to) of every held span, in order: per row, the kept places covering it
    // (sorted by their top row, see `finish`; a border or a blank spans several rows) and the
    // timeline's row, sorted by column (a few per row).
    spans.clear();
    let mut kept = held
        .kept
        .iter()
        .map(|(k, _)| k.intersection(buf.area))
        .peekable();
    let mut active: Vec<Rect> = Vec::new();
    for y in 0..buf.area.height {
        let start = spans.len();
        while let Some(k) = kept.next_if(|k| k.y <= y) {
            active.push(k);
        }
        active.retain(|k| k.bottom() > y);
        spans.extend(active.iter().map(|k| (y, k.left(), k.right())));
        if !r.is_empty()
            && (r.top()..r.bottom()).contains(&y)
            && held.stamps.get(y as usize).is_some_and(|s| *s != 0)
        {
            spans.push((y, r.left(), r.right()));
        }
        spans[start..].sort_unstable();
    }
    let mut next = spans.iter().peekable();
    for (y, row) in buf.content.chunks_mut(w.max(1)).enumerate() {
        let mut x = 0;
        while let Some(&&(_, a, b)) = next.peek().filter(|s| s.0 as usize == y) {
            let (a, b) = ((a as usize).max(x), (b as usize).min(w));
            if a > x {
                row[x..a].iter_mut().for_each(Cell::reset);
            }
            x = x.max(b);
            next.next();
        }
        row[x.min(w)..].iter_mut().for_each(Cell::reset);
    }
}

/// Sets the visible cells of a placed picture to `cell`.
fn fill(buf: &mut Buffer, p: &Place, cell: &Cell) {
    let rows = p.rows.saturating_sub(p.cut_top + p.cut_bottom);
    let area = buf.area;
    for y in p.y..p.y.saturating_add(rows).min(area.height) {
        for x in p.x..p.x.saturating_add(p.cols).min(area.width) {
            let i = y as usize * area.width as usize + x as usize;
            if let Some(c) = buf.content.get_mut(i) {
                *c = cell.clone();
            }
        }
    }
}

/// Moves the rows of `region` up by `by` when positive, down when negative (full width), as a
/// terminal scrolls them: blank rows enter where the others left.
pub fn shift_rows(buf: &mut Buffer, region: std::ops::Range<u16>, by: i32) {
    let w = buf.area.width as usize;
    let top = region.start.min(buf.area.height) as usize * w;
    let bottom = region.end.min(buf.area.height) as usize * w;
    let slice = &mut buf.content[top..bottom];
    let rows = slice.len() / w.max(1);
    let k = (by.unsigned_abs() as usize).min(rows);
    // Row by row, each row swapped with the one k away (a row's worth of memory at a time,
    // where a rotation of the region moves every cell through a cycle): toward the rows
    // leaving first, so each is swapped before it is taken.
    let mut swap = |a: usize, b: usize| {
        let (above, below) = slice.split_at_mut(b * w);
        above[a * w..(a + 1) * w].swap_with_slice(&mut below[..w]);
    };
    let entered = if by > 0 {
        (0..rows - k).for_each(|r| swap(r, r + k));
        rows - k..rows
    } else {
        (k..rows).rev().for_each(|r| swap(r - k, r));
        0..k
    };
    for c in &mut slice[entered.start * w..entered.end * w] {
        *c = Cell::default();
    }
}

/// The row of the screen before a scroll of `top..bottom` by `k` (see `Screen::scroll_amount`)
/// that lands on row `y`, if any (a row scrolled in is blank); rows outside keep their place.
fn from_row(y: u16, k: i32, (top, bottom): (u16, u16)) -> Option<u16> {
    if y < top || y >= bottom {
        return Some(y);
    }
    let from = i32::from(y) + k;
    (from >= i32::from(top) && from < i32::from(bottom)).then_some(from as u16)
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
        if same_cell(a, b) {
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

/// `a == b` for weighing, cheaper: the style first, then the symbol's bytes compared in place
/// (most are one to four bytes, where a `memcmp` call costs more than the comparison).
#[allow(deprecated)]
fn same_cell(a: &Cell, b: &Cell) -> bool {
    if a.fg != b.fg
        || a.bg != b.bg
        || a.modifier != b.modifier
        || a.underline_color != b.underline_color
        || a.skip != b.skip
    {
        return false;
    }
    let (x, y) = (a.symbol().as_bytes(), b.symbol().as_bytes());
    x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p == q)
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

/// The same after scrolling the timeline's rows by `k` rows (up when positive, blank rows
/// entering below; down when negative), the scroll's own escape sequences included. Rows in
/// `same` (by screen row) are equal in the timeline's columns once scrolled: only the columns
/// beside it count there.
fn scroll_cost(prev: &Buffer, cur: &Buffer, t: Rect, k: i32, same: &[bool]) -> usize {
    let (top, bottom) = (t.y, t.y + t.height);
    let blank = vec![Cell::default(); prev.area.width as usize];
    let (x0, x1) = (t.x as usize, (t.x + t.width) as usize);
    let rows: usize = (top..bottom)
        .map(|y| {
            let was = match from_row(y, k, (top, bottom)) {
                Some(from) => row(prev, from),
                None => &blank,
            };
            let now = row(cur, y);
            if same.get(y as usize).copied().unwrap_or(false) && x1 <= now.len() {
                row_cost(&was[..x0], &now[..x0]) + row_cost(&was[x1..], &now[x1..])
            } else {
                row_cost(was, now)
            }
        })
        .sum();
    rows + 16
}

/// Which screen rows hold, in the timeline's columns, the cells the terminal shows once the
/// rows `region` (top, bottom; empty: none) have scrolled by `k` (see `from_row`): the row's
/// stamp is the one the terminal's row it came from had (see `Painted::stamps`).
fn same_rows(
    same: &mut Vec<bool>,
    prev: &[u64],
    stamps: &[(u16, u64)],
    rows: usize,
    region: (u16, u16),
    k: i32,
) {
    same.clear();
    same.resize(rows, false);
    for (y, stamp) in stamps {
        let y = *y as usize;
        if *stamp == 0 || y >= rows {
            continue;
        }
        let was = match from_row(y as u16, k, region) {
            Some(from) => prev.get(from as usize).copied().unwrap_or(0),
            None => BLANK_ROW,
        };
        same[y] = was == *stamp;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::style::Style;

    #[test]
    fn shifting_matches_the_terminal() {
        let rows = ["aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff"];
        let cases: [(std::ops::Range<u16>, i32, [&str; 6]); 6] = [
            (1..4, 1, ["aaaa", "cccc", "dddd", "    ", "eeee", "ffff"]),
            (0..5, 2, ["cccc", "dddd", "eeee", "    ", "    ", "ffff"]),
            (1..3, 7, ["aaaa", "    ", "    ", "dddd", "eeee", "ffff"]),
            (1..5, -1, ["aaaa", "    ", "bbbb", "cccc", "dddd", "ffff"]),
            (0..6, -4, ["    ", "    ", "    ", "    ", "aaaa", "bbbb"]),
            (2..4, -9, ["aaaa", "bbbb", "    ", "    ", "eeee", "ffff"]),
        ];
        for (region, k, want) in cases {
            let mut buf = Buffer::with_lines(rows);
            shift_rows(&mut buf, region.clone(), k);
            assert_eq!(buf, Buffer::with_lines(want), "{region:?} by {k}");
        }
        // What the terminal makes of SD in the same margins.
        let mut e = super::super::encode::Encoder::new(Vec::new(), 4);
        e.scroll(1, 5, -1);
        e.flush().unwrap();
        let mut vt = vt100::Parser::new(
            std::num::NonZeroU16::new(6).unwrap(),
            std::num::NonZeroU16::new(4).unwrap(),
            0,
        );
        vt.process(rows.join("\r\n").as_bytes());
        vt.process(e.get_ref());
        let shown: Vec<String> = vt.screen().rows(0, 4).collect();
        assert_eq!(shown, ["aaaa", "", "bbbb", "cccc", "dddd", "ffff"]);
    }

    #[test]
    fn weighing_compares_cells_as_ratatui_does() {
        let styles = [
            Style::new(),
            Style::new().red(),
            Style::new().on_blue(),
            Style::new().bold(),
            Style::new().underline_color(ratatui::style::Color::Green),
        ];
        let symbols = [" ", "a", "b", "中", "🦀", "ab"];
        let mut cells = Vec::new();
        for st in styles {
            for sy in symbols {
                let mut c = Cell::default();
                c.set_symbol(sy).set_style(st);
                cells.push(c);
            }
        }
        cells.push(Cell::EMPTY);
        for a in &cells {
            for b in &cells {
                assert_eq!(same_cell(a, b), a == b, "{a:?} {b:?}");
            }
        }
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
                    stamps: vec![],
                    kept: vec![],
                    pictures: vec![],
                }
            }
        };
        s.draw(paint("hello")).unwrap();
        s.draw(paint("help")).unwrap();
        let expected = Buffer::with_lines(["help      ", "          ", "          "]);
        assert_eq!(s.surface().0.buffer(), &expected);
    }

    fn count(hay: &[u8], needle: &[u8]) -> usize {
        hay.windows(needle.len()).filter(|w| *w == needle).count()
    }

    /// A picture's half blocks at row `y`, and where the ui says the picture is.
    fn picture_frame(y: u16) -> impl FnOnce(&mut Buffer) -> Painted {
        move |b: &mut Buffer| {
            for r in 0..3 {
                if y + r < b.area.height {
                    b.set_string(
                        2,
                        y + r,
                        "▀▀▀▀",
                        Style::new().fg(ratatui::style::Color::Red),
                    );
                }
            }
            let place = Place {
                x: 2,
                y,
                cols: 4,
                rows: 3,
                cut_top: 0,
                cut_bottom: (y + 3).saturating_sub(b.area.height),
            };
            Painted {
                cursor: None,
                timeline: Rect::new(0, 0, 20, 8),
                lines: vec![],
                stamps: vec![],
                kept: vec![],
                pictures: vec![((PicKey("p".into()), (4, 3)), place)],
            }
        }
    }

    fn screen_with(g: crate::runtime::graphics::Graphics) -> Screen<Terminal<Vec<u8>>> {
        use crate::runtime::graphics::{Payload, Payloads};
        let term = Terminal::new(Vec::new(), || Ok((20, 8))).unwrap();
        let mut s = Screen::new(term).unwrap();
        let img = image::RgbaImage::from_pixel(8, 12, image::Rgba([255, 0, 0, 255]));
        let payloads = std::sync::Arc::new(std::sync::Mutex::new(Payloads::default()));
        let p = Payload::encode(g, &img, (4, 3), (2, 4)).unwrap();
        payloads
            .lock()
            .unwrap()
            .put((PicKey("p".into()), (4, 3)), p);
        s.layer = Some(Layer::new(g, payloads));
        s
    }

    #[test]
    fn kitty_pictures_are_sent_once_and_placed_after_the_cells() {
        use crate::runtime::graphics::Graphics;
        let mut s = screen_with(Graphics::Kitty { tmux: false });
        s.draw(picture_frame(2)).unwrap();
        let first = s.surface().encoder_out().to_vec();
        assert_eq!(count(&first, b"\x1b_Ga=t,"), 1);
        assert_eq!(count(&first, b"\x1b_Ga=p,"), 1);
        // The half blocks under the picture are never written: the graphic covers the cells.
        assert_eq!(count(&first, "▀".as_bytes()), 0);
        // The same frame again: nothing at all.
        s.draw(picture_frame(2)).unwrap();
        assert_eq!(s.surface().encoder_out().len(), first.len());
        // Scrolled by a row: placed again, never transmitted again.
        s.draw(picture_frame(1)).unwrap();
        let after = &s.surface().encoder_out()[first.len()..];
        assert_eq!(count(after, b"\x1b_Ga=t,"), 0);
        assert_eq!(count(after, b"\x1b_Ga=p,"), 1);
        // A full repaint (Ctrl+L): placements cleared and placed again, data kept.
        let before = s.surface().encoder_out().len();
        s.invalidate();
        s.draw(picture_frame(1)).unwrap();
        let again = &s.surface().encoder_out()[before..];
        assert_eq!(count(again, b"\x1b_Ga=t,"), 0);
        assert_eq!(count(again, b"\x1b_Ga=d,d=a"), 1);
        assert_eq!(count(again, b"\x1b_Ga=p,"), 1);
    }

    #[test]
    fn sixel_and_iterm2_pictures_are_drawn_at_their_cells() {
        use crate::runtime::graphics::Graphics;
        let mut s = screen_with(Graphics::Sixel);
        s.draw(picture_frame(2)).unwrap();
        let out = s.surface().encoder_out().to_vec();
        let at = out.windows(4).position(|w| w == b"\x1bP0;").unwrap();
        assert!(out[..at].ends_with(b"\x1b[3;3H"));
        assert_eq!(count(&out, "▀".as_bytes()), 0);
        s.draw(picture_frame(2)).unwrap();
        assert_eq!(s.surface().encoder_out().len(), out.len());
        let mut s = screen_with(Graphics::Iterm2 { tmux: false });
        s.draw(picture_frame(2)).unwrap();
        assert_eq!(count(s.surface().encoder_out(), b"\x1b]1337;File="), 1);
        // Partly scrolled out: half blocks, the sequence not sent again.
        let before = s.surface().encoder_out().len();
        s.draw(picture_frame(6)).unwrap();
        let after = &s.surface().encoder_out()[before..];
        assert_eq!(count(after, b"\x1b]1337;File="), 0);
        assert!(count(after, "▀".as_bytes()) > 0);
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
                stamps: vec![],
                kept: vec![],
                pictures: vec![],
            }
        };
        s.draw(paint).unwrap();
        let after_first = s.surface().encoder.written;
        s.draw(paint).unwrap();
        assert_eq!(s.surface().encoder.written, after_first);
    }
}
