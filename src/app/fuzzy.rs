//! Fuzzy matching for the sidebar filter and `@` completion.
//!
//! A [`Candidate`] is a chat, friend, group member or face with the texts it can be found by
//! (name, remark, card, nickname — most important first) and its number. Everything that does
//! not depend on the query — lower-cased text, nucleo's haystacks, pinyin initials and full
//! pinyin of Chinese text — is computed once in [`Candidate::new`], because the lists (a few
//! thousand members) are matched on every keystroke. A [`Matcher`] holds nucleo's scratch memory and is reused across calls.
//!
//! Ranking, best first: a whole-field match, then a prefix, then a substring, then a fuzzy match
//! (the query's characters in order, with gaps). Within a tier nucleo's score decides (matches
//! at word starts and without gaps score higher), then the field (earlier texts of a candidate
//! count more: pass a remark you gave someone before their nickname), then brevity.
//! Pinyin counts as a way of spelling the text: `xm` and `xiaoming` both find 小明 (initials
//! or full pinyin, exact or prefix; full pinyin also fuzzily, so `xming` works). Polyphonic
//! characters use their most common reading only. Numbers match digit queries by prefix or
//! substring.

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Utf32String};
use pinyin::ToPinyin;

/// Bonus within a tier for the first, second and later texts of a candidate.
fn text_weight(position: usize) -> u32 {
    match position {
        0 => 300,
        1 => 200,
        _ => 100,
    }
}

/// A searchable text with everything precomputed.
#[derive(Debug, Clone)]
struct Key {
    /// Bonus for where the text stood among the candidate's texts.
    weight: u32,
    lower: String,
    haystack: Utf32String,
    chars: usize,
    pinyin: Option<PinyinKey>,
}

/// Pinyin spellings of a text that contains Chinese characters.
#[derive(Debug, Clone)]
struct PinyinKey {
    /// First letters of each syllable, ASCII words kept whole: 技术交流群2 → `jsjlq2`.
    initials: String,
    /// Syllables run together: `jishujiaoliuqun2`.
    full: String,
    /// Syllables separated by spaces, so nucleo sees the word starts: `ji shu jiao liu qun 2`.
    spaced: Utf32String,
}

/// Something the user can search for: a chat, a friend, a group member, a face.
#[derive(Debug, Clone)]
pub struct Candidate {
    keys: Vec<Key>,
    number: String,
}

impl Candidate {
    /// Precomputes the search keys of a candidate from its texts, most important first (e.g.
    /// remark then nickname, or card then nickname); empty texts are skipped, so the first one
    /// there is (the name shown) weighs most. `number` is the QQ, group or face number, matched
    /// by digit queries.
    pub fn new<S: AsRef<str>>(texts: &[S], number: i64) -> Candidate {
        let mut keys: Vec<Key> = Vec::with_capacity(texts.len());
        for text in texts {
            let text = text.as_ref().trim();
            let lower = text.to_lowercase();
            // The same text twice (card = nickname) only costs time; the first weighs more.
            if text.is_empty() || keys.iter().any(|k| k.lower == lower) {
                continue;
            }
            keys.push(Key {
                weight: text_weight(keys.len()),
                lower,
                haystack: Utf32String::from(text),
                chars: text.chars().count(),
                pinyin: pinyin_key(text),
            });
        }
        Candidate {
            keys,
            number: number.to_string(),
        }
    }
}

/// Builds the pinyin spellings of `text`, if it has any Chinese characters.
fn pinyin_key(text: &str) -> Option<PinyinKey> {
    // Each word: a syllable of one Chinese character, or a run of ASCII letters and digits.
    let mut words: Vec<(String, bool)> = Vec::new();
    let mut has_han = false;
    let mut ascii_word = String::new();
    for c in text.chars() {
        if let Some(p) = c.to_pinyin() {
            has_han = true;
            if !ascii_word.is_empty() {
                words.push((std::mem::take(&mut ascii_word), false));
            }
            // IMEs spell ü as v (绿 = lv).
            words.push((p.plain().replace('ü', "v"), true));
        } else if c.is_ascii_alphanumeric() {
            ascii_word.push(c.to_ascii_lowercase());
        } else if !ascii_word.is_empty() {
            words.push((std::mem::take(&mut ascii_word), false));
        }
    }
    if !ascii_word.is_empty() {
        words.push((ascii_word, false));
    }
    if !has_han {
        return None;
    }
    let initials = words
        .iter()
        .map(|(w, syllable)| {
            if *syllable {
                w.get(..1).unwrap_or_default()
            } else {
                w
            }
        })
        .collect();
    let full = words.iter().map(|(w, _)| w.as_str()).collect();
    let spaced = words
        .iter()
        .map(|(w, _)| w.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Some(PinyinKey {
        initials,
        full,
        spaced: Utf32String::from(spaced),
    })
}

/// A query prepared once per keystroke.
#[derive(Debug, Clone)]
pub struct Query {
    lower: String,
    atom: Atom,
    /// The query as pinyin could spell it (ASCII letters and digits, no spaces).
    pinyin: Option<(String, Atom)>,
    digits: bool,
}

impl Query {
    /// Prepares `text` (trimmed, case-insensitive) for matching.
    pub fn new(text: &str) -> Query {
        let text = text.trim();
        let lower = text.to_lowercase();
        let atom = fuzzy_atom(&lower);
        let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        let pinyin = (!compact.is_empty()
            && compact.chars().all(|c| c.is_ascii_alphanumeric())
            && compact.chars().any(|c| c.is_ascii_alphabetic()))
        .then(|| {
            let atom = fuzzy_atom(&compact);
            (compact, atom)
        });
        let digits = !lower.is_empty() && lower.chars().all(|c| c.is_ascii_digit());
        Query {
            lower,
            atom,
            pinyin,
            digits,
        }
    }

    /// Whether the query is empty (everything matches).
    pub fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }
}

