//! Wrapping and truncating text by display width — the columns a terminal gives it, never bytes
//! or chars: CJK and most emoji take two columns, combining marks none.
//!
//! Widths are measured per cluster (a base character with the zero-width characters, skin-tone
//! modifiers and ZWJ-joined characters that follow it) the way ratatui's buffer measures its
//! grapheme clusters, so a line we call `n` columns wide is drawn in exactly `n` cells and
//! nothing is cut off at the right edge. Control characters measure 0, as ratatui does not draw
//! them; text should have been through [`sanitize`](super::sanitize) anyway.

use std::borrow::Cow;

use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How [`wrap_spans`] lays text out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WrapOpts {
    /// Blank columns in front of every line after the first (a hanging indent). Narrow widths
    /// shrink it so that a two-column character still fits beside it.
    pub indent: u16,
}

/// Drawn instead of a two-column character in a one-column area, where it cannot fit at all.
pub const TOO_WIDE: &str = "…";
/// Appended by [`truncate`] when it cuts text short.
pub const ELLIPSIS: char = '…';

/// Display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    if s.is_ascii() {
        return s.bytes().filter(|b| !b.is_ascii_control()).count();
    }
    let mut total = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let (len, w) = first_cluster(rest);
        total += w;
        rest = rest.get(len..).unwrap_or_default();
    }
    total
}

/// `s` cut to at most `max` columns, ending in `…` when something was cut; never splits a
/// two-column character (the cut may then be a column short).
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let budget = max - 1; // one column for the ellipsis
    let mut used = 0;
    let mut end = 0;
    while end < s.len() {
        let rest = s.get(end..).unwrap_or_default();
        let (len, w) = first_cluster(rest);
        if used + w > budget {
            break;
        }
        used += w;
        end += len;
    }
    let mut out = String::with_capacity(end + ELLIPSIS.len_utf8());
    out.push_str(s.get(..end).unwrap_or_default());
    out.push(ELLIPSIS);
    Cow::Owned(out)
}

