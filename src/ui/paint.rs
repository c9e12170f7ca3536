//! Writing a string into a buffer's cells, as ratatui's `Buffer::set_stringn` does, without its
//! grapheme segmentation and per-grapheme width lookup when every character is a grapheme of its
//! own (ASCII, Latin-1, CJK, kana, box drawing — no combining marks, joiners or emoji); any
//! other string goes through `set_stringn`. The cells are the same either way (tested against
//! `set_stringn` character by character).

use ratatui::buffer::Buffer;
use ratatui::style::Style;
use unicode_width::UnicodeWidthChar;

/// Whether `c` stands as a grapheme of its own beside any other such character, is shown (not a
/// control, not zero-width), and is as wide alone as `unicode-width` measures it.
fn plain(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{A0}'..='\u{AC}' // not U+00AD, the soft hyphen (a format control)
        | '\u{AE}'..='\u{17F}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205E}'
        | '\u{2190}'..='\u{2193}'
        | '\u{2500}'..='\u{257F}'
        | '\u{25A0}'..='\u{25FF}'
        | '\u{3000}'..='\u{3029}' // not U+302A–302F, tone marks that combine
        | '\u{3030}'..='\u{303F}'
        | '\u{3041}'..='\u{3096}' // not U+3099–309A, the combining (semi-)voiced marks
        | '\u{309B}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{FF01}'..='\u{FF60}'
    )
}

/// `buf.set_stringn(x, y, s, max_width, style)`, the same cells and the same end position.
pub fn set_stringn(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    s: &str,
    max_width: usize,
    style: Style,
) -> (u16, u16) {
    let fast = if s.is_ascii() {
        s.bytes().all(|b| (b' '..=b'~').contains(&b))
    } else {
        s.chars().all(plain)
    };
    if !fast {
        return buf.set_stringn(x, y, s, max_width, style);
    }
    let max_width = u16::try_from(max_width).unwrap_or(u16::MAX);
    let mut remaining = buf.area.right().saturating_sub(x).min(max_width);
    let mut x = x;
    let mut utf8 = [0; 4];
    for c in s.chars() {
        // Every plain character is one or two columns wide.
        let w = c.width().unwrap_or(1) as u16;
        let Some(r) = remaining.checked_sub(w) else {
            break;
        };
        remaining = r;
        buf[(x, y)]
            .set_symbol(c.encode_utf8(&mut utf8))
            .set_style(style);
        let next = x + w;
        x += 1;
        // The cell a wide character covers is reset, as `set_stringn` does.
        while x < next {
            buf[(x, y)].reset();
            x += 1;
        }
    }
    (x, y)
}

/// `buf.set_string(x, y, s, style)`.
pub fn set_string(buf: &mut Buffer, x: u16, y: u16, s: &str, style: Style) -> (u16, u16) {
    set_stringn(buf, x, y, s, usize::MAX, style)
}

/// `buf.set_line(x, y, line, max_width)`: each span as `set_stringn` above writes it.
pub fn set_line(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    line: &ratatui::text::Line<'_>,
    max_width: u16,
) -> (u16, u16) {
    let mut remaining = max_width;
    let mut x = x;
    for span in line {
        if remaining == 0 {
            break;
        }
        let style = line.style.patch(span.style);
        let (end, _) = set_stringn(buf, x, y, &span.content, remaining as usize, style);
        remaining = remaining.saturating_sub(end.saturating_sub(x));
        x = end;
    }
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Modifier};

    /// Both ways of writing `s` into a buffer that already holds something, cell by cell
    /// (symbol included: `Cell`'s `==` takes no symbol for a space).
    fn same(s: &str, x: u16, max: usize) {
        let area = Rect::new(2, 1, 12, 2);
        let mut a = Buffer::empty(area);
        for (i, c) in a.content.iter_mut().enumerate() {
            c.set_symbol(if i % 3 == 0 { "字" } else { "x" })
                .set_style(Style::new().fg(Color::Red).add_modifier(Modifier::BOLD));
        }
        let mut b = a.clone();
        let style = Style::new().bg(Color::Blue).remove_modifier(Modifier::BOLD);
        let ea = a.set_stringn(x, 2, s, max, style);
        let eb = set_stringn(&mut b, x, 2, s, max, style);
        assert_eq!(ea, eb, "{s:?} at {x} max {max}");
        for (ca, cb) in a.content.iter().zip(&b.content) {
            assert_eq!(ca.symbol(), cb.symbol(), "{s:?} at {x} max {max}");
            assert_eq!(ca, cb, "{s:?} at {x} max {max}");
        }
    }

    #[test]
    fn every_plain_character_is_written_as_set_stringn_writes_it() {
        let plains = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| plain(c));
        for c in plains {
            // Alone, and beside an ASCII letter, a CJK character and itself: a character that
            // joined either neighbour (a mark, a joiner, a Hangul jamo, a flag half) would
            // make one grapheme of two here.
            for s in [
                format!("{c}"),
                format!("{c}a"),
                format!("a{c}"),
                format!("{c}{c}"),
                format!("一{c}"),
                format!("{c}一"),
            ] {
                same(&s, 2, usize::MAX);
            }
        }
    }

    #[test]
    fn cut_at_the_pane_the_limit_and_a_wide_character() {
        for s in [
            "",
            "abc",
            "中文字",
            "a中b文",
            "── 回复 ──",
            "● 夜航船 (10001)",
        ] {
            for x in [2, 5, 12, 13, 14] {
                for max in [0, 1, 2, 3, 7, usize::MAX] {
                    same(s, x, max);
                }
            }
        }
    }

    #[test]
    fn other_text_goes_the_grapheme_way() {
        for s in ["e\u{301}x", "🔕 静音", "👨‍👩‍👧", "🇨🇳ab", "a\tb", "한글", "ｶﾞ"]
        {
            same(s, 3, usize::MAX);
            same(s, 4, 5);
        }
    }

    #[test]
    fn a_line_is_written_as_set_line_writes_it() {
        use ratatui::text::{Line, Span};
        let line = Line::from(vec![
            Span::styled("23:57 ", Style::new().fg(Color::Indexed(244))),
            Span::styled("迷路的锈铁（…", Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(" │ "),
            Span::raw("PTM001 压力测试：快速 🔕 e\u{301} scroll"),
        ])
        .style(Style::new().bg(Color::Blue));
        for (x, max) in [(2, 50), (3, 5), (2, 0), (5, 100), (4, 21)] {
            let area = Rect::new(2, 1, 48, 2);
            let mut a = Buffer::empty(area);
            let mut b = a.clone();
            assert_eq!(
                a.set_line(x, 2, &line, max),
                set_line(&mut b, x, 2, &line, max)
            );
            for (ca, cb) in a.content.iter().zip(&b.content) {
                assert_eq!((ca.symbol(), ca), (cb.symbol(), cb), "at {x} max {max}");
            }
        }
    }

    proptest! {
        #[test]
        fn any_text_is_written_as_set_stringn_writes_it(
            s in "[a-z 中文·…─●\u{301}🔕\u{200d}\t]{0,12}",
            x in 2u16..15,
            max in 0usize..14,
        ) {
            same(&s, x, max);
        }
    }
}