fn fuzzy_atom(needle: &str) -> Atom {
    Atom::new(
        needle,
        CaseMatching::Ignore,
        Normalization::Smart,
        AtomKind::Fuzzy,
        false,
    )
}

/// Score tiers; a better tier always beats a worse one.
const EXACT: u32 = 400_000;
const PREFIX: u32 = 300_000;
const SUBSTRING: u32 = 200_000;
const FUZZY: u32 = 100_000;
/// Pinyin is a second spelling: slightly behind the text itself within a tier.
const PINYIN_PENALTY: u32 = 50;

/// Scores candidates against queries, reusing nucleo's scratch memory.
pub struct Matcher {
    nucleo: nucleo_matcher::Matcher,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher::new()
    }
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Matcher")
    }
}

impl Matcher {
    /// A matcher tuned for completion (matches nearer the start score a little higher).
    pub fn new() -> Matcher {
        let mut config = Config::DEFAULT;
        config.prefer_prefix = true;
        Matcher {
            nucleo: nucleo_matcher::Matcher::new(config),
        }
    }

    /// How well `candidate` matches `query` (higher is better), or `None` when it does not
    /// match. An empty query matches everything with score 0.
    pub fn score(&mut self, query: &Query, candidate: &Candidate) -> Option<u32> {
        if query.is_empty() {
            return Some(0);
        }
        let mut best = None;
        for key in &candidate.keys {
            best = best.max(self.score_text(query, key));
            if let (Some(pk), Some(pq)) = (&key.pinyin, &query.pinyin) {
                best = best.max(self.score_pinyin(pq, pk, key.weight));
            }
        }
        if query.digits {
            best = best.max(score_number(&query.lower, &candidate.number));
        }
        best
    }

    /// The items whose candidates match `query`, best first; equally good ones keep their
    /// order. An empty query keeps every item in order.
    pub fn rank<'a, T>(
        &mut self,
        query: &str,
        items: impl IntoIterator<Item = (&'a Candidate, T)>,
    ) -> Vec<T> {
        let query = Query::new(query);
        let mut scored: Vec<(u32, T)> = items
            .into_iter()
            .filter_map(|(c, item)| self.score(&query, c).map(|s| (s, item)))
            .collect();
        // A stable sort: ties stay in input order.
        scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        scored.into_iter().map(|(_, item)| item).collect()
    }

    fn score_text(&mut self, query: &Query, key: &Key) -> Option<u32> {
        let fuzzy = query.atom.score(key.haystack.slice(..), &mut self.nucleo)?;
        let tier = if key.lower == query.lower {
            EXACT
        } else if key.lower.starts_with(&query.lower) {
            PREFIX
        } else if key.lower.contains(&query.lower) {
            SUBSTRING
        } else {
            FUZZY
        };
        Some(tier + u32::from(fuzzy) + key.weight + brevity(key.chars))
    }

    fn score_pinyin(
        &mut self,
        (compact, atom): &(String, Atom),
        key: &PinyinKey,
        weight: u32,
    ) -> Option<u32> {
        let fuzzy = atom.score(key.spaced.slice(..), &mut self.nucleo);
        let tier = if key.initials == *compact || key.full == *compact {
            EXACT
        } else if key.initials.starts_with(compact.as_str())
            || key.full.starts_with(compact.as_str())
        {
            PREFIX
        } else if key.initials.contains(compact.as_str()) || key.full.contains(compact.as_str()) {
            SUBSTRING
        } else if fuzzy.is_some() {
            FUZZY
        } else {
            return None;
        };
        let chars = key.initials.len();
        Some(tier + u32::from(fuzzy.unwrap_or(0)) + weight + brevity(chars) - PINYIN_PENALTY)
    }
}

