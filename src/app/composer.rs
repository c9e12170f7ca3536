//! The composer: a multi-line text area whose mention and face tokens become real segments.
//!
//! Tokens are kept as their display text (`@小明`, `[微笑]`) plus the segment they stand for. On
//! send, the text is split around every registered token, in order; `[face:14]` and `[face:微笑]`
//! typed by hand become faces too. Editing inside a token turns it back into plain text.

use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use serde::{Deserialize, Serialize};

use crate::onebot::{AtTarget, MessageChain, Segment, faces};

/// A token in the draft: its display text and the segment it sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftToken {
    pub text: String,
    pub segment: Segment,
}

/// The message a draft replies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyTarget {
    pub message_id: i64,
    pub author: String,
    pub excerpt: String,
}

/// A saved draft (per chat, and across restarts).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Draft {
    pub text: String,
    #[serde(default)]
    pub tokens: Vec<DraftToken>,
    #[serde(default)]
    pub reply: Option<ReplyTarget>,
}

impl Draft {
    /// True when there is nothing worth keeping.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.reply.is_none()
    }

    /// True when the text is a `/command` (`//` sends a literal slash): a command typed in the
    /// composer is not a draft.
    pub fn is_command(&self) -> bool {
        self.text.starts_with('/') && !self.text.starts_with("//")
    }

    /// The draft that sends `chain` again: its text, its mentions and faces as tokens (`mention`
    /// names a member from the number and the name the segment carried), its reply (`reply`
    /// describes it). None when the chain holds what a draft cannot (a picture, a file, a card).
    pub fn of_chain(
        chain: &MessageChain,
        mention: impl Fn(i64, Option<&str>) -> String,
        reply: impl Fn(i64) -> ReplyTarget,
    ) -> Option<Draft> {
        let mut draft = Draft::default();
        for s in chain.segments() {
            let token = match s {
                Segment::Text { text } => {
                    draft.text.push_str(text);
                    continue;
                }
                Segment::Reply { id, .. } => {
                    draft.reply = Some(reply(id.parse().ok()?));
                    continue;
                }
                Segment::At {
                    target: AtTarget::All,
                    ..
                } => AT_ALL.to_string(),
                Segment::At {
                    target: AtTarget::User(qq),
                    name,
                    ..
                } => format!("@{}", mention(*qq, name.as_deref())),
                Segment::Face { id, .. } => face_label(*id),
                _ => return None,
            };
            draft.text.push_str(&token);
            keep_token(
                &mut draft.tokens,
                DraftToken {
                    text: token,
                    segment: s.clone(),
                },
            );
        }
        Some(draft)
    }
}

/// Keeps `token` among `tokens`: a later token with the same text wins (the older meaning goes).
fn keep_token(tokens: &mut Vec<DraftToken>, token: DraftToken) {
    if !tokens.contains(&token) {
        tokens.retain(|t| t.text != token.text);
        tokens.push(token);
    }
}

/// How `@全体成员` shows in the draft.
const AT_ALL: &str = "@全体成员";

/// How a face shows in the draft: `[name]`, or `[face:id]` for a face without a name.
fn face_label(id: i64) -> String {
    match faces::name(id) {
        Some(n) => format!("[{n}]"),
        None => format!("[face:{id}]"),
    }
}

/// What accepting a completion entry puts where the typed text was.
#[derive(Debug, Clone, PartialEq)]
pub enum Pick {
    /// A member: an `@name` token that sends as an `at` segment.
    Member(i64),
    /// `@全体成员`.
    AtAll,
    /// Text to go on typing after (`/open `).
    Text(String),
    /// Text that completes the line: Enter on it runs the line (`/readall`, `g:30001`).
    Line(String),
}

/// One completion candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct CompletionItem {
    /// What the list shows (a card or nickname after `@`, a command, a chat's name).
    pub label: String,
    /// Shown beside it (the number, what the command does).
    pub detail: String,
    /// What accepting it inserts.
    pub pick: Pick,
}

impl CompletionItem {
    /// The member it mentions, for a mention.
    pub fn member(&self) -> Option<i64> {
        match self.pick {
            Pick::Member(qq) => Some(qq),
            _ => None,
        }
    }
}

/// What a completion completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompletionKind {
    /// `@` and a member (in a group).
    #[default]
    Mention,
    /// `/` and a command name, at the start of the composer.
    Command,
    /// The chat after `/open `.
    Chat,
    /// A local path after `/upload `, `/voice `, `/image `.
    Path,
}

/// The open completion list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Completion {
    pub kind: CompletionKind,
    /// Row and char column where the text being completed starts (the `@`, the `/`, the chat
    /// query); it runs to the cursor.
    pub row: usize,
    pub col: usize,
    pub query: String,
    pub items: Vec<CompletionItem>,
    pub selected: usize,
}