/// Lays styled text out in lines of at most `width` columns.
///
/// Each span keeps its style, also across a break. Latin text breaks at spaces (the spaces at a
/// break are dropped), CJK text between any two characters (but not before closing or after
/// opening punctuation), and a word longer than a line — a long URL — is broken where the line
/// ends. A character that does not fit at the end of a line moves to the next one, so two-column
/// characters never stick out. `\n` starts a new line. Every line after the first begins with
/// `opts.indent` blank columns (empty lines stay empty). Empty input gives no lines; a zero
/// width gives no lines.
pub fn wrap_spans(spans: &[Span<'_>], width: u16, opts: WrapOpts) -> Vec<Line<'static>> {
    let width = usize::from(width);
    if width == 0 {
        return Vec::new();
    }
    let indent = usize::from(opts.indent).min(width.saturating_sub(2));
    let clusters = clusters_of(spans);
    let layout = Layout {
        first: width,
        rest: width - indent,
    };
    layout
        .lines(&clusters)
        .into_iter()
        .map(|line| materialize(spans, &clusters, line, indent))
        .collect()
}

/// One unit of layout: a cluster inside one span.
#[derive(Debug, Clone, Copy)]
struct Cluster {
    span: usize,
    start: usize,
    end: usize,
    width: usize,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Newline,
    /// A plain U+0020, where Latin text breaks.
    Space,
    Text {
        /// No break between this and the next cluster (opening brackets and quotes).
        opens: bool,
        /// No break between the previous cluster and this (closing punctuation).
        closes: bool,
    },
}

/// A laid-out line: clusters `start..end`, or one cluster drawn as [`TOO_WIDE`].
#[derive(Debug, Clone, Copy)]
struct LineRange {
    start: usize,
    end: usize,
    continuation: bool,
    too_wide: bool,
}

/// Available columns on the first line and on the others.
struct Layout {
    first: usize,
    rest: usize,
}

impl Layout {
    fn avail(&self, continuation: bool) -> usize {
        if continuation { self.rest } else { self.first }
    }

    /// Greedy line breaking: fill a line, and on overflow break at the last opportunity on it,
    /// or hard-break before the cluster that overflowed.
    fn lines(&self, clusters: &[Cluster]) -> Vec<LineRange> {
        let mut out = Vec::new();
        let n = clusters.len();
        if n == 0 {
            return out;
        }
        let mut cur = LineState::default();
        let mut i = 0;
        while let Some(&c) = clusters.get(i) {
            let avail = self.avail(cur.continuation);
            match c.kind {
                Kind::Newline => {
                    // A line the wrapping began and the newline ends at once has nothing to
                    // show; the newline's own line follows.
                    if cur.start < i || !cur.wrapped {
                        out.push(cur.range(i));
                    }
                    cur = LineState::starting_at(i + 1, false);
                    i += 1;
                }
                Kind::Space if cur.width + c.width > avail => {
                    // The line ends before this run of spaces; a line holding nothing but
                    // spaces (indentation) keeps the ones that fit.
                    let run_start = cur.space_run.unwrap_or(i);
                    let end = if run_start > cur.start { run_start } else { i };
                    out.push(cur.range(end));
                    let mut next = i;
                    while clusters.get(next).is_some_and(|c| c.kind == Kind::Space) {
                        next += 1;
                    }
                    cur = LineState::starting_at(next, true);
                    i = next;
                }
                Kind::Space => {
                    cur.space_run.get_or_insert(i);
                    cur.last_text = None;
                    cur.width += c.width;
                    i += 1;
                }
                Kind::Text { .. } => {
                    let run = cur.space_run.take();
                    if c.width > 0 {
                        if let Some(run_start) = run {
                            if run_start > cur.start {
                                cur.brk = Some((run_start, i));
                            }
                        } else if let Some(prev) = cur.last_text.and_then(|p| clusters.get(p))
                            && may_break_between(prev, &c)
                        {
                            cur.brk = Some((i, i));
                        }
                    }
                    if cur.width + c.width <= avail {
                        cur.width += c.width;
                        if c.width > 0 {
                            cur.last_text = Some(i);
                        }
                        i += 1;
                    } else if let Some((end, next)) = cur.brk {
                        out.push(cur.range(end));
                        // Lay the carried-over part out again: continuation lines may be
                        // narrower than the first.
                        cur = LineState::starting_at(next, true);
                        i = next;
                    } else if i > cur.start {
                        out.push(cur.range(i));
                        cur = LineState::starting_at(i, true);
                    } else {
                        // Wider than a whole line: only a 2-column cluster on a 1-column line.
                        out.push(LineRange {
                            too_wide: true,
                            ..cur.range(i + 1)
                        });
                        cur = LineState::starting_at(i + 1, true);
                        i += 1;
                    }
                }
            }
        }
        if cur.start < n || !cur.wrapped {
            out.push(cur.range(n));
        }
        out
    }
}

/// The line being filled.
#[derive(Debug, Default)]
struct LineState {
    start: usize,
    width: usize,
    continuation: bool,
    /// Begun by wrapping (rather than by the text's start or a `\n`).
    wrapped: bool,
    /// Where the latest break opportunity ends this line and starts the next.
    brk: Option<(usize, usize)>,
    /// Start of the run of spaces the line currently ends with.
    space_run: Option<usize>,
    /// The last cluster with a width, for the CJK break rule.
    last_text: Option<usize>,
}

impl LineState {
    fn starting_at(start: usize, wrapped: bool) -> Self {
        LineState {
            start,
            continuation: true,
            wrapped,
            ..LineState::default()
        }
    }

    fn range(&self, end: usize) -> LineRange {
        LineRange {
            start: self.start,
            end,
            continuation: self.continuation,
            too_wide: false,
        }
    }
}

/// CJK text may break between any two characters, except after an opening bracket and before
/// closing punctuation (a line should not start with `，` or end with `「`).
fn may_break_between(prev: &Cluster, next: &Cluster) -> bool {
    let (Kind::Text { opens, .. }, Kind::Text { closes, .. }) = (prev.kind, next.kind) else {
        return false;
    };
    (prev.width >= 2 || next.width >= 2) && !opens && !closes
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '（'
            | '［'
            | '｛'
            | '〔'
            | '〈'
            | '《'
            | '「'
            | '『'
            | '【'
            | '〖'
            | '〘'
            | '〝'
            | '‘'
            | '“'
            | '｟'
            | '«'
    )
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        ')' | ']'
            | '}'
            | ','
            | '.'
            | '!'
            | '?'
            | ';'
            | ':'
            | '%'
            | '、'
            | '。'
            | '，'
            | '．'
            | '：'
            | '；'
            | '！'
            | '？'
            | '）'
            | '］'
            | '｝'
            | '〕'
            | '〉'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〗'
            | '〙'
            | '〟'
            | '’'
            | '”'
            | '｠'
            | '»'
            | '…'
            | '‥'
            | 'ー'
            | '～'
            | '々'
    )
}

