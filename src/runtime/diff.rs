//! Which cells a frame has to write: those of `cur` that differ from `prev` (what the terminal
//! shows), found as ratatui's `Buffer::diff` finds them (wide characters, their trailing
//! columns, VS16 emoji, skipped cells), except that cells already known to be equal are not
//! looked at: the timeline tells which of its rows hold the cells the terminal already has
//! (see `screen::Painted::stamps`), and comparing those cell by cell was most of a frame's
//! work during a flood.

use std::ops::Range;

use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::style::{Color, Modifier};

/// Cells known to be equal in both buffers: per row (rows past the end: none), column ranges
/// in ascending order, not overlapping.
#[derive(Clone, Copy)]
pub struct Known<'a> {
    pub rows: &'a [Vec<Range<u16>>],
}

impl Known<'_> {
    /// Nothing is known: every cell is compared.
    pub const NOTHING: Known<'static> = Known { rows: &[] };
}

/// Adds the columns `cols` of row `y` to what is known (keeping each row's ranges ascending and
/// apart). `rows` grows as needed.
pub fn know(rows: &mut Vec<Vec<Range<u16>>>, y: u16, cols: Range<u16>) {
    if cols.is_empty() {
        return;
    }
    let y = y as usize;
    if rows.len() <= y {
        rows.resize_with(y + 1, Vec::new);
    }
    let row = &mut rows[y];
    // Most rows get one range, or ranges left to right: appended or merged with the last.
    match row.last_mut() {
        None => {
            row.push(cols);
            return;
        }
        Some(last) if last.end < cols.start => {
            row.push(cols);
            return;
        }
        Some(last) if last.start <= cols.start => {
            last.end = last.end.max(cols.end);
            return;
        }
        Some(_) => {}
    }
    row.push(cols);
    row.sort_by_key(|r| r.start);
    // Merged in place (this runs for every known row of every frame: no allocation).
    let mut kept = 0;
    for i in 1..row.len() {
        if row[i].start <= row[kept].end {
            row[kept].end = row[kept].end.max(row[i].end);
        } else {
            kept += 1;
            row[kept] = row[i].clone();
        }
    }
    row.truncate(kept + 1);
}

/// Modifiers that show on a blank cell (a wide character's leftover style can stay visible).
const VISIBLE_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::CROSSED_OUT);

#[allow(deprecated)]
fn is_skip(cell: &Cell) -> bool {
    matches!(cell.diff_option, CellDiffOption::Skip)
        || (cell.skip && matches!(cell.diff_option, CellDiffOption::None))
}

/// The display width of an unchanged cell, cheaply for the common one-byte symbol.
fn width_of(cell: &Cell) -> usize {
    let s = cell.symbol();
    if s.len() == 1 {
        1
    } else {
        cell.cell_width() as usize
    }
}

