//! Turns a frame diff into the fewest bytes a terminal needs (what an SSH link carries).
//!
//! ratatui's crossterm backend moves the cursor before every cell that does not follow the
//! previous one by exactly one column — after a two-column CJK character that is every cell — and
//! repeats foreground and background together. This encoder tracks the cursor by display width,
//! fills short gaps by rewriting the unchanged cells (cheaper than a cursor move), uses relative
//! moves when they are shorter, and emits only the attributes that change.

use std::io::{self, Write};

use super::diff::{Known, diff};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Position;
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// What the terminal's pen is set to, as far as we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    mods: Modifier,
}

impl Default for Pen {
    fn default() -> Self {
        Pen {
            fg: Color::Reset,
            bg: Color::Reset,
            underline: Color::Reset,
            mods: Modifier::empty(),
        }
    }
}

impl Pen {
    fn of(c: &Cell) -> Pen {
        Pen {
            fg: c.fg,
            bg: c.bg,
            underline: c.underline_color,
            mods: c.modifier,
        }
    }

    /// Whether a space written with this pen looks like one written with `other`: the same
    /// background and the same lines; the foreground shows only when reversed or in a line.
    fn blank_as(&self, other: &Pen) -> bool {
        let shows = Modifier::REVERSED | Modifier::UNDERLINED | Modifier::CROSSED_OUT;
        let (a, b) = (self.mods & shows, other.mods & shows);
        a == b
            && self.bg == other.bg
            && (a.is_empty() || self.fg == other.fg && self.underline == other.underline)
    }
}

/// A terminal written to with escape sequences, remembering cursor and pen between frames.
pub struct Encoder<W: Write> {
    out: W,
    buf: Vec<u8>,
    pen: Pen,
    /// Where the cursor is; None when unknown (after a write into the last column, a clear…).
    pos: Option<(u16, u16)>,
    cursor_visible: Option<bool>,
    /// Something was written since the last flush (a frame has started).
    started: bool,
    /// Where the cursor was and the pen as this frame started, when saved (see `start`).
    saved: Option<((u16, u16), Pen)>,
    width: u16,
    /// Bytes written so far (diagnostics).
    pub written: u64,
}

fn push_param(out: &mut Vec<u8>, n: u32) {
    if out.last() != Some(&b'[') {
        out.push(b';');
    }
    let _ = write!(out, "{n}");
}

/// A relative cursor move by `n` (CUU, CUD, CUF: `dir` is A, B or C); 1 needs no number.
fn relative(out: &mut Vec<u8>, n: u16, dir: u8) {
    if n == 1 {
        out.extend_from_slice(&[0x1b, b'[', dir]);
    } else {
        let _ = write!(out, "\x1b[{n}{}", dir as char);
    }
}

/// SGR parameters for a colour; `base` is 30 for the foreground, 40 for the background.
fn color_params(c: Color, base: u32, out: &mut Vec<u8>) {
    match c {
        Color::Reset => push_param(out, base + 9),
        Color::Black => push_param(out, base),
        Color::Red => push_param(out, base + 1),
        Color::Green => push_param(out, base + 2),
        Color::Yellow => push_param(out, base + 3),
        Color::Blue => push_param(out, base + 4),
        Color::Magenta => push_param(out, base + 5),
        Color::Cyan => push_param(out, base + 6),
        Color::Gray => push_param(out, base + 7),
        Color::DarkGray => push_param(out, base + 60),
        Color::LightRed => push_param(out, base + 61),
        Color::LightGreen => push_param(out, base + 62),
        Color::LightYellow => push_param(out, base + 63),
        Color::LightBlue => push_param(out, base + 64),
        Color::LightMagenta => push_param(out, base + 65),
        Color::LightCyan => push_param(out, base + 66),
        Color::White => push_param(out, base + 67),
        Color::Indexed(i) => {
            for n in [base + 8, 5, u32::from(i)] {
                push_param(out, n);
            }
        }
        Color::Rgb(r, g, b) => {
            for n in [base + 8, 2, u32::from(r), u32::from(g), u32::from(b)] {
                push_param(out, n);
            }
        }
    }
}

