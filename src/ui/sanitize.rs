//! The one gate every server-supplied string passes before it becomes a `Span`.
//!
//! Names, cards, message text, file names and card titles come from other people. Without this,
//! a nickname holding `ESC [ 2 J` would clear the screen, an OSC 52 sequence would write the
//! clipboard, an OSC 8 sequence would hide a link, and bidi overrides would make text read in a
//! different order than it is stored ("Trojan Source"). After [`sanitize`] a string contains only
//! characters a terminal draws as themselves:
//!
//! - C0 controls (except `\n`) and DEL become their Unicode Control Pictures (`ESC` → `␛`), so an
//!   escape sequence shows up as inert, visible text. `\t` becomes spaces; `\r\n` and a lone `\r`
//!   (QQ clients use both as line ends) become `\n`, as do U+2028/U+2029.
//! - C1 controls (U+0080–U+009F, among them the 8-bit CSI U+009B and OSC U+009D) become `�`.
//! - Bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) are removed.
//! - Invisible characters are removed: zero-width space/non-joiner/joiner (U+200B–U+200D), word
//!   joiner and invisible operators (U+2060–U+2064), deprecated format controls (U+206A–U+206F),
//!   BOM (U+FEFF), soft hyphen (U+00AD, terminals disagree on its width), Mongolian vowel separator
//!   (U+180E), interlinear annotation marks (U+FFF9–U+FFFB), tag characters (U+E0000–U+E007F, used
//!   to smuggle hidden text), musical format controls (U+1D173–U+1D17A) and the Hangul fillers that
//!   make names look blank (U+3164, U+FFA0). Removing U+200D splits emoji ZWJ sequences into their
//!   parts (👨‍👩 shows as 👨👩): terminals disagree on how wide a joined sequence is, so the parts are
//!   the only version whose width we can predict.
//! - Kept: combining marks and variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF). They are
//!   zero-width, attach to the character before them, and cannot move or hide text; emoji need
//!   U+FE0F (❤️) and CJK ideographic variants need the others. A line that *starts* with such a
//!   zero-width character gets U+25CC `◌` in front so it cannot combine with whatever the
//!   terminal drew just before.
//!
//! [`sanitize_line`] does the same for single-line places (names, titles), where line breaks and
//! tabs become single spaces.
//!
//! The screen is not the only way server text reaches a terminal. Each other output channel has
//! its one function here, so a new caller cannot pick the wrong rule:
//!
//! - [`for_stderr`]: `napterm call`'s failure reasons and every other line napterm prints on
//!   stderr — as [`sanitize_line`], on one line.
//! - [`json_for_terminal`]: JSON printed to a terminal — controls, bidi and invisible characters
//!   written as JSON escapes (`\u009b`), so the document means the same but cannot act.
//! - [`for_clipboard`]: text copied with OSC 52 — C0 and C1 controls (except `\n` and `\t`) and
//!   bidi controls dropped, so a paste can neither end a bracketed paste nor run a command.
//! - [`for_osc`]: text inside an OSC string (notifications, the window title) — no controls at
//!   all, no bidi controls.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// Shown in place of a C1 control character.
pub const C1_PLACEHOLDER: char = '\u{FFFD}';
/// Put in front of a line that starts with a zero-width (combining) character.
pub const COMBINING_BASE: char = '\u{25CC}';
/// What a tab becomes in multi-line text.
const TAB_SPACES: &str = "    ";

/// Makes a server-supplied, possibly multi-line string safe to draw; borrows when it is already
/// clean.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    clean(s, Lines::Keep)
}

/// Like [`sanitize`], but for one-line places (names, titles): line breaks and tabs become spaces.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    clean(s, Lines::Join)
}

/// Whether line breaks survive.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lines {
    Keep,
    Join,
}

/// What happens to one input character.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fix {
    Keep,
    Remove,
    Replace(char),
    Tab,
    /// `\r`: a line end on its own, swallowed before a `\n`.
    CarriageReturn,
    /// `\n`, U+2028, U+2029.
    LineBreak,
}

fn fix_for(c: char) -> Fix {
    match c {
        '\n' | '\u{2028}' | '\u{2029}' => Fix::LineBreak,
        '\r' => Fix::CarriageReturn,
        '\t' => Fix::Tab,
        // Control Pictures: U+2400 + code for C0, U+2421 for DEL.
        '\0'..='\x1f' => Fix::Replace(char::from_u32(0x2400 + c as u32).unwrap_or(C1_PLACEHOLDER)),
        '\x7f' => Fix::Replace('\u{2421}'),
        '\u{80}'..='\u{9f}' => Fix::Replace(C1_PLACEHOLDER),
        c if is_bidi_control(c) || is_invisible(c) => Fix::Remove,
        // unicode-width calls nothing else unprintable today; stay safe if that changes.
        c if c.width().is_none() => Fix::Replace(C1_PLACEHOLDER),
        _ => Fix::Keep,
    }
}

