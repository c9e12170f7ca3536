//! Where the query's words sit in a message's text (for drawing them highlighted), and a short
//! piece of a long text around the first of them.
//!
//! Matching follows the index: CJK anywhere, Latin words and numbers whole (a search for `cat`
//! finds the word, not "concatenate"), letters without regard to case.

use std::ops::Range;

use super::tokenize::is_cjk;

/// A character that belongs to a Latin (or other spaced) word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

fn same_letter(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// Byte ranges of `text` where `needle` occurs, matched as the index would.
fn occurrences(text: &str, needle: &str, out: &mut Vec<Range<usize>>) {
    let needle: Vec<char> = needle.chars().collect();
    let (Some(&first), Some(&last)) = (needle.first(), needle.last()) else {
        return;
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i + needle.len() <= chars.len() {
        let matches = chars[i..i + needle.len()]
            .iter()
            .zip(&needle)
            .all(|(&(_, a), &b)| same_letter(a, b));
        let before_ok = !is_word_char(first) || i == 0 || !is_word_char(chars[i - 1].1);
        let after = i + needle.len();
        let after_ok = !is_word_char(last) || after == chars.len() || !is_word_char(chars[after].1);
        if matches && before_ok && after_ok {
            let end = chars.get(after).map_or(text.len(), |&(b, _)| b);
            out.push(chars[i].0..end);
            i = after;
        } else {
            i += 1;
        }
    }
}

/// Sorted, non-overlapping byte ranges of `text` where any of `words` occurs. A word that does
/// not occur as written (`hello-world` found as "hello world") is looked for in its parts.
pub fn highlight(text: &str, words: &[String]) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for w in words {
        let w = w.trim();
        let before = found.len();
        occurrences(text, w, &mut found);
        if found.len() == before {
            for part in w.split(|c: char| !c.is_alphanumeric()) {
                occurrences(text, part, &mut found);
            }
        }
    }
    merge(found)
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(prev) if r.start <= prev.end => prev.end = prev.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// At most `max_chars` characters of `text` around its first highlight, on one line (line breaks
/// become spaces), with `…` where it was cut; the highlights moved to match.
pub fn snippet(
    text: &str,
    ranges: &[Range<usize>],
    max_chars: usize,
) -> (String, Vec<Range<usize>>) {
    let one_line = |s: &str| s.replace(['\n', '\r'], " ");
    let count = text.chars().count();
    if count <= max_chars || max_chars < 8 {
        return (one_line(text), ranges.to_vec());
    }
    let focus = ranges.first().map_or(0, |r| r.start);
    let focus_char = text[..focus].chars().count();
    // Some context before the match, the rest after it.
    let start_char = focus_char
        .saturating_sub(max_chars / 3)
        .min(count - max_chars);
    let byte_at = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(b, _)| b);
    let (start, end) = (byte_at(start_char), byte_at(start_char + max_chars));
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < text.len() { "…" } else { "" };
    let shift = lead.len();
    let moved = ranges
        .iter()
        .filter(|r| r.end > start && r.start < end)
        .map(|r| (r.start.max(start) - start + shift)..(r.end.min(end) - start + shift))
        .collect();
    (
        format!("{lead}{}{tail}", one_line(&text[start..end])),
        moved,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, words: &[&str]) -> String {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let mut out = String::new();
        let mut at = 0;
        for r in highlight(text, &words) {
            out.push_str(&text[at..r.start]);
            out.push('[');
            out.push_str(&text[r.clone()]);
            out.push(']');
            at = r.end;
        }
        out.push_str(&text[at..]);
        out
    }

    #[test]
    fn cjk_anywhere_latin_whole_and_any_case() {
        assert_eq!(marked("今天天气不错", &["天气"]), "今天[天气]不错");
        assert_eq!(marked("天天向上", &["天"]), "[天天]向上");
        assert_eq!(marked("Hello, hello!", &["HELLO"]), "[Hello], [hello]!");
        assert_eq!(marked("concatenate cat", &["cat"]), "concatenate [cat]");
        assert_eq!(
            marked("买了iPhone手机", &["iphone手机"]),
            "买了[iPhone手机]"
        );
        assert_eq!(marked("hello world", &["hello-world"]), "[hello] [world]");
        assert_eq!(marked("第2024年", &["2024"]), "第[2024]年");
    }

    #[test]
    fn overlapping_words_merge() {
        assert_eq!(marked("天气预报", &["天气", "气预"]), "[天气预]报");
    }

    #[test]
    fn snippets_cut_around_the_first_match() {
        let text = format!("{}关键词{}", "前".repeat(50), "后".repeat(50));
        let ranges = highlight(&text, &["关键词".to_string()]);
        let (s, r) = snippet(&text, &ranges, 20);
        assert_eq!(s.chars().count(), 22);
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert_eq!(&s[r[0].clone()], "关键词");
        let first = highlight("a\nb", &["a".to_string()]);
        let (short, same) = snippet("a\nb", &first, 20);
        assert_eq!((short.as_str(), same), ("a b", first));
    }
}
