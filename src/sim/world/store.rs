//! The message store: every message by short id, each conversation's order, merged-forward
//! contents, media tokens, and history paging as NapCat answers it.

use std::collections::{HashMap, VecDeque};

use crate::onebot::{MessageEvent, Peer, Segment};

/// Messages a conversation keeps addressable, like NapCat's short-id cache (~5000 entries).
pub const CONVERSATION_CAP: usize = 5000;

/// One reaction on a message: the emoji and who reacted.
#[derive(Debug, Clone, PartialEq)]
pub struct Like {
    pub emoji_id: String,
    pub users: Vec<i64>,
}

/// A message as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredMessage {
    /// The event as first delivered (`message` or `message_sent`).
    pub event: MessageEvent,
    pub peer: Peer,
    pub recalled: bool,
    pub likes: Vec<Like>,
    /// QQNT's long message id (a 19-digit string), shown by recent contacts.
    pub long_id: String,
}

/// A received media token and what `get_image`/`get_record`/`get_file` say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub url: String,
    pub size: u64,
    pub name: String,
}

#[derive(Debug, Clone, Default)]
struct Conversation {
    ids: VecDeque<i64>,
    next_seq: i64,
}

/// Why a history page could not be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageError {
    /// The anchor is not a message of this conversation.
    NoAnchor,
    /// Nothing to return.
    Empty,
}

/// All messages the account can see.
#[derive(Debug, Clone, Default)]
pub struct Store {
    msgs: HashMap<i64, StoredMessage>,
    convs: HashMap<Peer, Conversation>,
    forwards: HashMap<String, Vec<MessageEvent>>,
    media: HashMap<String, Media>,
}

impl Store {
    /// True when the short id is taken.
    pub fn contains(&self, id: i64) -> bool {
        self.msgs.contains_key(&id)
    }

    /// Adds a message at the end of its conversation, giving it the next real sequence number.
    pub fn push(&mut self, mut msg: StoredMessage) {
        let conv = self.convs.entry(msg.peer).or_default();
        if conv.next_seq == 0 {
            conv.next_seq = 1000 + (msg.peer.id() % 7919);
        }
        conv.next_seq += 1;
        msg.event.real_seq = Some(conv.next_seq.to_string());
        let id = msg.event.message_id;
        conv.ids.push_back(id);
        if conv.ids.len() > CONVERSATION_CAP
            && let Some(old) = conv.ids.pop_front()
        {
            self.msgs.remove(&old);
        }
        index_media(&mut self.media, &msg.event.message.0);
        self.msgs.insert(id, msg);
    }

    /// The message with this short id.
    pub fn get(&self, id: i64) -> Option<&StoredMessage> {
        self.msgs.get(&id)
    }

    /// The message with this short id, for changing.
    pub fn get_mut(&mut self, id: i64) -> Option<&mut StoredMessage> {
        self.msgs.get_mut(&id)
    }