/// The composer's state.
#[derive(Debug, Clone)]
pub struct Composer {
    pub textarea: TextArea<'static>,
    pub tokens: Vec<DraftToken>,
    pub reply: Option<ReplyTarget>,
    pub completion: Option<Completion>,
    /// The reply the last `append` brought, with the text before and after it: undoing the
    /// append takes the reply away too, redoing it brings it back.
    appended: Option<Appended>,
}

/// See `Composer::appended`.
#[derive(Debug, Clone)]
struct Appended {
    before: String,
    after: String,
    reply: ReplyTarget,
}

impl Default for Composer {
    fn default() -> Self {
        Composer::from_draft(Draft::default())
    }
}

/// The `//` prefix sends a literal slash; a single `/` starts a command.
pub enum Submission {
    /// A command line (without the leading `/`).
    Command(String),
    /// A message to send.
    Message(MessageChain),
    /// Nothing to send.
    Empty,
}

impl Composer {
    /// A composer holding `draft`.
    pub fn from_draft(draft: Draft) -> Self {
        let lines: Vec<String> = if draft.text.is_empty() {
            vec![String::new()]
        } else {
            draft.text.split('\n').map(str::to_string).collect()
        };
        let mut textarea = TextArea::new(lines);
        textarea.set_wrap_mode(WrapMode::Glyph);
        textarea.move_cursor(CursorMove::Bottom);
        textarea.move_cursor(CursorMove::End);
        Composer {
            textarea,
            tokens: draft.tokens,
            reply: draft.reply,
            completion: None,
            appended: None,
        }
    }

    /// The current draft (for saving).
    pub fn draft(&self) -> Draft {
        let text = self.text();
        let tokens = self
            .tokens
            .iter()
            .filter(|t| text.contains(&t.text))
            .cloned()
            .collect();
        Draft {
            text,
            tokens,
            reply: self.reply.clone(),
        }
    }

    /// The text, lines joined with `\n`.
    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    /// True when there is no text.
    pub fn is_empty(&self) -> bool {
        self.textarea.is_empty()
    }

    /// Empties the text, tokens, reply and completion.
    pub fn clear(&mut self) {
        *self = Composer::default();
    }

    /// `draft` after what the composer holds, on a line of its own, the cursor at its end: its
    /// tokens kept, its reply when there is none (an edit like any other: Alt+Z takes it back).
    pub fn append(&mut self, draft: Draft) {
        let before = self.text();
        self.textarea.move_cursor(CursorMove::Bottom);
        self.textarea.move_cursor(CursorMove::End);
        if !self.is_empty() && !draft.text.is_empty() {
            self.textarea.insert_newline();
        }
        self.textarea.insert_str(&draft.text);
        for t in draft.tokens {
            keep_token(&mut self.tokens, t);
        }
        self.appended = None;
        if self.reply.is_none()
            && let Some(reply) = draft.reply
        {
            self.reply = Some(reply.clone());
            let after = self.text();
            self.appended = Some(Appended {
                before,
                after,
                reply,
            });
        }
    }

    /// Takes back the last edit (Alt+Z); back before an `append`, without the reply it brought.
    pub fn undo(&mut self) {
        self.textarea.undo();
        if let Some(a) = &self.appended
            && self.reply.as_ref() == Some(&a.reply)
            && self.text() == a.before
        {
            self.reply = None;
        }
    }

    /// Makes an undone edit again (Alt+Shift+Z); an `append`'s reply comes back with its text.
    pub fn redo(&mut self) {
        self.textarea.redo();
        if let Some(a) = &self.appended
            && self.reply.is_none()
            && self.text() == a.after
        {
            self.reply = Some(a.reply.clone());
        }
    }

    /// Inserts text at the cursor (a paste keeps its newlines).
    pub fn insert_text(&mut self, s: &str) {
        let s = s.replace("\r\n", "\n").replace('\r', "\n");
        self.textarea.insert_str(s);
    }

    /// Inserts a token at the cursor (followed by a space for mentions).
    pub fn insert_token(&mut self, text: String, segment: Segment) {
        let trailing = matches!(segment, Segment::At { .. });
        self.textarea.insert_str(&text);
        if trailing {
            self.textarea.insert_char(' ');
        }
        keep_token(&mut self.tokens, DraftToken { text, segment });
    }

    /// Inserts a face token shown as `[name]`.
    pub fn insert_face(&mut self, id: i64) {
        self.insert_token(face_label(id), Segment::face(id));
    }