/// Bidi embedding, override, isolate and mark characters.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Characters that draw nothing and that [`sanitize`] removes (see the module docs).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// A character that draws on top of the previous cell instead of taking its own.
fn is_zero_width(c: char) -> bool {
    c.width() == Some(0)
}

/// Whether `c` would be changed, given whether it would start a line.
fn needs_fix(c: char, at_line_start: bool, lines: Lines) -> bool {
    match fix_for(c) {
        Fix::Keep => at_line_start && is_zero_width(c),
        Fix::LineBreak => c != '\n' || lines == Lines::Join,
        _ => true,
    }
}

/// Printable ASCII (and `\n` where lines are kept) needs nothing; checked bytewise first because
/// most text is like that.
fn is_plain_ascii(s: &str, lines: Lines) -> bool {
    s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) || (b == b'\n' && lines == Lines::Keep))
}

fn clean(s: &str, lines: Lines) -> Cow<'_, str> {
    if is_plain_ascii(s, lines) {
        return Cow::Borrowed(s);
    }
    let mut at_line_start = true;
    let mut dirty_at = None;
    for (i, c) in s.char_indices() {
        if needs_fix(c, at_line_start, lines) {
            dirty_at = Some(i);
            break;
        }
        at_line_start = c == '\n';
    }
    let Some(start) = dirty_at else {
        return Cow::Borrowed(s);
    };

    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..start]);
    let mut after_cr = false;
    for c in s[start..].chars() {
        let was_after_cr = std::mem::replace(&mut after_cr, false);
        match fix_for(c) {
            Fix::Keep => {
                if is_zero_width(c) && starts_line(&out, lines) {
                    out.push(COMBINING_BASE);
                }
                out.push(c);
            }
            Fix::Remove => {}
            Fix::Replace(p) => out.push(p),
            Fix::Tab => out.push_str(match lines {
                Lines::Keep => TAB_SPACES,
                Lines::Join => " ",
            }),
            Fix::CarriageReturn => {
                after_cr = true;
                push_break(&mut out, lines);
            }
            Fix::LineBreak => {
                // "\r\n" is one line end, already written for the '\r'.
                if !(was_after_cr && c == '\n') {
                    push_break(&mut out, lines);
                }
            }
        }
    }
    Cow::Owned(out)
}

fn push_break(out: &mut String, lines: Lines) {
    out.push(match lines {
        Lines::Keep => '\n',
        Lines::Join => ' ',
    });
}

/// Whether the next character written to `out` would begin a line.
fn starts_line(out: &str, lines: Lines) -> bool {
    match lines {
        Lines::Keep => out.is_empty() || out.ends_with('\n'),
        Lines::Join => out.is_empty(),
    }
}