/// Splits every span into clusters.
fn clusters_of(spans: &[Span<'_>]) -> Vec<Cluster> {
    let bytes: usize = spans.iter().map(|s| s.content.len()).sum();
    let mut out = Vec::with_capacity(bytes);
    for (span, s) in spans.iter().enumerate() {
        let text: &str = &s.content;
        let mut start = 0;
        while let Some(rest) = text.get(start..).filter(|r| !r.is_empty()) {
            let (len, width) = first_cluster(rest);
            let cluster = &rest[..len];
            let kind = match cluster {
                "\n" => Kind::Newline,
                " " => Kind::Space,
                _ => {
                    let first = cluster.chars().next().unwrap_or(' ');
                    Kind::Text {
                        opens: is_opening(first),
                        closes: is_closing(first),
                    }
                }
            };
            out.push(Cluster {
                span,
                start,
                end: start + len,
                width,
                kind,
            });
            start += len;
        }
    }
    out
}

/// Byte length and display width of the cluster `s` starts with (`s` is not empty).
fn first_cluster(s: &str) -> (usize, usize) {
    let bytes = s.as_bytes();
    if let Some(&b) = bytes.first()
        && b < 0x80
        && bytes.get(1).is_none_or(|&next| next < 0x80)
    {
        return (1, usize::from(!b.is_ascii_control()));
    }
    let mut chars = s.char_indices();
    let Some((_, first)) = chars.next() else {
        return (0, 0);
    };
    let mut end = first.len_utf8();
    if !first.is_control() {
        let mut prev = first;
        let mut open_flag_pair = is_regional_indicator(first);
        for (i, c) in chars {
            let joins = !c.is_control()
                && (prev == '\u{200D}'
                    || extends(c)
                    || (open_flag_pair && is_regional_indicator(c)));
            if !joins {
                break;
            }
            open_flag_pair = false;
            end = i + c.len_utf8();
            prev = c;
        }
    }
    let cluster = &s[..end];
    (end, cluster_width(cluster))
}

/// Characters that attach to the cluster before them.
fn extends(c: char) -> bool {
    c.width() == Some(0) || matches!(c, '\u{FF9E}' | '\u{FF9F}' | '\u{1F3FB}'..='\u{1F3FF}')
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

/// Width of one cluster as ratatui's buffer computes it for a grapheme: nothing if it holds a
/// control character, and halfwidth (semi-)voiced sound marks take a cell of their own.
fn cluster_width(cluster: &str) -> usize {
    if cluster.contains(char::is_control) {
        return 0;
    }
    let marks = cluster
        .chars()
        .filter(|c| matches!(c, '\u{FF9E}' | '\u{FF9F}'))
        .count();
    cluster.width() + marks
}

/// Turns a laid-out line back into styled spans, one per run of clusters from the same span.
fn materialize(
    spans: &[Span<'_>],
    clusters: &[Cluster],
    line: LineRange,
    indent: usize,
) -> Line<'static> {
    let Some(members) = clusters.get(line.start..line.end).filter(|m| !m.is_empty()) else {
        return Line::default();
    };
    let mut out = Vec::with_capacity(2);
    if line.continuation && indent > 0 {
        out.push(Span::raw(" ".repeat(indent)));
    }
    if line.too_wide {
        let style = spans
            .get(members[0].span)
            .map(|s| s.style)
            .unwrap_or_default();
        out.push(Span::styled(TOO_WIDE, style));
        return Line::from(out);
    }
    let mut run_start = 0;
    for k in 1..=members.len() {
        let ends_run = members
            .get(k)
            .is_none_or(|next| next.span != members[run_start].span);
        if ends_run {
            let first = members[run_start];
            let last = members[k - 1];
            if let Some(span) = spans.get(first.span) {
                let text = span.content.get(first.start..last.end).unwrap_or_default();
                out.push(Span::styled(text.to_owned(), span.style));
            }
            run_start = k;
        }
    }
    Line::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::{Color, Modifier, Style};

    fn text_of(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    fn wrap_plain(s: &str, width: u16) -> Vec<String> {
        wrap_spans(&[Span::raw(s)], width, WrapOpts::default())
            .iter()
            .map(text_of)
            .collect()
    }

    #[test]
    fn widths_count_columns_not_bytes_or_chars() {
        assert_eq!(width("hello"), 5);
        assert_eq!(width("你好"), 4);
        assert_eq!(width("😀"), 2);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("❤\u{FE0F}"), 2);
        assert_eq!(width("🇨🇳"), 2);
        assert_eq!(width("👍🏽"), 2);
        assert_eq!(width(""), 0);
    }

    #[test]
    fn our_widths_match_what_ratatui_draws() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        for s in [
            "你好 world",
            "😀e\u{301}x",
            "❤\u{FE0F}🇨🇳👍🏽",
            "ｶﾞｷﾞ",
            "a\u{20E3}한국어",
        ] {
            let mut buf = Buffer::empty(Rect::new(0, 0, 40, 1));
            let (x, _) = buf.set_stringn(0, 0, s, 40, Style::default());
            assert_eq!(usize::from(x), width(s), "{s:?}");
        }
    }

    #[test]
    fn latin_text_breaks_at_spaces() {
        assert_eq!(
            wrap_plain("the quick brown fox jumps", 10),
            ["the quick", "brown fox", "jumps"]
        );
        // Several spaces at a break all go; inside a line they stay.
        assert_eq!(wrap_plain("a  b    cc", 4), ["a  b", "cc"]);
    }

    #[test]
    fn cjk_breaks_between_any_characters() {
        assert_eq!(
            wrap_plain("今天天气很好我们出去玩", 8),
            ["今天天气", "很好我们", "出去玩"]
        );
    }

    #[test]
    fn cjk_punctuation_does_not_start_a_line() {
        // "你好，" stays together rather than leaving "，" at the start of the next line.
        assert_eq!(wrap_plain("我说你好，世界", 8), ["我说你", "好，世界"]);
        // And an opening bracket is not left at the end of a line, nor "」" put at a start.
        assert_eq!(wrap_plain("好好「引用」", 6), ["好好", "「引", "用」"]);
    }

    #[test]
    fn wide_character_at_the_edge_moves_to_the_next_line() {
        // 5 columns: "ab" + "你" = 4, "好" would need columns 5–6.
        let lines = wrap_plain("ab你好", 5);
        assert_eq!(lines, ["ab你", "好"]);
        for l in &lines {
            assert!(width(l) <= 5);
        }
        let lines = wrap_plain("a😀😀", 4);
        assert_eq!(lines, ["a😀", "😀"]);
    }

    #[test]
    fn long_url_is_broken_hard() {
        let url = "https://example.com/a/very/long/path?with=query";
        let lines = wrap_plain(&format!("see {url} ok"), 16);
        assert_eq!(lines[0], "see");
        assert_eq!(lines.concat().replace(' ', ""), format!("see{url}ok"));
        assert!(lines.iter().all(|l| width(l) <= 16));
        assert_eq!(lines[1], "https://example.");
    }

    #[test]
    fn explicit_newlines_start_new_lines() {
        assert_eq!(
            wrap_plain("one\ntwo\n\nfour", 20),
            ["one", "two", "", "four"]
        );
        assert_eq!(wrap_plain("end\n", 20), ["end", ""]);
        assert!(wrap_plain("", 20).is_empty());
    }

    #[test]
    fn combining_marks_take_no_column_and_stay_with_their_base() {
        // "café" spelled with a combining accent is 4 columns wide.
        assert_eq!(
            wrap_plain("cafe\u{301} cafe\u{301}", 4),
            ["cafe\u{301}", "cafe\u{301}"]
        );
        assert_eq!(
            wrap_plain("e\u{301}e\u{301}e\u{301}", 2),
            ["e\u{301}e\u{301}", "e\u{301}"]
        );
    }

    #[test]
    fn emoji_are_two_columns() {
        assert_eq!(wrap_plain("😀😀😀", 4), ["😀😀", "😀"]);
        assert_eq!(wrap_plain("hi 👍🏽 there", 5), ["hi 👍🏽", "there"]);
    }

    #[test]
    fn styles_survive_a_break() {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let red = Style::default().fg(Color::Red);
        // "ccdd" is one word made of two spans; the bold span is split across lines.
        let spans = [Span::styled("aa bb cc", bold), Span::styled("dd", red)];
        let lines = wrap_spans(&spans, 5, WrapOpts::default());
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].spans, [Span::styled("aa bb", bold)]);
        assert_eq!(
            lines[1].spans,
            [Span::styled("cc", bold), Span::styled("dd", red)]
        );
    }

    #[test]
    fn a_styled_word_split_by_a_hard_break_keeps_its_style_on_both_lines() {
        let link = Style::default().add_modifier(Modifier::UNDERLINED);
        let lines = wrap_spans(&[Span::styled("abcdefgh", link)], 5, WrapOpts::default());
        assert_eq!(lines[0].spans, [Span::styled("abcde", link)]);
        assert_eq!(lines[1].spans, [Span::styled("fgh", link)]);
    }

    #[test]
    fn hanging_indent_applies_to_continuation_lines() {
        let lines = wrap_spans(&[Span::raw("aaa bbb ccc\nddd")], 7, WrapOpts { indent: 2 });
        let texts: Vec<String> = lines.iter().map(text_of).collect();
        assert_eq!(texts, ["aaa bbb", "  ccc", "  ddd"]);
        assert!(texts.iter().all(|t| width(t) <= 7));
    }

    #[test]
    fn an_indent_wider_than_the_line_leaves_room_for_a_wide_char() {
        let lines = wrap_spans(&[Span::raw("你好世界")], 3, WrapOpts { indent: 10 });
        let texts: Vec<String> = lines.iter().map(text_of).collect();
        assert_eq!(texts, ["你", " 好", " 世", " 界"]);
    }

    #[test]
    fn width_one_and_two_edge_cases() {
        assert_eq!(wrap_plain("abc", 1), ["a", "b", "c"]);
        // A two-column character cannot fit in one column: it shows as a marker, not cut off.
        assert_eq!(wrap_plain("a你b", 1), ["a", TOO_WIDE, "b"]);
        assert_eq!(wrap_plain("你好", 2), ["你", "好"]);
        assert_eq!(wrap_plain("a你", 2), ["a", "你"]);
        assert!(wrap_plain("abc", 0).is_empty());
    }

    #[test]
    fn leading_spaces_of_a_paragraph_are_kept() {
        assert_eq!(wrap_plain("    code();", 20), ["    code();"]);
        assert_eq!(wrap_plain("x\n  y", 20), ["x", "  y"]);
        // Trailing spaces beyond the width vanish rather than making an empty line.
        assert_eq!(wrap_plain("abc      ", 4), ["abc"]);
    }

    #[test]
    fn truncate_cuts_by_columns_with_an_ellipsis() {
        assert_eq!(truncate("hello", 10), "hello");
        assert!(matches!(truncate("hello", 5), Cow::Borrowed("hello")));
        assert_eq!(truncate("hello world", 8), "hello w…");
        assert_eq!(truncate("你好世界", 5), "你好…");
        // Never half a wide char: 4 columns leave room for "你" + "…" only.
        assert_eq!(truncate("你好世界", 4), "你…");
        assert_eq!(truncate("你好", 1), "…");
        assert_eq!(truncate("你好", 0), "");
        assert!(width(&truncate("😀😀😀", 5)) <= 5);
    }

    /// Spans drawn from pieces that exercise every rule, each in one of a few styles.
    fn spans_strategy() -> impl Strategy<Value = Vec<Span<'static>>> {
        let piece = prop::sample::select(vec![
            "a",
            "word",
            "hello",
            " ",
            "  ",
            "\n",
            "小",
            "明",
            "，",
            "「",
            "😀",
            "e\u{301}",
            "https://example.com/some/long/path",
            "🇨🇳",
            "한",
            "x",
        ]);
        let span = (prop::collection::vec(piece, 1..6), 0u8..3).prop_map(|(parts, s)| {
            let style = match s {
                0 => Style::default(),
                1 => Style::default().fg(Color::Red),
                _ => Style::default().add_modifier(Modifier::BOLD),
            };
            Span::styled(parts.concat(), style)
        });
        prop::collection::vec(span, 0..8)
    }

    fn styled_chars<'a>(spans: impl IntoIterator<Item = &'a Span<'a>>) -> Vec<(char, Style)> {
        spans
            .into_iter()
            .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
            .collect()
    }

    proptest! {
        #[test]
        fn no_line_is_wider_than_the_width(
            spans in spans_strategy(),
            w in 1u16..40,
            indent in 0u16..6,
        ) {
            for line in wrap_spans(&spans, w, WrapOpts { indent }) {
                let text = text_of(&line);
                prop_assert!(width(&text) <= usize::from(w), "{text:?} wider than {w}");
                prop_assert!(line.width() <= usize::from(w));
            }
        }

        #[test]
        fn lines_give_back_the_input_minus_break_spaces(
            spans in spans_strategy(),
            w in 2u16..40,
            indent in 0u16..6,
        ) {
            let lines = wrap_spans(&spans, w, WrapOpts { indent });
            let input = styled_chars(&spans);
            if input.is_empty() {
                prop_assert!(lines.is_empty());
                return Ok(());
            }
            let expected_indent = usize::from(indent).min(usize::from(w) - 2);
            let mut lines = lines.iter().enumerate();
            for paragraph in input.split(|(c, _)| *c == '\n') {
                let mut pos = 0;
                loop {
                    let Some((n, line)) = lines.next() else {
                        prop_assert!(false, "ran out of lines");
                        unreachable!();
                    };
                    let mut content = line.spans.as_slice();
                    if n > 0 && expected_indent > 0 && !content.is_empty() {
                        prop_assert_eq!(content[0].content.as_ref(), " ".repeat(expected_indent));
                        content = &content[1..];
                    }
                    let got = styled_chars(content);
                    prop_assert!(paragraph[pos..].starts_with(&got), "line {n} does not continue the text");
                    pos += got.len();
                    let skipped = paragraph[pos..].iter().take_while(|(c, _)| *c == ' ').count();
                    pos += skipped;
                    if pos == paragraph.len() {
                        break;
                    }
                }
            }
            prop_assert!(lines.next().is_none(), "extra lines");
        }
    }
}