/// SGR parameters for an underline colour (58;5;n, 58;2;r;g;b, or 59 to reset).
fn underline_params(c: Color, out: &mut Vec<u8>) {
    let index = |i: u32, out: &mut Vec<u8>| {
        for n in [58, 5, i] {
            push_param(out, n);
        }
    };
    match c {
        Color::Reset => push_param(out, 59),
        Color::Indexed(i) => index(u32::from(i), out),
        Color::Rgb(r, g, b) => {
            for n in [58, 2, u32::from(r), u32::from(g), u32::from(b)] {
                push_param(out, n);
            }
        }
        Color::Black => index(0, out),
        Color::Red => index(1, out),
        Color::Green => index(2, out),
        Color::Yellow => index(3, out),
        Color::Blue => index(4, out),
        Color::Magenta => index(5, out),
        Color::Cyan => index(6, out),
        Color::Gray => index(7, out),
        Color::DarkGray => index(8, out),
        Color::LightRed => index(9, out),
        Color::LightGreen => index(10, out),
        Color::LightYellow => index(11, out),
        Color::LightBlue => index(12, out),
        Color::LightMagenta => index(13, out),
        Color::LightCyan => index(14, out),
        Color::White => index(15, out),
    }
}

/// A vertical cursor step.
#[derive(Clone, Copy)]
enum Step {
    None,
    /// `n` line feeds (only from the first column).
    Feeds(u16),
    /// ESC M: up one row.
    ReverseIndex,
    /// CUU or CUD by `n`.
    Csi(u16, u8),
}

/// A horizontal cursor step on the target row.
#[derive(Clone, Copy)]
enum Horizontal {
    None,
    /// The unchanged cells from this column on written again (this many, one byte each).
    Fill(u16, u16),
    Backspaces(u16),
    /// CUF or CUB by `n`.
    Csi(u16, u8),
}

/// The length of a relative CSI move by `n` (`ESC [ n X`, no number for 1).
fn csi_len(n: u16) -> usize {
    if n == 1 { 3 } else { 3 + digits(n) }
}

fn digits(n: u16) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// The length of CUP to (x, y).
fn absolute_len(x: u16, y: u16) -> usize {
    if x == 0 {
        3 + digits(y + 1)
    } else {
        4 + digits(y + 1) + digits(x + 1)
    }
}

impl Step {
    fn len(self) -> usize {
        match self {
            Step::None => 0,
            Step::Feeds(n) => n as usize,
            Step::ReverseIndex => 2,
            Step::Csi(n, _) => csi_len(n),
        }
    }
}

impl Horizontal {
    fn len(self) -> usize {
        match self {
            Horizontal::None => 0,
            // Filled cells are one byte each (see `can_fill`).
            Horizontal::Fill(_, n) => n as usize,
            Horizontal::Backspaces(n) => n as usize,
            Horizontal::Csi(n, _) => csi_len(n),
        }
    }
}

/// The "off" codes of the attributes that have their own (bold and dim share 22).
const MOD_OFF: [(Modifier, u32); 6] = [
    (Modifier::ITALIC, 23),
    (Modifier::UNDERLINED, 24),
    (Modifier::SLOW_BLINK.union(Modifier::RAPID_BLINK), 25),
    (Modifier::REVERSED, 27),
    (Modifier::HIDDEN, 28),
    (Modifier::CROSSED_OUT, 29),
];

const MOD_ON: [(Modifier, u32); 9] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::RAPID_BLINK, 6),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

impl<W: Write> Encoder<W> {
    /// An encoder writing to `out` for a terminal `width` columns wide.
    pub fn new(out: W, width: u16) -> Self {
        Encoder {
            out,
            buf: Vec::with_capacity(1 << 14),
            pen: Pen::default(),
            pos: None,
            cursor_visible: None,
            started: false,
            saved: None,
            width,
            written: 0,
        }
    }

    /// The writer (tests read what was written through this).
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    /// Sets the terminal width (after a resize).
    pub fn set_width(&mut self, w: u16) {
        self.width = w;
        self.pos = None;
    }

