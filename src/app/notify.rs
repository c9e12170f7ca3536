//! Notification rules: highlight words (`[notify] highlight`) that count as a mention, and each
//! chat's notify mode (`/notify all|mentions|none`, saved with the session). Core data, so that
//! `State` can hold it; what an arriving message does with it is in `events`.
//!
//! Kept apart from the per-chat mute (免打扰, `State::muted`) on purpose; the two combine in
//! `events`: a muted chat never alerts, whatever its mode; an unmuted one alerts as its mode says.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::onebot::Peer;

/// When a chat alerts (bell and notification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotifyMode {
    /// Every message.
    All,
    /// Only what mentions you or a highlight word.
    Mentions,
    /// Never (unread counts and the `@` marker still show).
    None,
}

impl NotifyMode {
    /// What a chat does without a `/notify`: every private message, a group's mentions.
    pub fn default_for(peer: Peer) -> NotifyMode {
        if peer.is_group() {
            NotifyMode::Mentions
        } else {
            NotifyMode::All
        }
    }

    /// `all`, `mentions` or `none` (also the Chinese labels).
    pub fn parse(s: &str) -> Option<NotifyMode> {
        match s.trim().to_lowercase().as_str() {
            "all" | "全部" => Some(NotifyMode::All),
            "mentions" | "mention" | "仅@我" | "提及" => Some(NotifyMode::Mentions),
            "none" | "off" | "不通知" => Some(NotifyMode::None),
            _ => None,
        }
    }

    /// The name `/notify` takes.
    pub fn name(self) -> &'static str {
        match self {
            NotifyMode::All => "all",
            NotifyMode::Mentions => "mentions",
            NotifyMode::None => "none",
        }
    }

    /// How the header shows it.
    pub fn label(self) -> &'static str {
        match self {
            NotifyMode::All => "通知全部消息",
            NotifyMode::Mentions => "仅@我时通知",
            NotifyMode::None => "不通知",
        }
    }
}

/// One highlight: a word, or a `/regex/`.
#[derive(Debug, Clone)]
enum Pattern {
    /// Lower-cased; `whole` for ASCII words, which must stand alone (`nap` is not in `napterm`);
    /// anything else (CJK) matches inside text, having no word boundaries.
    Word {
        lower: String,
        whole: bool,
    },
    Regex(regex::Regex),
}

/// The highlight words and regexes of `[notify] highlight`.
#[derive(Debug, Clone, Default)]
pub struct Highlights {
    sources: Vec<String>,
    patterns: Vec<Pattern>,
}

impl PartialEq for Highlights {
    fn eq(&self, other: &Self) -> bool {
        self.sources == other.sources
    }
}

impl Highlights {
    /// Compiles the list: `"word"` matches case-insensitively (a Latin word as a whole word),
    /// `"/regex/"` is a regular expression, case-insensitive unless it says `(?-i)`. An error
    /// names the entry and why.
    pub fn parse(list: &[String]) -> Result<Highlights, String> {
        let mut patterns = Vec::new();
        for entry in list {
            let p = if let Some(re) = entry
                .strip_prefix('/')
                .and_then(|r| r.strip_suffix('/'))
                .filter(|r| !r.is_empty())
            {
                let re = regex::RegexBuilder::new(re)
                    .case_insensitive(true)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| {
                        let why = e.to_string();
                        let why = why.lines().last().unwrap_or("").trim().to_string();
                        format!("`{entry}` is not a valid regex: {why}")
                    })?;
                Pattern::Regex(re)
            } else {
                let word = entry.trim();
                if word.is_empty() {
                    return Err("an empty highlight word matches everything".into());
                }
                Pattern::Word {
                    lower: word.to_lowercase(),
                    whole: word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                }
            };
            patterns.push(p);
        }
        Ok(Highlights {
            sources: list.to_vec(),
            patterns,
        })
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether a message's text holds any of them (its text is only built when there are any).
    pub fn in_chain(&self, chain: &crate::onebot::MessageChain) -> bool {
        !self.is_empty() && self.matches(&chain.plain_text())
    }