    /// Replaces the text being completed (from the completion's start to the cursor) with the
    /// highlighted entry. Returns the entry taken, None when there was none.
    pub fn accept_completion(&mut self) -> Option<CompletionItem> {
        let c = self.completion.take()?;
        let item = c.items.get(c.selected).cloned()?;
        let ratatui_textarea::DataCursor(row, col) = self.textarea.cursor();
        if row != c.row || col < c.col {
            return None;
        }
        for _ in c.col..col {
            self.textarea.delete_char();
        }
        match &item.pick {
            Pick::Member(qq) => self.insert_token(format!("@{}", item.label), Segment::at(*qq)),
            Pick::AtAll => self.insert_token(AT_ALL.to_string(), Segment::at_all()),
            Pick::Text(t) | Pick::Line(t) => {
                self.textarea.insert_str(t);
            }
        }
        Some(item)
    }

    /// Deletes from the cursor back to the start of its line, as Ctrl+U does in a shell.
    pub fn delete_to_line_start(&mut self) {
        self.textarea.delete_line_by_head();
    }

    /// The `@query` right before the cursor, if the cursor is in one: (row, col of `@`, query).
    pub fn mention_query(&self) -> Option<(usize, usize, String)> {
        let ratatui_textarea::DataCursor(row, col) = self.textarea.cursor();
        let line = self.textarea.lines().get(row)?;
        let before: Vec<char> = line.chars().take(col).collect();
        let at = before.iter().rposition(|c| *c == '@')?;
        let query: String = before[at + 1..].iter().collect();
        if query.chars().any(char::is_whitespace) || query.chars().count() > 24 {
            return None;
        }
        // An @ glued to a word (an e-mail address) does not start a mention.
        if at > 0 && before[at - 1].is_ascii_alphanumeric() {
            return None;
        }
        Some((row, at, query))
    }

    /// What pressing send means for the current text.
    pub fn submission(&self) -> Submission {
        let text = self.text();
        if let Some(rest) = text.strip_prefix("//") {
            let literal = format!("/{rest}");
            return Submission::Message(self.chain_for(&literal));
        }
        if let Some(cmd) = text.strip_prefix('/') {
            return Submission::Command(cmd.trim().to_string());
        }
        if text.trim().is_empty() && self.reply.is_none() {
            return Submission::Empty;
        }
        if text.trim().is_empty() {
            return Submission::Empty;
        }
        Submission::Message(self.chain_for(&text))
    }

    /// The chain for `text`: reply first, then text split around tokens and `[face:…]`.
    pub fn chain_for(&self, text: &str) -> MessageChain {
        let mut chain = MessageChain::new();
        let mut rest = text;
        while !rest.is_empty() {
            match self.next_token(rest) {
                Some((pos, len, seg)) => {
                    chain = chain.text(&rest[..pos]).push(seg);
                    rest = &rest[pos + len..];
                }
                None => {
                    chain = chain.text(rest);
                    break;
                }
            }
        }
        if let Some(r) = &self.reply {
            chain = chain.reply(r.message_id);
        }
        chain
    }

