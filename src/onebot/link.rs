//! The web links a message carries: URLs in its text, a card's page, a share, an attachment's
//! download URL — found by one set of rules, so the link drawn is the link `o` opens.
//!
//! Everything here came from other people through the server. A link is only ever an `http://`
//! or `https://` URL made of characters that draw as themselves: no `file:`, `mqqapi:` or other
//! schemes reach the system's opener, and nothing a sanitiser would strip hides inside a URL.

use super::card::Card;
use super::message::MessageChain;
use super::segment::{Music, Segment};

/// Characters that end a URL in running text (ASCII quotes and brackets, CJK punctuation).
const URL_ENDS: &str = "<>\"'，。）】」";

/// Whether `c` may be part of a URL: printable ASCII, or a letter or digit of another script
/// (wiki paths are often written in CJK). Hangul fillers are letters that draw nothing.
fn is_url_char(c: char) -> bool {
    if URL_ENDS.contains(c) {
        return false;
    }
    c.is_ascii_graphic()
        || (!c.is_ascii()
            && c.is_alphanumeric()
            && !matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'))
}

/// True when `s` is a whole http(s) URL that is safe to open and draws as itself.
pub fn is_web_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && r.chars().all(is_url_char))
}

/// The byte range of the first http(s) URL in a text.
pub fn find_url(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let rest = &text[from..];
        let start = from
            + match (rest.find("https://"), rest.find("http://")) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => a.or(b)?,
            };
        let tail = &text[start..];
        let len = tail
            .char_indices()
            .find(|&(_, c)| !is_url_char(c))
            .map_or(tail.len(), |(i, _)| i);
        if is_web_url(&tail[..len]) {
            return Some((start, start + len));
        }
        // A scheme with nothing after it: look further on.
        from = start + "http://".len();
    }
}

/// The first http(s) URL in a text.
pub fn first_url(text: &str) -> Option<String> {
    let (a, b) = find_url(text)?;
    Some(text[a..b].to_string())
}

/// Every http(s) URL in a text, in order.
pub fn all_urls(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some((a, b)) = find_url(&text[from..]) {
        out.push(text[from + a..from + b].to_string());
        from += b;
    }
    out
}

/// A URL cut to at most `max` characters for a list, its scheme and host kept whole: the
/// host says where a link leads, so it is never what goes (`https://host/pa…th`).
pub fn shorten(url: &str, max: usize) -> String {
    let count = url.chars().count();
    if count <= max {
        return url.to_string();
    }
    let scheme = url.find("://").map_or(0, |i| i + 3);
    let host_end = url[scheme..].find('/').map_or(url.len(), |i| scheme + i);
    let head = &url[..host_end];
    let head_len = head.chars().count();
    // The rest of the path gets what the host leaves, split around an ellipsis.
    let room = max.saturating_sub(head_len + 1);
    if room < 2 {
        return format!("{head}…");
    }
    let rest: Vec<char> = url[host_end..].chars().collect();
    let front = room.div_ceil(2);
    let back = room - front;
    let start: String = rest[..front].iter().collect();
    let end: String = rest[rest.len() - back..].iter().collect();
    format!("{head}{start}…{end}")
}

/// `url` when it is a web URL.
fn web(url: Option<&String>) -> Option<String> {
    url.filter(|u| is_web_url(u)).cloned()
}

impl Segment {
    /// The web link this segment carries: a URL in its text, its card's page, the shared page or
    /// song, or the download URL of a picture, voice, video or file.
    pub fn link(&self) -> Option<String> {
        match self {
            Segment::Text { text } => first_url(text),
            Segment::Json { .. } => Card::of(self).and_then(|c| c.url),
            Segment::Share(sh) => web(Some(&sh.url)),
            Segment::Music(m) => match &m.music {
                Music::Custom { url, .. } => web(Some(url)),
                Music::Platform { .. } => None,
            },
            Segment::Image(i) => web(i.url.as_ref()),
            Segment::Video(v) => web(v.url.as_ref()),
            Segment::Record(r) => web(r.url.as_ref()),
            Segment::File(f) => web(f.url.as_ref()),
            _ => None,
        }
    }
}

impl MessageChain {
    /// Every web link of the message in order, each once: all URLs of its text, then what its
    /// other segments link to (the link picker's list).
    pub fn links(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in self.segments() {
            let found = match s {
                Segment::Text { text } => all_urls(text),
                other => other.link().into_iter().collect(),
            };
            for l in found {
                if !out.contains(&l) {
                    out.push(l);
                }
            }
        }
        out
    }