    /// A conversation's ids, old to new.
    pub fn ids(&self, peer: Peer) -> impl DoubleEndedIterator<Item = i64> + '_ {
        self.convs
            .get(&peer)
            .into_iter()
            .flat_map(|c| c.ids.iter().copied())
    }

    /// The newest message of a conversation.
    pub fn latest(&self, peer: Peer) -> Option<&StoredMessage> {
        let id = *self.convs.get(&peer)?.ids.back()?;
        self.msgs.get(&id)
    }

    /// Every conversation that has messages.
    pub fn peers(&self) -> impl Iterator<Item = Peer> + '_ {
        self.convs
            .iter()
            .filter(|(_, c)| !c.ids.is_empty())
            .map(|(p, _)| *p)
    }

    /// Forgets a conversation entirely (the account left the group).
    pub fn drop_conversation(&mut self, peer: Peer) {
        if let Some(c) = self.convs.remove(&peer) {
            for id in c.ids {
                self.msgs.remove(&id);
            }
        }
    }

    /// One page of history, old to new. Without an anchor: the latest `count`. With one:
    /// `count` messages ending at the anchor (`towards_older`) or starting at it, anchor included.
    pub fn page(
        &self,
        peer: Peer,
        anchor: Option<i64>,
        count: usize,
        towards_older: bool,
    ) -> Result<Vec<i64>, PageError> {
        let ids = self.convs.get(&peer).map(|c| &c.ids);
        let Some(ids) = ids else {
            return Err(if anchor.is_some() {
                PageError::NoAnchor
            } else {
                PageError::Empty
            });
        };
        let (start, end) = match anchor {
            None => (ids.len().saturating_sub(count), ids.len()),
            Some(a) => {
                let at = ids
                    .iter()
                    .position(|id| *id == a)
                    .ok_or(PageError::NoAnchor)?;
                if towards_older {
                    ((at + 1).saturating_sub(count), at + 1)
                } else {
                    (at, (at + count).min(ids.len()))
                }
            }
        };
        let page: Vec<i64> = ids.range(start..end).copied().collect();
        if page.is_empty() {
            Err(PageError::Empty)
        } else {
            Ok(page)
        }
    }

    /// Records the contents of a merged forward under its id.
    pub fn put_forward(&mut self, id: String, content: Vec<MessageEvent>) {
        for m in &content {
            index_media(&mut self.media, &m.message.0);
        }
        self.forwards.insert(id, content);
    }

    /// The contents of a merged forward.
    pub fn forward(&self, id: &str) -> Option<&Vec<MessageEvent>> {
        self.forwards.get(id)
    }

    /// Lets `f` change every stored message and forwarded message (their media tokens are
    /// indexed again after).
    pub fn each_event_mut(&mut self, mut f: impl FnMut(&mut MessageEvent)) {
        for m in self.msgs.values_mut() {
            f(&mut m.event);
            index_media(&mut self.media, &m.event.message.0);
        }
        for list in self.forwards.values_mut() {
            for ev in list.iter_mut() {
                f(ev);
                index_media(&mut self.media, &ev.message.0);
            }
        }
    }

    /// What a media token refers to.
    pub fn media(&self, token: &str) -> Option<&Media> {
        self.media.get(token)
    }
}

/// Remembers the download tokens of a chain's images, voices, videos and files.
fn index_media(media: &mut HashMap<String, Media>, segs: &[Segment]) {
    for s in segs {
        let entry = match s {
            Segment::Image(i) => Some((i.file.clone(), i.url.clone(), i.file_size, i.file.clone())),
            Segment::Video(v) => Some((v.file.clone(), v.url.clone(), v.file_size, v.file.clone())),
            Segment::Record(r) => {
                Some((r.file.clone(), r.url.clone(), r.file_size, r.file.clone()))
            }
            Segment::File(f) => f
                .file_id
                .clone()
                .map(|id| (id, f.url.clone(), f.file_size, f.file.clone())),
            _ => None,
        };
        if let Some((token, url, size, name)) = entry
            && !token.is_empty()
        {
            media.insert(
                token,
                Media {
                    url: url.unwrap_or_default(),
                    size: size.unwrap_or(0),
                    name,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: i64, peer: Peer) -> StoredMessage {
        StoredMessage {
            event: MessageEvent {
                message_id: id,
                ..Default::default()
            },
            peer,
            recalled: false,
            likes: Vec::new(),
            long_id: String::new(),
        }
    }

    fn store_of(n: i64) -> (Store, Peer) {
        let p = Peer::Group(1);
        let mut s = Store::default();
        for id in 1..=n {
            s.push(msg(id * 10, p));
        }
        (s, p)
    }

    #[test]
    fn latest_page_without_anchor() {
        let (s, p) = store_of(10);
        assert_eq!(s.page(p, None, 3, false), Ok(vec![80, 90, 100]));
        assert_eq!(s.page(p, None, 50, false).map(|v| v.len()), Ok(10));
    }

    #[test]
    fn anchored_pages_include_the_anchor() {
        let (s, p) = store_of(10);
        assert_eq!(s.page(p, Some(50), 3, true), Ok(vec![30, 40, 50]));
        assert_eq!(s.page(p, Some(50), 3, false), Ok(vec![50, 60, 70]));
        assert_eq!(s.page(p, Some(20), 5, true), Ok(vec![10, 20]));
        assert_eq!(s.page(p, Some(99), 5, true), Err(PageError::NoAnchor));
        assert_eq!(s.page(Peer::Group(2), None, 5, true), Err(PageError::Empty));
    }

    #[test]
    fn sequences_grow_and_the_cap_evicts_oldest() {
        let (s, p) = store_of(3);
        let seqs: Vec<i64> = s
            .ids(p)
            .filter_map(|id| s.get(id)?.event.real_seq.as_ref()?.parse().ok())
            .collect();
        assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1));
        let (s, p) = store_of(CONVERSATION_CAP as i64 + 2);
        assert_eq!(s.ids(p).count(), CONVERSATION_CAP);
        assert!(!s.contains(10) && !s.contains(20) && s.contains(30));
    }
}