    /// Whether `text` holds any of them.
    pub fn matches(&self, text: &str) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let lower = text.to_lowercase();
        self.patterns.iter().any(|p| match p {
            Pattern::Regex(re) => re.is_match(text),
            Pattern::Word { lower: w, whole } => {
                if !whole {
                    return lower.contains(w.as_str());
                }
                let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
                lower.match_indices(w.as_str()).any(|(i, _)| {
                    let before = lower[..i].chars().next_back().is_none_or(|c| !word(c));
                    let after = lower[i + w.len()..].chars().next().is_none_or(|c| !word(c));
                    before && after
                })
            }
        })
    }
}

/// Every chat's mode that differs from its default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NotifyModes(pub BTreeMap<Peer, NotifyMode>);

impl NotifyModes {
    /// The chat's mode.
    pub fn get(&self, peer: Peer) -> NotifyMode {
        self.0
            .get(&peer)
            .copied()
            .unwrap_or_else(|| NotifyMode::default_for(peer))
    }

    /// Sets the chat's mode (the default is not stored).
    pub fn set(&mut self, peer: Peer, mode: NotifyMode) {
        if mode == NotifyMode::default_for(peer) {
            self.0.remove(&peer);
        } else {
            self.0.insert(peer, mode);
        }
    }

    /// Whether a message in `peer` alerts: `mention` when it mentions you or a highlight word.
    pub fn alerts(&self, peer: Peer, mention: bool) -> bool {
        match self.get(peer) {
            NotifyMode::All => true,
            NotifyMode::Mentions => mention,
            NotifyMode::None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(list: &[&str]) -> Highlights {
        Highlights::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).expect("valid")
    }

    #[test]
    fn words_match_case_insensitively_latin_ones_whole() {
        let h = hl(&["napterm", "部署"]);
        assert!(h.matches("试试 NapTerm 吧"));
        assert!(h.matches("napterm,好用"));
        assert!(!h.matches("napterms 不是"), "a longer word is another word");
        assert!(h.matches("今晚部署新版本"), "CJK inside a sentence");
        assert!(!h.matches("部 署"));
        assert!(!hl(&[]).matches("任何"));
    }

    #[test]
    fn regexes_are_case_insensitive_unless_they_say_so() {
        let h = hl(&["/v\\d+\\.\\d+/", "/(?-i)ERROR/", "/^紧急/"]);
        assert!(h.matches("发布 V1.2 了"));
        assert!(h.matches("an ERROR here"));
        assert!(!h.matches("an error here"));
        assert!(h.matches("紧急：服务器挂了"));
        assert!(!h.matches("不紧急"));
    }

    #[test]
    fn bad_entries_say_why() {
        let e = Highlights::parse(&["/(unclosed/".to_string()]).unwrap_err();
        assert!(e.contains("/(unclosed/") && e.contains("regex"), "{e}");
        assert!(Highlights::parse(&[" ".to_string()]).is_err());
        // A lone slash is a word, not an empty regex.
        assert!(hl(&["/"]).matches("a/b"));
    }

    #[test]
    fn modes_default_by_chat_kind() {
        let mut m = NotifyModes::default();
        let (g, u) = (Peer::Group(1), Peer::Private(2));
        assert!(!m.alerts(g, false) && m.alerts(g, true) && m.alerts(u, false));
        m.set(g, NotifyMode::All);
        m.set(u, NotifyMode::None);
        assert!(m.alerts(g, false) && !m.alerts(u, true));
        m.set(g, NotifyMode::Mentions);
        assert!(!m.0.contains_key(&g), "the default is not stored");
        assert_eq!(NotifyMode::parse("MENTIONS"), Some(NotifyMode::Mentions));
        assert_eq!(NotifyMode::parse("sometimes"), None);
    }
}
