//! The timeline rows a frame's buffer already holds when the frame starts.
//!
//! The screen keeps its buffer from one frame to the next instead of resetting it whole: the
//! timeline's rows keep their cells, known by the stamps the last frame gave them (see
//! `timeline::TimelineOut::stamps`). A row whose new stamp is the one it holds is not copied
//! again; any other held row is overwritten in full or reset before it is drawn. Everything
//! else in the buffer was reset as before. Whoever draws in the timeline's place instead (the
//! welcome text, a notice, another layout) resets the held rows first ([`Held::reset`]).

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
}