    /// Emits the attribute changes from the current pen to `want`.
    fn set_pen(&mut self, want: Pen) {
        if want == self.pen {
            return;
        }
        let start = self.buf.len();
        self.buf.extend_from_slice(b"\x1b[");
        let fg = self.pen.fg;
        let bg = self.pen.bg;
        let ul = self.pen.underline;
        let mut mods = self.pen.mods;
        let removed = mods - want.mods;
        if !removed.is_empty() {
            // 22 ends both bold and dim; the others have their own "off" codes.
            if removed.intersects(Modifier::BOLD | Modifier::DIM) {
                push_param(&mut self.buf, 22);
                mods.remove(Modifier::BOLD | Modifier::DIM);
            }
            for (m, code) in MOD_OFF {
                if removed.intersects(m) {
                    push_param(&mut self.buf, code);
                    mods.remove(m);
                }
            }
        }
        for (m, code) in MOD_ON {
            if want.mods.contains(m) && !mods.contains(m) {
                push_param(&mut self.buf, code);
            }
        }
        if want.fg != fg {
            color_params(want.fg, 30, &mut self.buf);
        }
        if want.bg != bg {
            color_params(want.bg, 40, &mut self.buf);
        }
        if want.underline != ul {
            underline_params(want.underline, &mut self.buf);
        }
        if self.buf.len() == start + 2 {
            self.buf.truncate(start);
        } else {
            self.buf.push(b'm');
        }
        self.pen = want;
    }

    /// Moves the cursor to (x, y), by the shortest means: the absolute move, or a vertical
    /// step (LF from the first column, CUD/CUU or RI keeping the column) followed by a
    /// horizontal one (the unchanged cells written again, CUF, backspaces or CUB), CR first
    /// where starting from the first column is shorter. LF is only sent from the first
    /// column, where a terminal that turns it into CR LF (ONLCR, LNM) lands in the same place.
    fn move_to(&mut self, x: u16, y: u16, cur: &Buffer) {
        let Some((px, py)) = self.pos else {
            return self.absolute(x, y);
        };
        if (px, py) == (x, y) {
            return;
        }
        // The vertical step, from the current column or (after CR) from the first.
        let vertical = |at0: bool| {
            if y > py {
                let n = y - py;
                if at0 && n <= 4 {
                    Step::Feeds(n)
                } else {
                    Step::Csi(n, b'B')
                }
            } else if y < py {
                // RI moves up one; the cursor is below the top margin (none is set).
                match py - y {
                    1 => Step::ReverseIndex,
                    n => Step::Csi(n, b'A'),
                }
            } else {
                Step::None
            }
        };
        let (step, h) = (vertical(px == 0), self.horizontal(px, x, y, cur));
        let mut best = (step.len() + h.len(), false, step, h);
        if px != 0 {
            let (step, h) = (vertical(true), self.horizontal(0, x, y, cur));
            let cost = 1 + step.len() + h.len();
            if cost < best.0 {
                best = (cost, true, step, h);
            }
        }
        let (cost, from0, step, h) = best;
        if cost >= absolute_len(x, y) {
            return self.absolute(x, y);
        }
        if from0 {
            self.buf.push(b'\r');
        }
        match step {
            Step::None => {}
            Step::Feeds(n) => self.buf.extend(std::iter::repeat_n(b'\n', n as usize)),
            Step::ReverseIndex => self.buf.extend_from_slice(b"\x1bM"),
            Step::Csi(n, dir) => relative(&mut self.buf, n, dir),
        }
        match h {
            Horizontal::None => {}
            Horizontal::Fill(from, _) => {
                for gx in from..x {
                    self.buf.extend_from_slice(cur[(gx, y)].symbol().as_bytes());
                }
            }
            Horizontal::Backspaces(n) => self.buf.extend(std::iter::repeat_n(b'\x08', n as usize)),
            Horizontal::Csi(n, dir) => relative(&mut self.buf, n, dir),
        }
        self.pos = Some((x, y));
    }