/// A digit query against a number: whole, prefix or substring.
fn score_number(query: &str, number: &str) -> Option<u32> {
    let tier = if number == query {
        EXACT
    } else if number.starts_with(query) {
        PREFIX
    } else if number.contains(query) {
        SUBSTRING
    } else {
        return None;
    };
    Some(tier + text_weight(0) + brevity(number.len()))
}

/// A small bonus for short texts: typing "li" should put "Li" before "Lisa Li-Hernández".
fn brevity(chars: usize) -> u32 {
    63 - chars.min(63) as u32
}

/// Ranks `items` by how well their candidates match `query`, best first, ties in input order
/// (a convenience that makes a [`Matcher`] per call; keep one around for repeated use).
pub fn rank<'a, T>(query: &str, items: impl IntoIterator<Item = (&'a Candidate, T)>) -> Vec<T> {
    Matcher::new().rank(query, items)
}

/// Candidates kept between keystrokes, each with a stamp of the texts it was made from: a
/// filter keystroke only ranks them, and a candidate whose texts changed is made again. Shared
/// behind a lock so that readers of the state (the frame) use it too.
pub struct CandidateCache<K> {
    map: std::sync::Mutex<std::collections::HashMap<K, (u64, std::sync::Arc<Candidate>)>>,
}

impl<K> std::fmt::Debug for CandidateCache<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CandidateCache")
    }
}

