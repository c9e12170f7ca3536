//! Chinese (and Japanese, Korean) text for the full-text index, tokenized in Rust.
//!
//! FTS5's `unicode61` tokenizer splits on spaces and punctuation, which CJK text does not have,
//! so a whole sentence would become one token and a search for a word inside it would find
//! nothing. Before text reaches the index, every run of CJK characters is replaced by its
//! overlapping two-character pieces plus its last character ("今天天气" → "今天 天天 天气 气"),
//! separated by spaces from the text around it; everything else is left for `unicode61`.
//!
//! A query word becomes one FTS5 phrase built the same way, so its tokens line up with the
//! document's: two characters are one token (`"天气"`), more are the phrase of their pieces
//! (`"今天 天天 天气"`), and one character is a prefix (`"天" *`: the pieces that start with it,
//! or the last character of a run). A run inside a word that goes on with other text keeps its
//! last character, as in the document, so "手机iPhone" matches where it was written so.

/// True for characters written without spaces between words: Han ideographs, kana, Hangul.
pub fn is_cjk(c: char) -> bool {
    let in_range = matches!(c,
        '\u{3005}'..='\u{3007}'     // 々 〆 〇
        | '\u{3041}'..='\u{3096}'   // hiragana
        | '\u{309D}'..='\u{309F}'
        | '\u{30A1}'..='\u{30FA}'   // katakana
        | '\u{30FC}'..='\u{30FF}'
        | '\u{3105}'..='\u{312F}'   // bopomofo
        | '\u{3131}'..='\u{318E}'   // Hangul compatibility jamo
        | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{AC00}'..='\u{D7A3}'   // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs
        | '\u{FF66}'..='\u{FF9D}'   // half-width katakana
        | '\u{20000}'..='\u{3134F}' // extensions B–G
    );
    // Only letters: what unicode61 keeps inside a token, so a piece is never split again.
    in_range && c.is_alphanumeric()
}

/// How the run at the end of the text is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// As in a document: pieces plus the last character.
    Document,
    /// As at the end of a query word: pieces only (the document's run may go on).
    Query,
}

/// Writes a CJK run as its tokens, each followed by a space.
fn push_run(run: &[char], out: &mut String, last_char: bool) {
    for pair in run.windows(2) {
        out.push(pair[0]);
        out.push(pair[1]);
        out.push(' ');
    }
    if (last_char || run.len() == 1)
        && let Some(&c) = run.last()
    {
        out.push(c);
        out.push(' ');
    }
}

/// The text with its CJK runs tokenized; returns it with the length of the final run (0 when
/// the text does not end in CJK).
fn tokenize(text: &str, tail: Tail) -> (String, usize) {
    let mut out = String::with_capacity(text.len() * 2 + 8);
    let mut run: Vec<char> = Vec::new();
    for c in text.chars() {
        if is_cjk(c) {
            if run.is_empty() && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            run.push(c);
        } else {
            if !run.is_empty() {
                push_run(&run, &mut out, true);
                run.clear();
            }
            out.push(c);
        }
    }
    let final_run = run.len();
    if !run.is_empty() {
        push_run(&run, &mut out, tail == Tail::Document);
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    (out, final_run)
}

/// The text the full-text index is fed with for a message's searchable text.
pub fn index_text(text: &str) -> String {
    tokenize(text, Tail::Document).0
}

/// One query word (or quoted phrase) as an FTS5 phrase, or `None` when it holds nothing
/// searchable (only punctuation or emoji).
pub fn phrase(word: &str) -> Option<String> {
    if !word.chars().any(char::is_alphanumeric) {
        return None;
    }
    let (tokens, final_run) = tokenize(word.trim(), Tail::Query);
    let quoted = format!("\"{}\"", tokens.replace('"', "\"\""));
    Some(if final_run == 1 {
        format!("{quoted} *")
    } else {
        quoted
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_runs_become_pieces_plus_their_last_character() {
        assert_eq!(index_text("今天天气"), "今天 天天 天气 气");
        assert_eq!(index_text("好"), "好");
        assert_eq!(index_text("你好，世界"), "你好 好 ， 世界 界");
        assert_eq!(index_text("买了iPhone手机"), "买了 了 iPhone 手机 机");
        assert_eq!(index_text("hello world"), "hello world");
        assert_eq!(index_text("2024年5月"), "2024 年 5 月");
        assert_eq!(index_text(""), "");
    }

    #[test]
    fn kana_and_hangul_count_as_cjk_but_their_punctuation_does_not() {
        assert!(is_cjk('か') && is_cjk('カ') && is_cjk('한') && is_cjk('中'));
        for c in ['・', '゛', '、', '。', '，', 'a', '1', '😀'] {
            assert!(!is_cjk(c), "{c}");
        }
        assert_eq!(
            index_text("カタカナ・テスト"),
            "カタ タカ カナ ナ ・ テス スト ト"
        );
    }

    #[test]
    fn query_words_line_up_with_the_documents_tokens() {
        assert_eq!(phrase("天").as_deref(), Some("\"天\" *"));
        assert_eq!(phrase("天气").as_deref(), Some("\"天气\""));
        assert_eq!(phrase("今天天气").as_deref(), Some("\"今天 天天 天气\""));
        assert_eq!(phrase("hello").as_deref(), Some("\"hello\""));
        assert_eq!(phrase("手机iPhone").as_deref(), Some("\"手机 机 iPhone\""));
        assert_eq!(phrase("iPhone手").as_deref(), Some("\"iPhone 手\" *"));
        assert_eq!(phrase("say \"hi\"").as_deref(), Some("\"say \"\"hi\"\"\""));
        assert_eq!(phrase("！！"), None);
        assert_eq!(phrase("😀"), None);
    }
}