/// A line for stderr: server text made inert as on screen ([`sanitize_line`]), runs of
/// whitespace collapsed, so a failure is exactly one line that cannot retitle, clear or beep.
pub fn for_stderr(s: &str) -> String {
    sanitize_line(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a character in JSON shown on a terminal must be written as an escape: anything a
/// terminal may act on (C0, DEL, C1 such as the 8-bit CSI U+009B), or that reorders or hides
/// text (bidi and invisible characters, line and paragraph separators).
fn escaped_in_json(c: char) -> bool {
    (c.is_control() && c != '\n')
        || is_bidi_control(c)
        || is_invisible(c)
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// JSON text for a terminal: every character [`escaped_in_json`] names becomes a `\uXXXX`
/// escape (a surrogate pair above U+FFFF). Outside strings JSON holds only ASCII punctuation
/// and whitespace, so only string contents change, and the document parses to the same value.
pub fn json_for_terminal(json: &str) -> Cow<'_, str> {
    if !json.chars().any(escaped_in_json) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escaped_in_json(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for the clipboard (OSC 52): C0 and C1 controls except `\n` and `\t`, DEL and bidi
/// controls are dropped. Pasted into a shell, raw controls could end the bracketed paste early
/// (`ESC [201~`) and a following newline would run what comes after.
pub fn for_clipboard(s: &str) -> Cow<'_, str> {
    let dropped = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c);
    if !s.chars().any(dropped) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(|c| !dropped(*c)).collect())
}

/// Text inside an OSC string (notification title and body, the window title): every control
/// character (C0, DEL, C1 — any could end or extend the sequence) and bidi control is dropped.
pub fn for_osc(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A character that must never reach the terminal from [`sanitize`].
    fn forbidden(c: char) -> bool {
        (c.is_control() && c != '\n') || is_bidi_control(c) || is_invisible(c)
    }

    fn assert_safe(out: &str) {
        assert!(
            !out.chars().any(forbidden),
            "forbidden char left in {out:?}"
        );
        for line in out.split('\n') {
            if let Some(first) = line.chars().next() {
                assert!(
                    !is_zero_width(first),
                    "line starts with a zero-width char: {out:?}"
                );
            }
        }
    }

    #[test]
    fn clean_text_is_borrowed_unchanged() {
        for s in [
            "",
            "hello, world",
            "两行\n文字",
            "小明 😀 café",
            "e\u{301}",
            "❤\u{FE0F}",
            "葛\u{E0100}",
        ] {
            let out = sanitize(s);
            assert!(matches!(out, Cow::Borrowed(_)), "{s:?} was copied");
            assert_eq!(out, s);
        }
        assert!(matches!(sanitize_line("小明 (Ming)"), Cow::Borrowed(_)));
    }

    #[test]
    fn screen_clearing_csi_is_shown_not_executed() {
        assert_eq!(sanitize("a\x1b[2Jb"), "a␛[2Jb");
        assert_eq!(sanitize("\x1b[31mred\x1b[0m"), "␛[31mred␛[0m");
    }

    #[test]
    fn clipboard_writing_osc52_is_inert() {
        let out = sanitize("hi\x1b]52;c;ZXZpbA==\x07there");
        assert_eq!(out, "hi␛]52;c;ZXZpbA==␇there");
        assert_safe(&out);
    }

    #[test]
    fn hidden_osc8_hyperlink_is_inert() {
        let out = sanitize("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\");
        assert_eq!(out, "␛]8;;https://evil.example␛\\click␛]8;;␛\\");
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn eight_bit_c1_controls_are_replaced() {
        // U+009B is CSI and U+009D is OSC for terminals that accept 8-bit controls.
        let out = sanitize("a\u{9b}2Jb\u{9d}52;c;x\u{9c}\u{85}");
        assert_eq!(out, "a�2Jb�52;c;x��");
        assert_safe(&out);
    }

    #[test]
    fn other_c0_controls_and_del_get_control_pictures() {
        assert_eq!(sanitize("\0\x07\x08\x7f"), "␀␇␈␡");
        assert_eq!(sanitize("bell\x07"), "bell␇");
    }

    #[test]
    fn trojan_source_bidi_overrides_are_removed() {
        // The classic "commenting-out" example: RLO/LRI/PDI reorder what the reader sees.
        let s = "/*\u{202E} } \u{2066}if (isAdmin)\u{2069} \u{2066} begin admins only */";
        let out = sanitize(s);
        assert_eq!(out, "/* } if (isAdmin)  begin admins only */");
        // A file name that would display as "exe.txt" stays in storage order.
        assert_eq!(sanitize("invoice\u{202E}txt.exe"), "invoicetxt.exe");
        assert_eq!(
            sanitize("\u{200F}a\u{200E}b\u{061C}c\u{202A}\u{202C}"),
            "abc"
        );
    }

    #[test]
    fn zero_width_characters_and_boms_are_removed() {
        assert_eq!(sanitize("ad\u{200B}min"), "admin");
        assert_eq!(sanitize("\u{FEFF}hello\u{FEFF}"), "hello");
        assert_eq!(sanitize("a\u{200C}b\u{200D}c\u{2060}d"), "abcd");
        assert_eq!(sanitize("soft\u{AD}hyphen"), "softhyphen");
        assert_eq!(sanitize("\u{3164}\u{3164}"), "");
        assert_eq!(sanitize("tag\u{E0041}\u{E0042}s"), "tags");
    }

    #[test]
    fn emoji_zwj_sequences_fall_apart_into_their_parts() {
        assert_eq!(sanitize("👨\u{200D}👩\u{200D}👧"), "👨👩👧");
    }

    #[test]
    fn line_ends_are_normalised() {
        assert_eq!(sanitize("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(sanitize("a\u{2028}b"), "a\nb");
        assert_eq!(sanitize("\r\n\r\n"), "\n\n");
        assert_eq!(sanitize("col\tcol"), "col    col");
    }

    #[test]
    fn single_line_contexts_get_spaces_for_breaks() {
        assert_eq!(sanitize_line("Ming\nXiao"), "Ming Xiao");
        assert_eq!(sanitize_line("a\r\nb\tc"), "a b c");
        assert_eq!(sanitize_line("evil\x1b[2J"), "evil␛[2J");
    }

    #[test]
    fn leading_combining_mark_gets_a_base() {
        assert_eq!(sanitize("\u{301}abc"), "◌\u{301}abc");
        assert_eq!(sanitize("x\n\u{301}y"), "x\n◌\u{301}y");
        // Removing an invisible character must not leave a mark at the start either.
        assert_eq!(sanitize("\u{200B}\u{301}"), "◌\u{301}");
        // A combining mark after a base stays where it is.
        assert_eq!(sanitize("e\u{301}\x07"), "e\u{301}␇");
        // After a space (from a joined line) a mark attaches to that space, which is harmless.
        assert_eq!(sanitize_line("a\n\u{301}"), "a \u{301}");
    }

    #[test]
    fn stderr_lines_are_one_inert_line() {
        // What a hostile failure reason held: retitle, clear, beep, 8-bit CSI, backspace, NUL.
        let reason = "bad\x1b]0;pwned\x07 \x1b[2J\u{9b}31m\x08\0\nsecond line\u{202E}";
        let line = for_stderr(reason);
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
        assert!(!line.chars().any(is_bidi_control), "{line:?}");
        assert_eq!(line, "bad␛]0;pwned␇ ␛[2J�31m␈␀ second line");
    }

    #[test]
    fn json_for_a_terminal_escapes_what_could_act_and_means_the_same() {
        let value = serde_json::json!({
            "nickname": "a\u{9b}2J\u{202E}b\u{7f}\u{200B}\u{E0041}",
            "n": 1,
        });
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let shown = json_for_terminal(&pretty);
        assert!(
            shown.contains("\\u009b") && shown.contains("\\u202e"),
            "{shown}"
        );
        assert!(
            shown.contains("\\udb40\\udc41"),
            "a surrogate pair: {shown}"
        );
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown}"
        );
        assert!(!shown.chars().any(|c| is_bidi_control(c) || is_invisible(c)));
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, value);
        assert!(matches!(
            json_for_terminal("{\n  \"a\": \"小明\"\n}"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn copied_text_cannot_end_a_bracketed_paste() {
        let hostile = "ls\x1b[201~\nrm -rf ~\r\n\u{9b}x\u{202E}\u{7f}\ttab\n行";
        let copied = for_clipboard(hostile);
        assert_eq!(copied, "ls[201~\nrm -rf ~\nx\ttab\n行");
        assert!(matches!(for_clipboard("两行\n\t文字"), Cow::Borrowed(_)));
    }

    #[test]
    fn osc_text_has_no_controls_and_no_bidi() {
        assert_eq!(
            for_osc("小明\u{202E}gnp.exe\x1b]0;x\x07\u{9d}\u{2066}!"),
            "小明gnp.exe]0;x!"
        );
    }

    /// Pieces of text an attacker or a badly behaved client might send.
    fn hostile_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            any::<char>().prop_map(String::from),
            (0u32..0x20).prop_map(|c| char::from_u32(c).map(String::from).unwrap_or_default()),
            (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).map(String::from).unwrap_or_default()),
            prop::sample::select(vec![
                "\x1b[2J",
                "\x1b]52;c;AAAA\x07",
                "\x1b]8;;u\x1b\\",
                "\u{202E}",
                "\u{2066}",
                "\u{200B}",
                "\u{200D}",
                "\u{FEFF}",
                "\u{301}",
                "\u{FE0F}",
                "\r\n",
                "\t",
                "小明",
                "a",
                " ",
            ])
            .prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
    }

    /// Text made only of characters that need no change.
    fn clean_text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "a",
            "Z",
            " ",
            "~",
            "小",
            "明",
            "😀",
            "e\u{301}",
            "❤\u{FE0F}",
            "\n",
            "é",
            "ｶ",
            "한",
        ]);
        prop::collection::vec(piece, 0..32).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn output_never_contains_forbidden_chars(s in hostile_text()) {
            let out = sanitize(&s);
            assert_safe(&out);
            let line = sanitize_line(&s);
            assert_safe(&line);
            prop_assert!(!line.contains('\n'));
        }

        #[test]
        fn arbitrary_strings_come_out_safe(s in any::<String>()) {
            assert_safe(&sanitize(&s));
        }

        #[test]
        fn sanitizing_twice_changes_nothing(s in hostile_text()) {
            let once = sanitize(&s).into_owned();
            let twice = sanitize(&once);
            prop_assert!(matches!(twice, Cow::Borrowed(_)));
            prop_assert_eq!(twice, once.as_str());
        }

        #[test]
        fn clean_strings_are_borrowed_unchanged(s in clean_text()) {
            let out = sanitize(&s);
            prop_assert!(matches!(out, Cow::Borrowed(_)));
            prop_assert_eq!(out, s.as_str());
        }
    }
}