    /// The first web link of the message (what `o` opens).
    pub fn link(&self) -> Option<String> {
        self.segments().iter().find_map(Segment::link)
    }

    /// The id of a group file the message carries (to ask `get_group_file_url` for its link).
    pub fn group_file_id(&self) -> Option<String> {
        self.segments().iter().find_map(|s| match s {
            Segment::File(f) => f.file_id.clone().filter(|id| !id.is_empty()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_found_in_text() {
        assert_eq!(
            first_url("看这个 https://example.com/a?b=1 好").as_deref(),
            Some("https://example.com/a?b=1")
        );
        assert_eq!(first_url("没有链接"), None);
        assert_eq!(
            first_url("维基 https://zh.wikipedia.org/wiki/中文。").as_deref(),
            Some("https://zh.wikipedia.org/wiki/中文")
        );
        // The earlier of the two schemes wins.
        assert_eq!(
            first_url("http://a.example 和 https://b.example").as_deref(),
            Some("http://a.example")
        );
    }

    #[test]
    fn every_url_of_a_text_is_found() {
        assert_eq!(
            all_urls("a https://a.example/1 和 http://b.example，还有 https://c.example"),
            [
                "https://a.example/1",
                "http://b.example",
                "https://c.example"
            ]
        );
        assert!(all_urls("没有").is_empty());
        let chain = MessageChain::new()
            .text("https://a.example https://a.example https://b.example")
            .push(Segment::Share(Box::new(super::super::segment::ShareData {
                url: "https://c.example".into(),
                title: "t".into(),
                ..Default::default()
            })));
        assert_eq!(
            chain.links(),
            [
                "https://a.example",
                "https://b.example",
                "https://c.example"
            ]
        );
    }

    #[test]
    fn a_long_url_keeps_its_host() {
        let url = "https://multimedia.nt.qq.com.cn/download?appid=1407&fileid=abcdefghijklmnopqrstuvwxyz&rkey=0123456789";
        let short = shorten(url, 50);
        assert_eq!(short.chars().count(), 50);
        assert!(
            short.starts_with("https://multimedia.nt.qq.com.cn/"),
            "{short}"
        );
        assert!(short.contains('…') && short.ends_with("6789"), "{short}");
        assert_eq!(shorten("https://a.example/x", 50), "https://a.example/x");
        // Too narrow for any path: the host alone, whole.
        assert_eq!(
            shorten("https://very-long-host.example/path", 20),
            "https://very-long-host.example…"
        );
        assert_eq!(
            shorten("https://中文.example/维基/条目/很长很长", 24)
                .chars()
                .count(),
            24
        );
    }

    #[test]
    fn a_url_stops_at_what_a_sanitiser_would_change() {
        for hidden in ["\u{202E}", "\u{200B}", "\u{1b}", "\u{3164}", "\u{9b}"] {
            let text = format!("https://example.com/a{hidden}b");
            assert_eq!(
                first_url(&text).as_deref(),
                Some("https://example.com/a"),
                "{hidden:?}"
            );
        }
        assert_eq!(first_url("https://"), None, "a scheme alone is no link");
        assert_eq!(
            first_url("https:// 然后 https://example.com").as_deref(),
            Some("https://example.com")
        );
    }

    #[test]
    fn only_plain_web_urls_are_links() {
        assert!(is_web_url("https://b23.tv/a1B2c3D"));
        assert!(is_web_url(
            "http://qm.qq.com/cgi-bin/qm/qr?k=x&group_code=1"
        ));
        for bad in [
            "mqqapi://group/invite_join?x=1",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://example.com/a b",
            "https://example.com/\u{202E}gpj.exe",
            "m.q.qq.com/a/s/0123",
            "",
        ] {
            assert!(!is_web_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn share_and_music_links_must_be_web_urls() {
        let share = |url: &str| {
            MessageChain::new().push(Segment::Share(Box::new(super::super::segment::ShareData {
                url: url.into(),
                title: "t".into(),
                ..Default::default()
            })))
        };
        assert_eq!(
            share("https://example.com").link().as_deref(),
            Some("https://example.com")
        );
        assert_eq!(share("file:///etc/passwd").link(), None);
    }
}