    /// The horizontal step from column `from` to `x` on row `y`.
    fn horizontal(&self, from: u16, x: u16, y: u16, cur: &Buffer) -> Horizontal {
        if from < x {
            let gap = x - from;
            // Rewriting a few unchanged plain cells is cheaper than a move.
            if gap <= 4 && self.can_fill(from, x, y, cur) {
                Horizontal::Fill(from, gap)
            } else {
                Horizontal::Csi(gap, b'C')
            }
        } else if from > x {
            let n = from - x;
            if n <= 3 {
                Horizontal::Backspaces(n)
            } else {
                Horizontal::Csi(n, b'D')
            }
        } else {
            Horizontal::None
        }
    }

    /// CUP to (x, y).
    fn absolute(&mut self, x: u16, y: u16) {
        if x == 0 {
            let _ = write!(self.buf, "\x1b[{}H", y + 1);
        } else {
            let _ = write!(self.buf, "\x1b[{};{}H", y + 1, x + 1);
        }
        self.pos = Some((x, y));
    }

    /// Saves the cursor and the pen (DECSC) before the frame's first output, when the cursor
    /// shows where it is: if the frame puts it back there, restoring it (DECRC) is two bytes
    /// where a move is up to eight.
    fn start(&mut self) {
        if !self.started {
            self.started = true;
            self.saved = match (self.pos, self.cursor_visible) {
                (Some(p), Some(true)) => {
                    self.buf.extend_from_slice(b"\x1b7");
                    Some((p, self.pen))
                }
                _ => None,
            };
        }
    }

    /// Whether the cells `from..to` of row `y` can be written again with the current pen: plain
    /// ASCII in that pen, or spaces that look the same in it.
    fn can_fill(&self, from: u16, to: u16, y: u16, cur: &Buffer) -> bool {
        // Not from the right half of a wide character (where a vertical step can land): a
        // blank written there would erase the character.
        if from > 0 {
            let left = cur[(from - 1, y)].symbol();
            if left.len() > 1 && UnicodeWidthStr::width(left) > 1 {
                return false;
            }
        }
        (from..to).all(|x| {
            let c = &cur[(x, y)];
            match c.symbol().as_bytes() {
                b" " => self.pen.blank_as(&Pen::of(c)),
                [b] => b.is_ascii_graphic() && Pen::of(c) == self.pen,
                _ => false,
            }
        })
    }

    /// Writes the cells that differ between `prev` (what the terminal shows) and `cur`.
    pub fn draw_diff(&mut self, prev: &Buffer, cur: &Buffer, known: Known<'_>) {
        diff(prev, cur, known, |x, y, cell| {
            self.start();
            self.move_to(x, y, cur);
            self.set_pen(Pen::of(cell));
            let sym = cell.symbol();
            // Most cells are one ASCII byte: no width lookup, no copy call.
            let w = match sym.as_bytes() {
                [b] => {
                    self.buf.push(*b);
                    1
                }
                bytes => {
                    self.buf.extend_from_slice(bytes);
                    UnicodeWidthStr::width(sym).max(1) as u16
                }
            };
            let nx = x + w;
            // A cluster of several characters (an emoji with VS16 or a ZWJ, a flag) is as
            // wide as the terminal thinks, which is not always what Unicode says (tmux 3.3
            // and vt100 count ☀️ as one column): the next cell is reached by a move, so the
            // rest of the row never lands a column off.
            let agreed = sym.len() == 1 || sym.chars().nth(1).is_none();
            self.pos = if nx >= self.width || !agreed {
                None
            } else {
                Some((nx, y))
            };
        });
    }

    /// Scrolls rows `top..bottom` (0-based, end exclusive) up by `by` rows when positive
    /// (SU: blank rows enter below), down when negative (SD: blank rows enter above).
    pub fn scroll(&mut self, top: u16, bottom: u16, by: i32) {
        let (n, way) = (by.unsigned_abs(), if by > 0 { 'S' } else { 'T' });
        self.start();
        // Rows scrolled in take the current background: make it the default first.
        if self.pen.bg != Color::Reset {
            self.buf.extend_from_slice(b"\x1b[0m");
            self.pen = Pen::default();
        }
        let _ = write!(self.buf, "\x1b[{};{}r\x1b[{n}{way}\x1b[r", top + 1, bottom);
        // Setting the margins homes the cursor.
        self.pos = Some((0, 0));
    }