    /// The earliest token in `s`: byte position, byte length and segment. Longest match wins a tie.
    fn next_token(&self, s: &str) -> Option<(usize, usize, Segment)> {
        let mut best: Option<(usize, usize, Segment)> = None;
        let mut consider = |pos: usize, len: usize, seg: Segment| {
            let better = match &best {
                None => true,
                Some((bp, bl, _)) => pos < *bp || (pos == *bp && len > *bl),
            };
            if better {
                best = Some((pos, len, seg));
            }
        };
        for t in &self.tokens {
            if t.text.is_empty() {
                continue;
            }
            if let Some(pos) = s.find(&t.text) {
                consider(pos, t.text.len(), t.segment.clone());
            }
        }
        let mut from = 0;
        while let Some(i) = s[from..].find("[face:") {
            let pos = from + i;
            let after = &s[pos + 6..];
            if let Some(end) = after.find(']') {
                let key = &after[..end];
                let id = key
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|id| faces::by_id(*id).is_some())
                    .or_else(|| faces::by_name(key.trim()).map(|f| f.id));
                if let Some(id) = id {
                    consider(pos, 6 + end + 1, Segment::face(id));
                    break;
                }
            }
            from = pos + 6;
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onebot::Segment;

    fn typed(s: &str) -> Composer {
        let mut c = Composer::default();
        c.insert_text(s);
        c
    }

    fn chain(c: &Composer) -> MessageChain {
        match c.submission() {
            Submission::Message(m) => m,
            Submission::Command(x) => panic!("command {x}"),
            Submission::Empty => panic!("empty"),
        }
    }

    fn back(chain: &MessageChain) -> Option<Composer> {
        let reply = |id| ReplyTarget {
            message_id: id,
            author: "甲".into(),
            excerpt: "原话".into(),
        };
        Draft::of_chain(chain, |qq, _| format!("成员{qq}"), reply).map(Composer::from_draft)
    }

    /// A draft made of a sent chain sends that chain again, whatever order its parts came in.
    #[test]
    fn a_chain_made_a_draft_sends_itself_again() {
        let chains = [
            vec![Segment::text("就一句")],
            vec![
                Segment::reply(9),
                Segment::at(20002),
                Segment::text(" 到了吗"),
                Segment::face(14),
            ],
            vec![
                Segment::at_all(),
                Segment::text(" 开会 "),
                Segment::face(14),
                Segment::face(14),
                Segment::text(" 谢谢"),
                Segment::at(20003),
            ],
            vec![Segment::text("邮件发到 a@b.cn")],
        ];
        for segments in chains {
            let sent = MessageChain(segments);
            let c = back(&sent).expect("a draft");
            if sent.0.len() == 1 {
                assert_eq!(c.text(), sent.plain_text());
            }
            assert_eq!(chain(&c), sent, "{}", c.text());
        }
    }

    #[test]
    fn a_chain_with_a_picture_is_no_draft() {
        let sent = MessageChain::new()
            .text("看")
            .push(Segment::image("base64://AAAA"));
        assert!(back(&sent).is_none());
    }

    #[test]
    fn text_around_tokens_in_order() {
        let mut c = typed("你好 ");
        c.insert_token("@小明".into(), Segment::at(20002));
        c.insert_text("看这个");
        c.insert_face(14);
        c.insert_text(" 好");
        assert_eq!(
            chain(&c).0,
            vec![
                Segment::text("你好 "),
                Segment::at(20002),
                Segment::text(" 看这个"),
                Segment::face(14),
                Segment::text(" 好"),
            ]
        );
    }

    #[test]
    fn faces_by_id_and_by_name() {
        let c = typed("a[face:14]b[face:赞]c[face:999999]");
        assert_eq!(
            chain(&c).0,
            vec![
                Segment::text("a"),
                Segment::face(14),
                Segment::text("b"),
                Segment::face(76),
                Segment::text("c[face:999999]"),
            ]
        );
    }

    #[test]
    fn reply_goes_first() {
        let mut c = typed("嗯");
        c.reply = Some(ReplyTarget {
            message_id: 42,
            author: "a".into(),
            excerpt: "b".into(),
        });
        assert_eq!(chain(&c).0, vec![Segment::reply(42), Segment::text("嗯")]);
    }

    #[test]
    fn pasted_newlines_are_kept() {
        let c = typed("line1\r\nline2\nline3");
        assert_eq!(c.text(), "line1\nline2\nline3");
        assert_eq!(chain(&c).0, vec![Segment::text("line1\nline2\nline3")]);
    }

    #[test]
    fn slash_is_a_command_and_double_slash_a_literal() {
        match typed("/open 技术群").submission() {
            Submission::Command(c) => assert_eq!(c, "open 技术群"),
            _ => panic!(),
        }
        assert_eq!(
            chain(&typed("//me waves")).0,
            vec![Segment::text("/me waves")]
        );
        assert!(matches!(typed("   ").submission(), Submission::Empty));
    }

    #[test]
    fn edited_token_becomes_text() {
        let mut c = Composer::default();
        c.insert_token("@小明".into(), Segment::at(20002));
        // Delete the trailing space and the last char of the name.
        c.textarea.delete_char();
        c.textarea.delete_char();
        assert_eq!(chain(&c).0, vec![Segment::text("@小")]);
        assert!(c.draft().tokens.is_empty());
    }

    #[test]
    fn mention_query_and_completion() {
        let mut c = typed("hi @小");
        assert_eq!(c.mention_query(), Some((0, 3, "小".into())));
        c.completion = Some(Completion {
            kind: CompletionKind::Mention,
            row: 0,
            col: 3,
            query: "小".into(),
            items: vec![CompletionItem {
                label: "小明".into(),
                detail: "20002".into(),
                pick: Pick::Member(20002),
            }],
            selected: 0,
        });
        assert!(c.accept_completion().is_some());
        assert_eq!(c.text(), "hi @小明 ");
        assert_eq!(
            chain(&c).0,
            vec![Segment::text("hi "), Segment::at(20002), Segment::text(" ")]
        );
        assert_eq!(typed("mail a@b").mention_query(), None);
    }

    #[test]
    fn drafts_round_trip() {
        let mut c = typed("x ");
        c.insert_face(14);
        let d = c.draft();
        let json = serde_json::to_string(&d).unwrap();
        let back: Draft = serde_json::from_str(&json).unwrap();
        let c2 = Composer::from_draft(back);
        assert_eq!(chain(&c2), chain(&c));
    }
}
