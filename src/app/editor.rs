//! Composing in `$EDITOR`: `Ctrl+X Ctrl+E` (bash's chord) and `/editor` hand the draft's text to
//! the runtime, which suspends the interface, runs the editor on a private temporary file and
//! hands back what it left. The text becomes the draft (it is not sent); mention and face
//! tokens still in it keep their meaning, and `@name` / `@QQ` typed in the editor for a member
//! of the group becomes a mention as if picked from the completion. A failed or missing editor
//! leaves the draft as it was and says why.

use crate::onebot::{Peer, Segment};

use super::action::Pane;
use super::composer::{Composer, Draft, DraftToken};
use super::effect::Effect;
use super::state::State;

/// Asks the runtime to open the editor on the draft.
pub fn start(state: &mut State, fx: &mut Vec<Effect>) {
    state.composer.completion = None;
    fx.push(Effect::Edit {
        peer: state.open,
        text: state.composer.text(),
    });
}

/// The editor exited: its text becomes the draft of the chat it was opened for.
pub fn edited(state: &mut State, peer: Option<Peer>, result: Result<String, String>) {
    let text = match result {
        Ok(t) => t,
        Err(why) => {
            state.error(format!("{why}；草稿未改动"));
            return;
        }
    };
    // Editors end the file with a newline the user did not mean as part of the message.
    let text = text.replace("\r\n", "\n");
    let text = text.strip_suffix('\n').unwrap_or(&text).to_string();
    let old = if peer == state.open {
        state.composer.draft()
    } else {
        peer.and_then(|p| state.drafts.get(p).cloned())
            .unwrap_or_default()
    };
    // Tokens are kept by their text: those still in the text keep their meaning.
    // `old` is the edited chat's own draft (the composer's, when it is the open chat), so its
    // tokens are the ones that can still be in the text.
    let mut tokens: Vec<DraftToken> = old
        .tokens
        .iter()
        .filter(|t| text.contains(&t.text))
        .cloned()
        .collect();
    if let Some(Peer::Group(g)) = peer {
        for t in typed_mentions(state, g, &text) {
            if !tokens.iter().any(|k| k.text == t.text) {
                tokens.push(t);
            }
        }
    }
    let unchanged = text == old.text;
    let draft = Draft {
        text,
        tokens,
        reply: old.reply,
    };
    if peer == state.open {
        state.composer = Composer::from_draft(draft);
        state.focus = Pane::Composer;
    } else if let Some(p) = peer {
        state.drafts.set(p, draft);
    }
    state.info(if unchanged {
        "草稿未改变"
    } else {
        "已取回编辑器中的草稿 (未发送)"
    });
}

/// `@name` and `@QQ` written in `text` for members of group `g`, as mention tokens: the longest
/// card, nickname or number that follows an `@` and ends at a space, a punctuation mark or the
/// end of the text.
pub fn typed_mentions(state: &State, g: i64, text: &str) -> Vec<DraftToken> {
    let Some(members) = state.contacts.members.get(&g) else {
        return Vec::new();
    };
    let members = members.ordered();
    let mut out: Vec<DraftToken> = Vec::new();
    for (i, _) in text.match_indices('@') {
        // An @ glued to a word (an e-mail address) is no mention, as in the composer.
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        let rest = &text[i + 1..];
        let mut best: Option<(&str, i64)> = None;
        for m in &members {
            let number = m.user_id.to_string();
            for name in [m.card.as_str(), m.nickname.as_str(), number.as_str()] {
                if name.is_empty() || !rest.starts_with(name) {
                    continue;
                }
                let ends = rest[name.len()..].chars().next().is_none_or(|c| {
                    c.is_whitespace() || c.is_ascii_punctuation() || "，。！？、：；".contains(c)
                });
                if ends && best.is_none_or(|(b, _)| name.len() > b.len()) {
                    best = Some((&rest[..name.len()], m.user_id));
                }
            }
        }
        if let Some((name, qq)) = best {
            let text = format!("@{name}");
            if !out.iter().any(|t| t.text == text) {
                out.push(DraftToken {
                    text,
                    segment: Segment::at(qq),
                });
            }
        }
    }
    out
}