impl<K> Default for CandidateCache<K> {
    fn default() -> Self {
        CandidateCache {
            map: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }
}

impl<K> Clone for CandidateCache<K> {
    /// A cache is a cache: a copy starts empty.
    fn clone(&self) -> Self {
        CandidateCache::default()
    }
}

impl<K: std::hash::Hash + Eq + Copy> CandidateCache<K> {
    /// The candidate of `key` for these texts and number: the kept one while the texts are
    /// the same, else a new one (kept).
    pub fn get(&self, key: K, texts: &[&str], number: i64) -> std::sync::Arc<Candidate> {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        (texts, number).hash(&mut h);
        let stamp = h.finish();
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((s, c)) = map.get(&key)
            && *s == stamp
        {
            return c.clone();
        }
        let c = std::sync::Arc::new(Candidate::new(texts, number));
        map.insert(key, (stamp, c.clone()));
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A member without a card is shown by their nickname: it weighs as a card does, so the
    /// shorter of two names the query starts alike wins (`@fe` offered `Ferris` after four
    /// `ferris_…-北京` cards).
    #[test]
    fn the_name_shown_weighs_most_whichever_field_it_is() {
        let carded = Candidate::new(&["ferris_1725-北京", "ferris_1725"], 1);
        let nick_only = Candidate::new(&["", "Ferris"], 2);
        assert_eq!(rank("fe", [(&carded, 1), (&nick_only, 2)]), [2, 1]);
    }

    fn rank_names<'a>(query: &str, names: &[&'a str]) -> Vec<&'a str> {
        let candidates: Vec<Candidate> = names.iter().map(|n| Candidate::new(&[n], 0)).collect();
        rank(query, candidates.iter().zip(names.iter().copied()))
    }

    #[test]
    fn chinese_names_match_by_their_characters() {
        let found = rank_names("小明", &["大明", "小明明", "王小明", "小明", "小红"]);
        assert_eq!(found, ["小明", "小明明", "王小明"]);
    }

    #[test]
    fn pinyin_initials_find_chinese_names() {
        assert_eq!(rank_names("xm", &["小红", "小明", "张三"]), ["小明"]);
        assert_eq!(
            rank_names("jsjl", &["技术交流", "闲聊", "技术交流群2"]),
            ["技术交流", "技术交流群2"]
        );
        // Initials are case-insensitive and may be just a prefix.
        assert_eq!(rank_names("JSJ", &["闲聊", "技术交流"]), ["技术交流"]);
    }

    #[test]
    fn full_pinyin_finds_chinese_names() {
        assert_eq!(rank_names("xiaoming", &["小红", "小明"]), ["小明"]);
        assert_eq!(rank_names("xiaom", &["小红", "小明"]), ["小明"]);
        // Initial of one syllable, the rest of the next.
        assert_eq!(rank_names("xming", &["小红", "小明"]), ["小明"]);
        assert_eq!(rank_names("lv", &["绿茶", "红茶"]), ["绿茶"]);
    }

    #[test]
    fn mixed_names_keep_their_latin_and_digits() {
        assert_eq!(rank_names("qqxzs", &["QQ小助手", "小助手"]), ["QQ小助手"]);
        assert_eq!(
            rank_names("2024", &["技术交流2024", "技术交流"]),
            ["技术交流2024"]
        );
    }

    #[test]
    fn numbers_match_by_prefix_and_substring() {
        let numbers = [10001, 20010, 3_000_123];
        let people: Vec<Candidate> = numbers
            .iter()
            .map(|&n| Candidate::new(&["someone"], n))
            .collect();
        let find = |q: &str| rank(q, people.iter().zip(numbers));
        assert_eq!(
            find("1"),
            [10001, 20010, 3_000_123],
            "prefix before substring"
        );
        assert_eq!(find("20010"), [20010]);
        assert_eq!(find("0012"), [3_000_123]);
        // Letters never match a number.
        assert!(find("x").is_empty());
    }

    #[test]
    fn an_exact_number_beats_a_longer_one() {
        let a = Candidate::new(&["a"], 123_456);
        let b = Candidate::new(&["b"], 12_345);
        assert_eq!(rank("12345", [(&a, "a"), (&b, "b")]), ["b", "a"]);
    }

    #[test]
    fn remark_and_nickname_are_both_searchable() {
        let friend = Candidate::new(&["老板", "Sunshine"], 10001);
        for q in ["老板", "lb", "laoban", "sunsh", "10001"] {
            assert_eq!(
                rank(q, [(&friend, ())]).len(),
                1,
                "{q} should find the friend"
            );
        }
    }

    #[test]
    fn an_earlier_text_counts_more_than_a_later_one() {
        // Friends are passed as [remark, nickname]: the name you chose wins over theirs.
        let nicknamed_bob = Candidate::new(&["Robert", "Bob"], 1);
        let remarked_bob = Candidate::new(&["Bob", "xX_dragon_Xx"], 2);
        assert_eq!(
            rank(
                "bob",
                [(&nicknamed_bob, "nickname"), (&remarked_bob, "remark")]
            ),
            ["remark", "nickname"]
        );
    }

    #[test]
    fn a_card_is_found_in_group_completion() {
        let member = Candidate::new(&["群主大人", "zhang"], 424_242);
        for q in ["群主", "qzdr", "zhang", "4242"] {
            assert_eq!(rank(q, [(&member, ())]).len(), 1, "{q}");
        }
    }

    #[test]
    fn better_matches_come_first() {
        let found = rank_names("li", &["Xavier Lyi", "Ali", "Lisa", "Li"]);
        assert_eq!(found, ["Li", "Lisa", "Ali", "Xavier Lyi"]);
    }

    #[test]
    fn matching_ignores_case() {
        assert_eq!(rank_names("ALICE", &["bob", "alice"]), ["alice"]);
        assert_eq!(rank_names("alice", &["ALICE"]), ["ALICE"]);
    }

    #[test]
    fn empty_query_keeps_everything_in_order() {
        assert_eq!(rank_names("", &["b", "a", "小明"]), ["b", "a", "小明"]);
        assert_eq!(rank_names("   ", &["b", "a"]), ["b", "a"]);
    }

    #[test]
    fn equal_scores_keep_input_order() {
        assert_eq!(
            rank_names("ab", &["abX", "abY", "abZ"]),
            ["abX", "abY", "abZ"]
        );
    }

    #[test]
    fn non_matches_are_left_out() {
        assert!(rank_names("zzz", &["小明", "alice", "技术交流"]).is_empty());
        assert!(rank_names("小红", &["小明"]).is_empty());
    }

    #[test]
    fn one_matcher_serves_many_queries() {
        let mut m = Matcher::new();
        let c = Candidate::new(&["小明"], 0);
        assert!(m.score(&Query::new("xm"), &c).is_some());
        assert!(m.score(&Query::new("zz"), &c).is_none());
        assert!(m.score(&Query::new("小"), &c).is_some());
    }

    #[test]
    fn faces_are_found_by_name_pinyin_and_id() {
        let faces = [(14, "微笑"), (76, "赞"), (63, "玫瑰")];
        let cands: Vec<Candidate> = faces
            .iter()
            .map(|(id, name)| Candidate::new(&[name], *id))
            .collect();
        let find = |q: &str| rank(q, cands.iter().zip(faces.map(|f| f.1)));
        assert_eq!(find("微笑"), ["微笑"]);
        assert_eq!(find("wx"), ["微笑"]);
        assert_eq!(find("14"), ["微笑"]);
        assert_eq!(find("mg"), ["玫瑰"]);
    }
}
