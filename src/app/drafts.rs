//! Unsent drafts, one per chat (the open chat's included), and the session they are kept in
//! across restarts.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::onebot::{MessageChain, Peer};

use super::composer::Draft;

/// Drafts by chat. An empty draft is never kept: setting one removes the chat's entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drafts(BTreeMap<Peer, Draft>);

impl Drafts {
    /// The draft typed in `peer`'s chat.
    pub fn get(&self, peer: Peer) -> Option<&Draft> {
        self.0.get(&peer)
    }

    /// Keeps `draft` as `peer`'s draft; an empty one drops it. Returns whether that changed
    /// anything.
    pub fn set(&mut self, peer: Peer, draft: Draft) -> bool {
        if draft.is_empty() {
            self.0.remove(&peer).is_some()
        } else if self.0.get(&peer) == Some(&draft) {
            false
        } else {
            self.0.insert(peer, draft);
            true
        }
    }

    /// Forgets `peer`'s draft.
    pub fn remove(&mut self, peer: Peer) -> Option<Draft> {
        self.0.remove(&peer)
    }

    /// The drafts in chat order.
    pub fn iter(&self) -> impl Iterator<Item = (Peer, &Draft)> {
        self.0.iter().map(|(p, d)| (*p, d))
    }

    /// How many chats have a draft.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no chat has a draft.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(Peer, Draft)> for Drafts {
    fn from_iter<I: IntoIterator<Item = (Peer, Draft)>>(iter: I) -> Self {
        let mut drafts = Drafts::default();
        for (peer, draft) in iter {
            drafts.set(peer, draft);
        }
        drafts
    }
}

/// What survives a restart: the drafts, the chat that was open, the reactions used lately, the
/// chats set to 免打扰 and the pinned ones (in pin order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Session {
    pub drafts: Drafts,
    pub open: Option<Peer>,
    /// Each chat's `/notify` mode that is not its default.
    pub notify: super::notify::NotifyModes,
    /// Reaction ids (face ids or code points), most recent first: the picker lists them first.
    pub reactions: Vec<String>,
    pub muted: BTreeSet<Peer>,
    pub pinned: Vec<Peer>,
    /// Messages written while not connected and not sent yet, oldest first: they wait again
    /// after a restart (`outbox::restore`).
    pub outbox: Vec<Unsent>,
    /// Waiting messages that could not come back (a picture whose bytes' file was gone): the
    /// restart says so.
    pub lost: usize,
}

/// A message that waits for the connection, as a restart keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsent {
    pub peer: Peer,
    /// When it was written (Unix seconds).
    pub time: i64,
    /// What its entry shows, and what it sends unless `sends` says otherwise.
    pub chain: MessageChain,
    /// What it really sends when that is not what it shows (a picture as base64, shown by its
    /// hash); shared, not copied, wherever the session goes.
    pub sends: Option<Arc<MessageChain>>,
}

impl Unsent {
    /// What goes out.
    pub fn outgoing(&self) -> MessageChain {
        match &self.sends {
            Some(s) => MessageChain::clone(s),
            None => self.chain.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(text: &str) -> Draft {
        Draft {
            text: text.into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_emptied_draft_is_dropped() {
        let mut d = Drafts::default();
        d.set(Peer::Group(1), draft("半句话"));
        assert_eq!(d.get(Peer::Group(1)), Some(&draft("半句话")));
        d.set(Peer::Group(1), Draft::default());
        assert!(d.is_empty());
    }

    #[test]
    fn empty_drafts_are_not_collected() {
        let d: Drafts = [
            (Peer::Group(1), draft("")),
            (Peer::Private(2), draft("在吗")),
        ]
        .into_iter()
        .collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d.get(Peer::Private(2)), Some(&draft("在吗")));
    }
}