/// Calls `emit(x, y, cell)` for every cell of `cur` to write, in screen order.
pub fn diff<'a>(
    prev: &Buffer,
    cur: &'a Buffer,
    known: Known<'_>,
    mut emit: impl FnMut(u16, u16, &'a Cell),
) {
    let w = cur.area.width as usize;
    if w == 0 || prev.area.width != cur.area.width {
        return;
    }
    let (next, before) = (&cur.content, &prev.content);
    let len = next.len().min(before.len());
    let (ox, oy) = (cur.area.x, cur.area.y);
    let mut at = |i: usize| {
        let (x, y) = (i % w, i / w);
        emit(ox + x as u16, oy + y as u16, &next[i]);
    };
    let mut pos = 0;
    // The known ranges of the row being walked, and the first that may still lie ahead.
    let (mut row_at, mut spans, mut k): (usize, &[Range<u16>], usize) = (usize::MAX, &[], 0);
    while pos < len {
        let i = pos;
        let (x, y) = (i % w, i / w);
        if y != row_at {
            row_at = y;
            spans = known.rows.get(y).map_or(&[], |r| r.as_slice());
            k = 0;
        }
        while k < spans.len() && (spans[k].end as usize) <= x {
            k += 1;
        }
        if let Some(r) = spans.get(k)
            && (r.start as usize) <= x
        {
            // Past the known cells, and past the trailing column of a wide last one.
            let end = (r.end as usize).min(w);
            pos = y * w + end + width_of(&next[y * w + end - 1]).saturating_sub(1);
            k += 1;
            continue;
        }
        pos += 1;
        let current = &next[i];
        let previous = &before[i];
        match current.diff_option {
            CellDiffOption::Skip => {}
            _ if is_skip(current) => {}
            CellDiffOption::ForcedWidth(width) => {
                pos = pos.saturating_add(width.get().saturating_sub(1) as usize);
                if current != previous {
                    at(i);
                }
            }
            CellDiffOption::None | CellDiffOption::AlwaysUpdate => {
                if matches!(current.diff_option, CellDiffOption::None) && current == previous {
                    pos += width_of(current).saturating_sub(1);
                    continue;
                }
                let width = current.cell_width() as usize;
                let previous_width = previous.cell_width() as usize;
                at(i);
                // Some terminals leave the trailing column of a VS16 emoji alone: write what
                // changed there. A narrower character over a wide one whose style showed on
                // blanks: write every trailing cell again.
                let trailing = if width > 1 && current.symbol().contains('\u{FE0F}') {
                    Some(((i + width).min(len), false))
                } else if width > 1 {
                    pos += width - 1;
                    None
                } else if previous_width > width
                    && (previous.bg != Color::Reset
                        || previous.modifier.intersects(VISIBLE_ON_BLANK))
                {
                    Some(((i + previous_width).min(len), true))
                } else {
                    None
                };
                if let Some((mut end, force)) = trailing {
                    let mut j = i + 1;
                    while j < end {
                        let k = j;
                        j += next[k].cell_width().max(1) as usize;
                        end = end.max(j).min(len);
                        if !is_skip(&next[k]) && (force || before[k].symbol() != next[k].symbol()) {
                            at(k);
                        }
                    }
                    pos = end;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_ranges_stay_ascending_and_apart() {
        let mut rows = Vec::new();
        know(&mut rows, 2, 10..20);
        know(&mut rows, 2, 0..4);
        know(&mut rows, 2, 15..25);
        know(&mut rows, 2, 4..6);
        know(&mut rows, 2, 30..30);
        assert_eq!(rows[2], vec![0..6, 10..25]);
        assert!(rows[0].is_empty() && rows[1].is_empty());
    }
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn ours<'a>(prev: &Buffer, cur: &'a Buffer, known: Known<'_>) -> Vec<(u16, u16, &'a Cell)> {
        let mut out = Vec::new();
        diff(prev, cur, known, |x, y, c| out.push((x, y, c)));
        out
    }

    const SYMBOLS: &[&str] = &["a", " ", "中", "文", "😀", "❤\u{fe0f}", "│", "é", "x"];

    fn styled(i: usize) -> Style {
        match i % 4 {
            0 => Style::default(),
            1 => Style::default().bg(Color::Blue),
            2 => Style::default().add_modifier(Modifier::REVERSED),
            _ => Style::default().fg(Color::Red),
        }
    }

    /// A buffer painted the way widgets paint: strings set with `set_string`, so wide
    /// characters own their trailing cells.
    fn painted(w: u16, h: u16, strokes: &[(u16, u16, usize, usize, usize)]) -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, w, h));
        for &(x, y, s, n, st) in strokes {
            let text: String = (0..n).map(|k| SYMBOLS[(s + k) % SYMBOLS.len()]).collect();
            b.set_string(x % w, y % h, &text, styled(st));
        }
        b
    }

    /// The same with the cells a wide character covers blank, as a row drawn by one
    /// `set_line` is (the timeline's rows are; strokes above can leave a character over the
    /// trailing column of another).
    fn well_formed(mut b: Buffer) -> Buffer {
        let w = b.area.width as usize;
        for y in 0..b.area.height as usize {
            let mut x = 0;
            while x < w {
                let n = b.content[y * w + x].cell_width().max(1) as usize;
                for k in x + 1..(x + n).min(w) {
                    b.content[y * w + k].reset();
                }
                x += n;
            }
        }
        b
    }

    fn strokes() -> impl Strategy<Value = Vec<(u16, u16, usize, usize, usize)>> {
        prop::collection::vec((0u16..12, 0u16..4, 0usize..9, 1usize..6, 0usize..4), 0..10)
    }

    proptest! {
        #[test]
        fn finds_what_ratatui_finds(a in strokes(), b in strokes()) {
            let (prev, cur) = (painted(12, 4, &a), painted(12, 4, &b));
            let theirs: Vec<_> = prev.diff_iter(&cur).collect();
            prop_assert_eq!(ours(&prev, &cur, Known::NOTHING), theirs);
        }

        #[test]
        fn known_rows_are_not_looked_at_and_the_rest_is_the_same(
            a in strokes(), b in strokes(), row in 0usize..4, from in 0u16..12, to in 0u16..13,
        ) {
            let prev = well_formed(painted(12, 4, &a));
            let mut cur = well_formed(painted(12, 4, &b));
            let cols = from.min(to)..to.max(from);
            // The known cells are equal (as the timeline promises)...
            for x in cols.clone() {
                let i = row * 12 + x as usize;
                cur.content[i] = prev.content[i].clone();
            }
            let mut rows = Vec::new();
            know(&mut rows, row as u16, cols.clone());
            let known = Known { rows: &rows };
            // ...so knowing them changes nothing written.
            prop_assert_eq!(ours(&prev, &cur, known), ours(&prev, &cur, Known::NOTHING));
        }
    }

    #[test]
    fn an_unchanged_frame_writes_nothing_and_a_changed_cell_is_written() {
        let prev = painted(10, 2, &[(0, 0, 2, 4, 0), (0, 1, 0, 6, 1)]);
        assert!(ours(&prev, &prev.clone(), Known::NOTHING).is_empty());
        let mut cur = prev.clone();
        cur.set_string(0, 1, "z", Style::default());
        let out = ours(&prev, &cur, Known::NOTHING);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].0, out[0].1, out[0].2.symbol()), (0, 1, "z"));
    }
}
