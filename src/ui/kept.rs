//! Rows of cells painted in an earlier frame, each kept with the key of what it shows: a row
//! whose key and place are unchanged is copied into the frame instead of painted again.
//!
//! A row is painted on reset cells, so its cells are what a fresh buffer gets, and copied in
//! whole. When the frame's buffer still holds the row's cells from the last frame (see
//! `held::HeldRects`), it is not copied at all.

use std::cell::Cell as Counter;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;

use super::held::HeldRects;

/// Stamps of kept rows: unique in the process (a row painted again gets a new one), so the
/// screen can tell a row it already shows at the same place (see `Frame::kept`).
static STAMPS: AtomicU64 = AtomicU64::new(1);

/// The stamp of a place painted the same way every frame from `look` alone (a border line in
/// a style): apart from the counted stamps.
pub fn stamp_of(look: &impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let h = BuildHasherDefault::<DefaultHasher>::default().hash_one(look);
    (h >> 2) | (1 << 62)
}

/// The stamp of the blank place `at` (reset cells, nothing painted there).
pub fn blank(at: ratatui::layout::Rect) -> u64 {
    stamp_of(&("blank", at))
}

thread_local! {
    /// The frame being drawn on this thread (`ui::draw` counts them).
    static FRAME: Counter<u64> = const { Counter::new(0) };
}

/// Starts a frame: the rows drawn from now on are this frame's.
pub fn begin_frame() {
    FRAME.with(|f| f.set(f.get() + 1));
}

fn frame() -> u64 {
    FRAME.with(|f| f.get())
}

/// One kept row.
struct Kept<K> {
    at: Rect,
    key: K,
    cells: Vec<Cell>,
    stamp: u64,
    /// The frame that last drew it.
    drawn: u64,
}

/// Kept rows by slot (a pane's row number, say); `K` is what a row shows.
pub struct KeptRows<K> {
    rows: Vec<Option<Kept<K>>>,
}

impl<K> Default for KeptRows<K> {
    fn default() -> Self {
        KeptRows { rows: Vec::new() }
    }
}

impl<K> KeptRows<K> {
    /// Row `slot`, one row high at `at`: its kept cells when `same` says the kept key is what
    /// it shows now, else painted by `paint` (which returns the key) and kept.
    pub fn row(
        &mut self,
        slot: usize,
        at: Rect,
        (buf, held): (&mut Buffer, &mut HeldRects),
        same: impl FnOnce(&K) -> bool,
        paint: impl FnOnce(&mut Buffer) -> K,
    ) {
        if let Some(place) = self.copy(slot, at, buf, held, same) {
            let key = paint(buf);
            self.keep(slot, place, key, buf);
        }
    }

    /// Row `slot` at `at` showing `key` (built anew each frame): its kept cells when they show
    /// the same, else painted by `paint` and kept with `key`.
    pub fn put(
        &mut self,
        slot: usize,
        at: Rect,
        (buf, held): (&mut Buffer, &mut HeldRects),
        key: K,
        paint: impl FnOnce(&K, &mut Buffer),
    ) where
        K: PartialEq,
    {
        if let Some(place) = self.copy(slot, at, buf, held, |k| *k == key) {
            paint(&key, buf);
            self.keep(slot, place, key, buf);
        }
    }

    /// Copies the kept row in if it is still right and the buffer does not hold it already
    /// (`None`); else resets the row's cells for painting and says where they are (nowhere
    /// when the row is off the buffer: painted, not kept).
    fn copy(
        &mut self,
        slot: usize,
        at: Rect,
        buf: &mut Buffer,
        held: &mut HeldRects,
        same: impl FnOnce(&K) -> bool,
    ) -> Option<Option<(Rect, Range<usize>)>> {
        let at = at.intersection(buf.area);
        if at.height == 0 || at.width == 0 {
            held.clear_under(buf, at);
            return Some(None);
        }
        let at = Rect { height: 1, ..at };
        let start = buf.index_of(at.x, at.y);
        let range = start..start + at.width as usize;
        if self.rows.len() <= slot {
            self.rows.resize_with(slot + 1, || None);
        }
        if let Some(k) = &mut self.rows[slot]
            && k.at == at
            && same(&k.key)
        {
            if !held.take(buf, k.stamp, at) {
                held.clear_under(buf, at);
                buf.content[range].clone_from_slice(&k.cells);
            }
            k.drawn = frame();
            return None;
        }
        if let Some(k) = self.rows[slot].take() {
            // Its cells, if the buffer holds them, are reset or painted over now.
            held.take(buf, k.stamp, at);
        }
        held.clear_under(buf, at);
        buf.content[range.clone()].fill(Cell::EMPTY);
        Some(Some((at, range)))
    }

    /// Keeps the cells just painted at `place` with `key`.
    fn keep(&mut self, slot: usize, place: Option<(Rect, Range<usize>)>, key: K, buf: &Buffer) {
        if let Some((at, range)) = place {
            let cells = buf.content[range].to_vec();
            let stamp = STAMPS.fetch_add(1, Ordering::Relaxed);
            let drawn = frame();
            self.rows[slot] = Some(Kept {
                at,
                key,
                cells,
                stamp,
                drawn,
            });
        }
    }

    /// The rows drawn in this frame, where and with which stamp.
    pub fn shown(&self, out: &mut Vec<(Rect, u64)>) {
        let now = frame();
        for k in self.rows.iter().flatten().filter(|k| k.drawn == now) {
            out.push((k.at, k.stamp));
        }
    }

    /// Forgets every row (the theme changed, say).
    pub fn clear(&mut self) {
        self.rows.clear();
    }

    /// Forgets the rows from `slot` on (a list got shorter).
    pub fn truncate(&mut self, slot: usize) {
        self.rows.truncate(slot);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;

    fn paint(buf: &mut Buffer, at: Rect, text: &str) -> String {
        buf.set_string(at.x, at.y, text, Style::new());
        text.to_string()
    }

    #[test]
    fn a_row_is_painted_again_when_what_it_shows_or_its_place_changes() {
        let area = Rect::new(0, 0, 6, 2);
        let mut kept = KeptRows::<String>::default();
        let mut calls = 0;
        let mut frame = |kept: &mut KeptRows<String>, at: Rect, text: &str| {
            let mut buf = Buffer::empty(area);
            kept.row(
                0,
                at,
                (&mut buf, &mut HeldRects::default()),
                |k| k == text,
                |b| {
                    calls += 1;
                    paint(b, at, text)
                },
            );
            buf
        };
        let row0 = Rect::new(0, 0, 6, 1);
        let a = frame(&mut kept, row0, "abc");
        let b = frame(&mut kept, row0, "abc");
        assert_eq!(a, b);
        let c = frame(&mut kept, row0, "abd");
        assert_eq!(c, Buffer::with_lines(["abd   ", "      "]));
        let d = frame(&mut kept, Rect::new(1, 1, 5, 1), "abd");
        assert_eq!(d, Buffer::with_lines(["      ", " abd  "]));
        assert_eq!(calls, 3);
    }
}
