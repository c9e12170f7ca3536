//! The timeline rows a frame's buffer already holds when the frame starts.
//!
//! The screen keeps its buffer from one frame to the next instead of resetting it whole: the
//! timeline's rows keep their cells, known by the stamps the last frame gave them (see
//! `timeline::TimelineOut::stamps`). A row whose new stamp is the one it holds is not copied
//! again; any other held row is overwritten in full or reset before it is drawn. Everything
//! else in the buffer was reset as before. Whoever draws in the timeline's place instead (the
//! welcome text, a notice, another layout) resets the held rows first ([`Held::reset`]).
//!
//! The side panes' kept rows (see `kept`) are held the same way, known by their stamps
//! ([`HeldRects`]): a kept row that shows the same is neither reset nor copied in again.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Held rows: the place they are in, and each screen row's stamp (0: reset, nothing held).
#[derive(Debug, Clone, Default)]
pub struct Held {
    rect: Rect,
    stamps: Vec<u64>,
}

impl Held {
    /// Says what the buffer holds: `stamps` by screen row, in the columns of `rect`.
    pub fn set(&mut self, rect: Rect, stamps: &[u64]) {
        self.rect = rect;
        self.stamps.clear();
        self.stamps.extend_from_slice(stamps);
    }

    /// The place held rows are in.
    pub fn rect(&self) -> Rect {
        self.rect
    }

    /// The stamp row `y` holds (0: none).
    pub fn at(&self, y: u16) -> u64 {
        self.stamps.get(y as usize).copied().unwrap_or(0)
    }

    /// Row `y` keeps its held cells or is overwritten whole: nothing to reset.
    pub fn keep_row(&mut self, y: u16) {
        if let Some(s) = self.stamps.get_mut(y as usize) {
            *s = 0;
        }
    }

    /// Row `y` is drawn without its held cells (or from scratch): resets them first.
    pub fn reset_row(&mut self, buf: &mut Buffer, y: u16) {
        if let Some(s) = self.stamps.get_mut(y as usize)
            && *s != 0
        {
            *s = 0;
            reset_cells(buf, self.rect, y);
        }
    }

    /// Resets every held row and forgets them.
    pub fn reset(&mut self, buf: &mut Buffer) {
        for y in 0..self.stamps.len() as u16 {
            self.reset_row(buf, y);
        }
        self.stamps.clear();
    }
}

/// Resets `rect`'s cells on row `y` (clipped to the buffer).
pub fn reset_cells(buf: &mut Buffer, rect: Rect, y: u16) {
    let r = rect.intersection(buf.area);
    if r.is_empty() || y < r.y || y >= r.y + r.height {
        return;
    }
    let start = buf.index_of(r.x, y);
    for c in &mut buf.content[start..start + r.width as usize] {
        c.reset();
    }
}

/// The side panes' kept rows a frame's buffer holds from the last one: where, and the stamp
/// of the cells there (stamps are unique, so a kept row knows its cells by its stamp).
///
/// A held row is *taken* by the kept row that shows it again (nothing to copy or reset), or
/// reset: by the kept row painted in its place, before anything else is painted over it
/// ([`HeldRects::clear_under`]), or at the end of the frame ([`HeldRects::reset`]) when
/// nothing drew there.
#[derive(Debug, Default)]
pub struct HeldRects {
    /// Sorted by stamp; taken or reset rows are removed.
    rows: Vec<(u64, Rect)>,
    /// The layout the rows were drawn in (another layout resets them all).
    pub areas: Option<crate::ui::Areas>,
}

impl HeldRects {
    /// Says what the buffer holds: kept rows by place and stamp.
    pub fn set(&mut self, rows: &[(Rect, u64)]) {
        self.rows.clear();
        self.rows.extend(rows.iter().map(|(r, s)| (*s, *r)));
        self.rows.sort_unstable_by_key(|(s, _)| *s);
    }

    /// Whether the buffer holds the row stamped `stamp` at `at`; it is taken either way
    /// (the caller copies or paints over `at`, a held row elsewhere is reset first).
    pub fn take(&mut self, buf: &mut Buffer, stamp: u64, at: Rect) -> bool {
        let Ok(i) = self.rows.binary_search_by_key(&stamp, |(s, _)| *s) else {
            return false;
        };
        let (_, r) = self.rows.remove(i);
        if r == at {
            return true;
        }
        reset_rect(buf, r);
        false
    }

    /// Resets the held rows that `rect` overlaps (something is painted there).
    pub fn clear_under(&mut self, buf: &mut Buffer, rect: Rect) {
        if self.rows.is_empty() {
            return;
        }
        self.rows.retain(|(_, r)| {
            let hit = r.intersects(rect);
            if hit {
                reset_rect(buf, *r);
            }
            !hit
        });
    }

    /// Resets every held row not taken and forgets them.
    pub fn reset(&mut self, buf: &mut Buffer) {
        for (_, r) in self.rows.drain(..) {
            reset_rect(buf, r);
        }
    }
}

fn reset_rect(buf: &mut Buffer, r: Rect) {
    for y in r.top()..r.bottom() {
        reset_cells(buf, r, y);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;

    #[test]
    fn resetting_clears_held_rows_only_in_their_columns() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 3));
        for y in 0..3 {
            buf.set_string(0, y, "abcdef", Style::default());
        }
        let mut held = Held::default();
        held.set(Rect::new(2, 0, 3, 3), &[5, 0, 9]);
        assert_eq!(
            (held.at(0), held.at(1), held.at(2), held.at(7)),
            (5, 0, 9, 0)
        );
        held.reset(&mut buf);
        let rows: Vec<String> = (0..3)
            .map(|y| (0..6).map(|x| buf[(x, y)].symbol().to_string()).collect())
            .collect();
        assert_eq!(rows, vec!["ab   f", "abcdef", "ab   f"]);
        assert_eq!(held.at(0), 0);
    }

    #[test]
    fn held_rects_are_taken_by_their_stamp_in_place_else_reset() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 3));
        for y in 0..3 {
            buf.set_string(0, y, "abcd", Style::default());
        }
        let row = |y| Rect::new(0, y, 4, 1);
        let mut held = HeldRects::default();
        held.set(&[(row(2), 30), (row(0), 10), (row(1), 20)]);
        // In place: kept as it is.
        assert!(held.take(&mut buf, 10, row(0)));
        // Taken elsewhere: the held row is reset.
        assert!(!held.take(&mut buf, 20, Rect::new(0, 2, 4, 1)));
        // Unknown stamp: not held.
        assert!(!held.take(&mut buf, 99, row(0)));
        let text = |buf: &Buffer| -> Vec<String> {
            (0..3)
                .map(|y| (0..4).map(|x| buf[(x, y)].symbol().to_string()).collect())
                .collect()
        };
        assert_eq!(text(&buf), vec!["abcd", "    ", "abcd"]);
        held.clear_under(&mut buf, Rect::new(3, 2, 1, 1));
        assert_eq!(text(&buf), vec!["abcd", "    ", "    "]);
        held.set(&[(row(0), 10)]);
        held.reset(&mut buf);
        assert_eq!(text(&buf), vec!["    ", "    ", "    "]);
    }
}