    /// Clears the screen and resets the pen.
    pub fn clear(&mut self) {
        self.buf.extend_from_slice(b"\x1b[0m\x1b[2J");
        self.pen = Pen::default();
        self.pos = None;
        self.started = true;
        self.saved = None;
    }

    /// Shows the cursor at `p`, or hides it.
    pub fn cursor(&mut self, p: Option<Position>, cur: &Buffer) {
        match p {
            Some(p) => {
                match self.saved {
                    // Only with the pen as it was saved: not every terminal restores it.
                    Some((at, pen))
                        if at == (p.x, p.y) && self.pos != Some(at) && pen == self.pen =>
                    {
                        self.buf.extend_from_slice(b"\x1b8");
                        self.pos = Some(at);
                    }
                    _ => self.move_to(p.x, p.y, cur),
                }
                if self.cursor_visible != Some(true) {
                    self.buf.extend_from_slice(b"\x1b[?25h");
                    self.cursor_visible = Some(true);
                }
            }
            None => {
                if self.cursor_visible != Some(false) {
                    self.buf.extend_from_slice(b"\x1b[?25l");
                    self.cursor_visible = Some(false);
                }
            }
        }
    }

    /// Writes out what was encoded.
    pub fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.out.write_all(&self.buf)?;
            self.written += self.buf.len() as u64;
            self.buf.clear();
        }
        self.started = false;
        self.saved = None;
        self.out.flush()
    }

    /// Where the bytes went.
    pub fn out(&self) -> &W {
        &self.out
    }

    /// Writes graphics sequences (kitty, sixel, iTerm2) as they are; they move the cursor.
    pub fn raw(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.buf.extend_from_slice(bytes);
        self.pos = None;
        // Image protocols may save and restore the cursor themselves.
        self.saved = None;
    }

    /// Forgets what the terminal state is (after something else wrote to it).
    pub fn forget(&mut self) {
        self.pos = None;
        self.saved = None;
        self.cursor_visible = None;
        self.buf.extend_from_slice(b"\x1b[0m");
        self.pen = Pen::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn apply(bytes: &[u8], w: u16, h: u16, init: &[u8]) -> vt100::Parser {
        let nz = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero");
        let mut p = vt100::Parser::new(nz(h), nz(w), 0);
        p.process(init);
        p.process(bytes);
        p
    }

    fn text_of(buf: &Buffer) -> Vec<String> {
        crate::ui::buffer_lines(buf)
    }

    /// Encodes the diff from `prev` to `cur` and returns what it wrote.
    fn encoded(e: &mut Encoder<Vec<u8>>, prev: &Buffer, cur: &Buffer) -> String {
        let before = e.get_ref().len();
        e.draw_diff(prev, cur, Known::NOTHING);
        e.flush().unwrap();
        String::from_utf8(e.get_ref()[before..].to_vec()).unwrap()
    }

    fn vt_rows(p: &vt100::Parser) -> Vec<String> {
        p.screen()
            .rows(0, p.screen().size().1.get())
            .map(|r| r.trim_end().to_string())
            .collect()
    }

    /// A terminal that counts an emoji with VS16 as one column (tmux 3.3) still gets what
    /// follows it where it belongs: the next cell is reached by a move, not by trusting the
    /// emoji's width. Before, the rest of such a row landed a column to the left in tmux, and
    /// a closed popup's border stayed beside it.
    #[test]
    fn what_follows_an_emoji_with_vs16_lands_in_its_column_whatever_its_width() {
        let area = Rect::new(0, 0, 20, 1);
        let prev = Buffer::empty(area);
        let mut cur = Buffer::empty(area);
        cur.set_string(0, 0, "早☀\u{fe0f}[OK]", Style::new());
        cur.set_string(12, 0, "|", Style::new());
        let mut e = Encoder::new(Vec::new(), 20);
        let out = encoded(&mut e, &prev, &cur);
        assert!(out.contains("☀\u{fe0f}\x1b[1;5H[OK]"), "{out:?}");
        // (vt100 counts it as two columns, as Unicode does: the same cells either way.)
        let p = apply(e.get_ref(), 20, 1, b"");
        let at = |x: u16| {
            p.screen()
                .cell(0, x)
                .map(|c| c.contents())
                .unwrap_or_default()
        };
        assert_eq!((at(4), at(7), at(12)), ("[", "]", "|"));
    }

    #[test]
    fn cjk_runs_need_no_cursor_moves() {
        let area = Rect::new(0, 0, 20, 2);
        let prev = Buffer::empty(area);
        let mut cur = Buffer::empty(area);
        cur.set_string(0, 0, "你好世界 ok", Style::new());
        let mut e = Encoder::new(Vec::new(), 20);
        let out = encoded(&mut e, &prev, &cur);
        assert_eq!(out.matches('\x1b').count(), 1, "one move, no more: {out:?}");
        let p = apply(e.get_ref(), 20, 2, b"");
        assert_eq!(vt_rows(&p), text_of(&cur));
    }

    #[test]
    fn a_frame_that_puts_the_caret_back_restores_it() {
        let area = Rect::new(0, 0, 40, 10);
        let mut prev = Buffer::empty(area);
        let mut e = Encoder::new(Vec::new(), 40);
        let caret = Some(Position::new(10, 9));
        e.draw_diff(&Buffer::empty(area), &prev, Known::NOTHING);
        e.cursor(caret, &prev);
        e.flush().unwrap();
        let before = e.get_ref().len();
        let mut cur = prev.clone();
        cur.set_string(10, 4, "新消息", Style::new().red());
        cur.set_string(16, 4, " hello", Style::new());
        e.draw_diff(&prev, &cur, Known::NOTHING);
        e.cursor(caret, &cur);
        e.flush().unwrap();
        let out = String::from_utf8(e.get_ref()[before..].to_vec()).unwrap();
        // Saved, up five rows in the same column, the row (the blank between its words written
        // as a space in red, where it looks the same), restored.
        assert_eq!(out, "\x1b7\x1b[5A\x1b[31m新消息 \x1b[39mhello\x1b8");
        let p = apply(e.get_ref(), 40, 10, b"");
        assert_eq!(p.screen().cursor_position(), (9, 10));
        assert_eq!(vt_rows(&p), text_of(&cur));
        prev = cur;
        // A frame that writes nothing writes nothing, not even the save.
        let before = e.get_ref().len();
        e.draw_diff(&prev, &prev, Known::NOTHING);
        e.cursor(caret, &prev);
        e.flush().unwrap();
        assert_eq!(e.get_ref().len(), before);
        // Ending with another pen than the saved one, it moves there (not every terminal
        // restores the pen).
        let mut cur = prev.clone();
        cur.set_string(10, 3, "red", Style::new().red());
        e.draw_diff(&prev, &cur, Known::NOTHING);
        e.cursor(caret, &cur);
        e.flush().unwrap();
        let out = String::from_utf8(e.get_ref()[before..].to_vec()).unwrap();
        // (Down six rows in the same column and back three: shorter than `ESC [10;11H`.)
        assert!(out.ends_with("red\x1b[6B\x08\x08\x08"), "{out:?}");
        let p = apply(e.get_ref(), 40, 10, b"");
        assert_eq!(p.screen().cursor_position(), (9, 10));
    }

    #[test]
    fn gaps_are_filled_only_with_blanks_that_look_the_same() {
        let area = Rect::new(0, 0, 8, 1);
        let mut prev = Buffer::empty(area);
        prev.set_string(0, 0, "a", Style::new());
        prev.set_string(1, 0, " ", Style::new().on_blue());
        prev.set_string(2, 0, "b  c", Style::new());
        let mut e = Encoder::new(Vec::new(), 8);
        e.draw_diff(&Buffer::empty(area), &prev, Known::NOTHING);
        e.flush().unwrap();
        let before = e.get_ref().len();
        let mut cur = prev.clone();
        cur.set_string(0, 0, "x", Style::new().red());
        cur.set_string(2, 0, "y", Style::new().red());
        cur.set_string(5, 0, "z", Style::new().red());
        e.draw_diff(&prev, &cur, Known::NOTHING);
        e.flush().unwrap();
        let out = String::from_utf8(e.get_ref()[before..].to_vec()).unwrap();
        // The blue blank is stepped over; the two default ones are written in red.
        assert_eq!(out, "\r\x1b[31mx\x1b[Cy  z");
        let p = apply(e.get_ref(), 8, 1, b"");
        let bg = |x| p.screen().cell(0, x).map(|c| c.bgcolor());
        assert_eq!(bg(1), Some(vt100::Color::Idx(4)));
        assert_eq!(bg(3), Some(vt100::Color::Default));
    }

    #[test]
    fn rows_below_are_reached_by_line_feeds_and_backspaces() {
        // A sidebar written again after a scroll: names at the left, a border column.
        let area = Rect::new(0, 0, 12, 6);
        let prev = Buffer::empty(area);
        let mut cur = Buffer::empty(area);
        cur.set_string(0, 0, "#群", Style::new());
        cur.set_string(1, 1, "李想", Style::new());
        for y in 2..6 {
            cur.set_string(8, y, "│", Style::new());
        }
        let mut e = Encoder::new(Vec::new(), 12);
        e.pos = Some((0, 0));
        let out = encoded(&mut e, &prev, &cur);
        // CR LF and the blank rewritten to the indented name (2 bytes where `ESC [2;2H` is 6),
        // the border's first cell by CUP (no step is shorter), then down and one back per │.
        assert_eq!(
            out,
            "#群\r\n 李想\x1b[3;9H│\x1b[B\x08│\x1b[B\x08│\x1b[B\x08│"
        );
        let p = apply(e.get_ref(), 12, 6, b"");
        assert_eq!(vt_rows(&p), text_of(&cur));
    }

    #[test]
    fn a_step_down_never_writes_into_half_a_wide_character() {
        // The cursor ends in column 3 of row 0; row 1 holds 好 in columns 2-3 and the change is
        // in column 5: a blank written at column 3 would erase 好, so it is stepped over.
        let area = Rect::new(0, 0, 8, 2);
        let mut prev = Buffer::empty(area);
        prev.set_string(2, 1, "好", Style::new());
        let mut cur = prev.clone();
        cur.set_string(0, 0, "abc", Style::new());
        cur.set_string(5, 1, "x", Style::new());
        let mut e = Encoder::new(Vec::new(), 8);
        let init = encoded(&mut e, &Buffer::empty(area), &prev);
        e.pos = Some((0, 0));
        let out = encoded(&mut e, &prev, &cur);
        let p = apply(out.as_bytes(), 8, 2, format!("{init}\x1b[H").as_bytes());
        assert_eq!(vt_rows(&p), text_of(&cur));
        assert!(!out.contains("\x1b[B "), "{out:?}");
    }

    #[test]
    fn only_changed_attributes_are_sent() {
        let area = Rect::new(0, 0, 10, 1);
        let prev = Buffer::empty(area);
        let mut cur = Buffer::empty(area);
        cur.set_string(0, 0, "ab", Style::new().red());
        cur.set_string(2, 0, "cd", Style::new().red().bold());
        let mut e = Encoder::new(Vec::new(), 10);
        let out = encoded(&mut e, &prev, &cur);
        assert_eq!(out, "\x1b[1H\x1b[31mab\x1b[1mcd");
    }

    #[test]
    fn scrolling_then_diff_reproduces_the_frame() {
        let area = Rect::new(0, 0, 12, 5);
        let mut a = Buffer::empty(area);
        for (i, t) in [
            "侧栏一 aaa",
            "侧栏二 bbb",
            "侧栏三 ccc",
            "        ddd",
            "        eee",
        ]
        .iter()
        .enumerate()
        {
            a.set_string(0, i as u16, t, Style::new().on_blue());
        }
        let mut e = Encoder::new(Vec::new(), 12);
        e.draw_diff(&Buffer::empty(area), &a, Known::NOTHING);
        e.flush().unwrap();
        let mut b = Buffer::empty(area);
        for (i, t) in [
            "侧栏一 bbb",
            "侧栏二 ccc",
            "侧栏三 ddd",
            "        eee",
            "        fff",
        ]
        .iter()
        .enumerate()
        {
            b.set_string(0, i as u16, t, Style::new().on_blue());
        }
        let before = e.get_ref().len();
        let mut shifted = a.clone();
        crate::runtime::screen::shift_rows(&mut shifted, 0..5, 1);
        e.scroll(0, 5, 1);
        e.draw_diff(&shifted, &b, Known::NOTHING);
        e.flush().unwrap();
        let p = apply(e.get_ref(), 12, 5, b"");
        assert_eq!(vt_rows(&p), text_of(&b));
        assert!(e.get_ref().len() > before);
    }

    #[test]
    fn random_frames_are_reproduced_exactly() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let words = ["你好", "a", "bc", "世界", "🦀", " ", "ok", "测试中", "x"];
        let colors = [
            Color::Reset,
            Color::Red,
            Color::Indexed(39),
            Color::Rgb(1, 2, 3),
        ];
        let area = Rect::new(0, 0, 30, 8);
        let mut prev = Buffer::empty(area);
        let mut e = Encoder::new(Vec::new(), 30);
        let mut vt = apply(b"", 30, 8, b"");
        let mut seen = 0;
        for _ in 0..200 {
            // Well-formed frames, as widgets draw them: some rows rewritten left to right.
            let mut cur = prev.clone();
            for _ in 0..rng.random_range(0..4) {
                let y = rng.random_range(0..8);
                let mut x = 0u16;
                for c in x..30 {
                    cur[(c, y)] = Cell::default();
                }
                while x < 30 {
                    let mut style = Style::new()
                        .fg(colors[rng.random_range(0..4)])
                        .bg(colors[rng.random_range(0..4)]);
                    if rng.random_bool(0.3) {
                        style = style.bold();
                    }
                    if rng.random_bool(0.2) {
                        style = style.reversed();
                    }
                    let w = words[rng.random_range(0..words.len())];
                    let (nx, _) = cur.set_stringn(x, y, w, (30 - x) as usize, style);
                    x = if nx == x { 30 } else { nx };
                }
            }
            e.draw_diff(&prev, &cur, Known::NOTHING);
            prev = cur;
            // The caret: mostly back where it was (the composer), sometimes elsewhere or hidden.
            let caret = match rng.random_range(0..6) {
                0 => None,
                1 => Some(Position::new(
                    rng.random_range(0..30),
                    rng.random_range(0..8),
                )),
                _ => Some(Position::new(3, 7)),
            };
            e.cursor(caret, &prev);
            e.flush().unwrap();
            vt.process(&e.get_ref()[seen..]);
            seen = e.get_ref().len();
            if let Some(c) = caret {
                assert_eq!(vt.screen().cursor_position(), (c.y, c.x), "the caret");
            }
        }
        let p = vt;
        let out = e.get_ref();
        assert!(
            out.windows(2).any(|w| w == b"\x1b8"),
            "the caret was restored"
        );
        assert_eq!(vt_rows(&p), text_of(&prev));
        // Attributes too: compare every cell's colours.
        for y in 0..8 {
            for x in 0..30 {
                let (Some(vc), c) = (p.screen().cell(y, x), &prev[(x, y)]) else {
                    continue;
                };
                let vt_color = |c: Color| match c {
                    Color::Reset => vt100::Color::Default,
                    Color::Red => vt100::Color::Idx(1),
                    Color::Indexed(i) => vt100::Color::Idx(i),
                    Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
                    other => unreachable!("{other:?}"),
                };
                // What a cell looks like: its background and reversal always; its foreground
                // and weight where it has a glyph (or is reversed).
                let reversed = c.modifier.contains(Modifier::REVERSED);
                assert_eq!(vc.inverse(), reversed, "reverse at {x},{y}");
                assert_eq!(vc.bgcolor(), vt_color(c.bg), "background at {x},{y}");
                let blank = c.symbol() == " ";
                if !blank || reversed {
                    assert_eq!(vc.fgcolor(), vt_color(c.fg), "foreground at {x},{y}");
                }
                if !blank {
                    assert_eq!(
                        vc.bold(),
                        c.modifier.contains(Modifier::BOLD),
                        "bold at {x},{y}"
                    );
                }
            }
        }
    }
}
